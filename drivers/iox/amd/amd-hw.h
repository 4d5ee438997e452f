/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iox-amd: AMD-Vi hardware layouts, and the parts of the driver that are
 * plain functions of them (the IVRS parser, command encoding, event
 * decoding), which the userspace test build compiles too.
 *
 * Register, table, command and event layouts follow the AMD I/O
 * Virtualization Technology (IOMMU) Specification, 48882 rev 3.x ("AMD
 * spec" below); the ACPI IVRS layouts its chapter 5. Each block names its
 * section.
 */
#ifndef _IOX_AMD_HW_H
#define _IOX_AMD_HW_H

#include <linux/bits.h>
#include <linux/list.h>
#include <linux/types.h>
#include <linux/iox.h>

/* AMD spec 3.4: MMIO register offsets from the unit's base. */
#define AMD_MMIO_DEVTAB		0x0000	/* 3.4.1 device table base */
#define AMD_MMIO_CMDBUF		0x0008	/* 3.4.2 command buffer base */
#define AMD_MMIO_EVTLOG		0x0010	/* 3.4.3 event log base */
#define AMD_MMIO_CONTROL	0x0018	/* 3.4.4 control */
#define AMD_MMIO_EXCL_BASE	0x0020	/* 3.4.5 exclusion base */
#define AMD_MMIO_EXCL_LIMIT	0x0028	/* 3.4.5 exclusion range limit */
#define AMD_MMIO_EFR		0x0030	/* 3.4.6 extended features */
#define AMD_MMIO_CMD_HEAD	0x2000	/* 3.4.10 command buffer head */
#define AMD_MMIO_CMD_TAIL	0x2008	/* 3.4.11 command buffer tail */
#define AMD_MMIO_EVT_HEAD	0x2010	/* 3.4.12 event log head */
#define AMD_MMIO_EVT_TAIL	0x2018	/* 3.4.13 event log tail */
#define AMD_MMIO_STATUS		0x2020	/* 3.4.14 status */
#define AMD_MMIO_SIZE		0x4000	/* 16 KiB of registers */

/* 3.4.1: base 51:12, Size 8:0 = 4 KiB pages of the table - 1. */
#define AMD_DEVTAB_SIZE		GENMASK_ULL(8, 0)
#define AMD_BASE_ADDR		GENMASK_ULL(51, 12)
/* 3.4.2, 3.4.3: ring base 51:12, length 59:56 = log2 of its entries. */
#define AMD_RING_LEN		GENMASK_ULL(59, 56)
/* 3.4.10-3.4.13: head and tail pointers, byte offsets 18:4. */
#define AMD_RING_PTR		GENMASK_ULL(18, 4)

/* 3.4.4: control register bits iox uses. */
#define AMD_CTRL_IOMMU_EN	BIT_ULL(0)
#define AMD_CTRL_EVTLOG_EN	BIT_ULL(2)
#define AMD_CTRL_EVTINT_EN	BIT_ULL(3)
#define AMD_CTRL_COMWAIT_EN	BIT_ULL(4)
#define AMD_CTRL_INV_TIMEOUT	GENMASK_ULL(7, 5)
#define AMD_CTRL_COHERENT	BIT_ULL(10)
#define AMD_CTRL_CMDBUF_EN	BIT_ULL(12)
#define AMD_INV_TIMEOUT_1S	6	/* 3.4.4 InvTimeOut encoding */

/* 3.4.6: extended feature register fields. */
#define AMD_EFR_PREF		BIT_ULL(0)	/* PREFETCH command */
#define AMD_EFR_PPR		BIT_ULL(1)	/* peripheral page requests */
#define AMD_EFR_XT		BIT_ULL(2)	/* x2APIC */
#define AMD_EFR_NX		BIT_ULL(3)	/* no-execute */
#define AMD_EFR_GT		BIT_ULL(4)	/* guest translation */
#define AMD_EFR_IA		BIT_ULL(6)	/* INVALIDATE_IOMMU_ALL */
#define AMD_EFR_GA		BIT_ULL(7)	/* guest virtual APIC */
#define AMD_EFR_HE		BIT_ULL(8)	/* hardware error registers */
#define AMD_EFR_PC		BIT_ULL(9)	/* performance counters */
#define AMD_EFR_HATS		GENMASK_ULL(11, 10)	/* host levels */
#define AMD_EFR_PASMAX		GENMASK_ULL(36, 32)	/* PASID bits - 1 */

/* EFR.HATS: 0 = 4 levels, 1 = 5, 2 = 6; 3 is reserved. */
#define AMD_HATS_LEVELS(h)	((h) + 4)

/* 3.4.14: status register. */
#define AMD_STATUS_EVT_OVERFLOW	BIT_ULL(0)	/* W1C */
#define AMD_STATUS_EVT_INT	BIT_ULL(1)	/* W1C */
#define AMD_STATUS_COMWAIT_INT	BIT_ULL(2)	/* W1C */
#define AMD_STATUS_EVT_RUN	BIT_ULL(3)
#define AMD_STATUS_CMD_RUN	BIT_ULL(4)

/*
 * AMD spec 3.3.1: the IOMMU capability block in the unit's PCI function.
 * Header: capability ID 7:0 (0x0f), type 18:16 (3), IotlbSup 24, HtTunnel
 * 25, NpCache 26 (not-present entries are cached), EFRSup 27. Then the
 * base address, low (bit 0 Enable) at +4 and high at +8.
 */
#define AMD_CAP_HDR		0x0
#define AMD_CAP_NPCACHE		BIT(26)
#define AMD_CAP_EFR_SUP		BIT(27)
#define AMD_CAP_BASE_LO		0x4
#define AMD_CAP_BASE_HI		0x8

/*
 * AMD spec 2.2.2.1: a device table entry, 256 bits, indexed by DeviceID
 * (the requester ID). Qword 0: V 0, TV 1, Mode 11:9 (levels of the host
 * table, 0 = untranslated), page table root 51:12, IR 61, IW 62.
 * Qword 1: DomainID 15:0, SysMgt 41:40. Qword 2: IV 0 (interrupt
 * remapping valid; 0 = interrupts pass unremapped), InitPass 56,
 * EIntPass 57, NMIPass 58, Lint0Pass 62, Lint1Pass 63. Qword 3 reserved.
 */
#define AMD_DTE_V		BIT_ULL(0)
#define AMD_DTE_TV		BIT_ULL(1)
#define AMD_DTE_MODE		GENMASK_ULL(11, 9)
#define AMD_DTE_ROOT		GENMASK_ULL(51, 12)
#define AMD_DTE_IR		BIT_ULL(61)
#define AMD_DTE_IW		BIT_ULL(62)
#define AMD_DTE_DOMID		GENMASK_ULL(15, 0)
#define AMD_DTE_SYSMGT		GENMASK_ULL(41, 40)
#define AMD_DTE_INITPASS	BIT_ULL(56)
#define AMD_DTE_EINTPASS	BIT_ULL(57)
#define AMD_DTE_NMIPASS		BIT_ULL(58)
#define AMD_DTE_LINT0PASS	BIT_ULL(62)
#define AMD_DTE_LINT1PASS	BIT_ULL(63)
#define AMD_DTE_QWORDS		4
#define AMD_DTE_BYTES		32
#define AMD_DTE_PER_PAGE	(4096 / AMD_DTE_BYTES)
#define AMD_MAX_DEVID		0xffff

/*
 * AMD spec 2.4: commands, 128 bits; opcode in bits 31:28 of dword 1.
 * 2.4.1 COMPLETION_WAIT: dword 0 S 0 (store), I 1 (interrupt), F 2
 *	(flush queue), store address 31:3; dword 1 store address 51:32 in
 *	19:0; dwords 2-3 the 64-bit store data.
 * 2.4.2 INVALIDATE_DEVTAB_ENTRY: dword 0 DeviceID 15:0.
 * 2.4.3 INVALIDATE_IOMMU_PAGES: dword 0 PASID 19:0; dword 1 DomainID
 *	15:0; dword 2 S 0 (size from the address), PDE 1 (directory
 *	entries too), GN 2 (guest), address 31:12; dword 3 address 63:32.
 * 2.4.8 INVALIDATE_IOMMU_ALL: no operands (EFR.IASup).
 */
#define AMD_CMD_OPCODE		GENMASK(31, 28)
#define AMD_CMD_COMPLETION_WAIT	0x1
#define AMD_CMD_INV_DEVTAB	0x2
#define AMD_CMD_INV_PAGES	0x3
#define AMD_CMD_INV_ALL		0x8
#define AMD_CMD_CW_STORE	BIT(0)
#define AMD_CMD_CW_ADDR_LO	GENMASK(31, 3)
#define AMD_CMD_CW_ADDR_HI	GENMASK(19, 0)
#define AMD_CMD_DEVID		GENMASK(15, 0)
#define AMD_CMD_DOMID		GENMASK(15, 0)
#define AMD_CMD_PAGES_S		BIT(0)
#define AMD_CMD_PAGES_PDE	BIT(1)
/* INVALIDATE_IOMMU_PAGES with S = 1 and this address: every page. */
#define AMD_INV_ALL_PAGES	0x7ffffffffffff000ULL
#define AMD_CMD_BYTES		16

/*
 * AMD spec 2.5: event log entries, 128 bits; EventCode in bits 31:28 of
 * dword 1. 2.5.3 IO_PAGE_FAULT: dword 0 DeviceID 15:0, PASID 19:16 (bits
 * 19:16 of dword 0 hold PASID[19:16]); dword 1 DomainID (or PASID 15:0)
 * 15:0, GN 16, NX 17, US 18, I 19, PR 20, RW 21, PE 22, RZ 23, TR 24;
 * dwords 2-3 the address.
 */
#define AMD_EVT_CODE		GENMASK(31, 28)
#define AMD_EVT_DEVID		GENMASK(15, 0)
#define AMD_EVT_PASID_HI	GENMASK(19, 16)
#define AMD_EVT_DOMID		GENMASK(15, 0)
#define AMD_EVT_GN		BIT(16)
#define AMD_EVT_NX		BIT(17)
#define AMD_EVT_US		BIT(18)
#define AMD_EVT_I		BIT(19)
#define AMD_EVT_PR		BIT(20)
#define AMD_EVT_RW		BIT(21)
#define AMD_EVT_PE		BIT(22)
#define AMD_EVT_RZ		BIT(23)
#define AMD_EVT_TR		BIT(24)
#define AMD_EVT_ILLEGAL_DTE	0x1
#define AMD_EVT_IO_PAGE_FAULT	0x2
#define AMD_EVT_DEVTAB_HW_ERR	0x3
#define AMD_EVT_PAGETAB_HW_ERR	0x4
#define AMD_EVT_ILLEGAL_CMD	0x5
#define AMD_EVT_CMD_HW_ERR	0x6
#define AMD_EVT_IOTLB_TIMEOUT	0x7
#define AMD_EVT_INVALID_DEV_REQ	0x8
#define AMD_EVT_BYTES		16

/* The x86 interrupt window, never translated (AMD spec 2.2.6). */
#define AMD_MSI_START		0xfee00000ULL
#define AMD_MSI_LENGTH		0x100000ULL

/* 4 KiB rings: 256 commands, 256 events (ComLen = EventLen = 8). */
#define AMD_RING_ENTRIES	256
#define AMD_RING_LEN_LOG2	8

/*
 * Domain IDs: 0 stays unused; 1 tags pass-through DTEs, 2 the blocked
 * domain; paging domains take the lowest free one from 3, which keeps
 * them below 256, where QEMU's model loses translations (see amd.rst).
 */
#define AMD_DID_PT		1
#define AMD_DID_BLOCKED		2
#define AMD_DID_FIRST		3
#define AMD_NR_DIDS		BIT(16)	/* DomainID is 16 bits (2.2.2.1) */

/* The device-table setting byte of an IVHD device entry (IVRS 5.2.2.2). */
#define AMD_IVHD_DTE_INITPASS	BIT(0)
#define AMD_IVHD_DTE_EINTPASS	BIT(1)
#define AMD_IVHD_DTE_NMIPASS	BIT(2)
#define AMD_IVHD_DTE_SYSMGT	GENMASK(5, 4)
#define AMD_IVHD_DTE_LINT0PASS	BIT(6)
#define AMD_IVHD_DTE_LINT1PASS	BIT(7)

/**
 * struct amd_ivhd_range - devices an IVHD lists, with the same settings
 * @first: first DeviceID
 * @last: last DeviceID
 * @alias: the DeviceID the unit sees their requests arrive with; equal to
 *	each device's own when @has_alias is false
 * @has_alias: an alias entry (IVRS types 42h, 43h) named @alias
 * @dte: the IVHD device-table setting byte (AMD_IVHD_DTE_*)
 */
struct amd_ivhd_range {
	u16 first;
	u16 last;
	u16 alias;
	bool has_alias;
	u8 dte;
};

/**
 * struct amd_ivhd - one IOMMU as the IVRS table defines it (IVRS 5.2.2)
 * @node: link in struct amd_ivrs.ivhds
 * @type: the IVHD block type used (0x10, 0x11 or 0x40)
 * @flags: IVHD flags byte
 * @devid: the DeviceID of the IOMMU's own PCI function
 * @cap_offset: its IOMMU capability block's offset in config space
 * @base: MMIO register base
 * @segment: PCI segment group
 * @info: IOMMU info field (MSI number, unit ID)
 * @efr: types 11h and 40h: the EFR image; 0 for type 10h
 * @ranges: the devices it translates, in table order
 * @nr_ranges: valid entries of @ranges
 */
struct amd_ivhd {
	struct list_head node;
	u8 type;
	u8 flags;
	u16 devid;
	u16 cap_offset;
	u64 base;
	u16 segment;
	u16 info;
	u64 efr;
	struct amd_ivhd_range *ranges;
	unsigned int nr_ranges;
};

/**
 * struct amd_ivmd - a memory block definition (IVRS 5.2.3): a range the
 *	devices it names must keep reaching at its own address
 * @node: link in struct amd_ivrs.ivmds
 * @first: first DeviceID it applies to
 * @last: last DeviceID it applies to (every device for type 20h)
 * @start: first byte
 * @length: bytes
 * @prot: IOX_READ / IOX_WRITE the block grants
 * @exclusion: an exclusion range (the unit does not translate it at all)
 */
struct amd_ivmd {
	struct list_head node;
	u16 first;
	u16 last;
	u64 start;
	u64 length;
	int prot;
	bool exclusion;
};

/**
 * struct amd_ivrs - the parsed IVRS table
 * @ivinfo: IVinfo: virtual and physical address sizes, flags
 * @ivhds: one struct amd_ivhd per IOMMU
 * @ivmds: struct amd_ivmd blocks
 */
struct amd_ivrs {
	u32 ivinfo;
	struct list_head ivhds;
	struct list_head ivmds;
};

/* IVinfo (IVRS 5.2.1): PASize 14:8, VASize 21:15. */
#define AMD_IVINFO_PASIZE	GENMASK(14, 8)
#define AMD_IVINFO_VASIZE	GENMASK(21, 15)

/**
 * struct amd_event - one event log entry, decoded
 * @code: the EventCode (AMD_EVT_*)
 * @devid: the DeviceID it names
 * @domid: IO_PAGE_FAULT: the DomainID (or PASID 15:0 with GN)
 * @pasid: IO_PAGE_FAULT with GN: the PASID
 * @flags: IO_PAGE_FAULT: the AMD_EVT_* flag bits of dword 1
 * @addr: the address it names
 */
struct amd_event {
	unsigned int code;
	u16 devid;
	u16 domid;
	u32 pasid;
	u32 flags;
	u64 addr;
};

/* commands.c */
void amd_cmd_completion_wait(u32 *cmd, phys_addr_t store, u64 data);
void amd_cmd_inv_devtab(u32 *cmd, u16 devid);
void amd_cmd_inv_pages(u32 *cmd, u16 did, u64 start, u64 last, bool pde);
void amd_cmd_inv_all(u32 *cmd);

/* evtlog.c */
typedef void (*amd_event_fn)(void *arg, const struct amd_event *ev);
void amd_evt_decode(const u32 *entry, struct amd_event *ev);
void amd_evt_fault(const struct amd_event *ev, struct iox_fault *fault);
const char *amd_evt_name(unsigned int code);
unsigned int amd_evtlog_drain(void __iomem *regs, u32 *ring,
			      amd_event_fn fn, void *arg, bool *overflow);

/* ivrs.c */
int amd_ivrs_parse(const void *table, size_t len, struct amd_ivrs *ivrs);
void amd_ivrs_free(struct amd_ivrs *ivrs);
const struct amd_ivhd_range *amd_ivhd_find(const struct amd_ivhd *ivhd,
					   u16 devid);
unsigned int amd_ivhd_last_devid(const struct amd_ivhd *ivhd);

#endif /* _IOX_AMD_HW_H */
