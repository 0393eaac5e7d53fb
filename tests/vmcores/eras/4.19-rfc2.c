/* Linux 4.19 + dma-pinned RFC, second revision: PAGE_DMA_PINNED = 0x4
 * (bit 2), per tests/vmcores/CONTRACT.md ("mask 0x4 for RFC v2").  The
 * struct page layout is the same as rfc1: 4.19-rfc.h; mkvmcore builds this
 * era without CONFIG_CMA (rfc1 with it). */
#define PAGE_DMA_PINNED 0x4
#include "4.19-rfc.h"
