// SPDX-License-Identifier: GPL-2.0
/*
 * iox-arm-smmu-v3: SMMUv3 units as iox units.
 *
 * Each devicetree node "arm,smmu-v3" whose unit the kernel's own SMMUv3
 * driver left alone (SMMUEN clear; on QEMU's virt machine the stock
 * driver is kept off with initcall_blacklist=arm_smmu_driver_init)
 * becomes one iox unit: a stream table with a bypass STE for every
 * stream, the command and event queues, the wired interrupts, then
 * SMMUEN. PCI devices reach it through their host bridge's iommu-map.
 * Unloading clears SMMUEN: the unit bypasses again (or aborts, where
 * GBPA says so, as before iox).
 */
#define pr_fmt(fmt) "iox-arm-smmu-v3: " fmt

#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/of_platform.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include "smmu-priv.h"

static unsigned int stage;
module_param(stage, uint, 0444);
MODULE_PARM_DESC(stage, "stage paging domains use, 1 or 2 (0: stage 1 where the unit has it)");

static unsigned int granule = 4;
module_param(granule, uint, 0444);
MODULE_PARM_DESC(granule, "translation granule of paging domains in KiB: 4, 16 or 64");

static LIST_HEAD(smmu_units);

static int smmu_probe_device(struct iox_unit *unit, struct iox_dev *idev)
{
	struct smmu_unit *su = to_smmu_unit(unit);
	u16 rids[IOX_DEV_MAX_IDS], visible;
	struct pci_dev *pdev;
	struct smmu_dev *sd;
	unsigned int i;
	int ret, nr;

	if (!dev_is_pci(idev->dev))
		return -ENODEV;
	pdev = to_pci_dev(idev->dev);
	nr = iox_pci_dma_ids(pdev, rids, ARRAY_SIZE(rids), &visible);
	if (nr < 0)
		return nr;
	sd = kzalloc(sizeof(*sd), GFP_KERNEL);
	if (!sd)
		return -ENOMEM;
	sd->idev = idev;
	sd->su = su;
	for (i = 0; i < nr; i++) {
		ret = iox_pci_of_stream_id(pdev, rids[i], su->np, &sd->sids[i]);
		if (!ret)
			ret = smmu_strtab_prepare(su, sd->sids[i]);
		if (ret)
			goto err;
		idev->ids[i] = sd->sids[i];
	}
	sd->nr_sids = nr;
	idev->nr_ids = nr;
	for (i = 0; i < nr; i++) {
		ret = xa_insert(&su->devs, sd->sids[i], sd, GFP_KERNEL);
		if (ret && ret != -EBUSY)
			goto err_xa;
	}
	idev->priv = sd;
	return 0;

err_xa:
	spin_lock(&su->lock);
	for (i = 0; i < nr; i++)
		xa_cmpxchg(&su->devs, sd->sids[i], sd, NULL, 0);
	spin_unlock(&su->lock);
err:
	kfree(sd);
	return ret == -ERANGE ? -ENODEV : ret;
}

static void smmu_release_device(struct iox_unit *unit, struct iox_dev *idev)
{
	struct smmu_unit *su = to_smmu_unit(unit);
	struct smmu_dev *sd = idev->priv;
	unsigned int i;

	/* Back to bypass, as before iox knew the device. */
	spin_lock(&su->lock);
	for (i = 0; i < sd->nr_sids; i++) {
		if (xa_load(&su->devs, sd->sids[i]) != sd)
			continue;
		smmu_ste_set(su, sd->sids[i], NULL);
		xa_erase(&su->devs, sd->sids[i]);
	}
	spin_unlock(&su->lock);
	idev->priv = NULL;
	kfree(sd);
}

/* Devices whose last stream ID is one cannot be told apart. */
static int smmu_device_group(struct iox_unit *unit, struct iox_dev *idev,
			     u64 *key)
{
	struct smmu_dev *sd = idev->priv;

	*key = sd->sids[sd->nr_sids - 1];
	return 0;
}

static bool smmu_capable(struct iox_unit *unit, enum iox_cap cap)
{
	return cap == IOX_CAP_DEFERRED_FLUSH;
}

static const struct iox_unit_ops smmu_unit_ops = {
	.owner = THIS_MODULE,
	.probe_device = smmu_probe_device,
	.release_device = smmu_release_device,
	.device_group = smmu_device_group,
	.domain_alloc = smmu_domain_alloc,
	.capable = smmu_capable,
};

/* IDR5.OAS (6.3.6) in bits; 52 is used as 48 (the engine's limit). */
static unsigned int smmu_oas_bits(u32 idr5)
{
	static const u8 bits[] = { 32, 36, 40, 42, 44, 48, 48 };
	unsigned int oas = FIELD_GET(IDR5_OAS, idr5);

	return oas < ARRAY_SIZE(bits) ? bits[oas] : 48;
}

