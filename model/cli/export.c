/* export.c - `hydranet export DB`: the runs of a results database (or the
 * summaries of its points) as CSV (RFC 4180) or JSON, for pandas, R,
 * spreadsheets and jq; see cli.h and `hydranet export --help`. */
#define _XOPEN_SOURCE 700
#include "cli/cli.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum cell_kind {
	CELL_NULL,    /* empty cell, JSON null */
	CELL_TEXT,    /* a string */
	CELL_VALUE,   /* a parameter value as written: a JSON number when it reads as one */
	CELL_INT,
	CELL_REAL
};

struct cell {
	enum cell_kind kind;
	const char *s;
	int64_t i;
	double d;
};

struct writer {
	FILE *f;
	int json;
	char **cols;
	size_t ncols, rows;
};

/* The shortest of %.15g..%.17g that reads back as v (15 digits is what
 * sqlite3 prints, so the two agree wherever that is exact). */
static void fmt_real(char *out, size_t len, double v)
{
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(out, len, "%.*g", prec, v);
		if (strtod(out, NULL) == v)
			return;
	}
}

/* Whether t is a number in JSON's grammar (RFC 8259 section 6). */
static int json_number(const char *t)
{
	if (*t == '-')
		t++;
	if (*t == '0')
		t++;
	else if (*t >= '1' && *t <= '9')
		while (*t >= '0' && *t <= '9')
			t++;
	else
		return 0;
	if (*t == '.') {
		t++;
		if (!(*t >= '0' && *t <= '9'))
			return 0;
		while (*t >= '0' && *t <= '9')
			t++;
	}
	if (*t == 'e' || *t == 'E') {
		t++;
		if (*t == '+' || *t == '-')
			t++;
		if (!(*t >= '0' && *t <= '9'))
			return 0;
		while (*t >= '0' && *t <= '9')
			t++;
	}
	return *t == 0;
}

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c == '"' || *c == '\\')
			fprintf(f, "\\%c", *c);
		else if (*c == '\n')
			fputs("\\n", f);
		else if (*c == '\r')
			fputs("\\r", f);
		else if (*c == '\t')
			fputs("\\t", f);
		else if (*c < 0x20)
			fprintf(f, "\\u%04x", *c);
		else
			fputc(*c, f);
	}
	fputc('"', f);
}

/* RFC 4180 section 2: a field holding a comma, a double quote, CR or LF is
 * enclosed in double quotes, and a double quote in it is doubled. */
