// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-edu: the vm-users layer's VFIO test. QEMU's edu device, bound to the
 * stock vfio-pci by vfio.sh, driven from userspace through the stock
 * vfio_iommu_type1 on iox (iox_iommu_api): edu's DMA goes through the iox
 * paging domain type1 maps the process's memory into. Prints one KTAP
 * document and exits 0 once every case has reported; each case can fail.
 *
 * Usage: vfio-edu BDF
 *
 * Only libc and the kernel's uapi headers: the VM's initramfs has no
 * libraries, the program is linked statically on the host.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define PAGE		0x1000UL
#define SZ_1M		0x100000UL
#define SZ_2M		0x200000UL
#define SZ_1G		0x40000000UL

/* edu, BAR 0 (QEMU docs/specs/edu.rst; drivers/iox/tests/edu.h) */
#define EDU_IDENT	0x00
#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_COUNT	0x90
#define EDU_DMA_CMD	0x98
#define EDU_CMD_START	0x1
#define EDU_CMD_TO_RAM	0x2
#define EDU_BUF		0x40000
#define EDU_MAX		4095

/* iox's VT-d unit in the VM: 39-bit IOVA, the x86 MSI window reserved. */
#define APERTURE_END	((1ULL << 39) - 1)
#define MSI_START	0xfee00000ULL
#define MSI_END		0xfeefffffULL

/* The IOVAs the cases map at. */
#define IOVA_A		0x100000ULL
#define IOVA_B		0x200000ULL
#define IOVA_TOP	(APERTURE_END + 1 - PAGE)
#define IOVA_ALL	0x1000000ULL	/* three, 16 MiB apart */
#define IOVA_HUGE	0x40200000ULL
#define IOVA_BAD	0x500000ULL
#define IOVA_HOLE	0x700000ULL
#define IOVA_LOCK	0x800000ULL

#define DEBUGFS		"/sys/kernel/debug/iox-intel"

struct edu {
	const char *bdf;
	char group_path[64];
	int container, group, device;
	uint8_t *bar;
	size_t bar_size;
	uint64_t cfg_offset;
	bool ready;
	int kmsg;
	uint8_t *buf;		/* vfio_map_dma's pages A, B, C */
};

/* A leaf of iox_intel's page-table dump. */
struct leaf {
	unsigned long long first, last, phys;
	char line[256];
};

static void diag(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("# ", stdout);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
}

/* diag() and -1: the case fails. */
static int bad(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("# ", stdout);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	return -1;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void fill(uint8_t *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 31 + (i >> 8) + seed);
}

/* 0 if @len bytes at @got are @want's, else -1 with the first difference. */
static int same(const char *what, const uint8_t *got, const uint8_t *want,
		size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (got[i] != want[i])
			return bad("%s: byte %zu is %#04x, want %#04x", what, i,
				   got[i], want[i]);
	return 0;
}

/* 0 if @len bytes at @p are all @c, else -1. */
static int all(const char *what, const uint8_t *p, uint8_t c, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != c)
			return bad("%s: byte %zu is %#04x, want %#04x", what, i,
				   p[i], c);
	return 0;
}

/* --- edu ---------------------------------------------------------------- */

/* MMIO through the mmap of BAR 0: one access each, of the given width. */
static void edu_write(struct edu *e, unsigned int reg, uint64_t val)
{
	*(volatile uint64_t *)(e->bar + reg) = val;
}

static uint64_t edu_read(struct edu *e, unsigned int reg)
{
	return *(volatile uint64_t *)(e->bar + reg);
}

static uint32_t edu_read32(struct edu *e, unsigned int reg)
{
	return *(volatile uint32_t *)(e->bar + reg);
}

/* One DMA of @count bytes, waited for (edu runs it from a 100 ms timer). */
static int edu_dma(struct edu *e, uint64_t src, uint64_t dst, uint32_t count,
		   bool to_ram)
{
	unsigned int ms;

	edu_write(e, EDU_DMA_SRC, src);
	edu_write(e, EDU_DMA_DST, dst);
	edu_write(e, EDU_DMA_COUNT, count);
	edu_write(e, EDU_DMA_CMD, EDU_CMD_START | (to_ram ? EDU_CMD_TO_RAM : 0));
	for (ms = 0; ms < 5000; ms++) {
		if (!(edu_read(e, EDU_DMA_CMD) & EDU_CMD_START))
			return 0;
		sleep_ms(1);
	}
	return bad("edu DMA %#llx -> %#llx, %u bytes: not done after 5 s",
		   (unsigned long long)src, (unsigned long long)dst, count);
}

/* edu reads @count bytes at @iova into its buffer. */
static int edu_from(struct edu *e, uint64_t iova, uint32_t count)
{
	return edu_dma(e, iova, EDU_BUF, count, false);
}

/* edu writes @count bytes of its buffer to @iova. */
static int edu_to(struct edu *e, uint64_t iova, uint32_t count)
{
	return edu_dma(e, EDU_BUF, iova, count, true);
}

/* --- type1 ------------------------------------------------------------- */

static int map_dma_flags(int container, const void *va, uint64_t iova,
			 uint64_t size, uint32_t flags)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = flags,
		.vaddr = (uintptr_t)va,
		.iova = iova,
		.size = size,
	};

	return ioctl(container, VFIO_IOMMU_MAP_DMA, &map) ? -errno : 0;
}

static int map_dma(int container, const void *va, uint64_t iova,
		   uint64_t size)
{
	return map_dma_flags(container, va, iova, size,
			     VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE);
}

/* 0 or -errno; *@done gets the bytes type1 says it unmapped. */
static int unmap_dma(int container, uint64_t iova, uint64_t size,
		     uint32_t flags, uint64_t *done)
{
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap),
		.flags = flags,
		.iova = iova,
		.size = size,
	};

	*done = 0;
	if (ioctl(container, VFIO_IOMMU_UNMAP_DMA, &unmap))
		return -errno;
	*done = unmap.size;
	return 0;
}

