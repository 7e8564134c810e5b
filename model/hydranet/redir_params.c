/* redir_params.c - the redirector's parameters (redir.h), as data: the
 * scenario checker and its fuzz target link this without the simulator. */
#include "hydranet/redir.h"

#define NS 1e9

#define POLICY_NAME(e, name, doc) name,
const char *const redir_policy_names[] = { REDIR_POLICIES(POLICY_NAME) NULL };

const struct param_def redir_params[] = {
	{ "outer_ttl", PARAM_U64, "64", "", 1, 255, "redirector: TTL of the outer (tunnel) header; RFC 2003 3.1 default 64", PARAM_AT(struct redir_config, outer_ttl), NULL },
	{ "outer_ttl_mode", PARAM_ENUM, "fixed", "", 0, 0, "redirector: outer TTL fixed (outer_ttl) or inherited from the inner TTL after the forwarding decrement (Linux ip tunnel `ttl inherit`)", PARAM_AT(struct redir_config, outer_ttl_mode), PARAM_CHOICES("fixed", "inherit") },
	{ "outer_tos_mode", PARAM_ENUM, "copy", "", 0, 0, "redirector: outer TOS copied from the inner header (RFC 2003 3.1; Linux `tos inherit`) or fixed (outer_tos); the ECN bits follow RFC 6040 normal mode in both (inner ECN copied, CE sent as ECT(0))", PARAM_AT(struct redir_config, outer_tos_mode), PARAM_CHOICES("copy", "fixed") },
	{ "outer_tos", PARAM_U64, "0", "", 0, 255, "redirector: outer TOS when outer_tos_mode is fixed (Linux's default tunnel tos 0)", PARAM_AT(struct redir_config, outer_tos), NULL },
	{ "outer_df", PARAM_ENUM, "copy", "", 0, 0, "redirector: outer DF copied from the inner header (RFC 2003 5.1; Linux `nopmtudisc`) or always set (Linux's default `pmtudisc`)", PARAM_AT(struct redir_config, outer_df), PARAM_CHOICES("copy", "set") },
	{ "fragment", PARAM_ENUM, "outer", "", 0, 0, "redirector: what is cut when the tunnelled datagram exceeds the link MTU: the outer datagram, to the link MTU (the paper; Linux ipip with `mtu 1500` on a 1500-byte link), or the inner one, to the tunnel MTU = link MTU - 20, each piece encapsulated whole (Linux ipip's default device MTU). An inner datagram longer than the tunnel MTU with DF set is refused in both (see net/tunnel.h)", PARAM_AT(struct redir_config, fragment), PARAM_CHOICES("outer", "inner") },
	{ "icmp_frag_needed", PARAM_BOOL, "true", "", 0, 0, "redirector: answer an inner DF datagram too big for the tunnel MTU (link MTU - 20) with ICMP destination unreachable, fragmentation needed, next-hop MTU = tunnel MTU (RFC 792, RFC 1191; Linux tnl_update_pmtu); false: drop it silently (a PMTUD black hole)", PARAM_AT(struct redir_config, icmp_frag_needed), NULL },
	{ "icmp_rate", PARAM_U64, "0", "1/s", 0, 1e6, "redirector: ICMP fragmentation needed per second, token bucket (0: unlimited, as Linux 6.1, whose icmpv4_mask_allow exempts fragmentation needed from every ICMP limit)", PARAM_AT(struct redir_config, icmp_rate), NULL },
	{ "icmp_burst", PARAM_U64, "50", "", 1, 1e6, "redirector: the ICMP token bucket's depth (50: Linux's sysctl icmp_msgs_burst, applied here to fragmentation needed)", PARAM_AT(struct redir_config, icmp_burst), NULL },
	{ "mss_clamp", PARAM_U64, "0", "bytes", 0, 65535, "redirector: lower the MSS option of TCP SYNs tunnelled to a service to at most this, checksum fixed by RFC 1624 (1440 = 1500 - 20 tunnel - 40 headers). It bounds the host server's segments to the client, which do not pass the tunnel; ns-3's TCP sends no MSS option, so on the simulator nothing is rewritten. 0: off", PARAM_AT(struct redir_config, mss_clamp), NULL },
	{ "policy", PARAM_ENUM, "nearest", "", 0, 0, "redirector: how a new flow picks among a service's replicas: nearest (least path delay from the redirector; the origin competes and wins only when strictly nearer; ties take turns), round_robin, least_loaded (fewest flows in the redirector's flow table) or maglev (consistent hashing of the 5-tuple over the replicas in service, Maglev NSDI'16; the origin is no candidate)", PARAM_AT(struct redir_config, policy), redir_policy_names },
	{ "flow_table", PARAM_BOOL, "true", "", 0, 0, "redirector: keep each flow on the replica it started on when the table changes (false: every datagram chooses afresh, and connections can break)", PARAM_AT(struct redir_config, flow_table), NULL },
	{ "maglev_size", PARAM_U64, "65537", "entries", 7, 65537, "redirector, policy = maglev: size of the Maglev lookup table, a prime much larger than the replicas (65537: Maglev NSDI'16 section 3.4's example)", PARAM_AT(struct redir_config, maglev_size), NULL },
	{ "flow_idle", PARAM_TIME, "300s", "s", 1e-3 * NS, 86400 * NS, "redirector: a flow idle this long is forgotten (assumed: longer than TCP's keepalive-free idle periods in the workloads here)", PARAM_AT(struct redir_config, flow_idle_ns), NULL },
	{ "max_entries", PARAM_U64, "4096", "", 1, 1000000, "redirector: access points its routing daemon may add to the table; an announcement past it is refused (drop.rtd_table_refused) after expired entries are pruned", PARAM_AT(struct redir_config, max_entries), NULL },
	{ "max_flows", PARAM_U64, "4096", "", 1, 10000000, "redirector: flows the flow table remembers at once; a new flow past it is still tunnelled, not remembered (drop.flow_table_full)", PARAM_AT(struct redir_config, max_flows), NULL },
};
const size_t redir_nparams = sizeof redir_params / sizeof redir_params[0];
