/* Linux 4.19 + dma-pinned RFC, PAGE_DMA_PINNED = 0x2 (bit 1), as in the
 * 2018 posting quoted in shared/seed-rfc.txt.  Layout: 4.19-rfc.h;
 * mkvmcore builds this era with CONFIG_CMA (-DCONFIG_CMA). */
#define PAGE_DMA_PINNED 0x2
#include "4.19-rfc.h"
