// SPDX-License-Identifier: GPL-2.0
/*
 * iox-amd: the ACPI IVRS table (AMD spec 48882, 5.2) - the IOMMUs (IVHD
 * blocks, 5.2.2), the devices each one translates (IVHD device entries,
 * 5.2.2.2) and the memory ranges devices must keep reaching (IVMD blocks,
 * 5.2.3).
 *
 * The table is read as bytes, little-endian, at the offsets the spec gives:
 * it builds both in the kernel and in iox's userspace test program, which
 * has no ACPI headers.
 */
#define pr_fmt(fmt) "iox-amd: " fmt

#include <linux/err.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/iox.h>
#include "amd-hw.h"

/*
 * AMD spec 5.2.1: the IVRS header - the 36-byte ACPI table header (length
 * at 4), IVinfo at 36, 8 reserved bytes - then the blocks.
 */
#define IVRS_ACPI_HDR_LEN	36
#define IVRS_LENGTH		4
#define IVRS_IVINFO		36
#define IVRS_BLOCKS		48

/* Every block starts with its type, flags and a 16-bit length (5.2.2). */
#define IVRS_BLOCK_TYPE		0
#define IVRS_BLOCK_FLAGS	1
#define IVRS_BLOCK_LEN		2
#define IVRS_BLOCK_MIN		4

/* Block types: IVHD 5.2.2 (10h, 11h, 40h); IVMD 5.2.3. */
#define IVRS_IVHD_10		0x10
#define IVRS_IVHD_11		0x11
#define IVRS_IVHD_40		0x40
#define IVRS_IVMD_ALL		0x20
#define IVRS_IVMD_SELECT	0x21
#define IVRS_IVMD_RANGE		0x22

/*
 * IVHD header fields (5.2.2). Type 10h: IOMMU feature reporting at 20,
 * device entries from 24. Types 11h and 40h: IOMMU attributes at 20, the
 * EFR register image at 24, EFR2 (or reserved) at 32, device entries from
 * 40.
 */
#define IVHD_DEVID		4
#define IVHD_CAP_OFFSET		6
#define IVHD_BASE		8
#define IVHD_SEGMENT		16
#define IVHD_INFO		18
#define IVHD_EFR		24
#define IVHD_10_HDR_LEN		24
#define IVHD_11_HDR_LEN		40

/*
 * IVHD device entries (5.2.2.2). The type gives the length: 00h-3Fh four
 * bytes, 40h-7Fh eight; 80h-FFh are variable-length, of which the spec
 * defines only F0h (ACPI _HID device, in type 40h IVHDs: 22 bytes then a
 * UID of the length in byte 21). Any other of those has no length to be
 * skipped by: the table is refused. Entries hold the DTE setting at 3 and
 * a DeviceID at 1-2; alias entries add the source DeviceID at 5-6,
 * extended ones a setting dword at 4; special entries (48h) hold a handle
 * at 4, their DeviceID at 5-6 and the variety at 7.
 */
#define DEV_PAD4		0x00
#define DEV_ALL			0x01
#define DEV_SELECT		0x02
#define DEV_START		0x03
#define DEV_END			0x04
#define DEV_PAD8		0x40
#define DEV_ALIAS_SELECT	0x42
#define DEV_ALIAS_START		0x43
#define DEV_EXT_SELECT		0x46
#define DEV_EXT_START		0x47
#define DEV_SPECIAL		0x48
#define DEV_ACPI_HID		0xf0
#define DEV_FIXED_END		0x80	/* first variable-length type */
#define DEV_ID			1
#define DEV_DTE			3
#define DEV_ALIAS		5
#define DEV_SPECIAL_ID		5
#define DEV_HID_UID_LEN		21
#define DEV_HID_LEN		22

/*
 * IVMD block (5.2.3): DeviceID at 4, auxiliary data at 6 (type 22h: the
 * last DeviceID), start address at 16, length at 24; 32 bytes.
 */
