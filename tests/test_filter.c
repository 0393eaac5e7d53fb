/* Unit tests of what a person types into the TUI (src/tui_filter.c):
 * flag expressions for f and /, pfns for g, ranges for r. A wrong
 * precedence or a name looked up in the wrong place would filter the
 * wrong pages without any error, so each decision is pinned here. */
#include <string.h>

#include "../src/tui_filter.h"
#include "unit.h"

/* A kernel whose enum pageflags has locked 0, referenced 2, lru 4,
 * active 5, slab 9, head 16 and owner_priv_1 = swapcache 10. */
static void test_layout(struct page_layout *pl)
{
	layout_init(pl);
	pageflags_add_enumerator(&pl->pf, "PG_locked", 0);
	pageflags_add_enumerator(&pl->pf, "PG_referenced", 2);
	pageflags_add_enumerator(&pl->pf, "PG_lru", 4);
	pageflags_add_enumerator(&pl->pf, "PG_active", 5);
	pageflags_add_enumerator(&pl->pf, "PG_slab", 9);
	pageflags_add_enumerator(&pl->pf, "PG_owner_priv_1", 10);
	pageflags_add_enumerator(&pl->pf, "PG_head", 16);
	pageflags_add_enumerator(&pl->pf, "PG_swapcache", 10);
}

static struct page_state page(uint64_t flags)
{
	struct page_state ps;

	memset(&ps, 0, sizeof(ps));
	ps.flags = flags;
	ps.lru = (flags >> 4) & 1;
	ps.head = (flags >> 16) & 1;
	return ps;
}

/* Does text parse, and does it match a page with these flags? */
static bool matches(const struct page_layout *pl, const char *text,
		    const struct page_state *ps)
{
	struct tui_expr e;
	char msg[200];

	if (!tui_expr_parse(&e, text, pl, msg, sizeof(msg))) {
		printf("  (%s: %s)\n", text, msg);
		return false;
	}
	return tui_expr_match(&e, ps, false);
}

static void test_flags_and_precedence(void)
{
	struct page_layout pl;
	struct page_state lru = page(1u << 4);
	struct page_state lru_active = page(1u << 4 | 1u << 5);
	struct page_state active = page(1u << 5);
	struct page_state referenced = page(1u << 2);
	struct page_state priv = page(1u << 10);

	test_layout(&pl);
	CHECK(matches(&pl, "lru&!active", &lru) &&
	      !matches(&pl, "lru&!active", &lru_active),
	      "lru&!active keeps inactive LRU pages only");
	CHECK(matches(&pl, "PG_Active", &active) && matches(&pl, "ACTIVE", &active),
	      "flag names are case-blind, with or without PG_");
	CHECK(matches(&pl, "owner_priv_1", &priv) &&
	      !matches(&pl, "swapcache", &priv),
	      "an alias names no flag of its own: the first name of a bit is kept");
	/* & binds tighter than |: referenced | (lru & active). */
	CHECK(matches(&pl, "referenced|lru&active", &referenced) &&
	      !matches(&pl, "referenced|lru&active", &lru),
	      "& binds tighter than |");
	CHECK(!matches(&pl, "(referenced|lru)&active", &lru) &&
	      matches(&pl, "(referenced|lru)&active", &lru_active),
	      "parentheses group");
	CHECK(matches(&pl, "lru && !!lru || locked", &lru),
	      "&&, || and double negation");
}

static void test_fields_and_words(void)
{
	struct page_layout pl;
	struct page_state ps = page(0), none = page(0);
	struct tui_expr e;
	char msg[200];

	test_layout(&pl);
	ps.refcount = 1025;
	ps.mapcount = 1;
	CHECK(matches(&pl, "refcount>=1024", &ps) &&
	      !matches(&pl, "refcount>1025", &ps) &&
	      matches(&pl, "refcount == 1025 & mapcount<2", &ps),
	      "comparisons on refcount and mapcount");
	CHECK(!matches(&pl, "pinned", &ps), "a page without a pin is not pinned");
	ps.pin_how = PIN_HOW_REFCOUNT_BIAS;
	ps.pincount = 1;
	CHECK(matches(&pl, "pinned&pincount=1", &ps), "pinned, pincount=1");
	ps.pfn = 0x4c00;
	CHECK(matches(&pl, "pfn>=0x4c00&pfn<0x4c01", &ps), "pfn compares in hex");
	CHECK(tui_expr_parse(&e, "finding|pinned", &pl, msg, sizeof(msg)) &&
	      tui_expr_uses_findings(&e) && tui_expr_match(&e, &none, true),
	      "finding asks the scan's findings");
}

