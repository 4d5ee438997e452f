/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IOVA allocator's benchmark cases (iova-bench.c), run by bench.c.
 */
#ifndef _IOX_IOVA_BENCH_H
#define _IOX_IOVA_BENCH_H

struct bench_ctx;

#define IOVA_BENCH_FAST_OPS	BIT(20)
#define IOVA_BENCH_FILL		200000UL
#define IOVA_BENCH_HOLES_OPS	100000UL
#define IOVA_BENCH_CHURN_OPS	100000UL

void iova_bench_setup_fast(struct bench_ctx *ctx);
void iova_bench_setup_fast32(struct bench_ctx *ctx);
void iova_bench_setup_empty(struct bench_ctx *ctx);
void iova_bench_setup_holes(struct bench_ctx *ctx);
void iova_bench_setup_100k(struct bench_ctx *ctx);
void iova_bench_setup_1m(struct bench_ctx *ctx);
void iova_bench_run_size1(struct bench_ctx *ctx);
void iova_bench_run_lifo(struct bench_ctx *ctx);
void iova_bench_run_rand(struct bench_ctx *ctx);
void iova_bench_run_fill(struct bench_ctx *ctx);
void iova_bench_run_holes(struct bench_ctx *ctx);
void iova_bench_run_churn(struct bench_ctx *ctx);
void iova_bench_check(struct bench_ctx *ctx);

#endif /* _IOX_IOVA_BENCH_H */
