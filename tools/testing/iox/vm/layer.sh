# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# What the VM layers (vm-vtd, vm-amd, vm-smmuv3, vm-users) share, sourced
# by their run.sh after they set:
#   layer     the layer's name, which starts its messages and its dirs'
#             names in BUILDDIR
#   variants  the boots when --variants is not given
# It sets $here, the run.sh's dir, and $iox, tools/testing/iox.
# A layer with options of its own redefines layer_flag, layer_option and
# layer_check_args, and one with per-boot module parameters layer_params,
# after sourcing.

export PATH="$PATH:/usr/sbin:/sbin"	# modinfo
: "${layer:?}" "${variants?}"

here=$(cd "$(dirname "$0")" && pwd)
iox=$(cd "$here/.." && pwd)

moddir='' build='' result_file=''
passed=0 failed=0 skipped=0 status=0

# Say what is wrong with the call and exit 2 (nothing was tested).
die() {
	echo "$layer: $*" >&2
	exit 2
}

# Fail the layer as one failed test and exit 1, writing that result: no
# boot goes without a result (a missing module, say).
fail() {
	echo "$layer: $*" >&2
	[ -z "$result_file" ] || echo "0 1 0" >"$result_file"
	echo "$layer: 0 passed, 1 failed, 0 skipped"
	exit 1
}

# Take the option $1, which has no value, if the layer has it: return 0
# then, 1 when it is no such option. The default takes none.
layer_flag() {
	return 1
}

# Take the option $1 with its value $2 if the layer has it: return 0
# then, 1 when it is no such option. The default takes none.
layer_option() {
	return 1
}

# Check the layer's own options once all are parsed, before --modules
# DIR's load-order is looked for. The default has none to check.
layer_check_args() {
	:
}

# The words layer_variant_mods adds to module $2's line in boot $1's
# load-order. The default adds none.
layer_params() {
	:
}

# Parse the options every layer takes (--modules DIR, --build BUILDDIR,
# --result-file FILE, --variants "..."), and the layer's own through
# layer_flag, layer_option and layer_check_args; --modules and --build are
# required, and DIR must have the modules layer's load-order.
layer_parse_args() {
	while [ $# -gt 0 ]; do
		if layer_flag "$1"; then
			shift
			continue
		fi
		[ $# -ge 2 ] || die "$1 needs a value"
		case "$1" in
		--modules) moddir=$2 ;;
		--build) build=$2 ;;
		--result-file) result_file=$2 ;;
		--variants) variants=$2 ;;
		*) layer_option "$1" "$2" || die "unknown argument $1" ;;
		esac
		shift 2
	done
	if [ -z "$moddir" ] || [ -z "$build" ]; then
		die "--modules and --build are required"
	fi
	layer_check_args
	[ -f "$moddir/load-order" ] || die "$moddir/load-order not found (run the modules layer)"
}

# Create BUILDDIR, and make $build its absolute path.
layer_build_dir() {
	mkdir -p "$build"
	build=$(cd "$build" && pwd)
}

# Start the modules dir $1 (emptied) for vm/run.sh from the modules layer's
# out dir $2: the KUnit shim (when the modules layer built one) and iox.ko,
# in the order of $2/load-order. layer_add_mod adds to it from $2.
layer_modules_dir() {
	local file

	layer_mods=$1 layer_src=$2 layer_added=' '
	rm -rf "$layer_mods"
	mkdir -p "$layer_mods"
	: >"$layer_mods/load-order"
	while read -r file _; do
		case "$file" in
		iox_kunit_shim.ko|iox.ko) layer_put_mod "$file" ;;
		esac
	done <"$layer_src/load-order"
}

# Copy module $1 into the modules dir and append its load-order line, with
# the parameters $2...
layer_put_mod() {
	cp "$layer_src/$1" "$layer_mods/"
	echo "$*" >>"$layer_mods/load-order"
	layer_added="$layer_added$1 "
}

# Add module $1 with the parameters $2... to the modules dir, after the
# modules of the out dir it depends on (modinfo's depends), unless it is
# there already.
layer_add_mod() {
	local dep

	case "$layer_added" in *" $1 "*) return ;; esac
	for dep in $(modinfo -F depends "$layer_src/$1" 2>/dev/null | tr ',-' ' _'); do
		[ ! -f "$layer_src/$dep.ko" ] || layer_add_mod "$dep.ko"
	done
	layer_put_mod "$@"
}

# Call $1 (die or fail) for the first of the modules $2... the modules
# layer did not build into its out dir $moddir.
layer_need_mods() {
	local how=$1 file

	shift
	for file in "$@"; do
		[ -f "$moddir/$file" ] ||
			"$how" "$moddir/$file not found: the modules layer did not build it"
	done
}

# Make the modules dir of boot $1, BUILDDIR/<layer>-modules-$1: the modules
# of layer_modules_dir's, each load-order line with the words layer_params
# prints for it added. Prints the dir.
layer_variant_mods() {
	local dir=$build/$layer-modules-$1 file p words

	rm -rf "$dir"
	mkdir -p "$dir"
	cp "$layer_mods"/*.ko "$dir/"
	while read -r file p; do
		p="$p $(layer_params "$1" "$file")"
		read -r -a words <<<"$p"
		echo "$file${words[*]:+ ${words[*]}}"
	done <"$layer_mods/load-order" >"$dir/load-order"
	echo "$dir"
}

# Boot once: vm/run.sh with the arguments $4..., or for the variant
# "owned", where the kernel's own driver has the unit, owned.sh, which
# counts driver $2's refusal (its insmod fails, saying $3) as the boot's
# one expected failure. $1 is the boot's variant. Returns non-zero when
# the boot failed.
layer_boot() {
	local variant=$1 ko=$2 phrase=$3

	shift 3
	if [ "$variant" != owned ]; then
		"$iox/vm/run.sh" "$@"
	else
		"$iox/vm/owned.sh" --ko "$ko" --phrase "$phrase" -- "$@"
	fi
}

# Add one boot's result to the layer's: "passed failed skipped" from its
# result file $1, or one failure when it wrote none; $2 is the boot's exit
# status.
layer_count() {
	local p f s

	[ "$2" -eq 0 ] || status=1
	if [ -s "$1" ]; then
		read -r p f s <"$1"
	else
		p=0 f=1 s=0
	fi
	[ "$f" -eq 0 ] || status=1
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
}

# Write the layer's result to --result-file and say it; returns 0 when
# nothing failed.
layer_finish() {
	[ -z "$result_file" ] || echo "$passed $failed $skipped" >"$result_file"
	echo "$layer: $passed passed, $failed failed, $skipped skipped"
	[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
}
