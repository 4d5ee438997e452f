// SPDX-License-Identifier: GPL-2.0
/*
 * iox-intel: Intel VT-d remapping units as iox units, in scalable or
 * legacy mode.
 *
 * Each DRHD of the ACPI DMAR table whose unit the kernel's own VT-d driver
 * left alone (boot with intel_iommu=off intremap=off) becomes one iox unit:
 * its registers are mapped, a root table with pass-through contexts for
 * every device is installed (or, on a unit without pass-through, contexts
 * translating through an identity table over RAM), queued invalidation and
 * the fault interrupt are set up and translation is turned on. Devices probed into iox then
 * translate through iox domains; unloading turns translation off again.
 */
#define pr_fmt(fmt) "iox-intel: " fmt

#include <linux/acpi.h>
#include <linux/bitfield.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include "intel-priv.h"

static bool qi = true;
module_param(qi, bool, 0444);
MODULE_PARM_DESC(qi, "invalidate through the queue where the unit has one");

static bool scalable = true;
module_param(scalable, bool, 0444);
MODULE_PARM_DESC(scalable, "use scalable mode where the unit has it (and qi=1)");

static bool first_level;
module_param(first_level, bool, 0444);
MODULE_PARM_DESC(first_level, "in scalable mode, give paging domains first-level tables where the unit has both levels (those with first level only always do)");

static LIST_HEAD(intel_units);
static LIST_HEAD(intel_drhds);
static LIST_HEAD(intel_rmrrs);

/**
 * intel_unit_owns() - whether a PCI device is behind a unit
 * @iu: the unit
 * @pdev: the device
 *
 * A unit translates the devices its DRHD lists; with INCLUDE_PCI_ALL also
 * every other device of its segment that no other DRHD lists (VT-d spec
 * 8.3), whether iox drives that DRHD's unit or not.
 *
 * Context: Process context.
 * Return: true if @iu translates @pdev's requests.
 */
bool intel_unit_owns(struct intel_unit *iu, struct pci_dev *pdev)
{
	struct intel_drhd *drhd;

	if (pci_domain_nr(pdev->bus) != iu->drhd->segment)
		return false;
	if (intel_drhd_has(iu->drhd, pdev))
		return true;
	if (!iu->drhd->include_all)
		return false;
	list_for_each_entry(drhd, &intel_drhds, node)
		if (drhd != iu->drhd && drhd->segment == iu->drhd->segment &&
		    intel_drhd_has(drhd, pdev))
			return false;
	return true;
}

static int intel_probe_device(struct iox_unit *unit, struct iox_dev *idev)
{
	struct intel_unit *iu = to_intel_unit(unit);
	struct pci_dev *pdev;
	struct intel_dev *id;
	unsigned int i;
	int ret;

	if (!dev_is_pci(idev->dev))
		return -ENODEV;
	pdev = to_pci_dev(idev->dev);
	if (!intel_unit_owns(iu, pdev))
		return -ENODEV;

	id = kzalloc(sizeof(*id), GFP_KERNEL);
	if (!id)
		return -ENOMEM;
	id->idev = idev;
	id->iu = iu;
	ret = iox_pci_dma_ids(pdev, id->sids, ARRAY_SIZE(id->sids),
			      &id->visible_sid);
	if (ret < 0)
		goto err;
	id->nr_sids = ret;
	/* Attaching must not allocate: every alias bus gets its table now. */
	for (i = 0; i < id->nr_sids; i++) {
		ret = intel_ctx_prepare(iu, PCI_BUS_NUM(id->sids[i]));
		if (ret)
			goto err;
		idev->ids[i] = id->sids[i];
	}
	idev->nr_ids = id->nr_sids;
	/* Faults from an alias two devices share go to the first. */
	for (i = 0; i < id->nr_sids; i++) {
		ret = xa_insert(&iu->devs, id->sids[i], id, GFP_KERNEL);
		if (ret && ret != -EBUSY)
			goto err_xa;
	}
	idev->priv = id;
	return 0;

err_xa:
	spin_lock(&iu->lock);
	for (i = 0; i < id->nr_sids; i++)
		xa_cmpxchg(&iu->devs, id->sids[i], id, NULL, 0);
	spin_unlock(&iu->lock);
err:
	kfree(id);
	return ret;
}

