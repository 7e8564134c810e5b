#!/bin/sh
# test_failover.sh - a host server crashes under load (scenarios/failover.ini):
# the redirector takes it out of service exactly when its detection says,
# passive (the routing daemon's announcement lifetime) and active (health
# probes, docs/healthcheck.md), no connection started after detection fails,
# and the host server is taken back after it restarts.  Every expected time
# is derived below from the scenario's parameters on its loss-free links.
. tests/scenario/lib.sh
scn=scenarios/failover.ini
# The scenario's numbers (pinned here so the derivation below stays true).
at=10.25 back=20.25 d=0.001 rate=10000000 life=3 refresh=1 ivl=1 tmo=0.2 fall=3 rise=2
pin="--set failure.crash.at=${at}s --set failure.restart.at=${back}s
     --set link.redirector-hs1.delay=1ms --set link.redirector-hs1.rate=10Mbps
     --set node.hs1.announce_refresh=${refresh}s --set node.redirector.hc_interval=${ivl}s
     --set node.redirector.hc_timeout=200ms --set node.redirector.hc_fall=$fall
     --set node.redirector.hc_rise=$rise"
# tx BYTES: serialization time of a frame of BYTES (IP datagram + 2-byte PPP header)
tx() { awk -v b="$1" -v r=$rate 'BEGIN { printf "%.10f", (b + 2) * 8 / r }'; }
# An ANNOUNCE of one access point: IP 20 + UDP 8 + RMP header 16 + entry 8
# (docs/rmp.md) = 52 bytes; a health probe or reply: 20 + 8 + 16 = 44 bytes.
ann=$(tx 52) hc=$(tx 44)
f9() { printf '%.9f' "$1"; }
m9() { q "$1" "SELECT printf('%.9f', value) FROM metrics WHERE scope='$2' AND name='$3'"; }
check_common() {   # DB DETECTED_AT
	db=$1 det=$2
	expect "applied" "$(metric "$db" failures failures.applied)" 2
	expect "new requests failed after detection" "$(metric "$db" failure:crash failed_after_detection)" 0
	# The same from the requests themselves: every request started after
	# detection and before the restart was answered, by hs2.
	expect "requests after detection not ok" \
		"$(q "$db" "SELECT count(*) FROM requests WHERE start_s >= $det AND start_s < $back AND ok = 0")" 0
	expect "requests after detection served by hs1" \
		"$(q "$db" "SELECT count(*) FROM requests WHERE start_s >= $det AND start_s < $back AND served_by = 'hs1'")" 0
	expect_num "requests after detection served by hs2" \
		"$(q "$db" "SELECT count(*) FROM requests WHERE start_s >= $det AND start_s < $back AND served_by = 'hs2'")" -ge 10
	# Before detection the redirector still sent new connections to hs1:
	# they time out (the workload's 2 s), none is reset.
	expect_num "failed before detection" "$(metric "$db" failure:crash failed_before_detection)" -ge 1
	expect "reset" "$(metric "$db" workload:fetch requests_reset)" 0
	expect_num "hs1 serves again after the restart" \
		"$(q "$db" "SELECT count(*) FROM requests WHERE start_s > $back + 3 AND served_by = 'hs1'")" -ge 10
}

# Passive: the last announcement before the crash left hs1 at
# floor(at / refresh) * refresh and arrived d + tx later; the entry expires
# a lifetime after that.  After the restart, the next announcement (the
# first refresh after it) takes hs1 back on arrival.
db=$T/passive.sqlite
$HYDRANET run "$scn" $pin --db "$db" --quiet || die "passive run failed"
want=$(awk -v a=$at -v r=$refresh -v d=$d -v t=$ann -v l=$life \
	'BEGIN { printf "%.9f", int(a / r) * r + d + t + l - a }')
expect "passive detection" "$(m9 "$db" failure:crash detected_s)" "$want"
want_up=$(awk -v a=$back -v r=$refresh -v d=$d -v t=$ann \
	'BEGIN { k = int(a / r) * r; if (k < a) k += r; printf "%.9f", k + d + t - a }')
expect "passive restoration" "$(m9 "$db" failure:restart restored_s)" "$want_up"
expect "expiry events" "$(metric "$db" redirector replicas_down)" 1
check_common "$db" "$(awk -v a=$at -v w="$want" 'BEGIN { print a + w }')"

# Active: lifetimes long enough (30 s) that only the probes can detect.  The
# rounds run at k * hc_interval; the first at or after the crash goes
# unanswered, and the fall-th unanswered one times out hc_timeout after it
# was sent.  Back up: the rise-th answered probe after the restart, one
# round trip (2 * (d + tx)) after it was sent.
db=$T/active.sqlite
$HYDRANET run "$scn" $pin --set node.redirector.health_check=true \
	--set node.hs1.announce_lifetime=30s --set node.hs2.announce_lifetime=30s \
	--db "$db" --quiet || die "active run failed"
