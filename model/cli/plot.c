/* plot.c - `hydranet plot DB --metric M --x P`: the mean of a metric over
 * each point's ok runs, with its 95% confidence interval (Student t, as
 * `hydranet summarize`) as error bars, against a swept parameter, one line
 * per value of --series, drawn by gnuplot from a generated script into
 * FILE.png, FILE.svg and FILE.gp (the script, to edit and re-run).
 *
 * x values: numbers with the same unit suffix ("5ms", "20ms") are drawn as
 * written, the unit in the axis label; mixed units of one kind ("500us",
 * "1ms") are converted to the base unit (s, bit/s, bytes, as param.c reads
 * them); anything else is drawn as categories in the order first stored.
 * Not here: the paper's figures (analysis/ gnuplot scripts, tools/figures.sh). */
#define _XOPEN_SOURCE 700
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "param.h"
#include "status.h"

#define MAX_WHERE 16
#define PLOT_W 960
#define PLOT_H 600
/* Height of the plotting area in pixels (PLOT_H less title, axis labels
 * and the note lines) and of a marker (pt 7 ps 1.2 in pngcairo), for the
 * "CIs smaller than the markers" note: approximate, measured on output. */
#define AREA_PX 450.0
#define MARKER_PX 9.0

/* Distinct strings, in the order first seen, with a numeric position. */
struct axis {
	char **v;
	double *pos;
	size_t n;
	int numeric;              /* pos are values (else category indices) */
	char label[160];          /* unit for the axis label: "ms", "s", "" */
};

static int axis_add(struct axis *a, const char *s)
{
	for (size_t i = 0; i < a->n; i++)
		if (!strcmp(a->v[i], s))
			return (int)i;
	char **nv = realloc(a->v, (a->n + 1) * sizeof *nv);
	if (!nv)
		return -1;
	a->v = nv;
	if (!(a->v[a->n] = strdup(s)))
		return -1;
	return (int)a->n++;
}

/* Give every value its position; see the file comment. */
static int axis_place(struct axis *a)
{
	if (!(a->pos = calloc(a->n + 1, sizeof *a->pos)))
		return -1;
	int same = 1, kind = 1;
	const char *u0 = NULL, *base0 = NULL;
	for (size_t i = 0; i < a->n; i++) {
		double v, f;
		const char *u, *base;
		if (param_split_number(a->v[i], &v, &u) != HN_OK) {
			same = kind = 0;
			break;
		}
		a->pos[i] = v;
		if (!u0)
			u0 = u;
		same &= !strcmp(u, u0);
		if (param_unit_base(u, &base, &f) != HN_OK || (base0 && strcmp(base, base0)))
			kind = 0;
		else if (!base0)
			base0 = base;
	}
	a->numeric = same || kind;
	if (same) {
		snprintf(a->label, sizeof a->label, "%s", u0 ? u0 : "");
	} else if (kind) {
		/* one kind in several units: each value in the kind's base unit */
		for (size_t i = 0; i < a->n; i++) {
			double v, f;
			const char *u, *base;
			param_split_number(a->v[i], &v, &u);
			param_unit_base(u, &base, &f);
			a->pos[i] = v * f;
		}
		snprintf(a->label, sizeof a->label, "%s", base0);
	} else
		for (size_t i = 0; i < a->n; i++)
			a->pos[i] = (double)i;
	return 0;
}

static void axis_free(struct axis *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	free(a->pos);
}

/* A gnuplot single-quoted string: '' stands for '. */
static void gp_string(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', f);
		if (*s != '\n' && *s != '\r')
			fputc(*s, f);
	}
	fputc('\'', f);
}

/* The value of column name (scenario, scenario_hash, or parameter p >= 0)
 * for run r; NULL where the run's point lacks the parameter. */
static const char *column_of(const struct cli_data *d, size_t r, int p, const char *name)
{
	if (p >= 0)
		return d->pval[r * d->nparams + (size_t)p];
	if (!strcmp(name, "scenario"))
		return d->t.run[r].scenario;
	return d->t.run[r].scenario_hash;
}

/* A parameter (or scenario, scenario_hash when extra) by name; exit status
 * 2 with the list when there is none, or several. */
