/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iox-msm: the Qualcomm MSM IOMMU driver's entry points, for its platform
 * glue (MMIO, clocks and the context interrupt on hardware) and for its
 * tests, which give it a register-level model instead
 * (Documentation/iox/msm.rst).
 */
#ifndef _LINUX_IOX_MSM_H
#define _LINUX_IOX_MSM_H

#include <linux/types.h>

struct device;
struct device_node;
struct iox_regs;
struct iox_unit;

/**
 * struct iox_msm_clk - the clocks the unit's registers need
 * @enable: turn them on (clk_bulk_prepare_enable() on hardware)
 * @disable: turn them off
 * @data: passed to both
 *
 * The driver holds them on around each register access sequence only,
 * as the hardware's power budget wants, the fault interrupt's included:
 * both must work in atomic context (clk_enable(), the clocks prepared
 * beforehand).
 */
struct iox_msm_clk {
	int (*enable)(void *data);
	void (*disable)(void *data);
	void *data;
};

struct iox_unit *iox_msm_create(struct device *hwdev,
				struct device_node *np,
				const struct iox_regs *regs,
				const struct iox_msm_clk *clk);
void iox_msm_destroy(struct iox_unit *unit);
int iox_msm_add_master(struct iox_unit *unit, struct device *dev,
		       const u8 *mids, unsigned int nr);
void iox_msm_remove_master(struct iox_unit *unit, struct device *dev);
unsigned int iox_msm_handle_irq(struct iox_unit *unit);

#endif /* _LINUX_IOX_MSM_H */
