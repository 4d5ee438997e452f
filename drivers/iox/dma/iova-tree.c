// SPDX-License-Identifier: GPL-2.0
/*
 * The IOVA space's tree: a B+tree of occupied ranges sorted by first pfn,
 * augmented with the largest free gap of every subtree.
 *
 * Every free run lies between two ranges (both ends of the space are
 * reserved ranges) and belongs to the range below it. A leaf holds up to
 * 32 ranges in slots, in ascending order, with free slots between them
 * (struct iox_iova_leaf); an interior node holds up to 64 children with
 * the first pfn of each (struct iox_iova_inner). Both keep their gaps (a
 * leaf its ranges', an interior node its children's largest) exactly, and
 * beside them a one-byte code per entry (the gap below SMALL, 63, else
 * SMALL), the count of each code and a word of the codes present: the
 * highest entry with room for a request below SMALL is found eight codes
 * at a time, the node's largest gap is the highest code present, and a
 * change is a few counter updates. Gaps of SMALL and more are also kept in
 * a tournament in groups of eight, which finds them for larger requests
 * and gives the largest of them.
 *
 * A plain request of up to 32 granules keeps a finger, the path to the
 * leaf where the last one of its size went: no range after that leaf has
 * a gap of that size, so the next one searches there, or climbs only as
 * far as the gaps below the path need (struct iox_iova_space).
 *
 * Taking the top of a gap leaves its owner where it is, and the new range
 * (usually with no gap of its own) goes into the free slot just above the
 * owner, where the ranges whose freeing made the gap used to be: no range
 * moves unless the slots around are all in use. A range that goes leaves
 * its slot free and gives its granules to the range below.
 *
 * Balance: all leaves are at one depth, and every node but the root and the
 * lowest node of its level is at least half full (a leaf a quarter), so
 * the height is O(log n) in the worst case, not amortized. A full node
 * splits into halves, except the lowest node of a level taking a slot at
 * its bottom (a fresh space fills top-down, and every new range lands just
 * above the reserved low end): that one keeps only what is below the new
 * slot, so a fill leaves full nodes behind instead of half-full ones. A
 * node below the minimum evens out with a sibling or, if both fit (leaves:
 * in three quarters of one), merges with it; a root left with one child
 * hands over to it. A leaf that splits, evens out or merges spreads its
 * ranges over its slots, free slots above each.
 *
 * There are no parent pointers: the descent records its path (struct
 * iox_iova_path) and updates walk back up it, stopping at the first node
 * whose largest gap does not change.
 *
 * A free usually makes the largest gap of its leaf grow, and of the nodes
 * above up to where larger gaps are; the allocation after it usually
 * takes that gap again (the highest that fits), undoing all of it. So the
 * free leaves the growth pending (space->pend): the next plain allocation
 * walks down the free's path while no child above it has room and, when
 * it lands in the same leaf, carries the leaf's change up from the old
 * records, both changes at once and usually none; any other call carries
 * the growth up first.
 *
 * The range starting at pfn 0 (the reserved low end, or a reservation
 * merged with it) is the first of the lowest leaf and never leaves the
 * tree, so every other range has a range below it to give its granules to,
 * and no slot is ever inserted below the first of a node.
 *
 * The augmentation is FreeBSD's idea (sys/dev/iommu/iommu_gas.c keeps the
 * largest free space under each node of a red-black tree); this tree is
 * iox's own.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include "iova-priv.h"

#define LSLOTS		IOX_IOVA_LEAF_SLOTS
#define ISLOTS		IOX_IOVA_INNER_SLOTS
/*
 * A leaf is kept at least a quarter full, and merging leaves make one at
 * most three quarters full, so their free slots stay where ranges went.
 */
#define LMIN		(LSLOTS / 4)
#define LMERGE		(LSLOTS * 3 / 4)
#define IMIN		(ISLOTS / 2)

/* The bits of the slots of a leaf below slot @p (@p <= 32). */
static inline u32 below(unsigned int p)
{
	return (u32)(BIT_ULL(p) - 1);
}

/* The bits of slots @from .. @to - 1. */
static inline u32 slots(unsigned int from, unsigned int to)
{
	return below(to) & ~below(from);
}

/* ---- the gaps of a node: codes, counts and a tournament ---- */

#define SMALL		IOX_IOVA_SMALL
/* The plain allocation's place wants nodes the space lacks. */
#define IOX_IOVA_AGAIN	ULONG_MAX
#define LTOP		IOX_IOVA_LEAF_TOP
#define ITOP		IOX_IOVA_INNER_TOP
#define ONES		0x0101010101010101ULL
#define HIGHS		0x8080808080808080ULL

static __always_inline unsigned int gap_code(unsigned long v)
{
	return v < SMALL ? v : SMALL;
}

/* Where the groups of eight and the top of a tournament of @n start. */
static __always_inline unsigned int t_group(unsigned int n)
{
	return n;
}

static __always_inline unsigned int t_top(unsigned int n)
{
	return n + n / 8;
}

static inline unsigned long max4(const unsigned long *a)
{
	return max(max(a[0], a[1]), max(a[2], a[3]));
}

static inline unsigned long max8(const unsigned long *a)
{
	return max(max4(a), max4(a + 4));
}

/* What the tournament counts of a gap: only SMALL or more. */
static __always_inline unsigned long big(unsigned long v)
{
	return v >= SMALL ? v : 0;
}

static __always_inline unsigned long tour_groups(const unsigned long *t,
						 unsigned int n)
{
	if (n == 64)
		return max8(&t[t_group(n)]);
	return max4(&t[t_group(n)]);
}

/*
 * Entry @i of the tournament went from @old to its value now, both as
 * big() counts them: up the tournament while it changes.
 */
static __always_inline void tour_set(unsigned long *t, unsigned int n,
				     unsigned int i, unsigned long old,
				     unsigned long v)
{
	unsigned long m;

	if (v > old) {
		/* Grown: every entry above that is smaller takes it. */
		if (t[t_group(n) + i / 8] >= v)
			return;
		t[t_group(n) + i / 8] = v;
		if (t[t_top(n)] < v)
			t[t_top(n)] = v;
		return;
	}
	/* Shrunk: the entries that held the old value take the largest below. */
	if (v == old || t[t_group(n) + i / 8] != old)
		return;
	m = big(max8(&t[i & ~7]));
	if (m == old)
		return;
	t[t_group(n) + i / 8] = m;
	if (t[t_top(n)] == old)
		t[t_top(n)] = tour_groups(t, n);
}

/* The highest entry below @end of @thr or more (SMALL or more), or -1. */
static __always_inline int tour_find(const unsigned long *t, unsigned int n,
				     unsigned int end, unsigned long thr)
{
	unsigned int x;

	if (!end)
		return -1;
	/* The entries of the last group, from end - 1 down. */
	for (x = end - 1; t[x] < thr; x--)
		if (!(x & 7))
			goto groups;
	return x;
groups:
	/* The groups below. */
	for (x /= 8; x;)
		if (t[t_group(n) + --x] >= thr)
			goto group;
	return -1;
group:
	x = 8 * x + 7;
	while (t[x] < thr)
		x--;
	return x;
}

/*
 * The highest entry below @end whose code is @thr or more (0 < @thr <
 * SMALL), or -1: eight codes at a time, each word from the highest down.
 * A code is at most SMALL, so adding 0x80 - @thr to each byte carries into
 * no other byte and sets the byte's top bit exactly when the code reaches
 * @thr.
 */
static __always_inline int codes_find(const u64 *w, unsigned int end,
				      unsigned long thr)
{
	u64 add = (0x80 - thr) * ONES, hit;
	unsigned int x;

	if (!end)
		return -1;
	x = (end - 1) / 8;
	hit = (w[x] + add) & HIGHS & (~0ULL >> (56 - 8 * ((end - 1) % 8)));
	while (!hit) {
		if (!x)
			return -1;
		hit = (w[--x] + add) & HIGHS;
	}
	return 8 * x + iox_iova_fls64(hit) / 8;
}

/*
 * codes_find() of the entries @from .. @end - 1 only (@from < @end): the
 * words below @from's are not read.
 */
static __always_inline int codes_find_in(const u64 *w, unsigned int from,
					 unsigned int end, unsigned long thr)
{
	u64 add = (0x80 - thr) * ONES, hit, low = ~0ULL << 8 * (from % 8);
	unsigned int x = (end - 1) / 8;

	hit = (w[x] + add) & HIGHS & (~0ULL >> (56 - 8 * ((end - 1) % 8)));
	while (x > from / 8) {
		if (hit)
			return 8 * x + iox_iova_fls64(hit) / 8;
		hit = (w[--x] + add) & HIGHS;
	}
	hit &= low;
	return hit ? 8 * x + iox_iova_fls64(hit) / 8 : -1;
}

/*
 * codes_find() of a node that has a gap of @thr (< SMALL) in one of its
 * first @words words of codes (the codes of unused entries are 0).
 */
