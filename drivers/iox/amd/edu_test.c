// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite iox_amd_edu: iox-amd proven by device DMA. QEMU's edu device
 * (1234:11e8) copies between its 4 KiB buffer and memory; behind QEMU's
 * amd-iommu every copy is translated by an iox domain, so each case checks
 * what a DMA did byte by byte in the pages behind the IOVAs.
 *
 * QEMU's model never writes its event log (Documentation/iox/amd.rst), so
 * a refused DMA shows by its bytes only: a refused read brings zeros into
 * edu's buffer, a refused write leaves memory alone. Faults are also
 * awaited where the module parameter fault_reports says the unit logs
 * them.
 *
 * Without an edu device translated by an iox unit every case skips. The
 * reload case unloads and reloads iox_amd from /modules, where the iox
 * test VM keeps its modules.
 */
#include <kunit/test.h>
#include <linux/acpi.h>
#include <linux/bitfield.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/iox.h>
#include <linux/module.h>
#include <linux/namei.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include "../tests/edu-case.h"
#include "amd-hw.h"

#define IOVA_A			0x100000UL
#define IOVA_B			0x200000UL
#define IOVA_C			0x300000UL
#define IOVA_2M			0x400000UL
#define IOVA_1G			SZ_1G

#define IOX_AMD_KO		"/modules/iox_amd.ko"
#define EDU_DEBUGFS		"/sys/kernel/debug/iox-amd/iox-amdvi0"
#define LEVELS_PARAM		"/sys/module/iox_amd/parameters/levels"

static bool fault_reports;
module_param(fault_reports, bool, 0444);
MODULE_PARM_DESC(fault_reports, "the unit logs events (QEMU's model does not): also await each fault's report");

static struct iox_edu edu;

/*
 * A write edu makes to @iova is refused: the page behind it (@kva) keeps
 * its bytes; with fault_reports, fault @n is reported at @iova.
 */
static void edu_write_refused(struct kunit *test, u64 iova, u8 *kva,
			      unsigned int n)
{
	struct iox_edu_case *ec = test->priv;

	memset(kva, 0x55, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, iova, 0, 64), 0);
	KUNIT_EXPECT_TRUE_MSG(test, iox_edu_all(kva, PAGE_SIZE, 0x55),
			      "a refused write to %#llx arrived", iova);
	if (!fault_reports)
		return;
	wait_event_timeout(ec->wq, iox_edu_faults(ec) > n, IOX_EDU_FAULT_WAIT);
	KUNIT_ASSERT_GT(test, iox_edu_faults(ec), n);
	KUNIT_EXPECT_EQ(test, ec->faults[n].iova, iova);
	KUNIT_EXPECT_TRUE(test, ec->faults[n].flags & IOX_FAULT_WRITE);
}

/*
 * A read edu makes of @iova is refused: it brings none of the page's
 * bytes. edu's buffer is filled with 0xee first (from @scratch, mapped
 * readable at IOVA_C), then copied out to @scratch after the read: QEMU
 * gives a refused read zeros, anything but the page's pattern @seed will
 * do here.
 */
static void edu_read_refused(struct kunit *test, struct iox_domain *dom,
			     u64 iova, u8 seed, unsigned int scratch)
{
	u8 *s = iox_edu_page(test, scratch);

	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_C, iox_edu_phys(test, scratch),
				      SZ_4K, IOX_READ | IOX_WRITE,
				      GFP_KERNEL), 0);
	memset(s, 0xee, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, IOVA_C, 0, EDU_MAX), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, iova, 0, EDU_MAX), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, IOVA_C, 0, EDU_MAX), 0);
	KUNIT_EXPECT_NE_MSG(test, iox_edu_mismatch(s, EDU_MAX, seed), -1L,
			    "a refused read of %#llx brought its bytes", iova);
	KUNIT_EXPECT_FALSE_MSG(test, iox_edu_all(s, EDU_MAX, 0xee),
			       "the read of %#llx left edu's buffer alone",
			       iova);
	KUNIT_ASSERT_EQ(test, iox_unmap(dom, IOVA_C, SZ_4K), (ssize_t)SZ_4K);
}

