#!/bin/sh
# test_pmtud.sh - path MTU discovery through the redirector on ns-3: a TCP
# sender with DF whose 1500-byte segments do not fit the tunnel (MTU 1480)
# gets ICMP fragmentation needed (next-hop MTU 1480, dissected by tshark),
# lowers its segment size to 1440 and retransmits at once (RFC 1191 section
# 6, added by the shim: ns-3's TCP does not); with the ICMP off the same
# transfer stalls in the black hole, retransmitting 1500-byte segments,
# unless black-hole detection (Linux tcp_mtu_probing = 1) lowers its MSS.
. tests/scenario/lib.sh
ini=tests/scenario/pmtud.ini
CK="-o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE"

db=$T/pmtud.sqlite
$HYDRANET run $ini --db "$db" --pcap "$T/pmtud" --quiet || die "hydranet run failed"
expect "transfer complete" "$(q "$db" "SELECT printf('%d', value) FROM metrics WHERE name='ttcp_complete'")" 1
expect "bytes" "$(q "$db" "SELECT printf('%d', value) FROM metrics WHERE name='ttcp_bytes'")" 65536
expect "icmp sent" "$(metric "$db" redirector icmp_frag_needed_sent)" 1
expect "dropped (too big, DF)" "$(metric "$db" redirector drop.df_too_big)" 1
cl=$T/pmtud/client-client-redirector.pcap
tshark -r "$cl" $CK -T fields -e frame.time_relative -e ip.src -e ip.len -e ip.flags.df -e icmp.type \
	-e icmp.code -e icmp.mtu -e tcp.seq -e _ws.malformed -e ip.checksum.status -e tcp.checksum.status \
	-e icmp.checksum.status >"$T/cl.txt" 2>"$T/cl.err" || die "tshark failed: $(cat "$T/cl.err")"
# Fields: 1 time, 2 src, 3 len, 4 df, 5 type, 6 code, 7 mtu, 8 seq, 9
# malformed, 10-12 IP, TCP, ICMP checksum status (0: bad).
first() { awk -F'\t' '{ o = ""; for (i = 1; i <= NF; i++) { split($i, v, ","); o = o (i > 1 ? "\t" : "") v[1] } print o }' "$T/cl.txt"; }
# (A TCP checksum quoted inside an ICMP message is of a truncated segment:
# tshark computes it over what is quoted, so only whole segments count.)
expect "malformed or bad checksums" "$(first | awk -F'\t' '$9 != "" || $10 == "0" || ($11 == "0" && $5 == "") || $12 == "0"' | wc -l)" 0
expect_num "TCP checksums verified good" "$(first | awk -F'\t' '$11 == "1"' | wc -l)" -gt 10
expect "icmp frag needed (src dst mtu checksum)" \
	"$(first | awk -F'\t' '$5 == 3 && $6 == 4 { print $2, $7, $12 }')" "10.0.1.1 1480 1"
# The first data segment: 1500 bytes with DF; at the ICMP's instant the
# same sequence number again in 1480 bytes; no segment above 1480 after.
t_icmp=$(first | awk -F'\t' '$5 == 3 { print $1; exit }')
expect "first full segment" "$(first | awk -F'\t' '$2 == "10.0.1.2" && $3 > 40 { print $3, $4, $8; exit }')" "1500 1 1"
expect "retransmitted at once, smaller" \
	"$(first | awk -F'\t' -v t="$t_icmp" '$1 == t && $2 == "10.0.1.2" && $5 == "" { print $3, $4, $8 }')" "1480 1 1"
expect "segments above 1480 after the ICMP" \
	"$(first | awk -F'\t' -v t="$t_icmp" '$1 > t && $2 == "10.0.1.2" && $3 > 1480' | wc -l)" 0

# The black hole: ICMP off; the sender times out and retransmits its
# 1500-byte segment (1 s, 2 s, 4 s backoff) and nothing arrives.
db=$T/hole.sqlite
$HYDRANET run $ini --db "$db" --pcap "$T/hole" --quiet --set node.redirector.icmp_frag_needed=false ||
	die "hole: hydranet run failed"
