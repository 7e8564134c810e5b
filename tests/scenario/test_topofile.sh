#!/bin/sh
# test_topofile.sh - scenarios/inet-fig1.ini (Figure 1's setting on the
# 30-node Inet sample file): every request of both ISPs is answered, ISP a's
# by its host server's replica and ISP b's by the origin across the file's
# topology; the same runs with global routing; and the Rocketfuel samples
# (weights and maps) stand in for the Inet one with the same result.  A
# run's identity includes the topology file.
. tests/scenario/lib.sh
sc=scenarios/inet-fig1.ini
for routing in static global; do
	db=$T/$routing.sqlite
	$HYDRANET run $sc --set simulation.routing=$routing --db "$db" --quiet || die "$routing: run failed"
	for w in users-a users-b; do
		expect "$routing: $w requests" "$(metric "$db" "workload:$w" requests)" 100
		expect "$routing: $w answered" "$(metric "$db" "workload:$w" ok)" 100
	done
	expect "$routing: users-a served by the replica on a-hs" "$(metric "$db" workload:users-a served_by.a-hs)" 100
	expect "$routing: requests served by the origin" \
		"$(q "$db" "SELECT count(*) FROM requests WHERE served_by = 'origin' AND ok = 1")" 100
	expect_num "$routing: a-red redirected packets" "$(metric "$db" a-red redirected)" -ge 100
done
# The same paths either way: the sample's fewest-hop paths are unique.
expect "users-b connect time, static = global" \
	"$(metric "$T/static.sqlite" workload:users-b connect_mean_ms)" \
	"$(metric "$T/global.sqlite" workload:users-b connect_mean_ms)"
# ISP b's path to the origin: inet-n12 to inet-n0 over the file's links
# (2 hops, weights 100 in all: 10 ms at 0.1 ms per unit) plus 4 ms of
# access links each way: a handshake takes at least 28 ms.
expect_num "users-b connect time (ms) at least the path's round trip" \
	"$(q "$T/static.sqlite" "SELECT value FROM metrics WHERE scope='workload:users-b' AND name='connect_mean_ms'")" -ge 28
for f in rocketfuel-24.weights rocketfuel-12.cch; do
	db=$T/$f.sqlite
	$HYDRANET run $sc --set topology.inet.model=rocketfuel --set "topology.inet.file=topologies/$f" \
		--set topology.inet.delay_from=fixed --set topology.inet.delay=5ms \
		--set link.b-up.a=inet-n11 --set link.a-up.a=inet-n10 --db "$db" --quiet || die "$f: run failed"
	expect "$f: users-a answered" "$(metric "$db" workload:users-a ok)" 100
	expect "$f: users-b answered" "$(metric "$db" workload:users-b ok)" 100
done
# leaf_hosts: a client on every leaf of the file (inet-n14-h0 on leaf 14)
# reaches the origin.
cp $sc "$T/leaf.ini"
cp -r scenarios/topologies "$T/"
cat >> "$T/leaf.ini" <<'INI'

[workload leaf]
client = inet-n14-h0
service = web
requests = 10
object_size = 4096
think = 100ms
start = 1s
INI
db=$T/leaf.sqlite
$HYDRANET run "$T/leaf.ini" --set topology.inet.leaf_hosts=1 --db "$db" --quiet || die "leaf: run failed"
expect "leaf host's requests answered" "$(metric "$db" workload:leaf ok)" 10
expect "leaf host's requests at the origin" "$(metric "$db" workload:leaf served_by.origin)" 10
# A run's identity includes the topology file's bytes: the same files are
# the same run (skipped), an edited topology file another one.
mkdir "$T/s" "$T/s/topologies"
cp $sc "$T/s/x.ini"
cp scenarios/topologies/inet-30.txt "$T/s/topologies/"
db=$T/id.sqlite
$HYDRANET run "$T/s/x.ini" --set simulation.stop_time=3s --db "$db" --quiet || die "copy: run failed"
$HYDRANET run "$T/s/x.ini" --set simulation.stop_time=3s --db "$db" --quiet || die "copy: second run failed"
expect "runs after the same files twice" "$(q "$db" "SELECT count(*) FROM runs")" 1
sed -i '$ s/[0-9]*$/99/' "$T/s/topologies/inet-30.txt"
$HYDRANET run "$T/s/x.ini" --set simulation.stop_time=3s --db "$db" --quiet || die "edited: run failed"
expect "runs after the topology file changed" "$(q "$db" "SELECT count(DISTINCT scenario_hash) FROM runs")" 2
echo "$name: ok"
