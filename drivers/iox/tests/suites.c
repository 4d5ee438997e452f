// SPDX-License-Identifier: GPL-2.0
/*
 * The iox KUnit suites, registered together: one test module.
 */
#include "iox-test.h"
#include "pt-ref.h"
#include "dma-test.h"

/* The DMA-API backend needs DMA ops (not UML); userspace has its own. */
#if IS_ENABLED(CONFIG_IOX_DMA) || defined(IOX_USERSPACE)
kunit_test_suites(&iox_map_test_suite, &iox_unmap_test_suite,
		  &iox_attach_test_suite, &iox_fault_test_suite,
		  &iox_iotlb_test_suite, &iox_diff_test_suite,
		  &iox_failnth_test_suite, &iox_concurrency_test_suite,
		  &iox_pt_test_suite, &iox_pt_ref_test_suite,
		  &iox_pt_format_test_suite, &iox_iova_test_suite,
		  &iox_dma_test_suite, &iox_dma_resv_test_suite,
		  &iox_dma_fq_test_suite, &iox_dma_policy_test_suite,
		  &iox_dma_bounce_test_suite, &iox_dma_iova_test_suite,
		  &iox_dma_nc_test_suite, &iox_vcm_test_suite,
		  &iox_ctx_test_suite);
#else
kunit_test_suites(&iox_map_test_suite, &iox_unmap_test_suite,
		  &iox_attach_test_suite, &iox_fault_test_suite,
		  &iox_iotlb_test_suite, &iox_diff_test_suite,
		  &iox_failnth_test_suite, &iox_concurrency_test_suite,
		  &iox_pt_test_suite, &iox_pt_ref_test_suite,
		  &iox_pt_format_test_suite, &iox_iova_test_suite,
		  &iox_vcm_test_suite, &iox_ctx_test_suite);
#endif

MODULE_DESCRIPTION("KUnit suites for the iox IOMMU core");
MODULE_LICENSE("GPL");
