# fig3.gp - the paper's Figure 3a or 3b from the model's results.
#
# Called by tools/figures.sh with:
#   prefix   data file prefix: reads PREFIX_RATE_SERIES.dat, e.g.
#            analysis/figures/data/fig3a_10Mbps_virtualhost.dat, for SERIES in
#            clean, realhost, virtualhost (files that do not exist are left out)
#   bufs     the buffer lengths tested, ascending: "64 128 ... 4096"
#   rates    link rates, one panel each, left to right: "10Mbps 100Mbps"
#   nruns    runs per point, for the subtitle ("5" or "2-5")
#   figtitle the figure's title
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

W = 1400; H = 950
if (term eq "svg") {
    set terminal svg size W,H font "Helvetica,14" background rgb "white"
} else {
    eval sprintf("set terminal %s size %d,%d font 'Sans,12'", term, W, H)
}
set output out

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
slw(s) = (s eq "clean") ? 5 : 2
sps(s) = (s eq "clean") ? 1.8 : 1.1

nr = words(rates)
set multiplot title figtitle . "\n{/*0.8 model results (not the paper's measurements): mean of " . nruns . " runs per point, error bars: 95% confidence interval}"

# x axis: the buffer lengths tested, evenly spaced (not to scale), so that
# the seven sizes between 1400 and 1600 bytes get half the width.
nb = words(bufs)
pos_from(b, i) = (i > nb) ? NaN : ((word(bufs, i) + 0 == b) ? i : pos_from(b, i + 1))
pos(b) = pos_from(int(b), 1)
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
    set tmargin at screen 0.86
    set bmargin at screen 0.40
    set title "link rate " . ratelabel(r) offset 0, 1
    set xtics ()                           # tics without labels
    do for [j = 1:nb] { set xtics add ("" j) }
    unset xlabel
    set ylabel "sustained TCP bandwidth (Mb/s)"
    set yrange [0:*]
    set key bottom right Left reverse opaque box lc rgb "#bbbbbb" samplen 2 spacing 1.1 width 0 font ",12"
    if (bhi > 0) {
        set label 1 "1400-1600 B: near the Ethernet MTU" at (blo + bhi) / 2.0, graph 1.0 center front font ",10" tc rgb "#806000" offset 0, 0.6
    }
    plot for [s in sers] datafile(r, s) using (pos($1)):3:4 with yerrorlines \
         lw slw(s) pt spt(s) ps sps(s) lc rgb scolor(s) title sname(s)
    unset label 1

    # --- bottom: fragmentation of the redirected series --------------------
    set tmargin at screen 0.36
    set bmargin at screen 0.08
    unset title
    set xtics ()                           # tics labelled with the size
    do for [j = 1:nb] { set xtics add (word(bufs, j) j) }
    set xlabel "ttcp buffer length (bytes per write; the sizes tested, evenly spaced)"
    set ylabel "count per KB sent"
    set yrange [0:*]
    set key top left Left reverse opaque box lc rgb "#bbbbbb" samplen 2 width -3 font ",11"
    f = datafile(r, "virtualhost")
    g = datafile(r, "realhost")
    if (have(f)) {
        # leave the top ~third of the panel for the key
        stats f using 10 nooutput
        set yrange [0:(STATS_max > 0 ? STATS_max * 1.5 : 1)]
        plot f using (pos($1)):10:11 with yerrorlines lw 2 pt 9 lc rgb "#d62728" \
                title "virtual host: fragments made by the redirector", \
             f using (pos($1)):12 with linespoints lw 1.5 dt 2 pt 6 lc rgb "#8c564b" \
                title "virtual host: datagrams the host server reassembled", \
             (have(g) ? g : f) using (pos($1)):(have(g) ? $10 : NaN) with linespoints \
                lw 2 pt 5 ps 0.6 lc rgb "#1f5fbf" \
                title "real host, clean: none (not redirected)"
    } else {
        set label 3 "no redirected (virtual host) series in the data" at graph 0.5, graph 0.5 center
        set yrange [0:1]
        plot NaN notitle
        unset label 3
    }
}
unset multiplot