/* The levels iox_amd was loaded for: its parameter, else the EFR's 6. */
static unsigned int edu_expected_levels(struct kunit *test)
{
	char *buf = iox_edu_read_file(test, LEVELS_PARAM);
	unsigned int levels;

	KUNIT_ASSERT_EQ(test, kstrtouint(strim(buf), 10, &levels), 0);
	return levels ?: 6;
}

static unsigned int edu_aperture_bits(struct iox_domain *dom)
{
	return dom->aperture_end == ULONG_MAX ? 64 :
	       fls64((u64)dom->aperture_end);
}

/* The probe put edu in its own group, in the blocked domain. */
static void edu_probed(struct kunit *test)
{
	struct iox_domain *dom = iox_get_domain_for_dev(&edu.pdev->dev);

	KUNIT_ASSERT_NOT_NULL(test, dom);
	KUNIT_EXPECT_EQ(test, dom->type, IOX_DOMAIN_BLOCKED);
}

/* edu's line in the devices file: "bb:dd.f <dev> <type>[ did N] dte ...". */
static const char *edu_devices_line(struct kunit *test, char *buf)
{
	const char *line = strstr(buf, pci_name(edu.pdev) + 5);

	KUNIT_ASSERT_TRUE_MSG(test, line, "edu not in devices: %s", buf);
	return line;
}

/* The domain ID edu's DTE carries, from the devices file. */
static unsigned int edu_did(struct kunit *test)
{
	char *buf = iox_edu_read_file(test, EDU_DEBUGFS "/devices");
	const char *line = edu_devices_line(test, buf);
	unsigned int did;

	KUNIT_ASSERT_TRUE_MSG(test, strstr(line, " did ") &&
			      sscanf(strstr(line, " did "), " did %u",
				     &did) == 1, "devices line %s", line);
	return did;
}

/*
 * iox's main job on the AMD unit, told as it goes (the "story:" lines
 * make `make run IOMMU=amd`): a buffer mapped, edu reading and writing it
 * through the domain, the unmap, and edu's next DMAs refused.
 */
static void edu_map_dma_unmap(struct kunit *test)
{
	unsigned int levels, bits;
	struct iox_domain *dom;
	char path[96];
	u8 *src, *dst;
	long bad;

	kunit_info(test, "story: device: edu %s (%04x:%04x) probed into iox: its own group, in the blocked domain",
		   pci_name(edu.pdev), EDU_VENDOR, EDU_DEVICE);
	dom = iox_edu_attach(test, IOX_DOMAIN_PAGING);
	bits = edu_aperture_bits(dom);
	levels = min_t(unsigned int, (bits - 12 + 8) / 9, 6);
	kunit_info(test, "story: domain: paging, AMD-Vi v1 table, %u levels (DTE Mode %u), %u-bit IOVA, pages 4K%s%s; edu attached",
		   levels, levels, bits,
		   dom->pgsize_bitmap & SZ_2M ? " 2M" : "",
		   dom->pgsize_bitmap & SZ_1G ? " 1G" : "");
	KUNIT_EXPECT_EQ(test, levels, edu_expected_levels(test));

	src = iox_edu_page(test, 0);
	dst = iox_edu_page(test, 1);
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
	snprintf(path, sizeof(path), EDU_DEBUGFS "/domain-%u/pagetable",
		 edu_did(test));
	KUNIT_EXPECT_EQ(test, iox_edu_story_table(test, path), 2);

	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, IOVA_A, 0, EDU_MAX), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, IOVA_B, 0, EDU_MAX), 0);
	bad = iox_edu_mismatch(dst, EDU_MAX, 0x31);
	KUNIT_EXPECT_EQ_MSG(test, bad, -1L, "byte %ld differs", bad);
	KUNIT_EXPECT_EQ(test, dst[EDU_MAX], 0xaa);
	kunit_info(test, "story: DMA:    edu read %u bytes at IOVA %#lx into its buffer and wrote them to IOVA %#lx: all %u bytes verified in the page at phys %#llx",
		   EDU_MAX, IOVA_A, IOVA_B, EDU_MAX, (u64)iox_edu_phys(test, 1));

	KUNIT_ASSERT_EQ(test, iox_unmap(dom, IOVA_B, SZ_4K), (ssize_t)SZ_4K);
	KUNIT_EXPECT_EQ(test, iox_iova_to_phys(dom, IOVA_B), 0);
	kunit_info(test, "story: unmap:  IOVA %#lx, 4 KiB (INVALIDATE_IOMMU_PAGES, COMPLETION_WAIT)",
		   IOVA_B);
	edu_write_refused(test, IOVA_B, dst, 0);
	kunit_info(test, "story: refused: edu's next DMA, a write at IOVA %#lx, did not arrive: the page kept its bytes",
		   IOVA_B);

	KUNIT_ASSERT_EQ(test, iox_unmap(dom, IOVA_A, SZ_4K), (ssize_t)SZ_4K);
	edu_read_refused(test, dom, IOVA_A, 0x31, 2);
	kunit_info(test, "story: refused: a read at IOVA %#lx brought none of the page's bytes (QEMU's amd-iommu logs no event: see amd.rst)",
		   IOVA_A);
}

