/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for the kernel's ilog2() (n > 0). */
#ifndef _IOX_COMPAT_LOG2_H
#define _IOX_COMPAT_LOG2_H

#include <iox-compat.h>

#define ilog2(n)	((int)__fls((unsigned long)(n)))

#endif /* _IOX_COMPAT_LOG2_H */
