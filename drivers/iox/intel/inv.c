// SPDX-License-Identifier: GPL-2.0
/*
 * iox-intel: global commands and cache invalidation - the context-cache
 * and IOTLB, through the registers (VT-d spec 10.4.7, 10.4.8) or through
 * the invalidation queue with a wait descriptor (6.5.2); in scalable mode
 * (queue only) the PASID-cache too, and first-level mappings with the
 * PASID-based IOTLB descriptor.
 */
#define pr_fmt(fmt) "iox-intel: " fmt

#include <linux/bitfield.h>
#include <linux/io.h>
#include <linux/delay.h>
#include <linux/iopoll.h>
#include <linux/slab.h>
#include "intel-priv.h"

/* Every command and invalidation completes well within this. */
#define INTEL_TIMEOUT_US	1000000

/**
 * intel_gcmd() - issue a global command and wait for its status
 * @iu: the unit
 * @cmd: one VTD_GCMD_* bit
 * @set: for a state (TE, QIE): turn it on or off; one-shot commands
 *	(SRTP, WBF) are always issued with @set true
 *
 * GCMD is write-only (VT-d spec 10.4.4): the value written is the current
 * GSTS with the one-shot status bits masked, with @cmd added or removed,
 * so no other state changes. SRTP completes when RTPS is set, WBF when
 * WBFS is clear again, a state when its status bit follows.
 *
 * Context: Any context; not concurrent with another command to @iu.
 * Return: 0, or -ETIMEDOUT.
 */
int intel_gcmd(struct intel_unit *iu, u32 cmd, bool set)
{
	u32 sts = readl(iu->regs + VTD_GSTS) & VTD_GSTS_ONESHOT_MASK;
	int ret;

	writel(set ? sts | cmd : sts & ~cmd, iu->regs + VTD_GCMD);
	if (cmd == VTD_GCMD_WBF)
		ret = readl_poll_timeout_atomic(iu->regs + VTD_GSTS, sts,
						!(sts & cmd), 1,
						INTEL_TIMEOUT_US);
	else
		ret = readl_poll_timeout_atomic(iu->regs + VTD_GSTS, sts,
						!!(sts & cmd) == set, 1,
						INTEL_TIMEOUT_US);
	if (ret)
		pr_err("%s: GCMD %#x %s timed out, GSTS %#x\n", iu->name, cmd,
		       set ? "set" : "clear", sts);
	return ret;
}

/**
 * intel_flush_write_buffer() - flush the unit's write buffer if it has one
 * @iu: the unit
 *
 * Units with CAP.RWBF may hold table updates in a write buffer until
 * flushed (VT-d spec 6.8).
 *
 * Context: Any context.
 */
void intel_flush_write_buffer(struct intel_unit *iu)
{
	unsigned long flags;

	if (!(iu->cap & VTD_CAP_RWBF))
		return;
	spin_lock_irqsave(&iu->inv_lock, flags);
	intel_gcmd(iu, VTD_GCMD_WBF, true);
	spin_unlock_irqrestore(&iu->inv_lock, flags);
}

/**
 * intel_qi_init() - allocate the invalidation queue and turn it on
 * @iu: a unit with ECAP.QI whose QI is off
 *
 * The tail is reset before the queue address is set and QIE turned on
 * (VT-d spec 6.5.2: the head is cleared by hardware on enable). A unit in
 * scalable mode takes 256-bit descriptors (IQA.DW), as the descriptors
 * scalable mode adds may need the upper half.
 *
 * Context: Process context.
 * Return: 0, -ENOMEM or -ETIMEDOUT.
 */
int intel_qi_init(struct intel_unit *iu)
{
	struct intel_qi *qi = &iu->qi;
	int ret;

	qi->ring = (u64 *)get_zeroed_page(GFP_KERNEL);
	qi->status = kzalloc(sizeof(*qi->status), GFP_KERNEL);
	if (!qi->ring || !qi->status) {
		ret = -ENOMEM;
		goto err;
	}
	qi->tail = 0;
	qi->qwords = iu->sm ? 4 : 2;
	qi->entries = PAGE_SIZE / (qi->qwords * 8);
	writeq(0, iu->regs + VTD_IQT);
	/* QS = 0: one page of descriptors. */
	writeq(virt_to_phys(qi->ring) | (iu->sm ? VTD_IQA_DW : 0),
	       iu->regs + VTD_IQA);
	ret = intel_gcmd(iu, VTD_GCMD_QIE, true);
	if (ret)
		goto err;
	iu->use_qi = true;
	return 0;
err:
	free_page((unsigned long)qi->ring);
	kfree(qi->status);
	qi->ring = NULL;
	qi->status = NULL;
	return ret;
}

