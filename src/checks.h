/* Checks: rules over decoded pages that emit findings with stable IDs. */
#ifndef PINSCAN_CHECKS_H
#define PINSCAN_CHECKS_H

#include <stdint.h>

#include "decode.h"
#include "layout.h"

enum severity {
	SEV_INFO,
	SEV_WARNING,
	SEV_ERROR,
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
	char message[192];
};

/* Called for each finding; the report collects them. */
typedef void (*finding_fn)(void *arg, const struct finding *f);

/* Per-page rules. */
void checks_page(const struct page_layout *pl, const struct page_state *ps,
		 finding_fn emit, void *arg);

const struct rule *rules_all(unsigned *count);
const char *severity_name(enum severity s);

#endif
