// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite iox_intel_edu: iox-intel proven by device DMA. QEMU's edu
 * device (1234:11e8) copies between its 4 KiB buffer and memory with its
 * DMA engine; behind QEMU's intel-iommu every such copy is translated by
 * an iox domain, so each case checks what a DMA did byte by byte in the
 * pages behind the IOVAs, never iox's own tables.
 *
 * Without an edu device translated by an iox unit every case skips. The
 * last case unloads and reloads iox_intel from /modules, where the iox
 * test VM keeps its modules.
 */
#include <kunit/test.h>
#include <linux/acpi.h>
#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/iox.h>
#include <linux/kmod.h>
#include <linux/module.h>
#include <linux/namei.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include "intel-test.h"
#include "../tests/edu-case.h"

/* The story's IOVAs; edu_high_iovas DMAs high in the aperture. */
#define IOVA_A			0x100000UL
#define IOVA_B			0x200000UL
#define IOVA_C			0x300000UL
#define IOVA_2M			0x400000UL

#define IOX_INTEL_KO		"/modules/iox_intel.ko"

/* iox_intel's debugfs files; the iox test VM mounts debugfs. */
#define EDU_DEBUGFS		"/sys/kernel/debug/iox-intel"
#define EDU_MAX_LEAVES		8

/* VT-d registers the suite reads itself (VT-d spec 10.4). */
#define VTD_ECAP		0x10
#define ECAP_PT			BIT_ULL(6)
#define ECAP_SC			BIT_ULL(7)
/* VT-d spec 9.8: a second-level leaf's snoop bit. */
#define SL_SNP			BIT_ULL(11)
#define ECAP_SMTS		BIT_ULL(43)
#define ECAP_SLTS		BIT_ULL(46)
#define ECAP_FLTS		BIT_ULL(47)
/*
 * VT-d spec appendix A: the fault reasons QEMU gives for a refused read
 * and write, and in first-level walks for a not-present entry and a
 * write to a read-only leaf.
 */
#define FR_WRITE		0x5
#define FR_READ			0x6
#define FR_FL_NP		0x71
#define FR_SM_WRITE		0x85
#define VTD_GSTS		0x1c
#define GSTS_TES		BIT(31)
#define GSTS_QIES		BIT(26)
#define VTD_RTADDR		0x20
#define RTADDR_TTM		GENMASK_ULL(11, 10)
#define VTD_FECTL		0x38
#define FECTL_IM		BIT(31)

static struct iox_edu edu;

/**
 * struct edu_case - what one case set up, undone by its exit
 * @c: what every driver's edu case sets up (tests/edu-case.h)
 * @handled: a domain whose fault handler the case set, or NULL
 * @block: an order-3 (32 KiB) block, or NULL
 * @hot: edu_hotplug: the edu that came back behind its port, NULL else
 * @hot_bar: @hot's BAR 0
 * @saved_pdev: the suite's edu while @hot stands in for it
 * @saved_bar: its BAR 0
 */
struct edu_case {
	struct iox_edu_case c;
	struct iox_domain *handled;
	struct page *block;
	struct pci_dev *hot;
	void __iomem *hot_bar;
	struct pci_dev *saved_pdev;
	void __iomem *saved_bar;
};

/* Wait for fault number @n (from 0) and return a copy of it. */
static struct iox_fault edu_wait_fault(struct kunit *test, unsigned int n)
{
	struct edu_case *ec = test->priv;
	struct iox_fault fault;

	wait_event_timeout(ec->c.wq, iox_edu_faults(&ec->c) > n,
			   IOX_EDU_FAULT_WAIT);
	KUNIT_ASSERT_TRUE_MSG(test, iox_edu_faults(&ec->c) > n,
			      "fault %u was not reported", n);
	KUNIT_ASSERT_LT(test, n, IOX_EDU_CASE_FAULTS);
	spin_lock_irq(&ec->c.lock);
	fault = ec->c.faults[n];
	spin_unlock_irq(&ec->c.lock);
	KUNIT_EXPECT_PTR_EQ(test, ec->c.fault_dev, &edu.pdev->dev);
	return fault;
}

static int edu_case_init(struct kunit *test)
{
	return iox_edu_case_init(test, &edu, sizeof(struct edu_case));
}

static void edu_case_exit(struct kunit *test)
{
	struct edu_case *ec = test->priv;

	if (!ec)
		return;
	if (ec->handled)
		iox_set_fault_handler(ec->handled, NULL, NULL);
	/* Detached (from the stand-in edu, if any), the pages freed. */
	iox_edu_case_exit(test);
	if (ec->block)
		__free_pages(ec->block, 3);
	if (ec->saved_pdev) {
		edu.pdev = ec->saved_pdev;
		edu.bar = ec->saved_bar;
	}
	if (ec->hot) {
		if (ec->hot_bar) {
			pci_clear_master(ec->hot);
			pci_iounmap(ec->hot, ec->hot_bar);
			pci_disable_device(ec->hot);
		}
		pci_dev_put(ec->hot);
	}
}

/* Levels QEMU's intel-iommu offers: aw-bits=48 adds 4-level to 3-level. */
static unsigned int edu_expected_levels(void)
{
	struct acpi_table_header *table;
	unsigned int haw;

	if (ACPI_FAILURE(acpi_get_table(ACPI_SIG_DMAR, 0, &table)))
		return 0;
	haw = ((struct acpi_table_dmar *)table)->width + 1;
	acpi_put_table(table);
	return haw >= 48 ? 4 : 3;
}

static unsigned int edu_aperture_bits(struct iox_domain *dom)
{
	return fls64((u64)dom->aperture_end);
}

/* The probe put edu in its own group, in the blocked domain. */
static void edu_probed(struct kunit *test)
{
	struct iox_resv_region *region;
	struct iox_domain *dom;
	bool msi = false;
	LIST_HEAD(regions);

	KUNIT_ASSERT_NOT_NULL(test, iox_device_group(&edu.pdev->dev));
	dom = iox_get_domain_for_dev(&edu.pdev->dev);
	KUNIT_ASSERT_NOT_NULL(test, dom);
	KUNIT_EXPECT_EQ(test, dom->type, IOX_DOMAIN_BLOCKED);
	KUNIT_EXPECT_TRUE(test, iox_capable(&edu.pdev->dev,
					    IOX_CAP_DEFERRED_FLUSH));
	KUNIT_EXPECT_FALSE(test, iox_capable(&edu.pdev->dev, IOX_CAP_PASID));
	KUNIT_ASSERT_EQ(test, iox_get_resv_regions(&edu.pdev->dev, &regions),
			0);
	list_for_each_entry(region, &regions, list)
		if (region->type == IOX_RESV_MSI &&
		    region->start == 0xfee00000 && region->length == SZ_1M)
			msi = true;
	iox_put_resv_regions(&regions);
	KUNIT_EXPECT_TRUE(test, msi);
	KUNIT_EXPECT_EQ(test, iox_probe_device(&edu.pdev->dev), -EEXIST);
}

