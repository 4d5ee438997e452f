// SPDX-License-Identifier: GPL-2.0
/*
 * VCM backing: a physical set mapped into a reservation, by each kind of
 * mapper - the core's size-based map for an IOMMU VCM (the loop every
 * driver and KVM used to write), vmap() for the CPU, nothing for a direct
 * VCM, whose reservation is placed at its chunk.
 */
#define pr_fmt(fmt) "iox-vcm: " fmt

#include <linux/err.h>
#include <linux/mm.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "vcm-priv.h"

static int vcm_res_map_iommu(struct vcm_res *res, struct vcm_chunk *chunks)
{
	size_t done = 0, len;
	unsigned int i;
	int ret;

	for (i = 0; done < res->size; i++) {
		len = min(vcm_chunk_bytes(&chunks[i]), res->size - done);
		ret = iox_map(res->vcm->domain, res->addr + done,
			      page_to_phys(chunks[i].page), len, res->prot,
			      GFP_KERNEL);
		if (ret) {
			if (done)
				iox_unmap(res->vcm->domain, res->addr, done);
			return ret;
		}
		done += len;
	}
	return 0;
}

static int vcm_res_map_cpu(struct vcm_res *res, struct vcm_chunk *chunks)
{
	unsigned int n = res->size >> PAGE_SHIFT, i, j = 0;
	struct page **pages;
	void *addr;

	pages = kvcalloc(n, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	for (i = 0; j < n; i++) {
		unsigned int k, in_chunk = 1U << chunks[i].order;

		for (k = 0; k < in_chunk && j < n; k++)
			pages[j++] = chunks[i].page + k;
	}
	addr = vmap(pages, n, VM_MAP, PAGE_KERNEL);
	kvfree(pages);
	if (!addr)
		return -ENOMEM;
	WRITE_ONCE(res->addr, (unsigned long)addr);
	return 0;
}

/**
 * vcm_res_map() - map chunks into a reservation by its VCM's mapper
 * @res: the reservation, not mapped
 * @chunks: chunks holding at least @res->size bytes
 * @nr_chunks: how many (a direct VCM takes one)
 *
 * Context: Process context, under vcm_lock.
 * Return: 0, -EINVAL if a direct VCM gets more than one chunk, or the
 * mapper's errno (nothing is left mapped).
 */
int vcm_res_map(struct vcm_res *res, struct vcm_chunk *chunks,
		unsigned int nr_chunks)
{
	lockdep_assert_held(&vcm_lock);
	switch (res->vcm->mapper) {
	case VCM_MAPPER_IOMMU:
		return vcm_res_map_iommu(res, chunks);
	case VCM_MAPPER_CPU:
		return vcm_res_map_cpu(res, chunks);
	case VCM_MAPPER_DIRECT:
		if (nr_chunks != 1)
			return -EINVAL;
		WRITE_ONCE(res->addr, page_to_phys(chunks[0].page));
		return 0;
	}
	return -EINVAL;
}

/**
 * vcm_res_unmap() - remove what vcm_res_map() mapped
 * @res: the reservation, mapped
 *
 * An IOMMU mapping is gone from the unit's TLB when this returns.
 *
 * Context: Process context, under vcm_lock.
 */
void vcm_res_unmap(struct vcm_res *res)
{
	ssize_t ret;

	lockdep_assert_held(&vcm_lock);
	switch (res->vcm->mapper) {
	case VCM_MAPPER_IOMMU:
		ret = iox_unmap(res->vcm->domain, res->addr, res->size);
		/* It mapped exactly this range: nothing can refuse it. */
		WARN_ON(ret != res->size);
		break;
	case VCM_MAPPER_CPU:
		vunmap((void *)(unsigned long)res->addr);
		WRITE_ONCE(res->addr, 0);
		break;
	case VCM_MAPPER_DIRECT:
		WRITE_ONCE(res->addr, 0);
		break;
	}
}

/**
 * vcm_back() - map a physical set into a reservation
 * @res: the reservation, not backed
 * @phys: the set, at least as large as @res (its first bytes are mapped)
 *
 * An IOMMU VCM maps each chunk at its place with the largest leaves that
 * fit; a CPU VCM maps the pages with vmap() and the reservation takes that
 * address; a direct VCM's reservation is placed at the set's one chunk.
 *
 * Context: Process context.
 * Return: 0; -EBUSY if @res is backed already; -EINVAL if @phys is smaller
 * than @res or, for a direct VCM, not one chunk; the mapper's errno
 * (-ENOMEM). Nothing changes on error.
 */
int vcm_back(struct vcm_res *res, struct vcm_phys *phys)
{
	int ret;

	mutex_lock(&vcm_lock);
	if (res->phys)
		ret = -EBUSY;
	else if (phys->size < res->size)
		ret = -EINVAL;
	else
		ret = vcm_res_map(res, phys->chunks, phys->nr_chunks);
	if (!ret) {
		res->phys = phys;
		list_add_tail(&res->backing, &phys->backings);
	}
	mutex_unlock(&vcm_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(vcm_back);

/**
 * vcm_unback() - remove a reservation's backing
 * @res: the reservation
 *
 * Exactly what vcm_back() mapped goes (an IOMMU VCM's unit has forgotten
 * it on return; a CPU reservation's user mappings fault from then on); the
 * set stays allocated.
 *
 * Context: Process context.
 * Return: 0; -EINVAL if @res is not backed; -EBUSY while a CPU access is
 * open. Nothing changes on error.
 */
int vcm_unback(struct vcm_res *res)
{
	int ret = 0;

	mutex_lock(&vcm_lock);
	if (!res->phys) {
		ret = -EINVAL;
	} else if (res->cpu_users) {
		ret = -EBUSY;
	} else {
		if (res->vcm->mapper == VCM_MAPPER_CPU)
			vcm_res_zap_users(res);
		vcm_res_unmap(res);
		list_del_init(&res->backing);
		res->phys = NULL;
	}
	mutex_unlock(&vcm_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(vcm_unback);

/**
 * vcm_cpu_access_begin() - the kernel address of a CPU reservation
 * @res: a backed reservation of a CPU VCM
 *
 * The address stays valid until vcm_cpu_access_end(): meanwhile the
 * memory is pinned (vcm_migrate() refuses it, vcm_unback() too).
 *
 * Context: Process context.
 * Return: the address, or NULL if @res is not a backed CPU reservation.
 */
void *vcm_cpu_access_begin(struct vcm_res *res)
{
	void *addr = NULL;

	mutex_lock(&vcm_lock);
	if (res->vcm->mapper == VCM_MAPPER_CPU && res->phys) {
		res->cpu_users++;
		addr = (void *)(unsigned long)res->addr;
	}
	mutex_unlock(&vcm_lock);
	return addr;
}
EXPORT_SYMBOL_GPL(vcm_cpu_access_begin);

/**
 * vcm_cpu_access_end() - end an access vcm_cpu_access_begin() opened
 * @res: the reservation
 *
 * Context: Process context.
 */
void vcm_cpu_access_end(struct vcm_res *res)
{
	mutex_lock(&vcm_lock);
	if (!WARN_ON(!res->cpu_users))
		res->cpu_users--;
	mutex_unlock(&vcm_lock);
}
EXPORT_SYMBOL_GPL(vcm_cpu_access_end);
