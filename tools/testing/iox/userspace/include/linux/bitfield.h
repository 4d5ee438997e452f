/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for the kernel's FIELD_PREP()/FIELD_GET(). */
#ifndef _IOX_COMPAT_BITFIELD_H
#define _IOX_COMPAT_BITFIELD_H

#include <iox-compat.h>

#define FIELD_PREP(mask, val)	\
	(((__typeof__(mask))(val) << __builtin_ctzll(mask)) & (mask))
#define FIELD_GET(mask, reg)	\
	((__typeof__(mask))(((reg) & (mask)) >> __builtin_ctzll(mask)))

#endif /* _IOX_COMPAT_BITFIELD_H */