/* Map, saying why it failed. */
static int must_map(struct edu *e, const void *va, uint64_t iova,
		    uint64_t size)
{
	int ret = map_dma(e->container, va, iova, size);

	if (ret)
		return bad("MAP_DMA %#llx+%#llx: %s", (unsigned long long)iova,
			   (unsigned long long)size, strerror(-ret));
	return 0;
}

/* Unmap, which must report exactly @size bytes. */
static int must_unmap(struct edu *e, uint64_t iova, uint64_t size)
{
	uint64_t done;
	int ret = unmap_dma(e->container, iova, size, 0, &done);

	if (ret)
		return bad("UNMAP_DMA %#llx+%#llx: %s",
			   (unsigned long long)iova, (unsigned long long)size,
			   strerror(-ret));
	if (done != size)
		return bad("UNMAP_DMA %#llx+%#llx unmapped %#llx bytes",
			   (unsigned long long)iova, (unsigned long long)size,
			   (unsigned long long)done);
	return 0;
}

/* --- iox_intel's debugfs ------------------------------------------------- */

/* The page-table dump of edu's iox domain, opened, or NULL. */
static FILE *pagetable_open(struct edu *e)
{
	char line[256], bdf[64], type[32], path[PATH_MAX];
	unsigned int did;
	glob_t g;
	size_t i;
	FILE *f;
	int found = 0;

	if (glob(DEBUGFS "/*/devices", 0, NULL, &g))
		return NULL;
	for (i = 0; i < g.gl_pathc && !found; i++) {
		f = fopen(g.gl_pathv[i], "r");
		if (!f)
			continue;
		while (!found && fgets(line, sizeof(line), f))
			if (sscanf(line, "%*s %63s %31s did %u", bdf, type,
				   &did) == 3 && !strcmp(bdf, e->bdf)) {
				snprintf(path, sizeof(path), "%.*s/domain-%u/pagetable",
					 (int)(strrchr(g.gl_pathv[i], '/') -
					       g.gl_pathv[i]),
					 g.gl_pathv[i], did);
				found = 1;
			}
		fclose(f);
	}
	globfree(&g);
	return found ? fopen(path, "r") : NULL;
}

/*
 * The leaf of edu's iox domain that holds @iova: 1, or 0 if none does,
 * or -1 if the dump cannot be read. @nr_leaves, if not NULL, gets how
 * many leaves the domain has.
 */
static int leaf_of(struct edu *e, uint64_t iova, struct leaf *leaf,
		   unsigned int *nr_leaves)
{
	unsigned long long first, last, phys;
	char line[256];
	int found = 0;
	FILE *f;

	if (nr_leaves)
		*nr_leaves = 0;
	f = pagetable_open(e);
	if (!f)
		return bad("no page-table dump of %s's iox domain in %s",
			   e->bdf, DEBUGFS);
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#')
			continue;
		if (nr_leaves)
			(*nr_leaves)++;
		if (sscanf(line, "%llx-%llx -> %llx", &first, &last, &phys) != 3)
			continue;
		if (iova < first || iova > last || found)
			continue;
		leaf->first = first;
		leaf->last = last;
		leaf->phys = phys;
		line[strcspn(line, "\n")] = '\0';
		snprintf(leaf->line, sizeof(leaf->line), "%s", line);
		found = 1;
	}
	fclose(f);
	return found;
}

/* 0 if no leaf of edu's domain holds @iova. */
static int unmapped_in_table(struct edu *e, uint64_t iova)
{
	struct leaf leaf;
	int ret = leaf_of(e, iova, &leaf, NULL);

	if (ret < 0)
		return -1;
	if (ret)
		return bad("IOVA %#llx is still in edu's iox domain: %s",
			   (unsigned long long)iova, leaf.line);
	return 0;
}

/* --- the kernel log ------------------------------------------------------ */

/* From now on: what the kernel logs after this call. */
static void kmsg_skip(struct edu *e)
{
	if (e->kmsg >= 0)
		lseek(e->kmsg, 0, SEEK_END);
}

/*
 * The iox fault lines the kernel logged since kmsg_skip(), waited for up
 * to a second: returns how many name a write at @iova, and puts how many
 * name anything else in *@other. Only the kernel's own records count
 * (facility 0), not the lines of the scripts, which reach the log too.
 */
static int kmsg_faults(struct edu *e, uint64_t iova, int *other)
{
	char rec[8192], want[96];
	int hits = 0, ms, quiet = 0;
	unsigned int pri;
	const char *msg;
	ssize_t n;

	*other = 0;
	if (e->kmsg < 0)
		return bad("/dev/kmsg could not be opened");
	snprintf(want, sizeof(want), "iox: unhandled write fault at iova %#llx:",
		 (unsigned long long)iova);
	/* Until a fault was seen and 100 ms passed quietly, or 1 s. */
	for (ms = 0; ms < 1000 && !(hits && quiet >= 100); ms += 10) {
		while ((n = read(e->kmsg, rec, sizeof(rec) - 1)) > 0 ||
		       (n < 0 && errno == EPIPE)) {
			if (n <= 0)
				continue;
			rec[n] = '\0';
			msg = strchr(rec, ';');
			if (sscanf(rec, "%u,", &pri) != 1 || pri >= 8 || !msg)
				continue;
			rec[strcspn(rec, "\n")] = '\0';
			if (!strstr(msg, "iox: unhandled ") &&
			    !strstr(msg, "fault from unknown source"))
				continue;
			diag("kernel: %s", msg + 1);
			if (strstr(msg, want))
				hits++;
			else
				(*other)++;
			quiet = 0;
		}
		sleep_ms(10);
		quiet += 10;
	}
	return hits;
}

/* edu's write to @iova must have logged exactly one iox fault. */
static int one_fault(struct edu *e, uint64_t iova)
{
	int other, hits = kmsg_faults(e, iova, &other);

	if (hits < 0)
		return -1;
	if (hits != 1 || other)
		return bad("%d iox fault lines for the write at %#llx, %d others: want 1 and 0",
			   hits, (unsigned long long)iova, other);
	diag("edu's write at %#llx faulted, logged once", (unsigned long long)iova);
	return 0;
}

/* --- vfio_setup ---------------------------------------------------------- */

