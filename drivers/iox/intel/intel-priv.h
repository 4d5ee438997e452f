/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iox-intel internals: Intel VT-d remapping hardware units in legacy or
 * scalable mode.
 *
 * Register and table layouts follow the Intel Virtualization Technology for
 * Directed I/O Architecture Specification, rev 4.x ("VT-d spec" below); each
 * block names its section.
 */
#ifndef _IOX_INTEL_PRIV_H
#define _IOX_INTEL_PRIV_H

#include <linux/bits.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>
#include <linux/idr.h>
#include <linux/workqueue.h>
#include <linux/iox-driver.h>
#include <linux/iox-pt.h>

struct pci_dev;
struct acpi_table_header;

/* VT-d spec 10.4: register offsets from the unit's register base. */
#define VTD_VER			0x00	/* 10.4.1 version, 32-bit */
#define VTD_CAP			0x08	/* 10.4.2 capability, 64-bit */
#define VTD_ECAP		0x10	/* 10.4.3 extended capability */
#define VTD_GCMD		0x18	/* 10.4.4 global command, 32-bit */
#define VTD_GSTS		0x1c	/* 10.4.5 global status, 32-bit */
#define VTD_RTADDR		0x20	/* 10.4.6 root table address */
#define VTD_CCMD		0x28	/* 10.4.7 context command, 64-bit */
#define VTD_FSTS		0x34	/* 10.4.9 fault status, 32-bit */
#define VTD_FECTL		0x38	/* 10.4.10 fault event control */
#define VTD_FEDATA		0x3c	/* 10.4.11 fault event data */
#define VTD_FEADDR		0x40	/* 10.4.12 fault event address */
#define VTD_FEUADDR		0x44	/* 10.4.13 fault event upper address */
#define VTD_IQH			0x80	/* 10.4.22 invalidation queue head */
#define VTD_IQT			0x88	/* 10.4.23 invalidation queue tail */
#define VTD_IQA			0x90	/* 10.4.24 invalidation queue address */

/* VT-d spec 10.4.1: version register. */
#define VTD_VER_MAJOR(v)	(((v) >> 4) & 0xf)
#define VTD_VER_MINOR(v)	((v) & 0xf)

/* VT-d spec 10.4.2: capability register fields. */
#define VTD_CAP_ND		GENMASK_ULL(2, 0)	/* domain ID width */
#define VTD_CAP_RWBF		BIT_ULL(4)	/* write buffer flush needed */
#define VTD_CAP_CM		BIT_ULL(7)	/* caching mode */
#define VTD_CAP_SAGAW		GENMASK_ULL(12, 8)	/* table levels */
#define VTD_CAP_MGAW		GENMASK_ULL(21, 16)	/* max IOVA bits - 1 */
#define VTD_CAP_FRO		GENMASK_ULL(33, 24)	/* fault records / 16 */
#define VTD_CAP_SLLPS		GENMASK_ULL(37, 34)	/* bit 0: 2M, 1: 1G */
#define VTD_CAP_PSI		BIT_ULL(39)	/* page-selective invalidation */
#define VTD_CAP_NFR		GENMASK_ULL(47, 40)	/* fault records - 1 */
#define VTD_CAP_MAMV		GENMASK_ULL(53, 48)	/* max address mask */
#define VTD_CAP_DWD		BIT_ULL(54)	/* write draining */
#define VTD_CAP_DRD		BIT_ULL(55)	/* read draining */
#define VTD_CAP_FL1GP		BIT_ULL(56)	/* first level: 1G pages */
#define VTD_CAP_FL5LP		BIT_ULL(60)	/* first level: 5 levels */

/* SAGAW bit n: a (n + 2)-level table of 30 + 9n bits is supported. */
#define VTD_SAGAW_LEVELS(bit)	((bit) + 2)

