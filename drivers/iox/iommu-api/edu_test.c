// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite iox_iommu_api_edu: iox_iommu_api seen from the kernel's side.
 * Every call goes through the running kernel's IOMMU API (iommu_map(),
 * iommu_unmap(), iommu_attach_device(), ...), so the kernel's own core
 * splits ranges into page sizes and loops over the bridge's ops as it
 * does for its real users; QEMU's edu device, behind the VT-d unit iox
 * drives, proves the translations by DMA.
 *
 * Without iox_iommu_api registered (no IOMMU ops on the PCI bus) or
 * without edu, every case skips.
 */
#include <kunit/test.h>
#include <linux/iommu.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include "../tests/edu.h"

/* The model's window: 8 MiB of IOVA at 1 GiB, 4K and 2M pages. */
#define KM_BASE		SZ_1G
#define KM_PAGES	2048
#define KM_OPS		600
/* Fake physical addresses: the IOMMU never touches them. */
#define KM_PHYS		(4ULL << 30)
#define KM_SEED		0x10e5eedULL

#define EDU_IOVA_SRC	0x100000UL
#define EDU_IOVA_DST	0x200000UL
#define EDU_FAULT_WAIT	(2 * HZ)

static struct iox_edu edu;

/**
 * struct km_page - the model's view of one 4K page of the window
 * @phys: what it translates to, 0 when unmapped
 * @leaf: index of the first page of its leaf
 * @pages: pages in its leaf (1 or 512)
 */
struct km_page {
	u64 phys;
	u32 leaf;
	u32 pages;
};

/**
 * struct km - the model test's state
 * @dom: the unmanaged domain under test
 * @pg: the model, one entry per page of the window
 * @rng: xorshift state
 * @maps: maps that mapped
 * @refused: maps refused over a mapping
 * @unmaps: unmaps that unmapped something
 * @short_unmaps: unmaps that returned less than their range (holes, or a
 *	leaf crossing an end)
 * @big_leaves: 2M leaves the maps made
 */
struct km {
	struct iommu_domain *dom;
	struct km_page pg[KM_PAGES];
	u64 rng;
	unsigned int maps, refused, unmaps, short_unmaps, big_leaves;
};

static u32 km_rand(struct km *km, u32 n)
{
	km->rng ^= km->rng << 13;
	km->rng ^= km->rng >> 7;
	km->rng ^= km->rng << 17;
	return km->rng % n;
}

/* The kernel's iommu_pgsize() (drivers/iommu/iommu.c, 6.1), restated. */
static size_t km_pgsize(unsigned long bitmap, unsigned long iova, u64 paddr,
			size_t size, size_t *count)
{
	unsigned long merge = paddr | iova, sizes, next_sizes;
	size_t pgsize, next, offset;

	sizes = bitmap & GENMASK(__fls(size), 0);
	if (merge)
		sizes &= GENMASK(__ffs(merge), 0);
	pgsize = BIT(__fls(sizes));
	next_sizes = bitmap & ~GENMASK(__fls(sizes), 0);
	if (next_sizes) {
		next = BIT(__ffs(next_sizes));
		offset = next - (merge & (next - 1));
		if (!((iova ^ paddr) & (next - 1)) && offset + next <= size)
			size = offset;
	}
	*count = size / pgsize;
	return pgsize;
}

static bool km_any_mapped(struct km *km, u32 first, u32 n)
{
	u32 i;

	for (i = first; i < first + n; i++)
		if (km->pg[i].phys)
			return true;
	return false;
}

/* iox's leaves for a map: the largest pages alignment and length allow. */
static void km_map(struct km *km, u32 first, u32 n, u64 phys)
{
	u32 i = first, j, pages;

	while (i < first + n) {
		pages = !((KM_BASE + (u64)i * SZ_4K) % SZ_2M) &&
			!((phys + (u64)(i - first) * SZ_4K) % SZ_2M) &&
			first + n - i >= 512 ? 512 : 1;
		km->big_leaves += pages == 512;
		for (j = 0; j < pages; j++) {
			km->pg[i + j].phys = phys + (u64)(i - first + j) * SZ_4K;
			km->pg[i + j].leaf = i;
			km->pg[i + j].pages = pages;
		}
		i += pages;
	}
}

