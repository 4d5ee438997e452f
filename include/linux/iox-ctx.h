/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Translation contexts of a unit, for drivers whose hardware has a fixed
 * number of them (SMMU v1/v2 context banks, the MSM IOMMU's): a domain
 * takes one while devices are attached, and a context fault finds its
 * domain through it. One allocator in the core instead of one per driver.
 */
#ifndef _LINUX_IOX_CTX_H
#define _LINUX_IOX_CTX_H

#include <linux/bits.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct device;
struct iox_domain;

/*
 * The context fault status bits that ARM's VMSA-derived units share (the
 * SMMU v1/v2 CB_FSR, the MSM IOMMU's FSR: ARM DDI 0406C B4.1.52's
 * layout): a translation fault, an access flag fault, a permission fault.
 */
#define IOX_CTX_FSR_TF		BIT(1)
#define IOX_CTX_FSR_AFF		BIT(2)
#define IOX_CTX_FSR_PF		BIT(3)

#define IOX_CTX_MAX	128

/**
 * struct iox_ctx_pool - a unit's translation contexts
 * @lock: protects @owner
 * @nr: contexts the unit has, at most IOX_CTX_MAX
 * @owner: the domain each context serves, NULL when free
 */
struct iox_ctx_pool {
	spinlock_t lock;	/* @owner */
	unsigned int nr;
	struct iox_domain *owner[IOX_CTX_MAX];
};

int iox_ctx_pool_init(struct iox_ctx_pool *pool, unsigned int nr);
int iox_ctx_alloc(struct iox_ctx_pool *pool, unsigned int first,
		  struct iox_domain *domain);
void iox_ctx_free(struct iox_ctx_pool *pool, unsigned int ctx);
struct iox_domain *iox_ctx_domain(struct iox_ctx_pool *pool,
				  unsigned int ctx);
bool iox_ctx_in_use(struct iox_ctx_pool *pool, unsigned int ctx);
int iox_ctx_report_fault(struct iox_ctx_pool *pool, unsigned int ctx,
			 struct device *dev, u64 iova, u32 flags, u32 fsr);

#endif /* _LINUX_IOX_CTX_H */