/**
 * intel_qi_free() - turn the invalidation queue off and free it
 * @iu: the unit
 *
 * The queue is empty and its last descriptor was a wait, as QIE may only
 * be cleared then (VT-d spec 10.4.4).
 *
 * Context: Process context.
 */
void intel_qi_free(struct intel_unit *iu)
{
	struct intel_qi *qi = &iu->qi;

	if (!qi->ring)
		return;
	if (intel_gcmd(iu, VTD_GCMD_QIE, false))
		pr_err("%s: queued invalidation stays on; its queue is leaked\n",
		       iu->name);
	else
		free_page((unsigned long)qi->ring);
	iu->use_qi = false;
	kfree(qi->status);
	qi->ring = NULL;
	qi->status = NULL;
}

/*
 * Queue @n descriptors and a wait descriptor that writes the status word,
 * move the tail and spin until the word is written (VT-d spec 6.5.2.8).
 */
static int intel_qi_submit(struct intel_unit *iu, const u64 (*desc)[2],
			   unsigned int n)
{
	struct intel_qi *qi = &iu->qi;
	unsigned int i, slot, us, shift = VTD_IQT_SHIFT + (qi->qwords == 4);
	u64 head, *d;
	u32 fsts;

	lockdep_assert_held(&iu->inv_lock);
	WRITE_ONCE(*qi->status, 0);
	for (i = 0; i <= n; i++) {
		slot = (qi->tail + i) % qi->entries;
		d = &qi->ring[qi->qwords * slot];
		if (i < n) {
			d[0] = desc[i][0];
			d[1] = desc[i][1];
		} else {
			d[0] = VTD_DESC_TYPE_WAIT | VTD_DESC_WAIT_SW |
			       VTD_DESC_WAIT_FN |
			       FIELD_PREP(VTD_DESC_WAIT_DATA, 1);
			d[1] = virt_to_phys(qi->status);
		}
		/* The upper half of a 256-bit descriptor: zero for these. */
		if (qi->qwords == 4) {
			d[2] = 0;
			d[3] = 0;
		}
		intel_clflush(iu, d, qi->qwords * 8);
	}
	qi->tail = (qi->tail + n + 1) % qi->entries;
	/* The descriptors are in memory before the tail moves. */
	wmb();
	writeq((u64)qi->tail << shift, iu->regs + VTD_IQT);

	/* QEMU's model drains the queue within the IQT write. */
	for (us = 0; READ_ONCE(*qi->status) != 1; us++) {
		fsts = readl(iu->regs + VTD_FSTS) &
		       (VTD_FSTS_IQE | VTD_FSTS_ICE | VTD_FSTS_ITE);
		if (fsts) {
			head = readq(iu->regs + VTD_IQH);
			pr_err_ratelimited("%s: invalidation queue error, FSTS %#x, head %#llx\n",
					   iu->name, fsts, head);
			/*
			 * The unit stopped at the bad descriptor: drop the
			 * rest of this submission and clear the error.
			 */
			qi->tail = (head >> shift) % qi->entries;
			writeq((u64)qi->tail << shift, iu->regs + VTD_IQT);
			writel(fsts, iu->regs + VTD_FSTS);
			return -EIO;
		}
		if (us == INTEL_TIMEOUT_US) {
			pr_err_ratelimited("%s: invalidation wait timed out\n",
					   iu->name);
			return -ETIMEDOUT;
		}
		udelay(1);
	}
	return 0;
}

/**
 * intel_inv_context() - invalidate context-cache entries
 * @iu: the unit
 * @granularity: VTD_INV_GLOBAL, VTD_INV_DOMAIN or VTD_INV_DEVICE
 * @did: domain ID, for domain and device granularity
 * @sid: source-id, for device granularity
 *
 * Context: Any context.
 * Return: 0, -EIO or -ETIMEDOUT.
 */
