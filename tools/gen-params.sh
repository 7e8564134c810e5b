#!/bin/sh
# gen-params.sh HYDRANET README [--check] - replace the parameter reference
# (between the params markers) with `hydranet params` and the metrics
# reference (between the metrics markers) with `hydranet metrics`, each
# without its first line (a heading); --check only compares, and fails when
# README is stale.
set -eu
bin=$1; readme=$2; mode=${3:-write}
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.params" "$tmp.metrics" "$tmp.1"' EXIT
"$bin" params | sed '1d' > "$tmp.params"
"$bin" metrics | sed '1d' > "$tmp.metrics"
# splice MARK FILE: replace what is between <!-- MARK:begin --> and :end
splice() {
	awk -v p="$2" -v b="<!-- $1:begin -->" -v e="<!-- $1:end -->" '
		index($0, b) == 1 { print; while ((getline l < p) > 0) print l; skip = 1; found = 1; next }
		index($0, e) == 1 { skip = 0 }
		!skip { print }
		END { if (!found) exit 3 }'
}
splice params "$tmp.params" < "$readme" > "$tmp.1" || { echo "$readme: no params markers" >&2; exit 1; }
splice metrics "$tmp.metrics" < "$tmp.1" > "$tmp" || { echo "$readme: no metrics markers" >&2; exit 1; }
if [ "$mode" = --check ]; then
	cmp -s "$tmp" "$readme" || { echo "$readme: parameter or metrics reference is stale: run make params" >&2; exit 1; }
else
	cp "$tmp" "$readme"
fi
