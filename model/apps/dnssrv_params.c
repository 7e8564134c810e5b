/* dnssrv_params.c - the name server's and resolver's [node] keys
 * (dnssrv.h), as data. */
#include "apps/dnssrv.h"

#define NS 1e9

#define VALUE_NAME(e, name, doc) name,
const char *const dnssrv_policy_names[] = { DNSSRV_POLICIES(VALUE_NAME) NULL };

const struct param_def dnssrv_auth_params[] = {
	{ "dns_service", PARAM_STRING, "", "", 0, 0, "nameserver: the [service] whose name (the service's name) it answers with the origin or a replica's host server (required for a nameserver)", PARAM_AT(struct dnssrv_auth_config, service), NULL },
	{ "dns_policy", PARAM_ENUM, "nearest", "", 0, 0, "nameserver: which address an answer names: nearest (least path delay from the asking resolver, as the redirector's nearest; the origin only when strictly nearer) or round_robin", PARAM_AT(struct dnssrv_auth_config, policy), dnssrv_policy_names },
	{ "dns_ttl", PARAM_TIME, "60s", "s", 0, 86400 * NS, "nameserver: TTL of its answers (whole seconds on the wire; 0: not cached)", PARAM_AT(struct dnssrv_auth_config, ttl_ns), NULL },
};
const size_t dnssrv_auth_nparams = sizeof dnssrv_auth_params / sizeof dnssrv_auth_params[0];

const struct param_def dnssrv_resolver_params[] = {
	{ "dns_server", PARAM_STRING, "", "", 0, 0, "resolver: the nameserver node it asks on a cache miss (required for a resolver)", PARAM_AT(struct dnssrv_resolver_config, server), NULL },
};
const size_t dnssrv_resolver_nparams = sizeof dnssrv_resolver_params / sizeof dnssrv_resolver_params[0];
