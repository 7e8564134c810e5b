#!/bin/sh
# alternatives-table.sh HYDRANET OUT.md [RUNS] - the comparison table of
# EXPERIMENTS.md ("HydraNet against the alternatives"): Figure 1's topology,
# load and flash crowd served by no replication and by HydraNet
# (scenarios/fig1-isp.ini, mode none and static: nearest redirectors with
# their flow tables), by DNS selection, nearest and round robin
# (fig1-dns.ini), HTTP redirection (fig1-redirect.ini), a NAT cluster at
# each origin (fig1-nat.ini) and a direct-return cluster (fig1-dr.ini),
# RUNS runs each (default 3, seeds from the files).  Per approach, over all
# runs: requests completed; latency mean and p99 (nearest rank) of all ok
# requests and of the flash crowd's; the share served at the origin sites
# (origin hosts, or their clusters' real servers) and the requests they
# handled (302 replies included); backbone bytes (the bb-* links, both ways,
# PPP frames); control traffic (DNS bytes: UDP payload, without the IP, UDP
# and PPP headers, counted once at the resolvers; 302 replies followed;
# HydraNet's routing daemons' and replica managers' bytes sent, code images
# included).  The latencies also go to analysis/figures/data/alternatives.dat
# for tools/figures.sh.
#
# Then a replica failure, as in scenarios/fig1-failover.ini: south.net's
# host server hs-s (replicas of both services) crashes at 130 s, 30 s into
# the flash crowd, and restarts at 190 s; users give up on a request after
# 5 s.  Two variants per approach (a / b): HydraNet (fig1-failover.ini)
# with the redirectors probing every 1 s / passive (announcement lifetime
# 30 s); DNS and HTTP redirection with hs-s's records withdrawn at the
# crash (replica stop = 130 s: the name server and the origin stop naming
# it at once, a monitor's best case) / not withdrawn; the clusters: one
# real server (nw-rs1) crashes instead, the front end has no health check.
# Per variant, means over the runs: failed requests started before the
# restart (a withdrawn replica stays stopped after it); "stop" = the start of
# the last failed request before the restart, from the crash (s: how long
# new requests kept going to the dead host); "failover" = the failure
# event's failover_s (model/world/failures.c: to the first connection of
# a workload hs-s served established with another node), "-" when none.
# The failure runs' numbers also go to
# analysis/figures/data/alternatives-failure.dat.
#
# And a replica added mid-run, for DNS and HTTP redirection: hs-s's
# replica of northeast.com starts at 125 s (replica start: its server
# binds its port, the name server and the origin name it from then on).
# For south.net's users of northeast.com (workload s-northeast), means over
# the runs: the first request it served, from 125 s ("never" when in some
# run it served none), and the first it
# served after the last of theirs it did not (from then on all go to it;
# "never" when that last one comes within 10 s of the users' stop at 230 s).
set -eu
hn=$1; out=$2; runs=${3:-3}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/alt-table.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
q() { sqlite3 -batch -noheader "$1" "$2"; }
p99() {   # p99 DB WHERE: nearest-rank 99th percentile of ok latencies, ms
	q "$1" "SELECT latency_s FROM requests WHERE ok = 1 $2 ORDER BY latency_s" |
		awk '{ v[NR] = $1 } END { if (!NR) { print "-"; exit } k = int(0.99 * NR); if (k < 0.99 * NR) k++; printf "%.0f", v[k] * 1000 }'
}
fail_run() {   # fail_run TAG SCENARIO APPEND TARGET [--set ...]: "failed stop failover"
	tag=$1 fscn=$2 app=$3 target=$4
	shift 4
	f=$tmp/$tag.ini
	cp "$fscn" "$f"
	[ "$app" = 0 ] || printf '\n[failure crash]\naction = node_down\ntarget = %s\nat = 130s\n[failure restart]\naction = node_up\ntarget = %s\nat = 190s\n' \
		"$target" "$target" >> "$f"
	fdb=$tmp/$tag.sqlite
	"$hn" run "$f" --db "$fdb" --quiet --runs "$runs" $timeouts "$@" > /dev/null
	fl=$(q "$fdb" "SELECT printf('%.1f', 1.0 * count(*) / $runs) FROM requests WHERE ok = 0 AND start_s < 190")
	st=$(q "$fdb" "SELECT printf('%.1f', avg(coalesce(t, 130) - 130)) FROM runs r LEFT JOIN
		(SELECT run_id, max(start_s) AS t FROM requests WHERE ok = 0 AND start_s >= 130 AND start_s < 190 GROUP BY run_id) x ON x.run_id = r.id")
	fo=$(q "$fdb" "SELECT coalesce(printf('%.1f', sum(value) / $runs), '-') FROM metrics WHERE scope = 'failure:crash' AND name = 'failover_s' HAVING count(*) = $runs")
	[ -n "$fo" ] || fo=-
	echo "$fl $st $fo"
}
move_run() {   # move_run TAG SCENARIO [--set ...]: "first all"
	tag=$1 mscn=$2
	shift 2
	mdb=$tmp/$tag-move.sqlite
	"$hn" run "$mscn" --db "$mdb" --quiet --runs "$runs" --set replica.northeast-s.start=125s "$@" > /dev/null
	fi=$(q "$mdb" "SELECT CASE WHEN count(*) < $runs THEN 'never' ELSE printf('%.1f', avg(t) - 125) END FROM (SELECT run_id, min(start_s) AS t FROM requests
		WHERE workload = 's-northeast' AND served_by = 'hs-s' AND start_s >= 125 GROUP BY run_id)")
	# all: the first request it served after the last one it did not
	al=$(q "$mdb" "SELECT CASE WHEN max(coalesce(t, 0)) >= 220 OR '$fi' = 'never' THEN 'never' ELSE printf('%.1f', avg(
		(SELECT min(start_s) FROM requests m WHERE m.run_id = r.id AND m.workload = 's-northeast' AND m.served_by = 'hs-s'
		 AND m.start_s > coalesce(t, 125))) - 125) END FROM runs r LEFT JOIN
		(SELECT run_id, max(start_s) AS t FROM requests WHERE workload = 's-northeast' AND ok = 1
		 AND served_by <> 'hs-s' AND start_s >= 125 GROUP BY run_id) x ON x.run_id = r.id")
	echo "$fi $al"
}
row() {   # row LABEL TRANSPARENCY SCENARIO [--set ...]; failure variants from fa_* and fb_*
	label=$1 tr=$2 scn=$3
	shift 3
	db=$tmp/$(echo "$label" | tr -c 'a-z0-9\n' '_').sqlite
	"$hn" run "$scn" --db "$db" --quiet --runs "$runs" "$@" > /dev/null
	n=$(q "$db" "SELECT count(*) FROM requests WHERE ok = 1")
	bad=$(q "$db" "SELECT count(*) FROM requests WHERE ok = 0")
	mean=$(q "$db" "SELECT printf('%.0f', 1000 * avg(latency_s)) FROM requests WHERE ok = 1")
	fmean=$(q "$db" "SELECT printf('%.0f', 1000 * avg(latency_s)) FROM requests WHERE ok = 1 AND workload = 'flash'")
	origin=$(q "$db" "SELECT printf('%.1f', 100.0 * sum(served_by IN ('www.northwest.com', 'www.northeast.com', 'nw-rs1', 'nw-rs2', 'ne-rs1', 'ne-rs2')) / count(*)) FROM requests WHERE ok = 1")
	# requests the origin sites handled: the origins' servers (302s
	# included) and the NAT clusters' real servers
	oreq=$(q "$db" "SELECT printf('%d', (coalesce((SELECT sum(value) FROM metrics WHERE scope LIKE 'service:%' AND name = 'origin_requests'), 0)
		+ (SELECT count(*) FROM requests WHERE served_by IN ('nw-rs1', 'nw-rs2', 'ne-rs1', 'ne-rs2'))) / $runs)")
	bb=$(q "$db" "SELECT printf('%.1f', sum(value) / 1e6 / $runs) FROM metrics WHERE scope LIKE 'link:bb-%' AND name IN ('bytes_a_to_b', 'bytes_b_to_a')")
	dns=$(q "$db" "SELECT printf('%d', coalesce(sum(value), 0) / $runs) FROM metrics WHERE scope LIKE 'resolver-%' AND name = 'dns.bytes'")
	rd=$(q "$db" "SELECT printf('%d', coalesce(sum(value), 0) / $runs) FROM metrics WHERE name = 'redirects'")
	hnb=$(q "$db" "SELECT printf('%d', coalesce(sum(value), 0) / $runs) FROM metrics WHERE name IN ('rtd.bytes_sent', 'rmp.bytes_sent')")
	img=$(q "$db" "SELECT printf('%d', coalesce(sum(value), 0) / $runs) FROM metrics WHERE scope LIKE 'service:%' AND name = 'rmp.image_bytes'")
	idx=$((idx + 1))
	short=${label%%;*}
	printf '%d "%s" %s %s %s %s\n' "$idx" "$short" "$mean" "$(p99 "$db" "")" "$fmean" \
		"$(p99 "$db" "AND workload = 'flash'")" >> "$dat"
	mv="- -"
	[ "$move" = 0 ] || mv=$(move_run "$idx" "$scn" "$@")
	fa="- - -" fb="- - -"
	# shellcheck disable=SC2086
	[ -z "$fa_scn" ] || fa=$(fail_run "${idx}a" "$fa_scn" "$f_append" "$f_target" $fa_set)
	# shellcheck disable=SC2086
	[ -z "$fb_scn" ] || fb=$(fail_run "${idx}b" "$fb_scn" "$f_append" "$f_target" $fb_set)
	set -- $fa $fb $mv
	printf '%d "%s" %s %s %s %s %s %s\n' "$idx" "$short" "$1" "$2" "$3" "$4" "$5" "$6" >> "$fdat"
	printf '| %s | %s | %s | %s / %s | %s / %s | %s %% | %s | %s | %s / %s / %s (%s) | %s / %s | %s / %s | %s / %s | %s / %s | %s |\n' \
		"$label" "$((n / runs))" "$((bad / runs))" "$mean" "$(p99 "$db" "")" "$fmean" \
		"$(p99 "$db" "AND workload = 'flash'")" "$origin" "$oreq" "$bb" "$dns" "$rd" "$hnb" "$img" \
		"$7" "$8" "$2" "$5" "$1" "$4" "$3" "$6" "$tr" >> "$out"
	fa_scn= fb_scn= fa_set= fb_set= move=0
}
timeouts=
for w in sw-northwest sw-northeast s-northwest s-northeast se-northwest se-northeast flash; do
	timeouts="$timeouts --set workload.$w.timeout=5s"
