#!/bin/sh
# reproduce.sh - run every paper experiment into results/hydranet.sqlite
# (traces of Figure 2 in traces/), the sensitivity sweeps of the assumed
# cost-model constants into results/sensitivity.sqlite, summarize both, and
# draw the figures.  Runs already stored are skipped, so a second call only
# redraws.
set -eu
db=results/hydranet.sqlite
sens=results/sensitivity.sqlite
hn=build/hydranet
t0=$(date +%s)
echo "== fig2-components"
$hn run scenarios/fig2-components.ini --db "$db" --pcap traces/fig2-components --quiet
for s in fig3a fig3b conn-setup fig1-isp; do
	echo "== $s"
	$hn run "scenarios/$s.ini" --db "$db" -j 2 --quiet
done
# What the Figure 3 results owe to assumed constants (model/testbed/profile.c):
# the copies on decapsulation, IP's share of the per-packet path, and the
# clock scaling of the CPU costs; one at a time, at 100 Mb/s where the 486 is
# the bottleneck, for a small and a full-size write.
echo "== sensitivity"
for f in fig3a fig3b; do
	for knob in 'testbed.decap_copies=${0, 1, 2, 3}' 'testbed.ip_share=${0.05, 0.1, 0.2, 0.33}' \
		    'testbed.cpu_scale=${0.5, 1, 2}'; do
		$hn run "scenarios/$f.ini" --db "$sens" -j 2 --quiet --runs 2 \
			--set testbed.link_rate=100Mbps --set 'workload.ttcp.buflen=${64, 1460}' \
			--set "$knob"
	done
done
$hn summarize "$db"
$hn summarize "$sens"
sh tools/figures.sh "$db"
echo "reproduce: $(( $(date +%s) - t0 )) s; results in $db and $sens, traces in traces/, figures in analysis/figures/"
