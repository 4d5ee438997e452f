# SPDX-License-Identifier: GPL-2.0
#
# iox, top level. Not a Kbuild file: drivers/iox/Makefile is.
#   make check         every test layer; ends with "iox: N passed, N failed, N skipped"
#   make check T=uml   one layer (style userspace-asan userspace-tsan fuzz
#                      modules uml vm-x86 vm-arm64 vm-vtd vm-amd vm-smmuv3
#                      vm-users)
#   make run           iox's main job: QEMU's edu device DMAing through an
#                      iox domain of the VT-d driver, told step by step
#                      (IOMMU=amd: of the AMD-Vi driver; IOMMU=smmuv3: of
#                      the SMMUv3 driver, in the arm64 VM)
#   make bench         page-table benchmark, ns per op (BENCH_ARGS=--tsv)
#   make bench-cg      the same cases, instructions per op under callgrind
# Each installs the Debian packages it needs.

check:
	@tools/testing/iox/check.sh $(T)

run:
	@tools/testing/iox/story.sh --iommu $(or $(IOMMU),intel)

bench:
	@tools/testing/iox/bench/run.sh $(BENCH_ARGS)

bench-cg:
	@tools/testing/iox/bench/run.sh --cg $(BENCH_ARGS)

clean:
	rm -rf .build

.PHONY: check run bench bench-cg clean