static __always_inline unsigned int codes_find_sure(const u64 *w,
						    unsigned int words,
						    unsigned long thr)
{
	u64 add = (0x80 - thr) * ONES, hit;
	unsigned int x = words - 1;

	while (!(hit = (w[x] + add) & HIGHS))
		x--;
	return 8 * x + iox_iova_fls64(hit) / 8;
}

/* The highest entry below @end whose gap is @thr or more (> 0), or -1. */
static __always_inline int gaps_find(const u64 *code, const unsigned long *t,
				     unsigned int n, unsigned int end,
				     unsigned long thr)
{
	if (thr < SMALL)
		return codes_find(code, end, thr);
	return tour_find(t, n, end, thr);
}

/* Entry @i's gap is now @v: its code, the counts and the tournament. */
static __always_inline void gaps_set(struct iox_iova_sum *s, u8 *code,
				     unsigned long *t, unsigned int n,
				     unsigned int i, unsigned long v)
{
	unsigned int co = code[iox_iova_code_at(i)], cv = gap_code(v);
	unsigned long old = t[i];

	t[i] = v;
	if (co != cv) {
		code[iox_iova_code_at(i)] = cv;
		if (!--s->count[co])
			s->present &= ~BIT_ULL(co);
		if (!s->count[cv]++)
			s->present |= BIT_ULL(cv);
	}
	if (unlikely(max(co, cv) == SMALL))
		tour_set(t, n, i, big(old), big(v));
}

/* Recompute the tournament's groups and top from its entries. */
static __always_inline void tour_build(unsigned long *t, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n / 8; i++)
		t[t_group(n) + i] = big(max8(&t[8 * i]));
	t[t_top(n)] = tour_groups(t, n);
}

/* Recompute the codes, counts and tournament of a node from its gaps. */
static __always_inline void gaps_build(struct iox_iova_sum *s, u8 *code,
				       unsigned long *t, unsigned int n)
{
	unsigned int i, c;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < n; i++) {
		c = gap_code(t[i]);
		code[iox_iova_code_at(i)] = c;
		s->count[c]++;
		s->present |= BIT_ULL(c);
	}
	tour_build(t, n);
}

#define leaf_max	iox_iova_leaf_max
#define inner_max	iox_iova_inner_max

static __always_inline void leaf_set(struct iox_iova_leaf *l,
				     unsigned int i, unsigned long v)
{
	gaps_set(&l->sum, l->code.b, l->t, LSLOTS, i, v);
}

static __always_inline void inner_set(struct iox_iova_inner *n,
				      unsigned int i, unsigned long v)
{
	gaps_set(&n->sum, n->code.b, n->t, ISLOTS, i, v);
}

static void inner_build(struct iox_iova_inner *n)
{
	gaps_build(&n->sum, n->code.b, n->t, ISLOTS);
}

/* The highest range of @l, or child of @n, below @end with a gap of @thr. */
static __always_inline int leaf_find(const struct iox_iova_leaf *l,
				     unsigned int end, unsigned long thr)
{
	return gaps_find(l->code.w, l->t, LSLOTS, end, thr);
}

static __always_inline int inner_find(const struct iox_iova_inner *n,
				      unsigned int end, unsigned long thr)
{
	return gaps_find(n->code.w, n->t, ISLOTS, end, thr);
}

/* ---- leaves ---- */

/* The slot of the range nearest below slot @i, or -1. */
static inline int leaf_below(const struct iox_iova_leaf *l, unsigned int i)
{
	u32 bits = l->used & below(i);

	return bits ? (int)__fls(bits) : -1;
}

/* The slot of the range nearest above slot @i, or LSLOTS. */
static inline unsigned int leaf_above(const struct iox_iova_leaf *l,
				      unsigned int i)
{
	u32 bits = l->used & ~below(i + 1);

	return bits ? __ffs(bits) : LSLOTS;
}

static struct iox_iova_leaf *leaf_new(struct iox_iova_space *space)
{
	struct iox_iova_leaf *l = iox_iova_node_alloc(space, IOX_IOVA_LEAF);

	l->used = 0;
	l->resv = 0;
	l->nr = 0;
	return l;
}

/* Move the ranges of @l to its first slots, in order. */
static void leaf_compact(struct iox_iova_leaf *l)
{
	unsigned int i, k = 0;
	u32 resv = 0;

	for (i = 0; i < LSLOTS; i++) {
		if (!(l->used & BIT(i)))
			continue;
		l->lo[k] = l->lo[i];
		l->hi[k] = l->hi[i];
		l->t[k] = l->t[i];
		resv |= (l->resv >> i & 1) << k;
		k++;
	}
	l->used = below(k);
	l->resv = resv;
}

/* A range on its way into a leaf. */
struct leaf_range {
	unsigned long lo, hi, t;
	bool resv;
};

/* No range in the way: an index spread() never meets. */
#define NO_NEW		(LSLOTS + 1)

/*
 * Spread ranges @first .. @first + @k - 1 (@k >= 1) of the ranges of
 * compacted @src, with @nw taking index @p among them (the ranges from
 * slot @p on come one later; NO_NEW for none), over the slots of @dst: the
 * first in slot 0 (nothing is ever inserted below it), the others evenly
 * above, the last in slot 31, so free slots lie above each range but the
 * last (a new range goes just above the range whose gap it takes); the
 * free slots get no gap and the first pfn of the range below, and the
 * codes, counts and tournament are built on the way.
 *
 * The ranges go in from the last down, each at or above the slot it comes
 * from and above the slots of those still to come, and the free slots are
 * filled in after them: @dst may be @src if @first is 0.
 */
static void spread(struct iox_iova_leaf *dst, const struct iox_iova_leaf *src,
		   unsigned int first, unsigned int k, unsigned int p,
		   const struct leaf_range *nw)
{
	unsigned int d = k > 1 ? k - 1 : 1, j = k - 1, v, i, c, pos;
	u32 used = 0, resv = src->resv, free;
	u64 present = k < LSLOTS;
	u8 *count = dst->sum.count;
	unsigned long t;

	memset(count, 0, sizeof(dst->sum.count));
	memset(dst->code.b, 0, sizeof(dst->code.b));
	count[0] = LSLOTS - k;
	/* The ranges, from the last down. */
	for (;;) {
		v = first + j;
		pos = j * (LSLOTS - 1) / d;
		if (unlikely(v == p)) {
			dst->lo[pos] = nw->lo;
			dst->hi[pos] = nw->hi;
			t = nw->t;
		} else {
			v -= v > p;
			dst->lo[pos] = src->lo[v];
			dst->hi[pos] = src->hi[v];
			t = src->t[v];
		}
		dst->t[pos] = t;
		c = gap_code(t);
		dst->code.b[iox_iova_code_at(pos)] = c;
		count[c]++;
		present |= BIT_ULL(c);
		used |= BIT(pos);
		if (!j--)
			break;
	}
	/* Then the free slots, from the bottom up (slot 0 holds a range). */
	for (free = ~used; free; free &= free - 1) {
		i = __ffs(free);
		dst->lo[i] = dst->lo[i - 1];
		dst->t[i] = 0;
	}
	dst->sum.present = present;
	dst->used = used;
	dst->nr = k;
	/* Reservations are few: each one's bit to its new slot. */
	dst->resv = 0;
	for (; resv; resv &= resv - 1) {
		v = __ffs(resv);
		v += v >= p;
		if (v >= first && v < first + k)
			dst->resv |= BIT((v - first) * (LSLOTS - 1) / d);
	}
	if (nw && nw->resv && p >= first && p < first + k)
		dst->resv |= BIT((p - first) * (LSLOTS - 1) / d);
	if (present & BIT_ULL(SMALL))
		tour_build(dst->t, LSLOTS);
	else
		memset(&dst->t[LSLOTS], 0, (LTOP + 1 - LSLOTS) * sizeof(dst->t[0]));
}

/* Spread the ranges of a compacted @l over its slots (see spread()). */
static void leaf_spread(struct iox_iova_leaf *l)
{
	spread(l, l, 0, l->nr, NO_NEW, NULL);
}

/* Copy @k ranges of compacted @src from @sp to compacted @dst at @dp. */
static void leaf_copy(struct iox_iova_leaf *dst, unsigned int dp,
		      const struct iox_iova_leaf *src, unsigned int sp,
		      unsigned int k)
{
	size_t bytes = k * sizeof(unsigned long);

	if (!k)
		return;
	memcpy(&dst->lo[dp], &src->lo[sp], bytes);
	memcpy(&dst->hi[dp], &src->hi[sp], bytes);
	memcpy(&dst->t[dp], &src->t[sp], bytes);
	dst->resv = (dst->resv & ~slots(dp, dp + k)) |
		    ((src->resv >> sp) & below(k)) << dp;
}

