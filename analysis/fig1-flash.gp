# fig1-flash.gp - the Figure 1 flash crowd: from 100 s to 160 s, 50 more
# south.net users fetch from www.northeast.com.
#
# Called by tools/figures.sh with:
#   prefix  analysis/figures/data/fig1-flash; it reads PREFIX_load_MODE.dat
#           (t, requests/s served by the northeast.com origin over the last
#           5 s) and PREFIX_lat_MODE.dat (t, mean latency of south.net's
#           requests to northeast.com started in each 10 s), MODE = none,
#           static, dynamic (run 1 of each)
#   term    pngcairo, png or svg;  out  the file to write

if (term eq "svg") {
    set terminal svg size 900,700 font "Helvetica,13" background rgb "white"
} else {
    eval sprintf("set terminal %s size 900,700 font 'Sans,11'", term)
}
set output out
set multiplot layout 2,1 title "Figure 1 flash crowd (HydraNet model, run 1 of each case)\n50 more south.net users on www.northeast.com from 100 s to 160 s (shaded)"
set grid
set key top left
set xrange [0:240]
set style rect fc rgb "#f2e6b3" fs solid 0.6 noborder
set object 1 rect from 100, graph 0 to 160, graph 1 behind
set ylabel "origin load (requests/s)"
plot prefix."_load_none.dat" using 1:2 with lines lw 2 lc rgb "#555555" title "no replication", \
     prefix."_load_static.dat" using 1:2 with lines lw 2 lc rgb "#1f6fd0" title "static replicas", \
     prefix."_load_dynamic.dat" using 1:2 with lines lw 2 lc rgb "#d62728" title "dynamic replicas"
set ylabel "south.net latency to northeast.com (s)"
set xlabel "simulated time (s)"
plot prefix."_lat_none.dat" using 1:2 with linespoints lw 2 lc rgb "#555555" title "no replication", \
     prefix."_lat_static.dat" using 1:2 with linespoints lw 2 lc rgb "#1f6fd0" title "static replicas", \
     prefix."_lat_dynamic.dat" using 1:2 with linespoints lw 2 lc rgb "#d62728" title "dynamic replicas"
unset multiplot