/*
 * The unit directory and domain ID debugfs gives edu: its line in a
 * unit's "devices" file reads "bb:dd.f <device> <domain type>[ did N]".
 * Return the domain ID, 0 for a domain without one; *@type gets the type.
 */
static unsigned int edu_debugfs_dev(struct kunit *test, char *unit,
				    size_t unit_len, char *type)
{
	char path[96], *buf, *line, *next;
	unsigned int i, did;
	struct file *f;

	for (i = 0; i < 8; i++) {
		snprintf(unit, unit_len, EDU_DEBUGFS "/iox-dmar%u", i);
		snprintf(path, sizeof(path), "%s/devices", unit);
		f = filp_open(path, O_RDONLY, 0);
		if (IS_ERR(f))
			continue;
		filp_close(f, NULL);
		buf = iox_edu_read_file(test, path);
		for (line = buf; line; line = next) {
			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			if (!strstr(line, pci_name(edu.pdev)))
				continue;
			did = 0;
			KUNIT_ASSERT_GE_MSG(test,
					    sscanf(line, "%*s %*s %15s did %u",
						   type, &did), 1,
					    "devices line '%s'", line);
			return did;
		}
	}
	KUNIT_FAIL(test, "edu is in no %s/iox-dmar*/devices", EDU_DEBUGFS);
	return 0;
}

/**
 * struct edu_leaf - one leaf line of a domain's page-table dump
 * @first: first IOVA
 * @last: last IOVA
 * @phys: physical address
 * @size: bytes
 * @prot: IOX_READ and IOX_WRITE
 * @pte: the raw entry
 * @line: the line as read
 */
struct edu_leaf {
	u64 first, last, phys, size, pte;
	int prot;
	const char *line;
};

/*
 * Parse @buf, a "pagetable" file: '#' lines, then one leaf a line:
 * "first-last -> phys <n><K|M|G> <R|-><W|-> level L pte E". Return the
 * leaves found; every line must parse.
 */
static unsigned int edu_parse_dump(struct kunit *test, char *buf,
				   struct edu_leaf *leaves)
{
	unsigned int n = 0, level;
	char *line, *next, unit, r, w;
	unsigned long long size;
	struct edu_leaf *l;

	for (line = buf; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (line[0] == '#')
			continue;
		KUNIT_ASSERT_LT_MSG(test, n, EDU_MAX_LEAVES, "too many leaves");
		l = &leaves[n++];
		KUNIT_ASSERT_EQ_MSG(test,
				    sscanf(line, "%llx-%llx -> %llx %llu%c %c%c level %u pte %llx",
					   &l->first, &l->last, &l->phys, &size,
					   &unit, &r, &w, &level, &l->pte), 9,
				    "dump line '%s'", line);
		l->size = size << (unit == 'G' ? 30 : unit == 'M' ? 20 : 10);
		l->prot = (r == 'R' ? IOX_READ : 0) | (w == 'W' ? IOX_WRITE : 0);
		l->line = line;
		KUNIT_EXPECT_EQ_MSG(test, l->last - l->first + 1, l->size,
				    "dump line '%s'", line);
		/* The raw entry holds the address (VT-d spec 9.8). */
		KUNIT_EXPECT_EQ_MSG(test, l->pte & GENMASK_ULL(51, 12) & ~(l->size - 1),
				    l->phys, "dump line '%s'", line);
	}
	return n;
}

/* Read edu's domain's dump; the caller checks what it holds. */
static unsigned int edu_read_dump(struct kunit *test, struct edu_leaf *leaves,
				  char **header)
{
	char unit[64], type[16], path[128], *buf;
	unsigned int did;

	did = edu_debugfs_dev(test, unit, sizeof(unit), type);
	KUNIT_ASSERT_NE_MSG(test, did, 0, "edu's domain (%s) has no domain ID",
			    type);
	snprintf(path, sizeof(path), "%s/domain-%u/pagetable", unit, did);
	buf = iox_edu_read_file(test, path);
	if (header)
		*header = buf;
	return edu_parse_dump(test, buf, leaves);
}

/* A leaf the dump must show: what iox_lookup() says, at a whole page. */
static void edu_expect_leaf(struct kunit *test, const struct edu_leaf *l,
			    struct iox_domain *dom, unsigned long iova)
{
	struct iox_leaf leaf;

	KUNIT_ASSERT_EQ(test, iox_lookup(dom, iova, &leaf), 0);
	KUNIT_EXPECT_EQ(test, l->first, (u64)iova);
	KUNIT_EXPECT_EQ(test, l->size, (u64)leaf.pgsize);
	KUNIT_EXPECT_EQ(test, l->phys, (u64)leaf.phys);
	KUNIT_EXPECT_EQ(test, l->prot, leaf.prot & (IOX_READ | IOX_WRITE));
}

/*
 * The domain's table at the story's IOVAs, as the driver's debugfs dumps
 * it (the engine's walk of every leaf), checked against the lookups.
 */
static void edu_story_table(struct kunit *test, struct iox_domain *dom)
{
	struct edu_leaf leaves[EDU_MAX_LEAVES];
	unsigned int i, n;
	char *header;

	n = edu_read_dump(test, leaves, &header);
	kunit_info(test, "story: table:  %s", header + 2);
	for (i = 0; i < n; i++)
		kunit_info(test, "story: table:    %s", leaves[i].line);
	KUNIT_ASSERT_EQ(test, n, 2);
	edu_expect_leaf(test, &leaves[0], dom, IOVA_A);
	edu_expect_leaf(test, &leaves[1], dom, IOVA_B);
}

static bool edu_unit_fl(struct kunit *test);

/*
 * iox's main job, told as it goes (the "story:" lines make `make run`):
 * a buffer mapped, edu reading and writing it through the domain, the
 * unmap, and the fault edu's next DMA raises.
 */
