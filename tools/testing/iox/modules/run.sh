#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Out-of-tree layer: build drivers/iox (and the KUnit shim module, when the
# target kernel has no KUnit of its own) as modules for the installed stock
# amd64 kernel and, cross-compiled, for the matching Debian arm64 kernel.
# Every build runs with W=1 and C=2 (sparse on every file).
#
# Two tests per architecture:
#   build-<arch>  make succeeded and the log holds no compiler, sparse or
#                 modpost warning/error from iox's own files;
#   kos-<arch>    the expected modules exist (shim if needed, iox.ko,
#                 iox_mock.ko, at least one *_test.ko, all of modules.order),
#                 drivers' libraries (*_lib.ko) and the drivers tested on
#                 register models (iox_arm_smmu.ko, iox_msm.ko) ordered
#                 before the tests,
#                 carry the target kernel's vermagic, and each module's
#                 dependencies come before it in the load order.
# The modules are copied to the out dirs for the VM layer together with
# `load-order` (one file name per line, insmod order) and `kernel-release`.
#
# Usage: run.sh [--build DIR] [--result-file F] [--out-x86 DIR]
#               [--out-arm64 DIR] [--arm64-dir DIR]
#   --build       scratch dir (default <repo>/.build/modules)
#   --result-file gets "<passed> <failed> <skipped>"
#   --out-x86     x86_64 modules (default <build>/out/x86_64)
#   --out-arm64   arm64 modules (default <build>/out/arm64)
#   --arm64-dir   where fetch-arm64.sh keeps the arm64 kernel and headers
#                 (default <repo>/.build/arm64, shared with the VM layer)

set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../../.." && pwd)
iox_tools=$top/tools/testing/iox

build=$top/.build/modules
result_file=
out_x86=
out_arm64=
arm64_dir=$top/.build/arm64

die() {
	echo "modules: $*" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case "$1" in
	--build) build=${2:?--build needs a directory}; shift 2 ;;
	--result-file) result_file=${2:?--result-file needs a file}; shift 2 ;;
	--out-x86) out_x86=${2:?--out-x86 needs a directory}; shift 2 ;;
	--out-arm64) out_arm64=${2:?--out-arm64 needs a directory}; shift 2 ;;
	--arm64-dir) arm64_dir=${2:?--arm64-dir needs a directory}; shift 2 ;;
	-h|--help) sed -n '/^# Usage:/,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done

# Kbuild wants absolute paths for M=; the out dirs are handed to other layers.
mkdir -p "$build"
build=$(cd "$build" && pwd)
# Runs sharing a build dir (a developer's and `make check`'s) would clobber
# each other's tree, build and log: take turns.
exec 9>"$build/.lock"
if ! flock -n 9; then
	echo "modules: waiting for another run using $build"
	flock 9
fi
out_x86=${out_x86:-$build/out/x86_64}
out_arm64=${out_arm64:-$build/out/arm64}
mkdir -p "$out_x86" "$out_arm64"
out_x86=$(cd "$out_x86" && pwd)
out_arm64=$(cd "$out_arm64" && pwd)

[ -x "$iox_tools/deps.sh" ] || die "$iox_tools/deps.sh is missing"
# kmod: modinfo for the vermagic/depends checks; rsync is not needed.
"$iox_tools/deps.sh" make gcc sparse kmod linux-headers-amd64 linux-image-amd64 \
	gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu

[ -d "$top/drivers/iox" ] || die "no drivers/iox in $top"
jobs=$(nproc)

passed=0
failed=0
skipped=0
pass() { passed=$((passed + 1)); echo "ok: $1"; }
fail() { failed=$((failed + 1)); echo "FAIL: $1" >&2; }

# The headers of the stock amd64 kernel: the version the linux-headers-amd64
# metapackage pulled in (as fetch-arm64.sh picks the arm64 one, and as the
# VM layer boots linux-image-amd64), else the newest installed.  The running
# kernel is irrelevant.
x86_headers() {
	local v h
	v=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
		sed -n 's/^linux-headers-\([0-9][^ ]*-amd64\) .*/\1/p')
	if [ -n "$v" ]; then
		h=/usr/src/linux-headers-$v
	else
		h=$(find /usr/src -maxdepth 1 -name 'linux-headers-*-amd64' | sort -V | tail -n 1)
	fi
	[ -n "$h" ] && [ -f "$h/Module.symvers" ] || return 1
	echo "$h"
}

