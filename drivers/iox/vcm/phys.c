// SPDX-License-Identifier: GPL-2.0
/*
 * VCM physical sets: memory allocated as chunks of the sizes the mappers
 * that will map it use best. Every mapper can map a chunk that is a
 * multiple of its smallest page; one that is also a page size of an IOMMU
 * mapper, and naturally aligned as the page allocator's blocks are, is one
 * leaf there, so the IOMMU's TLB needs one entry for it. Allocation takes
 * the largest chunk that fits what is left ("max munch") and falls back to
 * smaller ones when the allocator has no such block.
 */
#define pr_fmt(fmt) "iox-vcm: " fmt

#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/slab.h>
#include "vcm-priv.h"

LIST_HEAD(vcm_phys_list);

/* The largest block the page allocator gives. */
#define VCM_MAX_CHUNK	(PAGE_SIZE << (MAX_ORDER - 1))

/**
 * vcm_chunk_sizes() - the chunk sizes memory for some VCMs is made of
 * @vcms: the VCMs the memory will be backed into
 * @nr: how many
 *
 * The page sizes of the IOMMU VCMs that every VCM can map (multiples of
 * each one's smallest page) and the page allocator can give, and that
 * smallest page. A direct VCM takes one contiguous chunk: its bit is
 * then the only one (see vcm_phys_alloc()).
 *
 * Context: Any context.
 * Return: a bitmap of chunk sizes, 0 if @nr is 0.
 */
unsigned long vcm_chunk_sizes(struct vcm *const *vcms, unsigned int nr)
{
	unsigned long granule = PAGE_SIZE, sizes = 0, min;
	unsigned int i;

	if (!nr)
		return 0;
	for (i = 0; i < nr; i++) {
		min = vcms[i]->pgsizes & -vcms[i]->pgsizes;
		granule = max(granule, min);
		sizes |= vcms[i]->pgsizes;
	}
	sizes &= ~(granule - 1) & (VCM_MAX_CHUNK | (VCM_MAX_CHUNK - 1));
	return sizes | granule;
}
EXPORT_SYMBOL_GPL(vcm_chunk_sizes);

/* The highest physical address every VCM's mapper reaches. */
static phys_addr_t vcm_phys_limit(struct vcm *const *vcms, unsigned int nr)
{
	phys_addr_t limit = ~(phys_addr_t)0;
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (vcms[i]->domain)
			limit = min_t(phys_addr_t, limit,
				      vcms[i]->domain->paddr_max);
	return limit;
}

/**
 * vcm_limit_gfp() - allocation flags for memory below a limit
 * @limit: the highest physical address the memory may reach
 * @gfp: the caller's flags
 *
 * A mapper that reaches only the low 4 GiB (ARM v7s) gets them.
 *
 * Context: Any context.
 * Return: @gfp, with GFP_DMA32 where @limit needs it.
 */
gfp_t vcm_limit_gfp(phys_addr_t limit, gfp_t gfp)
{
	return limit <= DMA_BIT_MASK(32) ? gfp | GFP_DMA32 : gfp;
}

/**
 * vcm_chunks_below() - whether chunks lie below a limit
 * @chunks: the chunks
 * @nr: how many
 * @limit: the highest physical address they may reach
 *
 * Context: Any context.
 * Return: true if every byte of every chunk is at most @limit.
 */
bool vcm_chunks_below(const struct vcm_chunk *chunks, unsigned int nr,
		      phys_addr_t limit)
{
	phys_addr_t last;
	unsigned int i;

	for (i = 0; i < nr; i++) {
		last = page_to_phys(chunks[i].page) +
		       vcm_chunk_bytes(&chunks[i]) - 1;
		if (last > limit)
			return false;
	}
	return true;
}

/**
 * vcm_chunks_free() - give chunks back to the page allocator
 * @chunks: the chunks
 * @nr: how many
 *
 * Context: Any context.
 */
void vcm_chunks_free(struct vcm_chunk *chunks, unsigned int nr)
{
	while (nr--)
		__free_pages(chunks[nr].page, chunks[nr].order);
}

