/* table.c - a results database read back as one row per run, with each
 * swept or overridden parameter of runs.params in its own column (for
 * hydranet export and plot); see cli.h.  Not here: writing formats. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "status.h"

#define MAX_PARAMS 256   /* parameters in one label */

/* Whether the text at t reads as the start of the next "a.b=" of a label:
 * a name with a dot and no ';' before an '='. */
static int starts_pair(const char *t)
{
	const char *eq = strchr(t, '=');
	if (!eq || eq == t)
		return 0;
	const char *semi = strchr(t, ';');
	if (semi && semi < eq)
		return 0;
	const char *dot = memchr(t, '.', (size_t)(eq - t));
	return dot && dot > t && dot + 1 < eq;
}

int cli_params_split(const char *label, char **names, char **values, int max, char *buf,
		     size_t buflen)
{
	size_t len = strlen(label);
	if (len + 1 > buflen)
		return -1;
	memcpy(buf, label, len + 1);
	int n = 0;
	char *p = buf;
	while (*p) {
		char *eq = strchr(p, '=');
		if (!eq || n == max)
			return -1;
		*eq = 0;
		char *v = eq + 1, *end = v;
		for (;;) {   /* the value ends at the ';' before the next pair */
			end = strchr(end, ';');
			if (!end || starts_pair(end + 1))
				break;
			end++;
		}
		names[n] = p;
		values[n] = v;
		n++;
		if (!end)
			break;
		*end = 0;
		p = end + 1;
	}
	return n;
}

int cli_column_find(char *const *names, size_t n, const char *name)
{
	int found = -1;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return (int)i;
	size_t ln = strlen(name);
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(names[i]);
		if (l > ln && names[i][l - ln - 1] == '.' && !strcmp(names[i] + l - ln, name)) {
			if (found >= 0)
				return -2;
			found = (int)i;
		}
	}
	return found;
}

void cli_list_names(const char *heading, char *const *names, size_t n)
{
	fprintf(stderr, "%s\n", heading);
	if (!n)
		fprintf(stderr, "  (none)\n");
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "  %s\n", names[i]);
}

static int param_index(struct cli_data *d, const char *name, size_t *cap)
{
	for (size_t p = 0; p < d->nparams; p++)
		if (!strcmp(d->pname[p], name))
			return (int)p;
	if (d->nparams == *cap) {
		size_t c = *cap ? 2 * *cap : 16;
		char **n = realloc(d->pname, c * sizeof *n);
		if (!n)
			return -1;
		d->pname = n;
		*cap = c;
	}
	if (!(d->pname[d->nparams] = strdup(name)))
		return -1;
	return (int)d->nparams++;
}

int cli_data_load(const char *cmd, const char *path, const char *scenario, struct cli_data *d)
{
	char err[8192];
	memset(d, 0, sizeof *d);
	if (access(path, R_OK) != 0) {
		fprintf(stderr, "hydranet %s: %s: no such database (or not readable)\n", cmd, path);
		return 2;
	}
	struct res_db *db = res_open_readonly(path, err, sizeof err);
	if (!db) {
		fprintf(stderr, "hydranet %s: %s\n", cmd, err);
		return 2;
	}
	if (res_table_load(db, scenario, &d->t, err, sizeof err) != HN_OK) {
		fprintf(stderr, "hydranet %s: %s: %s\n", cmd, path, err);
		res_close(db);
		return 1;
	}
	if (scenario && d->t.nruns == 0) {
		fprintf(stderr, "hydranet %s: %s holds no runs of scenario '%s'; it holds:\n", cmd, path,
			scenario);
		res_print_scenarios(db, stderr, "  ");
		res_close(db);
		return 2;
	}
	res_close(db);
	struct res_table *t = &d->t;
	int status = 1;
	const char *why = "out of memory";
	char *names[MAX_PARAMS], *values[MAX_PARAMS], *buf = NULL;
	size_t cap = 0, bufcap = 0;
	/* first pass: the columns, in the order they are first seen */
	for (size_t r = 0; r < t->nruns; r++) {
		size_t need = strlen(t->run[r].params) + 1;
		if (need > bufcap) {
			free(buf);
			if (!(buf = malloc(bufcap = need)))
				goto fail;
		}
		int n = cli_params_split(t->run[r].params, names, values, MAX_PARAMS, buf, bufcap);
		if (n < 0) {
			fprintf(stderr, "hydranet %s: run %lld: cannot read params '%s'\n", cmd,
				(long long)t->run[r].id, t->run[r].params);
			why = NULL;
			goto fail;
		}
		for (int i = 0; i < n; i++)
			if (param_index(d, names[i], &cap) < 0)
				goto fail;
	}
	if (t->nruns && d->nparams && !(d->pval = calloc(t->nruns * d->nparams, sizeof *d->pval)))
		goto fail;
	for (size_t r = 0; r < t->nruns; r++) {
		int n = cli_params_split(t->run[r].params, names, values, MAX_PARAMS, buf, bufcap);
		for (int i = 0; i < n; i++) {
			int p = param_index(d, names[i], &cap);
			free(d->pval[r * d->nparams + (size_t)p]);   /* a repeated name: the last wins */
			if (!(d->pval[r * d->nparams + (size_t)p] = strdup(values[i])))
				goto fail;
		}
	}
	if (t->nmetrics && !(d->mcol = calloc(t->nmetrics, sizeof *d->mcol)))
		goto fail;
	for (size_t m = 0; m < t->nmetrics; m++) {
		size_t l = strlen(t->metric[m].scope) + strlen(t->metric[m].name) + 2;
		if (!(d->mcol[m] = malloc(l)))
			goto fail;
		snprintf(d->mcol[m], l, "%s.%s", t->metric[m].scope, t->metric[m].name);
	}
	status = 0;
fail:
	if (status && why)
		fprintf(stderr, "hydranet %s: %s\n", cmd, why);
	free(buf);
	return status;
}

void cli_data_free(struct cli_data *d)
{
	if (d->pval)
		for (size_t i = 0; i < d->t.nruns * d->nparams; i++)
			free(d->pval[i]);
	for (size_t p = 0; p < d->nparams; p++)
		free(d->pname[p]);
	if (d->mcol)
		for (size_t m = 0; m < d->t.nmetrics; m++)
			free(d->mcol[m]);
	free(d->pval);
	free(d->pname);
	free(d->mcol);
	res_table_free(&d->t);
	memset(d, 0, sizeof *d);
}