/* Move the ranges in slots @from .. @to - 1 of @l by @by slots. */
static void leaf_shift(struct iox_iova_leaf *l, unsigned int from,
		       unsigned int to, int by)
{
	size_t bytes = (to - from) * sizeof(unsigned long);
	u32 moved = l->resv & slots(from, to);

	memmove(&l->lo[from + by], &l->lo[from], bytes);
	memmove(&l->hi[from + by], &l->hi[from], bytes);
	memmove(&l->t[from + by], &l->t[from], bytes);
	l->resv &= ~slots(from, to) & ~slots(from + by, to + by);
	l->resv |= by > 0 ? moved << by : moved >> -by;
}

/*
 * Move the ranges in slots @from .. @to - 1 of @l by one slot (@by 1 or
 * -1) into a free slot, taking their gaps and codes along; the slot left
 * behind has no gap. The gaps are the same ones, so are the counts.
 */
static void leaf_move(struct iox_iova_leaf *l, unsigned int from,
		      unsigned int to, int by)
{
	unsigned int i, left = by > 0 ? from : to - 1;
	u8 *code = l->code.b;

	if (by > 0) {
		for (i = to; i > from; i--) {
			l->lo[i] = l->lo[i - 1];
			l->hi[i] = l->hi[i - 1];
			l->t[i] = l->t[i - 1];
			code[iox_iova_code_at(i)] = code[iox_iova_code_at(i - 1)];
		}
	} else {
		for (i = from - 1; i < to - 1; i++) {
			l->lo[i] = l->lo[i + 1];
			l->hi[i] = l->hi[i + 1];
			l->t[i] = l->t[i + 1];
			code[iox_iova_code_at(i)] = code[iox_iova_code_at(i + 1)];
		}
	}
	l->resv = (l->resv & ~slots(from, to) & ~slots(from + by, to + by)) |
		  (by > 0 ? (l->resv & slots(from, to)) << 1 :
			    (l->resv & slots(from, to)) >> 1);
	l->t[left] = 0;
	code[iox_iova_code_at(left)] = 0;
	if (l->sum.present & BIT_ULL(SMALL))
		tour_build(l->t, LSLOTS);
}

/*
 * The range in slot @o of @l has no free slot right above it, but @l has a
 * free slot: move the ranges between it and the nearest free slot by one,
 * up (those above it) or down (it and those below it), so that the slot
 * right above the range is free. Returns the range's slot now.
 */
static noinline unsigned int leaf_open_above(struct iox_iova_leaf *l,
					     unsigned int o)
{
	u32 free = ~l->used, up = free & ~below(o + 1), down = free & below(o);
	unsigned int z;

	if (up && (!down || __ffs(up) - o - 1 <= o - __fls(down))) {
		z = __ffs(up);
		leaf_move(l, o + 1, z, 1);
		l->used = (l->used | BIT(z)) & ~BIT(o + 1);
		return o;
	}
	z = __fls(down);
	leaf_move(l, z + 1, o + 1, -1);
	l->used = (l->used | BIT(z)) & ~BIT(o);
	return o - 1;
}

/*
 * The range in slot @i of @l goes: the free slots from it up to the next
 * range take the first pfn of the range below, or all those below the
 * next range take its own if it was the first (the leaf's first pfn
 * changes then).
 */
static __always_inline void leaf_vacate(struct iox_iova_leaf *l, unsigned int i)
{
	unsigned int from = i, to, k;
	unsigned long lo;

	l->used &= ~BIT(i);
	l->resv &= ~BIT(i);
	l->nr--;
	to = leaf_above(l, i);
	if (l->used & below(i)) {
		lo = l->lo[i - 1];
	} else {
		/* The first range went: a leaf is never left empty. */
		lo = l->lo[to];
		from = 0;
	}
	for (k = from; k < to; k++)
		l->lo[k] = lo;
}

/* ---- interior nodes ---- */

/* Make room for @k children at @p; the tournament is stale. */
static void inner_open(struct iox_iova_inner *n, unsigned int p,
		       unsigned int k)
{
	unsigned int m = n->nr - p;

	memmove(&n->lo[p + k], &n->lo[p], m * sizeof(n->lo[0]));
	memmove(&n->child[p + k], &n->child[p], m * sizeof(n->child[0]));
	memmove(&n->t[p + k], &n->t[p], m * sizeof(n->t[0]));
	n->nr += k;
}

/* Keep only the first @nr children of @n; the tournament is stale. */
static void inner_cut(struct iox_iova_inner *n, unsigned int nr)
{
	unsigned int i;

	for (i = nr; i < n->nr; i++) {
		n->lo[i] = ULONG_MAX;
		n->t[i] = 0;
	}
	n->nr = nr;
}

/* Remove the @k children at @p; the tournament is stale. */
static void inner_close(struct iox_iova_inner *n, unsigned int p,
			unsigned int k)
{
	unsigned int m = n->nr - p - k;

	memmove(&n->lo[p], &n->lo[p + k], m * sizeof(n->lo[0]));
	memmove(&n->child[p], &n->child[p + k], m * sizeof(n->child[0]));
	memmove(&n->t[p], &n->t[p + k], m * sizeof(n->t[0]));
	inner_cut(n, n->nr - k);
}

/* Copy @k children of @src from @sp to @dst at @dp (tournament stale). */
static void inner_copy(struct iox_iova_inner *dst, unsigned int dp,
		       const struct iox_iova_inner *src, unsigned int sp,
		       unsigned int k)
{
	memcpy(&dst->lo[dp], &src->lo[sp], k * sizeof(src->lo[0]));
	memcpy(&dst->child[dp], &src->child[sp], k * sizeof(src->child[0]));
	memcpy(&dst->t[dp], &src->t[sp], k * sizeof(src->t[0]));
}

static struct iox_iova_inner *inner_new(struct iox_iova_space *space)
{
	struct iox_iova_inner *n = iox_iova_node_alloc(space, IOX_IOVA_INNER);
	unsigned int i;

	n->nr = 0;
	for (i = 0; i < ISLOTS; i++)
		n->lo[i] = ULONG_MAX;
	memset(n->t, 0, sizeof(n->t));
	return n;
}

static void inner_put(struct iox_iova_inner *n, unsigned int p,
		      unsigned long lo, void *child, unsigned long max)
{
	n->lo[p] = lo;
	n->child[p] = child;
	n->t[p] = max;
}

/*
 * Child @p of @n, with first pfn @lo and largest gap @max, goes in, the
 * children from @p on moving up one slot (@n is not full): the codes move
 * with them as one 512-bit number shifted by a byte, the counts change by
 * the new child and an unused slot fewer, and the tournament is rebuilt
 * only if it holds anything.
 */
static void inner_insert(struct iox_iova_inner *n, unsigned int p,
			 unsigned long lo, void *child, unsigned long max)
{
	unsigned int w = p / 8, x, c = gap_code(max);
	u64 keep = BIT_ULL(8 * (p % 8)) - 1, *code = n->code.w;

	inner_open(n, p, 1);
	inner_put(n, p, lo, child, max);
	for (x = ISLOTS / 8 - 1; x > w; x--)
		code[x] = code[x] << 8 | code[x - 1] >> 56;
	code[w] = (code[w] & keep) | ((code[w] & ~keep) << 8) |
		  (u64)c << (8 * (p % 8));
	if (!--n->sum.count[0])
		n->sum.present &= ~BIT_ULL(0);
	n->sum.count[c]++;
	n->sum.present |= BIT_ULL(c);
	if (n->sum.present & BIT_ULL(SMALL))
		tour_build(n->t, ISLOTS);
}

/* The first pfn and the largest gap of the node at @level (0: a leaf). */
static inline unsigned long node_first(void *node, unsigned int level)
{
	return level ? ((struct iox_iova_inner *)node)->lo[0] :
		       ((struct iox_iova_leaf *)node)->lo[0];
}

static inline unsigned long node_max(void *node, unsigned int level)
{
	return level ? inner_max(node) : leaf_max(node);
}

/* ---- walking the path ---- */

/* Whether the node at @level of @path is the lowest of its level. */
static bool is_lowest(const struct iox_iova_space *space,
		      const struct iox_iova_path *path, unsigned int level)
{
	while (++level < space->height)
		if (path->slot[level])
			return false;
	return true;
}

/*
 * The node at @level - 1 of @path now has @m as its largest gap: into the
 * tournament of its parent at @level, and up while the parent's largest
 * gap changes.
 */
static void max_up(struct iox_iova_space *space,
		   const struct iox_iova_path *path, unsigned int level,
		   unsigned long m)
{
	struct iox_iova_inner *n;
	unsigned long old, a;
	unsigned int i;

	for (; level < space->height; level++) {
		n = path->in[level];
		i = path->slot[level];
		a = n->t[i];
		if (m >= SMALL && a >= SMALL) {
			/* Both large: the codes stay, the tournament tells. */
			old = n->t[ITOP];
			n->t[i] = m;
			tour_set(n->t, ISLOTS, i, a, m);
			m = n->t[ITOP];
		} else {
			old = inner_max(n);
			inner_set(n, i, m);
			m = inner_max(n);
		}
		if (m == old)
			return;
	}
	space->max = m;
}

/*
 * max_up() of a leaf whose largest gap went from @a down to @m, both below
 * SMALL: each record is a code of its own, so each level is a few counter
 * updates, and the walk stops where another entry still has @a.
 */
