#!/bin/sh
# bench-scale.sh HYDRANET [REDIRECT_BENCH] - the Internet-scale benchmark
# (make bench): scenarios/scale.ini at N = 10, 100 and 1000 ISPs of 100 users
# making 10 requests each (plus the flash crowd), one run each, with the
# model's own routes (routing = static: ns-3's global routing alone takes
# minutes to set up N = 1000).  Prints and
# appends to bench/results.txt: wall time, simulator events, events per
# second, events per request, peak RSS, RSS per node and per request
# (connection); then the flow benchmark's redirected/plain wall-time ratios
# (REDIRECT_BENCH, tests/bench/bench_redirect.c).  Exits 1 when a target is
# missed, saying by how much:
#   1,000 ISPs (1 M requests) in at most 300 s of wall time and 8 GiB;
#   cost linear in requests: events per request at N = 1000 within 10 % of
#   N = 10's;
#   the redirected flow at most 1.05 times plain forwarding's wall time.
# A run is stopped at the wall-time target (timeout) and given at most the
# memory target (ulimit -v): one that does not finish is a miss, not a hang.
# BENCH_SCALE_N overrides the list of N (e.g. "10 100" for a quick look);
# BENCH_WALL_MAX the wall-time limit in s (default 300, the target: a longer
# one lets N = 1000 finish, so that its numbers are measured, and its wall
# time is still judged against 300 s).
set -u
bin=${1:?usage: bench-scale.sh HYDRANET [REDIRECT_BENCH]}
rbench=${2:-}
ns=${BENCH_SCALE_N:-10 100 1000}
wall_target=300                   # s: the 1 M-request target
wall_max=${BENCH_WALL_MAX:-$wall_target}
mem_max_kib=$((8 * 1024 * 1024))  # 8 GiB
out=bench/results.txt
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-scale.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p bench
fail=0
say() { echo "$*"; echo "$*" >> "$out"; }

say ""
say "== bench $(date -u +%Y-%m-%dT%H:%M:%SZ) $(git describe --always --dirty 2>/dev/null || echo unknown) on $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
say "scenarios/scale.ini: N ISPs x 100 users x 10 requests + 200-user flash crowd, 60 s simulated, routing = static, 10 Gb/s backbone"
say "$(printf '%6s %6s %9s %8s %11s %10s %10s %9s %10s %10s  %s' N nodes requests wall_s events events/s ev/request rss_MiB KiB/node KiB/conn status)"
epr10=""
for n in $ns; do
	db=$tmp/scale-$n.sqlite
	nodes=$((2 * n + 19))         # per ISP a border router and a client node; 10 transit, origin, 8 host servers
	( ulimit -v $((mem_max_kib + 1048576)) 2>/dev/null
	  exec /usr/bin/time -f '%M %e' -o "$tmp/time-$n" timeout "$wall_max" "$bin" run scenarios/scale.ini \
		--set "topology.isp.stubs=$n" --set "workload.users\${i}.count=$n" --set simulation.routing=static \
		--db "$db" --quiet ) > "$tmp/out-$n" 2>&1
	rc=$?
	rss=$(awk '{print $1}' "$tmp/time-$n" 2>/dev/null | tail -1)
	rss=${rss:-0}
	row=$(sqlite3 "$db" "SELECT r.wall_seconds, r.events,
		(SELECT SUM(value) FROM metrics m WHERE m.run_id = r.id AND m.name = 'requests' AND m.scope LIKE 'workload:%')
		FROM runs r WHERE r.status = 'ok'" 2>/dev/null)
	if [ "$rc" -ne 0 ] || [ -z "$row" ]; then
		why="exit status $rc"
		[ "$rc" -eq 124 ] && why="not done in ${wall_max} s"
		grep -qi "memory\|bad_alloc" "$tmp/out-$n" && why="out of the ${mem_max_kib} KiB memory target"
		say "$(printf '%6s %6s %9s %8s %11s %10s %10s %9.0f %10s %10s  %s' "$n" "$nodes" "$((n * 1000))" ">$wall_max" - - - "$((rss / 1024))" - - "MISSED: $why")"
		fail=1
		continue
	fi
	wall=${row%%|*}; rest=${row#*|}; events=${rest%%|*}; reqs=${rest#*|}
	line=$(awk -v n="$n" -v nodes="$nodes" -v w="$wall" -v e="$events" -v q="$reqs" -v r="$rss" 'BEGIN {
		printf "%6d %6d %9d %8.1f %11d %10.0f %10.1f %9.0f %10.1f %10.2f", n, nodes, q, w, e, e / w, e / q, r / 1024, r / nodes, r / q }')
	epr=$(awk -v e="$events" -v q="$reqs" 'BEGIN { printf "%.3f", e / q }')
	[ "$n" = 10 ] && epr10=$epr
	status=ok
	if [ "$n" = 1000 ]; then
		status=$(awk -v w="$wall" -v r="$rss" -v wm="$wall_target" -v mm="$mem_max_kib" 'BEGIN {
			s = ""; if (w > wm) s = s sprintf("MISSED wall %.0f s > %d s (%.2fx) ", w, wm, w / wm);
			if (r > mm) s = s sprintf("MISSED memory %.1f GiB > 8 GiB", r / 1048576);
			print s == "" ? "ok: 1 M requests within 300 s and 8 GiB" : s }')
	fi
	if [ -n "$epr10" ] && [ "$n" != 10 ]; then
		lin=$(awk -v a="$epr" -v b="$epr10" 'BEGIN { d = a / b; printf "%s%.3f", (d > 1.10 ? "MISSED linear " : ""), d }')
		status="$status; events/request vs N=10: $lin"
	fi
	case $status in *MISSED*) fail=1 ;; esac
	say "$line  $status"
done

if [ -n "$rbench" ]; then
	say "bench_redirect (target: redirected/plain <= 1.05):"
	"$rbench" > "$tmp/redirect" 2>&1 || fail=1
	while IFS= read -r l; do
		case $l in
		*"ratio redirected/plain"*)
			r=$(echo "$l" | sed 's/.*plain = \([0-9.]*\).*/\1/')
			v=$(awk -v r="$r" 'BEGIN { print (r <= 1.05) ? "ok" : sprintf("MISSED the 1.05 target by %.3f", r - 1.05) }')
			case $v in MISSED*) fail=1 ;; esac
			say "  $l: $v" ;;
		esac
	done < "$tmp/redirect"
fi
[ "$fail" -eq 0 ] && say "bench: every target met" || say "bench: targets missed (see above)"
exit "$fail"
