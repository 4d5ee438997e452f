// SPDX-License-Identifier: GPL-2.0
/*
 * iox-bench: the page-table engine measured through the core's public API
 * (iox_map / iox_unmap / iox_iova_to_phys / iox_domain_free) on a domain of
 * the null unit: ARM LPAE stage 1, 4K granule, 48-bit input and output,
 * 4K|2M|1G, coherent walker, prot read+write+cache, IOVA base 4 GiB.
 *
 * Usage: iox-bench [--tsv] [--runs N] [--case NAME] [--callgrind] [--list]
 *
 * Each case is run once to warm up (tables and arena pages touched), then
 * N times (default 9, at least 5; pt.map4k.single.mt2 at least 31, as
 * one of its runs takes milliseconds); each run builds what it needs outside
 * the timed region and checks every call's result. Reported: median, min
 * and max nanoseconds per op over the runs. --tsv prints "case<TAB>median"
 * lines instead (the ratio for pt.map4k.single.mt2).
 *
 * With --callgrind the program expects to run under valgrind --tool=callgrind
 * --instr-atstart=no: it runs each case once after the warm-up with
 * instrumentation on only around the measured region, zeroing the counters
 * before it and dumping them after it (the dump is named after the case);
 * run.sh divides the dump's Ir by the op count printed on stdout.
 *
 * The iova.* cases (iova-bench.c) measure the IOVA allocator the same
 * way: 4K granules, 48-bit limit.
 *
 * The program exits non-zero if a call returns something other than what
 * the API promises, a WARN fires or memory leaks: numbers of a broken run
 * are not results.
 */
#define _GNU_SOURCE
#include <linux/sizes.h>
#include <linux/err.h>
#include <linux/dma-mapping.h>
#include <linux/iox-dma.h>
#include <time.h>
#include <valgrind/callgrind.h>
#include "null-unit.h"
#include "iova-bench.h"

#define IOVA_BASE	(4ULL << 30)
#define PADDR_2M	(128ULL << 30)
#define PADDR_4K	(PADDR_2M + SZ_4K)	/* no larger page fits */
#define GIB		BIT_ULL(30)
#define PAGES_4K	(GIB >> 12)		/* 262144 */
#define PAGES_2M	(GIB >> 21)		/* 512 */
#define LOOKUPS		BIT(20)
#define PROT		(IOX_READ | IOX_WRITE | IOX_CACHE)
#define MAX_RUNS	101

/**
 * struct bench_ctx - what one run of a case works on
 * @domain: the paging domain, NULL between runs
 * @addrs: pt.lookup's random IOVAs, generated outside the timed region
 * @expect: the sum of the physical addresses @addrs translate to
 * @sum: the sum the timed loop computed
 * @tables_after: table pages left when the run ended (before teardown)
 */
struct bench_ctx {
	struct iox_domain *domain;
	unsigned long *addrs;
	u64 expect;
	u64 sum;
	long tables_after;
};

/**
 * struct bench_case - one measured operation
 * @name: the case's name, as in the issue
 * @unit: what one op is ("call", "page", "2M page", "domain")
 * @ops: ops per run: the divisor of the run's time and instructions
 * @setup: builds the run's state; not measured
 * @run: the measured region
 * @check: verifies the run and frees its state; not measured
 * @target_ir: the target in instructions per op, 0 for none
 * @linux_ir: Linux 6.1 io-pgtable-arm on the same work, 0 if not measured
 */
struct bench_case {
	const char *name;
	const char *unit;
	unsigned long ops;
	void (*setup)(struct bench_ctx *ctx);
	void (*run)(struct bench_ctx *ctx);
	void (*check)(struct bench_ctx *ctx);
	double target_ir;
	double linux_ir;
};

static struct device bench_dev = { .name = "iox-bench0" };
static const struct iox_pt_cfg bench_cfg = {
	.format = IOX_PT_ARM_LPAE_S1,
	.granule_shift = 12,
	.ias = 48,
	.oas = 48,
	.pgsize_bitmap = SZ_4K | SZ_2M | SZ_1G,
};

static bool callgrind_mode;

static void __noreturn die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "iox-bench: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static long table_pages(struct iox_domain *domain)
{
	return atomic_long_read(&iox_null_domain_pt(domain)->table_pages);
}

