#!/bin/sh
# test_inner_frag.sh - inner fragments without ports follow their first
# fragment through the redirector, end to end on ns-3.
. tests/scenario/lib.sh
db=$T/frag.sqlite
$HYDRANET run tests/scenario/inner-frag.ini --db "$db" --pcap "$T/pcap" --quiet || die "hydranet run failed"
expect "requests ok" "$(q "$db" "SELECT sum(ok) FROM requests")" 3
expect "served by" "$(q "$db" "SELECT group_concat(DISTINCT served_by) FROM requests")" hostserver
matched=$(metric "$db" redirector inner_frags_matched)
expect_num "inner fragments matched by (src, dst, id)" "$matched" -gt 0
expect "held (fragments arrive in order here)" "$(metric "$db" redirector inner_frags_held)" 0
expect "delivered = redirected" "$(metric "$db" hostserver delivered)" "$(metric "$db" redirector redirected)"
expect "drops" "$(q "$db" "SELECT printf('%d', sum(value)) FROM metrics WHERE name LIKE 'drop.%'")" 0
# The origin sees none of the client's datagrams, fragments included.
expect "origin sees client" "$(tshark -r "$T/pcap/origin-redirector-origin.pcap" -Y 'ip.src == 10.0.1.2' 2>/dev/null | wc -l)" 0
# Inner fragments (offset > 0, no ports) inside the tunnel.
n=$(tshark -r "$T/pcap/hostserver-redirector-hostserver.pcap" -o ip.defragment:FALSE -Y 'ip.proto == 4' -T fields -e ip.frag_offset 2>/dev/null \
	| awk -F, 'NF == 2 && $2 > 0' | wc -l)
expect_num "tunnelled inner non-first fragments" "$n" -gt 0
for f in "$T"/pcap/*.pcap; do
	expect "$(basename "$f") malformed" "$(tshark -r "$f" -Y _ws.malformed 2>/dev/null | wc -l)" 0
done
