// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the IOVA allocator against a model. A small space is mirrored
 * granule by granule (free, reserved, allocated, guard); random
 * allocations, frees and reservations are checked against it: no overlap,
 * limit, alignment and boundary held, guards free, reservations never
 * handed out, exact accounting, and an allocation fails only when a brute
 * force search of the model finds no place either. The tree's AVL balance
 * and gap augmentation are checked after every step. Then the per-CPU
 * caches, and threads allocating and freeing at once (TSan in userspace).
 */
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/slab.h>
#include "iox-test.h"
#include "../dma/iova-priv.h"

/* What the model holds at a granule. */
enum { M_FREE, M_RESV, M_ALLOC, M_GUARD };

#define MODEL_PFNS	1024
#define MODEL_MAX_LIVE	256

struct model {
	struct kunit *test;
	struct iox_iova_space *space;
	unsigned long start, end;	/* the window */
	unsigned long guard;
	u8 state[MODEL_PFNS];
	unsigned long live_pfn[MODEL_MAX_LIVE], live_size[MODEL_MAX_LIVE];
	unsigned int nr_live;
	unsigned long live_granules;
	u64 rng;
	unsigned long errors;
};

static unsigned long rnd(u64 *rng, unsigned long n)
{
	/* xorshift64*: reproducible on every build. */
	*rng ^= *rng >> 12;
	*rng ^= *rng << 25;
	*rng ^= *rng >> 27;
	return (unsigned long)((*rng * 2685821657736338717ULL) >> 33) % n;
}

/* Checks one subtree in order; returns its height, or -1 after reporting. */
static int check_subtree(struct kunit *test, struct iox_iova_node *n,
			 struct iox_iova_node *parent,
			 struct iox_iova_node **prev)
{
	unsigned long max_gap;
	int hl, hr = 0;

	/* The nil node (IOX_IOVA_NIL): the only one without children. */
	if (!n->left) {
		if (!n->height && !n->max_gap && !n->right)
			return 0;
		KUNIT_FAIL(test, "the nil node changed");
		return -1;
	}
	if (n->parent != parent || n->hi < n->lo || !n->right) {
		KUNIT_FAIL(test, "node [%#lx, %#lx]: bad parent or range",
			   n->lo, n->hi);
		return -1;
	}
	hl = check_subtree(test, n->left, n, prev);
	if (hl < 0)
		return -1;
	/* The node below owns the gap up to this one. */
	if (*prev && ((*prev)->hi >= n->lo ||
		      (*prev)->gap != n->lo - (*prev)->hi - 1))
		goto bad;
	*prev = n;
	hr = check_subtree(test, n->right, n, prev);
	if (hr < 0)
		return -1;
	max_gap = max3(n->gap, n->left->max_gap, n->right->max_gap);
	if (abs(hl - hr) > 1 || n->height != max(hl, hr) + 1 ||
	    n->max_gap != max_gap)
		goto bad;
	return n->height;
bad:
	KUNIT_FAIL(test, "node [%#lx, %#lx] gap %lu max %lu h %u (%d, %d): wrong",
		   n->lo, n->hi, n->gap, n->max_gap, n->height, hl, hr);
	return -1;
}

static void check_tree(struct kunit *test, struct iox_iova_space *space)
{
	struct iox_iova_node *prev = NULL;
	unsigned long flags;

	raw_spin_lock_irqsave(&space->lock, flags);
	check_subtree(test, space->root, NULL, &prev);
	if (prev && prev->gap)
		KUNIT_FAIL(test, "the highest node has a gap above it");
	raw_spin_unlock_irqrestore(&space->lock, flags);
}

static bool model_free_at(const struct model *m, unsigned long pfn,
			  unsigned long n)
{
	unsigned long i;

	if (pfn < m->start || pfn + n - 1 > m->end)
		return false;
	for (i = 0; i < n; i++)
		if (m->state[pfn + i] != M_FREE)
			return false;
	return true;
}

static bool placement_ok(unsigned long pfn, unsigned long size,
			 unsigned long limit, unsigned long align,
			 unsigned long boundary)
{
	if (pfn + size - 1 > limit || (pfn & (align - 1)))
		return false;
	return !boundary || !((pfn ^ (pfn + size - 1)) & ~(boundary - 1));
}

/* Brute force: the highest place the model has for the request, or 0. */
static unsigned long model_best(const struct model *m, unsigned long size,
				unsigned long limit, unsigned long align,
				unsigned long boundary)
{
	unsigned long pfn, top = min(limit, m->end);

	if (top < m->start + size - 1)
		return 0;
	for (pfn = top - size + 1; pfn >= m->start; pfn--) {
		if (placement_ok(pfn, size, limit, align, boundary) &&
		    model_free_at(m, pfn, size + m->guard))
			return pfn;
		if (!pfn)
			break;
	}
	return 0;
}

