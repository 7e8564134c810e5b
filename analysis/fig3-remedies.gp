# fig3-remedies.gp - Figure 3a or 3b's virtual-host series once per remedy
# for the MTU penalty (EXPERIMENTS.md, "The MTU penalty and its remedies").
#
# Called by tools/figures.sh with:
#   prefix    data file prefix: PREFIX_RATE.dat, e.g.
#             analysis/figures/data/fig3a-remedies_10.dat
#   figtitle  the title;  nruns  runs per point (mean drawn)
#   term      pngcairo, png or svg;  out  the file to write
# Data columns: 1 buflen, then the mean throughput (Mb/s) per remedy, in
# the order none inner inner64k pmtud mss1440 mtu1520 probe ("-": not run).
# One panel per link rate (10 and 100 Mb/s), x: ttcp write size (log),
# y: sustained bandwidth; the 1500-byte MTU dashed.
if (term eq "svg") { set terminal svg size 1400,560 font "Helvetica,13" } \
else { set terminal term size 1400,560 font "Helvetica,11" }
set output out
set datafile missing "-"
set multiplot layout 1,2 title figtitle." (mean of ".nruns." runs per point)"
set logscale x 2
set xrange [48:5500]
set xtics ("64" 64, "256" 256, "1024" 1024, "1460" 1460, "4096" 4096) nomirror
set xlabel "ttcp write size (bytes)"
set ylabel "sustained bandwidth (Mb/s)"
set yrange [0:*]
set grid ytics lc rgb "#dddddd"
set key top left Left reverse samplen 2 font ",10"
set arrow 1 from 1500, graph 0 to 1500, graph 1 nohead dt 2 lc rgb "#888888"
array lbl[7] = ["none (the paper: outer cut)", "inner cut, host server table 1024", \
	"inner cut, table 65536", "PMTUD (DF + ICMP)", "MSS 1440 advertised (emulated)", \
	"host server MTU 1520", "DF, ICMP filtered: black-hole detection"]
do for [r in "10 100"] {
	set title sprintf("%s Mb/s", r)
	plot for [i=1:7] prefix."_".r.".dat" using 1:(column(i+1)) with linespoints pt i ps 1.1 lw 1.5 title lbl[i]
}
unset multiplot
