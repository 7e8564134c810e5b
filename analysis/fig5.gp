# fig5.gp - the paper's Figure 5 (section 5, HydraWeb): Web service latency
# for clients at Texas A&M fetching 1200-byte pages from ICSI, Berkeley,
# (a) with no replica, (b) with a HydraWeb replica at Texas A&M; below each
# distribution, the ping trace measured during the experiment.
#
# Called by tools/figures.sh with:
#   panel     "a" (no replica) or "b" (replica: hits and misses apart)
#   histfile  analysis/figures/data/fig5X_hist.dat, one row per latency bin
#             with at least one request, all runs of the scenario pooled:
#               1 bin centre (s)  2 fraction of all requests (ok ones)
#               3 fraction that were cache hits  4 misses  5 neither (NULL)
#             every fraction over the same total, nreq (so the hit and miss
#             areas add up to 1 and show the split)
#   pingfile  analysis/figures/data/fig5X_ping.dat: send time (s), RTT (ms)
#             of the pings of run pingrun (empty: no trace)
#   binw      the histogram's bin width (s);  xmax  the x range drawn (s)
#   nreq nfail nruns   ok requests pooled, failed requests, runs pooled
#   nhit nmiss         ok requests the replica answered as hit / miss
#   nbeyond maxlat     ok requests slower than xmax, the slowest (s)
#   mean ci            mean service latency (s) and its 95% CI half-width:
#   hmean hci          across runs when cin >= 2 (summaries), else the
#   mmean mci          CI over the requests of the only run; hits, misses
#   cin                (panel b); a mean < 0 is absent (not drawn)
#   pingrun pmean psent precv   the run number of the ping trace, its mean
#                      RTT (ms), pings sent and answered
#   cinote5   figures.sh's verdict on whether the 95% CI error bars of the
#             model's means (drawn on their lines) reach past the markers
#   term      pngcairo, png or svg;  out  the file to write
#
# The paper's reported values are marked with dashed lines: 5(a) mean
# latency 1.5 s, ping mean 390 ms; 5(b) hit mean 0.12 s (120 msec), miss
# mean 2.2 s, ping mean 520 ms (1235 hits against 765 misses).

W = 1100; H = 850
if (term eq "svg") {
    set terminal svg size W,H font "Helvetica,14" background rgb "white"
} else {
    eval sprintf("set terminal %s size %d,%d font 'Sans,12'", term, W, H)
}
set output out
set encoding utf8

# The paper's values (section 5, the text on Figure 5):
if (panel eq "a") {
    paper_mean = 1.5     # 5(a): "The average time to get a page from the Web server is 1.5 sec."
    paper_ping = 390     # 5(a): ping round trip "during the experiment averages 390 msec"
    what = "no replica: every request crosses the WAN to the origin at ICSI"
} else {
    paper_hit = 0.12     # 5(b): "The average service latency for a page in the cache is 120 msec"
    paper_miss = 2.2     # 5(b): "while for a missed page it is 2.2 sec"
    paper_ping = 520     # 5(b): "the round-trip for ping packets in the second experiment averages 520 msec"
    paper_nhit = 1235; paper_nmiss = 765   # 5(b): "The replica cache registers 1235 hits against 765 misses."
    what = "HydraWeb replica at Texas A\\&M: hits served there, misses relayed to ICSI"
}
chit = "#2ca02c"; chitd = "#1a7a1a"; cmiss = "#d62728"; call = "#1f5fbf"; cother = "#999999"
cpaper = "#000000"

# 1.234 -> "1.23 s"; small values keep three decimals (0.120 s)
sec(v) = (v < 0.995) ? sprintf("%.3f", v) : sprintf("%.2f", v)
cinote = (cin >= 2) ? "±: 95% CI of the mean across runs" : "±: 95% CI of the mean over the run's requests"
pct(k) = (nreq > 0) ? 100.0 * k / nreq : 0

runs = (nruns == 1) ? "1 run" : sprintf("%d runs pooled", nruns)
sub = sprintf("model results: %d requests for 1200-byte pages, %s", nreq, runs)
if (nfail > 0) { sub = sub . sprintf(" (%d failed requests not drawn)", nfail) }
# (the mean of all requests, for 5(b): labelled as the CI is, below)
ciall(c) = (c < 0) ? "?" : (c >= 0.0095) ? sprintf("%.2f s", c) : sprintf("%.1f ms", 1000 * c)
if (panel eq "b" && mean >= 0) { sub = sub . sprintf("; mean of all: %s s ± %s", sec(mean), ciall(ci)) }
sub2 = cinote . "; dashed lines: the values the paper reports (section 5)"
if (strlen(cinote5) > 0) { sub2 = sub2 . "}\n{/*0.8 error bars on the means: " . cinote5 }
set multiplot title sprintf("Figure 5(%s) (HydraNet model): Web service latency distribution and ping trace\n{/*0.85 %s}\n{/*0.8 %s}\n{/*0.8 %s}", panel, what, sub, sub2)

