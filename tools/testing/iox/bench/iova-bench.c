// SPDX-License-Identifier: GPL-2.0
/*
 * IOVA allocator cases of iox-bench: a space of 4K granules with a 48-bit
 * limit (pfns 1 .. 2^36 - 1), sizes drawn in advance from a fixed seed so
 * the measured loops do nothing but allocator calls and array reads.
 *
 *   iova.fast.size1     alloc_fast + free_fast of one granule, cache hot
 *   iova.fast.size1.dma32  the same with a 32-bit limit (a device's mask
 *                       below the space's 48 bits)
 *   iova.fast.lifo1-32  bursts of 16 alloc_fast, freed in reverse; sizes 1-32
 *   iova.fast.rand1-32  a pool of 64 live ranges: free a random one, alloc
 *                       a new one of random size 1-32 (one op = the pair)
 *   iova.slow.fill      iox_iova_alloc from empty to 200k live, sizes 1-32,
 *                       no caches
 *   iova.slow.holes     iox_iova_alloc into 100k live ranges with 100k holes
 *                       (every other range of 200k freed), sizes 1-32
 *   iova.churn.*        at 100k or 1M live ranges: free a random one and
 *                       allocate one of random size 1-32 (the pair is one op)
 */
#include <linux/iox-iova.h>
#include <linux/err.h>
#include "iova-bench.h"

#define LIMIT		((1UL << 36) - 1)
#define LIMIT32		((1UL << 20) - 1)
#define POOL		64
#define BURST		16
#define SIZES		BIT(16)		/* a power of two: indexes wrap */

static struct iox_iova_space *space;
static unsigned long *pfns, *sizes, *picks, nr_live, want_live;
static unsigned long fast_limit;
static u64 rng = 42;

static void __noreturn iova_die(const char *what, unsigned long a)
{
	fprintf(stderr, "iox-bench: %s (%lu)\n", what, a);
	exit(1);
}

static unsigned long rnd(unsigned long n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned long)(rng >> 33) % n;
}

static void new_space(unsigned int flags, unsigned long live)
{
	unsigned long i;

	rng = 42;
	space = iox_iova_space_create(12, 1, LIMIT, flags);
	if (IS_ERR(space))
		iova_die("iox_iova_space_create", -PTR_ERR(space));
	pfns = calloc(live + POOL, sizeof(*pfns));
	sizes = calloc(SIZES, sizeof(*sizes));
	picks = calloc(SIZES, sizeof(*picks));
	if (!pfns || !sizes || !picks)
		iova_die("out of memory", 0);
	for (i = 0; i < SIZES; i++)
		sizes[i] = 1 + rnd(32);
	nr_live = 0;
	want_live = 0;
}

static void fill(unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		pfns[i] = iox_iova_alloc(space, sizes[i % SIZES], LIMIT, 0, 0);
		if (!pfns[i])
			iova_die("filling failed at", i);
	}
	nr_live = n;
}

static void setup_fast(unsigned long limit)
{
	unsigned long i, p[POOL];
	unsigned int o;

	new_space(0, 0);
	fast_limit = limit;
	/* Warm every size's cache as the measured loops will use it. */
	for (o = 0; o <= 5; o++) {
		for (i = 0; i < POOL; i++)
			p[i] = iox_iova_alloc_fast(space, 1UL << o, limit);
		for (i = 0; i < POOL; i++)
			iox_iova_free_fast(space, p[i], 1UL << o);
	}
	for (i = 0; i < SIZES; i++)
		picks[i] = rnd(POOL);
}

/**
 * iova_bench_setup_fast() - a cached space with warm caches
 * @ctx: unused; the state is this file's
 *
 * Context: The benchmark's thread.
 */
void iova_bench_setup_fast(struct bench_ctx *ctx)
{
	setup_fast(LIMIT);
}

/**
 * iova_bench_setup_fast32() - the same, allocating below 4 GiB
 * @ctx: unused
 *
 * Context: The benchmark's thread.
 */
void iova_bench_setup_fast32(struct bench_ctx *ctx)
{
	setup_fast(LIMIT32);
}

/**
 * iova_bench_setup_empty() - an empty space without caches
 * @ctx: unused
 *
 * Context: The benchmark's thread.
 */
void iova_bench_setup_empty(struct bench_ctx *ctx)
{
	new_space(IOX_IOVA_NO_CACHE, IOVA_BENCH_FILL);
	want_live = IOVA_BENCH_FILL;
}

/**
 * iova_bench_setup_holes() - 200k ranges allocated, every other one freed
 * @ctx: unused
 *
 * Context: The benchmark's thread.
 */
void iova_bench_setup_holes(struct bench_ctx *ctx)
{
	unsigned long i, n = 0;

	new_space(IOX_IOVA_NO_CACHE, IOVA_BENCH_FILL + IOVA_BENCH_HOLES_OPS);
	fill(IOVA_BENCH_FILL);
	for (i = 0; i < IOVA_BENCH_FILL; i++) {
		if (i & 1) {
			if (iox_iova_free(space, pfns[i], sizes[i % SIZES]))
				iova_die("holes: free failed at", i);
		} else {
			pfns[n++] = pfns[i];
		}
	}
	nr_live = n;
	want_live = n + IOVA_BENCH_HOLES_OPS;
}

static void setup_churn(unsigned long live)
{
	unsigned long i;

	new_space(IOX_IOVA_NO_CACHE, live);
	fill(live);
	/* The slot to replace at each op. */
	for (i = 0; i < SIZES; i++)
		picks[i] = rnd(live);
	want_live = live;
}

