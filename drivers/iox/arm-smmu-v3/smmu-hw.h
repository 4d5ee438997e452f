/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iox-arm-smmu-v3: SMMUv3 hardware layouts.
 *
 * Registers, stream table entries, context descriptors, commands and
 * event records follow the Arm System Memory Management Unit Architecture
 * Specification, SMMU architecture version 3 (IHI 0070, "SMMUv3 spec"
 * below); each block names its section.
 */
#ifndef _IOX_SMMU_V3_HW_H
#define _IOX_SMMU_V3_HW_H

#include <linux/bits.h>
#include <linux/kernel.h>
#include <linux/types.h>

/* SMMUv3 spec 6.3: register offsets (page 0; page 1 at +0x10000). */
#define SMMU_IDR0		0x00
#define SMMU_IDR1		0x04
#define SMMU_IDR3		0x0c
#define SMMU_IDR5		0x14
#define SMMU_CR0		0x20
#define SMMU_CR0ACK		0x24
#define SMMU_CR1		0x28
#define SMMU_CR2		0x2c
#define SMMU_GBPA		0x44
#define SMMU_IRQ_CTRL		0x50
#define SMMU_IRQ_CTRLACK	0x54
#define SMMU_GERROR		0x60
#define SMMU_GERRORN		0x64
#define SMMU_STRTAB_BASE	0x80	/* 64-bit */
#define SMMU_STRTAB_BASE_CFG	0x88
#define SMMU_CMDQ_BASE		0x90	/* 64-bit */
#define SMMU_CMDQ_PROD		0x98
#define SMMU_CMDQ_CONS		0x9c
#define SMMU_EVENTQ_BASE	0xa0	/* 64-bit */
#define SMMU_EVENTQ_PROD	0x100a8	/* page 1 */
#define SMMU_EVENTQ_CONS	0x100ac	/* page 1 */
#define SMMU_REG_SIZE		0x20000

/* 6.3.1 IDR0. */
#define IDR0_S2P		BIT(0)
#define IDR0_S1P		BIT(1)
#define IDR0_TTF		GENMASK(3, 2)	/* 2: AArch64 */
#define IDR0_COHACC		BIT(4)
#define IDR0_ASID16		BIT(12)
#define IDR0_MSI		BIT(13)
#define IDR0_VMID16		BIT(18)
#define IDR0_ST_LEVEL		GENMASK(28, 27)	/* 1: 2-level stream table */

/* 6.3.2 IDR1: log2 sizes. */
#define IDR1_SIDSIZE		GENMASK(5, 0)
#define IDR1_EVENTQS		GENMASK(20, 16)
#define IDR1_CMDQS		GENMASK(25, 21)
#define IDR1_TABLES_PRESET	BIT(30)
#define IDR1_QUEUES_PRESET	BIT(29)

/* 6.3.4 IDR3. */
#define IDR3_RIL		BIT(10)	/* range TLB invalidation */

/* 6.3.6 IDR5. */
#define IDR5_OAS		GENMASK(2, 0)
#define IDR5_GRAN4K		BIT(4)
#define IDR5_GRAN16K		BIT(5)
#define IDR5_GRAN64K		BIT(6)

/* 6.3.9 CR0 (acknowledged in CR0ACK). */
#define CR0_SMMUEN		BIT(0)
#define CR0_EVTQEN		BIT(2)
#define CR0_CMDQEN		BIT(3)

/* 6.3.10 CR1: table and queue accesses cacheable WB, inner shareable. */
#define CR1_TABLE_SH		GENMASK(11, 10)
#define CR1_TABLE_OC		GENMASK(9, 8)
#define CR1_TABLE_IC		GENMASK(7, 6)
#define CR1_QUEUE_SH		GENMASK(5, 4)
#define CR1_QUEUE_OC		GENMASK(3, 2)
#define CR1_QUEUE_IC		GENMASK(1, 0)
#define CR1_CACHE_WB		1
#define CR1_SH_ISH		3

/* 6.3.14 GBPA: ABORT, written with UPDATE, which reads 0 once done. */
#define GBPA_UPDATE		BIT(31)
#define GBPA_ABORT		BIT(20)

/* 6.3.15 IRQ_CTRL. */
#define IRQ_CTRL_GERROR		BIT(0)
#define IRQ_CTRL_EVTQ		BIT(2)

