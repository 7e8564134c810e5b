#!/bin/sh
# test_fig1.sh - the Figure 1 ISP scenario: who serves each client population
# with no, static and dynamic replication; no datagram is redirected twice;
# connections survive table changes; the flash crowd triggers an install.
. tests/scenario/lib.sh
db=$T/fig1.sqlite
$HYDRANET run scenarios/fig1-isp.ini --runs 1 -j 2 --db "$db" --quiet || die "run failed"
run_of() { q "$db" "SELECT id FROM runs WHERE params = 'replication.mode=$1'"; }
none=$(run_of none); static=$(run_of static); dyn=$(run_of dynamic)
[ -n "$none" ] && [ -n "$static" ] && [ -n "$dyn" ] || die "missing runs"
# share RUN WORKLOAD SERVER: percent of requests started after 10 s served there
share() {
	q "$db" "SELECT printf('%d', 100.0 * sum(served_by = '$3') / count(*)) FROM requests
		WHERE run_id = $1 AND workload = '$2' AND start_s > 10"
}
for wl in sw-northwest sw-northeast s-northwest s-northeast se-northwest se-northeast flash; do
	origin=www.$(echo "$wl" | sed 's/.*-//; s/flash/northeast/').com
	expect "none: $wl served by its origin (%)" "$(share "$none" "$wl" "$origin")" 100
done
# Static: the paper's placement, and each redirector's nearest replica by
# path delay (southwest.net reaches south.net's replica of northwest.com
# sooner than the origin; so does southeast.net for northeast.com).
for pair in s-northeast:hs-s s-northwest:hs-s sw-northeast:hs-sw se-northwest:hs-se \
	    sw-northwest:hs-s se-northeast:hs-s flash:hs-s; do
	wl=${pair%%:*}; hs=${pair#*:}
	expect "static: $wl served by $hs (%)" "$(share "$static" "$wl" "$hs")" 100
done
for r in "$none" "$static" "$dyn"; do
	expect "failed requests (run $r)" "$(q "$db" "SELECT count(*) FROM requests WHERE run_id = $r AND ok = 0")" 0
	# Every tunnelled datagram is delivered once: none is tunnelled again (a
	# doubly encapsulated one would be dropped as not replicated).
	red=$(q "$db" "SELECT printf('%d', sum(value)) FROM metrics WHERE run_id = $r AND name = 'redirected'")
	del=$(q "$db" "SELECT printf('%d', sum(value)) FROM metrics WHERE run_id = $r AND name = 'delivered'")
	expect "delivered = redirected (run $r)" "$del" "$red"
	expect "host server drops (run $r)" "$(q "$db" "SELECT printf('%d', sum(value)) FROM metrics WHERE run_id = $r
		AND name IN ('drop.port_not_replicated', 'drop.no_vhost', 'drop.bad_outer')")" 0
done
# Dynamic: nothing until the flash crowd; then south.net's host server.
trig=$(q "$db" "SELECT value FROM metrics WHERE run_id = $dyn AND scope = 'service:northeast' AND name = 'first_trigger_s'")
awk -v t="$trig" 'BEGIN { exit !(t >= 100 && t <= 115) }' || die "dynamic install triggered at '$trig' s"
expect "northwest never replicated" "$(q "$db" "SELECT printf('%d', value) FROM metrics WHERE run_id = $dyn AND scope = 'service:northwest' AND name = 'rmp.installs'")" 0
expect "before the flash, south.net's northeast users reach the origin (%)" \
	"$(q "$db" "SELECT printf('%d', 100.0 * sum(served_by = 'www.northeast.com') / count(*)) FROM requests
		WHERE run_id = $dyn AND workload = 's-northeast' AND start_s < 100")" 100
expect_num "flash requests served by the new replica (%)" \
	"$(q "$db" "SELECT printf('%d', 100.0 * sum(served_by = 'hs-s') / count(*)) FROM requests
		WHERE run_id = $dyn AND workload = 'flash' AND start_s > $trig + 10")" -ge 99
# Connections open when the replica appeared stayed with the origin (the flow
# table), and none of them failed (checked above for every request).
expect_num "connections kept on the origin across the table change" \
	"$(q "$db" "SELECT printf('%d', value) FROM metrics WHERE run_id = $dyn AND scope = 'red-s' AND name = 'flows_existing'")" -gt 0
