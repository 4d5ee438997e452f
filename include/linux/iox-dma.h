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

struct device;

/* Flags of iox_dma_attach() */
#define IOX_DMA_UNTRUSTED	BIT(0)	/* treat as untrusted: strict, bounced */

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

int iox_dma_attach(struct device *dev, unsigned int type, unsigned int flags);
void iox_dma_detach(struct device *dev);
bool iox_dma_is_attached(struct device *dev);
void iox_dma_flush(struct device *dev);
int iox_dma_get_stats(struct device *dev, struct iox_dma_stats *stats);

#endif /* _LINUX_IOX_DMA_H */