static int find_param(const struct cli_data *d, const char *opt, const char *name, int extra,
		      const char *db, int *p)
{
	*p = -1;
	if (extra && (!strcmp(name, "scenario") || (extra > 1 && !strcmp(name, "scenario_hash"))))
		return 0;
	int i = cli_column_find(d->pname, d->nparams, name);
	if (i >= 0) {
		*p = i;
		return 0;
	}
	char head[600];
	snprintf(head, sizeof head, i == -2 ?
		 "hydranet plot: %s '%s' names several parameters of %s's runs; the parameters are:" :
		 "hydranet plot: %s '%s': no such swept or overridden parameter in %s's runs; "
		 "the parameters are:", opt, name, db);
	cli_list_names(head, d->pname, d->nparams);
	if (extra)
		fprintf(stderr, "  (and scenario%s)\n", extra > 1 ? ", scenario_hash" : "");
	return 2;
}

static int run_gnuplot(const char *script)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open("/dev/null", O_RDONLY);
		if (fd >= 0)
			dup2(fd, 0);
		execlp("gnuplot", "gnuplot", script, (char *)NULL);
		fprintf(stderr, "hydranet plot: cannot run gnuplot: %s (Debian: apt-get install "
			"gnuplot-nox)\n", strerror(errno));
		_exit(127);
	}
	int ws;
	if (waitpid(pid, &ws, 0) < 0 || !WIFEXITED(ws))
		return -1;
	return WEXITSTATUS(ws);
}

static int nonempty(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && st.st_size > 0;
}

struct cellstat {
	double mean, ci95;        /* ci95 NAN when n < 2 */
	size_t n;
};

