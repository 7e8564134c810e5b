#!/bin/sh
# test_plot.sh - hydranet plot: mean and 95% CI of a metric against a swept
# parameter through gnuplot (PNG, SVG and the script), one line per
# --series value; the numbers drawn are the export's point summaries; the
# notes (CIs smaller than the markers, one run per point); units; clear
# errors (exit 2) for unknown metrics and parameters and for a parameter
# that varies but is neither x nor series.
. tests/scenario/lib.sh
command -v gnuplot > /dev/null || die "gnuplot is not installed (apt-get install gnuplot-nox)"
scn=tests/scenario/http-analytic.ini
db=$T/x.sqlite
M=workload:fetch.latency_mean_s
$HYDRANET run "$scn" --set 'link.client-router.delay=${10,30,50}ms' \
	--set 'link.router-origin.rate=${1,2}Mbps' --set link.router-origin.loss=0.05 --runs 3 \
	--db "$db" --quiet || die "run failed"
expect "runs" "$(q "$db" "SELECT count(*) FROM runs")" 18

$HYDRANET plot "$db" --metric $M --x delay --series rate --out "$T/fig.png" \
	--title "Fetch latency" > "$T/out" || die "plot failed"
for f in fig.png fig.svg fig.gp; do [ -s "$T/$f" ] || die "$f missing or empty"; done
expect "PNG magic" "$(head -c 4 "$T/fig.png" | od -An -c | tr -d ' ')" '211PNG'
grep -q '<svg' "$T/fig.svg" || die "fig.svg is not SVG"
grep -q 'with yerrorlines' "$T/fig.gp" || die "no error bars in the script"
grep -q 'set key outside' "$T/fig.gp" || die "legend not outside"
grep -q "set title 'Fetch latency'" "$T/fig.gp" || die "title not set"
grep -q "set xlabel 'link.client-router.delay (ms)'" "$T/fig.gp" || die "x label: $(grep xlabel "$T/fig.gp")"
expect "data rows printed" "$(grep -c 'Mbps	' "$T/out")" 6
expect "lines" "$(grep -c '^\$s[0-9]* << EOD' "$T/fig.gp")" 2
# what is drawn is the point's mean and CI, as the export's summary has them
p=$(grep "^2Mbps	30ms	" "$T/out") || die "no 2Mbps 30ms row: $(cat "$T/out")"
$HYDRANET export "$db" --summary --format json > "$T/sum.json" || die "export failed"
python3 - "$T/sum.json" "$p" "$M" <<'PY' || die "plotted values differ from the summary"
import json, sys
rows = json.load(open(sys.argv[1]))
_, _, n, mean, ci = sys.argv[2].split("\t")
m = sys.argv[3]
r = [r for r in rows if r["link.client-router.delay"] == "30ms" and r["link.router-origin.rate"] == "2Mbps"]
assert len(r) == 1 and r[0]["n"] == int(n) == 3
assert abs(r[0][m + ".mean"] - float(mean)) <= 1e-5 * abs(float(mean))
assert r[0][m + ".ci95"] > 0 and abs(r[0][m + ".ci95"] - float(ci)) <= 1e-5 * float(ci)
PY
# the data block holds x as a number (ms, as written) and the CI half width
grep -q '^30 ' "$T/fig.gp" || die "x not plotted as 30 (ms)"

# Another parameter varies: refused, named; --where fixes it.
$HYDRANET plot "$db" --metric $M --x delay --out "$T/bad" 2> "$T/err"
expect "varying parameter status" $? 2
grep -q 'link.router-origin.rate also varies' "$T/err" || die "message: $(cat "$T/err")"
$HYDRANET plot "$db" --metric $M --x link.client-router.delay --where link.router-origin.rate=1Mbps \
	--out "$T/one" > "$T/out1" || die "plot --where failed"
expect "--where rows" "$(grep -c 'ms	3	' "$T/out1")" 3
[ -s "$T/one.png" ] && [ -s "$T/one.svg" ] || die "--where: no figure"

# Unknown metric or parameter: exit 2, listing what exists; nothing drawn.
$HYDRANET plot "$db" --metric workload:fetch.nope --x delay --out "$T/u1" 2> "$T/err"
expect "unknown metric status" $? 2
grep -qx "  $M" "$T/err" || die "unknown metric does not list the metrics: $(cat "$T/err")"
$HYDRANET plot "$db" --metric $M --x link.ab.nope --out "$T/u2" 2> "$T/err"
expect "unknown parameter status" $? 2
grep -qx '  link.client-router.delay' "$T/err" || die "unknown x does not list the parameters"
grep -qx '  link.router-origin.rate' "$T/err" || die "unknown x does not list rate"
[ ! -e "$T/u1.png" ] && [ ! -e "$T/u2.png" ] || die "a figure was written after an error"

# Deterministic runs: every CI (0) is smaller than its marker, said on the figure.
$HYDRANET run "$scn" --set 'link.client-router.delay=${500us,1ms,2ms}' --runs 2 \
	--db "$T/det.sqlite" --quiet || die "run det failed"
$HYDRANET plot "$T/det.sqlite" --metric $M --x delay --out "$T/det" > /dev/null || die "plot det failed"
grep -q 'every CI is smaller than its marker' "$T/det.gp" || die "no small-CI note"
# mixed units of one kind are converted to the base unit: 500us -> 0.0005 s
grep -q "set xlabel 'link.client-router.delay (s)'" "$T/det.gp" || die "mixed units not in s"
grep -q '^0.00050000000000000001 \|^0.0005 ' "$T/det.gp" || die "500us not at 0.0005 s"
# One run per point: no CI, said so.
$HYDRANET plot "$T/det.sqlite" --metric $M --x delay --where simulation.nope=1 --out "$T/x" 2> /dev/null
expect "unknown --where status" $? 2
sqlite3 "$T/det.sqlite" "DELETE FROM metrics WHERE run_id IN (SELECT id FROM runs WHERE run_number = 2);
	DELETE FROM runs WHERE run_number = 2"
$HYDRANET plot "$T/det.sqlite" --metric $M --x delay --out "$T/n1" > /dev/null || die "plot n1 failed"
grep -q 'no 95% CI with one run per point' "$T/n1.gp" || die "no one-run note"
