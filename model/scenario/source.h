/* source.h - a scenario file as entries, with overrides and sweeps.
 *
 * Reading a scenario happens in two stages.  This module is the first: it
 * reads the INI text (libinih) into entries (section, key, value, line),
 * applies --set overrides, and expands sweeps.  A value may hold one sweep,
 * OMNeT++-style, with text around it:
 *   ${a, b, c}                 the listed values
 *   ${from..to step s}         from, from+s, ... up to to (numbers)
 *   ${1..5 step 2}ms           text around the sweep is kept: 1ms, 3ms, 5ms
 * The points of a scenario are the cross product of its sweeps, the first
 * sweep in the file varying slowest.  The second stage (scenario.h) turns one
 * point into typed, checked objects.  Not here: what keys mean. */
#ifndef HN_SOURCE_H
#define HN_SOURCE_H
#include <stddef.h>

#define SCN_MAX_POINTS 10000      /* a sweep larger than this is refused */
#define SCN_MAX_ENTRIES 8192

struct scn_entry {
	char section[128];        /* as written in the header, e.g. "link ab" */
	char key[64];
	char value[256];          /* as written (may hold a sweep) */
	int line;                 /* line of the key; 0 for an override */
	int header_line;          /* line of its [section] header */
	int overridden;           /* value comes from --set */
	int axis;                 /* index in axes when the value sweeps, else -1 */
	char set_arg[384];        /* the --set argument, when overridden */
	int in_file;              /* overridden: the file set the key too, to file_value */
	char file_value[256];     /* the file's value before the first override */
	int restated;             /* an override meaning what is in force without it
				   * (scn_source_mark_restated): not in the label */
};

struct scn_axis {
	size_t entry;             /* entry index whose value sweeps */
	size_t nvalues;
	char **values;            /* expanded values */
};

struct scn_source {
	char path[512];
	char *text;               /* the file's bytes, NUL-terminated */
	size_t text_len;
	struct scn_entry *e;
	size_t n, cap;
	struct scn_axis *axes;
	size_t naxes;
	size_t npoints;           /* product of the axes' sizes (1 without) */
};

/* Read and split path into entries.  NULL with "file:line: message" in err. */
struct scn_source *scn_source_open(const char *path, char *err, size_t errlen);
/* The same from bytes in memory; name stands for the file in messages. */
struct scn_source *scn_source_from_text(const char *name, const char *text, size_t len,
					char *err, size_t errlen);
void scn_source_free(struct scn_source *s);

/* Apply "section.key=value" (section words joined by dots, e.g.
 * link.ab.delay=5ms) or "key=value" when the key appears in exactly one
 * section.  A key not in the file is added to its section if that section
 * exists.  Must come before scn_source_expand. */
int scn_source_override(struct scn_source *s, const char *assignment, char *err, size_t errlen);

/* Whether values a and b of key in section (as written in a header) mean
 * the same; b NULL stands for the key's default.  1 equal, else 0 or < 0. */
typedef int (*scn_value_equal_fn)(const char *section, const char *key, const char *a,
				  const char *b);

/* Mark each override that restates what is in force without it (the file's
 * value of the key, or the key's default when the file does not set it) as
 * restated, so that it is left out of the point label: --set delay=1ms where
 * the delay is 1ms anyway is the point with no override, and finds its
 * runs.  Only the layer above knows what keys mean (1ms is 1000us), so it
 * passes the comparison in: scenario_value_equal.  A sweep is never a
 * restatement, nor is any value when the file's is a sweep.  Call after the
 * overrides, before labelling.  Returns how many were marked. */
size_t scn_source_mark_restated(struct scn_source *s, scn_value_equal_fn equal);

/* Index expressions: in a section with count = N (scenario.h), "${EXPR}"
 * where EXPR names the copy's index i, as in isp${i} or ${10.1.0.1 + 4*i},
 * is left for the second stage; it is not a sweep.  An index expression has
 * i as a word of its own and no ',' or '..'.  Whether "${" at open starts
 * one: */
int scn_is_index_expr(const char *open);
/* The first "${" in value that starts a sweep, not an index expression; NULL
 * if none. */
const char *scn_find_sweep(const char *value);

/* Expand every sweep; checks syntax, empty sweeps and the point limit. */
int scn_source_expand(struct scn_source *s, char *err, size_t errlen);

/* Value of entry i at point k (0-based), after expansion. */
const char *scn_source_value(const struct scn_source *s, size_t i, size_t k);

/* "section.key=value;..." for the swept and overridden (not restated)
 * entries at point k, in entry order, section words joined by dots: the
 * point's identity in the results database.  Values are written as they are
 * (nothing is escaped). */
void scn_source_point_label(const struct scn_source *s, size_t k, char *out, size_t len);

/* Where entry i came from, for messages: "file:line" or "--set 'arg'". */
void scn_source_where(const struct scn_source *s, size_t i, char *out, size_t len);
#endif