expect "hole: transfer complete" "$(q "$db" "SELECT printf('%d', value) FROM metrics WHERE name='ttcp_complete'")" 0
expect "hole: bytes" "$(q "$db" "SELECT printf('%d', value) FROM metrics WHERE name='ttcp_bytes'")" 0
expect "hole: icmp" "$(tshark -r "$T/hole/client-client-redirector.pcap" -Y icmp 2>/dev/null | wc -l)" 0
expect "hole: 1500-byte segments sent (one and three retransmissions in 10 s)" \
	"$(tshark -r "$T/hole/client-client-redirector.pcap" -Y 'ip.src == 10.0.1.2 && ip.len == 1500 && ip.flags.df == 1' 2>/dev/null | wc -l)" 4
expect "hole: drops" "$(metric "$db" redirector drop.df_too_big)" 4

# The black hole with Linux's black-hole detection (mtu_probing = blackhole,
# tcp_mtu_probing = 1).  The RTO rules give every instant: the first data
# segment leaves at t0 = 4.150 ms (after the handshake) with RTO 1 s (the
# BSD profile's minimum; the SYN's RTT is 4.15 ms); unanswered it goes again
# at t0 + 1 s, t0 + 3 s and t0 + 7 s (RTO doubled each time).  Detection
# needs a retransmission and 3 s since the first one (tcp_retries1 = 3
# backoffs from 200 ms: 15 x 200 ms): false at t0 + 3 s (2 s), true at t0 +
# 7 s (6 s): that retransmission leaves at MSS base_mss = 1024 (1064 bytes),
# fits the tunnel, and the transfer completes; its first byte arrives 7 s +
# 2 one-way trips after the start.
db=$T/probe.sqlite
$HYDRANET run $ini --db "$db" --pcap "$T/probe" --quiet --set node.redirector.icmp_frag_needed=false \
	--set workload.blast.mtu_probing=blackhole || die "probe: hydranet run failed"
pm() { q "$db" "SELECT printf('$2', value) FROM metrics WHERE scope='workload:blast' AND name='$1'"; }
expect "probe: complete, bytes" "$(pm ttcp_complete %d) $(pm ttcp_bytes %d)" "1 65536"
expect "probe: MSS lowered once, to 1024" "$(pm tcp_blackhole_lowered %d) $(pm tcp_mss_end %d)" "1 1024"
expect "probe: client counter" "$(metric "$db" client tcp.blackhole_lowered)" 1
expect "probe: first byte (s)" "$(pm ttcp_first_byte_s %.3f)" 7.008
expect "probe: data segments until the fall (time, length, seq)" \
	"$(tshark -r "$T/probe/client-client-redirector.pcap" -Y 'ip.src == 10.0.1.2 && tcp.len > 0' -T fields \
		-e frame.time_relative -e ip.len -e tcp.seq 2>/dev/null | head -5 | tr '\t\n' ' /')" \
	"0.004184000 1500 1/1.004150000 1500 1/3.004150000 1500 1/7.004150000 1064 1/7.009939000 476 1025/"
expect "probe: drops (the three 1500-byte sends)" "$(metric "$db" redirector drop.df_too_big)" 3
# base_mss above what the tunnel carries (1450: 1490-byte datagrams): the
# fall at t0 + 7 s does not get through, the next RTO (t0 + 15 s) halves
# it, min(base_mss, 1450 / 2) = 725, which does.
db=$T/probe2.sqlite
$HYDRANET run $ini --db "$db" --quiet --set node.redirector.icmp_frag_needed=false \
	--set workload.blast.mtu_probing=blackhole --set workload.blast.base_mss=1450 \
	--set simulation.stop_time=20s || die "probe2: hydranet run failed"
expect "probe2: complete, lowered twice, MSS" \
	"$(pm ttcp_complete %d) $(pm tcp_blackhole_lowered %d) $(pm tcp_mss_end %d)" "1 2 725"