int intel_inv_context(struct intel_unit *iu, unsigned int granularity,
		      u16 did, u16 sid)
{
	unsigned long flags;
	u64 desc[1][2], cmd;
	int ret;

	spin_lock_irqsave(&iu->inv_lock, flags);
	if (iu->use_qi) {
		/* VT-d spec 6.5.2.1; FM = 0: this function only. */
		desc[0][0] = VTD_DESC_TYPE_CC |
			FIELD_PREP(VTD_DESC_G, granularity) |
			FIELD_PREP(VTD_DESC_DID, did) |
			FIELD_PREP(VTD_DESC_CC_SID, sid);
		desc[0][1] = 0;
		ret = intel_qi_submit(iu, desc, 1);
	} else {
		/* VT-d spec 10.4.7. */
		writeq(VTD_CCMD_ICC | FIELD_PREP(VTD_CCMD_CIRG, granularity) |
		       FIELD_PREP(VTD_CCMD_SID, sid) |
		       FIELD_PREP(VTD_CCMD_DID, did), iu->regs + VTD_CCMD);
		ret = readq_poll_timeout_atomic(iu->regs + VTD_CCMD, cmd,
						!(cmd & VTD_CCMD_ICC), 1,
						INTEL_TIMEOUT_US);
		if (!ret && !FIELD_GET(VTD_CCMD_CAIG, cmd))
			ret = -EIO;
	}
	spin_unlock_irqrestore(&iu->inv_lock, flags);
	if (ret)
		pr_err_ratelimited("%s: context-cache invalidation (granularity %u, did %u, sid %#x) failed: %d\n",
				   iu->name, granularity, did, sid, ret);
	return ret;
}

/**
 * intel_inv_pasid_cache() - invalidate PASID-cache entries
 * @iu: a unit in scalable mode
 * @granularity: VTD_PASIDC_DOMAIN, VTD_PASIDC_PASID or VTD_PASIDC_GLOBAL
 * @did: domain ID, for domain and PASID granularity
 * @pasid: the PASID, for PASID granularity
 *
 * VT-d spec 6.5.2.2; scalable mode invalidates through the queue only.
 *
 * Context: Any context.
 * Return: 0, -EIO, -ETIMEDOUT, or -EOPNOTSUPP without the queue.
 */
int intel_inv_pasid_cache(struct intel_unit *iu, unsigned int granularity,
			  u16 did, u32 pasid)
{
	unsigned long flags;
	u64 desc[1][2];
	int ret = -EOPNOTSUPP;

	desc[0][0] = VTD_DESC_TYPE_PASIDC |
		     FIELD_PREP(VTD_DESC_G, granularity) |
		     FIELD_PREP(VTD_DESC_DID, did) |
		     FIELD_PREP(VTD_DESC_PASIDC_PASID, pasid);
	desc[0][1] = 0;
	spin_lock_irqsave(&iu->inv_lock, flags);
	if (iu->use_qi)
		ret = intel_qi_submit(iu, desc, 1);
	spin_unlock_irqrestore(&iu->inv_lock, flags);
	if (ret)
		pr_err_ratelimited("%s: PASID-cache invalidation (granularity %u, did %u, pasid %u) failed: %d\n",
				   iu->name, granularity, did, pasid, ret);
	return ret;
}

/**
 * intel_inv_iotlb() - invalidate IOTLB entries
 * @iu: the unit
 * @granularity: VTD_INV_GLOBAL, VTD_INV_DOMAIN or VTD_INV_PAGE
 * @did: domain ID, for domain and page granularity
 * @addr: first IOVA of the naturally aligned block, for page granularity
 * @am: the block holds 2^@am pages, for page granularity
 * @ih: for page granularity: only leaf entries changed, cached
 *	paging-structure entries may stay
 *
 * Reads and writes are drained where the unit can (CAP.DRD, CAP.DWD).
 *
 * Context: Any context.
 * Return: 0, -EIO or -ETIMEDOUT.
 */
