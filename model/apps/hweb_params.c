/* hweb_params.c - HydraWeb's parameters (hweb.h), as data: the scenario
 * checker links this without the simulator. */
#include "apps/hweb.h"

#define NS 1e9

const struct param_def hweb_replica_params[] = {
	{ "replica_processing", PARAM_TIME, "0s", "s", 0, 60 * NS, "hydraweb: the replica's time per request, hit or miss (the Java replica's work)", PARAM_AT(struct hweb_replica_config, processing_ns), NULL },
	{ "cache_misses", PARAM_BOOL, "false", "", 0, 0, "hydraweb: the replica keeps what misses bring (the paper's experiment: false)", PARAM_AT(struct hweb_replica_config, cache_misses), NULL },
};
const size_t hweb_replica_nparams = sizeof hweb_replica_params / sizeof hweb_replica_params[0];

const struct param_def hweb_manager_params[] = {
	{ "manager_processing", PARAM_TIME, "0s", "s", 0, 60 * NS, "hydraweb: the manager's time per miss before it asks the Web server", PARAM_AT(struct hweb_manager_config, processing_ns), NULL },
	{ "objects", PARAM_U64, "100", "", 1, 1e6, "hydraweb: objects the site has (/obj/<page_size>/<id>, id 0..objects-1)", PARAM_AT(struct hweb_manager_config, objects), NULL },
	{ "page_size", PARAM_BYTES, "1200", "bytes", 0, 16777216, "hydraweb: size of the objects the manager pushes (the paper's pages: 1200 bytes)", PARAM_AT(struct hweb_manager_config, page_bytes), NULL },
	{ "preheat", PARAM_U64, "0", "", 0, 1e6, "hydraweb: objects 0..preheat-1 are pushed to each replica when it is installed", PARAM_AT(struct hweb_manager_config, preheat), NULL },
	{ "refresh_interval", PARAM_TIME, "0s", "s", 0, 86400 * NS, "hydraweb: keep hot: this often the manager pushes again what it pushed that expires before the next refresh or was modified. 0: off", PARAM_AT(struct hweb_manager_config, refresh_ns), NULL },
	{ "modify_rate", PARAM_DOUBLE, "0", "1/s", 0, 1e6, "hydraweb: objects modified per second at the origin, a Poisson process over uniformly chosen objects (the origin's own GSL stream)", PARAM_AT(struct hweb_manager_config, modify_per_s), NULL },
};
const size_t hweb_manager_nparams = sizeof hweb_manager_params / sizeof hweb_manager_params[0];
