// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite iox_dma_edu: the DMA-API backend proven by device DMA.
 * QEMU's edu device (1234:11e8) behind QEMU's intel-iommu is put in an iox
 * DMA domain of the VT-d driver with iox_dma_attach(); from then on the
 * cases drive it like any driver does, through the standard DMA API only
 * (dma_set_mask_and_coherent, dma_map_single, dma_map_sg,
 * dma_alloc_coherent, dma_sync_single_for_*), and check every DMA byte for
 * byte, in strict and in lazy mode, and that a stale IOVA faults: at once
 * after dma_unmap_*() in strict mode, once the flush queue has flushed in
 * lazy mode (until then QEMU's IOTLB still translates it). A third case
 * drives edu through the two-step API and caller-chosen (fixed) mappings;
 * a fourth shows an overrun reaching the next buffer, and faulting on the
 * guard granule with IOX_DMA_GUARD.
 *
 * edu: one DMA at a time, at most 4095 bytes, 100 ms each. The VMs give
 * it a 64-bit DMA mask (dma_mask=0xffffffffffffffff; by default it drops
 * every address bit above 27), and the cases set the same mask, so edu
 * DMAs where the backend really puts buffers: at the top of the aperture,
 * which every case checks.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/iox.h>
#include <linux/iox-dma.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include "edu.h"

#define EDU_CHUNK		2048
#define EDU_DMA_MASK		DMA_BIT_MASK(64)

#define FQ_PARAM		"/sys/module/iox/parameters/dma_fq_timeout_ms"

static struct iox_edu edu;

/*
 * QEMU's AMD-Vi model never writes its event log (Documentation/iox/
 * amd.rst): vm-amd loads the suite with fault_reports=0, and a refused
 * DMA is then proven by the bytes alone.
 */
static bool fault_reports = true;
module_param(fault_reports, bool, 0444);
MODULE_PARM_DESC(fault_reports, "the unit reports faults (0: check refused DMA by its bytes only)");

/**
 * struct edu_dma_case - what one case set up, undone by its exit
 * @attached: edu is in an iox DMA domain
 * @lock: protects the fault count
 * @wq: woken for each fault
 * @nr_faults: faults reported by the domain
 * @last: the latest fault
 * @aperture_end: the last IOVA of edu's DMA domain
 */
struct edu_dma_case {
	bool attached;
	spinlock_t lock;	/* @nr_faults, @last */
	wait_queue_head_t wq;
	unsigned int nr_faults;
	struct iox_fault last;
	u64 aperture_end;
};

static int edu_dma_fault(struct iox_domain *domain, struct device *dev,
			 const struct iox_fault *fault, void *token)
{
	struct edu_dma_case *ec = token;
	unsigned long flags;

	spin_lock_irqsave(&ec->lock, flags);
	ec->nr_faults++;
	ec->last = *fault;
	spin_unlock_irqrestore(&ec->lock, flags);
	wake_up(&ec->wq);
	return 0;
}

static unsigned int edu_dma_faults(struct edu_dma_case *ec)
{
	unsigned long flags;
	unsigned int n;

	spin_lock_irqsave(&ec->lock, flags);
	n = ec->nr_faults;
	spin_unlock_irqrestore(&ec->lock, flags);
	return n;
}

static int edu_dma(u64 src, u64 dst, u32 count, bool to_ram)
{
	return iox_edu_dma(&edu, src, dst, count, to_ram);
}

/* memory at @addr -> edu's buffer */
static int edu_in(dma_addr_t addr, u32 count)
{
	return edu_dma(addr, EDU_BUF, count, false);
}

/* edu's buffer -> memory at @addr */
static int edu_out(dma_addr_t addr, u32 count)
{
	return edu_dma(EDU_BUF, addr, count, true);
}

/* Set the lazy domains' flush timeout, as an administrator would. */
static int edu_fq_timeout(unsigned int ms)
{
	char val[16];
	struct file *f;
	loff_t pos = 0;
	ssize_t n;
	int len;

	f = filp_open(FQ_PARAM, O_WRONLY, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	len = snprintf(val, sizeof(val), "%u\n", ms);
	n = kernel_write(f, val, len, &pos);
	filp_close(f, NULL);
	return n == len ? 0 : -EIO;
}

static struct device *edu_attach_flags(struct kunit *test, unsigned int type,
				       unsigned int flags)
{
	struct edu_dma_case *ec = test->priv;
	struct device *dev = &edu.pdev->dev;
	struct iox_domain *dom;

	KUNIT_ASSERT_EQ(test, iox_dma_attach(dev, type, flags), 0);
	ec->attached = true;
	dom = iox_get_domain_for_dev(dev);
	KUNIT_ASSERT_NOT_NULL(test, dom);
	KUNIT_EXPECT_EQ(test, dom->type, type);
	ec->aperture_end = dom->aperture_end;
	/* The test watches the faults the DMA backend's domain raises. */
	iox_set_fault_handler(dom, edu_dma_fault, ec);
	/* Only now, as a driver's probe does, with iox's ops in place. */
	KUNIT_ASSERT_EQ(test, dma_set_mask_and_coherent(dev, EDU_DMA_MASK), 0);
	return dev;
}

static struct device *edu_attach(struct kunit *test, unsigned int type)
{
	return edu_attach_flags(test, type, 0);
}

/*
 * The backend allocates IOVAs from the top of the aperture down: the few
 * buffers of a case lie in its top GiB, far above edu's default mask.
 */
static void edu_expect_top(struct kunit *test, dma_addr_t addr, size_t size)
{
	struct edu_dma_case *ec = test->priv;

	KUNIT_EXPECT_GT_MSG(test, (u64)addr, ec->aperture_end - SZ_1G,
			    "DMA address %#llx is not in the top GiB below %#llx",
			    (u64)addr, ec->aperture_end);
	KUNIT_EXPECT_LE(test, (u64)addr + size - 1, ec->aperture_end);
}

/* dma_map_single both ways: edu copies a kmalloc buffer to another. */
static void edu_single(struct kunit *test, struct device *dev)
{
	dma_addr_t src_dma, dst_dma;
	u8 *src, *dst;
	long bad;

	src = kunit_kmalloc(test, EDU_MAX, GFP_KERNEL);
	dst = kunit_kmalloc(test, EDU_MAX + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, src);
	KUNIT_ASSERT_NOT_NULL(test, dst);
	iox_edu_pattern(src, EDU_MAX, 0x21);
	memset(dst, 0xaa, EDU_MAX + 1);
	src_dma = dma_map_single(dev, src, EDU_MAX, DMA_TO_DEVICE);
	dst_dma = dma_map_single(dev, dst, EDU_MAX, DMA_FROM_DEVICE);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(dev, src_dma));
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(dev, dst_dma));
	edu_expect_top(test, src_dma, EDU_MAX);
	edu_expect_top(test, dst_dma, EDU_MAX);
	KUNIT_ASSERT_EQ(test, edu_in(src_dma, EDU_MAX), 0);
	KUNIT_ASSERT_EQ(test, edu_out(dst_dma, EDU_MAX), 0);
	dma_unmap_single(dev, src_dma, EDU_MAX, DMA_TO_DEVICE);
	dma_unmap_single(dev, dst_dma, EDU_MAX, DMA_FROM_DEVICE);
	bad = iox_edu_mismatch(dst, EDU_MAX, 0x21);
	KUNIT_EXPECT_EQ_MSG(test, bad, -1L, "byte %ld differs", bad);
	KUNIT_EXPECT_EQ(test, dst[EDU_MAX], 0xaa);
}