int cli_plot(int argc, char **argv)
{
	const char *db = NULL, *metric = NULL, *xname = NULL, *sname = NULL, *scenario = NULL;
	const char *out = NULL, *title = NULL, *where[MAX_WHERE];
	int nwhere = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		const char **slot = !strcmp(a, "--metric") ? &metric : !strcmp(a, "--x") ? &xname :
				    !strcmp(a, "--series") ? &sname : !strcmp(a, "--scenario") ? &scenario :
				    !strcmp(a, "--out") ? &out : !strcmp(a, "--title") ? &title : NULL;
		if (slot && v) {
			*slot = v;
			i++;
		} else if (!strcmp(a, "--where") && v && nwhere < MAX_WHERE) {
			if (!strchr(v, '=')) {
				fprintf(stderr, "hydranet plot: --where '%s': expected PARAM=VALUE\n", v);
				return 2;
			}
			where[nwhere++] = v;
			i++;
		} else if (a[0] == '-' || db) {
			fprintf(stderr, "hydranet plot: unexpected argument '%s'%s\n", a,
				a[0] == '-' && !v ? " (without its value?)" : "");
			cli_usage(stderr, "plot");
			return 2;
		} else
			db = a;
	}
	if (!db || !metric || !xname) {
		fprintf(stderr, "hydranet plot: %s\n", !db ? "no database given" :
			!metric ? "--metric SCOPE.NAME is required" : "--x PARAM is required");
		cli_usage(stderr, "plot");
		return 2;
	}
	struct cli_data d;
	int rc = cli_data_load("plot", db, scenario, &d);
	struct axis xs = { 0 }, ss = { 0 };
	struct cellstat *cell = NULL;
	double *vals = NULL;
	int *xi = NULL, *si = NULL;
	char base[4096], path[3][4200];
	FILE *gp = NULL;
	if (rc)
		goto done;
	rc = 2;
	const struct res_table *t = &d.t;
	int m = cli_column_find(d.mcol, t->nmetrics, metric);
	if (m < 0) {
		char head[600];
		snprintf(head, sizeof head, "hydranet plot: --metric '%s': %s in %s%s%s; the metrics "
			 "stored are (SCOPE.NAME):", metric, m == -2 ? "names several metrics" :
			 "no such metric", db, scenario ? " for scenario " : "", scenario ? scenario : "");
		cli_list_names(head, d.mcol, t->nmetrics);
		goto done;
	}
	int px, ps = -1, pw[MAX_WHERE];
	char wname[MAX_WHERE][256];
	const char *wval[MAX_WHERE];
	if (find_param(&d, "--x", xname, 0, db, &px) ||
	    (sname && find_param(&d, "--series", sname, 1, db, &ps)))
		goto done;
	int series_scenario = sname && ps < 0;
	if (ps == px) {
		fprintf(stderr, "hydranet plot: --series names the --x parameter\n");
		goto done;
	}
	for (int w = 0; w < nwhere; w++) {
		size_t l = (size_t)(strchr(where[w], '=') - where[w]);
		snprintf(wname[w], sizeof wname[w], "%.*s",
			 (int)(l < sizeof wname[w] ? l : sizeof wname[w] - 1), where[w]);
		wval[w] = strchr(where[w], '=') + 1;
		if (find_param(&d, "--where", wname[w], 2, db, &pw[w]))
			goto done;
	}
	rc = 1;
	size_t nr = t->nruns;
	if (!(xi = calloc(nr + 1, sizeof *xi)) || !(si = calloc(nr + 1, sizeof *si)) ||
	    !(vals = calloc(nr + 1, sizeof *vals))) {
		fprintf(stderr, "hydranet plot: out of memory\n");
		goto done;
	}
	/* the runs drawn: ok, selected by --where, with the x parameter and the metric */
	size_t kept = 0, nox = 0;
	for (size_t r = 0; r < nr; r++) {
		xi[r] = si[r] = -1;
		if (strcmp(t->run[r].status, "ok") || isnan(t->value[r * t->nmetrics + (size_t)m]))
			continue;
		int pass = 1;
		for (int w = 0; w < nwhere && pass; w++) {
			const char *got = column_of(&d, r, pw[w], wname[w]);
			pass = got && !strcmp(got, wval[w]);
		}
		if (!pass)
			continue;
		const char *x = d.pval[r * d.nparams + (size_t)px];
		if (!x) {
			nox++;
			continue;
		}
		const char *s = series_scenario ? t->run[r].scenario :
				ps >= 0 ? d.pval[r * d.nparams + (size_t)ps] : "";
		if ((xi[r] = axis_add(&xs, x)) < 0 || (si[r] = axis_add(&ss, s ? s : "(default)")) < 0) {
			fprintf(stderr, "hydranet plot: out of memory\n");
			goto done;
		}
		kept++;
	}
	rc = 2;
	if (!kept) {
		fprintf(stderr, "hydranet plot: no ok runs in %s with both %s and %s set%s\n", db,
			d.pname[px], d.mcol[m], nwhere ? " that pass --where" : "");
		goto done;
	}
	/* Nothing else may vary: the runs of one (series, x) must be one point. */
	for (size_t p = 0; p <= d.nparams; p++) {
		if ((int)p == px || (int)p == ps || (p == d.nparams && series_scenario))
			continue;
		const char *first = NULL;
		int have = 0, varies = 0;
		for (size_t r = 0; r < nr && !varies; r++) {
			if (xi[r] < 0)
				continue;
			const char *v = p < d.nparams ? d.pval[r * d.nparams + p] : t->run[r].scenario;
			if (!have) {
				first = v;
				have = 1;
			} else
				varies = (!v) != (!first) || (v && strcmp(v, first));
		}
		if (varies) {
			const char *n = p < d.nparams ? d.pname[p] : "scenario";
			fprintf(stderr, "hydranet plot: %s also varies among the runs drawn (e.g. '%s'): "
				"make it the --series, or keep one value with --where %s=VALUE%s\n", n,
				first ? first : "(not set)", n,
				p == d.nparams ? " or --scenario NAME" : "");
			goto done;
		}
	}
	for (size_t r = 0, f = SIZE_MAX; r < nr; r++) {   /* one version of each scenario file */
		if (xi[r] < 0)
			continue;
		for (size_t q = 0; q < r; q++)
			if (xi[q] >= 0 && !strcmp(t->run[q].scenario, t->run[r].scenario) &&
			    strcmp(t->run[q].scenario_hash, t->run[r].scenario_hash)) {
				f = q;
				break;
			}
		if (f != SIZE_MAX) {
			fprintf(stderr, "hydranet plot: %s holds runs of two versions of %s (scenario_hash "
				"%s and %s): keep one with --where scenario_hash=HASH\n", db, t->run[r].scenario,
				t->run[f].scenario_hash, t->run[r].scenario_hash);
			goto done;
		}
	}
	rc = 1;
	if (axis_place(&xs) || axis_place(&ss) ||
	    !(cell = calloc(xs.n * ss.n + 1, sizeof *cell))) {
		fprintf(stderr, "hydranet plot: out of memory\n");
		goto done;
	}
	double lo = INFINITY, hi = -INFINITY, maxci = 0;
	size_t nmin = SIZE_MAX, nmax = 0, withci = 0, cells = 0;
	for (size_t s = 0; s < ss.n; s++)
		for (size_t x = 0; x < xs.n; x++) {
			size_t n = 0;
			for (size_t r = 0; r < nr; r++)
				if (xi[r] == (int)x && si[r] == (int)s)
					vals[n++] = t->value[r * t->nmetrics + (size_t)m];
			struct cellstat *c = &cell[s * xs.n + x];
			c->n = n;
			if (!n)
				continue;
			double sd;
			res_mean_ci95(vals, n, &c->mean, &sd, &c->ci95);
			double half = isnan(c->ci95) ? 0 : c->ci95;
			lo = fmin(lo, c->mean - half);
			hi = fmax(hi, c->mean + half);
			nmin = n < nmin ? n : nmin;
			nmax = n > nmax ? n : nmax;
			cells++;
			if (!isnan(c->ci95)) {
				withci++;
				maxci = fmax(maxci, c->ci95);
			}
		}
	double span = hi - lo;
	if (!(span > 0))
		span = fabs(hi) > 0 ? fabs(hi) * 0.2 : 1;
	double ylo = lo - 0.08 * span, yhi = hi + 0.08 * span;
	if (hi == lo) {
		ylo = lo - span / 2;
		yhi = hi + span / 2;
	}
	/* file names */
	if (out) {
		snprintf(base, sizeof base, "%s", out);
		size_t l = strlen(base);
		if (l > 4 && (!strcmp(base + l - 4, ".png") || !strcmp(base + l - 4, ".svg")))
			base[l - 4] = 0;
	} else {
		snprintf(base, sizeof base, "%s-vs-%s", d.mcol[m], d.pname[px]);
		for (char *c = base; *c; c++)
			if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
			      (*c >= '0' && *c <= '9') || *c == '.' || *c == '-' || *c == '_'))
				*c = '_';
	}
	static const char *const ext[3] = { ".png", ".svg", ".gp" };
	for (int k = 0; k < 3; k++)
		snprintf(path[k], sizeof path[k], "%s%s", base, ext[k]);
	if (!(gp = fopen(path[2], "w"))) {
		fprintf(stderr, "hydranet plot: %s: %s\n", path[2], strerror(errno));
		goto done;
	}
	/* the notes under the figure */
	char note[512], runs[64];
	if (nmin == nmax)
		snprintf(runs, sizeof runs, "n = %zu run%s per point", nmin, nmin == 1 ? "" : "s");
	else
		snprintf(runs, sizeof runs, "n = %zu..%zu runs per point", nmin, nmax);
	double marker = MARKER_PX / 2 * (yhi - ylo) / AREA_PX;   /* half a marker, data units */
	if (withci == 0)
		snprintf(note, sizeof note, "mean of %s: no 95%% CI with one run per point (--runs N)",
			 runs);
	else if (maxci < marker)
		snprintf(note, sizeof note, "mean and 95%% CI (Student t), %s; every CI is smaller "
			 "than its marker (largest half width %.3g)", runs, maxci);
	else
		snprintf(note, sizeof note, "mean and 95%% CI (Student t) as error bars, %s%s", runs,
			 withci < cells ? "; points with one run have no CI" : "");
	char xlabel[700], deftitle[700];
	snprintf(xlabel, sizeof xlabel, "%s%s%s%s", d.pname[px], xs.label[0] ? " (" : "",
		 xs.label, xs.label[0] ? ")" : "");
	snprintf(deftitle, sizeof deftitle, "%s vs %s", d.mcol[m], d.pname[px]);
	fprintf(gp, "# %s: written by hydranet plot from %s; gnuplot %s redraws it\n", path[2], db,
		path[2]);
	fprintf(gp, "set terminal pngcairo noenhanced size %d,%d font ',10'\nset output ", PLOT_W,
		PLOT_H);
	gp_string(gp, path[0]);
	fputs("\nset title ", gp);
	gp_string(gp, title ? title : deftitle);
	fputs("\nset xlabel ", gp);
	gp_string(gp, xlabel);
	fputs("\nset ylabel ", gp);
	gp_string(gp, d.mcol[m]);
	fputs("\nset key outside right top vertical box width 2", gp);
	if (sname) {
		fputs(" title ", gp);
		gp_string(gp, series_scenario ? "scenario" : d.pname[ps]);
	}
	fprintf(gp, "\nset grid\nset bmargin 6\nset yrange [%.17g:%.17g]\nset label 1 ", ylo, yhi);
	gp_string(gp, note);
	fputs(" at screen 0.01, screen 0.025 left font ',9'\n", gp);
	if (xs.numeric) {
		double xmin = INFINITY, xmax = -INFINITY;
		for (size_t x = 0; x < xs.n; x++) {
			xmin = fmin(xmin, xs.pos[x]);
			xmax = fmax(xmax, xs.pos[x]);
		}
		if (xmin > 0 && xmax / xmin >= 50)
			fputs("set logscale x\n", gp);
		fputs("set offsets graph 0.05, graph 0.05, 0, 0\n", gp);
	} else {
		fprintf(gp, "set xrange [-0.5:%zu.5]\nset xtics (", xs.n - 1);
		for (size_t x = 0; x < xs.n; x++) {
			fputs(x ? ", " : "", gp);
			gp_string(gp, xs.v[x]);
			fprintf(gp, " %zu", x);
		}
		fputs(")\n", gp);
	}
	/* one data block per series: x, mean, ci95 (0 without), n, x as written */
	size_t *order = calloc(xs.n + 1, sizeof *order);
	if (!order) {
		fprintf(stderr, "hydranet plot: out of memory\n");
		goto done;
	}
	for (size_t x = 0; x < xs.n; x++)
		order[x] = x;
	for (size_t a = 1; a < xs.n; a++)   /* by position; few values */
		for (size_t b = a; b > 0 && xs.pos[order[b]] < xs.pos[order[b - 1]]; b--) {
			size_t tmp = order[b];
			order[b] = order[b - 1];
			order[b - 1] = tmp;
		}
	size_t *sorder = calloc(ss.n + 1, sizeof *sorder);
	if (!sorder) {
		free(order);
		fprintf(stderr, "hydranet plot: out of memory\n");
		goto done;
	}
	for (size_t s = 0; s < ss.n; s++)
		sorder[s] = s;
	for (size_t a = 1; ss.numeric && a < ss.n; a++)
		for (size_t b = a; b > 0 && ss.pos[sorder[b]] < ss.pos[sorder[b - 1]]; b--) {
			size_t tmp = sorder[b];
			sorder[b] = sorder[b - 1];
			sorder[b - 1] = tmp;
		}
	printf("%s%s%s\tn\tmean\tci95\n", sname ? (series_scenario ? "scenario" : d.pname[ps]) : "",
	       sname ? "\t" : "", d.pname[px]);
	for (size_t k = 0; k < ss.n; k++) {
		size_t s = sorder[k];
		fprintf(gp, "$s%zu << EOD\n", k);
		for (size_t j = 0; j < xs.n; j++) {
			size_t x = order[j];
			const struct cellstat *c = &cell[s * xs.n + x];
			if (!c->n)
				continue;
			fprintf(gp, "%.17g %.17g %.17g %zu\n", xs.pos[x], c->mean,
				isnan(c->ci95) ? 0.0 : c->ci95, c->n);
			if (sname)
				printf("%s\t", ss.v[s]);
			printf("%s\t%zu\t%.6g\t", xs.v[x], c->n, c->mean);
			if (isnan(c->ci95))
				printf("-\n");
			else
				printf("%.6g\n", c->ci95);
		}
		fputs("EOD\n", gp);
	}
	fputs("plot ", gp);
	for (size_t k = 0; k < ss.n; k++) {
		char lt[600];
		snprintf(lt, sizeof lt, "%s", sname ? ss.v[sorder[k]] : "mean, 95% CI");
		fprintf(gp, "%s$s%zu using 1:2:3 with yerrorlines lw 1.5 pt 7 ps 1.2 title ",
			k ? ", \\\n     " : "", k);
		gp_string(gp, lt);
	}
	fputs("\nset terminal svg noenhanced size 960,600 dynamic font ',10'\nset output ", gp);
	gp_string(gp, path[1]);
	fputs("\nreplot\nset output\n", gp);
	free(order);
	free(sorder);
	int bad = ferror(gp);
	if (fclose(gp) != 0 || bad) {
		gp = NULL;
		fprintf(stderr, "hydranet plot: %s: write error\n", path[2]);
		goto done;
	}
	gp = NULL;
	remove(path[0]);
	remove(path[1]);
	fflush(stdout);
	int g = run_gnuplot(path[2]);
	if (g != 0 || !nonempty(path[0]) || !nonempty(path[1])) {
		fprintf(stderr, "hydranet plot: gnuplot %s failed (status %d)\n", path[2], g);
		goto done;
	}
	printf("%s, %s (script %s): %zu points in %zu line%s\n", path[0], path[1], path[2], cells,
	       ss.n, ss.n == 1 ? "" : "s");
	if (nox)
		printf("%zu runs without %s in their params (the file's value) left out\n", nox,
		       d.pname[px]);
	rc = 0;
done:
	if (gp)
		fclose(gp);
	axis_free(&xs);
	axis_free(&ss);
	free(cell);
	free(vals);
	free(xi);
	free(si);
	cli_data_free(&d);
	return rc;
}