static struct iox_domain *new_domain(unsigned long restrict_mask)
{
	struct iox_domain *domain;

	domain = iox_domain_alloc(&bench_dev, IOX_DOMAIN_PAGING);
	if (IS_ERR(domain))
		die("iox_domain_alloc: %ld", PTR_ERR(domain));
	if (restrict_mask && iox_domain_restrict_pgsizes(domain, restrict_mask))
		die("iox_domain_restrict_pgsizes failed");
	return domain;
}

static void map_or_die(struct iox_domain *domain, u64 iova, u64 paddr,
		       u64 size)
{
	int ret = iox_map(domain, iova, paddr, size, PROT, GFP_KERNEL);

	if (ret)
		die("iox_map(%#llx, %#llx, %#llx): %d", iova, paddr, size, ret);
}

static void free_domain(struct bench_ctx *ctx)
{
	iox_domain_free(ctx->domain);
	ctx->domain = NULL;
}

/* Every page of [IOVA_BASE, +1G) translates to @paddr + offset, or none. */
static void check_gib(struct iox_domain *domain, u64 paddr, u64 step)
{
	u64 off;

	for (off = 0; off < GIB; off += step) {
		phys_addr_t got = iox_iova_to_phys(domain, IOVA_BASE + off);
		phys_addr_t want = paddr ? paddr + off : 0;

		if (got != want)
			die("iova %#llx -> %#llx, expected %#llx",
			    IOVA_BASE + off, got, want);
	}
}

static void setup_empty(struct bench_ctx *ctx)
{
	ctx->domain = new_domain(0);
}

static void setup_empty_2m(struct bench_ctx *ctx)
{
	ctx->domain = new_domain(SZ_4K | SZ_2M);
}

static void setup_mapped_4k(struct bench_ctx *ctx)
{
	ctx->domain = new_domain(0);
	map_or_die(ctx->domain, IOVA_BASE, PADDR_4K, GIB);
}

/* 512 single 2M maps: a 1G-aligned bulk map would use one 1G page. */
static void setup_mapped_2m(struct bench_ctx *ctx)
{
	unsigned long i;

	ctx->domain = new_domain(0);
	for (i = 0; i < PAGES_2M; i++)
		map_or_die(ctx->domain, IOVA_BASE + i * SZ_2M,
			   PADDR_2M + i * SZ_2M, SZ_2M);
}

static void setup_mapped_2m_bulk(struct bench_ctx *ctx)
{
	ctx->domain = new_domain(SZ_4K | SZ_2M);
	map_or_die(ctx->domain, IOVA_BASE, PADDR_2M, GIB);
}

static void run_map4k_single(struct bench_ctx *ctx)
{
	struct iox_domain *domain = ctx->domain;
	unsigned long i;

	for (i = 0; i < PAGES_4K; i++)
		if (unlikely(iox_map(domain, IOVA_BASE + i * SZ_4K,
				     PADDR_4K + i * SZ_4K, SZ_4K, PROT,
				     GFP_KERNEL)))
			die("map4k.single: page %lu refused", i);
}

static void run_unmap4k_single(struct bench_ctx *ctx)
{
	struct iox_domain *domain = ctx->domain;
	unsigned long i;

	for (i = 0; i < PAGES_4K; i++)
		if (unlikely(iox_unmap(domain, IOVA_BASE + i * SZ_4K, SZ_4K) !=
			     SZ_4K))
			die("unmap4k.single: page %lu not unmapped", i);
}

static void run_map_gib_4k(struct bench_ctx *ctx)
{
	map_or_die(ctx->domain, IOVA_BASE, PADDR_4K, GIB);
}

static void run_map_gib_2m(struct bench_ctx *ctx)
{
	map_or_die(ctx->domain, IOVA_BASE, PADDR_2M, GIB);
}

static void run_unmap_gib(struct bench_ctx *ctx)
{
	ssize_t ret = iox_unmap(ctx->domain, IOVA_BASE, GIB);

	if (ret != GIB)
		die("unmap of the GiB returned %zd", ret);
}

static void run_map2m_single(struct bench_ctx *ctx)
{
	struct iox_domain *domain = ctx->domain;
	unsigned long i;

	for (i = 0; i < PAGES_2M; i++)
		if (unlikely(iox_map(domain, IOVA_BASE + i * SZ_2M,
				     PADDR_2M + i * SZ_2M, SZ_2M, PROT,
				     GFP_KERNEL)))
			die("map2m.single: page %lu refused", i);
}