/* VT-d spec 10.4.3: extended capability register fields. */
#define VTD_ECAP_C		BIT_ULL(0)	/* page walks snoop caches */
#define VTD_ECAP_QI		BIT_ULL(1)	/* queued invalidation */
#define VTD_ECAP_DT		BIT_ULL(2)	/* device TLBs */
#define VTD_ECAP_IR		BIT_ULL(3)	/* interrupt remapping */
#define VTD_ECAP_EIM		BIT_ULL(4)	/* extended interrupt mode */
#define VTD_ECAP_PT		BIT_ULL(6)	/* pass-through contexts */
#define VTD_ECAP_SC		BIT_ULL(7)	/* snoop control */
#define VTD_ECAP_IRO		GENMASK_ULL(17, 8)	/* IOTLB regs / 16 */
#define VTD_ECAP_PASID		BIT_ULL(40)	/* PASID support */
#define VTD_ECAP_SMTS		BIT_ULL(43)	/* scalable mode */
#define VTD_ECAP_SLTS		BIT_ULL(46)	/* scalable: second level */
#define VTD_ECAP_FLTS		BIT_ULL(47)	/* scalable: first level */

/*
 * VT-d spec 10.4.4 and 10.4.5: global command and status share one bit
 * layout. GCMD is write-only: a command is GSTS with the one-shot status
 * bits (RTPS, FLS, WBFS, IRTPS) masked off, plus or minus the command bit.
 */
#define VTD_GCMD_TE		BIT(31)	/* translation enable */
#define VTD_GCMD_SRTP		BIT(30)	/* set root table pointer */
#define VTD_GCMD_WBF		BIT(27)	/* write buffer flush */
#define VTD_GCMD_QIE		BIT(26)	/* queued invalidation enable */
#define VTD_GCMD_IRE		BIT(25)	/* interrupt remapping enable */
#define VTD_GSTS_ONESHOT_MASK	0x96ffffffU	/* 10.4.4 programming note */

/* VT-d spec 10.4.6: root table address; TTM 00 legacy, 01 scalable. */
#define VTD_RTADDR_TTM		GENMASK_ULL(11, 10)
#define VTD_TTM_LEGACY		0
#define VTD_TTM_SCALABLE	1

/* VT-d spec 10.4.7: context command register. */
#define VTD_CCMD_ICC		BIT_ULL(63)	/* invalidate; clear = done */
#define VTD_CCMD_CIRG		GENMASK_ULL(62, 61)	/* requested granularity */
#define VTD_CCMD_CAIG		GENMASK_ULL(60, 59)	/* actual granularity */
#define VTD_CCMD_FM		GENMASK_ULL(33, 32)	/* function mask */
#define VTD_CCMD_SID		GENMASK_ULL(31, 16)
#define VTD_CCMD_DID		GENMASK_ULL(15, 0)

/* Context-cache and IOTLB invalidation granularities (10.4.7, 10.4.8.1). */
#define VTD_INV_GLOBAL		1
#define VTD_INV_DOMAIN		2
#define VTD_INV_DEVICE		3	/* context cache only */
#define VTD_INV_PAGE		3	/* IOTLB only */

/* VT-d spec 10.4.8.1: IOTLB invalidate register, at ECAP.IRO * 16 + 8. */
#define VTD_IOTLB_IVT		BIT_ULL(63)	/* invalidate; clear = done */
#define VTD_IOTLB_IIRG		GENMASK_ULL(61, 60)	/* requested granularity */
#define VTD_IOTLB_IAIG		GENMASK_ULL(58, 57)	/* actual granularity */
#define VTD_IOTLB_DR		BIT_ULL(49)	/* drain reads */
#define VTD_IOTLB_DW		BIT_ULL(48)	/* drain writes */
#define VTD_IOTLB_DID		GENMASK_ULL(47, 32)

/* VT-d spec 10.4.8.2: invalidate address register, at ECAP.IRO * 16. */
#define VTD_IVA_IH		BIT_ULL(6)	/* only leaves changed */
#define VTD_IVA_AM		GENMASK_ULL(5, 0)	/* 2^AM pages */

