#!/bin/sh
# test_export.sh - hydranet export: one row per run (CSV per RFC 4180, JSON),
# the parameter and metric columns, empty cells for a missing metric, the
# per-point summary against hydranet summarize, --scenario and --out; and
# analysis/hydranet_results.py on the same database (pandas if installed,
# else its csv-module fallback: on Debian without python3-pandas only the
# fallback path is tested).
. tests/scenario/lib.sh
scn=tests/scenario/http-analytic.ini
db=$T/x.sqlite
# A 2-point sweep, 2 runs each, a lossy link so that runs differ.
$HYDRANET run "$scn" --set 'link.client-router.delay=${10,50}ms' \
	--set link.router-origin.loss=0.05 --runs 2 --db "$db" --quiet || die "run failed"
expect "runs" "$(q "$db" "SELECT count(*) FROM runs")" 4

$HYDRANET export "$db" > "$T/runs.csv" || die "export failed"
cr=$(printf '\r')
expect "CSV lines" "$(wc -l < "$T/runs.csv" | tr -d ' ')" 5
expect "CRLF line ends" "$(grep -c "$cr\$" "$T/runs.csv")" 5
tr -d '\r' < "$T/runs.csv" > "$T/runs.lf"
metrics=$(q "$db" "SELECT group_concat(c, ',') FROM (SELECT DISTINCT scope || '.' || name AS c
	FROM metrics ORDER BY scope, name)")
want="id,scenario,scenario_hash,params,seed,run_number,status,wall_seconds,sim_seconds,events,code_version,link.client-router.delay,link.router-origin.loss,$metrics"
expect "header" "$(head -1 "$T/runs.lf")" "$want"
# A metric cell equals the metrics table's value (as a number, exactly).
col=$(head -1 "$T/runs.lf" | tr ',' '\n' | grep -nx 'workload:fetch.latency_mean_s' | cut -d: -f1)
[ -n "$col" ] || die "no latency_mean_s column"
for id in 1 2 3 4; do
	v=$(awk -F, -v id="$id" -v c="$col" '$1 == id { print $c }' "$T/runs.lf")
	[ -n "$v" ] || die "run $id: empty latency_mean_s"
	expect "run $id latency_mean_s = metrics" "$(q "$db" "SELECT value = $v FROM metrics
		WHERE run_id = $id AND scope = 'workload:fetch' AND name = 'latency_mean_s'")" 1
done
expect "run 3 delay" "$(awk -F, '$1 == 3 { print $12 }' "$T/runs.lf")" 50ms
expect "run 3 loss" "$(awk -F, '$1 == 3 { print $13 }' "$T/runs.lf")" 0.05
expect "run 3 params" "$(awk -F, '$1 == 3 { print $4 }' "$T/runs.lf")" \
	"link.client-router.delay=50ms;link.router-origin.loss=0.05"
# the two runs of a point differ (the lossy link): the CI below is not trivially 0
[ "$(awk -F, -v c="$col" '$1 == 1 { print $c }' "$T/runs.lf")" != \
  "$(awk -F, -v c="$col" '$1 == 2 { print $c }' "$T/runs.lf")" ] || die "runs 1 and 2 are equal"

# A metric a run lacks is an empty cell (JSON null).
sqlite3 "$db" "DELETE FROM metrics WHERE run_id = 2 AND scope = 'workload:fetch' AND name = 'latency_p99_s'"
$HYDRANET export "$db" | tr -d '\r' > "$T/runs2.lf" || die "export failed"
c99=$(head -1 "$T/runs2.lf" | tr ',' '\n' | grep -nx 'workload:fetch.latency_p99_s' | cut -d: -f1)
expect "missing metric cell" "$(awk -F, -v c="$c99" '$1 == 2 { print "[" $c "]" }' "$T/runs2.lf")" "[]"
[ "$(awk -F, -v c="$c99" '$1 == 1 { print $c }' "$T/runs2.lf")" != "" ] || die "run 1 lost p99"

# JSON: an array of objects, numbers as numbers, null for the missing metric.
$HYDRANET export "$db" --format json > "$T/runs.json" || die "export json failed"
python3 - "$T/runs.json" "$db" <<'PY' || die "JSON check failed"
import json, sqlite3, sys
rows = json.load(open(sys.argv[1]))
con = sqlite3.connect(sys.argv[2])
assert isinstance(rows, list) and len(rows) == 4, len(rows)
r = {x["id"]: x for x in rows}
assert isinstance(r[1]["seed"], int) and isinstance(r[1]["wall_seconds"], float)
assert r[3]["link.client-router.delay"] == "50ms", r[3]
assert r[3]["link.router-origin.loss"] == 0.05 and isinstance(r[3]["link.router-origin.loss"], float)
assert r[2]["workload:fetch.latency_p99_s"] is None
for i in r:
    v = con.execute("SELECT value FROM metrics WHERE run_id = ? AND scope = 'workload:fetch' "
                    "AND name = 'latency_mean_s'", (i,)).fetchone()[0]
    assert r[i]["workload:fetch.latency_mean_s"] == v, (i, v)