static void edu_map_dma_unmap_fault(struct kunit *test)
{
	struct edu_case *ec = test->priv;
	unsigned int levels, bits, expect = edu_expected_levels();
	bool fl = edu_unit_fl(test);
	struct iox_domain *dom;
	struct iox_fault fault;
	u8 *src, *dst;
	long bad;

	kunit_info(test, "story: device: edu %s (%04x:%04x) probed into iox: its own group, in the blocked domain",
		   pci_name(edu.pdev), EDU_VENDOR, EDU_DEVICE);
	dom = iox_edu_attach(test, IOX_DOMAIN_PAGING);
	bits = edu_aperture_bits(dom);
	levels = (bits - 12 + 8) / 9;
	kunit_info(test, "story: domain: paging, VT-d %s-level table, %u levels, %u-bit IOVA, pages 4K%s%s; edu attached",
		   fl ? "first" : "second", levels, bits,
		   dom->pgsize_bitmap & SZ_2M ? " 2M" : "",
		   dom->pgsize_bitmap & SZ_1G ? " 1G" : "");
	KUNIT_EXPECT_EQ(test, levels, expect);

	src = iox_edu_page_gfp(test, 0, 0);
	dst = iox_edu_page_gfp(test, 1, 0);
	iox_edu_pattern(src, PAGE_SIZE, 0x31);
	memset(dst, 0xaa, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_A, iox_edu_phys(test, 0), SZ_4K,
				      IOX_READ, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_B, iox_edu_phys(test, 1), SZ_4K,
				      IOX_READ | IOX_WRITE, GFP_KERNEL), 0);
	kunit_info(test, "story: map:    IOVA %#lx -> phys %#llx, 4 KiB, read-only (edu's source)",
		   IOVA_A, (u64)iox_edu_phys(test, 0));
	kunit_info(test, "story: map:    IOVA %#lx -> phys %#llx, 4 KiB, read/write (edu's destination)",
		   IOVA_B, (u64)iox_edu_phys(test, 1));
	KUNIT_EXPECT_EQ(test, iox_iova_to_phys(dom, IOVA_A + 0x123),
			iox_edu_phys(test, 0) + 0x123);
	edu_story_table(test, dom);

	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, IOVA_A, 0, EDU_MAX), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, IOVA_B, 0, EDU_MAX), 0);
	bad = iox_edu_mismatch(dst, EDU_MAX, 0x31);
	KUNIT_EXPECT_EQ_MSG(test, bad, -1L, "byte %ld differs", bad);
	KUNIT_EXPECT_EQ(test, dst[EDU_MAX], 0xaa);
	KUNIT_EXPECT_EQ(test, iox_edu_faults(&ec->c), 0);
	kunit_info(test, "story: DMA:    edu read %u bytes at IOVA %#lx into its buffer and wrote them to IOVA %#lx: all %u bytes verified in the page at phys %#llx",
		   EDU_MAX, IOVA_A, IOVA_B, EDU_MAX, (u64)iox_edu_phys(test, 1));

	KUNIT_ASSERT_EQ(test, iox_unmap(dom, IOVA_B, SZ_4K), (ssize_t)SZ_4K);
	KUNIT_EXPECT_EQ(test, iox_iova_to_phys(dom, IOVA_B), 0);
	kunit_info(test, "story: unmap:  IOVA %#lx, 4 KiB (IOTLB invalidated)",
		   IOVA_B);
	memset(dst, 0x55, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, IOVA_B, 0, EDU_MAX), 0);
	fault = edu_wait_fault(test, 0);
	KUNIT_EXPECT_EQ(test, fault.iova, (u64)IOVA_B);
	KUNIT_EXPECT_EQ(test, fault.reason, IOX_FAULT_NOT_PRESENT);
	KUNIT_EXPECT_EQ(test, fault.hw_reason, fl ? FR_FL_NP : FR_WRITE);
	KUNIT_EXPECT_EQ(test, fault.flags & (IOX_FAULT_READ | IOX_FAULT_WRITE),
			(u32)IOX_FAULT_WRITE);
	KUNIT_EXPECT_TRUE(test, iox_edu_all(dst, PAGE_SIZE, 0x55));
	kunit_info(test, "story: fault:  edu's next DMA, a %s at IOVA %#llx, faulted: %s (VT-d fault reason %u), reported to the domain's handler; the page kept its bytes",
		   fault.flags & IOX_FAULT_WRITE ? "write" : "read", fault.iova,
		   iox_fault_reason_name(fault.reason), fault.hw_reason);

	/* A read of an unmapped IOVA faults too and brings no data. */
	KUNIT_ASSERT_EQ(test, iox_unmap(dom, IOVA_A, SZ_4K), (ssize_t)SZ_4K);
	iox_edu_pattern(src, PAGE_SIZE, 0x77);
	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, IOVA_A, 0, EDU_MAX), 0);
	fault = edu_wait_fault(test, 1);
	KUNIT_EXPECT_EQ(test, fault.iova, (u64)IOVA_A);
	KUNIT_EXPECT_EQ(test, fault.reason, IOX_FAULT_NOT_PRESENT);
	KUNIT_EXPECT_EQ(test, fault.hw_reason, fl ? FR_FL_NP : FR_READ);
	KUNIT_EXPECT_EQ(test, fault.flags & (IOX_FAULT_READ | IOX_FAULT_WRITE),
			(u32)IOX_FAULT_READ);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_C, iox_edu_phys(test, 1), SZ_4K,
				      IOX_WRITE, GFP_KERNEL), 0);
	memset(dst, 0x55, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, IOVA_C, 0, EDU_MAX), 0);
	KUNIT_EXPECT_NE(test, iox_edu_mismatch(dst, EDU_MAX, 0x77), -1L);
	KUNIT_EXPECT_EQ(test, iox_edu_faults(&ec->c), 2);
}

/*
 * Translation, invalidation and a fault, on a fresh paging domain: pages
 * 0 (source), 1 and 2 of the case.
 */
static void edu_translate_remap_fault(struct kunit *test)
{
	struct edu_case *ec = test->priv;
	struct iox_domain *dom = iox_edu_attach(test, IOX_DOMAIN_PAGING);
	unsigned int before = iox_edu_faults(&ec->c);
	u8 *src = page_address(ec->c.pages[0]);
	u8 *p1 = page_address(ec->c.pages[1]);
	u8 *p2 = page_address(ec->c.pages[2]);
	struct iox_fault fault;

	memset(p1, 0, PAGE_SIZE);
	memset(p2, 0, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_A, iox_edu_phys(test, 0), SZ_4K,
				      IOX_READ, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_B, iox_edu_phys(test, 1), SZ_4K,
				      IOX_READ | IOX_WRITE, GFP_KERNEL), 0);
	iox_edu_pattern(src, PAGE_SIZE, 0x15);
	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, IOVA_A, 0, EDU_MAX), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, IOVA_B, 0, EDU_MAX), 0);
	KUNIT_EXPECT_EQ(test, iox_edu_mismatch(p1, EDU_MAX, 0x15), -1L);

	KUNIT_ASSERT_EQ(test, iox_unmap(dom, IOVA_B, SZ_4K), (ssize_t)SZ_4K);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_B, iox_edu_phys(test, 2), SZ_4K,
				      IOX_READ | IOX_WRITE, GFP_KERNEL), 0);
	iox_edu_pattern(src, PAGE_SIZE, 0x16);
	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, IOVA_A, 0, EDU_MAX), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, IOVA_B, 0, EDU_MAX), 0);
	KUNIT_EXPECT_EQ(test, iox_edu_mismatch(p2, EDU_MAX, 0x16), -1L);
	KUNIT_EXPECT_EQ(test, iox_edu_mismatch(p1, EDU_MAX, 0x15), -1L);

	KUNIT_ASSERT_EQ(test, iox_unmap(dom, IOVA_B, SZ_4K), (ssize_t)SZ_4K);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, IOVA_B, 0, EDU_MAX), 0);
	fault = edu_wait_fault(test, before);
	KUNIT_EXPECT_EQ(test, fault.iova, (u64)IOVA_B);
	KUNIT_EXPECT_EQ(test, fault.reason, IOX_FAULT_NOT_PRESENT);
	KUNIT_EXPECT_EQ(test, iox_edu_mismatch(p2, EDU_MAX, 0x16), -1L);
}

