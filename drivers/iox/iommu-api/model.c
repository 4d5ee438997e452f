// SPDX-License-Identifier: GPL-2.0
/*
 * The model of model.h. The window is 8 MiB of IOVA at 1 GiB, on a domain
 * of 4K and 2M pages (1G leaves cannot fit in it); physical addresses are
 * made up, as the IOMMU never touches the memory.
 */
#include <linux/sizes.h>
#include <linux/slab.h>
#include "model.h"

/* The model's window: 8 MiB of IOVA at 1 GiB, 4K and 2M pages. */
#define KM_BASE		SZ_1G
#define KM_PAGES	2048
#define KM_OPS		600
/* Fake physical addresses: the IOMMU never touches them. */
#define KM_PHYS		(4ULL << 30)

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

/**
 * iox_kapi_pgsize() - the kernel's iommu_pgsize() (6.1), restated
 * @bitmap: the domain's page sizes
 * @iova: where the next chunk starts
 * @paddr: the physical address it maps (@iova for an unmap)
 * @size: bytes left
 * @count: set to how many pages of the returned size the chunk has
 *
 * The largest page size the alignment of @iova | @paddr and @size allow,
 * and as many of them as reach the next boundary of a larger size from
 * which that larger size could be used (drivers/iommu/iommu.c, 6.1).
 *
 * Context: Any context.
 * Return: the page size of the chunk.
 */
size_t iox_kapi_pgsize(unsigned long bitmap, unsigned long iova, u64 paddr,
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
		pgsize = iox_kapi_pgsize(bitmap, iova, iova, size - done, &count);
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

/**
 * iox_kapi_model_run() - random maps and unmaps against the model
 * @test: the case, failed on the first difference
 * @dom: an attached paging domain of 4K and 2M pages with nothing mapped
 *	in the window
 * @seed: the sequence's seed
 *
 * Every return value of iommu_map() and iommu_unmap(), and the translation
 * of every page around each call, must be the model's; at the end the
 * whole window, and an unmap of all of it. The sequence must reach every
 * path it is there to check: maps, maps refused over a mapping, 2M
 * leaves, unmaps and unmaps returning less than their range.
 *
 * Context: Process context.
 */
void iox_kapi_model_run(struct kunit *test, struct iommu_domain *dom,
			u64 seed)
{
	unsigned int op;
	struct km *km;

	km = kunit_kzalloc(test, sizeof(*km), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, km);
	km->rng = seed;
	km->dom = dom;
	KUNIT_ASSERT_EQ(test, dom->pgsize_bitmap & (SZ_4K | SZ_2M),
			(unsigned long)(SZ_4K | SZ_2M));
	KUNIT_ASSERT_GE(test, (u64)dom->geometry.aperture_end,
			(u64)KM_BASE + KM_PAGES * SZ_4K - 1);
	for (op = 0; op < KM_OPS && test->status == KUNIT_SUCCESS; op++)
		km_step(test, km, op);
	km_check(test, km, 0, KM_PAGES, op);
	KUNIT_EXPECT_EQ(test, iommu_unmap(dom, KM_BASE,
					  (size_t)KM_PAGES * SZ_4K),
			km_unmap(km, 0, KM_PAGES, dom->pgsize_bitmap));
	km_check(test, km, 0, KM_PAGES, op);
	kunit_info(test, "%u operations, seed %#llx: %u maps (%u 2M leaves), %u refused over a mapping; %u unmaps, %u returned less than their range",
		   op, seed, km->maps, km->big_leaves, km->refused,
		   km->unmaps, km->short_unmaps);
	KUNIT_EXPECT_GT(test, km->maps, 50);
	KUNIT_EXPECT_GT(test, km->refused, 50);
	KUNIT_EXPECT_GT(test, km->unmaps, 50);
	KUNIT_EXPECT_GT(test, km->short_unmaps, 10);
	KUNIT_EXPECT_GT(test, km->big_leaves, 5);
}
