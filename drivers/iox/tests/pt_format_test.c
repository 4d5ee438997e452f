// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: every page-table format, driven through the core's API on mock
 * domains backed by the engine, checked against the reference walkers of
 * pt-ref.h, which decode the raw tables as the hardware would. Random mixes
 * of page sizes and permissions are mapped and unmapped; after each round
 * every mapped page must translate, with the permissions and memory type
 * its prot asked for, and every unmapped page must fault.
 */
#include <linux/moduleparam.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <linux/iox-pt.h>
#include "iox-test.h"
#include "pt-ref.h"

static unsigned long fmt_rounds = 8;
module_param(fmt_rounds, ulong, 0444);
MODULE_PARM_DESC(fmt_rounds, "map/unmap rounds of the format test");

#define FMT_PAGES	96	/* leaves live at a time */
#define FMT_WIN		SZ_1G	/* IOVA window, from 1G */

/* One mapped leaf: a single iox_map() of one page size. */
struct fmt_leaf {
	u64 iova;
	u64 size;
	u64 phys;
	int prot;
	bool live;
};

struct fmt_state {
	struct kunit *test;
	struct iox_domain *domain;
	struct iox_pt *pt;
	struct fmt_leaf leaves[FMT_PAGES];
	u64 rng;
	unsigned long checked;
};

static u64 fmt_rand(struct fmt_state *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return s->rng;
}

/* A page size the domain maps with, smaller sizes more often. */
static u64 fmt_pgsize(struct fmt_state *s)
{
	u64 bitmap = s->domain->pgsize_bitmap & (SZ_1G * 2ULL - 1), size;
	unsigned int n = 0, pick;

	for (size = bitmap; size; size &= size - 1)
		n++;
	pick = fmt_rand(s) % (2 * n);
	pick = pick < n ? 0 : pick - n;	/* half the time the smallest */
	for (size = bitmap; pick--; size &= size - 1)
		;
	return size & -size;
}

static const int fmt_prots[] = {
	IOX_READ, IOX_WRITE, IOX_READ | IOX_WRITE,
	IOX_READ | IOX_WRITE | IOX_CACHE, IOX_READ | IOX_MMIO,
	IOX_READ | IOX_NOEXEC, IOX_READ | IOX_WRITE | IOX_PRIV,
	IOX_READ | IOX_WRITE | IOX_CACHE | IOX_NOEXEC,
};

static bool fmt_overlaps(struct fmt_state *s, u64 iova, u64 size)
{
	unsigned int i;

	for (i = 0; i < FMT_PAGES; i++)
		if (s->leaves[i].live && iova < s->leaves[i].iova + s->leaves[i].size &&
		    s->leaves[i].iova < iova + size)
			return true;
	return false;
}

static void fmt_map_one(struct fmt_state *s, struct fmt_leaf *l)
{
	u64 size = fmt_pgsize(s), slots = FMT_WIN / size;
	u64 phys_slots = (s->domain->paddr_max + 1) / size;
	int prot = fmt_prots[fmt_rand(s) % ARRAY_SIZE(fmt_prots)];
	u64 iova = SZ_1G + (fmt_rand(s) % slots) * size;
	u64 phys = (fmt_rand(s) % phys_slots) * size;

	if (fmt_overlaps(s, iova, size))
		return;
	KUNIT_ASSERT_EQ_MSG(s->test, iox_map(s->domain, iova, phys, size, prot,
					     GFP_KERNEL), 0,
			    "map %#llx+%#llx", iova, size);
	*l = (struct fmt_leaf) { iova, size, phys, prot, true };
}

