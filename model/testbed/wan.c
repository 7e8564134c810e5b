/* wan.c - delay variation of a congested wide-area path; see wan.h. */
#include "testbed/wan.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdlib.h>

struct wan_delay {
	uint64_t mean_ns, period_ns;
	gsl_rng *rng[2];
	uint64_t level[2];            /* the current period's extra delay */
	uint64_t next_ns[2];          /* when the next period begins */
	uint64_t periods[2];
};

struct wan_delay *wan_delay_new(uint64_t mean_ns, uint64_t period_ns, uint64_t seed)
{
	if (!mean_ns || !period_ns)
		return NULL;
	struct wan_delay *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->mean_ns = mean_ns;
	d->period_ns = period_ns;
	for (int k = 0; k < 2; k++) {
		d->rng[k] = gsl_rng_alloc(gsl_rng_mt19937);
		if (!d->rng[k]) {
			wan_delay_free(d);
			return NULL;
		}
		gsl_rng_set(d->rng[k], (unsigned long)(seed * 2 + (uint64_t)k + 1));
	}
	return d;
}

void wan_delay_free(struct wan_delay *d)
{
	if (!d)
		return;
	for (int k = 0; k < 2; k++)
		if (d->rng[k])
			gsl_rng_free(d->rng[k]);
	free(d);
}

uint64_t wan_delay_at(void *ctx, int side, uint64_t now_ns, size_t bytes)
{
	struct wan_delay *d = ctx;
	(void)bytes;
	side = side ? 1 : 0;
	/* One draw per period begun, in order, whether or not packets passed. */
	while (now_ns >= d->next_ns[side]) {
		d->level[side] = (uint64_t)(gsl_ran_exponential(d->rng[side], (double)d->mean_ns) + 0.5);
		d->next_ns[side] += d->period_ns;
		d->periods[side]++;
	}
	return d->level[side];
}

uint64_t wan_delay_periods(const struct wan_delay *d, int side)
{
	return d->periods[side ? 1 : 0];
}
