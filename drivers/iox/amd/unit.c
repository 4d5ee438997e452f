// SPDX-License-Identifier: GPL-2.0
/*
 * iox-amd: AMD-Vi IOMMUs as iox units.
 *
 * Each IOMMU of the ACPI IVRS table whose unit the kernel's own AMD-Vi
 * driver left alone (boot with amd_iommu=off) becomes one iox unit: its
 * registers are mapped, a device table with a pass-through entry for every
 * DeviceID, the command buffer and the event log are installed, and
 * translation is turned on. Devices probed into iox then translate
 * through iox domains; unloading turns the unit off again.
 */
#define pr_fmt(fmt) "iox-amd: " fmt

#include <linux/acpi.h>
#include <linux/bitfield.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include "amd-priv.h"

static unsigned int levels;
module_param(levels, uint, 0444);
MODULE_PARM_DESC(levels, "paging domains' table levels, 3-6 (0: the deepest the unit supports)");

static LIST_HEAD(amd_units);
static struct amd_ivrs amd_ivrs = {
	.ivhds = LIST_HEAD_INIT(amd_ivrs.ivhds),
	.ivmds = LIST_HEAD_INIT(amd_ivrs.ivmds),
};

/* The IVHD lists @pdev, which is on the unit's segment. */
static bool amd_unit_owns(struct amd_unit *au, struct pci_dev *pdev)
{
	return pci_domain_nr(pdev->bus) == au->ivhd->segment &&
	       amd_ivhd_find(au->ivhd, pci_dev_id(pdev));
}

/* Add the IVHD's alias of each ID (IVRS types 42h, 43h): the unit sees it. */
static int amd_dev_ivhd_aliases(struct amd_unit *au, struct amd_dev *ad)
{
	unsigned int i, j, nr = ad->nr_devids;
	const struct amd_ivhd_range *r;

	for (i = 0; i < nr; i++) {
		r = amd_ivhd_find(au->ivhd, ad->devids[i]);
		if (!r || !r->has_alias)
			continue;
		ad->visible = r->alias;
		for (j = 0; j < ad->nr_devids; j++)
			if (ad->devids[j] == r->alias)
				break;
		if (j < ad->nr_devids)
			continue;
		if (ad->nr_devids == IOX_DEV_MAX_IDS)
			return -E2BIG;
		ad->devids[ad->nr_devids++] = r->alias;
	}
	return 0;
}

static int amd_probe_device(struct iox_unit *unit, struct iox_dev *idev)
{
	struct amd_unit *au = to_amd_unit(unit);
	struct pci_dev *pdev;
	struct amd_dev *ad;
	unsigned int i;
	int ret;

	if (!dev_is_pci(idev->dev))
		return -ENODEV;
	pdev = to_pci_dev(idev->dev);
	/* The IOMMU's own function does not DMA through it. */
	if (pdev == au->pdev || !amd_unit_owns(au, pdev))
		return -ENODEV;

	ad = kzalloc(sizeof(*ad), GFP_KERNEL);
	if (!ad)
		return -ENOMEM;
	ad->idev = idev;
	ad->au = au;
	ret = iox_pci_dma_ids(pdev, ad->devids, ARRAY_SIZE(ad->devids),
			      &ad->visible);
	if (ret < 0)
		goto err;
	ad->nr_devids = ret;
	ret = amd_dev_ivhd_aliases(au, ad);
	if (ret)
		goto err;
	for (i = 0; i < ad->nr_devids; i++) {
		if (ad->devids[i] > au->last_devid) {
			pci_warn(pdev, "%s: DeviceID %#x past the device table\n",
				 au->name, ad->devids[i]);
			ret = -ENODEV;
			goto err;
		}
		idev->ids[i] = ad->devids[i];
	}
	idev->nr_ids = ad->nr_devids;
	/* Events from an ID two devices share go to the first. */
	for (i = 0; i < ad->nr_devids; i++) {
		ret = xa_insert(&au->devs, ad->devids[i], ad, GFP_KERNEL);
		if (ret && ret != -EBUSY)
			goto err_xa;
	}
	idev->priv = ad;
	return 0;

err_xa:
	spin_lock(&au->lock);
	for (i = 0; i < ad->nr_devids; i++)
		xa_cmpxchg(&au->devs, ad->devids[i], ad, NULL, 0);
	spin_unlock(&au->lock);
err:
	kfree(ad);
	return ret;
}

