/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iox DMA-API backend internals.
 */
#ifndef _IOX_DMA_PRIV_H
#define _IOX_DMA_PRIV_H

#include <linux/dma-map-ops.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/percpu.h>
#include <linux/iox.h>
#include <linux/iox-dma.h>
#include <linux/iox-iova.h>

/* Entries of one CPU's flush queue; a full queue flushes at once. */
#define IOX_DMA_FQ_SIZE		256
/*
 * A queued unmap is invalidated at the latest this long after it: the
 * default of the iox.dma_fq_timeout_ms parameter.
 */
#define IOX_DMA_FQ_TIMEOUT_MS	10

/**
 * struct iox_dma_fq_entry - one unmapped range waiting for invalidation
 * @pfn: first granule of its IOVA range
 * @granules: granules of the range, as allocated
 * @start: first IOVA unmapped
 * @end: last IOVA unmapped
 * @gen: flush generation when it was queued; reusable once a flush that
 *	started later has finished
 * @freelist: page-table pages the unmap unlinked, freed with the range
 */
struct iox_dma_fq_entry {
	unsigned long pfn;
	unsigned long granules;
	unsigned long start;
	unsigned long end;
	unsigned long gen;
	struct list_head freelist;
};

/**
 * struct iox_dma_fq - one CPU's ring of deferred unmaps
 * @lock: protects the ring; the timer drains every CPU's ring
 * @head: oldest entry
 * @tail: next free slot
 * @entries: the ring
 */
struct iox_dma_fq {
	spinlock_t lock;	/* the ring: see above */
	unsigned int head;
	unsigned int tail;
	struct iox_dma_fq_entry entries[IOX_DMA_FQ_SIZE];
};

/**
 * struct iox_dma_dev - a device served by the backend
 * @ops: the device's copy of the DMA operations; dev->dma_ops points
 *	here, so every operation finds its device record without a lookup
 * @dev: the device
 * @saved_ops: dev->dma_ops before attach, restored on detach
 * @domain: the device's IOX_DOMAIN_DMA or IOX_DOMAIN_DMA_FQ domain
 * @space: the domain's IOVA space
 * @shift: log2 of the IOVA granule (the domain's smallest page size)
 * @prot_extra: IOX_CACHE when the device snoops CPU caches
 * @untrusted: bounce partial pages, never defer invalidation
 * @maint: for a device that does not snoop CPU caches, the device whose
 *	dma-direct syncs and allocations do its cache maintenance (see
 *	noncoherent.c); NULL for a coherent device
 * @fq: per-CPU flush queues, NULL when strict
 * @fq_timer: drains the queues when nothing else does
 * @fq_timer_on: the timer is armed
 * @fq_flush_lock: serialises flushes
 * @fq_gen_start: flush generations started
 * @fq_gen_done: flush generations finished
 * @bounce_lock: protects @bounces
 * @bounces: live bounce buffers; only untrusted devices have any
 * @coherent_lock: protects @coherent
 * @coherent: struct iox_dma_buf of every dma_alloc_*() buffer
 * @live_mappings: counter for iox_dma_get_stats()
 * @live_bounces: counter for iox_dma_get_stats()
 * @fq_pending: counter for iox_dma_get_stats()
 * @fq_flushes: counter for iox_dma_get_stats()
 * @bad_unmaps: counter for iox_dma_get_stats()
 * @map_errors: counter for iox_dma_get_stats()
 * @fixed_lock: protects @fixed and @nr_fixed
 * @fixed: IOVA windows claimed for caller-chosen mappings
 * @nr_fixed: valid entries of @fixed
 * @node: link in the backend's device list
 */
struct iox_dma_dev {
	const struct dma_map_ops ops;
	struct device *dev;
	const struct dma_map_ops *saved_ops;
	struct iox_domain *domain;
	struct iox_iova_space *space;
	unsigned int shift;
	int prot_extra;
	bool untrusted;
	struct device *maint;
	struct iox_dma_fq __percpu *fq;
	struct timer_list fq_timer;
	atomic_t fq_timer_on;
	spinlock_t fq_flush_lock;	/* one flush at a time */
	atomic_long_t fq_gen_start;
	atomic_long_t fq_gen_done;
	spinlock_t bounce_lock;		/* @bounces */
	struct list_head bounces;
	spinlock_t coherent_lock;	/* @coherent */
	struct list_head coherent;
	atomic_long_t live_mappings;
	atomic_long_t live_bounces;
	atomic_long_t fq_pending;
	atomic_long_t fq_flushes;
	atomic_long_t bad_unmaps;
	atomic_long_t map_errors;
	spinlock_t fixed_lock;		/* @fixed, @nr_fixed */
	struct iox_range fixed[IOX_DMA_MAX_FIXED_WINDOWS];
	unsigned int nr_fixed;
	struct list_head node;
};