static void model_check_stats(struct model *m)
{
	struct iox_iova_stats st;

	iox_iova_get_stats(m->space, &st);
	if (st.live_ranges != m->nr_live || st.live_granules != m->live_granules ||
	    st.cached_ranges || st.cached_granules) {
		KUNIT_FAIL(m->test, "stats %lu/%lu live, %lu/%lu cached; model %u/%lu",
			   st.live_ranges, st.live_granules, st.cached_ranges,
			   st.cached_granules, m->nr_live, m->live_granules);
		m->errors++;
	}
}

static void model_alloc(struct model *m)
{
	static const unsigned long aligns[] = { 0, 1, 2, 4, 8, 16, 64 };
	static const unsigned long bounds[] = { 0, 0, 8, 16, 32, 64, 256 };
	unsigned long size = 1 + rnd(&m->rng, rnd(&m->rng, 4) ? 8 : 40);
	unsigned long align = aligns[rnd(&m->rng, ARRAY_SIZE(aligns))];
	unsigned long boundary = bounds[rnd(&m->rng, ARRAY_SIZE(bounds))];
	unsigned long limit = rnd(&m->rng, 4) ? ULONG_MAX :
			      m->start + rnd(&m->rng, m->end - m->start + 1);
	unsigned long pfn, best, i;

	if (m->nr_live == MODEL_MAX_LIVE)
		return;
	pfn = iox_iova_alloc(m->space, size, limit, align, boundary);
	if (boundary && size > boundary) {
		if (pfn) {
			KUNIT_FAIL(m->test, "size %lu above boundary %lu got %#lx",
				   size, boundary, pfn);
			m->errors++;
		}
		return;
	}
	best = model_best(m, size, limit, align ? align : 1, boundary);
	if (!pfn) {
		if (best) {
			KUNIT_FAIL(m->test, "alloc %lu (lim %#lx al %lu bd %lu): 0, %#lx fits",
				   size, limit, align, boundary, best);
			m->errors++;
		}
		return;
	}
	if (!placement_ok(pfn, size, limit, align ? align : 1, boundary) ||
	    !model_free_at(m, pfn, size + m->guard)) {
		KUNIT_FAIL(m->test, "alloc %lu (lim %#lx al %lu bd %lu): bad %#lx",
			   size, limit, align, boundary, pfn);
		m->errors++;
		return;
	}
	/* Top-down: exactly the highest fit when alignment cannot matter. */
	if (align <= 1 && !boundary && pfn != best) {
		KUNIT_FAIL(m->test, "alloc %lu (limit %#lx) gave %#lx, highest fit %#lx",
			   size, limit, pfn, best);
		m->errors++;
	}
	for (i = 0; i < size; i++)
		m->state[pfn + i] = M_ALLOC;
	if (m->guard)
		m->state[pfn + size] = M_GUARD;
	m->live_pfn[m->nr_live] = pfn;
	m->live_size[m->nr_live++] = size;
	m->live_granules += size;
}

static void model_free(struct model *m)
{
	unsigned int k;
	unsigned long pfn, size, i;
	int ret;

	if (!m->nr_live)
		return;
	k = rnd(&m->rng, m->nr_live);
	pfn = m->live_pfn[k];
	size = m->live_size[k];
	ret = iox_iova_free(m->space, pfn, size);
	if (ret) {
		KUNIT_FAIL(m->test, "free %#lx+%lu: %d", pfn, size, ret);
		m->errors++;
		return;
	}
	for (i = 0; i < size + m->guard; i++)
		m->state[pfn + i] = M_FREE;
	m->live_pfn[k] = m->live_pfn[--m->nr_live];
	m->live_size[k] = m->live_size[m->nr_live];
	m->live_granules -= size;
}

static void model_reserve(struct model *m)
{
	unsigned long lo = m->start + rnd(&m->rng, m->end - m->start + 1);
	unsigned long hi = lo + rnd(&m->rng, 6), i;
	bool busy = false;
	int ret;

	hi = min(hi, m->end);
	for (i = lo; i <= hi; i++)
		busy |= m->state[i] == M_ALLOC || m->state[i] == M_GUARD;
	ret = iox_iova_reserve(m->space, lo, hi);
	if (ret != (busy ? -EBUSY : 0)) {
		KUNIT_FAIL(m->test, "reserve [%#lx, %#lx]: %d, expected %d",
			   lo, hi, ret, busy ? -EBUSY : 0);
		m->errors++;
	}
	if (!ret)
		for (i = lo; i <= hi; i++)
			m->state[i] = M_RESV;
}

/* A bad free: refused, nothing changed. */
static void model_bad_free(struct model *m)
{
	unsigned long pfn = m->start + rnd(&m->rng, m->end - m->start + 1);
	unsigned long size = 1 + rnd(&m->rng, 8);
	unsigned int k;

	for (k = 0; k < m->nr_live; k++)
		if (m->live_pfn[k] == pfn && m->live_size[k] == size)
			return;	/* that one is a good free */
	if (iox_iova_free(m->space, pfn, size) != -EINVAL) {
		KUNIT_FAIL(m->test, "bad free %#lx+%lu accepted", pfn, size);
		m->errors++;
	}
}