/*
 * A coherent buffer and a streaming one kept mapped across two DMAs with
 * syncs between: each way through both.
 */
static void edu_coherent_sync(struct kunit *test, struct device *dev)
{
	dma_addr_t coh_dma, buf_dma;
	u8 *coh, *buf;
	long bad;

	coh = dma_alloc_coherent(dev, 2 * PAGE_SIZE, &coh_dma, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, coh);
	edu_expect_top(test, coh_dma, 2 * PAGE_SIZE);
	buf = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	buf_dma = dma_map_single(dev, buf, PAGE_SIZE, DMA_BIDIRECTIONAL);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(dev, buf_dma));
	edu_expect_top(test, buf_dma, PAGE_SIZE);

	/* CPU -> buf -> edu -> second page of the coherent buffer. */
	dma_sync_single_for_cpu(dev, buf_dma, PAGE_SIZE, DMA_BIDIRECTIONAL);
	iox_edu_pattern(buf, EDU_MAX, 0x42);
	dma_sync_single_for_device(dev, buf_dma, PAGE_SIZE, DMA_BIDIRECTIONAL);
	KUNIT_ASSERT_EQ(test, edu_in(buf_dma, EDU_MAX), 0);
	KUNIT_ASSERT_EQ(test, edu_out(coh_dma + PAGE_SIZE, EDU_MAX), 0);
	bad = iox_edu_mismatch(coh + PAGE_SIZE, EDU_MAX, 0x42);
	KUNIT_EXPECT_EQ_MSG(test, bad, -1L, "coherent byte %ld differs", bad);

	/* CPU -> coherent buffer -> edu -> buf, read after a sync. */
	iox_edu_pattern(coh, EDU_MAX, 0x63);
	KUNIT_ASSERT_EQ(test, edu_in(coh_dma, EDU_MAX), 0);
	KUNIT_ASSERT_EQ(test, edu_out(buf_dma, EDU_MAX), 0);
	dma_sync_single_for_cpu(dev, buf_dma, PAGE_SIZE, DMA_BIDIRECTIONAL);
	bad = iox_edu_mismatch(buf, EDU_MAX, 0x63);
	KUNIT_EXPECT_EQ_MSG(test, bad, -1L, "streaming byte %ld differs", bad);
	dma_unmap_single(dev, buf_dma, PAGE_SIZE, DMA_BIDIRECTIONAL);
	dma_free_coherent(dev, 2 * PAGE_SIZE, coh, coh_dma);
}

