// SPDX-License-Identifier: GPL-2.0
/*
 * iox-msm: a unit from its ID register, its reset, and the masters (devices
 * and their master ports) behind it. Two banks are the unit's own: the
 * blocked bank (translation on over an empty table: every access faults)
 * and the bypass bank (translation off), since the hardware has no
 * per-master fault or bypass routing of its own.
 */
#define pr_fmt(fmt) "iox-msm: " fmt

#include <linux/bitfield.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/slab.h>
#include "msm-priv.h"

/* A first-level v7s table is 16K, naturally aligned (B3.5.4). */
#define MSM_L1_ORDER	2

static struct msm_master *msm_master_find(struct msm_unit *mu,
					  struct device *dev)
{
	struct msm_master *m;

	list_for_each_entry(m, &mu->masters, node)
		if (m->dev == dev)
			return m;
	return NULL;
}

static int msm_probe_device(struct iox_unit *unit, struct iox_dev *idev)
{
	struct msm_unit *mu = to_msm_unit(unit);
	struct msm_master *m;
	unsigned int i;

	spin_lock_irq(&mu->lock);
	m = msm_master_find(mu, idev->dev);
	spin_unlock_irq(&mu->lock);
	if (!m)
		m = msm_of_master(mu, idev->dev);
	if (IS_ERR(m))
		return PTR_ERR(m);
	for (i = 0; i < m->nr_mids; i++)
		idev->ids[i] = m->mids[i];
	idev->nr_ids = m->nr_mids;
	idev->priv = m;
	return 0;
}

static void msm_release_device(struct iox_unit *unit, struct iox_dev *idev)
{
	struct msm_unit *mu = to_msm_unit(unit);
	struct msm_master *m = idev->priv;

	idev->priv = NULL;
	if (!m->probed)
		return;
	spin_lock_irq(&mu->lock);
	list_del(&m->node);
	spin_unlock_irq(&mu->lock);
	kfree(m);
}

static bool msm_capable(struct iox_unit *unit, enum iox_cap cap)
{
	return false;
}

static const struct iox_unit_ops msm_unit_ops = {
	.owner = THIS_MODULE,
	.probe_device = msm_probe_device,
	.release_device = msm_release_device,
	.domain_alloc = msm_domain_alloc,
	.capable = msm_capable,
};

/*
 * Reset: the blocked and bypass banks set up, every master port routed to
 * the blocked bank, the other banks off, the TLB empty.
 */
static void msm_reset(struct msm_unit *mu)
{
	unsigned int i;

	for (i = 0; i < mu->ncb; i++)
		if (i != mu->blocked_cb && i != mu->bypass_cb)
			iox_writel(&mu->regs, MSM_CTX(i, CTX_SCTLR), 0);
	msm_ctx_program(mu, mu->blocked_cb, mu->empty_phys, 0, true);
	msm_ctx_program(mu, mu->bypass_cb, mu->empty_phys, 0, false);
	for (i = 0; i < mu->nmid; i++)
		iox_writel(&mu->regs, MSM_M2VCBR(i),
			   FIELD_PREP(M2VCBR_CBNDX, mu->blocked_cb));
	iox_writel(&mu->regs, MSM_GLOBAL_TLBIALL, 0);
	/* The TLB is empty before any master is let through. */
	mb();
}

/**
 * iox_msm_create() - take over an MSM IOMMU and register it
 * @hwdev: the IOMMU's own device, for logs
 * @np: its devicetree node: devices whose "iommus" name it are its
 *	masters, found at their probe; NULL in tests, which give the masters
 *	(iox_msm_add_master())
 * @regs: its registers (MMIO, or a model's)
 * @clk: its clocks
 *
 * Context: Process context.
 * Return: the unit; ERR_PTR(-ENODEV) for an ID register with fewer than
 * three context banks (two are the unit's own), -ENOMEM, a clock's
 * errno, or the errno of iox_unit_register().
 */