static void model_run(struct kunit *test, unsigned int flags, u64 seed,
		      unsigned int ops)
{
	struct model *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	unsigned int op;

	KUNIT_ASSERT_NOT_NULL(test, m);
	m->test = test;
	m->rng = seed;
	m->start = 1 + rnd(&m->rng, 16);
	m->end = MODEL_PFNS - 1 - rnd(&m->rng, 16);
	m->guard = flags & IOX_IOVA_GUARD ? 1 : 0;
	m->space = iox_iova_space_create(12, m->start, m->end,
					 flags | IOX_IOVA_NO_CACHE);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, m->space);
	for (op = 0; op < ops && m->errors < 5; op++) {
		unsigned long r = rnd(&m->rng, 100);

		if (r < 55)
			model_alloc(m);
		else if (r < 93)
			model_free(m);
		else if (r < 96)
			model_reserve(m);
		else
			model_bad_free(m);
		model_check_stats(m);
		if (!(op % 16))
			check_tree(test, m->space);
	}
	check_tree(test, m->space);
	while (m->nr_live)
		model_free(m);
	model_check_stats(m);
	iox_iova_space_destroy(m->space);
}

static void iova_model_random(struct kunit *test)
{
	u64 seed;

	for (seed = 1; seed <= 4; seed++)
		model_run(test, 0, seed, 20000);
}

static void iova_model_random_guard(struct kunit *test)
{
	u64 seed;

	for (seed = 11; seed <= 14; seed++)
		model_run(test, IOX_IOVA_GUARD, seed, 20000);
}

static void iova_create_args(struct kunit *test)
{
	struct iox_iova_space *s;

	KUNIT_EXPECT_EQ(test, PTR_ERR(iox_iova_space_create(12, 0, 100, 0)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(iox_iova_space_create(12, 10, 9, 0)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(iox_iova_space_create(12, 1, ULONG_MAX,
							    0)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(iox_iova_space_create(40, 1, 100, 0)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(iox_iova_space_create(12, 1, 100,
							    BIT(7))), -EINVAL);
	s = iox_iova_space_create(12, 5, 5, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 1, ULONG_MAX, 0, 0), 5UL);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 1, ULONG_MAX, 0, 0), 0UL);
	KUNIT_EXPECT_EQ(test, iox_iova_free(s, 5, 1), 0);
	iox_iova_space_destroy(s);
}

static void iova_top_down(struct kunit *test)
{
	struct iox_iova_space *s = iox_iova_space_create(12, 1, 0xfffff,
							 IOX_IOVA_NO_CACHE);
	struct iox_iova_space *g = iox_iova_space_create(12, 1, 0xfffff,
							 IOX_IOVA_GUARD);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, g);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 16, ULONG_MAX, 0, 0), 0xffff0UL);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 1, ULONG_MAX, 0, 0), 0xfffefUL);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 4, ULONG_MAX, 4, 0), 0xfffe8UL);
	/* A 32-bit device (limit 4 GiB in 4K granules) gets space below. */
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 1, 0x7ffff, 0, 0), 0x7ffffUL);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 2, 0x7ffff, 0, 0), 0x7fffdUL);
	/* Crossing a 16-granule boundary is avoided by going lower. */
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 8, 0x7fff3, 0, 16), 0x7ffe8UL);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 17, ULONG_MAX, 0, 16), 0UL);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 1, ULONG_MAX, 3, 0), 0UL);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 1, ULONG_MAX, 0, 12), 0UL);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 0, ULONG_MAX, 0, 0), 0UL);
	/* Guards: one free granule after each range. */
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(g, 16, ULONG_MAX, 0, 0), 0xfffefUL);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(g, 1, ULONG_MAX, 0, 0), 0xfffedUL);
	KUNIT_EXPECT_EQ(test, iox_iova_reserve(g, 0xfffee, 0xfffee), -EBUSY);
	KUNIT_EXPECT_EQ(test, iox_iova_reserve(g, 0xfffec, 0xfffec), 0);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(g, 1, ULONG_MAX, 0, 0), 0xfffeaUL);
	iox_iova_space_destroy(s);
	iox_iova_space_destroy(g);
}

/* Every granule handed out exactly once, then nothing. */
static void iova_exhaustion(struct kunit *test)
{
	unsigned int guard;

	for (guard = 0; guard <= 1; guard++) {
		struct iox_iova_space *s;
		unsigned long pfn, n = 0, expect = 101, lo = 201;

		s = iox_iova_space_create(12, 100, 200, IOX_IOVA_NO_CACHE |
					  (guard ? IOX_IOVA_GUARD : 0));
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
		while ((pfn = iox_iova_alloc(s, 1, ULONG_MAX, 0, 0))) {
			KUNIT_EXPECT_LT(test, pfn, lo);
			lo = pfn;
			n++;
		}
		if (guard)
			expect = 50;	/* 101 granules, two per range */
		KUNIT_EXPECT_EQ(test, n, expect);
		KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 1, ULONG_MAX, 0, 0), 0UL);
		iox_iova_space_destroy(s);
	}
}