/**
 * struct iox_dma_bounce - a partial-page buffer copied into its own pages
 * @node: link in iox_dma_dev.bounces
 * @iova: first IOVA of the mapping (granule aligned)
 * @len: bytes of the mapping (granules)
 * @orig: physical address of the caller's buffer
 * @offset: offset of the data in the mapping, that of @orig in a granule
 * @size: bytes of the caller's buffer
 * @page: first bounce page
 * @order: allocation order of @page
 * @dir: the mapping's direction
 */
struct iox_dma_bounce {
	struct list_head node;
	unsigned long iova;
	size_t len;
	phys_addr_t orig;
	unsigned int offset;
	size_t size;
	struct page *page;
	unsigned int order;
	enum dma_data_direction dir;
};

/* Coherent buffers up to 2^this pages are one block of pages. */
#define IOX_DMA_CONTIG_MAX_ORDER	3

/**
 * struct iox_dma_buf - a coherent buffer
 * @node: link in iox_dma_dev.coherent
 * @cpu_addr: its kernel address
 * @iova: its DMA address
 * @size: bytes, whole pages and granules
 * @block: first page, when physically contiguous
 * @order: allocation order of @block
 * @pages: its pages one by one, when not contiguous (then vmap()ed)
 * @count: pages of the buffer
 * @uncached: from iox_dma_nc_alloc(): @cpu_addr is a non-cacheable
 *	mapping of @block
 */
struct iox_dma_buf {
	struct list_head node;
	void *cpu_addr;
	dma_addr_t iova;
	size_t size;
	struct page *block;
	unsigned int order;
	struct page **pages;
	unsigned int count;
	bool uncached;
};

static inline struct iox_dma_dev *iox_dma_dev_of(struct device *dev)
{
	return container_of(get_dma_ops(dev), struct iox_dma_dev, ops);
}

/* Whether CPU caches need maintenance for the device: one test of a pointer. */
static inline bool iox_dma_noncoherent(const struct iox_dma_dev *dd)
{
	return unlikely(dd->maint);
}

static inline unsigned long iox_dma_granule(const struct iox_dma_dev *dd)
{
	return 1UL << dd->shift;
}

/* ops.c */
int iox_dma_prot(const struct iox_dma_dev *dd, enum dma_data_direction dir,
		 unsigned long attrs);
dma_addr_t iox_dma_map_range(struct iox_dma_dev *dd, phys_addr_t phys,
			     size_t size, int prot, u64 dma_mask, gfp_t gfp);
bool iox_dma_unmap_range(struct iox_dma_dev *dd, dma_addr_t addr,
			 size_t size);
dma_addr_t iox_dma_map_phys(struct iox_dma_dev *dd, phys_addr_t phys,
			    size_t size, enum dma_data_direction dir, int prot,
			    unsigned long attrs);
void iox_dma_unmap_phys(struct iox_dma_dev *dd, dma_addr_t addr, size_t size,
			enum dma_data_direction dir, unsigned long attrs);
unsigned long iox_dma_limit_pfn(const struct iox_dma_dev *dd, u64 dma_mask);
void iox_dma_init_ops(struct iox_dma_dev *dd);
bool iox_dma_served(struct device *dev);

/* sg.c */
int iox_dma_map_sg(struct device *dev, struct scatterlist *sgl, int nents,
		   enum dma_data_direction dir, unsigned long attrs);
void iox_dma_unmap_sg(struct device *dev, struct scatterlist *sgl, int nents,
		      enum dma_data_direction dir, unsigned long attrs);
void iox_dma_sync_sg_for_cpu(struct device *dev, struct scatterlist *sgl,
			     int nents, enum dma_data_direction dir);
void iox_dma_sync_sg_for_device(struct device *dev, struct scatterlist *sgl,
				int nents, enum dma_data_direction dir);

/* alloc.c */
void *iox_dma_alloc(struct device *dev, size_t size, dma_addr_t *handle,
		    gfp_t gfp, unsigned long attrs);
