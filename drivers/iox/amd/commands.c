// SPDX-License-Identifier: GPL-2.0
/*
 * iox-amd: the commands iox issues, encoded (AMD spec 2.4). Plain
 * functions of their operands, so the userspace build tests them.
 */
#include <linux/bitfield.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>
#include "amd-hw.h"

static void amd_cmd_start(u32 *cmd, unsigned int opcode)
{
	memset(cmd, 0, AMD_CMD_BYTES);
	cmd[1] = FIELD_PREP(AMD_CMD_OPCODE, opcode);
}

/**
 * amd_cmd_completion_wait() - encode COMPLETION_WAIT with a store
 * @cmd: the command's four dwords
 * @store: physical address of the 8-byte aligned word to store to
 * @data: the value stored once every earlier command completed
 *
 * AMD spec 2.4.1: S = 1; the store address goes in bits 31:3 of dword 0
 * and 19:0 of dword 1, the data in dwords 2 and 3.
 *
 * Context: Any context.
 */
void amd_cmd_completion_wait(u32 *cmd, phys_addr_t store, u64 data)
{
	amd_cmd_start(cmd, AMD_CMD_COMPLETION_WAIT);
	cmd[0] = AMD_CMD_CW_STORE |
		 ((u32)lower_32_bits(store) & AMD_CMD_CW_ADDR_LO);
	cmd[1] |= FIELD_PREP(AMD_CMD_CW_ADDR_HI, upper_32_bits((u64)store));
	cmd[2] = lower_32_bits(data);
	cmd[3] = upper_32_bits(data);
}
EXPORT_SYMBOL_GPL(amd_cmd_completion_wait);

/**
 * amd_cmd_inv_devtab() - encode INVALIDATE_DEVTAB_ENTRY (AMD spec 2.4.2)
 * @cmd: the command's four dwords
 * @devid: the DeviceID whose cached entry goes
 *
 * Context: Any context.
 */
void amd_cmd_inv_devtab(u32 *cmd, u16 devid)
{
	amd_cmd_start(cmd, AMD_CMD_INV_DEVTAB);
	cmd[0] = FIELD_PREP(AMD_CMD_DEVID, devid);
}
EXPORT_SYMBOL_GPL(amd_cmd_inv_devtab);

/**
 * amd_cmd_inv_pages() - encode INVALIDATE_IOMMU_PAGES for an IOVA range
 * @cmd: the command's four dwords
 * @did: the domain ID whose translations go
 * @start: first IOVA of the range
 * @last: last IOVA of the range
 * @pde: page directory entries changed too (tables were freed)
 *
 * AMD spec 2.4.3: one command invalidates one naturally aligned power of
 * two of pages. S = 0 names the page at the address; with S = 1 the first
 * zero address bit from bit 12 up gives the size: n ones above bit 12
 * mean 2^(n + 1) pages. The range becomes the smallest such block that
 * covers it; the whole 64-bit space is AMD_INV_ALL_PAGES.
 *
 * Context: Any context.
 */
void amd_cmd_inv_pages(u32 *cmd, u16 did, u64 start, u64 last, bool pde)
{
	u64 first = start >> 12, end = last >> 12, addr;
	unsigned int order;

	/* The smallest aligned block of 2^order pages holding both ends. */
	order = first == end ? 0 : fls64(first ^ end);
	if (order >= 52) {
		addr = AMD_INV_ALL_PAGES;
	} else {
		addr = (first >> order << order) << 12;
		if (order)
			addr |= (BIT_ULL(order - 1) - 1) << 12;
	}
	amd_cmd_start(cmd, AMD_CMD_INV_PAGES);
	cmd[1] |= FIELD_PREP(AMD_CMD_DOMID, did);
	cmd[2] = lower_32_bits(addr) | (order ? AMD_CMD_PAGES_S : 0) |
		 (pde ? AMD_CMD_PAGES_PDE : 0);
	cmd[3] = upper_32_bits(addr);
}
EXPORT_SYMBOL_GPL(amd_cmd_inv_pages);

/**
 * amd_cmd_inv_all() - encode INVALIDATE_IOMMU_ALL (AMD spec 2.4.8)
 * @cmd: the command's four dwords
 *
 * Only for a unit with EFR.IASup.
 *
 * Context: Any context.
 */
void amd_cmd_inv_all(u32 *cmd)
{
	amd_cmd_start(cmd, AMD_CMD_INV_ALL);
}
EXPORT_SYMBOL_GPL(amd_cmd_inv_all);