static int open_container(void)
{
	int fd = open("/dev/vfio/vfio", O_RDWR);
	int ret;

	if (fd < 0)
		return bad("/dev/vfio/vfio: %s", strerror(errno));
	ret = ioctl(fd, VFIO_GET_API_VERSION);
	if (ret != VFIO_API_VERSION) {
		close(fd);
		return bad("VFIO_GET_API_VERSION: %d, want %d", ret,
			   VFIO_API_VERSION);
	}
	ret = ioctl(fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU);
	if (ret != 1) {
		close(fd);
		return bad("VFIO_CHECK_EXTENSION(VFIO_TYPE1v2_IOMMU): %d", ret);
	}
	return fd;
}

static int domain_type(struct edu *e, char type[32]);

/*
 * Open edu's group, put it in @container and give that type1v2. Claimed
 * by VFIO and not yet in a container with an IOMMU, the group must wait
 * in iox's blocked domain.
 */
static int open_group(struct edu *e, const char *path, int container)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	int fd = open(path, O_RDWR);
	char type[32];

	if (fd < 0)
		return bad("%s: %s", path, strerror(errno));
	if (ioctl(fd, VFIO_GROUP_GET_STATUS, &status)) {
		bad("VFIO_GROUP_GET_STATUS: %s", strerror(errno));
		goto err;
	}
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		bad("%s is not viable (flags %#x): a device of its group has a kernel driver",
		    path, status.flags);
		goto err;
	}
	if (ioctl(fd, VFIO_GROUP_SET_CONTAINER, &container)) {
		bad("VFIO_GROUP_SET_CONTAINER: %s", strerror(errno));
		goto err;
	}
	if (domain_type(e, type))
		goto err;
	if (strcmp(type, "blocked")) {
		bad("claimed by VFIO, edu is in an iox %s domain, not the blocked one",
		    type);
		goto err;
	}
	if (ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU)) {
		bad("VFIO_SET_IOMMU(VFIO_TYPE1v2_IOMMU): %s%s", strerror(errno),
		    errno == EPERM ? " (vfio_iommu_type1 allow_unsafe_interrupts=1?)" : "");
		goto err;
	}
	return fd;

err:
	close(fd);
	return -1;
}

static int region_info(struct edu *e, unsigned int index,
		       struct vfio_region_info *reg)
{
	memset(reg, 0, sizeof(*reg));
	reg->argsz = sizeof(*reg);
	reg->index = index;
	if (ioctl(e->device, VFIO_DEVICE_GET_REGION_INFO, reg))
		return bad("VFIO_DEVICE_GET_REGION_INFO(%u): %s", index,
			   strerror(errno));
	return 0;
}

static int map_bar(struct edu *e)
{
	struct vfio_region_info reg;
	uint32_t ident;
	void *p;

	if (region_info(e, VFIO_PCI_BAR0_REGION_INDEX, &reg))
		return -1;
	diag("BAR0: %#llx bytes at region offset %#llx, flags %#x",
	     (unsigned long long)reg.size, (unsigned long long)reg.offset,
	     reg.flags);
	if (reg.size < PAGE || !(reg.flags & VFIO_REGION_INFO_FLAG_MMAP))
		return bad("BAR0 cannot be mmapped");
	p = mmap(NULL, reg.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		 e->device, reg.offset);
	if (p == MAP_FAILED)
		return bad("mmap of BAR0: %s", strerror(errno));
	e->bar = p;
	e->bar_size = reg.size;
	ident = edu_read32(e, EDU_IDENT);
	diag("edu ident %#010x", ident);
	if ((ident & 0xff) != 0xed)
		return bad("edu's ident register reads %#x: not edu", ident);
	return 0;
}

/* Memory decoding and bus mastering on, through the config region. */
static int enable_master(struct edu *e)
{
	struct vfio_region_info reg;
	uint16_t cmd;

	if (region_info(e, VFIO_PCI_CONFIG_REGION_INDEX, &reg))
		return -1;
	e->cfg_offset = reg.offset;
	if (pread(e->device, &cmd, 2, reg.offset + PCI_COMMAND) != 2)
		return bad("config read of PCI_COMMAND: %s", strerror(errno));
	cmd |= PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	if (pwrite(e->device, &cmd, 2, reg.offset + PCI_COMMAND) != 2)
		return bad("config write of PCI_COMMAND: %s", strerror(errno));
	if (pread(e->device, &cmd, 2, reg.offset + PCI_COMMAND) != 2)
		return bad("config read of PCI_COMMAND: %s", strerror(errno));
	diag("PCI_COMMAND %#06x", cmd);
	if (!(cmd & PCI_COMMAND_MASTER))
		return bad("bus mastering did not stick");
	return 0;
}

/*
 * The type of edu's iox domain, as iox_intel shows it ("paging", "dma",
 * "dma-fq", "blocked", ...), into @type; 0, or -1 if edu is not listed.
 */
static int domain_type(struct edu *e, char type[32])
{
	char line[256], bdf[64], t[32];
	int found = -1;
	glob_t g;
	size_t i;
	FILE *f;

	if (glob(DEBUGFS "/*/devices", 0, NULL, &g))
		return bad("no %s/*/devices", DEBUGFS);
	for (i = 0; i < g.gl_pathc; i++) {
		f = fopen(g.gl_pathv[i], "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "%*s %63s %31s", bdf, t) == 2 &&
			    !strcmp(bdf, e->bdf)) {
				line[strcspn(line, "\n")] = '\0';
				diag("iox-intel devices: %s", line);
				memcpy(type, t, sizeof(t));
				found = 0;
			}
		fclose(f);
	}
	globfree(&g);
	if (found)
		return bad("edu %s is in no iox domain (iox-intel devices)",
			   e->bdf);
	return 0;
}

