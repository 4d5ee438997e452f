/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iox-arm-smmu: the ARM SMMU v1/v2 driver's entry points, for its platform
 * glue (MMIO and wired interrupts on hardware) and for its tests, which
 * give it a register-level model's registers instead
 * (Documentation/iox/arm-smmu.rst).
 */
#ifndef _LINUX_IOX_ARM_SMMU_H
#define _LINUX_IOX_ARM_SMMU_H

#include <linux/types.h>

struct device;
struct device_node;
struct iox_regs;
struct iox_unit;

/**
 * struct iox_arm_smmu_config - how the driver uses a unit
 * @stage2: paging domains use stage 2 (else stage 1, if the unit has it)
 * @v7s: stage-1 paging domains use the AArch32 short-descriptor format
 *	(4K|64K|1M|16M, 32-bit) instead of LPAE
 * @bypass_unmatched: streams no stream match register matches pass
 *	through (else they fault, reported as global faults)
 * @np: the unit's devicetree node: PCI devices whose host bridge's
 *	iommu-map points at it are its masters; NULL in tests, which give
 *	the masters (iox_arm_smmu_add_master())
 */
struct iox_arm_smmu_config {
	bool stage2;
	bool v7s;
	bool bypass_unmatched;
	struct device_node *np;
};

struct iox_unit *iox_arm_smmu_create(struct device *hwdev,
				     const struct iox_regs *regs,
				     const struct iox_arm_smmu_config *cfg);
void iox_arm_smmu_destroy(struct iox_unit *unit);
int iox_arm_smmu_add_master(struct iox_unit *unit, struct device *dev,
			    const u16 *sids, unsigned int nr);
void iox_arm_smmu_remove_master(struct iox_unit *unit, struct device *dev);
unsigned int iox_arm_smmu_handle_irq(struct iox_unit *unit);
unsigned int iox_arm_smmu_global_faults(struct iox_unit *unit);

#endif /* _LINUX_IOX_ARM_SMMU_H */