static void intel_release_device(struct iox_unit *unit, struct iox_dev *idev)
{
	struct intel_unit *iu = to_intel_unit(unit);
	struct intel_dev *id = idev->priv;
	unsigned int i;

	/* Back to pass-through, as before iox knew the device. */
	spin_lock(&iu->lock);
	for (i = 0; i < id->nr_sids; i++) {
		if (xa_load(&iu->devs, id->sids[i]) != id)
			continue;
		intel_ctx_set(iu, id->sids[i], id->dom, NULL);
		xa_erase(&iu->devs, id->sids[i]);
	}
	spin_unlock(&iu->lock);
	idev->priv = NULL;
	kfree(id);
}

/* Devices the unit sees as one requester cannot be told apart. */
static int intel_device_group(struct iox_unit *unit, struct iox_dev *idev,
			      u64 *key)
{
	struct intel_dev *id = idev->priv;

	*key = id->visible_sid;
	return 0;
}

static bool intel_capable(struct iox_unit *unit, enum iox_cap cap)
{
	switch (cap) {
	case IOX_CAP_DEFERRED_FLUSH:
		/* A register round trip, or a queue and a wait. */
		return true;
	case IOX_CAP_CACHE_COHERENCY:
		return intel_snoop_control(to_intel_unit(unit));
	default:
		return false;
	}
}

static int intel_get_resv_regions(struct iox_unit *unit, struct iox_dev *idev,
				  struct list_head *head)
{
	struct iox_resv_region *msi;

	msi = iox_alloc_resv_region(VTD_MSI_START, VTD_MSI_LENGTH, 0,
				    IOX_RESV_MSI, GFP_KERNEL);
	if (!msi)
		return -ENOMEM;
	list_add_tail(&msi->list, head);
	return intel_rmrr_regions(&intel_rmrrs, to_pci_dev(idev->dev), head);
}

static const struct iox_unit_ops intel_unit_ops = {
	.owner = THIS_MODULE,
	.probe_device = intel_probe_device,
	.release_device = intel_release_device,
	.device_group = intel_device_group,
	.domain_alloc = intel_domain_alloc,
	.capable = intel_capable,
	.get_resv_regions = intel_get_resv_regions,
};

