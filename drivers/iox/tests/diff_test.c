// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: randomized differential test of iox_map / iox_unmap / iox_lookup
 * against a reference model that tracks, per 4 KiB page of a 1 GiB window,
 * what should be mapped there and as part of which leaf.
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
#define WIN_PAGES	(SZ_1G / SZ_4K)
#define RW		(IOX_READ | IOX_WRITE)

/* What the model expects at one page. */
struct model_page {
	u64 phys;		/* physical address of the page */
	u8 prot;
	u8 order;		/* leaf size is 4K << order */
	bool mapped;
};

struct diff_state {
	struct kunit *test;
	struct iox_domain *domain;
	struct model_page *pages;
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

	if (r < 800)
		return 1 + diff_below(s, 16);
	if (r < 990)
		return 512 * (1 + diff_below(s, 3)) + diff_below(s, 3) -
		       diff_below(s, 3);
	return 1 + diff_below(s, WIN_PAGES);
}

/* An index, biased towards 2M and 1G boundaries so large leaves occur. */
static u64 diff_index(struct diff_state *s, u64 npages)
{
	u64 limit = WIN_PAGES - npages + 1, i = diff_below(s, limit);

	switch (diff_below(s, 4)) {
	case 0:
		i &= ~511ULL;
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
	u64 iova = WIN_BASE + first * SZ_4K, phys;
	int prot = 1 + diff_below(s, 3), ret, expect = 0;

	if (diff_below(s, 4))	/* keep paddr congruent to iova mod 1G */
		phys = diff_below(s, 64) * SZ_1G + (iova & (SZ_1G - 1));
	else
		phys = diff_below(s, 1ULL << 28) * SZ_4K;
	if (diff_below(s, 4) == 0)
		prot |= IOX_CACHE;

	for (i = first; i < first + npages; i++)
		if (s->pages[i].mapped) {
			expect = -EEXIST;
			break;
		}
	ret = iox_map(s->domain, iova, phys, npages * SZ_4K, prot, GFP_KERNEL);
	KUNIT_EXPECT_EQ_MSG(s->test, ret, expect, "map %#llx+%#llx -> %#llx",
			    iova, npages * SZ_4K, phys);
	s->maps++;
	if (ret)
		return;

	/* Reference split: largest page the alignments and length allow. */
	for (i = first, left = npages; left; ) {
		u64 a = (WIN_BASE + i * SZ_4K) | phys, size, j;
		unsigned int order;

		if (!(a & (SZ_1G - 1)) && left >= SZ_1G / SZ_4K)
			order = 18;
		else if (!(a & (SZ_2M - 1)) && left >= SZ_2M / SZ_4K)
			order = 9;
		else
			order = 0;
		size = 1ULL << order;
		for (j = 0; j < size; j++) {
			s->pages[i + j] = (struct model_page) {
				.phys = phys + j * SZ_4K,
				.prot = prot, .order = order, .mapped = true,
			};
		}
		i += size;
		left -= size;
		phys += size * SZ_4K;
	}
	s->mapped_pages += npages;
}

static u64 diff_leaf_first(const struct model_page *p, u64 i)
{
	return i & ~((1ULL << p[i].order) - 1);
}

static void diff_unmap(struct diff_state *s)
{
	u64 npages = diff_npages(s), first = diff_index(s, npages), i;
	u64 last = first + npages - 1, expect = 0;
	struct model_page *p = s->pages;
	ssize_t ret;
	bool cuts;

	cuts = (p[first].mapped && diff_leaf_first(p, first) != first) ||
	       (p[last].mapped && diff_leaf_first(p, last) +
				  (1ULL << p[last].order) - 1 != last);
	for (i = first; !cuts && i <= last; i++)
		expect += p[i].mapped ? SZ_4K : 0;

	ret = iox_unmap(s->domain, WIN_BASE + first * SZ_4K, npages * SZ_4K);
	s->unmaps++;
	if (cuts) {
		KUNIT_EXPECT_EQ_MSG(s->test, ret, -EINVAL, "unmap %#llx+%#llx",
				    WIN_BASE + first * SZ_4K, npages * SZ_4K);
		s->refused++;
		return;
	}
	KUNIT_EXPECT_EQ_MSG(s->test, ret, expect, "unmap %#llx+%#llx",
			    WIN_BASE + first * SZ_4K, npages * SZ_4K);
	for (i = first; i <= last; i++)
		p[i].mapped = false;
	s->mapped_pages -= expect / SZ_4K;
}

static bool diff_check_page(struct diff_state *s, u64 i, u64 offset)
{
	const struct model_page *p = &s->pages[i];
	struct iox_leaf leaf;
	int ret;

	ret = iox_lookup(s->domain, WIN_BASE + i * SZ_4K + offset, &leaf);
	s->lookups++;
	if (!p->mapped)
		return ret == -ENOENT;
	return !ret && leaf.phys == p->phys + offset &&
	       leaf.pgsize == SZ_4K << p->order && leaf.prot == p->prot;
}

static void diff_lookup(struct diff_state *s)
{
	u64 i = diff_below(s, WIN_PAGES), offset = diff_below(s, SZ_4K) & ~7ULL;

	KUNIT_EXPECT_TRUE_MSG(s->test, diff_check_page(s, i, offset),
			      "lookup %#llx", WIN_BASE + i * SZ_4K + offset);
}

/* Misaligned and zero-sized calls change nothing. */
static void diff_bad_call(struct diff_state *s)
{
	u64 iova = WIN_BASE + diff_below(s, SZ_1G);

	KUNIT_EXPECT_EQ(s->test, iox_map(s->domain, iova | 1, 0, SZ_4K, RW,
					 GFP_KERNEL), -EINVAL);
	KUNIT_EXPECT_EQ(s->test, iox_unmap(s->domain, iova & ~(SZ_4K - 1), 0),
			-EINVAL);
}

static void diff_random_ops(struct kunit *test)
{
	struct iox_test_env *env = test->priv;
	struct diff_state s = { .test = test, .domain = env->domain };
	u64 seed = diff_seed ? diff_seed : get_random_u64(), i, bad = 0;
	struct iox_mock_stats stats;
	unsigned long op;

	s.rng = seed;
	kunit_info(test, "seed %llu, %lu operations (replay: diff_seed=%llu)",
		   seed, diff_ops, seed);
	s.pages = vzalloc(WIN_PAGES * sizeof(*s.pages));
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
	for (i = 0; i < WIN_PAGES && test->status != KUNIT_FAILURE; i++)
		bad += !diff_check_page(&s, i, 0);
	KUNIT_EXPECT_EQ(test, bad, 0);

	/* Emptying the window returns exactly the bytes still mapped. */
	KUNIT_EXPECT_EQ(test, iox_unmap(env->domain, WIN_BASE, SZ_1G),
			s.mapped_pages * SZ_4K);
	iox_mock_get_stats(env->mock, &stats);
	kunit_info(test, "%lu maps, %lu unmaps (%lu refused), %lu lookups, %ld table pages",
		   s.maps, s.unmaps, s.refused, s.lookups, stats.table_pages);
	vfree(s.pages);
}

static struct kunit_case iox_diff_test_cases[] = {
	KUNIT_CASE(diff_random_ops),
	{}
};

struct kunit_suite iox_diff_test_suite = {
	.name = "iox_diff",
	.init = iox_test_env_init,
	.exit = iox_test_env_exit,
	.test_cases = iox_diff_test_cases,
};