static void amd_release_device(struct iox_unit *unit, struct iox_dev *idev)
{
	struct amd_unit *au = to_amd_unit(unit);
	struct amd_dev *ad = idev->priv;
	unsigned int i;

	/* Back to pass-through, as before iox knew the device. */
	spin_lock(&au->lock);
	for (i = 0; i < ad->nr_devids; i++) {
		if (xa_load(&au->devs, ad->devids[i]) != ad)
			continue;
		amd_dte_set(au, ad->devids[i], ad->dom, NULL);
		xa_erase(&au->devs, ad->devids[i]);
	}
	spin_unlock(&au->lock);
	idev->priv = NULL;
	kfree(ad);
}

/* Devices the unit sees as one requester cannot be told apart. */
static int amd_device_group(struct iox_unit *unit, struct iox_dev *idev,
			    u64 *key)
{
	struct amd_dev *ad = idev->priv;

	*key = ad->visible;
	return 0;
}

static bool amd_capable(struct iox_unit *unit, enum iox_cap cap)
{
	/* A command and a completion wait: deferring them pays. */
	return cap == IOX_CAP_DEFERRED_FLUSH;
}

/* The IVMD blocks naming @devid, as direct regions (IVRS 5.2.3). */
static int amd_get_resv_regions(struct iox_unit *unit, struct iox_dev *idev,
				struct list_head *head)
{
	struct amd_unit *au = to_amd_unit(unit);
	struct amd_dev *ad = idev->priv;
	struct iox_resv_region *region;
	struct amd_ivmd *ivmd;
	unsigned int i;

	region = iox_alloc_resv_region(AMD_MSI_START, AMD_MSI_LENGTH, 0,
				       IOX_RESV_MSI, GFP_KERNEL);
	if (!region)
		return -ENOMEM;
	list_add_tail(&region->list, head);
	list_for_each_entry(ivmd, &au->ivrs->ivmds, node) {
		for (i = 0; i < ad->nr_devids; i++)
			if (ad->devids[i] >= ivmd->first &&
			    ad->devids[i] <= ivmd->last)
				break;
		if (i == ad->nr_devids)
			continue;
		/* An exclusion range is untranslated: keep it 1:1 as well. */
		region = iox_alloc_resv_region(ivmd->start, ivmd->length,
					       ivmd->prot ?: IOX_READ | IOX_WRITE,
					       IOX_RESV_DIRECT, GFP_KERNEL);
		if (!region)
			return -ENOMEM;
		list_add_tail(&region->list, head);
	}
	return 0;
}

static const struct iox_unit_ops amd_unit_ops = {
	.owner = THIS_MODULE,
	.probe_device = amd_probe_device,
	.release_device = amd_release_device,
	.device_group = amd_device_group,
	.domain_alloc = amd_domain_alloc,
	.capable = amd_capable,
	.get_resv_regions = amd_get_resv_regions,
};

/* The last bus of the segment's root buses, or -1 if it has none. */
static int amd_segment_last_bus(u16 segment)
{
	struct pci_bus *bus = NULL;
	int last = -1;

	while ((bus = pci_find_next_bus(bus)))
		if (pci_domain_nr(bus) == segment)
			last = max_t(int, last, bus->busn_res.end);
	return last;
}

/* The IOMMU's PCI function and its capability header (AMD spec 3.3.1). */
static void amd_unit_pci(struct amd_unit *au)
{
	u16 devid = au->ivhd->devid;

	au->pdev = pci_get_domain_bus_and_slot(au->ivhd->segment,
					       PCI_BUS_NUM(devid),
					       devid & 0xff);
	if (!au->pdev) {
		pr_warn("%s: no PCI function %02x:%02x.%d for the IOMMU\n",
			au->name, PCI_BUS_NUM(devid), PCI_SLOT(devid),
			PCI_FUNC(devid));
		return;
	}
	pci_read_config_dword(au->pdev, au->ivhd->cap_offset + AMD_CAP_HDR,
			      &au->cap);
	if ((au->cap & 0xff) != PCI_CAP_ID_SECDEV) {
		pci_warn(au->pdev, "%s: no IOMMU capability at %#x\n",
			 au->name, au->ivhd->cap_offset);
		au->cap = 0;
	}
	au->np_cache = au->cap & AMD_CAP_NPCACHE;
}

