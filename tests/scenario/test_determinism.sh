#!/bin/sh
# test_determinism.sh - the same scenario, seed and run number give identical
# metrics, series and requests; another run number gives another stream.
. tests/scenario/lib.sh
scn=tests/scenario/sweep-long.ini
dump() {
	q "$1" "SELECT r.params, r.seed, r.run_number, m.scope, m.name, m.value
		FROM runs r JOIN metrics m ON m.run_id = r.id ORDER BY 1, 2, 3, 4, 5"
	q "$1" "SELECT r.params, s.series, s.x, s.y FROM runs r JOIN series s ON s.run_id = r.id
		ORDER BY 1, 2, 3, 4"
	q "$1" "SELECT r.params, q.seq, q.start_s, q.latency_s, q.bytes_received FROM runs r
		JOIN requests q ON q.run_id = r.id ORDER BY 1, 2"
}
for k in a b; do
	$HYDRANET run "$scn" --point 3 --runs 2 --db "$T/$k.sqlite" --quiet || die "run $k failed"
	dump "$T/$k.sqlite" > "$T/$k.txt"
done
cmp -s "$T/a.txt" "$T/b.txt" || die "two runs of the same seed and run number differ"
# Run 1 and run 2 of the point draw different think times and losses.
r1=$(q "$T/a.sqlite" "SELECT group_concat(q.start_s) FROM requests q JOIN runs r ON r.id = q.run_id WHERE r.run_number = 1")
r2=$(q "$T/a.sqlite" "SELECT group_concat(q.start_s) FROM requests q JOIN runs r ON r.id = q.run_id WHERE r.run_number = 2")
[ "$r1" != "$r2" ] || die "run numbers 1 and 2 gave the same request times: streams not independent"
# The comparison covered real series (counter time series of the run).
expect_num "series points compared" "$(q "$T/a.sqlite" "SELECT count(*) FROM series")" -gt 100
