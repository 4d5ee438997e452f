// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: seed 000's video pipeline on the VCM graph, with real device DMA
 * in the vm-vtd VM (the "hotplug" boot, which has two edu devices):
 *
 *   card reader  the edu behind the PCIe root port, a direct (MMU-less)
 *                mapper: VT-d passes it through while its association is
 *                active, and it DMAs one card sector at a time into the
 *                blocks at their physical addresses;
 *   decoder      the edu on the root bus, in an iox paging domain on VT-d:
 *                it reads the blocks and writes the frame through its VCM;
 *   display      an endpoint of a mock unit with the ARM v7s format, whose
 *                "DMA" walks the v7s table: it scans the frame out;
 *   CPU          the kernel's vmap of the frame, and a process's mmap of it
 *                (/bin/vcm-user, tools/testing/iox/vm-vtd/vcm-user.c).
 *
 * Each hop's bytes are checked where they land. The frame buffer is
 * allocated for the decoder, the display and the CPU together, so its
 * chunks are the sizes all three map best; each mapper's leaves are
 * reported. Then it is migrated while the three hold it, and the next
 * frame's DMA is checked at the new physical pages.
 */
#include <kunit/test.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/vcm.h>
#include <linux/wait.h>
#include "../mock/iox-mock.h"
#include "edu.h"
#include "pt-shapes.h"

#define RW		(IOX_READ | IOX_WRITE)
#define SLICE		4000	/* bytes of a card sector, a block, a slice */
#define NR_SLICES	4
#define BLOCK_STRIDE	SZ_4K
/* 2M + 1M + 64K + 4K: one chunk of each size the three mappers share. */
#define PIPE_FRAME	(SZ_2M + SZ_1M + SZ_64K + SZ_4K)
#define USER_MARK	(PIPE_FRAME - 1)
#define FAULT_WAIT	(2 * HZ)

/*
 * Where the decoder writes slice k of a frame: the frame's start, then
 * across each boundary between two chunks, so one DMA goes through two
 * chunks of different sizes.
 */
static const size_t slice_off[NR_SLICES] = {
	0,
	SZ_2M - SLICE / 2,
	SZ_2M + SZ_1M - SLICE / 2,
	SZ_2M + SZ_1M + SZ_64K - SLICE / 2,
};

/* Slice k of frame f: the pattern of the card's sector k for that frame. */
static u8 slice_seed(unsigned int frame, unsigned int k)
{
	return frame * 16 + k;
}

/**
 * struct pipe - the pipeline's graph, built for each case
 * @card: the card's sectors, in memory the card reader reads
 * @card_pa: their physical address
 * @dec_vcm: the decoder's VCM, on VT-d
 * @disp_vcm: the display's VCM, on the mock unit
 * @cpu_vcm: the CPU's
 * @direct: the card reader's
 * @blocks: the blocks' memory
 * @frame: the frame buffer's memory
 * @blk_direct: the blocks, as the card reader addresses them
 * @blk_dec: the blocks, as the decoder reads them
 * @fb_dec: the frame, as the decoder writes it
 * @fb_disp: the frame, as the display reads it
 * @fb_cpu: the frame, as the CPU reads it
 * @rdr: the card reader's association
 * @dec: the decoder's
 * @disp: the display's
 * @lock: protects @faults and @fault_addr
 * @wq: woken by a fault
 * @faults: the decoder's faults, through its VCM's fault hook
 * @fault_addr: the address of the last
 * @user_maps: what the power query said of the CPU's mmap()s during the
 *	user case's migration
 * @next_ret: the result of that migration and frame
 */
