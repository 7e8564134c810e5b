/* cli.h - what the files of the hydranet program share (model/cli/).
 *
 * hydranet.c runs scenarios (run, list, jobs, merge, summarize, params);
 * help.c holds every subcommand's usage text; table.c reads a results
 * database back as one row per run with the swept and overridden parameters
 * split into columns; export.c writes that table as CSV or JSON; plot.c
 * draws a metric against a parameter with gnuplot.  Exit statuses are the
 * program's: 0 success, 1 a run, the database or a tool failed, 2 bad
 * input (with a message on stderr). */
#ifndef HN_CLI_H
#define HN_CLI_H
#include <stddef.h>
#include <stdio.h>

#include "results/res.h"

#define CLI_DEFAULT_DB "results/hydranet.sqlite"

/* Print the usage of subcommand cmd, or the overview when cmd is NULL.
 * 0, or -1 (nothing printed) for an unknown subcommand. */
int cli_usage(FILE *out, const char *cmd);
/* 1 when the arguments hold --help or -h. */
int cli_wants_help(int argc, char **argv);

/* A database's runs with their parameter points split into columns. */
struct cli_data {
	struct res_table t;
	char **pname;             /* parameter columns ("link.ab.delay"), first seen first */
	size_t nparams;
	char **pval;              /* pval[r * nparams + p]; NULL where run r's point lacks p */
	char **mcol;              /* metric columns "SCOPE.NAME", as t.metric */
};

/* Open path read-only and load the runs of scenario (NULL: all).  Messages
 * go to stderr, prefixed "hydranet CMD: ".  0, 1 (database) or 2 (no such
 * file, no runs of that scenario: the scenarios stored are listed). */
int cli_data_load(const char *cmd, const char *path, const char *scenario, struct cli_data *d);
void cli_data_free(struct cli_data *d);

/* Split a runs.params label ("sec.name.key=value;...", source.h) into
 * n <= max (name, value) pairs, copied into buf; returns n, or -1 when it
 * does not fit.  A ';' separates only when what follows reads as the next
 * "a.b=" (a value holding ';' is kept whole; labels are not escaped). */
int cli_params_split(const char *label, char **names, char **values, int max, char *buf,
		     size_t buflen);

/* Index of column name among n names (exact, else the one name ending in
 * ".name"); -1 none, -2 several. */
int cli_column_find(char *const *names, size_t n, const char *name);

/* Print names to stderr as an indented list under a heading. */
void cli_list_names(const char *heading, char *const *names, size_t n);

int cli_export(int argc, char **argv);
int cli_plot(int argc, char **argv);
#endif
