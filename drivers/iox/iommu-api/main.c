// SPDX-License-Identifier: GPL-2.0
/*
 * iox_iommu_api: every iox unit registered with the running kernel as an
 * IOMMU device (/sys/class/iommu/<unit>), with one struct iommu_ops whose
 * calls land in iox's core. The kernel then probes every PCI and platform
 * device: those behind an iox unit join kernel groups that are iox's
 * groups and get a default domain, and the kernel's users - drivers
 * through the DMA API, vfio_iommu_type1, KVM's VFIO device - use them
 * unmodified. Who serves a DMA domain's DMA API depends on the
 * architecture: see iox_kapi_arch_dma_ops().
 *
 * Linux 6.1 sets its buses' IOMMU ops at the first registration and never
 * clears them (iommu_device_unregister() leaves them, and every probed
 * device pins the module), so once registered the bridge can never go
 * away safely: the module has no exit and cannot be unloaded, and it pins
 * the unit drivers and the core with it.
 */
#define pr_fmt(fmt) "iox-iommu-api: " fmt

#include <linux/device.h>
#include <linux/dma-map-ops.h>
#include <linux/err.h>
#include <linux/iox-driver.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "iommu-api.h"

#define IOX_KAPI_MAX_UNITS	16

/**
 * struct iox_kunit - an iox unit as a kernel IOMMU device
 * @iommu: what the kernel holds
 * @unit: the iox unit, pinned
 */
struct iox_kunit {
	struct iommu_device iommu;
	struct iox_unit *unit;
};

static struct iox_kunit iox_kunits[IOX_KAPI_MAX_UNITS];
static unsigned int iox_nr_kunits;

/* True while the devices present at load are probed. */
static bool iox_kapi_loading;
/* Devices bound to a driver then, which the bridge left alone. */
static unsigned int iox_kapi_left_alone;

static char *dma = "auto";
module_param(dma, charp, 0444);
MODULE_PARM_DESC(dma,
		 "default domain of devices: auto (the kernel's iommu.strict/iommu.passthrough choice, changeable per group in sysfs), strict, lazy or identity");

static unsigned int iox_kapi_policy;

static struct iox_kunit *iox_kunit_of(struct iox_unit *unit)
{
	unsigned int i;

	for (i = 0; i < iox_nr_kunits; i++)
		if (iox_kunits[i].unit == unit)
			return &iox_kunits[i];
	return NULL;
}

static struct iommu_device *iox_kapi_probe_device(struct device *dev)
{
	struct iox_kunit *ku;
	struct iox_kdev *kdev;
	struct iox_dev *idev;
	int ret;

	/*
	 * Its driver chose its DMA ops already, and may be DMAing: leave it
	 * untouched (not even probed, which would block it for a moment).
	 */
	if (iox_kapi_loading && dev->driver) {
		dev_dbg(dev, "bound to %s: left alone\n", dev_driver_string(dev));
		iox_kapi_left_alone++;
		return ERR_PTR(-ENODEV);
	}
	ret = iox_probe_device(dev);
	if (ret) {
		/* -EEXIST: an iox user of its own (a test) holds it. */
		if (ret != -ENODEV)
			dev_info(dev, "not put on iox: %d\n", ret);
		return ERR_PTR(-ENODEV);
	}
	idev = iox_dev_get(dev);
	ku = iox_kunit_of(idev->unit);
	kdev = kzalloc(sizeof(*kdev), GFP_KERNEL);
	if (!ku || !kdev) {
		kfree(kdev);
		iox_release_device(dev);
		return ERR_PTR(-ENODEV);
	}
	dev_iommu_priv_set(dev, kdev);
	return &ku->iommu;
}

static void iox_kapi_release_device(struct device *dev)
{
	struct iox_kdev *kdev = dev_iommu_priv_get(dev);

	iox_kdomain_release_dev(dev);
	iox_release_device(dev);
	dev_iommu_priv_set(dev, NULL);
	kfree(kdev);
}

/* The kernel group of another member of @dev's iox group, if any. */
static int iox_kapi_peer_group(struct device *member, void *data)
{
	struct iommu_group **group = data;

	*group = iommu_group_get(member);
	return !!*group;
}

