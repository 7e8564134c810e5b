#!/bin/sh
# gen-params.sh HYDRANET README - replace the parameter reference in README
# (between the params markers) with `hydranet params`; --check only compares.
set -eu
bin=$1; readme=$2; mode=${3:-write}
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.params"' EXIT
"$bin" params | sed '1d' > "$tmp.params"
awk -v p="$tmp.params" '
	/<!-- params:begin -->/ { print; while ((getline l < p) > 0) print l; skip = 1; next }
	/<!-- params:end -->/ { skip = 0 }
	!skip { print }' "$readme" > "$tmp"
if [ "$mode" = --check ]; then
	cmp -s "$tmp" "$readme" || { echo "$readme: parameter reference is stale: run make params" >&2; exit 1; }
else
	cp "$tmp" "$readme"
fi
