#!/bin/sh
# alternatives-table.sh HYDRANET OUT.md [RUNS] - the comparison table of
# EXPERIMENTS.md ("HydraNet against the alternatives"): Figure 1's topology,
# load and flash crowd served by no replication and by HydraNet
# (scenarios/fig1-isp.ini, mode none and static: nearest redirectors with
# their flow tables), by DNS selection (fig1-dns.ini), HTTP redirection
# (fig1-redirect.ini) and a NAT cluster at each origin (fig1-nat.ini), RUNS
# runs each (default 3, seeds from the files).  Per approach, over all runs:
# requests completed; latency mean and p99 (nearest rank) of all ok requests
# and of the flash crowd's; the share served at the origin sites (origin
# hosts, or their clusters' real servers) and the requests they handled
# (302 replies included); backbone bytes (the bb-* links,
# both ways, PPP frames); control traffic (DNS bytes: UDP payload, without the
# IP, UDP and PPP headers, counted once at the resolvers; 302 replies followed; HydraNet's routing daemons'
# and replica managers' bytes sent, code images included).  The latencies also go to
# analysis/figures/data/alternatives.dat for tools/figures.sh.
set -eu
hn=$1; out=$2; runs=${3:-3}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/alt-table.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
q() { sqlite3 -batch -noheader "$1" "$2"; }
p99() {   # p99 DB WHERE: nearest-rank 99th percentile of ok latencies, ms
	q "$1" "SELECT latency_s FROM requests WHERE ok = 1 $2 ORDER BY latency_s" |
		awk '{ v[NR] = $1 } END { if (!NR) { print "-"; exit } k = int(0.99 * NR); if (k < 0.99 * NR) k++; printf "%.0f", v[k] * 1000 }'
}
row() {   # row LABEL TRANSPARENCY SCENARIO [--set ...]
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
	printf '%d "%s" %s %s %s %s\n' "$idx" "$label" "$mean" "$(p99 "$db" "")" "$fmean" \
		"$(p99 "$db" "AND workload = 'flash'")" >> "$dat"
	printf '| %s | %s | %s | %s / %s | %s / %s | %s %% | %s | %s | %s / %s / %s (%s) | %s |\n' \
		"$label" "$((n / runs))" "$((bad / runs))" "$mean" "$(p99 "$db" "")" "$fmean" \
		"$(p99 "$db" "AND workload = 'flash'")" "$origin" "$oreq" "$bb" "$dns" "$rd" "$hnb" "$img" "$tr" >> "$out"
}
# the figure's data (tools/figures.sh draws analysis/figures/alternatives.png)
dat=analysis/figures/data/alternatives.dat
mkdir -p "${dat%/*}"
echo "# index approach mean_ms p99_ms flash_mean_ms flash_p99_ms ($runs runs each)" > "$dat"
idx=0
cat > "$out" <<'HDR'
| approach | ok requests per run | failed per run | latency mean / p99 (ms) | flash crowd mean / p99 (ms) | served at the origin sites | requests the origin sites handled per run | backbone MB per run | control per run: DNS bytes / 302s followed / HydraNet routing+management bytes (code images) | what the client needs |
|---|---|---|---|---|---|---|---|---|---|
HDR
row "no replication" "nothing" scenarios/fig1-isp.ini --set replication.mode=none
row "HydraNet (nearest, flow table)" "nothing (the ISP's redirector)" scenarios/fig1-isp.ini --set replication.mode=static
row "DNS, nearest, TTL 30 s" "a resolver; names, not addresses" scenarios/fig1-dns.ini
row "HTTP redirection (302, nearest)" "HTTP only; follows 302" scenarios/fig1-redirect.ini
row "HTTP redirection, remembered" "HTTP only; follows and keeps 302" scenarios/fig1-redirect.ini \
	--set workload.sw-northwest.cache_redirect=true --set workload.sw-northeast.cache_redirect=true \
	--set workload.s-northwest.cache_redirect=true --set workload.s-northeast.cache_redirect=true \
	--set workload.se-northwest.cache_redirect=true --set workload.se-northeast.cache_redirect=true \
	--set workload.flash.cache_redirect=true
row "NAT cluster at each origin (2 servers)" "nothing" scenarios/fig1-nat.ini