done
withdraw="--set replica.northwest-s.stop=130s --set replica.northeast-s.stop=130s"
remember="--set workload.sw-northwest.cache_redirect=true --set workload.sw-northeast.cache_redirect=true
	--set workload.s-northwest.cache_redirect=true --set workload.s-northeast.cache_redirect=true
	--set workload.se-northwest.cache_redirect=true --set workload.se-northeast.cache_redirect=true
	--set workload.flash.cache_redirect=true"
rr="--set node.ns-nw.dns_policy=round_robin --set node.ns-ne.dns_policy=round_robin"
probe="--set node.red-sw.health_check=true --set node.red-s.health_check=true --set node.red-se.health_check=true"
# the figure's data (tools/figures.sh draws analysis/figures/alternatives.png)
dat=analysis/figures/data/alternatives.dat
fdat=analysis/figures/data/alternatives-failure.dat
mkdir -p "${dat%/*}"
echo "# index approach mean_ms p99_ms flash_mean_ms flash_p99_ms ($runs runs each)" > "$dat"
echo "# index approach failed_a stop_s_a failover_s_a failed_b stop_s_b failover_s_b (per run, $runs runs each; a/b: see tools/alternatives-table.sh)" > "$fdat"
idx=0
fa_scn= fb_scn= fa_set= fb_set= move=0
cat > "$out" <<'HDR'
| approach | ok requests per run | failed per run | latency mean / p99 (ms) | flash crowd mean / p99 (ms) | served at the origin sites | requests the origin sites handled per run | backbone MB per run | control per run: DNS bytes / 302s followed / HydraNet routing+management bytes (code images) | replica added at 125 s: first request / all its population's after (s) | failure: stop using after (s), a / b | failure: failed requests per run, a / b | failure: failover (s), a / b | what the client needs |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
HDR
row "no replication" "nothing" scenarios/fig1-isp.ini --set replication.mode=none
f_append=0 f_target=hs-s
fa_scn=scenarios/fig1-failover.ini fa_set=$probe fb_scn=scenarios/fig1-failover.ini
row "HydraNet (nearest, flow table); a: probes every 1 s, b: announcements, lifetime 30 s" "nothing (the ISP's redirector)" scenarios/fig1-isp.ini --set replication.mode=static
f_append=1 f_target=hs-s
fa_scn=scenarios/fig1-dns.ini fa_set=$withdraw fb_scn=scenarios/fig1-dns.ini move=1
row "DNS, nearest, TTL 30 s; a: record withdrawn at the crash, b: kept" "a resolver; names, not addresses" scenarios/fig1-dns.ini
fa_scn=scenarios/fig1-dns.ini fa_set="$withdraw $rr" fb_scn=scenarios/fig1-dns.ini fb_set=$rr move=1
# shellcheck disable=SC2086
row "DNS, round robin, TTL 30 s; a: record withdrawn, b: kept" "a resolver; names, not addresses" scenarios/fig1-dns.ini $rr
fa_scn=scenarios/fig1-redirect.ini fa_set=$withdraw fb_scn=scenarios/fig1-redirect.ini move=1
row "HTTP redirection (302, nearest); a: replica withdrawn, b: kept" "HTTP only; follows 302" scenarios/fig1-redirect.ini
fa_scn=scenarios/fig1-redirect.ini fa_set="$withdraw $remember" fb_scn=scenarios/fig1-redirect.ini fb_set=$remember move=1
# shellcheck disable=SC2086
row "HTTP redirection, remembered; a: replica withdrawn, b: kept" "HTTP only; follows and keeps 302" scenarios/fig1-redirect.ini $remember
f_target=nw-rs1
fa_scn=scenarios/fig1-nat.ini
row "NAT cluster at each origin (2 servers); a: nw-rs1 crashes" "nothing" scenarios/fig1-nat.ini
fa_scn=scenarios/fig1-dr.ini
row "direct-return cluster at each origin (LVS-DR, 2 servers); a: nw-rs1 crashes" "nothing" scenarios/fig1-dr.ini
