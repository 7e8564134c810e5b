/* counter.h - a module's counters declared once (STYLE.md, rule 7).
 *
 * Each model module lists its counters in one X-macro, MODULE_STATS(C, D):
 * C(field, "metric", "doc") for a count kept in a uint64_t field of its stats
 * struct, D(REASON, "name", "doc") for a drop reason.  From that one list the
 * module generates its drop enum (MODULE_DROP_REASON), its stats struct, the
 * drop names and a table of counter descriptors: the metric name each value
 * is stored under, its doc string and where it sits in the stats struct.  The
 * world stores every descriptor of every component it built, and `hydranet
 * metrics` prints them as the README's metrics reference, so a counter added
 * to the list is stored and documented without another edit.  Not here:
 * derived results (means, quantiles), which their builders describe. */
#ifndef HN_COUNTER_H
#define HN_COUNTER_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct counter_def {
	const char *name;       /* metric name, e.g. "redirected" or "drop.ttl_expired" */
	const char *doc;
	size_t offset;          /* of the uint64_t value in the stats struct */
	double divisor;         /* stored value = count / divisor (1: a count; 1e9: ns to s) */
	const char *unit;       /* of the stored value: "" for counts */
};

/* The counters of one module. */
struct counter_set {
	const char *module;     /* e.g. "redir" */
	const struct counter_def *defs;
	size_t n;
};

/* Pieces for the X-macros. */
#define COUNTER_SKIP(a, b, c)
#define COUNTER_FIELD(field, name, doc) uint64_t field;   /* doc: see the X-macro */
#define COUNTER_DEF(type, field, name, doc) { name, doc, offsetof(type, field), 1.0, "" },
#define COUNTER_DROP_DEF(type, index, name, doc) \
	{ "drop." name, doc, offsetof(type, drops) + (size_t)(index) * sizeof(uint64_t), 1.0, "" },
#define COUNTER_NAME(e, name, doc) name,
#define COUNTER_SET(module, defs) { module, defs, sizeof(defs) / sizeof((defs)[0]) }

/* Where counters go: the results database, a summary, a test. */
typedef int (*counter_put_fn)(void *ctx, const char *scope, const char *name, double v);

/* put(ctx, scope, NAME[SUFFIX], value) for every counter of set in stats
 * (the module's stats struct).  suffix is NULL or e.g. ".www" (a component
 * instance per service).  Returns the first non-zero put result. */
int counter_put_set(const struct counter_set *set, const void *stats, const char *scope,
		    const char *suffix, counter_put_fn put, void *ctx);

/* The reference rows of set: "| `NAME` | unit | doc |". */
void counter_print_set(FILE *out, const struct counter_set *set, const char *suffix);
#endif
