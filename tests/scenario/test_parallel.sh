#!/bin/sh
# test_parallel.sh - parallel and distributed sweeps give the results of a
# plain one: -j 2 in one database, and the GNU parallel recipe of the README
# (hydranet jobs | parallel, then hydranet merge), against -j 1.
. tests/scenario/lib.sh
scn=tests/scenario/sweep-long.ini
# 1 MB objects: what is compared is how runs are spread, not their length.
small="--set workload.download.object_size=1MB"
# Results that must not depend on how the runs were spread (no wall times).
dump() {
	q "$1" "SELECT r.params, r.seed, r.run_number, m.scope, m.name, m.value
		FROM runs r JOIN metrics m ON m.run_id = r.id ORDER BY 1, 2, 3, 4, 5"
	q "$1" "SELECT r.params, q.workload, q.seq, q.latency_s, q.bytes_received, q.served_by, q.ok
		FROM runs r JOIN requests q ON q.run_id = r.id ORDER BY 1, 2, 3"
}
$HYDRANET run "$scn" $small --db "$T/j1.sqlite" --quiet -j 1 || die "-j 1 failed"
dump "$T/j1.sqlite" > "$T/j1.txt"
expect "runs -j 1" "$(q "$T/j1.sqlite" "SELECT count(*) FROM runs")" 8

$HYDRANET run "$scn" $small --db "$T/j2.sqlite" --quiet -j 2 || die "-j 2 failed"
dump "$T/j2.sqlite" > "$T/j2.txt"
cmp -s "$T/j1.txt" "$T/j2.txt" || die "-j 2 results differ from -j 1"

# The README's GNU parallel recipe, run locally.
$HYDRANET jobs "$scn" $small --dir "$T/jobs" > "$T/jobs.txt" || die "hydranet jobs failed"
expect "job lines" "$(wc -l < "$T/jobs.txt")" 8
parallel --will-cite -j 2 < "$T/jobs.txt" || die "parallel failed"
expect "job databases" "$(ls "$T"/jobs/*.sqlite | wc -l)" 8
$HYDRANET merge "$T/merged.sqlite" "$T"/jobs/*.sqlite > /dev/null || die "merge failed"
dump "$T/merged.sqlite" > "$T/merged.txt"
cmp -s "$T/j1.txt" "$T/merged.txt" || die "merged results differ from -j 1"
# Merging again adds nothing.
out=$($HYDRANET merge "$T/merged.sqlite" "$T"/jobs/*.sqlite) || die "second merge failed"
expect "runs after a second merge" "$(q "$T/merged.sqlite" "SELECT count(*) FROM runs")" 8
expect "added by a second merge" "$(echo "$out" | grep -c ': 0 runs added, 1 already')" 8
# A file that is not a results database is refused, and adds nothing.
echo "not a database" > "$T/junk.sqlite"
$HYDRANET merge "$T/merged.sqlite" "$T/junk.sqlite" 2> "$T/err" && die "merging junk succeeded"
grep -q "junk.sqlite" "$T/err" || die "merge error does not name the file: $(cat "$T/err")"
expect "runs after junk" "$(q "$T/merged.sqlite" "SELECT count(*) FROM runs")" 8
