#!/bin/sh
# test_fig2.sh - the paper's Figure 2 end to end on ns-3: who serves whom,
# the counters agree with each other, and the traces are clean to the byte.
. tests/scenario/lib.sh
db=$T/fig2.sqlite
$HYDRANET run scenarios/fig2-components.ini --pcap "$T/pcap" --db "$db" --quiet \
	|| die "hydranet run failed"

# Client A's requests cross the redirector and are served by the replica;
# B's telnet crosses it but is not replicated; C's route avoids it.
expect "A served by" "$(q "$db" "SELECT group_concat(DISTINCT served_by) FROM requests WHERE workload='A'")" hostserver
expect "B served by" "$(q "$db" "SELECT group_concat(DISTINCT served_by) FROM requests WHERE workload='B'")" origin
expect "C served by" "$(q "$db" "SELECT group_concat(DISTINCT served_by) FROM requests WHERE workload='C'")" origin
expect "failed requests" "$(q "$db" "SELECT count(*) FROM requests WHERE ok=0")" 0
expect "A requests" "$(q "$db" "SELECT count(*) FROM requests WHERE workload='A'")" 5

# Counters: every tunnelled datagram was delivered, every outer fragment
# the redirector made reached the host server, nothing was dropped.
red=$(metric "$db" redirector redirected)
expect_num "redirected" "$red" -gt 0
expect "delivered = redirected" "$(metric "$db" hostserver delivered)" "$red"
frags=$(metric "$db" redirector fragments_made)
expect_num "fragments made" "$frags" -gt 0
expect "outer fragments in = made" "$(metric "$db" hostserver outer_fragments_in)" "$frags"
expect "reassembled = fragmented" "$(metric "$db" hostserver reassembled)" \
	"$(metric "$db" redirector outer_fragmented)"
expect "drops" "$(q "$db" "SELECT printf('%d', sum(value)) FROM metrics WHERE name LIKE 'drop.%'")" 0
expect "run rows" "$(q "$db" "SELECT count(*) || status FROM runs")" 1ok

# Traces: one pcap per link end, no malformed packet, no bad IP or TCP
# checksum, and the IP-in-IP payload is dissected as the client's TCP.
expect "pcap files" "$(ls "$T/pcap" | wc -l)" 12
for f in "$T"/pcap/*.pcap; do
	n=$(tshark -r "$f" 2>/dev/null | wc -l)
	expect_num "$(basename "$f") packets" "$n" -gt 0
	expect "$(basename "$f") malformed" "$(tshark -r "$f" -Y _ws.malformed 2>/dev/null | wc -l)" 0
	expect "$(basename "$f") bad checksums" "$(tshark -r "$f" -o ip.check_checksum:TRUE \
		-o tcp.check_checksum:TRUE \
		-Y 'ip.checksum.status == "Bad" || tcp.checksum.status == "Bad"' 2>/dev/null | wc -l)" 0
done
hs=$T/pcap/hostserver-redirector-hostserver.pcap
expect_num "IPIP fragments" "$(tshark -r "$hs" -Y 'ip.proto == 4 && ip.flags.mf == 1' 2>/dev/null | wc -l)" -gt 0
inner=$(tshark -r "$hs" -Y 'ip.proto == 4 && tcp.dstport == 80' -T fields -e ip.dst 2>/dev/null | head -1)
expect "IPIP inner destination" "$inner" "128.142.222.80,192.20.225.20"
# Replies leave the host server with the origin's address, straight to A.
expect "reply source" "$(tshark -r "$hs" -Y 'tcp.srcport == 80' -T fields -e ip.src -e ip.dst 2>/dev/null | sort -u)" \
	"$(printf '192.20.225.20\t10.0.1.2')"
# The origin never sees client A.
expect "origin sees A" "$(tshark -r "$T/pcap/origin-core-origin.pcap" -Y 'ip.addr == 10.0.1.2' 2>/dev/null | wc -l)" 0
