#!/bin/sh
# test_dns.sh - DNS-based replica selection end to end (dnssrv.h): who
# served each client population under the name server's nearest and
# round_robin answers, the resolvers' caching for the TTL, a client that
# keeps answers past a zero TTL (min_ttl), and the DNS bytes to the byte.
. tests/scenario/lib.sh
scn=tests/scenario/dns.ini
served() { metric "$1" "workload:$2" "served_by.$3"; }
# nearest: each ISP's clients go to their own ISP's host server.
db=$T/n.sqlite
$HYDRANET run "$scn" --db "$db" --quiet || die "run failed"
for p in w e; do
	expect "ok ($p)" "$(metric "$db" "workload:$([ $p = w ] && echo west || echo east)" ok)" 40
done
expect "west served by hs-w" "$(served "$db" west hs-w)" 40
expect "east served by hs-e" "$(served "$db" east hs-e)" 40
expect "origin answers (nearest)" "$(metric "$db" ns dns.answered_origin)" 0
up=$(( $(metric "$db" resolver-w dns.upstream_queries) + $(metric "$db" resolver-e dns.upstream_queries) ))
expect "name server queries = resolvers' misses sent up" "$(metric "$db" ns dns.queries)" "$up"
# 10 s TTL over ~12 s of requests: each resolver asks at most twice.
expect_num "resolver-w upstream queries" "$(metric "$db" resolver-w dns.upstream_queries)" -le 2
# bytes: a query for "web" is 12 + 5 + 4 = 21 bytes, its answer 21 + 16 = 37
sq=$(metric "$db" workload:west dns.queries); sa=$(metric "$db" workload:west dns.answers)
expect "stub bytes" "$(metric "$db" workload:west dns.bytes)" $((21 * sq + 37 * sa))
expect "DNS drops" "$(q "$db" "SELECT printf('%d', sum(value)) FROM metrics WHERE name LIKE 'drop.dns_%'")" 0
# round_robin, TTL 0: nothing cached, every address serves both populations.
db=$T/r.sqlite
$HYDRANET run "$scn" --set node.ns.dns_policy=round_robin --set node.ns.dns_ttl=0s --db "$db" --quiet \
	|| die "run failed"
for w in west east; do
	for h in hs-w hs-e origin; do
		expect_num "$w served by $h (round robin)" "$(served "$db" $w $h)" -gt 0
	done
	expect "$w ok (round robin)" "$(metric "$db" workload:$w ok)" 40
done
expect "resolver cache hits (TTL 0)" "$(metric "$db" resolver-w dns.cache_hits)" 0
expect_num "origin answers (round robin)" "$(metric "$db" ns dns.answered_origin)" -gt 0
# The west clients keep an answer 30 s whatever its TTL: one lookup, one server.
db=$T/m.sqlite
$HYDRANET run "$scn" --set node.ns.dns_policy=round_robin --set node.ns.dns_ttl=0s \
	--set workload.west.min_ttl=30s --db "$db" --quiet || die "run failed"
expect "west lookups (min_ttl 30 s)" "$(metric "$db" workload:west dns.queries)" 1
expect "west servers (min_ttl 30 s)" "$(q "$db" "SELECT count(*) FROM metrics WHERE scope = 'workload:west' AND name LIKE 'served_by.%'")" 1
expect_num "east lookups (no min_ttl)" "$(metric "$db" workload:east dns.queries)" -gt 10
# A replica stops at 20 s (its record leaves the zone at once): the west
# clients keep being sent to it until their answer's TTL (10 s) runs out,
# and those requests fail; with min_ttl = 30 s, until 30 s after their last
# lookup.  (HydraNet's redirector stops at its routing daemon's withdrawal:
# tests/scenario/test_routing.sh.)
stopped() {   # stopped DB: failed west requests, first and last start (s), first start after
	q "$1" "SELECT count(*) || ' ' || printf('%.3f', coalesce(min(start_s), 0)) || ' ' || printf('%.3f', coalesce(max(start_s), 0)) FROM requests WHERE workload = 'west' AND ok = 0"
}
db=$T/s.sqlite
$HYDRANET run "$scn" --set replica.web-w.stop=20s --set workload.west.requests=40 --db "$db" --quiet \
	|| die "run failed"
set -- $(stopped "$db")
expect_num "west requests failed on the stopped replica" "$1" -gt 0
awk -v a="$2" -v b="$3" 'BEGIN { exit !(a >= 20 && b < 30) }' \
	|| die "failed west requests started from $2 s to $3 s, want within [20, 30) s (TTL 10 s)"
expect "served by hs-w after the TTL" "$(q "$db" "SELECT count(*) FROM requests WHERE workload = 'west' AND served_by = 'hs-w' AND start_s >= 30")" 0
expect_num "west served elsewhere after the TTL" "$(q "$db" "SELECT count(*) FROM requests WHERE workload = 'west' AND ok = 1 AND start_s >= 30")" -gt 0
nfail=$1
db=$T/s2.sqlite
$HYDRANET run "$scn" --set replica.web-w.stop=20s --set workload.west.requests=40 \
	--set workload.west.min_ttl=30s --db "$db" --quiet || die "run failed"
set -- $(stopped "$db")
expect_num "failures with min_ttl 30 s (more than with the TTL's 10 s: $nfail)" "$1" -gt "$nfail"
awk -v b="$3" 'BEGIN { exit !(b >= 30 && b < 51) }' \
	|| die "with min_ttl 30 s the last failed west request started at $3 s, want in [30, 51) s"
# A replica added mid-run (hs-w starts at 15 s): the name server names it
# from 15 s, but resolver-w holds the origin's address from its refresh at
# the first west lookup after 11 s (its first, at 1 s, + TTL 10 s) for 10 s,
# so west moves only at that answer's expiry, in [21, 22) s, the stubs'
# copies up to 1 s later (the TTL left, rounded up to whole seconds).
db=$T/a.sqlite
$HYDRANET run "$scn" --set replica.web-w.start=15s --set workload.west.requests=40 --db "$db" --quiet \
	|| die "added-replica run failed"
first=$(q "$db" "SELECT printf('%.3f', min(start_s)) FROM requests WHERE workload = 'west' AND served_by = 'hs-w'")
last=$(q "$db" "SELECT printf('%.3f', max(start_s)) FROM requests WHERE workload = 'west' AND served_by <> 'hs-w'")
awk -v a="$first" -v b="$last" 'BEGIN { exit !(a >= 21 && a < 23 && b < 23) }' \
	|| die "added replica: west's first request at hs-w at $first s, last elsewhere at $last s; want both in [21, 23) s"
expect "added replica: west requests failed" "$(q "$db" "SELECT count(*) FROM requests WHERE ok = 0")" 0
expect_num "added replica: west requests at hs-w" \
	"$(q "$db" "SELECT count(*) FROM requests WHERE workload = 'west' AND served_by = 'hs-w'")" -gt 60