/*
 * iox_unmap() as the bridge calls it: refused (0) if a leaf crosses an
 * end; else the leaves inside go and their bytes are returned.
 */
static size_t km_iox_unmap(struct km *km, u32 first, u32 n)
{
	u32 i, last = first + n;
	size_t bytes = 0;

	if ((km->pg[first].phys && km->pg[first].leaf != first) ||
	    (last < KM_PAGES && km->pg[last].phys &&
	     km->pg[last].leaf != last))
		return 0;
	for (i = first; i < last; i++) {
		if (km->pg[i].phys)
			bytes += SZ_4K;
		km->pg[i].phys = 0;
	}
	return bytes;
}

/* The kernel's __iommu_unmap() loop over the bridge, in the model. */
static size_t km_unmap(struct km *km, u32 first, u32 n,
		       unsigned long bitmap)
{
	size_t done = 0, size = (size_t)n * SZ_4K, pgsize, count, got;
	unsigned long iova = KM_BASE + (unsigned long)first * SZ_4K;

	while (done < size) {
		pgsize = km_pgsize(bitmap, iova, iova, size - done, &count);
		/* The model's window ends the kernel's range too. */
		got = km_iox_unmap(km, (iova - KM_BASE) / SZ_4K,
				   pgsize * count / SZ_4K);
		if (!got)
			break;
		iova += got;
		done += got;
	}
	return done;
}

/* Every page of [@first, @first + @n) translates as the model says. */
static void km_check(struct kunit *test, struct km *km, u32 first, u32 n,
		     unsigned int op)
{
	unsigned long iova;
	phys_addr_t got;
	u32 i;

	for (i = first; i < first + n && i < KM_PAGES; i++) {
		iova = KM_BASE + (unsigned long)i * SZ_4K;
		got = iommu_iova_to_phys(km->dom, iova + 0x123);
		if (got != (km->pg[i].phys ? km->pg[i].phys + 0x123 : 0)) {
			KUNIT_FAIL(test, "op %u: iova %#lx translates to %pa, the model says %#llx",
				   op, iova, &got, km->pg[i].phys);
			return;
		}
	}
}

/* A length in pages the kernel splits in interesting ways. */
static u32 km_len(struct km *km)
{
	static const u32 lens[] = { 1, 2, 3, 511, 512, 513, 1024, 1025 };

	return km_rand(km, 2) ? lens[km_rand(km, ARRAY_SIZE(lens))] :
				1 + km_rand(km, 700);
}

static void km_step(struct kunit *test, struct km *km, unsigned int op)
{
	unsigned long bitmap = km->dom->pgsize_bitmap;
	u32 first = km_rand(km, KM_PAGES), n = km_len(km);
	u64 phys;
	size_t want, got;
	int ret;

	if (km_rand(km, 2))
		first &= ~511U;
	n = min(n, KM_PAGES - first);
	if (km_rand(km, 2)) {
		/* A 4K offset in phys keeps 2M leaves out of reach. */
		phys = KM_PHYS + (u64)first * SZ_4K +
		       (km_rand(km, 4) ? 0 : SZ_4K);
		ret = iommu_map(km->dom, KM_BASE + (unsigned long)first * SZ_4K,
				phys, (size_t)n * SZ_4K,
				IOMMU_READ | IOMMU_WRITE);
		if (km_any_mapped(km, first, n)) {
			KUNIT_EXPECT_EQ_MSG(test, ret, -EEXIST,
					    "op %u: map over a mapping", op);
			km->refused++;
		} else {
			KUNIT_EXPECT_EQ_MSG(test, ret, 0, "op %u: map", op);
			km_map(km, first, n, phys);
			km->maps++;
		}
	} else {
		want = km_unmap(km, first, n, bitmap);
		got = iommu_unmap(km->dom,
				  KM_BASE + (unsigned long)first * SZ_4K,
				  (size_t)n * SZ_4K);
		KUNIT_EXPECT_EQ_MSG(test, got, want,
				    "op %u: unmap of %u pages at page %u", op,
				    n, first);
		km->unmaps += !!got;
		km->short_unmaps += got < (size_t)n * SZ_4K;
	}
	km_check(test, km, first ? first - 1 : 0, n + 2, op);
}

