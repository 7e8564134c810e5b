#!/bin/sh
# test_manager.sh - the replica manager installs a replica when the origin's
# load crosses its threshold, the routing daemon announces it, new connections
# go there while existing ones finish at the origin, and the idle replica is
# removed and withdrawn.
. tests/scenario/lib.sh
db=$T/mgr.sqlite
$HYDRANET run tests/scenario/manager.ini --db "$db" --quiet || die "run failed"
m() { metric "$db" "$1" "$2"; }
# Installed for the first burst, removed when idle, installed again on the
# same host server for the second (which lasts until the end).
expect "installs" "$(m service:web rmp.installs)" 2
expect "removes" "$(m service:web rmp.removes)" 1
expect "replication server installs" "$(m hostserver rmp.installs)" 2
expect "image bytes moved" "$(m hostserver rmp.image_bytes)" 500000
expect "withdrawn" "$(m redirector rtd.withdraws_received)" 1
expect "replica start failures" "$(m hostserver drop.replica_start_failed)" 0
expect_num "second burst served by the reinstalled replica" \
	"$(q "$db" "SELECT count(*) FROM requests WHERE workload = 'burst2' AND served_by = 'hostserver'")" -ge 100
expect_num "load reports" "$(m service:web rmp.loads)" -ge 3
trig=$(q "$db" "SELECT value FROM metrics WHERE scope = 'service:web' AND name = 'first_trigger_s'")
lat=$(q "$db" "SELECT value FROM metrics WHERE scope = 'service:web' AND name = 'install_latency_s'")
# The burst starts at 10 s; the manager measures over 2 s intervals.
awk -v t="$trig" 'BEGIN { exit !(t >= 10 && t <= 14) }' || die "install triggered at $trig s"
awk -v l="$lat" 'BEGIN { exit !(l > 0 && l < 5) }' || die "install took $l s"
# Every request succeeded; none served by the replica before it was installed,
# the burst's later requests all by it.
expect "failed requests" "$(q "$db" "SELECT count(*) FROM requests WHERE ok = 0")" 0
first=$(q "$db" "SELECT min(start_s) FROM requests WHERE served_by = 'hostserver'")
awk -v f="$first" -v t="$trig" -v l="$lat" 'BEGIN { exit !(f >= t) }' || die "replica served a request started at $first s, before the install at $trig s"
expect "origin requests after the install settled" \
	"$(q "$db" "SELECT count(*) FROM requests WHERE workload = 'burst' AND served_by = 'origin' AND start_s > $trig + $lat + 1")" 0
expect_num "replica requests" "$(m hostserver replica_requests.web)" -ge 200
expect "protocol drops" "$(q "$db" "SELECT printf('%d', sum(value)) FROM metrics WHERE name LIKE 'drop.rmp_%' OR name LIKE 'drop.rtd_%'")" 0
# The latency trigger: the same burst by 10 users at once queues on a busy
# origin (30 ms of CPU per request): its response time, not its rate, crosses
# 60 ms and the manager installs.
db=$T/lat.sqlite
$HYDRANET run tests/scenario/manager.ini --db "$db" --quiet --set node.origin.cpu=pentium-120 \
	--set service.web.processing=30ms --set service.web.trigger=latency \
	--set service.web.install_above_ms=60 --set workload.burst.clients=10 || die "latency run failed"
expect_num "installs (latency trigger)" "$(metric "$db" service:web rmp.installs)" -ge 1
awk -v t="$(q "$db" "SELECT value FROM metrics WHERE scope = 'service:web' AND name = 'first_trigger_s'")" \
	'BEGIN { exit !(t >= 10 && t <= 14) }' || die "latency trigger at the wrong time"