/* VT-d spec 10.4.9: fault status register. */
#define VTD_FSTS_PFO		BIT(0)	/* primary fault overflow, W1C */
#define VTD_FSTS_PPF		BIT(1)	/* primary fault pending (RO) */
#define VTD_FSTS_IQE		BIT(4)	/* invalidation queue error, W1C */
#define VTD_FSTS_ICE		BIT(5)	/* invalidation completion error */
#define VTD_FSTS_ITE		BIT(6)	/* invalidation time-out error */
#define VTD_FSTS_FRI		GENMASK(15, 8)	/* first pending record */

/* VT-d spec 10.4.10: fault event control register. */
#define VTD_FECTL_IM		BIT(31)	/* interrupt mask */
#define VTD_FECTL_IP		BIT(30)	/* interrupt pending */

/*
 * VT-d spec 10.4.14 and 7.3: a fault recording register is 128 bits at
 * CAP.FRO * 16 + 16 * index. Low qword: faulting page address (FI, 63:12).
 * High qword: source-id 15:0, reason (FR) 39:32, type T1 bit 62 (1 =
 * read, 0 = write), fault F bit 63 (write 1 to clear).
 */
#define VTD_FRCD_FI		GENMASK_ULL(63, 12)
#define VTD_FRCD_SID		GENMASK_ULL(15, 0)
#define VTD_FRCD_FR		GENMASK_ULL(39, 32)
#define VTD_FRCD_T		BIT_ULL(62)
#define VTD_FRCD_F		BIT_ULL(63)
#define VTD_FRCD_F_HI32		BIT(31)	/* F in the record's top dword */

/*
 * VT-d spec appendix A: non-recoverable fault reasons. 1-0xd are the
 * legacy-mode ones (QEMU's scalable mode reports them too); scalable mode
 * adds 0x30-0x3b (scalable root and context entries), 0x50-0x5b (PASID
 * directory and table entries).
 */
#define VTD_FR_ROOT_NP		0x1	/* root entry not present */
#define VTD_FR_CTX_NP		0x2	/* context entry not present */
#define VTD_FR_CTX_INVALID	0x3	/* context entry programming */
#define VTD_FR_BEYOND_AGAW	0x4	/* input address above AGAW/MGAW */
#define VTD_FR_WRITE		0x5	/* write to W = 0 (or not present) */
#define VTD_FR_READ		0x6	/* read of R = 0 (or not present) */
#define VTD_FR_PTE_ACCESS	0x7	/* paging entry fetch failed */
#define VTD_FR_ROOT_ACCESS	0x8	/* root table fetch failed */
#define VTD_FR_CTX_ACCESS	0x9	/* context table fetch failed */
#define VTD_FR_ROOT_RSVD	0xa	/* reserved bits in root entry */
#define VTD_FR_CTX_RSVD		0xb	/* reserved bits in context entry */
#define VTD_FR_PTE_RSVD		0xc	/* reserved bits in paging entry */
#define VTD_FR_CTX_TT		0xd	/* blocked by context TT */
#define VTD_FR_SM_FIRST		0x30	/* first scalable root/context */
#define VTD_FR_SM_PASID_LAST	0x5b	/* last PASID directory/table */
/*
 * Appendix A, scalable mode, first-level (first-stage) translation: the
 * codes QEMU's model reports (hw/i386/intel_iommu_internal.h, QEMU 10).
 */
#define VTD_FR_FL_ACCESS	0x70	/* paging entry fetch failed */
#define VTD_FR_FL_NP		0x71	/* paging entry P = 0 */
#define VTD_FR_FL_RSVD		0x72	/* reserved bits in paging entry */
#define VTD_FR_FL_PTR		0x73	/* PASID entry's FLPTPTR invalid */
#define VTD_FR_FL_CANONICAL	0x80	/* input address not canonical */
#define VTD_FR_FL_USER		0x81	/* user request, US = 0 */
#define VTD_FR_SM_WRITE		0x85	/* write, RW (or W) = 0 */