struct pipe {
	void *card;
	phys_addr_t card_pa;
	struct vcm *dec_vcm, *disp_vcm, *cpu_vcm, *direct;
	struct vcm_phys *blocks, *frame;
	struct vcm_res *blk_direct, *blk_dec;
	struct vcm_res *fb_dec, *fb_disp, *fb_cpu;
	struct vcm_assoc *rdr, *dec, *disp;
	spinlock_t lock;	/* @faults, @fault_addr */
	wait_queue_head_t wq;
	unsigned int faults;
	u64 fault_addr;
	int user_maps;
	int next_ret;
};

/* The devices, found once for the suite. */
static struct iox_edu decoder, reader;
static struct iox_mock *display_unit;
static struct device *display;

static int pipe_fault_hook(struct vcm_assoc *assoc, u64 addr, u32 flags,
			   void *data)
{
	struct pipe *p = data;

	spin_lock(&p->lock);
	p->faults++;
	p->fault_addr = addr;
	spin_unlock(&p->lock);
	wake_up(&p->wq);
	return 0;
}

/* @len bytes from byte @off of @phys, across its chunks. */
static void pipe_read_phys(struct vcm_phys *phys, size_t off, u8 *buf,
			   size_t len)
{
	size_t n;

	while (len) {
		n = min_t(size_t, len, PAGE_SIZE - offset_in_page(off));
		memcpy(buf, phys_to_virt(vcm_phys_addr(phys, off)), n);
		buf += n;
		off += n;
		len -= n;
	}
}

/*
 * What the display scans out at @off: its endpoint's DMA translates each
 * page through the v7s table, and the bytes are read where it lands.
 */
static int pipe_display_read(struct pipe *p, size_t off, u8 *buf, size_t len)
{
	u64 iova = vcm_res_addr(p->fb_disp) + off;
	phys_addr_t pa;
	size_t n;
	int ret;

	while (len) {
		n = min_t(size_t, len, PAGE_SIZE - offset_in_page(iova));
		ret = iox_mock_dma(display_unit, display, iova, IOX_FAULT_READ,
				   &pa);
		if (ret)
			return ret;
		memcpy(buf, phys_to_virt(pa), n);
		buf += n;
		iova += n;
		len -= n;
	}
	return 0;
}

/*
 * The leaves of @res, by size, in the domain @dev is attached to: what its
 * mapper made of the chunks.
 */
static void pipe_report_leaves(struct kunit *test, const char *who,
			       struct device *dev, struct vcm_res *res)
{
	struct iox_domain *domain = iox_get_domain_for_dev(dev);
	unsigned int n4k = 0, n64k = 0, n1m = 0, n2m = 0;
	u64 iova = vcm_res_addr(res), end = iova + vcm_res_size(res);
	struct iox_leaf leaf;

	KUNIT_ASSERT_NOT_NULL(test, domain);
	while (iova < end) {
		KUNIT_ASSERT_EQ(test, iox_lookup(domain, iova, &leaf), 0);
		n4k += leaf.pgsize == SZ_4K;
		n64k += leaf.pgsize == SZ_64K;
		n1m += leaf.pgsize == SZ_1M;
		n2m += leaf.pgsize == SZ_2M;
		iova = ALIGN_DOWN(iova, leaf.pgsize) + leaf.pgsize;
	}
	kunit_info(test, "%s leaves: %u x 2M, %u x 1M, %u x 64K, %u x 4K",
		   who, n2m, n1m, n64k, n4k);
	KUNIT_EXPECT_EQ(test, (u64)n2m * SZ_2M + (u64)n1m * SZ_1M +
			(u64)n64k * SZ_64K + (u64)n4k * SZ_4K,
			(u64)vcm_res_size(res));
}

