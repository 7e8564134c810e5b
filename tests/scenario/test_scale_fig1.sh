#!/bin/sh
# test_scale_fig1.sh - scenarios/scale-fig1.ini at N = 4 ISPs, its routing
# facts per replication mode: with none every request is served by the
# origin; with static, once the installs are done (5 s), each ISP's
# requests are served by its own host server (its routing daemon tells
# only its own ISP's redirector, announce_to) and the flash crowd's by hs0;
# with dynamic, nothing is installed before the flash crowd (20 s), the
# manager's first install is on the flash crowd's ISP (hs0, the first
# candidate of hs*) and the crowd's requests from 30 s on are served there,
# while ISPs 2 and 3 (no replica) stay on the origin.
. tests/scenario/lib.sh
n=4
db=$T/a.sqlite
$HYDRANET run scenarios/scale-fig1.ini --set topology.isp.stubs=$n --set "node.hs\${i}.count=$n" \
	--set "link.hs\${i}.count=$n" --set "workload.users\${i}.count=$n" --set service.web.install_above=6 \
	--db "$db" --quiet -j 2 || die "run failed"
run() { q "$db" "SELECT id FROM runs WHERE params LIKE 'replication.mode=$1;%' AND status = 'ok'"; }
none=$(run none) static=$(run static) dynamic=$(run dynamic)
[ -n "$none" ] && [ -n "$static" ] && [ -n "$dynamic" ] || die "a mode's run is missing"
for id in $none $static $dynamic; do
	expect_num "run $id: requests" "$(q "$db" "SELECT count(*) FROM requests WHERE run_id = $id")" -ge 1000
	expect "run $id: failed requests" "$(q "$db" "SELECT count(*) FROM requests WHERE run_id = $id AND ok = 0")" 0
done
expect "none: requests not served by the origin" \
	"$(q "$db" "SELECT count(*) FROM requests WHERE run_id = $none AND served_by IS NOT 'origin'")" 0
expect "static: replicas installed" \
	"$(q "$db" "SELECT printf('%d', value) FROM metrics WHERE run_id = $static AND scope = 'service:web' AND name = 'rmp.installs'")" $n
i=0
while [ $i -lt $n ]; do
	expect_num "static: users$i requests after 5 s" \
		"$(q "$db" "SELECT count(*) FROM requests WHERE run_id = $static AND workload = 'users$i' AND start_s >= 5")" -ge 20
	expect "static: users$i requests after 5 s not served by hs$i" \
		"$(q "$db" "SELECT count(*) FROM requests WHERE run_id = $static AND workload = 'users$i' AND start_s >= 5 AND served_by IS NOT 'hs$i'")" 0
	i=$((i + 1))
done
expect "static: flash crowd not served by hs0" \
	"$(q "$db" "SELECT count(*) FROM requests WHERE run_id = $static AND workload = 'flash' AND served_by IS NOT 'hs0'")" 0
expect "dynamic: requests before the flash crowd not served by the origin" \
	"$(q "$db" "SELECT count(*) FROM requests WHERE run_id = $dynamic AND start_s < 20 AND served_by IS NOT 'origin'")" 0
expect "dynamic: installs on hs0" \
	"$(q "$db" "SELECT printf('%d', value) FROM metrics WHERE run_id = $dynamic AND scope = 'hs0' AND name = 'rmp.installs'")" 1
expect_num "dynamic: flash crowd requests from 30 s" \
	"$(q "$db" "SELECT count(*) FROM requests WHERE run_id = $dynamic AND workload = 'flash' AND start_s >= 30")" -ge 500
expect "dynamic: flash crowd requests from 30 s not served by hs0" \
	"$(q "$db" "SELECT count(*) FROM requests WHERE run_id = $dynamic AND workload = 'flash' AND start_s >= 30 AND served_by IS NOT 'hs0'")" 0
expect "dynamic: ISPs 2 and 3 not served by the origin" \
	"$(q "$db" "SELECT count(*) FROM requests WHERE run_id = $dynamic AND workload IN ('users2', 'users3') AND served_by IS NOT 'origin'")" 0
echo "$name: ok"
