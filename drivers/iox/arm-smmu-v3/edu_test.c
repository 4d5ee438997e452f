// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite iox_arm_smmu_v3_edu: iox-arm-smmu-v3 proven by device DMA.
 * QEMU's edu device (1234:11e8, stream 0x8 on the arm64 virt machine)
 * copies between its 4 KiB buffer and memory; behind QEMU's smmuv3 every
 * copy is translated by an iox domain, so each case checks what a DMA did
 * byte by byte in the pages behind the IOVAs, and that a refused one was
 * reported through the event queue with its address and reason.
 *
 * Without an edu device translated by an iox unit every case skips. The
 * reload case unloads and reloads iox_arm_smmu_v3 from /modules.
 */
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/iox.h>
#include <linux/module.h>
#include <linux/namei.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include "../tests/edu-case.h"
#include "smmu-hw.h"

#define IOVA_A			0x100000UL
#define IOVA_B			0x200000UL
#define IOVA_2M			0x400000UL
#define IOVA_1G			SZ_1G

#define IOX_SMMU_KO		"/modules/iox_arm_smmu_v3.ko"
#define STAGE_PARAM		"/sys/module/iox_arm_smmu_v3/parameters/stage"
#define GRANULE_PARAM		"/sys/module/iox_arm_smmu_v3/parameters/granule"
#define EDU_DEBUGFS		"/sys/kernel/debug/iox-arm-smmu-v3/iox-smmuv30"

static struct iox_edu edu;

/*
 * edu's write to @iova is refused: the page behind it (@kva) keeps its
 * bytes, and the first fault reported after it names @iova, the write
 * and @reason. Return the fault.
 */
static struct iox_fault edu_write_refused(struct kunit *test, u64 iova,
					  u8 *kva,
					  enum iox_fault_reason reason)
{
	struct iox_edu_case *ec = test->priv;
	unsigned int mark = iox_edu_faults(ec);
	struct iox_fault fault = { };

	memset(kva, 0x55, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, iova, 0, 64), 0);
	KUNIT_EXPECT_TRUE_MSG(test, iox_edu_all(kva, PAGE_SIZE, 0x55),
			      "a refused write to %#llx arrived", iova);
	wait_event_timeout(ec->wq, iox_edu_faults(ec) > mark, IOX_EDU_FAULT_WAIT);
	KUNIT_ASSERT_GT_MSG(test, iox_edu_faults(ec), mark,
			    "no fault reported for the write to %#llx", iova);
	KUNIT_ASSERT_LT(test, mark, IOX_EDU_CASE_FAULTS);
	spin_lock_irq(&ec->lock);
	fault = ec->faults[mark];
	spin_unlock_irq(&ec->lock);
	KUNIT_EXPECT_EQ(test, fault.iova, iova);
	KUNIT_EXPECT_EQ(test, fault.reason, reason);
	KUNIT_EXPECT_TRUE(test, fault.flags & IOX_FAULT_WRITE);
	return fault;
}

static unsigned int edu_param(struct kunit *test, const char *path)
{
	char *buf = iox_edu_read_file(test, path);
	unsigned int v;

	KUNIT_ASSERT_EQ(test, kstrtouint(strim(buf), 10, &v), 0);
	return v;
}

/* The probe put edu in its own group, in the blocked domain. */
static void edu_probed(struct kunit *test)
{
	struct iox_domain *dom = iox_get_domain_for_dev(&edu.pdev->dev);

	KUNIT_ASSERT_NOT_NULL(test, dom);
	KUNIT_EXPECT_EQ(test, dom->type, IOX_DOMAIN_BLOCKED);
}

/*
 * iox's main job on the SMMUv3, told as it goes (the "story:" lines): a
 * buffer mapped, edu reading and writing it, the unmap, and the fault
 * edu's next DMA raises, from the event queue.
 */
