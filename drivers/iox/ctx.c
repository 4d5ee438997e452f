// SPDX-License-Identifier: GPL-2.0
/*
 * iox: a unit's translation contexts (include/linux/iox-ctx.h).
 */
#include <linux/errno.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/iox.h>
#include <linux/iox-ctx.h>

/**
 * iox_ctx_pool_init() - a pool of @nr free contexts
 * @pool: the pool
 * @nr: contexts, 1..IOX_CTX_MAX
 *
 * Context: Any context.
 * Return: 0, or -EINVAL for a count out of range.
 */
int iox_ctx_pool_init(struct iox_ctx_pool *pool, unsigned int nr)
{
	if (!nr || nr > IOX_CTX_MAX)
		return -EINVAL;
	spin_lock_init(&pool->lock);
	pool->nr = nr;
	memset(pool->owner, 0, sizeof(pool->owner));
	return 0;
}
EXPORT_SYMBOL_GPL(iox_ctx_pool_init);

/**
 * iox_ctx_alloc() - give a domain the first free context from @first on
 * @pool: the pool
 * @first: the lowest context the domain may take (e.g. past the stage-2
 *	only context banks of an SMMU)
 * @domain: its owner
 *
 * Context: Any context; takes the pool's lock.
 * Return: the context's index, or -ENOSPC when none is free.
 */
int iox_ctx_alloc(struct iox_ctx_pool *pool, unsigned int first,
		  struct iox_domain *domain)
{
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&pool->lock, flags);
	for (i = first; i < pool->nr; i++) {
		if (!pool->owner[i]) {
			pool->owner[i] = domain;
			spin_unlock_irqrestore(&pool->lock, flags);
			return i;
		}
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	return -ENOSPC;
}
EXPORT_SYMBOL_GPL(iox_ctx_alloc);

/**
 * iox_ctx_free() - give a context back
 * @pool: the pool
 * @ctx: a context of iox_ctx_alloc()
 *
 * Context: Any context; takes the pool's lock.
 */
void iox_ctx_free(struct iox_ctx_pool *pool, unsigned int ctx)
{
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	WARN_ON(ctx >= pool->nr || !pool->owner[ctx]);
	if (ctx < pool->nr)
		pool->owner[ctx] = NULL;
	spin_unlock_irqrestore(&pool->lock, flags);
}
EXPORT_SYMBOL_GPL(iox_ctx_free);

/**
 * iox_ctx_domain() - the domain a context serves, for its fault reports
 * @pool: the pool
 * @ctx: the context
 *
 * Context: Any context, including hard IRQ; takes the pool's lock.
 * Return: the domain, or NULL for a free or unknown context.
 */
struct iox_domain *iox_ctx_domain(struct iox_ctx_pool *pool,
				  unsigned int ctx)
{
	struct iox_domain *domain = NULL;
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	if (ctx < pool->nr)
		domain = pool->owner[ctx];
	spin_unlock_irqrestore(&pool->lock, flags);
	return domain;
}
EXPORT_SYMBOL_GPL(iox_ctx_domain);

/**
 * iox_ctx_in_use() - whether a context serves a domain
 * @pool: the pool
 * @ctx: the context
 *
 * Context: Any context, including hard IRQ.
 * Return: true if it does.
 */
bool iox_ctx_in_use(struct iox_ctx_pool *pool, unsigned int ctx)
{
	return iox_ctx_domain(pool, ctx);
}
EXPORT_SYMBOL_GPL(iox_ctx_in_use);

/**
 * iox_ctx_report_fault() - report a context's fault to its domain's owner
 * @pool: the pool
 * @ctx: the context that faulted
 * @dev: the device whose access faulted
 * @iova: the faulting address
 * @flags: IOX_FAULT_* access flags
 * @fsr: the context's fault status, IOX_CTX_FSR_* bits decoded into the
 *	generic reason, the whole kept as the hardware reason
 *
 * Context: Any context, including hard IRQ.
 * Return: as iox_report_fault().
 */
int iox_ctx_report_fault(struct iox_ctx_pool *pool, unsigned int ctx,
			 struct device *dev, u64 iova, u32 flags, u32 fsr)
{
	struct iox_fault fault = {
		.iova = iova,
		.flags = flags,
		.hw_reason = fsr,
		.reason = fsr & (IOX_CTX_FSR_TF | IOX_CTX_FSR_AFF) ?
			  IOX_FAULT_NOT_PRESENT :
			  fsr & IOX_CTX_FSR_PF ? IOX_FAULT_PERMISSION :
			  IOX_FAULT_REASON_UNKNOWN,
	};

	return iox_report_fault(iox_ctx_domain(pool, ctx), dev, &fault);
}
EXPORT_SYMBOL_GPL(iox_ctx_report_fault);
