#!/bin/sh
# test_hydraweb.sh - HydraWeb end to end (paper, section 5): the static
# manager installs a replica and preheats it; preheated objects are hits at
# the replica, the others misses relayed to the manager and the origin's Web
# server; hit metering comes back to the manager; cache_misses keeps what a
# miss brought; pushed objects expire, and keeping them hot refreshes them
# (and pushes modified ones again); the ping trace measures the path's round
# trip; the latency histograms add up to the requests.  Every value is exact
# (the path has no loss and fixed delays) or argued where it is checked.
# Last, two checks of fixed bugs: an object_ttl below one second must not
# turn into "no limit" (it is refused: PUSH carries whole seconds), and a
# replica removed and installed again starts with an empty cache.
. tests/scenario/lib.sh
ini=tests/scenario/hydraweb.ini

# run NAME ARGS...: run the scenario with --set overrides into $T/NAME.sqlite
run() {
	n=$1
	shift
	$HYDRANET run "$ini" --db "$T/$n.sqlite" --quiet "$@" || die "$n: run failed"
	echo "$T/$n.sqlite"
}
# ini_val SECTION KEY: a value of the .ini (as written, unit and all)
ini_val() {
	awk -v sec="$1" -v key="$2" '
		/^\[/ { in_sec = ($0 == "[" sec "]") }
		in_sec && $1 == key && $2 == "=" { print $3; exit }' "$ini"
}
# a number of the .ini: rate in bit/s, time in ms, plain numbers as they are
num() {
	echo "$1" | awk '{
		v = $1 + 0; u = $1; sub(/^[0-9.]+/, "", u)
		split("Gbps 1e9 Mbps 1e6 kbps 1e3 bps 1 s 1e3 ms 1 us 1e-3", t, " ")
		m = u == "" ? 1 : -1
		for (k = 1; k < 14; k += 2) if (u == t[k]) m = t[k + 1] + 0
		if (m < 0) { print "unit of " $1 "?" > "/dev/stderr"; exit 1 }
		printf "%.12g\n", v * m }'
}
preheat=$(ini_val "service www" preheat)
objects=$(ini_val "service www" objects)
page=$(num "$(ini_val "service www" page_size)")
stop_ms=$(num "$(ini_val simulation stop_time)")
ivl_ms=$(num "$(ini_val "service www" load_interval)")
bin_ms=$(num "$(ini_val output hist_bin)")
[ "$preheat" -gt 0 ] && [ "$objects" -gt "$preheat" ] && [ "$page" -gt 0 ] || die "cannot read preheat/page_size from $ini"
m() { metric "$1" "$2" "$3"; }
cnt() { q "$1" "SELECT count(*) FROM requests WHERE $2"; }

