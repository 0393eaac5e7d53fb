/* Checks: the rule catalogue, and the rules that one decoded struct page
 * can answer alone. Rules that need other pages (compound families, LRU
 * lists) are in audit.c. */
#ifndef PINSCAN_CHECKS_H
#define PINSCAN_CHECKS_H

#include <stdint.h>

#include "decode.h"
#include "layout.h"
#include "pinacct.h"

enum severity {
	SEV_INFO,
	SEV_WARNING,
	SEV_ERROR,
};

/* Stable rule IDs: the index into the catalogue. */
enum rule_id {
	RULE_RFC_PIN_ON_TAIL,
	RULE_RFC_PIN_ON_LRU,
	RULE_RFC_PIN_COUNT,
	RULE_RFC_PIN_IN_FOLIO,
	RULE_PIN_COUNT_NEGATIVE,
	RULE_PIN_COUNT_ABOVE_REFCOUNT,
	RULE_FOLL_PIN_ON_LRU,
	RULE_TAIL_REFCOUNT,
	RULE_TAIL_BAD_HEAD,
	RULE_TAIL_HEAD_NOT_HEAD,
	RULE_TAIL_OUTSIDE_FOLIO,
	RULE_HEAD_TAIL_MISMATCH,
	RULE_ORDER_INCONSISTENT,
	RULE_HEAD_AND_TAIL,
	RULE_REFCOUNT_NEGATIVE,
	RULE_MAPCOUNT_ABOVE_REFCOUNT,
	RULE_BUDDY_REFCOUNT,
	RULE_BUDDY_MAPPING,
	RULE_LRU_BAD_POINTER,
	RULE_LRU_POISONED,
	RULE_LRU_LINK_MISMATCH,
	RULE_LRU_NEIGHBOUR_NOT_LRU,
	RULE_LRU_LIST_TYPE_MISMATCH,
	RULE_LRU_UNREACHABLE,
	RULE_LRU_CYCLE_NO_HEAD,
	RULE_LRU_NODE_MISMATCH,
	RULE_PIN_IN_MOVABLE,
	RULE_PIN_IN_CMA,
	RULE_PIN_ACCOUNTING_MISMATCH,
	NR_RULES
};

struct rule {
	const char *id;
	enum severity severity;
	const char *eras;
	const char *summary;
	const char *source;
};

struct finding {
	const struct rule *rule;
	uint64_t pfn;
	char message[224];
};

/* Called for each finding; the report collects them. */
typedef void (*finding_fn)(void *arg, const struct finding *f);

/* Emit a finding of rule id at pfn with a printf-style message. */
void finding_emit(finding_fn emit, void *arg, enum rule_id id, uint64_t pfn,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The rules one page answers alone. */
void checks_page(const struct page_layout *pl, const struct page_state *ps,
		 finding_fn emit, void *arg);

/* What the scan decoded, to set against the kernel's own count. */
struct decoded_pins {
	int64_t total;		/* the sum of every pinned entry's pincount */
	int64_t inexact;	/* of which refcount-bias (likely or possible) */
	int64_t possible;	/* of which refcount-bias, mapcount explains */
};

/* The dump-wide rule PIN-ACCOUNTING-MISMATCH: the kernel's outstanding
 * pins (acquired - released) against the decoded ones. Nothing when the
 * counters were not read, or the pins are the RFC's. The finding is at pfn 0 (the whole dump); its
 * message names what may hide the pins not seen: struct pages missing
 * from the dump, or mem_section entries (sections, roots) not followed. */
void checks_pin_accounting(const struct page_layout *pl,
			   const struct pin_accounting *pa,
			   const struct decoded_pins *dp, uint64_t missing,
			   uint64_t sections_unread, finding_fn emit,
			   void *arg);

const struct rule *rules_all(unsigned *count);
const struct rule *rule_get(enum rule_id id);
const char *severity_name(enum severity s);
/* "info", "warning", "error" -> severity; -1 when unknown. */
int severity_parse(const char *name);

#endif