/* Kernel groups are iox's: a device joins the group of its iox peers. */
static struct iommu_group *iox_kapi_device_group(struct device *dev)
{
	struct iommu_group *group = NULL;
	int ret;

	ret = iox_device_group_for_each(dev, iox_kapi_peer_group, &group);
	if (ret < 0)
		return ERR_PTR(ret);
	return group ?: iommu_group_alloc();
}

static int iox_kapi_count(struct device *member, void *data)
{
	(*(unsigned int *)data)++;
	return 0;
}

/*
 * The iox DMA backend serves devices alone in their group; a shared group
 * stays untranslated by default. Otherwise the module's policy, or none.
 */
static int iox_kapi_def_domain_type(struct device *dev)
{
	unsigned int n = 0;

	iox_device_group_for_each(dev, iox_kapi_count, &n);
	if (n > 1)
		return IOMMU_DOMAIN_IDENTITY;
	return iox_kapi_policy;
}

/*
 * CACHE_COHERENCY is whether IOMMU_CACHE mappings are coherent, which a
 * coherent device's are; interrupt remapping is not iox's.
 */
static bool iox_kapi_capable(struct device *dev, enum iommu_cap cap)
{
	switch (cap) {
	case IOMMU_CAP_CACHE_COHERENCY:
		return dev_is_dma_coherent(dev);
	case IOMMU_CAP_NOEXEC:
		return iox_capable(dev, IOX_CAP_NOEXEC);
	default:
		return false;
	}
}

static void iox_kapi_get_resv_regions(struct device *dev,
				      struct list_head *head)
{
	static const enum iommu_resv_type types[] = {
		[IOX_RESV_RESERVED] = IOMMU_RESV_RESERVED,
		[IOX_RESV_MSI] = IOMMU_RESV_MSI,
		[IOX_RESV_DIRECT] = IOMMU_RESV_DIRECT,
	};
	struct iommu_resv_region *kr;
	struct iox_resv_region *r;
	LIST_HEAD(regions);

	if (iox_get_resv_regions(dev, &regions))
		return;
	list_for_each_entry(r, &regions, list) {
		kr = iommu_alloc_resv_region(r->start, r->length,
					     r->prot & IOX_PROT_MASK,
					     types[r->type], GFP_KERNEL);
		if (!kr)
			break;
		list_add_tail(&kr->list, head);
	}
	iox_put_resv_regions(&regions);
}

/*
 * A device whose firmware node names a unit (devicetree iommus or
 * iommu-map) is configured at every driver bind (of_dma_configure()): the
 * kernel finds the unit's iommu_device by its fwnode, keeps the IDs here,
 * and the architecture then sets up the device's DMA ops. iox's unit
 * drivers find a device's IDs themselves, but without this op the kernel
 * treats the device as behind no IOMMU, and without the fwnode it defers
 * the driver's probe (10 s, then as behind none): either way, on arm64
 * the GIC's MSI setup then finds the DMA domain's IOVA cookie never
 * initialised and oopses (seen with the stock nvme driver).
 */
static int iox_kapi_of_xlate(struct device *dev, struct of_phandle_args *args)
{
	return iommu_fwspec_add_ids(dev, args->args, args->args_count);
}

static struct iommu_ops iox_kapi_ops = {
	.capable = iox_kapi_capable,
	.domain_alloc = iox_kdomain_alloc,
	.probe_device = iox_kapi_probe_device,
	.release_device = iox_kapi_release_device,
	.device_group = iox_kapi_device_group,
	.get_resv_regions = iox_kapi_get_resv_regions,
	.def_domain_type = iox_kapi_def_domain_type,
	.of_xlate = iox_kapi_of_xlate,
	.default_domain_ops = &iox_kdomain_ops,
	.owner = THIS_MODULE,
};

