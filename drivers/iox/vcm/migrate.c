// SPDX-License-Identifier: GPL-2.0
/*
 * VCM migration: move a physical set to new memory while any number of
 * IOMMU, CPU and direct mappers map it - the seed's "foreach mapper of
 * pa_region remap(mapper, new_pa_region)".
 *
 * Under vcm_lock nothing backs, unbacks, activates or opens a CPU access
 * meanwhile. Each holder must be able to let go (vcm_res_holders()): an
 * active direct device or an open CPU access refuses. Then:
 *
 *  1. new chunks of the same sizes are allocated, and a CPU mapping of
 *     them made at a new address: failures here change nothing;
 *  2. each IOMMU mapping of the set is unmapped, its unit's TLB
 *     invalidated before iox_unmap() returns: from then on a DMA of an
 *     active device to the range faults (its VCM's fault hook hears of
 *     it) instead of writing memory already copied; each user mapping's
 *     PTEs are zapped: a process's access faults and waits for vcm_lock
 *     (mmap.c), to find the new pages;
 *  3. the old chunks are copied to the new ones;
 *  4. each IOMMU mapping is made again on the new chunks; CPU mappings
 *     move to their new address; direct reservations to the new chunk;
 *  5. the old chunks are freed.
 *
 * A DMA in flight when step 2 starts either completed before the
 * invalidation completed (its bytes are in the old chunks and copied) or
 * faults; none lands in the old chunks after the copy.
 */
#define pr_fmt(fmt) "iox-vcm: " fmt

#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include "vcm-priv.h"

