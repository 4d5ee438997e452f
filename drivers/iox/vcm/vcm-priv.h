/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VCM internals. One mutex, vcm_lock, orders every change of the graph and
 * every walk of it: VCM calls are set-up and tear-down paths, not the DMA
 * fast path, and one lock makes migration, back and unback plain to
 * reason about (a migration never sees a half-backed reservation).
 */
#ifndef _IOX_VCM_PRIV_H
#define _IOX_VCM_PRIV_H

#include <linux/iox.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/vcm.h>

extern struct mutex vcm_lock;
extern struct list_head vcm_list;
extern struct list_head vcm_phys_list;

/**
 * struct vcm - a device-virtual address space bound to a mapper
 * @node: link in vcm_list
 * @id: its number in the graph's dump
 * @mapper: what translates its addresses
 * @domain: VCM_MAPPER_IOMMU: its iox paging domain
 * @start: VCM_MAPPER_IOMMU: first address reservations may use
 * @last: VCM_MAPPER_IOMMU: last address reservations may use
 * @pgsizes: the sizes its mapper maps with
 * @res: its reservations; for VCM_MAPPER_IOMMU by address
 * @assocs: its associations
 * @fault_lock: orders @assocs and their hooks against fault reports
 */
struct vcm {
	struct list_head node;
	unsigned int id;
	enum vcm_mapper mapper;
	struct iox_domain *domain;
	u64 start;
	u64 last;
	unsigned long pgsizes;
	struct list_head res;
	struct list_head assocs;
	spinlock_t fault_lock;	/* @assocs' membership and hooks */
};

/**
 * struct vcm_res - a range of a VCM
 * @vcm: its VCM
 * @node: link in @vcm->res
 * @addr: first address; for CPU and direct VCMs set while backed only
 * @size: bytes
 * @prot: IOX_* permissions of its mappings
 * @phys: the set backing it, or NULL
 * @backing: link in @phys->backings
 * @cpu_users: open vcm_cpu_access_begin() calls (CPU VCMs)
 * @user_maps: its mmap()s into processes (CPU VCMs; mmap.c)
 */
struct vcm_res {
	struct vcm *vcm;
	struct list_head node;
	u64 addr;
	size_t size;
	int prot;
	struct vcm_phys *phys;
	struct list_head backing;
	unsigned int cpu_users;
	struct list_head user_maps;
};

/**
 * struct vcm_chunk - physically contiguous, naturally aligned memory
 * @page: its first page
 * @order: it is PAGE_SIZE << @order bytes
 */
struct vcm_chunk {
	struct page *page;
	unsigned int order;
};

/**
 * struct vcm_phys - a set of physical chunks, in order
 * @node: link in vcm_phys_list
 * @id: its number in the graph's dump
 * @backings: the reservations it backs
 * @size: bytes the set offers (the chunks may hold more)
 * @limit: the highest physical address the VCMs it was allocated for
 *	reach: its memory stays below, migrated or not
 * @nr_chunks: entries of @chunks
 * @chunks: the memory
 */
struct vcm_phys {
	struct list_head node;
	unsigned int id;
	struct list_head backings;
	size_t size;
	phys_addr_t limit;
	unsigned int nr_chunks;
	struct vcm_chunk *chunks;
};

/**
 * struct vcm_assoc - a VCM tied to a device
 * @vcm: the VCM
 * @dev: the device
 * @node: link in @vcm->assocs
 * @active: the device's DMA goes through @vcm
 * @identity: a direct VCM's device behind an iox unit, while active: the
 *	unit's identity domain it is attached to, so its addresses are
 *	physical ones
 * @hook: fault hook, or NULL
 * @hook_data: its data
 */
struct vcm_assoc {
	struct vcm *vcm;
	struct device *dev;
	struct list_head node;
	bool active;
	struct iox_domain *identity;
	vcm_fault_hook_t hook;
	void *hook_data;
};

static inline size_t vcm_chunk_bytes(const struct vcm_chunk *c)
{
	return PAGE_SIZE << c->order;
}

int vcm_res_map(struct vcm_res *res, struct vcm_chunk *chunks,
		unsigned int nr_chunks);
void vcm_res_unmap(struct vcm_res *res);
bool vcm_active(const struct vcm *vcm);
unsigned int vcm_next_id(void);
void vcm_chunks_free(struct vcm_chunk *chunks, unsigned int nr);
gfp_t vcm_limit_gfp(phys_addr_t limit, gfp_t gfp);
bool vcm_chunks_below(const struct vcm_chunk *chunks, unsigned int nr,
		      phys_addr_t limit);
/* mmap.c; the userspace build has no processes to map into */
#ifdef IOX_USERSPACE
static inline void vcm_res_zap_users(struct vcm_res *res)
{
}

static inline unsigned int vcm_res_nr_user_maps(const struct vcm_res *res)
{
	return 0;
}
#else
void vcm_res_zap_users(struct vcm_res *res);
unsigned int vcm_res_nr_user_maps(const struct vcm_res *res);
#endif
unsigned int vcm_res_holders(struct vcm_res *res, struct vcm_holder *holders,
			     unsigned int max);

#endif /* _IOX_VCM_PRIV_H */