/* Read the features and decide how the unit is used. */
static int amd_unit_caps(struct amd_unit *au)
{
	unsigned int max_levels, hats;
	int last_bus;

	/* EFRSup: the register; else the IVHD 11h image, if any. */
	au->efr = !au->cap || (au->cap & AMD_CAP_EFR_SUP) ?
		  readq(au->regs + AMD_MMIO_EFR) : 0;
	if (!au->efr)
		au->efr = au->ivhd->efr;
	hats = FIELD_GET(AMD_EFR_HATS, au->efr);
	max_levels = hats < 3 ? AMD_HATS_LEVELS(hats) : 4;
	if (levels && (levels < 3 || levels > max_levels)) {
		pr_err("%s: levels=%u: the unit walks 3 to %u (EFR.HATS %u)\n",
		       au->name, levels, max_levels, hats);
		return -EINVAL;
	}
	au->levels = levels ?: max_levels;
	au->pasize = FIELD_GET(AMD_IVINFO_PASIZE, au->ivrs->ivinfo) ?: 52;
	au->pasize = min(au->pasize, 52U);

	au->last_devid = amd_ivhd_last_devid(au->ivhd);
	last_bus = amd_segment_last_bus(au->ivhd->segment);
	if (last_bus >= 0)
		au->last_devid = min_t(unsigned int, au->last_devid,
				       PCI_DEVID(last_bus, 0xff));
	return 0;
}

static void amd_unit_report(struct amd_unit *au)
{
	pr_info("%s: AMD-Vi at %#llx (PCI %s, IVHD type %#x): %u-level tables (%u-bit IOVA, %u-bit physical), EFR %#llx%s%s, device table to %02x:%02x.%d, %s\n",
		au->name, (u64)au->reg_phys,
		au->pdev ? pci_name(au->pdev) : "none", au->ivhd->type,
		au->levels, min(12 + 9 * au->levels, 64U), au->pasize,
		au->efr, au->efr & AMD_EFR_IA ? " (INVALIDATE_IOMMU_ALL)" : "",
		au->np_cache ? ", caches not-present entries" : "",
		PCI_BUS_NUM(au->last_devid), PCI_SLOT(au->last_devid),
		PCI_FUNC(au->last_devid), "events polled");
}

static void amd_unit_disable(struct amd_unit *au)
{
	amd_debugfs_unit_remove(au);
	if (au->cmdq.enabled) {
		amd_evt_stop(au);
		writeq(0, au->regs + AMD_MMIO_CONTROL);
		WRITE_ONCE(au->cmdq.enabled, false);
	}
	amd_evt_free(au);
	amd_cmd_free(au);
	amd_devtab_free(au);
}

static void amd_unit_free(struct amd_unit *au)
{
	if (au->regs)
		iounmap(au->regs);
	pci_dev_put(au->pdev);
	xa_destroy(&au->devs);
	ida_destroy(&au->dids);
	kfree(au);
}

/* Device table, command buffer and event log in, then IOMMUEn. */
static int amd_unit_enable(struct amd_unit *au)
{
	u64 ctrl;
	int ret;

	ret = amd_devtab_init(au) ?: amd_cmd_init(au) ?: amd_evt_init(au);
	if (ret)
		return ret;
	writeq(AMD_STATUS_EVT_OVERFLOW | AMD_STATUS_EVT_INT |
	       AMD_STATUS_COMWAIT_INT, au->regs + AMD_MMIO_STATUS);
	ctrl = FIELD_PREP(AMD_CTRL_INV_TIMEOUT, AMD_INV_TIMEOUT_1S) |
	       AMD_CTRL_COHERENT | AMD_CTRL_CMDBUF_EN | AMD_CTRL_EVTLOG_EN;
	writeq(ctrl, au->regs + AMD_MMIO_CONTROL);
	writeq(ctrl | AMD_CTRL_IOMMU_EN, au->regs + AMD_MMIO_CONTROL);
	WRITE_ONCE(au->cmdq.enabled, true);
	amd_evt_start(au);
	/* The unit may hold entries from before (a previous load). */
	return amd_inv_all(au);
}

