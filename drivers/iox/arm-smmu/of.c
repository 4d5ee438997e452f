// SPDX-License-Identifier: GPL-2.0
/*
 * iox-arm-smmu on hardware: each available devicetree node of an SMMU
 * v1/v2 becomes a unit, its registers mapped (MMIO through the register
 * seam), its global and context interrupts (shared lines: the handler
 * reads every status) requested, its PCI masters found by their host
 * bridge's iommu-map at probe. Nodes whose unit the kernel's own
 * arm-smmu driver bound are left alone.
 */
#define pr_fmt(fmt) "iox-arm-smmu: " fmt

#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/of_irq.h>
#include <linux/of_platform.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include "smmu2-priv.h"

static bool stage2;
module_param(stage2, bool, 0444);
MODULE_PARM_DESC(stage2, "paging domains use stage 2 (default: stage 1)");

static bool v7s;
module_param(v7s, bool, 0444);
MODULE_PARM_DESC(v7s, "stage-1 paging domains use the AArch32 short-descriptor format");

#define SMMU2_OF_MAX_IRQS	32

/**
 * struct smmu2_of - a unit of a devicetree node
 * @node: link in smmu2_of_units
 * @np: the node
 * @pdev: its platform device, for logs, or NULL
 * @regs: its registers
 * @unit: the driver's unit
 * @irqs: its interrupts
 * @nr_irqs: valid entries of @irqs
 */
struct smmu2_of {
	struct list_head node;
	struct device_node *np;
	struct platform_device *pdev;
	struct iox_regs regs;
	struct iox_unit *unit;
	int irqs[SMMU2_OF_MAX_IRQS];
	unsigned int nr_irqs;
};

static LIST_HEAD(smmu2_of_units);

static const struct of_device_id smmu2_of_match[] = {
	{ .compatible = "arm,smmu-v1" },
	{ .compatible = "arm,smmu-v2" },
	{ .compatible = "arm,mmu-400" },
	{ .compatible = "arm,mmu-401" },
	{ .compatible = "arm,mmu-500" },
	{}
};

static irqreturn_t smmu2_of_irq(int irq, void *data)
{
	struct smmu2_of *so = data;

	return IRQ_RETVAL(iox_arm_smmu_handle_irq(so->unit));
}

static void smmu2_of_free(struct smmu2_of *so)
{
	while (so->nr_irqs--)
		free_irq(so->irqs[so->nr_irqs], so);
	if (so->unit)
		iox_arm_smmu_destroy(so->unit);
	if (so->regs.base)
		iounmap(so->regs.base);
	if (so->pdev)
		put_device(&so->pdev->dev);
	of_node_put(so->np);
	kfree(so);
}

/* One node: map, take over, request every interrupt it lists. */
static int smmu2_of_add(struct device_node *np)
{
	struct iox_arm_smmu_config cfg = {
		.stage2 = stage2,
		.v7s = v7s,
		.np = np,
	};
	struct smmu2_of *so;
	int irq, ret;

	so = kzalloc(sizeof(*so), GFP_KERNEL);
	if (!so)
		return -ENOMEM;
	so->np = of_node_get(np);
	so->pdev = of_find_device_by_node(np);
	/* The kernel's arm-smmu driver has it. */
	if (so->pdev && so->pdev->dev.driver) {
		ret = -EBUSY;
		goto err;
	}
	so->regs.base = of_iomap(np, 0);
	if (!so->regs.base) {
		ret = -ENOMEM;
		goto err;
	}
	so->unit = iox_arm_smmu_create(so->pdev ? &so->pdev->dev : NULL,
				       &so->regs, &cfg);
	if (IS_ERR(so->unit)) {
		ret = PTR_ERR(so->unit);
		so->unit = NULL;
		goto err;
	}
	while (so->nr_irqs < SMMU2_OF_MAX_IRQS &&
	       (irq = of_irq_get(np, so->nr_irqs)) > 0) {
		ret = request_irq(irq, smmu2_of_irq, IRQF_SHARED,
				  "iox-arm-smmu", so);
		if (ret)
			goto err;
		so->irqs[so->nr_irqs++] = irq;
	}
	list_add_tail(&so->node, &smmu2_of_units);
	pr_info("%pOF: %u interrupts\n", np, so->nr_irqs);
	return 0;
err:
	smmu2_of_free(so);
	return ret;
}

static int __init smmu2_of_init(void)
{
	struct device_node *np;
	int ret;

	for_each_matching_node(np, smmu2_of_match) {
		if (!of_device_is_available(np))
			continue;
		ret = smmu2_of_add(np);
		if (ret)
			pr_warn("%pOF: not taken over: %d\n", np, ret);
	}
	return 0;
}

static void __exit smmu2_of_exit(void)
{
	struct smmu2_of *so, *next;

	list_for_each_entry_safe(so, next, &smmu2_of_units, node) {
		list_del(&so->node);
		smmu2_of_free(so);
	}
}

module_init(smmu2_of_init);
module_exit(smmu2_of_exit);