# ---- preheat, hits and misses, metering, histograms ------------------------
db=$(run base) || exit 1
requests=$(cnt "$db" 1)
expect_num "requests made" "$requests" -eq 60
expect "requests not ok (the client checks every byte)" "$(cnt "$db" 'ok != 1')" 0
# The manager pushes objects 0..preheat-1 right after the INSTALL_ACK.
expect "replica hweb.pushed = preheat" "$(m "$db" hostserver hweb.pushed.www)" "$preheat"
expect "manager hweb.preheat_pushes" "$(m "$db" service:www hweb.preheat_pushes)" "$preheat"
expect "rmp.pushes" "$(m "$db" service:www rmp.pushes)" "$preheat"
expect "rmp.push_bytes = preheat * page_size" "$(m "$db" service:www rmp.push_bytes)" $((preheat * page))
expect "replica hweb.pushed_bytes" "$(m "$db" hostserver hweb.pushed_bytes.www)" $((preheat * page))
expect "replica hweb.cache_objects (no caching of misses)" "$(m "$db" hostserver hweb.cache_objects.www)" "$preheat"
# A preheated object is a hit, any other a miss; the replica answers both.
expect "preheated objects not hits" "$(cnt "$db" "object < $preheat AND cache IS NOT 'hit'")" 0
expect "other objects not misses" "$(cnt "$db" "object >= $preheat AND cache IS NOT 'miss'")" 0
expect "requests not answered by the host server" "$(cnt "$db" "served_by IS NOT 'hostserver'")" 0
hits=$(cnt "$db" "cache = 'hit'")
misses=$(cnt "$db" "cache = 'miss'")
# The objects are drawn uniformly: with 60 requests both kinds occur
# (P(no hit) = 2^-60); the checks below would be vacuous otherwise.
expect_num "hits" "$hits" -gt 0
expect_num "misses" "$misses" -gt 0
expect "hits + misses" $((hits + misses)) "$requests"
expect "replica hweb.requests" "$(m "$db" hostserver hweb.requests.www)" "$requests"
expect "replica hweb.hits" "$(m "$db" hostserver hweb.hits.www)" "$hits"
expect "replica hweb.misses" "$(m "$db" hostserver hweb.misses.www)" "$misses"
expect "replica hweb.stale (no ttl)" "$(m "$db" hostserver hweb.stale.www)" 0
expect "workload cache_hits" "$(m "$db" workload:users cache_hits)" "$hits"
expect "workload cache_misses" "$(m "$db" workload:users cache_misses)" "$misses"
# Every miss is relayed to the manager, which gets it from the Web server.
expect "manager hweb.misses_served" "$(m "$db" service:www hweb.misses_served)" "$misses"
expect "origin_requests" "$(m "$db" service:www origin_requests)" "$misses"
expect "drops (miss, fetch, push failures)" \
	"$(q "$db" "SELECT printf('%d', sum(value)) FROM metrics WHERE name LIKE 'drop.hweb_%'")" 0
# Hit metering: METER reports go with each LOAD, every load_interval; the
# last request ends more than two intervals before stop_time, so every hit
# and miss has been reported by then.
last=$(q "$db" "SELECT max(start_s + latency_s) * 1000 FROM requests")
awk -v l="$last" -v s="$stop_ms" -v i="$ivl_ms" 'BEGIN { exit !(l < s - 2 * i) }' ||
	die "the last request ends at $last ms, too close to stop_time for metering"