/* Room for @want chunks in @phys, keeping those it has. */
static int vcm_phys_grow(struct vcm_phys *phys, unsigned int *cap,
			 unsigned int want, gfp_t gfp)
{
	struct vcm_chunk *chunks;

	if (want <= *cap)
		return 0;
	chunks = kcalloc(want, sizeof(*chunks), gfp);
	if (!chunks)
		return -ENOMEM;
	if (phys->nr_chunks)
		memcpy(chunks, phys->chunks,
		       phys->nr_chunks * sizeof(*chunks));
	kfree(phys->chunks);
	phys->chunks = chunks;
	*cap = want;
	return 0;
}

/* How many chunks max munch takes for @size, if every block is there. */
static unsigned int vcm_munch_count(size_t size, unsigned long sizes)
{
	unsigned int n = 0;
	unsigned long s;

	while (size) {
		s = 1UL << __fls(sizes & GENMASK(__fls(size), 0));
		n += size / s;
		size %= s;
	}
	return n;
}

/* Max munch of @size from @sizes into @phys. */
static int vcm_munch(struct vcm_phys *phys, size_t size, unsigned long sizes,
		     gfp_t gfp)
{
	unsigned int cap = 0, order;
	unsigned long s, left;
	struct page *page;
	int ret;

	while (size) {
		left = sizes & GENMASK(__fls(size), 0);
		if (!left)
			return -ENOMEM;
		s = 1UL << __fls(left);
		order = get_order(s);
		ret = vcm_phys_grow(phys, &cap, phys->nr_chunks +
				    vcm_munch_count(size, sizes), gfp);
		if (ret)
			return ret;
		/* A large block may be missing: try the next size then. */
		page = alloc_pages(gfp | __GFP_ZERO |
				   (order ? __GFP_NOWARN | __GFP_NORETRY : 0),
				   order);
		if (!page) {
			if (s == (sizes & -sizes))
				return -ENOMEM;
			sizes &= ~s;
			continue;
		}
		phys->chunks[phys->nr_chunks].page = page;
		phys->chunks[phys->nr_chunks].order = order;
		phys->nr_chunks++;
		size -= s;
	}
	return 0;
}

/**
 * vcm_phys_alloc() - memory for some VCMs, in the chunks they map best
 * @vcms: the VCMs it will be backed into (at least one)
 * @nr: how many
 * @size: bytes, a multiple of vcm_chunk_sizes()' smallest size
 * @gfp: allocation flags (GFP_KERNEL); GFP_DMA32 is added where a
 *	mapper reaches only the low 4 GiB
 *
 * With a direct VCM among @vcms the memory is one physically contiguous
 * chunk (of the next power-of-two size the page allocator gives, of which
 * @size bytes are the set's); otherwise chunks of vcm_chunk_sizes(),
 * largest first, each naturally aligned. The memory is zeroed.
 *
 * Context: Process context.
 * Return: the set, or an ERR_PTR(): -EINVAL for a bad size or no VCM,
 * -ENOMEM (also for a contiguous chunk larger than the page allocator's
 * largest block, or memory a mapper cannot reach).
 */
