// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the reference walkers decode hand-built tables. Every descriptor
 * below is written bit by bit from the specification the walker cites
 * (the bit names are spelled out again here, not taken from the walkers),
 * so a test failure means the walker and this reading of the specification
 * disagree.
 */
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/sizes.h>
#include <kunit/test.h>
#include "pt-ref.h"

/* Expected permissions, folded into one mask for compact checks. */
#define REF_R		BIT(0)
#define REF_W		BIT(1)
#define REF_X		BIT(2)
#define REF_PRIV	BIT(3)
#define REF_SNP		BIT(4)
#define REF_RWX		(REF_R | REF_W | REF_X)

#define NC		IOX_REF_MEM_NORMAL_NC
#define WB		IOX_REF_MEM_NORMAL_WB
#define DEV		IOX_REF_MEM_DEVICE

#define REF_MAX_TABLES	16

/* Sizes beyond the few every build's sizes.h has. */
#define REF_8K		BIT_ULL(13)
#define REF_16K		BIT_ULL(14)
#define REF_32K		BIT_ULL(15)
#define REF_4M		BIT_ULL(22)
#define REF_16M		BIT_ULL(24)
#define REF_32M		BIT_ULL(25)
#define REF_512M	BIT_ULL(29)

/* The tables of one case, freed by ref_exit(). */
struct ref_tables {
	void *va[REF_MAX_TABLES];
	unsigned int order[REF_MAX_TABLES];
	unsigned int n;
};

static int ref_init(struct kunit *test)
{
	test->priv = kunit_kzalloc(test, sizeof(struct ref_tables),
				   GFP_KERNEL);
	return test->priv ? 0 : -ENOMEM;
}

static void ref_exit(struct kunit *test)
{
	struct ref_tables *t = test->priv;

	while (t->n) {
		t->n--;
		free_pages((unsigned long)t->va[t->n], t->order[t->n]);
	}
}

/* A zeroed table of @bytes (at least a page), aligned to its size. */
static void *ref_table(struct kunit *test, u64 bytes, gfp_t gfp)
{
	struct ref_tables *t = test->priv;
	unsigned int order = 0;
	void *va;

	while ((PAGE_SIZE << order) < bytes)
		order++;
	KUNIT_ASSERT_TRUE(test, t->n < REF_MAX_TABLES);
	va = (void *)__get_free_pages(gfp | __GFP_ZERO, order);
	KUNIT_ASSERT_NOT_NULL(test, va);
	t->va[t->n] = va;
	t->order[t->n++] = order;
	KUNIT_ASSERT_TRUE_MSG(test,
			      IS_ALIGNED(virt_to_phys(va), PAGE_SIZE << order),
			      "order-%u block at %#llx is not aligned to its size",
			      order, (u64)virt_to_phys(va));
	return va;
}

static u64 pa(void *va)
{
	return virt_to_phys(va);
}

static void set64(void *table, u64 index, u64 entry)
{
	((u64 *)table)[index] = entry;
}

static void set32(void *table, u64 index, u32 entry)
{
	((u32 *)table)[index] = entry;
}

static void expect_leaf(struct kunit *test, const struct iox_pt_cfg *cfg,
			void *root, u64 iova, u64 phys, u64 size,
			unsigned int perms, enum iox_ref_mem mem)
{
	struct iox_ref_leaf leaf;
	unsigned int got;
	int ret;

	ret = iox_ref_walk(cfg, pa(root), iova, &leaf);
	KUNIT_EXPECT_EQ_MSG(test, ret, 0, "iova %#llx", iova);
	if (ret)
		return;
	got = (leaf.read ? REF_R : 0) | (leaf.write ? REF_W : 0) |
	      (leaf.exec ? REF_X : 0) | (leaf.priv_only ? REF_PRIV : 0) |
	      (leaf.snoop ? REF_SNP : 0);
	KUNIT_EXPECT_EQ_MSG(test, leaf.phys, phys, "iova %#llx", iova);
	KUNIT_EXPECT_EQ_MSG(test, leaf.size, size, "iova %#llx", iova);
	KUNIT_EXPECT_EQ_MSG(test, got, perms, "iova %#llx: permissions", iova);
	KUNIT_EXPECT_EQ_MSG(test, leaf.mem, mem, "iova %#llx: memory type",
			    iova);
}

static void expect_err(struct kunit *test, const struct iox_pt_cfg *cfg,
		       void *root, u64 iova, int err)
{
	struct iox_ref_leaf leaf;

	KUNIT_EXPECT_EQ_MSG(test, iox_ref_walk(cfg, pa(root), iova, &leaf),
			    err, "iova %#llx", iova);
}

/*
 * ARM ARM DDI 0487 D8.3 "VMSAv8-64 translation table format descriptors".
 */
#define L_TABLE		0x3ULL		/* bits[1:0] = 11: table / page */
#define L_PAGE		0x3ULL
#define L_BLOCK		0x1ULL		/* bits[1:0] = 01: block */
#define L_ATTR(n)	((u64)(n) << 2)	/* s1 AttrIndx[2:0] */
#define L_NS		BIT_ULL(5)
#define L_AP1		BIT_ULL(6)	/* s1 AP[1]: EL0 access */
#define L_AP2		BIT_ULL(7)	/* s1 AP[2]: read-only */
#define L_MEMATTR(m)	((u64)(m) << 2)	/* s2 MemAttr[3:0] */
#define L_S2R		BIT_ULL(6)	/* S2AP[0] */
#define L_S2W		BIT_ULL(7)	/* S2AP[1] */
#define L_AF		BIT_ULL(10)
#define L_NT		BIT_ULL(16)
#define L_PXN		BIT_ULL(53)
#define L_XN		BIT_ULL(54)
#define L_UXNT		BIT_ULL(60)	/* UXNTable */
#define L_APT0		BIT_ULL(61)	/* APTable[0]: no EL0 */
#define L_APT1		BIT_ULL(62)	/* APTable[1]: no write */

/* A stage 1 leaf any exception level may read and write, write-back. */
#define L_S1_RW		(L_AF | L_AP1 | L_ATTR(2))
/* A stage 2 leaf that may be read and written, write-back. */
#define L_S2_RW		(L_AF | L_S2R | L_S2W | L_MEMATTR(0xf))

/*
 * MAIR Attr0..7 (DDI 0487 D19 MAIR_EL1): 0x00 Device-nGnRnE, 0x44 normal
 * NC, 0xff normal WB, 0x04 Device-nGnRE, 0xbb normal WT, 0x4f outer NC
 * inner WB, 0x40 (inner 0000: UNPREDICTABLE), 0x01 (device, xx = 01:
 * UNPREDICTABLE).
 */
#define REF_MAIR	0x01404fbb04ff4400ULL

/* 4K granule, 48-bit input: level 0..3 indexes */
#define IOVA_4K(l0, l1, l2, l3)						\
	((u64)(l0) << 39 | (u64)(l1) << 30 | (u64)(l2) << 21 |		\
	 (u64)(l3) << 12)

static const struct iox_pt_cfg lpae_s1_4k = {
	.format = IOX_PT_ARM_LPAE_S1,
	.granule_shift = 12,
	.ias = 48,
	.oas = 48,
	.mair = REF_MAIR,
};

/* l0[1] -> l1[2] -> l2[3] -> l3: the common path of the 4K s1 cases. */
static void *lpae_4k_path(struct kunit *test, void **l1, void **l2,
			  void **l3)
{
	void *l0 = ref_table(test, SZ_4K, GFP_KERNEL);

	*l1 = ref_table(test, SZ_4K, GFP_KERNEL);
	*l2 = ref_table(test, SZ_4K, GFP_KERNEL);
	*l3 = ref_table(test, SZ_4K, GFP_KERNEL);
	set64(l0, 1, pa(*l1) | L_TABLE);
	set64(*l1, 2, pa(*l2) | L_TABLE);
	set64(*l2, 3, pa(*l3) | L_TABLE);
	return l0;
}