#define IVMD_DEVID		4
#define IVMD_AUX		6
#define IVMD_START		16
#define IVMD_LENGTH		24
#define IVMD_LEN		32
#define IVMD_UNITY		BIT(0)
#define IVMD_IR			BIT(1)
#define IVMD_IW			BIT(2)
#define IVMD_EXCL		BIT(3)

static u16 ivrs_u16(const u8 *p)
{
	return p[0] | p[1] << 8;
}

static u32 ivrs_u32(const u8 *p)
{
	return ivrs_u16(p) | (u32)ivrs_u16(p + 2) << 16;
}

static u64 ivrs_u64(const u8 *p)
{
	return ivrs_u32(p) | (u64)ivrs_u32(p + 4) << 32;
}

/* The order of preference among blocks for one IOMMU: 11h, 40h, 10h. */
static int ivhd_rank(u8 type)
{
	switch (type) {
	case IVRS_IVHD_11:
		return 2;
	case IVRS_IVHD_40:
		return 1;
	default:
		return 0;
	}
}

static unsigned int ivhd_hdr_len(u8 type)
{
	return type == IVRS_IVHD_10 ? IVHD_10_HDR_LEN : IVHD_11_HDR_LEN;
}

/*
 * The length of the device entry at @e, @avail bytes being left in its
 * block; 0 for a variable-length type the spec does not define, which
 * cannot be skipped. An F0h entry too short to hold its UID length byte
 * reports its fixed part's length, which @avail cannot hold either.
 */
static unsigned int ivhd_entry_len(const u8 *e, unsigned int avail)
{
	if (e[0] < DEV_PAD8)
		return 4;
	if (e[0] < DEV_FIXED_END)
		return 8;
	if (e[0] != DEV_ACPI_HID)
		return 0;
	if (avail < DEV_HID_LEN)
		return DEV_HID_LEN;
	return DEV_HID_LEN + e[DEV_HID_UID_LEN];
}

/*
 * Walk the device entries of the IVHD block @b, @len bytes, and count the
 * ranges they define in @nr; with @ranges, also store them there, in
 * table order. A start-of-range entry takes its slot at once and its end
 * entry completes it, so later entries still override it.
 */
static int ivhd_entries(const u8 *b, unsigned int len,
			struct amd_ivhd_range *ranges, unsigned int *nr)
{
	u16 segment = ivrs_u16(b + IVHD_SEGMENT);
	u16 iommu = ivrs_u16(b + IVHD_DEVID);
	unsigned int off, elen, n = 0, open = 0;
	struct amd_ivhd_range r;
	bool in_range = false;
	u16 open_first = 0;

