// SPDX-License-Identifier: GPL-2.0
/*
 * The userspace DMA mapping layer behind iox-compat-dma.h: the dma_*()
 * entry points dispatch to a device's dma_map_ops as kernel/dma/mapping.c
 * does, else map "directly" (an address is its own DMA address); plus
 * jiffies and timers.
 */
#include <iox-compat.h>
#include <time.h>

unsigned long iox_compat_dma_syncs, iox_compat_dma_sync_bytes;

/* The maintenance log and the uncached allocations of non-coherent devices. */
static pthread_mutex_t maint_lock = PTHREAD_MUTEX_INITIALIZER;
static struct iox_compat_dma_maint maint_log[IOX_COMPAT_DMA_MAINT_MAX];
static unsigned int maint_count;
unsigned long (*iox_compat_dma_maint_stamp)(void);

#define UNCACHED_MAX	64
static struct {
	const void *cpu_addr;
	size_t size;
} uncached[UNCACHED_MAX];

static void maint_log_add(struct device *dev, phys_addr_t phys, size_t size,
			  enum dma_data_direction dir, bool for_cpu)
{
	struct iox_compat_dma_maint m = {
		.dev = dev, .phys = phys, .size = size, .dir = dir,
		.for_cpu = for_cpu,
	};

	if (iox_compat_dma_maint_stamp)
		m.stamp = iox_compat_dma_maint_stamp();
	pthread_mutex_lock(&maint_lock);
	if (maint_count < IOX_COMPAT_DMA_MAINT_MAX)
		maint_log[maint_count] = m;
	maint_count++;
	pthread_mutex_unlock(&maint_lock);
}

/**
 * iox_compat_dma_maint_reset() - empty the maintenance log
 *
 * Context: Any thread.
 */
void iox_compat_dma_maint_reset(void)
{
	pthread_mutex_lock(&maint_lock);
	maint_count = 0;
	pthread_mutex_unlock(&maint_lock);
}

/**
 * iox_compat_dma_maint_count() - maintenance operations since the reset
 *
 * Context: Any thread.
 * Return: how many (the log keeps the first IOX_COMPAT_DMA_MAINT_MAX).
 */
unsigned int iox_compat_dma_maint_count(void)
{
	unsigned int n;

	pthread_mutex_lock(&maint_lock);
	n = maint_count;
	pthread_mutex_unlock(&maint_lock);
	return n;
}

/**
 * iox_compat_dma_maint_get() - one logged maintenance operation
 * @i: its index since the reset
 * @m: filled in
 *
 * Context: Any thread.
 * Return: true, or false if @i was not logged.
 */
bool iox_compat_dma_maint_get(unsigned int i, struct iox_compat_dma_maint *m)
{
	bool ok;

	pthread_mutex_lock(&maint_lock);
	ok = i < maint_count && i < IOX_COMPAT_DMA_MAINT_MAX;
	if (ok)
		*m = maint_log[i];
	pthread_mutex_unlock(&maint_lock);
	return ok;
}

/**
 * iox_compat_dma_uncached() - whether a CPU range is an uncached mapping
 * @cpu_addr: first byte
 * @size: bytes
 *
 * Context: Any thread.
 * Return: true if it lies in a coherent buffer of a non-coherent device
 * allocated "directly" (dma-direct's uncached remap, modelled).
 */
bool iox_compat_dma_uncached(const void *cpu_addr, size_t size)
{
	const char *p = cpu_addr;
	bool found = false;
	unsigned int i;

	pthread_mutex_lock(&maint_lock);
	for (i = 0; i < UNCACHED_MAX; i++)
		if (uncached[i].cpu_addr &&
		    p >= (const char *)uncached[i].cpu_addr &&
		    p + size <= (const char *)uncached[i].cpu_addr +
				uncached[i].size)
			found = true;
	pthread_mutex_unlock(&maint_lock);
	return found;
}

/* Record (size != 0) or forget an uncached mapping; false when full. */
static bool uncached_track(const void *cpu_addr, size_t size)
{
	const void *want = size ? NULL : cpu_addr;
	bool done = false;
	unsigned int i;

	pthread_mutex_lock(&maint_lock);
	for (i = 0; i < UNCACHED_MAX && !done; i++) {
		if (uncached[i].cpu_addr != want)
			continue;
		uncached[i].cpu_addr = size ? cpu_addr : NULL;
		uncached[i].size = size;
		done = true;
	}
	pthread_mutex_unlock(&maint_lock);
	return done;
}