static __always_inline void lower_up(struct iox_iova_space *space,
				     const struct iox_iova_path *path,
				     unsigned int a, unsigned int m)
{
	struct iox_iova_inner *n;
	unsigned int level, i;

	for (level = 1; level < space->height; level++) {
		n = path->in[level];
		i = path->slot[level];
		n->t[i] = m;
		n->code.b[iox_iova_code_at(i)] = m;
		n->sum.count[m]++;
		n->sum.present |= BIT_ULL(m);
		if (--n->sum.count[a])
			return;
		if (iox_iova_fls64(n->sum.present) != a) {
			n->sum.present &= ~BIT_ULL(a);
			return;
		}
		n->sum.present &= ~BIT_ULL(a);
		m = iox_iova_fls64(n->sum.present);
	}
	space->max = m;
}

/* The leaf of @path changed: carry its largest gap up if that changed. */
static inline void leaf_changed(struct iox_iova_space *space,
				const struct iox_iova_path *path,
				unsigned long old)
{
	unsigned long m = leaf_max(path->leaf);

	if (m != old)
		max_up(space, path, 1, m);
}

/*
 * A grown largest gap of the last freed range's leaf is carried up only
 * now, when something other than the allocation that refills it comes.
 */
static __always_inline void settle(struct iox_iova_space *space)
{
	if (unlikely(space->pend_on)) {
		space->pend_on = false;
		max_up(space, &space->pend, 1, leaf_max(space->pend.leaf));
	}
}

/* The leaf's first pfn changed: so did its ancestors' record of it. */
static void first_changed(const struct iox_iova_space *space,
			  const struct iox_iova_path *path)
{
	unsigned long lo = path->leaf->lo[0];
	unsigned int level;

	for (level = 1; level < space->height; level++) {
		path->in[level]->lo[path->slot[level]] = lo;
		if (path->slot[level])
			return;
	}
}

/*
 * Move @path to the last range of the leaf before its own; false if its
 * leaf is the lowest.
 */
static bool prev_leaf(const struct iox_iova_space *space,
		      struct iox_iova_path *path)
{
	unsigned int level = 1;
	void *node;

	while (level < space->height && !path->slot[level])
		level++;
	if (level >= space->height)
		return false;
	node = path->in[level]->child[--path->slot[level]];
	while (--level) {
		struct iox_iova_inner *n = node;

		path->in[level] = n;
		path->slot[level] = n->nr - 1;
		node = n->child[n->nr - 1];
	}
	path->leaf = node;
	path->pos = __fls(path->leaf->used);
	return true;
}

/* ---- fingers ---- */

/* The tree's shape changed: no finger's path holds any more. */
static inline void fingers_lost(struct iox_iova_space *space)
{
	space->fingers = 0;
}

/*
 * The leaf at slot @s of @parent split, the upper half going to slot s + 1
 * as @right, whose largest gap is @rmax: the fingers through the slots
 * above move up one; those into the leaf stay if @right has no gap of
 * their size (no range after the lower half has one then), else go to
 * @right (no range after it has one; the lower half is searched from
 * there).
 */
static void fingers_split(struct iox_iova_space *space,
			  struct iox_iova_inner *parent, unsigned int s,
			  struct iox_iova_leaf *right, unsigned long rmax)
{
	struct iox_iova_path *f;
	u64 bits = space->fingers;
	unsigned int k, fs;

	while (bits) {
		k = __ffs64(bits);
		bits &= bits - 1;
		f = &space->finger[k];
		if (f->in[1] != parent)
			continue;
		fs = f->slot[1];
		if (fs > s) {
			f->slot[1] = fs + 1;
		} else if (fs == s && rmax > k) {
			f->leaf = right;
			f->slot[1] = s + 1;
		}
	}
}

/*
 * A gap grew to @gap granules: the fingers of the sizes it holds may now
 * have a larger gap above them.
 */
static inline void fingers_gap(struct iox_iova_space *space,
			       unsigned long gap)
{
	BUILD_BUG_ON(IOX_IOVA_FINGERS > 63 || IOX_IOVA_FINGERS >= SMALL);
	space->fingers &= gap >= IOX_IOVA_FINGERS ? 0 : ~(BIT_ULL(gap) - 1);
}

/**
 * iox_iova_tree_init() - the tree of a new space: its two reserved ends
 * @space: the space, with its window set
 * @root: a leaf from iox_iova_node_alloc()
 *
 * Context: @space is not visible to any other thread yet.
 */
void iox_iova_tree_init(struct iox_iova_space *space,
			struct iox_iova_leaf *root)
{
	root->nr = 2;
	root->used = 0;
	root->resv = 3;
	root->lo[0] = 0;
	root->hi[0] = space->start_pfn - 1;
	root->t[0] = space->end_pfn - space->start_pfn + 1;
	root->lo[1] = space->end_pfn + 1;
	root->hi[1] = ULONG_MAX;
	root->t[1] = 0;
	leaf_spread(root);
	space->root = root;
	space->height = 1;
	space->max = leaf_max(root);
	space->fingers = 0;
}

/* ---- insertion ---- */

/*
 * Where a full node of @cap slots taking a slot at @p splits: the first
 * cut of the cap + 1 slots stay. The lowest node of a level keeps only
 * what is below the new slot when that goes to its bottom (@p is never 0).
 */
static unsigned int split_cut(const struct iox_iova_space *space,
			      const struct iox_iova_path *path,
			      unsigned int level, unsigned int p,
			      unsigned int cap)
{
	if (p <= 1 && is_lowest(space, path, level))
		return p + 1;
	return (cap + 1) / 2;
}

/*
 * The node at @level - 1 of @path split: @right, with first pfn @key and
 * largest gap @rmax, goes in right after it, into the parent at @level or
 * under a new root; a full parent splits in turn. The caller made sure of
 * the nodes. Returns true if the parent at @level took it without
 * splitting.
 */
static bool grow(struct iox_iova_space *space, struct iox_iova_path *path,
		 unsigned int level, void *right, unsigned long key,
		 unsigned long rmax)
{
	bool first = true;

	struct iox_iova_inner *n, *r;
	unsigned int s, p, cut;
	void *left;

	for (;;) {
		left = level > 1 ? (void *)path->in[level - 1] :
				   (void *)path->leaf;
		if (level == space->height) {
			/* A new root over the two halves. */
			n = inner_new(space);
			n->nr = 2;
			inner_put(n, 0, node_first(left, level - 1), left,
				  node_max(left, level - 1));
			inner_put(n, 1, key, right, rmax);
			inner_build(n);
			space->root = n;
			space->height++;
			space->max = inner_max(n);
			return false;
		}
		n = path->in[level];
		s = path->slot[level];
		p = s + 1;
		if (n->nr < ISLOTS) {
			inner_set(n, s, node_max(left, level - 1));
			inner_insert(n, p, key, right, rmax);
			max_up(space, path, level + 1, inner_max(n));
			return first;
		}
		first = false;
		n->t[s] = node_max(left, level - 1);
		r = inner_new(space);
		cut = split_cut(space, path, level, p, ISLOTS);
		if (p < cut) {
			inner_copy(r, 0, n, cut - 1, ISLOTS - cut + 1);
			r->nr = ISLOTS - cut + 1;
			inner_cut(n, cut - 1);
			inner_open(n, p, 1);
			inner_put(n, p, key, right, rmax);
		} else {
			inner_copy(r, 0, n, cut, p - cut);
			inner_put(r, p - cut, key, right, rmax);
			inner_copy(r, p - cut + 1, n, p, ISLOTS - p);
			r->nr = ISLOTS + 1 - cut;
			inner_cut(n, cut);
		}
		inner_build(n);
		inner_build(r);
		right = r;
		key = r->lo[0];
		rmax = inner_max(r);
		level++;
	}
}

/**
 * iox_iova_tree_needs_nodes() - whether an insertion may want new nodes
 * @space: the space, locked
 * @path: where the insertion goes, from a search or a floor
 *
 * An insertion into a full leaf splits it and may split every level above
 * and add a root. The caller gets the nodes (with the lock dropped) and
 * looks for its place again.
 *
 * Context: space->lock held.
 * Return: true if the space's free nodes might not do.
 */
bool iox_iova_tree_needs_nodes(const struct iox_iova_space *space,
			       const struct iox_iova_path *path)
{
	return path->leaf->nr == LSLOTS &&
	       (space->pool[IOX_IOVA_LEAF].nr_free <
		iox_iova_nodes_wanted(space, IOX_IOVA_LEAF) ||
		space->pool[IOX_IOVA_INNER].nr_free <
		iox_iova_nodes_wanted(space, IOX_IOVA_INNER));
}

/*
 * The leaf of @path is full (every slot in use, so compacted): split it,
 * the new range going in above slot @o.
 */
