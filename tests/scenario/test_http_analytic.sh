#!/bin/sh
# test_http_analytic.sh - HTTP/1.0 latency on a loss-free path equals the
# analytic store-and-forward account of its packets (the connection setup
# and request part of the Heidemann-Obraczka-Touch model: 2 RTT plus the
# transmission times; a one-segment page has no slow-start stall).
. tests/scenario/lib.sh
db=$T/ha.sqlite
$HYDRANET run tests/scenario/http-analytic.ini --db "$db" --quiet || die "run failed"
lat=$(q "$db" "SELECT value FROM metrics WHERE scope = 'workload:fetch' AND name = 'latency_mean_s'")
con=$(q "$db" "SELECT value FROM metrics WHERE scope = 'workload:fetch' AND name = 'connect_mean_ms'")
# Two 1 Mb/s hops of 50 ms; frames carry 2 bytes of PPP.  SYN, SYN/ACK and
# pure ACKs are 42-byte frames, the GET 68 (26 bytes of request), the reply
# 1314 (1272 bytes: a 72-byte header and the 1200-byte page).  ns-3's server
# acknowledges the GET before it sends the reply.
awk -v lat="$lat" -v con="$con" 'BEGIN {
	d = 0.050
	ack = 42 * 8 / 1e6; get = 68 * 8 / 1e6; rep = 1314 * 8 / 1e6
	connect = 2 * 2 * (ack + d)                  # SYN, SYN/ACK: two hops each
	request = ack + 2 * get + 2 * d              # ACK then GET, pipelined over two hops
	reply = ack + 2 * rep + 2 * d                # ACK then the reply
	want = connect + request + reply
	if ((con / 1e3 - connect) ^ 2 > 1e-12) { printf "connect %.6f s, analytic %.6f s\n", con / 1e3, connect; exit 1 }
	if ((lat - want) ^ 2 > 1e-12) { printf "latency %.6f s, analytic %.6f s\n", lat, want; exit 1 }
}' || die "HTTP/1.0 latency does not match the analytic model"