expect "probe2: first byte (s)" "$(pm ttcp_first_byte_s %.3f)" 15.007
expect "probe2: drops (three 1500, one 1490)" "$(metric "$db" redirector drop.df_too_big)" 4

# Upward probing after the fall (mtu_probing = probe: Linux tcp_mtu_probe,
# RFC 4821), 512 KiB.  ns-3's default stack (tcp_profile = modern: 128 KiB
# buffers, MSS 1448 and 12 option bytes): from search_low 1024 and
# search_high 1448 the probes are 1236, 1342, 1395, 1421 (acknowledged:
# each becomes the MSS) and 1434 (1486 bytes: lost in the black hole); the
# transfer ends at MSS 1421.  With the 1998 profile's 16 KiB buffers no
# probe is sent: Linux's condition (cwnd of 11 segments and the probe plus 4
# segments unsent beyond it) is never met.
db=$T/up.sqlite
$HYDRANET run $ini --db "$db" --pcap "$T/up" --quiet --set node.redirector.icmp_frag_needed=false \
	--set workload.blast.mtu_probing=probe --set workload.blast.nbuf=64 --set simulation.stop_time=20s \
	--set simulation.tcp_profile=modern || die "up: hydranet run failed"
expect "up: complete, bytes" "$(pm ttcp_complete %d) $(pm ttcp_bytes %d)" "1 524288"
expect "up: probes, lost, MSS at the end" "$(pm tcp_mtu_probes %d) $(pm tcp_mtu_probes_failed %d) $(pm tcp_mss_end %d)" "5 1 1421"
expect "up: segment sizes above 1024 after the fall, in order" \
	"$(tshark -r "$T/up/client-client-redirector.pcap" -Y 'ip.src == 10.0.1.2 && tcp.len > 1024 && frame.time_relative > 7' \
		-T fields -e tcp.len 2>/dev/null | awk '!seen[$1]++' | tr '\n' ' ')" "1236 1342 1395 1421 1434 "
db=$T/up98.sqlite
$HYDRANET run $ini --db "$db" --quiet --set node.redirector.icmp_frag_needed=false \
	--set workload.blast.mtu_probing=probe --set workload.blast.nbuf=64 --set simulation.stop_time=20s ||
	die "up98: hydranet run failed"
expect "up98: complete, probes, MSS" "$(pm ttcp_complete %d) $(pm tcp_mtu_probes %d) $(pm tcp_mss_end %d)" "1 0 1024"

# DF is per socket: a second sender on the same client without DF (its own
# service, port 5002) sends no DF segment; its 1500-byte segments are cut
# by the redirector (outer fragmentation) and its transfer completes, in
# the black hole too; each workload reports its own transfer.
two=$T/two.ini
cat $ini - > "$two" <<'INI'
[service sink2]
origin = origin
address = 192.20.225.20
port = 5002
app = ttcp
[replica sink2-replica]
service = sink2
host_server = hostserver
redirectors = redirector
[workload plain]
client = client
service = sink2
buflen = 8192
nbuf = 4
INI
db=$T/two.sqlite
$HYDRANET run "$two" --db "$db" --pcap "$T/two" --quiet --set node.redirector.icmp_frag_needed=false ||
	die "two: hydranet run failed"
wm() { q "$db" "SELECT printf('%d', value) FROM metrics WHERE scope='workload:$1' AND name='$2'"; }
expect "two: plain complete" "$(wm plain ttcp_complete)" 1
expect "two: plain bytes" "$(wm plain ttcp_bytes)" 32768
expect "two: blast complete (black hole)" "$(wm blast ttcp_complete)" 0
expect "two: blast bytes" "$(wm blast ttcp_bytes)" 0
expect "two: DF segments from port 5002's sender" \
	"$(tshark -r "$T/two/client-client-redirector.pcap" -Y 'tcp.dstport == 5002 && ip.flags.df == 1' 2>/dev/null | wc -l)" 0
expect_num "two: 1500-byte segments to 5002" \
	"$(tshark -r "$T/two/client-client-redirector.pcap" -Y 'tcp.dstport == 5002 && ip.len == 1500' 2>/dev/null | wc -l)" -ge 1
