// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite iox_intel_dmar: the DMAR table parser (VT-d spec chapter 8)
 * on hand-built tables - DRHDs with and without INCLUDE_PCI_ALL, device
 * scopes, RMRRs, structures it skips and malformed lengths - and device
 * scopes matched against the PCI devices of the machine it runs on (edu,
 * 1234:11e8, in the VT-d VM). The parser is compiled in here from dmar.c.
 */
#define pr_fmt(fmt) "iox-intel: " fmt	/* as dmar.c has it */

#include <kunit/test.h>
#include <linux/acpi.h>
#include <linux/pci.h>
#include "dmar.c"
#include "intel-test.h"

#define TBL_SIZE	512

/**
 * struct dmar_builder - a DMAR table being written
 * @buf: the table
 * @len: bytes written
 */
struct dmar_builder {
	u8 buf[TBL_SIZE];
	size_t len;
};

static void *dmar_put(struct dmar_builder *b, size_t len)
{
	void *p = b->buf + b->len;

	b->len += len;
	WARN_ON(b->len > TBL_SIZE);
	memset(p, 0, len);
	return p;
}

static struct dmar_builder *dmar_start(struct kunit *test, u8 width)
{
	struct dmar_builder *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct acpi_table_dmar *dmar;

	KUNIT_ASSERT_NOT_NULL(test, b);
	dmar = dmar_put(b, sizeof(*dmar));
	memcpy(dmar->header.signature, ACPI_SIG_DMAR, 4);
	dmar->width = width;
	return b;
}

static struct acpi_table_header *dmar_end(struct dmar_builder *b)
{
	struct acpi_table_header *h = (void *)b->buf;

	h->length = b->len;
	return h;
}

/* A DRHD or RMRR header; its length grows with each scope added. */
static struct acpi_dmar_hardware_unit *dmar_drhd(struct dmar_builder *b,
						 u8 flags, u64 address)
{
	struct acpi_dmar_hardware_unit *d = dmar_put(b, sizeof(*d));

	d->header.type = ACPI_DMAR_TYPE_HARDWARE_UNIT;
	d->header.length = sizeof(*d);
	d->flags = flags;
	d->address = address;
	return d;
}

static struct acpi_dmar_reserved_memory *dmar_rmrr(struct dmar_builder *b,
						   u64 base, u64 end)
{
	struct acpi_dmar_reserved_memory *r = dmar_put(b, sizeof(*r));

	r->header.type = ACPI_DMAR_TYPE_RESERVED_MEMORY;
	r->header.length = sizeof(*r);
	r->base_address = base;
	r->end_address = end;
	return r;
}

/* A one-hop scope (bus, devfn) appended to the structure at @owner. */
static void dmar_scope(struct dmar_builder *b, struct acpi_dmar_header *owner,
		       u8 type, u8 bus, u8 devfn)
{
	struct acpi_dmar_device_scope *s = dmar_put(b, sizeof(*s));
	struct acpi_dmar_pci_path *path = dmar_put(b, sizeof(*path));

	s->entry_type = type;
	s->length = sizeof(*s) + sizeof(*path);
	s->bus = bus;
	path->device = PCI_SLOT(devfn);
	path->function = PCI_FUNC(devfn);
	owner->length += s->length;
}

/* A structure type the parser skips (an ATSR). */
static struct acpi_dmar_header *dmar_other(struct dmar_builder *b)
{
	struct acpi_dmar_header *h = dmar_put(b, 8);

	h->type = ACPI_DMAR_TYPE_ROOT_ATS;
	h->length = 8;
	return h;
}

static struct pci_dev *dmar_edu(struct kunit *test)
{
	struct pci_dev *pdev = pci_get_device(0x1234, 0x11e8, NULL);

	if (!pdev)
		kunit_skip(test, "no edu device to scope");
	return pdev;
}