static void leaf_split_insert(struct iox_iova_space *space,
			      struct iox_iova_path *path, unsigned int o,
			      unsigned long lo, unsigned long hi,
			      unsigned long gap, bool resv)
{
	struct iox_iova_leaf *l = path->leaf, *r = leaf_new(space);
	unsigned int p = o + 1, cut = split_cut(space, path, 0, p, LSLOTS);
	struct iox_iova_inner *parent = NULL;
	struct leaf_range nw = { lo, hi, gap, resv };
	unsigned int ps = 0;

	/* The 33 ranges in order, the new one number p; cut .. 32 go right. */
	spread(r, l, cut, LSLOTS + 1 - cut, p, &nw);
	spread(l, l, 0, cut, p, &nw);
	if (space->height > 1) {
		parent = path->in[1];
		ps = path->slot[1];
	}
	/* (A tree of one leaf gets a root: no simple split there.) */
	if (grow(space, path, 1, r, r->lo[0], leaf_max(r)))
		fingers_split(space, parent, ps, r, leaf_max(r));
	else
		fingers_lost(space);
}

static __always_inline void insert_above(struct iox_iova_space *space,
					 struct iox_iova_path *path,
					 unsigned long lo, unsigned long hi,
					 bool resv, unsigned long old);

/**
 * iox_iova_tree_insert_above() - add a range in the gap of another
 * @space: the space, locked
 * @path: the range whose gap holds the new one (from a search or a floor)
 * @lo: first pfn of the new range
 * @hi: last pfn, a guard granule included
 * @resv: a reservation rather than an allocation
 *
 * The gap splits: what is below @lo stays with its owner, what is above
 * @hi goes to the new range, which takes the highest free slot of the run
 * above the owner's, or makes one. The caller has checked
 * iox_iova_tree_needs_nodes(). @path is used up.
 *
 * Context: space->lock held.
 */
void iox_iova_tree_insert_above(struct iox_iova_space *space,
				struct iox_iova_path *path,
				unsigned long lo, unsigned long hi, bool resv)
{
	settle(space);
	insert_above(space, path, lo, hi, resv, leaf_max(path->leaf));
}

/*
 * iox_iova_tree_insert_above(), for the allocation path to inline; @old is
 * the leaf's largest gap as its parent records it.
 */
static __always_inline void insert_above(struct iox_iova_space *space,
					 struct iox_iova_path *path,
					 unsigned long lo, unsigned long hi,
					 bool resv, unsigned long old)
{
	struct iox_iova_leaf *l = path->leaf;
	unsigned int o = path->pos, s;
	unsigned long gap = l->t[o], above = l->hi[o] + gap - hi;

	s = leaf_above(l, o);
	if (unlikely(s == o + 1 || o == LSLOTS - 1)) {
		/* No free slot above the owner: move the ranges to one. */
		if (!~l->used) {
			l->t[o] = lo - l->hi[o] - 1;
			leaf_split_insert(space, path, o, lo, hi, above, resv);
			return;
		}
		o = leaf_open_above(l, o);
		s = o + 2;
	}
	/* The highest free slot below the next range: no first pfn moves. */
	s--;
	l->lo[s] = lo;
	l->hi[s] = hi;
	l->used |= BIT(s);
	l->resv |= (u32)resv << s;
	l->nr++;
	leaf_set(l, o, lo - l->hi[o] - 1);
	if (above)
		leaf_set(l, s, above);
	leaf_changed(space, path, old);
}

/**
 * iox_iova_tree_extend() - let a range grow up into its gap
 * @space: the space, locked
 * @path: the range
 * @hi: its new last pfn, inside its gap
 *
 * Context: space->lock held.
 */
void iox_iova_tree_extend(struct iox_iova_space *space,
			  struct iox_iova_path *path, unsigned long hi)
{
	struct iox_iova_leaf *l = path->leaf;
	unsigned long old;
	unsigned int o = path->pos;

	settle(space);
	old = leaf_max(l);
	leaf_set(l, o, l->hi[o] + l->t[o] - hi);
	l->hi[o] = hi;
	leaf_changed(space, path, old);
}

/* ---- erasure ---- */

/* Spread the children of sibling interior nodes @a and @b evenly. */
static void inner_even_out(struct iox_iova_inner *a, struct iox_iova_inner *b)
{
	unsigned int na = (a->nr + b->nr) / 2, k;

	if (a->nr > na) {
		k = a->nr - na;
		inner_open(b, 0, k);
		inner_copy(b, 0, a, na, k);
		inner_cut(a, na);
	} else {
		k = na - a->nr;
		inner_copy(a, a->nr, b, 0, k);
		a->nr = na;
		inner_close(b, 0, k);
	}
	inner_build(a);
	inner_build(b);
}

/*
 * The node at @level - 1 of @path has a child less: if it fell below half,
 * it evens out with a sibling, or merges with it and its parent has a
 * child less, and so on up; a root with one child left gives way to it.
 */
static void shrink(struct iox_iova_space *space, struct iox_iova_path *path,
		   unsigned int level, struct iox_iova_chunk **garbage)
{
	struct iox_iova_inner *n, *parent, *a, *b;
	unsigned int s;

	for (;; level++) {
		n = path->in[level];
		if (level + 1 == space->height) {
			space->max = inner_max(n);
			if (n->nr > 1)
				return;
			/* The root's one child is the root now. */
			space->root = n->child[0];
			space->height--;
			iox_iova_node_free(space, n, garbage);
			return;
		}
		if (n->nr >= IMIN || is_lowest(space, path, level)) {
			max_up(space, path, level + 1, inner_max(n));
			return;
		}
		parent = path->in[level + 1];
		/* The left sibling if there is one, else the right one. */
		s = path->slot[level + 1] ? path->slot[level + 1] : 1;
		a = parent->child[s - 1];
		b = parent->child[s];
		if (a->nr + b->nr > ISLOTS) {
			inner_even_out(a, b);
			parent->lo[s] = b->lo[0];
			inner_set(parent, s - 1, inner_max(a));
			inner_set(parent, s, inner_max(b));
			max_up(space, path, level + 2, inner_max(parent));
			return;
		}
		inner_copy(a, a->nr, b, 0, b->nr);
		a->nr += b->nr;
		inner_build(a);
		iox_iova_node_free(space, b, garbage);
		inner_close(parent, s, 1);
		parent->t[s - 1] = inner_max(a);
		inner_build(parent);
	}
}

/* The leaf of @path fell below half: even out or merge with a sibling. */
static void leaf_rebalance(struct iox_iova_space *space,
			   struct iox_iova_path *path,
			   struct iox_iova_chunk **garbage)
{
	struct iox_iova_inner *parent = path->in[1];
	struct iox_iova_leaf *a, *b;
	unsigned int s, na, k;

	fingers_lost(space);
	/* The left sibling if there is one, else the right one. */
	s = path->slot[1] ? path->slot[1] : 1;
	a = parent->child[s - 1];
	b = parent->child[s];
	leaf_compact(a);
	leaf_compact(b);
	if (a->nr + b->nr > LMERGE) {
		/* Even out. */
		na = (a->nr + b->nr) / 2;
		if (a->nr > na) {
			k = a->nr - na;
			leaf_shift(b, 0, b->nr, k);
			leaf_copy(b, 0, a, na, k);
			b->nr += k;
		} else {
			k = na - a->nr;
			leaf_copy(a, a->nr, b, 0, k);
			leaf_shift(b, k, b->nr, -k);
			b->nr -= k;
		}
		a->nr = na;
		leaf_spread(a);
		leaf_spread(b);
		parent->lo[s] = b->lo[0];
		inner_set(parent, s - 1, leaf_max(a));
		inner_set(parent, s, leaf_max(b));
		max_up(space, path, 2, inner_max(parent));
		return;
	}
	leaf_copy(a, a->nr, b, 0, b->nr);
	a->nr += b->nr;
	leaf_spread(a);
	iox_iova_node_free(space, b, garbage);
	inner_close(parent, s, 1);
	parent->t[s - 1] = leaf_max(a);
	inner_build(parent);
	shrink(space, path, 1, garbage);
}

static __always_inline void erase(struct iox_iova_space *space,
				  struct iox_iova_path *path,
				  struct iox_iova_chunk **garbage, bool defer);

/**
 * iox_iova_tree_erase() - remove a range
 * @space: the space, locked
 * @path: the range (from iox_iova_tree_find()); not the one at pfn 0
 * @garbage: chunks of nodes emptied, for iox_iova_chunks_free() once the
 *	lock is dropped
 *
 * The range's granules and its gap join the gap of the range below it,
 * and its slot is free. @path is used up.
 *
 * Context: space->lock held.
 */
void iox_iova_tree_erase(struct iox_iova_space *space,
			 struct iox_iova_path *path,
			 struct iox_iova_chunk **garbage)
{
	settle(space);
	erase(space, path, garbage, false);
}

/*
 * iox_iova_tree_erase(), for the free path to inline. @defer: @path is
 * space->pend, and a grown largest gap of the leaf may stay pending.
 */
