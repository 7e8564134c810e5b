#!/bin/sh
# fuzz-smoke.sh SECONDS JOBS TARGET... - run each libFuzzer target for SECONDS
# on its stored corpus (tests/fuzz/corpus/NAME, plus what earlier runs found
# in build/corpus/NAME), JOBS targets at a time; print each target's last
# line, and the tail of its log if it found a crash.
secs=$1 jobs=$2; shift 2
run_one='f=$1 secs=$2 n=$(basename "$f")
	mkdir -p build/corpus/$n
	if "$f" -max_total_time="$secs" -print_final_stats=0 build/corpus/$n \
		tests/fuzz/corpus/$n > build/fuzz/$n.log 2>&1; then
		echo "fuzz $n for $secs s: $(tail -1 build/fuzz/$n.log)"
	else
		echo "fuzz $n FAILED:"; tail -40 build/fuzz/$n.log; exit 1
	fi'
printf '%s\n' "$@" | xargs -P "$jobs" -I{} sh -c "$run_one" sh {} "$secs"
