#!/bin/sh
# run-scenario-tests.sh - run every tests/scenario/test_*.sh against the real
# hydranet program, built plain and built with ASan+UBSan; each script exits
# non-zero on its first failed check.  Scripts run SCENARIO_JOBS at a time
# (default 2: the machine's cores; each has its own temporary directory), the
# longest first; their output is printed whole, in the listed order, when all
# are done, each with its wall time.
jobs=${SCENARIO_JOBS:-2}
logs=$(mktemp -d "${TMPDIR:-/tmp}/scenario-tests.XXXXXX")
trap 'rm -rf "$logs"' EXIT
# The four end-to-end reproductions take most of the time: start them first.
# test_waf runs make (waf build), which may relink the programs the others
# are running: it runs alone, after them.
slow="test_parallel test_fig5 test_fig1 test_kill_resume"
alone="test_waf"
for bin in build/hydranet build/asan/hydranet; do
	for s in $slow; do echo "$bin tests/scenario/$s.sh"; done
	for t in tests/scenario/test_*.sh; do
		case " $slow $alone " in *" $(basename "$t" .sh) "*) continue ;; esac
		echo "$bin $t"
	done
done > "$logs/list"
for bin in build/hydranet build/asan/hydranet; do
	for a in $alone; do echo "$bin tests/scenario/$a.sh"; done
done > "$logs/alone"
# one script: its output to LOGS/K.log, its verdict to LOGS/K.rc
run_one='k=$1 bin=$2 t=$3 s=$(date +%s)
	HYDRANET=$bin sh "$t" > "'"$logs"'/$k.log" 2>&1
	echo $? > "'"$logs"'/$k.rc"
	echo $(( $(date +%s) - s )) > "'"$logs"'/$k.s"'
cat -n "$logs/list" | xargs -P "$jobs" -L 1 sh -c "$run_one" sh
n=$(wc -l < "$logs/list")
awk -v n="$n" '{ print n + NR, $0 }' "$logs/alone" | xargs -L 1 sh -c "$run_one" sh
cat "$logs/alone" >> "$logs/list"
pass=0; fail=0
while read -r k bin t; do
	cat "$logs/$k.log"
	secs="$(cat "$logs/$k.s" 2>/dev/null) s"
	if [ "$(cat "$logs/$k.rc" 2>/dev/null)" = 0 ]; then pass=$((pass + 1)); echo "ok   $t ($bin, $secs)"
	else fail=$((fail + 1)); echo "FAIL $t ($bin, $secs)"; fi
done <<LIST
$(cat -n "$logs/list")
LIST
echo "scenario: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