# Build one architecture.  $1 arch name, $2 headers dir, $3 out dir, then
# extra make arguments.  Counts two tests.
build_arch() {
	local arch=$1 hdr=$2 out=$3
	shift 3
	local src=$build/src-$arch
	local log=$build/build-$arch.log
	local krel shim_dir need_shim=0 rc=0 t0 t1

	# Whatever this run does not rebuild must not be loaded by the VM layer.
	rm -f "$out"/*.ko "$out/load-order" "$out/kernel-release"
	krel=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
		"$hdr/include/generated/utsrelease.h")
	[ -n "$krel" ] || { fail "build-$arch: no UTS_RELEASE in $hdr"; fail "kos-$arch: not built"; return; }
	echo "modules: $arch against $hdr ($krel)"

	# Fresh copy every run: an incremental build would not repeat the
	# compiler warnings of files it does not recompile, so the warning check
	# would pass on stale evidence.  The relative layout of the repo is kept
	# so include paths relative to drivers/iox resolve the same way.
	rm -rf "$src"
	mkdir -p "$src/drivers" "$src/include/linux" "$src/include/uapi/linux" \
		"$src/tools/testing/iox"
	cp -a "$top/drivers/iox" "$src/drivers/"
	cp -a "$top"/include/linux/iox*.h "$top"/include/linux/vcm.h \
		"$src/include/linux/" 2>/dev/null || true
	cp -a "$top"/include/uapi/linux/iox*.h "$src/include/uapi/linux/" 2>/dev/null || true
	# Leftover build products in the repo would be copied as up-to-date.
	find "$src" \( -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
		-o -name '.*.cmd' -o -name 'Module.symvers' -o -name 'modules.order' \) -delete

	# A kernel with KUnit built in provides kunit/test.h itself; the stock
	# Debian kernels do not (# CONFIG_KUNIT is not set), so the shim is needed.
	grep -Eq '^CONFIG_KUNIT=(y|m)$' "$hdr/.config" || need_shim=1
	shim_dir=$src/tools/testing/iox/kunit-shim
	: >"$log"
	t0=$(date +%s%N)
	if [ $need_shim = 1 ]; then
		if [ -d "$iox_tools/kunit-shim" ]; then
			cp -a "$iox_tools/kunit-shim" "$src/tools/testing/iox/"
			find "$shim_dir" \( -name '*.o' -o -name '*.ko' -o -name '*.mod' \
				-o -name '*.mod.c' -o -name '.*.cmd' -o -name 'Module.symvers' \
				-o -name 'modules.order' \) -delete
			echo "\$ make -C $hdr M=$shim_dir W=1 C=2 $*" >>"$log"
			make -C "$hdr" M="$shim_dir" W=1 C=2 -j"$jobs" "$@" modules \
				>>"$log" 2>&1 || rc=$?
		else
			echo "modules: $hdr has no KUnit and tools/testing/iox/kunit-shim is missing" >>"$log"
			rc=1
		fi
	fi
	if [ $rc = 0 ]; then
		local extra=()
		[ $need_shim = 0 ] || extra=(KBUILD_EXTRA_SYMBOLS="$shim_dir/Module.symvers")
		echo "\$ make -C $hdr M=$src/drivers/iox W=1 C=2 ${extra[*]} $*" >>"$log"
		make -C "$hdr" M="$src/drivers/iox" W=1 C=2 -j"$jobs" "${extra[@]}" "$@" \
			modules >>"$log" 2>&1 || rc=$?
	fi
	t1=$(date +%s%N)
	t1=$(((t1 - t0) / 100000000))
	echo "modules: $arch build took $((t1 / 10)).$((t1 % 10)) s, log $log"

	# Diagnostics from our sources (the copy, shown with repo paths) count;
	# so does every modpost complaint, which is always about our modules.
	# Kernel-header diagnostics are shown but not counted.
	local ours others
	ours=$(grep -E "^$src/[^:]*:([0-9]+:)*[[:space:]]*(fatal )?(warning|error):|^(WARNING|ERROR): modpost:" \
		"$log" | sed "s|$src/|$top/|g" || true)
	others=$(grep -E ':[[:space:]]*(fatal )?(warning|error):' "$log" | grep -v "^$src/" || true)
	if [ -n "$others" ]; then
		echo "modules: $arch: diagnostics outside iox sources (not counted):"
		echo "$others" | sed 's/^/    /'
	fi
	if [ $rc != 0 ]; then
		fail "build-$arch: make failed (exit $rc); last lines of $log:"
		tail -n 30 "$log" | sed "s|$src/|$top/|g; s/^/    /" >&2
	elif [ -n "$ours" ]; then
		fail "build-$arch: $(echo "$ours" | wc -l) warning(s)/error(s) in iox sources:"
		echo "$ours" | sed 's/^/    /' >&2
	else
		pass "build-$arch (W=1, sparse: clean)"
	fi

	check_kos "$arch" "$src" "$shim_dir" "$need_shim" "$krel" "$out"
}

# The modules Kbuild was asked to build in $1, from its modules.order, as
# absolute .ko paths (6.1 writes absolute paths for M= builds; older
# kernels wrote .o names relative to the module dir).
built_modules() {
	local m
	[ -f "$1/modules.order" ] || return 1
	while read -r m; do
		m=${m%.o}
		m=${m%.ko}.ko
		case "$m" in
		/*) echo "$m" ;;
		*) echo "$1/$m" ;;
		esac
	done <"$1/modules.order"
}

# The expected-modules test of one architecture; on success installs the
# modules and the load order into the out dir.
check_kos() {
	local arch=$1 src=$2 shim_dir=$3 need_shim=$4 krel=$5 out=$6
	local problems=() order=() tests=() libs=() extras=() all m f dep vm list

	if [ "$need_shim" = 1 ]; then
		if ! list=$(built_modules "$shim_dir"); then
			problems+=("tools/testing/iox/kunit-shim/modules.order missing")
		elif [ "$(echo "$list" | grep -c .)" != 1 ]; then
			problems+=("the shim must be one module, Kbuild built: ${list//$'\n'/ }")
		else
			order+=("$list")
		fi
	fi
	if list=$(built_modules "$src/drivers/iox"); then
		for f in $list; do
			case "$(basename "$f")" in
			iox.ko|iox_mock.ko) ;;
			*_test.ko) tests+=("$f") ;;
			# Libraries of drivers, which their tests use too, and
			# the drivers whose tests run them on register models
			# in any VM.
			*_lib.ko|iox_arm_smmu.ko|iox_msm.ko) libs+=("$f") ;;
			*) extras+=("$f") ;;
			esac
		done
		for m in iox iox_mock; do
			f=$(echo "$list" | grep "/$m\.ko\$" || true)
			if [ -n "$f" ]; then
				order+=("$f")
			else
				problems+=("Kbuild was not asked for $m.ko (drivers/iox/modules.order)")
			fi
		done
		[ ${#tests[@]} -gt 0 ] ||
			problems+=("Kbuild was not asked for any *_test.ko (drivers/iox/modules.order)")
		order+=(${libs[@]+"${libs[@]}"} "${tests[@]}")
	else
		problems+=("drivers/iox/modules.order missing")
	fi

	all=("${order[@]}" "${extras[@]}")
	for f in "${all[@]}"; do
		[ -f "$f" ] || problems+=("${f#"$src"/} in modules.order but not built")
	done
	# The out dir is flat.
	m=$(for f in "${all[@]}"; do basename "$f"; done | sort | uniq -d)
	[ -z "$m" ] || problems+=("module names used twice: ${m//$'\n'/ }")
	# Loadable on the target kernel, in this order.
	local loaded=" "
	for f in "${order[@]}"; do
		[ -f "$f" ] || continue
		m=$(basename "$f" .ko | tr - _)
		vm=$(modinfo -F vermagic "$f" 2>/dev/null || true)
		case "$vm" in
		"$krel "*) ;;
		*) problems+=("$m.ko vermagic '$vm' does not match $krel") ;;
		esac
		for dep in $(modinfo -F depends "$f" 2>/dev/null | tr ',-' ' _'); do
			case "$loaded" in
			*" $dep "*) ;;
			*) problems+=("$m.ko needs $dep, which is not loaded before it") ;;
			esac
		done
		loaded="$loaded$m "
	done

	if [ ${#problems[@]} -gt 0 ]; then
		fail "kos-$arch:"
		printf '    %s\n' "${problems[@]}" >&2
		return
	fi
	: >"$out/load-order"
	for f in "${order[@]}"; do
		cp "$f" "$out/"
		basename "$f" >>"$out/load-order"
	done
	# Other modules (e.g. hardware drivers) go along but are not auto-loaded.
	for f in "${extras[@]}"; do cp "$f" "$out/"; done
	echo "$krel" >"$out/kernel-release"
	pass "kos-$arch (${#order[@]} modules in $out/load-order${extras[*]:+, ${#extras[@]} more beside it})"
}

if hdr=$(x86_headers); then
	build_arch x86_64 "$hdr" "$out_x86"
else
	fail "build-x86_64: no /usr/src/linux-headers-*-amd64 with Module.symvers"
	fail "kos-x86_64: not built"
fi

# fetch-arm64.sh is idempotent and cheap once done; it proves its headers
# by cross-building a module before writing arm64.env.
if "$iox_tools/fetch-arm64.sh" "$arm64_dir" >"$build/fetch-arm64.log" 2>&1 &&
	[ -f "$arm64_dir/arm64.env" ]; then
	HEADERS=
	# shellcheck source=/dev/null
	. "$arm64_dir/arm64.env"
	build_arch arm64 "$HEADERS" "$out_arm64" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
else
	sed 's/^/    /' "$build/fetch-arm64.log" >&2
	fail "build-arm64: fetch-arm64.sh $arm64_dir failed"
	fail "kos-arm64: not built"
fi

[ -z "$result_file" ] || echo "$passed $failed $skipped" >"$result_file"
echo "modules: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
