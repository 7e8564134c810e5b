#!/bin/sh
# failover-figure.sh [DB] - analysis/figures/failover.png and .svg from the
# runs of scenarios/fig1-failover.ini in DB (results/failover.sqlite, from
# tools/reproduce.sh): south.net's requests around the crash of hs-s, passive
# detection (30 s lifetime) against active (probes every 0.5 s and 2 s), by
# analysis/failover.gp; and analysis/figures/failover-schemes.png and .svg,
# the requests broken per affinity scheme (analysis/failover-schemes.gp).
# Skipped with a note when DB lacks those points.
set -eu
DB=${1:-results/failover.sqlite}
OUT=analysis/figures
DATA=$OUT/data
[ -f "$DB" ] || { echo "failover-figure: skip (no $DB)"; exit 0; }
mkdir -p "$DATA"
if gnuplot -e "set terminal" 2>&1 | grep -q pngcairo; then PNGTERM=pngcairo; else PNGTERM=png; fi
# The points: name|params (exactly as stored in runs.params)|title
points='passive|node.hs-s.announce_lifetime=30s;node.hs-s.announce_refresh=5s|passive, lifetime 30 s
active05|node.red-sw.health_check=true;node.red-sw.hc_interval=0.5s;node.red-s.health_check=true;node.red-s.hc_interval=0.5s;node.red-se.health_check=true;node.red-se.hc_interval=0.5s|active, probes every 0.5 s
active2|node.red-sw.health_check=true;node.red-sw.hc_interval=2s;node.red-s.health_check=true;node.red-s.hc_interval=2s;node.red-se.health_check=true;node.red-se.hc_interval=2s|active, probes every 2 s'
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
echo "$points" > "$tmp"
k=0 nruns=0 t1="" t2="" t3=""
while IFS='|' read -r name params title; do
	k=$((k + 1))
	n=$(sqlite3 -readonly "$DB" "SELECT count(*) FROM runs WHERE scenario LIKE '%fig1-failover.ini'
		AND status = 'ok' AND params = '$params'")
	[ "$n" -gt 0 ] || { echo "failover-figure: skip (no runs of $params in $DB)"; exit 0; }
	sqlite3 -readonly -separator ' ' "$DB" "
		SELECT cast(q.start_s / 2 AS int) * 2, count(*), sum(q.ok),
		       ifnull(avg(CASE WHEN q.ok THEN q.latency_s END), 0)
		FROM requests q JOIN runs r ON r.id = q.run_id
		WHERE r.scenario LIKE '%fig1-failover.ini' AND r.status = 'ok' AND r.params = '$params'
		  AND q.client = 'clients-s' AND q.start_s BETWEEN 110 AND 210
		GROUP BY 1 ORDER BY 1" > "$DATA/failover_$name.dat"
	eval "t$k=\$title"
	nruns=$n
done < "$tmp"
for term in "$PNGTERM png" "svg svg"; do
	set -- $term
	gnuplot -e "prefix='$DATA/failover'; names='passive active05 active2'; t1='$t1'; t2='$t2'; t3='$t3'; nruns='$nruns'; term='$1'; out='$OUT/failover.$2'" \
		analysis/failover.gp
done
echo "  $OUT/failover.png $OUT/failover.svg"

# Requests broken per affinity scheme: hs-s's crash under active detection
# (probes every 1 s) and red-s's restart, each scheme on every redirector.
f=$DATA/failover_schemes.dat
: > "$f"
for sch in "nearest true" "nearest false" "maglev true" "maglev false"; do
	set -- $sch
	sets=""
	[ "$1" = maglev ] && sets="node.red-s.policy=maglev;node.red-sw.policy=maglev;node.red-se.policy=maglev"
	[ "$2" = false ] && sets="$sets${sets:+;}node.red-s.flow_table=false;node.red-sw.flow_table=false;node.red-se.flow_table=false"
	crash="node.red-sw.health_check=true;node.red-s.health_check=true;node.red-se.health_check=true${sets:+;}$sets"
	restart="failure.crash.target=red-s;failure.restart.target=red-s;failure.restart.at=130.5s${sets:+;}$sets"
	m() {   # m PARAMS SCOPE NAME: the metric's mean over the point's runs
		sqlite3 -readonly "$DB" "SELECT ifnull(avg(x.value), 0) FROM runs r JOIN metrics x ON x.run_id = r.id
			WHERE r.scenario LIKE '%fig1-failover.ini' AND r.status = 'ok' AND r.params = '$1'
			  AND x.scope = '$2' AND x.name = '$3'"
	}
	label="$1"
	[ "$2" = true ] && label="$label + flow table" || label="$label, no flow table"
	after=$(awk -v a="$(m "$crash" failure:crash failed_before_detection)" -v b="$(m "$crash" failure:crash failed_after_detection)" 'BEGIN { print a + b }')
	printf '"%s" %s %s %s\n' "$label" "$(m "$crash" failure:crash broken)" "$after" "$(m "$restart" failure:crash broken)" >> "$f"
done
for term in "$PNGTERM png" "svg svg"; do
	set -- $term
	gnuplot -e "datafile='$f'; nruns='$nruns'; term='$1'; out='$OUT/failover-schemes.$2'" analysis/failover-schemes.gp
done
echo "  $OUT/failover-schemes.png $OUT/failover-schemes.svg"
