/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iox DMA-API backend: unmodified drivers calling dma_map_*() on a device
 * in an iox DMA domain are served by iox (IOVA allocation, map, unmap,
 * strict or deferred invalidation, bounce buffers for untrusted devices).
 *
 * See Documentation/iox/dma.rst.
 */
#ifndef _LINUX_IOX_DMA_H
#define _LINUX_IOX_DMA_H

#include <linux/types.h>
#include <linux/dma-direction.h>

struct device;

/* Caller-chosen (fixed) IOVA windows a device may have. */
#define IOX_DMA_MAX_FIXED_WINDOWS	4

/* Flags of iox_dma_attach() */
#define IOX_DMA_UNTRUSTED	BIT(0)	/* treat as untrusted: strict, bounced */
#define IOX_DMA_GUARD		BIT(1)	/* an unmapped granule after each range */

/**
 * struct iox_dma_stats - what a device's DMA backend holds
 * @live_mappings: IOVA ranges mapped and not yet unmapped
 * @live_bounces: bounce buffers in use
 * @fq_pending: unmapped ranges waiting in the flush queue
 * @fq_flushes: flush-queue invalidations issued
 * @bad_unmaps: unmaps refused: never mapped, already unmapped, wrong size
 * @map_errors: maps answered with DMA_MAPPING_ERROR
 */
struct iox_dma_stats {
	unsigned long live_mappings;
	unsigned long live_bounces;
	unsigned long fq_pending;
	unsigned long fq_flushes;
	unsigned long bad_unmaps;
	unsigned long map_errors;
};

/**
 * enum iox_dma_mem_type - what a two-step link maps
 * @IOX_DMA_MEM_NORMAL: ordinary memory, mapped as is
 * @IOX_DMA_MEM_P2P: another device's memory (peer-to-peer): mapped as
 *	MMIO, never cached
 * @IOX_DMA_MEM_ENCRYPTED: memory the device cannot read as is (encrypted
 *	guest memory): bounced through pages of its own
 */
enum iox_dma_mem_type {
	IOX_DMA_MEM_NORMAL,
	IOX_DMA_MEM_P2P,
	IOX_DMA_MEM_ENCRYPTED,
};

/**
 * struct iox_dma_iova_state - an IOVA range held by a two-step caller
 * @addr: DMA address of the range's first byte, 0 when none is held
 * @size: bytes the caller asked for
 * @len: private: bytes of whole granules allocated
 */
struct iox_dma_iova_state {
	dma_addr_t addr;
	size_t size;
	size_t len;
};

int iox_dma_attach(struct device *dev, unsigned int type, unsigned int flags);
void iox_dma_detach(struct device *dev);
bool iox_dma_is_attached(struct device *dev);
void iox_dma_flush(struct device *dev);
int iox_dma_get_stats(struct device *dev, struct iox_dma_stats *stats);

bool iox_dma_iova_try_alloc(struct device *dev,
			    struct iox_dma_iova_state *state,
			    phys_addr_t phys, size_t size);
int iox_dma_iova_link(struct device *dev, struct iox_dma_iova_state *state,
		      phys_addr_t phys, size_t offset, size_t size,
		      enum dma_data_direction dir,
		      enum iox_dma_mem_type type);
int iox_dma_iova_sync(struct device *dev, struct iox_dma_iova_state *state,
		      size_t offset, size_t size);
void iox_dma_iova_unlink(struct device *dev,
			 struct iox_dma_iova_state *state, size_t offset,
			 size_t size, enum dma_data_direction dir);
void iox_dma_iova_destroy(struct device *dev,
			  struct iox_dma_iova_state *state, size_t mapped_len,
			  enum dma_data_direction dir);
void iox_dma_iova_free(struct device *dev, struct iox_dma_iova_state *state);

bool iox_dma_fixed_capable(struct device *dev);
int iox_dma_fixed_window(struct device *dev, dma_addr_t start, size_t size);
int iox_dma_map_fixed(struct device *dev, dma_addr_t iova, phys_addr_t phys,
		      size_t size, enum dma_data_direction dir);
int iox_dma_unmap_fixed(struct device *dev, dma_addr_t iova, size_t size);

#endif /* _LINUX_IOX_DMA_H */
