#include <stdio.h>

#include "checks.h"

static const struct rule rules[] = {
	{
		.id = "RFC-PIN-ON-TAIL",
		.severity = SEV_ERROR,
		.eras = "4.19 + DMA-pin RFC",
		.summary = "the word shared by compound_head and dma_pinned_flags has both PageTail (bit 0) and the pin bit",
		.source = "RFC 'mm: introduce page->dma_pinned_flags, _count' (2018): PageDmaPinned must only be used on non-tail pages",
	},
};

const struct rule *rules_all(unsigned *count)
{
	*count = sizeof(rules) / sizeof(rules[0]);
	return rules;
}

const char *severity_name(enum severity s)
{
	switch (s) {
	case SEV_INFO:
		return "info";
	case SEV_WARNING:
		return "warning";
	default:
		return "error";
	}
}

void checks_page(const struct page_layout *pl, const struct page_state *ps,
		 finding_fn emit, void *arg)
{
	if (ps->rfc_pin_on_tail) {
		struct finding f = { .rule = &rules[0], .pfn = ps->pfn };

		snprintf(f.message, sizeof(f.message),
			 "tail page (compound_head 0x%llx) also has the DMA-pin bit 0x%llx",
			 (unsigned long long)(ps->head_addr + 1),
			 (unsigned long long)pl->rfc_pin_mask);
		emit(arg, &f);
	}
}