/* VT-d spec 9.1: a legacy root entry; 256 per 4 KiB table, one per bus. */
#define VTD_ROOT_P		BIT_ULL(0)	/* present */
#define VTD_ROOT_CTP		GENMASK_ULL(63, 12)	/* context table */

/*
 * VT-d spec 9.3: a legacy context entry; 256 per 4 KiB table, one per
 * devfn. Low qword: P bit 0, FPD bit 1, TT 3:2 (0 translate through the
 * second-level table, 2 pass-through), SLPTPTR 63:12. High qword: AW 2:0
 * (levels - 2), DID 23:8.
 */
#define VTD_CTX_P		BIT_ULL(0)
#define VTD_CTX_FPD		BIT_ULL(1)
#define VTD_CTX_TT		GENMASK_ULL(3, 2)
#define VTD_CTX_TT_XLATE	0
#define VTD_CTX_TT_PT		2
#define VTD_CTX_SLPTPTR		GENMASK_ULL(63, 12)
#define VTD_CTX_AW		GENMASK_ULL(2, 0)
#define VTD_CTX_DID		GENMASK_ULL(23, 8)

/*
 * VT-d spec 9.2: a scalable-mode root entry. Low qword: the lower context
 * table (devfn 0-127) | LP; high qword: the upper one (128-255) | UP.
 */
#define VTD_SM_CTX_PER_TABLE	128

/*
 * VT-d spec 9.4: a scalable-mode context entry, 256 bits; 128 per 4 KiB
 * table. Qword 0: P bit 0, FPD bit 1, DTE bit 2, PASIDE bit 3, PDTS 11:9
 * (the PASID directory has 2^(PDTS + 7) entries), PASIDDIRPTR 63:12.
 * Qword 1: RID_PASID 19:0, the PASID of requests without one. Qwords 2
 * and 3 are reserved.
 */
#define VTD_SM_CTX_PDTS		GENMASK_ULL(11, 9)
#define VTD_SM_CTX_DIRPTR	GENMASK_ULL(63, 12)
#define VTD_SM_CTX_RID_PASID	GENMASK_ULL(19, 0)

/*
 * VT-d spec 9.5: a PASID directory entry, 64 bits: P bit 0, FPD bit 1,
 * SMPTBLPTR (the PASID table) 63:12. PASID 19:6 picks the directory
 * entry, PASID 5:0 the entry of its table.
 */
#define VTD_PASID_DIR_P		BIT_ULL(0)
#define VTD_PASID_DIR_TABLE	GENMASK_ULL(63, 12)
#define VTD_PASID_TABLE_ENTRIES	64

/*
 * VT-d spec 9.6: a PASID table entry, 512 bits (8 qwords). Qword 0: P
 * bit 0, FPD bit 1, AW 4:2 (levels - 2; see intel_pasid_set()), SLEE
 * bit 5, PGTT 8:6, SLADE bit 9, SLPTPTR 63:12. Qword 1: DID 15:0. Qword
 * 2: SRE bit 0 (supervisor requests), FLPM 3:2 (first-level levels - 4),
 * WPE bit 4 (supervisor writes honour RW), FLPTPTR 63:12.
 */
#define VTD_PE_P		BIT_ULL(0)
#define VTD_PE_AW		GENMASK_ULL(4, 2)
#define VTD_PE_PGTT		GENMASK_ULL(8, 6)
#define VTD_PE_SLPTPTR		GENMASK_ULL(63, 12)
#define VTD_PE_DID		GENMASK_ULL(15, 0)
#define VTD_PE_SRE		BIT_ULL(0)
#define VTD_PE_FLPM		GENMASK_ULL(3, 2)
#define VTD_PE_WPE		BIT_ULL(4)
#define VTD_PE_FLPTPTR		GENMASK_ULL(63, 12)
#define VTD_PE_QWORDS		8
#define VTD_PGTT_FL		1	/* first-level translation only */
#define VTD_PGTT_SL		2	/* second-level translation only */
#define VTD_PGTT_PT		4	/* pass-through */

