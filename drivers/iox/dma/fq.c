// SPDX-License-Identifier: GPL-2.0
/*
 * iox DMA-API backend: the flush queue of lazy (IOX_DOMAIN_DMA_FQ) domains.
 *
 * An unmap clears the page-table entries at once but leaves the IOTLB
 * invalidation for later: the range (and the table pages the unmap
 * unlinked) waits in the unmapping CPU's ring. One whole-domain
 * invalidation then covers many unmaps; it happens when a ring is full,
 * when the timer fires, or on iox_dma_flush(). Until it has completed, the
 * device may still reach the old pages through stale IOTLB entries, so the
 * IOVA is not reused and the table pages are not freed before then:
 * every entry records the flush generation it was queued in and is
 * released only once a flush started later has finished.
 */
#define pr_fmt(fmt) "iox-dma: " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/device.h>
#include <linux/jiffies.h>
#include "dma-priv.h"

static unsigned long dma_fq_timeout_ms = IOX_DMA_FQ_TIMEOUT_MS;
module_param(dma_fq_timeout_ms, ulong, 0644);
MODULE_PARM_DESC(dma_fq_timeout_ms,
		 "Longest delay of a lazy DMA domain's invalidation, in ms (default 10)");

static unsigned int iox_dma_fq_next(unsigned int i)
{
	return (i + 1) % IOX_DMA_FQ_SIZE;
}

/*
 * Invalidate the whole domain: every entry queued before is covered.
 * Flushes are serialised, so when one has finished, every entry queued
 * before it started is releasable.
 */
static void iox_dma_fq_flush_iotlb(struct iox_dma_dev *dd)
{
	unsigned long flags;

	spin_lock_irqsave(&dd->fq_flush_lock, flags);
	atomic_long_inc(&dd->fq_gen_start);
	iox_flush_iotlb_all(dd->domain);
	/* Invalidation before its count: pairs with the acquire on release. */
	smp_mb__before_atomic();
	atomic_long_inc(&dd->fq_gen_done);
	spin_unlock_irqrestore(&dd->fq_flush_lock, flags);
	atomic_long_inc(&dd->fq_flushes);
}

static void iox_dma_fq_release_entry(struct iox_dma_dev *dd,
				     struct iox_dma_fq_entry *e)
{
	struct iox_iotlb_gather gather;

	if (!list_empty(&e->freelist)) {
		/* The driver frees table pages in its sync, after invalidating. */
		iox_iotlb_gather_init(&gather);
		iox_iotlb_gather_add(&gather, e->start, e->end - e->start + 1,
				     iox_dma_granule(dd));
		list_splice_init(&e->freelist, &gather.freelist);
		iox_iotlb_sync(dd->domain, &gather);
	}
	iox_iova_free_fast(dd->space, e->pfn, e->granules);
	atomic_long_dec(&dd->fq_pending);
}

/* Release the oldest entries a finished flush covers. */
static void iox_dma_fq_release_locked(struct iox_dma_dev *dd,
				      struct iox_dma_fq *fq)
{
	/* Pairs with the mb before the count: the invalidation came first. */
	unsigned long done = atomic_long_read_acquire(&dd->fq_gen_done);
	struct iox_dma_fq_entry *e;

	while (fq->head != fq->tail) {
		e = &fq->entries[fq->head];
		if (e->gen >= done)
			break;
		iox_dma_fq_release_entry(dd, e);
		fq->head = iox_dma_fq_next(fq->head);
	}
}

/* Flush and release every CPU's ring. */
static void iox_dma_fq_drain(struct iox_dma_dev *dd)
{
	struct iox_dma_fq *fq;
	unsigned long flags;
	int cpu;

	iox_dma_fq_flush_iotlb(dd);
	for_each_possible_cpu(cpu) {
		fq = per_cpu_ptr(dd->fq, cpu);
		spin_lock_irqsave(&fq->lock, flags);
		iox_dma_fq_release_locked(dd, fq);
		spin_unlock_irqrestore(&fq->lock, flags);
	}
}

static void iox_dma_fq_timeout(struct timer_list *t)
{
	struct iox_dma_dev *dd = from_timer(dd, t, fq_timer);

	atomic_set(&dd->fq_timer_on, 0);
	iox_dma_fq_drain(dd);
}

/**
 * iox_dma_fq_init() - give a lazy device its flush queues
 * @dd: the device
 *
 * Context: Process context.
 * Return: 0 or -ENOMEM.
 */
int iox_dma_fq_init(struct iox_dma_dev *dd)
{
	struct iox_dma_fq *fq;
	int cpu;

	dd->fq = alloc_percpu(struct iox_dma_fq);
	if (!dd->fq)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		fq = per_cpu_ptr(dd->fq, cpu);
		spin_lock_init(&fq->lock);
		fq->head = 0;
		fq->tail = 0;
	}
	spin_lock_init(&dd->fq_flush_lock);
	atomic_long_set(&dd->fq_gen_start, 0);
	atomic_long_set(&dd->fq_gen_done, 0);
	atomic_set(&dd->fq_timer_on, 0);
	timer_setup(&dd->fq_timer, iox_dma_fq_timeout, 0);
	return 0;
}

/**
 * iox_dma_fq_destroy() - invalidate and release everything queued
 * @dd: a lazy device with no mapping calls in flight
 *
 * Context: Process context.
 */
void iox_dma_fq_destroy(struct iox_dma_dev *dd)
{
	del_timer_sync(&dd->fq_timer);
	iox_dma_fq_drain(dd);
	free_percpu(dd->fq);
	dd->fq = NULL;
}

/**
 * iox_dma_fq_queue() - defer the invalidation of an unmapped range
 * @dd: a lazy device
 * @pfn: first granule of the range's IOVA allocation
 * @granules: its granules
 * @gather: what the unmap collected; its table pages move to the queue
 *
 * Context: Any context.
 */
void iox_dma_fq_queue(struct iox_dma_dev *dd, unsigned long pfn,
		      unsigned long granules, struct iox_iotlb_gather *gather)
{
	struct iox_dma_fq *fq = raw_cpu_ptr(dd->fq);
	struct iox_dma_fq_entry *e;
	unsigned long flags;

	spin_lock_irqsave(&fq->lock, flags);
	iox_dma_fq_release_locked(dd, fq);
	if (iox_dma_fq_next(fq->tail) == fq->head) {
		iox_dma_fq_flush_iotlb(dd);
		iox_dma_fq_release_locked(dd, fq);
	}
	e = &fq->entries[fq->tail];
	e->pfn = pfn;
	e->granules = granules;
	e->start = pfn << dd->shift;
	e->end = ((pfn + granules) << dd->shift) - 1;
	e->gen = atomic_long_read(&dd->fq_gen_start);
	INIT_LIST_HEAD(&e->freelist);
	list_splice_init(&gather->freelist, &e->freelist);
	fq->tail = iox_dma_fq_next(fq->tail);
	atomic_long_inc(&dd->fq_pending);
	spin_unlock_irqrestore(&fq->lock, flags);

	if (!atomic_read(&dd->fq_timer_on) &&
	    !atomic_xchg(&dd->fq_timer_on, 1))
		mod_timer(&dd->fq_timer,
			  jiffies + msecs_to_jiffies(READ_ONCE(dma_fq_timeout_ms)));
}

/**
 * iox_dma_fq_flush() - invalidate and release the queued unmaps now
 * @dd: the device; nothing happens if it is strict
 *
 * Context: Any context.
 */
void iox_dma_fq_flush(struct iox_dma_dev *dd)
{
	if (dd->fq)
		iox_dma_fq_drain(dd);
}