/*
 * After an unmap, DMA to the IOVA is refused; after a remap to another
 * page, it lands in the new page only. QEMU caches translations per
 * device and page until an INVALIDATE_IOMMU_PAGES of the domain, so a
 * missing one shows here: a neighbour keeps the leaf table alive, so the
 * unmap invalidates its range only (a freed table would flush the
 * domain), and nothing is mapped between the unmap and the refused DMA
 * (a map invalidates too, the unit caching not-present entries).
 */
static void edu_remap_new_page(struct kunit *test)
{
	struct iox_domain *dom = iox_edu_attach(test, IOX_DOMAIN_PAGING);
	u8 *src = iox_edu_page(test, 0);
	u8 *p1 = iox_edu_page(test, 1);
	u8 *p2 = iox_edu_page(test, 2);

	iox_edu_page(test, 3);
	memset(p1, 0, PAGE_SIZE);
	memset(p2, 0, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_A, iox_edu_phys(test, 0), SZ_4K,
				      IOX_READ, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_B, iox_edu_phys(test, 1), SZ_4K,
				      IOX_READ | IOX_WRITE, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_B + SZ_4K, iox_edu_phys(test, 3),
				      SZ_4K, IOX_READ | IOX_WRITE,
				      GFP_KERNEL), 0);
	iox_edu_pattern(src, PAGE_SIZE, 0x15);
	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, IOVA_A, 0, EDU_MAX), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, IOVA_B, 0, EDU_MAX), 0);
	KUNIT_EXPECT_EQ(test, iox_edu_mismatch(p1, EDU_MAX, 0x15), -1L);

	KUNIT_ASSERT_EQ(test, iox_unmap(dom, IOVA_B, SZ_4K), (ssize_t)SZ_4K);
	edu_write_refused(test, IOVA_B, p1, 0);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_B, iox_edu_phys(test, 2), SZ_4K,
				      IOX_READ | IOX_WRITE, GFP_KERNEL), 0);
	iox_edu_pattern(src, PAGE_SIZE, 0x16);
	memset(p1, 0, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, IOVA_A, 0, EDU_MAX), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, IOVA_B, 0, EDU_MAX), 0);
	KUNIT_EXPECT_EQ_MSG(test, iox_edu_mismatch(p2, EDU_MAX, 0x16), -1L,
			    "the DMA did not reach the new page");
	KUNIT_EXPECT_TRUE_MSG(test, iox_edu_all(p1, PAGE_SIZE, 0),
			      "the DMA reached the old page");
}

/* A read-only mapping: device writes are refused, reads work. */
static void edu_read_only(struct kunit *test)
{
	struct iox_domain *dom = iox_edu_attach(test, IOX_DOMAIN_PAGING);
	u8 *ro = iox_edu_page(test, 0);
	u8 *rw = iox_edu_page(test, 1);

	iox_edu_pattern(ro, PAGE_SIZE, 9);
	memset(rw, 0, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_A, iox_edu_phys(test, 0), SZ_4K,
				      IOX_READ, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_B, iox_edu_phys(test, 1), SZ_4K,
				      IOX_READ | IOX_WRITE, GFP_KERNEL), 0);
	/* edu's buffer holds zeros from the read/write page. */
	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, IOVA_B, 0, EDU_MAX), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, IOVA_A, 0, EDU_MAX), 0);
	KUNIT_EXPECT_EQ_MSG(test, iox_edu_mismatch(ro, PAGE_SIZE, 9), -1L,
			    "a write through a read-only mapping arrived");
	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, IOVA_A, 0, EDU_MAX), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, IOVA_B, 0, EDU_MAX), 0);
	KUNIT_EXPECT_EQ(test, iox_edu_mismatch(rw, EDU_MAX, 9), -1L);
}