expect "rmp.metered_hits" "$(m "$db" service:www rmp.metered_hits)" "$hits"
expect "rmp.metered_misses" "$(m "$db" service:www rmp.metered_misses)" "$misses"
# The latency histograms: y adds up to the ok requests, hits and misses, and
# each bin holds exactly the requests whose latency falls in it.
hsum() { q "$db" "SELECT printf('%d', sum(y)) FROM series WHERE series = 'users.latency_hist.$1'"; }
expect "latency_hist.all total" "$(hsum all)" "$(cnt "$db" 'ok = 1')"
expect "latency_hist.hit total" "$(hsum hit)" "$hits"
expect "latency_hist.miss total" "$(hsum miss)" "$misses"
for kind in all hit miss; do
	case $kind in all) w="ok = 1" ;; *) w="ok = 1 AND cache = '$kind'" ;; esac
	# bins (by the centre x) with their counts, from the requests and from the series
	from_req=$(q "$db" "SELECT printf('%d:%d', b, count(*)) FROM (SELECT
		CAST(latency_s * 1000 / $bin_ms AS INTEGER) AS b FROM requests WHERE $w) GROUP BY b ORDER BY b" |
		tr '\n' ' ')
	from_ser=$(q "$db" "SELECT printf('%d:%d', CAST(round(x * 1000 / $bin_ms - 0.5) AS INTEGER), y)
		FROM series WHERE series = 'users.latency_hist.$kind' AND y > 0 ORDER BY x" | tr '\n' ' ')
	expect "latency_hist.$kind bins" "$from_ser" "$from_req"
done

# preheat may be every object of the site: then every request is a hit.
db=$(run all --set service.www.preheat="$objects") || exit 1
expect "misses with preheat = objects" "$(cnt "$db" "cache IS NOT 'hit' OR ok != 1")" 0
expect "replica hweb.pushed (preheat = objects)" "$(m "$db" hostserver hweb.pushed.www)" "$objects"
expect "origin_requests (preheat = objects)" "$(m "$db" service:www origin_requests)" 0

# ---- cache_misses = true: a miss is kept, the next request for it hits ------
db=$(run keep --set service.www.cache_misses=true) || exit 1
expect "requests not ok (cache_misses)" "$(cnt "$db" 'ok != 1')" 0
# Hit exactly when the object is preheated or was asked for before.
expect "requests with the wrong verdict (cache_misses)" "$(cnt "$db" "cache IS NOT CASE
	WHEN object < $preheat OR EXISTS (SELECT 1 FROM requests p WHERE p.object = requests.object
	AND p.seq < requests.seq) THEN 'hit' ELSE 'miss' END")" 0
misses=$(cnt "$db" "cache = 'miss'")
expect "misses = distinct objects past the preheat" "$misses" \
	"$(q "$db" "SELECT count(DISTINCT object) FROM requests WHERE object >= $preheat")"
second=$(cnt "$db" "cache = 'hit' AND object >= $preheat")
expect_num "second requests for a missed object that hit" "$second" -gt 0
expect "replica hweb.cached_misses" "$(m "$db" hostserver hweb.cached_misses.www)" "$misses"
expect_num "replica hweb.cached_misses > 0" "$(m "$db" hostserver hweb.cached_misses.www)" -gt 0
expect "replica hweb.hits (cache_misses)" "$(m "$db" hostserver hweb.hits.www)" "$(cnt "$db" "cache = 'hit'")"
expect "replica hweb.cache_objects" "$(m "$db" hostserver hweb.cache_objects.www)" $((preheat + misses))
expect "origin_requests (cache_misses)" "$(m "$db" service:www origin_requests)" "$misses"

# ---- keep-hot ----------------------------------------------------------------
# Pushed copies are fresh for 20 s from their arrival.  The manager installs
# at t0 (checked: before 4 s) and pushes the preheat then; it crosses the WAN
# in well under a second, so by 25 s, when the requests start, every
# preheated copy has expired.  Without keeping hot every request is a miss,
# the preheated ones on a stale copy.
hot="--set service.www.object_ttl=20s --set workload.users.start=25s --set simulation.stop_time=60s"
db=$(run cold $hot) || exit 1
install=$(q "$db" "SELECT value FROM metrics WHERE scope = 'service:www' AND name = 'install_latency_s'")
awk -v t="$install" 'BEGIN { exit !(t > 0 && t < 4) }' || die "install at $install s: the counts below assume it before 4 s"
expect "requests not ok (ttl)" "$(cnt "$db" 'ok != 1')" 0
expect "hits after the ttl" "$(cnt "$db" "cache IS NOT 'miss'")" 0
expired=$(cnt "$db" "object < $preheat")
expect_num "requests for preheated objects (ttl)" "$expired" -gt 0
expect "replica hweb.stale" "$(m "$db" hostserver hweb.stale.www)" "$expired"
expect "replica hweb.hits (ttl)" "$(m "$db" hostserver hweb.hits.www)" 0
expect "manager refresh_pushes (off)" "$(m "$db" service:www hweb.refresh_pushes)" 0
expect "origin_requests (ttl)" "$(m "$db" service:www origin_requests)" 60
# Kept hot every 5 s: the manager's ticks are at t0 + 5k s (t0, the install,
# is about 0.56 s), and at each it pushes again what expires by the next
# tick: the copies of t0 (expiring at t0 + 20) at t0 + 15, then at t0 + 30
# and t0 + 45 (t0 + 60 is past stop_time): 3 rounds of the preheat.
db=$(run hot $hot --set service.www.refresh_interval=5s) || exit 1
expect "requests not ok (kept hot)" "$(cnt "$db" 'ok != 1')" 0
expect "preheated objects not hits (kept hot)" "$(cnt "$db" "object < $preheat AND cache IS NOT 'hit'")" 0
expect "other objects not misses (kept hot)" "$(cnt "$db" "object >= $preheat AND cache IS NOT 'miss'")" 0
expect_num "hits (kept hot)" "$(cnt "$db" "cache = 'hit'")" -gt 0
expect "replica hweb.stale (kept hot)" "$(m "$db" hostserver hweb.stale.www)" 0
refresh=$(m "$db" service:www hweb.refresh_pushes)
expect_num "manager hweb.refresh_pushes > 0" "$refresh" -gt 0
expect "install time (kept hot)" "$(q "$db" "SELECT value FROM metrics WHERE scope = 'service:www' AND name = 'install_latency_s'")" "$install"
expect "manager hweb.refresh_pushes" "$refresh" $((3 * preheat))
expect "replica hweb.pushed (kept hot)" "$(m "$db" hostserver hweb.pushed.www)" $((4 * preheat))
expect "rmp.push_bytes (kept hot)" "$(m "$db" service:www rmp.push_bytes)" $((4 * preheat * page))
# Modifications at the origin (0.5/s, Poisson over the 20 objects): a pushed
# object that changed is pushed again at the next tick, at most once per
# modification; everything pushed reaches the replica.
db=$(run modify $hot --set service.www.refresh_interval=5s --set service.www.modify_rate=0.5) || exit 1
mods=$(m "$db" service:www hweb.modifications)
mpush=$(m "$db" service:www hweb.modified_pushes)
refresh=$(m "$db" service:www hweb.refresh_pushes)
expect_num "manager hweb.modifications" "$mods" -gt 0
expect_num "manager hweb.modified_pushes" "$mpush" -gt 0
expect_num "modified_pushes <= modifications" "$mpush" -le "$mods"
expect "replica hweb.pushed (modified)" "$(m "$db" hostserver hweb.pushed.www)" $((preheat + refresh + mpush))
expect "rmp.pushes (modified)" "$(m "$db" service:www rmp.pushes)" $((preheat + refresh + mpush))
expect "requests not ok (modified)" "$(cnt "$db" 'ok != 1')" 0
expect "preheated objects not hits (modified)" "$(cnt "$db" "object < $preheat AND cache IS NOT 'hit'")" 0

# ---- the ping trace -------------------------------------------------------------
# One request, for object 0 (a hit: it stays on the client's side of the
# WAN), and a 64-byte echo request every second from 5 s to stop_time
# (exclusive).  The path is client - redirector - origin; each frame is the
# ICMP message, 20 bytes of IP and 2 of PPP: 86 bytes.  The round trip is
# twice the two links' delays and transmissions.  The first echo request
# leaves with the request's SYN, which the client sends first: it waits one
# 42-byte frame (20 bytes of IP, 20 of TCP, 2 of PPP) on the client's link.
db=$(run ping --set workload.users.requests=1 --set workload.users.objects=1 \
	--set workload.users.ping_interval=1s) || exit 1
start_ms=$(num "$(ini_val "workload users" start)")
sent=$(m "$db" workload:users ping_sent)
recv=$(m "$db" workload:users ping_received)
expect "ping_sent" "$sent" "$(awk -v a="$start_ms" -v b="$stop_ms" 'BEGIN { printf "%d", (b - a) / 1000 }')"
expect "ping_received (no loss)" "$recv" "$sent"
expect "ping_rtt_ms rows" "$(q "$db" "SELECT count(*) FROM series WHERE series = 'users.ping_rtt_ms'")" "$recv"
expect "the one request hit" "$(cnt "$db" "cache = 'hit' AND ok = 1")" 1
rtt=$(awk -v dl="$(num "$(ini_val "link lan" delay)")" -v rl="$(num "$(ini_val "link lan" rate)")" \
	-v dw="$(num "$(ini_val "link wan" delay)")" -v rw="$(num "$(ini_val "link wan" rate)")" \
	'BEGIN { printf "%.6f", 2 * (dl + dw) + 2 * 86 * 8 * (1 / rl + 1 / rw) * 1e3 }')
syn=$(awk -v rl="$(num "$(ini_val "link lan" rate)")" 'BEGIN { printf "%.6f", 42 * 8 / rl * 1e3 }')
expect "ping RTTs (ms, by send time)" \
	"$(q "$db" "SELECT printf('%.6f', y) FROM series WHERE series = 'users.ping_rtt_ms' ORDER BY x" | sort | uniq -c | awk '{ printf "%s x %s; ", $1, $2 }')" \
	"$(awk -v r="$rtt" -v s="$syn" -v n="$recv" 'BEGIN { printf "%d x %.6f; 1 x %.6f; ", n - 1, r, r + s }')"
expect "first ping (ms)" "$(q "$db" "SELECT printf('%.6f', y) FROM series WHERE series = 'users.ping_rtt_ms' ORDER BY x LIMIT 1")" \
	"$(awk -v r="$rtt" -v s="$syn" 'BEGIN { printf "%.6f", r + s }')"
expect "ping_rtt_mean_ms" "$(q "$db" "SELECT printf('%.6f', value) FROM metrics WHERE scope = 'workload:users' AND name = 'ping_rtt_mean_ms'")" \
	"$(awk -v r="$rtt" -v s="$syn" -v n="$recv" 'BEGIN { printf "%.6f", r + s / n }')"

# ---- two checks of fixed bugs ---------------------------------------------------
# Both run whatever the other's verdict; the script fails if either does.
bugs=0
bug() { echo "$name: $*" >&2; bugs=$((bugs + 1)); }

# object_ttl = 500ms is a limit, not "no limit": by 25 s every preheated copy
# has expired (or the value is refused, as the RMP carries whole seconds).
$HYDRANET run "$ini" --db "$T/subsec.sqlite" --quiet $hot --set service.www.object_ttl=500ms \
	>"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" -eq 2 ]; then
	grep -q object_ttl "$T/err" || bug "object_ttl = 500ms refused without naming object_ttl: $(cat "$T/err")"