/* What the hardware must see for @prot, format by format. */
static void fmt_expect(struct fmt_state *s, const struct fmt_leaf *l,
		       const struct iox_ref_leaf *ref, u64 at)
{
	const struct iox_pt_cfg *cfg = &s->pt->cfg;
	int prot = l->prot;
	bool s2 = cfg->format == IOX_PT_ARM_LPAE_S2;
	bool arm = cfg->format == IOX_PT_ARM_LPAE_S1 || s2 ||
		   cfg->format == IOX_PT_ARM_V7S;
	enum iox_ref_mem mem = prot & IOX_MMIO ? IOX_REF_MEM_DEVICE :
			       prot & IOX_CACHE ? IOX_REF_MEM_NORMAL_WB :
			       IOX_REF_MEM_NORMAL_NC;

	KUNIT_EXPECT_EQ_MSG(s->test, ref->phys, l->phys + (at - l->iova),
			    "%#llx", at);
	KUNIT_EXPECT_EQ_MSG(s->test, ref->size, l->size, "%#llx", at);
	KUNIT_EXPECT_EQ_MSG(s->test, ref->write, !!(prot & IOX_WRITE),
			    "%#llx prot %#x", at, prot);
	switch (cfg->format) {
	case IOX_PT_AMD_V1:
	case IOX_PT_VTD_SL:
		/* Read and write are separate; no exec, privilege or type. */
		KUNIT_EXPECT_EQ(s->test, ref->read, !!(prot & IOX_READ));
		if (cfg->format == IOX_PT_VTD_SL)
			KUNIT_EXPECT_EQ(s->test, ref->snoop,
					(prot & IOX_CACHE) &&
					(cfg->quirks & IOX_PT_VTD_SNOOP));
		break;
	case IOX_PT_VTD_FL:
		/* x86 paging: always readable; PCD only for MMIO. */
		KUNIT_EXPECT_TRUE(s->test, ref->read);
		KUNIT_EXPECT_EQ(s->test, ref->exec, !(prot & IOX_NOEXEC));
		KUNIT_EXPECT_EQ(s->test, ref->priv_only, !!(prot & IOX_PRIV));
		KUNIT_EXPECT_EQ(s->test, ref->mem, prot & IOX_MMIO ?
				IOX_REF_MEM_NORMAL_NC : IOX_REF_MEM_NORMAL_WB);
		break;
	default:
		KUNIT_EXPECT_EQ(s->test, ref->read, s2 ? !!(prot & IOX_READ) : true);
		KUNIT_EXPECT_EQ(s->test, ref->exec, !(prot & IOX_NOEXEC));
		KUNIT_EXPECT_EQ(s->test, ref->priv_only,
				!s2 && arm && (prot & IOX_PRIV));
		KUNIT_EXPECT_EQ_MSG(s->test, ref->mem, mem, "prot %#x", prot);
		break;
	}
}

static void fmt_check(struct fmt_state *s)
{
	struct iox_ref_leaf ref;
	unsigned int i, j;
	u64 at;

	for (i = 0; i < FMT_PAGES; i++) {
		const struct fmt_leaf *l = &s->leaves[i];
		u64 offs[3] = { 0, l->size / 2 + 8, l->size - 8 };

		if (!l->live)
			continue;
		for (j = 0; j < ARRAY_SIZE(offs); j++) {
			at = l->iova + offs[j];
			KUNIT_ASSERT_EQ_MSG(s->test,
					    iox_ref_walk(&s->pt->cfg,
							 s->pt->root_phys, at,
							 &ref), 0,
					    "reference walk of %#llx", at);
			fmt_expect(s, l, &ref, at);
			s->checked++;
		}
	}
	/* Addresses nothing maps must not translate. */
	for (i = 0; i < 64; i++) {
		at = SZ_1G + (fmt_rand(s) % FMT_WIN & ~7ULL);
		if (fmt_overlaps(s, at, 1))
			continue;
		KUNIT_EXPECT_EQ_MSG(s->test, iox_ref_walk(&s->pt->cfg,
							  s->pt->root_phys,
							  at, &ref), -ENOENT,
				    "unmapped %#llx translates", at);
	}
}

static void pt_formats_match_the_spec(struct kunit *test)
{
	struct iox_test_env *env = test->priv;
	struct fmt_state *s;
	unsigned long round;
	unsigned int i;

	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	s->test = test;
	s->domain = env->domain;
	s->pt = iox_mock_domain_pt(env->domain);
	if (!s->pt)
		kunit_skip(test, "the mock's own table has no hardware format");
	s->rng = get_random_u64() | 1;

	for (round = 0; round < fmt_rounds; round++) {
		for (i = 0; i < FMT_PAGES; i++)
			if (!s->leaves[i].live)
				fmt_map_one(s, &s->leaves[i]);
		fmt_check(s);
		/* Unmap about half, each exactly as it was mapped. */
		for (i = 0; i < FMT_PAGES; i++) {
			struct fmt_leaf *l = &s->leaves[i];

			if (!l->live || fmt_rand(s) & 1)
				continue;
			KUNIT_ASSERT_EQ(test, iox_unmap(s->domain, l->iova,
							l->size), l->size);
			l->live = false;
		}
		fmt_check(s);
	}
	kunit_info(test, "%lu translations checked against the reference walker",
		   s->checked);
	for (i = 0; i < FMT_PAGES; i++)
		if (s->leaves[i].live)
			iox_unmap(s->domain, s->leaves[i].iova,
				  s->leaves[i].size);
}

/*
 * The core's one-page fast paths hand a page straight to the engine; where
 * the slot holds a table they must fall back to the full path. On every
 * shape, with the granule g and the next one-entry size b: a b-page over
 * an emptied table replaces it, over a live one is -EEXIST; a b-unmap over
 * g-leaves unmaps them all; a g-unmap inside a b-leaf is refused.
 */