int intel_inv_iotlb(struct intel_unit *iu, unsigned int granularity,
		    u16 did, u64 addr, unsigned int am, bool ih)
{
	u64 hi = 0, cmd, desc[1][2];
	unsigned long flags;
	int ret;

	if (granularity == VTD_INV_PAGE)
		hi = addr | FIELD_PREP(VTD_IVA_AM, am) | (ih ? VTD_IVA_IH : 0);
	spin_lock_irqsave(&iu->inv_lock, flags);
	if (iu->use_qi) {
		/* VT-d spec 6.5.2.3. */
		desc[0][0] = VTD_DESC_TYPE_IOTLB |
			FIELD_PREP(VTD_DESC_G, granularity) |
			FIELD_PREP(VTD_DESC_DID, did);
		if (iu->cap & VTD_CAP_DRD)
			desc[0][0] |= VTD_DESC_IOTLB_DR;
		if (iu->cap & VTD_CAP_DWD)
			desc[0][0] |= VTD_DESC_IOTLB_DW;
		desc[0][1] = hi;
		ret = intel_qi_submit(iu, desc, 1);
	} else {
		/* VT-d spec 10.4.8: the address first, then the command. */
		cmd = VTD_IOTLB_IVT | FIELD_PREP(VTD_IOTLB_IIRG, granularity) |
		      FIELD_PREP(VTD_IOTLB_DID, did);
		if (iu->cap & VTD_CAP_DRD)
			cmd |= VTD_IOTLB_DR;
		if (iu->cap & VTD_CAP_DWD)
			cmd |= VTD_IOTLB_DW;
		if (granularity == VTD_INV_PAGE)
			writeq(hi, iu->regs + iu->iotlb_reg - 8);
		writeq(cmd, iu->regs + iu->iotlb_reg);
		ret = readq_poll_timeout_atomic(iu->regs + iu->iotlb_reg, cmd,
						!(cmd & VTD_IOTLB_IVT), 1,
						INTEL_TIMEOUT_US);
		if (!ret && !FIELD_GET(VTD_IOTLB_IAIG, cmd))
			ret = -EIO;
	}
	spin_unlock_irqrestore(&iu->inv_lock, flags);
	if (ret)
		pr_err_ratelimited("%s: IOTLB invalidation (granularity %u, did %u, addr %#llx, am %u) failed: %d\n",
				   iu->name, granularity, did, addr, am, ret);
	return ret;
}

/**
 * intel_inv_piotlb() - invalidate PASID-based IOTLB entries
 * @iu: a unit in scalable mode
 * @granularity: VTD_PIOTLB_PASID (every mapping of @pasid in @did) or
 *	VTD_PIOTLB_PAGE
 * @did: domain ID
 * @pasid: the PASID whose mappings go
 * @addr: first IOVA of the naturally aligned block, for page granularity
 * @am: the block holds 2^@am pages, for page granularity
 * @ih: for page granularity: only leaf entries changed
 *
 * VT-d spec 6.5.2.4: the descriptor for first-level mappings (PGTT = 1),
 * which the IOTLB descriptor's page-selective form does not invalidate by
 * address. Through the queue only.
 *
 * Context: Any context.
 * Return: 0, -EIO, -ETIMEDOUT, or -EOPNOTSUPP without the queue.
 */
int intel_inv_piotlb(struct intel_unit *iu, unsigned int granularity,
		     u16 did, u32 pasid, u64 addr, unsigned int am, bool ih)
{
	unsigned long flags;
	u64 desc[1][2];
	int ret = -EOPNOTSUPP;

	desc[0][0] = VTD_DESC_TYPE_PIOTLB |
		     FIELD_PREP(VTD_DESC_G, granularity) |
		     FIELD_PREP(VTD_DESC_DID, did) |
		     FIELD_PREP(VTD_DESC_PIOTLB_PASID, pasid);
	desc[0][1] = 0;
	if (granularity == VTD_PIOTLB_PAGE)
		desc[0][1] = addr | FIELD_PREP(VTD_IVA_AM, am) |
			     (ih ? VTD_IVA_IH : 0);
	spin_lock_irqsave(&iu->inv_lock, flags);
	if (iu->use_qi)
		ret = intel_qi_submit(iu, desc, 1);
	spin_unlock_irqrestore(&iu->inv_lock, flags);
	if (ret)
		pr_err_ratelimited("%s: PASID-based IOTLB invalidation (granularity %u, did %u, pasid %u, addr %#llx, am %u) failed: %d\n",
				   iu->name, granularity, did, pasid, addr, am,
				   ret);
	return ret;
}