/* The PASID of requests without a PASID: the context's RID_PASID. */
#define INTEL_RID_PASID		0

/*
 * VT-d spec 6.5.2: invalidation descriptors, 128 bits (IQA.DW = 0) or, in
 * scalable mode, 256 bits (DW = 1) with the upper half zero for the
 * types below. Type in bits 3:0 of the low qword.
 *  6.5.2.1 context-cache: G 5:4, DID 31:16, SID 47:32, FM 49:48.
 *  6.5.2.3 IOTLB: G 5:4, DW 6, DR 7, DID 31:16; high qword: AM 5:0,
 *	IH 6, ADDR 63:12.
 *  6.5.2.8 wait: IF 4, SW 5, FN 6, status data 63:32; high qword: status
 *	address (dword aligned).
 */
#define VTD_DESC_TYPE_CC	0x1
#define VTD_DESC_TYPE_IOTLB	0x2
#define VTD_DESC_TYPE_WAIT	0x5
#define VTD_DESC_TYPE_PIOTLB	0x6
#define VTD_DESC_TYPE_PASIDC	0x7
#define VTD_DESC_G		GENMASK_ULL(5, 4)
#define VTD_DESC_DID		GENMASK_ULL(31, 16)
#define VTD_DESC_CC_SID		GENMASK_ULL(47, 32)
#define VTD_DESC_CC_FM		GENMASK_ULL(49, 48)
#define VTD_DESC_IOTLB_DW	BIT_ULL(6)
#define VTD_DESC_IOTLB_DR	BIT_ULL(7)
#define VTD_DESC_WAIT_SW	BIT_ULL(5)
#define VTD_DESC_WAIT_FN	BIT_ULL(6)
#define VTD_DESC_WAIT_DATA	GENMASK_ULL(63, 32)
/*
 * 6.5.2.2 PASID-cache: G 5:4 (0 domain-selective, 1 PASID-selective
 * within the domain, 3 global), DID 31:16, PASID 51:32.
 */
#define VTD_DESC_PASIDC_PASID	GENMASK_ULL(51, 32)
#define VTD_PASIDC_DOMAIN	0
#define VTD_PASIDC_PASID	1
#define VTD_PASIDC_GLOBAL	3
/*
 * 6.5.2.4 PASID-based IOTLB: G 5:4 (2 every mapping of the PASID, 3
 * page-selective within it), DID 31:16, PASID 51:32; high qword: AM 5:0,
 * IH 6, ADDR 63:12, as the IOTLB descriptor. Only first-level (and
 * nested, pass-through) entries are its to invalidate.
 */
#define VTD_DESC_PIOTLB_PASID	GENMASK_ULL(51, 32)
#define VTD_PIOTLB_PASID	2
#define VTD_PIOTLB_PAGE		3

/*
 * VT-d spec 10.4.24: IQA = queue base | DW (bit 11: 256-bit descriptors)
 * | QS (2^QS pages). 10.4.22-23: IQH and IQT hold the byte offset of a
 * descriptor (index << 4, or << 5 with DW).
 */
#define VTD_IQA_QS		GENMASK_ULL(2, 0)
#define VTD_IQA_DW		BIT_ULL(11)
#define VTD_IQT_SHIFT		4	/* 128-bit descriptors */

/* The x86 MSI window: interrupts, never translated (VT-d spec 3.15). */
#define VTD_MSI_START		0xfee00000ULL
#define VTD_MSI_LENGTH		0x100000ULL

/* Domain IDs: 0 stays unused, 1 tags pass-through and identity contexts. */
#define INTEL_DID_PT		1
#define INTEL_DID_FIRST		2

#define INTEL_MAX_PATH		8	/* bridges in one device scope path */