/* After unmap + remap to another page, DMA lands in the new page only. */
static void edu_remap_new_page(struct kunit *test)
{
	iox_edu_page_gfp(test, 0, 0);
	iox_edu_page_gfp(test, 1, 0);
	iox_edu_page_gfp(test, 2, 0);
	edu_translate_remap_fault(test);
}

/* A read-only mapping: device writes fault and change nothing. */
static void edu_read_only(struct kunit *test)
{
	struct iox_domain *dom = iox_edu_attach(test, IOX_DOMAIN_PAGING);
	u8 *ro = iox_edu_page_gfp(test, 0, 0);
	u8 *rw = iox_edu_page_gfp(test, 1, 0);
	struct iox_fault fault;

	iox_edu_pattern(ro, PAGE_SIZE, 9);
	memset(rw, 0, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_A, iox_edu_phys(test, 0), SZ_4K,
				      IOX_READ, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_B, iox_edu_phys(test, 1), SZ_4K,
				      IOX_READ | IOX_WRITE, GFP_KERNEL), 0);
	/* Fill edu's buffer with something else first. */
	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, IOVA_B, 0, EDU_MAX), 0);
	/* A fresh translation: QEMU records no fault on a hot IOTLB entry. */
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, IOVA_A + 0x10, 0, 0x100), 0);
	fault = edu_wait_fault(test, 0);
	KUNIT_EXPECT_EQ(test, fault.iova, (u64)IOVA_A);
	KUNIT_EXPECT_EQ(test, fault.reason, IOX_FAULT_PERMISSION);
	KUNIT_EXPECT_EQ(test, fault.hw_reason,
			edu_unit_fl(test) ? FR_SM_WRITE : FR_WRITE);
	KUNIT_EXPECT_TRUE(test, fault.flags & IOX_FAULT_WRITE);
	KUNIT_EXPECT_EQ(test, iox_edu_mismatch(ro, PAGE_SIZE, 9), -1L);

	/* Reading it still works. */
	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, IOVA_A, 0, EDU_MAX), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, IOVA_B, 0, EDU_MAX), 0);
	KUNIT_EXPECT_EQ(test, iox_edu_mismatch(rw, EDU_MAX, 9), -1L);
}

/* A 2 MiB page serves DMA at its start, middle and end. */
static void edu_large_page(struct kunit *test)
{
	static const unsigned long offs[] = { 0, 0x89123, SZ_2M - EDU_MAX };
	struct iox_domain *dom = iox_edu_attach(test, IOX_DOMAIN_PAGING);
	struct edu_case *ec = test->priv;
	struct iox_leaf leaf;
	unsigned int i;
	u8 *src, *big;

	if (!(dom->pgsize_bitmap & SZ_2M))
		kunit_skip(test, "the unit has no 2M second-level pages");
	ec->c.big = alloc_pages(GFP_KERNEL | __GFP_NOWARN, get_order(SZ_2M));
	if (!ec->c.big)
		kunit_skip(test, "no free 2 MiB block");
	big = page_address(ec->c.big);
	memset(big, 0, SZ_2M);
	src = iox_edu_page_gfp(test, 0, 0);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_A, iox_edu_phys(test, 0), SZ_4K,
				      IOX_READ, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_2M, page_to_phys(ec->c.big),
				      SZ_2M, IOX_READ | IOX_WRITE,
				      GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_lookup(dom, IOVA_2M + 0x1000, &leaf), 0);
	KUNIT_EXPECT_EQ(test, leaf.pgsize, (size_t)SZ_2M);

	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		iox_edu_pattern(src, PAGE_SIZE, 0x40 + i);
		KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, IOVA_A, 0, EDU_MAX), 0);
		KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, IOVA_2M + offs[i], 0, EDU_MAX),
				0);
		KUNIT_EXPECT_EQ_MSG(test, iox_edu_mismatch(big + offs[i],
							   EDU_MAX, 0x40 + i),
				    -1L, "at offset %#lx", offs[i]);
	}
	KUNIT_EXPECT_EQ(test, iox_edu_faults(&ec->c), 0);
	KUNIT_ASSERT_EQ(test, iox_unmap(dom, IOVA_2M, SZ_2M), (ssize_t)SZ_2M);
	memset(big, 0x66, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, IOVA_2M, 0, 64), 0);
	KUNIT_EXPECT_EQ(test, edu_wait_fault(test, 0).reason,
			IOX_FAULT_NOT_PRESENT);
	KUNIT_EXPECT_TRUE(test, iox_edu_all(big, PAGE_SIZE, 0x66));
}

/* The span one top-level entry of a 4-level table maps (VT-d spec 9.8). */
#define EDU_512G		BIT_ULL(39)
/* Bytes of edu's copies that lie below a boundary they straddle. */
#define EDU_BELOW_READ		2048
#define EDU_BELOW_WRITE		1024

/**
 * struct edu_place - a page boundary edu_high_iovas DMAs across
 * @what: what the boundary is, for messages
 * @at: its IOVA; the pages below and above it lie in the aperture
 */
struct edu_place {
	const char *what;
	u64 at;
};

/*
 * One place: the pages below and above @pl->at mapped to pages 0 and 1;
 * edu reads 4095 bytes across the boundary and writes them back across it
 * at another offset; then the upper page is unmapped and a write to it
 * faults, reported at the full address. Fault number @n is that one.
 */
static void edu_dma_across(struct kunit *test, struct iox_domain *dom,
			   const struct edu_place *pl, unsigned int n,
			   u8 *buf)
{
	u8 *lo = iox_edu_page_gfp(test, 0, 0), *hi = iox_edu_page_gfp(test, 1, 0);
	u8 seed = 0x31 + 16 * n;
	struct iox_fault fault;

	kunit_info(test, "%s: DMA across IOVA %#llx", pl->what, pl->at);
	KUNIT_ASSERT_EQ(test, iox_map(dom, pl->at - SZ_4K, iox_edu_phys(test, 0),
				      SZ_4K, IOX_READ | IOX_WRITE,
				      GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_map(dom, pl->at, iox_edu_phys(test, 1), SZ_4K,
				      IOX_READ | IOX_WRITE, GFP_KERNEL), 0);
	iox_edu_pattern(buf, EDU_MAX, seed);
	iox_edu_straddle_put(buf, lo, hi, EDU_BELOW_READ, EDU_MAX);
	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, pl->at - EDU_BELOW_READ, 0, EDU_MAX),
			0);
	memset(lo, 0, PAGE_SIZE);
	memset(hi, 0, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, pl->at - EDU_BELOW_WRITE, 0, EDU_MAX),
			0);
	iox_edu_straddle_get(buf, lo, hi, EDU_BELOW_WRITE, EDU_MAX);
	KUNIT_EXPECT_EQ_MSG(test, iox_edu_mismatch(buf, EDU_MAX, seed), -1L,
			    "%s: the bytes edu copied across %#llx", pl->what,
			    pl->at);
	KUNIT_EXPECT_TRUE_MSG(test,
			      iox_edu_all(lo, PAGE_SIZE - EDU_BELOW_WRITE, 0) &&
			      iox_edu_all(hi + EDU_MAX - EDU_BELOW_WRITE,
					  PAGE_SIZE - (EDU_MAX - EDU_BELOW_WRITE),
				      0),
			      "%s: edu wrote outside its range", pl->what);

	KUNIT_ASSERT_EQ(test, iox_unmap(dom, pl->at, SZ_4K), (ssize_t)SZ_4K);
	memset(hi, 0x66, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, pl->at, 0, 64), 0);
	fault = edu_wait_fault(test, n);
	KUNIT_EXPECT_EQ(test, fault.iova, pl->at);
	KUNIT_EXPECT_EQ(test, fault.reason, IOX_FAULT_NOT_PRESENT);
	KUNIT_EXPECT_TRUE(test, iox_edu_all(hi, PAGE_SIZE, 0x66));
	KUNIT_ASSERT_EQ(test, iox_unmap(dom, pl->at - SZ_4K, SZ_4K),
			(ssize_t)SZ_4K);
}