want=$(awk -v a=$at -v i=$ivl -v f=$fall -v t=$tmo \
	'BEGIN { k = int(a / i) * i; if (k < a) k += i; printf "%.9f", k + (f - 1) * i + t - a }')
expect "active detection" "$(m9 "$db" failure:crash detected_s)" "$want"
want_up=$(awk -v a=$back -v i=$ivl -v r=$rise -v d=$d -v t=$hc \
	'BEGIN { k = int(a / i) * i; if (k < a) k += i; printf "%.9f", k + (r - 1) * i + 2 * (d + t) - a }')
expect "active restoration" "$(m9 "$db" failure:restart restored_s)" "$want_up"
# One probe per round unanswered while hs1 is down: the rounds in (at, back].
expect "probe timeouts" "$(metric "$db" redirector hc.timeouts)" \
	"$(awk -v a=$at -v b=$back -v i=$ivl 'BEGIN { n = 0; for (k = i; k <= b; k += i) n += k > a; print n }')"
expect "marked down" "$(metric "$db" redirector hc.marked_down)" 1
expect "marked up" "$(metric "$db" redirector hc.marked_up)" 1
expect "health-check drops" \
	"$(q "$db" "SELECT printf('%d', sum(value)) FROM metrics WHERE name LIKE 'drop.hc_%'")" 0
expect "probes answered = replies" "$(metric "$db" hs1 hc.probes_answered)" \
	"$(( $(metric "$db" redirector hc.replies) - $(metric "$db" hs2 hc.probes_answered) ))"
check_common "$db" "$(awk -v a=$at -v w="$want" 'BEGIN { print a + w }')"

# The same host server cut off by its link instead (link_down, link_up):
# the probes see the same silence, so the same times.
db=$T/link.sqlite
$HYDRANET run "$scn" $pin --set node.redirector.health_check=true \
	--set node.hs1.announce_lifetime=30s --set node.hs2.announce_lifetime=30s \
	--set failure.crash.action=link_down --set failure.crash.target=redirector-hs1 \
	--set failure.restart.action=link_up --set failure.restart.target=redirector-hs1 \
	--db "$db" --quiet || die "link run failed"
expect "link down: active detection" "$(m9 "$db" failure:crash detected_s)" "$want"
expect "link up: active restoration" "$(m9 "$db" failure:restart restored_s)" "$want_up"
expect "link down: no TCP connection of a crashed node" "$(metric "$db" failures failures.tcp_connections_lost)" 0
check_common "$db" "$(awk -v a=$at -v w="$want" 'BEGIN { print a + w }')"

# The replica stops instead (replica_stop, replica_start): its routing daemon
# withdraws it at once, so the redirector knows one WITHDRAW's transit
# (d + tx of 52 bytes, as an ANNOUNCE) later, and takes it back one
# ANNOUNCE's transit after it binds again.
db=$T/stop.sqlite
$HYDRANET run "$scn" $pin --set failure.crash.action=replica_stop --set failure.crash.target=web-hs1 \
	--set failure.restart.action=replica_start --set failure.restart.target=web-hs1 \
	--db "$db" --quiet || die "replica stop run failed"
transit=$(awk -v d=$d -v t=$ann 'BEGIN { printf "%.9f", d + t }')
expect "replica stop: detection (withdraw)" "$(m9 "$db" failure:crash detected_s)" "$transit"
expect "replica start: restoration (announce)" "$(m9 "$db" failure:restart restored_s)" "$transit"
expect "withdraws" "$(metric "$db" hs1 rtd.withdraws_sent)" 1
expect "new requests failed after the withdrawal" "$(metric "$db" failure:crash failed_after_detection)" 0

# A configured (static) replica that stops: no routing daemon withdraws it,
# and only the probes notice.  The host server answers them "port not
# bound" (docs/healthcheck.md), a failure one round trip after each round:
# down at the fall-th round's reply, up at the rise-th after the restart.
db=$T/static.sqlite
$HYDRANET run "$scn" $pin --set replica.web-hs1.announce=static --set replica.web-hs2.announce=static \
	--set node.redirector.health_check=true \
	--set failure.crash.action=replica_stop --set failure.crash.target=web-hs1 \
	--set failure.restart.action=replica_start --set failure.restart.target=web-hs1 \
	--db "$db" --quiet || die "static replica stop run failed"
want=$(awk -v a=$at -v i=$ivl -v f=$fall -v d=$d -v t=$hc \
	'BEGIN { k = int(a / i) * i; if (k < a) k += i; printf "%.9f", k + (f - 1) * i + 2 * (d + t) - a }')
expect "static replica stop: detection (not bound)" "$(m9 "$db" failure:crash detected_s)" "$want"
expect "static replica start: restoration" "$(m9 "$db" failure:restart restored_s)" "$want_up"
expect "replies saying not serving: the rounds in (at, back]" "$(metric "$db" redirector hc.not_serving)" \
	"$(awk -v a=$at -v b=$back -v i=$ivl 'BEGIN { n = 0; for (k = i; k <= b; k += i) n += k > a; print n }')"
