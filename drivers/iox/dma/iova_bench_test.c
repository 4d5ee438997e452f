// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: iox's IOVA allocator side by side with the running kernel's own
 * (drivers/iommu/iova.c: alloc_iova_fast()/free_iova_fast(), alloc_iova()/
 * __free_iova(), exported when CONFIG_IOMMU_IOVA is set, as in Debian's
 * 6.1 kernels). The same work on both in one run, timed with ktime; each
 * case prints an "iova-vs-linux" line with ns per op and the ratio, and
 * fails if either allocator refuses an allocation it should make. 4K
 * granules (PAGE_SIZE here), 48-bit limit.
 */
#include <kunit/test.h>
#include <linux/iova.h>
#include <linux/iox-iova.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#define LIMIT_PFN	((1UL << 36) - 1)
#define FAST_OPS	BIT(18)
#define POOL		64
#define DRAWS		4096		/* a power of two: indexes wrap */
#define CHURN_LIVE	100000UL
#define IOX_CHURN_OPS	20000UL
#define LINUX_CHURN_OPS	2000UL		/* Linux's churn is linear: fewer */

static u32 bench_rand(u32 *s)
{
	*s = *s * 1103515245 + 12345;
	return *s >> 8;
}

/* Prints ns per op of both and Linux's time over iox's (>1: iox faster). */
static void report(struct kunit *test, const char *name, u64 iox_ns,
		   unsigned long iox_ops, u64 linux_ns, unsigned long linux_ops)
{
	u64 a = div64_u64(iox_ns * 100, iox_ops);
	u64 b = div64_u64(linux_ns * 100, linux_ops);
	u64 r = a ? div64_u64(b * 100, a) : 0;

	kunit_info(test, "iova-vs-linux %s: iox %llu.%02llu ns/op, linux %llu.%02llu ns/op, linux/iox %llu.%02llu\n",
		   name, a / 100, a % 100, b / 100, b % 100, r / 100, r % 100);
}

static struct iova_domain *linux_domain(struct kunit *test)
{
	struct iova_domain *iovad = kunit_kzalloc(test, sizeof(*iovad),
						  GFP_KERNEL);

	if (!iovad || iova_cache_get())
		return NULL;
	init_iova_domain(iovad, PAGE_SIZE, 1);
	if (iova_domain_init_rcaches(iovad)) {
		put_iova_domain(iovad);
		iova_cache_put();
		return NULL;
	}
	return iovad;
}

static void linux_domain_put(struct iova_domain *iovad)
{
	put_iova_domain(iovad);
	iova_cache_put();
}

static void iova_vs_linux_fast_size1(struct kunit *test)
{
	struct iox_iova_space *space = iox_iova_space_create(PAGE_SHIFT, 1,
							     LIMIT_PFN, 0);
	struct iova_domain *iovad = linux_domain(test);
	unsigned long i, pfn, bad = 0;
	u64 t0, t_iox, t_linux;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, space);
	KUNIT_ASSERT_NOT_NULL(test, iovad);
	/* Warm both caches. */
	iox_iova_free_fast(space, iox_iova_alloc_fast(space, 1, LIMIT_PFN), 1);
	free_iova_fast(iovad, alloc_iova_fast(iovad, 1, LIMIT_PFN, true), 1);

	t0 = ktime_get_ns();
	for (i = 0; i < FAST_OPS; i++) {
		pfn = iox_iova_alloc_fast(space, 1, LIMIT_PFN);
		bad += !pfn;
		iox_iova_free_fast(space, pfn, 1);
	}
	t_iox = ktime_get_ns() - t0;
	t0 = ktime_get_ns();
	for (i = 0; i < FAST_OPS; i++) {
		pfn = alloc_iova_fast(iovad, 1, LIMIT_PFN, true);
		bad += !pfn;
		free_iova_fast(iovad, pfn, 1);
	}
	t_linux = ktime_get_ns() - t0;
	KUNIT_EXPECT_EQ(test, bad, 0UL);
	report(test, "fast.size1 (alloc+free pair)", t_iox, FAST_OPS, t_linux,
	       FAST_OPS);
	linux_domain_put(iovad);
	iox_iova_space_destroy(space);
}

