#!/bin/sh
# mtu-remedies.sh [DB] - Figure 3a and 3b's HydraNet series (virtualhost)
# again, once per remedy for the MTU penalty, at 10 and 100 Mb/s, into DB
# (default results/mtu-remedies.sqlite), then a markdown table per figure:
# throughput (mean of the runs), outer fragments made, inner pieces made,
# ICMP fragmentation needed sent, the first transfer's delay (the sender's
# start to the first byte at the receiver: handshake, and any ICMP or
# retransmission the first segment met) and the transfer's time.  It stops
# (status 1) rather than print a table from runs whose parameters or
# metrics it cannot read.  Remedies:
#   none      the paper: outer datagram cut to 1500 (Linux ipip nopmtudisc, mtu 1500)
#   inner     the inner datagram cut to the tunnel MTU 1480 before encapsulation
#   inner64k  the same, the host server remembering 65536 fragment verdicts
#             (frag_max_flows; default 1024, each kept frag_hold = 30 s: with
#             every segment cut, the default table fills after 1024 segments
#             and the host server drops inner fragments until verdicts expire)
#   pmtud     the sender sets DF; the redirector answers ICMP fragmentation
#             needed (1480) and the sender's TCP lowers its MSS to 1440
#   blackhole the same with the ICMP filtered (a black hole): the sender's
#             black-hole detection (mtu_probing = blackhole, Linux
#             tcp_mtu_probing = 1) lowers its MSS to 1024 after the RTOs
#   mss1440   every host's MSS is 1440: the client's segments are what the
#             host server advertising MSS 1440 (Linux advmss) gives.  Emulated:
#             ns-3's TCP neither sends nor honours an MSS option (and the
#             redirector's mss_clamp, on the client's SYN, bounds only the
#             host server's segments, which return directly).
#   mtu1520   the host server's link MTU raised by 20 (1520): nothing is cut
set -eu
db=${1:-results/mtu-remedies.sqlite}
hn=${HYDRANET:-build/hydranet}
runs=${RUNS:-2}
remedies="none inner inner64k pmtud blackhole mss1440 mtu1520"
sets() {
	case $1 in
	none) echo "" ;;
	inner) echo "--set node.redirector.fragment=inner" ;;
	inner64k) echo "--set node.redirector.fragment=inner --set node.hostserver.frag_max_flows=65536" ;;
	pmtud) echo "--set workload.ttcp.df=true" ;;
	blackhole) echo "--set workload.ttcp.df=true --set node.redirector.icmp_frag_needed=false --set workload.ttcp.mtu_probing=blackhole" ;;
	mss1440) echo "--set simulation.mss=1440" ;;
	mtu1520) echo "--set link.redirector-hostserver.mtu=1520" ;;
	esac
}
for f in fig3a fig3b; do
	for r in $remedies; do
		# shellcheck disable=SC2046
		$hn run "scenarios/$f.ini" --db "$db" --name "$f-$r" -j 2 --quiet --runs "$runs" \
			--set testbed.series=virtualhost $(sets "$r")
	done
done
# A point's rate and buflen come from its parameters (testbed.link_rate=R
# Mbps;...;workload.ttcp.buflen=B): a run whose parameters lack either, or a
# point without a throughput, stops the table rather than print a wrong one.
bad=$(sqlite3 -batch -noheader "$db" "
  SELECT count(*) FROM runs WHERE (scenario LIKE 'fig3a-%' OR scenario LIKE 'fig3b-%') AND status = 'ok'
    AND (instr(params, 'link_rate=') = 0 OR instr(params, 'buflen=') = 0)")
[ "$bad" = 0 ] || { echo "mtu-remedies.sh: $bad runs without link_rate= or buflen= in their parameters" >&2; exit 1; }
for f in fig3a fig3b; do
	for r in $remedies; do
		n=$(sqlite3 -batch -noheader "$db" "
		  SELECT count(DISTINCT r.params) FROM runs r JOIN metrics x ON x.run_id = r.id
		  WHERE r.scenario = '$f-$r' AND r.status = 'ok' AND x.name = 'throughput_mbps'")
		[ "$n" -gt 0 ] || { echo "mtu-remedies.sh: no throughput for $f-$r" >&2; exit 1; }
	done
done
for f in fig3a fig3b; do
	echo
	echo "$f (virtualhost), mean of $runs runs per point: throughput Mb/s / outer fragments / inner pieces / ICMP sent / first byte ms (start to the first byte at the receiver) / transfer s"
	echo
	printf '| rate | buflen |'
	for r in $remedies; do printf ' %s |' "$r"; done
	echo
	printf '|---|---|'
	for r in $remedies; do printf -- '---|'; done
	echo
	sqlite3 -batch -noheader "$db" "
	  WITH m AS (
	    SELECT r.scenario AS sc, r.params AS p, x.scope AS scope, x.name AS name, avg(x.value) AS v
	    FROM runs r JOIN metrics x ON x.run_id = r.id
	    WHERE r.scenario LIKE '$f-%' AND r.status = 'ok'
	    GROUP BY r.scenario, r.params, x.scope, x.name),
	  pt AS (
	    SELECT substr(sc, length('$f-') + 1) AS remedy,
	      CAST(substr(p, instr(p, 'link_rate=') + 10) AS INTEGER) AS rate,
	      CAST(substr(p, instr(p, 'buflen=') + 7) AS INTEGER) AS buflen,
	      max(CASE WHEN name = 'throughput_mbps' THEN v END) AS tput,
	      max(CASE WHEN scope = 'redirector' AND name = 'fragments_made' THEN v END) AS frags,
	      max(CASE WHEN scope = 'redirector' AND name = 'inner_fragments_made' THEN v END) AS inner,
	      max(CASE WHEN scope = 'redirector' AND name = 'icmp_frag_needed_sent' THEN v END) AS icmp,
	      max(CASE WHEN name = 'ttcp_first_byte_s' THEN v END) AS first,
	      max(CASE WHEN name = 'ttcp_seconds' THEN v END) AS secs
	    FROM m GROUP BY sc, p)
	  SELECT rate, buflen, remedy,
	    CASE WHEN tput IS NULL OR frags IS NULL OR inner IS NULL OR icmp IS NULL OR first IS NULL
	              OR secs IS NULL OR rate <= 0 OR buflen <= 0 THEN 'MISSING'
	    ELSE printf('%.2f / %d / %d / %d / %.2f / %.2f', tput, frags, inner, icmp, first * 1000, secs) END
	  FROM pt ORDER BY rate, buflen, remedy" |
	awk -F'|' -v rem="$remedies" '
		BEGIN { nr = split(rem, R, " ") }
		$4 == "MISSING" { print "mtu-remedies.sh: a metric is missing at " $1 " Mb/s, " $2 " bytes, " $3 > "/dev/stderr"; bad = 1; exit 1 }
		{ k = $1 "|" $2; if (!(k in seen)) { seen[k] = 1; keys[++n] = k } cell[k, $3] = $4 }
		END { if (bad) exit 1
			for (i = 1; i <= n; i++) { split(keys[i], a, "|"); line = "| " a[1] " Mb/s | " a[2] " |"
			for (j = 1; j <= nr; j++) line = line " " ((keys[i], R[j]) in cell ? cell[keys[i], R[j]] : "-") " |"
			print line } }'
done
