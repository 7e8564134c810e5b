#!/bin/sh
# run-scenario-tests.sh - run every tests/scenario/test_*.sh against the real
# build/hydranet; each script exits non-zero on the first failed check.
pass=0; fail=0
for t in tests/scenario/test_*.sh; do
	if sh "$t"; then pass=$((pass + 1)); echo "ok   $t"
	else fail=$((fail + 1)); echo "FAIL $t"; fi
done
echo "scenario tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