static __always_inline void erase(struct iox_iova_space *space,
				  struct iox_iova_path *path,
				  struct iox_iova_chunk **garbage, bool defer)
{
	struct iox_iova_leaf *l = path->leaf;
	unsigned int j = path->pos;
	unsigned long old = leaf_max(l), q_old;
	unsigned long freed = l->hi[j] - l->lo[j] + 1 + l->t[j];
	struct iox_iova_path below_path;
	struct iox_iova_leaf *q;
	int p = leaf_below(l, j);

	leaf_set(l, j, 0);
	if (likely(p >= 0)) {
		leaf_set(l, p, l->t[p] + freed);
		fingers_gap(space, l->t[p]);
		leaf_vacate(l, j);
	} else {
		/* The range below is the last of the leaf before. */
		below_path = *path;
		prev_leaf(space, &below_path);
		q = below_path.leaf;
		p = below_path.pos;
		q_old = leaf_max(q);
		leaf_set(q, p, q->t[p] + freed);
		fingers_gap(space, q->t[p]);
		leaf_changed(space, &below_path, q_old);
		leaf_vacate(l, j);
		first_changed(space, path);
	}
	if (l->nr >= LMIN || space->height == 1 || is_lowest(space, path, 0)) {
		if (defer && space->height > 1 && leaf_max(l) > old)
			space->pend_on = true;
		else
			leaf_changed(space, path, old);
		return;
	}
	leaf_rebalance(space, path, garbage);
}

/* ---- lookups ---- */

/*
 * From index @i, the last of the next 32 entries of the sorted @lo at or
 * below @pfn (@i itself if none): five halving steps, unrolled.
 */
static __always_inline unsigned int floor32(const unsigned long *lo,
					    unsigned long pfn, unsigned int i)
{
	i += lo[i + 16] <= pfn ? 16 : 0;
	i += lo[i + 8] <= pfn ? 8 : 0;
	i += lo[i + 4] <= pfn ? 4 : 0;
	i += lo[i + 2] <= pfn ? 2 : 0;
	i += lo[i + 1] <= pfn ? 1 : 0;
	return i;
}

/*
 * The last child of @n whose first pfn is at or below @pfn (0 if none),
 * in six steps: the unused slots start at ULONG_MAX, above any @pfn here.
 */
static inline unsigned int inner_floor(const struct iox_iova_inner *n,
				       unsigned long pfn)
{
	BUILD_BUG_ON(ISLOTS != 64);
	return floor32(n->lo, pfn, n->lo[32] <= pfn ? 32 : 0);
}

/*
 * The range of @l starting highest at or below @pfn, which the leaf's
 * first pfn is: five steps to the last slot at or below it, whose range
 * (or, if the slot is free, the range below it) it is.
 */
static inline unsigned int leaf_floor(const struct iox_iova_leaf *l,
				      unsigned long pfn)
{
	unsigned int i;

	BUILD_BUG_ON(LSLOTS != 32);
	i = floor32(l->lo, pfn, 0);
	return __fls(l->used & below(i + 1));
}

static __always_inline void floor_path(const struct iox_iova_space *space,
				       unsigned long pfn,
				       struct iox_iova_path *path);

/**
 * iox_iova_tree_floor() - the range starting highest at or below a pfn
 * @space: the space, locked
 * @pfn: the pfn
 * @path: filled in: the range (there is one: a range starts at pfn 0)
 *
 * Context: space->lock held.
 */
void iox_iova_tree_floor(const struct iox_iova_space *space,
			 unsigned long pfn, struct iox_iova_path *path)
{
	floor_path(space, pfn, path);
}

/* iox_iova_tree_floor(), for the free path to inline. */
static __always_inline void floor_path(const struct iox_iova_space *space,
				       unsigned long pfn,
				       struct iox_iova_path *path)
{
	void *node = space->root;
	unsigned int level, i;

	/* No range starts at ULONG_MAX (the high end covers it). */
	pfn = min(pfn, ULONG_MAX - 1);
	for (level = space->height - 1; level; level--) {
		struct iox_iova_inner *n = node;

		i = inner_floor(n, pfn);
		path->in[level] = n;
		path->slot[level] = i;
		node = n->child[i];
	}
	path->leaf = node;
	path->pos = leaf_floor(node, pfn);
}

/**
 * iox_iova_tree_find() - the range starting at a pfn
 * @space: the space, locked
 * @pfn: its first pfn
 * @path: filled in: the range, or the one below @pfn
 *
 * Context: space->lock held.
 * Return: true if a range starts at @pfn.
 */
bool iox_iova_tree_find(const struct iox_iova_space *space,
			unsigned long pfn, struct iox_iova_path *path)
{
	iox_iova_tree_floor(space, pfn, path);
	return iox_iova_path_lo(path) == pfn;
}

/**
 * iox_iova_tree_prev() - step to the range below
 * @space: the space, locked
 * @path: a range; moved to the one below it
 *
 * Context: space->lock held.
 * Return: false if @path is at the lowest range (and stays there).
 */
bool iox_iova_tree_prev(const struct iox_iova_space *space,
			struct iox_iova_path *path)
{
	int p = leaf_below(path->leaf, path->pos);

	if (p >= 0) {
		path->pos = p;
		return true;
	}
	return prev_leaf(space, path);
}

/* ---- the search ---- */

/*
 * Place the request in the free run [lo, hi] as high as it goes: the range
 * ends at or below req->limit, the guard (if any) follows it inside the run,
 * the first pfn is aligned and the range crosses no boundary multiple.
 */
static bool try_gap(struct iox_iova_req *req, unsigned long lo,
		    unsigned long hi)
{
	unsigned long top, pfn, end;

	if (hi < lo || hi - lo < req->need - 1 || lo > req->limit)
		return false;
	/* The last pfn the range itself may use. */
	top = min(hi - (req->need - req->size), req->limit);
	if (top < lo || top - lo < req->size - 1)
		return false;
	pfn = (top - req->size + 1) & ~(req->align - 1);
	end = pfn + req->size - 1;
	if (req->boundary && ((pfn ^ end) & ~(req->boundary - 1))) {
		/*
		 * End just below the boundary multiple inside the range; with
		 * size <= boundary, aligning down cannot cross the one below.
		 */
		pfn = ((end & ~(req->boundary - 1)) - req->size) &
		      ~(req->align - 1);
	}
	if (pfn < lo)
		return false;
	req->pfn = pfn;
	return true;
}

/* How many children of @n start below @limit. */
static unsigned int inner_below(const struct iox_iova_inner *n,
				unsigned long limit)
{
	if (!limit || n->lo[0] >= limit)
		return 0;
	return inner_floor(n, limit - 1) + 1;
}

/* The slots of @l whose ranges end below @limit: all up to this one. */
static unsigned int leaf_below_limit(const struct iox_iova_leaf *l,
				     unsigned long limit)
{
	unsigned int i;

	if (!limit || l->lo[0] >= limit)
		return 0;
	i = leaf_floor(l, limit - 1);
	return l->hi[i] < limit ? i + 1 : i;
}

/*
 * Gaps from the highest down: in each interior node the highest child
 * whose largest gap reaches the threshold (and, with @check_limit, that
 * starts below the limit), in a leaf the highest range whose gap holds the
 * request. A node that has nothing sends the walk back to its parent's
 * next lower child.
 */
static __always_inline bool search(struct iox_iova_space *space,
				   struct iox_iova_req *req,
				   struct iox_iova_path *path,
				   bool check_limit)
{
	unsigned long thresh = req->thresh, need = req->need;
	unsigned long limit = req->limit;
	unsigned int level = space->height - 1;
	struct iox_iova_leaf *l;
	void *node = space->root;
	int i, end = -1;

	for (;;) {
		if (level) {
			struct iox_iova_inner *n = node;

			/* end < 0: a fresh node, whose largest gap is enough. */
			if (end < 0)
				end = check_limit ? inner_below(n, limit) :
						    ISLOTS;
			i = inner_find(n, end, thresh);
			if (i >= 0) {
				path->in[level] = n;
				path->slot[level] = i;
				node = n->child[i];
				level--;
				end = -1;
				continue;
			}
		} else {
			l = node;
			end = check_limit ? leaf_below_limit(l, limit) : LSLOTS;
			while ((i = leaf_find(l, end, need)) >= 0) {
				if (try_gap(req, l->hi[i] + 1,
					    l->hi[i] + l->t[i])) {
					path->leaf = l;
					path->pos = i;
					return true;
				}
				end = i;
			}
		}
		/* Nothing in this node: back to its parent, below it. */
		if (++level >= space->height)
			return false;
		node = path->in[level];
		end = path->slot[level];
	}
}

/*
 * The common request: no alignment, boundary or limit, so the threshold is
 * what the range and its guard take, and the highest gap of that size
 * takes it at its top. Straight down: every node reached has one.
 */
static __always_inline unsigned long
search_plain(struct iox_iova_space *space, unsigned long need,
	     struct iox_iova_path *path, bool pend)
{
	unsigned long pm = pend ? leaf_max(space->pend.leaf) : 0;
	void *node = space->root;
	struct iox_iova_leaf *l;
	unsigned int level, i;