static void run_unmap2m_single(struct bench_ctx *ctx)
{
	struct iox_domain *domain = ctx->domain;
	unsigned long i;

	for (i = 0; i < PAGES_2M; i++)
		if (unlikely(iox_unmap(domain, IOVA_BASE + i * SZ_2M, SZ_2M) !=
			     SZ_2M))
			die("unmap2m.single: page %lu not unmapped", i);
}

/* splitmix64, fixed seed: every run looks up the same addresses. */
static u64 bench_rand(u64 *state)
{
	u64 z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void setup_lookup(struct bench_ctx *ctx)
{
	u64 rng = 42, off;
	unsigned long i;

	setup_mapped_4k(ctx);
	if (!ctx->addrs) {
		ctx->addrs = malloc(LOOKUPS * sizeof(*ctx->addrs));
		if (!ctx->addrs)
			die("out of memory");
	}
	ctx->expect = 0;
	for (i = 0; i < LOOKUPS; i++) {
		off = bench_rand(&rng) & (GIB - 1);
		ctx->addrs[i] = IOVA_BASE + off;
		ctx->expect += PADDR_4K + off;
	}
}

static void run_lookup(struct bench_ctx *ctx)
{
	struct iox_domain *domain = ctx->domain;
	const unsigned long *addrs = ctx->addrs;
	u64 sum = 0;
	unsigned long i;

	for (i = 0; i < LOOKUPS; i++)
		sum += iox_iova_to_phys(domain, addrs[i]);
	ctx->sum = sum;
}

static void run_teardown(struct bench_ctx *ctx)
{
	iox_domain_free(ctx->domain);
}

static void check_map4k(struct bench_ctx *ctx)
{
	ctx->tables_after = table_pages(ctx->domain);
	check_gib(ctx->domain, PADDR_4K, SZ_4K);
	free_domain(ctx);
}

static void check_map2m(struct bench_ctx *ctx)
{
	struct iox_leaf leaf;

	if (iox_lookup(ctx->domain, IOVA_BASE + GIB / 2 + SZ_4K, &leaf) ||
	    leaf.pgsize != SZ_2M)
		die("the GiB is not mapped with 2M pages");
	ctx->tables_after = table_pages(ctx->domain);
	check_gib(ctx->domain, PADDR_2M, SZ_2M);
	free_domain(ctx);
}

static void check_unmapped(struct bench_ctx *ctx)
{
	ctx->tables_after = table_pages(ctx->domain);
	check_gib(ctx->domain, 0, SZ_2M);
	free_domain(ctx);
}

static void check_lookup(struct bench_ctx *ctx)
{
	if (ctx->sum != ctx->expect)
		die("lookup: sum of translations %#llx, expected %#llx",
		    ctx->sum, ctx->expect);
	free_domain(ctx);
}

static void check_teardown(struct bench_ctx *ctx)
{
	ctx->domain = NULL;
}

/*
 * dma.map_sg.64: dma_map_sg() + dma_unmap_sg() of a 64 x 4K list through
 * the DMA-API backend, a second device of the null unit in a strict
 * IOX_DOMAIN_DMA domain (iox_dma_attach()); per list, map and unmap.
 */
#define SG_ENTS		64
#define SG_ROUNDS	4096

/* A device that snoops CPU caches, as on x86: no cache maintenance. */
static struct device bench_dma_dev = {
	.name = "iox-bench-dma",
	.dma_coherent = true,
};
static u64 bench_dma_mask;
static struct scatterlist bench_sgl[SG_ENTS];
static struct page *bench_sg_pages[SG_ENTS];

static void setup_dma_sg(struct bench_ctx *ctx)
{
	unsigned int i;

	bench_dma_dev.dma_mask = &bench_dma_mask;
	if (iox_dma_attach(&bench_dma_dev, IOX_DOMAIN_DMA, 0) ||
	    dma_set_mask_and_coherent(&bench_dma_dev, DMA_BIT_MASK(48)))
		die("cannot attach the DMA device");
	sg_init_table(bench_sgl, SG_ENTS);
	for (i = 0; i < SG_ENTS; i++) {
		/* Every other page: no two entries physically contiguous. */
		bench_sg_pages[i] = alloc_pages(GFP_KERNEL, 1);
		if (!bench_sg_pages[i])
			die("no memory");
		sg_set_page(&bench_sgl[i], bench_sg_pages[i], SZ_4K, 0);
	}
	ctx->sum = 0;
}

static void run_dma_sg(struct bench_ctx *ctx)
{
	unsigned long i;
	u64 segs = 0;

	for (i = 0; i < SG_ROUNDS; i++) {
		segs += dma_map_sg(&bench_dma_dev, bench_sgl, SG_ENTS,
				   DMA_TO_DEVICE);
		dma_unmap_sg(&bench_dma_dev, bench_sgl, SG_ENTS,
			     DMA_TO_DEVICE);
	}
	ctx->sum = segs;
}

/* 64 whole pages in 64 KiB DMA segments (the default maximum): 4. */
static void check_dma_sg(struct bench_ctx *ctx)
{
	struct iox_dma_stats st;
	unsigned int i;

	if (ctx->sum != (u64)SG_ROUNDS * (SG_ENTS * SZ_4K / SZ_64K))
		die("dma_map_sg: %llu segments in %d lists", ctx->sum,
		    SG_ROUNDS);
	if (iox_dma_get_stats(&bench_dma_dev, &st) || st.live_mappings ||
	    st.bad_unmaps || st.map_errors)
		die("the DMA backend left mappings or refused calls");
	iox_dma_detach(&bench_dma_dev);
	for (i = 0; i < SG_ENTS; i++)
		__free_pages(bench_sg_pages[i], 1);
	ctx->tables_after = 0;
}

/* Ir targets and Linux 6.1 figures: issue 3 and design.md. */
static const struct bench_case cases[] = {
	{ "pt.map4k.single", "call", PAGES_4K, setup_empty,
	  run_map4k_single, check_map4k, 150, 371 },
	{ "pt.unmap4k.single", "call", PAGES_4K, setup_mapped_4k,
	  run_unmap4k_single, check_unmapped, 120, 294 },
	{ "pt.map4k.bulk", "page", PAGES_4K, setup_empty,
	  run_map_gib_4k, check_map4k, 8, 24.7 },
	{ "pt.unmap4k.bulk", "page", PAGES_4K, setup_mapped_4k,
	  run_unmap_gib, check_unmapped, 10, 47.5 },
	{ "pt.lookup", "call", LOOKUPS, setup_lookup,
	  run_lookup, check_lookup, 80, 193 },
	{ "pt.map2m.single", "call", PAGES_2M, setup_empty,
	  run_map2m_single, check_map2m, 150, 326 },
	{ "pt.unmap2m.single", "call", PAGES_2M, setup_mapped_2m,
	  run_unmap2m_single, check_unmapped, 0, 0 },
	{ "pt.map2m.bulk", "2M page", PAGES_2M, setup_empty_2m,
	  run_map_gib_2m, check_map2m, 0, 0 },
	{ "pt.unmap2m.bulk", "2M page", PAGES_2M, setup_mapped_2m_bulk,
	  run_unmap_gib, check_unmapped, 0, 0 },
	{ "pt.teardown", "domain", 1, setup_mapped_4k,
	  run_teardown, check_teardown, 0, 0 },
	/* The IOVA allocator (iova-bench.c); Linux 6.1 iova.c in design.md. */
	{ "iova.fast.size1", "pair", IOVA_BENCH_FAST_OPS, iova_bench_setup_fast,
	  iova_bench_run_size1, iova_bench_check, 60, 99 },
	{ "iova.fast.size1.dma32", "pair", IOVA_BENCH_FAST_OPS,
	  iova_bench_setup_fast32, iova_bench_run_size1, iova_bench_check,
	  0, 0 },
	{ "iova.fast.lifo1-32", "pair", IOVA_BENCH_FAST_OPS,
	  iova_bench_setup_fast, iova_bench_run_lifo, iova_bench_check, 0, 0 },
	{ "iova.fast.rand1-32", "pair", IOVA_BENCH_FAST_OPS,
	  iova_bench_setup_fast, iova_bench_run_rand, iova_bench_check, 70, 122 },
	{ "iova.slow.fill", "call", IOVA_BENCH_FILL, iova_bench_setup_empty,
	  iova_bench_run_fill, iova_bench_check, 0, 0 },
	{ "iova.slow.holes", "call", IOVA_BENCH_HOLES_OPS,
	  iova_bench_setup_holes, iova_bench_run_holes, iova_bench_check,
	  150, 344 },
	{ "iova.churn.100k", "pair", IOVA_BENCH_CHURN_OPS,
	  iova_bench_setup_100k, iova_bench_run_churn, iova_bench_check,
	  1000, 46700 },
	{ "iova.churn.1m", "pair", IOVA_BENCH_CHURN_OPS, iova_bench_setup_1m,
	  iova_bench_run_churn, iova_bench_check, 1000, 0 },
	{ "dma.map_sg.64", "list", SG_ROUNDS, setup_dma_sg,
	  run_dma_sg, check_dma_sg, 0, 0 },
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/**
 * struct bench_stat - one case's result over its runs
 * @median: median of the runs
 * @min: fastest run
 * @max: slowest run
 */
struct bench_stat {
	double median, min, max;
};

static struct bench_stat stat_of(double *v, unsigned int n)
{
	struct bench_stat s;

	qsort(v, n, sizeof(*v), cmp_double);
	s.min = v[0];
	s.max = v[n - 1];
	s.median = n & 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	return s;
}

/* One run; returns ns per op. */
static double run_case(const struct bench_case *c, struct bench_ctx *ctx,
		       bool measured_by_callgrind)
{
	u64 t0, t1;

	c->setup(ctx);
	if (measured_by_callgrind) {
		CALLGRIND_START_INSTRUMENTATION;
		CALLGRIND_ZERO_STATS;
	}
	t0 = now_ns();
	c->run(ctx);
	t1 = now_ns();
	if (measured_by_callgrind) {
		CALLGRIND_DUMP_STATS_AT(c->name);
		CALLGRIND_STOP_INSTRUMENTATION;
	}
	c->check(ctx);
	return (double)(t1 - t0) / c->ops;
}

/*
 * pt.map4k.single.mt2: each thread maps MT_GIBS GiB of its own, one 4K
 * call at a time, in one domain; thread t owns GiBs [t * MT_GIBS,
 * (t + 1) * MT_GIBS) above IOVA_BASE.
 */
#define MT_GIBS		2

/*
 * Runs of mt2 at least: one is a few milliseconds, and on a shared VM
 * interference comes in bursts that slow both threads several times over
 * for a run or two; a median over many runs sees past them.
 */
#define MT_RUNS		31

/*
 * A start line the threads spin at, so both begin within nanoseconds: a
 * pthread barrier wakes a sleeping thread, and a vCPU woken from idle can
 * take milliseconds, which a run of a few milliseconds would count as the
 * engine's.
 */
struct mt_start {
	unsigned int arrived;
	unsigned int nthreads;
};

static void mt_start_wait(struct mt_start *start)
{
	__atomic_fetch_add(&start->arrived, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&start->arrived, __ATOMIC_ACQUIRE) <
	       start->nthreads)
		;
}

/**
 * struct mt_arg - one mapping thread
 * @domain: the shared domain
 * @start: released when every thread is ready
 * @id: the thread's number, which picks its GiBs
 * @t0: when the thread started mapping
 * @t1: when it finished
 */
struct mt_arg {
	struct iox_domain *domain;
	struct mt_start *start;
	unsigned int id;
	u64 t0, t1;
};

static void *mt_mapper(void *data)
{
	struct mt_arg *a = data;
	u64 off = (u64)a->id * MT_GIBS * GIB;
	u64 iova = IOVA_BASE + off, paddr = PADDR_4K + off;
	unsigned long i;

	iox_compat_cpu_enter();
	mt_start_wait(a->start);
	a->t0 = now_ns();
	for (i = 0; i < MT_GIBS * PAGES_4K; i++)
		if (unlikely(iox_map(a->domain, iova + i * SZ_4K,
				     paddr + i * SZ_4K, SZ_4K, PROT,
				     GFP_KERNEL)))
			die("mt2: thread %u page %lu refused", a->id, i);
	a->t1 = now_ns();
	iox_compat_cpu_leave();
	return NULL;
}

/*
 * The machine's own ceiling for two threads: the same timing around an
 * arithmetic loop that shares nothing. Where the cores are not really
 * parallel (a VM's vCPUs on one host core), it is near 1, and so is any
 * pt.map4k.single.mt2 however well the engine scales.
 */
#define SPIN_ITERS	20000000UL

static void *mt_spinner(void *data)
{
	struct mt_arg *a = data;
	u64 x = a->id;
	unsigned long i;

	mt_start_wait(a->start);
	a->t0 = now_ns();
	for (i = 0; i < SPIN_ITERS; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		asm volatile("" : "+r" (x));	/* keep every step */
	}
	a->t1 = now_ns();
	return NULL;
}

/*
 * Wall time of @nthreads threads mapping their GiBs (or spinning), from the first start
 * to the last end as the threads see them (the main thread sleeps: on two
 * cores it would compete with them), each GiB checked after.
 */
static double mt_run(unsigned int nthreads, bool spin)
{
	struct mt_arg args[2];
	pthread_t tid[2];
	struct mt_start start = { 0, nthreads };
	struct iox_domain *domain = new_domain(0);
	unsigned int i;
	u64 t0 = U64_MAX, t1 = 0, off;

	for (i = 0; i < nthreads; i++) {
		args[i] = (struct mt_arg){ domain, &start, i };
		if (pthread_create(&tid[i], NULL, spin ? mt_spinner : mt_mapper,
				   &args[i]))
			die("pthread_create failed");
	}
	for (i = 0; i < nthreads; i++) {
		pthread_join(tid[i], NULL);
		t0 = min(t0, args[i].t0);
		t1 = max(t1, args[i].t1);
	}
	for (off = 0; !spin && off < nthreads * MT_GIBS * GIB; off += SZ_4K)
		if (iox_iova_to_phys(domain, IOVA_BASE + off) != PADDR_4K + off)
			die("mt2: wrong translation at %#llx", IOVA_BASE + off);
	iox_domain_free(domain);
	return (double)(t1 - t0);
}

static const char *verdict(bool pass)
{
	return pass ? "PASS" : "MISS";
}

static void print_tables(bool tsv, const char *name, long pages, long target)
{
	if (tsv) {
		printf("%s\t%ld\n", name, pages);
		return;
	}
	printf("%-30s %8ld table pages", name, pages);
	if (target)
		printf("   target <= %ld (root only): %s", target,
		       verdict(pages <= target));
	printf("\n");
}

static void __noreturn bad_usage(const char *prog)
{
	fprintf(stderr, "usage: %s %s\n", prog,
		"[--tsv] [--runs N] [--case NAME] [--callgrind] [--list]");
	exit(2);
}

/* For run.sh: name, ops per run, op unit, Ir target, Linux 6.1 Ir. */
static int list_cases(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		printf("%s\t%lu\t%s\t%g\t%g\n", cases[i].name, cases[i].ops,
		       cases[i].unit, cases[i].target_ir, cases[i].linux_ir);
	printf("pt.map4k.single.mt2\t%llu\tcall\t0\t0\n",
	       2 * MT_GIBS * PAGES_4K);
	return 0;
}

/**
 * main() - run the cases and print their results
 * @argc: argument count
 * @argv: --tsv, --runs N, --case NAME, --callgrind or --list
 *
 * Context: A userspace program.
 * Return: 0; 2 for a bad argument (a wrong result exits with 1).
 */
int main(int argc, char **argv)
{
	const char *only = NULL;
	unsigned int runs = 9, i, r;
	struct bench_ctx ctx = { 0 };
	double v[MAX_RUNS], w[MAX_RUNS];
	long tables[ARRAY_SIZE(cases)];
	long allocs0;
	bool tsv = false;
	int a;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--list"))
			return list_cases();
		if (!strcmp(argv[a], "--tsv"))
			tsv = true;
		else if (!strcmp(argv[a], "--runs") && a + 1 < argc)
			runs = strtoul(argv[++a], NULL, 0);
		else if (!strcmp(argv[a], "--case") && a + 1 < argc)
			only = argv[++a];
		else if (!strcmp(argv[a], "--callgrind"))
			callgrind_mode = true;
		else
			bad_usage(argv[0]);
	}
	if (runs < 5 || runs > MAX_RUNS)
		die("--runs must be 5..%d", MAX_RUNS);

	allocs0 = iox_compat_live_allocs();
	if (iox_null_register(&bench_cfg) || iox_probe_device(&bench_dev) ||
	    iox_probe_device(&bench_dma_dev))
		die("cannot register the null unit and its devices");

	if (!tsv && !callgrind_mode)
		printf("%-30s %9s %9s %9s  %s (%u runs)\n", "case", "median",
		       "min", "max", "ns per op", runs);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct bench_case *c = &cases[i];
		struct bench_stat s;

		tables[i] = -1;
		if (only && strcmp(only, c->name))
			continue;
		run_case(c, &ctx, false);	/* warm-up */
		if (callgrind_mode) {
			run_case(c, &ctx, true);
			/* run.sh divides the dump's Ir by the op count. */
			printf("%s\t%s\t%lu\n", c->name, c->name, c->ops);
			if (c->run == run_teardown)
				printf("pt.teardown.page\t%s\t%llu\n", c->name,
				       PAGES_4K);
			continue;
		}
		for (r = 0; r < runs; r++)
			v[r] = run_case(c, &ctx, false);
		tables[i] = ctx.tables_after;
		s = stat_of(v, runs);
		if (tsv) {
			printf("%s\t%.2f\n", c->name, s.median);
			if (c->run == run_teardown)
				printf("pt.teardown.page\t%.4f\n",
				       s.median / PAGES_4K);
		} else {
			printf("%-30s %9.2f %9.2f %9.2f  per %s\n", c->name,
			       s.median, s.min, s.max, c->unit);
			if (c->run == run_teardown)
				printf("%-30s %9.4f %9.4f %9.4f  per page\n",
				       "  (per page)", s.median / PAGES_4K,
				       s.min / PAGES_4K, s.max / PAGES_4K);
		}
	}

	if (!callgrind_mode && (!only || !strcmp(only, "pt.map4k.single.mt2"))) {
		unsigned int mt_runs = max(runs, MT_RUNS);
		double best1 = 1e300, best2 = 1e300;
		struct bench_stat s, c;

		mt_run(1, false);
		mt_run(2, false);	/* warm-up */
		for (r = 0; r < mt_runs; r++) {
			double one = mt_run(1, false), two = mt_run(2, false);

			/* Throughput ratio: twice the pages in time @two. */
			v[r] = 2 * one / two;
			best1 = min(best1, one);
			best2 = min(best2, two);
			one = mt_run(1, true);
			two = mt_run(2, true);
			w[r] = 2 * one / two;
		}
		s = stat_of(v, mt_runs);
		c = stat_of(w, mt_runs);
		if (tsv) {
			printf("pt.map4k.single.mt2\t%.3f\n", s.median);
			printf("pt.map4k.single.mt2.best\t%.3f\n",
			       2 * best1 / best2);
			printf("machine.mt2\t%.3f\n", c.median);
		} else {
			printf("%-30s %9.3f %9.3f %9.3f  %s   target >= 1.8: %s\n",
			       "pt.map4k.single.mt2", s.median, s.min, s.max,
			       "x one thread's throughput",
			       verdict(s.median >= 1.8));
			printf("%-30s %9.3f %9s %9s  %s\n", "  fastest runs",
			       2 * best1 / best2, "", "",
			       "x (one thread's best time over two threads' best)");
			printf("%-30s %9.3f %9.3f %9.3f  %s\n", "  machine ceiling",
			       c.median, c.min, c.max,
			       "x for two threads sharing nothing");
		}
	}

	if (!callgrind_mode && !only) {
		/* Table memory: the GiB mapped with 4K pages, then unmapped. */
		print_tables(tsv, "pt.tables.mapped4k", tables[0], 0);
		print_tables(tsv, "pt.tables.unmapped4k.bulk", tables[3], 1);
		print_tables(tsv, "pt.tables.unmapped4k.single", tables[1], 1);
	}

	free(ctx.addrs);
	iox_release_device(&bench_dma_dev);
	iox_release_device(&bench_dev);
	iox_null_unregister();
	/* Table pages still waiting for a grace period are not leaks. */
	rcu_barrier();
	if (iox_compat_warnings())
		die("%ld WARNs fired", iox_compat_warnings());
	if (iox_compat_live_allocs() != allocs0)
		die("%ld allocations leaked", iox_compat_live_allocs() - allocs0);
	return 0;
}