static void lpae_geometry(struct kunit *test)
{
	static const struct {
		enum iox_pt_format format;
		unsigned int g, ias, levels;
		int ret;
		unsigned int want_levels;
		u64 root_bytes;
	} c[] = {
		{ IOX_PT_ARM_LPAE_S1, 12, 48, 0, 0, 4, 4096 },
		{ IOX_PT_ARM_LPAE_S1, 12, 39, 0, 0, 3, 4096 },
		{ IOX_PT_ARM_LPAE_S1, 12, 32, 0, 0, 3, 32 },
		{ IOX_PT_ARM_LPAE_S1, 12, 48, 4, 0, 4, 4096 },
		{ IOX_PT_ARM_LPAE_S1, 12, 40, 3, -EINVAL },
		{ IOX_PT_ARM_LPAE_S1, 14, 48, 0, 0, 4, 16 },
		{ IOX_PT_ARM_LPAE_S1, 14, 47, 0, 0, 3, 16384 },
		{ IOX_PT_ARM_LPAE_S1, 16, 48, 0, 0, 3, 512 },
		{ IOX_PT_ARM_LPAE_S1, 16, 42, 0, 0, 2, 65536 },
		/* stage 2: concatenation when the top would resolve <= 4 bits */
		{ IOX_PT_ARM_LPAE_S2, 12, 48, 0, 0, 4, 4096 },
		{ IOX_PT_ARM_LPAE_S2, 12, 40, 0, 0, 3, 8192 },
		{ IOX_PT_ARM_LPAE_S2, 12, 40, 4, 0, 4, 16 },
		{ IOX_PT_ARM_LPAE_S2, 12, 40, 2, -EINVAL },
		{ IOX_PT_ARM_LPAE_S2, 12, 32, 0, 0, 2, 16384 },
		{ IOX_PT_ARM_LPAE_S2, 12, 43, 3, 0, 3, 65536 },
		{ IOX_PT_ARM_LPAE_S2, 12, 44, 3, -EINVAL },
		{ IOX_PT_ARM_LPAE_S2, 12, 20, 1, -EINVAL },
		{ IOX_PT_ARM_LPAE_S2, 14, 48, 0, 0, 3, 32768 },
		{ IOX_PT_ARM_LPAE_S2, 14, 48, 4, -EINVAL },
		{ IOX_PT_ARM_LPAE_S2, 16, 44, 0, 0, 2, 262144 },
		{ IOX_PT_ARM_LPAE_S2, 16, 48, 0, 0, 3, 512 },
		{ IOX_PT_ARM_LPAE_S1, 13, 40, 0, -EINVAL },
		{ IOX_PT_ARM_LPAE_S1, 12, 49, 0, -EINVAL },
		/* the other formats */
		{ IOX_PT_ARM_V7S, 12, 32, 0, 0, 2, 16384 },
		{ IOX_PT_AMD_V1, 12, 39, 3, 0, 3, 4096 },
		{ IOX_PT_AMD_V1, 12, 64, 6, 0, 6, 4096 },
		{ IOX_PT_AMD_V1, 12, 64, 7, -EINVAL },
		{ IOX_PT_VTD_SL, 12, 48, 4, 0, 4, 4096 },
		{ IOX_PT_VTD_SL, 12, 48, 3, -EINVAL },
		{ IOX_PT_VTD_FL, 12, 57, 5, 0, 5, 4096 },
		{ IOX_PT_VTD_FL, 12, 39, 3, -EINVAL },
		{ IOX_PT_NR_FORMATS, 12, 48, 4, -EINVAL },
	};
	struct iox_ref_geometry geo;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		struct iox_pt_cfg cfg = {
			.format = c[i].format,
			.granule_shift = c[i].g,
			.ias = c[i].ias,
			.oas = c[i].format == IOX_PT_ARM_V7S ? 32 : 48,
			.levels = c[i].levels,
		};
		int ret = iox_ref_geometry(&cfg, &geo);

		KUNIT_EXPECT_EQ_MSG(test, ret, c[i].ret, "case %u", i);
		if (ret || c[i].ret)
			continue;
		KUNIT_EXPECT_EQ_MSG(test, geo.levels, c[i].want_levels,
				    "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, geo.root_bytes, c[i].root_bytes,
				    "case %u", i);
	}
}

static void lpae_s1_4k_sizes(struct kunit *test)
{
	const struct iox_pt_cfg *cfg = &lpae_s1_4k;
	void *l0, *l1, *l2, *l3;

	l0 = lpae_4k_path(test, &l1, &l2, &l3);
	set64(l3, 4, 0x12345000ULL | L_PAGE | L_S1_RW);
	set64(l2, 5, 0x7fe00000ULL | L_BLOCK | L_S1_RW);
	set64(l1, 6, 0x2c0000000ULL | L_BLOCK | L_S1_RW);

	expect_leaf(test, cfg, l0, IOVA_4K(1, 2, 3, 4) + 0x123, 0x12345123,
		    SZ_4K, REF_RWX, WB);
	expect_leaf(test, cfg, l0, IOVA_4K(1, 2, 3, 4) + 0xfff, 0x12345fff,
		    SZ_4K, REF_RWX, WB);
	expect_leaf(test, cfg, l0, IOVA_4K(1, 2, 5, 0x1ff) + 0x123,
		    0x7ffff123, SZ_2M, REF_RWX, WB);
	expect_leaf(test, cfg, l0, IOVA_4K(1, 6, 0x1ff, 0x1ff) + 0xfff,
		    0x2ffffffffULL, SZ_1G, REF_RWX, WB);

	/* Not present at each level. */
	expect_err(test, cfg, l0, IOVA_4K(1, 2, 3, 5), -ENOENT);
	expect_err(test, cfg, l0, IOVA_4K(1, 2, 4, 0), -ENOENT);
	expect_err(test, cfg, l0, IOVA_4K(1, 3, 0, 0), -ENOENT);
	expect_err(test, cfg, l0, IOVA_4K(2, 0, 0, 0), -ENOENT);
	expect_err(test, cfg, l0, IOVA_4K(511, 511, 511, 511), -ENOENT);
	expect_err(test, cfg, l0, 1ULL << 48, -ERANGE);
}

static void lpae_s1_4k_perms(struct kunit *test)
{
	static const struct {
		u64 bits;
		unsigned int perms;
	} ap[] = {
		{ 0, REF_RWX | REF_PRIV },		/* AP 00: EL1 RW */
		{ L_AP1, REF_RWX },			/* AP 01: RW */
		{ L_AP2, REF_R | REF_X | REF_PRIV },	/* AP 10: EL1 RO */
		{ L_AP2 | L_AP1, REF_R | REF_X },	/* AP 11: RO */
		{ L_XN | L_PXN, REF_R | REF_W | REF_PRIV },
		{ L_AP1 | L_XN | L_PXN, REF_R | REF_W },
		{ L_AP1 | L_PXN, REF_RWX },		/* PXN only */
	};
	static const int mem[8] = { DEV, NC, WB, DEV, NC, NC, -1, -1 };
	const struct iox_pt_cfg *cfg = &lpae_s1_4k;
	struct iox_pt_cfg ns = lpae_s1_4k;
	void *l0, *l1, *l2, *l3;
	unsigned int i;

	l0 = lpae_4k_path(test, &l1, &l2, &l3);
	for (i = 0; i < ARRAY_SIZE(ap); i++) {
		set64(l3, i, (0x40000ULL + i) << 12 | L_PAGE | L_AF |
			     L_ATTR(2) | ap[i].bits);
		expect_leaf(test, cfg, l0, IOVA_4K(1, 2, 3, i) + 8,
			    (0x40000ULL + i) << 12 | 8, SZ_4K, ap[i].perms,
			    WB);
	}
	for (i = 0; i < 8; i++) {
		u64 iova = IOVA_4K(1, 2, 3, 0x100 + i);

		set64(l3, 0x100 + i, 0x50000000ULL | L_PAGE | L_AF | L_AP1 |
				     L_ATTR(i));
		if (mem[i] < 0)
			expect_err(test, cfg, l0, iova, -EINVAL);
		else
			expect_leaf(test, cfg, l0, iova, 0x50000000, SZ_4K,
				    REF_RWX, mem[i]);
	}

	/* Access flag clear: an Access flag fault, for pages and blocks. */
	set64(l3, 0x1f0, 0x60000000ULL | L_PAGE | L_AP1 | L_ATTR(2));
	set64(l2, 0x1f0, 0x60000000ULL | L_BLOCK | L_AP1 | L_ATTR(2));
	expect_err(test, cfg, l0, IOVA_4K(1, 2, 3, 0x1f0), -ENOENT);
	expect_err(test, cfg, l0, IOVA_4K(1, 2, 0x1f0, 0), -ENOENT);

	/* Quirk ARM_NS: the NS bit changes nothing the walker reports. */
	ns.quirks = IOX_PT_ARM_NS;
	set64(l3, 0x1f1, 0x61000000ULL | L_PAGE | L_S1_RW | L_NS);
	expect_leaf(test, &ns, l0, IOVA_4K(1, 2, 3, 0x1f1), 0x61000000,
		    SZ_4K, REF_RWX, WB);
}