/**
 * struct intel_scope - one device scope entry of a DRHD or RMRR
 * @type: ACPI_DMAR_SCOPE_TYPE_ENDPOINT or ACPI_DMAR_SCOPE_TYPE_BRIDGE
 * @bus: start bus number
 * @path: (device, function) hops, the last one the device itself
 * @nr_path: valid hops
 */
struct intel_scope {
	u8 type;
	u8 bus;
	u8 path[INTEL_MAX_PATH][2];
	u8 nr_path;
};

/**
 * struct intel_drhd - a DMA-remapping hardware unit definition (VT-d spec 8.3)
 * @node: link in the parser's list
 * @segment: PCI segment
 * @include_all: INCLUDE_PCI_ALL: every device of the segment that no other
 *	DRHD lists
 * @address: register base
 * @scopes: devices (endpoints, or bridges and all below them) in scope
 * @nr_scopes: valid entries of @scopes
 */
struct intel_drhd {
	struct list_head node;
	u16 segment;
	bool include_all;
	u64 address;
	struct intel_scope *scopes;
	unsigned int nr_scopes;
};

/**
 * struct intel_rmrr - a reserved memory region (VT-d spec 8.4)
 * @node: link in the driver's RMRR list
 * @segment: PCI segment of the devices in scope
 * @base: first byte
 * @end: last byte
 * @scopes: devices that must keep it identity-mapped
 * @nr_scopes: valid entries of @scopes
 */
struct intel_rmrr {
	struct list_head node;
	u16 segment;
	u64 base;
	u64 end;
	struct intel_scope *scopes;
	unsigned int nr_scopes;
};

/**
 * struct intel_qi - the queued-invalidation ring of a unit
 * @ring: one page of descriptors
 * @status: the word the wait descriptor writes when the queue drained
 * @tail: next free descriptor
 * @qwords: qwords a descriptor takes: 2, or 4 in scalable mode
 * @entries: descriptors the ring holds
 */
struct intel_qi {
	u64 *ring;
	u32 *status;
	unsigned int tail;
	unsigned int qwords;
	unsigned int entries;
};

/**
 * struct intel_pasid - the PASID tables one scalable-mode context uses
 * @dir: PASID directory (PDTS = 0: 128 entries; only entry 0 present)
 * @table: the PASID table of directory entry 0; only entry RID_PASID used
 *
 * iox attaches devices without PASIDs: a context's requests all use its
 * RID_PASID. So one pair of tables per domain serves every device
 * attached to it, and changing a device's domain stays a context-entry
 * change, as in legacy mode.
 */
struct intel_pasid {
	u64 *dir;
	u64 *table;
};

/**
 * struct intel_unit - one DMA-remapping hardware unit (a DRHD)
 * @iox: the core's view
 * @node: link in the driver's unit list
 * @index: unit number, for names and the fault interrupt's hwirq
 * @name: "iox-dmarN"
 * @drhd: its definition in the DMAR table
 * @reg_phys: register base
 * @reg_size: bytes mapped at @regs
 * @regs: the registers
 * @ver: VER_REG
 * @cap: CAP_REG
 * @ecap: ECAP_REG
 * @haw: host address width (physical address bits) from the DMAR table
 * @levels: second-level table levels (identity table, pass-through AW)
 * @mgaw: maximum guest (IOVA) address width
 * @pgsizes: page sizes of the unit's second-level tables
 * @sm: scalable mode: scalable root and context entries, PASID tables
 * @fl: scalable mode: paging domains use first-level tables (PGTT = 1)
 * @fl_levels: first-level table levels (4, or 5 with CAP.FL5LP)
 * @fl_pgsizes: first-level page sizes (4K, 2M, 1G with CAP.FL1GP)
 * @pt_ctx: pass-through contexts exist (ECAP.PT); else devices iox does
 *	not manage translate through @ident
 * @ident: second-level table mapping RAM 1:1, when not @pt_ctx
 * @ident_bytes: bytes @ident maps
 * @pt_pasid: scalable mode: the PASID tables of pass-through and identity
 *	contexts
 * @iotlb_reg: offset of the IOTLB invalidate register
 * @nr_dids: domain IDs the unit has
 * @dids: domain ID allocator
 * @lock: protects the root/context tables and @devs' domain pointers;
 *	held while faults are reported
 * @inv_lock: serialises invalidation (registers or @qi)
 * @root: root table (VT-d spec 9.1)
 * @ctx: context tables by bus, NULL where the root entry is not present;
 *	in scalable mode two pages, the lower and the upper table
 * @debugfs: the unit's debugfs directory
 * @devs: struct intel_dev by source-id, for faults
 * @qi: the invalidation queue, when @use_qi
 * @use_qi: invalidate through @qi rather than registers
 * @enabled: translation is on
 * @faults_on: fault handling is set up
 * @irq: the fault event interrupt, 0 when faults are polled
 * @fault_poll: polls the fault records without an interrupt
 * @nr_faults: fault records read since load
 * @pfo_seen: overflows seen since load
 */
