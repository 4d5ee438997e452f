// SPDX-License-Identifier: GPL-2.0
/*
 * The IOVA allocator's per-CPU caches: freed ranges of power-of-two sizes
 * are kept in per-CPU magazines (stacks of pfns) and handed out again
 * without touching the tree, with a bounded depot of full magazines shared
 * by all CPUs behind them. The idea is the magazine layer of Bonwick's
 * slab allocator as Linux's iova.c applies it (rcaches); iox serves sizes
 * up to 1 MiB of granules and more (Linux stops at 128 KiB).
 *
 * Memory is bounded: per CPU two magazines per size, in the depot at most
 * IOX_IOVA_DEPOT_MAX per size; what does not fit goes back to the tree.
 * Magazines are allocated on first use, with GFP_ATOMIC and no lock held.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include "iova-priv.h"

const struct iox_iova_mag iox_iova_no_mag;

/*
 * Cached sizes are powers of two; the order is log2 of the size rounded
 * up, for 1 <= @granules <= space->cache_max: the highest bit of
 * 2 * @granules - 1.
 */
static inline unsigned long size_order(unsigned long granules)
{
	return __fls(2 * granules - 1);
}

/* The first entry at or below the top of @mag whose range ends <= @limit. */
static bool mag_pop(struct iox_iova_mag *mag, unsigned long size,
		    unsigned long limit, unsigned long *pfn)
{
	unsigned int i = mag->nr, top;

	while (i--) {
		if (mag->pfns[i] + size - 1 <= limit) {
			*pfn = mag->pfns[i];
			top = --mag->nr;
			mag->pfns[i] = mag->pfns[top];
			return true;
		}
	}
	return false;
}

static struct iox_iova_mag *mag_alloc(void)
{
	struct iox_iova_mag *mag = kmalloc(sizeof(*mag), GFP_ATOMIC |
					   __GFP_NOWARN);

	if (mag) {
		mag->next = NULL;
		mag->nr = 0;
		mag->cap = IOX_IOVA_MAG_SIZE;
	}
	return mag;
}

/* Empty @mag into the tree and free it; returns the granules freed. */
static unsigned long mag_flush(struct iox_iova_space *space,
			       struct iox_iova_mag *mag, unsigned int order,
			       unsigned long *ranges)
{
	unsigned long freed = 0;

	if (mag == IOX_IOVA_NO_MAG)
		return 0;
	if (mag->nr) {
		freed = iox_iova_free_many(space, mag->pfns, mag->nr,
					   1UL << order);
		if (ranges)
			*ranges += mag->nr;
	}
	kfree(mag);
	return freed;
}

/* Give a full magazine to the depot; false if the depot is full. */
static bool depot_push(struct iox_iova_space *space, unsigned int order,
		       struct iox_iova_mag *mag)
{
	struct iox_iova_depot *d = &space->depot;
	unsigned long flags;
	bool ok;

	raw_spin_lock_irqsave(&d->lock, flags);
	ok = d->nr_full[order] < IOX_IOVA_DEPOT_MAX;
	if (ok) {
		mag->next = d->full[order];
		d->full[order] = mag;
		d->nr_full[order]++;
	}
	raw_spin_unlock_irqrestore(&d->lock, flags);
	return ok;
}

static struct iox_iova_mag *depot_pop(struct iox_iova_space *space,
				      unsigned int order)
{
	struct iox_iova_depot *d = &space->depot;
	struct iox_iova_mag *mag;
	unsigned long flags;

	raw_spin_lock_irqsave(&d->lock, flags);
	mag = d->full[order];
	if (mag) {
		d->full[order] = mag->next;
		d->nr_full[order]--;
	}
	raw_spin_unlock_irqrestore(&d->lock, flags);
	return mag;
}

/*
 * Put @mag (a real one) in as this CPU's loaded magazine if that one is
 * empty (which then stays as the previous one, for the frees to come), or
 * as the previous one if that is empty; what cannot be kept goes to the
 * depot (if full) or the tree.
 */
static void mag_install(struct iox_iova_space *space, unsigned int order,
			struct iox_iova_mag *mag)
{
	struct iox_iova_mag *loaded, *prev, *old;
	struct iox_iova_cpu *cpu;
	unsigned long flags;

	cpu = raw_cpu_ptr(space->cpu);
	raw_spin_lock_irqsave(&cpu->lock, flags);
	loaded = cpu->loaded[order];
	prev = cpu->prev[order];
	if (!loaded->nr) {
		cpu->loaded[order] = mag;
		old = loaded;
		if (loaded != IOX_IOVA_NO_MAG && !prev->nr) {
			cpu->prev[order] = loaded;
			old = prev;
		}
	} else if (!prev->nr) {
		cpu->prev[order] = mag;
		old = prev;
	} else {
		old = mag;
	}
	raw_spin_unlock_irqrestore(&cpu->lock, flags);
	if (old == IOX_IOVA_NO_MAG)
		return;
	if (old->nr != old->cap || !depot_push(space, order, old))
		mag_flush(space, old, order, NULL);
}

