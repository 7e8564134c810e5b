#!/bin/sh
# test_progress.sh - the progress line appears on a terminal only, and not
# with --quiet.
. tests/scenario/lib.sh
scn=scenarios/fig2-components.ini
set_arg='link.redirector-core.delay=${5, 20, 80}ms'
# Not a terminal: stderr stays empty.
$HYDRANET run "$scn" --set "$set_arg" --db "$T/a.sqlite" > /dev/null 2> "$T/err" || die "run failed"
expect "stderr when not a terminal" "$(cat "$T/err")" ""
# A terminal (script(1) gives the program a pseudo-terminal).
script -qec "$HYDRANET run $scn --set '$set_arg' --db $T/b.sqlite -j 2 > /dev/null" /dev/null > "$T/tty" \
	|| die "run under script failed"
grep -q '\[3/3\] point' "$T/tty" || die "no final progress line: $(tr '\r' '\n' < "$T/tty" | tail -3)"
grep -q 'elapsed | ETA' "$T/tty" || die "progress line lacks elapsed/ETA"
# A terminal with --quiet: nothing.
script -qec "$HYDRANET run $scn --set '$set_arg' --db $T/c.sqlite --quiet" /dev/null > "$T/tty2" \
	|| die "quiet run under script failed"
expect "terminal output with --quiet" "$(cat "$T/tty2")" ""