static struct device *edu_dev(struct kunit *test)
{
	if (!edu.pdev)
		kunit_skip(test, "no edu device (1234:11e8)");
	if (!device_iommu_mapped(&edu.pdev->dev))
		kunit_skip(test, "edu is in no IOMMU group: iox_iommu_api is not loaded");
	return &edu.pdev->dev;
}

/* What the kernel learned of edu from the bridge. */
static void kapi_device(struct kunit *test)
{
	struct device *dev = edu_dev(test);
	struct iommu_resv_region *r;
	struct iommu_group *group;
	struct iommu_domain *dom;
	LIST_HEAD(regions);
	bool msi = false;

	KUNIT_EXPECT_TRUE(test, device_iommu_capable(dev,
					IOMMU_CAP_CACHE_COHERENCY));
	KUNIT_EXPECT_FALSE(test, device_iommu_capable(dev,
					IOMMU_CAP_INTR_REMAP));
	dom = iommu_get_domain_for_dev(dev);
	KUNIT_ASSERT_NOT_NULL(test, dom);
	KUNIT_EXPECT_TRUE(test, iommu_is_dma_domain(dom));
	KUNIT_EXPECT_EQ(test, dom->pgsize_bitmap,
			(unsigned long)(SZ_4K | SZ_2M | SZ_1G));
	group = iommu_group_get(dev);
	KUNIT_ASSERT_NOT_NULL(test, group);
	KUNIT_EXPECT_EQ(test, iommu_get_group_resv_regions(group, &regions), 0);
	list_for_each_entry(r, &regions, list)
		if (r->type == IOMMU_RESV_MSI && r->start == 0xfee00000 &&
		    r->length == SZ_1M)
			msi = true;
	iommu_put_resv_regions(dev, &regions);
	iommu_group_put(group);
	KUNIT_EXPECT_TRUE(test, msi);
}

/*
 * Random maps and unmaps through the kernel's iommu_map() and
 * iommu_unmap() on an unmanaged domain, against a model of iox's leaves
 * and of the kernel's splitting: every return value and every
 * translation around each call must match.
 */
static void kapi_model(struct kunit *test)
{
	struct device *dev = edu_dev(test);
	unsigned int op;
	struct km *km;

	km = kunit_kzalloc(test, sizeof(*km), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, km);
	km->rng = KM_SEED;
	km->dom = iommu_domain_alloc(dev->bus);
	KUNIT_ASSERT_NOT_NULL(test, km->dom);
	KUNIT_EXPECT_TRUE(test, km->dom->geometry.force_aperture);
	KUNIT_EXPECT_GE(test, (u64)km->dom->geometry.aperture_end,
			(u64)KM_BASE + KM_PAGES * SZ_4K - 1);
	if (iommu_attach_device(km->dom, dev)) {
		iommu_domain_free(km->dom);
		KUNIT_FAIL(test, "cannot attach edu to an unmanaged domain");
		return;
	}
	for (op = 0; op < KM_OPS && test->status == KUNIT_SUCCESS; op++)
		km_step(test, km, op);
	km_check(test, km, 0, KM_PAGES, op);
	KUNIT_EXPECT_EQ(test, iommu_unmap(km->dom, KM_BASE,
					  (size_t)KM_PAGES * SZ_4K),
			km_unmap(km, 0, KM_PAGES, km->dom->pgsize_bitmap));
	km_check(test, km, 0, KM_PAGES, op);
	iommu_detach_device(km->dom, dev);
	iommu_domain_free(km->dom);
	kunit_info(test, "%u operations, seed %#llx: %u maps (%u 2M leaves), %u refused over a mapping; %u unmaps, %u returned less than their range",
		   op, KM_SEED, km->maps, km->big_leaves, km->refused,
		   km->unmaps, km->short_unmaps);
	/* The sequence must reach every path it is there to check. */
	KUNIT_EXPECT_GT(test, km->maps, 50);
	KUNIT_EXPECT_GT(test, km->refused, 50);
	KUNIT_EXPECT_GT(test, km->unmaps, 50);
	KUNIT_EXPECT_GT(test, km->short_unmaps, 10);
	KUNIT_EXPECT_GT(test, km->big_leaves, 5);
	/* Back in its default domain, which the DMA backend serves. */
	KUNIT_EXPECT_TRUE(test, iommu_is_dma_domain(iommu_get_domain_for_dev(dev)));
}

struct kapi_fault {
	wait_queue_head_t wq;
	unsigned long iova;
	int flags;
	unsigned int count;
};