/* Units in table order, their scopes, RMRRs; other structures skipped. */
static void dmar_parse_structures(struct kunit *test)
{
	struct dmar_builder *b = dmar_start(test, 38);
	struct acpi_dmar_hardware_unit *d;
	struct acpi_dmar_reserved_memory *r;
	struct intel_drhd *drhd;
	struct intel_rmrr *rmrr;
	LIST_HEAD(drhds);
	LIST_HEAD(rmrrs);
	unsigned int haw = 0;

	d = dmar_drhd(b, 0, 0xfed91000);
	dmar_scope(b, &d->header, ACPI_DMAR_SCOPE_TYPE_ENDPOINT, 0,
		   PCI_DEVFN(2, 0));
	dmar_scope(b, &d->header, ACPI_DMAR_SCOPE_TYPE_BRIDGE, 0,
		   PCI_DEVFN(0x1c, 1));
	dmar_other(b);
	d = dmar_drhd(b, ACPI_DMAR_INCLUDE_ALL, 0xfed90000);
	dmar_scope(b, &d->header, ACPI_DMAR_SCOPE_TYPE_IOAPIC, 0xf0,
		   PCI_DEVFN(0x1f, 0));
	r = dmar_rmrr(b, 0x3e000000, 0x3e0fffff);
	dmar_scope(b, &r->header, ACPI_DMAR_SCOPE_TYPE_ENDPOINT, 0,
		   PCI_DEVFN(2, 0));
	/* Not page aligned: ignored, with a firmware-bug warning. */
	dmar_rmrr(b, 0x3f000100, 0x3f000fff);

	KUNIT_ASSERT_EQ(test, intel_dmar_parse(dmar_end(b), &haw, &drhds,
					       &rmrrs), 0);
	KUNIT_EXPECT_EQ(test, haw, 39);
	KUNIT_ASSERT_EQ(test, list_count_nodes(&drhds), 2);
	drhd = list_first_entry(&drhds, struct intel_drhd, node);
	KUNIT_EXPECT_EQ(test, drhd->address, 0xfed91000);
	KUNIT_EXPECT_FALSE(test, drhd->include_all);
	KUNIT_ASSERT_EQ(test, drhd->nr_scopes, 2);
	KUNIT_EXPECT_EQ(test, drhd->scopes[0].type,
			ACPI_DMAR_SCOPE_TYPE_ENDPOINT);
	KUNIT_EXPECT_EQ(test, drhd->scopes[0].nr_path, 1);
	KUNIT_EXPECT_EQ(test, drhd->scopes[0].path[0][0], 2);
	KUNIT_EXPECT_EQ(test, drhd->scopes[1].type,
			ACPI_DMAR_SCOPE_TYPE_BRIDGE);
	KUNIT_EXPECT_EQ(test, drhd->scopes[1].path[0][0], 0x1c);
	KUNIT_EXPECT_EQ(test, drhd->scopes[1].path[0][1], 1);
	drhd = list_next_entry(drhd, node);
	KUNIT_EXPECT_EQ(test, drhd->address, 0xfed90000);
	KUNIT_EXPECT_TRUE(test, drhd->include_all);
	/* I/O APIC scopes do no DMA iox translates. */
	KUNIT_EXPECT_EQ(test, drhd->nr_scopes, 0);
	KUNIT_ASSERT_EQ(test, list_count_nodes(&rmrrs), 1);
	rmrr = list_first_entry(&rmrrs, struct intel_rmrr, node);
	KUNIT_EXPECT_EQ(test, rmrr->base, 0x3e000000);
	KUNIT_EXPECT_EQ(test, rmrr->end, 0x3e0fffff);
	KUNIT_EXPECT_EQ(test, rmrr->nr_scopes, 1);
	intel_dmar_free(&drhds, &rmrrs);
}

/* A bad length anywhere refuses the table and adds nothing. */
static void dmar_parse_malformed(struct kunit *test)
{
	struct acpi_dmar_hardware_unit *d;
	struct acpi_table_header *h;
	struct dmar_builder *b;
	LIST_HEAD(drhds);
	LIST_HEAD(rmrrs);
	unsigned int haw;

	/* A structure longer than what is left of the table. */
	b = dmar_start(test, 38);
	dmar_drhd(b, ACPI_DMAR_INCLUDE_ALL, 0xfed90000);
	d = dmar_drhd(b, 0, 0xfed91000);
	h = dmar_end(b);
	d->header.length += 8;
	KUNIT_EXPECT_EQ(test, intel_dmar_parse(h, &haw, &drhds, &rmrrs),
			-EINVAL);
	KUNIT_EXPECT_TRUE(test, list_empty(&drhds));

	/* A zero-length structure. */
	b = dmar_start(test, 38);
	dmar_other(b)->length = 0;
	KUNIT_EXPECT_EQ(test, intel_dmar_parse(dmar_end(b), &haw, &drhds,
					       &rmrrs), -EINVAL);

	/* A device scope too short for one path hop. */
	b = dmar_start(test, 38);
	d = dmar_drhd(b, 0, 0xfed91000);
	dmar_scope(b, &d->header, ACPI_DMAR_SCOPE_TYPE_ENDPOINT, 0,
		   PCI_DEVFN(2, 0));
	((struct acpi_dmar_device_scope *)(d + 1))->length = 6;
	KUNIT_EXPECT_EQ(test, intel_dmar_parse(dmar_end(b), &haw, &drhds,
					       &rmrrs), -EINVAL);

	/* A table shorter than its own header. */
	b = dmar_start(test, 38);
	h = dmar_end(b);
	h->length = sizeof(*h);
	KUNIT_EXPECT_EQ(test, intel_dmar_parse(h, &haw, &drhds, &rmrrs),
			-EINVAL);
	KUNIT_EXPECT_TRUE(test, list_empty(&drhds));
	KUNIT_EXPECT_TRUE(test, list_empty(&rmrrs));
}

