# conn-setup.gp - TCP connection-setup latency, traditional vs replicated port
# (paper, section 4.3: "connection setups to replicated TCP ports on host
# servers take only marginally longer (less than 0.1 msec) than to
# traditional ports").
#
# Called by tools/figures.sh with:
#   datafile  analysis/figures/data/conn-setup.dat, two rows (realhost first):
#             x  series  connect_mean_ms  ci95  n
#   ytop      the top of the y axis (ms), from figures.sh
#   plotpx    the plot area's height in PNG pixels (figures.sh judges the
#             error bars against it);  cinote  its verdict on the 95% CIs
#   term      pngcairo, png or svg;  out  the file to write
#
# Draws one bar per series (mean connect() time of the model's runs) with
# its 95% CI error bar (often thinner than the line: the half-width is also
# printed), the value above each bar, the paper's 0.1 ms bound, and the difference
# virtual - real host annotated in ms (its CI taken as the root sum of
# squares of the two half-widths, an approximation).

if (term eq "svg") {
    set terminal svg size 800,600 font "Helvetica,14" background rgb "white"
} else {
    eval sprintf("set terminal %s size 800,600 font 'Sans,12'", term)
}
set output out
set encoding utf8

# The two means, half-widths and run counts (row 0 realhost, row 1 virtualhost).
stats datafile using 3 every ::0::0 nooutput
real = STATS_min
stats datafile using 4 every ::0::0 nooutput
real_ci = STATS_min
stats datafile using 3 every ::1::1 nooutput
virt = STATS_min
stats datafile using 4 every ::1::1 nooutput
virt_ci = STATS_min
stats datafile using 5 nooutput
nmin = int(STATS_min); nmax = int(STATS_max)
runs = (nmin == nmax) ? sprintf("%d", nmin) : sprintf("%d-%d", nmin, nmax)
diff = virt - real
diff_ci = sqrt(real_ci**2 + virt_ci**2)

set title "TCP connection setup (HydraNet model), Pentium/120s, 10 Mb/s\n" . \
          "{/*0.8 mean time from connect() to established, " . runs . \
          " runs per bar, error bars: 95% confidence interval}"
set style fill solid 0.75 border lc rgb "black"
set boxwidth 0.55
set xrange [0.4:2.6]
# The paper's value: "connection setups to replicated TCP ports on host
# servers take only marginally longer (less than 0.1 msec) than to
# traditional ports" (section 4.3, its last paragraph).
paper_bound = 0.1    # ms, section 4.3
set yrange [0:ytop]
set tmargin at screen 0.83
set bmargin at screen 0.83 - plotpx / 600.0
set ylabel "connection-setup latency (ms)"
set xtics ("traditional port\n(real host address)" 1, "replicated port\n(virtual host, redirected)" 2) nomirror
set ytics nomirror
set border 3
set grid ytics lc rgb "#dddddd"
unset key

set label 1 sprintf("replicated - traditional = %+.3f ms (± %.4f, 95%% CI)\npaper (sec. 4.3): less than %.1f ms", diff, diff_ci, paper_bound) \
    at graph 0.5, graph 0.94 center front
# The paper's bound, drawn over the replicated-port bar: traditional + 0.1 ms.
set arrow 1 from 1.62, real + paper_bound to 2.38, real + paper_bound nohead dt 2 lw 1.5 lc rgb "#404040" front
set label 2 "paper (sec. 4.3): less than traditional + 0.1 ms" at 2, real + paper_bound center offset 0, 0.7 font ",10" front

set label 3 cinote at screen 0.5, screen 0.02 center font ",10" tc rgb "#555555"
colour(x) = (x == 1) ? 0x1f5fbf : 0xd62728
plot datafile using 1:3:(colour($1)) with boxes lc rgb variable, \
     '' using 1:3:4 with yerrorbars lc rgb "black" pt 7 ps 0.4 lw 1.5, \
     '' using 1:3:(sprintf("%.3f ms", $3)) with labels offset 0, 1.2, \
     '' using 1:3:(sprintf("± %.4f", $4)) with labels offset 0, -1.2
