// SPDX-License-Identifier: GPL-2.0
/*
 * VCM user mappings: a CPU reservation mapped into a process through a
 * driver's mmap, the CPU mapper's second kind beside the kernel's vmap.
 *
 * The mapping holds no page: its PTEs are raw PFNs (VM_PFNMAP, so no
 * get_user_pages() pin can outlive them) filled on fault from the
 * reservation's backing of the moment. Migration and unback zap them
 * through the file's address_space (unmap_mapping_range(), safe against a
 * concurrent munmap, unlike a walk of a remembered vma) before the old
 * pages are copied or let go, so the next access faults in the new pages.
 * A fault takes vcm_lock, which a migration holds from the zap to the
 * remap: no PTE to the old pages can come back in between.
 *
 * Lock order: mmap_lock (fault, mmap, munmap), then vcm_lock, then the
 * address_space's i_mmap_rwsem (the zap).
 */
#define pr_fmt(fmt) "iox-vcm: " fmt

#include <linux/err.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include "vcm-priv.h"

/**
 * struct vcm_user_map - the vmas of one mmap() of a reservation
 * @node: link in @res->user_maps
 * @res: the reservation
 * @mapping: the mapped file's address_space, through which PTEs are zapped
 * @pgoff: the file page at which the reservation's first page is mapped
 * @nr_vmas: vmas sharing it (a split or mremap() makes more)
 */
struct vcm_user_map {
	struct list_head node;
	struct vcm_res *res;
	struct address_space *mapping;
	pgoff_t pgoff;
	unsigned int nr_vmas;
};

/* The PFN of page @index of @res's backing, or 0 past its end. */
static unsigned long vcm_res_pfn(const struct vcm_res *res, pgoff_t index)
{
	const struct vcm_phys *phys = res->phys;
	unsigned int i;

	if ((u64)index << PAGE_SHIFT >= res->size)
		return 0;
	for (i = 0; i < phys->nr_chunks; i++) {
		if (index < (1UL << phys->chunks[i].order))
			return page_to_pfn(phys->chunks[i].page) + index;
		index -= 1UL << phys->chunks[i].order;
	}
	return 0;
}

static vm_fault_t vcm_user_fault(struct vm_fault *vmf)
{
	struct vcm_user_map *um = vmf->vma->vm_private_data;
	vm_fault_t ret = VM_FAULT_SIGBUS;
	unsigned long pfn;

	mutex_lock(&vcm_lock);
	if (um->res->phys && vmf->pgoff >= um->pgoff) {
		pfn = vcm_res_pfn(um->res, vmf->pgoff - um->pgoff);
		if (pfn)
			ret = vmf_insert_pfn(vmf->vma, vmf->address, pfn);
	}
	mutex_unlock(&vcm_lock);
	return ret;
}

static void vcm_user_open(struct vm_area_struct *vma)
{
	struct vcm_user_map *um = vma->vm_private_data;

	mutex_lock(&vcm_lock);
	um->nr_vmas++;
	mutex_unlock(&vcm_lock);
}

static void vcm_user_close(struct vm_area_struct *vma)
{
	struct vcm_user_map *um = vma->vm_private_data;

	mutex_lock(&vcm_lock);
	if (!--um->nr_vmas) {
		list_del(&um->node);
		kfree(um);
	}
	mutex_unlock(&vcm_lock);
}

static const struct vm_operations_struct vcm_user_vm_ops = {
	.open = vcm_user_open,
	.close = vcm_user_close,
	.fault = vcm_user_fault,
};

/**
 * vcm_mmap() - map a CPU reservation into a process, from a driver's mmap
 * @res: a reservation of a CPU VCM, backed or not (a fault of an unbacked
 *	one gets SIGBUS)
 * @vma: a shared mapping of a file, at most @res's size: its first page
 *	maps @res's first page
 *
 * The mapping follows the reservation: a migration moves it to the new
 * pages, an unback leaves it faulting (SIGBUS). Until the last of its
 * vmas is unmapped, @res cannot be unreserved. vcm_holders() counts it in
 * the CPU holder's @user_maps.
 *
 * Context: Process context, the mmap_lock of @vma's mm held for writing
 * (a file's mmap method).
 * Return: 0; -EINVAL for a reservation of another mapper, a vma larger
 * than @res, not shared or not of a file; -EACCES for a writable vma of a
 * read-only reservation; -ENOMEM. Nothing changes on error.
 */
int vcm_mmap(struct vcm_res *res, struct vm_area_struct *vma)
{
	struct vcm_user_map *um;

	if (res->vcm->mapper != VCM_MAPPER_CPU || !vma->vm_file ||
	    !(vma->vm_flags & VM_SHARED) ||
	    vma->vm_end - vma->vm_start > res->size)
		return -EINVAL;
	if (!(res->prot & IOX_WRITE)) {
		if (vma->vm_flags & VM_WRITE)
			return -EACCES;
		vma->vm_flags &= ~VM_MAYWRITE;
	}
	um = kzalloc(sizeof(*um), GFP_KERNEL);
	if (!um)
		return -ENOMEM;
	um->res = res;
	um->mapping = vma->vm_file->f_mapping;
	um->pgoff = vma->vm_pgoff;
	um->nr_vmas = 1;
	/* Raw PFNs: no struct page reference, no pin, no copy to a child. */
	vma->vm_flags |= VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP | VM_DONTCOPY;
	vma->vm_ops = &vcm_user_vm_ops;
	vma->vm_private_data = um;
	mutex_lock(&vcm_lock);
	list_add_tail(&um->node, &res->user_maps);
	mutex_unlock(&vcm_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(vcm_mmap);

/**
 * vcm_res_zap_users() - drop every user PTE of a reservation
 * @res: a CPU reservation
 *
 * The next access of each user mapping faults and finds the backing of
 * that moment.
 *
 * Context: Process context, under vcm_lock.
 */
void vcm_res_zap_users(struct vcm_res *res)
{
	struct vcm_user_map *um;

	lockdep_assert_held(&vcm_lock);
	list_for_each_entry(um, &res->user_maps, node)
		unmap_mapping_range(um->mapping, (loff_t)um->pgoff << PAGE_SHIFT,
				    res->size, 1);
}

/**
 * vcm_res_nr_user_maps() - how many mmap()s of a reservation are open
 * @res: the reservation
 *
 * Context: Under vcm_lock.
 * Return: the count.
 */
unsigned int vcm_res_nr_user_maps(const struct vcm_res *res)
{
	const struct vcm_user_map *um;
	unsigned int n = 0;

	lockdep_assert_held(&vcm_lock);
	list_for_each_entry(um, &res->user_maps, node)
		n++;
	return n;
}
