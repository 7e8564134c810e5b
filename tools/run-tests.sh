#!/bin/sh
# run-tests.sh KIND TEST... - run cmocka test programs, print one summary line.
kind=$1; shift
pass=0; fail=0
for t in "$@"; do
	if "$t"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAILED: $t ($kind)"; fi
done
echo "unit-$kind: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