static void lpae_s1_4k_malformed(struct kunit *test)
{
	const struct iox_pt_cfg *cfg = &lpae_s1_4k;
	struct iox_pt_cfg small = lpae_s1_4k;
	void *l0, *l1, *l2, *l3;

	l0 = lpae_4k_path(test, &l1, &l2, &l3);
	/* A block at level 0 (4K granule) and 0b01 at level 3: reserved. */
	set64(l0, 3, 0x8000000000ULL | L_BLOCK | L_S1_RW);
	set64(l3, 7, 0x70000000ULL | L_BLOCK | L_S1_RW);
	expect_err(test, cfg, l0, IOVA_4K(3, 0, 0, 0), -EINVAL);
	expect_err(test, cfg, l0, IOVA_4K(1, 2, 3, 7), -EINVAL);
	/* bits[1:0] = 10: invalid, a Translation fault. */
	set64(l1, 9, 0x80000000ULL | 0x2 | L_S1_RW);
	expect_err(test, cfg, l0, IOVA_4K(1, 9, 0, 0), -ENOENT);

	/* A 2M block's address bits [20:12] are RES0, bit 16 (nT) aside. */
	set64(l2, 8, 0x7fe01000ULL | L_BLOCK | L_S1_RW);
	set64(l2, 9, 0x7fe00000ULL | L_NT | L_BLOCK | L_S1_RW);
	expect_err(test, cfg, l0, IOVA_4K(1, 2, 8, 0), -EINVAL);
	expect_leaf(test, cfg, l0, IOVA_4K(1, 2, 9, 1), 0x7fe01000, SZ_2M,
		    REF_RWX, WB);

	/*
	 * An output address beyond oas: an Address size fault. (Bit 47:
	 * the tables themselves lie below 2^47 in every build.)
	 */
	small.oas = 47;
	set64(l3, 8, (1ULL << 47) | L_PAGE | L_S1_RW);
	expect_err(test, &small, l0, IOVA_4K(1, 2, 3, 8), -EINVAL);
	expect_leaf(test, cfg, l0, IOVA_4K(1, 2, 3, 8), 1ULL << 47, SZ_4K,
		    REF_RWX, WB);
	expect_err(test, cfg, l0, ~0ULL, -ERANGE);
}

static void lpae_s1_table_attrs(struct kunit *test)
{
	const struct iox_pt_cfg *cfg = &lpae_s1_4k;
	void *l0, *l1, *l2, *l3, *ro, *priv;

	l0 = lpae_4k_path(test, &l1, &l2, &l3);
	ro = ref_table(test, SZ_4K, GFP_KERNEL);
	priv = ref_table(test, SZ_4K, GFP_KERNEL);
	/* APTable[1]: no write below; APTable[0] + UXNTable: EL1, no exec */
	set64(l1, 10, pa(ro) | L_TABLE | L_APT1);
	set64(l1, 11, pa(priv) | L_TABLE | L_APT0 | L_UXNT);
	set64(ro, 0, 0x80000000ULL | L_BLOCK | L_S1_RW);
	set64(priv, 0, 0x80200000ULL | L_BLOCK | L_S1_RW);
	expect_leaf(test, cfg, l0, IOVA_4K(1, 10, 0, 0), 0x80000000, SZ_2M,
		    REF_R | REF_X, WB);
	expect_leaf(test, cfg, l0, IOVA_4K(1, 11, 0, 0), 0x80200000, SZ_2M,
		    REF_R | REF_W | REF_PRIV, WB);
}

/*
 * Stage 2, 4K granule, 40-bit input: the walk starts at level 1 with two
 * concatenated tables (1024 entries, 8K, aligned to 8K).
 */
static void lpae_s2_concat_4k(struct kunit *test)
{
	struct iox_pt_cfg cfg = {
		.format = IOX_PT_ARM_LPAE_S2,
		.granule_shift = 12,
		.ias = 40,
		.oas = 48,
	};
	void *root, *l2, *l3, *l0;

#define IOVA_S2(l1, l2, l3) \
	((u64)(l1) << 30 | (u64)(l2) << 21 | (u64)(l3) << 12)

	root = ref_table(test, REF_8K, GFP_KERNEL);
	l2 = ref_table(test, SZ_4K, GFP_KERNEL);
	l3 = ref_table(test, SZ_4K, GFP_KERNEL);
	set64(root, 600, pa(l2) | L_TABLE);	/* in the second table */
	set64(l2, 1, pa(l3) | L_TABLE);
	set64(l3, 2, 0x9abcd000ULL | L_PAGE | L_S2_RW);
	set64(l2, 3, 0x40000000ULL | L_BLOCK | L_S2_RW);
	set64(root, 5, 0x3c0000000ULL | L_BLOCK | L_S2_RW);

	expect_leaf(test, &cfg, root, IOVA_S2(600, 1, 2) + 0x10, 0x9abcd010,
		    SZ_4K, REF_RWX, WB);
	expect_leaf(test, &cfg, root, IOVA_S2(600, 3, 0x1ff), 0x401ff000,
		    SZ_2M, REF_RWX, WB);
	expect_leaf(test, &cfg, root, IOVA_S2(5, 0, 0) + 0x12345678,
		    0x3d2345678ULL, SZ_1G, REF_RWX, WB);
	expect_err(test, &cfg, root, IOVA_S2(1023, 0, 0), -ENOENT);
	expect_err(test, &cfg, root, IOVA_S2(600, 2, 0), -ENOENT);
	expect_err(test, &cfg, root, 1ULL << 40, -ERANGE);

	/* The same input size may start at level 0 with a 2-entry root. */
	cfg.levels = 4;
	l0 = ref_table(test, SZ_4K, GFP_KERNEL);
	set64(l0, 1, pa((char *)root + SZ_4K) | L_TABLE);
	expect_leaf(test, &cfg, l0, IOVA_S2(600, 1, 2), 0x9abcd000, SZ_4K,
		    REF_RWX, WB);
	cfg.levels = 2;		/* 19 bits at level 2: too many tables */
	expect_err(test, &cfg, root, 0, -EINVAL);
#undef IOVA_S2
}

static void lpae_s2_perms(struct kunit *test)
{
	static const struct {
		u64 bits;
		unsigned int perms;
		int mem;
	} c[] = {
		{ L_MEMATTR(0xf), REF_X, WB },		/* S2AP 00 */
		{ L_S2R | L_MEMATTR(0xf), REF_R | REF_X, WB },
		{ L_S2W | L_MEMATTR(0xf), REF_W | REF_X, WB },
		{ L_S2R | L_S2W | L_XN | L_MEMATTR(0xf), REF_R | REF_W, WB },
		{ L_S2R | L_MEMATTR(0x5), REF_R | REF_X, NC },
		{ L_S2R | L_MEMATTR(0xa), REF_R | REF_X, NC },	/* WT */
		{ L_S2R | L_MEMATTR(0xd), REF_R | REF_X, NC },	/* oWB iNC */
		{ L_S2R | L_MEMATTR(0x0), REF_R | REF_X, DEV },
		{ L_S2R | L_MEMATTR(0x1), REF_R | REF_X, DEV },
		{ L_S2R | L_MEMATTR(0x4), 0, -1 },	/* inner 00 */
		{ L_S2R | L_MEMATTR(0xc), 0, -1 },
	};
	struct iox_pt_cfg cfg = {
		.format = IOX_PT_ARM_LPAE_S2,
		.granule_shift = 12,
		.ias = 39,
		.oas = 48,
	};
	void *l1, *l2, *l3;
	unsigned int i;

	/* 39 bits: three levels, a full 512-entry level-1 root. */
	l1 = ref_table(test, SZ_4K, GFP_KERNEL);
	l2 = ref_table(test, SZ_4K, GFP_KERNEL);
	l3 = ref_table(test, SZ_4K, GFP_KERNEL);
	set64(l1, 0, pa(l2) | L_TABLE);
	set64(l2, 0, pa(l3) | L_TABLE);
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		set64(l3, i, 0x10000000ULL | L_PAGE | L_AF | c[i].bits);
		if (c[i].mem < 0)
			expect_err(test, &cfg, l1, (u64)i << 12, -EINVAL);
		else
			expect_leaf(test, &cfg, l1, (u64)i << 12, 0x10000000,
				    SZ_4K, c[i].perms, c[i].mem);
	}
	/* AF = 0: an Access flag fault. */
	set64(l3, 0x100, 0x10000000ULL | L_PAGE | L_S2R | L_S2W |
					 L_MEMATTR(0xf));
	expect_err(test, &cfg, l1, 0x100ULL << 12, -ENOENT);
}

