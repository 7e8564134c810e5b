# alternatives-failure.gp - a replica failure on Figure 1's topology under
# its flash crowd, per approach: how long new requests kept going to the
# dead host server, and the requests that failed (hs-s crashes at 130 s and
# restarts at 190 s; the clusters: a real server instead).
#
# Called by tools/figures.sh with:
#   datafile  analysis/figures/data/alternatives-failure.dat, written by
#             tools/alternatives-table.sh; columns: index, "approach", then
#             for variants a and b (see that script): failed requests per
#             run, stop-using time (s), failover time (s); "-": not run
#   term      pngcairo, png or svg;  out  the file to write
# The paper's values: none (section 2 argues without measurements).
if (term eq "svg") {
    set terminal svg size 1000,720 font "Helvetica,13" background rgb "white"
} else {
    eval sprintf("set terminal %s size 1000,720 font 'Sans,11'", term)
}
set output out
set datafile missing "-"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set yrange [0:*]
set grid ytics
set lmargin at screen 0.08
set rmargin at screen 0.97
set multiplot title "A host server fails at 130 s (restart 190 s) under Figure 1's flash crowd (model; the paper gives no numbers)"
set key at screen 0.5, 0.93 center horizontal
set tmargin at screen 0.89
set bmargin at screen 0.60
set xtics format "" scale 0
set ylabel "stop using it after (s)"
plot datafile using 4 title "a: health check / record withdrawn", \
     '' using 7 title "b: passive / record kept"
unset key
set tmargin at screen 0.56
set bmargin at screen 0.24
set xtics rotate by 20 right scale 0 format "% g"
set ylabel "failed requests per run"
plot datafile using 3:xtic(2) notitle, \
     '' using 6 notitle
unset multiplot