struct intel_unit {
	struct iox_unit iox;
	struct list_head node;
	unsigned int index;
	char name[16];
	struct intel_drhd *drhd;
	phys_addr_t reg_phys;
	size_t reg_size;
	void __iomem *regs;
	u32 ver;
	u64 cap;
	u64 ecap;
	unsigned int haw;
	unsigned int levels;
	unsigned int mgaw;
	unsigned long pgsizes;
	bool sm;
	bool fl;
	unsigned int fl_levels;
	unsigned long fl_pgsizes;
	bool pt_ctx;
	struct iox_pt ident;
	u64 ident_bytes;
	struct intel_pasid pt_pasid;
	unsigned int iotlb_reg;
	unsigned int nr_dids;
	struct ida dids;
	spinlock_t lock;	/* tables, devices' domains */
	spinlock_t inv_lock;	/* invalidation interface */
	u64 *root;
	u64 *ctx[256];
	struct dentry *debugfs;
	struct xarray devs;
	struct intel_qi qi;
	bool use_qi;
	bool enabled;
	bool faults_on;
	int irq;
	struct delayed_work fault_poll;
	atomic_t nr_faults;
	atomic_t pfo_seen;
};

/**
 * struct intel_domain - a domain of one unit
 * @domain: the core's view
 * @iu: the unit
 * @did: domain ID tagging its IOTLB entries (INTEL_DID_PT for identity)
 * @pt: the table of a paging domain: second-level, or first-level when
 *	@fl
 * @fl: a paging domain on a first-level table (its PASID entry PGTT = 1)
 * @pasid: scalable mode, paging domain: its PASID tables
 * @debugfs: a paging domain's debugfs directory
 */
struct intel_domain {
	struct iox_domain domain;
	struct intel_unit *iu;
	u16 did;
	struct iox_pt pt;
	bool fl;
	struct intel_pasid pasid;
	struct dentry *debugfs;
};

/**
 * struct intel_dev - a device behind a unit (struct iox_dev's priv)
 * @idev: the core's record
 * @iu: the unit
 * @dom: the domain its context entries point at
 * @sids: its source-ids (the device and its DMA aliases)
 * @nr_sids: valid entries of @sids
 * @visible_sid: the alias the unit sees its requests arrive with
 */
struct intel_dev {
	struct iox_dev *idev;
	struct intel_unit *iu;
	struct intel_domain *dom;
	u16 sids[IOX_DEV_MAX_IDS];
	unsigned int nr_sids;
	u16 visible_sid;
};

/*
 * Snoop control (ECAP.SC, VT-d spec 3.9, 9.8): a second-level leaf's SNP
 * bit makes the unit snoop its DMA whatever the request says; iox sets
 * it on IOX_CACHE mappings. First-level tables have no such bit (the
 * PASID entry's PGSNP would do it), so iox offers it on second level only.
 */
static inline bool intel_snoop_control(const struct intel_unit *iu)
{
	return (iu->ecap & VTD_ECAP_SC) && !iu->fl;
}

