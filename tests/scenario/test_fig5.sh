#!/bin/sh
# test_fig5.sh - Figure 5 (HydraWeb) from a reduced run of the real scenario
# files (2 runs each instead of 10): the hit/miss split, the ordering the
# paper reports (a hit much faster than no replica, a miss slower), the
# protocol's own accounts (hit metering, misses served by the manager and
# the Web server), and the golden bands of the plotted means
# (tests/golden/fig5.golden, with the reason for each tolerance).
. tests/scenario/lib.sh
db=$T/fig5.sqlite
for x in a b; do
	$HYDRANET run scenarios/fig5$x.ini --runs 2 -j 2 --db "$db" --quiet || die "fig5$x failed"
done
$HYDRANET summarize "$db" > /dev/null || die "summarize failed"
# mean SCENARIO SCOPE NAME: the 2-run mean
mean() {
	q "$db" "SELECT mean FROM summaries WHERE scenario = 'scenarios/$1' AND scope = '$2' AND name = '$3'"
}
check() { awk -v a="$3" -v b="$4" "BEGIN { exit !($2) }" || die "$1 (a=$3, b=$4)"; }

# Every request of every run answered, byte for byte, and each run's split.
expect "requests ok" "$(q "$db" "SELECT count(*) FROM requests WHERE ok = 1")" 8000
for run in $(q "$db" "SELECT id FROM runs WHERE scenario LIKE '%fig5b.ini'"); do
	r() { q "$db" "SELECT printf('%d', value) FROM metrics WHERE run_id = $run AND scope = '$1' AND name = '$2'"; }
	h=$(r workload:texas cache_hits); m=$(r workload:texas cache_misses)
	expect "run $run: hits + misses" "$((h + m))" 2000
	# What the client saw (X-Cache) is what the replica counted, what the
	# METER reports told the origin, and what the manager and the Web
	# server served.
	expect "run $run: replica hits" "$(r tamu-hs hweb.hits.www)" "$h"
	expect "run $run: metered hits" "$(r service:www rmp.metered_hits)" "$h"
	expect "run $run: metered misses" "$(r service:www rmp.metered_misses)" "$m"
	expect "run $run: misses served by the manager" "$(r service:www hweb.misses_served)" "$m"
	expect "run $run: Web server requests" "$(r service:www origin_requests)" "$m"
	expect "run $run: preheated" "$(r tamu-hs hweb.pushed.www)" 247
	expect "run $run: served by the replica" "$(r workload:texas served_by.tamu-hs)" 2000
	# Preheated objects (ids 0..246) hit, the others miss: the replica caches nothing itself.
	expect "run $run: misses on preheated objects" \
		"$(q "$db" "SELECT count(*) FROM requests WHERE run_id = $run AND cache = 'miss' AND object < 247")" 0
	expect "run $run: hits on other objects" \
		"$(q "$db" "SELECT count(*) FROM requests WHERE run_id = $run AND cache = 'hit' AND object >= 247")" 0
done
expect "5a: no replica, no cache verdicts" \
	"$(q "$db" "SELECT count(*) FROM requests r JOIN runs u ON u.id = r.run_id WHERE u.scenario LIKE '%fig5a.ini' AND r.cache IS NOT NULL")" 0

# The paper's ordering: a hit is much faster than no replica (120 ms against
# 1.5 s), a miss slower (2.2 s against 1.5 s).
none=$(mean fig5a.ini workload:texas latency_mean_s)
hit=$(mean fig5b.ini workload:texas latency_hit_mean_s)
miss=$(mean fig5b.ini workload:texas latency_miss_mean_s)
check "a hit takes under a fifth of no replica" "b < 0.2 * a" "$none" "$hit"
check "a miss takes longer than no replica" "b > a" "$none" "$miss"

# Golden bands.
grep -v '^#' tests/golden/fig5.golden | while IFS="|" read -r scn scope metric centre tol why; do
	got=$(mean "$scn" "$scope" "$metric")
	[ -n "$got" ] || die "golden: no $scn $scope $metric"
	awk -v g="$got" -v c="$centre" -v t="$tol" 'BEGIN { d = g - c; if (d < 0) d = -d; exit !(d <= t * c) }' ||
		die "golden: $scn $scope $metric = $got, outside $centre +- $tol ($why)"
done || exit 1
