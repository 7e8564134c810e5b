#!/bin/sh
# test_stale_replica.sh - datagrams tunnelled to a virtual host that is not
# installed, or to a port no replica bound, are dropped, counted, reported.
. tests/scenario/lib.sh
db=$T/stale.sqlite
out=$($HYDRANET run tests/scenario/stale-replica.ini --db "$db") || die "hydranet run failed"
no_port=$(metric "$db" hostserver drop.port_not_replicated)
no_vhost=$(metric "$db" hostserver drop.no_vhost)
expect_num "port_not_replicated drops" "$no_port" -gt 0
expect_num "no_vhost drops" "$no_vhost" -gt 0
# Every tunnelled SYN (and its retransmissions) is one of those drops.
expect "drops = redirected" "$((no_port + no_vhost))" "$(metric "$db" redirector redirected)"
expect "delivered" "$(metric "$db" hostserver delivered)" 0
expect "requests ok" "$(q "$db" "SELECT sum(ok) FROM requests")" 0
expect "origins served" "$(q "$db" "SELECT count(served_by) FROM requests")" 0
# The summary reports the drops.
echo "$out" | grep -q "drop.no_vhost" || die "summary does not report drop.no_vhost"
echo "$out" | grep -q "drop.port_not_replicated" || die "summary does not report drop.port_not_replicated"
