// SPDX-License-Identifier: GPL-2.0
/*
 * iox-intel: the ACPI DMAR table (VT-d spec chapter 8) - remapping units
 * (DRHD, 8.3), their device scopes (8.3.1) and reserved memory regions
 * (RMRR, 8.4) - and which PCI devices a scope covers.
 */
#define pr_fmt(fmt) "iox-intel: " fmt

#include <linux/acpi.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include "intel-priv.h"

/* Size of a device scope with n path hops (VT-d spec 8.3.1). */
#define SCOPE_SIZE(n)	(sizeof(struct acpi_dmar_device_scope) + \
			 (n) * sizeof(struct acpi_dmar_pci_path))

/*
 * Copy the endpoint and bridge scopes found in [start, end). Other scope
 * types (I/O APIC, HPET, ACPI namespace devices) do no DMA that iox
 * translates and are skipped.
 */
static int intel_parse_scopes(const u8 *start, const u8 *end,
			      struct intel_scope **out, unsigned int *nr_out)
{
	const struct acpi_dmar_device_scope *s;
	const struct acpi_dmar_pci_path *path;
	struct intel_scope *scopes;
	unsigned int n = 0, i, hops;
	const u8 *p;

	*out = NULL;
	*nr_out = 0;
	for (p = start; p < end; p += s->length) {
		s = (const void *)p;
		if (end - p < (long)sizeof(*s) || s->length < SCOPE_SIZE(1) ||
		    s->length > end - p)
			return -EINVAL;
		n++;
	}
	if (!n)
		return 0;
	scopes = kcalloc(n, sizeof(*scopes), GFP_KERNEL);
	if (!scopes)
		return -ENOMEM;

	n = 0;
	for (p = start; p < end; p += s->length) {
		s = (const void *)p;
		if (s->entry_type != ACPI_DMAR_SCOPE_TYPE_ENDPOINT &&
		    s->entry_type != ACPI_DMAR_SCOPE_TYPE_BRIDGE)
			continue;
		hops = (s->length - sizeof(*s)) / sizeof(*path);
		if (hops > INTEL_MAX_PATH) {
			pr_warn("device scope with %u path hops ignored\n",
				hops);
			continue;
		}
		path = (const void *)(s + 1);
		scopes[n].type = s->entry_type;
		scopes[n].bus = s->bus;
		for (i = 0; i < hops; i++) {
			scopes[n].path[i][0] = path[i].device;
			scopes[n].path[i][1] = path[i].function;
		}
		scopes[n].nr_path = hops;
		n++;
	}
	if (!n) {
		kfree(scopes);
		return 0;
	}
	*out = scopes;
	*nr_out = n;
	return 0;
}

static int intel_parse_drhd(const struct acpi_dmar_hardware_unit *d,
			    struct list_head *drhds)
{
	struct intel_drhd *drhd;
	int ret;

	if (d->header.length < sizeof(*d))
		return -EINVAL;
	drhd = kzalloc(sizeof(*drhd), GFP_KERNEL);
	if (!drhd)
		return -ENOMEM;
	drhd->segment = d->segment;
	drhd->include_all = d->flags & ACPI_DMAR_INCLUDE_ALL;
	drhd->address = d->address;
	ret = intel_parse_scopes((const u8 *)(d + 1),
				 (const u8 *)d + d->header.length,
				 &drhd->scopes, &drhd->nr_scopes);
	if (ret) {
		kfree(drhd);
		return ret;
	}
	list_add_tail(&drhd->node, drhds);
	return 0;
}

static int intel_parse_rmrr(const struct acpi_dmar_reserved_memory *r,
			    struct list_head *rmrrs)
{
	struct intel_rmrr *rmrr;
	int ret;

	if (r->header.length < sizeof(*r))
		return -EINVAL;
	/* 8.4: 4 KiB aligned base, limit at the last byte of a page. */
	if (r->end_address < r->base_address ||
	    !PAGE_ALIGNED(r->base_address) ||
	    !PAGE_ALIGNED(r->end_address + 1)) {
		pr_warn(FW_BUG "RMRR [%#llx-%#llx] is not page aligned, ignored\n",
			r->base_address, r->end_address);
		return 0;
	}
	rmrr = kzalloc(sizeof(*rmrr), GFP_KERNEL);
	if (!rmrr)
		return -ENOMEM;
	rmrr->segment = r->segment;
	rmrr->base = r->base_address;
	rmrr->end = r->end_address;
	ret = intel_parse_scopes((const u8 *)(r + 1),
				 (const u8 *)r + r->header.length,
				 &rmrr->scopes, &rmrr->nr_scopes);
	if (ret) {
		kfree(rmrr);
		return ret;
	}
	list_add_tail(&rmrr->node, rmrrs);
	return 0;
}

/**
 * intel_dmar_free() - free what intel_dmar_parse() built
 * @drhds: list of struct intel_drhd, or NULL
 * @rmrrs: list of struct intel_rmrr, or NULL
 *
 * Context: Any context.
 */
void intel_dmar_free(struct list_head *drhds, struct list_head *rmrrs)
{
	struct intel_drhd *drhd, *dn;
	struct intel_rmrr *rmrr, *rn;

	if (drhds) {
		list_for_each_entry_safe(drhd, dn, drhds, node) {
			list_del(&drhd->node);
			kfree(drhd->scopes);
			kfree(drhd);
		}
	}
	if (rmrrs) {
		list_for_each_entry_safe(rmrr, rn, rmrrs, node) {
			list_del(&rmrr->node);
			kfree(rmrr->scopes);
			kfree(rmrr);
		}
	}
}