/* The loaded magazine came up empty: try the depot. */
static unsigned long alloc_from_depot(struct iox_iova_space *space,
				      unsigned int order, unsigned long limit)
{
	struct iox_iova_mag *mag = depot_pop(space, order);
	unsigned long pfn = 0;

	if (!mag)
		return 0;
	if (!mag_pop(mag, 1UL << order, limit, &pfn)) {
		if (!depot_push(space, order, mag))
			mag_flush(space, mag, order, NULL);
		return 0;
	}
	mag_install(space, order, mag);
	return pfn;
}

/* A size the caches do not serve: the tree, size-aligned, or nothing. */
static unsigned long alloc_uncached(struct iox_iova_space *space,
				    unsigned long granules,
				    unsigned long limit)
{
	unsigned int order = fls_long(granules - 1);
	unsigned long pfn;

	if (!granules || order >= BITS_PER_LONG)
		return 0;
	pfn = iox_iova_alloc(space, granules, limit, 1UL << order, 0);
	if (!pfn && space->cpu && iox_iova_cache_drain(space, NULL))
		pfn = iox_iova_alloc(space, granules, limit, 1UL << order, 0);
	return pfn;
}

/*
 * A range the caches took from the tree, which may be freed into them:
 * raise space->cache_hi to its end. Before the range is handed out, so
 * whoever later finds it in a magazine (under that CPU's lock, which its
 * free took) sees the mark too.
 */
static void note_tree_range(struct iox_iova_space *space, unsigned long last)
{
	unsigned long old = READ_ONCE(space->cache_hi), seen;

	while (last > old) {
		seen = cmpxchg(&space->cache_hi, old, last);
		if (seen == old)
			break;
		old = seen;
	}
}

/*
 * Everything the fast path does not serve: sizes the caches do not hold,
 * limits below some cached range (each entry is checked against them), a
 * contended lock (another CPU draining) and an empty loaded magazine.
 */
static noinline unsigned long alloc_slow(struct iox_iova_space *space,
					 unsigned long granules,
					 unsigned long limit)
{
	unsigned long size, flags, pfn;
	struct iox_iova_mag *mag, *prev;
	struct iox_iova_cpu *cpu;
	unsigned int order;

	if (granules - 1 >= space->cache_max)
		return alloc_uncached(space, granules, limit);
	order = size_order(granules);
	size = 1UL << order;
	cpu = raw_cpu_ptr(space->cpu);
	raw_spin_lock_irqsave(&cpu->lock, flags);
	mag = cpu->loaded[order];
	prev = cpu->prev[order];
	if (mag_pop(mag, size, limit, &pfn)) {
		raw_spin_unlock_irqrestore(&cpu->lock, flags);
		return pfn;
	}
	if (mag_pop(prev, size, limit, &pfn)) {
		cpu->loaded[order] = prev;
		cpu->prev[order] = mag;
		raw_spin_unlock_irqrestore(&cpu->lock, flags);
		return pfn;
	}
	raw_spin_unlock_irqrestore(&cpu->lock, flags);

	pfn = alloc_from_depot(space, order, limit);
	if (pfn)
		return pfn;
	pfn = iox_iova_alloc(space, size, limit, size, 0);
	if (!pfn && iox_iova_cache_drain(space, NULL))
		pfn = iox_iova_alloc(space, size, limit, size, 0);
	if (pfn)
		note_tree_range(space, pfn + size - 1);
	return pfn;
}

/**
 * iox_iova_alloc_fast() - allocate a size-aligned range, from the caches
 * @space: the space
 * @granules: size, at least 1; rounded up to a power of two if the caches
 *	serve it (up to 1 MiB worth of granules, at least 256 granules)
 * @limit_pfn: the range's last pfn must not exceed this
 *
 * The range is aligned to its size rounded up to a power of two (Linux's
 * convention). A range freed with iox_iova_free_fast() on this CPU is
 * reused first, then one from the shared depot, then the tree is asked
 * (iox_iova_alloc()); if that fails too, every cache is emptied into the
 * tree and the tree asked once more.
 *
 * Context: Any context; takes spinlocks and may allocate with GFP_ATOMIC.
 * Return: the first pfn, or 0 if no range fits.
 */