static inline struct intel_unit *to_intel_unit(struct iox_unit *unit)
{
	return container_of(unit, struct intel_unit, iox);
}

static inline struct intel_domain *to_intel_domain(struct iox_domain *domain)
{
	return container_of(domain, struct intel_domain, domain);
}

/* dmar.c */
int intel_dmar_parse(const struct acpi_table_header *table,
		     unsigned int *haw, struct list_head *drhds,
		     struct list_head *rmrrs);
void intel_dmar_free(struct list_head *drhds, struct list_head *rmrrs);
bool intel_scope_has(u16 segment, const struct intel_scope *scope,
		     struct pci_dev *pdev);
bool intel_drhd_has(const struct intel_drhd *drhd, struct pci_dev *pdev);
int intel_rmrr_regions(struct list_head *rmrrs, struct pci_dev *pdev,
		       struct list_head *head);

/* pasid.c */
int intel_pasid_alloc(struct intel_unit *iu, struct intel_pasid *pasid);
void intel_pasid_set(struct intel_unit *iu, struct intel_pasid *pasid,
		     unsigned int pgtt, u16 did, phys_addr_t table,
		     unsigned int levels);
void intel_pasid_free(struct intel_unit *iu, struct intel_pasid *pasid,
		      u16 did);

/* identity.c */
int intel_ident_init(struct intel_unit *iu, struct list_head *rmrrs);
void intel_ident_free(struct intel_unit *iu);

/* debugfs.c */
void intel_debugfs_unit_add(struct intel_unit *iu);
void intel_debugfs_unit_remove(struct intel_unit *iu);
void intel_debugfs_domain_add(struct intel_domain *dom);
void intel_debugfs_domain_remove(struct intel_domain *dom);
void intel_debugfs_exit(void);

/* inv.c */
int intel_qi_init(struct intel_unit *iu);
void intel_qi_free(struct intel_unit *iu);
int intel_inv_context(struct intel_unit *iu, unsigned int granularity,
		      u16 did, u16 sid);
int intel_inv_iotlb(struct intel_unit *iu, unsigned int granularity,
		    u16 did, u64 addr, unsigned int am, bool ih);
int intel_inv_range(struct intel_unit *iu, u16 did, unsigned long start,
		    unsigned long end, bool leaves_only);
int intel_inv_pasid_cache(struct intel_unit *iu, unsigned int granularity,
			  u16 did, u32 pasid);
int intel_inv_piotlb(struct intel_unit *iu, unsigned int granularity,
		     u16 did, u32 pasid, u64 addr, unsigned int am, bool ih);
int intel_inv_dom_range(struct intel_domain *dom, unsigned long start,
			unsigned long end, bool leaves_only);
int intel_inv_dom_all(struct intel_unit *iu, u16 did, bool fl);
void intel_flush_write_buffer(struct intel_unit *iu);
int intel_gcmd(struct intel_unit *iu, u32 cmd, bool set);

/* context.c */
int intel_ctx_prepare(struct intel_unit *iu, u8 bus);
int intel_ctx_add_dev(struct intel_unit *iu, struct pci_dev *pdev);
void intel_ctx_set(struct intel_unit *iu, u16 sid, struct intel_domain *old,
		   struct intel_domain *dom);
int intel_ctx_init(struct intel_unit *iu);
void intel_clflush(struct intel_unit *iu, void *p, size_t n);
void intel_ctx_free(struct intel_unit *iu);

/* unit.c */
bool intel_unit_owns(struct intel_unit *iu, struct pci_dev *pdev);

/* domain.c */
struct iox_domain *intel_domain_alloc(struct iox_unit *unit,
				      unsigned int type);

/* fault.c */
void intel_fault_setup(struct intel_unit *iu);
void intel_fault_teardown(struct intel_unit *iu);
void intel_fault_process(struct intel_unit *iu);
int intel_fault_irq_domain_init(void);
void intel_fault_irq_domain_exit(void);

#endif /* _IOX_INTEL_PRIV_H */