expect "probe timeouts (the host server answers)" "$(metric "$db" redirector hc.timeouts)" 0
expect "new requests failed after detection" "$(metric "$db" failure:crash failed_after_detection)" 0

# The redirector itself crashes (static replicas, active checks): while its
# node is down its prober sends nothing and marks nothing, so no replica is
# marked down and, restarted, it serves from the replicas at once.
db=$T/redcrash.sqlite
$HYDRANET run "$scn" $pin --set replica.web-hs1.announce=static --set replica.web-hs2.announce=static \
	--set node.redirector.health_check=true --set failure.crash.target=redirector \
	--set failure.restart.target=redirector --db "$db" --quiet || die "redirector crash run failed"
expect "redirector crash: probe timeouts" "$(metric "$db" redirector hc.timeouts)" 0
expect "redirector crash: replicas marked down" "$(metric "$db" redirector hc.marked_down)" 0
expect "redirector crash: requests served by the origin after the restart" \
	"$(q "$db" "SELECT count(*) FROM requests WHERE served_by = 'origin' AND start_s > $back")" 0

# A crash while requests are in progress (at 10.1 s every one of the 4 users
# is in the middle of one): their connections are lost at the host server,
# and the requests break (none survives: no state moves).
db=$T/inflight.sqlite
$HYDRANET run "$scn" $pin --set failure.crash.at=10.1s --db "$db" --quiet || die "in-flight run failed"
inflight=$(q "$db" "SELECT count(*) FROM requests WHERE start_s < 10.1 AND ok = 0")
expect "requests in progress at the crash (every user: clients = 4)" "$inflight" 4
expect "broken = requests started before the crash that failed" "$(metric "$db" failure:crash broken)" "$inflight"
expect "TCP connections lost at hs1" "$(metric "$db" failure:crash tcp_connections_lost)" "$inflight"

# Marked down, expired and announced again between two rounds: hs1 crashes
# at $at (last announcement at 10.0 with refresh 0.5 s, so it expires at
# 13.0 + d + tx, after the round at 13), comes back at 13.2 and announces at
# 13.5, before the round at 14.  The announcement takes it back at once, as
# a new replica with no health mark, and the prober starts it afresh: a
# second crash at 14.5 is detected by the probes (fall 2: the rounds at 15
# and 16, 16.2 - 14.5 = 1.7 s), not by the lifetime.
db=$T/reentered.sqlite
{ cat "$scn"; printf '[failure crash2]\naction = node_down\ntarget = hs1\nat = 14.5s\n'; } > "$T/reentered.ini"
$HYDRANET run "$T/reentered.ini" $pin --set failure.restart.at=13.2s --set node.hs1.announce_refresh=0.5s \
	--set node.redirector.health_check=true --set node.redirector.hc_fall=2 \
	--db "$db" --quiet || die "re-announced run failed"
expect "first crash: active detection (fall 2)" "$(m9 "$db" failure:crash detected_s)" "$(f9 1.95)"
expect "taken back on the announcement at 13.5" "$(m9 "$db" failure:restart restored_s)" \
	"$(awk -v d=$d -v t=$ann 'BEGIN { printf "%.9f", 13.5 + d + t - 13.2 }')"
expect "replicas re-entered" "$(metric "$db" redirector hc.reentered)" 1
expect_num "hs1 serves between its return and the second crash" \
	"$(q "$db" "SELECT count(*) FROM requests WHERE start_s > 13.51 AND start_s < 14.5 AND served_by = 'hs1'")" -ge 1
expect "second crash: active detection" "$(m9 "$db" failure:crash2 detected_s)" "$(f9 1.7)"
expect "marked down" "$(metric "$db" redirector hc.marked_down)" 2
expect "new requests failed after the second detection" "$(metric "$db" failure:crash2 failed_after_detection)" 0
# Each request's outcome is in the requests table, and agrees with the
# workload's counts: the in-flight crash's broken requests are there too.
db=$T/inflight.sqlite
for o in reset timed_out failed unfinished; do
	expect "requests with outcome $o = requests_$o" \
		"$(q "$db" "SELECT count(*) FROM requests WHERE outcome = '$o'")" "$(metric "$db" workload:fetch requests_$o)"
done
expect "outcome ok = ok" "$(q "$db" "SELECT count(*) FROM requests WHERE outcome = 'ok'")" "$(metric "$db" workload:fetch ok)"
expect "requests without an outcome" "$(q "$db" "SELECT count(*) FROM requests WHERE outcome IS NULL")" 0
expect "broken requests by outcome" \
	"$(q "$db" "SELECT count(*) FROM requests WHERE start_s < 10.1 AND outcome IN ('reset', 'timed_out')")" "$inflight"
