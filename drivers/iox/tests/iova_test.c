// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the IOVA allocator against a model. A small space is mirrored
 * granule by granule (free, reserved, allocated, guard); random
 * allocations, frees and reservations are checked against it: no overlap,
 * limit, alignment and boundary held, guards free, reservations never
 * handed out, exact accounting, and an allocation fails only when a brute
 * force search of the model finds no place either. The tree's balance,
 * order, gaps and largest gaps are checked against the model every few
 * steps, in small trees and in ones three and more levels deep; splits,
 * borrowing, merges and the root's collapse are driven on purpose. Then
 * the per-CPU caches, and threads allocating and freeing at once (TSan in
 * userspace).
 */
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/slab.h>
#include "iox-test.h"
#include "../dma/iova-priv.h"

/* What the model holds at a granule. */
enum { M_FREE, M_RESV, M_ALLOC, M_GUARD };

/**
 * struct model_shape - the size of a model run
 * @pfns: granules mirrored; the window lies inside
 * @max_live: most live ranges at once
 * @small: sizes of three allocations in four are 1 .. @small
 * @big: of the fourth, 1 .. @big
 * @grow: per cent of allocations in the first third of the run, then 55,
 *	then 100 - @grow in the last third (55 throughout for 55)
 * @plain: per cent of allocations with no alignment, boundary or limit
 *	(the ones the size fingers serve); the others, and all if 0, draw
 *	each at random
 */
struct model_shape {
	unsigned long pfns;
	unsigned int max_live;
	unsigned long small, big;
	unsigned int grow;
	unsigned int plain;
};

