#!/bin/sh
# test_cli_naming.sh - a scenario is stored under one name (runs.scenario)
# however it ran: directly as scenarios/x.ini, ./scenarios/x.ini or by its
# absolute path, or through hydranet jobs (whose commands name the file by
# its absolute path and pass the name on with --name) and hydranet merge;
# the runs are the same runs (skipped, not added twice).
. tests/scenario/lib.sh
scn=tests/scenario/http-analytic.ini
sweep='link.client-router.delay=${10,50}ms'
$HYDRANET run "$scn" --set "$sweep" --db "$T/a.sqlite" --quiet || die "direct run failed"
expect "direct name" "$(q "$T/a.sqlite" "SELECT group_concat(DISTINCT scenario) FROM runs")" "$scn"
# the same file under other spellings: the same runs, skipped
for p in "./$scn" "$(pwd)/$scn" "tests//scenario/./http-analytic.ini"; do
	out=$($HYDRANET run "$p" --set "$sweep" --db "$T/a.sqlite" 2>&1) || die "run $p failed"
	echo "$out" | grep -q "2 of 2 runs already in" || die "run $p: not skipped: $out"
done
expect "runs after respelled runs" "$(q "$T/a.sqlite" "SELECT count(*) FROM runs")" 2

$HYDRANET jobs "$scn" --set "$sweep" --dir "$T/jobs" > "$T/jobs.txt" || die "jobs failed"
expect "job lines" "$(wc -l < "$T/jobs.txt" | tr -d ' ')" 2
expect "jobs pass the name" "$(grep -c -- "--name '$scn'" "$T/jobs.txt")" 2
grep -q " run '/" "$T/jobs.txt" || die "jobs do not use the absolute path"
(cd / && sh "$T/jobs.txt") || die "job commands failed"   # from elsewhere, as on a node
for f in "$T"/jobs/*.sqlite; do
	expect "$f name" "$(q "$f" "SELECT scenario FROM runs")" "$scn"
done
# merged into the direct run's database: nothing added
$HYDRANET merge "$T/a.sqlite" "$T"/jobs/*.sqlite > "$T/merge.out" || die "merge failed"
expect "merge into direct" "$(grep -c ': 0 runs added, 1 already' "$T/merge.out")" 2
# merged into a new database, then run directly: the direct run skips them all
$HYDRANET merge "$T/b.sqlite" "$T"/jobs/*.sqlite > /dev/null || die "merge b failed"
$HYDRANET run "$scn" --set "$sweep" --db "$T/b.sqlite" > "$T/run.out" || die "run b failed"
grep -q "2 of 2 runs already in" "$T/run.out" || die "direct run after merge: $(cat "$T/run.out")"
ident="SELECT scenario, scenario_hash, params, seed, run_number FROM runs ORDER BY params"
expect "same runs" "$(q "$T/b.sqlite" "$ident")" "$(q "$T/a.sqlite" "$ident")"
# --name sets the name; an empty one is refused
$HYDRANET run "$scn" --name fig-x --db "$T/c.sqlite" --quiet || die "run --name failed"
expect "--name" "$(q "$T/c.sqlite" "SELECT scenario FROM runs")" fig-x
$HYDRANET run "$scn" --name '' --db "$T/c.sqlite" 2> /dev/null; expect "empty --name" $? 2
