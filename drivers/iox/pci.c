// SPDX-License-Identifier: GPL-2.0
/*
 * iox core: what a PCI device's DMA looks like to the IOMMU above it, for
 * the drivers of units that key their tables by requester ID (VT-d
 * source-id, AMD-Vi DeviceID, SMMU stream ID).
 */
#include <linux/of.h>
#include <linux/pci.h>
#include <linux/iox-driver.h>

/* Add @alias to @ids unless it is there; it becomes the visible one. */
static int iox_pci_add_id(u16 *ids, unsigned int max, unsigned int *nr,
			  u16 alias, u16 *visible)
{
	unsigned int i;

	*visible = alias;
	for (i = 0; i < *nr; i++)
		if (ids[i] == alias)
			return 0;
	if (*nr == max)
		return -E2BIG;
	ids[(*nr)++] = alias;
	return 0;
}

/* The requester ID a bridge gives the requests it forwards, or -1. */
static int iox_pci_bridge_alias(struct pci_dev *bridge)
{
	if (pci_is_pcie(bridge)) {
		switch (pci_pcie_type(bridge)) {
		case PCI_EXP_TYPE_PCI_BRIDGE:
			return PCI_DEVID(bridge->subordinate->number, 0);
		case PCI_EXP_TYPE_PCIE_BRIDGE:
			return PCI_DEVID(bridge->bus->number, bridge->devfn);
		}
		return -1;
	}
	if (bridge->dev_flags & PCI_DEV_FLAG_PCIE_BRIDGE_ALIAS)
		return PCI_DEVID(bridge->subordinate->number, 0);
	return PCI_DEVID(bridge->bus->number, bridge->devfn);
}

/**
 * iox_pci_dma_ids() - the requester IDs a PCI device's DMA can carry
 * @pdev: the device
 * @ids: filled with the IDs, the device's own first
 * @max: room in @ids
 * @visible: set to the ID its requests reach the root complex with
 *
 * Its own ID, its quirk aliases (dma_alias_mask), then what the bridges
 * above it turn them into on the way to the root bus: a PCIe-to-PCI/PCI-X
 * bridge tags them with its secondary bus and devfn 0 (PCI Express to
 * PCI/PCI-X Bridge Spec 2.3), a conventional PCI bridge with its own ID;
 * PCIe ports pass them unchanged. The last one is the ID the IOMMU sees.
 * (IDs through a VMD domain are not modelled.) Unlike
 * pci_for_each_dma_alias(), it stops at a bridge whose ID the root
 * complex translates (PCI_DEV_FLAGS_BRIDGE_XLATE_ROOT) the same way, and
 * it collects rather than calls back.
 *
 * Context: Process context.
 * Return: the number of IDs in @ids, or -E2BIG when more than @max.
 */
int iox_pci_dma_ids(struct pci_dev *pdev, u16 *ids, unsigned int max,
		    u16 *visible)
{
	unsigned int nr = 0, devfn;
	struct pci_bus *bus;
	int ret, alias;

	ret = iox_pci_add_id(ids, max, &nr,
			     PCI_DEVID(pdev->bus->number, pdev->devfn),
			     visible);
	if (!ret && pdev->dma_alias_mask) {
		for_each_set_bit(devfn, pdev->dma_alias_mask, 256) {
			ret = iox_pci_add_id(ids, max, &nr,
					     PCI_DEVID(pdev->bus->number,
						       devfn), visible);
			if (ret)
				return ret;
		}
	}
	for (bus = pdev->bus; !ret && !pci_is_root_bus(bus);
	     bus = bus->parent) {
		if (!bus->self)
			continue;
		if (bus->self->dev_flags & PCI_DEV_FLAGS_BRIDGE_XLATE_ROOT)
			break;
		alias = iox_pci_bridge_alias(bus->self);
		if (alias >= 0)
			ret = iox_pci_add_id(ids, max, &nr, alias, visible);
	}
	return ret ?: nr;
}
EXPORT_SYMBOL_GPL(iox_pci_dma_ids);

/**
 * iox_pci_of_stream_id() - the stream ID an IOMMU node sees for a
 *	requester ID, by the host bridge's devicetree "iommu-map"
 * @pdev: the device
 * @rid: one of its requester IDs (iox_pci_dma_ids())
 * @iommu: the IOMMU's devicetree node
 * @sid: the stream ID
 *
 * Context: Process context.
 * Return: 0; -ENODEV if the host bridge has no node, or maps @rid to
 * another IOMMU; of_map_id()'s errno (-EFAULT: no entry for @rid).
 */
int iox_pci_of_stream_id(struct pci_dev *pdev, u16 rid,
			 struct device_node *iommu, u32 *sid)
{
	struct pci_host_bridge *bridge = pci_find_host_bridge(pdev->bus);
	struct device_node *np, *target = NULL;
	int ret;

	np = bridge && bridge->dev.parent ? bridge->dev.parent->of_node : NULL;
	if (!np)
		return -ENODEV;
	ret = of_map_id(np, rid, "iommu-map", "iommu-map-mask", &target, sid);
	if (ret)
		return ret;
	of_node_put(target);
	return target == iommu ? 0 : -ENODEV;
}
EXPORT_SYMBOL_GPL(iox_pci_of_stream_id);
