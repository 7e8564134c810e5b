# fig3.gp - the paper's Figure 3a or 3b from the model's results.
#
# Called by tools/figures.sh with:
#   prefix   data file prefix: reads PREFIX_RATE_SERIES.dat, e.g.
#            analysis/figures/data/fig3a_10Mbps_virtualhost.dat, for SERIES in
#            clean, realhost, virtualhost (files that do not exist are left out)
#   bufs     the buffer lengths tested, ascending: "64 128 ... 4096"
#   rates    link rates, one panel each, left to right: "10Mbps 100Mbps"
#   nruns    runs per point, for the subtitle ("5" or "2-5")
#   figtitle the figure's title;  panel  "3a" or "3b" (which paper text)
#   ytops    per rate, the top of the bandwidth axis (Mb/s); ybots: of the
#            fragments axis (count per KB): fixed by figures.sh from the data
#   toppx botpx  the plot-area heights (PNG pixels) of the two panels
#   cinoteI cinotebI  per rate I, figures.sh's verdict on whether the 95%
#            CI error bars reach past their markers (bandwidth, fragments)
#   term     pngcairo, png or svg;  out  the file to write
# Data columns (see tools/figures.sh): 1 buflen, 3 throughput mean (Mb/s),
# 4 its 95% CI half-width, 10 redirector fragments_made per KB sent, 11 its
# CI, 12 host server datagrams reassembled per KB sent.
#
# Draws, per link rate, a column of two plots sharing the x axis (ttcp
# buffer length, one slot per size tested): on top the sustained bandwidth of the three
# series with 95% CI error bars; below, for the redirected (virtual host)
# series, the fragments the redirector made and the datagrams the host
# server reassembled per KB sent -- the cause of the redirection penalty
# once segment + tunnel header no longer fit one Ethernet frame.  The band
# 1400..1600 bytes (writes near the MTU) is shaded in both.
#
# The keys are drawn outside the plot areas (above the top panels, between
# the two rows), once for the whole figure, so they cover no data.
#
# The paper's values.  Section 4.3 gives no bandwidth number for Figure 3a
# or 3b (they are images; the text has only claims), so no bandwidth point
# of the paper can be drawn.  What the text gives as a number is the MTU:
# "close to MTU size (1500 Byte) or slightly larger" (section 4.3, on
# Figure 3a), drawn as a dashed line labelled "paper"; its claims are quoted
# in the title.

W = 1400; H = 1050
if (term eq "svg") {
    set terminal svg size W,H font "Helvetica,14" background rgb "white"
} else {
    eval sprintf("set terminal %s size %d,%d font 'Sans,12'", term, W, H)
}
set output out
set encoding utf8

datafile(r, s) = sprintf("%s_%s_%s.dat", prefix, r, s)
have(f) = int(system("test -s '" . f . "' && echo 1 || echo 0"))
# "10Mbps" -> "10 Mb/s"
ratelabel(r) = (strstrt(r, "Mbps") > 0) ? r[1:strstrt(r, "Mbps") - 1] . " Mb/s" : r
sname(s) = (s eq "clean") ? "clean (unmodified kernels)" : \
           (s eq "realhost") ? "to real host (HydraNet, not redirected)" : \
           "to virtual host (redirected, tunnelled)"
scolor(s) = (s eq "clean") ? "#a0a0a0" : (s eq "realhost") ? "#1f5fbf" : "#d62728"
spt(s) = (s eq "clean") ? 7 : (s eq "realhost") ? 5 : 9
# clean is drawn wide and light, so that real host (often equal) shows on it
# (the marker sizes are figures.sh's too: it judges the CIs against them)
slw(s) = (s eq "clean") ? 5 : 2
sps(s) = (s eq "clean") ? 1.8 : 1.1

# The paper's words on this figure (section 4.3).
paper_mtu = 1500     # section 4.3, on Figure 3a: "close to MTU size (1500 Byte)"
if (panel eq "3a") {
    claim = "paper (sec. 4.3, Fig. 3a), no bandwidth numbers in its text: \"the overhead on the router/redirector is negligible\", \"a small penalty for redirection when the packet size is close to MTU size (1500 Byte) or slightly larger\""
} else {
    claim = "paper (sec. 4.3, Fig. 3b), no bandwidth numbers in its text: \"a significant drop in sustained bandwidth for the case of redirection\"; for small packets \"the fixed per-packet processing overhead seems to be negligible\""
}

nr = words(rates)
set multiplot title figtitle . "\n{/*0.8 model results (not the paper's measurements): mean of " . nruns . " runs per point, error bars: 95% confidence interval}\n{/*0.75 " . claim . "}"