	for (off = ivhd_hdr_len(b[IVRS_BLOCK_TYPE]); off < len; off += elen) {
		const u8 *e = b + off;
		bool add = false;

		elen = ivhd_entry_len(e, len - off);
		if (!elen) {
			pr_err(FW_BUG "IVHD %04x:%04x: device entry type %02xh at offset %u has no length the spec defines\n",
			       segment, iommu, e[0], off);
			return -EINVAL;
		}
		if (elen > len - off) {
			pr_err(FW_BUG "IVHD %04x:%04x: device entry type %02xh at offset %u runs past the block\n",
			       segment, iommu, e[0], off);
			return -EINVAL;
		}

		memset(&r, 0, sizeof(r));
		r.first = ivrs_u16(e + DEV_ID);
		r.dte = e[DEV_DTE];
		switch (e[0]) {
		case DEV_ALL:
			r.first = 0;
			r.last = AMD_MAX_DEVID;
			add = true;
			break;
		case DEV_SELECT:
		case DEV_EXT_SELECT:
			r.last = r.first;
			add = true;
			break;
		case DEV_ALIAS_SELECT:
			r.last = r.first;
			r.alias = ivrs_u16(e + DEV_ALIAS);
			r.has_alias = true;
			add = true;
			break;
		case DEV_START:
		case DEV_EXT_START:
		case DEV_ALIAS_START:
			if (in_range) {
				pr_err(FW_BUG "IVHD %04x:%04x: start of range at offset %u inside the range started at %04x\n",
				       segment, iommu, off, open_first);
				return -EINVAL;
			}
			r.last = r.first;
			if (e[0] == DEV_ALIAS_START) {
				r.alias = ivrs_u16(e + DEV_ALIAS);
				r.has_alias = true;
			}
			in_range = true;
			open = n;
			open_first = r.first;
			add = true;
			break;
		case DEV_END:
			if (!in_range) {
				pr_err(FW_BUG "IVHD %04x:%04x: end of range at offset %u without a start\n",
				       segment, iommu, off);
				return -EINVAL;
			}
			if (r.first < open_first) {
				pr_err(FW_BUG "IVHD %04x:%04x: range %04x-%04x ends before it starts\n",
				       segment, iommu, open_first, r.first);
				return -EINVAL;
			}
			if (ranges)
				ranges[open].last = r.first;
			in_range = false;
			break;
		case DEV_SPECIAL:
			/* An I/O APIC or HPET: one device, for its DTE. */
			r.first = ivrs_u16(e + DEV_SPECIAL_ID);
			r.last = r.first;
			add = true;
			break;
		default:
			/* Padding, ACPI _HID devices, reserved types. */
			break;
		}
		if (!add)
			continue;
		if (!r.has_alias)
			r.alias = r.first;
		if (ranges)
			ranges[n] = r;
		n++;
	}
	if (in_range) {
		pr_err(FW_BUG "IVHD %04x:%04x: range started at %04x has no end\n",
		       segment, iommu, open_first);
		return -EINVAL;
	}
	*nr = n;
	return 0;
}

static struct amd_ivhd *ivrs_find_ivhd(struct amd_ivrs *ivrs, u16 segment,
				       u16 devid)
{
	struct amd_ivhd *ivhd;

	list_for_each_entry(ivhd, &ivrs->ivhds, node)
		if (ivhd->segment == segment && ivhd->devid == devid)
			return ivhd;
	return NULL;
}

static void ivhd_read_header(struct amd_ivhd *ivhd, const u8 *b)
{
	ivhd->type = b[IVRS_BLOCK_TYPE];
	ivhd->flags = b[IVRS_BLOCK_FLAGS];
	ivhd->devid = ivrs_u16(b + IVHD_DEVID);
	ivhd->cap_offset = ivrs_u16(b + IVHD_CAP_OFFSET);
	ivhd->base = ivrs_u64(b + IVHD_BASE);
	ivhd->segment = ivrs_u16(b + IVHD_SEGMENT);
	ivhd->info = ivrs_u16(b + IVHD_INFO);
	ivhd->efr = ivhd->type == IVRS_IVHD_10 ? 0 : ivrs_u64(b + IVHD_EFR);
}

/*
 * First pass over an IVHD block at @off, @len bytes: keep its header if it
 * is the preferred block of its IOMMU so far. Its entries are read in the
 * second pass, from the block kept.
 */
static int ivrs_add_ivhd(struct amd_ivrs *ivrs, const u8 *b, unsigned int off,
			 unsigned int len)
{
	u16 segment = ivrs_u16(b + IVHD_SEGMENT);
	u16 devid = ivrs_u16(b + IVHD_DEVID);
	u8 type = b[IVRS_BLOCK_TYPE];
	struct amd_ivhd *ivhd;

	if (len < ivhd_hdr_len(type)) {
		pr_err(FW_BUG "IVHD type %02xh at offset %u: length %u is shorter than its %u-byte header\n",
		       type, off, len, ivhd_hdr_len(type));
		return -EINVAL;
	}
	ivhd = ivrs_find_ivhd(ivrs, segment, devid);
	if (ivhd) {
		if (ivhd->type == type) {
			pr_err(FW_BUG "IVHD %04x:%04x: a second type %02xh block at offset %u\n",
			       segment, devid, type, off);
			return -EINVAL;
		}
		if (ivhd_rank(type) > ivhd_rank(ivhd->type))
			ivhd_read_header(ivhd, b);
		return 0;
	}
	ivhd = kzalloc(sizeof(*ivhd), GFP_KERNEL);
	if (!ivhd)
		return -ENOMEM;
	ivhd_read_header(ivhd, b);
	list_add_tail(&ivhd->node, &ivrs->ivhds);
	return 0;
}