/* The graph of the pipeline, everything backed and active. */
static int pipe_init(struct kunit *test)
{
	struct vcm *fb_mappers[3], *blk_mappers[2];
	unsigned long sizes;
	unsigned int i;
	struct pipe *p;
	phys_addr_t pa;
	size_t len;

	iox_edu_case_require(test, &decoder);
	if (!reader.pdev)
		kunit_skip(test, "no edu behind a root port (vm-vtd's hotplug boot has one)");
	if (!reader.probed)
		kunit_skip(test, "no iox unit translates the edu at %s",
			   pci_name(reader.pdev));
	p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	spin_lock_init(&p->lock);
	init_waitqueue_head(&p->wq);
	test->priv = p;

	p->card = (void *)get_zeroed_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p->card);
	p->card_pa = virt_to_phys(p->card);
	p->dec_vcm = vcm_create(&decoder.pdev->dev, SZ_1G, SZ_1G);
	p->disp_vcm = vcm_create(display, SZ_256M, SZ_256M);
	p->cpu_vcm = vcm_create_cpu();
	p->direct = vcm_create_direct();
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p->dec_vcm);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p->disp_vcm);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p->cpu_vcm);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p->direct);

	/* The blocks: one contiguous chunk, for the card reader. */
	blk_mappers[0] = p->direct;
	blk_mappers[1] = p->dec_vcm;
	p->blocks = vcm_phys_alloc(blk_mappers, 2, NR_SLICES * BLOCK_STRIDE,
				   GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p->blocks);
	KUNIT_EXPECT_EQ(test, vcm_phys_nr_chunks(p->blocks), 1U);
	p->blk_direct = vcm_reserve(p->direct, NR_SLICES * BLOCK_STRIDE, RW);
	p->blk_dec = vcm_reserve(p->dec_vcm, NR_SLICES * BLOCK_STRIDE,
				 IOX_READ);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p->blk_direct);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p->blk_dec);
	KUNIT_ASSERT_EQ(test, vcm_back(p->blk_direct, p->blocks), 0);
	KUNIT_ASSERT_EQ(test, vcm_back(p->blk_dec, p->blocks), 0);

	/* The frame: chunks for the decoder, the display and the CPU. */
	fb_mappers[0] = p->dec_vcm;
	fb_mappers[1] = p->disp_vcm;
	fb_mappers[2] = p->cpu_vcm;
	sizes = vcm_chunk_sizes(fb_mappers, 3);
	kunit_info(test, "frame chunk sizes for VT-d, v7s and the CPU:%s%s%s%s",
		   sizes & SZ_4K ? " 4K" : "", sizes & SZ_64K ? " 64K" : "",
		   sizes & SZ_1M ? " 1M" : "", sizes & SZ_2M ? " 2M" : "");
	KUNIT_EXPECT_EQ(test, sizes,
			(unsigned long)(SZ_4K | SZ_64K | SZ_1M | SZ_2M));
	p->frame = vcm_phys_alloc(fb_mappers, 3, PIPE_FRAME, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p->frame);
	for (i = 0; !vcm_phys_chunk(p->frame, i, &pa, &len); i++)
		kunit_info(test, "frame chunk %u: %zuK at %#llx", i,
			   len / SZ_1K, (u64)pa);
	p->fb_dec = vcm_reserve(p->dec_vcm, PIPE_FRAME, RW);
	p->fb_disp = vcm_reserve(p->disp_vcm, PIPE_FRAME, IOX_READ);
	p->fb_cpu = vcm_reserve(p->cpu_vcm, PIPE_FRAME, RW);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p->fb_dec);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p->fb_disp);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p->fb_cpu);
	KUNIT_ASSERT_EQ(test, vcm_back(p->fb_dec, p->frame), 0);
	KUNIT_ASSERT_EQ(test, vcm_back(p->fb_disp, p->frame), 0);
	KUNIT_ASSERT_EQ(test, vcm_back(p->fb_cpu, p->frame), 0);

	p->rdr = vcm_assoc(p->direct, &reader.pdev->dev);
	p->dec = vcm_assoc(p->dec_vcm, &decoder.pdev->dev);
	p->disp = vcm_assoc(p->disp_vcm, display);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p->rdr);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p->dec);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p->disp);
	vcm_set_fault_hook(p->dec, pipe_fault_hook, p);
	KUNIT_ASSERT_EQ(test, vcm_activate(p->rdr), 0);
	KUNIT_ASSERT_EQ(test, vcm_activate(p->dec), 0);
	KUNIT_ASSERT_EQ(test, vcm_activate(p->disp), 0);
	return 0;
}