/* 6.3.17 GERROR: active where GERROR and GERRORN differ. */
#define GERROR_CMDQ_ERR		BIT(0)
#define GERROR_EVTQ_ABT		BIT(2)
#define GERROR_MASK		GENMASK(8, 0)

/* 6.3.24 STRTAB_BASE, 6.3.25 STRTAB_BASE_CFG. */
#define STRTAB_BASE_ADDR	GENMASK_ULL(51, 6)
#define STRTAB_CFG_LOG2SIZE	GENMASK(5, 0)
#define STRTAB_CFG_SPLIT	GENMASK(10, 6)
#define STRTAB_CFG_FMT		GENMASK(17, 16)
#define STRTAB_FMT_LINEAR	0
#define STRTAB_FMT_2LVL		1
/* 5.1: a level-1 descriptor: Span 4:0, L2Ptr 51:6. */
#define STRTAB_L1_SPAN		GENMASK_ULL(4, 0)
#define STRTAB_L1_L2PTR		GENMASK_ULL(51, 6)
#define STRTAB_SPLIT		8	/* 256 STEs (16 KiB) per level-2 table */

/* 6.3.26-6.3.28 queues: base 51:5, LOG2SIZE 4:0; PROD/CONS index + wrap. */
#define Q_BASE_ADDR		GENMASK_ULL(51, 5)
#define Q_BASE_LOG2SIZE		GENMASK_ULL(4, 0)
#define CMDQ_CONS_ERR		GENMASK(30, 24)
#define CMDQ_ERR_ILL		1	/* 7.1: an illegal or unknown command */
#define CMDQ_ERR_ABT		2	/* 7.1: the command could not be read */

/*
 * 5.2: a stream table entry, 8 dwords. Dword 0: V 0, Config 3:1,
 * S1Fmt 5:4, S1ContextPtr 51:6, S1CDMax 63:59. Dword 1: S1DSS 1:0,
 * S1CIR 3:2, S1COR 5:4, S1CSH 7:6, SHCFG 45:44. Dword 2: S2VMID 15:0,
 * S2T0SZ 37:32, S2SL0 39:38, S2IR0 41:40, S2OR0 43:42, S2SH0 45:44,
 * S2TG 47:46, S2PS 50:48, S2AA64 51, S2AFFD 53, S2R 58.
 * Dword 3: S2TTB 51:4.
 */
#define STE_V			BIT_ULL(0)
#define STE_CONFIG		GENMASK_ULL(3, 1)
#define STE_CFG_ABORT		0
#define STE_CFG_BYPASS		4
#define STE_CFG_S1		5
#define STE_CFG_S2		6
#define STE_S1CTXPTR		GENMASK_ULL(51, 6)
#define STE_S1CIR		GENMASK_ULL(3, 2)
#define STE_S1COR		GENMASK_ULL(5, 4)
#define STE_S1CSH		GENMASK_ULL(7, 6)
#define STE_SHCFG		GENMASK_ULL(45, 44)
#define STE_SHCFG_INCOMING	1
#define STE_S2VMID		GENMASK_ULL(15, 0)
#define STE_S2T0SZ		GENMASK_ULL(37, 32)
#define STE_S2SL0		GENMASK_ULL(39, 38)
#define STE_S2IR0		GENMASK_ULL(41, 40)
#define STE_S2OR0		GENMASK_ULL(43, 42)
#define STE_S2SH0		GENMASK_ULL(45, 44)
#define STE_S2TG		GENMASK_ULL(47, 46)
#define STE_S2PS		GENMASK_ULL(50, 48)
#define STE_S2AA64		BIT_ULL(51)
#define STE_S2R			BIT_ULL(58)
#define STE_S2TTB		GENMASK_ULL(51, 4)
#define STE_DWORDS		8

/*
 * 5.4: a context descriptor, 8 dwords. Dword 0: T0SZ 5:0, TG0 7:6, IR0
 * 9:8, OR0 11:10, SH0 13:12, EPD0 14, EPD1 30, V 31, IPS 34:32, AFFD 35,
 * AA64 41, R 45, A 46, ASET 47, ASID 63:48. Dword 1: TTB0 51:4. Dword 3:
 * MAIR0.
 */
