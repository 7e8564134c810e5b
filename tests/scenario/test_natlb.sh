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