/* Read the capabilities and decide how the unit is used. */
static int intel_unit_caps(struct intel_unit *iu, unsigned int haw)
{
	unsigned long sagaw;
	size_t size;
	int bit;

	iu->ver = readl(iu->regs + VTD_VER);
	iu->cap = readq(iu->regs + VTD_CAP);
	iu->ecap = readq(iu->regs + VTD_ECAP);
	if (!iu->cap || iu->cap == ~0ULL) {
		pr_err("%s: no remapping unit at %pa\n", iu->name,
		       &iu->reg_phys);
		return -ENODEV;
	}
	/* 3-, 4- or 5-level tables: the deepest the unit supports. */
	sagaw = FIELD_GET(VTD_CAP_SAGAW, iu->cap) & GENMASK(3, 1);
	if (!sagaw) {
		pr_err("%s: no supported table depth (CAP.SAGAW %#lx)\n",
		       iu->name, (unsigned long)FIELD_GET(VTD_CAP_SAGAW, iu->cap));
		return -ENODEV;
	}
	bit = __fls(sagaw);
	iu->levels = VTD_SAGAW_LEVELS(bit);
	iu->mgaw = FIELD_GET(VTD_CAP_MGAW, iu->cap) + 1;
	iu->haw = haw;
	/* Without pass-through, an identity table keeps others' DMA going. */
	iu->pt_ctx = iu->ecap & VTD_ECAP_PT;
	/*
	 * Scalable mode invalidates only through the queue (VT-d spec
	 * 6.5.2). Its paging domains use second-level tables (ECAP.SLTS),
	 * or first-level ones (ECAP.FLTS) on a unit without second level or
	 * with first_level=1. The identity table for a unit without
	 * pass-through is second-level: without SLTS such a unit stays in
	 * legacy mode.
	 */
	iu->sm = scalable && qi && (iu->ecap & VTD_ECAP_QI) &&
		 (iu->ecap & VTD_ECAP_SMTS) &&
		 ((iu->ecap & VTD_ECAP_SLTS) ||
		  ((iu->ecap & VTD_ECAP_FLTS) && iu->pt_ctx));
	iu->fl = iu->sm && (iu->ecap & VTD_ECAP_FLTS) &&
		 (first_level || !(iu->ecap & VTD_ECAP_SLTS));
	/*
	 * First level (9.7): the x86-64 paging format, 4 levels, or 5 with
	 * CAP.FL5LP where the unit's IOVAs are wider than 4 levels take;
	 * 2M pages always, 1G with CAP.FL1GP (10.4.2).
	 */
	iu->fl_levels = (iu->cap & VTD_CAP_FL5LP) && iu->mgaw > 48 ? 5 : 4;
	iu->fl_pgsizes = SZ_4K | SZ_2M |
			 (iu->cap & VTD_CAP_FL1GP ? SZ_1G : 0);
	iu->pgsizes = SZ_4K;
	if (FIELD_GET(VTD_CAP_SLLPS, iu->cap) & BIT(0))
		iu->pgsizes |= SZ_2M;
	if (FIELD_GET(VTD_CAP_SLLPS, iu->cap) & BIT(1))
		iu->pgsizes |= SZ_1G;
	iu->nr_dids = 1U << (4 + 2 * FIELD_GET(VTD_CAP_ND, iu->cap));
	iu->iotlb_reg = FIELD_GET(VTD_ECAP_IRO, iu->ecap) * 16 + 8;

	/* The IOTLB and fault recording registers may lie past the page. */
	size = max_t(size_t, iu->iotlb_reg + 8,
		     FIELD_GET(VTD_CAP_FRO, iu->cap) * 16 +
		     (FIELD_GET(VTD_CAP_NFR, iu->cap) + 1) * 16);
	if (size > iu->reg_size) {
		iounmap(iu->regs);
		iu->reg_size = PAGE_ALIGN(size);
		iu->regs = ioremap(iu->reg_phys, iu->reg_size);
		if (!iu->regs)
			return -ENOMEM;
	}
	return 0;
}

static void intel_unit_report(struct intel_unit *iu)
{
	unsigned int levels = iu->fl ? iu->fl_levels : iu->levels;
	unsigned long pgsizes = iu->fl ? iu->fl_pgsizes : iu->pgsizes;
	/* First-level IOVAs are canonical: the low half, one bit less. */
	unsigned int ias = 12 + 9 * levels - (iu->fl ? 1 : 0);

	if (!iu->pt_ctx)
		pr_info("%s: no pass-through contexts (ECAP.PT = 0): devices outside iox domains translate through an identity table over %llu MiB of RAM\n",
			iu->name, iu->ident_bytes >> 20);
	pr_info("%s: VT-d %u.%u at %#llx: %s mode, %u-level %s-level tables (%u-bit IOVA, %u-bit physical), pages 4K%s%s, %s invalidation%s, %s walks, %u fault record%s, %u domain IDs, fault %s\n",
		iu->name, VTD_VER_MAJOR(iu->ver), VTD_VER_MINOR(iu->ver),
		(u64)iu->reg_phys, iu->sm ? "scalable" : "legacy", levels,
		iu->fl ? "first" : "second", min(ias, iu->mgaw),
		iu->haw, pgsizes & SZ_2M ? " 2M" : "",
		pgsizes & SZ_1G ? " 1G" : "",
		iu->use_qi ? "queued" : "register",
		iu->cap & VTD_CAP_PSI ? " (page-selective)" : "",
		iu->ecap & VTD_ECAP_C ? "coherent" : "non-coherent",
		(unsigned int)FIELD_GET(VTD_CAP_NFR, iu->cap) + 1,
		FIELD_GET(VTD_CAP_NFR, iu->cap) ? "s" : "", iu->nr_dids,
		iu->irq ? "interrupt" : "polling");
}

static void intel_unit_disable(struct intel_unit *iu)
{
	intel_debugfs_unit_remove(iu);
	if (iu->enabled) {
		intel_gcmd(iu, VTD_GCMD_TE, false);
		iu->enabled = false;
	}
	intel_fault_teardown(iu);
	intel_qi_free(iu);
	intel_ctx_free(iu);
	intel_pasid_free(iu, &iu->pt_pasid, INTEL_DID_PT);
	intel_ident_free(iu);
}

