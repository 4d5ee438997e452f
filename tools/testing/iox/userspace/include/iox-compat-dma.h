/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-ins for devices and the kernel's DMA mapping layer, as
 * iox uses them: struct device with the fields the DMA API reads, the
 * dma_map_ops table of Linux 6.1 (the members iox implements), and the
 * dma_*() entry points dispatching like kernel/dma/mapping.c does - to
 * the device's ops when it has some, else "direct" (an address is its own
 * DMA address; syncs are counted so tests can check that page-table cache
 * maintenance is batched). Plus jiffies and timers, which the DMA
 * backend's flush queue needs. Included by iox-compat.h.
 *
 * Non-coherent devices are modelled as on arm64: a device whose
 * dma_coherent is false has its direct syncs logged as the cache
 * maintenance they would be (iox_compat_dma_maint_*()), and its direct
 * coherent allocations come from an "uncached" path: a second mapping of
 * the pages (as dma-direct's remap), recorded so that tests can ask.
 */
#ifndef _IOX_COMPAT_DMA_H
#define _IOX_COMPAT_DMA_H

struct dma_map_ops;

/**
 * struct device_dma_parameters - a device's scatterlist limits
 * @max_segment_size: longest DMA segment it takes
 * @segment_boundary_mask: no segment may cross a multiple of mask + 1
 */
struct device_dma_parameters {
	unsigned int max_segment_size;
	unsigned long segment_boundary_mask;
};

#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x)	ALIGN(x, PAGE_SIZE)

/* Devices: a name, and what the DMA API reads. */
struct device {
	char *name;
	void (*release)(struct device *dev);
	u64 *dma_mask;
	u64 coherent_dma_mask;
	const struct dma_map_ops *dma_ops;
	struct device_dma_parameters *dma_parms;
	void *iommu_priv;	/* dev_iommu_priv_get() */
	bool dma_coherent;
};
/* Devices snoop by default, as on x86; a test may say one does not. */
#define CONFIG_ARCH_HAS_SYNC_DMA_FOR_DEVICE	1
static inline void device_initialize(struct device *dev)
{
	dev->dma_coherent = true;
}
int dev_set_name(struct device *dev, const char *fmt, ...) __printf(2, 3);
void put_device(struct device *dev);
static inline const char *dev_name(const struct device *dev)
{
	return dev && dev->name ? dev->name : "(null)";
}
#define dev_warn(dev, fmt, ...) \
	iox_compat_printf("%s: " fmt, dev_name(dev), ##__VA_ARGS__)

enum dma_data_direction {
	DMA_BIDIRECTIONAL = 0,
	DMA_TO_DEVICE = 1,
	DMA_FROM_DEVICE = 2,
	DMA_NONE = 3,
};
#define DMA_MAPPING_ERROR		(~(dma_addr_t)0)
#define DMA_BIT_MASK(n)			(((n) == 64) ? ~0ULL : ((1ULL << (n)) - 1))
#define DMA_ATTR_SKIP_CPU_SYNC		(1UL << 5)
#define DMA_ATTR_FORCE_CONTIGUOUS	(1UL << 6)
#define DMA_ATTR_NO_WARN		(1UL << 8)
#define DMA_ATTR_PRIVILEGED		(1UL << 9)

#define __GFP_DMA32		GFP_DMA32
#define __GFP_DMA		0x800u
#define __GFP_HIGHMEM		0x1000u
#define __GFP_COMP		0x2000u
static inline bool gfpflags_allow_blocking(gfp_t gfp)
{
	return !(gfp & GFP_ATOMIC);
}

struct sg_table;
struct vm_area_struct;

/* The members of Linux 6.1's struct dma_map_ops that iox implements. */
struct dma_map_ops {
	void *(*alloc)(struct device *dev, size_t size, dma_addr_t *dma_handle,
		       gfp_t gfp, unsigned long attrs);
	void (*free)(struct device *dev, size_t size, void *vaddr,
		     dma_addr_t dma_handle, unsigned long attrs);
	struct page *(*alloc_pages)(struct device *dev, size_t size,
				    dma_addr_t *dma_handle,
				    enum dma_data_direction dir, gfp_t gfp);
	void (*free_pages)(struct device *dev, size_t size, struct page *vaddr,
			   dma_addr_t dma_handle, enum dma_data_direction dir);
	int (*mmap)(struct device *dev, struct vm_area_struct *vma,
		    void *cpu_addr, dma_addr_t dma_addr, size_t size,
		    unsigned long attrs);
	int (*get_sgtable)(struct device *dev, struct sg_table *sgt,
			   void *cpu_addr, dma_addr_t dma_addr, size_t size,
			   unsigned long attrs);
	dma_addr_t (*map_page)(struct device *dev, struct page *page,
			       unsigned long offset, size_t size,
			       enum dma_data_direction dir,
			       unsigned long attrs);
	void (*unmap_page)(struct device *dev, dma_addr_t dma_handle,
			   size_t size, enum dma_data_direction dir,
			   unsigned long attrs);
	int (*map_sg)(struct device *dev, struct scatterlist *sg, int nents,
		      enum dma_data_direction dir, unsigned long attrs);
	void (*unmap_sg)(struct device *dev, struct scatterlist *sg, int nents,
			 enum dma_data_direction dir, unsigned long attrs);
	dma_addr_t (*map_resource)(struct device *dev, phys_addr_t phys_addr,
				   size_t size, enum dma_data_direction dir,
				   unsigned long attrs);
	void (*unmap_resource)(struct device *dev, dma_addr_t dma_handle,
			       size_t size, enum dma_data_direction dir,
			       unsigned long attrs);
	void (*sync_single_for_cpu)(struct device *dev, dma_addr_t dma_handle,
				    size_t size, enum dma_data_direction dir);
	void (*sync_single_for_device)(struct device *dev,
				       dma_addr_t dma_handle, size_t size,
				       enum dma_data_direction dir);
	void (*sync_sg_for_cpu)(struct device *dev, struct scatterlist *sg,
				int nents, enum dma_data_direction dir);
	void (*sync_sg_for_device)(struct device *dev, struct scatterlist *sg,
				   int nents, enum dma_data_direction dir);
	int (*dma_supported)(struct device *dev, u64 mask);
	size_t (*max_mapping_size)(struct device *dev);
	unsigned long (*get_merge_boundary)(struct device *dev);
};

static inline const struct dma_map_ops *get_dma_ops(struct device *dev)
{
	return dev ? dev->dma_ops : NULL;
}
static inline void set_dma_ops(struct device *dev,
			       const struct dma_map_ops *ops)
{
	dev->dma_ops = ops;
}
static inline bool dev_is_dma_coherent(struct device *dev)
{
	return dev->dma_coherent;
}

static inline u64 dma_get_mask(struct device *dev)
{
	if (dev && dev->dma_mask && *dev->dma_mask)
		return *dev->dma_mask;
	return DMA_BIT_MASK(32);
}
static inline unsigned int dma_get_max_seg_size(struct device *dev)
{
	if (dev->dma_parms && dev->dma_parms->max_segment_size)
		return dev->dma_parms->max_segment_size;
	return SZ_64K;
}
static inline unsigned long dma_get_seg_boundary(struct device *dev)
{
	if (dev->dma_parms && dev->dma_parms->segment_boundary_mask)
		return dev->dma_parms->segment_boundary_mask;
	return ULONG_MAX;
}
int dma_supported(struct device *dev, u64 mask);
int dma_set_mask(struct device *dev, u64 mask);
int dma_set_coherent_mask(struct device *dev, u64 mask);
static inline int dma_set_mask_and_coherent(struct device *dev, u64 mask)
{
	int ret = dma_set_mask(dev, mask);

	return ret ? ret : dma_set_coherent_mask(dev, mask);
}
static inline int dma_set_max_seg_size(struct device *dev, unsigned int size)
{
	if (!dev->dma_parms)
		return -EIO;
	dev->dma_parms->max_segment_size = size;
	return 0;
}
static inline int dma_set_seg_boundary(struct device *dev, unsigned long mask)
{
	if (!dev->dma_parms)
		return -EIO;
	dev->dma_parms->segment_boundary_mask = mask;
	return 0;
}
unsigned long dma_get_merge_boundary(struct device *dev);
bool dma_need_sync(struct device *dev, dma_addr_t addr);
size_t dma_max_mapping_size(struct device *dev);

static inline int dma_mapping_error(struct device *dev, dma_addr_t addr)
{
	return addr == DMA_MAPPING_ERROR ? -ENOMEM : 0;
}

extern unsigned long iox_compat_dma_syncs, iox_compat_dma_sync_bytes;

/**
 * struct iox_compat_dma_maint - one cache maintenance of a direct sync
 * @dev: the non-coherent device synced on
 * @phys: first byte
 * @size: bytes
 * @dir: direction given
 * @for_cpu: dma_sync_single_for_cpu(), else _for_device()
 * @stamp: iox_compat_dma_maint_stamp() at the time, 0 without one
 */
struct iox_compat_dma_maint {
	const struct device *dev;
	phys_addr_t phys;
	size_t size;
	enum dma_data_direction dir;
	bool for_cpu;
	unsigned long stamp;
};
#define IOX_COMPAT_DMA_MAINT_MAX	64
extern unsigned long (*iox_compat_dma_maint_stamp)(void);
void iox_compat_dma_maint_reset(void);
unsigned int iox_compat_dma_maint_count(void);
bool iox_compat_dma_maint_get(unsigned int i, struct iox_compat_dma_maint *m);
bool iox_compat_dma_uncached(const void *cpu_addr, size_t size);
dma_addr_t dma_map_page_attrs(struct device *dev, struct page *page,
			      size_t offset, size_t size,
			      enum dma_data_direction dir, unsigned long attrs);
void dma_unmap_page_attrs(struct device *dev, dma_addr_t addr, size_t size,
			  enum dma_data_direction dir, unsigned long attrs);
dma_addr_t dma_map_single(struct device *dev, void *ptr, size_t size,
			  enum dma_data_direction dir);
void dma_unmap_single(struct device *dev, dma_addr_t addr, size_t size,
		      enum dma_data_direction dir);
dma_addr_t dma_map_resource(struct device *dev, phys_addr_t phys,
			    size_t size, enum dma_data_direction dir,
			    unsigned long attrs);
void dma_unmap_resource(struct device *dev, dma_addr_t addr, size_t size,
			enum dma_data_direction dir, unsigned long attrs);
void dma_sync_single_for_cpu(struct device *dev, dma_addr_t addr,
			     size_t size, enum dma_data_direction dir);
void dma_sync_single_for_device(struct device *dev, dma_addr_t addr,
				size_t size, enum dma_data_direction dir);
int dma_map_sg_attrs(struct device *dev, struct scatterlist *sg, int nents,
		     enum dma_data_direction dir, unsigned long attrs);
void dma_unmap_sg_attrs(struct device *dev, struct scatterlist *sg,
			int nents, enum dma_data_direction dir,
			unsigned long attrs);
void dma_sync_sg_for_cpu(struct device *dev, struct scatterlist *sg,
			 int nents, enum dma_data_direction dir);
void dma_sync_sg_for_device(struct device *dev, struct scatterlist *sg,
			    int nents, enum dma_data_direction dir);
void *dma_alloc_attrs(struct device *dev, size_t size, dma_addr_t *handle,
		      gfp_t gfp, unsigned long attrs);
void dma_free_attrs(struct device *dev, size_t size, void *cpu_addr,
		    dma_addr_t handle, unsigned long attrs);
struct page *dma_alloc_pages(struct device *dev, size_t size,
			     dma_addr_t *handle, enum dma_data_direction dir,
			     gfp_t gfp);
void dma_free_pages(struct device *dev, size_t size, struct page *page,
		    dma_addr_t handle, enum dma_data_direction dir);
#define dma_map_page(d, p, o, s, r)	dma_map_page_attrs(d, p, o, s, r, 0)
#define dma_unmap_page(d, a, s, r)	dma_unmap_page_attrs(d, a, s, r, 0)
#define dma_map_sg(d, s, n, r)		dma_map_sg_attrs(d, s, n, r, 0)
#define dma_unmap_sg(d, s, n, r)	dma_unmap_sg_attrs(d, s, n, r, 0)
#define dma_alloc_coherent(d, s, h, g)	dma_alloc_attrs(d, s, h, g, 0)
#define dma_free_coherent(d, s, c, h)	dma_free_attrs(d, s, c, h, 0)

/*
 * Kernel mappings of scattered pages: the page arena is a shared memory
 * file, so a page can be mapped again at a new address, as vmap() does.
 */
#define VM_MAP		0x4u
#define PAGE_KERNEL	0
void *vmap(struct page **pages, unsigned int count, unsigned long flags,
	   int prot);
void vunmap(const void *addr);
#define kvcalloc(n, s, g)	kcalloc(n, s, g)
#define kvfree(p)		kfree(p)

/* Lists, the parts only the DMA backend uses. */
static inline void list_splice_init(struct list_head *list,
				    struct list_head *head)
{
	if (list_empty(list))
		return;
	list->next->prev = head;
	list->prev->next = head->next;
	head->next->prev = list->prev;
	head->next = list->next;
	INIT_LIST_HEAD(list);
}
#define list_first_entry_or_null(h, type, member) \
	(list_empty(h) ? NULL : list_first_entry(h, type, member))

static inline int atomic_xchg(atomic_t *v, int i)
{
	return __atomic_exchange_n(&v->counter, i, __ATOMIC_SEQ_CST);
}
/* The atomic read-modify-writes here are sequentially consistent already. */
#define smp_mb__before_atomic()	do { } while (0)
static inline long atomic_long_read_acquire(const atomic_long_t *v)
{
	return __atomic_load_n(&v->counter, __ATOMIC_ACQUIRE);
}

/* Per-CPU data is in iox-compat.h. */
#define num_possible_cpus()	NR_CPUS

/* Time in jiffies of 1 ms. */
#define HZ			1000
unsigned long iox_compat_jiffies(void);
#define jiffies			iox_compat_jiffies()
static inline unsigned long msecs_to_jiffies(unsigned int ms) { return ms; }
void msleep(unsigned int ms);

/*
 * Timers: each runs its callback on a thread of its own once it expires,
 * like a softirq would on some CPU.
 */
struct timer_list {
	void (*function)(struct timer_list *t);
	unsigned long expires;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t thread;
	bool thread_live;
	bool armed;
	bool stop;
};
void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *),
		 unsigned int flags);
int mod_timer(struct timer_list *t, unsigned long expires);
int del_timer_sync(struct timer_list *t);
#define from_timer(var, t, field) container_of(t, typeof(*var), field)

#endif /* _IOX_COMPAT_DMA_H */