static void edu_map_dma_unmap_fault(struct kunit *test)
{
	struct iox_domain *dom;
	struct iox_fault fault;
	u8 *src, *dst;
	long bad;

	kunit_info(test, "story: device: edu %s (%04x:%04x) probed into iox: its own group, in the blocked domain",
		   pci_name(edu.pdev), EDU_VENDOR, EDU_DEVICE);
	dom = iox_edu_attach(test, IOX_DOMAIN_PAGING);
	kunit_info(test, "story: domain: paging, SMMUv3 stage %u, LPAE %uK granule, %u-bit IOVA; edu attached",
		   edu_param(test, STAGE_PARAM) ?: 1,
		   edu_param(test, GRANULE_PARAM),
		   fls64((u64)dom->aperture_end));
	src = iox_edu_page(test, 0);
	dst = iox_edu_page(test, 1);
	iox_edu_pattern(src, PAGE_SIZE, 0x31);
	memset(dst, 0xaa, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_A, iox_edu_phys(test, 0), SZ_4K,
				      IOX_READ, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_B, iox_edu_phys(test, 1), SZ_4K,
				      IOX_READ | IOX_WRITE, GFP_KERNEL), 0);
	kunit_info(test, "story: map:    IOVA %#lx -> phys %#llx read-only, IOVA %#lx -> phys %#llx read/write",
		   IOVA_A, (u64)iox_edu_phys(test, 0), IOVA_B,
		   (u64)iox_edu_phys(test, 1));
	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, IOVA_A, 0, EDU_MAX), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, IOVA_B, 0, EDU_MAX), 0);
	bad = iox_edu_mismatch(dst, EDU_MAX, 0x31);
	KUNIT_EXPECT_EQ_MSG(test, bad, -1L, "byte %ld differs", bad);
	KUNIT_EXPECT_EQ(test, dst[EDU_MAX], 0xaa);
	KUNIT_EXPECT_EQ(test, iox_edu_faults(test->priv), 0);
	kunit_info(test, "story: DMA:    edu copied %u bytes from IOVA %#lx to IOVA %#lx: verified",
		   EDU_MAX, IOVA_A, IOVA_B);

	KUNIT_ASSERT_EQ(test, iox_unmap(dom, IOVA_B, SZ_4K), (ssize_t)SZ_4K);
	fault = edu_write_refused(test, IOVA_B, dst, IOX_FAULT_NOT_PRESENT);
	KUNIT_EXPECT_EQ(test, fault.hw_reason, EVT_F_TRANSLATION);
	kunit_info(test, "story: fault:  after the unmap (TLBI, CMD_SYNC) edu's write at IOVA %#llx faulted: %s (event %#x), reported to the domain's handler; the page kept its bytes",
		   fault.iova, iox_fault_reason_name(fault.reason),
		   fault.hw_reason);
}

/*
 * After unmap + remap to another page, DMA lands in the new page only:
 * QEMU caches translations per ASID (VMID) until a TLBI. A neighbour
 * keeps the leaf table, so the unmap's TLBI is the ranged one.
 */
static void edu_remap_new_page(struct kunit *test)
{
	struct iox_domain *dom = iox_edu_attach(test, IOX_DOMAIN_PAGING);
	u8 *src = iox_edu_page(test, 0), *p1 = iox_edu_page(test, 1);
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
	edu_write_refused(test, IOVA_B, p1, IOX_FAULT_NOT_PRESENT);
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

/* A read-only mapping: writes fault (permission) and change nothing. */
static void edu_read_only(struct kunit *test)
{
	struct iox_domain *dom = iox_edu_attach(test, IOX_DOMAIN_PAGING);
	u8 *ro = iox_edu_page(test, 0), *rw = iox_edu_page(test, 1);
	struct iox_fault fault;

	memset(rw, 0, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_A, iox_edu_phys(test, 0), SZ_4K,
				      IOX_READ, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_B, iox_edu_phys(test, 1), SZ_4K,
				      IOX_READ | IOX_WRITE, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, IOVA_B, 0, EDU_MAX), 0);
	fault = edu_write_refused(test, IOVA_A, ro, IOX_FAULT_PERMISSION);
	KUNIT_EXPECT_EQ(test, fault.hw_reason, EVT_F_PERMISSION);
	iox_edu_pattern(ro, PAGE_SIZE, 9);
	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, IOVA_A, 0, EDU_MAX), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, IOVA_B, 0, EDU_MAX), 0);
	KUNIT_EXPECT_EQ(test, iox_edu_mismatch(rw, EDU_MAX, 9), -1L);
}