/*
 * DMA where drivers' addresses are, not only in the low 256 MiB: at the
 * top of the aperture (where the DMA backend allocates), at its middle,
 * and across a boundary between two last-level tables (2M), two tables
 * of the level above (1G) and, in an aperture wider than 39 bits, two
 * top-level entries of a 4-level table (512G). Then one page past the
 * aperture, which the unit refuses. edu needs a 64-bit DMA mask for this
 * (the VMs give it dma_mask=0xffffffffffffffff): with its default one it
 * drops the high bits and the DMAs fault at the wrong addresses.
 */
static void edu_high_iovas(struct kunit *test)
{
	struct iox_domain *dom = iox_edu_attach(test, IOX_DOMAIN_PAGING);
	u64 end = (u64)dom->aperture_end + 1;
	const struct edu_place places[] = {
		{ "top of the aperture", end - SZ_4K },
		{ "middle of the aperture", end / 2 },
		{ "2M table boundary", end / 4 + 3 * SZ_2M },
		{ "1G table boundary", end / 4 + 5ULL * SZ_1G },
		{ "512G table boundary", end / 4 + EDU_512G },
	};
	unsigned int i, n = ARRAY_SIZE(places);
	struct iox_fault fault;
	u8 *buf, *lo;

	/* Only a 4-level table has a 512G boundary inside its aperture. */
	if (end <= 2 * EDU_512G)
		n--;
	kunit_info(test, "%u-bit aperture: %u places", edu_aperture_bits(dom),
		   n);
	buf = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < n; i++)
		edu_dma_across(test, dom, &places[i], i, buf);

	/* Past the aperture nothing translates, mapped or not. */
	lo = iox_edu_page_gfp(test, 0, 0);
	memset(lo, 0x77, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, iox_map(dom, end - SZ_4K, iox_edu_phys(test, 0),
				      SZ_4K, IOX_READ | IOX_WRITE,
				      GFP_KERNEL), 0);
	KUNIT_EXPECT_NE(test, iox_map(dom, end, iox_edu_phys(test, 1), SZ_4K,
				      IOX_READ | IOX_WRITE, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, end, 0, 64), 0);
	fault = edu_wait_fault(test, n);
	KUNIT_EXPECT_EQ(test, fault.iova, end);
	KUNIT_EXPECT_TRUE(test, iox_edu_all(lo, PAGE_SIZE, 0x77));
	KUNIT_EXPECT_EQ(test, iox_edu_faults(test->priv), n + 1);
}

/* Detached, edu sits in the blocked domain: its DMA faults. */
static void edu_detach_blocks(struct kunit *test)
{
	struct iox_domain *dom = iox_edu_attach(test, IOX_DOMAIN_PAGING);
	struct edu_case *ec = test->priv;
	struct iox_domain *blocked;
	struct iox_fault fault;
	u8 *src = iox_edu_page_gfp(test, 0, 0);
	u8 *dst = iox_edu_page_gfp(test, 1, 0);

	iox_edu_pattern(src, PAGE_SIZE, 5);
	memset(dst, 0, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_A, iox_edu_phys(test, 0), SZ_4K,
				      IOX_READ, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_B, iox_edu_phys(test, 1), SZ_4K,
				      IOX_READ | IOX_WRITE, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, IOVA_A, 0, EDU_MAX), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, IOVA_B, 0, EDU_MAX), 0);
	KUNIT_EXPECT_EQ(test, iox_edu_mismatch(dst, EDU_MAX, 5), -1L);

	iox_detach_device(dom, &edu.pdev->dev);
	ec->c.attached = false;
	blocked = iox_get_domain_for_dev(&edu.pdev->dev);
	KUNIT_ASSERT_NOT_NULL(test, blocked);
	KUNIT_ASSERT_EQ(test, blocked->type, IOX_DOMAIN_BLOCKED);
	iox_set_fault_handler(blocked, iox_edu_fault_handler, ec);
	ec->handled = blocked;

	memset(dst, 0, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, IOVA_B, 0, EDU_MAX), 0);
	fault = edu_wait_fault(test, 0);
	KUNIT_EXPECT_EQ(test, fault.iova, (u64)IOVA_B);
	KUNIT_EXPECT_EQ(test, fault.reason, IOX_FAULT_BLOCKED);
	KUNIT_EXPECT_TRUE(test, iox_edu_all(dst, PAGE_SIZE, 0));
}

/* An identity domain: the device's addresses are physical ones. */
static void edu_identity(struct kunit *test)
{
	struct edu_case *ec = test->priv;
	struct iox_domain *dom;
	u8 *src, *dst;

	dom = iox_domain_alloc(&edu.pdev->dev, IOX_DOMAIN_IDENTITY);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dom);
	ec->c.dom = dom;
	iox_set_fault_handler(dom, iox_edu_fault_handler, ec);
	KUNIT_ASSERT_EQ(test, iox_attach_device(dom, &edu.pdev->dev), 0);
	ec->c.attached = true;
	/* Anywhere in RAM: the VMs give edu a 64-bit DMA mask. */
	src = iox_edu_page_gfp(test, 0, 0);
	dst = iox_edu_page_gfp(test, 1, 0);
	iox_edu_pattern(src, PAGE_SIZE, 0x21);
	memset(dst, 0, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, iox_edu_phys(test, 0), 0, EDU_MAX), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, iox_edu_phys(test, 1), 0, EDU_MAX), 0);
	KUNIT_EXPECT_EQ(test, iox_edu_mismatch(dst, EDU_MAX, 0x21), -1L);
	KUNIT_EXPECT_EQ(test, iox_edu_faults(&ec->c), 0);
}