static void intel_unit_free(struct intel_unit *iu)
{
	if (iu->regs)
		iounmap(iu->regs);
	xa_destroy(&iu->devs);
	ida_destroy(&iu->dids);
	kfree(iu);
}

/* Take one DRHD's unit over; -EBUSY if the kernel owns it. */
static int intel_unit_add(struct intel_drhd *drhd, unsigned int haw,
			  unsigned int index)
{
	struct intel_unit *iu;
	u32 gsts;
	int ret;

	iu = kzalloc(sizeof(*iu), GFP_KERNEL);
	if (!iu)
		return -ENOMEM;
	iu->drhd = drhd;
	iu->index = index;
	snprintf(iu->name, sizeof(iu->name), "iox-dmar%u", index);
	iu->reg_phys = drhd->address;
	spin_lock_init(&iu->lock);
	spin_lock_init(&iu->inv_lock);
	xa_init(&iu->devs);
	ida_init(&iu->dids);
	/*
	 * Not request_mem_region(): the kernel's DMAR code keeps the range
	 * even when its driver is off. GSTS below says who uses the unit.
	 */
	iu->reg_size = PAGE_SIZE;
	iu->regs = ioremap(iu->reg_phys, iu->reg_size);
	if (!iu->regs) {
		ret = -ENOMEM;
		goto err_free;
	}
	gsts = readl(iu->regs + VTD_GSTS);
	if (gsts & (VTD_GCMD_TE | VTD_GCMD_IRE | VTD_GCMD_QIE)) {
		pr_warn("%s at %pa: in use by the kernel's VT-d driver (GSTS %#x:%s%s%s): left alone; boot with intel_iommu=off intremap=off to give it to iox\n",
			iu->name, &iu->reg_phys, gsts,
			gsts & VTD_GCMD_TE ? " translation" : "",
			gsts & VTD_GCMD_IRE ? " interrupt-remapping" : "",
			gsts & VTD_GCMD_QIE ? " queued-invalidation" : "");
		ret = -EBUSY;
		goto err_free;
	}
	ret = intel_unit_caps(iu, haw);
	if (ret)
		goto err_free;

	if (!iu->pt_ctx) {
		ret = intel_ident_init(iu, &intel_rmrrs);
		if (ret)
			goto err_disable;
	}
	if (iu->sm) {
		/* The PASID tables before the contexts that point at them. */
		ret = intel_pasid_alloc(iu, &iu->pt_pasid);
		if (ret)
			goto err_disable;
		intel_pasid_set(iu, &iu->pt_pasid,
				iu->pt_ctx ? VTD_PGTT_PT : VTD_PGTT_SL,
				INTEL_DID_PT, iu->ident.root_phys, iu->levels);
	}
	ret = intel_ctx_init(iu);
	if (ret)
		goto err_disable;
	/* VT-d spec 10.4.6: the table and its mode (TTM), latched by SRTP. */
	writeq(virt_to_phys(iu->root) |
	       FIELD_PREP(VTD_RTADDR_TTM, iu->sm ? VTD_TTM_SCALABLE :
						   VTD_TTM_LEGACY),
	       iu->regs + VTD_RTADDR);
	ret = intel_gcmd(iu, VTD_GCMD_SRTP, true);
	if (ret)
		goto err_disable;
	if (qi && (iu->ecap & VTD_ECAP_QI)) {
		ret = intel_qi_init(iu);
		if (ret)
			goto err_disable;
	}
	/* 10.4.4: a new root table wants every cache invalidated globally. */
	ret = intel_inv_context(iu, VTD_INV_GLOBAL, 0, 0) ?:
	      (iu->sm ? intel_inv_pasid_cache(iu, VTD_PASIDC_GLOBAL, 0, 0) : 0) ?:
	      intel_inv_iotlb(iu, VTD_INV_GLOBAL, 0, 0, 0, false);
	if (ret)
		goto err_disable;
	intel_fault_setup(iu);
	ret = intel_gcmd(iu, VTD_GCMD_TE, true);
	if (ret)
		goto err_disable;
	iu->enabled = true;
	intel_debugfs_unit_add(iu);

	iu->iox.ops = &intel_unit_ops;
	iu->iox.name = iu->name;
	ret = iox_unit_register(&iu->iox);
	if (ret)
		goto err_disable;
	list_add_tail(&iu->node, &intel_units);
	intel_unit_report(iu);
	return 0;

err_disable:
	intel_unit_disable(iu);
err_free:
	intel_unit_free(iu);
	return ret;
}