static int kapi_fault_handler(struct iommu_domain *dom, struct device *dev,
			      unsigned long iova, int flags, void *token)
{
	struct kapi_fault *f = token;

	f->iova = iova;
	f->flags = flags;
	WRITE_ONCE(f->count, f->count + 1);
	wake_up(&f->wq);
	return 0;
}

static void kapi_pattern(u8 *p, size_t n, u8 seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = seed + i * 5;
}

/*
 * edu DMAs through an unmanaged domain both ways; after iommu_unmap() its
 * write faults, reaches the owner's fault handler and changes nothing.
 */
static void kapi_dma_fault(struct kunit *test)
{
	struct device *dev = edu_dev(test);
	struct page *src_page, *dst_page;
	struct iommu_domain *dom;
	struct kapi_fault *f;
	u8 *src, *dst, *want;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	want = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	src_page = alloc_page(GFP_KERNEL);
	dst_page = alloc_page(GFP_KERNEL);
	dom = iommu_domain_alloc(dev->bus);
	if (!f || !want || !src_page || !dst_page || !dom)
		goto out;
	init_waitqueue_head(&f->wq);
	iommu_set_fault_handler(dom, kapi_fault_handler, f);
	src = page_address(src_page);
	dst = page_address(dst_page);
	kapi_pattern(src, PAGE_SIZE, 0x3d);
	memset(dst, 0, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, iommu_attach_device(dom, dev), 0);
	KUNIT_EXPECT_EQ(test, iommu_map(dom, EDU_IOVA_SRC,
					page_to_phys(src_page), SZ_4K,
					IOMMU_READ | IOMMU_CACHE), 0);
	KUNIT_EXPECT_EQ(test, iommu_map(dom, EDU_IOVA_DST,
					page_to_phys(dst_page), SZ_4K,
					IOMMU_READ | IOMMU_WRITE), 0);
	KUNIT_EXPECT_EQ(test, iox_edu_dma(&edu, EDU_IOVA_SRC, EDU_BUF,
					  EDU_MAX, false), 0);
	KUNIT_EXPECT_EQ(test, iox_edu_dma(&edu, EDU_BUF, EDU_IOVA_DST,
					  EDU_MAX, true), 0);
	kapi_pattern(want, EDU_MAX, 0x3d);
	KUNIT_EXPECT_EQ(test, memcmp(dst, want, EDU_MAX), 0);

	KUNIT_EXPECT_EQ(test, iommu_unmap(dom, EDU_IOVA_DST, SZ_4K),
			(size_t)SZ_4K);
	memset(dst, 0x66, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, iox_edu_dma(&edu, EDU_BUF, EDU_IOVA_DST,
					  EDU_MAX, true), 0);
	wait_event_timeout(f->wq, READ_ONCE(f->count), EDU_FAULT_WAIT);
	KUNIT_EXPECT_EQ(test, READ_ONCE(f->count), 1);
	KUNIT_EXPECT_EQ(test, f->iova, EDU_IOVA_DST);
	KUNIT_EXPECT_EQ(test, f->flags, IOMMU_FAULT_WRITE);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(dst, 0x66, PAGE_SIZE));
	iommu_detach_device(dom, dev);
out:
	if (dom)
		iommu_domain_free(dom);
	if (src_page)
		__free_page(src_page);
	if (dst_page)
		__free_page(dst_page);
	KUNIT_EXPECT_TRUE(test, f && want && src_page && dst_page && dom);
}

static int kapi_suite_init(struct kunit_suite *suite)
{
	return iox_edu_open(&edu);
}

static void kapi_suite_exit(struct kunit_suite *suite)
{
	iox_edu_close(&edu);
}

static struct kunit_case kapi_cases[] = {
	KUNIT_CASE(kapi_device),
	KUNIT_CASE(kapi_model),
	KUNIT_CASE(kapi_dma_fault),
	{}
};

static struct kunit_suite kapi_suite = {
	.name = "iox_iommu_api_edu",
	.suite_init = kapi_suite_init,
	.suite_exit = kapi_suite_exit,
	.test_cases = kapi_cases,
};

kunit_test_suites(&kapi_suite);

MODULE_DESCRIPTION("iox_iommu_api through the kernel's IOMMU API, proven by edu DMA");
MODULE_LICENSE("GPL");
