#!/bin/sh
# test_natlb_dr.sh - the direct-return cluster (natlb.h, lb_mode = dr) end
# to end: who served each population (the front end gives new connections
# to rs1, rs2 in turn: the two populations' 40 + 40 alternate), the replies
# reach the clients from the service's address straight from the real
# servers (the front end sends nothing towards the clients), and what the
# front end forwards to a real server is the client's datagram unchanged
# but for TTL - 1 and the header checksum (the TCP checksum, ports,
# sequence numbers, IP id and length the same).
. tests/scenario/lib.sh
scn=tests/scenario/natlb-dr.ini
db=$T/d.sqlite
mkdir "$T/p"
$HYDRANET run "$scn" --db "$db" --pcap "$T/p" --quiet || die "run failed"
wl() { q "$db" "SELECT printf('%d', coalesce(sum(value), 0)) FROM metrics WHERE scope = 'workload:$1' AND name = '$2'"; }
expect "west ok" "$(wl west ok)" 40
expect "west served by rs1" "$(wl west served_by.rs1)" 40
expect "east ok" "$(wl east ok)" 40
expect "east served by rs2" "$(wl east served_by.rs2)" 40
expect "served by the front end's own server" "$(wl west served_by.fe)$(wl east served_by.fe)" 00
expect "connections" "$(metric "$db" fe natlb.connections)" 80
expect "connections ended (FIN from the client)" "$(metric "$db" fe natlb.ended)" 80
expect "front end drops" "$(q "$db" "SELECT printf('%d', sum(value)) FROM metrics WHERE scope = 'fe' AND name LIKE 'drop.%'")" 0
# The front end sees only the clients' direction: every datagram it
# received was forwarded (in = frames in from core), none came back.
expect "front end: datagrams in = frames from core" "$(metric "$db" fe natlb.in)" "$(metric "$db" link:core-fe frames)"
expect "front end: replies translated" "$(metric "$db" fe natlb.out)" 0
expect "front end -> core bytes" "$(metric "$db" link:core-fe bytes_b_to_a)" 0
expect "real servers -> front end bytes" "$(( $(metric "$db" link:fe-rs1 bytes_b_to_a) + $(metric "$db" link:fe-rs2 bytes_b_to_a) ))" 0
expect_num "rs1 -> core (the replies)" "$(metric "$db" link:core-rs1 bytes_b_to_a)" -gt 800000
# Forwarded bytes = what arrived from core (IP bytes: PPP's 2 bytes a frame off).
expect "forwarded bytes" "$(metric "$db" fe natlb.bytes)" \
	$(( $(metric "$db" link:core-fe bytes_a_to_b) - 2 * $(metric "$db" link:core-fe frames) ))
# At the clients, every datagram comes from the service's address.
for c in w e; do
	pc="$T/p/clients-$c-core-$c.pcap"
	expect "clients-$c: datagrams not from the service" \
		"$(tshark -r "$pc" -Y "ip.dst == 172.16.0.0/16 && ip.src != 192.20.1.10" 2>/dev/null | wc -l)" 0
	expect_num "clients-$c: datagrams from the service" \
		"$(tshark -r "$pc" -Y "ip.src == 192.20.1.10" 2>/dev/null | wc -l)" -gt 400
done
# Unchanged datagrams: the fields of each one fe sent rs1 are those of one
# it received from core; TTL one less; header checksums right.
f='-e ip.src -e ip.dst -e ip.id -e ip.len -e ip.flags -e tcp.srcport -e tcp.dstport -e tcp.seq_raw -e tcp.ack_raw -e tcp.flags -e tcp.checksum'
tshark -r "$T/p/fe-core-fe.pcap" -T fields $f 2>/dev/null | sort > "$T/in"
tshark -r "$T/p/fe-fe-rs1.pcap" -T fields $f 2>/dev/null | sort > "$T/fw"
expect "datagrams to rs1" "$(wc -l < "$T/fw")" 480
expect "datagrams to rs1 not received from core as they are" "$(comm -13 "$T/in" "$T/fw" | wc -l)" 0
expect "TTLs: in 63, to rs1 62" \
	"$(tshark -r "$T/p/fe-core-fe.pcap" -T fields -e ip.ttl 2>/dev/null | sort -u | tr '\n' ' ')$(tshark -r "$T/p/fe-fe-rs1.pcap" -T fields -e ip.ttl 2>/dev/null | sort -u)" "63 62"
expect "bad IP header checksums to rs1" \
	"$(tshark -o ip.check_checksum:TRUE -r "$T/p/fe-fe-rs1.pcap" -Y 'ip.checksum.status == "Bad"' 2>/dev/null | wc -l)" 0
expect "good IP header checksums to rs1" \
	"$(tshark -o ip.check_checksum:TRUE -r "$T/p/fe-fe-rs1.pcap" -Y 'ip.checksum.status == "Good"' 2>/dev/null | wc -l)" 480
# A real server that is not the front end's neighbour is refused, file:line.
sed 's/^lb_servers = rs1 rs2/lb_servers = rs1 clients-w/' "$scn" > "$T/bad.ini"
$HYDRANET list "$T/bad.ini" > /dev/null 2> "$T/err" && die "a dr real server that is no neighbour was accepted"
grep -q "bad.ini:14: .*real server 'clients-w' must share a \[link\] with the front end" "$T/err" || die "error: $(cat "$T/err")"
echo "$name: ok"
