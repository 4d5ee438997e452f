// SPDX-License-Identifier: GPL-2.0
/*
 * iox-mock IOTLB: a small fully associative cache of leaf translations
 * tagged by domain, filled by every walk and emptied only by explicit
 * invalidation, so a missing invalidation shows as a stale translation.
 * All functions run under mock->lock.
 */
#include "mock-priv.h"

/**
 * mock_iotlb_find() - the cached translation of an IOVA
 * @mock: the unit
 * @asid: domain tag
 * @iova: the IOVA
 *
 * Context: mock->lock held.
 * Return: the entry or NULL.
 */
struct iox_mock_iotlb_entry *mock_iotlb_find(struct iox_mock *mock, u32 asid,
					     u64 iova)
{
	struct iox_mock_iotlb_entry *e;
	unsigned int i;

	for (i = 0; i < mock->cfg.iotlb_entries; i++) {
		e = &mock->iotlb[i];
		if (e->valid && e->asid == asid && iova >= e->iova &&
		    iova - e->iova < e->size)
			return e;
	}
	return NULL;
}

/**
 * mock_iotlb_insert() - cache a translation, evicting round-robin
 * @mock: the unit
 * @asid: domain tag
 * @iova: start of the leaf
 * @size: leaf size
 * @phys: physical address of the leaf
 * @prot: IOX_* permissions, 0 for a not-present result
 *
 * Context: mock->lock held.
 */
void mock_iotlb_insert(struct iox_mock *mock, u32 asid, u64 iova, u64 size,
		       phys_addr_t phys, int prot)
{
	struct iox_mock_iotlb_entry *e = &mock->iotlb[mock->iotlb_next];

	mock->iotlb_next = (mock->iotlb_next + 1) % mock->cfg.iotlb_entries;
	e->asid = asid;
	e->iova = iova;
	e->size = size;
	e->phys = phys;
	e->prot = prot;
	e->valid = true;
}

/**
 * mock_iotlb_inv_range() - drop a domain's entries overlapping a range
 * @mock: the unit
 * @asid: domain tag
 * @start: first IOVA
 * @last: last IOVA
 *
 * Context: mock->lock held.
 */
void mock_iotlb_inv_range(struct iox_mock *mock, u32 asid, u64 start, u64 last)
{
	struct iox_mock_iotlb_entry *e;
	unsigned int i;

	for (i = 0; i < mock->cfg.iotlb_entries; i++) {
		e = &mock->iotlb[i];
		if (e->valid && e->asid == asid && e->iova <= last &&
		    e->iova + e->size - 1 >= start)
			e->valid = false;
	}
	mock->stats.inv_range++;
}

/**
 * mock_iotlb_inv_asid() - drop every entry of a domain
 * @mock: the unit
 * @asid: domain tag
 *
 * Context: mock->lock held.
 */
void mock_iotlb_inv_asid(struct iox_mock *mock, u32 asid)
{
	unsigned int i;

	for (i = 0; i < mock->cfg.iotlb_entries; i++)
		if (mock->iotlb[i].asid == asid)
			mock->iotlb[i].valid = false;
	mock->stats.inv_all++;
}
