/* auth_params.c - a redirector verifier's limits (auth.h), as data. */
#include "hydranet/auth.h"

#include <string.h>

const struct param_def auth_params[] = {
	{ "auth", PARAM_BOOL, "false", "", 0, 0, AUTH_KEY_DOC, PARAM_AT(struct auth_config, enabled), NULL },
	{ "auth_max_services", PARAM_U64, "64", "", 1, 4096, "redirector: services whose origin key it holds", PARAM_AT(struct auth_config, max_services), NULL },
	{ "auth_replay_entries", PARAM_U64, "256", "", 1, 65536, "redirector: (host server, origin, service) senders whose last sequence number it remembers; a new sender past this is dropped (drop.auth_replay_table_full)", PARAM_AT(struct auth_config, replay_entries), NULL },
	{ "auth_hs_rate", PARAM_U64, "10", "", 1, 100000, "redirector: announcements per second one host server may send (assumed: a daemon refreshing every 10 s for up to 64 access points sends far fewer)", PARAM_AT(struct auth_config, hs_rate), NULL },
	{ "auth_hs_burst", PARAM_U64, "20", "", 1, 100000, "redirector: burst of the per-host-server rate limit", PARAM_AT(struct auth_config, hs_burst), NULL },
	{ "auth_rate_entries", PARAM_U64, "256", "", 1, 65536, "redirector: host servers it keeps a rate bucket for; a new one past this is dropped (drop.auth_rate_table_full)", PARAM_AT(struct auth_config, rate_entries), NULL },
};
const size_t auth_nparams = sizeof auth_params / sizeof auth_params[0];

void auth_config_default(struct auth_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	char err[128];
	for (size_t i = 0; i < auth_nparams; i++)
		param_parse(&auth_params[i], auth_params[i].def, cfg, err, sizeof err);
}