/*
 * Fragmentation: 1023 holes of two granules, none 2-aligned, leave no
 * place for an aligned pair though every hole is large enough; one
 * aligned hole at the very bottom must still be found.
 */
static void iova_fragmentation(struct kunit *test)
{
	struct iox_iova_space *s = iox_iova_space_create(12, 1, 4096,
							 IOX_IOVA_NO_CACHE);
	unsigned long pfn;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	for (pfn = 1; pfn <= 4096; pfn++)
		KUNIT_ASSERT_EQ(test, iox_iova_alloc(s, 1, ULONG_MAX, 0, 0),
				4097 - pfn);
	/* Free [4k + 1, 4k + 2] for k >= 1: unaligned holes of two. */
	for (pfn = 5; pfn + 1 <= 4096; pfn += 4) {
		KUNIT_ASSERT_EQ(test, iox_iova_free(s, pfn, 1), 0);
		KUNIT_ASSERT_EQ(test, iox_iova_free(s, pfn + 1, 1), 0);
	}
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 2, ULONG_MAX, 2, 0), 0UL);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 2, ULONG_MAX, 0, 2), 0UL);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 3, ULONG_MAX, 0, 0), 0UL);
	/* Unaligned, the highest hole fits. */
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 2, ULONG_MAX, 0, 0), 4093UL);
	KUNIT_EXPECT_EQ(test, iox_iova_free(s, 4093, 2), 0);
	/* [2, 3] is the one aligned hole, below all the others. */
	KUNIT_ASSERT_EQ(test, iox_iova_free(s, 2, 1), 0);
	KUNIT_ASSERT_EQ(test, iox_iova_free(s, 3, 1), 0);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 2, ULONG_MAX, 2, 0), 2UL);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 2, ULONG_MAX, 2, 0), 0UL);
	check_tree(test, s);
	iox_iova_space_destroy(s);
}

