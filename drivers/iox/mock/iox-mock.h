/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iox-mock: a software IOMMU unit for tests.
 *
 * It has its own page-table format walked in software, a software IOTLB
 * that keeps translations until the core invalidates them, and endpoints
 * (stand-ins for devices) whose "DMA" translates through the unit exactly
 * as hardware would, reporting faults through the core. A test that forgets
 * an invalidation sees a stale translation, as it would on real hardware.
 */
#ifndef _IOX_MOCK_H
#define _IOX_MOCK_H

#include <linux/iox-driver.h>
#include <linux/iox-pt.h>

struct iox_mock;

/**
 * struct iox_mock_config - shape of a mock unit
 * @pgsize_bitmap: page sizes of its domains, a subset of 4K|2M|1G
 * @ias: input address bits, 21..48: 1 to 4 levels of 512-entry tables
 * @oas: output address bits, up to 52
 * @iotlb_entries: software IOTLB size, 1..IOX_MOCK_MAX_IOTLB
 * @caches_not_present: the IOTLB also caches failed walks, so new
 *	mappings need iotlb_sync_map (like VT-d caching mode)
 * @max_pasid_bits: PASID width, 0 for none
 * @msi_window: report the x86 MSI window as reserved for every device
 * @use_pt: paging domains use the page-table engine with @pt's shape
 *	instead of the mock's own table (@pgsize_bitmap, @ias and @oas are
 *	then taken from @pt)
 * @pt: engine configuration for @use_pt
 */
struct iox_mock_config {
	unsigned long pgsize_bitmap;
	unsigned int ias;
	unsigned int oas;
	unsigned int iotlb_entries;
	bool caches_not_present;
	unsigned int max_pasid_bits;
	bool msi_window;
	bool use_pt;
	struct iox_pt_cfg pt;
};

#define IOX_MOCK_MAX_IOTLB	256
#define IOX_MOCK_MSI_START	0xfee00000ULL
#define IOX_MOCK_MSI_LENGTH	0x100000ULL

/**
 * struct iox_mock_stats - what the mock hardware has seen
 * @table_pages: page-table pages currently allocated by all domains
 * @iotlb_hits: translations served by the IOTLB
 * @iotlb_misses: translations that walked the table
 * @inv_range: range invalidations received
 * @inv_all: whole-domain invalidations received
 * @faults: faults reported to the core
 * @map_calls: map_pages calls
 * @last_map_pgsize: page size of the latest map_pages call
 * @last_map_pgcount: page count of the latest map_pages call
 */
struct iox_mock_stats {
	long table_pages;
	unsigned long iotlb_hits;
	unsigned long iotlb_misses;
	unsigned long inv_range;
	unsigned long inv_all;
	unsigned long faults;
	unsigned long map_calls;
	size_t last_map_pgsize;
	size_t last_map_pgcount;
};

void iox_mock_default_config(struct iox_mock_config *cfg);
struct iox_mock *iox_mock_create(const struct iox_mock_config *cfg);
void iox_mock_destroy(struct iox_mock *mock);
int iox_mock_add_endpoint(struct iox_mock *mock, struct device *dev, u32 sid,
			  u64 group_key);
int iox_mock_set_direct(struct iox_mock *mock, struct device *dev, u64 start,
			u64 length);
void iox_mock_remove_endpoint(struct iox_mock *mock, struct device *dev);
int iox_mock_dma(struct iox_mock *mock, struct device *dev, u64 iova,
		 u32 access, phys_addr_t *phys);
void iox_mock_fail_table_alloc(struct iox_mock *mock, unsigned int nth);
int iox_mock_failed_level(struct iox_mock *mock);
void iox_mock_get_stats(struct iox_mock *mock, struct iox_mock_stats *stats);
struct iox_pt *iox_mock_domain_pt(struct iox_domain *domain);

struct device *iox_mock_device_alloc(const char *name);
void iox_mock_device_free(struct device *dev);

#endif /* _IOX_MOCK_H */