/* The device entries of the IVHD block kept for its IOMMU. */
static int ivrs_fill_ivhd(struct amd_ivhd *ivhd, const u8 *b, unsigned int len)
{
	unsigned int nr;
	int ret;

	ret = ivhd_entries(b, len, NULL, &nr);
	if (ret || !nr)
		return ret;
	ivhd->ranges = kcalloc(nr, sizeof(*ivhd->ranges), GFP_KERNEL);
	if (!ivhd->ranges)
		return -ENOMEM;
	ivhd->nr_ranges = nr;
	return ivhd_entries(b, len, ivhd->ranges, &nr);
}

static int ivrs_add_ivmd(struct amd_ivrs *ivrs, const u8 *b, unsigned int off,
			 unsigned int len)
{
	u8 type = b[IVRS_BLOCK_TYPE], flags = b[IVRS_BLOCK_FLAGS];
	u16 first = ivrs_u16(b + IVMD_DEVID), last = first;
	struct amd_ivmd *ivmd;
	u64 start, length;

	if (len < IVMD_LEN) {
		pr_err(FW_BUG "IVMD type %02xh at offset %u: length %u is shorter than its %u-byte block\n",
		       type, off, len, IVMD_LEN);
		return -EINVAL;
	}
	if (type == IVRS_IVMD_ALL) {
		first = 0;
		last = AMD_MAX_DEVID;
	} else if (type == IVRS_IVMD_RANGE) {
		last = ivrs_u16(b + IVMD_AUX);
		if (last < first) {
			pr_err(FW_BUG "IVMD at offset %u: range %04x-%04x ends before it starts\n",
			       off, first, last);
			return -EINVAL;
		}
	}
	start = ivrs_u64(b + IVMD_START);
	length = ivrs_u64(b + IVMD_LENGTH);
	if (length && start + (length - 1) < start) {
		pr_err(FW_BUG "IVMD at offset %u: %#llx bytes at %#llx wrap around\n",
		       off, length, start);
		return -EINVAL;
	}
	if (!(flags & (IVMD_UNITY | IVMD_EXCL)))
		return 0;
	if (!length) {
		pr_warn(FW_BUG "IVMD at offset %u: empty range ignored\n", off);
		return 0;
	}

	ivmd = kzalloc(sizeof(*ivmd), GFP_KERNEL);
	if (!ivmd)
		return -ENOMEM;
	ivmd->first = first;
	ivmd->last = last;
	ivmd->start = start;
	ivmd->length = length;
	ivmd->prot = (flags & IVMD_IR ? IOX_READ : 0) |
		     (flags & IVMD_IW ? IOX_WRITE : 0);
	ivmd->exclusion = flags & IVMD_EXCL;
	list_add_tail(&ivmd->node, &ivrs->ivmds);
	return 0;
}

/*
 * Check the table header; return the table's length in @length.
 */
