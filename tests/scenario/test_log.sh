#!/bin/sh
# test_log.sh - the decision trace (model/log.h): HYDRANET_LOG=redir,hsrv
# writes one line per redirector and host server decision on stderr, in
# simulated time order, of the shape "S.NNNNNNNNN COMP NODE: DECISION",
# and changes no result: the metrics are the same with and without it.
. tests/scenario/lib.sh
scn=tests/scenario/routing.ini
HYDRANET_LOG=redir,hsrv $HYDRANET run "$scn" --db "$T/log.sqlite" --quiet 2> "$T/log.txt" \
	|| die "run with HYDRANET_LOG failed: $(tail -3 "$T/log.txt")"
$HYDRANET run "$scn" --db "$T/nolog.sqlite" --quiet 2> "$T/nolog.txt" || die "run without the log failed"
[ -s "$T/nolog.txt" ] && die "without HYDRANET_LOG stderr is not empty: $(head -3 "$T/nolog.txt")"
# Every line has the shape, and only the components asked for appear.
bad=$(grep -Ev '^[0-9]+\.[0-9]{9} (redir|hsrv) [^ ]+: [a-z]' "$T/log.txt" | head -3)
[ -z "$bad" ] || die "lines not of the trace's shape: $bad"
# The decisions that this scenario makes.
grep -Eq '^[0-9.]+ redir redirector: redirect 10\.0\.1\.2:[0-9]+ > 192\.20\.225\.20:80 tcp to 10\.0\.4\.2 \(nearest, new flow\)$' "$T/log.txt" \
	|| die "no redirect of a new connection to the host server"
grep -Eq '^[0-9.]+ redir redirector: redirect .* to 10\.0\.4\.2 \(flow kept\)$' "$T/log.txt" \
	|| die "no redirect of a connection's later segments"
grep -Eq '^[0-9.]+ redir redirector: forward 192\.20\.225\.20:80 > 10\.0\.1\.2:[0-9]+ tcp \(no table entry\)$' "$T/log.txt" \
	|| die "no forward of the origin's replies"
grep -Eq '^[0-9.]+ hsrv hostserver: deliver 10\.0\.1\.2:[0-9]+ > 192\.20\.225\.20:80 tcp \(virtual host\)$' "$T/log.txt" \
	|| die "no delivery to the virtual host"
# Times never go back.
awk '{ if ($1 + 0 < last) { print "line " NR ": " $1 " after " last; exit 1 } last = $1 + 0 }' "$T/log.txt" \
	|| die "times decrease"
# Every drop is logged with its counter's name: as many drop lines per
# reason as the database counts (here, drop.port_not_replicated at the host
# server, whatever it is, perhaps 0).
for r in $(q "$T/log.sqlite" "SELECT DISTINCT substr(name, 6) FROM metrics WHERE name LIKE 'drop.%' AND value > 0 AND scope IN ('redirector', 'hostserver')"); do
	want=$(q "$T/log.sqlite" "SELECT printf('%d', sum(value)) FROM metrics WHERE name = 'drop.$r' AND scope IN ('redirector', 'hostserver')")
	got=$(grep -c ": drop $r " "$T/log.txt")
	expect "drop lines for $r" "$got" "$want"
done
# The same results with the trace on and off.
sql="select scope,name,value from metrics order by 1,2"
sqlite3 "$T/log.sqlite" "$sql" > "$T/m1"
sqlite3 "$T/nolog.sqlite" "$sql" > "$T/m2"
[ -s "$T/m1" ] || die "no metrics stored"
cmp -s "$T/m1" "$T/m2" || die "metrics differ with the trace on: $(diff "$T/m1" "$T/m2" | head -5)"
# A bad component is refused with the names listed, exit 2.
HYDRANET_LOG=redir,bogus $HYDRANET run "$scn" --db "$T/bad.sqlite" --quiet 2> "$T/bad.txt"
expect "exit status for an unknown component" "$?" 2
grep -q "unknown log component 'bogus' (names: redir, hsrv, rtd, rmgr, hweb, cpu, all)" "$T/bad.txt" \
	|| die "unexpected message: $(cat "$T/bad.txt")"
exit 0
