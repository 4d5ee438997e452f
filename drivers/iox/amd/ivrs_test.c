// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite iox_amd_ivrs: the IVRS table parser (AMD spec 48882, 5.2) on
 * the tables QEMU 7.2 and QEMU 10 build for their amd-iommu, and on tables
 * built here - IVHD types 10h, 11h and 40h for one IOMMU, every device
 * entry type, IVMDs, and each kind of malformed table, which must be
 * refused with nothing left allocated.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/iox.h>
#include "amd-hw.h"
#include "amd-test.h"

#define TBL_SIZE	1024

/*
 * QEMU 7.2's IVRS (-device amd-iommu, q35): one type 10h IVHD for the
 * IOMMU at 00:02.0, registers at 0xfed80000, selecting 00:00.0, 00:01.0,
 * 00:02.0, 00:03.0, 00:1f.0, 00:1f.2, 00:1f.3 and the I/O APIC (special
 * entry, DeviceID 00:14.0).
 */
static const u8 qemu72_ivrs[] = {
	0x49, 0x56, 0x52, 0x53, 0x6c, 0x00, 0x00, 0x00,
	0x01, 0x21, 0x42, 0x4f, 0x43, 0x48, 0x53, 0x20,
	0x42, 0x58, 0x50, 0x43, 0x20, 0x20, 0x20, 0x20,
	0x01, 0x00, 0x00, 0x00, 0x42, 0x58, 0x50, 0x43,
	0x01, 0x00, 0x00, 0x00, 0x00, 0x28, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x10, 0xd1, 0x3c, 0x00, 0x10, 0x00, 0x40, 0x00,
	0x00, 0x00, 0xd8, 0xfe, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x44, 0x00, 0x00, 0x00,
	0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x00, 0x00,
	0x02, 0x10, 0x00, 0x00, 0x02, 0x18, 0x00, 0x00,
	0x02, 0xf8, 0x00, 0x00, 0x02, 0xfa, 0x00, 0x00,
	0x02, 0xfb, 0x00, 0x00, 0x48, 0x00, 0x00, 0x00,
	0x00, 0xa0, 0x00, 0x01,
};

/*
 * QEMU 10's: the same type 10h IVHD, then a type 11h one for the same
 * IOMMU with the same entries and its EFR image (0x29d3).
 */
static const u8 qemu10_ivrs[] = {
	0x49, 0x56, 0x52, 0x53, 0xb8, 0x00, 0x00, 0x00,
	0x01, 0x30, 0x42, 0x4f, 0x43, 0x48, 0x53, 0x20,
	0x42, 0x58, 0x50, 0x43, 0x20, 0x20, 0x20, 0x20,
	0x01, 0x00, 0x00, 0x00, 0x42, 0x58, 0x50, 0x43,
	0x01, 0x00, 0x00, 0x00, 0x01, 0x28, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x10, 0xd1, 0x3c, 0x00, 0x10, 0x00, 0x40, 0x00,
	0x00, 0x00, 0xd8, 0xfe, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x44, 0x00, 0x00, 0x00,
	0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x00, 0x00,
	0x02, 0x10, 0x00, 0x00, 0x02, 0x18, 0x00, 0x00,
	0x02, 0xf8, 0x00, 0x00, 0x02, 0xfa, 0x00, 0x00,
	0x02, 0xfb, 0x00, 0x00, 0x48, 0x00, 0x00, 0x00,
	0x00, 0xa0, 0x00, 0x01, 0x11, 0x11, 0x4c, 0x00,
	0x10, 0x00, 0x40, 0x00, 0x00, 0x00, 0xd8, 0xfe,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0xd3, 0x29, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,
	0x02, 0x08, 0x00, 0x00, 0x02, 0x10, 0x00, 0x00,
	0x02, 0x18, 0x00, 0x00, 0x02, 0xf8, 0x00, 0x00,
	0x02, 0xfa, 0x00, 0x00, 0x02, 0xfb, 0x00, 0x00,
	0x48, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x00, 0x01,
};

/* The DeviceIDs both QEMU tables select, in table order. */
static const u16 qemu_devids[] = {
	0x0000, 0x0008, 0x0010, 0x0018, 0x00f8, 0x00fa, 0x00fb, 0x00a0,
};

/* IVRS block and device entry types (AMD spec 5.2.2, 5.2.2.2, 5.2.3). */
#define IVHD_10		0x10
#define IVHD_11		0x11
#define IVHD_40		0x40
#define IVMD_ALL	0x20
#define IVMD_SELECT	0x21
#define IVMD_RANGE	0x22
#define DEV_PAD4	0x00
#define DEV_ALL		0x01
#define DEV_SELECT	0x02
#define DEV_START	0x03
#define DEV_END		0x04
#define DEV_PAD8	0x40
#define DEV_ALIAS	0x42
#define DEV_ALIAS_START	0x43
#define DEV_EXT		0x46
#define DEV_EXT_START	0x47
#define DEV_SPECIAL	0x48
#define DEV_ACPI_HID	0xf0
#define IVMD_UNITY	BIT(0)
#define IVMD_IR		BIT(1)
#define IVMD_IW		BIT(2)
#define IVMD_EXCL	BIT(3)

/**
 * struct ivrs_builder - an IVRS table being written
 * @test: the case, for its assertions
 * @buf: the table
 * @len: bytes written
 * @block: offset of the block device entries are added to
 */
struct ivrs_builder {
	struct kunit *test;
	u8 buf[TBL_SIZE];
	unsigned int len;
	unsigned int block;
};

