#!/bin/sh
# test_multiflow.sh - several ttcp workloads share one service at once on
# the real simulator (multiflow.ini): four TCP senders to one TCP service
# (three on one client, one from source port 6000, one with DF that meets
# the tunnel MTU; one on a second client) and two UDP senders to one UDP
# service (1473-byte datagrams, fragmented by the client and the tunnel,
# and 512-byte ones).  Each workload is its own flow (client address,
# source port) at the receiver, read with its own buflen: its bytes and
# reads are exactly its own nbuf * buflen and nbuf; the DF flow alone gets
# the ICMP and lowers its segment size.
. tests/scenario/lib.sh
ini=tests/scenario/multiflow.ini
db=$T/mf.sqlite
$HYDRANET run $ini --db "$db" --pcap "$T/mf" --quiet || die "hydranet run failed"
wm() { q "$db" "SELECT printf('%d', value) FROM metrics WHERE scope='workload:$1' AND name='$2'"; }
# workload bytes reads (nbuf * buflen, nbuf)
for f in "a 32768 4" "b 20000 20" "c 15000 5" "d 14600 10" "u1 8838 6" "u2 4608 9"; do
	set -- $f
	expect "$1: bytes" "$(wm "$1" ttcp_bytes)" "$2"
	expect "$1: reads" "$(wm "$1" ttcp_reads)" "$3"
	expect "$1: complete" "$(wm "$1" ttcp_complete)" 1
	expect_num "$1: throughput" "$(q "$db" "SELECT value * 1000 FROM metrics WHERE scope='workload:$1' AND name='throughput_mbps'")" -gt 0
done
expect "c: fixed source port" "$(wm c ttcp_source_port)" 6000
pa=$(wm a ttcp_source_port); pb=$(wm b ttcp_source_port); pd=$(wm d ttcp_source_port)
[ "$pa" != "$pb" ] && [ "$pa" != 6000 ] && [ "$pb" != 6000 ] || die "client's TCP flows share a port: $pa $pb"
# Only the DF flow met the tunnel MTU: one ICMP (next-hop MTU 1480, quoting
# its own port), its segment size 1440; the others 1460 (cut by the tunnel).
expect "icmp sent" "$(metric "$db" redirector icmp_frag_needed_sent)" 1
expect "a: lowered, mss" "$(wm a tcp_pmtu_lowered) $(wm a tcp_mss_end)" "1 1440"
expect "b, c, d: mss" "$(wm b tcp_mss_end) $(wm c tcp_mss_end) $(wm d tcp_mss_end)" "1460 1460 1460"
expect "icmp (mtu, quoted port)" \
	"$(tshark -r "$T/mf/client-client-redirector.pcap" -Y icmp -T fields -e icmp.mtu -e tcp.srcport 2>/dev/null)" \
	"1480	$pa"
expect "client stack: icmp ignored" "$(metric "$db" client drop.host_icmp_out_of_window) $(metric "$db" client drop.host_icmp_no_quote)" "0 0"
# At the host server, the inner datagrams of every flow arrive in the
# tunnel: data segments (or fragments' first pieces) per source port.
hs=$T/mf/hostserver-redirector-hostserver.pcap
fl() { tshark -r "$hs" -Y "ip.src == $1 && $2" 2>/dev/null | wc -l; }
expect_num "a's segments tunnelled" "$(fl 10.0.1.2 "tcp.srcport == $pa && tcp.len > 0")" -ge 23
expect_num "d's segments tunnelled (client2)" "$(fl 10.0.2.2 "tcp.srcport == $pd && tcp.len > 0")" -ge 10
expect "u1's datagrams (first fragments) tunnelled" "$(fl 10.0.1.2 "udp.srcport == $(wm u1 ttcp_source_port) && udp.length == 1481")" 6
expect "u2's datagrams tunnelled" "$(fl 10.0.1.2 "udp.srcport == $(wm u2 ttcp_source_port) && udp.length == 520")" 9
expect "malformed frames" "$(tshark -r "$hs" -Y _ws.malformed 2>/dev/null | wc -l)" 0