static void iova_bad_free(struct kunit *test)
{
	struct iox_iova_space *s = iox_iova_space_create(12, 1, 1000,
							 IOX_IOVA_GUARD |
							 IOX_IOVA_NO_CACHE);
	struct iox_iova_stats a, b;
	unsigned long p, q;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	p = iox_iova_alloc(s, 8, ULONG_MAX, 0, 0);
	KUNIT_ASSERT_NE(test, p, 0UL);
	KUNIT_ASSERT_EQ(test, iox_iova_reserve(s, 10, 20), 0);
	iox_iova_get_stats(s, &a);
	KUNIT_EXPECT_EQ(test, iox_iova_free(s, p + 1, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, iox_iova_free(s, p, 7), -EINVAL);
	KUNIT_EXPECT_EQ(test, iox_iova_free(s, p, 9), -EINVAL);
	KUNIT_EXPECT_EQ(test, iox_iova_free(s, 10, 11), -EINVAL);
	KUNIT_EXPECT_EQ(test, iox_iova_free(s, 0, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, iox_iova_free(s, p, 0), -EINVAL);
	iox_iova_get_stats(s, &b);
	KUNIT_EXPECT_EQ(test, a.live_ranges, b.live_ranges);
	KUNIT_EXPECT_EQ(test, a.live_granules, b.live_granules);
	check_tree(test, s);
	/* The range is still allocated: the next goes below its guard. */
	q = iox_iova_alloc(s, 1, ULONG_MAX, 0, 0);
	KUNIT_EXPECT_EQ(test, q, p - 2);
	KUNIT_EXPECT_EQ(test, iox_iova_free(s, p, 8), 0);
	KUNIT_EXPECT_EQ(test, iox_iova_free(s, p, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, iox_iova_free(s, q, 1), 0);
	iox_iova_get_stats(s, &b);
	KUNIT_EXPECT_EQ(test, b.live_ranges, 0UL);
	iox_iova_space_destroy(s);
}

static void iova_reserve(struct kunit *test)
{
	struct iox_iova_space *s = iox_iova_space_create(12, 1, 100,
							 IOX_IOVA_NO_CACHE);
	unsigned long pfn, n = 0;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	KUNIT_EXPECT_EQ(test, iox_iova_reserve(s, 5, 4), -EINVAL);
	KUNIT_EXPECT_EQ(test, iox_iova_reserve(s, 10, 20), 0);
	KUNIT_EXPECT_EQ(test, iox_iova_reserve(s, 15, 30), 0);	/* overlaps */
	KUNIT_EXPECT_EQ(test, iox_iova_reserve(s, 31, 40), 0);	/* adjoins */
	KUNIT_EXPECT_EQ(test, iox_iova_reserve(s, 90, 200), 0);	/* past end */
	KUNIT_EXPECT_EQ(test, iox_iova_reserve(s, 0, 2), 0);	/* below */
	check_tree(test, s);
	/* [3, 9] and [41, 89] are left: 7 + 49 single granules. */
	while ((pfn = iox_iova_alloc(s, 1, ULONG_MAX, 0, 0))) {
		KUNIT_EXPECT_TRUE_MSG(test, (pfn >= 3 && pfn <= 9) ||
				      (pfn >= 41 && pfn <= 89), "pfn %lu", pfn);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 56UL);
	KUNIT_EXPECT_EQ(test, iox_iova_reserve(s, 50, 50), -EBUSY);
	KUNIT_EXPECT_EQ(test, iox_iova_free(s, 50, 1), 0);
	KUNIT_EXPECT_EQ(test, iox_iova_reserve(s, 50, 50), 0);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 1, ULONG_MAX, 0, 0), 0UL);
	iox_iova_space_destroy(s);
}

static void iova_fast_cache(struct kunit *test)
{
	struct iox_iova_space *s = iox_iova_space_create(12, 1, 0xffffff, 0);
	struct iox_iova_stats st;
	unsigned long p, q, i;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	/* Rounded up to a power of two and aligned to it. */
	p = iox_iova_alloc_fast(s, 3, ULONG_MAX);
	KUNIT_EXPECT_NE(test, p, 0UL);
	KUNIT_EXPECT_EQ(test, p & 3, 0UL);
	iox_iova_get_stats(s, &st);
	KUNIT_EXPECT_EQ(test, st.live_granules, 4UL);
	iox_iova_free_fast(s, p, 3);
	iox_iova_get_stats(s, &st);
	KUNIT_EXPECT_EQ(test, st.live_ranges, 0UL);
	KUNIT_EXPECT_EQ(test, st.cached_ranges, 1UL);
	KUNIT_EXPECT_EQ(test, st.cached_granules, 4UL);
	/* A hit: the same range again. */
	KUNIT_EXPECT_EQ(test, iox_iova_alloc_fast(s, 4, ULONG_MAX), p);
	/* A cached range above the limit is not handed out. */
	iox_iova_free_fast(s, p, 4);
	q = iox_iova_alloc_fast(s, 4, 0xffff);
	KUNIT_EXPECT_NE(test, q, p);
	KUNIT_EXPECT_LE(test, q + 3, 0xffffUL);
	iox_iova_free_fast(s, q, 4);
	/* 1 MiB (256 granules) is cached, 4 MiB goes to the tree. */
	p = iox_iova_alloc_fast(s, 256, ULONG_MAX);
	KUNIT_EXPECT_EQ(test, p & 255, 0UL);
	iox_iova_free_fast(s, p, 256);
	q = iox_iova_alloc_fast(s, 1000, ULONG_MAX);
	KUNIT_EXPECT_EQ(test, q & 1023, 0UL);
	iox_iova_get_stats(s, &st);
	KUNIT_EXPECT_EQ(test, st.live_granules, 1000UL);
	KUNIT_EXPECT_EQ(test, st.cached_granules, 4UL + 4 + 256);
	iox_iova_free_fast(s, q, 1000);
	iox_iova_get_stats(s, &st);
	KUNIT_EXPECT_EQ(test, st.cached_granules, 4UL + 4 + 256);
	KUNIT_EXPECT_EQ(test, st.live_ranges, 0UL);
	/* Shrinking returns everything. */
	KUNIT_EXPECT_EQ(test, iox_iova_shrink(s), 4UL + 4 + 256);
	iox_iova_get_stats(s, &st);
	KUNIT_EXPECT_EQ(test, st.cached_ranges + st.live_ranges, 0UL);
	KUNIT_EXPECT_EQ(test, iox_iova_shrink(s), 0UL);
	/* Reserving over a cached range takes it back from the cache. */
	p = iox_iova_alloc_fast(s, 1, ULONG_MAX);
	iox_iova_free_fast(s, p, 1);
	KUNIT_EXPECT_EQ(test, iox_iova_reserve(s, p, p), 0);
	iox_iova_get_stats(s, &st);
	KUNIT_EXPECT_EQ(test, st.cached_ranges, 0UL);
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_NE(test, iox_iova_alloc_fast(s, 1, ULONG_MAX), p);
	iox_iova_space_destroy(s);
}

/* Many frees of one size: the caches keep a bounded number. */
static void iova_fast_bounded(struct kunit *test)
{
	unsigned long n = 20000, i, bound;
	struct iox_iova_space *s = iox_iova_space_create(12, 1, 0xfffff, 0);
	unsigned long *pfns = kunit_kcalloc(test, n, sizeof(*pfns), GFP_KERNEL);
	struct iox_iova_stats st;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	KUNIT_ASSERT_NOT_NULL(test, pfns);
	for (i = 0; i < n; i++) {
		pfns[i] = iox_iova_alloc_fast(s, 2, ULONG_MAX);
		KUNIT_ASSERT_NE(test, pfns[i], 0UL);
	}
	for (i = 0; i < n; i++)
		iox_iova_free_fast(s, pfns[i], 2);
	iox_iova_get_stats(s, &st);
	bound = (2 * nr_cpu_ids + IOX_IOVA_DEPOT_MAX) * IOX_IOVA_MAG_SIZE;
	KUNIT_EXPECT_LE(test, st.cached_ranges, bound);
	KUNIT_EXPECT_GT(test, st.cached_ranges, 0UL);
	KUNIT_EXPECT_EQ(test, st.cached_granules, 2 * st.cached_ranges);
	KUNIT_EXPECT_EQ(test, st.live_ranges, 0UL);
	KUNIT_EXPECT_EQ(test, iox_iova_shrink(s), st.cached_granules);
	check_tree(test, s);
	iox_iova_get_stats(s, &st);
	KUNIT_EXPECT_EQ(test, st.cached_ranges + st.live_ranges, 0UL);
	iox_iova_space_destroy(s);
}

/* The tree is full but the caches hold ranges: they are given back. */
static void iova_fast_retry(struct kunit *test)
{
	struct iox_iova_space *s = iox_iova_space_create(12, 1, 64, 0);
	unsigned long pfns[64], i, n = 0;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	while (n < 64 && (pfns[n] = iox_iova_alloc_fast(s, 1, ULONG_MAX)))
		n++;
	KUNIT_EXPECT_EQ(test, n, 64UL);
	for (i = 0; i < n; i++)
		iox_iova_free_fast(s, pfns[i], 1);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc_fast(s, 32, ULONG_MAX), 32UL);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 32, ULONG_MAX, 0, 0), 0UL);
	iox_iova_free_fast(s, 32, 32);
	iox_iova_space_destroy(s);
}