/*
 * Stage 2, 16K granule, 48-bit input: level 0 is not allowed, so the walk
 * starts at level 1 with two concatenated 16K tables (DDI 0487 D8.2).
 */
static void lpae_s2_concat_16k(struct kunit *test)
{
	struct iox_pt_cfg cfg = {
		.format = IOX_PT_ARM_LPAE_S2,
		.granule_shift = 14,
		.ias = 48,
		.oas = 48,
	};
	void *root, *l2, *l3;

#define IOVA_16K(l1, l2, l3) \
	((u64)(l1) << 36 | (u64)(l2) << 25 | (u64)(l3) << 14)

	root = ref_table(test, REF_32K, GFP_KERNEL);
	l2 = ref_table(test, REF_16K, GFP_KERNEL);
	l3 = ref_table(test, REF_16K, GFP_KERNEL);
	set64(root, 2049, pa(l2) | L_TABLE);
	set64(l2, 5, 0x400000000ULL | L_BLOCK | L_S2_RW);
	set64(l2, 6, pa(l3) | L_TABLE);
	set64(l3, 7, 0x12344000ULL | L_PAGE | L_S2_RW);
	set64(root, 1, 0x1000000000ULL | L_BLOCK | L_S2_RW);
	set64(l3, 8, 0x12345000ULL | L_PAGE | L_S2_RW);	/* RES0 bit 12 */

	expect_leaf(test, &cfg, root, IOVA_16K(2049, 5, 0x7ff) + 0x3fff,
		    0x401ffffffULL, REF_32M, REF_RWX, WB);
	expect_leaf(test, &cfg, root, IOVA_16K(2049, 6, 7) + 0x2abc,
		    0x12346abc, REF_16K, REF_RWX, WB);
	expect_err(test, &cfg, root, IOVA_16K(1, 0, 0), -EINVAL);
	expect_err(test, &cfg, root, IOVA_16K(2049, 6, 8), -EINVAL);
	expect_err(test, &cfg, root, IOVA_16K(2048, 0, 0), -ENOENT);
	cfg.levels = 4;
	expect_err(test, &cfg, root, 0, -EINVAL);
#undef IOVA_16K
}

/* Stage 1, 16K granule, 47-bit input: levels 1-3, an 11-bit root. */
static void lpae_s1_16k(struct kunit *test)
{
	struct iox_pt_cfg cfg = lpae_s1_4k;
	void *l1, *l2, *l3;

#define IOVA_16K(l1, l2, l3) \
	((u64)(l1) << 36 | (u64)(l2) << 25 | (u64)(l3) << 14)

	cfg.granule_shift = 14;
	cfg.ias = 47;
	l1 = ref_table(test, REF_16K, GFP_KERNEL);
	l2 = ref_table(test, REF_16K, GFP_KERNEL);
	l3 = ref_table(test, REF_16K, GFP_KERNEL);
	set64(l1, 0x7ff, pa(l2) | L_TABLE);
	set64(l2, 0x400, pa(l3) | L_TABLE);
	set64(l3, 0x7ff, 0xfedc000ULL | L_PAGE | L_S1_RW | L_AP2);
	set64(l2, 0x401, 0x6000000ULL | L_BLOCK | L_S1_RW);
	set64(l1, 0x7fe, 0x1000000000ULL | L_BLOCK | L_S1_RW);

	expect_leaf(test, &cfg, l1, IOVA_16K(0x7ff, 0x400, 0x7ff) + 0x3210,
		    0xfedf210, REF_16K, REF_R | REF_X, WB);
	expect_leaf(test, &cfg, l1, IOVA_16K(0x7ff, 0x401, 3) + 5,
		    0x6000000 + (3 << 14) + 5, REF_32M, REF_RWX, WB);
	expect_err(test, &cfg, l1, IOVA_16K(0x7fe, 0, 0), -EINVAL);
	expect_err(test, &cfg, l1, IOVA_16K(0x7ff, 0x400, 0x7fe), -ENOENT);
	expect_err(test, &cfg, l1, 1ULL << 47, -ERANGE);
#undef IOVA_16K
}

/* Stage 1, 64K granule, 48-bit input: levels 1-3, a 64-entry root. */
static void lpae_s1_64k(struct kunit *test)
{
	struct iox_pt_cfg cfg = lpae_s1_4k;
	void *l1, *l2, *l3;

#define IOVA_64K(l1, l2, l3) \
	((u64)(l1) << 42 | (u64)(l2) << 29 | (u64)(l3) << 16)

	cfg.granule_shift = 16;
	l1 = ref_table(test, 512, GFP_KERNEL);
	l2 = ref_table(test, SZ_64K, GFP_KERNEL);
	l3 = ref_table(test, SZ_64K, GFP_KERNEL);
	set64(l1, 63, pa(l2) | L_TABLE);
	set64(l2, 0x1fff, pa(l3) | L_TABLE);
	set64(l3, 0x1234, 0x12340000ULL | L_PAGE | L_S1_RW);
	set64(l3, 0x1235, 0x12350000ULL | 0x1000 | L_PAGE | L_S1_RW);
	set64(l2, 0x1ffe, 0x60000000ULL | L_BLOCK | L_S1_RW | L_XN);
	set64(l1, 62, 0x40000000000ULL | L_BLOCK | L_S1_RW);

	expect_leaf(test, &cfg, l1, IOVA_64K(63, 0x1fff, 0x1234) + 0xfedc,
		    0x1234fedc, SZ_64K, REF_RWX, WB);
	expect_leaf(test, &cfg, l1, IOVA_64K(63, 0x1ffe, 0x1fff) + 0xffff,
		    0x7fffffff, REF_512M, REF_R | REF_W, WB);
	/* bits[15:12] hold OA[51:48] (FEAT_LPA): beyond a 48-bit oas */
	expect_err(test, &cfg, l1, IOVA_64K(63, 0x1fff, 0x1235), -EINVAL);
	/* 4T blocks at level 1 need a 52-bit OA */
	expect_err(test, &cfg, l1, IOVA_64K(62, 0, 0), -EINVAL);
	expect_err(test, &cfg, l1, IOVA_64K(61, 0, 0), -ENOENT);
#undef IOVA_64K
}

/*
 * ARM ARM DDI 0406C B3.5.1 short descriptors (AFE = 1, TRE = 0).
 */
#define S_TABLE		0x1		/* first level: page table */
#define S_SECT		0x2		/* first level: section */
#define S_SUPER		(BIT(18) | 0x2)	/* first level: supersection */
#define S_B		BIT(2)
#define S_C		BIT(3)
#define S_XN		BIT(4)
#define S_AP0		BIT(10)
#define S_AP1		BIT(11)
#define S_TEX(t)	((t) << 12)
#define S_AP2		BIT(15)
#define S_WB		(S_TEX(1) | S_C | S_B)	/* normal WB write-allocate */
#define S_RW		(S_AP0 | S_AP1 | S_WB)

#define P_LARGE		0x1		/* second level: large page */
#define P_SMALL		0x2		/* second level: small page */
#define P_XN_SMALL	BIT(0)
#define P_B		BIT(2)
#define P_C		BIT(3)
#define P_AP0		BIT(4)
#define P_AP1		BIT(5)
#define P_TEX_SMALL(t)	((t) << 6)
#define P_AP2		BIT(9)
#define P_TEX_LARGE(t)	((t) << 12)
#define P_XN_LARGE	BIT(15)
#define P_RW		(P_AP0 | P_AP1 | P_C | P_B)

static const struct iox_pt_cfg v7s_cfg = {
	.format = IOX_PT_ARM_V7S,
	.granule_shift = 12,
	.ias = 32,
	.oas = 32,
};

static void *v7s_root(struct kunit *test)
{
	return ref_table(test, REF_16K, GFP_KERNEL | GFP_DMA32);
}

static void v7s_fill(void *table, unsigned int first, u32 desc)
{
	unsigned int i;

	for (i = first; i < first + 16; i++)
		set32(table, i, desc);
}

