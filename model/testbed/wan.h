/* wan.h - delay variation of a congested wide-area path.
 *
 * The 1998 Internet path of the paper's Figure 5 is known by its ping round
 * trips, which vary over the experiment.  This model gives a link an extra
 * one-way queueing delay per direction that is piecewise constant: every
 * period it takes a new value drawn from an exponential distribution with
 * the given mean (the waiting time of an M/M/1 queue is exponential in its
 * busy periods, and cross traffic shifts it from one moment to the next).
 * Each direction has its own GSL stream and draws once per period whether
 * packets pass or not, so the sequence of delays depends only on the seed,
 * never on the traffic.  The shim keeps packets in order (sim.h).  Not
 * here: loss (the link's loss rate), correlation between the directions. */
#ifndef HN_WAN_H
#define HN_WAN_H
#include <stddef.h>
#include <stdint.h>

#include "param.h"

/* A link's delay variation, as a [link NAME] section gives it. */
struct wan_config {
	uint64_t mean_ns;             /* mean extra one-way delay; 0: none */
	uint64_t period_ns;           /* how long one value lasts */
};
/* Its keys, into struct wan_config (wan_params.c: data only). */
extern const struct param_def wan_params[];
extern const size_t wan_nparams;

struct wan_delay;

/* mean_ns > 0, period_ns > 0; seed picks the two streams. */
struct wan_delay *wan_delay_new(uint64_t mean_ns, uint64_t period_ns, uint64_t seed);
void wan_delay_free(struct wan_delay *d);
/* The extra delay at now_ns in direction side (0 or 1); the signature of
 * sim_link_config.extra_delay.  Calls must not go back in time per side. */
uint64_t wan_delay_at(void *d, int side, uint64_t now_ns, size_t bytes);
/* Values drawn so far in direction side (periods begun). */
uint64_t wan_delay_periods(const struct wan_delay *d, int side);
#endif
