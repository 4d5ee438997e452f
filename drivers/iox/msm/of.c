// SPDX-License-Identifier: GPL-2.0
/*
 * iox-msm on hardware: each available "qcom,apq8064-iommu" devicetree node
 * becomes a unit - its registers mapped (MMIO through the register seam),
 * its clocks ("smmu_pclk", and "iommu_clk" where the node has it) prepared
 * here and enabled by the driver around each register sequence, its
 * context interrupt requested - and the devices whose "iommus" name it
 * (one cell: the master port) are its masters, found at their probe.
 * Nodes the kernel's msm_iommu driver bound are left alone.
 */
#define pr_fmt(fmt) "iox-msm: " fmt

#include <linux/clk.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/of_irq.h>
#include <linux/of_platform.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include "msm-priv.h"

/**
 * struct msm_of - a unit of a devicetree node
 * @node: link in msm_of_units
 * @np: the node
 * @pdev: its platform device, for logs, or NULL
 * @regs: its registers
 * @pclk: its interface clock
 * @core: its core clock, or NULL
 * @unit: the driver's unit
 * @irq: its context interrupt, 0 if none was requested
 */
struct msm_of {
	struct list_head node;
	struct device_node *np;
	struct platform_device *pdev;
	struct iox_regs regs;
	struct clk *pclk;
	struct clk *core;
	struct iox_unit *unit;
	int irq;
};

static LIST_HEAD(msm_of_units);

/**
 * msm_of_master() - a device whose "iommus" name the unit, as its master
 * @mu: the unit
 * @dev: a device the core probes
 *
 * Context: Process context.
 * Return: the master, freed with its release; ERR_PTR(-ENODEV) for a
 * device not behind the unit, -EINVAL for a port the unit lacks,
 * -ENOMEM.
 */
struct msm_master *msm_of_master(struct msm_unit *mu, struct device *dev)
{
	struct of_phandle_args args;
	struct msm_master *m;
	unsigned int i;

	if (!mu->np || !dev->of_node)
		return ERR_PTR(-ENODEV);
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return ERR_PTR(-ENOMEM);
	for (i = 0; m->nr_mids < MSM_MAX_MIDS &&
	     !of_parse_phandle_with_args(dev->of_node, "iommus",
					 "#iommu-cells", i, &args); i++) {
		if (args.np == mu->np && args.args_count == 1) {
			if (args.args[0] >= mu->nmid) {
				of_node_put(args.np);
				kfree(m);
				return ERR_PTR(-EINVAL);
			}
			m->mids[m->nr_mids++] = args.args[0];
		}
		of_node_put(args.np);
	}
	if (!m->nr_mids) {
		kfree(m);
		return ERR_PTR(-ENODEV);
	}
	m->dev = dev;
	m->mu = mu;
	m->probed = true;
	spin_lock_irq(&mu->lock);
	list_add_tail(&m->node, &mu->masters);
	spin_unlock_irq(&mu->lock);
	return m;
}

/* The driver's clock calls: atomic, the clocks were prepared at load. */
static int msm_of_clk_on(void *data)
{
	struct msm_of *mo = data;
	int ret = clk_enable(mo->pclk);

	if (ret || !mo->core)
		return ret;
	ret = clk_enable(mo->core);
	if (ret)
		clk_disable(mo->pclk);
	return ret;
}

static void msm_of_clk_off(void *data)
{
	struct msm_of *mo = data;

	if (mo->core)
		clk_disable(mo->core);
	clk_disable(mo->pclk);
}

static irqreturn_t msm_of_irq(int irq, void *data)
{
	struct msm_of *mo = data;

	return IRQ_RETVAL(iox_msm_handle_irq(mo->unit));
}

static void msm_of_free(struct msm_of *mo)
{
	if (mo->irq > 0)
		free_irq(mo->irq, mo);
	if (mo->unit)
		iox_msm_destroy(mo->unit);
	if (!IS_ERR_OR_NULL(mo->core)) {
		clk_unprepare(mo->core);
		clk_put(mo->core);
	}
	if (!IS_ERR_OR_NULL(mo->pclk)) {
		clk_unprepare(mo->pclk);
		clk_put(mo->pclk);
	}
	if (mo->regs.base)
		iounmap(mo->regs.base);
	if (mo->pdev)
		put_device(&mo->pdev->dev);
	of_node_put(mo->np);
	kfree(mo);
}

/* The clocks, prepared for the driver's atomic enables. */
static int msm_of_clocks(struct msm_of *mo)
{
	int ret;

	mo->pclk = of_clk_get_by_name(mo->np, "smmu_pclk");
	if (IS_ERR(mo->pclk))
		return PTR_ERR(mo->pclk);
	ret = clk_prepare(mo->pclk);
	if (ret) {
		clk_put(mo->pclk);
		mo->pclk = NULL;
		return ret;
	}
	mo->core = of_clk_get_by_name(mo->np, "iommu_clk");
	if (IS_ERR(mo->core)) {
		mo->core = NULL;
		return 0;
	}
	ret = clk_prepare(mo->core);
	if (ret) {
		clk_put(mo->core);
		mo->core = NULL;
	}
	return ret;
}

static int msm_of_add(struct device_node *np)
{
	struct iox_msm_clk clk = {
		.enable = msm_of_clk_on,
		.disable = msm_of_clk_off,
	};
	struct msm_of *mo;
	int ret;

	mo = kzalloc(sizeof(*mo), GFP_KERNEL);
	if (!mo)
		return -ENOMEM;
	mo->np = of_node_get(np);
	mo->pdev = of_find_device_by_node(np);
	/* The kernel's msm_iommu driver has it. */
	if (mo->pdev && mo->pdev->dev.driver) {
		ret = -EBUSY;
		goto err;
	}
	mo->regs.base = of_iomap(np, 0);
	ret = -ENOMEM;
	if (!mo->regs.base)
		goto err;
	ret = msm_of_clocks(mo);
	if (ret)
		goto err;
	clk.data = mo;
	mo->unit = iox_msm_create(mo->pdev ? &mo->pdev->dev : NULL, np,
				  &mo->regs, &clk);
	if (IS_ERR(mo->unit)) {
		ret = PTR_ERR(mo->unit);
		mo->unit = NULL;
		goto err;
	}
	mo->irq = of_irq_get(np, 0);
	if (mo->irq > 0) {
		ret = request_irq(mo->irq, msm_of_irq, IRQF_SHARED, "iox-msm",
				  mo);
		if (ret) {
			mo->irq = 0;
			goto err;
		}
	}
	list_add_tail(&mo->node, &msm_of_units);
	return 0;
err:
	msm_of_free(mo);
	return ret;
}

static const struct of_device_id msm_of_match[] = {
	{ .compatible = "qcom,apq8064-iommu" },
	{}
};

static int __init msm_of_init(void)
{
	struct device_node *np;
	int ret;

	for_each_matching_node(np, msm_of_match) {
		if (!of_device_is_available(np))
			continue;
		ret = msm_of_add(np);
		if (ret)
			pr_warn("%pOF: not taken over: %d\n", np, ret);
	}
	return 0;
}

static void __exit msm_of_exit(void)
{
	struct msm_of *mo, *next;

	list_for_each_entry_safe(mo, next, &msm_of_units, node) {
		list_del(&mo->node);
		msm_of_free(mo);
	}
}

module_init(msm_of_init);
module_exit(msm_of_exit);