/*
 * Scopes against real devices: edu's endpoint scope covers edu only; an
 * RMRR scoped to edu becomes its direct (identity) reserved region.
 */
static void dmar_scopes_match_devices(struct kunit *test)
{
	struct dmar_builder *b = dmar_start(test, 38);
	struct pci_dev *edu = dmar_edu(test), *other = NULL, *pdev = NULL;
	struct acpi_dmar_reserved_memory *r;
	struct acpi_dmar_hardware_unit *d;
	struct iox_resv_region *region;
	struct intel_drhd *drhd;
	LIST_HEAD(regions);
	LIST_HEAD(drhds);
	LIST_HEAD(rmrrs);
	unsigned int haw;

	for_each_pci_dev(pdev) {
		if (pdev != edu) {
			other = pci_dev_get(pdev);
			pci_dev_put(pdev);
			break;
		}
	}
	d = dmar_drhd(b, 0, 0xfed91000);
	dmar_scope(b, &d->header, ACPI_DMAR_SCOPE_TYPE_ENDPOINT,
		   edu->bus->number, edu->devfn);
	r = dmar_rmrr(b, 0x3e000000, 0x3e0fffff);
	dmar_scope(b, &r->header, ACPI_DMAR_SCOPE_TYPE_ENDPOINT,
		   edu->bus->number, edu->devfn);
	KUNIT_ASSERT_EQ(test, intel_dmar_parse(dmar_end(b), &haw, &drhds,
					       &rmrrs), 0);
	drhd = list_first_entry(&drhds, struct intel_drhd, node);

	KUNIT_EXPECT_TRUE(test, intel_drhd_has(drhd, edu));
	KUNIT_EXPECT_EQ(test, intel_rmrr_regions(&rmrrs, edu, &regions), 0);
	KUNIT_EXPECT_EQ(test, list_count_nodes(&regions), 1);
	list_for_each_entry(region, &regions, list) {
		KUNIT_EXPECT_EQ(test, region->type, IOX_RESV_DIRECT);
		KUNIT_EXPECT_EQ(test, region->start, 0x3e000000);
		KUNIT_EXPECT_EQ(test, region->length, SZ_1M);
		KUNIT_EXPECT_EQ(test, region->prot, IOX_READ | IOX_WRITE);
	}
	iox_put_resv_regions(&regions);
	if (other) {
		KUNIT_EXPECT_FALSE(test, intel_drhd_has(drhd, other));
		KUNIT_EXPECT_EQ(test, intel_rmrr_regions(&rmrrs, other,
							 &regions), 0);
		KUNIT_EXPECT_TRUE(test, list_empty(&regions));
		pci_dev_put(other);
	}
	/* Another segment never matches. */
	drhd->segment = 1;
	KUNIT_EXPECT_FALSE(test, intel_drhd_has(drhd, edu));
	intel_dmar_free(&drhds, &rmrrs);
	pci_dev_put(edu);
}

static struct kunit_case dmar_cases[] = {
	KUNIT_CASE(dmar_parse_structures),
	KUNIT_CASE(dmar_parse_malformed),
	KUNIT_CASE(dmar_scopes_match_devices),
	{}
};

struct kunit_suite intel_dmar_test_suite = {
	.name = "iox_intel_dmar",
	.test_cases = dmar_cases,
};