static void test_errors(void)
{
	struct page_layout pl;
	struct tui_expr e = { .nr = 0 }, before;
	char msg[200], deep[200];
	bool ok;

	test_layout(&pl);
	ok = tui_expr_parse(&e, "lru", &pl, msg, sizeof(msg));
	before = e;
	CHECK(ok, "lru parses");
	CHECK(!tui_expr_parse(&e, "mlocked", &pl, msg, sizeof(msg)) &&
	      strstr(msg, "unknown name 'mlocked'") &&
	      !memcmp(&e, &before, sizeof(e)),
	      "a flag this kernel lacks is an error naming it, the filter in force kept");
	CHECK(!tui_expr_parse(&e, "lru&", &pl, msg, sizeof(msg)) && msg[0],
	      "a dangling & is an error");
	CHECK(!tui_expr_parse(&e, "(lru", &pl, msg, sizeof(msg)) &&
	      strstr(msg, "missing ')'"), "a missing ) is an error");
	CHECK(!tui_expr_parse(&e, "refcount 5", &pl, msg, sizeof(msg)) &&
	      strstr(msg, "needs a comparison"), "a field without an operator");
	CHECK(!tui_expr_parse(&e, "refcount>=x", &pl, msg, sizeof(msg)) &&
	      strstr(msg, "a number must follow"), "a comparison without a number");
	CHECK(!tui_expr_parse(&e, "lru)", &pl, msg, sizeof(msg)) &&
	      strstr(msg, "unexpected ')'"), "trailing text is an error");
	memset(deep, 0, sizeof(deep));
	memset(deep, '!', 150);
	strcat(deep, "lru");
	CHECK(!tui_expr_parse(&e, deep, &pl, msg, sizeof(msg)) &&
	      strstr(msg, "too long"),
	      "150 negations overflow the node table with an error, not a crash");
}

static void test_pfns_and_ranges(void)
{
	uint64_t pfn = 0, lo = 0, hi = 0;
	char msg[200];

	CHECK(tui_parse_pfn("0x4c00", &pfn) && pfn == 0x4c00, "0x4c00");
	CHECK(tui_parse_pfn("4c00", &pfn) && pfn == 0x4c00, "4c00 is hex (it has a-f)");
	CHECK(tui_parse_pfn(" 19456 ", &pfn) && pfn == 19456, "19456 is decimal");
	CHECK(!tui_parse_pfn("", &pfn) && !tui_parse_pfn("-5", &pfn) &&
	      !tui_parse_pfn("0x4c00x", &pfn) && !tui_parse_pfn("12 34", &pfn),
	      "empty, negative and trailing junk are not pfns");
	CHECK(tui_parse_range("0x1000-0x1fff", &lo, &hi, msg, sizeof(msg)) &&
	      lo == 0x1000 && hi == 0x1fff, "0x1000-0x1fff");
	CHECK(tui_parse_range("4096..8191", &lo, &hi, msg, sizeof(msg)) &&
	      lo == 4096 && hi == 8191, "4096..8191");
	CHECK(tui_parse_range("0x1000-", &lo, &hi, msg, sizeof(msg)) &&
	      lo == 0x1000 && hi == UINT64_MAX, "0x1000- runs to the end");
	CHECK(tui_parse_range("0x1000", &lo, &hi, msg, sizeof(msg)) &&
	      lo == 0x1000 && hi == 0x1000, "one pfn is a range of one");
	CHECK(!tui_parse_range("0x2000-0x1000", &lo, &hi, msg, sizeof(msg)) &&
	      strstr(msg, "empty range"), "a backwards range is empty");
	CHECK(!tui_parse_range("x-y", &lo, &hi, msg, sizeof(msg)) &&
	      strstr(msg, "not a pfn range"), "junk is not a range");
}

int main(void)
{
	test_flags_and_precedence();
	test_fields_and_words();
	test_errors();
	test_pfns_and_ranges();
	return unit_exit();
}
