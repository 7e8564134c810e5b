#!/bin/sh
# test_waf.sh - waf-wrapper/waf, the ns-3 habit: --run "NAME --Key=Value"
# maps to build/hydranet run scenarios/NAME.ini --set Key=Value, with the same
# results; sweeps pass through unexpanded; bad usage fails with a message.
# (waf always runs build/hydranet; $HYDRANET is the direct run compared to.)
. tests/scenario/lib.sh
waf=waf-wrapper/waf

# One run through waf, and the same run straight through hydranet.
w=$T/w.sqlite h=$T/h.sqlite
$waf --run "fig2-components --link.redirector-core.delay=5ms --RngSeed=3" --db "$w" --quiet \
	> "$T/out" 2>&1 || die "waf --run failed: $(cat "$T/out")"
expect "waf --run --quiet output" "$(cat "$T/out")" ""
expect "waf run rows" "$(q "$w" "SELECT count(*) || ' ' || status || ' ' || seed || ' ' || params FROM runs")" \
	"1 ok 3 link.redirector-core.delay=5ms"
$HYDRANET run scenarios/fig2-components.ini --set link.redirector-core.delay=5ms --seed 3 \
	--db "$h" --quiet || die "hydranet run failed"
m=$(q "$w" "SELECT scope, name, value FROM metrics ORDER BY 1, 2")
[ -n "$m" ] || die "waf run stored no metrics"
expect "metrics: waf = hydranet" "$m" "$(q "$h" "SELECT scope, name, value FROM metrics ORDER BY 1, 2")"

# A sweep reaches hydranet unexpanded: two points, two runs.
s=$T/s.sqlite
$waf --run "fig2-components --simulation.seed=\${1,2}" --db "$s" --quiet > "$T/out" 2>&1 \
	|| die "waf sweep failed: $(cat "$T/out")"
expect "sweep runs" "$(q "$s" "SELECT group_concat(seed || ':' || params, ' ') FROM (SELECT * FROM runs ORDER BY seed)")" \
	"1:simulation.seed=1 2:simulation.seed=2"

# Help, a missing scenario, --RngRun, unknown usage, build.
$waf --help > "$T/out" 2>&1 || die "waf --help failed"
grep -q -- --run "$T/out" || die "waf --help does not mention --run"
if $waf --run "nosuch" --db "$T/n.sqlite" > "$T/out" 2>&1; then die "waf --run nosuch succeeded"; fi
grep -q "nosuch" "$T/out" || die "waf --run nosuch: message does not name it: $(cat "$T/out")"
[ ! -e "$T/n.sqlite" ] || die "waf --run nosuch wrote a database"
if $waf --run "fig2-components --RngRun=2" > "$T/out" 2>&1; then die "waf --RngRun succeeded"; fi
grep -q -- "--runs" "$T/out" || die "waf --RngRun: message does not point to --runs: $(cat "$T/out")"
$waf frobnicate > "$T/out" 2>&1
expect "waf frobnicate status" "$?" 2
expect "waf --list" "$($waf --list)" "$(ls scenarios/*.ini | sed 's|.*/||; s|\.ini$||')"
$waf build > "$T/out" 2>&1 || die "waf build failed: $(cat "$T/out")"
exit 0