/* dma-direct's coherent allocation for a non-coherent device, modelled. */
static void *alloc_uncached(size_t size, dma_addr_t *handle, gfp_t gfp)
{
	unsigned int order = get_order(size), i;
	struct page *page, **pages;
	void *cpu;

	*handle = DMA_MAPPING_ERROR;
	page = alloc_pages(gfp | __GFP_ZERO, order);
	if (!page)
		return NULL;
	pages = kcalloc(1U << order, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		goto fail;
	for (i = 0; i < 1U << order; i++)
		pages[i] = pfn_to_page(PHYS_PFN(page_to_phys(page)) + i);
	/* The uncached alias: another address for the same pages. */
	cpu = vmap(pages, 1U << order, VM_MAP, PAGE_KERNEL);
	kfree(pages);
	if (!cpu)
		goto fail;
	if (!uncached_track(cpu, PAGE_SIZE << order)) {
		vunmap(cpu);
		goto fail;
	}
	*handle = page_to_phys(page);
	return cpu;
fail:
	__free_pages(page, order);
	return NULL;
}

static const struct dma_map_ops *ops_of(struct device *dev)
{
	return get_dma_ops(dev);
}

/**
 * dma_map_page_attrs() - map a page range for a device's DMA
 * @dev: the device
 * @page: the first page
 * @offset: byte offset into it
 * @size: bytes
 * @dir: direction
 * @attrs: DMA_ATTR_* flags
 *
 * Context: Any thread.
 * Return: the DMA address, or DMA_MAPPING_ERROR.
 */
dma_addr_t dma_map_page_attrs(struct device *dev, struct page *page,
			      size_t offset, size_t size,
			      enum dma_data_direction dir, unsigned long attrs)
{
	const struct dma_map_ops *ops = ops_of(dev);

	if (ops)
		return ops->map_page(dev, page, offset, size, dir, attrs);
	return page_to_phys(page) + offset;
}

/**
 * dma_unmap_page_attrs() - undo dma_map_page_attrs()
 * @dev: the device
 * @addr: the DMA address
 * @size: bytes
 * @dir: direction
 * @attrs: DMA_ATTR_* flags
 *
 * Context: Any thread.
 */
void dma_unmap_page_attrs(struct device *dev, dma_addr_t addr, size_t size,
			  enum dma_data_direction dir, unsigned long attrs)
{
	const struct dma_map_ops *ops = ops_of(dev);

	if (ops)
		ops->unmap_page(dev, addr, size, dir, attrs);
}

/**
 * dma_map_single() - map a kernel buffer for a device's DMA
 * @dev: the device (NULL: direct)
 * @ptr: the buffer
 * @size: bytes
 * @dir: direction
 *
 * Context: Any thread.
 * Return: the DMA address, or DMA_MAPPING_ERROR.
 */
dma_addr_t dma_map_single(struct device *dev, void *ptr, size_t size,
			  enum dma_data_direction dir)
{
	const struct dma_map_ops *ops = ops_of(dev);
	struct page *page;

	if (!ops)
		return virt_to_phys(ptr);
	page = virt_to_page(ptr);
	if (!page)
		return DMA_MAPPING_ERROR;
	return ops->map_page(dev, page, (uintptr_t)ptr & (PAGE_SIZE - 1), size,
			     dir, 0);
}

/**
 * dma_unmap_single() - undo dma_map_single()
 * @dev: the device
 * @addr: the DMA address
 * @size: bytes
 * @dir: direction
 *
 * Context: Any thread.
 */
void dma_unmap_single(struct device *dev, dma_addr_t addr, size_t size,
		      enum dma_data_direction dir)
{
	dma_unmap_page_attrs(dev, addr, size, dir, 0);
}

/**
 * dma_map_resource() - map MMIO for a device's DMA
 * @dev: the device
 * @phys: physical address
 * @size: bytes
 * @dir: direction
 * @attrs: DMA_ATTR_* flags
 *
 * Context: Any thread.
 * Return: the DMA address, or DMA_MAPPING_ERROR.
 */
dma_addr_t dma_map_resource(struct device *dev, phys_addr_t phys,
			    size_t size, enum dma_data_direction dir,
			    unsigned long attrs)
{
	const struct dma_map_ops *ops = ops_of(dev);

	if (ops && ops->map_resource)
		return ops->map_resource(dev, phys, size, dir, attrs);
	return phys;
}

/**
 * dma_unmap_resource() - undo dma_map_resource()
 * @dev: the device
 * @addr: the DMA address
 * @size: bytes
 * @dir: direction
 * @attrs: DMA_ATTR_* flags
 *
 * Context: Any thread.
 */
void dma_unmap_resource(struct device *dev, dma_addr_t addr, size_t size,
			enum dma_data_direction dir, unsigned long attrs)
{
	const struct dma_map_ops *ops = ops_of(dev);

	if (ops && ops->unmap_resource)
		ops->unmap_resource(dev, addr, size, dir, attrs);
}

/**
 * dma_sync_single_for_cpu() - give a mapped buffer back to the CPU
 * @dev: the device
 * @addr: DMA address
 * @size: bytes
 * @dir: direction
 *
 * Context: Any thread.
 */
void dma_sync_single_for_cpu(struct device *dev, dma_addr_t addr,
			     size_t size, enum dma_data_direction dir)
{
	const struct dma_map_ops *ops = ops_of(dev);

	if (ops) {
		if (ops->sync_single_for_cpu)
			ops->sync_single_for_cpu(dev, addr, size, dir);
		return;
	}
	if (dev && !dev_is_dma_coherent(dev))
		maint_log_add(dev, addr, size, dir, true);
}

/**
 * dma_sync_single_for_device() - give a mapped buffer to the device
 * @dev: the device
 * @addr: DMA address
 * @size: bytes
 * @dir: direction
 *
 * Direct mappings count the sync, as the cache maintenance it would be,
 * and log it for a non-coherent device.
 *
 * Context: Any thread.
 */
void dma_sync_single_for_device(struct device *dev, dma_addr_t addr,
				size_t size, enum dma_data_direction dir)
{
	const struct dma_map_ops *ops = ops_of(dev);

	if (ops) {
		if (ops->sync_single_for_device)
			ops->sync_single_for_device(dev, addr, size, dir);
		return;
	}
	if (dev && !dev_is_dma_coherent(dev))
		maint_log_add(dev, addr, size, dir, false);
	__atomic_add_fetch(&iox_compat_dma_syncs, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&iox_compat_dma_sync_bytes, size, __ATOMIC_RELAXED);
}

/**
 * dma_map_sg_attrs() - map a scatterlist for a device's DMA
 * @dev: the device
 * @sg: the list
 * @nents: its entries
 * @dir: direction
 * @attrs: DMA_ATTR_* flags
 *
 * Context: Any thread.
 * Return: DMA segments, 0 on error (as the kernel's).
 */
int dma_map_sg_attrs(struct device *dev, struct scatterlist *sg, int nents,
		     enum dma_data_direction dir, unsigned long attrs)
{
	const struct dma_map_ops *ops = ops_of(dev);
	struct scatterlist *s;
	int i, ret;

	if (ops) {
		ret = ops->map_sg(dev, sg, nents, dir, attrs);
		return ret < 0 ? 0 : ret;
	}
	for_each_sg(sg, s, nents, i) {
		sg_dma_address(s) = sg_phys(s);
		sg_dma_len(s) = s->length;
	}
	return nents;
}

/**
 * dma_unmap_sg_attrs() - undo dma_map_sg_attrs()
 * @dev: the device
 * @sg: the list
 * @nents: the entries given to the map
 * @dir: direction
 * @attrs: DMA_ATTR_* flags
 *
 * Context: Any thread.
 */
void dma_unmap_sg_attrs(struct device *dev, struct scatterlist *sg,
			int nents, enum dma_data_direction dir,
			unsigned long attrs)
{
	const struct dma_map_ops *ops = ops_of(dev);

	if (ops)
		ops->unmap_sg(dev, sg, nents, dir, attrs);
}

/**
 * dma_sync_sg_for_cpu() - give a mapped list back to the CPU
 * @dev: the device
 * @sg: the list
 * @nents: its entries
 * @dir: direction
 *
 * Context: Any thread.
 */
void dma_sync_sg_for_cpu(struct device *dev, struct scatterlist *sg,
			 int nents, enum dma_data_direction dir)
{
	const struct dma_map_ops *ops = ops_of(dev);

	if (ops && ops->sync_sg_for_cpu)
		ops->sync_sg_for_cpu(dev, sg, nents, dir);
}

/**
 * dma_sync_sg_for_device() - give a mapped list to the device
 * @dev: the device
 * @sg: the list
 * @nents: its entries
 * @dir: direction
 *
 * Context: Any thread.
 */
void dma_sync_sg_for_device(struct device *dev, struct scatterlist *sg,
			    int nents, enum dma_data_direction dir)
{
	const struct dma_map_ops *ops = ops_of(dev);

	if (ops && ops->sync_sg_for_device)
		ops->sync_sg_for_device(dev, sg, nents, dir);
}

/**
 * dma_alloc_attrs() - a coherent buffer for a device
 * @dev: the device
 * @size: bytes
 * @handle: set to the DMA address
 * @gfp: allocation flags
 * @attrs: DMA_ATTR_* flags
 *
 * Context: As allowed by @gfp.
 * Return: the buffer, or NULL.
 */
void *dma_alloc_attrs(struct device *dev, size_t size, dma_addr_t *handle,
		      gfp_t gfp, unsigned long attrs)
{
	const struct dma_map_ops *ops = ops_of(dev);
	struct page *page;

	if (ops)
		return ops->alloc(dev, size, handle, gfp, attrs);
	if (!dev_is_dma_coherent(dev))
		return alloc_uncached(size, handle, gfp);
	page = alloc_pages(gfp | __GFP_ZERO, get_order(size));
	*handle = page ? page_to_phys(page) : DMA_MAPPING_ERROR;
	return page_address(page);
}

/**
 * dma_free_attrs() - free a buffer of dma_alloc_attrs()
 * @dev: the device
 * @size: bytes
 * @cpu_addr: the buffer
 * @handle: its DMA address
 * @attrs: DMA_ATTR_* flags
 *
 * Context: Any thread.
 */
void dma_free_attrs(struct device *dev, size_t size, void *cpu_addr,
		    dma_addr_t handle, unsigned long attrs)
{
	const struct dma_map_ops *ops = ops_of(dev);

	if (ops) {
		ops->free(dev, size, cpu_addr, handle, attrs);
	} else if (cpu_addr && !dev_is_dma_coherent(dev)) {
		uncached_track(cpu_addr, 0);
		vunmap(cpu_addr);
		__free_pages(pfn_to_page(PHYS_PFN(handle)), get_order(size));
	} else if (cpu_addr)
		__free_pages(virt_to_page(cpu_addr), get_order(size));
}

/**
 * dma_alloc_pages() - pages for streaming DMA
 * @dev: the device
 * @size: bytes
 * @handle: set to the DMA address
 * @dir: direction
 * @gfp: allocation flags
 *
 * Context: As allowed by @gfp.
 * Return: the first page, or NULL.
 */
struct page *dma_alloc_pages(struct device *dev, size_t size,
			     dma_addr_t *handle, enum dma_data_direction dir,
			     gfp_t gfp)
{
	const struct dma_map_ops *ops = ops_of(dev);
	struct page *page;

	if (ops)
		return (ops->alloc_pages)(dev, size, handle, dir, gfp);
	page = alloc_pages(gfp | __GFP_ZERO, get_order(size));
	*handle = page ? page_to_phys(page) : DMA_MAPPING_ERROR;
	return page;
}

/**
 * dma_free_pages() - free pages of dma_alloc_pages()
 * @dev: the device
 * @size: bytes
 * @page: the first page
 * @handle: the DMA address
 * @dir: direction
 *
 * Context: Any thread.
 */
void dma_free_pages(struct device *dev, size_t size, struct page *page,
		    dma_addr_t handle, enum dma_data_direction dir)
{
	const struct dma_map_ops *ops = ops_of(dev);

	if (ops)
		(ops->free_pages)(dev, size, page, handle, dir);
	else
		__free_pages(page, get_order(size));
}

/**
 * dma_supported() - whether a device can use a DMA mask
 * @dev: the device
 * @mask: the mask
 *
 * Context: Any thread.
 * Return: non-zero if supported.
 */
int dma_supported(struct device *dev, u64 mask)
{
	const struct dma_map_ops *ops = ops_of(dev);

	if (ops && ops->dma_supported)
		return ops->dma_supported(dev, mask);
	return 1;
}

/**
 * dma_set_mask() - set a device's streaming DMA mask
 * @dev: the device, with dev->dma_mask pointing at storage
 * @mask: the mask
 *
 * Context: Any thread.
 * Return: 0 or -EIO.
 */
int dma_set_mask(struct device *dev, u64 mask)
{
	if (!dev->dma_mask || !dma_supported(dev, mask))
		return -EIO;
	*dev->dma_mask = mask;
	return 0;
}

/**
 * dma_set_coherent_mask() - set a device's coherent DMA mask
 * @dev: the device
 * @mask: the mask
 *
 * Context: Any thread.
 * Return: 0 or -EIO.
 */
int dma_set_coherent_mask(struct device *dev, u64 mask)
{
	if (!dma_supported(dev, mask))
		return -EIO;
	dev->coherent_dma_mask = mask;
	return 0;
}

/**
 * dma_get_merge_boundary() - where a device's mappings can merge
 * @dev: the device
 *
 * Context: Any thread.
 * Return: the boundary mask, 0 if none.
 */
unsigned long dma_get_merge_boundary(struct device *dev)
{
	const struct dma_map_ops *ops = ops_of(dev);

	return ops && ops->get_merge_boundary ? ops->get_merge_boundary(dev) : 0;
}

/**
 * dma_need_sync() - whether the DMA layer must call a device's syncs
 * @dev: the device
 * @addr: a mapped DMA address
 *
 * Context: Any thread.
 * Return: true if its ops have sync operations, or a direct device does
 * not snoop.
 */
bool dma_need_sync(struct device *dev, dma_addr_t addr)
{
	const struct dma_map_ops *ops = ops_of(dev);

	if (!ops)
		return !dev_is_dma_coherent(dev);
	return ops->sync_single_for_cpu || ops->sync_single_for_device;
}

/**
 * dma_max_mapping_size() - the largest single mapping of a device
 * @dev: the device
 *
 * Context: Any thread.
 * Return: bytes.
 */
size_t dma_max_mapping_size(struct device *dev)
{
	const struct dma_map_ops *ops = ops_of(dev);

	return ops && ops->max_mapping_size ? ops->max_mapping_size(dev) :
					      SIZE_MAX;
}

/**
 * iox_compat_jiffies() - milliseconds of the monotonic clock
 *
 * Context: Any thread.
 * Return: the time in jiffies (HZ = 1000).
 */
unsigned long iox_compat_jiffies(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000UL + ts.tv_nsec / 1000000;
}

/**
 * msleep() - sleep
 * @ms: milliseconds
 *
 * Context: Any thread.
 */
void msleep(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts))
		;
}