set lmargin at screen 0.09
set rmargin at screen 0.97

# ---- top: service-latency distribution -------------------------------------
set tmargin at screen 0.815
set bmargin at screen 0.45
set xrange [0:xmax]
set xtics 0.5
set mxtics 5
set grid xtics ytics lc rgb "#e4e4e4"
set border 3
set tics nomirror
set xlabel "service latency: connect() to last byte (s)" offset 0, 0.3
set ylabel sprintf("fraction of requests per %.0f ms bin", 1000 * binw)
set style fill transparent solid 0.65 noborder
inr(x) = (x - binw / 2 <= xmax) ? 1 : 0

# y range: room for the labels above the tallest bar in range.  When hits
# concentrate in one or two bins far taller than the misses' (the replica
# answers in a nearly constant time), their bars are cut, with a note, so
# that the miss distribution can be read.
ytall = 0.1
cut = 0
if (nreq > nbeyond) {    # (stats fails when no bin is in range)
    stats histfile using (inr($1) ? $2 : NaN) nooutput
    ytall = STATS_max
}
if (panel eq "b" && nreq > nbeyond) {
    stats histfile using 1:(inr($1) ? $3 : NaN) nooutput
    yhit = STATS_max_y; xhit = STATS_pos_max_y
    stats histfile using (inr($1) ? $4 + $5 : NaN) nooutput
    yrest = STATS_max
    if (yhit > 4 * yrest && yrest > 0) { cut = 1 }
}
ytop = cut ? 2.2 * yrest : 1.6 * ytall
set yrange [0:ytop]
set format y "%.2f"
if (ytop < 0.05) { set format y "%.3f" }

# Mean lines: the model's (solid, wide) and the paper's (dashed, on top, so
# both show when they nearly coincide).  Each pair is labelled to the right
# of both lines, one row each, with an arrow to its line; rows are placed
# above the tallest bars (ytop leaves the top third or more free).
set style textbox opaque noborder margins 0.5, 0.5
gap = xmax / 60.0
mlines = 0      # arrows/labels used so far
# mark(x, colr, dash, txt, y, right): a line at x, its label at (right, y)
mark(x, colr, dash, txt, y, right) = sprintf( \
    "set arrow %d from first %.9g, graph 0 to first %.9g, graph 1 nohead front lw %g lc rgb '%s' dt %d;" . \
    "set arrow %d from first %.9g, graph %g to first %.9g, graph %g head front filled size screen 0.007, 20 lw 1 lc rgb '%s';" . \
    "set label %d \"%s\" at first %.9g, graph %g left front boxed tc rgb '%s' offset 0.3, 0 font ',11'", \
    2 * mlines + 1, x, x, (dash == 1 ? 4 : 1.8), colr, dash, \
    2 * mlines + 2, right, y, x, y, colr, \
    mlines + 1, txt, right, y, colr)
maxof(a, b) = (a > b) ? a : b
# CI half-width: in s, ms or µs as its size needs
cifmt(c) = (c < 0) ? "?" : (c >= 0.0095) ? sprintf("%.2f s", c) : (c >= 0.00095) ? sprintf("%.1f ms", 1000 * c) : sprintf("%.0f µs", 1e6 * c)
mlabel(what, m, c) = sprintf("%s %s s ± %s", what, sec(m), cifmt(c))

# the key above the plot area, right-aligned with it: it covers no bar
set key at screen 0.97, screen 0.822 right bottom horizontal Left reverse box lc rgb "#bbbbbb" samplen 2 width 1 spacing 1.15 font ",12" maxrows 1
# The model's means as markers on their lines, with the 95% CI as
# horizontal error bars (rows as the labels; absent means are NaN).
ya = 0.80; yh = 0.86; ym = 0.68
if (panel eq "a") {
    r = maxof(mean, paper_mean) + gap
    if (mean >= 0) { eval mark(mean, call, 1, mlabel("mean", mean, ci), ya, r); mlines = mlines + 1 }
    eval mark(paper_mean, cpaper, 2, sprintf("paper (sec. 5): %.1f s", paper_mean), 0.72, r); mlines = mlines + 1
} else {
    r = maxof(hmean, paper_hit) + 2 * gap
    if (cut) { r = maxof(r, xhit + binw / 2 + gap) }
    if (hmean >= 0) { eval mark(hmean, chitd, 1, mlabel("hit mean", hmean, hci), yh, r); mlines = mlines + 1 }
    eval mark(paper_hit, cpaper, 2, sprintf("paper (sec. 5): hit %.2f s", paper_hit), 0.79, r); mlines = mlines + 1
    r = maxof(mmean, paper_miss) + gap
    if (mmean >= 0) { eval mark(mmean, cmiss, 1, mlabel("miss mean", mmean, mci), ym, r); mlines = mlines + 1 }
    eval mark(paper_miss, cpaper, 2, sprintf("paper (sec. 5): miss %.1f s", paper_miss), 0.61, r); mlines = mlines + 1
    if (cut) {
        set label 20 sprintf("↑ hit bar cut: %.1f%% of requests", 100 * yhit) \
            at first xhit + binw / 2 + gap, graph 0.955 left front boxed tc rgb chitd offset 0.3, 0 font ",11"
    }
}
if (nbeyond > 0) {
    set label 21 sprintf("not drawn: %d requests (%.1f%%) slower than %g s, the slowest %.1f s", \
        nbeyond, pct(nbeyond), xmax, maxlat) at graph 0.99, graph 0.50 right front boxed font ",11" tc rgb "#555555"
}