/* Three scattered pages through dma_map_sg, copied out in edu chunks. */
static void edu_sg(struct kunit *test, struct device *dev)
{
	struct scatterlist sgl[3], *s;
	struct page *pages[3] = {};
	size_t done = 0, n, off;
	dma_addr_t coh_dma;
	int i, count;
	u8 *coh;
	long bad;

	coh = dma_alloc_coherent(dev, 3 * PAGE_SIZE, &coh_dma, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, coh);
	sg_init_table(sgl, 3);
	for (i = 0; i < 3; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		if (!pages[i])
			goto out;
		iox_edu_pattern(page_address(pages[i]), PAGE_SIZE, 0x10 * i);
		sg_set_page(&sgl[i], pages[i], PAGE_SIZE, 0);
	}
	count = dma_map_sg(dev, sgl, 3, DMA_TO_DEVICE);
	KUNIT_ASSERT_GT(test, count, 0);
	/* Whole pages meet at page boundaries: one IOVA segment. */
	KUNIT_EXPECT_EQ(test, count, 1);
	edu_expect_top(test, sg_dma_address(sgl), 3 * PAGE_SIZE);
	for_each_sg(sgl, s, count, i) {
		for (off = 0; off < sg_dma_len(s); off += n) {
			n = min_t(size_t, EDU_CHUNK, sg_dma_len(s) - off);
			KUNIT_ASSERT_EQ(test, edu_in(sg_dma_address(s) + off, n),
					0);
			KUNIT_ASSERT_EQ(test, edu_out(coh_dma + done + off, n),
					0);
		}
		done += sg_dma_len(s);
	}
	dma_unmap_sg(dev, sgl, 3, DMA_TO_DEVICE);
	KUNIT_EXPECT_EQ(test, done, 3 * PAGE_SIZE);
	for (i = 0; i < 3; i++) {
		bad = iox_edu_mismatch(coh + i * PAGE_SIZE, PAGE_SIZE, 0x10 * i);
		KUNIT_EXPECT_EQ_MSG(test, bad, -1L, "page %d byte %ld", i,
				    bad);
	}
out:
	for (i = 0; i < 3; i++)
		if (pages[i])
			__free_page(pages[i]);
	dma_free_coherent(dev, 3 * PAGE_SIZE, coh, coh_dma);
}