/* The timer's thread: wait until armed and expired, run, repeat. */
static void *timer_main(void *arg)
{
	struct timer_list *t = arg;
	struct timespec ts;
	unsigned long now;

	pthread_mutex_lock(&t->lock);
	while (!t->stop) {
		if (!t->armed) {
			pthread_cond_wait(&t->cond, &t->lock);
			continue;
		}
		now = iox_compat_jiffies();
		if ((long)(t->expires - now) > 0) {
			clock_gettime(CLOCK_MONOTONIC, &ts);
			ts.tv_nsec += (t->expires - now) * 1000000L;
			ts.tv_sec += ts.tv_nsec / 1000000000L;
			ts.tv_nsec %= 1000000000L;
			pthread_cond_timedwait(&t->cond, &t->lock, &ts);
			continue;
		}
		t->armed = false;
		pthread_mutex_unlock(&t->lock);
		/* Like a softirq: on some CPU, for the callback's run. */
		iox_compat_cpu_enter();
		t->function(t);
		iox_compat_cpu_leave();
		pthread_mutex_lock(&t->lock);
	}
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

/**
 * timer_setup() - prepare a timer
 * @t: the timer
 * @fn: its callback
 * @flags: unused
 *
 * Context: Any thread.
 */
void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *),
		 unsigned int flags)
{
	pthread_condattr_t attr;

	t->function = fn;
	t->armed = false;
	t->stop = false;
	t->thread_live = false;
	pthread_mutex_init(&t->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&t->cond, &attr);
	pthread_condattr_destroy(&attr);
}