struct model {
	struct kunit *test;
	struct iox_iova_space *space;
	const struct model_shape *shape;
	unsigned long start, end;	/* the window */
	unsigned long guard;
	u8 *state;			/* per granule */
	unsigned long *live_pfn, *live_size;
	unsigned int nr_live;
	unsigned long live_granules;
	unsigned int max_height;
	unsigned int max_fingers;	/* most size fingers holding at once */
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

/* A walk of the whole tree in order, checking it. */
struct tree_walk {
	struct kunit *test;
	unsigned long ranges, nodes;
	unsigned long prev_hi, prev_gap;	/* the last range seen */
	bool have_prev, bad;
	/* With a model: every range and gap agrees with it granule by granule. */
	const u8 *state;
	unsigned long start, end;
	unsigned long guard;
	/*
	 * The path of the last free while its leaf's growth is pending: the
	 * nodes on it may record less than their children's largest gap, and
	 * the largest of the record and the pending leaf's must be it.
	 */
	const struct iox_iova_path *pend;
	unsigned long pend_max;
};

static void walk_fail(struct tree_walk *w, const char *what, unsigned long a,
		      unsigned long b)
{
	if (!w->bad)
		KUNIT_FAIL(w->test, "tree: %s (%#lx, %#lx)", what, a, b);
	w->bad = true;
}

/* Compare the granules [lo, hi] clipped to the window with the model. */
static void walk_model(struct tree_walk *w, unsigned long lo, unsigned long hi,
		       bool resv, bool gap)
{
	unsigned long pfn, want;

	if (!w->state || hi < w->start || lo > w->end)
		return;
	lo = max(lo, w->start);
	hi = min(hi, w->end);
	for (pfn = lo; pfn <= hi; pfn++) {
		if (gap)
			want = M_FREE;
		else if (resv)
			want = M_RESV;
		else if (w->guard && pfn == hi)
			want = M_GUARD;
		else
			want = M_ALLOC;
		if (w->state[pfn] != want) {
			walk_fail(w, "granule differs from the model", pfn,
				  w->state[pfn]);
			return;
		}
	}
}

static unsigned long max4(const unsigned long *a)
{
	return max(max(a[0], a[1]), max(a[2], a[3]));
}

/*
 * The gaps of a node of @n entries: each entry's code (its gap, or
 * IOX_IOVA_SMALL for SMALL or more), the count of each code and the bits
 * of those present, and a tournament of @n / 8 groups and the top, each
 * the largest of those below it that is SMALL or more (0 if none).
 */
static bool gaps_ok(const struct iox_iova_sum *sum, const u8 *code,
		    const unsigned long *t, unsigned int n)
{
	unsigned int groups = n, top = n + n / 8, i, c, nr[IOX_IOVA_SMALL + 1];
	unsigned long m = 0, g;

	memset(nr, 0, sizeof(nr));
	for (i = 0; i < n; i++) {
		c = min_t(unsigned long, t[i], IOX_IOVA_SMALL);
		if (code[iox_iova_code_at(i)] != c)
			return false;
		nr[c]++;
	}
	for (c = 0; c <= IOX_IOVA_SMALL; c++)
		if (sum->count[c] != nr[c] ||
		    !!(sum->present & BIT_ULL(c)) != !!nr[c])
			return false;
	for (i = 0; i < n / 8; i++) {
		g = max(max4(&t[8 * i]), max4(&t[8 * i + 4]));
		if (t[groups + i] != (g >= IOX_IOVA_SMALL ? g : 0))
			return false;
		m = max(m, t[groups + i]);
	}
	return t[top] == m;
}

/* Checks the ranges of a leaf in order against the walk so far. */
static unsigned long check_leaf(struct tree_walk *w, struct iox_iova_leaf *l)
{
	unsigned long m = 0, lo;
	unsigned int i, nr = 0;

	for (i = 0; i < IOX_IOVA_LEAF_SLOTS; i++)
		nr += !!(l->used & BIT(i));
	if (nr != l->nr || (l->resv & ~l->used) || !l->used) {
		walk_fail(w, "a leaf's count or bits", l->used, l->resv);
		return 0;
	}
	lo = l->lo[__ffs(l->used)];
	for (i = 0; i < IOX_IOVA_LEAF_SLOTS; i++) {
		/* A free slot: no gap, the first pfn of the range below. */
		if (!(l->used & BIT(i))) {
			if (l->t[i] || l->lo[i] != lo)
				walk_fail(w, "a free slot", i, l->lo[i]);
			continue;
		}
		lo = l->lo[i];
		if (l->hi[i] < lo)
			walk_fail(w, "range ends below its start", lo, l->hi[i]);
		/* The range below owns the gap up to this one. */
		if (w->have_prev && (w->prev_hi >= lo ||
				     w->prev_gap != lo - w->prev_hi - 1))
			walk_fail(w, "overlap or wrong gap below", lo,
				  w->prev_gap);
		walk_model(w, lo, l->hi[i], l->resv & BIT(i), false);
		if (l->t[i])
			walk_model(w, l->hi[i] + 1, l->hi[i] + l->t[i], false,
				   true);
		w->have_prev = true;
		w->prev_hi = l->hi[i];
		w->prev_gap = l->t[i];
		m = max(m, l->t[i]);
		w->ranges++;
	}
	if (!gaps_ok(&l->sum, l->code.b, l->t, IOX_IOVA_LEAF_SLOTS) ||
	    iox_iova_leaf_max(l) != m)
		walk_fail(w, "a leaf's gaps", l->lo[0], m);
	return m;
}

/*
 * Checks the subtree of @node at @level (0: a leaf): slot counts, order,
 * gaps, first pfns, largest gaps and tournaments. Returns its largest
 * gap; *first gets its first pfn.
 */
static unsigned long check_node(struct tree_walk *w, void *node,
				unsigned int level, bool lowest, bool root,
				unsigned long *first)
{
	unsigned int cap = level ? IOX_IOVA_INNER_SLOTS : IOX_IOVA_LEAF_SLOTS;
	struct iox_iova_inner *n = node;
	struct iox_iova_leaf *l = node;
	unsigned long m = 0, cm, cf, rec;
	unsigned int nr, i;
	bool on_pend;

	w->nodes++;
	nr = level ? n->nr : l->nr;
	*first = 0;
	if (!nr || nr > cap ||
	    (!root && !lowest && nr < (level ? cap / 2 : cap / 4)) ||
	    (root && level && nr < 2)) {
		walk_fail(w, "slot count", nr, level);
		return 0;
	}
	if (!level) {
		*first = l->lo[0];
		return check_leaf(w, l);
	}
	*first = n->lo[0];
	on_pend = w->pend && w->pend->in[level] == n;
	for (i = 0; i < nr; i++) {
		cm = check_node(w, n->child[i], level - 1, lowest && !i, false,
				&cf);
		rec = n->t[i];
		if (on_pend && i == w->pend->slot[level])
			rec = max(rec, w->pend_max);
		if (cm != rec || n->t[i] > cm || cf != n->lo[i])
			walk_fail(w, "a child's recorded gap or first pfn",
				  n->t[i], n->lo[i]);
		m = max(m, cm);
	}
	for (i = nr; i < IOX_IOVA_INNER_SLOTS; i++)
		if (n->t[i] || n->lo[i] != ULONG_MAX)
			walk_fail(w, "an unused slot", i, n->t[i]);
	rec = iox_iova_inner_max(n);
	if (on_pend)
		rec = max(rec, w->pend_max);
	if (!gaps_ok(&n->sum, n->code.b, n->t, IOX_IOVA_INNER_SLOTS) ||
	    rec != m)
		walk_fail(w, "an interior node's gaps", m, level);
	return m;
}

/*
 * The least ranges a tree of @height holds: a root of two children, one
 * of them with half-full interior nodes and quarter-full leaves all the
 * way down.
 */
static unsigned long least_ranges(unsigned int height)
{
	unsigned long n = IOX_IOVA_LEAF_SLOTS / 4;

	if (height == 1)
		return 2;
	while (--height > 1 && n < ULONG_MAX / IOX_IOVA_INNER_SLOTS)
		n *= IOX_IOVA_INNER_SLOTS / 2;
	return height > 1 ? ULONG_MAX : n + 1;
}

/*
 * The largest gap of the ranges after @after in the subtree of @node at
 * @level (of all of them once *@seen); sets *@seen on reaching @after.
 */
static unsigned long gaps_after(void *node, unsigned int level,
				const struct iox_iova_leaf *after, bool *seen)
{
	struct iox_iova_inner *n = node;
	struct iox_iova_leaf *l = node;
	unsigned long m = 0, c;
	unsigned int i;

	if (level) {
		for (i = 0; i < n->nr; i++) {
			c = gaps_after(n->child[i], level - 1, after, seen);
			m = max(m, c);
		}
		return m;
	}
	if (*seen)
		for (i = 0; i < IOX_IOVA_LEAF_SLOTS; i++)
			m = max(m, l->t[i]);
	if (l == after)
		*seen = true;
	return m;
}

/*
 * Every finger that holds is a path of the tree to a leaf after which no
 * range has a gap of its size.
 */
static void check_fingers(struct tree_walk *w, struct iox_iova_space *space)
{
	struct iox_iova_path *f;
	struct iox_iova_inner *n;
	unsigned int k, level;
	bool seen;
	void *node;

	for (k = 0; k < IOX_IOVA_FINGERS; k++) {
		if (!(space->fingers & BIT_ULL(k)))
			continue;
		f = &space->finger[k];
		node = space->root;
		for (level = space->height - 1; level; level--) {
			n = node;
			if (f->in[level] != n || f->slot[level] >= n->nr) {
				walk_fail(w, "a finger's path", k + 1, level);
				return;
			}
			node = n->child[f->slot[level]];
		}
		if (node != f->leaf) {
			walk_fail(w, "a finger's leaf", k + 1, 0);
			return;
		}
		seen = false;
		if (gaps_after(space->root, space->height - 1, f->leaf,
			       &seen) > k)
			walk_fail(w, "a gap above a finger", k + 1, 0);
	}
}

static void check_tree_model(struct kunit *test, struct iox_iova_space *space,
			     const u8 *state, unsigned long start,
			     unsigned long end)
{
	struct tree_walk w = {
		.test = test, .state = state, .start = start, .end = end,
		.guard = space->guard,
	};
	unsigned long flags, m, first;
	struct iox_iova_leaf *low;
	unsigned int level;
	void *node;

	raw_spin_lock_irqsave(&space->lock, flags);
	if (space->pend_on) {
		w.pend = &space->pend;
		w.pend_max = iox_iova_leaf_max(space->pend.leaf);
	}
	if (!space->height || space->height > IOX_IOVA_MAX_HEIGHT) {
		raw_spin_unlock_irqrestore(&space->lock, flags);
		KUNIT_FAIL(test, "tree height %u", space->height);
		return;
	}
	m = check_node(&w, space->root, space->height - 1, true, true, &first);
	if (m != max(space->max, w.pend_max) || space->max > m)
		walk_fail(&w, "the largest gap of the tree", m, space->max);
	for (node = space->root, level = space->height - 1; level; level--)
		node = ((struct iox_iova_inner *)node)->child[0];
	low = node;
	/* The range at pfn 0 is reserved and first; the last ends the space. */
	if (first || !(low->resv & BIT(__ffs(low->used))))
		walk_fail(&w, "no reserved range at pfn 0", first, low->resv);
	if (w.prev_hi != ULONG_MAX || w.prev_gap)
		walk_fail(&w, "the highest range", w.prev_hi, w.prev_gap);
	if (w.ranges < least_ranges(space->height))
		walk_fail(&w, "too tall for its ranges", space->height,
			  w.ranges);
	check_fingers(&w, space);
	raw_spin_unlock_irqrestore(&space->lock, flags);
}

static void check_tree(struct kunit *test, struct iox_iova_space *space)
{
	check_tree_model(test, space, NULL, 0, 0);
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

/*
 * Brute force: the highest place the model has for the request, or 0.
 * Every granule from the window's end down is visited, counting the free
 * ones above it, until a place fits.
 */
static unsigned long model_best(const struct model *m, unsigned long size,
				unsigned long limit, unsigned long align,
				unsigned long boundary)
{
	unsigned long pfn, run = 0, need = size + m->guard;

	for (pfn = m->end; pfn >= m->start; pfn--) {
		run = m->state[pfn] == M_FREE ? run + 1 : 0;
		if (run >= need && placement_ok(pfn, size, limit, align, boundary))
			return pfn;
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
	unsigned long size = 1 + rnd(&m->rng, rnd(&m->rng, 4) ? m->shape->small :
					      m->shape->big);
	unsigned long align = aligns[rnd(&m->rng, ARRAY_SIZE(aligns))];
	unsigned long boundary = bounds[rnd(&m->rng, ARRAY_SIZE(bounds))];
	unsigned long limit = rnd(&m->rng, 4) ? ULONG_MAX :
			      m->start + rnd(&m->rng, m->end - m->start + 1);
	unsigned long pfn, best, i;

	if (m->nr_live == m->shape->max_live)
		return;
	if (m->shape->plain && rnd(&m->rng, 100) < m->shape->plain) {
		align = 0;
		boundary = 0;
		limit = ULONG_MAX;
	}
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

/*
 * Returns the tree's greatest height in the run; *@fingers (if not NULL)
 * gets the most size fingers that held at once.
 */
static unsigned int model_run_fingers(struct kunit *test,
				      const struct model_shape *shape,
				      unsigned int flags, u64 seed,
				      unsigned int ops, unsigned int *fingers)
{
	struct model *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	unsigned int op, every = shape->pfns > 4096 ? 128 : 16;

	KUNIT_ASSERT_NOT_NULL(test, m);
	m->state = kunit_kzalloc(test, shape->pfns, GFP_KERNEL);
	m->live_pfn = kunit_kcalloc(test, shape->max_live,
				    sizeof(*m->live_pfn), GFP_KERNEL);
	m->live_size = kunit_kcalloc(test, shape->max_live,
				     sizeof(*m->live_size), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, m->state && m->live_pfn && m->live_size);
	m->test = test;
	m->shape = shape;
	m->rng = seed;
	m->start = 1 + rnd(&m->rng, 16);
	m->end = shape->pfns - 1 - rnd(&m->rng, 16);
	m->guard = flags & IOX_IOVA_GUARD ? 1 : 0;
	m->space = iox_iova_space_create(12, m->start, m->end,
					 flags | IOX_IOVA_NO_CACHE);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, m->space);
	for (op = 0; op < ops && m->errors < 5; op++) {
		unsigned long r = rnd(&m->rng, 100), grow = 55;

		/* Grow, churn, shrink. */
		if (op < ops / 3)
			grow = shape->grow;
		else if (op >= ops - ops / 3)
			grow = 110 - shape->grow;
		if (r < grow)
			model_alloc(m);
		else if (r < 93)
			model_free(m);
		else if (r < 96)
			model_reserve(m);
		else
			model_bad_free(m);
		model_check_stats(m);
		m->max_height = max(m->max_height, m->space->height);
		m->max_fingers = max(m->max_fingers,
				     hweight64(m->space->fingers));
		if (!(op % every))
			check_tree_model(test, m->space, m->state, m->start,
					 m->end);
	}
	check_tree_model(test, m->space, m->state, m->start, m->end);
	while (m->nr_live)
		model_free(m);
	model_check_stats(m);
	check_tree_model(test, m->space, m->state, m->start, m->end);
	iox_iova_space_destroy(m->space);
	if (fingers)
		*fingers = m->max_fingers;
	return m->max_height;
}

static unsigned int model_run(struct kunit *test,
			      const struct model_shape *shape,
			      unsigned int flags, u64 seed, unsigned int ops)
{
	return model_run_fingers(test, shape, flags, seed, ops, NULL);
}

static const struct model_shape model_small = {
	.pfns = 1024, .max_live = 256, .small = 8, .big = 40, .grow = 55,
};

static void iova_model_random(struct kunit *test)
{
	u64 seed;

	for (seed = 1; seed <= 4; seed++)
		model_run(test, &model_small, 0, seed, 20000);
}

static void iova_model_random_guard(struct kunit *test)
{
	u64 seed;

	for (seed = 11; seed <= 14; seed++)
		model_run(test, &model_small, IOX_IOVA_GUARD, seed, 20000);
}

/*
 * Mostly plain allocations, in runs with few frees between them while the
 * space fills: the size fingers hold for long stretches, and frees above
 * and below them, splits, merges and reservations move or drop them. The
 * tree walk checks every finger's path and that no gap of its size lies
 * after it; the model checks every plain result is the highest fit.
 */
static const struct model_shape model_fingers = {
	.pfns = 4096, .max_live = 1024, .small = 8, .big = 40, .grow = 85,
	.plain = 90,
};

/* Sizes up to 120 granules: gaps and requests past the one-byte codes. */
static const struct model_shape model_large = {
	.pfns = 4096, .max_live = 256, .small = 8, .big = 120, .grow = 55,
	.plain = 50,
};

static void iova_model_fingers(struct kunit *test)
{
	unsigned int fingers;
	u64 seed;

	for (seed = 31; seed <= 33; seed++) {
		model_run_fingers(test, &model_fingers, 0, seed, 20000,
				  &fingers);
		/* The fingers did hold: most sizes at once at some point. */
		KUNIT_EXPECT_GE(test, fingers, 6U);
		model_run_fingers(test, &model_fingers, IOX_IOVA_GUARD,
				  seed + 10, 20000, &fingers);
		KUNIT_EXPECT_GE(test, fingers, 6U);
	}
	for (seed = 51; seed <= 52; seed++)
		model_run(test, &model_large, seed & 1 ? IOX_IOVA_GUARD : 0,
			  seed, 20000);
}

/*
 * Enough ranges for a tree of three levels and more (a two-level tree
 * holds at most INNER_SLOTS * LEAF_SLOTS), grown, churned and shrunk
 * again, the model checked granule by granule every 128 steps.
 */
#define DEEP_LIVE	(2 * IOX_IOVA_INNER_SLOTS * IOX_IOVA_LEAF_SLOTS)

static const struct model_shape model_deep = {
	.pfns = 8 * DEEP_LIVE,
	.max_live = DEEP_LIVE,
	.small = 2, .big = 6, .grow = 85,
};

/* The same, mostly plain: fingers through three levels and more. */
static const struct model_shape model_deep_plain = {
	.pfns = 8 * DEEP_LIVE,
	.max_live = DEEP_LIVE,
	.small = 2, .big = 6, .grow = 85, .plain = 90,
};

static void iova_model_deep(struct kunit *test)
{
	unsigned int flags, height;
	u64 seed;

	for (seed = 21; seed <= 22; seed++) {
		flags = seed & 1 ? IOX_IOVA_GUARD : 0;
		height = model_run(test, &model_deep, flags, seed,
				   8 * model_deep.max_live);
		KUNIT_EXPECT_GE(test, height, 3U);
	}
	height = model_run(test, &model_deep_plain, 0, 23,
			   8 * model_deep_plain.max_live);
	KUNIT_EXPECT_GE(test, height, 3U);
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
/* Ranges for several chunks of leaves: a fill puts SLOTS - 1 in a leaf. */
#define FAIL_RANGES	\
	(3 * IOX_IOVA_CHUNK_LEAVES * IOX_IOVA_LEAF_SLOTS)
#define FAIL_RUNS_MAX	1000

static unsigned int chunk_count(struct iox_iova_space *s)
{
	struct iox_iova_chunk *chunk;
	unsigned int nr = 0;
	unsigned long flags;

	raw_spin_lock_irqsave(&s->lock, flags);
	list_for_each_entry(chunk, &s->chunks, all)
		nr++;
	raw_spin_unlock_irqrestore(&s->lock, flags);
	return nr;
}

/* Whether the space has the free nodes for any insertion. */
static bool nodes_for_split(struct iox_iova_space *s)
{
	unsigned long flags;
	unsigned int kind;
	bool ok = true;

	raw_spin_lock_irqsave(&s->lock, flags);
	for (kind = 0; kind < IOX_IOVA_KINDS; kind++)
		ok &= s->pool[kind].nr_free >= iox_iova_nodes_wanted(s, kind);
	raw_spin_unlock_irqrestore(&s->lock, flags);
	return ok;
}

/**
 * struct fail_run - one run of the fail-nth sequence
 * @resv_at: in: the allocation the reservation goes before; UINT_MAX for
 *	none, and then out: the first allocation before which the space had
 *	no free nodes for a split (a reservation there takes a new chunk)
 * @created: out: the space was created
 * @refused: out: allocations that returned 0
 * @resv_ret: out: what the reservation returned
 * @chunks_by_alloc: out: chunks the allocations added
 */
struct fail_run {
	unsigned int resv_at;
	bool created;
	unsigned int refused;
	int resv_ret;
	unsigned int chunks_by_alloc;
};

/*
 * Create a space, allocate FAIL_RANGES ranges of 3 granules (reserving
 * [100, 200] on the way), cache one range, and free everything, checking
 * the accounting and the tree after each part.
 */
static void fail_sequence(struct kunit *test, unsigned long *p,
			  struct fail_run *run)
{
	unsigned int i, chunks, resv_at = run->resv_at;
	struct iox_iova_stats st;
	struct iox_iova_space *s;
	unsigned long pfn, live = 0;

	s = iox_iova_space_create(12, 1, 4UL * FAIL_RANGES, 0);
	run->created = !IS_ERR(s);
	if (!run->created) {
		KUNIT_EXPECT_EQ(test, PTR_ERR(s), -ENOMEM);
		return;
	}
	for (i = 0; i < FAIL_RANGES; i++) {
		if (i == resv_at) {
			run->resv_ret = iox_iova_reserve(s, 100, 200);
			KUNIT_EXPECT_TRUE(test, !run->resv_ret ||
					  run->resv_ret == -ENOMEM);
		}
		if (run->resv_at == UINT_MAX && !nodes_for_split(s))
			run->resv_at = i;
		chunks = chunk_count(s);
		p[i] = iox_iova_alloc(s, 3, ULONG_MAX, 0, 0);
		run->chunks_by_alloc += chunk_count(s) - chunks;
		live += !!p[i];
		run->refused += !p[i];
	}
	iox_iova_get_stats(s, &st);
	KUNIT_EXPECT_EQ(test, st.live_ranges, live);
	check_tree(test, s);
	/* A failed reservation left the range free. */
	if (run->resv_ret) {
		pfn = iox_iova_alloc(s, 101, 200, 0, 0);
		KUNIT_EXPECT_EQ(test, pfn, 100UL);
		if (pfn)
			iox_iova_free(s, pfn, 101);
	}
	pfn = iox_iova_alloc_fast(s, 2, ULONG_MAX);
	if (pfn)
		iox_iova_free_fast(s, pfn, 2);
	for (i = 0; i < FAIL_RANGES; i++)
		if (p[i])
			KUNIT_EXPECT_EQ(test, iox_iova_free(s, p[i], 3), 0);
	iox_iova_shrink(s);
	iox_iova_get_stats(s, &st);
	KUNIT_EXPECT_EQ(test, st.live_ranges + st.cached_ranges, 0UL);
	check_tree(test, s);
	iox_iova_space_destroy(s);
}

/*
 * Every allocation the allocator makes fails in turn (fail-nth): creating
 * the space, the chunks of nodes for allocations and for a reservation,
 * the caches' magazines. Each call then fails cleanly (0, -ENOMEM or
 * ERR_PTR), the space stays exact and its tree sound, nothing leaks.
 */
static void iova_alloc_failure(struct kunit *test)
{
	unsigned long *p = kunit_kcalloc(test, FAIL_RANGES, sizeof(*p),
					 GFP_KERNEL);
	struct fail_run ref = { .resv_at = UINT_MAX }, run;
	unsigned long nth, hit = 0, refused = 0, resv_refused = 0;

	KUNIT_ASSERT_NOT_NULL(test, p);
	/* Where a reservation needs a chunk; then what a clean run does. */
	fail_sequence(test, p, &ref);
	KUNIT_ASSERT_LT(test, ref.resv_at, (unsigned int)FAIL_RANGES);
	ref = (struct fail_run){ .resv_at = ref.resv_at };
	fail_sequence(test, p, &ref);
	KUNIT_ASSERT_TRUE(test, ref.created && !ref.refused && !ref.resv_ret);
	KUNIT_ASSERT_GE(test, ref.chunks_by_alloc, 2U);
	for (nth = 1; nth < FAIL_RUNS_MAX; nth++) {
		run = (struct fail_run){ .resv_at = ref.resv_at };
		iox_compat_fail_nth(nth);
		fail_sequence(test, p, &run);
		if (!iox_compat_failed_site())
			break;		/* fewer allocations than nth */
		hit++;
		refused += run.refused;
		resv_refused += run.resv_ret == -ENOMEM;
	}
	iox_compat_fail_nth(0);
	KUNIT_EXPECT_LT(test, nth, (unsigned long)FAIL_RUNS_MAX);
	/* Each chunk an allocation or the reservation took failed once. */
	KUNIT_EXPECT_EQ(test, refused, (unsigned long)ref.chunks_by_alloc);
	KUNIT_EXPECT_EQ(test, resv_refused, 1UL);
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

/* Ranges for about 20 chunks of leaves: a fill puts SLOTS - 1 in a leaf. */
#define CHUNK_TEST_RANGES	\
	(20 * IOX_IOVA_CHUNK_LEAVES * \
	 (IOX_IOVA_LEAF_SLOTS - 1))
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

/* Adds the pages of @node's subtree; counts its nodes per kind. */
static void chunk_set_tree(struct chunk_set *set, void *node,
			   unsigned int level, unsigned long *nodes)
{
	struct iox_iova_inner *n = node;
	unsigned int i;

	chunk_set_add(set, node);
	nodes[level ? IOX_IOVA_INNER : IOX_IOVA_LEAF]++;
	if (level)
		for (i = 0; i < n->nr; i++)
			chunk_set_tree(set, n->child[i], level - 1, nodes);
}

/*
 * The space's chunks hold exactly the tree's nodes and the free ones:
 * every node lies in one of them, each kind's free counts add up, and
 * beyond the chunks in use the space keeps no more empty ones of a kind
 * than the free nodes for one insertion take. @used gets the chunks in
 * use, @nodes the tree's nodes per kind; returns how many chunks the space
 * has.
 */
static unsigned int check_chunks(struct kunit *test,
				 struct iox_iova_space *space,
				 struct chunk_set *used, unsigned long *nodes)
{
	unsigned long flags, free[IOX_IOVA_KINDS] = {}, keep, per;
	unsigned int nr[IOX_IOVA_KINDS] = {}, i, kind, all = 0;
	struct iox_iova_chunk *chunk;
	bool found;

	used->nr = 0;
	used->overflow = false;
	nodes[IOX_IOVA_LEAF] = 0;
	nodes[IOX_IOVA_INNER] = 0;
	raw_spin_lock_irqsave(&space->lock, flags);
	chunk_set_tree(used, space->root, space->height - 1, nodes);
	for (i = 0; i < used->nr; i++) {
		found = false;
		list_for_each_entry(chunk, &space->chunks, all)
			found |= (unsigned long)chunk == used->base[i];
		KUNIT_EXPECT_TRUE_MSG(test, found, "a node outside the chunks");
	}
	list_for_each_entry(chunk, &space->chunks, all) {
		nr[chunk->kind]++;
		free[chunk->kind] += chunk->nr_free;
		all++;
	}
	for (kind = 0; kind < IOX_IOVA_KINDS; kind++) {
		per = iox_iova_chunk_nodes(kind);
		keep = max(per, iox_iova_nodes_wanted(space, kind));
		KUNIT_EXPECT_EQ(test, free[kind], space->pool[kind].nr_free);
		KUNIT_EXPECT_EQ(test, nr[kind] * per, nodes[kind] + free[kind]);
		/* Chunks with no node in use: at most what keep covers. */
		KUNIT_EXPECT_LE(test, nr[kind] - DIV_ROUND_UP(nodes[kind], per),
				DIV_ROUND_UP(keep, per) + 1);
	}
	raw_spin_unlock_irqrestore(&space->lock, flags);
	KUNIT_EXPECT_FALSE(test, used->overflow);
	KUNIT_EXPECT_LE(test, all, used->nr + 2 * 2);
	return all;
}

/*
 * Nodes come from pages of nodes owned by the space: many ranges take many
 * pages, and the pages go back once the ranges are freed, whatever the
 * order of the frees.
 */
static void iova_node_chunks(struct kunit *test)
{
	unsigned long *pfns, i, nodes[IOX_IOVA_KINDS];
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
	KUNIT_EXPECT_EQ(test, check_chunks(test, s, used, nodes), 1U);
	KUNIT_EXPECT_EQ(test, nodes[IOX_IOVA_LEAF], 1UL);
	/* Two rounds: the second one reuses what the first gave back. */
	for (round = 0; round < 2; round++) {
		for (i = 0; i < CHUNK_TEST_RANGES; i++) {
			pfns[i] = iox_iova_alloc(s, 1 + i % 5, ULONG_MAX, 0, 0);
			KUNIT_ASSERT_NE(test, pfns[i], 0UL);
		}
		peak = check_chunks(test, s, used, nodes);
		KUNIT_EXPECT_GE(test, peak, 20U);
		check_tree(test, s);
		/* Every third range, then the rest: chunks empty unevenly. */
		for (i = round; i < CHUNK_TEST_RANGES; i += 3) {
			KUNIT_EXPECT_EQ(test,
					iox_iova_free(s, pfns[i], 1 + i % 5), 0);
			pfns[i] = 0;
		}
		check_chunks(test, s, used, nodes);
		check_tree(test, s);
		for (i = 0; i < CHUNK_TEST_RANGES; i++)
			if (pfns[i])
				KUNIT_EXPECT_EQ(test,
						iox_iova_free(s, pfns[i],
							      1 + i % 5), 0);
		/* Left: the root leaf and what check_chunks() allows. */
		nr = check_chunks(test, s, used, nodes);
		KUNIT_EXPECT_EQ(test, nodes[IOX_IOVA_LEAF], 1UL);
		KUNIT_EXPECT_EQ(test, nodes[IOX_IOVA_INNER], 0UL);
		KUNIT_EXPECT_LT(test, 4 * nr, peak);
		check_tree(test, s);
	}
	iox_iova_space_destroy(s);
}

/* Ranges for a tree of three levels, filled top-down into full nodes. */
#define FILL_RANGES	(3 * IOX_IOVA_INNER_SLOTS * (IOX_IOVA_LEAF_SLOTS - 1))
#define FILL_END	BIT(24)

/* A space of FILL_END granules holding FILL_RANGES ranges of @size. */
static struct iox_iova_space *tree_fill(struct kunit *test, unsigned long *pfns,
					unsigned long size)
{
	struct iox_iova_space *s;
	unsigned long i;

	s = iox_iova_space_create(12, 1, FILL_END, IOX_IOVA_NO_CACHE);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	for (i = 0; i < FILL_RANGES; i++) {
		pfns[i] = iox_iova_alloc(s, size, ULONG_MAX, 0, 0);
		KUNIT_ASSERT_EQ(test, pfns[i], FILL_END + 1 - (i + 1) * size);
	}
	check_tree(test, s);
	return s;
}

/* Every node below @node but the lowest of its level is full but one. */
static void check_full(struct kunit *test, void *node, unsigned int level,
		       bool lowest)
{
	struct iox_iova_inner *n = node;
	struct iox_iova_leaf *l = node;
	unsigned int i;

	if (!lowest)
		KUNIT_EXPECT_GE_MSG(test, level ? n->nr : l->nr,
				    (level ? IOX_IOVA_INNER_SLOTS :
					     IOX_IOVA_LEAF_SLOTS) - 1,
				    "a node at level %u", level);
	if (level)
		for (i = 0; i < n->nr; i++)
			check_full(test, n->child[i], level - 1, lowest && !i);
}

/*
 * A top-down fill splits the lowest node of each level at its bottom, so
 * it leaves full nodes behind; freeing everything in random order evens
 * out and merges leaves and interior nodes until the root, twice handed
 * over to its one child, is a leaf of the two reserved ends again.
 */
static void iova_tree_fill(struct kunit *test)
{
	unsigned long *pfns = kunit_kcalloc(test, FILL_RANGES, sizeof(*pfns),
					    GFP_KERNEL);
	unsigned long nodes[IOX_IOVA_KINDS], flags, i, k, t;
	struct chunk_set *used = kunit_kzalloc(test, sizeof(*used), GFP_KERNEL);
	bool seen[IOX_IOVA_MAX_HEIGHT + 1] = {};
	struct iox_iova_space *s;
	u64 rng = 7;

	KUNIT_ASSERT_TRUE(test, pfns && used);
	s = tree_fill(test, pfns, 1);
	raw_spin_lock_irqsave(&s->lock, flags);
	KUNIT_EXPECT_EQ(test, s->height, 3U);
	check_full(test, s->root, s->height - 1, true);
	raw_spin_unlock_irqrestore(&s->lock, flags);
	for (i = FILL_RANGES; i; i--) {
		k = rnd(&rng, i);
		KUNIT_ASSERT_EQ(test, iox_iova_free(s, pfns[k], 1), 0);
		t = pfns[k];
		pfns[k] = pfns[i - 1];
		pfns[i - 1] = t;
		seen[s->height] = true;
		if (!(i % 101))
			check_tree(test, s);
	}
	check_tree(test, s);
	KUNIT_EXPECT_TRUE(test, seen[3] && seen[2]);
	KUNIT_EXPECT_EQ(test, s->height, 1U);
	KUNIT_EXPECT_EQ(test, ((struct iox_iova_leaf *)s->root)->nr, 2U);
	check_chunks(test, s, used, nodes);
	KUNIT_EXPECT_EQ(test, nodes[IOX_IOVA_LEAF], 1UL);
	KUNIT_EXPECT_EQ(test, nodes[IOX_IOVA_INNER], 0UL);
	iox_iova_space_destroy(s);
}

static unsigned int node_nr(struct iox_iova_space *s, void *node,
			    unsigned int level)
{
	unsigned long flags;
	unsigned int nr;

	raw_spin_lock_irqsave(&s->lock, flags);
	nr = level ? ((struct iox_iova_inner *)node)->nr :
		     ((struct iox_iova_leaf *)node)->nr;
	raw_spin_unlock_irqrestore(&s->lock, flags);
	return nr;
}

/* Free the highest range (of one granule) of a leaf. */
static void leaf_free_top(struct kunit *test, struct iox_iova_space *s,
			  struct iox_iova_leaf *l)
{
	unsigned long flags, pfn;

	raw_spin_lock_irqsave(&s->lock, flags);
	pfn = l->lo[__fls(l->used)];
	raw_spin_unlock_irqrestore(&s->lock, flags);
	KUNIT_ASSERT_EQ(test, iox_iova_free(s, pfn, 1), 0);
}

/* Free the highest ranges of a leaf until it holds @keep. */
static void leaf_free_to(struct kunit *test, struct iox_iova_space *s,
			 struct iox_iova_leaf *l, unsigned int keep)
{
	while (node_nr(s, l, 0) > keep)
		leaf_free_top(test, s, l);
}

/*
 * A leaf falling below a quarter: it evens out with its left sibling when
 * the two hold more than three quarters of a leaf (twice here), merges
 * with it when not, and pairs with its right sibling when it is the first
 * child.
 */
static void iova_tree_rebalance(struct kunit *test)
{
	unsigned long *pfns = kunit_kcalloc(test, FILL_RANGES, sizeof(*pfns),
					    GFP_KERNEL);
	const unsigned int quarter = IOX_IOVA_LEAF_SLOTS / 4;
	struct iox_iova_leaf *a, *b, *c;
	struct iox_iova_space *s;
	struct iox_iova_inner *x;
	unsigned int nr;

	KUNIT_ASSERT_NOT_NULL(test, pfns);
	s = tree_fill(test, pfns, 1);
	/* A full interior node that is not the lowest, and three leaves. */
	x = ((struct iox_iova_inner *)s->root)->child[1];
	c = x->child[0];
	b = x->child[1];
	a = x->child[2];
	nr = node_nr(s, x, 1);
	KUNIT_ASSERT_EQ(test, node_nr(s, b, 0), IOX_IOVA_LEAF_SLOTS - 1);
	/* a goes below a quarter: it takes half of what b and it hold. */
	leaf_free_to(test, s, a, quarter);
	leaf_free_top(test, s, a);
	KUNIT_EXPECT_EQ(test, node_nr(s, x, 1), nr);
	KUNIT_EXPECT_EQ(test, node_nr(s, b, 0),
			(IOX_IOVA_LEAF_SLOTS - 1 + quarter - 1) / 2);
	KUNIT_EXPECT_EQ(test, node_nr(s, a, 0),
			(IOX_IOVA_LEAF_SLOTS + quarter - 1) / 2);
	check_tree(test, s);
	/* More than three quarters of a leaf between them: even out again. */
	leaf_free_to(test, s, b, 3 * quarter - (quarter - 1) + 1);
	leaf_free_to(test, s, a, quarter);
	leaf_free_top(test, s, a);
	KUNIT_EXPECT_EQ(test, node_nr(s, x, 1), nr);
	KUNIT_EXPECT_EQ(test, node_nr(s, b, 0) + node_nr(s, a, 0),
			3 * quarter + 1);
	KUNIT_EXPECT_GE(test, node_nr(s, a, 0), quarter);
	check_tree(test, s);
	/* Both at a quarter, then a below it: a merges into b. */
	leaf_free_to(test, s, b, quarter);
	leaf_free_to(test, s, a, quarter);
	leaf_free_top(test, s, a);
	KUNIT_EXPECT_EQ(test, node_nr(s, x, 1), nr - 1);
	KUNIT_EXPECT_PTR_EQ(test, x->child[1], (void *)b);
	KUNIT_EXPECT_EQ(test, node_nr(s, b, 0), 2 * quarter - 1);
	check_tree(test, s);
	/* The first leaf of x has no left sibling: b merges into it. */
	leaf_free_to(test, s, c, quarter);
	leaf_free_top(test, s, c);
	KUNIT_EXPECT_EQ(test, node_nr(s, x, 1), nr - 2);
	KUNIT_EXPECT_PTR_EQ(test, x->child[0], (void *)c);
	KUNIT_EXPECT_EQ(test, node_nr(s, c, 0), 3 * quarter - 2);
	check_tree(test, s);
	iox_iova_space_destroy(s);
}

/*
 * The growth a free leaves pending: the allocation after it takes the
 * freed gap when it is the highest fit, goes elsewhere when it is not,
 * and every other call sees it too.
 */
static void iova_tree_pending(struct kunit *test)
{
	unsigned long *pfns = kunit_kcalloc(test, FILL_RANGES, sizeof(*pfns),
					    GFP_KERNEL);
	unsigned long x, low, first, flags;
	struct iox_iova_space *s;
	struct iox_iova_leaf *l;

	KUNIT_ASSERT_NOT_NULL(test, pfns);
	s = tree_fill(test, pfns, 2);
	x = pfns[10];
	low = pfns[FILL_RANGES - 1];
	/* FILL_END is even: the ranges of two start on odd pfns. */
	KUNIT_ASSERT_EQ(test, x & 1, 1UL);
	/* The freed gap is the only one above the bottom: it is refilled. */
	KUNIT_ASSERT_EQ(test, iox_iova_free(s, x, 2), 0);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 2, ULONG_MAX, 0, 0), x);
	check_tree(test, s);
	/* Too small for three granules: those go to the bottom. */
	KUNIT_ASSERT_EQ(test, iox_iova_free(s, x, 2), 0);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 3, ULONG_MAX, 0, 0), low - 3);
	check_tree(test, s);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 2, ULONG_MAX, 0, 0), x);
	/* Below a limit under it, and aligned (x is odd): the bottom again. */
	KUNIT_ASSERT_EQ(test, iox_iova_free(s, x, 2), 0);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 2, x - 1, 0, 0), low - 5);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 2, ULONG_MAX, 2, 0), low - 7);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 2, ULONG_MAX, 0, 0), x);
	check_tree(test, s);
	/* Freed, then reserved: never handed out. */
	KUNIT_ASSERT_EQ(test, iox_iova_free(s, x, 2), 0);
	KUNIT_EXPECT_EQ(test, iox_iova_reserve(s, x, x + 1), 0);
	KUNIT_EXPECT_NE(test, iox_iova_alloc(s, 2, ULONG_MAX, 0, 0), x);
	check_tree(test, s);
	/* The first range of a leaf: its granules go to the leaf before. */
	raw_spin_lock_irqsave(&s->lock, flags);
	l = ((struct iox_iova_inner *)((struct iox_iova_inner *)
				       s->root)->child[1])->child[1];
	first = l->lo[__ffs(l->used)];
	raw_spin_unlock_irqrestore(&s->lock, flags);
	KUNIT_ASSERT_EQ(test, iox_iova_free(s, first, 2), 0);
	check_tree(test, s);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 2, ULONG_MAX, 0, 0), first);
	check_tree(test, s);
	iox_iova_space_destroy(s);
}

