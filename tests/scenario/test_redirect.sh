#!/bin/sh
# test_redirect.sh - HTTP redirection end to end (redirect.h): the origin
# sends each ISP's clients to their own ISP's host server with a 302, each
# request costing one more connection (and its bytes); with cache_redirect
# each user is redirected once and then goes straight to the replica.
. tests/scenario/lib.sh
scn=tests/scenario/redirect.ini
served() { metric "$1" "workload:$2" "served_by.$3"; }
db=$T/r.sqlite
$HYDRANET run "$scn" --db "$db" --quiet || die "run failed"
expect "west served by hs-w" "$(served "$db" west hs-w)" 40
expect "east served by hs-e" "$(served "$db" east hs-e)" 40
for w in west east; do
	expect "$w ok" "$(metric "$db" workload:$w ok)" 40
	expect "$w redirects" "$(metric "$db" workload:$w redirects)" 40
	# every request: "GET /obj/2000 HTTP/1.0\r\n\r\n" (26 bytes) twice
	expect "$w bytes sent" "$(metric "$db" workload:$w bytes_sent)" $((40 * 2 * 26))
done
expect "origin requests (all redirected)" "$(metric "$db" service:web origin_requests)" 80
expect "redirect drops" "$(q "$db" "SELECT printf('%d', sum(value)) FROM metrics WHERE name LIKE 'drop.redirect_%'")" 0
# remembered: the 4 west users are redirected once each
db=$T/c.sqlite
$HYDRANET run "$scn" --set workload.west.cache_redirect=true --db "$db" --quiet || die "run failed"
expect "west redirects (cached)" "$(metric "$db" workload:west redirects)" 4
expect "west served by hs-w (cached)" "$(served "$db" west hs-w)" 40
expect "west bytes sent (cached)" "$(metric "$db" workload:west bytes_sent)" $((4 * 2 * 26 + 36 * 26))
expect "origin requests (cached west)" "$(metric "$db" service:web origin_requests)" $((4 + 40))
lw=$(q "$db" "SELECT value FROM metrics WHERE scope='workload:west' AND name='latency_mean_s'")
le=$(q "$db" "SELECT value FROM metrics WHERE scope='workload:east' AND name='latency_mean_s'")
awk -v a="$lw" -v b="$le" 'BEGIN { exit !(a < b) }' || die "remembering the redirect did not shorten latency ($lw s vs $le s)"

# A replica that stops (hs-w at 5 s) is no longer a redirect target: the
# origin sends west's later requests elsewhere, none to hs-w.
db=$T/stop.sqlite
$HYDRANET run "$scn" --set replica.web-w.stop=5s --db "$db" --quiet || die "stop run failed"
expect "stop: requests started after 5 s served by hs-w" \
	"$(q "$db" "SELECT count(*) FROM requests WHERE served_by = 'hs-w' AND start_s > 5")" 0
expect_num "stop: west's requests after 5 s that completed" \
	"$(q "$db" "SELECT count(*) FROM requests WHERE workload = 'west' AND start_s > 5 AND ok = 1")" -ge 20
# A replica added mid-run (hs-w starts at 5 s): the origin names it from
# then on, so each west user's next request goes there (a think time of
# 1 s: all within [5, 7) s); before, the origin served them itself.
db=$T/start.sqlite
$HYDRANET run "$scn" --set replica.web-w.start=5s --db "$db" --quiet || die "start run failed"
expect "start: west requests served by hs-w before 5 s" \
	"$(q "$db" "SELECT count(*) FROM requests WHERE served_by = 'hs-w' AND start_s < 5")" 0
expect "start: west requests after 7 s served elsewhere" \
	"$(q "$db" "SELECT count(*) FROM requests WHERE workload = 'west' AND served_by <> 'hs-w' AND start_s >= 7")" 0
expect_num "start: west requests at hs-w" \
	"$(q "$db" "SELECT count(*) FROM requests WHERE workload = 'west' AND served_by = 'hs-w' AND ok = 1")" -ge 20