#ifdef IOX_USERSPACE
#define FAIL_ALLOCS	131	/* 2 + 61 + 1 + 70 nodes: three chunks */
#define FAIL_RESERVE_AT	61

/*
 * Every allocation the allocator makes fails in turn (fail-nth): each call
 * then fails cleanly (0, -ENOMEM or ERR_PTR) and the space stays exact.
 */
static void iova_alloc_failure(struct kunit *test)
{
	unsigned long nth, pfn, p[FAIL_ALLOCS], hit = 0, last_hit = 0;
	unsigned long alloc_hit = 0, reserve_hit = 0;
	struct iox_iova_stats st;
	unsigned int i;

	for (nth = 1; nth <= 40; nth++) {
		struct iox_iova_space *s;
		unsigned long live = 0;
		int ret = 0;

		iox_compat_fail_nth(nth);
		s = iox_iova_space_create(12, 1, 4096, 0);
		if (IS_ERR(s)) {
			KUNIT_EXPECT_EQ(test, PTR_ERR(s), -ENOMEM);
			hit++;
			last_hit = nth;
			continue;
		}
		/*
		 * Enough ranges for three chunks of nodes, the reservation
		 * taking the first node of the second chunk.
		 */
		for (i = 0; i < ARRAY_SIZE(p); i++) {
			if (i == FAIL_RESERVE_AT) {
				ret = iox_iova_reserve(s, 100, 200);
				KUNIT_EXPECT_TRUE(test, !ret || ret == -ENOMEM);
				reserve_hit += ret == -ENOMEM;
			}
			p[i] = iox_iova_alloc(s, 3, ULONG_MAX, 0, 0);
			live += !!p[i];
			alloc_hit += !p[i];
		}
		iox_iova_get_stats(s, &st);
		KUNIT_EXPECT_EQ(test, st.live_ranges, live);
		check_tree(test, s);
		/* A failed reservation left the range free. */
		if (ret) {
			pfn = iox_iova_alloc(s, 101, 200, 0, 0);
			KUNIT_EXPECT_EQ(test, pfn, 100UL);
			if (pfn)
				iox_iova_free(s, pfn, 101);
		}
		pfn = iox_iova_alloc_fast(s, 2, ULONG_MAX);
		if (pfn)
			iox_iova_free_fast(s, pfn, 2);
		for (i = 0; i < ARRAY_SIZE(p); i++)
			if (p[i])
				KUNIT_EXPECT_EQ(test, iox_iova_free(s, p[i], 3), 0);
		iox_iova_shrink(s);
		iox_iova_get_stats(s, &st);
		KUNIT_EXPECT_EQ(test, st.live_ranges + st.cached_ranges, 0UL);
		check_tree(test, s);
		iox_iova_space_destroy(s);
		if (iox_compat_failed_site()) {
			hit++;
			last_hit = nth;
		}
	}
	iox_compat_fail_nth(0);
	/* Every allocation of the sequence was made to fail once. */
	KUNIT_EXPECT_GE(test, hit, 5UL);
	KUNIT_EXPECT_LT(test, last_hit, 40UL);
	/* A new chunk failed for an allocation and for a reservation. */
	KUNIT_EXPECT_EQ(test, alloc_hit, 1UL);
	KUNIT_EXPECT_EQ(test, reserve_hit, 1UL);
	kunit_info(test, "%lu allocations failed in turn", hit);
}
#endif

