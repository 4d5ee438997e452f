// SPDX-License-Identifier: GPL-2.0
/*
 * The SMMUv2 model's TLB and its maintenance (IHI 0062D, "TLB
 * maintenance operations" and SMMU_CBn_TLBSYNC / SMMU_sTLBGSYNC).
 *
 * Stage 1 entries are tagged with the bank's VMID and, unless global
 * (nG = 0), its ASID; stage 2 entries with the VMID. An invalidation is
 * held pending until a sync from the same place (the bank that issued it,
 * or global space 0) is issued and the driver then reads the status
 * register as no longer active: only then is it done, as a driver may
 * only assume then. Until that, the TLB answers from entries the
 * invalidation covers, and counts each use as a driver bug.
 */
#include <linux/bitfield.h>
#include <linux/printk.h>
#include <linux/string.h>
#include "arm-smmu-model-priv.h"

/**
 * smmu2_ctx_of() - the translation context of a bank, from its registers
 * @m: the model, locked
 * @cbndx: the bank
 * @c: gets the context
 *
 * Context: Under the model's lock.
 */
void smmu2_ctx_of(struct arm_smmu_model *m, unsigned int cbndx,
		  struct smmu2_ctx *c)
{
	struct smmu2_cb *cb = &m->cb[cbndx];
	u64 ttbr = cb->ttbr[!!(cb->tcr & SMMU2_TCR_A1)];

	c->cb = cb;
	c->stage2 = FIELD_GET(CBAR_TYPE, cb->cbar) == CBAR_TYPE_S2;
	c->v7s = !c->stage2 && !(cb->cba2r & CBA2R_VA64) &&
		 !(cb->tcr & SMMU2_TCR_EAE);
	c->vmid = FIELD_GET(CBAR_VMID, cb->cbar);
	if (c->stage2)
		c->asid = 0;
	else if (c->v7s)
		c->asid = cb->contextidr & 0xff;
	else	/* 8-bit ASIDs unless TCR2.AS */
		c->asid = FIELD_GET(TTBR_ASID, ttbr) &
			  (cb->tcr2 & TCR2_AS ? 0xffff : 0xff);
}

static bool smmu2_tlbe_has(const struct smmu2_tlbe *e, u64 ia)
{
	return (ia >> e->shift) == (e->ia >> e->shift);
}

/**
 * smmu2_tlb_lookup() - the TLB entry translating @ia in context @c
 * @m: the model, locked
 * @c: the context
 * @ia: the input address
 *
 * Context: Under the model's lock.
 * Return: the entry, or NULL on a miss.
 */
struct smmu2_tlbe *smmu2_tlb_lookup(struct arm_smmu_model *m,
				    const struct smmu2_ctx *c, u64 ia)
{
	unsigned int i;

	for (i = 0; i < m->cfg.tlb_entries; i++) {
		struct smmu2_tlbe *e = &m->tlb[i];

		if (e->valid && e->stage2 == c->stage2 && e->vmid == c->vmid &&
		    (e->stage2 || e->global || e->asid == c->asid) &&
		    smmu2_tlbe_has(e, ia))
			return e;
	}
	return NULL;
}

/**
 * smmu2_tlb_insert() - cache a successful walk
 * @m: the model, locked
 * @c: the context walked
 * @ia: the input address
 * @w: the walk's result
 *
 * Replaces the oldest entry when the TLB is full.
 *
 * Context: Under the model's lock.
 */
void smmu2_tlb_insert(struct arm_smmu_model *m, const struct smmu2_ctx *c,
		      u64 ia, const struct smmu2_walk *w)
{
	struct smmu2_tlbe *e = NULL;
	unsigned int i;

	for (i = 0; i < m->cfg.tlb_entries && !e; i++)
		if (!m->tlb[i].valid)
			e = &m->tlb[i];
	if (!e) {
		e = &m->tlb[m->tlb_next];
		m->tlb_next = (m->tlb_next + 1) % m->cfg.tlb_entries;
		m->stats.tlb_evictions++;
	}
	*e = (struct smmu2_tlbe) {
		.valid = true, .stage2 = c->stage2, .global = w->global,
		.vmid = c->vmid, .asid = c->asid, .shift = w->shift,
		.level = w->level, .perm = w->perm,
		.ia = ia & ~((1ULL << w->shift) - 1), .oa = w->oa,
	};
}

/* Whether invalidation @v removes entry @e. */
static bool smmu2_inv_hits(const struct smmu2_inv *v,
			   const struct smmu2_tlbe *e)
{
	bool s1 = !e->stage2;

	switch (v->kind) {
	case SMMU2_INV_VA:
		return s1 && e->vmid == v->vmid && smmu2_tlbe_has(e, v->addr) &&
		       (e->global || e->asid == v->asid);
	case SMMU2_INV_VAA:
		return s1 && e->vmid == v->vmid && smmu2_tlbe_has(e, v->addr);
	case SMMU2_INV_ASID:
		return s1 && e->vmid == v->vmid && !e->global &&
		       e->asid == v->asid;
	case SMMU2_INV_S1ALL:
		return s1 && e->vmid == v->vmid;
	case SMMU2_INV_IPA:
		return !s1 && e->vmid == v->vmid && smmu2_tlbe_has(e, v->addr);
	case SMMU2_INV_VMID:
		return e->vmid == v->vmid;
	case SMMU2_INV_ALL:
		return true;
	default:
		return false;
	}
}

