/* Kernel variables every era's synthetic vmlinux defines.
 *
 * Included at the end of each eras/ERA.c, after the era's struct page,
 * struct mem_section and enums.  mkvmcore finds these by name in .symtab
 * and writes their run-time values into the dump's copy of the image.
 * UTS_RELEASE is passed by mkvmcore with -D.
 */
#ifndef UTS_RELEASE
#error "UTS_RELEASE must be defined by mkvmcore"
#endif

/* arch/x86/kernel/head_64.S: the top-level page table, 4 KiB aligned.
 * On x86_64 swapper_pg_dir is a C macro for init_top_pgt (no symbol). */
pgd_t init_top_pgt[512] __attribute__((aligned(4096), section(".data..page_aligned")));

/* arch/x86/kernel/head_64.S / arch/x86/mm/kaslr.c */
unsigned long phys_base;
unsigned long page_offset_base = 0xffff888000000000UL;
unsigned long vmalloc_base = 0xffffc90000000000UL;
unsigned long vmemmap_base = 0xffffea0000000000UL;
unsigned int __pgtable_l5_enabled;

/* mm/sparse.c */
#ifdef NO_EXTREME
struct mem_section mem_section[NR_SECTION_ROOTS][SECTIONS_PER_ROOT]
	__attribute__((aligned(64)));
#else
struct mem_section **mem_section;
#endif

/* init/version.c */
struct uts_namespace init_uts_ns = {
	.name = {
		.sysname = "Linux",
		.nodename = "synthetic",
		.release = UTS_RELEASE,
		.version = "#1 SMP PREEMPT_DYNAMIC mkvmcore",
		.machine = "x86_64",
		.domainname = "(none)",
	},
};
const char linux_banner[] =
	"Linux version " UTS_RELEASE " (mkvmcore@synthetic) (gcc) "
	"#1 SMP PREEMPT_DYNAMIC mkvmcore\n";

nodemask_t node_online_map = { { 1UL } };
struct pglist_data *node_data[1024];
struct list_head vmap_area_list;

/* Not a kernel variable: the heads of the LRU and free lists that the
 * synthetic struct pages are linked on.  A real kernel keeps them in
 * struct lruvec (per memcg and node) and struct free_area (per zone). */
struct synthetic_lruvec {
	struct list_head lists[5];	/* enum lru_list order */
} synthetic_lruvec;
struct list_head synthetic_free_list[11];

/* Keep every type in the DWARF even at -O0 with unused-type elimination. */
struct page *synthetic_page_ref;
enum pageflags synthetic_pageflags_ref;

/* mm/sparse.c: a function of the same file, so .text is not empty and
 * debuggers see a CU with code. */
void sparse_init(void)
{
	unsigned long nr = 0;
	unsigned long i;

	for (i = 0; i < sizeof(struct page); i++)
		nr += i;
	synthetic_page_ref = (struct page *)nr;
}