static void pt_one_page_paths_fall_back(struct kunit *test)
{
	struct iox_test_env *env = test->priv;
	struct iox_domain *d = env->domain;
	struct iox_pt *pt = iox_mock_domain_pt(d);
	const int rw = IOX_READ | IOX_WRITE;
	unsigned long sizes, g, b, at;
	phys_addr_t pa = SZ_1G;

	if (!pt)
		kunit_skip(test, "the mock's own table has no hardware format");
	sizes = d->pt_leaf_sizes;
	g = sizes & -sizes;
	sizes &= ~g;
	b = sizes & -sizes;
	KUNIT_ASSERT_EQ(test, g, d->pt_page_size);
	if (!b || b > SZ_1G)
		kunit_skip(test, "one one-entry page size only");
	at = 2 * b;

	/* A granule page leaves its table behind once unmapped. */
	KUNIT_ASSERT_EQ(test, iox_map(d, at, pa, g, rw, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_unmap(d, at, g), (ssize_t)g);
	KUNIT_EXPECT_EQ(test, iox_map(d, at, pa, b, rw, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, iox_iova_to_phys(d, at + b - g), pa + b - g);
	KUNIT_EXPECT_EQ(test, iox_unmap(d, at + g, g), -EINVAL);
	KUNIT_EXPECT_EQ(test, iox_iova_to_phys(d, at + g), pa + g);
	KUNIT_EXPECT_EQ(test, iox_unmap(d, at, b), (ssize_t)b);
	KUNIT_EXPECT_EQ(test, iox_iova_to_phys(d, at), 0);

	/* Live granule pages: no b-page over them; one b-unmap takes both. */
	KUNIT_ASSERT_EQ(test, iox_map(d, at, pa, g, rw, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_map(d, at + b - g, pa, g, rw, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, iox_map(d, at, pa, b, rw, GFP_KERNEL), -EEXIST);
	KUNIT_EXPECT_EQ(test, iox_unmap(d, at, b), (ssize_t)(2 * g));
	KUNIT_EXPECT_EQ(test, iox_iova_to_phys(d, at + b - g), 0);
	KUNIT_EXPECT_EQ(test, iox_unmap(d, at, b), 0);
}

/*
 * The fast paths write precomputed entries for the lowest levels and
 * compute them above: every one-entry size, at every level, must decode
 * as the spec says.
 */
static void pt_one_page_entries_match_the_spec(struct kunit *test)
{
	struct iox_test_env *env = test->priv;
	struct iox_domain *d = env->domain;
	struct iox_ref_leaf ref;
	struct fmt_state *s;
	unsigned long sizes;
	struct fmt_leaf l;

	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	s->test = test;
	s->domain = d;
	s->pt = iox_mock_domain_pt(d);
	if (!s->pt)
		kunit_skip(test, "the mock's own table has no hardware format");
	for (sizes = d->pt_leaf_sizes; sizes; sizes &= sizes - 1) {
		l.size = sizes & -sizes;
		l.iova = 2 * l.size;
		l.phys = l.size;
		l.prot = IOX_READ | IOX_CACHE | IOX_NOEXEC;
		if (l.iova + l.size - 1 > d->aperture_end ||
		    l.phys + l.size - 1 > d->paddr_max)
			continue;
		KUNIT_ASSERT_EQ(test, iox_map(d, l.iova, l.phys, l.size, l.prot,
					      GFP_KERNEL), 0);
		KUNIT_ASSERT_EQ(test, iox_ref_walk(&s->pt->cfg, s->pt->root_phys,
						   l.iova + l.size / 2, &ref), 0);
		fmt_expect(s, &l, &ref, l.iova + l.size / 2);
		KUNIT_EXPECT_EQ(test, iox_unmap(d, l.iova, l.size),
				(ssize_t)l.size);
		s->checked++;
	}
	kunit_info(test, "%lu page sizes checked", s->checked);
}

static int pt_format_init(struct kunit *test)
{
	return iox_test_env_init_param(test, 1);
}

static struct kunit_case iox_pt_format_test_cases[] = {
	KUNIT_CASE_PARAM(pt_formats_match_the_spec, iox_test_config_gen_params),
	KUNIT_CASE_PARAM(pt_one_page_paths_fall_back,
			 iox_test_config_gen_params),
	KUNIT_CASE_PARAM(pt_one_page_entries_match_the_spec,
			 iox_test_config_gen_params),
	{}
};

struct kunit_suite iox_pt_format_test_suite = {
	.name = "iox_pt_format",
	.init = pt_format_init,
	.exit = iox_test_env_exit,
	.test_cases = iox_pt_format_test_cases,
};