struct vcm_phys *vcm_phys_alloc(struct vcm *const *vcms, unsigned int nr,
				size_t size, gfp_t gfp)
{
	unsigned long sizes = vcm_chunk_sizes(vcms, nr);
	phys_addr_t limit = vcm_phys_limit(vcms, nr);
	struct vcm_phys *phys;
	unsigned int i;
	int ret;

	if (!sizes || !size || size & ((sizes & -sizes) - 1))
		return ERR_PTR(-EINVAL);
	gfp = vcm_limit_gfp(limit, gfp);
	for (i = 0; i < nr; i++)
		if (vcms[i]->mapper == VCM_MAPPER_DIRECT)
			break;
	if (i < nr) {
		if (size > VCM_MAX_CHUNK)
			return ERR_PTR(-ENOMEM);
		sizes = PAGE_SIZE << get_order(size);
	}
	phys = kzalloc(sizeof(*phys), GFP_KERNEL);
	if (!phys)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&phys->backings);
	phys->size = size;
	phys->limit = limit;
	if (i < nr)
		ret = vcm_munch(phys, sizes, sizes, gfp);
	else
		ret = vcm_munch(phys, size, sizes, gfp);
	if (!ret && !vcm_chunks_below(phys->chunks, phys->nr_chunks, limit))
		ret = -ENOMEM;
	if (ret) {
		vcm_chunks_free(phys->chunks, phys->nr_chunks);
		kfree(phys->chunks);
		kfree(phys);
		return ERR_PTR(ret);
	}
	mutex_lock(&vcm_lock);
	phys->id = vcm_next_id();
	list_add_tail(&phys->node, &vcm_phys_list);
	mutex_unlock(&vcm_lock);
	return phys;
}
EXPORT_SYMBOL_GPL(vcm_phys_alloc);

/**
 * vcm_phys_free() - free a set that backs nothing
 * @phys: the set
 *
 * Context: Process context.
 * Return: 0, or -EBUSY while it backs a reservation (nothing changes).
 */
int vcm_phys_free(struct vcm_phys *phys)
{
	mutex_lock(&vcm_lock);
	if (!list_empty(&phys->backings)) {
		mutex_unlock(&vcm_lock);
		return -EBUSY;
	}
	list_del(&phys->node);
	mutex_unlock(&vcm_lock);
	vcm_chunks_free(phys->chunks, phys->nr_chunks);
	kfree(phys->chunks);
	kfree(phys);
	return 0;
}
EXPORT_SYMBOL_GPL(vcm_phys_free);

/**
 * vcm_phys_size() - the bytes a set offers
 * @phys: the set
 *
 * Context: Any context.
 * Return: the size it was allocated with.
 */
size_t vcm_phys_size(const struct vcm_phys *phys)
{
	return phys->size;
}
EXPORT_SYMBOL_GPL(vcm_phys_size);

/**
 * vcm_phys_nr_chunks() - how many chunks a set has
 * @phys: the set
 *
 * Context: Any context.
 * Return: the number of chunks.
 */
unsigned int vcm_phys_nr_chunks(const struct vcm_phys *phys)
{
	return phys->nr_chunks;
}
EXPORT_SYMBOL_GPL(vcm_phys_nr_chunks);

/**
 * vcm_phys_chunk() - one chunk of a set
 * @phys: the set
 * @i: the chunk's index
 * @pa: its physical address
 * @size: its bytes
 *
 * Context: Any context; stable under vcm_lock or while nothing migrates
 * @phys.
 * Return: 0, or -EINVAL past the last chunk.
 */
int vcm_phys_chunk(const struct vcm_phys *phys, unsigned int i,
		   phys_addr_t *pa, size_t *size)
{
	if (i >= phys->nr_chunks)
		return -EINVAL;
	*pa = page_to_phys(phys->chunks[i].page);
	*size = vcm_chunk_bytes(&phys->chunks[i]);
	return 0;
}
EXPORT_SYMBOL_GPL(vcm_phys_chunk);

/**
 * vcm_phys_addr() - the physical address of a byte of a set
 * @phys: the set
 * @off: the byte's offset in it, across its chunks
 *
 * Context: Any context; stable under vcm_lock or while nothing migrates
 * @phys.
 * Return: the address, or 0 past the set's chunks.
 */
phys_addr_t vcm_phys_addr(const struct vcm_phys *phys, size_t off)
{
	unsigned int i;

	for (i = 0; i < phys->nr_chunks; i++) {
		if (off < vcm_chunk_bytes(&phys->chunks[i]))
			return page_to_phys(phys->chunks[i].page) + off;
		off -= vcm_chunk_bytes(&phys->chunks[i]);
	}
	return 0;
}
EXPORT_SYMBOL_GPL(vcm_phys_addr);