/**
 * mod_timer() - (re)arm a timer
 * @t: the timer
 * @expires: when, in jiffies
 *
 * Context: Any thread, also the timer's callback.
 * Return: 1 if it was armed, 0 if not.
 */
int mod_timer(struct timer_list *t, unsigned long expires)
{
	int was;

	pthread_mutex_lock(&t->lock);
	was = t->armed;
	t->expires = expires;
	t->armed = true;
	if (!t->thread_live) {
		t->stop = false;
		if (pthread_create(&t->thread, NULL, timer_main, t)) {
			pthread_mutex_unlock(&t->lock);
			fprintf(stderr, "iox-compat: cannot start a timer thread\n");
			abort();
		}
		t->thread_live = true;
	}
	pthread_cond_signal(&t->cond);
	pthread_mutex_unlock(&t->lock);
	return was;
}

/**
 * del_timer_sync() - disarm a timer and wait for its callback
 * @t: the timer
 *
 * Context: Any thread but the timer's callback.
 * Return: 1 if it was armed, 0 if not.
 */
int del_timer_sync(struct timer_list *t)
{
	bool live;
	int was;

	pthread_mutex_lock(&t->lock);
	was = t->armed;
	t->armed = false;
	t->stop = true;
	live = t->thread_live;
	pthread_cond_signal(&t->cond);
	pthread_mutex_unlock(&t->lock);
	if (live)
		pthread_join(t->thread, NULL);
	pthread_mutex_lock(&t->lock);
	t->thread_live = false;
	t->armed = false;
	pthread_mutex_unlock(&t->lock);
	return was;
}