static int case_setup(struct edu *e)
{
	char path[PATH_MAX], link[PATH_MAX], type[32], *base;
	struct vfio_device_info info = { .argsz = sizeof(info) };
	ssize_t n;

	if (!e->bdf[0])
		return bad("no edu device (1234:11e8) on the PCI bus");
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group",
		 e->bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return bad("edu %s has no IOMMU group: iox_iommu_api did not probe it",
			   e->bdf);
	link[n] = '\0';
	base = strrchr(link, '/');
	snprintf(e->group_path, sizeof(e->group_path), "/dev/vfio/%.32s",
		 base ? base + 1 : link);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", e->bdf);
	n = readlink(path, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	base = strrchr(link, '/');
	if (!base || strcmp(base + 1, "vfio-pci"))
		return bad("edu %s is bound to %s, not vfio-pci", e->bdf,
			   n > 0 ? link : "no driver");
	diag("edu %s: vfio-pci, IOMMU group %s", e->bdf, e->group_path);

	e->container = open_container();
	if (e->container < 0)
		return -1;
	e->group = open_group(e, e->group_path, e->container);
	if (e->group < 0)
		return -1;
	e->device = ioctl(e->group, VFIO_GROUP_GET_DEVICE_FD, e->bdf);
	if (e->device < 0)
		return bad("VFIO_GROUP_GET_DEVICE_FD(%s): %s", e->bdf,
			   strerror(errno));
	if (ioctl(e->device, VFIO_DEVICE_GET_INFO, &info))
		return bad("VFIO_DEVICE_GET_INFO: %s", strerror(errno));
	if (!(info.flags & VFIO_DEVICE_FLAGS_PCI) ||
	    info.num_regions <= VFIO_PCI_CONFIG_REGION_INDEX)
		return bad("VFIO_DEVICE_GET_INFO: flags %#x, %u regions",
			   info.flags, info.num_regions);
	if (map_bar(e) || enable_master(e) || domain_type(e, type))
		return -1;
	/* type1's unmanaged domain is an iox paging domain. */
	if (strcmp(type, "paging"))
		return bad("edu is in an iox %s domain, not a paging one", type);
	e->ready = true;
	return 0;
}

/* --- vfio_info ----------------------------------------------------------- */

static struct vfio_iommu_type1_info *get_info(struct edu *e)
{
	struct vfio_iommu_type1_info *info, *bigger;
	uint32_t argsz = sizeof(*info);

	info = calloc(1, argsz);
	if (!info)
		return NULL;
	info->argsz = argsz;
	if (ioctl(e->container, VFIO_IOMMU_GET_INFO, info))
		goto err;
	if (info->argsz <= argsz) {
		bad("VFIO_IOMMU_GET_INFO asks for no more than %u bytes: no capability chain",
		    info->argsz);
		free(info);
		return NULL;
	}
	argsz = info->argsz;
	diag("VFIO_IOMMU_GET_INFO: %u bytes with the capability chain", argsz);
	bigger = realloc(info, argsz);
	if (!bigger)
		goto err;
	info = bigger;
	memset(info, 0, argsz);
	info->argsz = argsz;
	if (ioctl(e->container, VFIO_IOMMU_GET_INFO, info))
		goto err;
	return info;

err:
	bad("VFIO_IOMMU_GET_INFO: %s", strerror(errno));
	free(info);
	return NULL;
}

/* The IOVA ranges: the aperture, less the MSI window, nothing else. */
static int check_ranges(const struct vfio_iommu_type1_info_cap_iova_range *cap)
{
	unsigned long long next = 0, start, end;
	bool msi = false;
	int ret = 0;
	uint32_t i;

	diag("%u IOVA ranges:", cap->nr_iovas);
	for (i = 0; i < cap->nr_iovas; i++) {
		start = cap->iova_ranges[i].start;
		end = cap->iova_ranges[i].end;
		diag("  0x%012llx-0x%012llx", start, end);
		if (start < next || end < start) {
			ret = bad("range %u is out of order", i);
		} else if (start > next) {
			if (next == MSI_START && start == MSI_END + 1)
				msi = true;
			else
				ret = bad("IOVAs %#llx-%#llx are left out, not only the MSI window",
					  next, start - 1);
		}
		next = end + 1;
	}
	if (next != APERTURE_END + 1)
		ret = bad("the ranges end at %#llx, not at the 39-bit aperture's end %#llx",
			  next - 1, APERTURE_END);
	if (!msi)
		ret = bad("the MSI window %#llx-%#llx is not left out",
			  MSI_START, MSI_END);
	return ret;
}

static int case_info(struct edu *e)
{
	const struct vfio_info_cap_header *hdr;
	struct vfio_iommu_type1_info *info;
	const struct vfio_iommu_type1_info_cap_iova_range *ranges = NULL;
	uint32_t off, n;
	int ret = 0;

	info = get_info(e);
	if (!info)
		return -1;
	diag("iova_pgsizes %#llx, flags %#x", (unsigned long long)info->iova_pgsizes,
	     info->flags);
	if (!(info->flags & VFIO_IOMMU_INFO_PGSIZES) ||
	    (info->iova_pgsizes & (PAGE | SZ_2M | SZ_1G)) != (PAGE | SZ_2M | SZ_1G))
		ret = bad("iova_pgsizes lacks 4K, 2M or 1G, which iox's VT-d unit maps");
	if (!(info->flags & VFIO_IOMMU_INFO_CAPS) || !info->cap_offset) {
		bad("no capability chain (flags %#x)", info->flags);
		free(info);
		return -1;
	}
	for (off = info->cap_offset, n = 0; off && n < 16; off = hdr->next, n++) {
		if (off + sizeof(*hdr) > info->argsz)
			break;
		hdr = (const void *)((const char *)info + off);
		diag("capability %u version %u at %u", hdr->id, hdr->version, off);
		if (hdr->id == VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE)
			ranges = (const void *)hdr;
	}
	if (!ranges)
		ret = bad("no VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE capability");
	else if (check_ranges(ranges))
		ret = -1;
	free(info);
	return ret;
}

/* --- vfio_map_dma -------------------------------------------------------- */

/* A leaf of edu's domain must map @iova, 4K, read/write. */
static int mapped_in_table(struct edu *e, uint64_t iova)
{
	struct leaf leaf;
	int ret = leaf_of(e, iova, &leaf, NULL);

	if (ret < 0)
		return -1;
	if (!ret)
		return bad("IOVA %#llx is not in edu's iox domain",
			   (unsigned long long)iova);
	diag("  %s", leaf.line);
	if (leaf.first != iova || leaf.last != iova + PAGE - 1 ||
	    !strstr(leaf.line, " 4K RW "))
		return bad("IOVA %#llx: not one 4K read/write leaf",
			   (unsigned long long)iova);
	return 0;
}

static int case_map_dma(struct edu *e)
{
	uint8_t *a, *b, *c;
	int ret = 0;

	e->buf = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (e->buf == MAP_FAILED) {
		e->buf = NULL;
		return bad("mmap: %s", strerror(errno));
	}
	a = e->buf;
	b = a + PAGE;
	c = b + PAGE;
	fill(a, PAGE, 1);
	memset(b, 0x5a, PAGE);
	memset(c, 0x5a, PAGE);
	if (must_map(e, a, IOVA_A, PAGE) || must_map(e, b, IOVA_B, PAGE) ||
	    must_map(e, c, IOVA_TOP, PAGE))
		return -1;
	diag("mapped A at %#llx, B at %#llx, C at %#llx (the aperture's last page):",
	     IOVA_A, IOVA_B, IOVA_TOP);
	if (mapped_in_table(e, IOVA_A) || mapped_in_table(e, IOVA_B) ||
	    mapped_in_table(e, IOVA_TOP))
		ret = -1;
	if (edu_from(e, IOVA_A, EDU_MAX) || edu_to(e, IOVA_B, EDU_MAX) ||
	    edu_to(e, IOVA_TOP, EDU_MAX))
		return -1;
	if (same("B", b, a, EDU_MAX) || all("B's last byte", b + EDU_MAX, 0x5a, 1) ||
	    same("C", c, a, EDU_MAX) || all("C's last byte", c + EDU_MAX, 0x5a, 1))
		return -1;
	if (!ret)
		diag("edu copied %d bytes from A to B and C: verified", EDU_MAX);
	return ret;
}

/* --- vfio_coherency ------------------------------------------------------ */

/* The unit's snoop control, from iox_intel's debugfs caps: 1, 0, or -1. */
static int unit_snoops(void)
{
	char line[128];
	int sc = -1;
	glob_t g;
	FILE *f;

	if (glob(DEBUGFS "/*/caps", 0, NULL, &g))
		return -1;
	f = g.gl_pathc ? fopen(g.gl_pathv[0], "r") : NULL;
	globfree(&g);
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "snoop-control: ", 15))
			sc = !strncmp(line + 15, "yes", 3);
	fclose(f);
	return sc;
}

