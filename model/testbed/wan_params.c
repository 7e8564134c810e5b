/* wan_params.c - a link's delay variation parameters (wan.h), as data: the
 * scenario checker links this without the simulator. */
#include "testbed/wan.h"

#define NS 1e9

const struct param_def wan_params[] = {
	{ "delay_variation", PARAM_TIME, "0s", "s", 0, 10 * NS, "mean of an extra one-way queueing delay, each direction on its own: every variation_period it takes a new value drawn from an exponential distribution with this mean (the link's own GSL stream); packets keep their order. 0: the delay is fixed", PARAM_AT(struct wan_config, mean_ns), NULL },
	{ "variation_period", PARAM_TIME, "1s", "s", 1e-3 * NS, 3600 * NS, "how long one value of the extra queueing delay lasts", PARAM_AT(struct wan_config, period_ns), NULL },
};
const size_t wan_nparams = sizeof wan_params / sizeof wan_params[0];