static int iox_kapi_parse_policy(void)
{
	static const struct {
		const char *name;
		unsigned int type;
	} policies[] = {
		{ "auto", 0 },
		{ "strict", IOMMU_DOMAIN_DMA },
		{ "lazy", IOMMU_DOMAIN_DMA_FQ },
		{ "identity", IOMMU_DOMAIN_IDENTITY },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(policies); i++) {
		if (sysfs_streq(dma, policies[i].name)) {
			iox_kapi_policy = policies[i].type;
			return 0;
		}
	}
	pr_err("dma=%s: not auto, strict, lazy or identity\n", dma);
	return -EINVAL;
}

/* What a paging domain of every unit can do: the bridge's template. */
static int iox_kapi_make_template(void)
{
	unsigned long pgsizes = ULONG_MAX;
	struct iox_domain *probe;
	u64 end = U64_MAX;
	unsigned int i;

	for (i = 0; i < iox_nr_kunits; i++) {
		probe = iox_unit_domain_alloc(iox_kunits[i].unit,
					      IOX_DOMAIN_PAGING);
		if (IS_ERR(probe))
			return PTR_ERR(probe);
		pgsizes &= probe->pgsize_bitmap;
		end = min_t(u64, end, probe->aperture_end);
		iox_domain_free(probe);
	}
	/* Every unit maps 4K at least; no common size would be a bug. */
	if (!(pgsizes & PAGE_SIZE))
		return -EINVAL;
	iox_kdomain_set_template(pgsizes, end);
	iox_kapi_ops.pgsize_bitmap = pgsizes;
	return 0;
}

static void iox_kapi_unpin(void)
{
	while (iox_nr_kunits)
		iox_unit_put(iox_kunits[--iox_nr_kunits].unit);
}

static int __init iox_kapi_init(void)
{
	struct iox_unit *units[IOX_KAPI_MAX_UNITS];
	unsigned int i, registered = 0;
	int ret;

	ret = iox_kapi_parse_policy();
	if (ret)
		return ret;
	iox_nr_kunits = iox_units_get(units, ARRAY_SIZE(units));
	if (!iox_nr_kunits) {
		pr_err("no iox unit: load a unit driver (iox_intel) first\n");
		return -ENODEV;
	}
	for (i = 0; i < iox_nr_kunits; i++)
		iox_kunits[i].unit = units[i];
	ret = iox_kapi_make_template();
	if (ret)
		goto err_unpin;
	for (i = 0; i < iox_nr_kunits; i++) {
		ret = iommu_device_sysfs_add(&iox_kunits[i].iommu, NULL, NULL,
					     "%s", iox_kunits[i].unit->name);
		if (ret)
			goto err_sysfs;
	}

	iox_kapi_loading = true;
	for (i = 0; i < iox_nr_kunits; i++) {
		/* The unit's device gives the kernel its firmware node. */
		ret = iommu_device_register(&iox_kunits[i].iommu,
					    &iox_kapi_ops,
					    iox_kunits[i].unit->hwdev);
		if (ret == -EBUSY && !registered) {
			/* Refused before the buses were touched. */
			pr_err("the kernel's IOMMU API is another driver's (boot with intel_iommu=off / amd_iommu=off)\n");
			iox_kapi_loading = false;
			goto err_sysfs;
		}
		/*
		 * The buses have iox's ops now, whatever happened: the
		 * module must stay, with what it registered.
		 */
		if (ret)
			pr_err("%s: registration with the IOMMU API failed: %d\n",
			       iox_kunits[i].unit->name, ret);
		else
			registered++;
	}
	iox_kapi_loading = false;
	pr_info("%u of %u iox units serve the kernel's IOMMU API; default domains: %s\n",
		registered, iox_nr_kunits, dma);
	if (iox_kapi_left_alone)
		pr_info("%u devices already bound to a driver were left alone, untranslated; to put one on iox, unbind it, remove it and rescan its bus\n",
			iox_kapi_left_alone);
	return 0;

err_sysfs:
	while (i--)
		iommu_device_sysfs_remove(&iox_kunits[i].iommu);
err_unpin:
	iox_kapi_unpin();
	return ret;
}
module_init(iox_kapi_init);
/* No module_exit(): see the top of this file. */

MODULE_DESCRIPTION("iox units as IOMMU devices of the running kernel");
MODULE_LICENSE("GPL");