elif [ "$rc" -ne 0 ]; then
	bug "object_ttl = 500ms: run failed ($rc): $(cat "$T/err")"
else
	db=$T/subsec.sqlite
	got=$(cnt "$db" "cache IS NOT 'miss'")
	[ "$got" = 0 ] || bug "object_ttl = 500ms: $got hits 20 s after the preheat, want 0"
	got=$(m "$db" hostserver hweb.stale.www) want=$(cnt "$db" "object < $preheat")
	[ "$got" = "$want" ] || bug "object_ttl = 500ms: hweb.stale $got, want $want"
fi

# A replica removed and installed again starts empty (hweb.h; the manager
# pushes the preheat anew): with cache_misses, the first request the new
# replica gets for an object past the preheat is a miss, as it was for the
# first replica.  hydraweb-reinstall.ini: two bursts 60 s apart, each
# installing the replica (dynamic manager), which is removed in between.
db=$T/reinstall.sqlite
$HYDRANET run tests/scenario/hydraweb-reinstall.ini --db "$db" --quiet || die "reinstall: run failed"
expect "installs (reinstall)" "$(m "$db" service:www rmp.installs)" 2
expect_num "removes (reinstall)" "$(m "$db" service:www rmp.removes)" -ge 1
expect "requests not ok (reinstall)" "$(cnt "$db" 'ok != 1')" 0
for wl in burst1 burst2; do
	# replica-served requests of the burst for objects past the preheat, first per object
	first="workload = '$wl' AND served_by = 'hostserver' AND object >= $preheat AND NOT EXISTS
		(SELECT 1 FROM requests p WHERE p.workload = '$wl' AND p.served_by = 'hostserver'
		AND p.object = requests.object AND p.seq < requests.seq)"
	n=$(cnt "$db" "$first")
	expect_num "$wl: objects past the preheat asked of the replica" "$n" -gt 0
	got=$(cnt "$db" "$first AND cache = 'miss'")
	[ "$got" = "$n" ] || bug "$wl: $got of the first $n requests for objects past the preheat were misses, want all"
done
[ "$bugs" -eq 0 ] || exit 1
exit 0