/*
 * Large pages, as the v1 format writes them (AMD spec 2.2.3: a PDE with
 * Next Level 0 is a page of its level's size): a 2 MiB page over a 2 MiB
 * block, DMA at its start, middle and end; and a 1 GiB page over the
 * first GiB of physical memory, which holds the VM's RAM, DMA at a page
 * of the case through it. Then both unmapped, and refused.
 */
static void edu_large_pages(struct kunit *test)
{
	static const unsigned long offs[] = { 0, 0x89123, SZ_2M - EDU_MAX };
	struct iox_domain *dom = iox_edu_attach(test, IOX_DOMAIN_PAGING);
	struct iox_edu_case *ec = test->priv;
	struct iox_leaf leaf;
	u8 *src, *big, *dst;
	unsigned int i;

	KUNIT_ASSERT_TRUE(test, dom->pgsize_bitmap & SZ_2M);
	KUNIT_ASSERT_TRUE(test, dom->pgsize_bitmap & SZ_1G);
	ec->big = alloc_pages(GFP_KERNEL | __GFP_NOWARN, get_order(SZ_2M));
	if (!ec->big)
		kunit_skip(test, "no free 2 MiB block");
	big = page_address(ec->big);
	memset(big, 0, SZ_2M);
	src = iox_edu_page(test, 0);
	dst = iox_edu_page(test, 1);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_A, iox_edu_phys(test, 0), SZ_4K,
				      IOX_READ, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_2M, page_to_phys(ec->big),
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
				    -1L, "2M page, offset %#lx", offs[i]);
	}

	KUNIT_ASSERT_LT(test, (u64)iox_edu_phys(test, 1), (u64)SZ_1G);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_1G, 0, SZ_1G,
				      IOX_READ | IOX_WRITE, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_lookup(dom, IOVA_1G + iox_edu_phys(test, 1),
					 &leaf), 0);
	KUNIT_EXPECT_EQ(test, leaf.pgsize, (size_t)SZ_1G);
	memset(dst, 0, PAGE_SIZE);
	iox_edu_pattern(src, PAGE_SIZE, 0x4f);
	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, IOVA_1G + iox_edu_phys(test, 0),
					   0, EDU_MAX), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, IOVA_1G + iox_edu_phys(test, 1),
					    0, EDU_MAX), 0);
	KUNIT_EXPECT_EQ_MSG(test, iox_edu_mismatch(dst, EDU_MAX, 0x4f), -1L,
			    "1G page");

	KUNIT_ASSERT_EQ(test, iox_unmap(dom, IOVA_2M, SZ_2M), (ssize_t)SZ_2M);
	edu_write_refused(test, IOVA_2M, big, 0);
	KUNIT_ASSERT_EQ(test, iox_unmap(dom, IOVA_1G, SZ_1G), (ssize_t)SZ_1G);
	edu_write_refused(test, IOVA_1G + iox_edu_phys(test, 1), dst,
			  fault_reports ? 1 : 0);
}

/* Bytes of edu's copies that lie below a boundary they straddle. */
#define EDU_BELOW_READ		2048
#define EDU_BELOW_WRITE		1024

/*
 * One boundary @at: the pages below and above it mapped to pages 0 and
 * 1; edu reads 4095 bytes across it and writes them back across it at
 * another offset; then the upper page is unmapped and a write to it is
 * refused.
 */
