#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages named on the command line that are not installed
# yet.  Quiet and network-free when everything is already there, so test
# scripts can call it unconditionally on a developer box or a fresh CI machine.
#
# Usage: deps.sh pkg1 [pkg2 ...]

set -eu

missing=
for pkg in "$@"; do
	st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)
	# "ii " = wanted install, currently installed, no error.
	case "$st" in
	ii*) ;;
	*) missing="$missing $pkg" ;;
	esac
done

[ -z "$missing" ] && exit 0

echo "deps.sh: installing:$missing" >&2
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -q >/dev/null
# shellcheck disable=SC2086 # the package list is split into words on purpose
$SUDO env DEBIAN_FRONTEND=noninteractive \
	apt-get install -y -q --no-install-recommends $missing >/dev/null
echo "deps.sh: done" >&2