#define THREADS		4
#define THREAD_OPS	20000
#define THREAD_LIVE	48
#define SHARED_PFNS	BIT(16)

struct iova_worker {
	struct iox_iova_space *space;
	u8 *owner;		/* per granule: 0 or the owning thread + 1 */
	unsigned int id;
	u64 rng;
	unsigned long errors;
	struct completion done;
};

static bool claim(struct iova_worker *w, unsigned long pfn, unsigned long n,
		  u8 from, u8 to)
{
	unsigned long i;
	bool ok = true;

	for (i = 0; i < n; i++)
		if (cmpxchg(&w->owner[pfn + i], from, to) != from)
			ok = false;
	return ok;
}

static int iova_worker_fn(void *data)
{
	struct iova_worker *w = data;
	unsigned long pfn[THREAD_LIVE] = { 0 }, size[THREAD_LIVE];
	bool fast[THREAD_LIVE];
	unsigned int op, k;
	u8 me = w->id + 1;

	for (op = 0; op < THREAD_OPS; op++) {
		k = rnd(&w->rng, THREAD_LIVE);
		if (pfn[k]) {
			if (!claim(w, pfn[k], size[k], me, 0))
				w->errors++;
			if (fast[k])
				iox_iova_free_fast(w->space, pfn[k], size[k]);
			else if (iox_iova_free(w->space, pfn[k], size[k]))
				w->errors++;
			pfn[k] = 0;
			continue;
		}
		size[k] = 1 + rnd(&w->rng, 32);
		fast[k] = rnd(&w->rng, 4);
		pfn[k] = fast[k] ? iox_iova_alloc_fast(w->space, size[k],
						       ULONG_MAX) :
			 iox_iova_alloc(w->space, size[k], ULONG_MAX, 0, 0);
		if (!pfn[k] || pfn[k] + size[k] > SHARED_PFNS ||
		    !claim(w, pfn[k], size[k], 0, me)) {
			w->errors++;
			pfn[k] = 0;
		}
		if (!(op % 1024))
			cond_resched();
	}
	for (k = 0; k < THREAD_LIVE; k++) {
		if (!pfn[k])
			continue;
		claim(w, pfn[k], size[k], me, 0);
		if (fast[k])
			iox_iova_free_fast(w->space, pfn[k], size[k]);
		else if (iox_iova_free(w->space, pfn[k], size[k]))
			w->errors++;
	}
	complete(&w->done);
	return 0;
}

static void iova_concurrency(struct kunit *test)
{
	struct iova_worker *w = kunit_kcalloc(test, THREADS, sizeof(*w),
					      GFP_KERNEL);
	u8 *owner = kunit_kzalloc(test, SHARED_PFNS, GFP_KERNEL);
	struct iox_iova_space *s;
	struct iox_iova_stats st;
	unsigned int i, started = 0;

	KUNIT_ASSERT_NOT_NULL(test, w);
	KUNIT_ASSERT_NOT_NULL(test, owner);
	s = iox_iova_space_create(12, 1, SHARED_PFNS - 1, IOX_IOVA_GUARD);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	for (i = 0; i < THREADS; i++) {
		w[i].space = s;
		w[i].owner = owner;
		w[i].id = i;
		w[i].rng = 0x9e3779b97f4a7c15ULL * (i + 1);
		init_completion(&w[i].done);
	}
	for (i = 0; i < THREADS; i++) {
		if (IS_ERR(kthread_run(iova_worker_fn, &w[i], "iox-iova%u", i)))
			break;
		started++;
	}
	for (i = 0; i < started; i++)
		wait_for_completion(&w[i].done);
	KUNIT_EXPECT_EQ(test, started, THREADS);
	for (i = 0; i < started; i++)
		KUNIT_EXPECT_EQ_MSG(test, w[i].errors, 0UL, "worker %u", i);
	iox_iova_get_stats(s, &st);
	KUNIT_EXPECT_EQ(test, st.live_ranges, 0UL);
	KUNIT_EXPECT_EQ(test, iox_iova_shrink(s), st.cached_granules);
	iox_iova_get_stats(s, &st);
	KUNIT_EXPECT_EQ(test, st.cached_ranges, 0UL);
	check_tree(test, s);
	iox_iova_space_destroy(s);
}

#define CHUNK_TEST_RANGES	(20 * IOX_IOVA_CHUNK_NODES)
#define CHUNK_TEST_MAX		64

struct chunk_set {
	unsigned long base[CHUNK_TEST_MAX];
	unsigned int nr;
	bool overflow;
};

static void chunk_set_add(struct chunk_set *set, const void *node)
{
	unsigned long base = (unsigned long)node & ~(IOX_IOVA_CHUNK_SIZE - 1);
	unsigned int i;

	for (i = 0; i < set->nr; i++)
		if (set->base[i] == base)
			return;
	if (set->nr == CHUNK_TEST_MAX)
		set->overflow = true;
	else
		set->base[set->nr++] = base;
}

