/* fragflow_params.c - the early-fragment limits' parameters (fragflow.h),
 * as data: the scenario checker links this without the simulator. */
#include "hydranet/fragflow.h"

#define NS 1e9

const struct param_def fragflow_params[] = {
	{ "frag_hold", PARAM_TIME, "30s", "s", 1e-3 * NS, 600 * NS, "how long a fragment's verdict is kept, and an early fragment held waiting for its first", PARAM_AT(struct fragflow_limits, lifetime_ns), NULL },
	{ "frag_max_flows", PARAM_U64, "1024", "", 1, 1e6, "fragmented datagrams whose verdict is remembered at once", PARAM_AT(struct fragflow_limits, max_flows), NULL },
	{ "frag_max_held", PARAM_BYTES, "256KiB", "bytes", 0, 1e9, "bytes of early fragments held at once", PARAM_AT(struct fragflow_limits, max_held_bytes), NULL },
};
const size_t fragflow_nparams = sizeof fragflow_params / sizeof fragflow_params[0];
