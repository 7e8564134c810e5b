#!/bin/sh
# test_tunnel_modes.sh - the redirector's tunnel modes end to end on ns-3,
# one UDP datagram per payload size, dissected by tshark: the outer frame
# lengths on the tunnel link are the RFC 791 / net/tunnel.h pattern (a
# payload above 1472 is already cut by the client's 1500-byte link), no
# frame is malformed, no IP, UDP or ICMP checksum is bad; outer TTL, TOS and
# DF follow the mode; a DF datagram too big for the tunnel is answered with
# ICMP fragmentation needed whose next-hop MTU is 1480, and without ICMP
# (icmp_frag_needed = false) nothing comes back: the black hole.
. tests/scenario/lib.sh
ini=tests/scenario/tunnel-modes.ini
sizes='64,512,1024,1400,1452,1472,1473,1480,1500,1600,3000,8000'
CK="-o ip.check_checksum:TRUE -o udp.check_checksum:TRUE"   # ICMP checksums are always checked

# patterns MODE N: the outer lengths on the tunnel link of points 1..N,
# one line per point (the pcaps merged in point order, one interface each:
# one tshark run)
patterns() {
	files=""
	k=1
	while [ $k -le "$2" ]; do files="$files $T/$1/p$k-r1/hostserver-redirector-hostserver.pcap"; k=$((k + 1)); done
	# shellcheck disable=SC2086
	mergecap -I none -a -w "$T/$1-tunnel.pcapng" $files || die "$1: mergecap failed"
	tshark -r "$T/$1-tunnel.pcapng" -o ip.defragment:FALSE -Y 'ip.proto == 4' \
		-T fields -e frame.interface_id -e ip.len 2>/dev/null |
		awk -F'\t' -v n="$2" '{ split($2, l, ","); p[$1] = p[$1] (p[$1] == "" ? "" : " ") l[1] }
			END { for (i = 0; i < n; i++) print p[i] }'
}

# clean NAME FILES...: every frame dissected, none malformed, no bad IP, UDP
# or ICMP checksum (status 0 is "bad") in any of the pcaps (merged: one
# tshark run; a tshark error fails the test rather than print nothing)
# DEFRAG (TRUE/FALSE) is tshark's reassembly: on, since with it off an
# outer fragment cut inside an inner fragment's header is flagged as a
# short inner datagram; off where the outer datagram is never cut (outer DF
# set) and datagrams lose fragments, which tshark would otherwise try to
# complete with the same IDs of the next point's run.
clean() {
	what=$1; defrag=$2; shift 2
	mergecap -a -w "$T/$what-all.pcapng" "$@" || die "$what: mergecap failed"
	tshark -r "$T/$what-all.pcapng" $CK -o ip.defragment:"$defrag" -T fields -e frame.number \
		-e _ws.malformed -e ip.checksum.status -e udp.checksum.status -e icmp.checksum.status \
		>"$T/$what-all.txt" 2>"$T/$what-all.err" || die "$what: tshark failed: $(cat "$T/$what-all.err")"
	expect_num "$what: frames dissected" "$(wc -l <"$T/$what-all.txt")" -gt 0
	expect "$what: malformed or bad checksum frames" \
		"$(awk -F'\t' '$2 != "" || $3 ~ /(^|,)0(,|$)/ || $4 ~ /(^|,)0(,|$)/ || $5 ~ /(^|,)0(,|$)/' "$T/$what-all.txt" | wc -l)" 0
	expect_num "$what: UDP or ICMP checksums verified good" \
		"$(awk -F'\t' '$4 ~ /(^|,)1(,|$)/ || $5 ~ /(^|,)1(,|$)/' "$T/$what-all.txt" | wc -l)" -gt 0
}

