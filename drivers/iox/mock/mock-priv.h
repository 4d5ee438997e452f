/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iox-mock internals: the unit, its domains, page table and IOTLB.
 */
#ifndef _IOX_MOCK_PRIV_H
#define _IOX_MOCK_PRIV_H

#include <linux/spinlock.h>
#include <linux/atomic.h>
#include "iox-mock.h"

/*
 * The mock's page-table entry: 512 entries of 8 bytes per 4 KiB table.
 * bit 0 valid; bit 1 table (else leaf); bits 2-7 the IOX_* prot of a leaf;
 * bits 12-51 the physical address of the next table or of the page.
 */
#define MOCK_PTE_VALID		BIT_ULL(0)
#define MOCK_PTE_TABLE		BIT_ULL(1)
#define MOCK_PTE_PROT_SHIFT	2
#define MOCK_PTE_PROT_MASK	GENMASK_ULL(7, 2)
#define MOCK_PTE_ADDR_MASK	GENMASK_ULL(51, 12)
#define MOCK_TABLE_SHIFT	9
#define MOCK_TABLE_ENTRIES	BIT(MOCK_TABLE_SHIFT)
#define MOCK_GRANULE_SHIFT	12
#define MOCK_MAX_LEVELS		4

/**
 * struct iox_mock_iotlb_entry - one cached translation
 * @asid: domain tag
 * @iova: start of the cached leaf
 * @size: leaf size
 * @phys: physical address of the leaf
 * @prot: IOX_* permissions, 0 for a cached not-present walk
 * @valid: entry in use
 */
struct iox_mock_iotlb_entry {
	u32 asid;
	u64 iova;
	u64 size;
	phys_addr_t phys;
	int prot;
	bool valid;
};

/**
 * struct iox_mock_domain - a mock domain
 * @domain: the core's view
 * @mock: the unit
 * @root: top-level table of the mock's own format, NULL for blocked and
 *	identity domains and for engine-backed ones
 * @levels: table levels below the root pointer
 * @asid: IOTLB tag
 * @pt: the engine's table, when the mock has use_pt
 */
struct iox_mock_domain {
	struct iox_domain domain;
	struct iox_mock *mock;
	u64 *root;
	unsigned int levels;
	u32 asid;
	struct iox_pt pt;
};

/**
 * struct iox_mock_endpoint - a device behind the mock unit
 * @node: link in the mock's endpoint list
 * @dev: the device
 * @sid: its stream ID
 * @group_key: devices with equal keys share a group
 * @direct_start: start of its direct (identity) region
 * @direct_length: length of it, 0 for none
 * @ctx: the domain its "stream table entry" points at, NULL until probed
 */
struct iox_mock_endpoint {
	struct list_head node;
	struct device *dev;
	u32 sid;
	u64 group_key;
	u64 direct_start;
	u64 direct_length;
	struct iox_mock_domain *ctx;
};

/**
 * struct iox_mock - a mock unit
 * @unit: the core's view
 * @cfg: its shape
 * @lock: protects @endpoints, contexts and the IOTLB, like a hardware
 *	walker that sees one consistent state per request
 * @endpoints: struct iox_mock_endpoint list
 * @iotlb: the software IOTLB
 * @iotlb_next: round-robin replacement cursor
 * @next_asid: next domain tag
 * @table_pages: live table pages
 * @fail_nth: fail the table allocation this many allocations from now
 * @failed_level: table level of the last injected failure, -1 for none
 * @map_calls: map_pages calls (lockless path)
 * @last_map_pgsize: page size of the latest map_pages call
 * @last_map_pgcount: page count of the latest map_pages call
 * @stats: counters kept under @lock, reported by iox_mock_get_stats()
 */
struct iox_mock {
	struct iox_unit unit;
	struct iox_mock_config cfg;
	spinlock_t lock;		/* the walker's view: see above */
	struct list_head endpoints;
	struct iox_mock_iotlb_entry iotlb[IOX_MOCK_MAX_IOTLB];
	unsigned int iotlb_next;
	atomic_t next_asid;
	atomic_long_t table_pages;
	atomic_t fail_nth;
	int failed_level;
	atomic_long_t map_calls;
	size_t last_map_pgsize;
	size_t last_map_pgcount;
	struct iox_mock_stats stats;
};

static inline struct iox_mock_domain *to_mock_domain(struct iox_domain *d)
{
	return container_of(d, struct iox_mock_domain, domain);
}

/* endpoint.c */
struct iox_mock_endpoint *mock_endpoint_find(struct iox_mock *mock,
					     struct device *dev);

/* pgtable.c */
int mock_pt_init(struct iox_mock_domain *md, gfp_t gfp);
void mock_pt_free(struct iox_mock_domain *md);
int mock_pt_map(struct iox_mock_domain *md, u64 iova, phys_addr_t paddr,
		size_t pgsize, size_t pgcount, int prot, gfp_t gfp,
		size_t *mapped);
ssize_t mock_pt_unmap(struct iox_mock_domain *md, u64 iova, u64 size,
		      struct iox_iotlb_gather *gather);
int mock_pt_walk(struct iox_mock_domain *md, u64 iova, struct iox_leaf *leaf);

/* unit.c */
int mock_attach_dev(struct iox_domain *domain, struct iox_dev *idev);

/* pt-domain.c */
int mock_pt_domain_init(struct iox_mock_domain *md);
int mock_domain_walk(struct iox_mock_domain *md, u64 iova,
		     struct iox_leaf *leaf);

/* iotlb.c, all under mock->lock */
struct iox_mock_iotlb_entry *mock_iotlb_find(struct iox_mock *mock, u32 asid,
					     u64 iova);
void mock_iotlb_insert(struct iox_mock *mock, u32 asid, u64 iova, u64 size,
		       phys_addr_t phys, int prot);
void mock_iotlb_inv_range(struct iox_mock *mock, u32 asid, u64 start,
			  u64 last);
void mock_iotlb_inv_asid(struct iox_mock *mock, u32 asid);

#endif /* _IOX_MOCK_PRIV_H */
