/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iox-null: a unit whose hardware does nothing, so a benchmark through the
 * core's public API measures the core and the page-table engine alone.
 */
#ifndef _IOX_NULL_UNIT_H
#define _IOX_NULL_UNIT_H

#include <linux/iox-driver.h>
#include <linux/iox-pt.h>

struct device;

int iox_null_register(const struct iox_pt_cfg *cfg);
void iox_null_unregister(void);
struct iox_pt *iox_null_domain_pt(struct iox_domain *domain);

#endif /* _IOX_NULL_UNIT_H */
