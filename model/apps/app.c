/* app.c - what client applications share: think times, outcome names. */
#include "apps/app.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>

uint64_t app_think_next(const struct app_think *t)
{
	if (!t->rng || t->mean_ns == 0)
		return t->mean_ns;
	double v = gsl_ran_exponential(t->rng, (double)t->mean_ns);
	return v < 1.8e19 ? (uint64_t)llround(v) : UINT64_MAX / 2;
}

const char *app_outcome_name(unsigned outcome)
{
	static const char *const names[] = {
		[APP_UNFINISHED] = "unfinished", [APP_OK] = "ok", [APP_RESET] = "reset",
		[APP_TIMED_OUT] = "timed_out", [APP_FAILED] = "failed",
	};
	return outcome < sizeof names / sizeof names[0] ? names[outcome] : NULL;
}
