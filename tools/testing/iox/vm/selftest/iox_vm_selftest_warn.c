// SPDX-License-Identifier: GPL-2.0
#define IOX_VM_SELFTEST_WARN
#include "iox_vm_selftest.c"
