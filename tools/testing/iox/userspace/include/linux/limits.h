/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in: the uapi header plus iox-compat.h. */
#include_next <linux/limits.h>
#include <iox-compat.h>