static void v7s_sizes(struct kunit *test)
{
	const struct iox_pt_cfg *cfg = &v7s_cfg;
	void *root = v7s_root(test);
	void *l2 = ref_table(test, SZ_4K, GFP_KERNEL | GFP_DMA32);

	set32(root, 0x123, 0x45600000 | S_SECT | S_RW);
	v7s_fill(root, 0x200, 0x9f000000 | S_SUPER | S_RW);
	set32(root, 0x300, (u32)pa(l2) | S_TABLE);
	set32(l2, 0x45, 0x87654000 | P_SMALL | P_RW | P_TEX_SMALL(1));
	v7s_fill(l2, 0x80, 0x7ffe0000 | P_LARGE | P_RW | P_TEX_LARGE(1));

	expect_leaf(test, cfg, root, 0x12345678, 0x45645678, SZ_1M, REF_RWX,
		    WB);
	expect_leaf(test, cfg, root, 0x20abcdef, 0x9fabcdef, REF_16M, REF_RWX,
		    WB);
	expect_leaf(test, cfg, root, 0x20f00000, 0x9ff00000, REF_16M, REF_RWX,
		    WB);
	expect_leaf(test, cfg, root, 0x30045abc, 0x87654abc, SZ_4K, REF_RWX,
		    WB);
	expect_leaf(test, cfg, root, 0x3008a123, 0x7ffea123, SZ_64K, REF_RWX,
		    WB);
	expect_leaf(test, cfg, root, 0x3008ffff, 0x7ffeffff, SZ_64K, REF_RWX,
		    WB);
	expect_err(test, cfg, root, 0x12400000, -ENOENT);
	expect_err(test, cfg, root, 0x30046000, -ENOENT);
	expect_err(test, cfg, root, 0x30090000, -ENOENT);
	expect_err(test, cfg, root, 1ULL << 32, -ERANGE);
}

static void v7s_perms(struct kunit *test)
{
	static const struct {
		u32 sect, small, large;
		unsigned int perms;
	} c[] = {
		{ S_AP1, P_AP1, P_AP1, REF_RWX },
		{ 0, 0, 0, REF_RWX | REF_PRIV },
		{ S_AP2 | S_AP1, P_AP2 | P_AP1, P_AP2 | P_AP1, REF_R | REF_X },
		{ S_AP2, P_AP2, P_AP2, REF_R | REF_X | REF_PRIV },
		{ S_AP1 | S_XN, P_AP1 | P_XN_SMALL, P_AP1 | P_XN_LARGE,
		  REF_R | REF_W },
	};
	const struct iox_pt_cfg *cfg = &v7s_cfg;
	void *root = v7s_root(test);
	void *l2 = ref_table(test, SZ_4K, GFP_KERNEL | GFP_DMA32);
	unsigned int i;

	set32(root, 0xfff, (u32)pa(l2) | S_TABLE);
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		u32 base = 0x10000000 + (i << 20);

		set32(root, i, base | S_SECT | S_AP0 | S_WB | c[i].sect);
		expect_leaf(test, cfg, root, (u64)i << 20, base, SZ_1M,
			    c[i].perms, WB);
		set32(l2, i, base | P_SMALL | P_AP0 | P_C | P_B |
			     P_TEX_SMALL(1) | c[i].small);
		expect_leaf(test, cfg, root, 0xfff00000 + (i << 12), base,
			    SZ_4K, c[i].perms, WB);
		v7s_fill(l2, 16 * (i + 1), base | P_LARGE | P_AP0 | P_C |
					   P_B | P_TEX_LARGE(1) | c[i].large);
		expect_leaf(test, cfg, root, 0xfff00000 + ((i + 1) << 16),
			    base, SZ_64K, c[i].perms, WB);
	}
	/* bits[1:0] = 11: a section with PXN, which is not decoded. */
	set32(root, 0x10, 0x20000000 | 0x3 | S_RW);
	expect_leaf(test, cfg, root, 0x01000000, 0x20000000, SZ_1M, REF_RWX,
		    WB);
}

static void v7s_mem_types(struct kunit *test)
{
	/* B3.8.2 Table B3-10: TEX[2:0] C B with TRE = 0. */
	static const struct {
		u32 bits;
		int mem;
	} c[] = {
		{ 0, DEV },				/* strongly-ordered */
		{ S_B, DEV },				/* shareable device */
		{ S_TEX(2), DEV },			/* non-shareable dev */
		{ S_C, NC },				/* WT, no WA */
		{ S_C | S_B, WB },			/* WB, no WA */
		{ S_TEX(1), NC },			/* non-cacheable */
		{ S_TEX(1) | S_C | S_B, WB },		/* WB, WA */
		{ S_TEX(5) | S_B, WB },			/* o WB-WA, i WB-WA */
		{ S_TEX(7) | S_C | S_B, WB },		/* o WB, i WB */
		{ S_TEX(4), NC },			/* o NC, i NC */
		{ S_TEX(6) | S_C | S_B, NC },		/* o WT, i WB */
		{ S_TEX(5) | S_C, NC },			/* o WB, i WT */
		{ S_TEX(1) | S_B, -1 },			/* reserved */
		{ S_TEX(1) | S_C, -1 },			/* IMPL. DEFINED */
		{ S_TEX(2) | S_B, -1 },			/* reserved */
		{ S_TEX(3), -1 },			/* reserved */
	};
	const struct iox_pt_cfg *cfg = &v7s_cfg;
	void *root = v7s_root(test);
	void *l2 = ref_table(test, SZ_4K, GFP_KERNEL | GFP_DMA32);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		set32(root, i, 0x30000000 | S_SECT | S_AP0 | S_AP1 |
			       c[i].bits);
		if (c[i].mem < 0)
			expect_err(test, cfg, root, (u64)i << 20, -EINVAL);
		else
			expect_leaf(test, cfg, root, (u64)i << 20, 0x30000000,
				    SZ_1M, REF_RWX, c[i].mem);
	}
	/* Second level: TEX is bits[8:6] in small, [14:12] in large pages */
	set32(root, 0x800, (u32)pa(l2) | S_TABLE);
	set32(l2, 0, 0x1000 | P_SMALL | P_AP0 | P_AP1 | P_B);
	set32(l2, 1, 0x1000 | P_SMALL | P_AP0 | P_AP1 | P_TEX_SMALL(1));
	v7s_fill(l2, 16, 0x10000 | P_LARGE | P_AP0 | P_AP1 | P_TEX_LARGE(1));
	v7s_fill(l2, 32, 0x20000 | P_LARGE | P_AP0 | P_AP1 | P_TEX_SMALL(1));
	expect_leaf(test, cfg, root, 0x80000000, 0x1000, SZ_4K, REF_RWX, DEV);
	expect_leaf(test, cfg, root, 0x80001000, 0x1000, SZ_4K, REF_RWX, NC);
	expect_leaf(test, cfg, root, 0x80010000, 0x10000, SZ_64K, REF_RWX,
		    NC);
	/* bits[8:6] are SBZ in a large page: TEX 000, C = B = 0 */
	expect_leaf(test, cfg, root, 0x80020000, 0x20000, SZ_64K, REF_RWX,
		    DEV);
}

static void v7s_faults(struct kunit *test)
{
	const struct iox_pt_cfg *cfg = &v7s_cfg;
	struct iox_pt_cfg wide = v7s_cfg;
	void *root = v7s_root(test);
	void *l2 = ref_table(test, SZ_4K, GFP_KERNEL | GFP_DMA32);

	/* AP[0] is the access flag: clear, an Access flag fault. */
	set32(root, 0, 0x100000 | S_SECT | S_AP1 | S_WB);
	set32(root, 1, (u32)pa(l2) | S_TABLE);
	set32(l2, 0, 0x5000 | P_SMALL | P_AP1);
	expect_err(test, cfg, root, 0x0, -ENOENT);
	expect_err(test, cfg, root, 0x100000, -ENOENT);

	/* A supersection or large page not repeated 16 times. */
	v7s_fill(root, 0x10, 0x1000000 | S_SUPER | S_RW);
	set32(root, 0x1f, 0);
	expect_err(test, cfg, root, 0x1000000, -EINVAL);
	v7s_fill(l2, 0x10, 0x30000 | P_LARGE | P_RW);
	set32(l2, 0x15, 0x40000 | P_LARGE | P_RW);
	expect_err(test, cfg, root, 0x110000, -EINVAL);

	/* Supersection extended base PA[35:32] = 3, PA[39:36] = 1. */
	v7s_fill(root, 0x20, 0x9f000000 | (3 << 20) | (1 << 5) | S_SUPER |
			     S_RW);
	expect_err(test, cfg, root, 0x2000000, -EINVAL);
	wide.oas = 40;
	expect_leaf(test, &wide, root, 0x2345678, 0x139f345678ULL, REF_16M,
		    REF_RWX, WB);
}