/*
 * KVM's question (VFIO_DMA_CC_IOMMU): type1 answers it from the domain's
 * enforce_cache_coherency, which iox grants where the unit has snoop
 * control (QEMU's snoop-control=on); then every leaf vfio mapped carries
 * the second-level SNP bit (VT-d spec 9.8, bit 11), else none does.
 */
static int case_coherency(struct edu *e)
{
	unsigned long long pte;
	unsigned int leaves = 0, snooped = 0;
	char line[256];
	int sc, cc;
	FILE *f;

	sc = unit_snoops();
	if (sc < 0)
		return bad("no snoop-control line in %s/*/caps", DEBUGFS);
	cc = ioctl(e->container, VFIO_CHECK_EXTENSION, VFIO_DMA_CC_IOMMU);
	diag("unit snoop control: %s; VFIO_DMA_CC_IOMMU: %d", sc ? "yes" : "no",
	     cc);
	if (cc != sc)
		return bad("VFIO_DMA_CC_IOMMU is %d, want %d", cc, sc);
	f = pagetable_open(e);
	if (!f)
		return bad("no page-table dump of %s's iox domain", e->bdf);
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || !strstr(line, " pte "))
			continue;
		leaves++;
		if (sscanf(strstr(line, " pte ") + 5, "%llx", &pte) == 1 &&
		    (pte & (1ULL << 11)))
			snooped++;
	}
	fclose(f);
	diag("%u of %u leaves have SNP", snooped, leaves);
	if (!leaves || snooped != (sc ? leaves : 0))
		return bad("want SNP on %s leaf", sc ? "every" : "no");
	return 0;
}

/* --- vfio_unmap_faults --------------------------------------------------- */

static int case_unmap_faults(struct edu *e)
{
	uint8_t *b;

	if (!e->buf)
		return bad("vfio_map_dma mapped nothing");
	b = e->buf + PAGE;
	memset(b, 0xa5, PAGE);
	if (must_unmap(e, IOVA_B, PAGE) || unmapped_in_table(e, IOVA_B))
		return -1;
	kmsg_skip(e);
	if (edu_to(e, IOVA_B, EDU_MAX))
		return -1;
	if (all("B after its unmap", b, 0xa5, PAGE))
		return bad("edu's write reached B through an unmapped IOVA");
	diag("B unmapped: edu's write did not reach it");
	return one_fault(e, IOVA_B);
}

/* --- vfio_unmap_all ------------------------------------------------------ */

static int case_unmap_all(struct edu *e)
{
	uint64_t done, want = 5 * PAGE;
	unsigned int i, leaves;
	struct leaf leaf;
	uint8_t *p;
	int ret;

	p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return bad("mmap: %s", strerror(errno));
	memset(p, 0x3c, 3 * PAGE);
	for (i = 0; i < 3; i++)
		if (must_map(e, p + i * PAGE, IOVA_ALL + i * 16 * SZ_1M, PAGE))
			goto err;
	/* With A and C of vfio_map_dma: five pages. */
	ret = unmap_dma(e->container, 0, 0, VFIO_DMA_UNMAP_FLAG_ALL, &done);
	if (ret) {
		bad("UNMAP_DMA(VFIO_DMA_UNMAP_FLAG_ALL): %s", strerror(-ret));
		goto err;
	}
	diag("UNMAP_DMA(ALL) unmapped %#llx bytes", (unsigned long long)done);
	if (done != want) {
		bad("want %#llx: A, C and the three new pages",
		    (unsigned long long)want);
		goto err;
	}
	if (leaf_of(e, 0, &leaf, &leaves) < 0)
		goto err;
	if (leaves) {
		bad("edu's iox domain still has %u leaves", leaves);
		goto err;
	}
	kmsg_skip(e);
	if (edu_to(e, IOVA_ALL + 16 * SZ_1M, EDU_MAX))
		goto err;
	if (all("the second page after UNMAP_DMA(ALL)", p + PAGE, 0x3c, PAGE))
		goto err;
	munmap(p, 3 * PAGE);
	return one_fault(e, IOVA_ALL + 16 * SZ_1M);

err:
	munmap(p, 3 * PAGE);
	return -1;
}