struct iox_unit *iox_msm_create(struct device *hwdev,
				struct device_node *np,
				const struct iox_regs *regs,
				const struct iox_msm_clk *clk)
{
	struct msm_unit *mu;
	u32 idr;
	int ret;

	mu = kzalloc(sizeof(*mu), GFP_KERNEL);
	if (!mu)
		return ERR_PTR(-ENOMEM);
	mu->np = np;
	mu->regs = *regs;
	mu->clk = *clk;
	spin_lock_init(&mu->lock);
	INIT_LIST_HEAD(&mu->masters);
	/* Below 4G: the TTBR holds 32 bits. */
	mu->empty = (u32 *)__get_free_pages(GFP_KERNEL | GFP_DMA32 |
					    __GFP_ZERO, MSM_L1_ORDER);
	ret = -ENOMEM;
	if (!mu->empty)
		goto err_free;
	mu->empty_phys = virt_to_phys(mu->empty);
	ret = msm_clk_on(mu);
	if (ret)
		goto err_pages;
	idr = iox_readl(&mu->regs, MSM_IDR);
	mu->ncb = FIELD_GET(IDR_NCB, idr);
	mu->nmid = FIELD_GET(IDR_NM2VCBMT, idr);
	ret = -ENODEV;
	if (mu->ncb < 3 || !mu->nmid ||
	    iox_ctx_pool_init(&mu->cbs, mu->ncb - 2))
		goto err_clk;
	mu->blocked_cb = mu->ncb - 1;
	mu->bypass_cb = mu->ncb - 2;
	msm_reset(mu);
	msm_clk_off(mu);
	mu->iox.ops = &msm_unit_ops;
	mu->iox.hwdev = hwdev;
	mu->iox.name = "iox-msm";
	ret = iox_unit_register(&mu->iox);
	if (ret)
		goto err_pages;
	return &mu->iox;

err_clk:
	msm_clk_off(mu);
err_pages:
	free_pages((unsigned long)mu->empty, MSM_L1_ORDER);
err_free:
	kfree(mu);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(iox_msm_create);

/**
 * iox_msm_destroy() - unregister a unit; its masters stay blocked
 * @unit: a unit of iox_msm_create(), without masters given by
 *	iox_msm_add_master() (those found by "iommus" go with the unit)
 *
 * Context: Process context.
 */
void iox_msm_destroy(struct iox_unit *unit)
{
	struct msm_unit *mu = to_msm_unit(unit);

	iox_unit_unregister(unit);
	WARN_ON(!list_empty(&mu->masters));
	free_pages((unsigned long)mu->empty, MSM_L1_ORDER);
	kfree(mu);
}
EXPORT_SYMBOL_GPL(iox_msm_destroy);

/**
 * iox_msm_add_master() - a device and its master ports, before its probe
 * @unit: the unit
 * @dev: the device
 * @mids: its master port IDs
 * @nr: how many, 1..8
 *
 * Context: Process context.
 * Return: 0; -EINVAL for no or too many ports or one the unit lacks;
 * -EEXIST if @dev is known; -ENOMEM.
 */
int iox_msm_add_master(struct iox_unit *unit, struct device *dev,
		       const u8 *mids, unsigned int nr)
{
	struct msm_unit *mu = to_msm_unit(unit);
	struct msm_master *m;
	unsigned int i;

	if (!nr || nr > MSM_MAX_MIDS)
		return -EINVAL;
	for (i = 0; i < nr; i++)
		if (mids[i] >= mu->nmid)
			return -EINVAL;
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	m->dev = dev;
	m->mu = mu;
	m->nr_mids = nr;
	memcpy(m->mids, mids, nr);
	spin_lock_irq(&mu->lock);
	if (msm_master_find(mu, dev)) {
		spin_unlock_irq(&mu->lock);
		kfree(m);
		return -EEXIST;
	}
	list_add_tail(&m->node, &mu->masters);
	spin_unlock_irq(&mu->lock);
	return 0;
}
EXPORT_SYMBOL_GPL(iox_msm_add_master);

/**
 * iox_msm_remove_master() - forget a device
 * @unit: the unit
 * @dev: a device of iox_msm_add_master(); released from iox first, which
 *	leaves its ports on the blocked bank
 *
 * Context: Process context.
 */
void iox_msm_remove_master(struct iox_unit *unit, struct device *dev)
{
	struct msm_unit *mu = to_msm_unit(unit);
	struct msm_master *m;

	iox_release_device(dev);
	spin_lock_irq(&mu->lock);
	m = msm_master_find(mu, dev);
	if (m)
		list_del(&m->node);
	spin_unlock_irq(&mu->lock);
	kfree(m);
}
EXPORT_SYMBOL_GPL(iox_msm_remove_master);

MODULE_DESCRIPTION("iox driver for the Qualcomm MSM IOMMU");
MODULE_LICENSE("GPL");
