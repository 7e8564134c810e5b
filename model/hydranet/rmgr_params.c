/* rmgr_params.c - a replica manager's parameters (rmgr.h), as data: the
 * scenario checker and its fuzz target link this without the simulator. */
#include "hydranet/rmgr.h"

#define NS 1e9

#define VALUE_NAME(e, name, doc) name,
const char *const rmgr_trigger_names[] = { RMGR_TRIGGERS(VALUE_NAME) NULL };
const char *const rmgr_manager_names[] = { "none", RMGR_POLICIES(VALUE_NAME) NULL };

const struct param_def rmgr_params[] = {
	{ "image_size", PARAM_BYTES, "250000", "bytes", 0, 1e9, "manager: size of the replica's code image sent with each install (assumed: a 1998 Java HTTP replica of a few hundred KB)", PARAM_AT(struct rmgr_config, image_bytes), NULL },
	{ "trigger", PARAM_ENUM, "load", "", 0, 0, "manager (dynamic): what triggers an install: load (the origin's request rate above install_above), latency (the origin's response time, request to reply, above install_above_ms) or region (the origin's request rate from one candidate's region above region_above: a request is the region's of the first redirector on the client's route to the origin that a candidate announces to, by its announce_to; installs on that candidate, the busiest region first)", PARAM_AT(struct rmgr_config, trigger), rmgr_trigger_names },
	{ "install_above", PARAM_DOUBLE, "10", "req/s", 0, 1e6, "manager (dynamic, trigger = load): origin request rate that triggers an install", PARAM_AT(struct rmgr_config, install_above_rps), NULL },
	{ "install_above_ms", PARAM_DOUBLE, "50", "ms", 0, 1e6, "manager (dynamic, trigger = latency): origin response time that triggers an install", PARAM_AT(struct rmgr_config, install_above_ms), NULL },
	{ "region_above", PARAM_DOUBLE, "10", "req/s", 0, 1e6, "manager (dynamic, trigger = region): origin request rate from one candidate's region that triggers an install on that candidate", PARAM_AT(struct rmgr_config, region_above_rps), NULL },
	{ "remove_below", PARAM_DOUBLE, "1", "req/s", 0, 1e6, "manager (dynamic): a replica serving fewer requests/s is idle", PARAM_AT(struct rmgr_config, remove_below_rps), NULL },
	{ "idle_intervals", PARAM_U64, "3", "", 1, 1000, "manager (dynamic): idle load reports in a row before a replica is removed", PARAM_AT(struct rmgr_config, idle_intervals), NULL },
	{ "auth_validity", PARAM_TIME, "3600s", "s", 1 * NS, 86400.0 * 365 * NS, "manager: how long the authorisation it signs for an install on a host server with auth on stays valid (whole seconds); a replica announced past it is refused (drop.auth_expired)", PARAM_AT(struct rmgr_config, auth_validity_ns), NULL },
	{ "load_interval", PARAM_TIME, "2s", "s", 1e-3 * NS, 3600 * NS, "manager: load measurement and report interval (HydraWeb hit metering goes with it)", PARAM_AT(struct rmgr_config, interval_ns), NULL },
	{ "max_queue", PARAM_BYTES, "4194304", "bytes", 65536, 1e9, "manager: bytes queued to one replication server at most (pushed objects wait there for the TCP connection); a PUSH past it is refused (drop.rmp_queue_full)", PARAM_AT(struct rmgr_config, max_queue), NULL },
};
const size_t rmgr_nparams = sizeof rmgr_params / sizeof rmgr_params[0];

const struct param_def rsrv_params[] = {
	{ "max_installs", PARAM_U64, "16", "", 1, RSRV_MAX, "host server: replica managers' connections (pending and running installs) its replication server holds; one past it is closed at once (drop.rmp_connection_limit)", PARAM_AT(struct rsrv_limits, max_conns), NULL },
};
const size_t rsrv_nparams = sizeof rsrv_params / sizeof rsrv_params[0];