static int ivrs_check_header(const u8 *t, size_t len, unsigned int *length)
{
	unsigned int i;
	u8 sum = 0;

	if (len < IVRS_ACPI_HDR_LEN) {
		pr_err(FW_BUG "IVRS: %zu bytes, shorter than the ACPI table header\n",
		       len);
		return -EINVAL;
	}
	if (memcmp(t, "IVRS", 4)) {
		pr_err(FW_BUG "IVRS: signature is not IVRS\n");
		return -EINVAL;
	}
	*length = ivrs_u32(t + IVRS_LENGTH);
	if (*length < IVRS_BLOCKS) {
		pr_err(FW_BUG "IVRS: length %u is shorter than the IVRS header\n",
		       *length);
		return -EINVAL;
	}
	if (*length > len) {
		pr_err(FW_BUG "IVRS: length %u, but only %zu bytes\n",
		       *length, len);
		return -EINVAL;
	}
	for (i = 0; i < *length; i++)
		sum += t[i];
	if (sum) {
		pr_err(FW_BUG "IVRS: bad checksum\n");
		return -EINVAL;
	}
	return 0;
}

/*
 * One pass over the blocks of the table @t, @length bytes. The first
 * (@fill false) checks each block's length, keeps the IVMDs and the
 * header of each IOMMU's preferred IVHD; the second reads the device
 * entries of those IVHDs.
 */