/* --- vfio_hugepage ------------------------------------------------------- */

/* The physical address of the page at @va, from /proc/self/pagemap. */
static unsigned long long phys_of(const void *va)
{
	uint64_t ent = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &ent, 8, (uintptr_t)va / PAGE * 8) != 8)
		ent = 0;
	close(fd);
	if (!(ent >> 63))
		return 0;
	return (ent & ((1ULL << 55) - 1)) * PAGE;
}

static int hugepage_dma(struct edu *e, uint8_t *h)
{
	const size_t x = 0xff800, y = 0x1fe800;	/* X crosses a 4K page */
	struct leaf leaf;
	unsigned long long phys;
	int ret;

	ret = leaf_of(e, IOVA_HUGE + x, &leaf, NULL);
	if (ret <= 0)
		return ret ? -1 : bad("IOVA %#llx is not in edu's iox domain",
				      IOVA_HUGE + x);
	diag("  %s", leaf.line);
	if (leaf.first != IOVA_HUGE || leaf.last != IOVA_HUGE + SZ_2M - 1 ||
	    !strstr(leaf.line, " 2M RW "))
		return bad("the 2 MiB mapping is not one 2M read/write leaf");
	phys = phys_of(h);
	if (leaf.phys != phys)
		return bad("the leaf maps phys %#llx, the buffer is at %#llx",
			   leaf.phys, phys);
	fill(h + x, EDU_MAX, 7);
	if (edu_from(e, IOVA_HUGE + x, EDU_MAX) ||
	    edu_to(e, IOVA_HUGE + y, EDU_MAX))
		return -1;
	if (same("the 2 MiB page", h + y, h + x, EDU_MAX) ||
	    all("the byte before", h + y - 1, 0, 1) ||
	    all("the byte after", h + y + EDU_MAX, 0, 1))
		return -1;
	diag("edu copied %d bytes from offset %#zx to %#zx of the 2 MiB page: verified",
	     EDU_MAX, x, y);
	return 0;
}

static int case_hugepage(struct edu *e)
{
	uint8_t *h;
	int ret;

	h = mmap(NULL, SZ_2M, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | (21 << MAP_HUGE_SHIFT),
		 -1, 0);
	if (h == MAP_FAILED)
		return bad("mmap of a 2 MiB MAP_HUGETLB page: %s (vm.nr_hugepages?)",
			   strerror(errno));
	memset(h, 0, SZ_2M);
	ret = must_map(e, h, IOVA_HUGE, SZ_2M);
	if (!ret) {
		diag("2 MiB hugetlb page mapped at %#llx:", IOVA_HUGE);
		ret = hugepage_dma(e, h);
		if (must_unmap(e, IOVA_HUGE, SZ_2M) ||
		    unmapped_in_table(e, IOVA_HUGE))
			ret = -1;
	}
	munmap(h, SZ_2M);
	return ret;
}

/* --- vfio_guest_layout --------------------------------------------------- */

/*
 * Guest RAM as QEMU maps it for an assigned device: IOVA = guest-physical
 * address, one MAP_DMA per RAM block backed by 2 MiB huge pages - a low
 * block at 0, nothing in the PCI hole below 4 GiB, a high block at 4 GiB.
 * (There is no KVM in the TCG guest; this is the mapping KVM's VMM makes.)
 */
#define GPA_HIGH	0x100000000ULL
#define GPA_HOLE	0xc0000000ULL
#define GUEST_BLOCK	(2 * SZ_2M)

/* Each 2M of a block is one 2M leaf of the page behind it. */
static int guest_leaves(struct edu *e, uint64_t gpa, const uint8_t *host)
{
	struct leaf leaf;
	uint64_t off;
	int ret;

	for (off = 0; off < GUEST_BLOCK; off += SZ_2M) {
		ret = leaf_of(e, gpa + off, &leaf, NULL);
		if (ret <= 0)
			return ret ? -1 : bad("GPA %#llx is not mapped",
					      (unsigned long long)(gpa + off));
		diag("  %s", leaf.line);
		if (leaf.first != gpa + off || !strstr(leaf.line, " 2M RW ") ||
		    leaf.phys != phys_of(host + off))
			return bad("GPA %#llx: not one 2M leaf of its huge page",
				   (unsigned long long)(gpa + off));
	}
	return 0;
}

static int guest_dma(struct edu *e, uint8_t *low, uint8_t *high)
{
	/* Both copies straddle the boundary between two huge pages. */
	const size_t from = SZ_2M - 0x800, to = SZ_2M - 0x400;

	fill(low + from, EDU_MAX, 11);
	memset(high, 0, GUEST_BLOCK);
	if (edu_from(e, from, EDU_MAX) || edu_to(e, GPA_HIGH + to, EDU_MAX))
		return -1;
	if (same("high RAM", high + to, low + from, EDU_MAX) ||
	    all("high RAM before the copy", high, 0, to) ||
	    all("high RAM after the copy", high + to + EDU_MAX, 0,
		GUEST_BLOCK - to - EDU_MAX))
		return -1;
	diag("edu copied GPA %#zx to GPA %#llx, across huge pages: verified",
	     from, GPA_HIGH + to);
	/* The PCI hole and the end of low RAM translate nothing. */
	kmsg_skip(e);
	if (edu_to(e, GPA_HOLE, 64) || one_fault(e, GPA_HOLE))
		return -1;
	kmsg_skip(e);
	if (edu_to(e, GUEST_BLOCK, 64) || one_fault(e, GUEST_BLOCK))
		return -1;
	return 0;
}

