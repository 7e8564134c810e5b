#!/bin/sh
# test_metrics_ref.sh - every metric that runs of the test scenarios store
# is in the metrics reference (`hydranet metrics`, the README's): counters
# through their modules' descriptors, derived results through their table.
# A metric named per service (hweb.hits.www) or per node (served_by.h1)
# stands in the reference with SERVICE or NODE for its last part.
. tests/scenario/lib.sh
$HYDRANET metrics > "$T/ref" || die "hydranet metrics failed"
grep -q '^| `drop.df_too_big` | count |' "$T/ref" || die "the redirector's drops are not in the reference"
grep -q '^| `cpu.busy_s` | s |' "$T/ref" || die "the cost model's counters are not in the reference"
db=$T/db.sqlite
for f in tests/scenario/hydraweb.ini tests/scenario/manager.ini tests/scenario/routing.ini \
	 tests/scenario/inner-frag.ini scenarios/fig2-components.ini scenarios/failover.ini; do
	$HYDRANET run "$f" --db "$db" --quiet --runs 1 >/dev/null || die "run of $f failed"
done
# health checks and Maglev, around a host server's failure
$HYDRANET run scenarios/failover.ini --db "$db" --quiet --runs 1 --set node.redirector.health_check=true \
	--set node.redirector.policy=maglev >/dev/null || die "run of failover.ini (active, maglev) failed"
services=$(sqlite3 "$db" "SELECT DISTINCT substr(scope, 9) FROM metrics WHERE scope LIKE 'service:%'")
n=0
for m in $(sqlite3 "$db" "SELECT DISTINCT name FROM metrics"); do
	base=${m%.*} last=${m##*.}
	want=$m
	for s in $services; do [ "$last" = "$s" ] && [ "$base" != "$m" ] && want="$base.SERVICE"; done
	case $m in served_by.*) want=served_by.NODE ;; esac
	grep -qF "| \`$want\` |" "$T/ref" || die "metric $m (as $want) is stored but not in the reference"
	n=$((n + 1))
done
[ "$n" -ge 100 ] || die "only $n distinct metrics stored: the scenarios did not run"
echo "$name: $n distinct stored metrics, all in the reference"