/* A register of the first DRHD (VT-d spec 10.4), 32 or 64 bits. */
static u64 edu_unit_read(struct kunit *test, unsigned int off, bool wide)
{
	struct acpi_table_header *table;
	struct acpi_dmar_hardware_unit *drhd;
	void __iomem *regs;
	u64 base = 0, val;
	u8 *p;

	KUNIT_ASSERT_FALSE(test, ACPI_FAILURE(acpi_get_table(ACPI_SIG_DMAR, 0,
							     &table)));
	for (p = (u8 *)table + sizeof(struct acpi_table_dmar);
	     p + sizeof(*drhd) <= (u8 *)table + table->length;
	     p += drhd->header.length) {
		drhd = (void *)p;
		if (!drhd->header.length)
			break;
		if (drhd->header.type == ACPI_DMAR_TYPE_HARDWARE_UNIT) {
			base = drhd->address;
			break;
		}
	}
	acpi_put_table(table);
	KUNIT_ASSERT_NE(test, base, 0);
	regs = ioremap(base, PAGE_SIZE);
	KUNIT_ASSERT_TRUE(test, regs);
	val = wide ? readq(regs + off) : readl(regs + off);
	iounmap(regs);
	return val;
}

static u32 edu_unit_reg(struct kunit *test, unsigned int off)
{
	return edu_unit_read(test, off, false);
}

static u64 edu_unit_reg64(struct kunit *test, unsigned int off)
{
	return edu_unit_read(test, off, true);
}

/*
 * Whether iox_intel gives paging domains first-level tables: in scalable
 * mode (RTADDR.TTM) on a unit with first level only (QEMU's x-flts=on).
 * A unit with both levels leaves it to first_level=, which no vm-vtd
 * boot sets.
 */
static bool edu_unit_fl(struct kunit *test)
{
	u64 ecap = edu_unit_reg64(test, VTD_ECAP);

	return FIELD_GET(RTADDR_TTM, edu_unit_reg64(test, VTD_RTADDR)) == 1 &&
	       (ecap & ECAP_SMTS) && (ecap & ECAP_FLTS) &&
	       !(ecap & ECAP_SLTS);
}

/*
 * Snoop control: where the unit has it (ECAP.SC; QEMU's snoop-control=on)
 * and second-level tables, iox offers IOX_CAP_CACHE_COHERENCY and its
 * IOX_CACHE leaves carry SNP; elsewhere neither, and an IOX_CACHE mapping
 * is a plain one. DMA works through both.
 */
static void edu_snoop_control(struct kunit *test)
{
	struct iox_domain *dom = iox_edu_attach(test, IOX_DOMAIN_PAGING);
	struct edu_leaf leaves[EDU_MAX_LEAVES];
	u8 *src = iox_edu_page_gfp(test, 0, 0);
	u8 *dst = iox_edu_page_gfp(test, 1, 0);
	bool sc;
	unsigned int i, n;

	sc = (edu_unit_reg64(test, VTD_ECAP) & ECAP_SC) && !edu_unit_fl(test);
	kunit_info(test, "snoop control: %s", sc ? "yes" : "no");
	KUNIT_EXPECT_EQ(test, iox_capable(&edu.pdev->dev,
					  IOX_CAP_CACHE_COHERENCY), sc);
	iox_edu_pattern(src, PAGE_SIZE, 0x5c);
	memset(dst, 0, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_A, iox_edu_phys(test, 0), SZ_4K,
				      IOX_READ | IOX_CACHE, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_B, iox_edu_phys(test, 1), SZ_4K,
				      IOX_READ | IOX_WRITE | IOX_CACHE,
				      GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_C, iox_edu_phys(test, 1), SZ_4K,
				      IOX_READ, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, IOVA_A, 0, EDU_MAX), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, IOVA_B, 0, EDU_MAX), 0);
	KUNIT_EXPECT_EQ(test, iox_edu_mismatch(dst, EDU_MAX, 0x5c), -1L);
	n = edu_read_dump(test, leaves, NULL);
	KUNIT_ASSERT_EQ(test, n, 3);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ_MSG(test, !!(leaves[i].pte & SL_SNP),
				    sc && leaves[i].first != IOVA_C,
				    "leaf '%s'", leaves[i].line);
}

/* One unmap of several pages invalidates them all (the address mask). */
static void edu_unmap_range(struct kunit *test)
{
	static const unsigned int hit[] = { 0, 3, 7 };
	struct iox_domain *dom = iox_edu_attach(test, IOX_DOMAIN_PAGING);
	struct edu_case *ec = test->priv;
	u8 *src = iox_edu_page_gfp(test, 0, 0);
	struct page *pages;
	unsigned int i;
	u8 *dst;

	pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, 3);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	ec->block = pages;
	dst = page_address(pages);
	iox_edu_pattern(src, PAGE_SIZE, 0x61);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_A, iox_edu_phys(test, 0), SZ_4K,
				      IOX_READ, GFP_KERNEL), 0);
	/* 0x301000: the 8 pages straddle a 32 KiB boundary. */
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_C + SZ_4K, page_to_phys(pages),
				      8 * SZ_4K, IOX_READ | IOX_WRITE,
				      GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, IOVA_A, 0, EDU_MAX), 0);
	for (i = 0; i < ARRAY_SIZE(hit); i++) {
		KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, IOVA_C +
						    SZ_4K * (hit[i] + 1), 0,
						    64), 0);
		KUNIT_EXPECT_EQ(test, iox_edu_mismatch(dst + SZ_4K * hit[i], 64,
						       0x61), -1L);
	}
	KUNIT_ASSERT_EQ(test, iox_unmap(dom, IOVA_C + SZ_4K, 8 * SZ_4K),
			(ssize_t)(8 * SZ_4K));
	memset(dst, 0, 8 * SZ_4K);
	for (i = 0; i < ARRAY_SIZE(hit); i++) {
		KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, IOVA_C +
						    SZ_4K * (hit[i] + 1), 0,
						    64), 0);
		KUNIT_EXPECT_EQ(test, edu_wait_fault(test, i).iova,
				(u64)(IOVA_C + SZ_4K * (hit[i] + 1)));
	}
	KUNIT_EXPECT_TRUE(test, iox_edu_all(dst, 8 * SZ_4K, 0));
}

/*
 * iox_intel's debugfs files say what the unit registers say, and the page
 * table dump holds exactly what was mapped: two 4K pages, a 2M page, then
 * one less after an unmap. The devices file follows edu to the blocked
 * domain.
 */
