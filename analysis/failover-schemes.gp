# failover-schemes.gp - requests broken per affinity scheme on Figure 1's
# ISPs (scenarios/fig1-failover.ini): when hs-s crashes (active detection,
# probes every 1 s) and when south.net's redirector red-s restarts.
#
# Called by tools/failover-figure.sh with:
#   datafile  rows: scheme label, broken at the crash (hs-s), failed after
#             it (before and after detection, hs-s), broken at the
#             redirector's restart; means over nruns runs
#   nruns     runs per point;  term  pngcairo, png or svg;  out  the file
if (term eq "svg") {
    set terminal svg size 900,500 font "Helvetica,13" background rgb "white"
} else {
    eval sprintf("set terminal %s size 900,500 font 'Sans,11'", term)
}
set output out
set title "Requests broken per affinity scheme (HydraNet model, Figure 1's ISPs)\n{/*0.8 mean of ".nruns." runs; no paper values (the paper has none)}"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border lc rgb "black"
set boxwidth 0.9
set ylabel "requests per run"
set yrange [0:*]
set grid ytics lc rgb "#dddddd"
set key top right
set xtics nomirror
plot datafile using 2:xtic(1) title "hs-s crashes: in progress (broken)", \
     '' using 3 title "hs-s crashes: started after it, failed", \
     '' using 4 title "red-s restarts: in progress (broken)"
