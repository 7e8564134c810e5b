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
#
# The paper's values: none.  Figure 1 (section 1) is a diagram of the
# scenario; the text gives no load, latency or time for it, so nothing of
# the paper can be plotted here (the title says so).
# Confidence intervals: none either.  Each curve is one run (run 1), so no
# error bars are drawn, and the title says so.
# The key is drawn once, above the top panel, outside both plot areas.

if (term eq "svg") {
    set terminal svg size 900,700 font "Helvetica,13" background rgb "white"
} else {
    eval sprintf("set terminal %s size 900,700 font 'Sans,11'", term)
}
set output out
set multiplot title "Figure 1 flash crowd (HydraNet model, run 1 of each case)\n50 more south.net users on www.northeast.com from 100 s to 160 s (shaded)\n{/*0.85 one run per curve: no confidence interval; paper (sec. 1, Fig. 1): a diagram, it gives no numbers to plot}"
set grid
set lmargin at screen 0.09
set rmargin at screen 0.97
set tmargin at screen 0.83
set bmargin at screen 0.50
set key at screen 0.53, screen 0.845 center bottom horizontal Left reverse box lc rgb "#bbbbbb" samplen 2 width 1 maxrows 1
set xrange [0:240]
set style rect fc rgb "#f2e6b3" fs solid 0.6 noborder
set object 1 rect from 100, graph 0 to 160, graph 1 behind
set ylabel "origin load (requests/s)"
plot prefix."_load_none.dat" using 1:2 with lines lw 2 lc rgb "#555555" title "no replication", \
     prefix."_load_static.dat" using 1:2 with lines lw 2 lc rgb "#1f6fd0" title "static replicas", \
     prefix."_load_dynamic.dat" using 1:2 with lines lw 2 lc rgb "#d62728" title "dynamic replicas"
unset key
set tmargin at screen 0.42
set bmargin at screen 0.09
set ylabel "south.net latency to northeast.com (s)"
set xlabel "simulated time (s)"
plot prefix."_lat_none.dat" using 1:2 with linespoints lw 2 lc rgb "#555555" title "no replication", \
     prefix."_lat_static.dat" using 1:2 with linespoints lw 2 lc rgb "#1f6fd0" title "static replicas", \
     prefix."_lat_dynamic.dat" using 1:2 with linespoints lw 2 lc rgb "#d62728" title "dynamic replicas"
unset multiplot
