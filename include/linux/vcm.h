/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VCM: the mapper graph on top of iox. A VCM is a device-virtual address
 * space bound to one mapper: an iox paging domain (a device behind an
 * IOMMU), the kernel's page tables (a CPU), or none at all (an MMU-less
 * device, whose addresses are physical). Reservations are ranges of a
 * VCM; physical sets are memory allocated in the chunk sizes the mappers
 * that will map it use best; backing maps a set into a reservation.
 * Associations tie a VCM to the devices that use it, and activation puts
 * the device's DMA through it. Every mapping of a physical range can be
 * found, moved to other memory, and asked whether it can let the range go.
 * See Documentation/iox/vcm.rst.
 */
#ifndef _LINUX_VCM_H
#define _LINUX_VCM_H

#include <linux/types.h>

struct device;
struct vm_area_struct;
struct vcm;
struct vcm_res;
struct vcm_phys;
struct vcm_assoc;

/**
 * enum vcm_mapper - what translates a VCM's addresses
 * @VCM_MAPPER_IOMMU: an iox paging domain on the unit of a device
 * @VCM_MAPPER_CPU: the CPU's page tables: a backed reservation is a
 *	kernel virtual mapping (vmap), and may also be mapped into processes
 *	(vcm_mmap())
 * @VCM_MAPPER_DIRECT: nothing: a device without an MMU addresses physical
 *	memory, so a reservation is placed where its one contiguous chunk is
 */
enum vcm_mapper {
	VCM_MAPPER_IOMMU,
	VCM_MAPPER_CPU,
	VCM_MAPPER_DIRECT,
};

/**
 * typedef vcm_fault_hook_t - a fault of a device through its VCM
 * @assoc: the device's association
 * @addr: the device address that faulted
 * @flags: IOX_FAULT_* flags
 * @data: the hook's data
 *
 * Context: The unit driver's fault context (may be an interrupt thread).
 * Return: 0 if handled; a negative errno lets the core report it.
 */
typedef int (*vcm_fault_hook_t)(struct vcm_assoc *assoc, u64 addr, u32 flags,
				void *data);

/**
 * struct vcm_mapping - one mapping of physical memory in the graph
 * @vcm: the VCM
 * @res: the reservation it is part of
 * @addr: the VCM address of @phys
 * @phys: the first physical address of the mapping, in the range asked
 * @size: bytes, contiguous in both spaces
 */
struct vcm_mapping {
	struct vcm *vcm;
	struct vcm_res *res;
	u64 addr;
	phys_addr_t phys;
	size_t size;
};

/**
 * typedef vcm_mapping_fn - called for each mapping vcm_walk_mappings() finds
 * @map: the mapping
 * @data: the caller's data
 *
 * Context: Under the VCM's lock: it must not call into the VCM.
 * Return: 0 to go on, anything else to stop the walk with it.
 */
typedef int (*vcm_mapping_fn)(const struct vcm_mapping *map, void *data);

/**
 * enum vcm_state - what a mapper of a physical range is doing with it
 * @VCM_IDLE: mapped, but no associated device is active (and, for the
 *	CPU, no access is open): the mapping can move or go
 * @VCM_ACTIVE: an associated device is active: its DMA may be in flight;
 *	an IOMMU mapping can still be moved (the core blocks the range while
 *	it copies), a direct one cannot
 * @VCM_PINNED: the CPU holds an open access (vcm_cpu_access_begin()): the
 *	address it was given must stay valid
 */
enum vcm_state {
	VCM_IDLE,
	VCM_ACTIVE,
	VCM_PINNED,
};

/**
 * struct vcm_holder - a mapper's answer about a physical range
 * @vcm: the VCM mapping part of the range
 * @res: its reservation
 * @mapper: the VCM's mapper
 * @dev: an associated device, NULL for the CPU or a VCM without one
 * @state: what the mapper (and @dev) does with the range
 * @movable: whether vcm_migrate() can move the range away from it now
 * @user_maps: a CPU reservation's mmap()s into processes, which follow a
 *	migration (they refault on the new pages)
 */
struct vcm_holder {
	struct vcm *vcm;
	struct vcm_res *res;
	enum vcm_mapper mapper;
	struct device *dev;
	enum vcm_state state;
	bool movable;
	unsigned int user_maps;
};

struct vcm *vcm_create(struct device *dev, u64 start, u64 size);
struct vcm *vcm_create_cpu(void);
struct vcm *vcm_create_direct(void);
int vcm_destroy(struct vcm *vcm);
enum vcm_mapper vcm_mapper(const struct vcm *vcm);
unsigned long vcm_pgsizes(const struct vcm *vcm);

struct vcm_res *vcm_reserve(struct vcm *vcm, size_t size, int prot);
struct vcm_res *vcm_reserve_at(struct vcm *vcm, u64 addr, size_t size,
			       int prot);
int vcm_unreserve(struct vcm_res *res);
u64 vcm_res_addr(const struct vcm_res *res);
size_t vcm_res_size(const struct vcm_res *res);

unsigned long vcm_chunk_sizes(struct vcm *const *vcms, unsigned int nr);
struct vcm_phys *vcm_phys_alloc(struct vcm *const *vcms, unsigned int nr,
				size_t size, gfp_t gfp);
int vcm_phys_free(struct vcm_phys *phys);
size_t vcm_phys_size(const struct vcm_phys *phys);
unsigned int vcm_phys_nr_chunks(const struct vcm_phys *phys);
int vcm_phys_chunk(const struct vcm_phys *phys, unsigned int i,
		   phys_addr_t *pa, size_t *size);
phys_addr_t vcm_phys_addr(const struct vcm_phys *phys, size_t off);

int vcm_back(struct vcm_res *res, struct vcm_phys *phys);
int vcm_unback(struct vcm_res *res);
void *vcm_cpu_access_begin(struct vcm_res *res);
void vcm_cpu_access_end(struct vcm_res *res);
int vcm_mmap(struct vcm_res *res, struct vm_area_struct *vma);

struct vcm_assoc *vcm_assoc(struct vcm *vcm, struct device *dev);
int vcm_deassoc(struct vcm_assoc *assoc);
int vcm_activate(struct vcm_assoc *assoc);
int vcm_deactivate(struct vcm_assoc *assoc);
void vcm_set_fault_hook(struct vcm_assoc *assoc, vcm_fault_hook_t hook,
			void *data);

int vcm_walk_mappings(phys_addr_t start, size_t size, vcm_mapping_fn fn,
		      void *data);
int vcm_holders(phys_addr_t start, size_t size, struct vcm_holder *holders,
		unsigned int max);
int vcm_migrate(struct vcm_phys *phys, gfp_t gfp, struct vcm_holder *why);
size_t vcm_graph_dump(char *buf, size_t size);

#endif /* _LINUX_VCM_H */