static void edu_dma_across(struct kunit *test, struct iox_domain *dom,
			   const char *what, u64 at, unsigned int n, u8 *buf)
{
	u8 *lo = iox_edu_page(test, 0), *hi = iox_edu_page(test, 1);
	u8 seed = 0x31 + 16 * n;

	kunit_info(test, "%s: DMA across IOVA %#llx", what, at);
	KUNIT_ASSERT_EQ(test, iox_map(dom, at - SZ_4K, iox_edu_phys(test, 0),
				      SZ_4K, IOX_READ | IOX_WRITE,
				      GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_map(dom, at, iox_edu_phys(test, 1), SZ_4K,
				      IOX_READ | IOX_WRITE, GFP_KERNEL), 0);
	iox_edu_pattern(buf, EDU_MAX, seed);
	iox_edu_straddle_put(buf, lo, hi, EDU_BELOW_READ, EDU_MAX);
	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, at - EDU_BELOW_READ, 0, EDU_MAX), 0);
	memset(lo, 0, PAGE_SIZE);
	memset(hi, 0, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, at - EDU_BELOW_WRITE, 0, EDU_MAX), 0);
	iox_edu_straddle_get(buf, lo, hi, EDU_BELOW_WRITE, EDU_MAX);
	KUNIT_EXPECT_EQ_MSG(test, iox_edu_mismatch(buf, EDU_MAX, seed), -1L,
			    "%s: the bytes edu copied across %#llx", what, at);
	KUNIT_ASSERT_EQ(test, iox_unmap(dom, at, SZ_4K), (ssize_t)SZ_4K);
	edu_write_refused(test, at, hi, fault_reports ? n : 0);
	KUNIT_ASSERT_EQ(test, iox_unmap(dom, at - SZ_4K, SZ_4K),
			(ssize_t)SZ_4K);
}

/*
 * DMA where drivers' addresses are: at the top of the aperture (all 64
 * bits with 6 levels), its middle, and across a boundary between tables
 * of each level the aperture has above the last: 2M, 1G, 512G, 256T and
 * 128P. edu needs its 64-bit DMA mask (the VMs give it one).
 */
static void edu_high_iovas(struct kunit *test)
{
	struct iox_domain *dom = iox_edu_attach(test, IOX_DOMAIN_PAGING);
	u64 last = dom->aperture_end;
	unsigned int bits = edu_aperture_bits(dom), shift, n = 0;
	u8 *buf;

	buf = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	kunit_info(test, "%u-bit aperture", bits);
	edu_dma_across(test, dom, "top of the aperture", last - SZ_4K + 1,
		       n++, buf);
	edu_dma_across(test, dom, "middle of the aperture", last / 2 + 1,
		       n++, buf);
	for (shift = 21; shift + 1 < bits && shift <= 57; shift += 9)
		edu_dma_across(test, dom, "table boundary",
			       last / 4 + 1 + 3 * BIT_ULL(shift), n++, buf);
}

/* Detached, edu sits in the blocked domain: its DMA is refused. */
static void edu_detach_blocks(struct kunit *test)
{
	struct iox_domain *dom = iox_edu_attach(test, IOX_DOMAIN_PAGING);
	struct iox_edu_case *ec = test->priv;
	u8 *src = iox_edu_page(test, 0);
	u8 *dst = iox_edu_page(test, 1);

	iox_edu_pattern(src, PAGE_SIZE, 5);
	memset(dst, 0, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_A, iox_edu_phys(test, 0), SZ_4K,
				      IOX_READ, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_B, iox_edu_phys(test, 1), SZ_4K,
				      IOX_READ | IOX_WRITE, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, IOVA_A, 0, EDU_MAX), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, IOVA_B, 0, EDU_MAX), 0);
	KUNIT_EXPECT_EQ(test, iox_edu_mismatch(dst, EDU_MAX, 5), -1L);

	/* The translations edu just used are cached: detach drops them. */
	iox_detach_device(dom, &edu.pdev->dev);
	ec->attached = false;
	KUNIT_ASSERT_EQ(test, iox_get_domain_for_dev(&edu.pdev->dev)->type,
			IOX_DOMAIN_BLOCKED);
	memset(dst, 0x55, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, IOVA_B, 0, EDU_MAX), 0);
	KUNIT_EXPECT_TRUE_MSG(test, iox_edu_all(dst, PAGE_SIZE, 0x55),
			      "a blocked device's write arrived");
	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, IOVA_A, 0, EDU_MAX), 0);
	/* The domain is still there: write edu's buffer through it. */
	KUNIT_ASSERT_EQ(test, iox_attach_device(dom, &edu.pdev->dev), 0);
	ec->attached = true;
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, IOVA_B, 0, EDU_MAX), 0);
	KUNIT_EXPECT_TRUE_MSG(test, iox_edu_all(dst, EDU_MAX, 0),
			      "a blocked device's read brought bytes");
}

