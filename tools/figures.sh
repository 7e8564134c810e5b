#!/bin/sh
# figures.sh - draw every analysis/*.gp from the results database into
# analysis/figures/ (PNG and SVG).  Each script reads its data through the
# sqlite3 command line named in its first lines.
set -eu
mkdir -p analysis/figures
n=0
for gp in analysis/*.gp; do
	[ -e "$gp" ] || continue
	gnuplot "$gp"
	n=$((n + 1))
done
echo "figures: $n drawn into analysis/figures/"