static void iova_vs_linux_fast_rand(struct kunit *test)
{
	struct iox_iova_space *space = iox_iova_space_create(PAGE_SHIFT, 1,
							     LIMIT_PFN, 0);
	struct iova_domain *iovad = linux_domain(test);
	unsigned long *sizes = kunit_kcalloc(test, DRAWS, sizeof(*sizes),
					     GFP_KERNEL);
	unsigned long *picks = kunit_kcalloc(test, DRAWS, sizeof(*picks),
					     GFP_KERNEL);
	unsigned long live[POOL], size[POOL], i, k, bad = 0;
	u64 t0, t_iox, t_linux;
	u32 seed = 1;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, space);
	KUNIT_ASSERT_NOT_NULL(test, iovad);
	KUNIT_ASSERT_NOT_NULL(test, sizes);
	KUNIT_ASSERT_NOT_NULL(test, picks);
	for (i = 0; i < DRAWS; i++) {
		sizes[i] = 1 + bench_rand(&seed) % 32;
		picks[i] = bench_rand(&seed) % POOL;
	}

	for (k = 0; k < POOL; k++) {
		size[k] = sizes[k];
		live[k] = iox_iova_alloc_fast(space, size[k], LIMIT_PFN);
	}
	t0 = ktime_get_ns();
	for (i = 0; i < FAST_OPS; i++) {
		k = picks[i % DRAWS];
		iox_iova_free_fast(space, live[k], size[k]);
		size[k] = sizes[i % DRAWS];
		live[k] = iox_iova_alloc_fast(space, size[k], LIMIT_PFN);
		bad += !live[k];
	}
	t_iox = ktime_get_ns() - t0;
	for (k = 0; k < POOL; k++)
		iox_iova_free_fast(space, live[k], size[k]);

	for (k = 0; k < POOL; k++) {
		size[k] = sizes[k];
		live[k] = alloc_iova_fast(iovad, size[k], LIMIT_PFN, true);
	}
	t0 = ktime_get_ns();
	for (i = 0; i < FAST_OPS; i++) {
		k = picks[i % DRAWS];
		free_iova_fast(iovad, live[k], size[k]);
		size[k] = sizes[i % DRAWS];
		live[k] = alloc_iova_fast(iovad, size[k], LIMIT_PFN, true);
		bad += !live[k];
	}
	t_linux = ktime_get_ns() - t0;
	for (k = 0; k < POOL; k++)
		free_iova_fast(iovad, live[k], size[k]);

	KUNIT_EXPECT_EQ(test, bad, 0UL);
	report(test, "fast.rand1-32 (free+alloc pair)", t_iox, FAST_OPS,
	       t_linux, FAST_OPS);
	linux_domain_put(iovad);
	iox_iova_space_destroy(space);
}

/* Free a random live range and allocate one of its size, at 100k live. */
static void iova_vs_linux_churn(struct kunit *test)
{
	struct iox_iova_space *space;
	struct iova_domain *iovad = linux_domain(test);
	unsigned long *pfns = vzalloc(CHURN_LIVE * sizeof(*pfns));
	struct iova **ranges = vzalloc(CHURN_LIVE * sizeof(*ranges));
	struct iox_iova_stats st;
	unsigned long i, k, size, bad = 0;
	u64 t0, t_iox, t_linux;
	u32 seed = 7;

	space = iox_iova_space_create(PAGE_SHIFT, 1, LIMIT_PFN,
				      IOX_IOVA_NO_CACHE);
	if (IS_ERR(space) || !iovad || !pfns || !ranges) {
		KUNIT_FAIL(test, "setup failed");
		goto out;
	}
	/* Slot k always holds a range of 1 + k % 32 granules. */
	for (k = 0; k < CHURN_LIVE; k++) {
		pfns[k] = iox_iova_alloc(space, 1 + k % 32, LIMIT_PFN, 0, 0);
		ranges[k] = alloc_iova(iovad, 1 + k % 32, LIMIT_PFN, false);
		bad += !pfns[k] + !ranges[k];
	}
	if (bad) {
		KUNIT_FAIL(test, "%lu fills failed", bad);
		goto out;
	}

	t0 = ktime_get_ns();
	for (i = 0; i < IOX_CHURN_OPS; i++) {
		k = bench_rand(&seed) % CHURN_LIVE;
		size = 1 + k % 32;
		bad += !!iox_iova_free(space, pfns[k], size);
		pfns[k] = iox_iova_alloc(space, size, LIMIT_PFN, 0, 0);
		bad += !pfns[k];
	}
	t_iox = ktime_get_ns() - t0;
	t0 = ktime_get_ns();
	for (i = 0; i < LINUX_CHURN_OPS; i++) {
		k = bench_rand(&seed) % CHURN_LIVE;
		__free_iova(iovad, ranges[k]);
		ranges[k] = alloc_iova(iovad, 1 + k % 32, LIMIT_PFN, false);
		bad += !ranges[k];
		if (!ranges[k])
			break;
		cond_resched();
	}
	t_linux = ktime_get_ns() - t0;
	KUNIT_EXPECT_EQ(test, bad, 0UL);
	iox_iova_get_stats(space, &st);
	KUNIT_EXPECT_EQ(test, st.live_ranges, CHURN_LIVE);
	report(test, "churn.100k (free+alloc pair, no caches)", t_iox,
	       IOX_CHURN_OPS, t_linux, LINUX_CHURN_OPS);
out:
	if (iovad)
		linux_domain_put(iovad);
	if (!IS_ERR(space))
		iox_iova_space_destroy(space);
	vfree(ranges);
	vfree(pfns);
}

static struct kunit_case iox_iova_vs_linux_cases[] = {
	KUNIT_CASE(iova_vs_linux_fast_size1),
	KUNIT_CASE(iova_vs_linux_fast_rand),
	KUNIT_CASE(iova_vs_linux_churn),
	{}
};

static struct kunit_suite iox_iova_vs_linux_suite = {
	.name = "iox_iova_vs_linux",
	.test_cases = iox_iova_vs_linux_cases,
};

kunit_test_suites(&iox_iova_vs_linux_suite);

MODULE_DESCRIPTION("iox IOVA allocator against the kernel's own, timed");
MODULE_LICENSE("GPL");