	for (level = space->height - 1; level; level--) {
		struct iox_iova_inner *n = node;

		if (pend) {
			/*
			 * On the pending path: its child there has the pending
			 * leaf's gap too, which its record may lack.
			 */
			unsigned int s = space->pend.slot[level];
			int j = -1;

			if (need >= SMALL) {
				i = inner_max(n) >= need ?
				    inner_find(n, n->nr, need) : 0;
				if (pm >= need && s >= i)
					i = s;
				else
					pend = false;
			} else {
				/* A child above the path first, then the path. */
				if (s + 1 < n->nr && inner_max(n) >= need)
					j = codes_find_in(n->code.w, s + 1, n->nr,
							  need);
				if (j >= 0) {
					i = j;
					pend = false;
				} else if (pm >= need) {
					i = s;
				} else {
					i = inner_find(n, s + 1, need);
					pend = false;
				}
			}
		} else {
			i = inner_find(n, n->nr, need);
		}
		path->in[level] = n;
		path->slot[level] = i;
		node = n->child[i];
	}
	l = node;
	i = leaf_find(l, LSLOTS, need);
	path->leaf = l;
	path->pos = i;
	return l->hi[i] + l->t[i] - need + 1;
}

/*
 * Down from @node, a child at @level - 1 on @path (a node or, at level 1,
 * the leaf) known to hold a gap of @need (< IOX_IOVA_SMALL), to the
 * highest such gap, filling in @path: the first pfn of a range of @need
 * at the top of that gap.
 */
static __always_inline unsigned long descend_sure(struct iox_iova_path *path,
						  unsigned int level,
						  void *node,
						  unsigned long need)
{
	struct iox_iova_inner *n;
	struct iox_iova_leaf *l;
	unsigned int i;

	while (--level) {
		n = node;
		i = codes_find_sure(n->code.w, (n->nr + 7) / 8, need);
		path->in[level] = n;
		path->slot[level] = i;
		node = n->child[i];
	}
	l = node;
	i = codes_find_sure(l->code.w, LSLOTS / 8, need);
	path->leaf = l;
	path->pos = i;
	return l->hi[i] + l->t[i] - need + 1;
}

/**
 * iox_iova_tree_search() - the highest free place for a request
 * @space: the space, locked
 * @req: the request; req->thresh prunes subtrees whose largest gap is
 *	smaller
 * @path: filled in: the range whose gap takes the request
 *
 * With req->thresh large enough that any gap of that size fits the request
 * wherever it lies (need + align - 1), the first leaf reached has room
 * unless the limit cuts its gaps, and only the nodes straddling the limit
 * can send the walk back, once per level: O(log n). With a smaller
 * threshold the walk may try many gaps that alignment or the boundary make
 * unusable.
 *
 * Context: space->lock held.
 * Return: true with req->pfn and @path set, false if no gap fits.
 */
bool iox_iova_tree_search(struct iox_iova_space *space,
			  struct iox_iova_req *req, struct iox_iova_path *path)
{
	settle(space);
	if (space->max < req->thresh)
		return false;
	/* A limit at or above the end: every gap lies below it. */
	if (req->limit < space->end_pfn)
		return search(space, req, path, true);
	if (req->align == 1 && !req->boundary) {
		req->pfn = search_plain(space, req->need, path, false);
		return true;
	}
	return search(space, req, path, false);
}

/**
 * iox_iova_tree_alloc() - place a request and add its range
 * @space: the space, locked
 * @req: the request, req->thresh the first pass's threshold
 *
 * The search of iox_iova_tree_search(), with a second pass at threshold
 * req->need if the first finds nothing, and the insertion of
 * iox_iova_tree_insert_above(), in one.
 *
 * Context: space->lock held.
 * Return: 1 with req->pfn set; 0 if nothing fits; -EAGAIN if the range
 * would go into a full leaf and the space lacks the nodes for the splits
 * (the caller gets them and asks again).
 */
int iox_iova_tree_alloc(struct iox_iova_space *space, struct iox_iova_req *req)
{
	struct iox_iova_path path;

	if (!iox_iova_tree_search(space, req, &path)) {
		if (req->thresh == req->need)
			return 0;
		/* Only a smaller gap can do, if its alignment allows. */
		req->thresh = req->need;
		if (!iox_iova_tree_search(space, req, &path))
			return 0;
	}
	if (unlikely(iox_iova_tree_needs_nodes(space, &path)))
		return -EAGAIN;
	insert_above(space, &path, req->pfn, req->pfn + req->need - 1, false,
		     leaf_max(path.leaf));
	return 1;
}

/* iox_iova_tree_free(), inline for iox_iova_tree_free_one(). */
static __always_inline int free_range(struct iox_iova_space *space,
				      unsigned long pfn, unsigned long occupied,
				      struct iox_iova_chunk **garbage)
{
	struct iox_iova_path *path = &space->pend;
	struct iox_iova_leaf *l;
	unsigned int j;

	settle(space);
	floor_path(space, pfn, path);
	l = path->leaf;
	j = path->pos;
	/* The range at pfn 0 is reserved: it is refused here too. */
	if (unlikely(l->lo[j] != pfn || (l->resv & BIT(j)) ||
		     l->hi[j] - pfn + 1 != occupied))
		return -EINVAL;
	erase(space, path, garbage, true);
	return 0;
}

/**
 * iox_iova_tree_free() - remove an allocation
 * @space: the space, locked
 * @pfn: its first pfn
 * @occupied: its granules, a guard included
 * @garbage: as for iox_iova_tree_erase()
 *
 * Context: space->lock held.
 * Return: 0, or -EINVAL if no allocation of that size starts at @pfn
 * (nothing changed).
 */
int iox_iova_tree_free(struct iox_iova_space *space, unsigned long pfn,
		       unsigned long occupied, struct iox_iova_chunk **garbage)
{
	return free_range(space, pfn, occupied, garbage);
}

/**
 * iox_iova_tree_free_one() - remove an allocation and count it out
 * @space: the space, not locked
 * @pfn: its first pfn
 * @granules: its size, the guard not included
 *
 * iox_iova_tree_free() with the lock taken here and the space's count of
 * live ranges kept, so that a free is one function; a range that is not
 * an allocation of that size is reported (iox_iova_bad_free()).
 *
 * Context: Any context; takes space->lock.
 * Return: 0, or -EINVAL if no allocation of that size starts at @pfn
 * (nothing changed).
 */
int iox_iova_tree_free_one(struct iox_iova_space *space, unsigned long pfn,
			   unsigned long granules)
{
	struct iox_iova_chunk *garbage = NULL;
	unsigned long flags;
	int ret;

	raw_spin_lock_irqsave(&space->lock, flags);
	ret = free_range(space, pfn, granules + space->guard, &garbage);
	if (likely(!ret)) {
		space->alloc_ranges--;
		space->alloc_granules -= granules;
	}
	raw_spin_unlock_irqrestore(&space->lock, flags);
	iox_iova_chunks_free(garbage);
	if (unlikely(ret))
		return iox_iova_bad_free(space, pfn, granules);
	return 0;
}

/*
 * iox_iova_tree_alloc_plain() of a size without fingers (more than
 * IOX_IOVA_FINGERS granules): from the root.
 */
static noinline unsigned long alloc_plain_any(struct iox_iova_space *space,
					      unsigned long need)
{
	struct iox_iova_path path;
	unsigned long lo, old;

	if (likely(!space->pend_on)) {
		if (space->max < need)
			return 0;
		lo = search_plain(space, need, &path, false);
	} else {
		if (max(space->max, leaf_max(space->pend.leaf)) < need)
			return 0;
		lo = search_plain(space, need, &path, true);
		/* (The freed range's leaf is not full: no split there.) */
		if (path.leaf != space->pend.leaf)
			settle(space);
	}
	if (unlikely(iox_iova_tree_needs_nodes(space, &path)))
		return IOX_IOVA_AGAIN;
	old = leaf_max(path.leaf);
	if (space->pend_on) {
		/*
		 * The free before left the gap this takes from pending: the
		 * leaf's change is carried up from the stale record, both
		 * changes at once (usually none).
		 */
		old = path.in[1]->t[path.slot[1]];
		space->pend_on = false;
	}
	insert_above(space, &path, lo, lo + need - 1, false, old);
	return lo;
}

/*
 * The plain allocation with the growth of the free before pending, into
 * the finger @path of its size (@bit): down the pending path while no
 * child above it has the gap (the pending leaf has it then: the free's
 * gap usually is the highest fit again), else down from the first that
 * has, as search_plain().
 */