static void edu_debugfs(struct kunit *test)
{
	struct edu_leaf leaves[EDU_MAX_LEAVES];
	struct iox_domain *dom = iox_edu_attach(test, IOX_DOMAIN_PAGING);
	struct edu_case *ec = test->priv;
	char unit[64], path[96], type[16], *buf, *header, want[24];
	u64 ecap = edu_unit_reg64(test, VTD_ECAP);
	/* Every vm-vtd boot with x-flts=on keeps pass-through, as it needs. */
	bool sm = (ecap & ECAP_SMTS) && (ecap & (ECAP_SLTS | ECAP_FLTS));
	bool fl = edu_unit_fl(test);
	unsigned int n;

	iox_edu_page_gfp(test, 0, 0);
	iox_edu_page_gfp(test, 1, 0);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_A, iox_edu_phys(test, 0), SZ_4K,
				      IOX_READ, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_B, iox_edu_phys(test, 1), SZ_4K,
				      IOX_READ | IOX_WRITE, GFP_KERNEL), 0);
	if (dom->pgsize_bitmap & SZ_2M) {
		ec->c.big = alloc_pages(GFP_KERNEL | __GFP_NOWARN,
					get_order(SZ_2M));
		if (ec->c.big)
			KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_2M,
						      page_to_phys(ec->c.big),
						      SZ_2M, IOX_WRITE,
						      GFP_KERNEL), 0);
	}

	/* The unit: mode, pass-through and status as the registers say. */
	edu_debugfs_dev(test, unit, sizeof(unit), type);
	KUNIT_EXPECT_STREQ(test, type, "paging");
	snprintf(path, sizeof(path), "%s/caps", unit);
	buf = iox_edu_read_file(test, path);
	snprintf(want, sizeof(want), "%#018llx", ecap);
	KUNIT_EXPECT_TRUE_MSG(test, iox_edu_field_is(buf, "ecap", want), "%s", buf);
	/* Scalable mode where the unit has it, as RTADDR.TTM confirms. */
	KUNIT_EXPECT_TRUE_MSG(test, iox_edu_field_is(buf, "mode", sm ? "scalable" :
						 "legacy"), "%s", buf);
	KUNIT_EXPECT_EQ(test, FIELD_GET(RTADDR_TTM,
					edu_unit_reg64(test, VTD_RTADDR)),
			sm ? 1ULL : 0ULL);
	KUNIT_EXPECT_TRUE_MSG(test,
			      iox_edu_field_is(buf, "pass-through",
					       ecap & ECAP_PT ? "contexts" :
					       "identity table"), "%s", buf);
	/* Both levels (not a QEMU unit): first_level= picks, either goes. */
	if (!sm || !(ecap & ECAP_FLTS) || fl)
		KUNIT_EXPECT_TRUE_MSG(test,
				      iox_edu_field_is(buf, "tables",
						       fl ? "first-level" :
						       "second-level"),
				      "%s", buf);
	snprintf(path, sizeof(path), "%s/regs", unit);
	buf = iox_edu_read_file(test, path);
	snprintf(want, sizeof(want), "GSTS     0x01c %#010x",
		 edu_unit_reg(test, VTD_GSTS));
	KUNIT_EXPECT_TRUE_MSG(test, strstr(buf, want), "no '%s' in\n%s", want,
			      buf);

	/* The dump: every leaf, in IOVA order, nothing else. */
	n = edu_read_dump(test, leaves, &header);
	KUNIT_EXPECT_TRUE_MSG(test, !fl || strstr(header, "vtd-first-level"),
			      "%s", header);
	KUNIT_ASSERT_EQ(test, n, ec->c.big ? 3U : 2U);
	edu_expect_leaf(test, &leaves[0], dom, IOVA_A);
	edu_expect_leaf(test, &leaves[1], dom, IOVA_B);
	if (ec->c.big) {
		edu_expect_leaf(test, &leaves[2], dom, IOVA_2M);
		KUNIT_EXPECT_EQ(test, leaves[2].size, (u64)SZ_2M);
		/* A first-level leaf that writes also reads (9.7: no R bit). */
		KUNIT_EXPECT_EQ(test, leaves[2].prot, fl ? IOX_READ | IOX_WRITE :
				IOX_WRITE);
	}
	KUNIT_ASSERT_EQ(test, iox_unmap(dom, IOVA_B, SZ_4K), (ssize_t)SZ_4K);
	n = edu_read_dump(test, leaves, NULL);
	KUNIT_ASSERT_EQ(test, n, ec->c.big ? 2U : 1U);
	edu_expect_leaf(test, &leaves[0], dom, IOVA_A);
	if (ec->c.big)
		KUNIT_EXPECT_EQ(test, leaves[1].first, (u64)IOVA_2M);

	iox_detach_device(dom, &edu.pdev->dev);
	ec->c.attached = false;
	KUNIT_EXPECT_EQ(test, edu_debugfs_dev(test, unit, sizeof(unit), type),
			0U);
	KUNIT_EXPECT_STREQ(test, type, "blocked");
}

/*
 * Release edu, unload iox_intel: the unit is off and edu's DMA reaches
 * physical memory untranslated. Reload with register-based invalidation
 * and polled fault records, the paths QEMU's unit would not take else:
 * edu translates, invalidates and faults again.
 */
static void edu_reload(struct kunit *test)
{
	static const char *const rmmod[] = { "/bin/rmmod", "iox_intel", NULL };
	static const char *const insmod[] = { "/bin/insmod", IOX_INTEL_KO,
					      "qi=0", "fault_irq=0", NULL };
	struct path path;
	u8 *src, *dst;
	u32 gsts;

	if (kern_path(IOX_INTEL_KO, LOOKUP_FOLLOW, &path))
		kunit_skip(test, IOX_INTEL_KO " not found");
	path_put(&path);
	src = iox_edu_page_gfp(test, 0, 0);
	dst = iox_edu_page_gfp(test, 1, 0);
	iox_edu_page_gfp(test, 2, 0);
	/* As loaded: queued invalidation, fault interrupt unmasked. */
	gsts = edu_unit_reg(test, VTD_GSTS);
	KUNIT_EXPECT_EQ(test, gsts & (GSTS_TES | GSTS_QIES),
			GSTS_TES | GSTS_QIES);
	KUNIT_EXPECT_EQ(test, edu_unit_reg(test, VTD_FECTL) & FECTL_IM, 0);

	/* Released: edu's context is pass-through again. */
	iox_release_device(&edu.pdev->dev);
	edu.probed = false;
	iox_edu_pattern(src, PAGE_SIZE, 0x13);
	memset(dst, 0, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, iox_edu_phys(test, 0), 0, EDU_MAX), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, iox_edu_phys(test, 1), 0, EDU_MAX), 0);
	KUNIT_EXPECT_EQ(test, iox_edu_mismatch(dst, EDU_MAX, 0x13), -1L);

	KUNIT_ASSERT_EQ(test, iox_edu_run(rmmod), 0);
	KUNIT_EXPECT_EQ(test, edu_unit_reg(test, VTD_GSTS) &
			(GSTS_TES | GSTS_QIES), 0);
	KUNIT_EXPECT_EQ(test, iox_probe_device(&edu.pdev->dev), -ENODEV);
	iox_edu_pattern(src, PAGE_SIZE, 0x14);
	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, iox_edu_phys(test, 0), 0, EDU_MAX), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, iox_edu_phys(test, 1), 0, EDU_MAX), 0);
	KUNIT_EXPECT_EQ(test, iox_edu_mismatch(dst, EDU_MAX, 0x14), -1L);

	KUNIT_ASSERT_EQ(test, iox_edu_run(insmod), 0);
	gsts = edu_unit_reg(test, VTD_GSTS);
	KUNIT_EXPECT_EQ(test, gsts & (GSTS_TES | GSTS_QIES), GSTS_TES);
	KUNIT_EXPECT_EQ(test, edu_unit_reg(test, VTD_FECTL) & FECTL_IM,
			FECTL_IM);
	KUNIT_ASSERT_EQ(test, iox_probe_device(&edu.pdev->dev), 0);
	edu.probed = true;
	edu_translate_remap_fault(test);
}

