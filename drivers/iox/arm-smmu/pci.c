// SPDX-License-Identifier: GPL-2.0
/*
 * iox-arm-smmu: PCI devices as masters, by their host bridge's devicetree
 * iommu-map (the core's iox_pci_of_stream_id(), shared with SMMUv3).
 */
#define pr_fmt(fmt) "iox-arm-smmu: " fmt

#include <linux/err.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include "smmu2-priv.h"

/**
 * smmu2_pci_master() - a PCI device as a master of the unit
 * @su: the unit
 * @dev: a device the core probes
 *
 * A PCI device whose host bridge's iommu-map sends its requester IDs to
 * the unit's node becomes a master of its own, freed with its release.
 *
 * Context: Process context.
 * Return: the master; ERR_PTR(-ENODEV) for a device not behind the unit,
 * -ENOMEM.
 */
struct smmu2_master *smmu2_pci_master(struct smmu2_unit *su, struct device *dev)
{
	u16 rids[IOX_DEV_MAX_IDS], visible;
	struct smmu2_master *m;
	int i, nr, ret;
	u32 sid;

	if (!su->np || !dev_is_pci(dev))
		return ERR_PTR(-ENODEV);
	nr = iox_pci_dma_ids(to_pci_dev(dev), rids, ARRAY_SIZE(rids),
			     &visible);
	if (nr <= 0)
		return ERR_PTR(nr ?: -ENODEV);
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i < nr; i++) {
		ret = iox_pci_of_stream_id(to_pci_dev(dev), rids[i], su->np,
					   &sid);
		if (!ret && sid & ~su->sid_mask)
			ret = -ERANGE;
		if (ret) {
			kfree(m);
			return ERR_PTR(-ENODEV);
		}
		m->sids[i] = sid;
		m->smr[i] = -1;
	}
	m->dev = dev;
	m->su = su;
	m->nr_sids = nr;
	m->probed = true;
	spin_lock_irq(&su->lock);
	list_add_tail(&m->node, &su->masters);
	spin_unlock_irq(&su->lock);
	return m;
}