/*
 * Map a page, let edu write it (QEMU's IOTLB now holds the translation),
 * unmap it, and return the stale address. The page stays allocated.
 */
static dma_addr_t edu_stale(struct kunit *test, struct device *dev,
			    struct page *page)
{
	dma_addr_t addr;

	addr = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(dev, addr));
	edu_expect_top(test, addr, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, edu_out(addr, EDU_MAX), 0);
	dma_unmap_page(dev, addr, PAGE_SIZE, DMA_FROM_DEVICE);
	memset(page_address(page), 0x55, PAGE_SIZE);
	return addr;
}

/* edu's write to @addr faults and leaves @page alone. */
static void edu_expect_fault(struct kunit *test, struct page *page,
			     dma_addr_t addr)
{
	struct edu_dma_case *ec = test->priv;
	unsigned int before = edu_dma_faults(ec);

	KUNIT_ASSERT_EQ(test, edu_out(addr, EDU_MAX), 0);
	if (fault_reports) {
		wait_event_timeout(ec->wq, edu_dma_faults(ec) > before,
				   2 * HZ);
		KUNIT_ASSERT_GT(test, edu_dma_faults(ec), before);
		KUNIT_EXPECT_EQ(test, ec->last.iova, (u64)addr);
		KUNIT_EXPECT_EQ(test, ec->last.reason, IOX_FAULT_NOT_PRESENT);
	}
	KUNIT_EXPECT_TRUE(test, !memchr_inv(page_address(page), 0x55,
					    PAGE_SIZE));
}

static void edu_dma_strict(struct kunit *test)
{
	struct edu_dma_case *ec = test->priv;
	struct device *dev = edu_attach(test, IOX_DOMAIN_DMA);
	struct page *page = alloc_page(GFP_KERNEL);
	struct iox_dma_stats st;
	dma_addr_t addr;

	KUNIT_ASSERT_NOT_NULL(test, page);
	edu_single(test, dev);
	edu_coherent_sync(test, dev);
	edu_sg(test, dev);
	KUNIT_EXPECT_EQ(test, edu_dma_faults(ec), 0);

	/* Strict: the IOVA faults right after dma_unmap_page(). */
	addr = edu_stale(test, dev, page);
	edu_expect_fault(test, page, addr);
	KUNIT_ASSERT_EQ(test, iox_dma_get_stats(dev, &st), 0);
	KUNIT_EXPECT_EQ(test, st.live_mappings, 0);
	KUNIT_EXPECT_EQ(test, st.bad_unmaps, 0);
	__free_page(page);
}