/* Take one IVHD's unit over; -EBUSY if the kernel owns it. */
static int amd_unit_add(struct amd_ivhd *ivhd, unsigned int index)
{
	struct amd_unit *au;
	u64 ctrl;
	int ret;

	au = kzalloc(sizeof(*au), GFP_KERNEL);
	if (!au)
		return -ENOMEM;
	au->ivhd = ivhd;
	au->ivrs = &amd_ivrs;
	au->index = index;
	snprintf(au->name, sizeof(au->name), "iox-amdvi%u", index);
	au->reg_phys = ivhd->base;
	spin_lock_init(&au->lock);
	xa_init(&au->devs);
	ida_init(&au->dids);
	/*
	 * Not request_mem_region(): the kernel's AMD-Vi code may keep the
	 * range even with its driver off. IOMMUEn says who uses the unit.
	 */
	au->regs = ioremap(au->reg_phys, AMD_MMIO_SIZE);
	if (!au->regs) {
		ret = -ENOMEM;
		goto err_free;
	}
	ctrl = readq(au->regs + AMD_MMIO_CONTROL);
	if (ctrl & AMD_CTRL_IOMMU_EN) {
		pr_warn("%s at %pa: in use by the kernel's AMD-Vi driver (control %#llx): left alone; boot with amd_iommu=off to give it to iox\n",
			au->name, &au->reg_phys, ctrl);
		ret = -EBUSY;
		goto err_free;
	}
	amd_unit_pci(au);
	ret = amd_unit_caps(au);
	if (ret)
		goto err_free;
	ret = amd_unit_enable(au);
	if (ret)
		goto err_disable;
	amd_debugfs_unit_add(au);

	au->iox.ops = &amd_unit_ops;
	au->iox.name = au->name;
	au->iox.hwdev = au->pdev ? &au->pdev->dev : NULL;
	ret = iox_unit_register(&au->iox);
	if (ret)
		goto err_disable;
	list_add_tail(&au->node, &amd_units);
	amd_unit_report(au);
	return 0;

err_disable:
	amd_unit_disable(au);
err_free:
	amd_unit_free(au);
	return ret;
}

static void amd_units_remove(void)
{
	struct amd_unit *au, *next;

	list_for_each_entry_safe(au, next, &amd_units, node) {
		iox_unit_unregister(&au->iox);
		amd_unit_disable(au);
		pr_info("%s: translation off, %d event%s, %ld commands\n",
			au->name, atomic_read(&au->nr_events),
			atomic_read(&au->nr_events) == 1 ? "" : "s",
			atomic_long_read(&au->cmdq.nr_cmds));
		list_del(&au->node);
		amd_unit_free(au);
	}
}

/* A PCI device that goes away is released from iox if it was probed. */
static int amd_pci_notify(struct notifier_block *nb, unsigned long action,
			  void *data)
{
	if (action == BUS_NOTIFY_REMOVED_DEVICE)
		iox_release_device(data);
	return NOTIFY_DONE;
}

static struct notifier_block amd_pci_nb = {
	.notifier_call = amd_pci_notify,
};

static int __init iox_amd_init(void)
{
	struct acpi_table_header *table;
	struct amd_ivhd *ivhd;
	unsigned int index = 0;
	acpi_status status;
	int ret;

	status = acpi_get_table(ACPI_SIG_IVRS, 0, &table);
	if (ACPI_FAILURE(status)) {
		pr_info("no ACPI IVRS table: no AMD-Vi unit\n");
		return -ENODEV;
	}
	ret = amd_ivrs_parse(table, table->length, &amd_ivrs);
	acpi_put_table(table);
	if (ret)
		return ret;

	list_for_each_entry(ivhd, &amd_ivrs.ivhds, node) {
		ret = amd_unit_add(ivhd, index++);
		if (ret && ret != -EBUSY)
			pr_err("IVHD at %#llx: not used (%d)\n", ivhd->base,
			       ret);
	}
	if (list_empty(&amd_units)) {
		pr_info("no AMD-Vi unit for iox\n");
		amd_debugfs_exit();
		amd_ivrs_free(&amd_ivrs);
		return -ENODEV;
	}
	bus_register_notifier(&pci_bus_type, &amd_pci_nb);
	return 0;
}

static void __exit iox_amd_exit(void)
{
	bus_unregister_notifier(&pci_bus_type, &amd_pci_nb);
	amd_units_remove();
	amd_debugfs_exit();
	amd_ivrs_free(&amd_ivrs);
}

module_init(iox_amd_init);
module_exit(iox_amd_exit);
MODULE_DESCRIPTION("iox driver for AMD-Vi IOMMUs");
MODULE_LICENSE("GPL");