void iox_dma_free(struct device *dev, size_t size, void *cpu_addr,
		  dma_addr_t handle, unsigned long attrs);
struct page *iox_dma_alloc_pages(struct device *dev, size_t size,
				 dma_addr_t *handle,
				 enum dma_data_direction dir, gfp_t gfp);
void iox_dma_free_pages(struct device *dev, size_t size, struct page *page,
			dma_addr_t handle, enum dma_data_direction dir);
void iox_dma_free_all_coherent(struct iox_dma_dev *dd);
struct iox_dma_buf *iox_dma_coherent_buf(struct iox_dma_dev *dd,
					 const void *cpu_addr);

/* mmap.c; the userspace build has no user address spaces or sg_tables */
#ifdef IOX_USERSPACE
#define IOX_DMA_MMAP_OPS
#else
int iox_dma_mmap(struct device *dev, struct vm_area_struct *vma,
		 void *cpu_addr, dma_addr_t handle, size_t size,
		 unsigned long attrs);
int iox_dma_get_sgtable(struct device *dev, struct sg_table *sgt,
			void *cpu_addr, dma_addr_t handle, size_t size,
			unsigned long attrs);
#define IOX_DMA_MMAP_OPS						\
	.mmap = iox_dma_mmap,						\
	.get_sgtable = iox_dma_get_sgtable,
#endif

/* noncoherent.c */
int iox_dma_nc_init(struct iox_dma_dev *dd);
void iox_dma_nc_destroy(struct iox_dma_dev *dd);
void iox_dma_nc_for_device(struct iox_dma_dev *dd, phys_addr_t phys,
			   size_t size, enum dma_data_direction dir);
void iox_dma_nc_for_cpu(struct iox_dma_dev *dd, phys_addr_t phys,
			size_t size, enum dma_data_direction dir);
void iox_dma_nc_iova(struct iox_dma_dev *dd, dma_addr_t addr, size_t size,
		     enum dma_data_direction dir, bool for_cpu);
int iox_dma_nc_alloc(struct iox_dma_dev *dd, struct iox_dma_buf *buf,
		     gfp_t gfp);
void iox_dma_nc_free(struct iox_dma_dev *dd, struct iox_dma_buf *buf);
#ifndef IOX_USERSPACE
int iox_dma_nc_mmap(struct iox_dma_dev *dd, struct iox_dma_buf *buf,
		    struct vm_area_struct *vma);
#endif

/* fq.c */
int iox_dma_fq_init(struct iox_dma_dev *dd);
void iox_dma_fq_destroy(struct iox_dma_dev *dd);
void iox_dma_fq_queue(struct iox_dma_dev *dd, unsigned long pfn,
		      unsigned long granules,
		      struct iox_iotlb_gather *gather);
void iox_dma_fq_flush(struct iox_dma_dev *dd);

/* bounce.c */
void iox_dma_bounce_init(struct iox_dma_dev *dd);
bool iox_dma_needs_bounce(const struct iox_dma_dev *dd, phys_addr_t phys,
			  size_t size);
struct iox_dma_bounce *iox_dma_bounce_new(struct iox_dma_dev *dd,
					  phys_addr_t phys, size_t size,
					  enum dma_data_direction dir);
void iox_dma_bounce_free(struct iox_dma_bounce *b);
void iox_dma_bounce_add(struct iox_dma_dev *dd, struct iox_dma_bounce *b,
			unsigned long iova);
struct iox_dma_bounce *iox_dma_bounce_take(struct iox_dma_dev *dd,
					   unsigned long start,
					   unsigned long end);
void iox_dma_bounce_finish(struct iox_dma_dev *dd, struct iox_dma_bounce *b,
			   enum dma_data_direction dir);
dma_addr_t iox_dma_bounce_map(struct iox_dma_dev *dd, phys_addr_t phys,
			      size_t size, enum dma_data_direction dir,
			      int prot, u64 dma_mask);
bool iox_dma_bounce_unmap(struct iox_dma_dev *dd, dma_addr_t addr,
			  size_t size, enum dma_data_direction dir);
void iox_dma_bounce_sync(struct iox_dma_dev *dd, dma_addr_t addr,
			 size_t size, enum dma_data_direction dir,
			 bool for_cpu);

#endif /* _IOX_DMA_PRIV_H */
