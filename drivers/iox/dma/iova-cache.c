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

/*
 * Cached sizes are powers of two; the order is log2 of the size rounded
 * up. 0 granules gives BITS_PER_LONG, which no cache serves.
 */
static inline unsigned int size_order(unsigned long granules)
{
	return fls_long(granules - 1);
}

/* The first entry at or below the top of @mag whose range ends <= @limit. */
static bool mag_pop(struct iox_iova_mag *mag, unsigned long size,
		    unsigned long limit, unsigned long *pfn)
{
	unsigned long i = mag->nr, top;

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
	}
	return mag;
}

/* Empty @mag into the tree and free it; returns the granules freed. */
static unsigned long mag_flush(struct iox_iova_space *space,
			       struct iox_iova_mag *mag, unsigned int order,
			       unsigned long *ranges)
{
	unsigned long freed = 0;

	if (!mag)
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
 * Put @mag (not full) back as this CPU's loaded or previous magazine if
 * one of those is missing or empty; whatever cannot be kept goes to the
 * depot or the tree.
 */
static void mag_install(struct iox_iova_space *space, unsigned int order,
			struct iox_iova_mag *mag)
{
	struct iox_iova_cpu *cpu;
	struct iox_iova_cpu_mags *m;
	struct iox_iova_mag *old = NULL;
	unsigned long flags;

	cpu = raw_cpu_ptr(space->cpu);
	raw_spin_lock_irqsave(&cpu->lock, flags);
	m = &cpu->mags[order];
	if (!m->loaded) {
		m->loaded = mag;
	} else if (!m->loaded->nr) {
		old = m->loaded;
		m->loaded = mag;
	} else if (!m->prev) {
		m->prev = mag;
	} else if (!m->prev->nr) {
		old = m->prev;
		m->prev = mag;
	} else {
		old = mag;
	}
	raw_spin_unlock_irqrestore(&cpu->lock, flags);
	if (!old)
		return;
	if (old->nr != IOX_IOVA_MAG_SIZE || !depot_push(space, order, old))
		mag_flush(space, old, order, NULL);
}

/* The fast path missed: try the depot. */
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
static noinline unsigned long alloc_uncached(struct iox_iova_space *space,
					     unsigned long granules,
					     unsigned long limit)
{
	unsigned int order = size_order(granules);
	unsigned long pfn;

	if (!granules || order >= BITS_PER_LONG)
		return 0;
	pfn = iox_iova_alloc(space, granules, limit, 1UL << order, 0);
	if (!pfn && space->cpu && iox_iova_cache_drain(space, NULL))
		pfn = iox_iova_alloc(space, granules, limit, 1UL << order, 0);
	return pfn;
}

/* The loaded magazine had nothing below the limit: look further. */
static noinline unsigned long alloc_slow(struct iox_iova_space *space,
					 unsigned int order,
					 unsigned long limit)
{
	unsigned long size = 1UL << order, flags, pfn;
	struct iox_iova_cpu *cpu = raw_cpu_ptr(space->cpu);
	struct iox_iova_cpu_mags *m;
	struct iox_iova_mag *mag;

	raw_spin_lock_irqsave(&cpu->lock, flags);
	m = &cpu->mags[order];
	mag = m->loaded;
	if (mag && mag_pop(mag, size, limit, &pfn)) {
		raw_spin_unlock_irqrestore(&cpu->lock, flags);
		return pfn;
	}
	if (m->prev && mag_pop(m->prev, size, limit, &pfn)) {
		m->loaded = m->prev;
		m->prev = mag;
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
	unsigned int order = size_order(granules);
	struct iox_iova_cpu *cpu;
	struct iox_iova_mag *mag;
	unsigned long flags, pfn;

	if (unlikely(order >= space->cache_orders))
		return alloc_uncached(space, granules, limit_pfn);
	cpu = raw_cpu_ptr(space->cpu);
	/* Contended (another CPU draining): the slow path waits. */
	if (unlikely(!raw_spin_trylock_irqsave(&cpu->lock, flags)))
		return alloc_slow(space, order, limit_pfn);
	mag = cpu->mags[order].loaded;
	if (likely(mag && mag->nr)) {
		pfn = mag->pfns[mag->nr - 1];
		if (likely(pfn + (1UL << order) - 1 <= limit_pfn)) {
			mag->nr--;
			raw_spin_unlock_irqrestore(&cpu->lock, flags);
			return pfn;
		}
	}
	raw_spin_unlock_irqrestore(&cpu->lock, flags);
	return alloc_slow(space, order, limit_pfn);
}
EXPORT_SYMBOL_GPL(iox_iova_alloc_fast);

/* The loaded magazine is full or missing: make room, then push @pfn. */
static noinline void free_slow(struct iox_iova_space *space,
			       unsigned int order, unsigned long pfn)
{
	struct iox_iova_cpu *cpu = raw_cpu_ptr(space->cpu);
	struct iox_iova_mag *mag, *fresh;
	struct iox_iova_cpu_mags *m;
	unsigned long flags;

	raw_spin_lock_irqsave(&cpu->lock, flags);
	m = &cpu->mags[order];
	mag = m->loaded;
	if (mag && mag->nr < IOX_IOVA_MAG_SIZE) {
		/* Room after all (an interrupt on this CPU took some). */
		mag->pfns[mag->nr++] = pfn;
		raw_spin_unlock_irqrestore(&cpu->lock, flags);
		return;
	}
	if (m->prev && m->prev->nr < IOX_IOVA_MAG_SIZE) {
		m->loaded = m->prev;
		m->prev = mag;
		m->loaded->pfns[m->loaded->nr++] = pfn;
		raw_spin_unlock_irqrestore(&cpu->lock, flags);
		return;
	}
	m->loaded = NULL;
	raw_spin_unlock_irqrestore(&cpu->lock, flags);

	fresh = mag_alloc();
	if (mag && mag->nr == IOX_IOVA_MAG_SIZE) {
		if (fresh && depot_push(space, order, mag)) {
			mag = fresh;
			fresh = NULL;
		} else {
			iox_iova_free_many(space, mag->pfns, mag->nr,
					   1UL << order);
			mag->nr = 0;
		}
	} else if (!mag) {
		mag = fresh;
		fresh = NULL;
	}
	kfree(fresh);
	if (!mag) {
		/* No magazine to be had: the range goes back to the tree. */
		iox_iova_free_many(space, &pfn, 1, 1UL << order);
		return;
	}
	mag->pfns[mag->nr++] = pfn;
	mag_install(space, order, mag);
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
 * only when it leaves the cache for the tree.
 *
 * Context: Any context; takes spinlocks and may allocate with GFP_ATOMIC.
 */
void iox_iova_free_fast(struct iox_iova_space *space, unsigned long pfn,
			unsigned long granules)
{
	unsigned int order = size_order(granules);
	struct iox_iova_cpu *cpu;
	struct iox_iova_mag *mag;
	unsigned long flags;

	if (unlikely(!pfn || order >= space->cache_orders)) {
		/* Not cached; the tree reports a bad range. */
		iox_iova_free(space, pfn, granules);
		return;
	}
	cpu = raw_cpu_ptr(space->cpu);
	if (unlikely(!raw_spin_trylock_irqsave(&cpu->lock, flags)))
		return free_slow(space, order, pfn);
	mag = cpu->mags[order].loaded;
	if (likely(mag && mag->nr < IOX_IOVA_MAG_SIZE)) {
		mag->pfns[mag->nr++] = pfn;
		raw_spin_unlock_irqrestore(&cpu->lock, flags);
		return;
	}
	raw_spin_unlock_irqrestore(&cpu->lock, flags);
	return free_slow(space, order, pfn);
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
	unsigned int cpu, orders;

	/* Sizes up to 1 MiB of granules, and at least up to 256 granules. */
	orders = max(20 - (int)space->granule_shift, 8) + 1;
	space->cache_orders = min_t(unsigned int, orders, IOX_IOVA_MAX_ORDERS);
	space->cpu = alloc_percpu(struct iox_iova_cpu);
	if (!space->cpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		raw_spin_lock_init(&per_cpu_ptr(space->cpu, cpu)->lock);
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
			mag = c->mags[order].loaded;
			prev = c->mags[order].prev;
			c->mags[order].loaded = NULL;
			c->mags[order].prev = NULL;
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
			n = 0;
			if (c->mags[order].loaded)
				n += c->mags[order].loaded->nr;
			if (c->mags[order].prev)
				n += c->mags[order].prev->nr;
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
			kfree(c->mags[order].loaded);
			kfree(c->mags[order].prev);
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
