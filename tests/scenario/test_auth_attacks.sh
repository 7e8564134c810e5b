#!/bin/sh
# test_auth_attacks.sh - a rogue tries to take the service from the
# legitimate host server (tests/scenario/auth.ini).  With authentication off
# the unsigned announcement hijacks the requests and a forged WITHDRAW takes
# the replica away; with it on the rogue serves nothing, each message is
# refused under its own reason, the legitimate replica serves every request
# and the redirector's table stays bounded.  Signing and checking cost CPU
# time on nodes with a cost model (auth.c: auth_cost_ns).
. tests/scenario/lib.sh
scn=tests/scenario/auth.ini
served() { q "$1" "SELECT count(*) FROM requests WHERE served_by = '$2'"; }
run() {   # run DB AUTH ATTACK [--set ...]
	db=$1 au=$2 at=$3
	shift 3
	$HYDRANET run "$scn" --set node.redirector.auth="$au" --set node.hostserver.auth="$au" \
		--set node.rogue.attack="$at" "$@" --db "$db" --quiet || die "run $at auth=$au failed"
}
drop() { metric "$1" redirector "drop.$2"; }

# Authentication off: the paper's protocol.
run $T/u0.sqlite false unsigned
expect_num "hijacked requests (unsigned, auth off)" "$(served $T/u0.sqlite rogue)" -ge 50
run $T/w0.sqlite false withdraw
expect_num "requests pushed to the origin by a forged WITHDRAW (auth off)" "$(served $T/w0.sqlite origin)" -ge 40
expect_num "legitimate replica's requests under a forged WITHDRAW (auth off)" "$(served $T/w0.sqlite hostserver)" -le 10

# A rogue client (no replica: state = absent): off, the requests it draws
# are black-holed there (no virtual host) and the client's first one never
# completes; on, it receives nothing.
run $T/c0.sqlite false unsigned --set replica.rogue-web.state=absent
expect_num "rogue client, auth off: datagrams it swallowed" "$(metric $T/c0.sqlite rogue drop.no_vhost)" -ge 1
expect "rogue client, auth off: requests completed" "$(q $T/c0.sqlite "SELECT count(*) FROM requests WHERE ok = 1 AND start_s > 2")" 0
run $T/c1.sqlite true unsigned --set replica.rogue-web.state=absent
expect "rogue client, auth on: datagrams tunnelled to it" "$(metric $T/c1.sqlite rogue tunnelled_in)" 0
expect_num "rogue client, auth on: requests served by the replica" "$(served $T/c1.sqlite hostserver)" -ge 50

