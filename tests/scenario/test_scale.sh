#!/bin/sh
# test_scale.sh - scenarios/scale.ini made small (8 generated ISPs of 5
# users): every request of every counted workload is answered, each ISP's
# generated border router is on its path, the run is the same twice (the
# generated topology and the hashed demultiplexer are deterministic), and
# counted [replica] sections give each ISP with a host server its replica.
. tests/scenario/lib.sh
small="--set topology.isp.stubs=8 --set workload.users\${i}.count=8 --set workload.users\${i}.clients=5
 --set workload.users\${i}.requests=2 --set workload.flash.clients=5 --set simulation.stop_time=25s"
db=$T/a.sqlite
# shellcheck disable=SC2086
$HYDRANET run scenarios/scale.ini $small --db "$db" --quiet || die "run failed"
for i in 0 1 2 3 4 5 6 7; do
	expect "users$i requests" "$(metric "$db" "workload:users$i" requests)" 10
	expect "users$i answered" "$(metric "$db" "workload:users$i" ok)" 10
	expect_num "isp-s$i-r0 (the ISP's redirector) saw its users' packets" "$(metric "$db" "isp-s$i-r0" seen)" -ge 100
done
expect "flash crowd unanswered" "$(q "$db" "SELECT printf('%d', (SELECT value FROM metrics WHERE scope='workload:flash' AND name='requests') - (SELECT value FROM metrics WHERE scope='workload:flash' AND name='ok'))")" 0
events=$(q "$db" "SELECT events FROM runs")
db2=$T/b.sqlite
# shellcheck disable=SC2086
$HYDRANET run scenarios/scale.ini $small --db "$db2" --quiet || die "second run failed"
expect "events of the same run again" "$(q "$db2" "SELECT events FROM runs")" "$events"
expect "metrics of the same run again" \
	"$(q "$db2" "SELECT group_concat(scope || name || value, ',') FROM (SELECT * FROM metrics ORDER BY scope, name)")" \
	"$(q "$db" "SELECT group_concat(scope || name || value, ',') FROM (SELECT * FROM metrics ORDER BY scope, name)")"
# Static replication: a replica on each of the 8 host servers, in its own
# ISP's redirector's table, from one counted section.
cp scenarios/scale.ini "$T/static.ini"
cat >> "$T/static.ini" <<'INI'

[replica web${i}]
count = 8
service = web
host_server = hs${i}
redirectors = isp-s${i}-r0
INI
db3=$T/c.sqlite
# shellcheck disable=SC2086
$HYDRANET run "$T/static.ini" $small --db "$db3" --quiet || die "static run failed"
expect "requests served by the origin with a replica in every ISP" \
	"$(q "$db3" "SELECT count(*) FROM requests WHERE served_by = 'origin'")" 0
expect "requests served by the host servers" "$(q "$db3" "SELECT count(*) FROM requests WHERE served_by LIKE 'hs%' AND ok = 1")" \
	"$(q "$db" "SELECT count(*) FROM requests")"
echo "$name: ok"