static void intel_units_remove(void)
{
	struct intel_unit *iu, *next;

	list_for_each_entry_safe(iu, next, &intel_units, node) {
		iox_unit_unregister(&iu->iox);
		intel_unit_disable(iu);
		pr_info("%s: translation off, %d fault%s seen\n", iu->name,
			atomic_read(&iu->nr_faults),
			atomic_read(&iu->nr_faults) == 1 ? "" : "s");
		list_del(&iu->node);
		intel_unit_free(iu);
	}
}

/*
 * PCI devices that appear after load (hotplug, a rescan) get pass-through
 * contexts on their buses, as those present at load did; one that goes
 * away is released from iox if it was probed, so the core keeps no record
 * of a device that is gone.
 */
static int intel_pci_notify(struct notifier_block *nb, unsigned long action,
			    void *data)
{
	struct pci_dev *pdev = to_pci_dev(data);
	struct intel_unit *iu;

	if (action != BUS_NOTIFY_ADD_DEVICE &&
	    action != BUS_NOTIFY_REMOVED_DEVICE)
		return NOTIFY_DONE;
	list_for_each_entry(iu, &intel_units, node) {
		if (!intel_unit_owns(iu, pdev))
			continue;
		if (action == BUS_NOTIFY_REMOVED_DEVICE)
			iox_release_device(&pdev->dev);
		else if (intel_ctx_add_dev(iu, pdev))
			pci_warn(pdev, "%s: no context table: its DMA faults\n",
				 iu->name);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block intel_pci_nb = {
	.notifier_call = intel_pci_notify,
};

/* Start following PCI hotplug; devices added meanwhile are caught up. */
static void intel_hotplug_start(void)
{
	struct pci_dev *pdev = NULL;

	bus_register_notifier(&pci_bus_type, &intel_pci_nb);
	for_each_pci_dev(pdev)
		intel_pci_notify(&intel_pci_nb, BUS_NOTIFY_ADD_DEVICE,
				 &pdev->dev);
}

static int __init iox_intel_init(void)
{
	struct acpi_table_header *table;
	struct intel_drhd *drhd;
	unsigned int haw, index = 0;
	acpi_status status;
	int ret;

	status = acpi_get_table(ACPI_SIG_DMAR, 0, &table);
	if (ACPI_FAILURE(status)) {
		pr_info("no ACPI DMAR table: no VT-d unit\n");
		return -ENODEV;
	}
	ret = intel_dmar_parse(table, &haw, &intel_drhds, &intel_rmrrs);
	acpi_put_table(table);
	if (ret) {
		pr_err(FW_BUG "malformed DMAR table (%d)\n", ret);
		return ret;
	}
	if (intel_fault_irq_domain_init())
		pr_debug("no fault interrupt domain\n");

	list_for_each_entry(drhd, &intel_drhds, node) {
		ret = intel_unit_add(drhd, haw, index++);
		if (ret && ret != -EBUSY && ret != -ENODEV)
			pr_err("DRHD at %#llx: not used (%d)\n", drhd->address,
			       ret);
	}
	if (list_empty(&intel_units)) {
		pr_info("no VT-d unit for iox\n");
		intel_debugfs_exit();
		intel_fault_irq_domain_exit();
		intel_dmar_free(&intel_drhds, &intel_rmrrs);
		return -ENODEV;
	}
	intel_hotplug_start();
	return 0;
}

static void __exit iox_intel_exit(void)
{
	bus_unregister_notifier(&pci_bus_type, &intel_pci_nb);
	intel_units_remove();
	intel_debugfs_exit();
	intel_fault_irq_domain_exit();
	intel_dmar_free(&intel_drhds, &intel_rmrrs);
}

module_init(iox_intel_init);
module_exit(iox_intel_exit);
MODULE_DESCRIPTION("iox driver for Intel VT-d remapping units");
MODULE_LICENSE("GPL");
