/* counter.c - storing and documenting declared counters; see counter.h. */
#include "counter.h"

#include <string.h>

int counter_put_set(const struct counter_set *set, const void *stats, const char *scope,
		    const char *suffix, counter_put_fn put, void *ctx)
{
	char name[128];
	for (size_t i = 0; i < set->n; i++) {
		const struct counter_def *d = &set->defs[i];
		uint64_t v;
		memcpy(&v, (const char *)stats + d->offset, sizeof v);
		snprintf(name, sizeof name, "%s%s", d->name, suffix ? suffix : "");
		int rc = put(ctx, scope, name, (double)v / d->divisor);
		if (rc)
			return rc;
	}
	return 0;
}

void counter_print_set(FILE *out, const struct counter_set *set, const char *suffix)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct counter_def *d = &set->defs[i];
		/* units are in the names (STYLE.md): a count of bytes says so */
		const char *unit = *d->unit ? d->unit : strstr(d->name, "bytes") ? "bytes" : "count";
		fprintf(out, "| `%s%s` | %s | %s |\n", d->name, suffix ? suffix : "", unit, d->doc);
	}
}