/* An identity domain: the device's addresses are physical ones. */
static void edu_identity(struct kunit *test)
{
	u8 *src, *dst;

	iox_edu_attach(test, IOX_DOMAIN_IDENTITY);
	src = iox_edu_page(test, 0);
	dst = iox_edu_page(test, 1);
	iox_edu_pattern(src, PAGE_SIZE, 0x21);
	memset(dst, 0, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, iox_edu_phys(test, 0), 0, EDU_MAX), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, iox_edu_phys(test, 1), 0, EDU_MAX), 0);
	KUNIT_EXPECT_EQ(test, iox_edu_mismatch(dst, EDU_MAX, 0x21), -1L);
}

/*
 * The debugfs files say what the unit and the device table hold: the
 * caps the levels iox uses, edu's DTE Mode and root those of its
 * domain's table, and the table dump exactly what was mapped.
 */
static void edu_debugfs(struct kunit *test)
{
	struct iox_domain *dom = iox_edu_attach(test, IOX_DOMAIN_PAGING);
	unsigned int levels = edu_expected_levels(test), did;
	u64 q0, q1, q2, q3, root;
	int n;
	char want[32], path[96], *buf;
	const char *line;

	iox_edu_page(test, 0);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_A, iox_edu_phys(test, 0), SZ_4K,
				      IOX_READ, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_B, iox_edu_phys(test, 0), SZ_4K,
				      IOX_READ | IOX_WRITE, GFP_KERNEL), 0);

	buf = iox_edu_read_file(test, EDU_DEBUGFS "/caps");
	snprintf(want, sizeof(want), "%u", levels);
	KUNIT_EXPECT_TRUE(test, iox_edu_field_is(buf, "levels", want));
	KUNIT_EXPECT_TRUE(test, iox_edu_field_is(buf, "invalidate-all",
						 "yes"));

	buf = iox_edu_read_file(test, EDU_DEBUGFS "/devices");
	line = edu_devices_line(test, buf);
	n = sscanf(strstr(line, " did "), " did %u dte %llx %llx %llx %llx",
		   &did, &q0, &q1, &q2, &q3);
	KUNIT_ASSERT_EQ(test, n, 5);
	KUNIT_EXPECT_TRUE(test, q0 & AMD_DTE_V);
	KUNIT_EXPECT_TRUE(test, q0 & AMD_DTE_TV);
	KUNIT_EXPECT_EQ(test, FIELD_GET(AMD_DTE_MODE, q0), levels);
	KUNIT_EXPECT_EQ(test, FIELD_GET(AMD_DTE_DOMID, q1), did);
	/* Below 256: QEMU's model loses DomainIDs with bit 8 set. */
	KUNIT_EXPECT_LT(test, did, 256U);
	KUNIT_EXPECT_EQ(test, q2 & 1, 0);	/* IV = 0 */
	KUNIT_EXPECT_EQ(test, q3, 0);

	snprintf(path, sizeof(path), EDU_DEBUGFS "/domain-%u/pagetable", did);
	buf = iox_edu_read_file(test, path);
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "amd-v1"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "0x0000000000100000-0x0000000000100fff"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "0x0000000000200000-0x0000000000200fff"));
	n = sscanf(strstr(buf, "root "), "root %llx", &root);
	KUNIT_ASSERT_EQ(test, n, 1);
	KUNIT_EXPECT_EQ_MSG(test, root, q0 & AMD_DTE_ROOT, "the DTE's root: %s",
			    buf);

	/* Detached: blocked, TV = 1 with neither permission. */
	iox_detach_device(dom, &edu.pdev->dev);
	((struct iox_edu_case *)test->priv)->attached = false;
	buf = iox_edu_read_file(test, EDU_DEBUGFS "/devices");
	line = edu_devices_line(test, buf);
	KUNIT_EXPECT_NOT_NULL(test, strstr(line, " blocked "));
	n = sscanf(strstr(line, " dte "), " dte %llx", &q0);
	KUNIT_ASSERT_EQ(test, n, 1);
	KUNIT_EXPECT_EQ(test, q0 & (AMD_DTE_V | AMD_DTE_TV | AMD_DTE_IR |
				    AMD_DTE_IW | AMD_DTE_MODE),
			AMD_DTE_V | AMD_DTE_TV);
}