/* Read the ID registers and decide how the unit is used. */
static int smmu_unit_caps(struct smmu_unit *su)
{
	u32 gran;

	su->idr[0] = readl(su->regs + SMMU_IDR0);
	su->idr[1] = readl(su->regs + SMMU_IDR1);
	su->idr[3] = readl(su->regs + SMMU_IDR3);
	su->idr[5] = readl(su->regs + SMMU_IDR5);
	if (FIELD_GET(IDR0_TTF, su->idr[0]) != 2 &&
	    FIELD_GET(IDR0_TTF, su->idr[0]) != 3) {
		pr_err("%s: no AArch64 table format (IDR0 %#x)\n", su->name,
		       su->idr[0]);
		return -ENODEV;
	}
	if (stage > 2 ||
	    (stage == 1 && !(su->idr[0] & IDR0_S1P)) ||
	    (stage == 2 && !(su->idr[0] & IDR0_S2P))) {
		pr_err("%s: stage=%u: the unit has stage 1 %s, stage 2 %s\n",
		       su->name, stage, su->idr[0] & IDR0_S1P ? "yes" : "no",
		       su->idr[0] & IDR0_S2P ? "yes" : "no");
		return -EINVAL;
	}
	su->stage = stage ?: (su->idr[0] & IDR0_S1P ? 1 : 2);
	gran = granule == 4 ? IDR5_GRAN4K : granule == 16 ? IDR5_GRAN16K :
	       granule == 64 ? IDR5_GRAN64K : 0;
	if (!(su->idr[5] & gran)) {
		pr_err("%s: granule=%u: not a granule of the unit (IDR5 %#x)\n",
		       su->name, granule, su->idr[5]);
		return -EINVAL;
	}
	su->granule = ilog2(granule) + 10;
	su->oas = smmu_oas_bits(su->idr[5]);
	su->sid_bits = FIELD_GET(IDR1_SIDSIZE, su->idr[1]);
	if (su->idr[1] & (IDR1_TABLES_PRESET | IDR1_QUEUES_PRESET)) {
		pr_err("%s: preset tables or queues (IDR1 %#x): not supported\n",
		       su->name, su->idr[1]);
		return -ENODEV;
	}
	return 0;
}

/* Write CR0 and wait for CR0ACK to say the same (6.3.9). */
static int smmu_cr0(struct smmu_unit *su, u32 val)
{
	unsigned int us;

	writel(val, su->regs + SMMU_CR0);
	for (us = 0; us < 100000; us++) {
		if (readl(su->regs + SMMU_CR0ACK) == val)
			return 0;
		udelay(1);
	}
	pr_err("%s: CR0 %#x not acknowledged\n", su->name, val);
	return -ETIMEDOUT;
}

static void smmu_unit_report(struct smmu_unit *su)
{
	pr_info("%s: SMMUv3 at %#llx: stage-%u paging domains, %uK granule, %u-bit output, %s stream table (%u-bit stream IDs), %u-entry command queue, %u-entry event queue, range invalidation %s, events %s\n",
		su->name, (u64)su->reg_phys, su->stage, 1U << (su->granule - 10),
		su->oas, su->two_level ? "2-level" : "linear", su->sid_bits,
		1U << su->cmdq.q.log2size, 1U << su->evtq.log2size,
		su->idr[3] & IDR3_RIL ? "yes" : "no",
		su->irq_evtq ? "on wired interrupts" : "polled");
}

static void smmu_unit_disable(struct smmu_unit *su)
{
	smmu_debugfs_unit_remove(su);
	if (su->cmdq.enabled) {
		smmu_faults_exit(su);
		smmu_cr0(su, 0);
		WRITE_ONCE(su->cmdq.enabled, false);
	}
	smmu_queues_free(su);
	smmu_strtab_free(su);
}

static void smmu_unit_free(struct smmu_unit *su)
{
	if (su->regs)
		iounmap(su->regs);
	if (su->pdev)
		put_device(&su->pdev->dev);
	of_node_put(su->np);
	xa_destroy(&su->devs);
	ida_destroy(&su->asids);
	ida_destroy(&su->vmids);
	kfree(su);
}

/* Every PCI device behind the unit has its STE before SMMUEN. */
static int smmu_prepare_pci(struct smmu_unit *su)
{
	struct pci_dev *pdev = NULL;
	u32 sid;
	int ret;

	for_each_pci_dev(pdev) {
		if (iox_pci_of_stream_id(pdev, pci_dev_id(pdev), su->np, &sid))
			continue;
		ret = smmu_strtab_prepare(su, sid);
		if (ret && ret != -ERANGE) {
			pci_dev_put(pdev);
			return ret;
		}
	}
	return 0;
}

/*
 * Tables and queues in, queues on, every cached configuration and
 * translation invalidated (the unit keeps them across SMMUEN), then
 * the interrupts and SMMUEN.
 */