/**
 * intel_dmar_parse() - read the remapping structures of a DMAR table
 * @table: the table (VT-d spec 8.1)
 * @haw: set to the host address width, in bits
 * @drhds: gets one struct intel_drhd per DRHD, in table order
 * @rmrrs: gets one struct intel_rmrr per usable RMRR
 *
 * Remapping structures of other types (ATSR, RHSA, ANDD, SATC) are
 * skipped.
 *
 * Context: Process context.
 * Return: 0; -EINVAL for a malformed table (nothing is added then);
 * -ENOMEM.
 */
int intel_dmar_parse(const struct acpi_table_header *table,
		     unsigned int *haw, struct list_head *drhds,
		     struct list_head *rmrrs)
{
	const struct acpi_table_dmar *dmar = (const void *)table;
	const struct acpi_dmar_header *h;
	LIST_HEAD(new_drhds);
	LIST_HEAD(new_rmrrs);
	const u8 *p, *end;
	int ret = 0;

	if (table->length < sizeof(*dmar))
		return -EINVAL;
	/* 8.1: the width field is the host address width minus one. */
	*haw = dmar->width + 1;
	end = (const u8 *)table + table->length;
	for (p = (const u8 *)(dmar + 1); p < end && !ret; p += h->length) {
		h = (const void *)p;
		if (end - p < (long)sizeof(*h) || h->length < sizeof(*h) ||
		    h->length > end - p) {
			ret = -EINVAL;
			break;
		}
		switch (h->type) {
		case ACPI_DMAR_TYPE_HARDWARE_UNIT:
			ret = intel_parse_drhd((const void *)h, &new_drhds);
			break;
		case ACPI_DMAR_TYPE_RESERVED_MEMORY:
			ret = intel_parse_rmrr((const void *)h, &new_rmrrs);
			break;
		}
	}
	if (ret) {
		intel_dmar_free(&new_drhds, &new_rmrrs);
		return ret;
	}
	list_splice_tail(&new_drhds, drhds);
	list_splice_tail(&new_rmrrs, rmrrs);
	return 0;
}

/*
 * Follow a scope's path from its start bus through the bridges it names
 * (VT-d spec 8.3.1): the last hop is the device on the bus the previous
 * bridge leads to. Return that device, referenced, or NULL.
 */
static struct pci_dev *intel_scope_dev(u16 segment,
				       const struct intel_scope *scope)
{
	struct pci_dev *pdev = NULL;
	unsigned int i;
	u8 bus = scope->bus;

	for (i = 0; i < scope->nr_path; i++) {
		if (pdev) {
			if (!pdev->subordinate) {
				pci_dev_put(pdev);
				return NULL;
			}
			bus = pdev->subordinate->number;
			pci_dev_put(pdev);
		}
		pdev = pci_get_domain_bus_and_slot(segment, bus,
						   PCI_DEVFN(scope->path[i][0],
							     scope->path[i][1]));
		if (!pdev)
			return NULL;
	}
	return pdev;
}

/**
 * intel_scope_has() - whether a device scope covers a PCI device
 * @segment: PCI segment of the scope
 * @scope: an endpoint or bridge scope
 * @pdev: the device
 *
 * An endpoint scope covers its device; a bridge scope covers the bridge
 * and every device on the buses below it.
 *
 * Context: Process context.
 * Return: true if @pdev is in @scope.
 */
bool intel_scope_has(u16 segment, const struct intel_scope *scope,
		     struct pci_dev *pdev)
{
	struct pci_dev *target;
	struct pci_bus *bus;
	bool found = false;

	if (pci_domain_nr(pdev->bus) != segment)
		return false;
	target = intel_scope_dev(segment, scope);
	if (!target)
		return false;
	if (target == pdev) {
		found = true;
	} else if (scope->type == ACPI_DMAR_SCOPE_TYPE_BRIDGE &&
		   target->subordinate) {
		for (bus = pdev->bus; bus; bus = bus->parent) {
			if (bus == target->subordinate) {
				found = true;
				break;
			}
		}
	}
	pci_dev_put(target);
	return found;
}

/**
 * intel_drhd_has() - whether a DRHD lists a PCI device in its scopes
 * @drhd: the unit definition
 * @pdev: the device
 *
 * INCLUDE_PCI_ALL is not considered here: see the unit's probe.
 *
 * Context: Process context.
 * Return: true if a scope of @drhd covers @pdev.
 */
bool intel_drhd_has(const struct intel_drhd *drhd, struct pci_dev *pdev)
{
	unsigned int i;

	for (i = 0; i < drhd->nr_scopes; i++)
		if (intel_scope_has(drhd->segment, &drhd->scopes[i], pdev))
			return true;
	return false;
}

/**
 * intel_rmrr_regions() - the RMRRs of a device as direct reserved regions
 * @rmrrs: the RMRRs of the DMAR table
 * @pdev: the device
 * @head: list to append struct iox_resv_region entries to
 *
 * Context: Process context.
 * Return: 0 or -ENOMEM (entries added so far stay on @head).
 */
int intel_rmrr_regions(struct list_head *rmrrs, struct pci_dev *pdev,
		       struct list_head *head)
{
	struct iox_resv_region *region;
	struct intel_rmrr *rmrr;
	unsigned int i;

	list_for_each_entry(rmrr, rmrrs, node) {
		for (i = 0; i < rmrr->nr_scopes; i++) {
			if (!intel_scope_has(rmrr->segment, &rmrr->scopes[i],
					     pdev))
				continue;
			region = iox_alloc_resv_region(rmrr->base,
						       rmrr->end - rmrr->base + 1,
						       IOX_READ | IOX_WRITE,
						       IOX_RESV_DIRECT,
						       GFP_KERNEL);
			if (!region)
				return -ENOMEM;
			list_add_tail(&region->list, head);
			break;
		}
	}
	return 0;
}
