// SPDX-License-Identifier: GPL-2.0
/*
 * VCM queries: from physical memory to every mapping of it - which
 * reservations of which VCMs, for which devices and CPUs - and what each
 * holder is doing with it, for a power manager about to switch a range of
 * memory off and for migration.
 */
#define pr_fmt(fmt) "iox-vcm: " fmt

#include <linux/io.h>
#include <linux/module.h>
#include <linux/mm.h>
#include "vcm-priv.h"

/*
 * Call @fn for each part of @res's mapping of @phys in [@start, @end):
 * one call per chunk part, with the VCM address of that part.
 */
static int vcm_res_walk(struct vcm_res *res, struct vcm_phys *phys,
			phys_addr_t start, phys_addr_t end, vcm_mapping_fn fn,
			void *data)
{
	struct vcm_mapping map = { .vcm = res->vcm, .res = res };
	phys_addr_t cpa, lo, hi;
	size_t off = 0, len;
	unsigned int i;
	int ret;

	for (i = 0; i < phys->nr_chunks && off < res->size; i++) {
		cpa = page_to_phys(phys->chunks[i].page);
		len = min(vcm_chunk_bytes(&phys->chunks[i]), res->size - off);
		lo = max(cpa, start);
		hi = min(cpa + len, end);
		if (lo < hi) {
			map.addr = res->addr + off + (lo - cpa);
			map.phys = lo;
			map.size = hi - lo;
			ret = fn(&map, data);
			if (ret)
				return ret;
		}
		off += len;
	}
	return 0;
}

/**
 * vcm_walk_mappings() - every mapping of a physical range in the graph
 * @start: first physical address
 * @size: bytes
 * @fn: called under vcm_lock for each mapping (one per reservation and
 *	chunk): it must not call into the VCM; a non-zero return stops the
 *	walk
 * @data: passed to @fn
 *
 * Context: Process context.
 * Return: 0, -EINVAL for an empty or wrapping range, or @fn's non-zero
 * return.
 */
int vcm_walk_mappings(phys_addr_t start, size_t size, vcm_mapping_fn fn,
		      void *data)
{
	struct vcm_phys *phys;
	struct vcm_res *res;
	int ret = 0;

	if (!size || start + size - 1 < start)
		return -EINVAL;
	mutex_lock(&vcm_lock);
	list_for_each_entry(phys, &vcm_phys_list, node) {
		list_for_each_entry(res, &phys->backings, backing) {
			ret = vcm_res_walk(res, phys, start, start + size, fn,
					   data);
			if (ret)
				goto out;
		}
	}
out:
	mutex_unlock(&vcm_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(vcm_walk_mappings);

static int vcm_found(const struct vcm_mapping *map, void *data)
{
	return 1;
}

/* Whether @res maps any of [@start, @end) of @phys. */
static bool vcm_res_maps(struct vcm_res *res, struct vcm_phys *phys,
			 phys_addr_t start, phys_addr_t end)
{
	return vcm_res_walk(res, phys, start, end, vcm_found, NULL) == 1;
}

/* Add one holder, if there is room; count it anyway. */
static void vcm_hold(struct vcm_holder *holders, unsigned int max,
		     unsigned int *n, struct vcm_res *res, struct device *dev,
		     enum vcm_state state)
{
	struct vcm_holder *h;

	if (*n < max) {
		h = &holders[*n];
		h->vcm = res->vcm;
		h->res = res;
		h->mapper = res->vcm->mapper;
		h->dev = dev;
		h->state = state;
		h->user_maps = vcm_res_nr_user_maps(res);
		/* What vcm_migrate() can move: see Documentation/iox/vcm.rst. */
		h->movable = state == VCM_IDLE ||
			     (state == VCM_ACTIVE &&
			      h->mapper == VCM_MAPPER_IOMMU);
	}
	(*n)++;
}

/**
 * vcm_res_holders() - who holds a reservation's mapping
 * @res: the reservation, backed
 * @holders: filled with up to @max answers
 * @max: room in @holders
 *
 * One answer per association of its VCM (the device, active or idle), or
 * one without a device if it has none; a CPU reservation answers pinned
 * while an access is open.
 *
 * Context: Under vcm_lock.
 * Return: the number of answers, which may exceed @max.
 */
unsigned int vcm_res_holders(struct vcm_res *res, struct vcm_holder *holders,
			     unsigned int max)
{
	struct vcm *vcm = res->vcm;
	struct vcm_assoc *assoc;
	unsigned int n = 0;

	lockdep_assert_held(&vcm_lock);
	if (vcm->mapper == VCM_MAPPER_CPU) {
		vcm_hold(holders, max, &n, res, NULL,
			 res->cpu_users ? VCM_PINNED : VCM_IDLE);
		return n;
	}
	list_for_each_entry(assoc, &vcm->assocs, node)
		vcm_hold(holders, max, &n, res, assoc->dev,
			 assoc->active ? VCM_ACTIVE : VCM_IDLE);
	if (!n)
		vcm_hold(holders, max, &n, res, NULL, VCM_IDLE);
	return n;
}

/**
 * vcm_holders() - ask every mapper of a physical range whether it can let go
 * @start: first physical address
 * @size: bytes
 * @holders: filled with up to @max answers: for each reservation mapping
 *	part of the range, each device associated with its VCM (or the CPU)
 *	with its state and whether vcm_migrate() could move the memory away
 *	from it now
 * @max: room in @holders
 *
 * Context: Process context.
 * Return: the number of answers (0: nothing maps the range; more than
 * @max: the first @max were filled), or -EINVAL for an empty or wrapping
 * range.
 */
int vcm_holders(phys_addr_t start, size_t size, struct vcm_holder *holders,
		unsigned int max)
{
	struct vcm_phys *phys;
	struct vcm_res *res;
	unsigned int n = 0;

	if (!size || start + size - 1 < start)
		return -EINVAL;
	mutex_lock(&vcm_lock);
	list_for_each_entry(phys, &vcm_phys_list, node)
		list_for_each_entry(res, &phys->backings, backing)
			if (vcm_res_maps(res, phys, start, start + size))
				n += vcm_res_holders(res, holders + min(n, max),
						     max - min(n, max));
	mutex_unlock(&vcm_lock);
	return n;
}
EXPORT_SYMBOL_GPL(vcm_holders);