#define CD_T0SZ			GENMASK_ULL(5, 0)
#define CD_TG0			GENMASK_ULL(7, 6)
#define CD_IR0			GENMASK_ULL(9, 8)
#define CD_OR0			GENMASK_ULL(11, 10)
#define CD_SH0			GENMASK_ULL(13, 12)
#define CD_EPD1			BIT_ULL(30)
#define CD_V			BIT_ULL(31)
#define CD_IPS			GENMASK_ULL(34, 32)
#define CD_AA64			BIT_ULL(41)
#define CD_R			BIT_ULL(45)
#define CD_A			BIT_ULL(46)
#define CD_ASET			BIT_ULL(47)
#define CD_ASID			GENMASK_ULL(63, 48)
#define CD_TTB0			GENMASK_ULL(51, 4)
#define CD_DWORDS		8

/* TCR.TG0 (CD) and VTCR.TG0 (STE S2TG) granule encodings. */
#define TG_4K			0
#define TG_64K			1
#define TG_16K			2

/*
 * 4.1-4.7: commands, 2 dwords; opcode in dword 0 bits 7:0.
 *  CFGI_STE(_RANGE): SID 63:32; dword 1 Leaf 0 (Range 4:0).
 *  CFGI_CD: SSID 31:12, SID 63:32; dword 1 Leaf 0.
 *  TLBI_NH_ASID / NH_VA: NUM 16:12, SCALE 24:20, VMID 47:32, ASID 63:48;
 *	dword 1 Leaf 0, TTL 9:8, TG 11:10, Address 63:12.
 *  TLBI_S12_VMALL / S2_IPA: VMID 47:32; dword 1 as NH_VA, IPA 51:12.
 *  CMD_SYNC: CS 13:12 (0 none, 1 IRQ, 2 SEV).
 */
#define CMD_OPCODE		GENMASK_ULL(7, 0)
#define CMD_CFGI_STE		0x03
#define CMD_CFGI_STE_RANGE	0x04
#define CMD_CFGI_CD		0x05
#define CMD_TLBI_NH_ASID	0x11
#define CMD_TLBI_NH_VA		0x12
#define CMD_TLBI_S12_VMALL	0x28
#define CMD_TLBI_S2_IPA		0x2a
#define CMD_TLBI_NSNH_ALL	0x30
#define CMD_SYNC		0x46
#define CMD_SID			GENMASK_ULL(63, 32)
#define CMD_LEAF		BIT_ULL(0)
#define CMD_RANGE		GENMASK_ULL(4, 0)
#define CMD_RANGE_ALL		31
#define CMD_NUM			GENMASK_ULL(16, 12)
#define CMD_SCALE		GENMASK_ULL(24, 20)
#define CMD_VMID		GENMASK_ULL(47, 32)
#define CMD_ASID		GENMASK_ULL(63, 48)
#define CMD_TTL			GENMASK_ULL(9, 8)
#define CMD_TG			GENMASK_ULL(11, 10)
#define CMD_ADDR		GENMASK_ULL(63, 12)
#define CMD_SYNC_CS		GENMASK_ULL(13, 12)
#define CMD_DWORDS		2

/*
 * 7.3: event records, 4 dwords. Dword 0: type 7:0, SID 63:32. Dword 1:
 * RnW 35 (1: read), S2 39, CLASS 41:40. Dword 2: input address.
 */
#define EVT_TYPE		GENMASK_ULL(7, 0)
#define EVT_SID			GENMASK_ULL(63, 32)
#define EVT_RNW			BIT_ULL(35)
#define EVT_S2			BIT_ULL(39)
#define EVT_C_BAD_STREAMID	0x02
#define EVT_F_STE_FETCH		0x03
#define EVT_C_BAD_STE		0x04
#define EVT_F_CD_FETCH		0x09
#define EVT_C_BAD_CD		0x0a
#define EVT_F_WALK_EABT		0x0b
#define EVT_F_TRANSLATION	0x10
#define EVT_F_ADDR_SIZE		0x11
#define EVT_F_ACCESS		0x12
#define EVT_F_PERMISSION	0x13
#define EVT_DWORDS		4

/*
 * The PS/IPS encoding of an output address size (Arm ARM D13.2.131,
 * TCR_EL1.IPS; the STE's S2PS and the CD's IPS take it): the smallest
 * size of 32, 36, 40, 42, 44 and 48 bits that holds @bits.
 */
static inline unsigned int smmu_ps_encode(unsigned int bits)
{
	static const unsigned char ps[] = { 32, 36, 40, 42, 44, 48 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ps) - 1; i++)
		if (bits <= ps[i])
			return i;
	return ARRAY_SIZE(ps) - 1;
}

#endif /* _IOX_SMMU_V3_HW_H */
