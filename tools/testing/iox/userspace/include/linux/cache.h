/* SPDX-License-Identifier: GPL-2.0 */
/* Stands in for the kernel header of the same name. */
#include <iox-compat.h>