static int case_guest_layout(struct edu *e)
{
	const int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB |
			  (21 << MAP_HUGE_SHIFT);
	uint8_t *low, *high;
	int ret = -1;

	low = mmap(NULL, GUEST_BLOCK, PROT_READ | PROT_WRITE, flags, -1, 0);
	high = mmap(NULL, GUEST_BLOCK, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (low == MAP_FAILED || high == MAP_FAILED) {
		bad("mmap of 2 x 4 MiB of MAP_HUGETLB: %s (vm.nr_hugepages?)",
		    strerror(errno));
		goto out;
	}
	memset(low, 0, GUEST_BLOCK);
	if (must_map(e, low, 0, GUEST_BLOCK))
		goto out;
	if (must_map(e, high, GPA_HIGH, GUEST_BLOCK))
		goto out_low;
	diag("guest RAM: GPA 0-%#lx and %#llx-%#llx, 2 MiB huge pages:",
	     GUEST_BLOCK - 1, GPA_HIGH, GPA_HIGH + GUEST_BLOCK - 1);
	ret = guest_leaves(e, 0, low) || guest_leaves(e, GPA_HIGH, high) ||
	      guest_dma(e, low, high) ? -1 : 0;
	if (must_unmap(e, GPA_HIGH, GUEST_BLOCK))
		ret = -1;
out_low:
	if (must_unmap(e, 0, GUEST_BLOCK))
		ret = -1;
out:
	if (low != MAP_FAILED)
		munmap(low, GUEST_BLOCK);
	if (high != MAP_FAILED)
		munmap(high, GUEST_BLOCK);
	return ret;
}

/* --- vfio_bad_args ------------------------------------------------------- */

struct bad_map {
	const char *what;
	uint32_t flags;
	uint64_t iova, size, va_off;
	int err;
};

struct bad_unmap {
	const char *what;
	uint32_t flags;
	uint64_t iova, size;
	int err;
};

#define RW	(VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)

/* IOVA_BAD maps two pages; the errnos are 6.1's vfio_iommu_type1.c. */
static const struct bad_map bad_maps[] = {
	{ "overlapping its second page", RW, IOVA_BAD + PAGE, PAGE, 0, EEXIST },
	{ "overlapping its first page", RW, IOVA_BAD - PAGE, 2 * PAGE, 0, EEXIST },
	{ "unaligned iova", RW, IOVA_BAD + 16 * PAGE + 0x800, PAGE, 0, EINVAL },
	{ "unaligned size", RW, IOVA_BAD + 16 * PAGE, 0x800, 0, EINVAL },
	{ "unaligned vaddr", RW, IOVA_BAD + 16 * PAGE, PAGE, 0x800, EINVAL },
	{ "size 0", RW, IOVA_BAD + 16 * PAGE, 0, 0, EINVAL },
	{ "iova + size wrapping", RW, ~0ULL - PAGE + 1, 2 * PAGE, 0, EINVAL },
	{ "an unknown flag", RW | 0x100, IOVA_BAD + 16 * PAGE, PAGE, 0, EINVAL },
	{ "neither read nor write", 0, IOVA_BAD + 16 * PAGE, PAGE, 0, EINVAL },
	{ "beyond the aperture", RW, APERTURE_END + 1, PAGE, 0, EINVAL },
	{ "in the MSI window", RW, MSI_START, PAGE, 0, EINVAL },
};

static const struct bad_unmap bad_unmaps[] = {
	{ "cutting off its first page", 0, IOVA_BAD, PAGE, EINVAL },
	{ "cutting off its second page", 0, IOVA_BAD + PAGE, PAGE, EINVAL },
	{ "unaligned iova", 0, IOVA_BAD + 0x800, 2 * PAGE, EINVAL },
	{ "unaligned size", 0, IOVA_BAD, PAGE + 0x800, EINVAL },
	{ "an unknown flag", 0x100, IOVA_BAD, 2 * PAGE, EINVAL },
	{ "ALL with an iova", VFIO_DMA_UNMAP_FLAG_ALL, IOVA_BAD, 0, EINVAL },
	{ "a hole", 0, IOVA_HOLE, PAGE, 0 },
};

static int try_bad_maps(struct edu *e, const uint8_t *spare)
{
	const struct bad_map *m;
	int ret = 0, got;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad_maps); i++) {
		m = &bad_maps[i];
		got = map_dma_flags(e->container, spare + m->va_off, m->iova,
				    m->size, m->flags);
		if (got != -m->err)
			ret = bad("MAP_DMA %s (%#llx+%#llx): %s, want %s", m->what,
				  (unsigned long long)m->iova,
				  (unsigned long long)m->size,
				  got ? strerror(-got) : "success",
				  strerror(m->err));
	}
	diag("%zu bad MAP_DMAs refused with the errnos of type1",
	     ARRAY_SIZE(bad_maps));
	return ret;
}

static int try_bad_unmaps(struct edu *e)
{
	const struct bad_unmap *u;
	uint64_t done;
	int ret = 0, got;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad_unmaps); i++) {
		u = &bad_unmaps[i];
		got = unmap_dma(e->container, u->iova, u->size, u->flags, &done);
		if (got != -u->err)
			ret = bad("UNMAP_DMA %s (%#llx+%#llx): %s, want %s",
				  u->what, (unsigned long long)u->iova,
				  (unsigned long long)u->size,
				  got ? strerror(-got) : "success",
				  u->err ? strerror(u->err) : "success");
		else if (!got && done)
			ret = bad("UNMAP_DMA %s unmapped %#llx bytes, want 0",
				  u->what, (unsigned long long)done);
	}
	diag("%zu bad UNMAP_DMAs refused, the hole's answered with 0 bytes",
	     ARRAY_SIZE(bad_unmaps));
	return ret;
}