/**
 * smmu2_tlb_pending() - whether an incomplete invalidation covers @e
 * @m: the model, locked
 * @e: a valid entry
 *
 * Context: Under the model's lock.
 * Return: true if using @e now is using a stale translation.
 */
bool smmu2_tlb_pending(struct arm_smmu_model *m, const struct smmu2_tlbe *e)
{
	unsigned int i;

	for (i = 0; i < m->nr_inv; i++)
		if (smmu2_inv_hits(&m->inv[i], e))
			return true;
	return false;
}

/**
 * smmu2_tlb_issue() - hold an invalidation until its sync completes
 * @m: the model, locked
 * @origin: the issuing bank, or SMMU2_GLOBAL
 * @kind: what it invalidates
 * @vmid: its VMID
 * @asid: its ASID
 * @addr: its address
 *
 * With the queue full, the newest held command of @origin not yet covered
 * by a sync becomes an invalidate-all, which the architecture allows
 * (over-invalidation).
 *
 * Context: Under the model's lock.
 */
void smmu2_tlb_issue(struct arm_smmu_model *m, int origin,
		     enum smmu2_inv_kind kind, u16 vmid, u16 asid, u64 addr)
{
	struct smmu2_inv *v;

	if (m->nr_inv == SMMU2_MAX_PENDING) {
		int i;

		for (i = m->nr_inv - 1; i >= 0; i--) {
			v = &m->inv[i];
			if (v->origin == origin && !v->covered) {
				v->kind = SMMU2_INV_ALL;
				return;
			}
		}
		/* A model limit, not a driver bug: over-invalidate instead. */
		pr_warn("arm-smmu-model: %u invalidations held, none widened\n",
			m->nr_inv);
		v = &m->inv[m->nr_inv - 1];
		v->kind = SMMU2_INV_ALL;
		v->origin = origin;
		v->covered = false;
		return;
	}
	m->inv[m->nr_inv++] = (struct smmu2_inv) {
		.kind = kind, .origin = origin, .vmid = vmid, .asid = asid,
		.addr = addr,
	};
}

/**
 * smmu2_tlb_sync() - a sync issued from @origin
 * @m: the model, locked
 * @origin: the bank whose TLBSYNC was written, or SMMU2_GLOBAL
 *
 * Covers every invalidation issued there so far; they complete when the
 * status register is next read as inactive.
 *
 * Context: Under the model's lock.
 */
void smmu2_tlb_sync(struct arm_smmu_model *m, int origin)
{
	unsigned int i;

	for (i = 0; i < m->nr_inv; i++)
		if (m->inv[i].origin == origin)
			m->inv[i].covered = true;
	if (origin == SMMU2_GLOBAL) {
		m->gsyncing = true;
		m->gpolls_left = m->cfg.sync_polls;
	} else {
		m->cb[origin].syncing = true;
		m->cb[origin].polls_left = m->cfg.sync_polls;
	}
}

/* Apply and drop the covered invalidations of @origin. */
static void smmu2_tlb_complete(struct arm_smmu_model *m, int origin)
{
	unsigned int i, j, k = 0;

	for (i = 0; i < m->nr_inv; i++) {
		struct smmu2_inv *v = &m->inv[i];

		if (v->origin != origin || !v->covered) {
			m->inv[k++] = *v;
			continue;
		}
		for (j = 0; j < m->cfg.tlb_entries; j++)
			if (m->tlb[j].valid && smmu2_inv_hits(v, &m->tlb[j]))
				m->tlb[j].valid = false;
		m->stats.inv_completed++;
	}
	m->nr_inv = k;
}

/**
 * smmu2_tlb_poll() - a read of the status register of @origin
 * @m: the model, locked
 * @origin: a bank (its TLBSTATUS) or SMMU2_GLOBAL (sTLBGSTATUS)
 *
 * Context: Under the model's lock.
 * Return: true while the sync is still active.
 */
bool smmu2_tlb_poll(struct arm_smmu_model *m, int origin)
{
	bool *syncing = origin == SMMU2_GLOBAL ? &m->gsyncing :
			&m->cb[origin].syncing;
	unsigned int *left = origin == SMMU2_GLOBAL ? &m->gpolls_left :
			     &m->cb[origin].polls_left;

	if (!*syncing)
		return false;
	if (*left) {
		(*left)--;
		return true;
	}
	*syncing = false;
	smmu2_tlb_complete(m, origin);
	return false;
}

/**
 * smmu2_tlb_reset() - empty the TLB and drop held invalidations
 * @m: the model, locked
 *
 * Context: Under the model's lock.
 */
void smmu2_tlb_reset(struct arm_smmu_model *m)
{
	memset(m->tlb, 0, m->cfg.tlb_entries * sizeof(*m->tlb));
	m->tlb_next = 0;
	m->nr_inv = 0;
	m->gsyncing = false;
}