static void pipe_exit(struct kunit *test)
{
	struct pipe *p = test->priv;
	struct vcm_res *res[] = { p ? p->blk_direct : NULL,
				  p ? p->blk_dec : NULL,
				  p ? p->fb_dec : NULL,
				  p ? p->fb_disp : NULL,
				  p ? p->fb_cpu : NULL };
	struct vcm_assoc *assoc[] = { p ? p->rdr : NULL, p ? p->dec : NULL,
				      p ? p->disp : NULL };
	struct vcm *vcm[] = { p ? p->dec_vcm : NULL, p ? p->disp_vcm : NULL,
			      p ? p->cpu_vcm : NULL, p ? p->direct : NULL };
	unsigned int i;

	if (!p)
		return;
	for (i = 0; i < ARRAY_SIZE(assoc); i++) {
		if (IS_ERR_OR_NULL(assoc[i]))
			continue;
		vcm_deactivate(assoc[i]);
		KUNIT_EXPECT_EQ(test, vcm_deassoc(assoc[i]), 0);
	}
	for (i = 0; i < ARRAY_SIZE(res); i++) {
		if (IS_ERR_OR_NULL(res[i]))
			continue;
		vcm_unback(res[i]);
		KUNIT_EXPECT_EQ(test, vcm_unreserve(res[i]), 0);
	}
	if (!IS_ERR_OR_NULL(p->blocks))
		KUNIT_EXPECT_EQ(test, vcm_phys_free(p->blocks), 0);
	if (!IS_ERR_OR_NULL(p->frame))
		KUNIT_EXPECT_EQ(test, vcm_phys_free(p->frame), 0);
	for (i = 0; i < ARRAY_SIZE(vcm); i++)
		if (!IS_ERR_OR_NULL(vcm[i]))
			KUNIT_EXPECT_EQ(test, vcm_destroy(vcm[i]), 0);
	free_page((unsigned long)p->card);
}

/*
 * The card reader fills the blocks: for each, the card's sector goes into
 * edu's buffer and from there to the block's physical address. Checked
 * in the blocks' memory.
 */
static int pipe_card_reader(struct kunit *test, unsigned int frame)
{
	struct pipe *p = test->priv;
	u64 blocks = vcm_res_addr(p->blk_direct);
	u8 *blk;
	unsigned int k;
	int bad = 0;

	KUNIT_EXPECT_EQ(test, blocks, (u64)vcm_phys_addr(p->blocks, 0));
	for (k = 0; k < NR_SLICES; k++) {
		iox_edu_pattern(p->card, SLICE, slice_seed(frame, k));
		if (iox_edu_dma(&reader, p->card_pa, EDU_BUF, SLICE, false) ||
		    iox_edu_dma(&reader, EDU_BUF, blocks + k * BLOCK_STRIDE,
				SLICE, true))
			return -ETIMEDOUT;
		blk = phys_to_virt(blocks + k * BLOCK_STRIDE);
		bad += iox_edu_mismatch(blk, SLICE, slice_seed(frame, k)) >= 0;
	}
	KUNIT_EXPECT_EQ_MSG(test, bad, 0, "card reader: blocks of frame %u",
			    frame);
	return 0;
}

/*
 * The decoder reads each block through its VCM into edu's buffer and
 * writes it as a slice of the frame. Checked at the frame's physical
 * pages.
 */