/*
 * Blocks: a 2 MiB block over a 2 MiB allocation, DMA at its start, middle
 * and end; a 1 GiB block over the first GiB of RAM (0x40000000 on virt),
 * DMA to a page of the case through it. Both unmapped, and refused.
 */
static void edu_blocks(struct kunit *test)
{
	static const unsigned long offs[] = { 0, 0x89123, SZ_2M - EDU_MAX };
	struct iox_domain *dom = iox_edu_attach(test, IOX_DOMAIN_PAGING);
	struct iox_edu_case *ec = test->priv;
	u64 ram = 0x40000000, in1g;
	struct iox_leaf leaf;
	u8 *src, *big, *dst;
	unsigned int i;

	if (!(dom->pgsize_bitmap & SZ_2M))
		kunit_skip(test, "no 2M blocks with this granule");
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
				    -1L, "2M block, offset %#lx", offs[i]);
	}
	KUNIT_ASSERT_EQ(test, iox_unmap(dom, IOVA_2M, SZ_2M), (ssize_t)SZ_2M);
	edu_write_refused(test, IOVA_2M, big, IOX_FAULT_NOT_PRESENT);

	if (!(dom->pgsize_bitmap & SZ_1G))
		return;
	in1g = iox_edu_phys(test, 1) - ram;
	KUNIT_ASSERT_LT(test, in1g, (u64)SZ_1G);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_1G, ram, SZ_1G,
				      IOX_READ | IOX_WRITE, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_lookup(dom, IOVA_1G + in1g, &leaf), 0);
	KUNIT_EXPECT_EQ(test, leaf.pgsize, (size_t)SZ_1G);
	memset(dst, 0, PAGE_SIZE);
	iox_edu_pattern(src, PAGE_SIZE, 0x4f);
	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, IOVA_A, 0, EDU_MAX), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, IOVA_1G + in1g, 0, EDU_MAX), 0);
	KUNIT_EXPECT_EQ_MSG(test, iox_edu_mismatch(dst, EDU_MAX, 0x4f), -1L,
			    "1G block");
	KUNIT_ASSERT_EQ(test, iox_unmap(dom, IOVA_1G, SZ_1G), (ssize_t)SZ_1G);
	edu_write_refused(test, IOVA_1G + in1g, dst, IOX_FAULT_NOT_PRESENT);
}

/* Detached, edu's STE aborts: its DMA is refused (QEMU logs no event). */
static void edu_detach_blocks(struct kunit *test)
{
	struct iox_domain *dom = iox_edu_attach(test, IOX_DOMAIN_PAGING);
	struct iox_edu_case *ec = test->priv;
	u8 *src = iox_edu_page(test, 0), *dst = iox_edu_page(test, 1);

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
	ec->attached = false;
	KUNIT_ASSERT_EQ(test, iox_get_domain_for_dev(&edu.pdev->dev)->type,
			IOX_DOMAIN_BLOCKED);
	memset(dst, 0x55, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, IOVA_B, 0, EDU_MAX), 0);
	KUNIT_EXPECT_TRUE_MSG(test, iox_edu_all(dst, PAGE_SIZE, 0x55),
			      "a blocked device's write arrived");
}

/* An identity domain (bypass STE): the device's addresses are physical. */
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

/* edu's line of the devices file in @buf, cut at its end. */
static char *edu_devices_line(struct kunit *test, char *buf)
{
	const char *name = dev_name(&edu.pdev->dev);
	char *line, *next;

	for (line = buf; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (strstr(line, name))
			return line;
	}
	KUNIT_FAIL(test, "%s is not in the devices file", name);
	kunit_skip(test, "no line to check");
	return NULL;
}

/* Scan @n hex dwords after @tag (" ste ", " cd ") in @line. */
static void edu_dwords(struct kunit *test, const char *line, const char *tag,
		       u64 *d, unsigned int n)
{
	const char *p = strstr(line, tag);
	unsigned int i;
	int len, got;

	KUNIT_ASSERT_TRUE_MSG(test, !!p, "no%s in \"%s\"", tag, line);
	p += strlen(tag);
	for (i = 0; i < n; i++) {
		got = sscanf(p, " %llx%n", &d[i], &len);
		KUNIT_ASSERT_EQ_MSG(test, got, 1, "dword %u of%s in \"%s\"", i,
				    tag, line);
		p += len;
	}
}

