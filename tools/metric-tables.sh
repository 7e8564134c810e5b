#!/bin/sh
# metric-tables.sh HYDRANET OUTDIR [SCENARIO...] - run each scenario (default:
# every paper scenario in scenarios/ and every tests/scenario/*.ini), one run
# per point, and write its metrics, series and requests tables as sorted text
# to OUTDIR/NAME.txt: what a refactoring must leave byte-identical (compare two
# OUTDIRs with diff -r).  Wall times and code versions are left out.
set -eu
bin=$1; out=$2; shift 2
[ $# -gt 0 ] || set -- scenarios/*.ini tests/scenario/*.ini
mkdir -p "$out"
for f in "$@"; do
	n=$(basename "$f" .ini)
	db="$out/$n.sqlite"
	rm -f "$db"
	"$bin" run "$f" --db "$db" --runs 1 --quiet -j 2 >/dev/null 2>"$out/$n.err" || {
		echo "$f: run failed (see $out/$n.err)" >&2; continue; }
	sqlite3 "$db" "
	  SELECT 'run', r.params, r.seed, r.run_number, r.sim_seconds, r.events, r.status FROM runs r ORDER BY params, seed, run_number;
	  SELECT 'metric', r.params, m.scope, m.name, printf('%.17g', m.value) FROM metrics m JOIN runs r ON r.id = m.run_id ORDER BY 2, 3, 4;
	  SELECT 'series', r.params, s.series, printf('%.17g', s.x), printf('%.17g', s.y) FROM series s JOIN runs r ON r.id = s.run_id ORDER BY 2, 3, s.rowid;
	  SELECT 'request', r.params, q.workload, q.seq, q.client, q.service, printf('%.17g', q.start_s), printf('%.17g', q.latency_s), q.bytes_sent, q.bytes_received, q.served_by, q.ok, q.object, q.cache FROM requests q JOIN runs r ON r.id = q.run_id ORDER BY 2, 3, 4;
	" > "$out/$n.txt"
	rm -f "$db" "$db-wal" "$db-shm"
	echo "$n: $(wc -l < "$out/$n.txt") rows"
done