static int pipe_decoder(struct kunit *test, unsigned int frame)
{
	struct pipe *p = test->priv;
	u64 blocks = vcm_res_addr(p->blk_dec), fb = vcm_res_addr(p->fb_dec);
	unsigned int k;
	int bad = 0;
	u8 *buf;

	/* No assertion: the user case runs it in the process's write(). */
	buf = kunit_kmalloc(test, SLICE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	for (k = 0; k < NR_SLICES; k++) {
		if (iox_edu_dma(&decoder, blocks + k * BLOCK_STRIDE, EDU_BUF,
				SLICE, false) ||
		    iox_edu_dma(&decoder, EDU_BUF, fb + slice_off[k], SLICE,
				true))
			return -ETIMEDOUT;
		pipe_read_phys(p->frame, slice_off[k], buf, SLICE);
		bad += iox_edu_mismatch(buf, SLICE, slice_seed(frame, k)) >= 0;
	}
	KUNIT_EXPECT_EQ_MSG(test, bad, 0, "decoder: slices of frame %u", frame);
	return 0;
}

/* The display and the CPU see the frame. */
static void pipe_display_and_cpu(struct kunit *test, unsigned int frame)
{
	struct pipe *p = test->priv;
	int disp_bad = 0, cpu_bad = 0;
	unsigned int k;
	u8 *buf, *cpu;

	buf = kunit_kmalloc(test, SLICE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	cpu = vcm_cpu_access_begin(p->fb_cpu);
	KUNIT_ASSERT_NOT_NULL(test, cpu);
	for (k = 0; k < NR_SLICES; k++) {
		if (pipe_display_read(p, slice_off[k], buf, SLICE) ||
		    iox_edu_mismatch(buf, SLICE, slice_seed(frame, k)) >= 0)
			disp_bad++;
		if (iox_edu_mismatch(cpu + slice_off[k], SLICE,
				     slice_seed(frame, k)) >= 0)
			cpu_bad++;
	}
	vcm_cpu_access_end(p->fb_cpu);
	KUNIT_EXPECT_EQ_MSG(test, disp_bad, 0, "display: frame %u", frame);
	KUNIT_EXPECT_EQ_MSG(test, cpu_bad, 0, "CPU: frame %u", frame);
}

/* One frame through every hop. */
static void pipe_frame(struct kunit *test, unsigned int frame)
{
	KUNIT_ASSERT_EQ_MSG(test, pipe_card_reader(test, frame), 0,
			    "the card reader's DMA did not complete");
	KUNIT_ASSERT_EQ_MSG(test, pipe_decoder(test, frame), 0,
			    "the decoder's DMA did not complete");
	pipe_display_and_cpu(test, frame);
	kunit_info(test, "frame %u: card reader -> blocks -> decoder -> frame -> display, CPU: %u slices of %u bytes checked at each hop",
		   frame, NR_SLICES, SLICE);
}

/* A frame through the pipeline; each mapper's leaves. */
static void vcm_pipeline_frame(struct kunit *test)
{
	struct pipe *p = test->priv;

	pipe_frame(test, 1);
	pipe_report_leaves(test, "decoder (VT-d)", &decoder.pdev->dev,
			   p->fb_dec);
	pipe_report_leaves(test, "display (v7s)", display, p->fb_disp);
	kunit_info(test, "CPU: vmap of %u 4K pages", PIPE_FRAME / SZ_4K);
	KUNIT_EXPECT_EQ(test, p->faults, 0U);
}

static const char *const state_names[] = {
	[VCM_IDLE] = "idle", [VCM_ACTIVE] = "active", [VCM_PINNED] = "pinned",
};

/* The power query on the frame: the three mappers, and their states. */
static unsigned int pipe_power_query(struct kunit *test)
{
	struct pipe *p = test->priv;
	struct vcm_holder h[6];
	unsigned int i, seen = 0;
	int n;

	n = vcm_holders(vcm_phys_addr(p->frame, 0), PIPE_FRAME, h, ARRAY_SIZE(h));
	KUNIT_ASSERT_EQ(test, n, 3);
	for (i = 0; i < n; i++) {
		kunit_info(test, "power query: %s mapper, device %s, %s, %s, %u user maps",
			   h[i].mapper == VCM_MAPPER_CPU ? "cpu" : "iommu",
			   h[i].dev ? dev_name(h[i].dev) : "-",
			   state_names[h[i].state],
			   h[i].movable ? "movable" : "not movable",
			   h[i].user_maps);
		KUNIT_EXPECT_TRUE(test, h[i].movable);
		if (h[i].vcm == p->dec_vcm &&
		    h[i].dev == &decoder.pdev->dev &&
		    h[i].state == VCM_ACTIVE)
			seen |= 1;
		else if (h[i].vcm == p->disp_vcm && h[i].dev == display &&
			 h[i].state == VCM_ACTIVE)
			seen |= 2;
		else if (h[i].vcm == p->cpu_vcm && h[i].state == VCM_IDLE)
			seen |= 4;
	}
	KUNIT_EXPECT_EQ(test, seen, 7U);
	return n;
}

/*
 * Move the frame while the decoder, the display and the CPU map it; the
 * old pages must be referenced by nothing and freed.
 */
static int pipe_migrate(struct kunit *test)
{
	struct pipe *p = test->priv;
	struct page *old[8];
	unsigned int i, nr;
	struct vcm_holder why;
	phys_addr_t pa;
	size_t len;
	int ret;

	nr = vcm_phys_nr_chunks(p->frame);
	if (WARN_ON(nr > ARRAY_SIZE(old)))
		return -E2BIG;
	for (i = 0; i < nr; i++) {
		vcm_phys_chunk(p->frame, i, &pa, &len);
		old[i] = pfn_to_page(PHYS_PFN(pa));
	}
	ret = vcm_migrate(p->frame, GFP_KERNEL, &why);
	if (ret)
		return ret;
	for (i = 0; i < nr; i++) {
		vcm_phys_chunk(p->frame, i, &pa, &len);
		KUNIT_EXPECT_NE(test, pa, page_to_phys(old[i]));
		/* Freed: no reference left (read before anything allocates). */
		KUNIT_EXPECT_EQ(test, page_ref_count(old[i]), 0);
		KUNIT_EXPECT_EQ(test, vcm_holders(page_to_phys(old[i]), len,
						  NULL, 0), 0);
	}
	return 0;
}

/*
 * The power query lists the three mappers; the frame moves under them;
 * the next frame's DMA lands in the new pages, and the old IOVA of a
 * frame no longer backed faults.
 */
static void vcm_pipeline_migrate(struct kunit *test)
{
	struct pipe *p = test->priv;
	struct vcm_holder why;
	phys_addr_t pa;
	size_t len;
	unsigned int i;

	pipe_frame(test, 1);
	pipe_power_query(test);
	/* The card reader is active: its blocks cannot move. */
	KUNIT_EXPECT_EQ(test, vcm_migrate(p->blocks, GFP_KERNEL, &why),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, why.mapper, VCM_MAPPER_DIRECT);
	KUNIT_EXPECT_PTR_EQ(test, why.dev, &reader.pdev->dev);

	KUNIT_ASSERT_EQ(test, pipe_migrate(test), 0);
	for (i = 0; !vcm_phys_chunk(p->frame, i, &pa, &len); i++)
		kunit_info(test, "migrated chunk %u: %zuK now at %#llx", i,
			   len / SZ_1K, (u64)pa);
	/* Frame 1 was copied; frame 2 is decoded into the new pages. */
	pipe_display_and_cpu(test, 1);
	pipe_frame(test, 2);
	pipe_power_query(test);
	KUNIT_EXPECT_EQ(test, p->faults, 0U);

	/* Unbacked, the decoder's frame address faults and writes nothing. */
	KUNIT_ASSERT_EQ(test, vcm_unback(p->fb_dec), 0);
	memset(phys_to_virt(vcm_phys_addr(p->frame, 0)), 0, SZ_4K);
	KUNIT_ASSERT_EQ(test, iox_edu_dma(&decoder, EDU_BUF,
					  vcm_res_addr(p->fb_dec), SLICE,
					  true), 0);
	wait_event_timeout(p->wq, READ_ONCE(p->faults), FAULT_WAIT);
	KUNIT_EXPECT_EQ(test, p->faults, 1U);
	KUNIT_EXPECT_EQ(test, p->fault_addr, vcm_res_addr(p->fb_dec));
	KUNIT_EXPECT_TRUE(test, iox_edu_all(phys_to_virt(vcm_phys_addr(p->frame, 0)),
					    SZ_4K, 0));
}

/* The user case's control file: mmap is the frame, "next" moves it. */
static struct kunit *user_test;

static int pipe_file_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct pipe *p = user_test->priv;

	return vcm_mmap(p->fb_cpu, vma);
}

/* The process asks for the next frame: migrate the frame, decode 2. */
static ssize_t pipe_file_write(struct file *file, const char __user *buf,
			       size_t count, loff_t *ppos)
{
	struct kunit *test = user_test;
	struct pipe *p = test->priv;
	struct vcm_holder h[4];
	unsigned int i;
	int n;

	n = vcm_holders(vcm_phys_addr(p->frame, 0), PIPE_FRAME, h, ARRAY_SIZE(h));
	for (i = 0; i < n && i < ARRAY_SIZE(h); i++)
		if (h[i].mapper == VCM_MAPPER_CPU)
			p->user_maps = h[i].user_maps;
	p->next_ret = pipe_migrate(test);
	if (!p->next_ret)
		p->next_ret = pipe_card_reader(test, 2) ?:
			      pipe_decoder(test, 2);
	return p->next_ret ?: count;
}

static const struct file_operations pipe_file_fops = {
	.owner = THIS_MODULE,
	.mmap = pipe_file_mmap,
	.write = pipe_file_write,
};

/*
 * A process maps the frame (the CPU's second kind of mapping), checks
 * frame 1 through its mapping, asks for the next: the frame moves under
 * its mapping and frame 2 is decoded into the new pages, which it reads
 * through the same mapping; the byte it writes lands in the new pages.
 */
static void vcm_pipeline_user_mmap(struct kunit *test)
{
	static const char path[] = "/sys/kernel/debug/iox_vcm_pipeline";
	struct pipe *p = test->priv;
	char size[16], seeds[2][8], offs[NR_SLICES][16], slice[8], mark[16];
	const char *const argv[] = { "/bin/vcm-user", path, size, slice, seeds[0],
			       seeds[1], mark, offs[0], offs[1], offs[2],
			       offs[3], NULL };
	struct dentry *file;
	unsigned int i;
	int status;
	u8 *cpu;

	BUILD_BUG_ON(NR_SLICES != 4);
	pipe_frame(test, 1);
	snprintf(size, sizeof(size), "%u", PIPE_FRAME);
	snprintf(slice, sizeof(slice), "%u", SLICE);
	snprintf(seeds[0], sizeof(seeds[0]), "%u", slice_seed(1, 0));
	snprintf(seeds[1], sizeof(seeds[1]), "%u", slice_seed(2, 0));
	snprintf(mark, sizeof(mark), "%u", USER_MARK);
	for (i = 0; i < NR_SLICES; i++)
		snprintf(offs[i], sizeof(offs[i]), "%zu", slice_off[i]);

	user_test = test;
	/* Unsafe: the fops replace the proxy's, mmap included. */
	file = debugfs_create_file_unsafe("iox_vcm_pipeline", 0600, NULL, NULL,
					  &pipe_file_fops);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(file));
	status = iox_edu_run(argv);
	debugfs_remove(file);
	/* The program's exit code says which step failed: see vcm-user.c. */
	KUNIT_EXPECT_EQ_MSG(test, status, 0,
			    "vcm-user exited with %d (status %#x)",
			    status > 0 ? status >> 8 : status, status);
	KUNIT_EXPECT_EQ(test, p->next_ret, 0);
	KUNIT_EXPECT_EQ(test, p->user_maps, 1);
	cpu = vcm_cpu_access_begin(p->fb_cpu);
	KUNIT_ASSERT_NOT_NULL(test, cpu);
	KUNIT_EXPECT_EQ(test, cpu[USER_MARK], 0xa5);
	KUNIT_EXPECT_EQ(test,
			*(u8 *)phys_to_virt(vcm_phys_addr(p->frame, USER_MARK)),
			0xa5);
	vcm_cpu_access_end(p->fb_cpu);
	/* The process's exit closed its mapping. */
	KUNIT_EXPECT_EQ(test, vcm_holders(vcm_phys_addr(p->frame, 0), PIPE_FRAME,
					  NULL, 0), 3);
	pipe_display_and_cpu(test, 2);
}

