/* fuzz_scenario.c - libFuzzer target for the scenario parser (source.c,
 * scenario.c, param.c).
 *
 * The input is a scenario file, optionally followed by a 0xFF byte and one
 * --set argument.  Read the file with scn_source_from_text; when that
 * succeeds apply the override (if any), expand the sweeps and build the
 * first points (at most 4).  Every failure must come back as a message
 * whose every line names where its problem is ("fuzz.ini:LINE: ...",
 * "--set '...': ..." or, for a topology file it names, "FILE:LINE: ...
 * (for [topology NAME] at fuzz.ini:LINE)"); an empty message, or a line
 * without its place, aborts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/scenario.h"
#include "scenario/source.h"
#include "status.h"

#define NAME "fuzz.ini"
#define MAX_BUILDS 4

/* Every line of a message says where its problem is (a file's problems
 * are reported together, one line each).  A --set argument may itself hold
 * newlines, and its messages quote it: then only the first line is known
 * to start with a place. */
/* A topology file's problem (topofile.h) is placed in that file and ends
 * with the [topology] section it was read for: "... (for [topology X] at
 * fuzz.ini:LINE)". */
static int topology_file_line(const char *l)
{
	const char *e = strchr(l, '\n');
	size_t n = e ? (size_t)(e - l) : strlen(l);
	const char *at = NULL;
	for (const char *p = l; p + 4 < l + n; p++)
		if (!strncmp(p, " at " NAME ":", strlen(" at " NAME ":")))
			at = p;
	if (!at || !strstr(l, " (for [topology ") || l[n - 1] != ')')
		return 0;
	for (const char *p = at + strlen(" at " NAME ":"); p < l + n - 1; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return 1;
}

static void check_message(const char *err, int overridden)
{
	if (!err[0])
		abort();   /* failure without a message */
	for (const char *l = err; l; l = overridden ? NULL : strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (strncmp(l, NAME ":", strlen(NAME ":")) && !topology_file_line(l) &&
		    (!overridden || strncmp(l, "--set '", 7)))
			abort();   /* a line that does not say where */
	}
}

/* libFuzzer's entry point. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Whether the input asks for copies or a generated topology with a number
 * of 4 digits or more somewhere: a valid request for up to 10^6 objects
 * (1 GB and more), which the fuzzer's memory limit would call a crash. */
static int too_large(const uint8_t *data, size_t size)
{
	int asks = 0, digits = 0, big = 0;
	for (size_t i = 0; i < size; i++) {
		asks |= (i + 5 <= size && (!memcmp(data + i, "count", 5) || !memcmp(data + i, "stubs", 5) ||
					   !memcmp(data + i, "hosts", 5)));
		digits = data[i] >= '0' && data[i] <= '9' ? digits + 1 : 0;
		big |= digits >= 4;
	}
	return asks && big;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (too_large(data, size))
		return 0;
	const uint8_t *ff = memchr(data, 0xFF, size);
	size_t file_len = ff ? (size_t)(ff - data) : size;
	char *set = NULL;
	if (ff) {
		size_t n = size - file_len - 1;
		set = malloc(n + 1);
		if (!set)
			return 0;
		memcpy(set, ff + 1, n);
		set[n] = 0;   /* a command-line argument ends at its first NUL */
	}
	char err[1400];
	err[0] = 0;
	struct scn_source *src = scn_source_from_text(NAME, (const char *)data, file_len, err,
						      sizeof err);
	if (!src) {
		check_message(err, 0);
		free(set);
		return 0;
	}
	int overridden = set != NULL;
	err[0] = 0;
	if (set && scn_source_override(src, set, err, sizeof err) != HN_OK) {
		if (strncmp(err, "--set '", 7))
			abort();
		goto out;
	}
	err[0] = 0;
	if (scn_source_expand(src, err, sizeof err) != HN_OK) {
		check_message(err, overridden);
		goto out;
	}
	if (src->npoints < 1 || src->npoints > SCN_MAX_POINTS)
		abort();
	for (size_t k = 0; k < src->npoints && k < MAX_BUILDS; k++) {
		char label[4096];
		scn_source_point_label(src, k, label, sizeof label);
		err[0] = 0;
		struct scenario *s = scenario_build(src, k, err, sizeof err);
		if (!s) {
			check_message(err, overridden);
			break;
		}
		if (s->nnodes == 0)
			abort();   /* a built scenario has something to simulate */
		scenario_free(s);
	}
out:
	scn_source_free(src);
	free(set);
	return 0;
}
