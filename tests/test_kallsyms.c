/* Unit tests of /proc/kallsyms reading (src/kallsyms.c, kallsyms_from_file):
 * the live layout's symbols come from there, and what a non-root user or
 * kernel.kptr_restrict leaves in it (every address 0) must be refused with
 * a message saying why, not taken as a kernel whose symbols all sit at 0. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/kallsyms.h"
#include "unit.h"

/* A temporary file holding text; its path in path (PATH_MAX is plenty). */
static int write_file(char *path, const char *text)
{
	FILE *f;
	int fd;

	strcpy(path, "/tmp/pinscan-test-kallsyms.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return -1;
	}
	fputs(text, f);
	return fclose(f);
}

static enum ps_status read_text(const char *text, struct kallsyms *ks,
				struct ps_err *err, char *path)
{
	enum ps_status st;

	if (write_file(path, text)) {
		err->status = PS_ERR_IO;
		return PS_ERR_IO;
	}
	st = kallsyms_from_file(ks, path, err);
	unlink(path);
	return st;
}

int main(void)
{
	/* As root sees it: vmlinux's symbols, then modules' (tagged). */
	static const char root_view[] =
		"ffffffffa3000000 T _stext\n"
		"ffffffffa4e5a8c0 D init_task\n"
		"ffffffffa5a1c2e0 B mem_section\n"
		"ffffffffc0a01000 t helper\t[qemu_fw_cfg]\n"
		"ffffffffc0a02000 d mem_section\t[some_module]\n";
	/* The same as a user without CAP_SYSLOG, or anyone under
	 * kptr_restrict 2, reads it. */
	static const char hidden_view[] =
		"0000000000000000 T _stext\n"
		"0000000000000000 D init_task\n"
		"0000000000000000 B mem_section\n"
		"0000000000000000 t helper\t[qemu_fw_cfg]\n";
	char path[64];
	struct kallsyms ks;
	struct ps_err err = { 0 };
	uint64_t addr = 0;

	CHECK(read_text(root_view, &ks, &err, path) == PS_OK,
	      "root's /proc/kallsyms is read");
	CHECK(kallsyms_lookup(&ks, "init_task", &addr) &&
	      addr == 0xffffffffa4e5a8c0ULL, "init_task at its address");
	CHECK(kallsyms_lookup(&ks, "mem_section", &addr) &&
	      addr == 0xffffffffa5a1c2e0ULL,
	      "mem_section is vmlinux's, not the module's of that name");
	CHECK(!kallsyms_lookup(&ks, "helper", &addr),
	      "module symbols are not the kernel's");
	kallsyms_free(&ks);

	memset(&err, 0, sizeof(err));
	CHECK(read_text(hidden_view, &ks, &err, path) == PS_ERR_NODATA,
	      "every address zero (kptr_restrict, not root) is refused");
	CHECK(strstr(err.msg, path) && strstr(err.msg, "root") &&
	      strstr(err.msg, "kptr_restrict"),
	      "the message names the file, root and kptr_restrict");
	CHECK(!strchr(err.msg, '\n'), "the message is one line");
	printf("   (%s)\n", err.msg);

	memset(&err, 0, sizeof(err));
	CHECK(read_text("not a symbol table\n", &ks, &err, path) ==
		      PS_ERR_FORMAT && strstr(err.msg, "no symbols"),
	      "a file without symbol lines is refused");

	memset(&err, 0, sizeof(err));
	CHECK(kallsyms_from_file(&ks, "/nonexistent/kallsyms", &err) ==
		      PS_ERR_IO && strstr(err.msg, "/nonexistent/kallsyms"),
	      "a missing file is an I/O error naming it");
	return unit_exit();
}