/* An edu behind a PCIe root port (vm-vtd's hotplug boot adds one). */
static struct pci_dev *edu_behind_port(void)
{
	struct pci_dev *pdev = NULL;

	while ((pdev = pci_get_device(EDU_VENDOR, EDU_DEVICE, pdev)))
		if (!pci_is_root_bus(pdev->bus) && pdev != edu.pdev)
			return pdev;
	return NULL;
}

/*
 * A bus that appears after load, and a device that goes away: a second
 * edu's root port is removed, iox_intel reloaded without it (its bus has
 * no context table), the port rescanned. edu's DMA on the new bus must
 * pass through untranslated, as for devices present at load; probed into
 * iox it translates, invalidates and faults; removed while probed, the
 * core forgets it.
 */
static void edu_hotplug(struct kunit *test)
{
	static const char *const rmmod[] = { "/bin/rmmod", "iox_intel", NULL };
	static const char *const insmod[] = { "/bin/insmod", IOX_INTEL_KO,
					      NULL };
	struct edu_case *ec = test->priv;
	struct pci_dev *hot, *port;
	struct pci_bus *root;
	struct device *dev;
	struct path path;
	u8 *src, *dst;

	hot = edu_behind_port();
	if (!hot)
		kunit_skip(test, "no edu behind a PCIe root port (vm-vtd's hotplug boot adds one)");
	port = hot->bus->self;
	root = port->bus;
	pci_dev_put(hot);
	if (kern_path(IOX_INTEL_KO, LOOKUP_FOLLOW, &path))
		kunit_skip(test, IOX_INTEL_KO " not found");
	path_put(&path);
	src = iox_edu_page_gfp(test, 0, 0);
	dst = iox_edu_page_gfp(test, 1, 0);
	iox_edu_page_gfp(test, 2, 0);

	pci_stop_and_remove_bus_device_locked(port);
	iox_release_device(&edu.pdev->dev);
	edu.probed = false;
	KUNIT_ASSERT_EQ(test, iox_edu_run(rmmod), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_run(insmod), 0);
	KUNIT_ASSERT_EQ(test, iox_probe_device(&edu.pdev->dev), 0);
	edu.probed = true;

	pci_lock_rescan_remove();
	pci_rescan_bus(root);
	pci_unlock_rescan_remove();
	ec->hot = edu_behind_port();
	KUNIT_ASSERT_TRUE_MSG(test, ec->hot, "the rescan found no edu");
	KUNIT_ASSERT_EQ(test, pci_enable_device(ec->hot), 0);
	ec->hot_bar = pci_iomap(ec->hot, 0, 0);
	if (!ec->hot_bar)
		pci_disable_device(ec->hot);
	KUNIT_ASSERT_TRUE(test, ec->hot_bar);
	pci_set_master(ec->hot);
	kunit_info(test, "edu %s came back on bus %02x, which appeared after load",
		   pci_name(ec->hot), ec->hot->bus->number);
	ec->saved_pdev = edu.pdev;
	ec->saved_bar = edu.bar;
	edu.pdev = ec->hot;
	edu.bar = ec->hot_bar;

	/* Not in iox: pass-through, as for devices present at load. */
	iox_edu_pattern(src, PAGE_SIZE, 0x5a);
	memset(dst, 0, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, iox_edu_phys(test, 0), 0, EDU_MAX), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, iox_edu_phys(test, 1), 0, EDU_MAX), 0);
	KUNIT_EXPECT_EQ(test, iox_edu_mismatch(dst, EDU_MAX, 0x5a), -1L);
	KUNIT_EXPECT_EQ(test, iox_edu_faults(&ec->c), 0);

	/* Probed: translation, invalidation, a fault. */
	KUNIT_ASSERT_EQ(test, iox_probe_device(&ec->hot->dev), 0);
	edu_translate_remap_fault(test);
	iox_detach_device(ec->c.dom, &ec->hot->dev);
	ec->c.attached = false;

	/* Removed while probed: the notifier released it from iox. */
	dev = &ec->hot->dev;
	KUNIT_ASSERT_NOT_NULL(test, iox_device_group(dev));
	pci_clear_master(ec->hot);
	pci_iounmap(ec->hot, ec->hot_bar);
	pci_disable_device(ec->hot);
	ec->hot_bar = NULL;
	pci_stop_and_remove_bus_device_locked(ec->hot);
	KUNIT_EXPECT_NULL(test, iox_device_group(dev));
}

/*
 * Booted without intel_iommu=off, the kernel's VT-d driver owns the unit
 * and iox_intel refused it. Its translation must be intact: edu's DMA
 * through the kernel's DMA API (the kernel's IOMMU tables) still works.
 */
static void edu_kernel_owns_unit(struct kunit *test)
{
	if (!edu.pdev)
		kunit_skip(test, "no edu device (1234:11e8)");
	if (edu.probed)
		kunit_skip(test, "iox drives the VT-d unit here");
	if (!(edu_unit_reg(test, VTD_GSTS) & GSTS_TES))
		kunit_skip(test, "translation is off: no driver owns the unit");
	iox_edu_kernel_dma(test, &edu, "VT-d");
}

static int edu_suite_init(struct kunit_suite *suite)
{
	return iox_edu_open(&edu);
}

static void edu_suite_exit(struct kunit_suite *suite)
{
	iox_edu_close(&edu);
}

static struct kunit_case edu_cases[] = {
	KUNIT_CASE(edu_probed),
	KUNIT_CASE(edu_map_dma_unmap_fault),
	KUNIT_CASE(edu_remap_new_page),
	KUNIT_CASE(edu_unmap_range),
	KUNIT_CASE(edu_read_only),
	KUNIT_CASE(edu_large_page),
	KUNIT_CASE(edu_high_iovas),
	KUNIT_CASE(edu_snoop_control),
	KUNIT_CASE(edu_detach_blocks),
	KUNIT_CASE(edu_identity),
	KUNIT_CASE(edu_debugfs),
	KUNIT_CASE(edu_reload),
	KUNIT_CASE(edu_hotplug),
	{}
};

static struct kunit_suite edu_suite = {
	.name = "iox_intel_edu",
	.suite_init = edu_suite_init,
	.suite_exit = edu_suite_exit,
	.init = edu_case_init,
	.exit = edu_case_exit,
	.test_cases = edu_cases,
};

static struct kunit_case edu_owned_cases[] = {
	KUNIT_CASE(edu_kernel_owns_unit),
	{}
};

static struct kunit_suite edu_owned_suite = {
	.name = "iox_intel_edu_owned",
	.suite_init = edu_suite_init,
	.suite_exit = edu_suite_exit,
	.test_cases = edu_owned_cases,
};

kunit_test_suites(&edu_suite, &edu_owned_suite, &intel_dmar_test_suite);

MODULE_DESCRIPTION("iox-intel proven by QEMU edu device DMA");
MODULE_LICENSE("GPL");
