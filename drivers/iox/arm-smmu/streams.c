// SPDX-License-Identifier: GPL-2.0
/*
 * iox-arm-smmu: routing a master's streams (2.4, 10.6.7-10.6.8).
 *
 * With stream matching each stream ID takes a stream match register (an
 * exact match: mask 0) whose S2CR says translate through a context bank,
 * bypass or fault; with stream indexing the stream ID indexes the S2CRs
 * directly. The S2CR is written before its SMR turns valid, and the SMR
 * turned invalid before its S2CR goes back to the unmatched type, so a
 * stream never matches a half-written pair.
 */
#define pr_fmt(fmt) "iox-arm-smmu: " fmt

#include <linux/bitfield.h>
#include "smmu2-priv.h"

/* Free @m's stream match registers; its streams become unmatched. */
static void smmu2_smr_release(struct smmu2_master *m)
{
	struct smmu2_unit *su = m->su;
	u32 unmatched = FIELD_PREP(S2CR_TYPE, su->bypass_unmatched ?
				   S2CR_TYPE_BYPASS : S2CR_TYPE_FAULT);
	unsigned int i;

	for (i = 0; i < m->nr_sids; i++) {
		if (m->smr[i] < 0)
			continue;
		iox_writel(&su->regs, SMMU_SMR(m->smr[i]), 0);
		iox_writel(&su->regs, SMMU_S2CR(m->smr[i]), unmatched);
		__clear_bit(m->smr[i], su->smr_used);
		m->smr[i] = -1;
	}
}

/* Take a stream match register for each of @m's streams, all or none. */
static int smmu2_smr_claim(struct smmu2_master *m)
{
	struct smmu2_unit *su = m->su;
	unsigned int i;
	int n;

	for (i = 0; i < m->nr_sids; i++) {
		n = find_first_zero_bit(su->smr_used, su->nr_smr);
		if (n >= su->nr_smr) {
			smmu2_smr_release(m);
			return -ENOSPC;
		}
		__set_bit(n, su->smr_used);
		m->smr[i] = n;
	}
	return 0;
}

/**
 * smmu2_streams_route() - point a master's streams at a domain
 * @m: the master
 * @dom: a paging domain with its context bank, NULL for blocked (fault),
 *	or an identity domain's (bypass: @dom->cb < 0 and not paging)
 *
 * Context: Process context; takes the unit's lock.
 * Return: 0, or -ENOSPC when the stream match registers run out (the
 * streams keep their previous routing).
 */
int smmu2_streams_route(struct smmu2_master *m, struct smmu2_domain *dom)
{
	struct smmu2_unit *su = m->su;
	unsigned int i, idx;
	u32 s2cr;
	int ret = 0;

	if (!dom)
		s2cr = FIELD_PREP(S2CR_TYPE, S2CR_TYPE_FAULT);
	else if (dom->cb < 0)
		s2cr = FIELD_PREP(S2CR_TYPE, S2CR_TYPE_BYPASS);
	else
		s2cr = FIELD_PREP(S2CR_TYPE, S2CR_TYPE_TRANS) |
		       FIELD_PREP(S2CR_CBNDX, dom->cb);

	spin_lock_irq(&su->lock);
	if (su->nr_smr && m->smr[0] < 0) {
		ret = smmu2_smr_claim(m);
		if (ret)
			goto out;
	}
	for (i = 0; i < m->nr_sids; i++) {
		idx = su->nr_smr ? m->smr[i] : m->sids[i];
		iox_writel(&su->regs, SMMU_S2CR(idx), s2cr);
		if (su->nr_smr)
			iox_writel(&su->regs, SMMU_SMR(idx), SMR_VALID |
				   FIELD_PREP(SMR_ID, m->sids[i]));
	}
out:
	spin_unlock_irq(&su->lock);
	return ret;
}

/**
 * smmu2_streams_release() - a master's streams back to unmatched
 * @m: the master
 *
 * Context: Process context; takes the unit's lock.
 */
void smmu2_streams_release(struct smmu2_master *m)
{
	struct smmu2_unit *su = m->su;
	unsigned int i;

	spin_lock_irq(&su->lock);
	if (su->nr_smr) {
		smmu2_smr_release(m);
	} else {
		for (i = 0; i < m->nr_sids; i++)
			iox_writel(&su->regs, SMMU_S2CR(m->sids[i]),
				   FIELD_PREP(S2CR_TYPE, su->bypass_unmatched ?
					      S2CR_TYPE_BYPASS :
					      S2CR_TYPE_FAULT));
	}
	spin_unlock_irq(&su->lock);
}