# x axis: the buffer lengths tested, evenly spaced (not to scale), so that
# the seven sizes between 1400 and 1600 bytes get half the width.
nb = words(bufs)
pos_from(b, i) = (i > nb) ? NaN : ((word(bufs, i) + 0 == b) ? i : pos_from(b, i + 1))
pos(b) = pos_from(int(b), 1)
# the paper's MTU, placed between the sizes tested around it
mtupos = NaN
do for [i = 1:nb - 1] {
    b0 = word(bufs, i) + 0; b1 = word(bufs, i + 1) + 0
    if (b0 <= paper_mtu && paper_mtu <= b1) { mtupos = i + (paper_mtu - b0) / (b1 - b0 + 0.0) }
}
set xrange [0.5:nb + 0.5]
set xtics rotate by 45 right offset 0.5, 0
set grid ytics lc rgb "#dddddd"
set border 3
set tics nomirror
# The band of writes near the Ethernet MTU: 1400..1600 bytes.
blo = nb + 1; bhi = 0
do for [i = 1:nb] {
    b = word(bufs, i) + 0
    if (b >= 1400 && b <= 1600) { blo = (i < blo) ? i : blo; bhi = (i > bhi) ? i : bhi }
}
if (bhi > 0) {
    set object 1 rect from blo - 0.5, graph 0 to bhi + 0.5, graph 1 behind fc rgb "#f3e6b3" fs solid 1.0 noborder
}
if (mtupos == mtupos) {
    set arrow 5 from mtupos, graph 0 to mtupos, graph 1 nohead dt 2 lw 1.5 lc rgb "black" front
}

# Vertical layout (fractions of the canvas), top to bottom: title, the key
# of the series, the panel titles, the bandwidth panels (toppx tall), the
# key of the fragment counts, the fragment panels (botpx tall), x labels.
ttop = 0.790; tbot = ttop - toppx / (H + 0.0)
bbot = 0.095; btop = bbot + botpx / (H + 0.0)

pw = 0.90 / nr        # width of one panel column
do for [i = 1:nr] {
    r = word(rates, i)
    x0 = 0.07 + (i - 1) * pw
    set lmargin at screen x0
    set rmargin at screen x0 + pw - 0.06

    # --- top: sustained bandwidth ------------------------------------------
    sers = ""
    do for [s in "clean realhost virtualhost"] {
        if (have(datafile(r, s))) { sers = sers . " " . s }
    }
    set tmargin at screen ttop
    set bmargin at screen tbot
    set title "link rate " . ratelabel(r) offset 0, 0.9
    set xtics ()                           # tics without labels
    do for [j = 1:nb] { set xtics add ("" j) }
    unset xlabel
    set ylabel "sustained TCP bandwidth (Mb/s)"
    set yrange [0:word(ytops, i) + 0]
    # one key for both columns, above the panels, outside every plot area
    if (i == 1) {
        set key at screen 0.5, 0.872 center center horizontal Left reverse box lc rgb "#bbbbbb" samplen 2 spacing 1.1 width 2 font ",12" maxcols 2 maxrows 2
    } else {
        unset key
    }
    if (bhi > 0) {
        set label 1 "1400-1600 B: near the Ethernet MTU" at (blo + bhi) / 2.0, graph 1.0 center front font ",10" tc rgb "#806000" offset 0, 0.6
    }
    set label 2 value(sprintf("cinote%d", i)) at graph 0.0, graph 0.0 left front font ",10" tc rgb "#555555" offset 0, -1.0
    plot for [s in sers] datafile(r, s) using (pos($1)):3:4 with yerrorlines \
         lw slw(s) pt spt(s) ps sps(s) lc rgb scolor(s) title sname(s), \
         NaN with lines dt 2 lw 1.5 lc rgb "black" title sprintf("paper: MTU %d B (sec. 4.3)", paper_mtu)
    unset label 1
    unset label 2

    # --- bottom: fragmentation of the redirected series --------------------
    set tmargin at screen btop
    set bmargin at screen bbot
    unset title
    set xtics ()                           # tics labelled with the size
    do for [j = 1:nb] { set xtics add (word(bufs, j) j) }
    set xlabel "ttcp buffer length (bytes per write; the sizes tested, evenly spaced)"
    set ylabel "count per KB sent"
    set yrange [0:word(ybots, i) + 0]
    if (i == 1) {
        set key at screen 0.5, (tbot + btop) / 2.0 - 0.008 center center horizontal Left reverse box lc rgb "#bbbbbb" samplen 2 width 2 font ",11" maxcols 3 maxrows 1
    } else {
        unset key
    }
    f = datafile(r, "virtualhost")
    g = datafile(r, "realhost")
    if (have(f)) {
        set label 2 value(sprintf("cinoteb%d", i)) at graph 0.0, graph 1.0 left front font ",10" tc rgb "#555555" offset 0, 0.6
        plot f using (pos($1)):10:11 with yerrorlines lw 2 pt 9 ps 1 lc rgb "#d62728" \
                title "virtual host: fragments made by the redirector", \
             f using (pos($1)):12 with linespoints lw 1.5 dt 2 pt 6 lc rgb "#8c564b" \
                title "virtual host: datagrams the host server reassembled", \
             (have(g) ? g : f) using (pos($1)):(have(g) ? $10 : NaN) with linespoints \
                lw 2 pt 5 ps 0.6 lc rgb "#1f5fbf" \
                title "real host, clean: none (not redirected)"
        unset label 2
    } else {
        set label 3 "no redirected (virtual host) series in the data" at graph 0.5, graph 0.5 center
        set yrange [0:1]
        plot NaN notitle
        unset label 3
    }
}
unset multiplot