/*
 * AMD IOMMU 48882 §2.2.3: PTE/PDE bits.
 */
#define A_PR		BIT_ULL(0)
#define A_NL(n)		((u64)(n) << 9)	/* Next Level */
#define A_FC		BIT_ULL(60)
#define A_IR		BIT_ULL(61)
#define A_IW		BIT_ULL(62)
#define A_RW		(A_PR | A_IR | A_IW)

#define IOVA_AMD(l3, l2, l1) \
	((u64)(l3) << 30 | (u64)(l2) << 21 | (u64)(l1) << 12)

static const struct iox_pt_cfg amd_cfg = {
	.format = IOX_PT_AMD_V1,
	.granule_shift = 12,
	.ias = 64,
	.oas = 52,
	.levels = 3,
};

/* Mode 3: root[1] (level 3) -> l2[2] (level 2) -> l1 (level 1). */
static void *amd_path(struct kunit *test, void **l2, void **l1)
{
	void *root = ref_table(test, SZ_4K, GFP_KERNEL);

	*l2 = ref_table(test, SZ_4K, GFP_KERNEL);
	*l1 = ref_table(test, SZ_4K, GFP_KERNEL);
	set64(root, 1, pa(*l2) | A_NL(2) | A_RW);
	set64(*l2, 2, pa(*l1) | A_NL(1) | A_RW);
	return root;
}

static void amd_fill(void *table, unsigned int first, unsigned int n,
		     u64 pte)
{
	unsigned int i;

	for (i = first; i < first + n; i++)
		set64(table, i, pte);
}

static void amd_sizes(struct kunit *test)
{
	const struct iox_pt_cfg *cfg = &amd_cfg;
	void *root, *l2, *l1;

	root = amd_path(test, &l2, &l1);
	set64(l1, 3, 0x12345000ULL | A_RW);
	set64(l2, 4, 0x80000000ULL | A_NL(0) | A_RW);
	set64(root, 5, 0x140000000ULL | A_NL(0) | A_RW);
	/* Next Level 7: 8K = bit 12 clear; 64K = bits 14:12 set, 15 clear */
	amd_fill(l1, 8, 2, 0xabcde000ULL | A_NL(7) | A_RW);
	amd_fill(l1, 16, 16, 0x55550000ULL | 0x7000 | A_NL(7) | A_RW);
	/* 4M at level 2: bits 20:12 set, bit 21 clear, two entries */
	amd_fill(l2, 6, 2, 0x100000000ULL | 0x1ff000 | A_NL(7) | A_RW);

	expect_leaf(test, cfg, root, IOVA_AMD(1, 2, 3) + 0x678, 0x12345678,
		    SZ_4K, REF_RWX, WB);
	expect_leaf(test, cfg, root, IOVA_AMD(1, 4, 0x1ff) + 0xfff,
		    0x801fffff, SZ_2M, REF_RWX, WB);
	expect_leaf(test, cfg, root, IOVA_AMD(5, 0x100, 0), 0x160000000ULL,
		    SZ_1G, REF_RWX, WB);
	expect_leaf(test, cfg, root, IOVA_AMD(1, 2, 9) + 0x10, 0xabcdf010,
		    REF_8K, REF_RWX, WB);
	expect_leaf(test, cfg, root, IOVA_AMD(1, 2, 20) + 0x123, 0x55554123,
		    SZ_64K, REF_RWX, WB);
	expect_leaf(test, cfg, root, IOVA_AMD(1, 7, 0) + 0x12345,
		    0x100212345ULL, REF_4M, REF_RWX, WB);

	/* Not present at each level, and beyond what mode 3 covers. */
	expect_err(test, cfg, root, IOVA_AMD(2, 0, 0), -ENOENT);
	expect_err(test, cfg, root, IOVA_AMD(1, 3, 0), -ENOENT);
	expect_err(test, cfg, root, IOVA_AMD(1, 2, 4), -ENOENT);
	expect_err(test, cfg, root, 1ULL << 39, -ERANGE);
}

static void amd_perms(struct kunit *test)
{
	const struct iox_pt_cfg *cfg = &amd_cfg;
	void *root, *l2, *l1, *ro, *none;

	root = amd_path(test, &l2, &l1);
	ro = ref_table(test, SZ_4K, GFP_KERNEL);
	none = ref_table(test, SZ_4K, GFP_KERNEL);
	set64(l1, 0, 0x1000 | A_PR | A_IR);
	set64(l1, 1, 0x2000 | A_PR | A_IW);
	set64(l1, 2, 0x3000 | A_PR);
	set64(l1, 3, 0x4000 | A_RW | A_FC);
	expect_leaf(test, cfg, root, IOVA_AMD(1, 2, 0), 0x1000, SZ_4K,
		    REF_R | REF_X, WB);
	expect_leaf(test, cfg, root, IOVA_AMD(1, 2, 1), 0x2000, SZ_4K, REF_W,
		    WB);
	expect_leaf(test, cfg, root, IOVA_AMD(1, 2, 2), 0x3000, SZ_4K, 0, WB);
	expect_leaf(test, cfg, root, IOVA_AMD(1, 2, 3), 0x4000, SZ_4K,
		    REF_RWX, WB);

	/* IR and IW are ANDed down the walk: PDEs restrict their leaves. */
	set64(root, 6, pa(ro) | A_NL(2) | A_PR | A_IR);
	set64(ro, 0, 0x200000 | A_RW);
	set64(root, 7, pa(none) | A_NL(2) | A_PR);
	set64(none, 0, 0x400000 | A_RW);
	expect_leaf(test, cfg, root, IOVA_AMD(6, 0, 0), 0x200000, SZ_2M,
		    REF_R | REF_X, WB);
	expect_leaf(test, cfg, root, IOVA_AMD(7, 0, 0), 0x400000, SZ_2M, 0,
		    WB);
}

static void amd_malformed(struct kunit *test)
{
	const struct iox_pt_cfg *cfg = &amd_cfg;
	struct iox_pt_cfg mode6 = amd_cfg;
	void *root, *l2, *l1, *top;

	root = amd_path(test, &l2, &l1);
	/* Next Level 7 over 2 entries, the second one missing. */
	set64(l1, 32, 0x8000000ULL | A_NL(7) | A_RW);
	expect_err(test, cfg, root, IOVA_AMD(1, 2, 32), -EINVAL);
	/* An 8K size at level 2; a 2M size (level 2's own) at level 1. */
	set64(l2, 10, 0x20000000ULL | A_NL(7) | A_RW);
	expect_err(test, cfg, root, IOVA_AMD(1, 10, 0), -EINVAL);
	amd_fill(l1, 0x100, 0x100, 0x20000000ULL | 0xff000 | A_NL(7) | A_RW);
	expect_err(test, cfg, root, IOVA_AMD(1, 2, 0x100), -EINVAL);
	/* A table pointer at level 1; a PDE whose Next Level is not lower */
	set64(l1, 40, pa(l2) | A_NL(1) | A_RW);
	set64(root, 8, pa(l2) | A_NL(3) | A_RW);
	expect_err(test, cfg, root, IOVA_AMD(1, 2, 40), -EINVAL);
	expect_err(test, cfg, root, IOVA_AMD(8, 0, 0), -EINVAL);
	/* A 2M page with address bits below 2M set. */
	set64(l2, 11, 0x80001000ULL | A_RW);
	expect_err(test, cfg, root, IOVA_AMD(1, 11, 0), -EINVAL);
	/* Mode 6: the top level holds no PTEs. */
	mode6.levels = 6;
	top = ref_table(test, SZ_4K, GFP_KERNEL);
	set64(top, 0, A_RW);
	expect_err(test, &mode6, top, 0, -EINVAL);
}

/* 48882 §2.2.3: a PDE may skip levels; their address bits must be 0. */
static void amd_skipped_level(struct kunit *test)
{
	const struct iox_pt_cfg *cfg = &amd_cfg;
	void *root, *l2, *l1, *skip;

	root = amd_path(test, &l2, &l1);
	skip = ref_table(test, SZ_4K, GFP_KERNEL);
	set64(root, 9, pa(skip) | A_NL(1) | A_RW);	/* level 3 -> 1 */
	set64(skip, 5, 0x33333000ULL | A_RW);
	expect_leaf(test, cfg, root, IOVA_AMD(9, 0, 5) + 1, 0x33333001, SZ_4K,
		    REF_RWX, WB);
	expect_err(test, cfg, root, IOVA_AMD(9, 1, 5), -ENOENT);
	expect_err(test, cfg, root, IOVA_AMD(9, 0x100, 5), -ENOENT);
}

