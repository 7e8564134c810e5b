# lib.sh - helpers for scenario tests (sourced).
set -u
HYDRANET=${HYDRANET:-build/hydranet}
T=$(mktemp -d "${TMPDIR:-/tmp}/hydranet-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
name=$(basename "$0" .sh)

die() { echo "$name: $*" >&2; exit 1; }

# q DB SQL: one value from the database
q() { sqlite3 -batch -noheader "$1" "$2"; }

# expect WHAT GOT WANT
expect() {
	[ "$2" = "$3" ] || die "$1: got '$2', want '$3'"
}

# metric DB SCOPE NAME: a counter, as an integer
metric() { q "$1" "SELECT printf('%d', value) FROM metrics WHERE scope='$2' AND name='$3'"; }

# expect_num WHAT GOT OP WANT   (OP: -gt -ge -eq ...; values are integral)
expect_num() {
	g=$(printf '%.0f' "$2"); [ "$g" "$3" "$4" ] || die "$1: got $2, want $3 $4"
}
