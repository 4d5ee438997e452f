/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One seam for a unit driver's register access, so that the same driver
 * code runs on hardware (MMIO) and on a register-level model in tests
 * (drivers/iox/tests/models/). On hardware @ops is NULL and each access is
 * one relaxed MMIO access behind a predicted branch; a model supplies
 * @ops. The kernel's regmap would serve both too, but takes its lock and
 * goes through its format and cache layers on every access, and the
 * TLB-maintenance path is made of register accesses
 * (Documentation/iox/arm-smmu.rst, "The register seam", has the figures).
 */
#ifndef _LINUX_IOX_REGS_H
#define _LINUX_IOX_REGS_H

#include <linux/compiler.h>
#include <linux/io.h>
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/types.h>

/**
 * struct iox_reg_ops - a register-level model's accessors
 * @read32: read the 32-bit register at byte offset @off
 * @write32: write it
 * @read64: read the 64-bit register at @off
 * @write64: write it
 *
 * Offsets are from the start of the unit's register space, as on
 * hardware. Called in any context the driver accesses registers from.
 */
struct iox_reg_ops {
	u32 (*read32)(void *model, unsigned int off);
	void (*write32)(void *model, unsigned int off, u32 val);
	u64 (*read64)(void *model, unsigned int off);
	void (*write64)(void *model, unsigned int off, u64 val);
};

/**
 * struct iox_regs - where a unit's registers are
 * @base: hardware: the mapped register space
 * @ops: a model: its accessors; NULL on hardware
 * @model: the model, passed to @ops
 */
struct iox_regs {
	void __iomem *base;
	const struct iox_reg_ops *ops;
	void *model;
};

static inline u32 iox_readl(const struct iox_regs *r, unsigned int off)
{
	if (unlikely(r->ops))
		return r->ops->read32(r->model, off);
	return readl_relaxed(r->base + off);
}

static inline void iox_writel(const struct iox_regs *r, unsigned int off,
			      u32 val)
{
	if (unlikely(r->ops))
		r->ops->write32(r->model, off, val);
	else
		writel_relaxed(val, r->base + off);
}

static inline u64 iox_readq(const struct iox_regs *r, unsigned int off)
{
	if (unlikely(r->ops))
		return r->ops->read64(r->model, off);
	return readq_relaxed(r->base + off);
}

static inline void iox_writeq(const struct iox_regs *r, unsigned int off,
			      u64 val)
{
	if (unlikely(r->ops))
		r->ops->write64(r->model, off, val);
	else
		writeq_relaxed(val, r->base + off);
}

#endif /* _LINUX_IOX_REGS_H */
