// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: randomized differential test of iox_map / iox_unmap / iox_lookup
 * against a reference model that tracks, per smallest page of a 1 GiB
 * window, what should be mapped there and as part of which leaf. It runs on
 * the mock unit's own table and on every page-table engine format behind
 * the mock, through the core's API.
 *
 * The model is written from the contracts, not from the core: a map of a
 * range with any mapped page fails with -EEXIST and changes nothing; else
 * leaves are the largest sizes the alignment of iova and paddr and the
 * remaining length allow. An unmap whose ends fall inside a leaf fails with
 * -EINVAL; else it removes the leaves inside and returns their bytes.
 *
 * diff_ops sets the number of operations, diff_seed replays a run (0 picks
 * a seed, which is printed).
 */
#include <linux/moduleparam.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <linux/vmalloc.h>
#include "iox-test.h"

static unsigned long diff_ops = 50000;
module_param(diff_ops, ulong, 0444);
MODULE_PARM_DESC(diff_ops, "operations of the differential test");
static unsigned long diff_seed;
module_param(diff_seed, ulong, 0444);
MODULE_PARM_DESC(diff_seed, "seed of the differential test, 0 for random");

#define WIN_BASE	SZ_1G
#define WIN_SIZE	SZ_1G
#define RW		(IOX_READ | IOX_WRITE)

/* What the model expects at one smallest page. */
struct model_page {
	u64 phys;		/* physical address of the page */
	u8 prot;
	u8 shift;		/* log2 of the leaf's size */
	bool mapped;
};

struct diff_state {
	struct kunit *test;
	struct iox_domain *domain;
	struct model_page *pages;
	unsigned long bitmap;	/* the domain's page sizes */
	unsigned int unit;	/* log2 of the smallest page */
	u64 npages;		/* smallest pages in the window */
	u64 phys_max;
	u64 rng;
	unsigned long maps, unmaps, lookups, refused, mapped_pages;
};

