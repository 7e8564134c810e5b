#!/bin/sh
# deps.sh - install the Debian packages the build, tests and experiments need.
# As root it runs apt-get; otherwise it prints the exact apt-get line and
# fails.  Used by `make reproduce` and `make test` (and nothing else).
set -eu

PKGS="gcc g++ make pkg-config clang libclang-rt-14-dev libns3-dev libgsl-dev \
libsqlite3-dev sqlite3 libinih-dev gnuplot-nox tshark libcmocka-dev parallel libsodium-dev time \
libgoogle-perftools-dev"

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	case "$st" in
	ii*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

line="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" -ne 0 ]; then
	echo "missing Debian packages:$missing" >&2
	echo "run as root:  apt-get update && $line" >&2
	exit 1
fi
echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