/* Holes of two granules in the top 2 * FINGER_HOLES ranges of a fill. */
#define FINGER_HOLES	600

/*
 * The benchmark's pattern in small: every other range of the top of a
 * fill freed, then single granules allocated. Each goes to the top of
 * the highest hole, two to a hole, the finger of one granule following
 * them from leaf to leaf (the leaves filling up and splitting, an
 * interior node splitting); then a free above the finger must be seen,
 * and one below it too.
 */
static void iova_fingers(struct kunit *test)
{
	unsigned long *pfns = kunit_kcalloc(test, FILL_RANGES, sizeof(*pfns),
					    GFP_KERNEL);
	unsigned long h, low, below;
	struct iox_iova_space *s;
	bool held = false;

	KUNIT_ASSERT_NOT_NULL(test, pfns);
	s = tree_fill(test, pfns, 2);
	low = pfns[FILL_RANGES - 1];
	for (h = 0; h < FINGER_HOLES; h++)
		KUNIT_ASSERT_EQ(test, iox_iova_free(s, pfns[2 * h + 1], 2), 0);
	check_tree(test, s);
	for (h = 0; h < FINGER_HOLES; h++) {
		KUNIT_ASSERT_EQ(test, iox_iova_alloc(s, 1, ULONG_MAX, 0, 0),
				pfns[2 * h + 1] + 1);
		KUNIT_ASSERT_EQ(test, iox_iova_alloc(s, 1, ULONG_MAX, 0, 0),
				pfns[2 * h + 1]);
		held |= s->fingers & BIT_ULL(0);
		if (!(h % 64))
			check_tree(test, s);
	}
	KUNIT_EXPECT_TRUE(test, held);
	check_tree(test, s);
	/* Above the finger: the freed range's gap is the highest again. */
	KUNIT_ASSERT_EQ(test, iox_iova_free(s, pfns[0], 2), 0);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 1, ULONG_MAX, 0, 0),
			pfns[0] + 1);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 1, ULONG_MAX, 0, 0), pfns[0]);
	/* Below it, in the untouched part: found there, not at the bottom. */
	below = pfns[2 * FINGER_HOLES + 300];
	KUNIT_ASSERT_EQ(test, iox_iova_free(s, below, 2), 0);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 1, ULONG_MAX, 0, 0),
			below + 1);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 1, ULONG_MAX, 0, 0), below);
	/* Nothing of one granule is left above the bottom. */
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 1, ULONG_MAX, 0, 0), low - 1);
	check_tree(test, s);
	iox_iova_space_destroy(s);
}

