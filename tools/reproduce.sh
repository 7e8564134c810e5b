#!/bin/sh
# reproduce.sh - run every paper experiment into results/hydranet.sqlite,
# with traces in traces/<scenario>/, then draw the figures.
set -eu
db=results/hydranet.sqlite
for s in scenarios/fig2-components.ini; do
	name=$(basename "$s" .ini)
	echo "== $name"
	build/hydranet run "$s" --db "$db" --pcap "traces/$name"
done
sh tools/figures.sh
echo "results in $db; traces in traces/; figures in analysis/figures/"
