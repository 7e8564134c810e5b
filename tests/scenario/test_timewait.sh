#!/bin/sh
# test_timewait.sh - [simulation] tcp_timewait = compact (the default: a
# finished connection's TIME_WAIT kept by a compact record,
# model/sim/sim_timewait.cc) gives the runs of ns-3's whole sockets
# (tcp_timewait = whole): the same events, metrics, requests and pcap bytes,
# on Figure 1 at 10 ISPs with dynamic replication (clients, the origin, host
# servers and the replica manager's connections) and 5 % loss on the origin's
# link (retransmissions around every close), on a replica failure
# (failover.ini: connections reset), and on a 260 s HydraWeb run
# (hydraweb-flap.ini), past the 240 s after which TIME_WAITs end: the
# record's expiry takes the place of ns-3's event; and with the modern
# profile's timestamps (redirect.ini).  Every released connection's TIME_WAIT
# is counted once, compact in one run and whole in the other.
. tests/scenario/lib.sh
tables() {
	q "$1" "SELECT 'run', events, status FROM runs;
		SELECT 'metric', scope, name, printf('%.17g', value) FROM metrics
		 WHERE name NOT LIKE 'tcp.timewait_%' ORDER BY scope, name;
		SELECT 'request', workload, seq, client, served_by, printf('%.17g', start_s),
		       printf('%.17g', latency_s), bytes_sent, bytes_received, ok FROM requests
		ORDER BY workload, seq;"
}
tw() { q "$1" "SELECT printf('%d', SUM(value)) FROM metrics WHERE name = 'tcp.timewait_$2'"; }
# same WHAT SCENARIO [--set ...]: compact and whole runs alike
same() {
	what=$1; shift
	for m in whole compact; do
		rm -rf "$T/pcap-$m"
		mkdir -p "$T/pcap-$m"
		$HYDRANET run "$@" --set simulation.tcp_timewait=$m --db "$T/$m.sqlite" \
			--pcap "$T/pcap-$m" --quiet || die "$what: $m run failed"
		tables "$T/$m.sqlite" > "$T/$m.txt"
	done
	expect_num "$what: requests" "$(q "$T/compact.sqlite" "SELECT count(*) FROM requests")" -gt 0
	cmp -s "$T/whole.txt" "$T/compact.txt" \
		|| die "$what: compact differs from whole: $(diff "$T/whole.txt" "$T/compact.txt" | head -4 | tr '\n' ' ')"
	expect_num "$what: pcap files" "$(ls "$T/pcap-whole" | wc -l)" -gt 0
	diff -r "$T/pcap-whole" "$T/pcap-compact" > /dev/null || die "$what: pcaps differ"
	n=$(tw "$T/compact.sqlite" compact)
	expect_num "$what: compact TIME_WAITs" "$n" -gt 0
	expect "$what: whole TIME_WAITs in the whole run" "$(tw "$T/whole.sqlite" whole)" "$n"
	expect "$what: whole TIME_WAITs in the compact run" "$(tw "$T/compact.sqlite" whole)" 0
	expect "$what: zero windows" "$(tw "$T/compact.sqlite" zero_window)" 0
	rm -rf "$T"/whole.sqlite* "$T"/compact.sqlite* "$T"/pcap-*
}
same "scale-fig1.ini, dynamic, 5 % loss" scenarios/scale-fig1.ini --set replication.mode=dynamic \
	--set link.origin.loss=0.05 --set simulation.routing=static
same "failover.ini" scenarios/failover.ini --set simulation.stop_time=30s
same "hydraweb-flap.ini, 260 s" tests/scenario/hydraweb-flap.ini
# The modern profile: timestamps, SACK and window scaling.
same "redirect.ini, modern profile" tests/scenario/redirect.ini --set simulation.tcp_profile=modern
echo "$name: ok"