/**
 * iova_bench_setup_100k() - 100k live ranges for churn
 * @ctx: unused
 *
 * Context: The benchmark's thread.
 */
void iova_bench_setup_100k(struct bench_ctx *ctx)
{
	setup_churn(100000);
}

/**
 * iova_bench_setup_1m() - 1M live ranges for churn
 * @ctx: unused
 *
 * Context: The benchmark's thread.
 */
void iova_bench_setup_1m(struct bench_ctx *ctx)
{
	setup_churn(1000000);
}

/**
 * iova_bench_run_size1() - alloc_fast + free_fast of one granule
 * @ctx: unused
 *
 * Context: The benchmark's thread.
 */
void iova_bench_run_size1(struct bench_ctx *ctx)
{
	unsigned long i, p, limit = fast_limit;

	for (i = 0; i < IOVA_BENCH_FAST_OPS; i++) {
		p = iox_iova_alloc_fast(space, 1, limit);
		if (unlikely(!p))
			iova_die("size1: alloc failed at", i);
		iox_iova_free_fast(space, p, 1);
	}
	/* The last range, from the same cache as all: below the limit. */
	if (p > limit)
		iova_die("size1: a range above the limit at", p);
}

/**
 * iova_bench_run_lifo() - bursts of allocations freed in reverse
 * @ctx: unused
 *
 * Context: The benchmark's thread.
 */
void iova_bench_run_lifo(struct bench_ctx *ctx)
{
	unsigned long i, j, p[BURST];

	for (i = 0; i < IOVA_BENCH_FAST_OPS; i += BURST) {
		for (j = 0; j < BURST; j++) {
			p[j] = iox_iova_alloc_fast(space,
						   sizes[(i + j) % SIZES], LIMIT);
			if (unlikely(!p[j]))
				iova_die("lifo: alloc failed at", i + j);
		}
		for (j = BURST; j--;)
			iox_iova_free_fast(space, p[j], sizes[(i + j) % SIZES]);
	}
}

/**
 * iova_bench_run_rand() - random replacement in a pool of 64 ranges
 * @ctx: unused
 *
 * Context: The benchmark's thread.
 */
void iova_bench_run_rand(struct bench_ctx *ctx)
{
	unsigned long live[POOL], size[POOL], i, k;

	for (k = 0; k < POOL; k++) {
		size[k] = sizes[k];
		live[k] = iox_iova_alloc_fast(space, size[k], LIMIT);
	}
	for (i = 0; i < IOVA_BENCH_FAST_OPS; i++) {
		k = picks[i % SIZES];
		iox_iova_free_fast(space, live[k], size[k]);
		size[k] = sizes[i % SIZES];
		live[k] = iox_iova_alloc_fast(space, size[k], LIMIT);
		if (unlikely(!live[k]))
			iova_die("rand: alloc failed at", i);
	}
	for (k = 0; k < POOL; k++)
		iox_iova_free_fast(space, live[k], size[k]);
}

/**
 * iova_bench_run_fill() - empty to 200k live ranges
 * @ctx: unused
 *
 * Context: The benchmark's thread.
 */
void iova_bench_run_fill(struct bench_ctx *ctx)
{
	fill(IOVA_BENCH_FILL);
}

/**
 * iova_bench_run_holes() - 100k allocations into a space with holes
 * @ctx: unused
 *
 * Context: The benchmark's thread.
 */
void iova_bench_run_holes(struct bench_ctx *ctx)
{
	unsigned long i, n = nr_live;

	for (i = 0; i < IOVA_BENCH_HOLES_OPS; i++) {
		pfns[n + i] = iox_iova_alloc(space, sizes[i % SIZES], LIMIT, 0,
					     0);
		if (unlikely(!pfns[n + i]))
			iova_die("holes: alloc failed at", i);
	}
	nr_live = n + IOVA_BENCH_HOLES_OPS;
}

/**
 * iova_bench_run_churn() - free a random live range, allocate another
 * @ctx: unused
 *
 * Context: The benchmark's thread.
 */
void iova_bench_run_churn(struct bench_ctx *ctx)
{
	unsigned long i, k, size;

	for (i = 0; i < IOVA_BENCH_CHURN_OPS; i++) {
		k = picks[i % SIZES];
		/* Slot k holds a range of sizes[k % SIZES] (fill's rule). */
		size = sizes[k % SIZES];
		if (unlikely(iox_iova_free(space, pfns[k], size)))
			iova_die("churn: free failed at", i);
		pfns[k] = iox_iova_alloc(space, size, LIMIT, 0, 0);
		if (unlikely(!pfns[k]))
			iova_die("churn: alloc failed at", i);
	}
}

/**
 * iova_bench_check() - check the accounting and free the space
 * @ctx: unused
 *
 * Context: The benchmark's thread.
 */
void iova_bench_check(struct bench_ctx *ctx)
{
	struct iox_iova_stats st;

	iox_iova_get_stats(space, &st);
	if (st.live_ranges != want_live)
		iova_die("live ranges after the run", st.live_ranges);
	iox_iova_shrink(space);
	iox_iova_get_stats(space, &st);
	if (st.cached_ranges || st.live_ranges != want_live)
		iova_die("ranges left after shrinking", st.cached_ranges);
	iox_iova_space_destroy(space);
	space = NULL;
	free(pfns);
	free(sizes);
	free(picks);
}
