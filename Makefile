# SPDX-License-Identifier: GPL-2.0
#
# iox, top level. Not a Kbuild file: drivers/iox/Makefile is.
#   make check         every test layer; ends with "iox: N passed, N failed, N skipped"
#   make check T=uml   one layer (style userspace-asan userspace-tsan fuzz
#                      modules uml vm-x86 vm-arm64)
#   make run           iox's main job (arrives with the VT-d driver)
#   make bench         page-table benchmark, ns per op (BENCH_ARGS=--tsv)
#   make bench-cg      the same cases, instructions per op under callgrind
# Each installs the Debian packages it needs.

check:
	@tools/testing/iox/check.sh $(T)

run:
	@echo "make run: the VT-d driver (issue 4) brings it: it will boot the VT-d VM," >&2
	@echo "attach edu to an iox domain and show a mapping, a device DMA through it" >&2
	@echo "and the fault after unmap. Today, 'make check' runs everything iox has." >&2
	@exit 2

bench:
	@tools/testing/iox/bench/run.sh $(BENCH_ARGS)

bench-cg:
	@tools/testing/iox/bench/run.sh --cg $(BENCH_ARGS)

clean:
	rm -rf .build

.PHONY: check run bench bench-cg clean
