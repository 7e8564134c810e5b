#!/bin/sh
# auth-table.sh HYDRANET OUT.md - the attack table of EXPERIMENTS.md from
# tests/scenario/auth.ini: each attack of a rogue node (model/hydranet/rogue.h)
# with authentication off and on, the requests served by the rogue, the
# legitimate host server and the origin, failed requests, and the drops by
# reason.  The floods run with Pentium/120 cost models on the redirector and
# the host server, so the CPU time of the signature checks shows.
set -eu
hn=$1; out=$2
scn=tests/scenario/auth.ini
tmp=$(mktemp -d "${TMPDIR:-/tmp}/auth-table.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
q() { sqlite3 -batch -noheader "$1" "$2"; }
cell() {   # cell DB: "rogue / host server / origin / failed"
	printf '%s / %s / %s / %s' \
		"$(q "$1" "SELECT count(*) FROM requests WHERE served_by = 'rogue'")" \
		"$(q "$1" "SELECT count(*) FROM requests WHERE served_by = 'hostserver'")" \
		"$(q "$1" "SELECT count(*) FROM requests WHERE served_by = 'origin'")" \
		"$(q "$1" "SELECT count(*) FROM requests WHERE ok = 0")"
}
drops() {
	d=$(q "$1" "SELECT group_concat(substr(name, 6) || ' ' || printf('%d', value), ', ') FROM (SELECT name, value FROM metrics WHERE scope = 'redirector' AND name LIKE 'drop.%' AND value > 0 ORDER BY name)")
	echo "${d:--}"
}
row() {   # row LABEL ATTACK [--set ...]
	label=$1 at=$2
	shift 2
	for au in false true; do
		"$hn" run "$scn" --db "$tmp/$au.sqlite" --quiet --force --set node.rogue.attack="$at" \
			--set node.redirector.auth=$au --set node.hostserver.auth=$au "$@" > /dev/null
	done
	printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$(cell "$tmp/false.sqlite")" \
		"$(cell "$tmp/true.sqlite")" "$(drops "$tmp/false.sqlite")" "$(drops "$tmp/true.sqlite")" \
		"$(q "$tmp/true.sqlite" "SELECT printf('%d', value) FROM metrics WHERE scope = 'redirector' AND name = 'auth.signatures_checked'")" \
		"$(q "$tmp/false.sqlite" "SELECT printf('%.3f', value) FROM metrics WHERE scope = 'redirector' AND name = 'cpu.busy_s'") / $(q "$tmp/true.sqlite" "SELECT printf('%.3f', value) FROM metrics WHERE scope = 'redirector' AND name = 'cpu.busy_s'")"
	rm -f "$tmp"/*.sqlite
}
cpu="--set node.redirector.cpu=pentium-120 --set node.hostserver.cpu=pentium-120"
{
	echo "| attack (30 messages, 1 s apart, from 2 s, unless said) | auth off: served by rogue / host server / origin / failed | auth on: same | auth off: redirector drops | auth on: redirector drops | auth on: signature checks | redirector CPU busy, off / on (s) |"
	echo "|---|---|---|---|---|---|---|"
	row "none" none $cpu
	row "unsigned ANNOUNCE naming itself" unsigned $cpu
	row "rogue client (no replica): unsigned ANNOUNCE naming itself" unsigned $cpu --set replica.rogue-web.state=absent
	row "authorisation signed with its own key" self_signed $cpu
	row "the victim's SANNOUNCE, host server changed to itself" stolen $cpu
	row "its own authorisation, expired" stale $cpu
	row "the victim's messages replayed" replay $cpu
	row "WITHDRAW naming the victim" withdraw $cpu
	row "flood: 10000 unsigned ANNOUNCEs of 10000 ports, 100 us apart" unsigned $cpu \
		--set node.rogue.attack_ports=10000 --set node.rogue.attack_count=10000 --set node.rogue.attack_interval=100us
	row "flood: 3000 self-signed SANNOUNCEs, 1 ms apart" self_signed $cpu \
		--set node.rogue.attack_count=3000 --set node.rogue.attack_interval=1ms
} > "$out"
cat "$out"