static void csv_field(FILE *f, const char *s)
{
	if (!s[strcspn(s, ",\"\r\n")]) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void put_cell(struct writer *w, const struct cell *c)
{
	char num[40];
	switch (c->kind) {
	case CELL_NULL:
		if (w->json)
			fputs("null", w->f);
		break;
	case CELL_TEXT:
	case CELL_VALUE:
		if (!w->json)
			csv_field(w->f, c->s);
		else if (c->kind == CELL_VALUE && json_number(c->s))
			fputs(c->s, w->f);
		else
			json_string(w->f, c->s);
		break;
	case CELL_INT:
		fprintf(w->f, "%lld", (long long)c->i);
		break;
	case CELL_REAL:
		if (!isfinite(c->d)) {   /* JSON has no infinities */
			fputs(w->json ? "null" : isnan(c->d) ? "nan" : c->d > 0 ? "inf" : "-inf", w->f);
			break;
		}
		fmt_real(num, sizeof num, c->d);
		fputs(num, w->f);
		break;
	}
}

static void writer_begin(struct writer *w)
{
	if (w->json) {
		fputc('[', w->f);
		return;
	}
	for (size_t i = 0; i < w->ncols; i++) {
		if (i)
			fputc(',', w->f);
		csv_field(w->f, w->cols[i]);
	}
	fputs("\r\n", w->f);
}

static void writer_row(struct writer *w, const struct cell *cells)
{
	if (w->json)
		fputs(w->rows ? ",\n{" : "\n{", w->f);
	for (size_t i = 0; i < w->ncols; i++) {
		if (i)
			fputs(w->json ? ", " : ",", w->f);
		if (w->json) {
			json_string(w->f, w->cols[i]);
			fputs(": ", w->f);
		}
		put_cell(w, &cells[i]);
	}
	fputs(w->json ? "}" : "\r\n", w->f);
	w->rows++;
}

static void writer_end(struct writer *w)
{
	if (w->json)
		fputs(w->rows ? "\n]\n" : "]\n", w->f);
}

static const char *const run_cols[] = { "id", "scenario", "scenario_hash", "params", "seed",
	"run_number", "status", "wall_seconds", "sim_seconds", "events", "code_version" };
#define NRUNCOLS (sizeof run_cols / sizeof run_cols[0])

static int add_col(struct writer *w, const char *name, const char *suffix)
{
	size_t l = strlen(name) + strlen(suffix) + 1;
	if (!(w->cols[w->ncols] = malloc(l)))
		return -1;
	snprintf(w->cols[w->ncols++], l, "%s%s", name, suffix);
	return 0;
}

/* One row per run.  0 or 1 (out of memory). */
static int write_runs(struct writer *w, const struct cli_data *d)
{
	const struct res_table *t = &d->t;
	size_t n = NRUNCOLS + d->nparams + t->nmetrics;
	struct cell *c = calloc(n, sizeof *c);
	if (!(w->cols = calloc(n, sizeof *w->cols)) || !c) {
		free(c);
		return 1;
	}
	for (size_t i = 0; i < NRUNCOLS; i++)
		if (add_col(w, run_cols[i], ""))
			goto nomem;
	for (size_t p = 0; p < d->nparams; p++)
		if (add_col(w, d->pname[p], ""))
			goto nomem;
	for (size_t m = 0; m < t->nmetrics; m++)
		if (add_col(w, d->mcol[m], ""))
			goto nomem;
	writer_begin(w);
	for (size_t r = 0; r < t->nruns; r++) {
		const struct res_run_row *x = &t->run[r];
		size_t k = 0;
		c[k++] = (struct cell){ CELL_INT, NULL, x->id, 0 };
		c[k++] = (struct cell){ CELL_TEXT, x->scenario, 0, 0 };
		c[k++] = (struct cell){ CELL_TEXT, x->scenario_hash, 0, 0 };
		c[k++] = (struct cell){ CELL_TEXT, x->params, 0, 0 };
		c[k++] = (struct cell){ CELL_INT, NULL, x->seed, 0 };
		c[k++] = (struct cell){ CELL_INT, NULL, x->run_number, 0 };
		c[k++] = (struct cell){ CELL_TEXT, x->status, 0, 0 };
		c[k++] = (struct cell){ CELL_REAL, NULL, 0, x->wall_seconds };
		c[k++] = (struct cell){ CELL_REAL, NULL, 0, x->sim_seconds };
		c[k++] = (struct cell){ CELL_INT, NULL, x->events, 0 };
		c[k++] = (struct cell){ CELL_TEXT, x->code_version, 0, 0 };
		for (size_t p = 0; p < d->nparams; p++) {
			const char *v = d->pval[r * d->nparams + p];
			c[k++] = v ? (struct cell){ CELL_VALUE, v, 0, 0 } : (struct cell){ CELL_NULL, 0, 0, 0 };
		}
		for (size_t m = 0; m < t->nmetrics; m++) {
			double v = t->value[r * t->nmetrics + m];
			c[k++] = isnan(v) ? (struct cell){ CELL_NULL, 0, 0, 0 }
					  : (struct cell){ CELL_REAL, NULL, 0, v };
		}
		writer_row(w, c);
	}
	writer_end(w);
	free(c);
	return 0;
nomem:
	free(c);
	return 1;
}

/* One row per point (scenario, scenario_hash, params) over its ok runs. */
static int write_summary(struct writer *w, const struct cli_data *d)
{
	const struct res_table *t = &d->t;
	size_t n = 4 + d->nparams + 2 * t->nmetrics, npts = 0;
	struct cell *c = calloc(n, sizeof *c);
	size_t *point = calloc(t->nruns + 1, sizeof *point);   /* run -> point, SIZE_MAX: not ok */
	size_t *first = calloc(t->nruns + 1, sizeof *first);   /* point -> its first run */
	double *v = calloc(t->nruns + 1, sizeof *v);
	int status = 1;
	if (!(w->cols = calloc(n, sizeof *w->cols)) || !c || !point || !first || !v)
		goto done;
	if (add_col(w, "scenario", "") || add_col(w, "scenario_hash", "") || add_col(w, "params", ""))
		goto done;
	for (size_t p = 0; p < d->nparams; p++)
		if (add_col(w, d->pname[p], ""))
			goto done;
	if (add_col(w, "n", ""))
		goto done;
	for (size_t m = 0; m < t->nmetrics; m++)
		if (add_col(w, d->mcol[m], ".mean") || add_col(w, d->mcol[m], ".ci95"))
			goto done;
	/* points in the order their first run was stored */
	for (size_t r = 0; r < t->nruns; r++) {
		const struct res_run_row *x = &t->run[r];
		point[r] = SIZE_MAX;
		if (strcmp(x->status, "ok"))
			continue;
		size_t k = 0;
		for (; k < npts; k++) {
			const struct res_run_row *f = &t->run[first[k]];
			if (!strcmp(f->scenario, x->scenario) && !strcmp(f->scenario_hash, x->scenario_hash) &&
			    !strcmp(f->params, x->params))
				break;
		}
		if (k == npts)
			first[npts++] = r;
		point[r] = k;
	}
	writer_begin(w);
	for (size_t k = 0; k < npts; k++) {
		const struct res_run_row *f = &t->run[first[k]];
		size_t j = 0, runs = 0;
		for (size_t r = 0; r < t->nruns; r++)
			runs += point[r] == k;
		c[j++] = (struct cell){ CELL_TEXT, f->scenario, 0, 0 };
		c[j++] = (struct cell){ CELL_TEXT, f->scenario_hash, 0, 0 };
		c[j++] = (struct cell){ CELL_TEXT, f->params, 0, 0 };
		for (size_t p = 0; p < d->nparams; p++) {
			const char *pv = d->pval[first[k] * d->nparams + p];
			c[j++] = pv ? (struct cell){ CELL_VALUE, pv, 0, 0 } : (struct cell){ CELL_NULL, 0, 0, 0 };
		}
		c[j++] = (struct cell){ CELL_INT, NULL, (int64_t)runs, 0 };
		for (size_t m = 0; m < t->nmetrics; m++) {
			size_t nv = 0;
			for (size_t r = 0; r < t->nruns; r++)
				if (point[r] == k && !isnan(t->value[r * t->nmetrics + m]))
					v[nv++] = t->value[r * t->nmetrics + m];
			double mean, sd, ci;
			res_mean_ci95(v, nv, &mean, &sd, &ci);
			c[j++] = nv ? (struct cell){ CELL_REAL, NULL, 0, mean } : (struct cell){ CELL_NULL, 0, 0, 0 };
			c[j++] = nv >= 2 ? (struct cell){ CELL_REAL, NULL, 0, ci }
					 : (struct cell){ CELL_NULL, 0, 0, 0 };
		}
		writer_row(w, c);
	}
	writer_end(w);
	status = 0;
done:
	free(c);
	free(point);
	free(first);
	free(v);
	return status;
}

int cli_export(int argc, char **argv)
{
	const char *db = NULL, *format = "csv", *out = NULL, *scenario = NULL;
	int summary = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--format") && v)
			format = argv[++i];
		else if (!strcmp(a, "--out") && v)
			out = argv[++i];
		else if (!strcmp(a, "--scenario") && v)
			scenario = argv[++i];
		else if (!strcmp(a, "--summary"))
			summary = 1;
		else if (a[0] == '-' || db) {
			fprintf(stderr, "hydranet export: unexpected argument '%s'%s\n", a,
				a[0] == '-' && !v ? " (without its value?)" : "");
			cli_usage(stderr, "export");
			return 2;
		} else
			db = a;
	}
	if (!db) {
		fprintf(stderr, "hydranet export: no database given\n");
		cli_usage(stderr, "export");
		return 2;
	}
	if (strcmp(format, "csv") && strcmp(format, "json")) {
		fprintf(stderr, "hydranet export: --format '%s': csv or json\n", format);
		return 2;
	}
	struct cli_data d;
	int rc = cli_data_load("export", db, scenario, &d);
	if (rc) {
		cli_data_free(&d);
		return rc;
	}
	char tmp[4096] = "";
	struct writer w = { stdout, !strcmp(format, "json"), NULL, 0, 0 };
	if (out) {
		/* written beside FILE, then renamed: a reader never sees half a file */
		snprintf(tmp, sizeof tmp, "%s.tmp%ld", out, (long)getpid());
		if (!(w.f = fopen(tmp, "w"))) {
			fprintf(stderr, "hydranet export: %s: %s\n", out, strerror(errno));
			cli_data_free(&d);
			return 1;
		}
	}
	rc = summary ? write_summary(&w, &d) : write_runs(&w, &d);
	if (rc)
		fprintf(stderr, "hydranet export: out of memory\n");
	if (fflush(w.f) != 0 || ferror(w.f)) {
		fprintf(stderr, "hydranet export: %s: write error: %s\n", out ? out : "stdout",
			strerror(errno));
		rc = 1;
	}
	if (out) {
		if (fclose(w.f) != 0)
			rc = 1;
		if (rc == 0 && rename(tmp, out) != 0) {
			fprintf(stderr, "hydranet export: %s: %s\n", out, strerror(errno));
			rc = 1;
		}
		if (rc)
			unlink(tmp);
	}
	for (size_t i = 0; i < w.ncols; i++)
		free(w.cols[i]);
	free(w.cols);
	cli_data_free(&d);
	return rc;
}