# Authentication on: every attack gets nothing, each refused by its reason.
for a in unsigned:auth_unsigned self_signed:auth_forged_authorisation stolen:auth_forged_authorisation \
	 stale:auth_expired replay:auth_replayed withdraw:auth_unsigned; do
	at=${a%%:*} why=${a#*:}
	db=$T/$at.sqlite
	run "$db" true "$at"
	expect "$at: requests served by the rogue" "$(served "$db" rogue)" 0
	expect "$at: datagrams tunnelled to the rogue" "$(metric "$db" rogue tunnelled_in)" 0
	expect "$at: requests served by the origin" "$(served "$db" origin)" 0
	expect "$at: failed requests" "$(q "$db" "SELECT count(*) FROM requests WHERE ok = 0")" 0
	expect_num "$at: requests served by the replica" "$(served "$db" hostserver)" -ge 50
	expect "$at: attack messages sent" "$(metric "$db" rogue rogue.sent)" 30
	expect "$at: drop.$why" "$(drop "$db" "$why")" 30
	expect "$at: drops under any other reason" \
		"$(q "$db" "SELECT printf('%d', sum(value)) FROM metrics WHERE name LIKE 'drop.%' AND name != 'drop.$why'")" 0
	# The legitimate announcements (at 0, 10, 20, 30 s) all verified, two
	# signature checks each (authorisation, announcement).
	expect "$at: verified" "$(metric "$db" redirector auth.verified)" 4
	expect "$at: entries applied" "$(metric "$db" redirector rtd.entries_applied)" 4
	expect "$at: signed announcements sent" "$(metric "$db" hostserver rtd.sannounces_sent)" 4
done
# What each refusal cost: only a forged signature needs a check (one: the
# origin's fails first); the cheap checks refuse the rest before any.
expect "signature checks, unsigned" "$(metric $T/unsigned.sqlite redirector auth.signatures_checked)" 8
expect "signature checks, self_signed" "$(metric $T/self_signed.sqlite redirector auth.signatures_checked)" 38
expect "signature checks, replay" "$(metric $T/replay.sqlite redirector auth.signatures_checked)" 8

# A flood of 10000 unsigned announcements of 10000 ports in 1 s: off, the
# table fills to its 4096 entries (+4 refreshes) and the rest is refused;
# on, nothing enters it.
flood="--set node.rogue.attack_ports=10000 --set node.rogue.attack_count=10000 --set node.rogue.attack_interval=100us"
run $T/f0.sqlite false unsigned $flood
expect "flood, auth off: table refusals" "$(drop $T/f0.sqlite rtd_table_refused)" 5904
run $T/f1.sqlite true unsigned $flood
expect "flood, auth on: refused unsigned" "$(drop $T/f1.sqlite auth_unsigned)" 10000
expect "flood, auth on: entries applied" "$(metric $T/f1.sqlite redirector rtd.entries_applied)" 4
expect "flood, auth on: requests served by the rogue" "$(served $T/f1.sqlite rogue)" 0

# A flood of forged SANNOUNCE on Pentium/120s: 3000 messages 1 ms apart,
# from 2 s to 4.999 s.  The rate limit (burst 20, 10/s) lets the burst of
# 20 through to a signature check, then one per 0.1 s refilled: 29 in the
# 2.999 s after the first, 49 in all.  The CPU time of every check is charged.
cpu="--set node.redirector.cpu=pentium-120 --set node.hostserver.cpu=pentium-120"
run $T/s0.sqlite true self_signed --set node.rogue.attack_count=3000 --set node.rogue.attack_interval=1ms $cpu
forged=$(drop $T/s0.sqlite auth_forged_authorisation)
limited=$(drop $T/s0.sqlite auth_rate_limited)
expect "forged flood: refused after a check + rate limited" "$((forged + limited))" 3000
expect "forged flood: checked" "$forged" 49
expect "forged flood: signature checks (forged + 4 legitimate x 2)" \
	"$(metric $T/s0.sqlite redirector auth.signatures_checked)" 57
expect "forged flood: requests served by the rogue" "$(served $T/s0.sqlite rogue)" 0
# 57 verifications at 9.112 ms (auth.c) more busy time than the same run
# without authentication, where the 3000 SANNOUNCE are refused unparsed.
run $T/s1.sqlite false self_signed --set node.rogue.attack_count=3000 --set node.rogue.attack_interval=1ms $cpu
busy() { q "$1" "SELECT value FROM metrics WHERE scope='redirector' AND name='cpu.busy_s'"; }
awk -v a="$(busy $T/s0.sqlite)" -v b="$(busy $T/s1.sqlite)" 'BEGIN { d = (a - b) * 1e3; exit !(d > 57 * 9.112 - 0.5 && d < 57 * 9.112 + 0.5) }' \
	|| die "forged flood: redirector busy $(busy $T/s0.sqlite) s with auth, $(busy $T/s1.sqlite) s without; want 57 x 9.112 ms more"

# A replica stopped at 10 s is withdrawn by a signed SANNOUNCE of lifetime
# 0 naming its one port, and the origin takes over at once.
db=$T/r.sqlite
$HYDRANET run tests/scenario/routing.ini --set node.redirector.auth=true --set node.hostserver.auth=true \
	--db "$db" --quiet || die "routing run failed"
expect "signed withdraw heard" "$(metric "$db" redirector rtd.withdraws_received)" 1
expect "failed requests (signed withdraw)" "$(q "$db" "SELECT count(*) FROM requests WHERE ok = 0")" 0
awk -v t="$(q "$db" "SELECT min(start_s) FROM requests WHERE served_by = 'origin'")" 'BEGIN { exit !(t >= 10 && t < 11.5) }' \
	|| die "origin took over at $(q "$db" "SELECT min(start_s) FROM requests WHERE served_by = 'origin'") s after a signed withdraw"

# A replica manager's install carries the origin's authorisation (AUTHORISE
# before INSTALL); the origin's CPU signs it, the host server's signs each
# SANNOUNCE.
db=$T/m.sqlite
$HYDRANET run tests/scenario/manager.ini --set node.redirector.auth=true --set node.hostserver.auth=true \
	--set node.origin.cpu=pentium-120 --db "$db" --quiet || die "manager run failed"
expect "manager: authorisations taken" "$(metric "$db" hostserver rtd.authorisations)" 2
expect "manager: installs" "$(metric "$db" hostserver rmp.installs)" 2
expect_num "manager: requests served by the replica" "$(served "$db" hostserver)" -ge 200
expect "manager: drops" "$(q "$db" "SELECT printf('%d', sum(value)) FROM metrics WHERE name LIKE 'drop.%'")" 0
expect "manager: verified = announcements + withdrawals" "$(metric "$db" redirector auth.verified)" \
	"$(metric "$db" hostserver rtd.sannounces_sent)"
echo "$name: ok"
