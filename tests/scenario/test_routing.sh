#!/bin/sh
# test_routing.sh - the redirector's table is filled by the host server's
# routing daemon, and a stopped replica stops receiving new connections:
# at once when withdrawn, within the announcement lifetime when not.
. tests/scenario/lib.sh
scn=tests/scenario/routing.ini
last_hs() { q "$1" "SELECT printf('%.3f', max(start_s)) FROM requests WHERE served_by = 'hostserver'"; }
first_origin() { q "$1" "SELECT printf('%.3f', min(start_s)) FROM requests WHERE served_by = 'origin'"; }
# Withdrawn at 10 s.
db=$T/w.sqlite
$HYDRANET run "$scn" --db "$db" --quiet || die "run failed"
expect_num "served by the replica before it stopped" "$(q "$db" "SELECT count(*) FROM requests WHERE served_by = 'hostserver'")" -ge 5
awk -v t="$(last_hs "$db")" 'BEGIN { exit !(t < 10) }' || die "replica served a request started at $(last_hs "$db") s, after its stop at 10 s"
awk -v t="$(first_origin "$db")" 'BEGIN { exit !(t >= 10 && t < 11.5) }' || die "origin took over at $(first_origin "$db") s, want within a request of 10 s"
expect "failed requests (withdrawn)" "$(q "$db" "SELECT count(*) FROM requests WHERE ok = 0")" 0
awk -v t="$(q "$db" "SELECT max(latency_s) FROM requests")" 'BEGIN { exit !(t < 1) }' \
	|| die "a request waited $(q "$db" "SELECT max(latency_s) FROM requests") s although the replica was withdrawn"
expect "withdraws" "$(metric "$db" hostserver rtd.withdraws_sent)" 1
expect "withdraws heard" "$(metric "$db" redirector rtd.withdraws_received)" 1
expect_num "announcements heard" "$(metric "$db" redirector rtd.announces_received)" -ge 1
expect "daemon drops" "$(q "$db" "SELECT printf('%d', sum(value)) FROM metrics WHERE name LIKE 'drop.rtd_%'")" 0
# Not withdrawn: the entry expires 30 s after the last announcement (at 0 s).
db=$T/e.sqlite
$HYDRANET run "$scn" --set node.hostserver.withdraw=false --db "$db" --quiet || die "run failed"
expect "withdraws (none)" "$(metric "$db" hostserver rtd.withdraws_sent)" 0
awk -v t="$(last_hs "$db")" 'BEGIN { exit !(t < 10) }' || die "stopped replica served a request started at $(last_hs "$db") s"
awk -v t="$(first_origin "$db")" 'BEGIN { exit !(t >= 10 && t <= 30 + 12) }' \
	|| die "origin took over at $(first_origin "$db") s, want within the 30 s lifetime (+ a SYN retry)"
expect_num "black-holed SYNs at the host server" "$(metric "$db" hostserver drop.port_not_replicated)" -gt 0
# The connection opened just after the stop waited through the black hole:
# its SYN retries (3, 6, 12, 24 s) reach the origin only after the expiry.
awk -v t="$(q "$db" "SELECT max(latency_s) FROM requests")" 'BEGIN { exit !(t >= 20) }' \
	|| die "no request waited out the stale entry (max latency $(q "$db" "SELECT max(latency_s) FROM requests") s)"
# A replica added mid-run (start = 13.5 s): its server binds the port then,
# the host server's routing daemon announces it at once, and the redirector
# sends the next new connection there (the client's next request, at
# 13.515 s, one think time of 0.8 s after its previous reply); none before.
db=$T/start.sqlite
$HYDRANET run "$scn" --set replica.web.stop=0s --set replica.web.start=13.5s --db "$db" --quiet \
	|| die "start run failed"
expect "start: requests at the host server before 13.5 s" \
	"$(q "$db" "SELECT count(*) FROM requests WHERE served_by = 'hostserver' AND start_s < 13.5")" 0
expect "start: requests at the origin from 13.5 s" \
	"$(q "$db" "SELECT count(*) FROM requests WHERE served_by <> 'hostserver' AND start_s >= 13.5")" 0
expect "start: first request at the host server" \
	"$(q "$db" "SELECT printf('%.3f', min(start_s)) FROM requests WHERE served_by = 'hostserver'")" 13.515
expect "start: requests failed" "$(q "$db" "SELECT count(*) FROM requests WHERE ok = 0")" 0