static noinline unsigned long alloc_plain_pend(struct iox_iova_space *space,
					       unsigned long need,
					       struct iox_iova_path *path,
					       u64 bit)
{
	const struct iox_iova_path *pend = &space->pend;
	unsigned long pm = leaf_max(pend->leaf), lo, old;
	unsigned int level = space->height - 1, s = 0;
	struct iox_iova_inner *n = NULL;
	struct iox_iova_leaf *l;
	void *node = space->root;
	int i;

	if (max(space->max, pm) < need)
		return 0;
	space->fingers |= bit;
	for (; level; level--) {
		n = node;
		s = pend->slot[level];
		i = -1;
		if (s + 1 < n->nr && iox_iova_fls64(n->sum.present) >= need)
			i = codes_find_in(n->code.w, s + 1, n->nr, need);
		if (i >= 0)
			goto off;
		if (pm < need) {
			/* The pending gap is too small: the records tell. */
			i = codes_find(n->code.w, s + 1, need);
			goto off;
		}
		path->in[level] = n;
		path->slot[level] = s;
		node = n->child[s];
	}
	/*
	 * The pending leaf: its change is carried up from the stale record,
	 * both changes at once (usually none). It lost a range: not full.
	 */
	lo = descend_sure(path, 1, node, need);
	l = path->leaf;
	old = space->height > 1 ? n->t[s] : leaf_max(l);
	space->pend_on = false;
	insert_above(space, path, lo, lo + need - 1, false, old);
	return lo;
off:
	path->in[level] = n;
	path->slot[level] = i;
	lo = descend_sure(path, level, n->child[i], need);
	l = path->leaf;
	settle(space);
	if (unlikely(iox_iova_tree_needs_nodes(space, path)))
		return IOX_IOVA_AGAIN;
	insert_above(space, path, lo, lo + need - 1, false, leaf_max(l));
	return lo;
}

/*
 * The plain allocation's place is in a full leaf: a split, the way of
 * iox_iova_tree_insert_above(), if the space has the nodes for it.
 */
static noinline unsigned long alloc_plain_insert(struct iox_iova_space *space,
						 struct iox_iova_path *path,
						 unsigned long lo,
						 unsigned long need)
{
	if (unlikely(iox_iova_tree_needs_nodes(space, path)))
		return IOX_IOVA_AGAIN;
	insert_above(space, path, lo, lo + need - 1, false,
		     leaf_max(path->leaf));
	return lo;
}

/* The owner's gap was one the tournament holds: now @gap, the full way. */
static noinline void alloc_plain_big(struct iox_iova_space *space,
				     const struct iox_iova_path *path,
				     unsigned long gap)
{
	struct iox_iova_leaf *l = path->leaf;
	unsigned long old = leaf_max(l);

	leaf_set(l, path->pos, gap);
	leaf_changed(space, path, old);
}

/*
 * The plain allocation of @need granules at the top of the gap of the
 * range @path leads to: into the free slot below the next range, the
 * owner's gap shrinking by @need, and the leaf's largest gap carried up if
 * that was the last gap of its code. Returns the first pfn, or
 * IOX_IOVA_AGAIN.
 */
static __always_inline unsigned long alloc_plain_put(struct iox_iova_space *space,
						     struct iox_iova_path *path,
						     unsigned long need)
{
	struct iox_iova_leaf *l = path->leaf;
	unsigned int o = path->pos, s, co, cv, top;
	unsigned long lo, gap;
	u32 up;

	lo = l->hi[o] + l->t[o] - need + 1;
	up = l->used >> o >> 1;
	if (unlikely((up & 1) || o == LSLOTS - 1)) {
		/* No free slot right above the owner: make one, or split. */
		if (unlikely(!~l->used))
			return alloc_plain_insert(space, path, lo, need);
		o = leaf_open_above(l, o);
		path->pos = o;
		s = o + 1;
	} else {
		/* The free slot below the next range, or the last slot. */
		s = __ffs(up | BIT(LSLOTS - 1 - o)) + o;
	}
	l->lo[s] = lo;
	l->hi[s] = lo + need - 1;
	l->used |= BIT(s);
	l->nr++;
	/*
	 * The range took the top of the owner's gap, so it has none of its
	 * own, and its slot had none.
	 */
	gap = l->t[o] - need;
	co = l->code.b[iox_iova_code_at(o)];
	if (unlikely(co == SMALL)) {
		alloc_plain_big(space, path, gap);
		return lo;
	}
	cv = gap_code(gap);
	l->t[o] = gap;
	l->code.b[iox_iova_code_at(o)] = cv;
	l->sum.count[cv]++;
	l->sum.present |= BIT_ULL(cv);
	if (!--l->sum.count[co]) {
		/* The last gap of its code: was it the leaf's largest? */
		top = iox_iova_fls64(l->sum.present);
		l->sum.present &= ~BIT_ULL(co);
		if (top == co)
			lower_up(space, path, co, iox_iova_fls64(l->sum.present));
	}
	return lo;
}

/*
 * The finger @path of @need granules has no gap of that size in its leaf
 * nor in the leaves after it, and the next ones before it under its parent
 * have none either: up to the lowest ancestor with one below the path
 * (there is one, the space's largest gap being enough) and down again.
 */
static noinline void search_finger_up(struct iox_iova_path *path,
				      unsigned long need)
{
	struct iox_iova_inner *n;
	unsigned int level;
	int i;

	for (level = 2;; level++) {
		n = path->in[level];
		i = inner_find(n, path->slot[level], need);
		if (i >= 0)
			break;
	}
	path->slot[level] = i;
	descend_sure(path, level, n->child[i], need);
}

/*
 * search_plain() from the finger of @need granules (which holds: no range
 * after its leaf has a gap of @need): the highest such gap is in the leaf,
 * or in the next leaf before it with one under the same parent (the
 * common case), or below it in the subtree of the lowest ancestor that has
 * one below the path. O(log n). The finger becomes the path to the gap.
 */
static __always_inline void search_finger(struct iox_iova_path *path,
					  unsigned long need)
{
	struct iox_iova_leaf *l = path->leaf;
	struct iox_iova_inner *n;
	int i;

	/* need < SMALL: the highest code present says whether it fits. */
	if (iox_iova_fls64(l->sum.present) < need) {
		/* Not in the leaf, so the leaf is not the root. */
		n = path->in[1];
		i = codes_find(n->code.w, path->slot[1], need);
		if (unlikely(i < 0)) {
			search_finger_up(path, need);
			return;
		}
		path->slot[1] = i;
		l = n->child[i];
		path->leaf = l;
	}
	path->pos = codes_find_sure(l->code.w, LSLOTS / 8, need);
}

/* search_plain() from the root into a finger (no inlining: it is rare). */
static noinline void search_root(struct iox_iova_space *space,
				 unsigned long need, struct iox_iova_path *path)
{
	search_plain(space, need, path, false);
}

/*
 * The plain allocation of @need granules with the lock held, into the
 * finger of its size: from the finger when it holds and nothing is
 * pending, else from the root. Returns the first pfn, 0 if nothing fits,
 * or IOX_IOVA_AGAIN.
 */
static __always_inline unsigned long alloc_plain(struct iox_iova_space *space,
						 unsigned long need)
{
	struct iox_iova_path *path;
	u64 bit;

	if (unlikely(need > IOX_IOVA_FINGERS))
		return alloc_plain_any(space, need);
	path = &space->finger[need - 1];
	bit = BIT_ULL(need - 1);
	if (unlikely(space->pend_on))
		return alloc_plain_pend(space, need, path, bit);
	if (unlikely(space->max < need))
		return 0;
	if (likely(space->fingers & bit)) {
		search_finger(path, need);
	} else {
		search_root(space, need, path);
		/* The highest gap of that size: the finger holds now. */
		space->fingers |= bit;
	}
	return alloc_plain_put(space, path, need);
}

/* The place wants nodes the space lacks: get them and look again. */
static noinline unsigned long alloc_plain_nodes(struct iox_iova_space *space,
						unsigned long need,
						unsigned long *flags)
	__must_hold(&space->lock)
{
	unsigned long pfn;

	do {
		if (!iox_iova_nodes_get(space, flags))
			return 0;
		pfn = alloc_plain(space, need);
	} while (pfn == IOX_IOVA_AGAIN);
	return pfn;
}

/**
 * iox_iova_tree_alloc_plain() - allocate a range where it fits highest
 * @space: the space, not locked
 * @granules: size of the range, 1 .. space->end_pfn; no alignment,
 *	boundary or limit inside the space
 *
 * The highest gap of @granules and the guard takes the range at its top.
 * The lock is taken here, so that the common allocation is one function.
 *
 * Context: Any context; takes space->lock, allocates with GFP_ATOMIC.
 * Return: the range's first pfn, or 0 if nothing fits or memory ran out.
 */
unsigned long iox_iova_tree_alloc_plain(struct iox_iova_space *space,
					unsigned long granules)
{
	unsigned long flags, pfn, need = granules + space->guard;

	raw_spin_lock_irqsave(&space->lock, flags);
	pfn = alloc_plain(space, need);
	if (unlikely(pfn == IOX_IOVA_AGAIN))
		pfn = alloc_plain_nodes(space, need, &flags);
	if (likely(pfn)) {
		space->alloc_ranges++;
		space->alloc_granules += granules;
	}
	raw_spin_unlock_irqrestore(&space->lock, flags);
	return pfn;
}