if (panel eq "a") {
    plot histfile using 1:2:(binw) with boxes lc rgb call \
         title sprintf("all requests (%d, served by the origin)", nreq), \
         '+' every ::0::0 using (mean >= 0 ? mean : NaN):(ya * ytop):(ci > 0 ? ci : 0) \
         with xerrorbars pt 7 ps 1 lw 1.5 lc rgb call notitle
} else {
    nother = nreq - nhit - nmiss
    plot histfile using 1:3:(binw) with boxes lc rgb chit \
         title sprintf("cache hits: %d (%.1f%%; paper: %d of %d, %.1f%%)", nhit, pct(nhit), \
             paper_nhit, paper_nhit + paper_nmiss, 100.0 * paper_nhit / (paper_nhit + paper_nmiss)), \
         histfile using 1:4:(binw) with boxes lc rgb cmiss \
         title sprintf("cache misses: %d (%.1f%%; paper: %d, %.1f%%)", nmiss, pct(nmiss), \
             paper_nmiss, 100.0 * paper_nmiss / (paper_nhit + paper_nmiss)), \
         '+' every ::0::0 using (hmean >= 0 ? hmean : NaN):(yh * ytop):(hci > 0 ? hci : 0) \
         with xerrorbars pt 7 ps 1 lw 1.5 lc rgb chitd notitle, \
         '+' every ::0::0 using (mmean >= 0 ? mmean : NaN):(ym * ytop):(mci > 0 ? mci : 0) \
         with xerrorbars pt 7 ps 1 lw 1.5 lc rgb cmiss notitle, \
         histfile using 1:(nother > 0 ? $5 : NaN):(binw) with boxes lc rgb cother \
         title (nother > 0 ? sprintf("no X-Cache verdict: %d", nother) : "")
}
unset arrow
unset label

# ---- bottom: ping trace of one run -------------------------------------------
set tmargin at screen 0.29
set bmargin at screen 0.07
set style fill solid 1.0
set autoscale xy
set xtics autofreq
set format y "%.0f"
set xlabel "simulated time (s)" offset 0, 0.3
set ylabel "ping round-trip time (ms)"
# the key above the plot area, right-aligned with it; the title above both
set key at screen 0.97, screen 0.298 right bottom horizontal Left reverse box lc rgb "#bbbbbb" samplen 2 width -3 font ",11" maxrows 1
havep = int(system("test -s '" . pingfile . "' && echo 1 || echo 0"))
if (havep) {
    stats pingfile using 1:2 nooutput
    set xrange [STATS_min_x:STATS_max_x]
    set yrange [0:1.05 * STATS_max_y]
    if (psent > 0 && precv >= 0) {
        set label 30 sprintf("ping trace of run %d: %d of %d pings answered (%.1f%% lost)", \
            pingrun, precv, psent, 100.0 * (psent - precv) / psent) at screen 0.53, screen 0.352 center font ",12"
    } else {
        set label 30 sprintf("ping trace of run %d", pingrun) at screen 0.53, screen 0.352 center font ",12"
    }
    plot pingfile using 1:2 with lines lw 0.6 lc rgb "#6b8fbf" title "RTT", \
         (pmean >= 0 ? pmean : NaN) with lines lw 2.5 lc rgb "#d62728" \
         title (pmean >= 0 ? sprintf("mean %.0f ms", pmean) : "mean: no ping_rtt_mean_ms"), \
         paper_ping with lines lw 2 dt 2 lc rgb cpaper title sprintf("paper (sec. 5): %.0f ms", paper_ping)
} else {
    set xrange [0:1]; set yrange [0:1]
    set label 1 "no ping trace recorded (series texas.ping_rtt_ms)" at graph 0.5, graph 0.5 center
    plot NaN notitle
}
unset multiplot