static void edu_dma_lazy(struct kunit *test)
{
	struct edu_dma_case *ec = test->priv;
	struct iox_dma_stats st;
	struct page *page, *page2;
	struct device *dev;
	dma_addr_t addr;
	unsigned int waited;

	/* Long enough that the stale window is seen; restored by exit. */
	KUNIT_ASSERT_EQ(test, edu_fq_timeout(30000), 0);
	dev = edu_attach(test, IOX_DOMAIN_DMA_FQ);
	page = alloc_page(GFP_KERNEL);
	page2 = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_NOT_NULL(test, page2);
	edu_single(test, dev);
	edu_coherent_sync(test, dev);
	edu_sg(test, dev);
	KUNIT_EXPECT_EQ(test, edu_dma_faults(ec), 0);

	/* Lazy: unmapped but not yet invalidated, the IOVA still works. */
	addr = edu_stale(test, dev, page);
	KUNIT_ASSERT_EQ(test, iox_dma_get_stats(dev, &st), 0);
	KUNIT_EXPECT_GT(test, st.fq_pending, 0);
	KUNIT_ASSERT_EQ(test, edu_out(addr, EDU_MAX), 0);
	KUNIT_EXPECT_EQ(test, edu_dma_faults(ec), 0);
	KUNIT_EXPECT_TRUE(test, memchr_inv(page_address(page), 0x55,
					   PAGE_SIZE));
	/* Once the queue has flushed, it faults. */
	memset(page_address(page), 0x55, PAGE_SIZE);
	iox_dma_flush(dev);
	edu_expect_fault(test, page, addr);

	/* With the default timeout, the timer flushes by itself. */
	iox_dma_detach(dev);
	ec->attached = false;
	KUNIT_ASSERT_EQ(test, edu_fq_timeout(10), 0);
	dev = edu_attach(test, IOX_DOMAIN_DMA_FQ);
	addr = edu_stale(test, dev, page2);
	for (waited = 0; waited < 2000; waited += 20) {
		KUNIT_ASSERT_EQ(test, iox_dma_get_stats(dev, &st), 0);
		if (!st.fq_pending)
			break;
		msleep(20);
	}
	KUNIT_EXPECT_EQ(test, st.fq_pending, 0);
	edu_expect_fault(test, page2, addr);
	KUNIT_EXPECT_EQ(test, st.live_mappings, 0);
	KUNIT_EXPECT_EQ(test, st.bad_unmaps, 0);
	__free_page(page);
	__free_page(page2);
}

/*
 * The two-step API: three scattered pages linked into one range, edu
 * copying the range out in chunks; one piece unlinked faults. Then a
 * fixed mapping at an IOVA the test chooses.
 */