unsigned long iox_iova_alloc_fast(struct iox_iova_space *space,
				  unsigned long granules,
				  unsigned long limit_pfn)
{
	struct iox_iova_cpu *cpu;
	struct iox_iova_mag *mag;
	unsigned long flags, pfn;
	unsigned int nr;

	if (unlikely(granules - 1 >= space->cache_max))
		return alloc_slow(space, granules, limit_pfn);
	cpu = raw_cpu_ptr(space->cpu);
	if (unlikely(!raw_spin_trylock_irqsave(&cpu->lock, flags)))
		return alloc_slow(space, granules, limit_pfn);
	mag = cpu->loaded[size_order(granules)];
	nr = mag->nr;
	/* A limit no cached range exceeds needs no per-entry test. */
	if (unlikely(!nr || limit_pfn < READ_ONCE(space->cache_hi))) {
		raw_spin_unlock_irqrestore(&cpu->lock, flags);
		return alloc_slow(space, granules, limit_pfn);
	}
	mag->nr = --nr;
	pfn = mag->pfns[nr];
	raw_spin_unlock_irqrestore(&cpu->lock, flags);
	return pfn;
}
EXPORT_SYMBOL_GPL(iox_iova_alloc_fast);

/*
 * The loaded magazine is full or unused, or the lock contended: make
 * room, then push @pfn.
 */
static noinline void free_slow(struct iox_iova_space *space,
			       unsigned int order, unsigned long pfn)
{
	struct iox_iova_cpu *cpu = raw_cpu_ptr(space->cpu);
	struct iox_iova_mag *mag, *prev, *fresh;
	unsigned long flags;

	raw_spin_lock_irqsave(&cpu->lock, flags);
	mag = cpu->loaded[order];
	prev = cpu->prev[order];
	if (mag->nr < mag->cap)
		goto push;
	if (prev->nr < prev->cap) {
		cpu->loaded[order] = prev;
		cpu->prev[order] = mag;
		mag = prev;
		goto push;
	}
	cpu->loaded[order] = IOX_IOVA_NO_MAG;
	raw_spin_unlock_irqrestore(&cpu->lock, flags);

	/* mag is full, or no magazine yet. */
	fresh = mag_alloc();
	if (mag == IOX_IOVA_NO_MAG) {
		mag = fresh;
	} else if (fresh && depot_push(space, order, mag)) {
		mag = fresh;
	} else {
		iox_iova_free_many(space, mag->pfns, mag->nr, 1UL << order);
		mag->nr = 0;
		kfree(fresh);
	}
	if (!mag) {
		/* No magazine to be had: the range goes back to the tree. */
		iox_iova_free_many(space, &pfn, 1, 1UL << order);
		return;
	}
	mag->pfns[mag->nr++] = pfn;
	mag_install(space, order, mag);
	return;
push:
	mag->pfns[mag->nr++] = pfn;
	raw_spin_unlock_irqrestore(&cpu->lock, flags);
}

/**
 * iox_iova_free_fast() - give back a range from iox_iova_alloc_fast()
 * @space: the space
 * @pfn: the first pfn iox_iova_alloc_fast() returned
 * @granules: the size it was asked for (before rounding)
 *
 * The range goes to this CPU's cache (or to the tree if its size is not
 * cached). The caches trust the caller: a range that was not allocated, or
 * is freed twice, is detected (and reported like a bad iox_iova_free())
 * only when it leaves the cache for the tree. Even pfn 0 is taken, and an
 * allocation that pops it reports failure.
 *
 * Context: Any context; takes spinlocks and may allocate with GFP_ATOMIC.
 */
void iox_iova_free_fast(struct iox_iova_space *space, unsigned long pfn,
			unsigned long granules)
{
	unsigned long flags, order;
	struct iox_iova_cpu *cpu;
	struct iox_iova_mag *mag;
	unsigned int nr;

	if (unlikely(granules - 1 >= space->cache_max)) {
		/* Not cached; the tree reports a bad range. */
		iox_iova_free(space, pfn, granules);
		return;
	}
	order = size_order(granules);
	cpu = raw_cpu_ptr(space->cpu);
	if (unlikely(!raw_spin_trylock_irqsave(&cpu->lock, flags)))
		return free_slow(space, order, pfn);
	mag = cpu->loaded[order];
	nr = mag->nr;
	if (unlikely(nr >= mag->cap)) {
		raw_spin_unlock_irqrestore(&cpu->lock, flags);
		return free_slow(space, order, pfn);
	}
	mag->pfns[nr] = pfn;
	mag->nr = nr + 1;
	raw_spin_unlock_irqrestore(&cpu->lock, flags);
}
EXPORT_SYMBOL_GPL(iox_iova_free_fast);

/**
 * iox_iova_cache_init() - set up a space's per-CPU caches
 * @space: the space, not yet shared
 *
 * Context: Process context; may sleep.
 * Return: 0 or -ENOMEM.
 */
