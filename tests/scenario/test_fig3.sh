#!/bin/sh
# test_fig3.sh - the paper's section 4.3 claims, checked from the database of
# a reduced sweep of the real scenario files, and the golden bands of every
# plotted metric (tests/golden/fig3.golden).
. tests/scenario/lib.sh
db=$T/fig3.sqlite
run() { $HYDRANET run "$@" --runs 2 -j 2 --db "$db" --quiet || die "hydranet run $1 failed"; }
run scenarios/fig3a.ini --set 'workload.ttcp.buflen=${64, 1024, 1440, 1460, 1600}' --set testbed.link_rate=10Mbps
run scenarios/fig3b.ini --set 'workload.ttcp.buflen=${64, 1460}' --set testbed.link_rate=100Mbps
run scenarios/conn-setup.ini
$HYDRANET summarize "$db" > /dev/null || die "summarize failed"

# mean SCENARIO SERIES RATE BUFLEN [SCOPE NAME]
mean() {
	q "$db" "SELECT mean FROM summaries WHERE scenario = 'scenarios/$1.ini'
		AND params = 'testbed.series=$2;testbed.link_rate=$3;workload.ttcp.buflen=$4'
		AND scope = '${5:-workload:ttcp}' AND name = '${6:-throughput_mbps}'"
}
# check WHAT AWK-CONDITION (on variables a, b)
check() {
	awk -v a="$3" -v b="$4" "BEGIN { exit !($2) }" || die "$1 (a=$3, b=$4)"
}

# 3a, 10 Mb/s: where the tunnelled datagram fits the MTU (segments up to
# 1440 bytes), redirection costs within 4% of clean: the 20-byte outer
# header is at most 1.9% of a frame's link time at these sizes, and the
# 486's lookup and encapsulation about 3% of its per-packet work where it
# is the bottleneck (64-byte writes).
for b in 64 1024 1440; do
	check "3a: virtual host within 4% of clean at $b bytes" "b >= 0.96 * a && b <= 1.04 * a" \
		"$(mean fig3a clean 10Mbps $b)" "$(mean fig3a virtualhost 10Mbps $b)"
done
# Where it does not fit, the redirector fragments every full-size segment
# (counted), and the loss grows beyond the fitting case.
for b in 1460 1600; do
	check "3a: every full segment fragmented at $b bytes" "a >= 2 * 2048" \
		"$(mean fig3a virtualhost 10Mbps $b redirector fragments_made)" 0
	check "3a: loss at $b exceeds the loss at 1440" "a > b" \
		"$(awk -v c="$(mean fig3a clean 10Mbps $b)" -v v="$(mean fig3a virtualhost 10Mbps $b)" 'BEGIN{print 1 - v/c}')" \
		"$(awk -v c="$(mean fig3a clean 10Mbps 1440)" -v v="$(mean fig3a virtualhost 10Mbps 1440)" 'BEGIN{print 1 - v/c}')"
done
# The modified kernel alone (real host) costs a lookup: within 1%.
for b in 64 1024 1440 1460 1600; do
	check "3a: real host within 1% of clean at $b bytes" "b >= 0.99 * a" \
		"$(mean fig3a clean 10Mbps $b)" "$(mean fig3a realhost 10Mbps $b)"
done
# 3b, 100 Mb/s (the 486 host server is the bottleneck at every size): a
# significant drop at large sizes (at least 25%), a negligible one for small
# packets (at most 10%).
check "3b: significant drop at 1460 bytes" "b <= 0.75 * a" \
	"$(mean fig3b clean 100Mbps 1460)" "$(mean fig3b virtualhost 100Mbps 1460)"
check "3b: negligible drop at 64 bytes" "b >= 0.90 * a" \
	"$(mean fig3b clean 100Mbps 64)" "$(mean fig3b virtualhost 100Mbps 64)"
# Connection setup to a replicated port: less than 0.1 ms longer.
real=$(q "$db" "SELECT mean FROM summaries WHERE params = 'testbed.series=realhost' AND name = 'connect_mean_ms'")
virt=$(q "$db" "SELECT mean FROM summaries WHERE params = 'testbed.series=virtualhost' AND name = 'connect_mean_ms'")
check "connection setup: replicated port less than 0.1 ms slower" "b - a < 0.1 && b >= a" "$real" "$virt"

# Golden bands: every plotted metric of the reduced sweep.
n=0
while IFS='|' read -r scn point scope name want tol reason; do
	case "$scn" in ''|'#'*) continue ;; esac
	got=$(q "$db" "SELECT mean FROM summaries WHERE scenario = 'scenarios/$scn' AND params = '$point'
		AND scope = '$scope' AND name = '$name'")
	[ -n "$got" ] || die "golden: no value for $scn $point $scope $name"
	awk -v g="$got" -v w="$want" -v t="$tol" 'BEGIN { d = g - w; if (d < 0) d = -d;
		exit !(d <= t * (w < 0 ? -w : w) + 1e-9) }' \
		|| die "golden ($reason): $scn $point $scope $name = $got, want $want +- $tol"
	n=$((n + 1))
done < tests/golden/fig3.golden
expect "golden bands checked" "$n" "$(grep -vc "^#" tests/golden/fig3.golden)"
