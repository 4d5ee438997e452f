/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pt-levels.h for the level count PT_LEVELS: once as it is, and once with
 * the PT_G4K shape where the format defines PT_FIXED_4K. pt-walk.h
 * includes this once per level count.
 */

#define PT_LFN(x)	_PT_CAT(PT_FN(x), PT_LEVELS)
#define PT_GEOM		PT_LEVELS
#include "pt-levels.h"
#undef PT_GEOM
#undef PT_LFN

#ifdef PT_FIXED_4K
#define PT_LFN(x)	_PT_CAT(_PT_CAT(PT_FN(x), PT_LEVELS), _4k)
#define PT_GEOM		(PT_LEVELS | PT_G4K)
#include "pt-levels.h"
#undef PT_GEOM
#undef PT_LFN
#endif