/*
 * The debugfs files say what the unit holds: the caps the stage iox
 * uses, edu's STE (and CD, at stage 1) pointing at its domain's table
 * under its ASID or VMID, the table dump exactly what was mapped; and,
 * detached, an aborting STE.
 */
static void edu_debugfs(struct kunit *test)
{
	struct iox_domain *dom = iox_edu_attach(test, IOX_DOMAIN_PAGING);
	unsigned int stage, id;
	int got;
	u64 ste[STE_DWORDS], cd[CD_DWORDS / 2], root, table_root;
	char path[96], *buf, *line;

	iox_edu_page(test, 0);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_A, iox_edu_phys(test, 0), SZ_4K,
				      IOX_READ, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_map(dom, IOVA_B, iox_edu_phys(test, 0), SZ_4K,
				      IOX_READ | IOX_WRITE, GFP_KERNEL), 0);

	buf = iox_edu_read_file(test, EDU_DEBUGFS "/caps");
	got = sscanf(strstr(buf, "stage: ") ?: "", "stage: %u", &stage);
	KUNIT_ASSERT_EQ(test, got, 1);
	KUNIT_ASSERT_TRUE(test, stage == 1 || stage == 2);
	KUNIT_EXPECT_TRUE(test, iox_edu_field_is(buf, "granule", "4K"));

	buf = iox_edu_read_file(test, EDU_DEBUGFS "/devices");
	line = edu_devices_line(test, buf);
	got = sscanf(strstr(line, stage == 1 ? " asid " : " vmid ") ?: "",
		     stage == 1 ? " asid %u" : " vmid %u", &id);
	KUNIT_ASSERT_EQ_MSG(test, got, 1, "\"%s\"", line);
	KUNIT_EXPECT_NOT_NULL(test, strstr(line, " paging "));
	edu_dwords(test, line, " ste ", ste, STE_DWORDS);
	KUNIT_EXPECT_TRUE(test, ste[0] & STE_V);
	if (stage == 1) {
		KUNIT_EXPECT_EQ(test, FIELD_GET(STE_CONFIG, ste[0]),
				STE_CFG_S1);
		KUNIT_EXPECT_NE(test, ste[0] & STE_S1CTXPTR, 0);
		edu_dwords(test, line, " cd ", cd, CD_DWORDS / 2);
		KUNIT_EXPECT_TRUE(test, cd[0] & CD_V);
		KUNIT_EXPECT_EQ(test, FIELD_GET(CD_ASID, cd[0]), id);
		root = cd[1] & CD_TTB0;
	} else {
		KUNIT_EXPECT_EQ(test, FIELD_GET(STE_CONFIG, ste[0]),
				STE_CFG_S2);
		KUNIT_EXPECT_EQ(test, FIELD_GET(STE_S2VMID, ste[2]), id);
		root = ste[3] & STE_S2TTB;
	}

	snprintf(path, sizeof(path), EDU_DEBUGFS "/domain-%u/pagetable", id);
	buf = iox_edu_read_file(test, path);
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, stage == 1 ? "lpae-s1" :
							     "lpae-s2"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "0x0000000000100000-0x0000000000100fff"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "0x0000000000200000-0x0000000000200fff"));
	got = sscanf(strstr(buf, "root ") ?: "", "root %llx", &table_root);
	KUNIT_ASSERT_EQ(test, got, 1);
	KUNIT_EXPECT_EQ_MSG(test, root, table_root, "the unit's root: %s", buf);

	/* Detached: blocked, an aborting STE. */
	iox_detach_device(dom, &edu.pdev->dev);
	((struct iox_edu_case *)test->priv)->attached = false;
	buf = iox_edu_read_file(test, EDU_DEBUGFS "/devices");
	line = edu_devices_line(test, buf);
	KUNIT_EXPECT_NOT_NULL(test, strstr(line, " blocked "));
	edu_dwords(test, line, " ste ", ste, 1);
	KUNIT_EXPECT_EQ(test, ste[0], STE_V |
			FIELD_PREP(STE_CONFIG, STE_CFG_ABORT));
}

