#!/bin/sh
# test_fig5_analytic.sh - the Figure 5 scenarios on a loss-free path (no
# loss, no delay variation, one user, so no request waits for another's)
# against the analytic HTTP/1.0 latency model: connection setup (1 RTT) and
# request plus reply (1 RTT) with the store-and-forward transmission of each
# packet on each hop, plus the servers' processing.  A 1200-byte page is one
# segment (K = 1 window), so the slow-start term of Heidemann, Obraczka and
# Touch (P = min(Q, K - 1) stalls) is zero.  Checked for every request:
# no replica (5a), a hit and a miss (5b), and the connection setup.
#
# Tolerance 1 us: the model and the simulator do the same arithmetic, the
# simulator rounding each of some 20 transmission times to its 1 ns clock.
# The smallest frame takes 33.6 us on a 10 Mb/s hop and 218 us on the T1,
# so one frame too many or too few anywhere would fail.
. tests/scenario/lib.sh

# ini FILE SECTION KEY: a value from a scenario file, unit stripped
ini() {
	awk -v s="[$2]" -v k="$3" '
		/^\[/ { in_s = ($0 == s) }
		in_s && $1 == k && $2 == "=" { v = $3; sub(/(ms|Mbps|s)$/, "", v); print v; exit }' "$1"
}
a=scenarios/fig5a.ini b=scenarios/fig5b.ini
for k in rate delay; do
	[ "$(ini $a 'link wan' $k)" = "$(ini $b 'link wan' $k)" ] || die "fig5a and fig5b differ in link wan $k"
done
W_RATE=$(ini $b 'link wan' rate); W_DELAY=$(ini $b 'link wan' delay)
LAN_DELAY=$(ini $b 'link tamu-lan' delay)
for l in tamu-lan tamu-hs-lan icsi-lan; do
	[ "$(ini $b "link $l" rate)" = 10 ] && [ "$(ini $b "link $l" delay)" = "$LAN_DELAY" ] ||
		die "the model below assumes 10 Mb/s LANs of $LAN_DELAY ms"
done
WEB=$(ini $b 'service www' processing); REP=$(ini $b 'service www' replica_processing)
MGR=$(ini $b 'service www' manager_processing)

for x in a b; do
	$HYDRANET run scenarios/fig5$x.ini --runs 1 --db "$T/$x.sqlite" --quiet \
		--set link.wan.loss=0 --set link.wan.delay_variation=0s \
		--set workload.texas.clients=1 --set workload.texas.requests=60 \
		--set workload.texas.ping_interval=0s || die "loss-free fig5$x failed"
done
expect "5a requests ok" "$(q "$T/a.sqlite" "SELECT count(*) FROM requests WHERE ok = 1")" 60
expect "5b requests ok" "$(q "$T/b.sqlite" "SELECT count(*) FROM requests WHERE ok = 1")" 60
expect_num "5b hits" "$(q "$T/b.sqlite" "SELECT count(*) FROM requests WHERE cache = 'hit'")" -ge 1
expect_num "5b misses" "$(q "$T/b.sqlite" "SELECT count(*) FROM requests WHERE cache = 'miss'")" -ge 1

# Each request: object id (its digits lengthen the GET), cache, latency.
{
	q "$T/a.sqlite" "SELECT 'a', object, 'none', printf('%.9f', latency_s) FROM requests"
	q "$T/b.sqlite" "SELECT 'b', object, cache, printf('%.9f', latency_s) FROM requests"
	echo "connect|a|$(q "$T/a.sqlite" "SELECT value FROM metrics WHERE scope = 'workload:texas' AND name = 'connect_mean_ms'")"
	echo "connect|b|$(q "$T/b.sqlite" "SELECT value FROM metrics WHERE scope = 'workload:texas' AND name = 'connect_mean_ms'")"
} | awk -F'|' -v wr="$W_RATE" -v wd="$W_DELAY" -v ld="$LAN_DELAY" -v web="$WEB" -v rep="$REP" -v mgr="$MGR" '
# Arrival, after the last hop, of the last of a burst of frames (bytes, PPP
# header included) sent back to back at time 0 over hops "rate:delay:extra"
# (extra: bytes the hop adds: the IP-in-IP header): FIFO store-and-forward.
function burst(hops, sizes,    nh, h, ns, f, k, i, dep, arr, last, p) {
	nh = split(hops, h, " "); ns = split(sizes, f, " ")
	for (k = 1; k <= ns; k++) arr[k] = 0
	for (i = 1; i <= nh; i++) {
		split(h[i], p, ":"); last = -1
		for (k = 1; k <= ns; k++) {
			dep = (arr[k] > last ? arr[k] : last) + (f[k] + p[3]) * 8 / p[1]
			last = dep; arr[k] = dep + p[2]
		}
	}
	return arr[ns]
}
BEGIN {
	lan = "10e6:" ld / 1e3 ":0"; tun = "10e6:" ld / 1e3 ":20"; wan = wr * 1e6 ":" wd / 1e3 ":0"
	cs = lan " " wan " " lan   # client -> origin: Texas LAN, WAN, ICSI LAN
	hs = lan " " wan " " lan   # host server -> origin
	ch = lan " " tun           # client -> host server: the redirector tunnels
	hc = lan " " lan
	web /= 1e3; rep /= 1e3; mgr /= 1e3
	# Frames: 42 bytes for SYN, SYN/ACK, ACK and FIN (PPP 2, IP 20, TCP 20);
	# the GET "GET /obj/1200/ID HTTP/1.0" + CRLF CRLF is 27 + digits(ID)
	# bytes; a reply is its header (66 bytes + the Server: name; the
	# replica adds "X-Cache: HIT from tamu-hs" or MISS, 27 or 28 bytes with
	# CRLF) and the 1200-byte page.
	origin_reply = 42 + 66 + length("icsi-www") + 1200
	connect_a = burst(cs, "42") + burst(cs, "42")
	connect_b = burst(ch, "42") + burst(hc, "42")
	bad = 0; n = 0
}
$1 == "connect" {
	want = $2 == "a" ? connect_a : connect_b
	if ((($3 / 1e3) - want) ^ 2 > 1e-12) { printf "5%s connect %.9f s, analytic %.9f s\n", $2, $3 / 1e3, want; bad = 1 }
	next
}
{
	get = 42 + 27 + length($2)
	if ($1 == "a") {
		# Setup, then the ACK and GET back to back, the Web server, the reply.
		want = connect_a + burst(cs, "42 " get) + web + burst(cs, origin_reply)
	} else {
		want = connect_b + burst(ch, "42 " get) + rep
		r = 42 + 66 + length("tamu-hs") + ($3 == "hit" ? 27 : 28) + 1200
		if ($3 == "hit") {
			want += burst(hc, r)
		} else {
			# The replica opens a connection to the manager and sends the
			# GET; the manager works, asks the Web server on its own host
			# over loopback (no time), and returns the page.  As the
			# replica relays it, it closes that connection: ns-3 sends the
			# FIN and the ACK of the manager FIN at once, data one clock
			# step after send(), so two 42-byte frames go first on the
			# host server LAN link.
			want += burst(hs, "42") + burst(hs, "42") + burst(hs, "42 " get) + mgr + web
			want += burst(hs, origin_reply)
			want += burst(lan, "42 42 " r) + burst(lan, r)
		}
	}
	n++
	if (($4 - want) ^ 2 > 1e-12) { printf "5%s object %s (%s): %.9f s, analytic %.9f s\n", $1, $2, $3, $4, want; bad = 1 }
}
END {
	if (n != 120) { print "requests checked: " n ", want 120"; bad = 1 }
	exit bad
}' || die "latency on the loss-free path does not match the analytic model"