/* The unit's registers, mapped from the IVRS table's base. */
static u64 edu_unit_reg(struct kunit *test, unsigned int off)
{
	struct acpi_table_header *table;
	void __iomem *regs;
	u64 base, val;

	KUNIT_ASSERT_FALSE(test, ACPI_FAILURE(acpi_get_table(ACPI_SIG_IVRS, 0,
							     &table)));
	/* IVRS 5.2.2: the first IVHD at byte 48, its base at +8. */
	memcpy(&base, (u8 *)table + 48 + 8, sizeof(base));
	acpi_put_table(table);
	regs = ioremap(base, AMD_MMIO_SIZE);
	KUNIT_ASSERT_TRUE(test, !!regs);
	val = readq(regs + off);
	iounmap(regs);
	return val;
}

/*
 * Release edu, unload iox_amd: the unit is off and edu's DMA reaches
 * physical memory untranslated. Reload with 3-level tables: the unit is
 * on again, and edu translates and is refused again through the new
 * tables, with the unit's translation cache cleared of the old load's
 * (INVALIDATE_IOMMU_ALL at load; QEMU keeps its cache across IOMMUEn).
 */
static void edu_reload(struct kunit *test)
{
	static const char *const rmmod[] = { "/bin/rmmod", "iox_amd", NULL };
	char levels[16];
	const char *const insmod[] = { "/bin/insmod", IOX_AMD_KO, levels,
				       NULL };
	unsigned int was = edu_expected_levels(test);
	struct iox_domain *dom;
	struct path path;
	u8 *src, *dst;

	if (kern_path(IOX_AMD_KO, LOOKUP_FOLLOW, &path))
		kunit_skip(test, IOX_AMD_KO " not found");
	path_put(&path);
	src = iox_edu_page(test, 0);
	dst = iox_edu_page(test, 1);
	KUNIT_EXPECT_TRUE(test, edu_unit_reg(test, AMD_MMIO_CONTROL) &
				AMD_CTRL_IOMMU_EN);

	/* Released: edu's DTE is pass-through again. */
	iox_release_device(&edu.pdev->dev);
	edu.probed = false;
	iox_edu_pattern(src, PAGE_SIZE, 0x13);
	memset(dst, 0, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, iox_edu_phys(test, 0), 0, EDU_MAX), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, iox_edu_phys(test, 1), 0, EDU_MAX), 0);
	KUNIT_EXPECT_EQ(test, iox_edu_mismatch(dst, EDU_MAX, 0x13), -1L);

	KUNIT_ASSERT_EQ(test, iox_edu_run(rmmod), 0);
	KUNIT_EXPECT_EQ(test, edu_unit_reg(test, AMD_MMIO_CONTROL), 0);
	KUNIT_EXPECT_EQ(test, iox_probe_device(&edu.pdev->dev), -ENODEV);
	iox_edu_pattern(src, PAGE_SIZE, 0x14);
	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, iox_edu_phys(test, 0), 0, EDU_MAX), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, iox_edu_phys(test, 1), 0, EDU_MAX), 0);
	KUNIT_EXPECT_EQ(test, iox_edu_mismatch(dst, EDU_MAX, 0x14), -1L);

	/* Back with 3 levels, or the depth it had if that was 3. */
	snprintf(levels, sizeof(levels), "levels=%u", was == 3 ? 4 : 3);
	KUNIT_ASSERT_EQ(test, iox_edu_run(insmod), 0);
	KUNIT_EXPECT_TRUE(test, edu_unit_reg(test, AMD_MMIO_CONTROL) &
				AMD_CTRL_IOMMU_EN);
	KUNIT_ASSERT_EQ(test, iox_probe_device(&edu.pdev->dev), 0);
	edu.probed = true;
	dom = iox_edu_attach(test, IOX_DOMAIN_PAGING);
	KUNIT_EXPECT_EQ(test, edu_aperture_bits(dom), was == 3 ? 48U : 39U);
	iox_edu_page(test, 2);
	iox_edu_pattern(src, PAGE_SIZE, 0x17);
	memset(dst, 0, PAGE_SIZE);
	/* The IOVAs the other cases used, now to other pages. */
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_A, iox_edu_phys(test, 0), SZ_4K,
				      IOX_READ, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_B, iox_edu_phys(test, 1), SZ_4K,
				      IOX_READ | IOX_WRITE, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, IOVA_A, 0, EDU_MAX), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, IOVA_B, 0, EDU_MAX), 0);
	KUNIT_EXPECT_EQ(test, iox_edu_mismatch(dst, EDU_MAX, 0x17), -1L);
	KUNIT_ASSERT_EQ(test, iox_unmap(dom, IOVA_B, SZ_4K), (ssize_t)SZ_4K);
	edu_write_refused(test, IOVA_B, dst, 0);

	/* As loaded at first, for the suites after this one. */
	iox_detach_device(dom, &edu.pdev->dev);
	iox_domain_free(dom);
	((struct iox_edu_case *)test->priv)->attached = false;
	((struct iox_edu_case *)test->priv)->dom = NULL;
	iox_release_device(&edu.pdev->dev);
	edu.probed = false;
	snprintf(levels, sizeof(levels), "levels=%u", was);
	KUNIT_ASSERT_EQ(test, iox_edu_run(rmmod), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_run(insmod), 0);
	KUNIT_ASSERT_EQ(test, iox_probe_device(&edu.pdev->dev), 0);
	edu.probed = true;
}

