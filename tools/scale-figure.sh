#!/bin/sh
# scale-figure.sh HYDRANET [PREFIX] - Figure 1 at Internet scale: runs
# scenarios/scale-fig1.ini (none, static and dynamic replication) at N = 10,
# 100 and 1,000 ISPs (SCALE_FIG_N overrides the list), with the model's own
# routes (routing = static: ns-3's global routing takes minutes to set up a
# 1,000-ISP world, EXPERIMENTS.md "Internet scale"), into PREFIX-N.sqlite, one
# database per N (default results/scale-fig1-N.sqlite; runs already stored
# are skipped), and a fourth mode, region: dynamic replication with the
# per-region trigger (service.web.trigger = region, region_above = 10
# requests/s in one candidate's region; model/world/region.c), into
# PREFIX-N-region.sqlite (its own database: its parameter point starts as
# the dynamic one's).  Then it writes
#   results/scale-fig1.md                      the table, one row per N and mode
#   analysis/figures/data/scale-fig1.dat       the same, for gnuplot
#   analysis/figures/data/scale-fig1-time.dat  per 5 s of the largest N: origin
#                                              requests, replicas serving, mean latency
#   analysis/figures/scale-fig1-n.png          latency, origin load, backbone bytes
#                                              and replicas installed against N
#   analysis/figures/scale-fig1-time.png       the same run over time
# Per run (one per N and mode, seed 1):
#   requests       HTTP requests made (requests table), ok ones in brackets
#   latency        mean and 99th percentile of the ok requests' latency
#                  (connect to last byte; the percentile as GSL's
#                  gsl_stats_quantile_from_sorted_data: linear between ranks)
#   origin         requests the origin's server answered (origin_requests)
#   backbone MB    bytes both ways on the transit-transit links, 10^6 bytes:
#                  the generator numbers those links first (isp-l0 ...,
#                  model/scenario/topogen.c), then one stub and one host link
#                  per ISP, so they are the first (links named isp-l*) - 2N
#   installs       replicas the manager installed (rmp.installs, INSTALL_ACKed);
#                  removed ones (rmp.removes) after the slash
#   wall           the run's wall time (runs.wall_seconds)
# The dynamic manager's trigger is 1.5 times the ISPs' steady load, N
# requests/s (scale-fig1.ini says why).
set -eu
bin=${1:?usage: scale-figure.sh HYDRANET [PREFIX]}
prefix=${2:-results/scale-fig1}
ns=${SCALE_FIG_N:-10 100 1000}
OUT=analysis/figures
DATA=$OUT/data
mkdir -p "$DATA" results "$(dirname "$prefix")"
command -v gnuplot >/dev/null || { echo "scale-figure: gnuplot not found (apt-get install gnuplot-nox)" >&2; exit 1; }
if gnuplot -e "set terminal" 2>&1 | grep -q pngcairo; then PNGTERM=pngcairo; else PNGTERM=png; fi
q() { sqlite3 -readonly "$DB" "$@"; }
# pick_run N MODE: DB and id of the latest ok run of that mode at N
pick_run() {
	DB=$prefix-$1.sqlite
	pm=$2
	[ "$2" = region ] && { DB=$prefix-$1-region.sqlite; pm=dynamic; }
	id=$(q "SELECT id FROM runs WHERE scenario LIKE '%scale-fig1.ini' AND status = 'ok'
		AND (params = 'replication.mode=$pm' OR params LIKE 'replication.mode=$pm;%') ORDER BY id DESC LIMIT 1")
	[ -n "$id" ] || { echo "scale-figure: no ok run of N = $1, mode $2 in $DB" >&2; exit 1; }
}

dat=$DATA/scale-fig1.dat
md=results/scale-fig1.md
echo "# N mode requests ok latency_mean_ms latency_p99_ms origin_requests backbone_MB installs removes wall_s" > "$dat"
{
	echo "| N ISPs | mode | requests (ok) | latency mean / p99 (ms) | origin requests | backbone MB | replicas installed / removed | wall (s) |"
	echo "|---|---|---|---|---|---|---|---|"
} > "$md"
last=""
for n in $ns; do
	DB=$prefix-$n.sqlite
	above=$(awk -v n="$n" 'BEGIN { print 1.5 * n }')
	set -- --set "topology.isp.stubs=$n" --set "node.hs\${i}.count=$n" --set "link.hs\${i}.count=$n" \
		--set "workload.users\${i}.count=$n" --set "service.web.install_above=$above" \
		--set simulation.routing=static
	"$bin" run scenarios/scale-fig1.ini --db "$DB" -j 2 --quiet "$@"
	"$bin" run scenarios/scale-fig1.ini --db "$prefix-$n-region.sqlite" --quiet "$@" \
		--set replication.mode=dynamic --set service.web.trigger=region --set service.web.region_above=10
	last=$n
	for mode in none static dynamic region; do
		pick_run "$n" "$mode"
		lat=$(q "SELECT latency_s FROM requests WHERE run_id = $id AND ok = 1 ORDER BY latency_s" |
			awk '{ v[NR - 1] = $1; s += $1 } END {
				if (NR == 0) { print "- -"; exit }
				f = 0.99 * (NR - 1); k = int(f); d = f - k
				p = (k + 1 < NR) ? v[k] + d * (v[k + 1] - v[k]) : v[k]
				printf "%.1f %.1f", 1000 * s / NR, 1000 * p }')
		reqs=$(q "SELECT count(*) || ' ' || coalesce(sum(ok), 0) FROM requests WHERE run_id = $id")
		m() { q "SELECT coalesce(sum(value), 0) FROM metrics WHERE run_id = $id AND $1"; }
		origin=$(m "scope = 'service:web' AND name = 'origin_requests'")
		installs=$(m "scope = 'service:web' AND name = 'rmp.installs'")
		removes=$(m "scope = 'service:web' AND name = 'rmp.removes'")
		nisp=$(q "SELECT count(DISTINCT scope) FROM metrics WHERE run_id = $id AND scope LIKE 'link:isp-l%'")
		nbb=$((nisp - 2 * n))
		bb=$(q "SELECT coalesce(sum(value), 0) FROM metrics WHERE run_id = $id
			AND name IN ('bytes_a_to_b', 'bytes_b_to_a') AND scope LIKE 'link:isp-l%'
			AND cast(substr(scope, 11) AS integer) < $nbb")
		wall=$(q "SELECT printf('%.1f', wall_seconds) FROM runs WHERE id = $id")
		set -- $reqs $lat
		echo "$n $mode $1 $2 $3 $4 $origin $(awk -v b="$bb" 'BEGIN { printf "%.2f", b / 1e6 }') $installs $removes $wall" |
			awk '{ printf "%s %s %s %s %s %s %.0f %s %.0f %.0f %s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 }' >> "$dat"
	done
done
awk '!/^#/ { printf "| %s | %s | %s (%s) | %s / %s | %s | %s | %s / %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 }' "$dat" >> "$md"
cat "$md"

# Over time at the largest N: per 5 s (the sample interval), the origin's
# requests (difference of the cumulative series web.origin_requests), the
# replicas that served requests (host servers whose series
# hsK.replica_requests.web grew) and the mean latency of requests started.
tdat=$DATA/scale-fig1-time.dat
: > "$tdat"
for mode in none static dynamic region; do
	pick_run "$last" "$mode"
	echo "# mode $mode, N = $last: t_s origin_requests_per_s replicas_serving latency_mean_ms" >> "$tdat"
	{
		q "SELECT 'o', x, y FROM series WHERE run_id = $id AND series = 'web.origin_requests' ORDER BY x"
		q "SELECT 'r', series, x, y FROM series WHERE run_id = $id AND series LIKE 'hs%.replica_requests.web' ORDER BY series, x"
		q "SELECT 'l', cast(start_s / 5 AS int) * 5 + 5, avg(latency_s) FROM requests WHERE run_id = $id AND ok = 1 GROUP BY 2"
	} | awk -F'|' '
		$1 == "o" { x = $2 + 0; if (x in seen) next; seen[x] = 1; if (np) rate[x] = ($3 - prev) / (x - pt); prev = $3; pt = x; t[np++] = x }
		$1 == "r" { if ($2 == rs && $4 > rv) serving[$3 + 0]++; rs = $2; rv = $4 }
		$1 == "l" { lat[$2 + 0] = $3 }
		END { for (k = 1; k < np; k++) printf "%g %.1f %d %.1f\n", t[k], rate[t[k]], serving[t[k]] + 0, 1000 * lat[t[k]] }' >> "$tdat"
	printf '\n\n' >> "$tdat"
done

gnuplot <<EOF
set terminal $PNGTERM size 1200,800
set output '$OUT/scale-fig1-n.png'
set multiplot layout 2,2 title "Figure 1 at N ISPs (scenarios/scale-fig1.ini): none, static, dynamic replication (region: per-region trigger)"
set logscale x
set xlabel 'ISPs (N)'
set key top left
set xtics ($(echo $ns | tr ' ' ','))
set xrange [5:$((2 * last))]
set ylabel 'latency (ms)'
plot for [m in "none static dynamic region"] '< grep " '.m.' " $dat' using 1:5 with linespoints title m.' mean', \
     for [m in "none static dynamic region"] '< grep " '.m.' " $dat' using 1:6 with linespoints dt 2 title m.' p99'
set ylabel 'origin requests'
plot for [m in "none static dynamic region"] '< grep " '.m.' " $dat' using 1:7 with linespoints title m
set ylabel 'backbone MB'
plot for [m in "none static dynamic region"] '< grep " '.m.' " $dat' using 1:8 with linespoints title m
set ylabel 'replicas installed'
plot for [m in "none static dynamic region"] '< grep " '.m.' " $dat' using 1:9 with linespoints title m
unset multiplot
EOF
gnuplot <<EOF
set terminal $PNGTERM size 1200,900
set output '$OUT/scale-fig1-time.png'
set multiplot layout 3,1 title "Figure 1 at N = $last ISPs over time (flash crowd at ISP 0 from 20 s to 40 s; 5 s intervals)"
set xlabel 'simulated time (s)'
set key top right
set ylabel 'origin requests/s'
plot '$tdat' index 0 using 1:2 with steps title 'none', '' index 1 using 1:2 with steps title 'static', '' index 2 using 1:2 with steps title 'dynamic', '' index 3 using 1:2 with steps title 'region'
set ylabel 'replicas serving'
plot '$tdat' index 0 using 1:3 with steps title 'none', '' index 1 using 1:3 with steps title 'static', '' index 2 using 1:3 with steps title 'dynamic', '' index 3 using 1:3 with steps title 'region'
set ylabel 'mean latency (ms)'
plot '$tdat' index 0 using 1:4 with steps title 'none', '' index 1 using 1:4 with steps title 'static', '' index 2 using 1:4 with steps title 'dynamic', '' index 3 using 1:4 with steps title 'region'
unset multiplot
EOF
echo "scale-figure: $md, $OUT/scale-fig1-n.png, $OUT/scale-fig1-time.png"
