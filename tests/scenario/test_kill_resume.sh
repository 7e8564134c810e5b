#!/bin/sh
# test_kill_resume.sh - a sweep killed with SIGKILL halfway leaves a sound
# database with no partial run; the same command then runs only the missing
# points.
. tests/scenario/lib.sh
db=$T/sweep.sqlite
scn=tests/scenario/sweep-long.ini
$HYDRANET run "$scn" --db "$db" --quiet &
pid=$!
# Wait until at least two runs are stored, then kill without warning.
i=0
while [ "$(q "$db" "SELECT count(*) FROM runs" 2>/dev/null || echo 0)" -lt 2 ]; do
	i=$((i + 1)); [ $i -lt 600 ] || { kill -9 $pid; die "no run stored in 60 s"; }
	sleep 0.1
done
kill -9 $pid
wait $pid 2>/dev/null
before=$(q "$db" "SELECT count(*) FROM runs")
[ "$before" -lt 8 ] || die "the sweep finished before it was killed ($before runs): make it longer"
expect "integrity after kill" "$(q "$db" "PRAGMA integrity_check")" ok
expect "partial runs" "$(q "$db" "SELECT count(*) FROM runs WHERE status != 'ok'")" 0
expect "runs without metrics" "$(q "$db" "SELECT count(*) FROM runs WHERE id NOT IN (SELECT run_id FROM metrics)")" 0
expect "orphan metrics" "$(q "$db" "SELECT count(*) FROM metrics WHERE run_id NOT IN (SELECT id FROM runs)")" 0
# Each stored run has all 4 of its requests: none was cut short.
expect "requests per run" "$(q "$db" "SELECT group_concat(DISTINCT n) FROM (SELECT count(*) AS n FROM requests GROUP BY run_id)")" 4
out=$($HYDRANET run "$scn" --db "$db") || die "resume failed"
echo "$out" | grep -q "^$scn: $before of 8 runs already in $db, skipped" || die "resume did not skip the $before stored runs: $out"
expect "runs after resume" "$(q "$db" "SELECT count(*) FROM runs")" 8
expect "distinct points" "$(q "$db" "SELECT count(DISTINCT params) FROM runs")" 8
expect "integrity after resume" "$(q "$db" "PRAGMA integrity_check")" ok
# Nothing left to do the third time.
out=$($HYDRANET run "$scn" --db "$db") || die "third run failed"
echo "$out" | grep -q "8 of 8 runs already" || die "third run was not a no-op: $out"