/*
 * Booted without amd_iommu=off, the kernel's AMD-Vi driver owns the unit
 * and iox_amd refused it. Its translation must be intact: edu's DMA
 * through the kernel's DMA API (the kernel's IOMMU tables) still works.
 */
static void edu_kernel_owns_unit(struct kunit *test)
{
	if (!edu.pdev)
		kunit_skip(test, "no edu device (1234:11e8)");
	if (edu.probed)
		kunit_skip(test, "iox drives the AMD-Vi unit here");
	if (!(edu_unit_reg(test, AMD_MMIO_CONTROL) & AMD_CTRL_IOMMU_EN))
		kunit_skip(test, "translation is off: no driver owns the unit");
	iox_edu_kernel_dma(test, &edu, "AMD-Vi");
}

static int edu_case_init(struct kunit *test)
{
	return iox_edu_case_init(test, &edu, sizeof(struct iox_edu_case));
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
	KUNIT_CASE(edu_map_dma_unmap),
	KUNIT_CASE(edu_remap_new_page),
	KUNIT_CASE(edu_read_only),
	KUNIT_CASE(edu_large_pages),
	KUNIT_CASE(edu_high_iovas),
	KUNIT_CASE(edu_detach_blocks),
	KUNIT_CASE(edu_identity),
	KUNIT_CASE(edu_debugfs),
	KUNIT_CASE(edu_reload),
	{}
};

static struct kunit_suite edu_suite = {
	.name = "iox_amd_edu",
	.suite_init = edu_suite_init,
	.suite_exit = edu_suite_exit,
	.init = edu_case_init,
	.exit = iox_edu_case_exit,
	.test_cases = edu_cases,
};

static struct kunit_case edu_owned_cases[] = {
	KUNIT_CASE(edu_kernel_owns_unit),
	{}
};

static struct kunit_suite edu_owned_suite = {
	.name = "iox_amd_edu_owned",
	.suite_init = edu_suite_init,
	.suite_exit = edu_suite_exit,
	.test_cases = edu_owned_cases,
};

kunit_test_suites(&edu_suite, &edu_owned_suite);

MODULE_DESCRIPTION("iox-amd proven by QEMU edu device DMA");
MODULE_LICENSE("GPL");
