#!/bin/sh
# test_malformed.sh - every file in tests/malformed/ is refused the way the
# README promises: exit status 2, exactly the lines of NAME.expected on
# stderr (one "file:line: message" per problem, with the path as given, in
# file order: a file's problems are reported together), nothing on stdout,
# and a results database that already holds a run left byte-for-byte alone.
# Bad --set arguments are checked the same way.
. tests/scenario/lib.sh
db=$T/db.sqlite
$HYDRANET run tests/scenario/stale-replica.ini --db "$db" --quiet >/dev/null \
	|| die "the good run into $db failed"
sqlite3 "$db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null || die "checkpoint of $db failed"

# state: the database and its WAL, if any
state() {
	for f in "$db" "$db-wal"; do
		if [ -e "$f" ]; then sha256sum <"$f"; else echo "no $f"; fi
	done
}
before=$(state)

# refused WHAT WANT ARGS...: hydranet run ARGS --db DB refuses, as WANT says
refused() {
	what=$1 want=$2
	shift 2
	$HYDRANET run "$@" --db "$db" >"$T/out" 2>"$T/err"
	rc=$?
	[ "$rc" -eq 2 ] || die "$what: exit status $rc, want 2 (stderr: $(cat "$T/err"))"
	[ "$(cat "$T/err")" = "$want" ] ||
		die "$what: stderr is
$(cat "$T/err")
want
$want"
	[ -s "$T/out" ] && die "$what: stdout not empty: $(head -3 "$T/out")"
	[ "$(state)" = "$before" ] || die "$what: the database changed"
	return 0
}

n=0
for exp in tests/malformed/*.expected; do
	f=${exp%.expected}.ini
	if [ ! -e "$f" ]; then
		# missing.expected documents the message for a file that does not exist
		case $f in */missing.ini) ;; *) die "$exp has no $f" ;; esac
	fi
	refused "$f" "$(cat "$exp")" "$f"
	n=$((n + 1))
done
for f in tests/malformed/*.ini; do
	[ -e "${f%.ini}.expected" ] || die "$f has no ${f%.ini}.expected"
done
[ "$n" -ge 30 ] || die "only $n malformed scenarios"

# --set errors: the form, a section the file lacks, a bare key in several
# sections, a key the file has nowhere, and a bad value (with its place).
good=tests/scenario/stale-replica.ini
refused "--set bad form" "--set 'delay': expected section.key=value" $good --set delay
refused "--set no key" "--set '=5ms': expected section.key=value" $good --set =5ms
refused "--set unknown section" \
	"--set 'link.nowhere.delay=5ms': $good has no section [link nowhere]" \
	$good --set link.nowhere.delay=5ms
refused "--set ambiguous key" \
	"--set 'role=client': key 'role' is in 6 sections (node client, node redirector, node core, ...): name one, as in node.client.role=client" \
	$good --set role=client
refused "--set key nowhere" \
	"--set 'delay=5ms': no section of $good has key 'delay' yet; name the section, as in KIND.NAME.delay=5ms" \
	$good --set delay=5ms
refused "--set bad value" \
	"--set 'link.core-origin1.delay=fast': [link core-origin1]: delay: 'fast' is not a number" \
	$good --set link.core-origin1.delay=fast
refused "--set bad sweep" \
	"--set 'link.core-origin1.delay=\${1,2ms': [link core-origin1]: delay: unterminated sweep '\${1,2ms'" \
	$good --set 'link.core-origin1.delay=${1,2ms'
exit 0