static int smmu_unit_enable(struct smmu_unit *su)
{
	int ret;

	writel(FIELD_PREP(CR1_TABLE_SH, CR1_SH_ISH) |
	       FIELD_PREP(CR1_TABLE_OC, CR1_CACHE_WB) |
	       FIELD_PREP(CR1_TABLE_IC, CR1_CACHE_WB) |
	       FIELD_PREP(CR1_QUEUE_SH, CR1_SH_ISH) |
	       FIELD_PREP(CR1_QUEUE_OC, CR1_CACHE_WB) |
	       FIELD_PREP(CR1_QUEUE_IC, CR1_CACHE_WB), su->regs + SMMU_CR1);
	writel(0, su->regs + SMMU_CR2);
	ret = smmu_strtab_init(su) ?: smmu_queues_init(su);
	if (ret)
		return ret;
	ret = smmu_cr0(su, CR0_CMDQEN | CR0_EVTQEN);
	if (ret)
		return ret;
	WRITE_ONCE(su->cmdq.enabled, true);
	ret = smmu_cfgi_all(su) ?: smmu_tlbi_all(su) ?: smmu_prepare_pci(su);
	if (ret)
		return ret;
	smmu_faults_init(su);
	return smmu_cr0(su, CR0_CMDQEN | CR0_EVTQEN | CR0_SMMUEN);
}

/* Take one unit over; -EBUSY if the kernel's driver enabled it. */
static int smmu_unit_add(struct device_node *np, unsigned int index)
{
	struct smmu_unit *su;
	struct resource res;
	u32 cr0;
	int ret;

	su = kzalloc(sizeof(*su), GFP_KERNEL);
	if (!su)
		return -ENOMEM;
	snprintf(su->name, sizeof(su->name), "iox-smmuv3%u", index);
	su->np = of_node_get(np);
	spin_lock_init(&su->lock);
	xa_init(&su->devs);
	ida_init(&su->asids);
	ida_init(&su->vmids);
	ret = of_address_to_resource(np, 0, &res);
	if (ret)
		goto err_free;
	su->reg_phys = res.start;
	su->regs = ioremap(res.start, max_t(resource_size_t,
					    resource_size(&res),
					    SMMU_REG_SIZE));
	if (!su->regs) {
		ret = -ENOMEM;
		goto err_free;
	}
	cr0 = readl(su->regs + SMMU_CR0);
	if (cr0 & CR0_SMMUEN) {
		pr_warn("%s at %pa: in use by the kernel's SMMUv3 driver (CR0 %#x): left alone; boot with initcall_blacklist=arm_smmu_driver_init to give it to iox\n",
			su->name, &su->reg_phys, cr0);
		ret = -EBUSY;
		goto err_free;
	}
	su->pdev = of_find_device_by_node(np);
	ret = smmu_unit_caps(su);
	if (ret)
		goto err_free;
	ret = smmu_unit_enable(su);
	if (ret)
		goto err_disable;
	smmu_debugfs_unit_add(su);

	su->iox.ops = &smmu_unit_ops;
	su->iox.name = su->name;
	su->iox.hwdev = su->pdev ? &su->pdev->dev : NULL;
	ret = iox_unit_register(&su->iox);
	if (ret)
		goto err_disable;
	list_add_tail(&su->node, &smmu_units);
	smmu_unit_report(su);
	return 0;

err_disable:
	smmu_unit_disable(su);
err_free:
	smmu_unit_free(su);
	return ret;
}

static void smmu_units_remove(void)
{
	struct smmu_unit *su, *next;

	list_for_each_entry_safe(su, next, &smmu_units, node) {
		iox_unit_unregister(&su->iox);
		smmu_unit_disable(su);
		pr_info("%s: translation off, %d events, %ld commands\n",
			su->name, atomic_read(&su->nr_events),
			atomic_long_read(&su->cmdq.nr_cmds));
		list_del(&su->node);
		smmu_unit_free(su);
	}
}

/* A PCI device that goes away is released from iox if it was probed. */
static int smmu_pci_notify(struct notifier_block *nb, unsigned long action,
			   void *data)
{
	if (action == BUS_NOTIFY_REMOVED_DEVICE)
		iox_release_device(data);
	return NOTIFY_DONE;
}

static struct notifier_block smmu_pci_nb = {
	.notifier_call = smmu_pci_notify,
};

static int __init iox_arm_smmu_v3_init(void)
{
	struct device_node *np;
	unsigned int index = 0;
	int ret;

	for_each_compatible_node(np, NULL, "arm,smmu-v3") {
		ret = smmu_unit_add(np, index++);
		if (ret && ret != -EBUSY)
			pr_err("%pOF: not used (%d)\n", np, ret);
	}
	if (list_empty(&smmu_units)) {
		pr_info("no SMMUv3 for iox\n");
		smmu_debugfs_exit();
		return -ENODEV;
	}
	bus_register_notifier(&pci_bus_type, &smmu_pci_nb);
	return 0;
}

static void __exit iox_arm_smmu_v3_exit(void)
{
	bus_unregister_notifier(&pci_bus_type, &smmu_pci_nb);
	smmu_units_remove();
	smmu_debugfs_exit();
}

module_init(iox_arm_smmu_v3_init);
module_exit(iox_arm_smmu_v3_exit);
MODULE_DESCRIPTION("iox driver for Arm SMMUv3");
MODULE_LICENSE("GPL");
