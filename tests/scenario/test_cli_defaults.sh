#!/bin/sh
# test_cli_defaults.sh - an override that means what is in force anyway
# (the file's value in other words, or the default of a key the file does
# not set) is the point without it: same params label, so the stored run is
# found and skipped.  A different value, or a sweep, is a point of its own.
. tests/scenario/lib.sh
scn=tests/scenario/http-analytic.ini   # link client-router: delay = 50ms, no mtu (default 1500)
db=$T/x.sqlite
$HYDRANET run "$scn" --db "$db" --quiet || die "run failed"
expect "params without overrides" "$(q "$db" "SELECT params FROM runs")" ""
for s in link.client-router.delay=50ms link.client-router.delay=50000us \
	link.client-router.delay=0.05s link.client-router.mtu=1500 link.router-origin.queue=100 \
	simulation.stop_time=30s; do
	expect "list --set $s" "$($HYDRANET list "$scn" --set "$s" | head -1)" \
		"point 1/1 run 1 seed 1: (no sweep)"
	out=$($HYDRANET run "$scn" --set "$s" --db "$db") || die "run --set $s failed"
	echo "$out" | grep -q "1 of 1 runs already in" || die "--set $s: not skipped: $out"
done
# two restatements at once, and one that restates after another override of the same key
out=$($HYDRANET run "$scn" --set link.client-router.delay=20ms --set link.client-router.delay=50ms \
	--set link.client-router.mtu=1500 --db "$db") || die "run failed"
echo "$out" | grep -q "1 of 1 runs already in" || die "restated twice: not skipped: $out"
expect "runs" "$(q "$db" "SELECT count(*) FROM runs")" 1
# a different value is another point
$HYDRANET run "$scn" --set link.client-router.delay=20ms --db "$db" --quiet || die "run 20ms failed"
$HYDRANET run "$scn" --set link.client-router.mtu=1400 --db "$db" --quiet || die "run mtu failed"
expect "points" "$(q "$db" "SELECT group_concat(params, '|') FROM (SELECT params FROM runs ORDER BY id)")" \
	"|link.client-router.delay=20ms|link.client-router.mtu=1400"
# a sweep is always labelled, its value equal to the file's included
expect "sweep labels" "$($HYDRANET list "$scn" --set 'link.client-router.delay=${50,20}ms' | head -1)" \
	"point 1/2 run 1 seed 1: link.client-router.delay=50ms"
