/* rtd_params.c - a host server routing daemon's parameters (rtd.h), as
 * data: the scenario checker links this without the simulator. */
#include "hydranet/rtd.h"

#include "hydranet/auth.h"

#define NS 1e9

const struct param_def rtd_params[] = {
	{ "announce_lifetime", PARAM_TIME, "30s", "s", 1 * NS, 3600 * NS, "host server: lifetime of its routing daemon's announcements (whole seconds on the wire)", PARAM_AT(struct rtd_config, lifetime_ns), NULL },
	{ "announce_refresh", PARAM_TIME, "10s", "s", 1e-3 * NS, 3600 * NS, "host server: announcements are repeated this often, less than their lifetime, so a lost one heals", PARAM_AT(struct rtd_config, refresh_ns), NULL },
	{ "auth", PARAM_BOOL, "false", "", 0, 0, AUTH_KEY_DOC, PARAM_AT(struct rtd_config, auth), NULL },
	{ "announce_to", PARAM_STRING, "", "", 0, 0, "host server that a replica manager may install on: the redirector nodes its routing daemon tells of those replicas (space separated; empty: every redirector). An ISP's host server serving its own ISP names its own redirector", PARAM_AT(struct rtd_config, announce_to), NULL },
	{ "withdraw", PARAM_BOOL, "true", "", 0, 0, "host server: withdraw an access point when its replica stops (false: let the redirectors' entries expire)", PARAM_AT(struct rtd_config, withdraw), NULL },
};
const size_t rtd_nparams = sizeof rtd_params / sizeof rtd_params[0];