static void put16(u8 *p, u16 v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put32(u8 *p, u32 v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

static void put64(u8 *p, u64 v)
{
	put32(p, v);
	put32(p + 4, v >> 32);
}

/* @len zeroed bytes at the end of the table, counted in the open block. */
static u8 *ivrs_put(struct ivrs_builder *b, unsigned int len)
{
	u8 *p = b->buf + b->len;

	KUNIT_ASSERT_LE(b->test, b->len + len, TBL_SIZE);
	memset(p, 0, len);
	b->len += len;
	if (b->block)
		put16(b->buf + b->block + 2, b->len - b->block);
	return p;
}

/* Recompute the checksum (byte 9) over the length field's bytes. */
static void ivrs_sum(u8 *t)
{
	u32 i, len = t[4] | t[5] << 8 | t[6] << 16 | (u32)t[7] << 24;
	u8 sum = 0;

	t[9] = 0;
	for (i = 0; i < len; i++)
		sum += t[i];
	t[9] = -sum;
}

static struct ivrs_builder *ivrs_start(struct kunit *test, u32 ivinfo)
{
	struct ivrs_builder *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	u8 *h;

	KUNIT_ASSERT_NOT_NULL(test, b);
	b->test = test;
	h = ivrs_put(b, 48);
	memcpy(h, "IVRS", 4);
	h[8] = 2;			/* revision */
	memcpy(h + 10, "IOXTST", 6);	/* OEM ID */
	put32(h + 36, ivinfo);
	return b;
}

/* Set the length and the checksum; the table is b->buf, b->len bytes. */
static const u8 *ivrs_end(struct ivrs_builder *b)
{
	put32(b->buf + 4, b->len);
	ivrs_sum(b->buf);
	return b->buf;
}

/* An IVHD header (24 bytes for type 10h, 40 otherwise); entries follow. */
static u8 *ivrs_ivhd(struct ivrs_builder *b, u8 type, u16 segment, u16 devid,
		     u64 base, u64 efr)
{
	u8 *h;

	b->block = 0;
	h = ivrs_put(b, type == IVHD_10 ? 24 : 40);
	b->block = h - b->buf;
	put16(h + 2, b->len - b->block);
	h[0] = type;
	h[1] = 0xb0;
	put16(h + 4, devid);
	put16(h + 6, 0x40);
	put64(h + 8, base);
	put16(h + 16, segment);
	put16(h + 18, 0x1300);
	if (type != IVHD_10)
		put64(h + 24, efr);
	return h;
}

static void dev4(struct ivrs_builder *b, u8 type, u16 devid, u8 dte)
{
	u8 *e = ivrs_put(b, 4);

	e[0] = type;
	put16(e + 1, devid);
	e[3] = dte;
}

/* Alias entries: the source DeviceID at 5; extended: the dword at 4. */
static void dev8(struct ivrs_builder *b, u8 type, u16 devid, u8 dte,
		 u16 alias, u32 ext)
{
	u8 *e = ivrs_put(b, 8);

	e[0] = type;
	put16(e + 1, devid);
	e[3] = dte;
	if (type == DEV_ALIAS || type == DEV_ALIAS_START)
		put16(e + 5, alias);
	else
		put32(e + 4, ext);
}

static void dev_special(struct ivrs_builder *b, u8 handle, u16 devid,
			u8 variety, u8 dte)
{
	u8 *e = ivrs_put(b, 8);

	e[0] = DEV_SPECIAL;
	e[3] = dte;
	e[4] = handle;
	put16(e + 5, devid);
	e[7] = variety;
}

/* An ACPI _HID device entry (F0h) with a UID of @uid_len bytes. */
static void dev_hid(struct ivrs_builder *b, u16 devid, u8 uid_len)
{
	u8 *e = ivrs_put(b, 22 + uid_len);

	e[0] = DEV_ACPI_HID;
	put16(e + 1, devid);
	memcpy(e + 4, "AMDI0020", 8);
	e[20] = 2;		/* UID format: a string */
	e[21] = uid_len;
	memset(e + 22, 'u', uid_len);
}

static void ivrs_ivmd(struct ivrs_builder *b, u8 type, u8 flags, u16 devid,
		      u16 aux, u64 start, u64 length)
{
	u8 *m;

	b->block = 0;
	m = ivrs_put(b, 32);
	m[0] = type;
	m[1] = flags;
	put16(m + 2, 32);
	put16(m + 4, devid);
	put16(m + 6, aux);
	put64(m + 16, start);
	put64(m + 24, length);
}

static unsigned int count(const struct list_head *head)
{
	const struct list_head *p;
	unsigned int n = 0;

	for (p = head->next; p != head; p = p->next)
		n++;
	return n;
}

static const struct amd_ivhd *first_ivhd(struct amd_ivrs *ivrs)
{
	return list_first_entry(&ivrs->ivhds, struct amd_ivhd, node);
}

static void expect_range(struct kunit *test, const struct amd_ivhd_range *r,
			 u16 first, u16 last, u8 dte, int alias)
{
	KUNIT_EXPECT_EQ(test, r->first, first);
	KUNIT_EXPECT_EQ(test, r->last, last);
	KUNIT_EXPECT_EQ(test, r->dte, dte);
	KUNIT_EXPECT_EQ(test, r->has_alias, alias >= 0);
	KUNIT_EXPECT_EQ(test, r->alias, alias >= 0 ? alias : first);
}

/* The table must be refused as @err, with @ivrs left empty. */
static void expect_refused(struct kunit *test, const void *t, size_t len,
			   int err, const char *what)
{
	struct amd_ivrs ivrs;

	memset(&ivrs, 0x5a, sizeof(ivrs));
	KUNIT_EXPECT_EQ_MSG(test, amd_ivrs_parse(t, len, &ivrs), err,
			    "%s", what);
	KUNIT_EXPECT_TRUE_MSG(test, list_empty(&ivrs.ivhds), "%s", what);
	KUNIT_EXPECT_TRUE_MSG(test, list_empty(&ivrs.ivmds), "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, ivrs.ivinfo, 0, "%s", what);
	amd_ivrs_free(&ivrs);
}

/* The table must parse, into at least one IVHD. */
static void expect_parsed(struct kunit *test, struct ivrs_builder *b,
			  const char *what)
{
	struct amd_ivrs ivrs;

	KUNIT_EXPECT_EQ_MSG(test, amd_ivrs_parse(b->buf, b->len, &ivrs), 0,
			    "%s", what);
	KUNIT_EXPECT_FALSE_MSG(test, list_empty(&ivrs.ivhds), "%s", what);
	amd_ivrs_free(&ivrs);
}

static void expect_einval(struct kunit *test, struct ivrs_builder *b,
			  const char *what)
{
	expect_refused(test, b->buf, b->len, -EINVAL, what);
}

/* Both QEMU tables: one IOMMU at 00:02.0 and the devices it selects. */
static void check_qemu(struct kunit *test, const u8 *t, size_t len, u8 type,
		       u8 flags, u64 efr)
{
	const struct amd_ivhd *ivhd;
	struct amd_ivrs ivrs;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, amd_ivrs_parse(t, len, &ivrs), 0);
	KUNIT_EXPECT_EQ(test, (ivrs.ivinfo & AMD_IVINFO_PASIZE) >> 8, 40);
	KUNIT_ASSERT_EQ(test, count(&ivrs.ivhds), 1);
	KUNIT_EXPECT_EQ(test, count(&ivrs.ivmds), 0);
	ivhd = first_ivhd(&ivrs);
	KUNIT_EXPECT_EQ(test, ivhd->type, type);
	KUNIT_EXPECT_EQ(test, ivhd->flags, flags);
	KUNIT_EXPECT_EQ(test, ivhd->devid, 0x0010);
	KUNIT_EXPECT_EQ(test, ivhd->cap_offset, 0x40);
	KUNIT_EXPECT_EQ(test, ivhd->base, 0xfed80000);
	KUNIT_EXPECT_EQ(test, ivhd->segment, 0);
	KUNIT_EXPECT_EQ(test, ivhd->efr, efr);
	KUNIT_ASSERT_EQ(test, ivhd->nr_ranges, ARRAY_SIZE(qemu_devids));
	for (i = 0; i < ARRAY_SIZE(qemu_devids); i++)
		expect_range(test, &ivhd->ranges[i], qemu_devids[i],
			     qemu_devids[i], 0, -1);
	KUNIT_EXPECT_PTR_EQ(test, amd_ivhd_find(ivhd, 0x10), &ivhd->ranges[2]);
	KUNIT_EXPECT_PTR_EQ(test, amd_ivhd_find(ivhd, 0xa0), &ivhd->ranges[7]);
	KUNIT_EXPECT_NULL(test, amd_ivhd_find(ivhd, 0x20));
	KUNIT_EXPECT_NULL(test, amd_ivhd_find(ivhd, 0x100));
	KUNIT_EXPECT_EQ(test, amd_ivhd_last_devid(ivhd), 0xfb);
	amd_ivrs_free(&ivrs);
	KUNIT_EXPECT_TRUE(test, list_empty(&ivrs.ivhds));
}

static void ivrs_qemu72(struct kunit *test)
{
	check_qemu(test, qemu72_ivrs, sizeof(qemu72_ivrs), IVHD_10, 0xd1, 0);
}

/* Its type 10h and 11h blocks describe one IOMMU: the 11h one is used. */
static void ivrs_qemu10(struct kunit *test)
{
	check_qemu(test, qemu10_ivrs, sizeof(qemu10_ivrs), IVHD_11, 0x11,
		   0x29d3);
}

/* Bytes past the table's length field are not the table's. */
static void ivrs_trailing_bytes(struct kunit *test)
{
	u8 *t = kunit_kzalloc(test, sizeof(qemu72_ivrs) + 64, GFP_KERNEL);
	struct amd_ivrs ivrs;

	KUNIT_ASSERT_NOT_NULL(test, t);
	memcpy(t, qemu72_ivrs, sizeof(qemu72_ivrs));
	memset(t + sizeof(qemu72_ivrs), 0xff, 64);
	KUNIT_ASSERT_EQ(test, amd_ivrs_parse(t, sizeof(qemu72_ivrs) + 64,
					     &ivrs), 0);
	KUNIT_EXPECT_EQ(test, count(&ivrs.ivhds), 1);
	amd_ivrs_free(&ivrs);
}

/*
 * One IVHD per IOMMU whichever order its blocks come in: 11h over 40h over
 * 10h, the header and the entries of the block used only. The segment is
 * part of an IOMMU's identity.
 */
static void ivrs_ivhd_types(struct kunit *test)
{
	struct ivrs_builder *b = ivrs_start(test, 0);
	const struct amd_ivhd *ivhd;
	struct amd_ivrs ivrs;

	/* 00:02.0: 11h then 10h. */
	ivrs_ivhd(b, IVHD_11, 0, 0x10, 0xfed80000, 0x1234abcd5678ULL);
	dev4(b, DEV_SELECT, 0x11, 0);
	ivrs_ivhd(b, IVHD_10, 0, 0x10, 0xfed00000, 0);
	dev4(b, DEV_SELECT, 0x10, 0);
	dev4(b, DEV_SELECT, 0x18, 0);
	/* 00:03.0: 10h, 40h, then 11h. */
	ivrs_ivhd(b, IVHD_10, 0, 0x18, 0xfed90000, 0);
	dev4(b, DEV_SELECT, 0x20, 0);
	ivrs_ivhd(b, IVHD_40, 0, 0x18, 0xfed90000, 0x40);
	dev4(b, DEV_SELECT, 0x28, 0);
	ivrs_ivhd(b, IVHD_11, 0, 0x18, 0xfed90000, 0x11);
	dev4(b, DEV_SELECT, 0x30, 0);
	/* 00:02.0 on segment 1: 10h then 40h, with an ACPI device. */
	ivrs_ivhd(b, IVHD_10, 1, 0x10, 0xfeda0000, 0);
	dev4(b, DEV_ALL, 0, 0);
	ivrs_ivhd(b, IVHD_40, 1, 0x10, 0xfeda0000, 0x4040);
	dev4(b, DEV_SELECT, 0x38, 0);
	dev_hid(b, 0xa5, 0);
	dev_hid(b, 0xa6, 9);
	dev4(b, DEV_SELECT, 0x40, 0);
	/* 00:04.0: 10h only. */
	ivrs_ivhd(b, IVHD_10, 0, 0x20, 0xfedb0000, 0);
	ivrs_end(b);

	KUNIT_ASSERT_EQ(test, amd_ivrs_parse(b->buf, b->len, &ivrs), 0);
	KUNIT_ASSERT_EQ(test, count(&ivrs.ivhds), 4);
	ivhd = first_ivhd(&ivrs);
	KUNIT_EXPECT_EQ(test, ivhd->type, IVHD_11);
	KUNIT_EXPECT_EQ(test, ivhd->devid, 0x10);
	KUNIT_EXPECT_EQ(test, ivhd->base, 0xfed80000);
	KUNIT_EXPECT_EQ(test, ivhd->efr, 0x1234abcd5678ULL);
	KUNIT_EXPECT_EQ(test, ivhd->flags, 0xb0);
	KUNIT_EXPECT_EQ(test, ivhd->info, 0x1300);
	KUNIT_ASSERT_EQ(test, ivhd->nr_ranges, 1);
	expect_range(test, &ivhd->ranges[0], 0x11, 0x11, 0, -1);

	ivhd = list_next_entry(ivhd, node);
	KUNIT_EXPECT_EQ(test, ivhd->type, IVHD_11);
	KUNIT_EXPECT_EQ(test, ivhd->devid, 0x18);
	KUNIT_EXPECT_EQ(test, ivhd->efr, 0x11);
	KUNIT_ASSERT_EQ(test, ivhd->nr_ranges, 1);
	expect_range(test, &ivhd->ranges[0], 0x30, 0x30, 0, -1);

	ivhd = list_next_entry(ivhd, node);
	KUNIT_EXPECT_EQ(test, ivhd->type, IVHD_40);
	KUNIT_EXPECT_EQ(test, ivhd->segment, 1);
	KUNIT_EXPECT_EQ(test, ivhd->devid, 0x10);
	KUNIT_EXPECT_EQ(test, ivhd->base, 0xfeda0000);
	KUNIT_EXPECT_EQ(test, ivhd->efr, 0x4040);
	KUNIT_ASSERT_EQ(test, ivhd->nr_ranges, 2);
	expect_range(test, &ivhd->ranges[0], 0x38, 0x38, 0, -1);
	expect_range(test, &ivhd->ranges[1], 0x40, 0x40, 0, -1);

	ivhd = list_next_entry(ivhd, node);
	KUNIT_EXPECT_EQ(test, ivhd->type, IVHD_10);
	KUNIT_EXPECT_EQ(test, ivhd->devid, 0x20);
	KUNIT_EXPECT_EQ(test, ivhd->efr, 0);
	KUNIT_EXPECT_EQ(test, ivhd->nr_ranges, 0);
	KUNIT_EXPECT_NULL(test, amd_ivhd_find(ivhd, 0));
	KUNIT_EXPECT_EQ(test, amd_ivhd_last_devid(ivhd), 0);
	amd_ivrs_free(&ivrs);
}

/* Every device entry type, in table order; padding and reserved skipped. */
static void ivrs_entries(struct kunit *test)
{
	struct ivrs_builder *b = ivrs_start(test, 0);
	const struct amd_ivhd *ivhd;
	struct amd_ivrs ivrs;

	ivrs_ivhd(b, IVHD_10, 0, 0x02, 0xfed80000, 0);
	dev4(b, DEV_PAD4, 0xffff, 0xff);
	dev4(b, DEV_SELECT, 0x0008, 0x01);
	dev4(b, DEV_START, 0x0100, 0x07);
	dev4(b, DEV_END, 0x01ff, 0);
	dev8(b, DEV_ALIAS, 0x0200, 0x30, 0x02ff, 0);
	dev8(b, DEV_ALIAS_START, 0x0300, 0x40, 0x03ff, 0);
	dev4(b, DEV_END, 0x030f, 0);
	dev8(b, DEV_PAD8, 0xffff, 0xff, 0, 0xffffffff);
	dev8(b, DEV_EXT, 0x0400, 0x80, 0, 0x80000000);
	dev8(b, DEV_EXT_START, 0x0500, 0x04, 0, 0x80000000);
	dev4(b, DEV_END, 0x0501, 0);
	dev_special(b, 0x21, 0x00a0, 1, 0xd7);
	dev_special(b, 0x00, 0x00a1, 2, 0x00);
	dev4(b, 0x05, 0x0600, 0);		/* reserved, 4 bytes */
	dev8(b, 0x45, 0x0700, 0, 0, 0);		/* reserved, 8 bytes */
	dev4(b, DEV_SELECT, 0x0800, 0xc0);
	ivrs_end(b);

	KUNIT_ASSERT_EQ(test, amd_ivrs_parse(b->buf, b->len, &ivrs), 0);
	KUNIT_ASSERT_EQ(test, count(&ivrs.ivhds), 1);
	ivhd = first_ivhd(&ivrs);
	KUNIT_ASSERT_EQ(test, ivhd->nr_ranges, 9);
	expect_range(test, &ivhd->ranges[0], 0x0008, 0x0008, 0x01, -1);
	expect_range(test, &ivhd->ranges[1], 0x0100, 0x01ff, 0x07, -1);
	expect_range(test, &ivhd->ranges[2], 0x0200, 0x0200, 0x30, 0x02ff);
	expect_range(test, &ivhd->ranges[3], 0x0300, 0x030f, 0x40, 0x03ff);
	expect_range(test, &ivhd->ranges[4], 0x0400, 0x0400, 0x80, -1);
	expect_range(test, &ivhd->ranges[5], 0x0500, 0x0501, 0x04, -1);
	expect_range(test, &ivhd->ranges[6], 0x00a0, 0x00a0, 0xd7, -1);
	expect_range(test, &ivhd->ranges[7], 0x00a1, 0x00a1, 0x00, -1);
	expect_range(test, &ivhd->ranges[8], 0x0800, 0x0800, 0xc0, -1);
	KUNIT_EXPECT_PTR_EQ(test, amd_ivhd_find(ivhd, 0x0180),
			    &ivhd->ranges[1]);
	KUNIT_EXPECT_PTR_EQ(test, amd_ivhd_find(ivhd, 0x030f),
			    &ivhd->ranges[3]);
	KUNIT_EXPECT_NULL(test, amd_ivhd_find(ivhd, 0x0310));
	KUNIT_EXPECT_NULL(test, amd_ivhd_find(ivhd, 0x0600));
	KUNIT_EXPECT_NULL(test, amd_ivhd_find(ivhd, 0x0700));
	KUNIT_EXPECT_NULL(test, amd_ivhd_find(ivhd, 0xffff));
	KUNIT_EXPECT_EQ(test, amd_ivhd_last_devid(ivhd), 0x0800);
	amd_ivrs_free(&ivrs);
}

/* Later entries override earlier ones: ALL, then SELECTs and ranges. */
static void ivrs_find_override(struct kunit *test)
{
	struct ivrs_builder *b = ivrs_start(test, 0);
	const struct amd_ivhd_range *r;
	const struct amd_ivhd *ivhd;
	struct amd_ivrs ivrs;

	ivrs_ivhd(b, IVHD_11, 0, 0x02, 0xfed80000, 0);
	dev4(b, DEV_ALL, 0, 0x00);
	dev4(b, DEV_SELECT, 0x10, 0xc7);
	dev4(b, DEV_START, 0x20, 0x01);
	/* Inside the range but after its start: it overrides the range. */
	dev4(b, DEV_SELECT, 0x25, 0x05);
	dev4(b, DEV_END, 0x2f, 0);
	ivrs_end(b);

	KUNIT_ASSERT_EQ(test, amd_ivrs_parse(b->buf, b->len, &ivrs), 0);
	ivhd = first_ivhd(&ivrs);
	KUNIT_ASSERT_EQ(test, ivhd->nr_ranges, 4);
	expect_range(test, &ivhd->ranges[0], 0, 0xffff, 0, -1);
	expect_range(test, &ivhd->ranges[2], 0x20, 0x2f, 0x01, -1);
	r = amd_ivhd_find(ivhd, 0x10);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, r->dte, 0xc7);
	r = amd_ivhd_find(ivhd, 0x11);
	KUNIT_EXPECT_PTR_EQ(test, r, &ivhd->ranges[0]);
	KUNIT_EXPECT_PTR_EQ(test, amd_ivhd_find(ivhd, 0), &ivhd->ranges[0]);
	KUNIT_EXPECT_PTR_EQ(test, amd_ivhd_find(ivhd, 0xffff),
			    &ivhd->ranges[0]);
	KUNIT_EXPECT_EQ(test, amd_ivhd_find(ivhd, 0x24)->dte, 0x01);
	KUNIT_EXPECT_EQ(test, amd_ivhd_find(ivhd, 0x25)->dte, 0x05);
	KUNIT_EXPECT_EQ(test, amd_ivhd_find(ivhd, 0x2f)->dte, 0x01);
	KUNIT_EXPECT_EQ(test, amd_ivhd_find(ivhd, 0x30)->dte, 0x00);
	KUNIT_EXPECT_EQ(test, amd_ivhd_last_devid(ivhd), 0xffff);
	amd_ivrs_free(&ivrs);
}

/* The largest DeviceID of any range, an alias included. */
static void ivrs_last_devid(struct kunit *test)
{
	struct ivrs_builder *b = ivrs_start(test, 0);
	const struct amd_ivhd *ivhd;
	struct amd_ivrs ivrs;

	ivrs_ivhd(b, IVHD_10, 0, 0x02, 0xfed80000, 0);
	dev4(b, DEV_START, 0x100, 0);
	dev4(b, DEV_END, 0x1ff, 0);
	dev4(b, DEV_SELECT, 0x10, 0);
	ivrs_ivhd(b, IVHD_10, 0, 0x03, 0xfed90000, 0);
	dev4(b, DEV_SELECT, 0x10, 0);
	dev8(b, DEV_ALIAS, 0x20, 0, 0x300, 0);
	ivrs_ivhd(b, IVHD_10, 0, 0x04, 0xfeda0000, 0);
	dev4(b, DEV_PAD4, 0, 0);
	dev8(b, DEV_ALIAS_START, 0x400, 0, 0x20, 0);
	dev4(b, DEV_END, 0x40f, 0);
	ivrs_end(b);

	KUNIT_ASSERT_EQ(test, amd_ivrs_parse(b->buf, b->len, &ivrs), 0);
	KUNIT_ASSERT_EQ(test, count(&ivrs.ivhds), 3);
	ivhd = first_ivhd(&ivrs);
	KUNIT_EXPECT_EQ(test, amd_ivhd_last_devid(ivhd), 0x1ff);
	ivhd = list_next_entry(ivhd, node);
	KUNIT_EXPECT_EQ(test, amd_ivhd_last_devid(ivhd), 0x300);
	ivhd = list_next_entry(ivhd, node);
	KUNIT_EXPECT_EQ(test, amd_ivhd_last_devid(ivhd), 0x40f);
	amd_ivrs_free(&ivrs);
}

/* IVMDs 20h, 21h, 22h; those neither unity-mapped nor excluded dropped. */
static void ivrs_ivmds(struct kunit *test)
{
	struct ivrs_builder *b = ivrs_start(test, 0);
	const struct amd_ivmd *m;
	struct amd_ivrs ivrs;

	ivrs_ivmd(b, IVMD_ALL, IVMD_UNITY | IVMD_IR | IVMD_IW, 0x1234, 0x5678,
		  0x1000, 0x2000);
	ivrs_ivhd(b, IVHD_10, 0, 0x02, 0xfed80000, 0);
	dev4(b, DEV_ALL, 0, 0);
	ivrs_ivmd(b, IVMD_SELECT, IVMD_UNITY | IVMD_IR, 0x10, 0,
		  0xe0000000ULL, 0x100000);
	ivrs_ivmd(b, IVMD_SELECT, IVMD_IR | IVMD_IW, 0x11, 0, 0x3000, 0x1000);
	ivrs_ivmd(b, IVMD_RANGE, IVMD_EXCL | IVMD_IR | IVMD_IW, 0x100, 0x1ff,
		  0x100000000ULL, 0x10000);
	ivrs_ivmd(b, IVMD_RANGE, IVMD_UNITY | IVMD_IW, 0x200, 0x200,
		  0x4000, 0x1000);
	/* Empty: ignored. */
	ivrs_ivmd(b, IVMD_SELECT, IVMD_UNITY | IVMD_IR, 0x12, 0, 0x5000, 0);
	ivrs_end(b);

	KUNIT_ASSERT_EQ(test, amd_ivrs_parse(b->buf, b->len, &ivrs), 0);
	KUNIT_EXPECT_EQ(test, count(&ivrs.ivhds), 1);
	KUNIT_ASSERT_EQ(test, count(&ivrs.ivmds), 4);
	m = list_first_entry(&ivrs.ivmds, struct amd_ivmd, node);
	KUNIT_EXPECT_EQ(test, m->first, 0);
	KUNIT_EXPECT_EQ(test, m->last, 0xffff);
	KUNIT_EXPECT_EQ(test, m->start, 0x1000);
	KUNIT_EXPECT_EQ(test, m->length, 0x2000);
	KUNIT_EXPECT_EQ(test, m->prot, IOX_READ | IOX_WRITE);
	KUNIT_EXPECT_FALSE(test, m->exclusion);
	m = list_next_entry(m, node);
	KUNIT_EXPECT_EQ(test, m->first, 0x10);
	KUNIT_EXPECT_EQ(test, m->last, 0x10);
	KUNIT_EXPECT_EQ(test, m->start, 0xe0000000ULL);
	KUNIT_EXPECT_EQ(test, m->length, 0x100000);
	KUNIT_EXPECT_EQ(test, m->prot, IOX_READ);
	KUNIT_EXPECT_FALSE(test, m->exclusion);
	m = list_next_entry(m, node);
	KUNIT_EXPECT_EQ(test, m->first, 0x100);
	KUNIT_EXPECT_EQ(test, m->last, 0x1ff);
	KUNIT_EXPECT_EQ(test, m->start, 0x100000000ULL);
	KUNIT_EXPECT_EQ(test, m->length, 0x10000);
	KUNIT_EXPECT_EQ(test, m->prot, IOX_READ | IOX_WRITE);
	KUNIT_EXPECT_TRUE(test, m->exclusion);
	m = list_next_entry(m, node);
	KUNIT_EXPECT_EQ(test, m->first, 0x200);
	KUNIT_EXPECT_EQ(test, m->last, 0x200);
	KUNIT_EXPECT_EQ(test, m->prot, IOX_WRITE);
	amd_ivrs_free(&ivrs);
	KUNIT_EXPECT_TRUE(test, list_empty(&ivrs.ivmds));
}

/* The ACPI header and the table's length. */
static void ivrs_bad_header(struct kunit *test)
{
	struct ivrs_builder *b;

	b = ivrs_start(test, 0);
	ivrs_ivhd(b, IVHD_10, 0, 0x02, 0xfed80000, 0);
	ivrs_end(b);
	expect_refused(test, b->buf, 35, -EINVAL, "shorter than ACPI header");
	expect_refused(test, b->buf, 0, -EINVAL, "empty");
	expect_refused(test, b->buf, b->len - 1, -EINVAL,
		       "shorter than its length");

	b->buf[0] = 'X';
	ivrs_sum(b->buf);
	expect_einval(test, b, "signature");

	b = ivrs_start(test, 0);
	ivrs_end(b);
	put32(b->buf + 4, 40);
	ivrs_sum(b->buf);
	expect_einval(test, b, "length shorter than the IVRS header");
}

static void ivrs_checksum(struct kunit *test)
{
	u8 *t = kunit_kzalloc(test, sizeof(qemu10_ivrs), GFP_KERNEL);
	struct ivrs_builder *b;

	KUNIT_ASSERT_NOT_NULL(test, t);
	memcpy(t, qemu10_ivrs, sizeof(qemu10_ivrs));
	t[0x3a] ^= 0x10;		/* the IOMMU's base address */
	expect_refused(test, t, sizeof(qemu10_ivrs), -EINVAL, "QEMU 10");

	b = ivrs_start(test, 0);
	ivrs_ivhd(b, IVHD_10, 0, 0x02, 0xfed80000, 0);
	ivrs_end(b);
	b->buf[9]++;
	expect_einval(test, b, "checksum");
}

/* Block lengths: past the table, shorter than a header. */
static void ivrs_bad_blocks(struct kunit *test)
{
	struct ivrs_builder *b;
	u8 *h;

	/* The last block longer than what is left of the table. */
	b = ivrs_start(test, 0);
	ivrs_ivhd(b, IVHD_10, 0, 0x02, 0xfed80000, 0);
	h = ivrs_ivhd(b, IVHD_10, 0, 0x03, 0xfed90000, 0);
	ivrs_end(b);
	put16(h + 2, 28);
	ivrs_sum(b->buf);
	expect_einval(test, b, "block past the table");

	/* Two bytes left after the last block: no room for a header. */
	b = ivrs_start(test, 0);
	ivrs_ivhd(b, IVHD_10, 0, 0x02, 0xfed80000, 0);
	b->block = 0;
	ivrs_put(b, 2)[0] = 0x50;
	ivrs_end(b);
	expect_einval(test, b, "block header past the table");

	/* Shorter than their headers. */
	b = ivrs_start(test, 0);
	h = ivrs_ivhd(b, IVHD_10, 0, 0x02, 0xfed80000, 0);
	ivrs_end(b);
	put16(h + 2, 20);
	ivrs_sum(b->buf);
	expect_einval(test, b, "type 10h shorter than its header");

	b = ivrs_start(test, 0);
	ivrs_ivhd(b, IVHD_10, 0, 0x02, 0xfed80000, 0);
	h = ivrs_ivhd(b, IVHD_11, 0, 0x02, 0xfed80000, 0);
	ivrs_end(b);
	put16(h + 2, 32);
	ivrs_sum(b->buf);
	expect_einval(test, b, "type 11h shorter than its header");

	b = ivrs_start(test, 0);
	h = ivrs_ivhd(b, IVHD_40, 0, 0x02, 0xfed80000, 0);
	ivrs_end(b);
	put16(h + 2, 24);
	ivrs_sum(b->buf);
	expect_einval(test, b, "type 40h shorter than its header");

	b = ivrs_start(test, 0);
	ivrs_ivhd(b, IVHD_10, 0, 0x02, 0xfed80000, 0);
	ivrs_ivmd(b, IVMD_SELECT, IVMD_UNITY, 0x10, 0, 0x1000, 0x1000);
	ivrs_end(b);
	put16(b->buf + b->len - 32 + 2, 24);
	ivrs_sum(b->buf);
	expect_einval(test, b, "IVMD shorter than its block");

	/* An unknown type is skipped by its length, which must be sane. */
	b = ivrs_start(test, 0);
	ivrs_ivhd(b, IVHD_10, 0, 0x02, 0xfed80000, 0);
	b->block = 0;
	h = ivrs_put(b, 4);
	h[0] = 0x50;
	ivrs_end(b);
	expect_einval(test, b, "unknown block of length 0");
	put16(h + 2, 3);
	ivrs_sum(b->buf);
	expect_einval(test, b, "unknown block of length 3");
	put16(h + 2, 4);
	ivrs_sum(b->buf);
	expect_parsed(test, b, "unknown block skipped");

	/* Two blocks of one type for one IOMMU. */
	b = ivrs_start(test, 0);
	ivrs_ivhd(b, IVHD_11, 0, 0x02, 0xfed80000, 0);
	ivrs_ivhd(b, IVHD_11, 0, 0x02, 0xfed80000, 0);
	ivrs_end(b);
	expect_einval(test, b, "two 11h IVHDs for one IOMMU");

	/* IVMDs: a range ending before it starts, an address range wrapping. */
	b = ivrs_start(test, 0);
	ivrs_ivhd(b, IVHD_10, 0, 0x02, 0xfed80000, 0);
	ivrs_ivmd(b, IVMD_RANGE, IVMD_UNITY, 0x100, 0xff, 0x1000, 0x1000);
	ivrs_end(b);
	expect_einval(test, b, "IVMD range last < first");

	b = ivrs_start(test, 0);
	ivrs_ivhd(b, IVHD_10, 0, 0x02, 0xfed80000, 0);
	ivrs_ivmd(b, IVMD_ALL, IVMD_UNITY, 0, 0, ~0ULL - 0xfff, 0x2000);
	ivrs_end(b);
	expect_einval(test, b, "IVMD wrapping");
}

/* Malformed device entries, in an IVHD that is otherwise fine. */
static void ivrs_bad_entries(struct kunit *test)
{
	struct ivrs_builder *b;
	u8 *e;

	b = ivrs_start(test, 0);
	ivrs_ivhd(b, IVHD_10, 0, 0x02, 0xfed80000, 0);
	dev4(b, DEV_SELECT, 0x08, 0);
	dev4(b, DEV_START, 0x10, 0);
	ivrs_end(b);
	expect_einval(test, b, "START without END");

	b = ivrs_start(test, 0);
	ivrs_ivhd(b, IVHD_11, 0, 0x02, 0xfed80000, 0);
	dev8(b, DEV_ALIAS_START, 0x10, 0, 0x20, 0);
	ivrs_ivhd(b, IVHD_11, 0, 0x03, 0xfed90000, 0);
	dev4(b, DEV_END, 0x1f, 0);
	ivrs_end(b);
	expect_einval(test, b, "START ended by the next block");

	b = ivrs_start(test, 0);
	ivrs_ivhd(b, IVHD_10, 0, 0x02, 0xfed80000, 0);
	dev4(b, DEV_START, 0x10, 0);
	dev4(b, DEV_END, 0x1f, 0);
	dev4(b, DEV_END, 0x2f, 0);
	ivrs_end(b);
	expect_einval(test, b, "END without START");

	b = ivrs_start(test, 0);
	ivrs_ivhd(b, IVHD_10, 0, 0x02, 0xfed80000, 0);
	dev4(b, DEV_START, 0x10, 0);
	dev8(b, DEV_EXT_START, 0x18, 0, 0, 0);
	dev4(b, DEV_END, 0x1f, 0);
	ivrs_end(b);
	expect_einval(test, b, "nested START");

	b = ivrs_start(test, 0);
	ivrs_ivhd(b, IVHD_10, 0, 0x02, 0xfed80000, 0);
	dev4(b, DEV_START, 0x10, 0);
	dev4(b, DEV_END, 0x0f, 0);
	ivrs_end(b);
	expect_einval(test, b, "END before START");

	/* Entries longer than what is left of their block. */
	b = ivrs_start(test, 0);
	ivrs_ivhd(b, IVHD_10, 0, 0x02, 0xfed80000, 0);
	dev4(b, DEV_SELECT, 0x08, 0);
	e = ivrs_put(b, 2);
	e[0] = DEV_SELECT;
	ivrs_end(b);
	expect_einval(test, b, "4-byte entry past its block");

	b = ivrs_start(test, 0);
	ivrs_ivhd(b, IVHD_10, 0, 0x02, 0xfed80000, 0);
	e = ivrs_put(b, 4);
	e[0] = DEV_ALIAS;
	ivrs_ivhd(b, IVHD_10, 0, 0x03, 0xfed90000, 0);
	ivrs_end(b);
	expect_einval(test, b, "8-byte entry past its block");

	b = ivrs_start(test, 0);
	ivrs_ivhd(b, IVHD_40, 0, 0x02, 0xfed80000, 0);
	dev_hid(b, 0xa5, 4);
	b->len -= 2;
	put16(b->buf + b->block + 2, b->len - b->block);
	ivrs_end(b);
	expect_einval(test, b, "ACPI HID entry's UID past its block");

	b = ivrs_start(test, 0);
	ivrs_ivhd(b, IVHD_40, 0, 0x02, 0xfed80000, 0);
	e = ivrs_put(b, 12);
	e[0] = DEV_ACPI_HID;
	ivrs_end(b);
	expect_einval(test, b, "ACPI HID entry's header past its block");

	/* A variable-length type whose length the spec does not give. */
	b = ivrs_start(test, 0);
	ivrs_ivhd(b, IVHD_40, 0, 0x02, 0xfed80000, 0);
	e = ivrs_put(b, 8);
	e[0] = 0x80;
	ivrs_end(b);
	expect_einval(test, b, "variable-length entry type 80h");

	/* Only the block used is read: a 10h beside an 11h is not. */
	b = ivrs_start(test, 0);
	ivrs_ivhd(b, IVHD_11, 0, 0x02, 0xfed80000, 0);
	dev4(b, DEV_SELECT, 0x08, 0);
	ivrs_ivhd(b, IVHD_10, 0, 0x02, 0xfed80000, 0);
	dev4(b, DEV_START, 0x10, 0);
	ivrs_end(b);
	expect_parsed(test, b, "bad entry in the 10h block");
}

/* No IVHD: nothing for the driver to do; the IVMDs are not kept. */
static void ivrs_no_ivhd(struct kunit *test)
{
	struct ivrs_builder *b;

	b = ivrs_start(test, 0);
	ivrs_end(b);
	expect_refused(test, b->buf, b->len, -ENODEV, "no blocks");

	b = ivrs_start(test, 0);
	ivrs_ivmd(b, IVMD_ALL, IVMD_UNITY | IVMD_IR, 0, 0, 0x1000, 0x1000);
	b->block = 0;
	ivrs_put(b, 8)[0] = 0x50;
	put16(b->buf + b->len - 8 + 2, 8);
	ivrs_ivmd(b, IVMD_SELECT, IVMD_EXCL, 0x10, 0, 0x2000, 0x1000);
	ivrs_end(b);
	expect_refused(test, b->buf, b->len, -ENODEV, "IVMDs only");
}

#ifdef IOX_USERSPACE
/*
 * Each allocation the parse makes fails in turn: -ENOMEM, empty lists and
 * nothing leaked (the runner counts every allocation), until none is left
 * to fail and the parse succeeds.
 */
static void ivrs_alloc_failure(struct kunit *test)
{
	struct ivrs_builder *b;
	struct amd_ivrs ivrs;
	unsigned long nth;
	long base;
	const char *site;
	int ret;

	b = ivrs_start(test, 0);
	ivrs_ivmd(b, IVMD_ALL, IVMD_UNITY | IVMD_IR, 0, 0, 0x1000, 0x1000);
	ivrs_ivhd(b, IVHD_10, 0, 0x02, 0xfed80000, 0);
	dev4(b, DEV_SELECT, 0x08, 0);
	ivrs_ivhd(b, IVHD_11, 0, 0x02, 0xfed80000, 0);
	dev4(b, DEV_ALL, 0, 0);
	dev4(b, DEV_SELECT, 0x08, 0);
	ivrs_ivhd(b, IVHD_10, 0, 0x03, 0xfed90000, 0);
	ivrs_ivhd(b, IVHD_10, 0, 0x04, 0xfeda0000, 0);
	dev4(b, DEV_START, 0x100, 0);
	dev4(b, DEV_END, 0x1ff, 0);
	ivrs_ivmd(b, IVMD_RANGE, IVMD_EXCL, 0x100, 0x1ff, 0x2000, 0x1000);
	ivrs_end(b);

	base = iox_compat_live_allocs();
	for (nth = 1; nth < 20; nth++) {
		iox_compat_fail_nth(nth);
		ret = amd_ivrs_parse(b->buf, b->len, &ivrs);
		site = iox_compat_failed_site();
		iox_compat_fail_nth(0);
		if (!site) {
			KUNIT_EXPECT_EQ(test, ret, 0);
			KUNIT_EXPECT_EQ(test, count(&ivrs.ivhds), 3);
			KUNIT_EXPECT_EQ(test, count(&ivrs.ivmds), 2);
			amd_ivrs_free(&ivrs);
			break;
		}
		KUNIT_EXPECT_EQ_MSG(test, ret, -ENOMEM, "at %s", site);
		KUNIT_EXPECT_TRUE(test, list_empty(&ivrs.ivhds));
		KUNIT_EXPECT_TRUE(test, list_empty(&ivrs.ivmds));
		KUNIT_EXPECT_EQ_MSG(test, iox_compat_live_allocs(), base,
				    "leak after failing allocation %lu at %s",
				    nth, site);
	}
	/* 3 IVHDs, 2 IVMDs, 2 range arrays: 7 allocations. */
	KUNIT_EXPECT_EQ(test, nth, 8);
	KUNIT_EXPECT_EQ(test, iox_compat_live_allocs(), base);
}
#endif

static struct kunit_case ivrs_cases[] = {
	KUNIT_CASE(ivrs_qemu72),
	KUNIT_CASE(ivrs_qemu10),
	KUNIT_CASE(ivrs_trailing_bytes),
	KUNIT_CASE(ivrs_ivhd_types),
	KUNIT_CASE(ivrs_entries),
	KUNIT_CASE(ivrs_find_override),
	KUNIT_CASE(ivrs_last_devid),
	KUNIT_CASE(ivrs_ivmds),
	KUNIT_CASE(ivrs_bad_header),
	KUNIT_CASE(ivrs_checksum),
	KUNIT_CASE(ivrs_bad_blocks),
	KUNIT_CASE(ivrs_bad_entries),
	KUNIT_CASE(ivrs_no_ivhd),
#ifdef IOX_USERSPACE
	KUNIT_CASE(ivrs_alloc_failure),
#endif
	{}
};

struct kunit_suite iox_amd_ivrs_suite = {
	.name = "iox_amd_ivrs",
	.test_cases = ivrs_cases,
};
