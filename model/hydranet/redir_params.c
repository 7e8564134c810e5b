/* redir_params.c - the redirector's parameters (redir.h), as data: the
 * scenario checker and its fuzz target link this without the simulator. */
#include "hydranet/redir.h"

#define NS 1e9

#define POLICY_NAME(e, name, doc) name,
const char *const redir_policy_names[] = { REDIR_POLICIES(POLICY_NAME) NULL };

const struct param_def redir_params[] = {
	{ "outer_ttl", PARAM_U64, "64", "", 1, 255, "redirector: TTL of the outer (tunnel) header; RFC 2003 3.1 default 64", PARAM_AT(struct redir_config, outer_ttl), NULL },
	{ "policy", PARAM_ENUM, "nearest", "", 0, 0, "redirector: how a new flow picks among a service's replicas: nearest (least path delay from the redirector; the origin competes and wins only when strictly nearer; ties take turns), round_robin, least_loaded (fewest flows in the redirector's flow table) or maglev (consistent hashing of the 5-tuple over the replicas in service, Maglev NSDI'16; the origin is no candidate)", PARAM_AT(struct redir_config, policy), redir_policy_names },
	{ "flow_table", PARAM_BOOL, "true", "", 0, 0, "redirector: keep each flow on the replica it started on when the table changes (false: every datagram chooses afresh, and connections can break)", PARAM_AT(struct redir_config, flow_table), NULL },
	{ "maglev_size", PARAM_U64, "65537", "entries", 7, 65537, "redirector, policy = maglev: size of the Maglev lookup table, a prime much larger than the replicas (65537: Maglev NSDI'16 section 3.4's example)", PARAM_AT(struct redir_config, maglev_size), NULL },
	{ "flow_idle", PARAM_TIME, "300s", "s", 1e-3 * NS, 86400 * NS, "redirector: a flow idle this long is forgotten (assumed: longer than TCP's keepalive-free idle periods in the workloads here)", PARAM_AT(struct redir_config, flow_idle_ns), NULL },
	{ "max_entries", PARAM_U64, "4096", "", 1, 1000000, "redirector: access points its routing daemon may add to the table; an announcement past it is refused (drop.rtd_table_refused) after expired entries are pruned", PARAM_AT(struct redir_config, max_entries), NULL },
	{ "max_flows", PARAM_U64, "4096", "", 1, 10000000, "redirector: flows the flow table remembers at once; a new flow past it is still tunnelled, not remembered (drop.flow_table_full)", PARAM_AT(struct redir_config, max_flows), NULL },
};
const size_t redir_nparams = sizeof redir_params / sizeof redir_params[0];
