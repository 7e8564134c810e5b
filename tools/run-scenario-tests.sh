#!/bin/sh
# run-scenario-tests.sh - run every tests/scenario/test_*.sh against the real
# hydranet program, built plain and built with ASan+UBSan; each script exits
# non-zero on its first failed check.
pass=0; fail=0
for bin in build/hydranet build/asan/hydranet; do
	for t in tests/scenario/test_*.sh; do
		if HYDRANET=$bin sh "$t"; then pass=$((pass + 1)); echo "ok   $t ($bin)"
		else fail=$((fail + 1)); echo "FAIL $t ($bin)"; fi
	done
done
echo "scenario: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