static void edu_dma_two_step(struct kunit *test)
{
	struct edu_dma_case *ec = test->priv;
	struct device *dev = edu_attach(test, IOX_DOMAIN_DMA);
	struct iox_dma_iova_state state;
	struct page *pages[3] = {}, *fixed;
	struct iox_dma_stats st;
	size_t off, n;
	dma_addr_t coh_dma, at;
	unsigned int before;
	int i;
	u8 *coh;
	long bad;

	coh = dma_alloc_coherent(dev, 3 * PAGE_SIZE, &coh_dma, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, coh);
	for (i = 0; i < 3; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		if (!pages[i])
			goto out;
		iox_edu_pattern(page_address(pages[i]), PAGE_SIZE, 0x30 + i);
	}
	KUNIT_ASSERT_TRUE(test, iox_dma_iova_try_alloc(dev, &state,
						       page_to_phys(pages[0]),
						       3 * PAGE_SIZE));
	edu_expect_top(test, state.addr, 3 * PAGE_SIZE);
	for (i = 2; i >= 0; i--)
		KUNIT_ASSERT_EQ(test, iox_dma_iova_link(dev, &state,
							page_to_phys(pages[i]),
							i * PAGE_SIZE,
							PAGE_SIZE,
							DMA_TO_DEVICE,
							IOX_DMA_MEM_NORMAL), 0);
	KUNIT_ASSERT_EQ(test, iox_dma_iova_sync(dev, &state, 0,
						3 * PAGE_SIZE), 0);
	for (off = 0; off < 3 * PAGE_SIZE; off += n) {
		n = min_t(size_t, EDU_CHUNK, 3 * PAGE_SIZE - off);
		KUNIT_ASSERT_EQ(test, edu_in(state.addr + off, n), 0);
		KUNIT_ASSERT_EQ(test, edu_out(coh_dma + off, n), 0);
	}
	for (i = 0; i < 3; i++) {
		bad = iox_edu_mismatch(coh + i * PAGE_SIZE, PAGE_SIZE, 0x30 + i);
		KUNIT_EXPECT_EQ_MSG(test, bad, -1L, "page %d byte %ld", i,
				    bad);
	}
	/*
	 * The middle piece unlinked: edu's read of it faults and brings
	 * none of its bytes (edu's buffer, copied out, is not the page).
	 */
	iox_dma_iova_unlink(dev, &state, PAGE_SIZE, PAGE_SIZE, DMA_TO_DEVICE);
	before = edu_dma_faults(ec);
	KUNIT_ASSERT_EQ(test, edu_in(state.addr + PAGE_SIZE, EDU_MAX), 0);
	if (fault_reports) {
		wait_event_timeout(ec->wq, edu_dma_faults(ec) > before,
				   2 * HZ);
		KUNIT_EXPECT_GT(test, edu_dma_faults(ec), before);
		KUNIT_EXPECT_EQ(test, ec->last.iova,
				(u64)(state.addr + PAGE_SIZE));
	}
	KUNIT_ASSERT_EQ(test, edu_out(coh_dma + PAGE_SIZE, EDU_MAX), 0);
	KUNIT_EXPECT_NE(test, iox_edu_mismatch(coh + PAGE_SIZE, EDU_MAX,
					       0x31), -1L);
	iox_dma_iova_unlink(dev, &state, 0, PAGE_SIZE, DMA_TO_DEVICE);
	iox_dma_iova_unlink(dev, &state, 2 * PAGE_SIZE, PAGE_SIZE,
			    DMA_TO_DEVICE);
	iox_dma_iova_destroy(dev, &state, 0, DMA_TO_DEVICE);

	/* A fixed mapping: edu writes where the test said. */
	KUNIT_EXPECT_TRUE(test, iox_dma_fixed_capable(dev));
	fixed = pages[1];
	memset(page_address(fixed), 0, PAGE_SIZE);
	at = SZ_128M + SZ_64K;
	KUNIT_ASSERT_EQ(test, iox_dma_fixed_window(dev, SZ_128M, SZ_1M), 0);
	KUNIT_ASSERT_EQ(test, iox_dma_map_fixed(dev, at, page_to_phys(fixed),
						PAGE_SIZE, DMA_FROM_DEVICE),
			0);
	iox_edu_pattern(coh, EDU_MAX, 0x44);
	KUNIT_ASSERT_EQ(test, edu_in(coh_dma, EDU_MAX), 0);
	KUNIT_ASSERT_EQ(test, edu_out(at, EDU_MAX), 0);
	bad = iox_edu_mismatch(page_address(fixed), EDU_MAX, 0x44);
	KUNIT_EXPECT_EQ_MSG(test, bad, -1L, "fixed byte %ld", bad);
	KUNIT_EXPECT_EQ(test, iox_dma_unmap_fixed(dev, at, PAGE_SIZE), 0);
	memset(page_address(fixed), 0x55, PAGE_SIZE);
	edu_expect_fault(test, fixed, at);
	KUNIT_ASSERT_EQ(test, iox_dma_get_stats(dev, &st), 0);
	KUNIT_EXPECT_EQ(test, st.bad_unmaps, 0);
out:
	for (i = 0; i < 3; i++)
		if (pages[i])
			__free_page(pages[i]);
	dma_free_coherent(dev, 3 * PAGE_SIZE, coh, coh_dma);
}

/*
 * Map @a, then @b (filled with a pattern) below it, load @b into edu and
 * let edu write its buffer one page past @b's start: an overrun of @b.
 * Returns the overrun's address; both stay mapped.
 */