/* splitmix64: small, fast and good enough to drive the operations. */
static u64 diff_rand(struct diff_state *s)
{
	u64 z = (s->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u64 diff_below(struct diff_state *s, u64 n)
{
	return diff_rand(s) % n;
}

/* A length in pages: mostly small, sometimes around 2M, rarely huge. */
static u64 diff_npages(struct diff_state *s)
{
	u64 r = diff_below(s, 1000);

	u64 big = max_t(u64, SZ_2M >> s->unit, 16);

	if (r < 800)
		return 1 + diff_below(s, 16);
	if (r < 990)
		return big * (1 + diff_below(s, 3)) + diff_below(s, 3) -
		       diff_below(s, 3);
	return 1 + diff_below(s, s->npages);
}

/* An index, biased towards 2M and 1G boundaries so large leaves occur. */
static u64 diff_index(struct diff_state *s, u64 npages)
{
	u64 limit = s->npages - npages + 1, i = diff_below(s, limit);

	switch (diff_below(s, 4)) {
	case 0:
		i &= ~((SZ_2M >> s->unit) - 1);
		break;
	case 1:
		if (!diff_below(s, 8))
			i = 0;
		break;
	}
	return i;
}

static void diff_map(struct diff_state *s)
{
	u64 npages = diff_npages(s), first = diff_index(s, npages), i, left;
	u64 iova = WIN_BASE + (first << s->unit), size = npages << s->unit;
	u64 slots = (s->phys_max + 1) / SZ_1G, phys;
	int prot = 1 + diff_below(s, 3), ret, expect = 0;

	if (diff_below(s, 4))	/* keep paddr congruent to iova mod 1G */
		phys = diff_below(s, slots - 1) * SZ_1G + (iova & (SZ_1G - 1));
	else
		phys = diff_below(s, (s->phys_max + 1 - size) >> s->unit) <<
		       s->unit;
	if (diff_below(s, 4) == 0)
		prot |= IOX_CACHE;

	for (i = first; i < first + npages; i++)
		if (s->pages[i].mapped) {
			expect = -EEXIST;
			break;
		}
	ret = iox_map(s->domain, iova, phys, size, prot, GFP_KERNEL);
	KUNIT_EXPECT_EQ_MSG(s->test, ret, expect, "map %#llx+%#llx -> %#llx",
			    iova, size, phys);
	s->maps++;
	if (ret)
		return;

	/* Reference split: largest page the alignments and length allow. */
	for (i = first, left = npages; left; ) {
		u64 a = (WIN_BASE + (i << s->unit)) | phys, n, j;
		unsigned int shift;

		for (shift = 63; shift > s->unit; shift--)
			if ((s->bitmap & BIT_ULL(shift)) &&
			    !(a & (BIT_ULL(shift) - 1)) &&
			    left >= BIT_ULL(shift - s->unit))
				break;
		n = BIT_ULL(shift - s->unit);
		for (j = 0; j < n; j++) {
			s->pages[i + j] = (struct model_page) {
				.phys = phys + (j << s->unit),
				.prot = prot, .shift = shift, .mapped = true,
			};
		}
		i += n;
		left -= n;
		phys += n << s->unit;
	}
	s->mapped_pages += npages;
}

static u64 diff_leaf_pages(const struct diff_state *s, u64 i)
{
	return BIT_ULL(s->pages[i].shift - s->unit);
}

static u64 diff_leaf_first(const struct diff_state *s, u64 i)
{
	/* Leaves are aligned in IOVA, and the window base is 1G-aligned. */
	return i & ~(diff_leaf_pages(s, i) - 1);
}

static void diff_unmap(struct diff_state *s)
{
	u64 npages = diff_npages(s), first = diff_index(s, npages), i;
	u64 last = first + npages - 1, expect = 0;
	struct model_page *p = s->pages;
	ssize_t ret;
	bool cuts;

	cuts = (p[first].mapped && diff_leaf_first(s, first) != first) ||
	       (p[last].mapped && diff_leaf_first(s, last) +
				  diff_leaf_pages(s, last) - 1 != last);
	for (i = first; !cuts && i <= last; i++)
		expect += p[i].mapped ? BIT_ULL(s->unit) : 0;

	ret = iox_unmap(s->domain, WIN_BASE + (first << s->unit),
			npages << s->unit);
	s->unmaps++;
	if (cuts) {
		KUNIT_EXPECT_EQ_MSG(s->test, ret, -EINVAL, "unmap %#llx+%#llx",
				    WIN_BASE + (first << s->unit),
				    npages << s->unit);
		s->refused++;
		return;
	}
	KUNIT_EXPECT_EQ_MSG(s->test, ret, expect, "unmap %#llx+%#llx",
			    WIN_BASE + (first << s->unit), npages << s->unit);
	for (i = first; i <= last; i++)
		p[i].mapped = false;
	s->mapped_pages -= expect >> s->unit;
}

static bool diff_check_page(struct diff_state *s, u64 i, u64 offset)
{
	const struct model_page *p = &s->pages[i];
	u64 iova = WIN_BASE + (i << s->unit) + offset;
	struct iox_leaf leaf;
	int ret;

	ret = iox_lookup(s->domain, iova, &leaf);
	s->lookups++;
	/* The address-only path must agree (0: not mapped, or phys 0). */
	if (iox_iova_to_phys(s->domain, iova) !=
	    (p->mapped ? p->phys + offset : 0))
		return false;
	if (!p->mapped)
		return ret == -ENOENT;
	/* Formats differ in what else they encode; write access is exact. */
	return !ret && leaf.phys == p->phys + offset &&
	       leaf.pgsize == BIT_ULL(p->shift) &&
	       (leaf.prot & IOX_WRITE) == (p->prot & IOX_WRITE) &&
	       (leaf.prot & p->prot & IOX_READ) == (p->prot & IOX_READ);
}

static void diff_lookup(struct diff_state *s)
{
	u64 i = diff_below(s, s->npages);
	u64 offset = diff_below(s, BIT_ULL(s->unit)) & ~7ULL;

	KUNIT_EXPECT_TRUE_MSG(s->test, diff_check_page(s, i, offset),
			      "lookup %#llx", WIN_BASE + (i << s->unit) + offset);
}

/* Misaligned and zero-sized calls change nothing. */
static void diff_bad_call(struct diff_state *s)
{
	u64 iova = WIN_BASE + diff_below(s, WIN_SIZE);

	KUNIT_EXPECT_EQ(s->test, iox_map(s->domain, iova | 1, 0,
					 BIT_ULL(s->unit), RW, GFP_KERNEL),
			-EINVAL);
	KUNIT_EXPECT_EQ(s->test, iox_unmap(s->domain, iova & ~(SZ_4K - 1), 0),
			-EINVAL);
}

static void diff_random_ops(struct kunit *test)
{
	struct iox_test_env *env = test->priv;
	struct diff_state s = { .test = test, .domain = env->domain };
	u64 seed = diff_seed ? diff_seed : get_random_u64(), i, bad = 0;
	u64 leaf, unmapped;
	u64 top = env->domain->aperture_end, half;
	struct iox_pt *pt = iox_mock_domain_pt(env->domain);
	unsigned long op;

	s.bitmap = env->domain->pgsize_bitmap;
	s.unit = __ffs(s.bitmap);
	s.npages = WIN_SIZE >> s.unit;
	s.phys_max = env->domain->paddr_max;
	s.rng = seed;
	kunit_info(test, "seed %llu, %lu operations (replay: diff_seed=%llu)",
		   seed, diff_ops, seed);
	s.pages = vzalloc(s.npages * sizeof(*s.pages));
	KUNIT_ASSERT_NOT_NULL(test, s.pages);

	for (op = 0; op < diff_ops; op++) {
		u64 r = diff_below(&s, 100);

		if (r < 40)
			diff_map(&s);
		else if (r < 75)
			diff_unmap(&s);
		else if (r < 99)
			diff_lookup(&s);
		else
			diff_bad_call(&s);
		if (test->status == KUNIT_FAILURE) {
			kunit_info(test, "first failure at operation %lu", op);
			break;
		}
		if (!(op & 0xffff))
			cond_resched();
	}

	/* Every page of the window agrees with the model. */
	for (i = 0; i < s.npages && test->status != KUNIT_FAILURE; i++)
		bad += !diff_check_page(&s, i, 0);
	KUNIT_EXPECT_EQ(test, bad, 0);

	kunit_info(test, "%lu maps, %lu unmaps (%lu refused), %lu lookups, %ld engine table pages",
		   s.maps, s.unmaps, s.refused, s.lookups,
		   pt ? atomic_long_read(&pt->table_pages) : 0);
	/*
	 * Unmapping every leaf on its own returns exactly the bytes still
	 * mapped, and each table goes with its last entry: only the root
	 * is left...
	 */
	for (i = 0, unmapped = 0; i < s.npages; i += leaf) {
		leaf = 1;
		if (!s.pages[i].mapped)
			continue;
		leaf = diff_leaf_pages(&s, i);
		unmapped += iox_unmap(env->domain, WIN_BASE + (i << s.unit),
				      leaf << s.unit);
	}
	KUNIT_EXPECT_EQ(test, unmapped, s.mapped_pages << s.unit);
	if (pt)
		KUNIT_EXPECT_EQ(test, atomic_long_read(&pt->table_pages),
				1L << pt->root_order);
	/* ...and nothing else is mapped anywhere. */
	half = top / 2 + 1;	/* two halves: a 64-bit space has no size */
	KUNIT_EXPECT_EQ(test, iox_unmap(env->domain, 0, half) +
			iox_unmap(env->domain, half, top - half + 1), 0);
	vfree(s.pages);
}

static int diff_init(struct kunit *test)
{
	return iox_test_env_init_param(test, 1);
}

static struct kunit_case iox_diff_test_cases[] = {
	KUNIT_CASE_PARAM(diff_random_ops, iox_test_config_gen_params),
	{}
};

struct kunit_suite iox_diff_test_suite = {
	.name = "iox_diff",
	.init = diff_init,
	.exit = iox_test_env_exit,
	.test_cases = iox_diff_test_cases,
};
