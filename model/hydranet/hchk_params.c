/* hchk_params.c - a redirector's health-check parameters (hchk.h), as data:
 * the scenario checker links this without the simulator. */
#include "hydranet/hchk.h"

#define NS 1e9

const struct param_def hchk_params[] = {
	{ "health_check", PARAM_BOOL, "false", "", 0, 0, "redirector: probe the host servers of its table over UDP (docs/healthcheck.md) and take a replica out of service when they stop answering (false: only announcement lifetimes and withdrawals take replicas out)", PARAM_AT(struct hchk_config, enabled), NULL },
	{ "hc_interval", PARAM_TIME, "2s", "s", 1e-3 * NS, 3600 * NS, "redirector: a health probe per replica this often (2 s: HAProxy's default inter, configuration manual 5.2)", PARAM_AT(struct hchk_config, interval_ns), NULL },
	{ "hc_timeout", PARAM_TIME, "1s", "s", 1e-3 * NS, 3600 * NS, "redirector: a probe unanswered this long is a failure; less than hc_interval (assumed: half of it)", PARAM_AT(struct hchk_config, timeout_ns), NULL },
	{ "hc_fall", PARAM_U64, "3", "", 1, 100, "redirector: failed probes in a row that mark a replica down (HAProxy's default fall)", PARAM_AT(struct hchk_config, fall), NULL },
	{ "hc_rise", PARAM_U64, "2", "", 1, 100, "redirector: answered probes in a row that mark it up again (HAProxy's default rise)", PARAM_AT(struct hchk_config, rise), NULL },
};
const size_t hchk_nparams = sizeof hchk_params / sizeof hchk_params[0];