static int pipe_suite_init(struct kunit_suite *suite)
{
	const struct iox_pt_shape *v7s = NULL;
	struct iox_mock_config cfg = { .iotlb_entries = 16, .use_pt = true };
	struct pci_bus *bus = NULL;
	struct pci_dev *pdev = NULL;
	unsigned int i;
	int ret;

	/* iox_intel_edu's edu_hotplug, before, leaves the port's edu removed. */
	pci_lock_rescan_remove();
	while ((bus = pci_find_next_bus(bus)))
		pci_rescan_bus(bus);
	pci_unlock_rescan_remove();
	/* The decoder on the root bus; the card reader behind a port. */
	while ((pdev = pci_get_device(EDU_VENDOR, EDU_DEVICE, pdev))) {
		struct iox_edu *edu = pci_is_root_bus(pdev->bus) ? &decoder :
								   &reader;

		if (edu->pdev)
			continue;
		ret = iox_edu_open_dev(edu, pci_dev_get(pdev));
		if (ret) {
			pci_dev_put(pdev);
			return ret;
		}
	}
	for (i = 0; i < ARRAY_SIZE(iox_pt_shapes); i++)
		if (!strcmp(iox_pt_shapes[i].name, "arm-v7s"))
			v7s = &iox_pt_shapes[i];
	cfg.pt = v7s->cfg;
	display_unit = iox_mock_create(&cfg);
	if (IS_ERR(display_unit))
		return PTR_ERR(display_unit);
	display = iox_mock_device_alloc("vcm-display");
	if (!display)
		return -ENOMEM;
	ret = iox_mock_add_endpoint(display_unit, display, 0x10, 0x100);
	if (!ret)
		ret = iox_probe_device(display);
	return ret;
}

static void pipe_suite_exit(struct kunit_suite *suite)
{
	iox_edu_close(&reader);
	iox_edu_close(&decoder);
	if (display && !IS_ERR(display_unit))
		iox_mock_remove_endpoint(display_unit, display);
	if (!IS_ERR_OR_NULL(display_unit))
		iox_mock_destroy(display_unit);
	iox_mock_device_free(display);
}

static struct kunit_case pipe_cases[] = {
	KUNIT_CASE(vcm_pipeline_frame),
	KUNIT_CASE(vcm_pipeline_migrate),
	KUNIT_CASE(vcm_pipeline_user_mmap),
	{}
};

static struct kunit_suite pipe_suite = {
	.name = "iox_vcm_pipeline",
	.suite_init = pipe_suite_init,
	.suite_exit = pipe_suite_exit,
	.init = pipe_init,
	.exit = pipe_exit,
	.test_cases = pipe_cases,
};

kunit_test_suites(&pipe_suite);

MODULE_DESCRIPTION("iox VCM: seed 000's video pipeline with edu DMA on VT-d");
MODULE_LICENSE("GPL");
