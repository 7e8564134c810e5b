# alternatives.gp - HydraNet against the alternatives of the paper's
# section 2 on Figure 1's topology, load and flash crowd: latency of all
# requests and of the flash crowd's, mean and p99, per approach.
#
# Called by tools/figures.sh with:
#   datafile  analysis/figures/data/alternatives.dat, written by
#             tools/alternatives-table.sh; columns: index, "approach",
#             mean, p99 of all ok requests, mean, p99 of the flash crowd's
#             (ms), over all runs
#   term      pngcairo, png or svg;  out  the file to write
# The paper's values: none (section 2 argues without measurements).
if (term eq "svg") {
    set terminal svg size 1000,560 font "Helvetica,13" background rgb "white"
} else {
    eval sprintf("set terminal %s size 1000,560 font 'Sans,11'", term)
}
set output out
set title "Figure 1's load and flash crowd: HydraNet and the alternatives (model; the paper gives no numbers)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set ylabel "latency (ms)"
set yrange [0:*]
set grid ytics
set key outside top center horizontal
set xtics rotate by 20 right scale 0
plot datafile using 3:xtic(2) title "all requests, mean", \
     '' using 4 title "all requests, p99", \
     '' using 5 title "flash crowd, mean", \
     '' using 6 title "flash crowd, p99"
