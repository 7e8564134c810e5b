# fig1-flash.gp - the Figure 1 flash crowd: from 100 s to 160 s, 50 more
# south.net users fetch from www.northeast.com.
#
# Called by tools/figures.sh with:
#   prefix  analysis/figures/data/fig1-flash; it reads PREFIX_load_MODE.dat
#           (requests/s served by the northeast.com origin over the 5 s
#           before t) and PREFIX_lat_MODE.dat (mean latency of south.net's
#           requests to northeast.com started in the 10 s bin centred on t),
#           MODE = none, static, dynamic; columns: t  n  mean  ci95, the mean
#           over the point's runs and the half-width of its 95% CI (Student t)
#   nruns   runs per mode ("3", or "2-3")
#   ltop, ttop      the tops of the load and latency y axes (both from 0)
#   toppx, botpx    the heights of the two plot areas in PNG pixels (700 tall)
#   cinotel, cinotet  figures.sh's verdicts on whether the CIs can be seen
#   term    pngcairo, png or svg;  out  the file to write
#
# The paper's values: none.  Figure 1 (section 1) is a diagram of the
# scenario; the text gives no load, latency or time for it, so nothing of
# the paper can be plotted here (the title says so).
# Confidence intervals: the load's as a translucent band around each mode's
# line, the latency's as error bars on its markers.  The three modes'
# latency markers are drawn 1.5 s apart (dynamic -1.5 s, none 0, static
# +1.5 s from the bin centre) so that coinciding bars stay apart; the
# notes at the bottom say where the CIs are smaller than the line or markers.
# The key is drawn once, above the top panel, outside both plot areas.

if (term eq "svg") {
    set terminal svg size 900,700 font "Helvetica,13" background rgb "white"
} else {
    eval sprintf("set terminal %s size 900,700 font 'Sans,11'", term)
}
set output out
set encoding utf8
set multiplot title "Figure 1 flash crowd (HydraNet model, mean of " . nruns . " runs per case)\n50 more south.net users on www.northeast.com from 100 s to 160 s (shaded)\n{/*0.85 bands and error bars: 95% confidence interval of the mean (Student t); paper (sec. 1, Fig. 1): a diagram, it gives no numbers to plot}"
set grid
set lmargin at screen 0.09
set rmargin at screen 0.97
set tmargin at screen 0.83
set bmargin at screen 0.83 - toppx / 700.0
set key at screen 0.53, screen 0.845 center bottom horizontal Left reverse box lc rgb "#bbbbbb" samplen 2 width 1 maxrows 1
set xrange [0:240]
set yrange [0:ltop]
set style rect fc rgb "#f2e6b3" fs solid 0.6 noborder
set object 1 rect from 100, graph 0 to 160, graph 1 behind
c_none = "#555555"; c_static = "#1f6fd0"; c_dynamic = "#d62728"
set ylabel "origin load (requests/s)"
set label 1 cinotel at screen 0.53, screen 0.83 - toppx / 700.0 - 0.045 center font ",9" tc rgb "#555555"
set style fill transparent solid 0.25 noborder
plot prefix."_load_none.dat" using 1:($3-$4):($3+$4) with filledcurves lc rgb c_none notitle, \
     prefix."_load_static.dat" using 1:($3-$4):($3+$4) with filledcurves lc rgb c_static notitle, \
     prefix."_load_dynamic.dat" using 1:($3-$4):($3+$4) with filledcurves lc rgb c_dynamic notitle, \
     prefix."_load_none.dat" using 1:3 with lines lw 2 lc rgb c_none title "no replication", \
     prefix."_load_static.dat" using 1:3 with lines lw 2 lc rgb c_static title "static replicas", \
     prefix."_load_dynamic.dat" using 1:3 with lines lw 2 lc rgb c_dynamic title "dynamic replicas"
unset key
set tmargin at screen 0.42
set bmargin at screen 0.42 - botpx / 700.0
set yrange [0:ttop]
set ylabel "south.net latency to northeast.com (s)"
set xlabel "simulated time (s)" offset 0, 0.3
unset label 1
set label 2 cinotet at screen 0.53, screen 0.012 center font ",9" tc rgb "#555555"
plot prefix."_lat_none.dat" using 1:3:4 with yerrorlines lw 1.5 pt 7 ps 0.8 lc rgb c_none notitle, \
     prefix."_lat_static.dat" using ($1+1.5):3:4 with yerrorlines lw 1.5 pt 7 ps 0.8 lc rgb c_static notitle, \
     prefix."_lat_dynamic.dat" using ($1-1.5):3:4 with yerrorlines lw 1.5 pt 7 ps 0.8 lc rgb c_dynamic notitle
unset multiplot
