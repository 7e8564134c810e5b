/* rogue_params.c - an attacker's [node] keys (rogue.h), as data. */
#include "hydranet/rogue.h"

#define NS 1e9

#define VALUE_NAME(e, name, doc) name,
const char *const rogue_attack_names[] = { ROGUE_ATTACKS(VALUE_NAME) NULL };

const struct param_def rogue_params[] = {
	{ "attack", PARAM_ENUM, "unsigned", "", 0, 0, "rogue: what it sends to the redirectors (rogue.h): none, unsigned, self_signed, stolen, stale, replay or withdraw", PARAM_AT(struct rogue_attack_config, attack), rogue_attack_names },
	{ "attack_service", PARAM_STRING, "", "", 0, 0, "rogue: the [service] it attacks (required for a rogue)", PARAM_AT(struct rogue_attack_config, service), NULL },
	{ "attack_victim", PARAM_STRING, "", "", 0, 0, "rogue: the legitimate host server it observes (stolen, replay) or withdraws (withdraw)", PARAM_AT(struct rogue_attack_config, victim), NULL },
	{ "attack_start", PARAM_TIME, "1s", "s", 0, 86400 * NS, "rogue: time of its first message", PARAM_AT(struct rogue_attack_config, start_ns), NULL },
	{ "attack_interval", PARAM_TIME, "1s", "s", 1e-6 * NS, 3600 * NS, "rogue: time between its messages (small: a flood)", PARAM_AT(struct rogue_attack_config, interval_ns), NULL },
	{ "attack_count", PARAM_U64, "10", "", 1, 10000000, "rogue: messages it sends", PARAM_AT(struct rogue_attack_config, count), NULL },
	{ "attack_ports", PARAM_U64, "1", "", 1, 60000, "rogue: distinct ports named in turn, from the service's port up (more than 1: a flood of access points)", PARAM_AT(struct rogue_attack_config, ports), NULL },
	{ "attack_lifetime", PARAM_TIME, "30s", "s", 1 * NS, 3600 * NS, "rogue: lifetime its announcements claim (whole seconds)", PARAM_AT(struct rogue_attack_config, lifetime_ns), NULL },
};
const size_t rogue_nparams = sizeof rogue_params / sizeof rogue_params[0];
