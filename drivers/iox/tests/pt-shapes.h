/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page-table engine shapes that the parameterised suites and the
 * fuzzer run on: every format, in several granules, input sizes and
 * depths. One list, so a shape added here is tested everywhere.
 */
#ifndef _IOX_PT_SHAPES_H
#define _IOX_PT_SHAPES_H

#include <linux/iox-pt.h>

/**
 * struct iox_pt_shape - a named page-table configuration
 * @name: how tests and the fuzzer call it
 * @cfg: the configuration handed to iox_pt_init()
 */
struct iox_pt_shape {
	const char *name;
	struct iox_pt_cfg cfg;
};

#define IOX_PT_SHAPE(n, fmt, gs, in, out, lv, q) \
	{ .name = n, .cfg = { .format = fmt, .granule_shift = gs, .ias = in, \
			      .oas = out, .levels = lv, .quirks = q } }

static const struct iox_pt_shape iox_pt_shapes[] = {
	IOX_PT_SHAPE("arm-lpae-s1-4k-48", IOX_PT_ARM_LPAE_S1, 12, 48, 48, 0, 0),
	IOX_PT_SHAPE("arm-lpae-s1-4k-39", IOX_PT_ARM_LPAE_S1, 12, 39, 48, 0, 0),
	IOX_PT_SHAPE("arm-lpae-s1-16k-47", IOX_PT_ARM_LPAE_S1, 14, 47, 48, 0, 0),
	IOX_PT_SHAPE("arm-lpae-s1-64k-48", IOX_PT_ARM_LPAE_S1, 16, 48, 48, 0, 0),
	IOX_PT_SHAPE("arm-lpae-s2-4k-40-concat", IOX_PT_ARM_LPAE_S2, 12, 40, 48,
		     0, 0),
	IOX_PT_SHAPE("arm-lpae-s2-16k-40-concat", IOX_PT_ARM_LPAE_S2, 14, 40,
		     48, 0, 0),
	IOX_PT_SHAPE("arm-lpae-s2-64k-42", IOX_PT_ARM_LPAE_S2, 16, 42, 48, 0, 0),
	IOX_PT_SHAPE("arm-v7s", IOX_PT_ARM_V7S, 12, 32, 32, 0, 0),
	IOX_PT_SHAPE("amd-v1-3", IOX_PT_AMD_V1, 12, 0, 48, 3, 0),
	IOX_PT_SHAPE("amd-v1-6", IOX_PT_AMD_V1, 12, 0, 48, 6, 0),
	IOX_PT_SHAPE("vtd-sl-3", IOX_PT_VTD_SL, 12, 0, 48, 3, 0),
	IOX_PT_SHAPE("vtd-sl-5", IOX_PT_VTD_SL, 12, 0, 48, 5, 0),
	IOX_PT_SHAPE("vtd-sl-4-snoop", IOX_PT_VTD_SL, 12, 0, 48, 4,
		     IOX_PT_VTD_SNOOP),
	IOX_PT_SHAPE("vtd-fl-4", IOX_PT_VTD_FL, 12, 0, 48, 4, 0),
	IOX_PT_SHAPE("vtd-fl-5", IOX_PT_VTD_FL, 12, 0, 48, 5, 0),
};

#endif /* _IOX_PT_SHAPES_H */
