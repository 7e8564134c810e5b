#!/bin/sh
# figures.sh [DB] - draw the paper's figures from a results database.
#
#   sh tools/figures.sh [DB]        (make figures; DB defaults to $DB, then
#                                    results/hydranet.sqlite)
#
# 1. runs `hydranet summarize DB` (cheap, idempotent) to fill `summaries`;
# 2. extracts, with the sqlite3 command line, whitespace-separated data files
#    into analysis/figures/data/ (one file per link rate and series for
#    Figures 3a/3b, one for connection setup, load and latency per
#    replication mode for the Figure 1 flash crowd, a latency histogram and
#    a ping trace for each of Figures 5a/5b);
# 3. runs the gnuplot scripts analysis/fig3.gp (for fig3a and fig3b),
#    analysis/conn-setup.gp, analysis/fig1-flash.gp and analysis/fig5.gp
#    (for fig5a and fig5b), which write analysis/figures/NAME.png and .svg;
#    and analysis/alternatives.gp from the data file
#    tools/alternatives-table.sh writes (analysis/figures/data/alternatives.dat),
#    alternatives-failure.png/.svg from alternatives-failure.dat with
#    analysis/alternatives-failure.gp.
# A figure whose scenario has no summaries (no runs, for fig1-flash and
# fig5a/fig5b) in DB is skipped with a note.
#
# A scenario is recognised by the basename of summaries.scenario (runs made
# by `hydranet jobs` record an absolute path).  When DB holds points of more
# than one version of a scenario file (different scenario_hash), only the
# version with the most recent run is drawn.
set -eu

DB=${1:-${DB:-results/hydranet.sqlite}}
HYDRANET=${HYDRANET:-build/hydranet}
OUT=analysis/figures
DATA=$OUT/data

die() { echo "figures: $*" >&2; exit 1; }

[ -f "$DB" ] || die "no results database '$DB' (make one with
  $HYDRANET run scenarios/fig3a.ini --db $DB, or make reproduce;
  or give its path: sh tools/figures.sh DB, make figures DB=...)"
command -v sqlite3 >/dev/null || die "sqlite3 command line not found (apt-get install sqlite3)"
command -v gnuplot >/dev/null || die "gnuplot not found (apt-get install gnuplot-nox)"
[ -x "$HYDRANET" ] || die "$HYDRANET not built (make $HYDRANET)"

"$HYDRANET" summarize "$DB" >/dev/null || die "'$HYDRANET summarize $DB' failed: is it a HydraNet results database?"
nsum=$(sqlite3 -readonly "$DB" "SELECT count(*) FROM summaries")
[ "$nsum" -gt 0 ] || die "$DB has no summaries (no successful runs?)"

mkdir -p "$DATA"
# pngcairo draws anti-aliased text; plain png (libgd) is the fallback.
if gnuplot -e "set terminal" 2>&1 | grep -q pngcairo; then PNGTERM=pngcairo; else PNGTERM=png; fi

q() { sqlite3 -readonly -batch -bail "$DB" "$@"; }