# run MODE DEFRAG SETS PATTERN...: the sweep in one mode; pattern i for
# point i
run() {
	mode=$1; defrag=$2; sets=$3; shift 3
	db=$T/$mode.sqlite
	# shellcheck disable=SC2086
	$HYDRANET run $ini --db "$db" --pcap "$T/$mode" --quiet $sets \
		--set "workload.blast.buflen=\${$sizes}" || die "$mode: hydranet run failed"
	want=""
	for w in "$@"; do want="$want$w
"; done
	expect "$mode frame patterns" "$(patterns "$mode" $#)
" "$want"
	clean "$mode" "$defrag" "$T/$mode"/p*-r1/*.pcap
}

# The paper's tunnel: outer cut to 1500 (1480 data bytes per fragment).
run outer TRUE "" \
	112 560 1072 1448 1500 "1500 40" "1500 40 41" "1500 40 48" "1500 40 68" "1500 40 168" \
	"1500 40 1500 40 88" "1500 40 1500 40 1500 40 1500 40 1500 40 648"
# Inner cut to the tunnel MTU 1480 (1456 data bytes per piece), outer DF
# set, TTL inherited, TOS fixed.
run inner TRUE "--set node.redirector.fragment=inner --set node.redirector.outer_df=set --set node.redirector.outer_ttl_mode=inherit --set node.redirector.outer_tos_mode=fixed --set node.redirector.outer_tos=40" \
	112 560 1072 1448 1500 "1496 64" "1496 64 41" "1496 64 48" "1496 64 68" "1496 64 168" \
	"1496 64 1496 64 88" "1496 64 1496 64 1496 64 1496 64 1496 64 648"
# Outer cutting with the outer DF always set: what does not fit is dropped.
run outerdf FALSE "--set node.redirector.outer_df=set" \
	112 560 1072 1448 1500 "" 41 48 68 168 88 648
# One drop per outer datagram that does not fit: 1472 .. 1600 one each, 3000
# two, 8000 five (the client's full fragments).
expect "outer-df drops" "$(q "$T/outerdf.sqlite" "SELECT printf('%d', sum(value)) FROM metrics WHERE scope='redirector' AND name='drop.df_too_big'")" 12

# Header fields of the tunnel link per mode (point 6, payload 1472; each
# point is a run of its own, so the redirector's outer IDs start at 0).
# outer: TTL 64 fixed, TOS copied (16), DF copied (0); inner: TTL 64 - 1
# inherited, TOS 40 fixed, DF set, two pieces with their own IDs.
ttl_tos_df() { tshark -r "$T/$1/p6-r1/hostserver-redirector-hostserver.pcap" -o ip.defragment:FALSE -Y 'ip.proto == 4' \
	-T fields -e ip.ttl -e ip.dsfield -e ip.flags.df -e ip.id 2>/dev/null | awk -F'\t' '{ split($1,t,","); split($2,s,","); split($3,d,","); split($4,i,","); print t[1], s[1], d[1], i[1] }' | tr '\n' ';'; }
expect "outer mode header fields" "$(ttl_tos_df outer)" "64 0x10 0 0x0000;64 0x10 0 0x0000;"
expect "inner mode header fields" "$(ttl_tos_df inner)" "63 0x28 1 0x0000;63 0x28 1 0x0001;"

# Path MTU discovery: DF datagrams of 1460 bytes (1488 with headers) fit the
# client's link but not the tunnel; the redirector answers each with ICMP
# fragmentation needed, next-hop MTU 1480, quoting the datagram.
db=$T/pmtu.sqlite
$HYDRANET run $ini --db "$db" --pcap "$T/pmtu" --quiet --set workload.blast.df=true \
	--set workload.blast.buflen=1460 --set workload.blast.nbuf=3 || die "pmtu: hydranet run failed"
clean pmtu TRUE "$T"/pmtu/*.pcap
expect "icmp sent" "$(metric "$db" redirector icmp_frag_needed_sent)" 3
icmp=$(tshark -r "$T/pmtu/client-client-redirector.pcap" -Y 'icmp.type == 3 && icmp.code == 4' \
	-T fields -e ip.src -e ip.dst -e icmp.mtu -e icmp.checksum.status 2>/dev/null |
	awk -F'\t' '{ o = ""; for (i = 1; i <= NF; i++) { split($i, v, ","); o = o (i > 1 ? " " : "") v[1] } print o }')
expect "icmp frag needed at the client (one per datagram, all alike)" "$(echo "$icmp" | sort | uniq -c | awk '{ $1 = $1; print }')" \
	"3 10.0.1.1 10.0.1.2 1480 1"
expect "df on the client's datagrams" "$(tshark -r "$T/pmtu/client-client-redirector.pcap" -Y '!icmp && udp && ip.flags.df == 1 && ip.len == 1488' 2>/dev/null | wc -l)" 3
# The IP identification of the client's DF datagrams comes from a counter
# (per source, destination and protocol), not a constant.
expect "client's IP IDs" "$(tshark -r "$T/pmtu/client-client-redirector.pcap" -Y '!icmp && udp' -T fields -e ip.id 2>/dev/null | tr '\n' ' ')" "0x0000 0x0001 0x0002 "
expect "nothing tunnelled" "$(tshark -r "$T/pmtu/hostserver-redirector-hostserver.pcap" -Y 'ip.proto == 4' 2>/dev/null | wc -l)" 0

# The black hole: the same with ICMP off; nothing comes back, nothing arrives.
db=$T/hole.sqlite
$HYDRANET run $ini --db "$db" --pcap "$T/hole" --quiet --set workload.blast.df=true --set node.redirector.icmp_frag_needed=false \
	--set workload.blast.buflen=1460 --set workload.blast.nbuf=3 || die "hole: hydranet run failed"
expect "hole: icmp" "$(tshark -r "$T/hole/client-client-redirector.pcap" -Y icmp 2>/dev/null | wc -l)" 0
expect "hole: drops" "$(metric "$db" redirector drop.df_too_big)" 3
expect "hole: bytes received" "$(q "$db" "SELECT printf('%d', value) FROM metrics WHERE name='ttcp_bytes'")" 0