/* -EBUSY with the first holder of @phys that cannot let go in @why. */
static int vcm_phys_refuses(struct vcm_phys *phys, struct vcm_holder *why)
{
	struct vcm_holder *h;
	struct vcm_res *res;
	unsigned int n, i;
	int ret = 0;

	list_for_each_entry(res, &phys->backings, backing) {
		n = vcm_res_holders(res, NULL, 0);
		h = kcalloc(n, sizeof(*h), GFP_KERNEL);
		if (!h)
			return -ENOMEM;
		vcm_res_holders(res, h, n);
		for (i = 0; i < n && h[i].movable; i++)
			;
		if (i < n) {
			if (why)
				*why = h[i];
			ret = -EBUSY;
		}
		kfree(h);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * The highest physical address the new memory of @phys may reach: below
 * the limit of the VCMs it was made for and of every mapper backing it.
 */
static phys_addr_t vcm_backers_limit(struct vcm_phys *phys)
{
	phys_addr_t limit = phys->limit;
	struct vcm_res *res;

	list_for_each_entry(res, &phys->backings, backing)
		if (res->vcm->domain)
			limit = min_t(phys_addr_t, limit,
				      res->vcm->domain->paddr_max);
	return limit;
}

/* New chunks of @phys's sizes, below vcm_backers_limit(). */
static int vcm_chunks_alloc_like(struct vcm_phys *phys, gfp_t gfp,
				 struct vcm_chunk **out)
{
	phys_addr_t limit = vcm_backers_limit(phys);
	struct vcm_chunk *chunks;
	unsigned int i, order;

	chunks = kcalloc(phys->nr_chunks, sizeof(*chunks), GFP_KERNEL);
	if (!chunks)
		return -ENOMEM;
	gfp = vcm_limit_gfp(limit, gfp);
	for (i = 0; i < phys->nr_chunks; i++) {
		order = phys->chunks[i].order;
		chunks[i].order = order;
		chunks[i].page = alloc_pages(gfp | (order ? __GFP_NOWARN : 0),
					     order);
		if (!chunks[i].page) {
			vcm_chunks_free(chunks, i);
			kfree(chunks);
			return -ENOMEM;
		}
	}
	if (!vcm_chunks_below(chunks, phys->nr_chunks, limit)) {
		vcm_chunks_free(chunks, phys->nr_chunks);
		kfree(chunks);
		return -ENOMEM;
	}
	*out = chunks;
	return 0;
}

/* Make the CPU mappings of @chunks: @res->addr is kept, the new in @cpu. */
static int vcm_cpu_premap(struct vcm_phys *phys, struct vcm_chunk *chunks,
			  u64 *cpu, unsigned int nr)
{
	struct vcm_res *res;
	unsigned int i = 0;
	u64 old;
	int ret;

	list_for_each_entry(res, &phys->backings, backing) {
		if (res->vcm->mapper != VCM_MAPPER_CPU)
			continue;
		old = res->addr;
		ret = vcm_res_map(res, chunks, phys->nr_chunks);
		cpu[i] = res->addr;
		res->addr = old;
		if (ret) {
			while (i--)
				vunmap((void *)(unsigned long)cpu[i]);
			return ret;
		}
		i++;
	}
	return 0;
}

static unsigned int vcm_nr_cpu(struct vcm_phys *phys)
{
	struct vcm_res *res;
	unsigned int n = 0;

	list_for_each_entry(res, &phys->backings, backing)
		n += res->vcm->mapper == VCM_MAPPER_CPU;
	return n;
}

/*
 * Map each IOMMU reservation of @phys on @chunks. If one fails, every one
 * goes back on @undo: those mapped already are unmapped first.
 */
static int vcm_iommu_remap(struct vcm_phys *phys, struct vcm_chunk *chunks,
			   struct vcm_chunk *undo)
{
	struct vcm_res *res, *r;
	bool mapped = true;
	int ret;

	list_for_each_entry(res, &phys->backings, backing) {
		if (res->vcm->mapper != VCM_MAPPER_IOMMU)
			continue;
		ret = vcm_res_map(res, chunks, phys->nr_chunks);
		if (!ret)
			continue;
		list_for_each_entry(r, &phys->backings, backing) {
			if (r->vcm->mapper != VCM_MAPPER_IOMMU)
				continue;
			if (r == res)
				mapped = false;
			if (mapped)
				vcm_res_unmap(r);
			/* Its tables may have been freed: this can fail too. */
			WARN(vcm_res_map(r, undo, phys->nr_chunks),
			     "iox-vcm: a reservation lost its mapping\n");
		}
		return ret;
	}
	return 0;
}

/**
 * vcm_migrate() - move a physical set to new memory under its mappers
 * @phys: the set; it keeps its identity, its chunks change
 * @gfp: allocation flags of the new chunks
 * @why: if not NULL, on -EBUSY, the holder that refused
 *
 * The new chunks have the sizes of the old ones, so every mapper keeps its
 * leaf sizes. IOMMU reservations keep their addresses; a CPU reservation
 * gets a new kernel address (CPU users reach it through
 * vcm_cpu_access_begin()), its user mappings (vcm_mmap()) refault on the
 * new pages; a direct reservation moves with its chunk.
 * The protocol is at the top of this file.
 *
 * Context: Process context.
 * Return: 0; -EBUSY if a holder cannot let go (an active direct device,
 * an open CPU access: see @why); -ENOMEM (nothing changed).
 */
int vcm_migrate(struct vcm_phys *phys, gfp_t gfp, struct vcm_holder *why)
{
	struct vcm_chunk *chunks;
	struct vcm_res *res;
	unsigned int i, nr_cpu;
	u64 *cpu = NULL;
	int ret;

	mutex_lock(&vcm_lock);
	ret = vcm_phys_refuses(phys, why);
	if (ret)
		goto out_unlock;
	ret = vcm_chunks_alloc_like(phys, gfp, &chunks);
	if (ret)
		goto out_unlock;
	nr_cpu = vcm_nr_cpu(phys);
	if (nr_cpu) {
		cpu = kcalloc(nr_cpu, sizeof(*cpu), GFP_KERNEL);
		ret = cpu ? vcm_cpu_premap(phys, chunks, cpu, nr_cpu) : -ENOMEM;
		if (ret)
			goto out_free;
	}

	list_for_each_entry(res, &phys->backings, backing) {
		if (res->vcm->mapper == VCM_MAPPER_IOMMU)
			vcm_res_unmap(res);
		else if (res->vcm->mapper == VCM_MAPPER_CPU)
			vcm_res_zap_users(res);
	}
	for (i = 0; i < phys->nr_chunks; i++)
		memcpy(page_address(chunks[i].page),
		       page_address(phys->chunks[i].page),
		       vcm_chunk_bytes(&chunks[i]));
	ret = vcm_iommu_remap(phys, chunks, phys->chunks);
	if (ret) {
		for (i = 0; i < nr_cpu; i++)
			vunmap((void *)(unsigned long)cpu[i]);
		goto out_free;
	}

	i = 0;
	list_for_each_entry(res, &phys->backings, backing) {
		if (res->vcm->mapper == VCM_MAPPER_CPU) {
			vunmap((void *)(unsigned long)res->addr);
			WRITE_ONCE(res->addr, cpu[i++]);
		} else if (res->vcm->mapper == VCM_MAPPER_DIRECT) {
			WRITE_ONCE(res->addr, page_to_phys(chunks[0].page));
		}
	}
	swap(phys->chunks, chunks);
out_free:
	vcm_chunks_free(chunks, phys->nr_chunks);
	kfree(chunks);
	kfree(cpu);
out_unlock:
	mutex_unlock(&vcm_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(vcm_migrate);