/*
 * The allocation after a free walks down the freed range's path: a gap
 * above that path (in another leaf, another interior node) is higher
 * and taken first; a request larger than the freed gap follows the
 * records instead.
 */
static void iova_pending_paths(struct kunit *test)
{
	unsigned long *pfns = kunit_kcalloc(test, FILL_RANGES, sizeof(*pfns),
					    GFP_KERNEL);
	static const unsigned int pairs[][2] = {
		{ 3, 40 },	/* neighbouring leaves */
		{ 70, 1500 },	/* leaves of one interior node */
		{ 5, 4000 },	/* children of the root */
	};
	struct iox_iova_space *s;
	unsigned long low;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, pfns);
	s = tree_fill(test, pfns, 2);
	low = pfns[FILL_RANGES - 1];
	for (i = 0; i < ARRAY_SIZE(pairs); i++) {
		/* The second free leaves its growth pending. */
		KUNIT_ASSERT_EQ(test, iox_iova_free(s, pfns[pairs[i][0]], 2), 0);
		KUNIT_ASSERT_EQ(test, iox_iova_free(s, pfns[pairs[i][1]], 2), 0);
		KUNIT_EXPECT_TRUE(test, s->pend_on);
		check_tree(test, s);
		KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 2, ULONG_MAX, 0, 0),
				pfns[pairs[i][0]]);
		KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 2, ULONG_MAX, 0, 0),
				pfns[pairs[i][1]]);
		check_tree(test, s);
	}
	/* Three granules fit no hole of two: to the bottom, twice. */
	KUNIT_ASSERT_EQ(test, iox_iova_free(s, pfns[10], 2), 0);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 3, ULONG_MAX, 0, 0), low - 3);
	KUNIT_ASSERT_EQ(test, iox_iova_free(s, pfns[2000], 2), 0);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 3, ULONG_MAX, 0, 0), low - 6);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 2, ULONG_MAX, 0, 0), pfns[10]);
	KUNIT_EXPECT_EQ(test, iox_iova_alloc(s, 2, ULONG_MAX, 0, 0),
			pfns[2000]);
	check_tree(test, s);
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
	KUNIT_CASE(iova_model_deep),
	KUNIT_CASE(iova_model_fingers),
	KUNIT_CASE(iova_tree_fill),
	KUNIT_CASE(iova_tree_rebalance),
	KUNIT_CASE(iova_tree_pending),
	KUNIT_CASE(iova_fingers),
	KUNIT_CASE(iova_pending_paths),
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