/*
 * VT-d §9.8 second-level entries.
 */
#define V_R		BIT_ULL(0)
#define V_W		BIT_ULL(1)
#define V_X		BIT_ULL(2)
#define V_PS		BIT_ULL(7)
#define V_SNP		BIT_ULL(11)
#define V_RWX		(V_R | V_W | V_X)

#define IOVA_L4(l4, l3, l2, l1)						\
	((u64)(l4) << 39 | (u64)(l3) << 30 | (u64)(l2) << 21 |		\
	 (u64)(l1) << 12)

static const struct iox_pt_cfg vtd_sl_cfg = {
	.format = IOX_PT_VTD_SL,
	.granule_shift = 12,
	.ias = 48,
	.oas = 48,
	.levels = 4,
};

/* l4[1] -> l3[2] -> l2[3] -> l1 with table entry bits @bits. */
static void *x86_path(struct kunit *test, u64 bits, void **l3, void **l2,
		      void **l1)
{
	void *l4 = ref_table(test, SZ_4K, GFP_KERNEL);

	*l3 = ref_table(test, SZ_4K, GFP_KERNEL);
	*l2 = ref_table(test, SZ_4K, GFP_KERNEL);
	*l1 = ref_table(test, SZ_4K, GFP_KERNEL);
	set64(l4, 1, pa(*l3) | bits);
	set64(*l3, 2, pa(*l2) | bits);
	set64(*l2, 3, pa(*l1) | bits);
	return l4;
}

static void vtd_sl_sizes(struct kunit *test)
{
	const struct iox_pt_cfg *cfg = &vtd_sl_cfg;
	struct iox_pt_cfg three = vtd_sl_cfg, five = vtd_sl_cfg;
	void *l4, *l3, *l2, *l1, *top;

	l4 = x86_path(test, V_RWX, &l3, &l2, &l1);
	set64(l1, 4, 0x12345000ULL | V_R | V_W);
	set64(l1, 5, 0x55555000ULL | V_PS | V_R);	/* PS ignored */
	set64(l2, 5, 0x40000000ULL | V_PS | V_R);
	set64(l3, 6, 0x8000000000ULL | V_PS | V_RWX | V_SNP);
	expect_leaf(test, cfg, l4, IOVA_L4(1, 2, 3, 4) + 0xabc, 0x12345abc,
		    SZ_4K, REF_R | REF_W, WB);
	expect_leaf(test, cfg, l4, IOVA_L4(1, 2, 3, 5), 0x55555000, SZ_4K,
		    REF_R, WB);
	expect_leaf(test, cfg, l4, IOVA_L4(1, 2, 5, 0x100), 0x40100000,
		    SZ_2M, REF_R, WB);
	expect_leaf(test, cfg, l4, IOVA_L4(1, 6, 0, 0) + 0x3fffffff,
		    0x803fffffffULL, SZ_1G, REF_RWX | REF_SNP, WB);

	/* 3 levels: the root is the SL-PDPE table; 5: an SL-PML5E above. */
	three.levels = 3;
	three.ias = 39;
	expect_leaf(test, &three, l3, (2ULL << 30) | (3 << 21) | (4 << 12),
		    0x12345000, SZ_4K, REF_R | REF_W, WB);
	expect_err(test, &three, l3, 1ULL << 39, -ERANGE);
	five.levels = 5;
	five.ias = 57;
	top = ref_table(test, SZ_4K, GFP_KERNEL);
	set64(top, 0x1ff, pa(l4) | V_R | V_W);
	expect_leaf(test, &five, top, (0x1ffULL << 48) | IOVA_L4(1, 2, 3, 4),
		    0x12345000, SZ_4K, REF_R | REF_W, WB);
}

static void vtd_sl_perms(struct kunit *test)
{
	const struct iox_pt_cfg *cfg = &vtd_sl_cfg;
	void *l4, *l3, *l2, *l1, *ro, *wo, *x;

	l4 = x86_path(test, V_RWX, &l3, &l2, &l1);
	ro = ref_table(test, SZ_4K, GFP_KERNEL);
	wo = ref_table(test, SZ_4K, GFP_KERNEL);
	x = ref_table(test, SZ_4K, GFP_KERNEL);
	set64(l1, 0, 0x1000 | V_R);
	set64(l1, 1, 0x2000 | V_W);
	set64(l1, 2, 0x3000 | V_R | V_X);
	set64(l1, 3, 0x4000 | V_X);		/* R = W = 0: not present */
	expect_leaf(test, cfg, l4, IOVA_L4(1, 2, 3, 0), 0x1000, SZ_4K, REF_R,
		    WB);
	expect_leaf(test, cfg, l4, IOVA_L4(1, 2, 3, 1), 0x2000, SZ_4K, REF_W,
		    WB);
	expect_leaf(test, cfg, l4, IOVA_L4(1, 2, 3, 2), 0x3000, SZ_4K,
		    REF_R | REF_X, WB);
	expect_err(test, cfg, l4, IOVA_L4(1, 2, 3, 3), -ENOENT);

	/* Permissions are the AND over the walk. */
	set64(l3, 7, pa(ro) | V_R);
	set64(ro, 0, 0x200000 | V_PS | V_RWX);
	set64(l3, 8, pa(wo) | V_W | V_X);
	set64(wo, 0, 0x400000 | V_PS | V_R | V_W);
	set64(l3, 9, pa(x) | V_X);
	set64(x, 0, 0x600000 | V_PS | V_RWX);
	expect_leaf(test, cfg, l4, IOVA_L4(1, 7, 0, 0), 0x200000, SZ_2M,
		    REF_R, WB);
	expect_leaf(test, cfg, l4, IOVA_L4(1, 8, 0, 0), 0x400000, SZ_2M,
		    REF_W, WB);
	expect_err(test, cfg, l4, IOVA_L4(1, 9, 0, 0), -ENOENT);
}

static void vtd_sl_faults(struct kunit *test)
{
	const struct iox_pt_cfg *cfg = &vtd_sl_cfg;
	struct iox_pt_cfg narrow = vtd_sl_cfg;
	void *l4, *l3, *l2, *l1;

	l4 = x86_path(test, V_R | V_W, &l3, &l2, &l1);
	set64(l1, 0, (1ULL << 47) | V_R);
	expect_err(test, cfg, l4, IOVA_L4(2, 0, 0, 0), -ENOENT);
	expect_err(test, cfg, l4, IOVA_L4(1, 3, 0, 0), -ENOENT);
	expect_err(test, cfg, l4, IOVA_L4(1, 2, 4, 0), -ENOENT);
	expect_err(test, cfg, l4, IOVA_L4(1, 2, 3, 1), -ENOENT);
	expect_err(test, cfg, l4, 1ULL << 48, -ERANGE);

	/* PS in an SL-PML4E; reserved bits 20:12 of a 2M page; SNP in a PDE */
	set64(l4, 3, 0x8000000000ULL | V_PS | V_R);
	set64(l2, 6, 0x40001000ULL | V_PS | V_R);
	set64(l3, 3, pa(l2) | V_R | V_SNP);
	expect_err(test, cfg, l4, IOVA_L4(3, 0, 0, 0), -EINVAL);
	expect_err(test, cfg, l4, IOVA_L4(1, 2, 6, 0), -EINVAL);
	expect_err(test, cfg, l4, IOVA_L4(1, 3, 3, 0), -EINVAL);

	/* An address beyond the host address width (tables lie below it). */
	narrow.oas = 47;
	expect_leaf(test, cfg, l4, IOVA_L4(1, 2, 3, 0), 1ULL << 47, SZ_4K,
		    REF_R, WB);
	expect_err(test, &narrow, l4, IOVA_L4(1, 2, 3, 0), -EINVAL);
}

/*
 * Intel SDM Vol 3 §4.5 x86-64 paging entries (VT-d first level).
 */
#define F_P		BIT_ULL(0)
#define F_RW		BIT_ULL(1)
#define F_US		BIT_ULL(2)
#define F_PWT		BIT_ULL(3)
#define F_PCD		BIT_ULL(4)
#define F_PS		BIT_ULL(7)
#define F_PAT_LARGE	BIT_ULL(12)
#define F_XD		BIT_ULL(63)
#define F_ALL		(F_P | F_RW | F_US)

