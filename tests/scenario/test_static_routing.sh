#!/bin/sh
# test_static_routing.sh - [simulation] routing = static (the model's own
# routes, model/world/routing.h) gives the runs of ns-3's global routing on
# topologies whose fewest-hop paths are unique: every metric, every request
# (served_by, start, latency, bytes) and the event count are the same.  The
# topologies: a redirector with a host server and a routed core
# (routing.ini, redirect.ini), a host server cut off by link_down and back
# (failover.ini: neither routing goes around a failed link), and a generated
# transit-stub Internet whose backbone is a tree (scale.ini, extra = 0).
# Not fig1-isp.ini: its backbone has equal-hop paths (bb-sw to bb-ne by
# bb-nw or by bb-s), which static routing breaks by least delay and ns-3 by
# the order its SPF met them, so runs differ there.
. tests/scenario/lib.sh
tables() {
	q "$1" "SELECT 'run', events, status FROM runs;
		SELECT 'metric', scope, name, printf('%.17g', value) FROM metrics ORDER BY scope, name;
		SELECT 'request', workload, seq, client, served_by, printf('%.17g', start_s),
		       printf('%.17g', latency_s), bytes_sent, bytes_received, ok FROM requests
		ORDER BY workload, seq;"
}
# same WHAT SCENARIO [--set ...]: global and static runs alike
same() {
	what=$1; shift
	$HYDRANET run "$@" --db "$T/g.sqlite" --quiet || die "$what: global run failed"
	$HYDRANET run "$@" --set simulation.routing=static --db "$T/s.sqlite" --quiet \
		|| die "$what: static run failed"
	tables "$T/g.sqlite" > "$T/g.txt"
	tables "$T/s.sqlite" > "$T/s.txt"
	expect_num "$what: requests" "$(q "$T/s.sqlite" "SELECT count(*) FROM requests")" -gt 0
	cmp -s "$T/g.txt" "$T/s.txt" || die "$what: static differs from global: $(diff "$T/g.txt" "$T/s.txt" | head -4 | tr '\n' ' ')"
	rm -f "$T"/g.sqlite* "$T"/s.sqlite*
}
same "routing.ini" tests/scenario/routing.ini
same "redirect.ini" tests/scenario/redirect.ini
same "failover.ini, link_down" scenarios/failover.ini --set simulation.stop_time=30s \
	--set failure.crash.action=link_down --set failure.crash.target=redirector-hs1 \
	--set failure.restart.action=link_up --set failure.restart.target=redirector-hs1
small="--set topology.isp.stubs=8 --set topology.isp.extra=0 --set workload.users\${i}.count=8
 --set workload.users\${i}.clients=5 --set workload.users\${i}.requests=2
 --set workload.flash.clients=5 --set simulation.stop_time=25s"
# shellcheck disable=SC2086
same "scale.ini, 8 ISPs on a tree backbone" scenarios/scale.ini $small
# Every request answered under static routes on the generated Internet (its
# default backbone, with cycles): every ISP reaches the origin and back.
db=$T/r.sqlite
# shellcheck disable=SC2086
$HYDRANET run scenarios/scale.ini $small --set topology.isp.extra=0.3 --set simulation.routing=static \
	--db "$db" --quiet || die "scale.ini static run failed"
expect "scale.ini static: requests unanswered" "$(q "$db" "SELECT count(*) FROM requests WHERE ok = 0")" 0
expect_num "scale.ini static: requests" "$(q "$db" "SELECT count(*) FROM requests")" -ge 90
echo "$name: ok"