static int ivrs_blocks(struct amd_ivrs *ivrs, const u8 *t, unsigned int length,
		       bool fill)
{
	unsigned int off, len;
	struct amd_ivhd *ivhd;
	int ret;

	for (off = IVRS_BLOCKS; off < length; off += len) {
		const u8 *b = t + off;

		if (length - off < IVRS_BLOCK_MIN) {
			pr_err(FW_BUG "IVRS: block header at offset %u runs past the table\n",
			       off);
			return -EINVAL;
		}
		len = ivrs_u16(b + IVRS_BLOCK_LEN);
		if (len > length - off) {
			pr_err(FW_BUG "IVRS: block type %02xh at offset %u: length %u runs past the table\n",
			       b[IVRS_BLOCK_TYPE], off, len);
			return -EINVAL;
		}
		if (len < IVRS_BLOCK_MIN) {
			pr_err(FW_BUG "IVRS: block type %02xh at offset %u: length %u is shorter than a block header\n",
			       b[IVRS_BLOCK_TYPE], off, len);
			return -EINVAL;
		}

		switch (b[IVRS_BLOCK_TYPE]) {
		case IVRS_IVHD_10:
		case IVRS_IVHD_11:
		case IVRS_IVHD_40:
			if (!fill) {
				ret = ivrs_add_ivhd(ivrs, b, off, len);
				break;
			}
			ivhd = ivrs_find_ivhd(ivrs, ivrs_u16(b + IVHD_SEGMENT),
					      ivrs_u16(b + IVHD_DEVID));
			ret = 0;
			if (ivhd && ivhd->type == b[IVRS_BLOCK_TYPE])
				ret = ivrs_fill_ivhd(ivhd, b, len);
			break;
		case IVRS_IVMD_ALL:
		case IVRS_IVMD_SELECT:
		case IVRS_IVMD_RANGE:
			ret = fill ? 0 : ivrs_add_ivmd(ivrs, b, off, len);
			break;
		default:
			ret = 0;
			break;
		}
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * amd_ivrs_parse() - parse an ACPI IVRS table
 * @table: the table, from its ACPI header on
 * @len: bytes readable at @table (at least the table's length field)
 * @ivrs: filled in: IVinfo, one struct amd_ivhd per IOMMU, the IVMDs that
 *	define unity-mapped or exclusion ranges
 *
 * Initialises @ivrs itself (its lists need no initialising; whatever it
 * held is overwritten, not freed). Where the table describes an IOMMU
 * (PCI segment and DeviceID) with several IVHD blocks, one is used: type
 * 11h, else 40h (whose ACPI _HID device entries are skipped), else 10h.
 * Free the result with amd_ivrs_free().
 *
 * Context: Process context; allocates with GFP_KERNEL.
 * Return: 0; -EINVAL for a malformed table (bad length, checksum, block or
 * device entry; reported as a firmware bug), -ENODEV if it defines no
 * IOMMU, -ENOMEM. On error @ivrs is left empty (ivinfo 0, empty lists).
 */
int amd_ivrs_parse(const void *table, size_t len, struct amd_ivrs *ivrs)
{
	unsigned int length;
	int ret;

	ivrs->ivinfo = 0;
	INIT_LIST_HEAD(&ivrs->ivhds);
	INIT_LIST_HEAD(&ivrs->ivmds);

	ret = ivrs_check_header(table, len, &length);
	if (ret)
		return ret;
	ret = ivrs_blocks(ivrs, table, length, false);
	if (!ret)
		ret = ivrs_blocks(ivrs, table, length, true);
	if (!ret && list_empty(&ivrs->ivhds)) {
		pr_err(FW_BUG "IVRS: no IVHD block\n");
		ret = -ENODEV;
	}
	if (ret) {
		amd_ivrs_free(ivrs);
		return ret;
	}
	ivrs->ivinfo = ivrs_u32((const u8 *)table + IVRS_IVINFO);
	return 0;
}
EXPORT_SYMBOL_GPL(amd_ivrs_parse);

/**
 * amd_ivrs_free() - free what amd_ivrs_parse() allocated
 * @ivrs: a table amd_ivrs_parse() filled in (successfully or not)
 *
 * Empties both lists; @ivrs itself belongs to the caller.
 *
 * Context: Any context.
 */
void amd_ivrs_free(struct amd_ivrs *ivrs)
{
	struct amd_ivhd *ivhd, *tmp_ivhd;
	struct amd_ivmd *ivmd, *tmp_ivmd;

	list_for_each_entry_safe(ivhd, tmp_ivhd, &ivrs->ivhds, node) {
		list_del(&ivhd->node);
		kfree(ivhd->ranges);
		kfree(ivhd);
	}
	list_for_each_entry_safe(ivmd, tmp_ivmd, &ivrs->ivmds, node) {
		list_del(&ivmd->node);
		kfree(ivmd);
	}
}
EXPORT_SYMBOL_GPL(amd_ivrs_free);

/**
 * amd_ivhd_find() - the device-entry range that sets a device's DTE
 * @ivhd: an IOMMU
 * @devid: a DeviceID
 *
 * Later entries override earlier ones (an ALL entry, then SELECT entries
 * for devices that need other settings), so this is the last range of
 * @ivhd's that contains @devid.
 *
 * Context: Any context.
 * Return: the range, or NULL if @ivhd lists no range with @devid.
 */
const struct amd_ivhd_range *amd_ivhd_find(const struct amd_ivhd *ivhd,
					   u16 devid)
{
	unsigned int i;

	for (i = ivhd->nr_ranges; i--; )
		if (ivhd->ranges[i].first <= devid &&
		    devid <= ivhd->ranges[i].last)
			return &ivhd->ranges[i];
	return NULL;
}
EXPORT_SYMBOL_GPL(amd_ivhd_find);

/**
 * amd_ivhd_last_devid() - the largest DeviceID an IOMMU's table must cover
 * @ivhd: an IOMMU
 *
 * The largest DeviceID in any of @ivhd's ranges, aliases included: the
 * unit looks up the DTE of the DeviceID a request arrives with.
 *
 * Context: Any context.
 * Return: that DeviceID; 0 if @ivhd lists no device.
 */
unsigned int amd_ivhd_last_devid(const struct amd_ivhd *ivhd)
{
	unsigned int i, last = 0;

	for (i = 0; i < ivhd->nr_ranges; i++) {
		last = max_t(unsigned int, last, ivhd->ranges[i].last);
		if (ivhd->ranges[i].has_alias)
			last = max_t(unsigned int, last,
				     ivhd->ranges[i].alias);
	}
	return last;
}
EXPORT_SYMBOL_GPL(amd_ivhd_last_devid);

MODULE_DESCRIPTION("iox-amd's IVRS parser, command encoding and event log");
MODULE_LICENSE("GPL");