static const struct iox_pt_cfg vtd_fl_cfg = {
	.format = IOX_PT_VTD_FL,
	.granule_shift = 12,
	.ias = 48,
	.oas = 48,
	.levels = 4,
};

static void vtd_fl_sizes(struct kunit *test)
{
	const struct iox_pt_cfg *cfg = &vtd_fl_cfg;
	struct iox_pt_cfg five = vtd_fl_cfg;
	void *l4, *l3, *l2, *l1, *top;

	l4 = x86_path(test, F_ALL, &l3, &l2, &l1);
	set64(l1, 4, 0x12345000ULL | F_ALL);
	set64(l2, 5, 0x40000000ULL | F_PAT_LARGE | F_PS | F_ALL);
	set64(l3, 6, 0xc0000000ULL | F_PS | F_ALL);
	expect_leaf(test, cfg, l4, IOVA_L4(1, 2, 3, 4) + 0x10, 0x12345010,
		    SZ_4K, REF_RWX, WB);
	expect_leaf(test, cfg, l4, IOVA_L4(1, 2, 5, 1), 0x40001000, SZ_2M,
		    REF_RWX, WB);
	expect_leaf(test, cfg, l4, IOVA_L4(1, 6, 0, 0) + 0x3fffffff,
		    0xffffffff, SZ_1G, REF_RWX, WB);

	five.levels = 5;
	five.ias = 57;
	top = ref_table(test, SZ_4K, GFP_KERNEL);
	set64(top, 3, pa(l4) | F_ALL);
	expect_leaf(test, &five, top, (3ULL << 48) | IOVA_L4(1, 2, 3, 4),
		    0x12345000, SZ_4K, REF_RWX, WB);
	expect_err(test, &five, top, 1ULL << 57, -ERANGE);
}

static void vtd_fl_perms(struct kunit *test)
{
	const struct iox_pt_cfg *cfg = &vtd_fl_cfg;
	void *l4, *l3, *l2, *l1, *b3, *b2, *sup;

	l4 = x86_path(test, F_ALL, &l3, &l2, &l1);
	set64(l1, 0, 0x1000 | F_P);
	set64(l1, 1, 0x2000 | F_P | F_RW | F_XD);
	set64(l1, 2, 0x3000 | F_ALL | F_PCD);
	set64(l1, 3, 0x4000 | F_ALL | F_PWT);
	set64(l1, 4, 0x5000 | F_ALL | F_PCD | F_PWT);
	expect_leaf(test, cfg, l4, IOVA_L4(1, 2, 3, 0), 0x1000, SZ_4K,
		    REF_R | REF_X | REF_PRIV, WB);
	expect_leaf(test, cfg, l4, IOVA_L4(1, 2, 3, 1), 0x2000, SZ_4K,
		    REF_R | REF_W | REF_PRIV, WB);
	expect_leaf(test, cfg, l4, IOVA_L4(1, 2, 3, 2), 0x3000, SZ_4K,
		    REF_RWX, NC);
	expect_leaf(test, cfg, l4, IOVA_L4(1, 2, 3, 3), 0x4000, SZ_4K,
		    REF_RWX, NC);
	expect_leaf(test, cfg, l4, IOVA_L4(1, 2, 3, 4), 0x5000, SZ_4K,
		    REF_RWX, NC);

	/* XD, R/W = 0 and U/S = 0 above a leaf restrict it. */
	b3 = ref_table(test, SZ_4K, GFP_KERNEL);
	b2 = ref_table(test, SZ_4K, GFP_KERNEL);
	set64(l4, 2, pa(b3) | F_ALL | F_XD);
	set64(b3, 0, pa(b2) | F_P | F_US);
	set64(b2, 0, 0x200000 | F_PS | F_P | F_RW);
	set64(b3, 1, 0x40000000 | F_PS | F_ALL);
	expect_leaf(test, cfg, l4, IOVA_L4(2, 0, 0, 0), 0x200000, SZ_2M,
		    REF_R | REF_PRIV, WB);
	expect_leaf(test, cfg, l4, IOVA_L4(2, 1, 0, 0), 0x40000000, SZ_1G,
		    REF_R | REF_W, WB);
	/* U/S = 0 in a PML4E makes a user leaf below it supervisor-only. */
	sup = ref_table(test, SZ_4K, GFP_KERNEL);
	set64(l4, 4, pa(sup) | F_P | F_RW);
	set64(sup, 0, 0x80000000 | F_PS | F_ALL);
	expect_leaf(test, cfg, l4, IOVA_L4(4, 0, 0, 0), 0x80000000, SZ_1G,
		    REF_RWX | REF_PRIV, WB);
}

static void vtd_fl_faults(struct kunit *test)
{
	const struct iox_pt_cfg *cfg = &vtd_fl_cfg;
	void *l4, *l3, *l2, *l1;

	l4 = x86_path(test, F_ALL, &l3, &l2, &l1);
	set64(l1, 0, 0x1000 | F_RW | F_US);		/* P = 0 */
	expect_err(test, cfg, l4, IOVA_L4(0, 0, 0, 0), -ENOENT);
	expect_err(test, cfg, l4, IOVA_L4(1, 0, 0, 0), -ENOENT);
	expect_err(test, cfg, l4, IOVA_L4(1, 2, 0, 0), -ENOENT);
	expect_err(test, cfg, l4, IOVA_L4(1, 2, 3, 0), -ENOENT);
	expect_err(test, cfg, l4, 1ULL << 48, -ERANGE);

	/* PS in a PML4E; reserved bits 20:13 of a 2M page, 29:13 of 1G. */
	set64(l4, 3, 0x8000000000ULL | F_PS | F_ALL);
	set64(l2, 6, 0x40002000ULL | F_PS | F_ALL);
	set64(l3, 7, 0x40100000ULL | F_PS | F_ALL);
	expect_err(test, cfg, l4, IOVA_L4(3, 0, 0, 0), -EINVAL);
	expect_err(test, cfg, l4, IOVA_L4(1, 2, 6, 0), -EINVAL);
	expect_err(test, cfg, l4, IOVA_L4(1, 7, 0, 0), -EINVAL);
}

static void bad_config(struct kunit *test)
{
	struct iox_pt_cfg cfg = vtd_fl_cfg;
	void *root = ref_table(test, SZ_4K, GFP_KERNEL);
	struct iox_ref_leaf leaf;

	cfg.format = IOX_PT_NR_FORMATS;
	expect_err(test, &cfg, root, 0, -EINVAL);
	cfg = amd_cfg;
	cfg.levels = 0;
	expect_err(test, &cfg, root, 0, -EINVAL);
	KUNIT_EXPECT_EQ(test, iox_ref_walk(&amd_cfg, 0, 0, &leaf), -EINVAL);
}

static struct kunit_case iox_pt_ref_test_cases[] = {
	KUNIT_CASE(lpae_geometry),
	KUNIT_CASE(lpae_s1_4k_sizes),
	KUNIT_CASE(lpae_s1_4k_perms),
	KUNIT_CASE(lpae_s1_4k_malformed),
	KUNIT_CASE(lpae_s1_table_attrs),
	KUNIT_CASE(lpae_s2_concat_4k),
	KUNIT_CASE(lpae_s2_perms),
	KUNIT_CASE(lpae_s2_concat_16k),
	KUNIT_CASE(lpae_s1_16k),
	KUNIT_CASE(lpae_s1_64k),
	KUNIT_CASE(v7s_sizes),
	KUNIT_CASE(v7s_perms),
	KUNIT_CASE(v7s_mem_types),
	KUNIT_CASE(v7s_faults),
	KUNIT_CASE(amd_sizes),
	KUNIT_CASE(amd_perms),
	KUNIT_CASE(amd_malformed),
	KUNIT_CASE(amd_skipped_level),
	KUNIT_CASE(vtd_sl_sizes),
	KUNIT_CASE(vtd_sl_perms),
	KUNIT_CASE(vtd_sl_faults),
	KUNIT_CASE(vtd_fl_sizes),
	KUNIT_CASE(vtd_fl_perms),
	KUNIT_CASE(vtd_fl_faults),
	KUNIT_CASE(bad_config),
	{}
};

struct kunit_suite iox_pt_ref_test_suite = {
	.name = "iox_pt_ref",
	.init = ref_init,
	.exit = ref_exit,
	.test_cases = iox_pt_ref_test_cases,
};
