#!/bin/sh
# test_region.sh - dynamic replication with [service] trigger = region: the
# manager attributes each request the origin serves to the candidate whose
# announce_to redirector is the first on the client's route to the origin
# (model/world/region.c), and installs on the busiest region above
# region_above.  Figure 1 at 10 ISPs (scale-fig1.ini): the flash crowd at
# ISP 0 (about 80 req/s) gets a replica on hs0 and no other host server
# gets one (the other ISPs make about 1 req/s each); without the crowd no
# replica is installed.
. tests/scenario/lib.sh
set_region="--set replication.mode=dynamic --set simulation.routing=static
 --set service.web.trigger=region --set service.web.region_above=10"
db=$T/crowd.sqlite
# shellcheck disable=SC2086
$HYDRANET run scenarios/scale-fig1.ini $set_region --db "$db" --quiet || die "crowd run failed"
expect "crowd: installs by the manager" "$(metric "$db" service:web rmp.installs)" 1
expect "crowd: installs on hs0" "$(metric "$db" hs0 rmp.installs)" 1
expect "crowd: installs on any host server" \
	"$(q "$db" "SELECT printf('%d', SUM(value)) FROM metrics WHERE scope LIKE 'hs%' AND name = 'rmp.installs'")" 1
expect_num "crowd: requests served by hs0's replica" "$(metric "$db" hs0 replica_requests.web)" -gt 100
db=$T/calm.sqlite
# shellcheck disable=SC2086
$HYDRANET run scenarios/scale-fig1.ini $set_region --set workload.flash.clients=1 --db "$db" --quiet \
	|| die "calm run failed"
expect "no crowd: installs" "$(metric "$db" service:web rmp.installs)" 0
echo "$name: ok"