PY

# RFC 4180 quoting: a scenario name with a comma and double quotes.
$HYDRANET run "$scn" --name 'my "fig", v2' --db "$db" --quiet || die "named run failed"
$HYDRANET export "$db" --out "$T/all.csv" || die "export --out failed"
grep -q '^5,"my ""fig"", v2",' "$T/all.csv" || die "scenario name not quoted: $(grep '^5,' "$T/all.csv")"
python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert len(rows) == 5 and rows[4]["scenario"] == "my \"fig\", v2", rows[4]["scenario"]
assert rows[4]["link.client-router.delay"] == "" and rows[4]["params"] == ""
' "$T/all.csv" || die "csv module cannot read the export back"
# --scenario keeps one scenario's runs; --out equals stdout.
$HYDRANET export "$db" --scenario 'my "fig", v2' | tr -d '\r' > "$T/one.lf"
expect "--scenario rows" "$(wc -l < "$T/one.lf" | tr -d ' ')" 2
$HYDRANET export "$db" > "$T/all2.csv"
cmp -s "$T/all.csv" "$T/all2.csv" || die "--out differs from stdout"
$HYDRANET export "$db" --scenario nope 2> "$T/err" && die "unknown --scenario succeeded"
grep -q "$scn (4 runs)" "$T/err" || die "unknown --scenario does not list the scenarios: $(cat "$T/err")"
$HYDRANET export "$db" --format xml 2> /dev/null; expect "bad --format status" $? 2
$HYDRANET export "$T/none.sqlite" 2> /dev/null; expect "missing DB status" $? 2
[ ! -e "$T/none.sqlite" ] || die "export created a database"

# --summary: one row per point, n, mean and ci95 as hydranet summarize.
$HYDRANET summarize "$db" > /dev/null || die "summarize failed"
$HYDRANET export "$db" --summary --format json > "$T/sum.json" || die "export --summary failed"
$HYDRANET export "$db" --summary | tr -d '\r' > "$T/sum.lf"
expect "summary CSV lines" "$(wc -l < "$T/sum.lf" | tr -d ' ')" 4
python3 - "$T/sum.json" "$db" <<'PY' || die "summary check failed"
import json, sqlite3, sys
rows = json.load(open(sys.argv[1]))
con = sqlite3.connect(sys.argv[2])
assert len(rows) == 3, len(rows)
assert [r["n"] for r in rows] == [2, 2, 1], [r["n"] for r in rows]
assert list(rows[0])[:6] == ["scenario", "scenario_hash", "params", "link.client-router.delay",
                             "link.router-origin.loss", "n"], list(rows[0])[:6]
for r in rows:
    for scope, name, n, mean, ci in con.execute(
            "SELECT scope, name, n, mean, ci95 FROM summaries WHERE scenario_hash = ? AND params = ?",
            (r["scenario_hash"], r["params"])):
        m = f"{scope}.{name}"
        assert abs(r[m + ".mean"] - mean) <= 1e-12 * max(1, abs(mean)), (m, r[m + ".mean"], mean)
        if ci is None:
            assert r[m + ".ci95"] is None, m
        else:
            assert abs(r[m + ".ci95"] - ci) <= 1e-12 * max(1, abs(ci)), (m, r[m + ".ci95"], ci)
lat = rows[0]["workload:fetch.latency_mean_s.ci95"]
assert lat > 0, lat
PY

# The Python reader: the export's columns and values (pandas or the fallback).
python3 - "$db" "$T/all.csv" <<'PY' 2> "$T/py.err" || die "hydranet_results.py failed: $(cat "$T/py.err")"
import csv, sys
sys.path.insert(0, "analysis")
import hydranet_results as hr
runs = hr.load_runs(sys.argv[1])
with open(sys.argv[2], newline="") as f:
    header = next(csv.reader(f))
if hr._pd is not None:
    assert list(runs.columns) == header, (list(runs.columns), header)
    rows = runs.to_dict("records")
else:
    assert list(runs[0].keys()) == header, (list(runs[0].keys()), header)
    rows = runs
assert len(rows) == 5
assert rows[2]["link.client-router.delay"] == "50ms"
q = hr.load_requests(sys.argv[1])
assert len(q) == 50, len(q)
qrows = q.to_dict("records") if hr._pd is not None else q
assert sorted({r["outcome"] for r in qrows}) == ["ok"], {r["outcome"] for r in qrows}
s = hr.load_series(sys.argv[1], "fetch.latency_hist.all")
assert len(s) > 0
PY
python3 -c 'import pandas' 2> /dev/null ||
	grep -q "pandas is not installed" "$T/py.err" || die "no fallback note without pandas"
python3 analysis/hydranet_results.py "$db" > "$T/py.out" 2> /dev/null || die "hydranet_results.py DB failed"
grep -q "load_runs: 5 rows; parameter columns: link.client-router.delay, link.router-origin.loss" \
	"$T/py.out" || die "script summary: $(cat "$T/py.out")"