/**
 * intel_inv_dom_all() - invalidate every IOTLB entry of a domain
 * @iu: the unit
 * @did: the domain ID
 * @fl: the domain translates through a first-level table
 *
 * First-level mappings with the PASID-based descriptor for the RID_PASID
 * (6.5.2.4, all mappings of the PASID), the others with the IOTLB
 * descriptor, domain-selective (6.5.2.3).
 *
 * Context: Any context.
 * Return: 0, -EIO or -ETIMEDOUT.
 */
int intel_inv_dom_all(struct intel_unit *iu, u16 did, bool fl)
{
	if (fl)
		return intel_inv_piotlb(iu, VTD_PIOTLB_PASID, did,
					INTEL_RID_PASID, 0, 0, false);
	return intel_inv_iotlb(iu, VTD_INV_DOMAIN, did, 0, 0, false);
}

/* The smallest naturally aligned block of 2^AM pages holding a range. */
static unsigned int intel_inv_am(unsigned long start, unsigned long end,
				 u64 *addr)
{
	unsigned long first = start >> PAGE_SHIFT, last = end >> PAGE_SHIFT;
	unsigned int am = first == last ? 0 : __fls(first ^ last) + 1;

	*addr = (u64)(first & ~((1UL << am) - 1)) << PAGE_SHIFT;
	return am;
}

/**
 * intel_inv_range() - invalidate a domain's IOTLB entries for a range
 * @iu: the unit
 * @did: the domain ID
 * @start: first IOVA
 * @end: last IOVA (inclusive)
 * @leaves_only: no paging-structure entry was removed (the hint)
 *
 * One page-selective invalidation of the smallest naturally aligned block
 * of 2^AM pages that holds the range; domain-selective when the unit has
 * no page-selective invalidation or the block is beyond CAP.MAMV.
 *
 * Context: Any context.
 * Return: 0, -EIO or -ETIMEDOUT.
 */
int intel_inv_range(struct intel_unit *iu, u16 did, unsigned long start,
		    unsigned long end, bool leaves_only)
{
	u64 addr;
	unsigned int am = intel_inv_am(start, end, &addr);

	if (!(iu->cap & VTD_CAP_PSI) || am > FIELD_GET(VTD_CAP_MAMV, iu->cap))
		return intel_inv_iotlb(iu, VTD_INV_DOMAIN, did, 0, 0, false);
	return intel_inv_iotlb(iu, VTD_INV_PAGE, did, addr, am, leaves_only);
}

/**
 * intel_inv_dom_range() - invalidate a paging domain's range
 * @dom: the domain
 * @start: first IOVA
 * @end: last IOVA (inclusive)
 * @leaves_only: no paging-structure entry was removed (the hint)
 *
 * A second-level domain as intel_inv_range(). A first-level domain with
 * the PASID-based descriptor (6.5.2.4) for its RID_PASID: page-selective
 * within the PASID for the smallest aligned block of 2^AM pages holding
 * the range (AM up to CAP.MAMV), else every mapping of the PASID.
 *
 * Context: Any context.
 * Return: 0, -EIO or -ETIMEDOUT.
 */
int intel_inv_dom_range(struct intel_domain *dom, unsigned long start,
			unsigned long end, bool leaves_only)
{
	struct intel_unit *iu = dom->iu;
	unsigned int am;
	u64 addr;

	if (!dom->fl)
		return intel_inv_range(iu, dom->did, start, end, leaves_only);
	am = intel_inv_am(start, end, &addr);
	if (am > FIELD_GET(VTD_CAP_MAMV, iu->cap))
		return intel_inv_dom_all(iu, dom->did, true);
	return intel_inv_piotlb(iu, VTD_PIOTLB_PAGE, dom->did,
				INTEL_RID_PASID, addr, am, leaves_only);
}