static void chunk_set_tree(struct chunk_set *set, struct iox_iova_node *n)
{
	for (; n->left; n = n->right) {
		chunk_set_add(set, n);
		chunk_set_tree(set, n->left);
	}
}

/*
 * The chunks of nodes hold exactly the tree's nodes and the spare ones, up
 * to one empty chunk: @used gets the chunks in use, the return value is
 * how many the space has, and every node lies in one of them.
 */
static unsigned int check_chunks(struct kunit *test,
				 struct iox_iova_space *space,
				 struct chunk_set *used)
{
	struct iox_iova_chunk *chunk;
	struct iox_iova_node *n;
	unsigned int nr = 0, i;
	unsigned long flags;
	bool found;

	used->nr = 0;
	used->overflow = false;
	raw_spin_lock_irqsave(&space->lock, flags);
	chunk_set_tree(used, space->root);
	for (n = space->spare; n; n = n->parent)
		chunk_set_add(used, n);
	for (i = 0; i < used->nr; i++) {
		found = false;
		list_for_each_entry(chunk, &space->chunks, all)
			found |= (unsigned long)chunk == used->base[i];
		KUNIT_EXPECT_TRUE_MSG(test, found, "a node outside the chunks");
	}
	list_for_each_entry(chunk, &space->chunks, all)
		nr++;
	raw_spin_unlock_irqrestore(&space->lock, flags);
	KUNIT_EXPECT_FALSE(test, used->overflow);
	KUNIT_EXPECT_LE(test, nr, used->nr + 1);
	return nr;
}

/*
 * Nodes come from pages of nodes owned by the space: many ranges take many
 * pages, and the pages go back once the ranges are freed, whatever the
 * order of the frees.
 */
static void iova_node_chunks(struct kunit *test)
{
	unsigned long *pfns, i, need;
	struct iox_iova_space *s;
	struct chunk_set *used;
	unsigned int round, nr, peak;

	pfns = kunit_kcalloc(test, CHUNK_TEST_RANGES, sizeof(*pfns),
			     GFP_KERNEL);
	used = kunit_kzalloc(test, sizeof(*used), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pfns);
	KUNIT_ASSERT_NOT_NULL(test, used);
	s = iox_iova_space_create(12, 1, 1UL << 20, IOX_IOVA_NO_CACHE);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	KUNIT_EXPECT_EQ(test, check_chunks(test, s, used), 1U);
	/* Two rounds: the second one reuses what the first gave back. */
	for (round = 0; round < 2; round++) {
		for (i = 0; i < CHUNK_TEST_RANGES; i++) {
			pfns[i] = iox_iova_alloc(s, 1 + i % 5, ULONG_MAX, 0, 0);
			KUNIT_ASSERT_NE(test, pfns[i], 0UL);
		}
		nr = check_chunks(test, s, used);
		need = DIV_ROUND_UP(CHUNK_TEST_RANGES + 2,
				    IOX_IOVA_CHUNK_NODES);
		KUNIT_EXPECT_GE(test, (unsigned long)nr, need);
		KUNIT_EXPECT_LE(test, (unsigned long)nr, need + 1);
		check_tree(test, s);
		/* Every third range, then the rest: chunks empty unevenly. */
		for (i = round; i < CHUNK_TEST_RANGES; i += 3) {
			KUNIT_EXPECT_EQ(test,
					iox_iova_free(s, pfns[i], 1 + i % 5), 0);
			pfns[i] = 0;
		}
		check_chunks(test, s, used);
		for (i = 0; i < CHUNK_TEST_RANGES; i++)
			if (pfns[i])
				KUNIT_EXPECT_EQ(test,
						iox_iova_free(s, pfns[i],
							      1 + i % 5), 0);
		/*
		 * Left: the chunks of the two ends and of the spare nodes
		 * (check_chunks() allows one empty chunk more), a few of the
		 * peak's.
		 */
		peak = nr;
		nr = check_chunks(test, s, used);
		KUNIT_EXPECT_LT(test, 4 * nr, peak);
		check_tree(test, s);
	}
	iox_iova_space_destroy(s);
}

static struct kunit_case iox_iova_test_cases[] = {
	KUNIT_CASE(iova_create_args),
	KUNIT_CASE(iova_top_down),
	KUNIT_CASE(iova_exhaustion),
	KUNIT_CASE(iova_fragmentation),
	KUNIT_CASE(iova_bad_free),
	KUNIT_CASE(iova_reserve),
	KUNIT_CASE(iova_model_random),
	KUNIT_CASE(iova_model_random_guard),
	KUNIT_CASE(iova_fast_cache),
	KUNIT_CASE(iova_fast_bounded),
	KUNIT_CASE(iova_fast_retry),
	KUNIT_CASE(iova_concurrency),
	KUNIT_CASE(iova_node_chunks),
#ifdef IOX_USERSPACE
	KUNIT_CASE(iova_alloc_failure),
#endif
	{}
};

struct kunit_suite iox_iova_test_suite = {
	.name = "iox_iova",
	.test_cases = iox_iova_test_cases,
};