/* CR0 of the first SMMUv3 of the devicetree, read directly. */
static u32 edu_cr0(struct kunit *test)
{
	struct device_node *np;
	void __iomem *regs;
	struct resource res;
	u32 cr0;

	np = of_find_compatible_node(NULL, NULL, "arm,smmu-v3");
	KUNIT_ASSERT_NOT_NULL(test, np);
	KUNIT_ASSERT_EQ(test, of_address_to_resource(np, 0, &res), 0);
	of_node_put(np);
	regs = ioremap(res.start, SZ_4K);
	KUNIT_ASSERT_TRUE(test, !!regs);
	cr0 = readl(regs + SMMU_CR0);
	iounmap(regs);
	return cr0;
}

static const char *const edu_rmmod[] = { "/bin/rmmod", "iox_arm_smmu_v3",
					  NULL };

/* insmod iox_arm_smmu_v3 with @granule (KiB) and @stage; probe edu. */
static void edu_load(struct kunit *test, unsigned int granule,
		     unsigned int stage)
{
	char gran[24], stg[16];
	const char *const insmod[] = { "/bin/insmod", IOX_SMMU_KO, gran, stg,
				       NULL };

	snprintf(gran, sizeof(gran), "granule=%u", granule);
	snprintf(stg, sizeof(stg), "stage=%u", stage);
	KUNIT_ASSERT_EQ(test, iox_edu_run(insmod), 0);
	KUNIT_ASSERT_EQ(test, iox_probe_device(&edu.pdev->dev), 0);
	edu.probed = true;
}

/* Release edu and rmmod iox_arm_smmu_v3. */
static void edu_unload(struct kunit *test)
{
	iox_release_device(&edu.pdev->dev);
	edu.probed = false;
	KUNIT_ASSERT_EQ(test, iox_edu_run(edu_rmmod), 0);
}

/*
 * Loaded with @granule: DMA translated within one 64 KiB block mapped
 * whole (a multiple of every granule), refused once it is unmapped;
 * then unloaded.
 */
static void edu_granule_dma(struct kunit *test, unsigned int granule,
			    unsigned int stage)
{
	struct iox_edu_case *ec = test->priv;
	struct iox_domain *dom;
	struct page *block;
	u8 *src, *dst;

	edu_load(test, granule, stage);
	KUNIT_EXPECT_EQ(test, edu_param(test, GRANULE_PARAM), granule);
	block = alloc_pages(GFP_KERNEL, get_order(SZ_64K));
	KUNIT_ASSERT_NOT_NULL(test, block);
	src = page_address(block);
	dst = src + SZ_32K;
	dom = iox_edu_attach(test, IOX_DOMAIN_PAGING);
	iox_edu_pattern(src, PAGE_SIZE, 0x17);
	memset(dst, 0, PAGE_SIZE);
	if (iox_map(dom, SZ_1M, page_to_phys(block), SZ_64K,
		    IOX_READ | IOX_WRITE, GFP_KERNEL)) {
		__free_pages(block, get_order(SZ_64K));
		KUNIT_FAIL(test, "map of 64K at granule %uK", granule);
		return;
	}
	if (!iox_edu_read(&edu, SZ_1M, 0, EDU_MAX) &&
	    !iox_edu_write(&edu, SZ_1M + SZ_32K, 0, EDU_MAX))
		KUNIT_EXPECT_EQ_MSG(test, iox_edu_mismatch(dst, EDU_MAX, 0x17),
				    -1L, "granule %uK", granule);
	else
		KUNIT_FAIL(test, "edu DMA at granule %uK", granule);
	KUNIT_EXPECT_EQ(test, iox_unmap(dom, SZ_1M, SZ_64K), (ssize_t)SZ_64K);
	edu_write_refused(test, SZ_1M + SZ_32K, dst, IOX_FAULT_NOT_PRESENT);

	iox_detach_device(dom, &edu.pdev->dev);
	iox_domain_free(dom);
	__free_pages(block, get_order(SZ_64K));
	ec->attached = false;
	ec->dom = NULL;
	edu_unload(test);
}

/*
 * Release edu, unload: SMMUEN clear, edu's DMA untranslated. Reload with
 * each of the other two granules (of 4K, 16K, 64K) in turn and DMA
 * again, translated: the unit's caches were invalidated at load (QEMU
 * keeps them across SMMUEN). Then load as at first, for what follows.
 */