static int case_bad_args(struct edu *e)
{
	unsigned int leaves;
	struct leaf leaf;
	uint8_t *p;
	int ret = 0;

	/* Two pages mapped at IOVA_BAD, two spare ones. */
	p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return bad("mmap: %s", strerror(errno));
	memset(p, 0, 4 * PAGE);
	if (must_map(e, p, IOVA_BAD, 2 * PAGE)) {
		munmap(p, 4 * PAGE);
		return -1;
	}
	if (try_bad_maps(e, p + 2 * PAGE) || try_bad_unmaps(e))
		ret = -1;
	/* Nothing was mapped or unmapped: the two pages are all there is. */
	if (leaf_of(e, 0, &leaf, &leaves) < 0)
		ret = -1;
	else if (leaves != 2)
		ret = bad("edu's iox domain has %u leaves, want the 2 of %#llx",
			  leaves, IOVA_BAD);
	fill(p, PAGE, 3);
	if (edu_from(e, IOVA_BAD, EDU_MAX) ||
	    edu_to(e, IOVA_BAD + PAGE, EDU_MAX) ||
	    same("the mapping's second page", p + PAGE, p, EDU_MAX))
		ret = -1;
	else
		diag("the mapping still translates: edu copied its first page to its second");
	if (must_unmap(e, IOVA_BAD, 2 * PAGE))
		ret = -1;
	munmap(p, 4 * PAGE);
	return ret;
}

/* --- vfio_memlock -------------------------------------------------------- */

/* VmLck of /proc/self/status, in kB, or -1. */
static long vmlck(void)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmLck: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static int drop_ipc_lock(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];
	uint32_t bit = 1U << CAP_IPC_LOCK;

	if (syscall(SYS_capget, &hdr, data))
		return bad("capget: %s", strerror(errno));
	data[0].effective &= ~bit;
	data[0].permitted &= ~bit;
	data[0].inheritable &= ~bit;
	if (syscall(SYS_capset, &hdr, data))
		return bad("capset: %s", strerror(errno));
	if (syscall(SYS_capget, &hdr, data) || (data[0].effective & bit))
		return bad("CAP_IPC_LOCK is still effective");
	return 0;
}

/* The forked child: its own container, no CAP_IPC_LOCK, 64 KiB locked. */
static int memlock_child(struct edu *e)
{
	const struct rlimit lim = { 64 << 10, 64 << 10 };
	long base = vmlck(), now;
	int container, group, ret;
	uint8_t *p;

	container = open_container();
	if (container < 0)
		return -1;
	group = open_group(e, e->group_path, container);
	if (group < 0 || drop_ipc_lock())
		return -1;
	if (setrlimit(RLIMIT_MEMLOCK, &lim))
		return bad("setrlimit(RLIMIT_MEMLOCK): %s", strerror(errno));
	p = mmap(NULL, SZ_1M, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return bad("mmap: %s", strerror(errno));
	memset(p, 1, SZ_1M);
	ret = map_dma(container, p, IOVA_LOCK, SZ_1M);
	if (ret != -ENOMEM)
		return bad("MAP_DMA of 1 MiB over a 64 KiB RLIMIT_MEMLOCK: %s, want %s",
			   ret ? strerror(-ret) : "success", strerror(ENOMEM));
	now = vmlck();
	if (now != base)
		return bad("VmLck %ld kB after the refused MAP_DMA, %ld kB before",
			   now, base);
	ret = map_dma(container, p, IOVA_LOCK, PAGE);
	if (ret)
		return bad("MAP_DMA of 4 KiB at the same IOVA: %s: the refused one left something",
			   strerror(-ret));
	now = vmlck();
	diag("1 MiB refused (ENOMEM), VmLck %ld kB; 4 KiB mapped at the same IOVA, VmLck %ld kB",
	     base, now);
	if (now != base + 4)
		return bad("want VmLck %ld kB with one page pinned", base + 4);
	close(group);
	close(container);
	now = vmlck();
	diag("group and container closed: VmLck %ld kB", now);
	if (now != base)
		return bad("VmLck %ld kB, want %ld kB as before", now, base);
	return 0;
}

/*
 * In a child, which can drop its capability and use the group on its
 * own: the parent closes everything first.
 */
static int case_memlock(struct edu *e)
{
	char type[32];
	int status;
	pid_t pid;

	if (e->bar)
		munmap(e->bar, e->bar_size);
	e->bar = NULL;
	close(e->device);
	close(e->group);
	close(e->container);
	e->ready = false;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return bad("fork: %s", strerror(errno));
	if (!pid) {
		status = memlock_child(e) ? 1 : 0;
		fflush(stdout);
		_exit(status);
	}
	if (waitpid(pid, &status, 0) != pid)
		return bad("waitpid: %s", strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return bad("the child failed (status %#x)", status);
	/* No owner left: the kernel gave edu its default domain back. */
	if (domain_type(e, type))
		return -1;
	if (strncmp(type, "dma", 3))
		return bad("edu is in an iox %s domain, not its default DMA one",
			   type);
	return 0;
}

/* --- main ---------------------------------------------------------------- */

struct vfio_case {
	const char *name;
	int (*run)(struct edu *e);
	bool needs_setup;
};

static const struct vfio_case cases[] = {
	{ "vfio_setup", case_setup, false },
	{ "vfio_info", case_info, true },
	{ "vfio_map_dma", case_map_dma, true },
	{ "vfio_coherency", case_coherency, true },
	{ "vfio_unmap_faults", case_unmap_faults, true },
	{ "vfio_unmap_all", case_unmap_all, true },
	{ "vfio_hugepage", case_hugepage, true },
	{ "vfio_guest_layout", case_guest_layout, true },
	{ "vfio_bad_args", case_bad_args, true },
	{ "vfio_memlock", case_memlock, true },	/* closes everything */
};

int main(int argc, char **argv)
{
	struct edu e = { .container = -1, .group = -1, .device = -1 };
	unsigned int i, n = ARRAY_SIZE(cases);
	int ret;

	if (argc != 2) {
		fprintf(stderr, "usage: %s BDF\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	e.bdf = argv[1];
	e.kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	printf("KTAP version 1\n1..%u\n", n);
	for (i = 0; i < n; i++) {
		if (cases[i].needs_setup && !e.ready)
			ret = bad("needs vfio_setup");
		else
			ret = cases[i].run(&e);
		printf("%s %u %s\n", ret ? "not ok" : "ok", i + 1,
		       cases[i].name);
	}
	return 0;
}
