#!/bin/sh
# test_natlb.sh - a NAT front end (natlb.h) end to end: the clients address
# only the service's address; the 80 connections are given to the two real
# servers in turn (40 each, every reply byte-exact at the client, so the
# rewritten checksums were right or TCP would have dropped the segments);
# every datagram either way was translated, none dropped.
. tests/scenario/lib.sh
scn=tests/scenario/natlb.ini
db=$T/n.sqlite
$HYDRANET run "$scn" --db "$db" --quiet || die "run failed"
sum() { q "$db" "SELECT printf('%d', coalesce(sum(value), 0)) FROM metrics WHERE scope LIKE 'workload:%' AND name = '$1'"; }
expect "requests ok" "$(sum ok)" 80
expect "served by rs1" "$(sum served_by.rs1)" 40
expect "served by rs2" "$(sum served_by.rs2)" 40
expect "served by the front end's own server" "$(sum served_by.fe)" 0
expect "connections" "$(metric "$db" fe natlb.connections)" 80
expect "front end drops" "$(q "$db" "SELECT printf('%d', sum(value)) FROM metrics WHERE scope = 'fe' AND name LIKE 'drop.%'")" 0
expect_num "datagrams in" "$(metric "$db" fe natlb.in)" -gt 80
expect_num "datagrams out" "$(metric "$db" fe natlb.out)" -gt 80
# All datagrams the real servers sent went through the front end: its
# translated bytes both ways equal what the real servers' links carried
# towards it plus what it sent them (IP bytes; the links count PPP's 2-byte
# header per frame).
rs_tx=$(q "$db" "SELECT printf('%d', sum(value)) FROM metrics WHERE scope IN ('link:fe-rs1','link:fe-rs2') AND name IN ('bytes_b_to_a','bytes_a_to_b')")
rs_pk=$(q "$db" "SELECT printf('%d', sum(value)) FROM metrics WHERE scope IN ('link:fe-rs1','link:fe-rs2') AND name = 'frames'")
expect "translated bytes = real-server link bytes - PPP headers" "$(metric "$db" fe natlb.bytes)" $((rs_tx - 2 * rs_pk))

# A real server added mid-run (lb_added = rs2 at 5 s, as ipvsadm -a): it
# gets no connection whose SYN reached the front end before 5 s (the
# clients are 40 ms away, so none started before 4.96 s), one of the first
# two that arrive after (the round robin's turn), and from then every other
# one.  Nothing fails.
db=$T/added.sqlite
$HYDRANET run "$scn" --set node.fe.lb_added=rs2 --set node.fe.lb_add_at=5s --db "$db" --quiet || die "added run failed"
expect "added: requests ok" "$(q "$db" "SELECT count(*) FROM requests WHERE ok = 1")" 80
expect "added: served by rs2 before it joined" \
	"$(q "$db" "SELECT count(*) FROM requests WHERE served_by = 'rs2' AND start_s < 4.96")" 0
first=$(q "$db" "SELECT min(start_s) FROM requests WHERE served_by = 'rs2'")
expect_num "added: requests started after 4.96 s before rs2's first" \
	"$(q "$db" "SELECT count(*) FROM requests WHERE start_s >= 4.96 AND start_s < $first")" -le 1
d=$(q "$db" "SELECT abs(sum(served_by = 'rs1') - sum(served_by = 'rs2')) FROM requests WHERE start_s >= $first")
expect_num "added: rs1 and rs2 alternate after it joined (difference)" "$d" -le 1
expect "added: a server outside lb_servers is refused" \
	"$($HYDRANET list "$scn" --set node.fe.lb_added=rs3 2>&1 >/dev/null | grep -c "lb_added: 'rs3' is not one of lb_servers")" 1