static dma_addr_t edu_overrun(struct kunit *test, struct device *dev,
			      struct page *a, struct page *b,
			      dma_addr_t *da, dma_addr_t *db)
{
	memset(page_address(a), 0x55, PAGE_SIZE);
	iox_edu_pattern(page_address(b), PAGE_SIZE, 0x3c);
	*da = dma_map_page(dev, a, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	*db = dma_map_page(dev, b, 0, PAGE_SIZE, DMA_TO_DEVICE);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(dev, *da));
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(dev, *db));
	KUNIT_ASSERT_EQ(test, edu_in(*db, EDU_MAX), 0);
	return *db + PAGE_SIZE;
}

/*
 * IOX_DMA_GUARD: without it, the IOVA ranges of two buffers abut and edu
 * overrunning the lower one writes into the other; with it, the overrun
 * lands on the unmapped guard granule and faults, and nothing changes.
 */
static void edu_dma_guard(struct kunit *test)
{
	struct edu_dma_case *ec = test->priv;
	struct page *a = alloc_page(GFP_KERNEL), *b = alloc_page(GFP_KERNEL);
	struct device *dev;
	dma_addr_t da, db, over;
	long bad;

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	dev = edu_attach(test, IOX_DOMAIN_DMA);
	over = edu_overrun(test, dev, a, b, &da, &db);
	KUNIT_EXPECT_EQ(test, over, da);
	KUNIT_ASSERT_EQ(test, edu_out(over, EDU_MAX), 0);
	bad = iox_edu_mismatch(page_address(a), EDU_MAX, 0x3c);
	KUNIT_EXPECT_EQ_MSG(test, bad, -1L, "overrun byte %ld", bad);
	KUNIT_EXPECT_EQ(test, edu_dma_faults(ec), 0);
	dma_unmap_page(dev, da, PAGE_SIZE, DMA_FROM_DEVICE);
	dma_unmap_page(dev, db, PAGE_SIZE, DMA_TO_DEVICE);
	iox_dma_detach(dev);
	ec->attached = false;

	dev = edu_attach_flags(test, IOX_DOMAIN_DMA, IOX_DMA_GUARD);
	over = edu_overrun(test, dev, a, b, &da, &db);
	KUNIT_EXPECT_NE(test, over, da);
	edu_expect_fault(test, a, over);
	dma_unmap_page(dev, da, PAGE_SIZE, DMA_FROM_DEVICE);
	dma_unmap_page(dev, db, PAGE_SIZE, DMA_TO_DEVICE);
	__free_page(a);
	__free_page(b);
}

static int edu_dma_case_init(struct kunit *test)
{
	struct edu_dma_case *ec;

	iox_edu_case_require(test, &edu);
	ec = kunit_kzalloc(test, sizeof(*ec), GFP_KERNEL);
	if (!ec)
		return -ENOMEM;
	spin_lock_init(&ec->lock);
	init_waitqueue_head(&ec->wq);
	test->priv = ec;
	return 0;
}

static void edu_dma_case_exit(struct kunit *test)
{
	struct edu_dma_case *ec = test->priv;

	if (!ec)
		return;
	if (ec->attached)
		iox_dma_detach(&edu.pdev->dev);
	edu_fq_timeout(10);
}

static int edu_dma_suite_init(struct kunit_suite *suite)
{
	return iox_edu_open(&edu);
}

static void edu_dma_suite_exit(struct kunit_suite *suite)
{
	iox_edu_close(&edu);
}

static struct kunit_case edu_dma_cases[] = {
	KUNIT_CASE(edu_dma_strict),
	KUNIT_CASE(edu_dma_lazy),
	KUNIT_CASE(edu_dma_two_step),
	KUNIT_CASE(edu_dma_guard),
	{}
};

static struct kunit_suite edu_dma_suite = {
	.name = "iox_dma_edu",
	.suite_init = edu_dma_suite_init,
	.suite_exit = edu_dma_suite_exit,
	.init = edu_dma_case_init,
	.exit = edu_dma_case_exit,
	.test_cases = edu_dma_cases,
};

kunit_test_suites(&edu_dma_suite);

MODULE_DESCRIPTION("iox DMA-API backend proven by QEMU edu device DMA");
MODULE_LICENSE("GPL");