int iox_iova_cache_init(struct iox_iova_space *space)
{
	unsigned int cpu, orders, order;

	space->cpu = alloc_percpu(struct iox_iova_cpu);
	if (!space->cpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct iox_iova_cpu *c = per_cpu_ptr(space->cpu, cpu);

		raw_spin_lock_init(&c->lock);
		for (order = 0; order < IOX_IOVA_MAX_ORDERS; order++) {
			c->loaded[order] = IOX_IOVA_NO_MAG;
			c->prev[order] = IOX_IOVA_NO_MAG;
		}
	}
	/* Sizes up to 1 MiB of granules, and at least up to 256 granules. */
	orders = max(20 - (int)space->granule_shift, 8) + 1;
	space->cache_orders = min_t(unsigned int, orders, IOX_IOVA_MAX_ORDERS);
	space->cache_max = 1UL << (space->cache_orders - 1);
	return 0;
}

/**
 * iox_iova_cache_drain() - return every cached range to the tree
 * @space: the space, with caches
 * @ranges: if not NULL, gets the number of ranges returned
 *
 * Context: Any context; takes spinlocks.
 * Return: the granules returned.
 */
unsigned long iox_iova_cache_drain(struct iox_iova_space *space,
				   unsigned long *ranges)
{
	struct iox_iova_depot *d = &space->depot;
	unsigned long flags, freed = 0, nr = 0;
	struct iox_iova_mag *mag, *prev, *list;
	unsigned int cpu, order;

	for_each_possible_cpu(cpu) {
		struct iox_iova_cpu *c = per_cpu_ptr(space->cpu, cpu);

		for (order = 0; order < space->cache_orders; order++) {
			raw_spin_lock_irqsave(&c->lock, flags);
			mag = c->loaded[order];
			prev = c->prev[order];
			c->loaded[order] = IOX_IOVA_NO_MAG;
			c->prev[order] = IOX_IOVA_NO_MAG;
			raw_spin_unlock_irqrestore(&c->lock, flags);
			freed += mag_flush(space, mag, order, &nr);
			freed += mag_flush(space, prev, order, &nr);
		}
	}
	for (order = 0; order < space->cache_orders; order++) {
		raw_spin_lock_irqsave(&d->lock, flags);
		list = d->full[order];
		d->full[order] = NULL;
		d->nr_full[order] = 0;
		raw_spin_unlock_irqrestore(&d->lock, flags);
		while (list) {
			mag = list;
			list = mag->next;
			freed += mag_flush(space, mag, order, &nr);
		}
	}
	if (ranges)
		*ranges = nr;
	return freed;
}

/**
 * iox_iova_cache_count() - ranges held by the caches
 * @space: the space, with caches
 * @ranges: gets the number of ranges
 * @granules: gets their granules
 *
 * Context: Any context; takes spinlocks.
 */
void iox_iova_cache_count(struct iox_iova_space *space,
			  unsigned long *ranges, unsigned long *granules)
{
	struct iox_iova_depot *d = &space->depot;
	unsigned long flags, r = 0, g = 0, n;
	struct iox_iova_mag *mag;
	unsigned int cpu, order;

	for_each_possible_cpu(cpu) {
		struct iox_iova_cpu *c = per_cpu_ptr(space->cpu, cpu);

		raw_spin_lock_irqsave(&c->lock, flags);
		for (order = 0; order < space->cache_orders; order++) {
			n = c->loaded[order]->nr + c->prev[order]->nr;
			r += n;
			g += n << order;
		}
		raw_spin_unlock_irqrestore(&c->lock, flags);
	}
	raw_spin_lock_irqsave(&d->lock, flags);
	for (order = 0; order < space->cache_orders; order++) {
		for (mag = d->full[order]; mag; mag = mag->next) {
			r += mag->nr;
			g += mag->nr << order;
		}
	}
	raw_spin_unlock_irqrestore(&d->lock, flags);
	*ranges = r;
	*granules = g;
}

/**
 * iox_iova_cache_destroy() - free the caches, dropping what they hold
 * @space: the space, no longer used
 *
 * Context: Process context.
 */
void iox_iova_cache_destroy(struct iox_iova_space *space)
{
	struct iox_iova_mag *mag;
	unsigned int cpu, order;

	if (!space->cpu)
		return;
	for_each_possible_cpu(cpu) {
		struct iox_iova_cpu *c = per_cpu_ptr(space->cpu, cpu);

		for (order = 0; order < IOX_IOVA_MAX_ORDERS; order++) {
			if (c->loaded[order] != IOX_IOVA_NO_MAG)
				kfree(c->loaded[order]);
			if (c->prev[order] != IOX_IOVA_NO_MAG)
				kfree(c->prev[order]);
		}
	}
	for (order = 0; order < IOX_IOVA_MAX_ORDERS; order++) {
		while ((mag = space->depot.full[order])) {
			space->depot.full[order] = mag->next;
			kfree(mag);
		}
	}
	free_percpu(space->cpu);
	space->cpu = NULL;
}
