// SPDX-License-Identifier: GPL-2.0
/*
 * VCM reservations: ranges of a VCM. An IOMMU VCM keeps them sorted by
 * address and places a new one first-fit, aligned to the largest page size
 * it fits, so that memory of large chunks is mapped with large leaves. A
 * VCM holds few, long-lived buffers: a sorted list is enough.
 */
#define pr_fmt(fmt) "iox-vcm: " fmt

#include <linux/err.h>
#include <linux/module.h>
#include <linux/slab.h>
#include "vcm-priv.h"

static struct vcm_res *vcm_res_new(struct vcm *vcm, size_t size, int prot)
{
	struct vcm_res *res = kzalloc(sizeof(*res), GFP_KERNEL);

	if (!res)
		return NULL;
	res->vcm = vcm;
	res->size = size;
	res->prot = prot;
	INIT_LIST_HEAD(&res->backing);
	INIT_LIST_HEAD(&res->user_maps);
	return res;
}

static bool vcm_size_ok(const struct vcm *vcm, size_t size, int prot)
{
	unsigned long granule = vcm->pgsizes & -vcm->pgsizes;

	return size && !(size & (granule - 1)) && !(prot & ~IOX_PROT_MASK);
}

/* The alignment that lets @size be mapped with the VCM's largest leaves. */
static u64 vcm_res_align(const struct vcm *vcm, size_t size)
{
	unsigned long fit = vcm->pgsizes & GENMASK(__fls(size), 0);

	return 1ULL << __fls(fit);
}

/* Insert @res, placed, before the first reservation above it. */
static void vcm_res_insert(struct vcm *vcm, struct vcm_res *res)
{
	struct vcm_res *next;

	list_for_each_entry(next, &vcm->res, node)
		if (next->addr > res->addr)
			break;
	list_add_tail(&res->node, &next->node);
}

/* First fit of @size at @align in the VCM's window; false if none. */
static bool vcm_res_place(struct vcm *vcm, struct vcm_res *res, u64 align)
{
	u64 addr = ALIGN(vcm->start, align);
	struct vcm_res *r;

	list_for_each_entry(r, &vcm->res, node) {
		if (addr + res->size - 1 < r->addr)
			break;
		addr = max(addr, ALIGN(r->addr + r->size, align));
	}
	if (addr < vcm->start || addr > vcm->last ||
	    res->size - 1 > vcm->last - addr)
		return false;
	res->addr = addr;
	return true;
}

/**
 * vcm_reserve() - reserve a range of a VCM where the VCM chooses
 * @vcm: the VCM
 * @size: bytes, a multiple of the VCM's smallest page
 * @prot: IOX_* permissions its mappings will have
 *
 * An IOMMU VCM places it now, aligned to the largest of its page sizes
 * that @size holds; CPU and direct VCMs place it when it is backed.
 *
 * Context: Process context.
 * Return: the reservation, or an ERR_PTR(): -EINVAL for a bad size or
 * permission, -ENOSPC if the VCM has no room, -ENOMEM.
 */
struct vcm_res *vcm_reserve(struct vcm *vcm, size_t size, int prot)
{
	struct vcm_res *res;

	if (!vcm_size_ok(vcm, size, prot))
		return ERR_PTR(-EINVAL);
	res = vcm_res_new(vcm, size, prot);
	if (!res)
		return ERR_PTR(-ENOMEM);
	mutex_lock(&vcm_lock);
	if (vcm->mapper == VCM_MAPPER_IOMMU) {
		if (!vcm_res_place(vcm, res, vcm_res_align(vcm, size)) &&
		    !vcm_res_place(vcm, res, vcm->pgsizes & -vcm->pgsizes)) {
			mutex_unlock(&vcm_lock);
			kfree(res);
			return ERR_PTR(-ENOSPC);
		}
		vcm_res_insert(vcm, res);
	} else {
		list_add_tail(&res->node, &vcm->res);
	}
	mutex_unlock(&vcm_lock);
	return res;
}
EXPORT_SYMBOL_GPL(vcm_reserve);

/**
 * vcm_reserve_at() - reserve a range of an IOMMU VCM at a fixed address
 * @vcm: the VCM
 * @addr: first address, a multiple of the VCM's smallest page
 * @size: bytes, likewise
 * @prot: IOX_* permissions its mappings will have
 *
 * Context: Process context.
 * Return: the reservation, or an ERR_PTR(): -EOPNOTSUPP for a CPU or
 * direct VCM (their addresses are chosen when backed), -EINVAL for a bad
 * address, size or permission or a range outside the VCM, -EBUSY if it
 * overlaps another reservation, -ENOMEM. Nothing changes on error.
 */
struct vcm_res *vcm_reserve_at(struct vcm *vcm, u64 addr, size_t size,
			       int prot)
{
	unsigned long granule = vcm->pgsizes & -vcm->pgsizes;
	struct vcm_res *res, *r;

	if (vcm->mapper != VCM_MAPPER_IOMMU)
		return ERR_PTR(-EOPNOTSUPP);
	if (!vcm_size_ok(vcm, size, prot) || addr & (granule - 1) ||
	    addr < vcm->start || addr > vcm->last ||
	    size - 1 > vcm->last - addr)
		return ERR_PTR(-EINVAL);
	res = vcm_res_new(vcm, size, prot);
	if (!res)
		return ERR_PTR(-ENOMEM);
	res->addr = addr;
	mutex_lock(&vcm_lock);
	list_for_each_entry(r, &vcm->res, node) {
		if (r->addr <= addr + size - 1 && addr <= r->addr + r->size - 1) {
			mutex_unlock(&vcm_lock);
			kfree(res);
			return ERR_PTR(-EBUSY);
		}
	}
	vcm_res_insert(vcm, res);
	mutex_unlock(&vcm_lock);
	return res;
}
EXPORT_SYMBOL_GPL(vcm_reserve_at);

/**
 * vcm_unreserve() - give back an unbacked reservation
 * @res: the reservation, freed
 *
 * Context: Process context.
 * Return: 0, or -EBUSY while it is backed or a process maps it
 * (vcm_mmap()); nothing changes then.
 */
int vcm_unreserve(struct vcm_res *res)
{
	mutex_lock(&vcm_lock);
	if (res->phys || !list_empty(&res->user_maps)) {
		mutex_unlock(&vcm_lock);
		return -EBUSY;
	}
	list_del(&res->node);
	mutex_unlock(&vcm_lock);
	kfree(res);
	return 0;
}
EXPORT_SYMBOL_GPL(vcm_unreserve);

/**
 * vcm_res_addr() - where a reservation is in its VCM
 * @res: the reservation
 *
 * For a CPU VCM the address is the kernel's, valid while backed; use
 * vcm_cpu_access_begin() to access it: a migration may move it.
 *
 * Context: Any context; stable under vcm_lock or while nothing migrates
 * the memory backing @res.
 * Return: its first address, or 0 while a CPU or direct reservation is
 * not backed.
 */
u64 vcm_res_addr(const struct vcm_res *res)
{
	return READ_ONCE(res->addr);
}
EXPORT_SYMBOL_GPL(vcm_res_addr);

/**
 * vcm_res_size() - a reservation's size
 * @res: the reservation
 *
 * Context: Any context.
 * Return: its bytes.
 */
size_t vcm_res_size(const struct vcm_res *res)
{
	return res->size;
}
EXPORT_SYMBOL_GPL(vcm_res_size);