# newest_hash NAME.ini: the scenario_hash of NAME.ini's newest version in DB
# (empty when DB has no summaries of it).
newest_hash() {
	q "SELECT s.scenario_hash FROM summaries s
	   WHERE s.scenario = '$1' OR s.scenario LIKE '%/$1'
	   GROUP BY s.scenario_hash
	   ORDER BY (SELECT max(started_at) FROM runs r WHERE r.scenario_hash = s.scenario_hash) DESC
	   LIMIT 1"
}
# nversions NAME.ini: how many versions of NAME.ini DB summarises.
nversions() {
	q "SELECT count(DISTINCT scenario_hash) FROM summaries
	   WHERE scenario = '$1' OR scenario LIKE '%/$1'"
}
# kv KEY: SQL for the value of KEY in p (';'||params||';').
kv() {
	k=";$1="; l=${#k}
	echo "substr(p, instr(p, '$k') + $l, instr(substr(p, instr(p, '$k') + $l), ';') - 1)"
}
# pick SCOPE NAME COLUMN: one metric of a point, in the GROUP BY below.
pick() { echo "max(CASE WHEN scope = '$1' AND name = '$2' THEN $3 END)"; }

# Can the 95% CI error bars be seen?  An error bar shows only where it
# reaches past its marker.  In pngcairo a point of size ps is 6.2 px * ps
# across (measured on this gnuplot 5.4: pt 7 ps 1.8 draws 11 px, pt 5 and
# pt 9 ps 1.1 draw 7 px), so its half-height is MARK_PX_PER_PS * ps pixels.
# The scripts draw each panel with a fixed plot-area height (passed to them
# from here) and a y range fixed from the data (computed here), so a CI
# half-width ci is ci / (ytop - ybot) * height pixels tall, and counts as
# seen when it reaches at least one pixel past the marker's edge.
MARK_PX_PER_PS=3.1
# T975_AWK: an awk function t975(df), the 0.975 quantile of Student's t with
# df degrees of freedom, as GSL's gsl_cdf_tdist_Pinv(0.975, df) (which
# `hydranet summarize` uses): its values to 6 decimals for df <= 30, the
# Cornish-Fisher expansion beyond (within 1e-6 of GSL's there).
T975_AWK='
function t975(df,   z) {
	if (!(1 in T975)) split("12.706205 4.302653 3.182446 2.776445 2.570582 2.446912 2.364624 2.306004 2.262157 2.228139 2.200985 2.178813 2.160369 2.144787 2.131450 2.119905 2.109816 2.100922 2.093024 2.085963 2.079614 2.073873 2.068658 2.063899 2.059539 2.055529 2.051831 2.048407 2.045230 2.042272", T975, " ")
	if (df <= 30) return T975[int(df)]
	z = 1.959963985
	return z + (z^3 + z) / (4 * df) + (5 * z^5 + 16 * z^3 + 3 * z) / (96 * df^2) \
	     + (3 * z^7 + 19 * z^5 + 17 * z^3 - 15 * z) / (384 * df^3) \
	     + (79 * z^9 + 776 * z^7 + 1482 * z^5 - 1920 * z^3 - 945 * z) / (92160 * df^4)
}
'
# cinote TOP HEIGHT_PX HALF_PX COL_MEAN COL_CI [COL_N] FILE...: one line for
# the figure: how many of the points in FILEs (whitespace columns, '#' lines
# skipped) have a CI half-width less than HALF_PX + 1 pixels on a y axis
# from 0 to TOP drawn HEIGHT_PX tall, and the largest half-width.  COL_N
# (0: none) is the run count, points with fewer than 2 runs having no CI.
# HALF_PX "clean=X,other=Y" gives files named *_clean.dat their own size.
cinote() {
	_t=$1 _p=$2 _h=$3 _m=$4 _c=$5 _n=$6; shift 6
	awk -v top="$_t" -v px="$_p" -v half="$_h" -v cm="$_m" -v cc="$_c" -v cn="$_n" '
		/^#/ || NF == 0 { next }
		{
			h = half
			if (index(half, "=")) {
				split(half, hv, /[=,]/)
				h = (FILENAME ~ /_clean\.dat$/) ? hv[2] : hv[4]
			}
			tot++
			if (cn > 0 && $cn < 2) { noci++; next }
			c = $cc + 0
			if (c > maxc) maxc = c
			if (c / top * px < h + 1) small++
		}
		END {
			withci = tot - noci
			if (tot == 0) { print ""; exit }
			if (withci == 0) { print "95% CI: none (one run per point)"; exit }
			s = (small == withci) ? sprintf("95%% CIs smaller than the markers at all %d points (the largest: ±%.3g)", withci, maxc) \
			  : (small == 0) ? sprintf("95%% CIs: error bars visible at all %d points (the largest: ±%.3g)", withci, maxc) \
			  : sprintf("95%% CIs smaller than the markers at %d of %d points (the largest: ±%.3g)", small, withci, maxc)
			if (noci > 0) s = s sprintf("; %d points of one run, no CI", noci)
			print s
		}' "$@"
}
# ytop FACTOR MIN COLS FILE...: FACTOR x the largest sum of columns COLS
# ("3+4": mean + CI) over FILEs, at least MIN: the top of a y axis.
ytop() {
	_f=$1 _m=$2 _c=$3; shift 3
	awk -v f="$_f" -v m="$_m" -v c="$_c" '
		BEGIN { n = split(c, cols, "+") }
		/^#/ || NF == 0 { next }
		{ v = 0; for (i = 1; i <= n; i++) v += $(cols[i]); if (v > mx) mx = v }
		END { v = f * mx; printf "%.6g\n", (v > m) ? v : m }' "$@"
}

# meanci: read "x run value" lines (sorted by x) and write, per x,
# "x n mean ci95": the mean over the runs and the half-width of its 95% CI,
# Student t with n - 1 degrees of freedom as `hydranet summarize` computes it
# (gsl_cdf_tdist_Pinv(0.975, n - 1) sd / sqrt(n)); ci95 0 when n < 2.
meanci() {
	awk "$T975_AWK"'
		function flush(   i, m, ss) {
			if (k == 0) return
			m = 0; for (i = 1; i <= k; i++) m += v[i]; m /= k
			ss = 0; for (i = 1; i <= k; i++) ss += (v[i] - m) ^ 2
			printf "%s %d %.6g %.6g\n", x, k, m, (k < 2) ? 0 : t975(k - 1) * sqrt(ss / (k - 1)) / sqrt(k)
			k = 0
		}
		NF < 3 { next }
		$1 != x { flush(); x = $1 }
		{ v[++k] = $3 }
		END { flush() }'
}

drawn=0
skipped=0
note() { echo "figures: $*"; }
# skip NAME WHY: note it, and remove NAME's figure and data files left by an
# earlier run (perhaps from another database), so none is mistaken for DB's.
skip() {
	rm -f "$OUT/$1.png" "$OUT/$1.svg" "$DATA/$1.dat" "$DATA/$1"_*.dat
	note "skip $1: $2"
	skipped=$((skipped + 1))
}
produced() {
	for f in "$@"; do
		[ -s "$f" ] || die "gnuplot did not write $f"
		echo "  $f"
	done
	drawn=$((drawn + 1))
}

# ---------------------------------------------------------------------------
# Figures 3a and 3b: ttcp throughput vs buffer length, per link rate/series.
# Data file columns (one file per link rate and series, sorted by buflen):
#   1 buflen  2 n  3 throughput_mbps mean  4 its ci95  5 ttcp_bytes mean
#   6 redirector fragments_made mean  7 its ci95
#   8 hostserver reassembled mean  9 its ci95
#   10 fragments_made per KB sent  11 its ci95  12 reassembled per KB sent
# Fragment counts are absent in the clean series (no HydraNet code): 0.
fig3() {
	name=$1 title=$2
	hash=$(newest_hash "$name.ini")
	if [ -z "$hash" ]; then
		skip "$name" "no summaries of scenarios/$name.ini in $DB"; return 0
	fi
	nv=$(nversions "$name.ini")
	[ "$nv" -le 1 ] || note "$name: $DB holds $nv versions of $name.ini; drawing the newest ($hash)"
	rm -f "$DATA/${name}"_*.dat
	q "WITH s AS (
	     SELECT ';' || params || ';' AS p, params, scope, name, n, mean,
	            ifnull(ci95, 0) AS ci
	     FROM summaries
	     WHERE scenario_hash = '$hash' AND instr(params, 'testbed.series=') > 0
	       AND instr(params, 'testbed.link_rate=') > 0
	       AND instr(params, 'workload.ttcp.buflen=') > 0),
	   kv AS (
	     SELECT $(kv testbed.series) AS series, $(kv testbed.link_rate) AS rate,
	            CAST($(kv workload.ttcp.buflen) AS INTEGER) AS buflen, *
	     FROM s),
	   pt AS (
	     SELECT rate, series, buflen, count(DISTINCT params) AS nparams,
	            $(pick workload:ttcp throughput_mbps n) AS n,
	            $(pick workload:ttcp throughput_mbps mean) AS tput,
	            $(pick workload:ttcp throughput_mbps ci) AS tput_ci,
	            $(pick workload:ttcp ttcp_bytes mean) AS bytes,
	            ifnull($(pick redirector fragments_made mean), 0) AS frags,
	            ifnull($(pick redirector fragments_made ci), 0) AS frags_ci,
	            ifnull($(pick hostserver reassembled mean), 0) AS reass,
	            ifnull($(pick hostserver reassembled ci), 0) AS reass_ci
	     FROM kv GROUP BY rate, series, buflen)
	   SELECT rate, series, buflen, n, tput, tput_ci, ifnull(bytes, 0),
	          frags, frags_ci, reass, reass_ci,
	          ifnull(frags * 1024.0 / bytes, 0), ifnull(frags_ci * 1024.0 / bytes, 0),
	          ifnull(reass * 1024.0 / bytes, 0), nparams
	   FROM pt WHERE tput IS NOT NULL
	   ORDER BY CAST(rate AS INTEGER), series, buflen" |
	awk -F'|' -v pre="$DATA/$name" -v name="$name" '
		$15 > 1 { dup[$1 " " $2 " " $3] = 1 }
		$4 < 2 { few = 1 }
		{
			f = pre "_" $1 "_" $2 ".dat"
			if (!(f in seen)) {
				seen[f] = 1
				print "# " name " " $1 " " $2 ": buflen n tput_mbps tput_ci95 ttcp_bytes frags_made frags_ci95 reassembled reass_ci95 frags_per_kb frags_per_kb_ci95 reass_per_kb" > f
			}
			print $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14 > f
		}
		END {
			for (k in dup) print "figures: " name ": " k " has several parameter points (--set overrides?); one is drawn" > "/dev/stderr"
			if (few) print "figures: " name ": some points have fewer than 2 runs: no confidence interval" > "/dev/stderr"
		}'
	# Link rates present, in increasing order (the panels, left to right).
	rates=$(q "SELECT DISTINCT $(kv testbed.link_rate) FROM
	             (SELECT ';' || params || ';' AS p FROM summaries
	              WHERE scenario_hash = '$hash' AND scope = 'workload:ttcp'
	                AND name = 'throughput_mbps' AND instr(params, 'testbed.link_rate=') > 0)
	           ORDER BY CAST($(kv testbed.link_rate) AS INTEGER)" | tr '\n' ' ')
	if [ -z "$rates" ]; then
		skip "$name" "no ttcp throughput_mbps summaries in $DB"; return 0
	fi
	bufs=$(q "SELECT DISTINCT CAST($(kv workload.ttcp.buflen) AS INTEGER) AS b FROM
	             (SELECT ';' || params || ';' AS p FROM summaries
	              WHERE scenario_hash = '$hash' AND scope = 'workload:ttcp'
	                AND name = 'throughput_mbps' AND instr(params, 'workload.ttcp.buflen=') > 0)
	           ORDER BY b" | tr '\n' ' ')
	runs=$(q "SELECT CASE WHEN min(n) = max(n) THEN min(n) ELSE min(n) || '-' || max(n) END
	          FROM summaries WHERE scenario_hash = '$hash'
	            AND scope = 'workload:ttcp' AND name = 'throughput_mbps'")
	# Warn about points whose transfer did not finish within stop_time.
	q "SELECT '$name: ' || params || ': ttcp_complete mean ' || mean
	   FROM summaries WHERE scenario_hash = '$hash' AND scope = 'workload:ttcp'
	     AND name = 'ttcp_complete' AND mean < 1" | sed 's/^/figures: warning: /' >&2
	# Per link rate: the y tops of the two panels (room above the data,
	# which the keys, drawn outside, do not need) and whether the CIs
	# show.  FIG3_TOPPX and FIG3_BOTPX are the plot-area heights fig3.gp
	# draws (pixels of the PNG); markers: clean ps 1.8, the others ps 1.1
	# (bandwidth), virtual host pt 9 ps 1 (fragments per KB).
	FIG3_TOPPX=360 FIG3_BOTPX=250
	ytops="" ybots="" i=0 vars=""
	for r in $rates; do
		i=$((i + 1))
		set -- "$DATA/${name}_${r}"_*.dat
		t=$(ytop 1.06 1 3+4 "$@")
		n=$(cinote "$t" "$FIG3_TOPPX" "$(awk -v k=$MARK_PX_PER_PS 'BEGIN { print "clean=" k * 1.8 ",other=" k * 1.1 }')" 3 4 2 "$@")
		vars="$vars cinote$i='bandwidth (Mb/s): $n';"
		ytops="$ytops $t"
		v=$DATA/${name}_${r}_virtualhost.dat
		if [ -s "$v" ]; then
			b=$(ytop 1.1 0.1 10+11 "$v")
			b2=$(ytop 1.1 0.1 12 "$v")
			b=$(awk -v a="$b" -v b="$b2" 'BEGIN { print (a > b) ? a : b }')
			n=$(cinote "$b" "$FIG3_BOTPX" "$MARK_PX_PER_PS" 10 11 2 "$v")
			vars="$vars cinoteb$i='fragments per KB: $n';"
		else
			b=1
			vars="$vars cinoteb$i='';"
		fi
		ybots="$ybots $b"
	done
	for term in "$PNGTERM png" "svg svg"; do
		set -- $term
		gnuplot -e "prefix='$DATA/$name'; rates='$rates'; bufs='$bufs'; nruns='$runs'; \
			figtitle='$title'; panel='${name#fig}'; ytops='$ytops'; ybots='$ybots'; \
			toppx=$FIG3_TOPPX; botpx=$FIG3_BOTPX; $vars \
			term='$1'; out='$OUT/$name.$2'" analysis/fig3.gp
	done
	produced "$OUT/$name.png" "$OUT/$name.svg"
}

fig3 fig3a "Figure 3a (HydraNet model): sustained TCP bandwidth, 486/33 SX as redirector"
fig3 fig3b "Figure 3b (HydraNet model): sustained TCP bandwidth, 486/33 SX as host server"

# ---------------------------------------------------------------------------
# Connection setup (section 4.3): connect_mean_ms per series.
# Data file columns: 1 x position  2 series  3 mean ms  4 ci95  5 n
conn_setup() {
	hash=$(newest_hash conn-setup.ini)
	if [ -z "$hash" ]; then
		skip conn-setup "no summaries of scenarios/conn-setup.ini in $DB"; return 0
	fi
	nv=$(nversions conn-setup.ini)
	[ "$nv" -le 1 ] || note "conn-setup: $DB holds $nv versions of conn-setup.ini; drawing the newest ($hash)"
	f=$DATA/conn-setup.dat
	{
		echo "# conn-setup: x series connect_mean_ms ci95 n"
		q -separator ' ' "SELECT CASE $(kv testbed.series) WHEN 'realhost' THEN 1 ELSE 2 END,
		        $(kv testbed.series), mean, ifnull(ci95, 0), n
		 FROM (SELECT ';' || params || ';' AS p, * FROM summaries)
		 WHERE scenario_hash = '$hash' AND scope = 'workload:connect'
		   AND name = 'connect_mean_ms'
		   AND $(kv testbed.series) IN ('realhost', 'virtualhost')
		 ORDER BY 1"
	} > "$f"
	# exactly one realhost (x = 1) then one virtualhost (x = 2) row
	if [ "$(grep -v '^#' "$f" | cut -d' ' -f1 | tr -d '\n')" != 12 ]; then
		skip conn-setup "need connect_mean_ms of realhost and of virtualhost, one point each, in $DB"; return 0
	fi
	# The y top: above the larger bar and above the paper's bound
	# (traditional + 0.1 ms, section 4.3), as conn-setup.gp draws it; the
	# plot area is CS_PX tall; the mean's marker is pt 7 ps 0.4.
	CS_PX=390
	t=$(awk '!/^#/ { m[$1] = $3 } END { t = m[1] + 0.1; if (m[2] > t) t = m[2]; if (m[1] > t) t = m[1]; print 1.3 * t }' "$f")
	n=$(cinote "$t" "$CS_PX" "$(awk -v k=$MARK_PX_PER_PS 'BEGIN { print k * 0.4 }')" 3 4 5 "$f")
	for term in "$PNGTERM png" "svg svg"; do
		set -- $term
		gnuplot -e "datafile='$f'; ytop=$t; plotpx=$CS_PX; cinote='connect latency (ms): $n'; term='$1'; out='$OUT/conn-setup.$2'" analysis/conn-setup.gp
	done
	produced "$OUT/conn-setup.png" "$OUT/conn-setup.svg"
}
conn_setup

# ---------------------------------------------------------------------------
# Figure 1 flash crowd: northeast.com's origin load and south.net's latency to
# it over time, per replication mode (none, static, dynamic): at each time bin
# the mean over the point's ok runs and its 95% CI (Student t, n - 1 degrees
# of freedom, as `hydranet summarize`), of the newest version of fig1-isp.ini
# and the points of the scenario as written (params exactly
# replication.mode=MODE; --set overrides are left out).
# Data files (columns: t  n runs  mean  ci95, ci95 0 when n < 2):
#   fig1-flash_load_MODE.dat: requests/s served by the origin over the 5 s
#            before t (the northeast.origin_requests series);
#   fig1-flash_lat_MODE.dat:  mean latency (s) of south.net's ok requests to
#            northeast.com (workloads s-northeast and flash) started in the
#            10 s bin centred on t, one mean per run, then across runs.
fig1_flash() {
	ofname="(scenario = 'fig1-isp.ini' OR scenario LIKE '%/fig1-isp.ini') AND status = 'ok'"
	hash=$(q "SELECT scenario_hash FROM runs WHERE $ofname
		  ORDER BY started_at DESC, id DESC LIMIT 1")
	if [ -z "$hash" ]; then
		skip fig1-flash "no runs of scenarios/fig1-isp.ini in $DB"; return 0
	fi
	nv=$(q "SELECT count(DISTINCT scenario_hash) FROM runs WHERE $ofname")
	[ "$nv" -le 1 ] || note "fig1-flash: $DB holds $nv versions of fig1-isp.ini; drawing the newest ($hash)"
	rm -f "$DATA/fig1-flash"_*.dat
	n=0 runs=""
	for mode in none static dynamic; do
		runids="SELECT id FROM runs WHERE $ofname AND scenario_hash = '$hash'
			AND params = 'replication.mode=$mode'"
		k=$(q "SELECT count(*) FROM ($runids)")
		[ "$k" -gt 0 ] || continue
		n=$((n + 1))
		runs="$runs $k"
		{
			echo "# fig1-flash load $mode: t n origin_requests_per_s_mean ci95"
			q -separator ' ' "SELECT a.x, a.run_id, (a.y - b.y) / (a.x - b.x) FROM series a JOIN series b
				ON b.run_id = a.run_id AND b.series = a.series
				AND b.x = (SELECT max(x) FROM series c WHERE c.run_id = a.run_id
					   AND c.series = a.series AND c.x < a.x)
				WHERE a.run_id IN ($runids) AND a.series = 'northeast.origin_requests'
				ORDER BY a.x, a.run_id" | meanci
		} > "$DATA/fig1-flash_load_$mode.dat"
		{
			echo "# fig1-flash lat $mode: t n latency_s_mean ci95"
			q -separator ' ' "SELECT 10 * CAST(start_s / 10 AS INTEGER) + 5, run_id, avg(latency_s) FROM requests
				WHERE run_id IN ($runids) AND workload IN ('s-northeast', 'flash') AND ok = 1
				GROUP BY run_id, CAST(start_s / 10 AS INTEGER) ORDER BY 1, 2" | meanci
		} > "$DATA/fig1-flash_lat_$mode.dat"
	done
	if [ "$n" -ne 3 ]; then
		skip fig1-flash "need ok runs of replication.mode none, static and dynamic of fig1-isp.ini ($hash) in $DB"; return 0
	fi
	# runs per mode: "3", or "2-3" when the modes differ
	nruns=$(echo $runs | awk '{ lo = hi = $1; for (i = 2; i <= NF; i++) { if ($i < lo) lo = $i; if ($i > hi) hi = $i }
		print (lo == hi) ? lo : lo "-" hi }')
	# The y axes start at 0 and end above the largest mean + CI; the plot
	# areas are FIG1_TOPPX and FIG1_BOTPX pixels tall (fig1-flash.gp).  The
	# load is drawn as lines (lw 2: 2 px, half 1 px) with the CI as a band,
	# the latency as markers (pt 7 ps 0.8) with error bars.
	FIG1_TOPPX=230 FIG1_BOTPX=230
	set -- "$DATA"/fig1-flash_load_*.dat
	ltop=$(ytop 1.08 1 3+4 "$@")
	lnote=$(cinote "$ltop" "$FIG1_TOPPX" 1 3 4 2 "$@" |
		sed 's/smaller than the markers/narrower than the line/; s/error bars visible/band visible/')
	set -- "$DATA"/fig1-flash_lat_*.dat
	ttop=$(ytop 1.08 0.1 3+4 "$@")
	tnote=$(cinote "$ttop" "$FIG1_BOTPX" "$(awk -v k=$MARK_PX_PER_PS 'BEGIN { print k * 0.8 }')" 3 4 2 "$@")
	for term in "$PNGTERM png" "svg svg"; do
		set -- $term
		gnuplot -e "prefix='$DATA/fig1-flash'; nruns='$nruns'; ltop=$ltop; ttop=$ttop; \
			toppx=$FIG1_TOPPX; botpx=$FIG1_BOTPX; \
			cinotel='origin load: $lnote'; cinotet='latency: $tnote'; \
			term='$1'; out='$OUT/fig1-flash.$2'" analysis/fig1-flash.gp
	done
	produced "$OUT/fig1-flash.png" "$OUT/fig1-flash.svg"
}
fig1_flash

# ---------------------------------------------------------------------------
# Figure 5 (HydraWeb): the texas workload's service-latency distribution, all
# runs of the newest version of fig5a.ini (no replica) / fig5b.ini (replica)
# pooled, and the ping trace of run 1.  The runs drawn are those of the
# scenario as written (params '') when DB has any, else of the newest run's
# parameter point (--set overrides); other points of the same file are noted
# and left out.
# Data files fig5X_hist.dat: bin centre (s), then the fraction of all ok
#            requests in that bin: all, cache hits, misses, no verdict;
#            fig5X_ping.dat:  ping send time (s), RTT (ms) of run 1.
FIG5_XMAX=6     # latency range drawn (s); slower requests are counted in a note
fig5() {
	name=$1
	ofname="(scenario = '$name.ini' OR scenario LIKE '%/$name.ini') AND status = 'ok'"
	hash=$(q "SELECT scenario_hash FROM runs WHERE $ofname
		  ORDER BY started_at DESC, id DESC LIMIT 1")
	if [ -z "$hash" ]; then
		skip "$name" "no runs of scenarios/$name.ini in $DB"; return 0
	fi
	nv=$(q "SELECT count(DISTINCT scenario_hash) FROM runs WHERE $ofname")
	[ "$nv" -le 1 ] || note "$name: $DB holds $nv versions of $name.ini; drawing the newest ($hash)"
	params=$(q "SELECT params FROM runs WHERE $ofname AND scenario_hash = '$hash'
		    ORDER BY params <> '', started_at DESC, id DESC LIMIT 1" | sed "s/'/''/g")
	np=$(q "SELECT count(DISTINCT params) FROM runs WHERE $ofname AND scenario_hash = '$hash'")
	[ "$np" -le 1 ] || note "$name: $np parameter points (--set overrides?) of $name.ini ($hash); drawing params '$params'"
	sel="scenario_hash = '$hash' AND params = '$params' AND status = 'ok'"
	runids="SELECT id FROM runs WHERE $sel"
	nruns=$(q "SELECT count(*) FROM runs WHERE $sel")
	# the ping trace's run: run 1 (the newest if several seeds), else the lowest
	set -- $(q -separator ' ' "SELECT id, run_number FROM runs WHERE $sel
		 ORDER BY run_number <> 1, run_number, started_at DESC, id DESC LIMIT 1")
	run=$1 runno=$2
	# bin width: the model's own histogram's (the [output] hist_bin key,
	# stored with the run; empty bins are not stored, so it cannot be read
	# off the spacing), 50 ms for runs that lack it
	binw=$(q "SELECT ifnull(max(value), 0.05) FROM metrics
		  WHERE run_id = $run AND scope = 'workload:texas' AND name = 'latency_hist_bin_s'")
	set -- $(q -separator ' ' "SELECT count(*), ifnull(sum(ok = 1 AND latency_s IS NOT NULL), 0),
		   ifnull(sum(ok = 1 AND latency_s IS NOT NULL AND cache = 'hit'), 0),
		   ifnull(sum(ok = 1 AND latency_s IS NOT NULL AND cache = 'miss'), 0),
		   ifnull(sum(ok = 1 AND latency_s > $FIG5_XMAX), 0),
		   ifnull(max(CASE WHEN ok = 1 THEN latency_s END), 0)
		 FROM requests WHERE workload = 'texas' AND run_id IN ($runids)")
	nall=$1 nreq=$2 nhit=$3 nmiss=$4 nbeyond=$5 maxlat=$6
	if [ "$nreq" -eq 0 ]; then
		skip "$name" "no completed requests of workload texas in the runs of $name.ini ($hash) in $DB"; return 0
	fi
	q -separator ' ' "WITH r AS (
		   SELECT CAST(latency_s / $binw AS INTEGER) AS b, cache FROM requests
		   WHERE workload = 'texas' AND ok = 1 AND latency_s IS NOT NULL
		     AND run_id IN ($runids))
		 SELECT (b + 0.5) * $binw, count(*) * 1.0 / $nreq,
		        total(cache = 'hit') / $nreq, total(cache = 'miss') / $nreq,
		        total(cache IS NULL OR cache NOT IN ('hit', 'miss')) / $nreq
		 FROM r GROUP BY b ORDER BY b" > "$DATA/${name}_hist.dat"
	q -separator ' ' "SELECT x, y FROM series WHERE run_id = $run
		 AND series = 'texas.ping_rtt_ms' ORDER BY x" > "$DATA/${name}_ping.dat"
	# met NAME: the metric of run $run in scope workload:texas, -1 if absent
	met() { q "SELECT ifnull((SELECT value FROM metrics WHERE run_id = $run
		   AND scope = 'workload:texas' AND name = '$1'), -1)"; }
	# mean NAME CINAME: "n mean ci95" across the runs (summaries); when
	# fewer than 2 runs, the run's own CI over its requests (metric CINAME)
	mean() {
		set -- "$1" "$2" $(q -separator ' ' "SELECT n, mean, ifnull(ci95, -1) FROM summaries
			 WHERE scenario_hash = '$hash' AND params = '$params'
			   AND scope = 'workload:texas' AND name = '$1'")
		if [ $# -lt 5 ]; then echo "0 -1 0"
		elif [ "$3" -ge 2 ] && [ "$5" != -1 ]; then echo "$3 $4 $5"
		else echo "$3 $4 $(met "$2")"; fi
	}
	set -- $(mean latency_mean_s latency_ci95_s)
	cin=$1 lmean=$2 lci=$3
	set -- $(mean latency_hit_mean_s latency_hit_ci95_s)
	hmean=$2 hci=$3
	set -- $(mean latency_miss_mean_s latency_miss_ci95_s)
	mmean=$2 mci=$3
	[ "$cin" -eq "$nruns" ] || note "$name: summaries of latency_mean_s count $cin runs, requests come from $nruns"
	[ "$nall" -eq "$nreq" ] || note "$name: $((nall - nreq)) of $nall requests failed (not drawn)"
	if [ "$name" = fig5b ] && [ "$nhit" -eq 0 ]; then
		note "warning: $name: no cache hits in the runs drawn (replica manager off?)" >&2
	fi
	if [ "$name" = fig5a ] && [ "$nhit" -gt 0 ]; then
		note "warning: $name: $nhit cache hits in the no-replica runs (replica manager on?)" >&2
	fi
	# Can the CIs of the means be seen?  fig5.gp draws each mean as a pt 7
	# ps 1 marker with its CI as a horizontal error bar, on an x axis of
	# FIG5_XMAX s that is FIG5_PX pixels wide (0.09 to 0.97 of 1100).
	FIG5_PX=968
	cin5=$(awk -v px=$FIG5_PX -v xm=$FIG5_XMAX -v h=$MARK_PX_PER_PS -v panel="${name#fig5}" \
		-v m="$lmean" -v c="$lci" -v hm="$hmean" -v hc="$hci" -v mm="$mmean" -v mc="$mci" '
		function one(what, mean, ci) {
			if (mean < 0) return ""
			if (ci < 0) return what ": no CI"
			return what ((ci / xm * px < h + 1) ? ": 95% CI smaller than its marker" : ": 95% CI drawn")
		}
		BEGIN {
			if (panel == "a") s = one("mean", m, c)
			else { s = one("hit mean", hm, hc); t = one("miss mean", mm, mc)
			       s = (s != "" && t != "") ? s "; " t : s t }
			print s
		}')
	pmean=$(met ping_rtt_mean_ms) psent=$(met ping_sent) precv=$(met ping_received)
	panel=${name#fig5}
	for term in "$PNGTERM png" "svg svg"; do
		set -- $term
		gnuplot -e "panel='$panel'; histfile='$DATA/${name}_hist.dat'; \
			pingfile='$DATA/${name}_ping.dat'; binw=$binw; xmax=$FIG5_XMAX; \
			nreq=$nreq; nfail=$((nall - nreq)); nruns=$nruns; nhit=$nhit; nmiss=$nmiss; \
			nbeyond=$nbeyond; maxlat=$maxlat; mean=$lmean; ci=$lci; cin=$cin; \
			hmean=$hmean; hci=$hci; mmean=$mmean; mci=$mci; pingrun=$runno; \
			pmean=$pmean; psent=$psent; precv=$precv; cinote5='$cin5'; term='$1'; out='$OUT/$name.$2'" analysis/fig5.gp
	done
	produced "$OUT/$name.png" "$OUT/$name.svg"
}
fig5 fig5a
fig5 fig5b

# Failover (EXPERIMENTS.md, "Failover"): from its own database.
sh tools/failover-figure.sh "${FAILOVER_DB:-results/failover.sqlite}"

# ---------------------------------------------------------------------------
# Figure 3a and 3b per MTU remedy (tools/mtu-remedies.sh writes its own
# database, REMEDIES_DB, default results/mtu-remedies.sqlite): one line per
# remedy, the mean throughput of its runs per write size.
REMEDIES_DB=${REMEDIES_DB:-results/mtu-remedies.sqlite}
remedies_fig() {
	fig=$1 name=$1-remedies
	if [ ! -f "$REMEDIES_DB" ]; then
		skip "$name" "no $REMEDIES_DB (sh tools/mtu-remedies.sh)"; return 0
	fi
	nruns=$(sqlite3 -readonly "$REMEDIES_DB" "SELECT max(n) FROM (SELECT count(*) AS n FROM runs
		WHERE scenario LIKE '$1-%' AND status = 'ok' GROUP BY scenario, params)")
	if [ -z "$nruns" ]; then
		skip "$name" "no runs of $1 in $REMEDIES_DB"; return 0
	fi
	for r in 10 100; do
		sqlite3 -readonly -batch -noheader -separator ' ' "$REMEDIES_DB" "
		  WITH m AS (
		    SELECT substr(r.scenario, length('$1-') + 1) AS remedy,
		      CAST(substr(r.params, instr(r.params, 'buflen=') + 7) AS INTEGER) AS buflen,
		      avg(x.value) AS v
		    FROM runs r JOIN metrics x ON x.run_id = r.id
		    WHERE r.scenario LIKE '$1-%' AND r.status = 'ok' AND x.name = 'throughput_mbps'
		      AND instr(r.params, 'link_rate=${r}Mbps') > 0
		    GROUP BY r.scenario, r.params)
		  SELECT buflen,
		    ifnull(printf('%.3f', max(CASE WHEN remedy = 'none' THEN v END)), '-'),
		    ifnull(printf('%.3f', max(CASE WHEN remedy = 'inner' THEN v END)), '-'),
		    ifnull(printf('%.3f', max(CASE WHEN remedy = 'inner64k' THEN v END)), '-'),
		    ifnull(printf('%.3f', max(CASE WHEN remedy = 'pmtud' THEN v END)), '-'),
		    ifnull(printf('%.3f', max(CASE WHEN remedy = 'mss1440' THEN v END)), '-'),
		    ifnull(printf('%.3f', max(CASE WHEN remedy = 'mtu1520' THEN v END)), '-'),
		    ifnull(printf('%.3f', max(CASE WHEN remedy = 'blackhole' THEN v END)), '-')
		  FROM m GROUP BY buflen ORDER BY buflen" > "$DATA/${name}_$r.dat"
	done
	for term in "$PNGTERM png" "svg svg"; do
		set -- $term
		gnuplot -e "prefix='$DATA/$name'; nruns='$nruns'; \
			figtitle='Figure ${fig#fig} again, virtual host series, per MTU remedy'; \
			term='$1'; out='$OUT/$name.$2'" analysis/fig3-remedies.gp
	done
	produced "$OUT/$name.png" "$OUT/$name.svg"
}
remedies_fig fig3a
remedies_fig fig3b

# HydraNet against the alternatives (EXPERIMENTS.md): its data comes from
# tools/alternatives-table.sh (make reproduce), not from DB.
alternatives() {
	f=$DATA/alternatives.dat
	if [ ! -s "$f" ]; then
		note "skip alternatives: no $f (sh tools/alternatives-table.sh $HYDRANET OUT.md writes it)"
		skipped=$((skipped + 1))
		return 0
	fi
	for term in "$PNGTERM png" "svg svg"; do
		set -- $term
		gnuplot -e "datafile='$f'; term='$1'; out='$OUT/alternatives.$2'" analysis/alternatives.gp
	done
	produced "$OUT/alternatives.png" "$OUT/alternatives.svg"
	f=$DATA/alternatives-failure.dat
	if [ ! -s "$f" ]; then
		note "skip alternatives-failure: no $f (sh tools/alternatives-table.sh $HYDRANET OUT.md writes it)"
		skipped=$((skipped + 1))
		return 0
	fi
	for term in "$PNGTERM png" "svg svg"; do
		set -- $term
		gnuplot -e "datafile='$f'; term='$1'; out='$OUT/alternatives-failure.$2'" analysis/alternatives-failure.gp
	done
	produced "$OUT/alternatives-failure.png" "$OUT/alternatives-failure.svg"
}
alternatives

echo "figures: $drawn drawn into $OUT/ from $DB ($skipped skipped)"
