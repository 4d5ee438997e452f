// SPDX-License-Identifier: GPL-2.0
/*
 * iox-msm: clocks, context banks, master routing and TLB maintenance.
 *
 * Every register sequence runs with the unit's clocks on and turns them
 * off after: the hardware's registers do not answer without them. A bank
 * is programmed whole with translation off, SCTLR.M last, and only then
 * do masters route to it (M2VCBR); it is taken down the other way.
 */
#define pr_fmt(fmt) "iox-msm: " fmt

#include <linux/bitfield.h>
#include <linux/sizes.h>
#include "msm-priv.h"

/**
 * msm_clk_on() - turn the unit's clocks on for a register sequence
 * @mu: the unit
 *
 * Context: As the platform's clocks allow (process context on hardware).
 * Return: 0, or the clock's errno.
 */
int msm_clk_on(struct msm_unit *mu)
{
	return mu->clk.enable ? mu->clk.enable(mu->clk.data) : 0;
}

/**
 * msm_clk_off() - the end of a register sequence
 * @mu: the unit
 *
 * Context: As msm_clk_on().
 */
void msm_clk_off(struct msm_unit *mu)
{
	if (mu->clk.disable)
		mu->clk.disable(mu->clk.data);
}

/**
 * msm_ctx_program() - set up a context bank, translation last
 * @mu: the unit, clocks on
 * @cb: the bank
 * @ttbr: its v7s table
 * @asid: the ASID its TLB entries carry
 * @translate: SCTLR.M: translate (else the bank passes accesses through)
 *
 * The bank's TLB entries are dropped before it translates.
 *
 * Context: Any context, clocks on.
 */
void msm_ctx_program(struct msm_unit *mu, unsigned int cb, phys_addr_t ttbr,
		     u8 asid, bool translate)
{
	const struct iox_regs *r = &mu->regs;

	iox_writel(r, MSM_CTX(cb, CTX_SCTLR), 0);
	iox_writel(r, MSM_CBACR(cb), FIELD_PREP(CBACR_CBVMID, 0));
	iox_writel(r, MSM_CTX(cb, CTX_TTBCR), 0);
	iox_writel(r, MSM_CTX(cb, CTX_TTBR0), ttbr | TTBR_IRGN_WBWA |
		   TTBR_RGN_WBWA | TTBR_S);
	iox_writel(r, MSM_CTX(cb, CTX_CONTEXTIDR),
		   FIELD_PREP(CONTEXTIDR_ASID, asid));
	iox_writel(r, MSM_CTX(cb, CTX_ACTLR), ACTLR_CFERE | ACTLR_CFEIE);
	iox_writel(r, MSM_CTX(cb, CTX_FSR), FSR_ALL);
	iox_writel(r, MSM_CTX(cb, CTX_TLBIALL), 0);
	/* The invalidation reaches the unit before translation starts. */
	mb();
	if (translate)
		iox_writel(r, MSM_CTX(cb, CTX_SCTLR), SCTLR_M | SCTLR_AFE);
}

/**
 * msm_ctx_off() - stop a context bank translating, no master routed to it
 * @mu: the unit, clocks on
 * @cb: the bank
 *
 * Context: Any context, clocks on.
 */
void msm_ctx_off(struct msm_unit *mu, unsigned int cb)
{
	iox_writel(&mu->regs, MSM_CTX(cb, CTX_SCTLR), 0);
	iox_writel(&mu->regs, MSM_CTX(cb, CTX_TLBIALL), 0);
	/* Both reach the unit before the bank is given to another domain. */
	mb();
}

/**
 * msm_route() - send a master's ports to a context bank
 * @m: the master
 * @cb: the bank, programmed
 *
 * Context: Any context, clocks on; takes the unit's lock.
 */
void msm_route(struct msm_master *m, unsigned int cb)
{
	struct msm_unit *mu = m->mu;
	unsigned int i;

	spin_lock_irq(&mu->lock);
	for (i = 0; i < m->nr_mids; i++)
		iox_writel(&mu->regs, MSM_M2VCBR(m->mids[i]),
			   FIELD_PREP(M2VCBR_CBNDX, cb));
	spin_unlock_irq(&mu->lock);
	/* Routed before the caller lets the old bank go. */
	mb();
}

/* Past this many pages one TLBIALL of the bank is cheaper. */
#define MSM_TLBI_MAX_PAGES	64

/**
 * msm_tlbi_all() - drop every TLB entry of a domain's bank
 * @dom: the domain
 *
 * Context: Any context.
 */
void msm_tlbi_all(struct msm_domain *dom)
{
	struct msm_unit *mu = dom->mu;

	if (dom->cb < 0 || msm_clk_on(mu))
		return;
	iox_writel(&mu->regs, MSM_CTX(dom->cb, CTX_TLBIALL), 0);
	/* No sync register: done once the write reached the unit. */
	mb();
	msm_clk_off(mu);
}

/**
 * msm_tlbi_range() - drop a domain's TLB entries of [@start, @last]
 * @dom: the domain
 * @start: first IOVA
 * @last: last IOVA
 *
 * TLBIVA by VA and ASID for each 4K page; a large range drops the bank's
 * whole TLB. The hardware has no sync: the invalidation is done when the
 * write has reached it, which the barrier orders.
 *
 * Context: Any context.
 */
void msm_tlbi_range(struct msm_domain *dom, u64 start, u64 last)
{
	struct msm_unit *mu = dom->mu;
	u64 va;

	if (dom->cb < 0)
		return;
	if (((last - start) >> PAGE_SHIFT) >= MSM_TLBI_MAX_PAGES) {
		msm_tlbi_all(dom);
		return;
	}
	if (msm_clk_on(mu))
		return;
	for (va = start & ~(u64)(SZ_4K - 1); va <= last; va += SZ_4K)
		iox_writel(&mu->regs, MSM_CTX(dom->cb, CTX_TLBIVA),
			   va | FIELD_PREP(TLBIVA_ASID, dom->asid));
	/* No sync register: done once the writes reached the unit. */
	mb();
	msm_clk_off(mu);
}
