/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in: the definitions are in iox-compat.h. */
#include <iox-compat.h>
