# failover.gp - south.net's requests around the crash of its host server hs-s
# (scenarios/fig1-failover.ini, crash at 130 s, restart at 190 s): per 2 s
# bin of start time, the share of requests answered completely (top) and the
# mean latency of those answered (bottom), for passive detection (30 s
# announcement lifetime) and active detection (probes every 0.5 s and 2 s).
#
# Called by tools/failover-figure.sh with:
#   prefix  data files PREFIX_NAME.dat, columns: bin start (s), requests,
#           ok, mean latency of the ok ones (s), pooled over the point's runs
#   names   the three points' file names, space separated; t1, t2, t3
#           their keys;  nruns  runs per point
#   term    pngcairo, png or svg;  out  the file to write
if (term eq "svg") {
    set terminal svg size 900,700 font "Helvetica,13" background rgb "white"
} else {
    eval sprintf("set terminal %s size 900,700 font 'Sans,11'", term)
}
set output out
set multiplot layout 2,1 title "Failover on Figure 1's ISPs (HydraNet model): south.net's users, host server hs-s down 130-190 s\n{/*0.8 requests by start time, 2 s bins, pooled over ".nruns." runs per curve; no paper values (the paper has none)}"
set xrange [110:210]
set grid lc rgb "#dddddd"
set arrow 1 from 130, graph 0 to 130, graph 1 nohead dt 2 lc rgb "#888888"
set arrow 2 from 190, graph 0 to 190, graph 1 nohead dt 2 lc rgb "#888888"
set key bottom right opaque box
set ylabel "answered completely (share)"
set yrange [0:1.05]
set format x ""
plot for [i=1:words(names)] sprintf("%s_%s.dat", prefix, word(names, i)) \
     using ($1 + 1):($2 > 0 ? $3 / $2 : 1/0) with linespoints pt 7 ps 0.6 lw 1.5 \
     title (i == 1 ? t1 : i == 2 ? t2 : t3)
set format x "%g"
set xlabel "request start (s simulated)"
set ylabel "mean latency of answered requests (s)"
set yrange [0:*]
unset key
plot for [i=1:words(names)] sprintf("%s_%s.dat", prefix, word(names, i)) \
     using ($1 + 1):($3 > 0 ? $4 : 1/0) with linespoints pt 7 ps 0.6 lw 1.5
unset multiplot