static void edu_reload(struct kunit *test)
{
	static const unsigned int granules[] = { 4, 16, 64 };
	unsigned int was = edu_param(test, GRANULE_PARAM), st, i;
	struct path path;
	u8 *src, *dst;

	if (kern_path(IOX_SMMU_KO, LOOKUP_FOLLOW, &path))
		kunit_skip(test, IOX_SMMU_KO " not found");
	path_put(&path);
	st = edu_param(test, STAGE_PARAM);
	src = iox_edu_page(test, 0);
	dst = iox_edu_page(test, 1);
	KUNIT_EXPECT_TRUE(test, edu_cr0(test) & CR0_SMMUEN);
	edu_unload(test);
	KUNIT_EXPECT_EQ(test, edu_cr0(test) & CR0_SMMUEN, 0);
	iox_edu_pattern(src, PAGE_SIZE, 0x14);
	memset(dst, 0, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, iox_edu_read(&edu, iox_edu_phys(test, 0), 0, EDU_MAX), 0);
	KUNIT_ASSERT_EQ(test, iox_edu_write(&edu, iox_edu_phys(test, 1), 0, EDU_MAX), 0);
	KUNIT_EXPECT_EQ(test, iox_edu_mismatch(dst, EDU_MAX, 0x14), -1L);

	for (i = 0; i < ARRAY_SIZE(granules); i++)
		if (granules[i] != was)
			edu_granule_dma(test, granules[i], st);
	edu_load(test, was, st);
}

/*
 * The kernel's SMMUv3 driver owns the unit (the owned boot) and iox
 * refused it: edu's DMA through the kernel's DMA API still works.
 */
static int edu_owned_probe(struct pci_dev *pdev,
			   const struct pci_device_id *id)
{
	return 0;
}

static const struct pci_device_id edu_owned_ids[] = {
	{ PCI_DEVICE(0x1234, 0x11e8) },
	{}
};

/*
 * On a devicetree system a PCI device's DMA is set up, through the IOMMU
 * that the iommu-map names, when a driver binds to it (pci_dma_configure()
 * at probe): an edu with no driver has the direct DMA ops and no STE, and
 * its DMA would end in C_BAD_STREAMID. So the case binds this driver
 * first, as any user of edu would.
 */
static struct pci_driver edu_owned_driver = {
	.name = "iox-edu-owned",
	.id_table = edu_owned_ids,
	.probe = edu_owned_probe,
};

static void edu_kernel_owns_unit(struct kunit *test)
{
	if (!edu.pdev)
		kunit_skip(test, "no edu device (1234:11e8)");
	if (edu.probed)
		kunit_skip(test, "iox drives the SMMUv3 here");
	if (!(edu_cr0(test) & CR0_SMMUEN))
		kunit_skip(test, "translation is off: no driver owns the unit");
	KUNIT_ASSERT_EQ(test, pci_register_driver(&edu_owned_driver), 0);
	if (edu.pdev->dev.driver != &edu_owned_driver.driver) {
		pci_unregister_driver(&edu_owned_driver);
		KUNIT_FAIL(test, "edu is bound to another driver");
		return;
	}
	iox_edu_kernel_dma(test, &edu, "SMMUv3");
	pci_unregister_driver(&edu_owned_driver);
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
	KUNIT_CASE(edu_map_dma_unmap_fault),
	KUNIT_CASE(edu_remap_new_page),
	KUNIT_CASE(edu_read_only),
	KUNIT_CASE(edu_blocks),
	KUNIT_CASE(edu_detach_blocks),
	KUNIT_CASE(edu_identity),
	KUNIT_CASE(edu_debugfs),
	KUNIT_CASE(edu_reload),
	{}
};

static struct kunit_suite edu_suite = {
	.name = "iox_arm_smmu_v3_edu",
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
	.name = "iox_arm_smmu_v3_edu_owned",
	.suite_init = edu_suite_init,
	.suite_exit = edu_suite_exit,
	.test_cases = edu_owned_cases,
};

kunit_test_suites(&edu_suite, &edu_owned_suite);

MODULE_DESCRIPTION("iox-arm-smmu-v3 proven by QEMU edu device DMA");
MODULE_LICENSE("GPL");
