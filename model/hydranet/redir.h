/* redir.h - the HydraNet redirector (paper, sections 3 and 4.2).
 *
 * A router that owns a redirector table: (origin IP, port, protocol) -> host
 * server.  A forwarded datagram that matches is tunnelled IP-in-IP (RFC 2003)
 * to the host server; one that does not is left to the router's ordinary
 * forwarding, untouched.  Inner fragments carry no ports after the first, so
 * they follow the verdict of their first fragment (fragflow.h); fragments that
 * come before it are held.  When the tunnelled datagram exceeds the next hop's
 * MTU the redirector fragments it itself (RFC 791), as the paper's Figure 3a
 * discussion describes: the outer datagram (the default) or the inner one to
 * the tunnel MTU, with outer TTL, TOS and DF by the tunnel's mode
 * (net/tunnel.h); an inner DF datagram too big for the tunnel is answered with
 * ICMP fragmentation needed (RFC 1191), and SYNs' MSS may be clamped.
 *
 * The module is pure C: it talks to the node it runs on through struct
 * redir_io, so unit tests drive it without a simulator.  redir_attach() binds
 * it to a simulated node (FORWARD hook, sim_ip_output).
 *
 * A service may have several replicas.  A new flow (5-tuple) picks one by
 * the configured policy, the nearest by routing metric by default, with the
 * origin itself a candidate; the flow table then keeps the flow's later
 * datagrams on that choice, so connections that exist when the table changes
 * keep their replica; a flow whose replica is withdrawn or expires chooses
 * again rather than being black-holed.  Without the flow table every datagram chooses afresh.
 * The maglev policy hashes the 5-tuple into a Maglev lookup table
 * (maglev.h) built over the replicas in service, so a datagram of a flow the
 * redirector does not remember (no flow table, or a restarted redirector)
 * still finds its replica while the set is unchanged, and a change of the set
 * moves few flows; with it, a TCP segment of an unknown connection is hashed
 * too (it is not assumed to be older than the replicas).  Not here: the
 * routing daemon that fills the table. */
#ifndef HN_REDIR_H
#define HN_REDIR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "counter.h"
#include "param.h"

#include "hydranet/fragflow.h"
#include "hydranet/hchk.h"
#include "net/frag.h"
#include "net/tunnel.h"

struct sim_node;

/* What the redirector needs from the node it runs on. */
struct redir_io {
	/* Send a complete datagram (borrowed), header verbatim; HN_OK or < 0. */
	int (*output)(void *ctx, const uint8_t *dg, size_t len);
	/* MTU and source address of the route to dst; 0 when unroutable. */
	uint32_t (*route_mtu)(void *ctx, uint32_t dst);
	uint32_t (*route_src)(void *ctx, uint32_t dst);
	void *ctx;
};

/* Routing metric from the redirector to dst (lower is nearer). */
typedef uint64_t (*redir_metric_fn)(void *ctx, uint32_t dst);

/* How a new flow picks among the replicas of its service. */
/* How a new flow picks a replica: X(POLICY, name, doc). */
#define REDIR_POLICIES(X) \
	X(NEAREST, "nearest", "least routing metric; the origin is a candidate too") \
	X(ROUND_ROBIN, "round_robin", "the replicas in turn") \
	X(LEAST_LOADED, "least_loaded", "the replica with the fewest flows in the flow table") \
	X(MAGLEV, "maglev", "consistent hashing of the 5-tuple (Maglev, NSDI'16): every redirector with the same replicas picks the same one")
#define REDIR_POLICY_ENUM(e, name, doc) REDIR_##e,
enum redir_policy { REDIR_POLICIES(REDIR_POLICY_ENUM) REDIR_NPOLICIES };
/* The policies' names in enum order, NULL-terminated (redir_params.c). */
extern const char *const redir_policy_names[];

#define REDIR_MAX_REPLICAS 8   /* host servers per service access point */
#define REDIR_MAX_ENTRIES 4096  /* access points announcements may add (default of max_entries) */

struct redir_config {
	uint8_t outer_ttl;               /* 0: RFC 2003 default (64) */
	/* The tunnel's rule (net/tunnel.h); zero: fixed TTL, TOS and DF copied,
	 * the outer datagram cut (a Linux ipip tunnel, nopmtudisc, mtu 1500). */
	enum tunnel_ttl outer_ttl_mode;
	enum tunnel_tos outer_tos_mode;
	uint8_t outer_tos;               /* outer_tos_mode fixed */
	enum tunnel_df outer_df;
	enum tunnel_frag fragment;
	/* Path MTU discovery: ICMP fragmentation needed (net/icmp.h) for an
	 * inner DF datagram too big for the tunnel; rate limited by a token
	 * bucket (icmp_rate per second, 0: unlimited; icmp_burst). */
	bool icmp_frag_needed;
	uint64_t icmp_rate;
	uint64_t icmp_burst;
	uint16_t mss_clamp;              /* SYNs to a service: MSS at most this (0: off) */
	struct fragflow_limits frag;     /* inner fragments awaiting their first */
	enum redir_policy policy;
	bool flow_table;                 /* keep each flow on the server it started on */
	size_t max_flows;                /* flows remembered at once (0: 4096) */
	uint64_t flow_idle_ns;           /* a flow idle this long is forgotten (0: 300 s) */
	uint64_t maglev_size;            /* maglev: lookup table size, prime (0: 65537) */
	struct hchk_config hc;           /* health checks (hchk.h): the world runs them */
	size_t max_entries;              /* access points announcements may add (0: REDIR_MAX_ENTRIES) */
};

/* Counters and drop reasons: C(field, metric, doc), D(reason, name, doc)
 * (counter.h); drops are stored as metric drop.NAME. */
#define REDIR_STATS(C, D) \
	C(seen, "seen", "datagrams offered to the redirector (FORWARD hook)") \
	C(redirected, "redirected", "datagrams (or inner fragments) tunnelled to a host server") \
	C(redirected_bytes, "redirected_bytes", "inner bytes tunnelled") \
	C(forwarded, "forwarded", "datagrams left to ordinary forwarding") \
	C(forwarded_by_c, "forwarded_by_c", "held inner fragments forwarded by the redirector itself") \
	C(outer_fragmented, "outer_fragmented", "tunnelled datagrams cut for the next hop MTU") \
	C(fragments_made, "fragments_made", "outer fragments emitted by that cutting") \
	C(inner_fragmented, "inner_fragmented", "datagrams cut to the tunnel MTU before encapsulation (fragment = inner)") \
	C(inner_fragments_made, "inner_fragments_made", "inner pieces made by that cutting, each encapsulated whole") \
	C(icmp_sent, "icmp_frag_needed_sent", "ICMP fragmentation needed sent (RFC 1191; next-hop MTU = tunnel MTU)") \
	C(icmp_rate_limited, "icmp_rate_limited", "ICMP fragmentation needed not sent: the rate limit") \
	C(icmp_not_sent, "icmp_not_sent", "ICMP fragmentation needed not sent: RFC 1122 3.2.2 forbids it, or no route back") \
	C(mss_clamped, "mss_clamped", "SYNs to a service whose MSS option was lowered to mss_clamp") \
	C(mss_unparsed, "mss_unparsed", "SYNs to a service whose TCP options could not be parsed (malformed): tunnelled unclamped") \
	C(flows_new, "flows_new", "replica choices made: new flows (every datagram without the flow table)") \
	C(flows_kept, "flows_kept", "datagrams that followed their flow's earlier choice") \
	C(flows_expired, "flows_expired", "idle flows forgotten") \
	C(flows_table_full, "drop.flow_table_full", "new flows that could not be remembered (flow table full); still tunnelled") \
	C(flows_rerouted, "flows_rerouted", "flows whose replica went away, chosen again") \
	C(flows_existing, "flows_existing", "TCP connections already open when replicas appeared: kept on the origin") \
	C(to_origin, "flows_to_origin", "new flows sent to the origin (it was the nearest)") \
	C(replicas_down, "replicas_down", "replicas taken out of service: announcement expired or withdrawn, or marked down by health checks") \
	C(replicas_up, "replicas_up", "replicas coming into service: announced (first, or again after expiring or being withdrawn), or marked up by health checks") \
	C(events_not_logged, "replica_events_not_logged", "replica down/up events beyond the event log's REDIR_MAX_EVENTS (counted above, times not kept)") \
	C(restarts, "restarts", "crashes of the redirector's node (flow table, announced entries and health marks lost)") \
	C(flows_lost, "flows_lost", "flows in the flow table when the node crashed") \
	C(maglev_builds, "maglev_builds", "Maglev lookup tables built (policy maglev: once per change of a service's replicas in service)") \
	D(BAD_HEADER, "bad_header", "not a valid IPv4 datagram") \
	D(TTL, "ttl_expired", "inner TTL would expire on forwarding") \
	D(LOOP, "tunnel_loop", "inner source is the host server (RFC 2003 section 4)") \
	D(DF, "df_too_big", "too big for the tunnel MTU with the inner DF set, or for the link with the outer DF set") \
	D(NO_ROUTE, "no_route", "no route to the host server") \
	D(MTU, "link_mtu_too_small", "the route's MTU cannot carry an outer header and data (below 48 bytes)") \
	D(OUTPUT, "output_refused", "the node refused the datagram")

#define REDIR_DROP_ENUM(e, name, doc) REDIR_DROP_##e,
enum redir_drop { REDIR_STATS(COUNTER_SKIP, REDIR_DROP_ENUM) REDIR_NDROP };

struct redir_stats {
	REDIR_STATS(COUNTER_FIELD, COUNTER_SKIP)
	uint64_t drops[REDIR_NDROP];   /* by enum redir_drop */
};

/* The descriptors of every counter above. */
extern const struct counter_set redir_counters;

/* The redirector's keys in a [node NAME] section, into struct redir_config
 * (redir_params.c: data only, so the scenario checker links without the
 * simulator).  The fragment limits are fragflow_params'. */
extern const struct param_def redir_params[];
extern const size_t redir_nparams;

struct redir;

/* Why a replica went out of or came back into service. */
enum redir_event_why { REDIR_WHY_EXPIRED, REDIR_WHY_WITHDRAWN, REDIR_WHY_HEALTH_DOWN,
		       REDIR_WHY_ANNOUNCED, REDIR_WHY_HEALTH_UP };

/* One entry of the redirector's replica event log: host server hs left
 * (down = 1) or came into service (announced, or marked up) at t_ns.  An expiry is logged at the
 * instant the lifetime ran out (when attached to a node, a timer fires
 * then; else it is noticed later, with that time). */
struct redir_replica_event {
	uint32_t hs;
	uint64_t t_ns;
	uint8_t down;
	uint8_t why;               /* enum redir_event_why */
};
#define REDIR_MAX_EVENTS 256

/* A new redirector with an empty table, or NULL (bad config, no memory).
 * io is copied. */
struct redir *redir_new(const struct redir_config *cfg, const struct redir_io *io);
void redir_free(struct redir *r);

/* Redirector table: (origin, port, proto) -> up to REDIR_MAX_REPLICAS host
 * servers.  proto is 6 (TCP) or 17 (UDP).  add installs a permanent replica
 * (configured by hand); announce installs or refreshes one that expires
 * lifetime_ns after now_ns unless announced again (the routing daemons');
 * withdraw removes one host server, remove the whole entry.  HN_ELIMIT
 * when the entry already has REDIR_MAX_REPLICAS host servers. */
int redir_table_add(struct redir *r, uint32_t origin, uint16_t port, uint8_t proto,
		    uint32_t host_server);
int redir_table_announce(struct redir *r, uint32_t origin, uint16_t port, uint8_t proto,
			 uint32_t host_server, uint64_t lifetime_ns, uint64_t now_ns);
int redir_table_withdraw(struct redir *r, uint32_t origin, uint16_t port, uint8_t proto,
			 uint32_t host_server);
int redir_table_remove(struct redir *r, uint32_t origin, uint16_t port, uint8_t proto);
/* The first live host server of the service access point, or 0. */
uint32_t redir_table_lookup(const struct redir *r, uint32_t origin, uint16_t port,
			    uint8_t proto);
/* Live host servers of the access point at now_ns. */
size_t redir_table_replicas(const struct redir *r, uint32_t origin, uint16_t port, uint8_t proto,
			    uint64_t now_ns);
size_t redir_table_size(const struct redir *r);

/* Health checks' verdict on a replica of (origin, port, proto): a replica
 * marked down is out of service (no new flow chooses it; flows on it choose
 * again) until marked up.  HN_OK (also when unchanged) or HN_ENOENT. */
int redir_replica_set_health(struct redir *r, uint32_t origin, uint16_t port, uint8_t proto,
			     uint32_t host_server, bool down, uint64_t now_ns);

/* fn for every replica in the table (in service or not), with its health
 * mark (a replica that left the table and came back starts unmarked);
 * returns how many. */
typedef void (*redir_replica_fn)(void *ctx, uint32_t origin, uint16_t port, uint8_t proto,
				 uint32_t host_server, bool hc_down);
size_t redir_table_foreach(const struct redir *r, redir_replica_fn fn, void *ctx);

/* The replica event log, in time order (borrowed). */
size_t redir_replica_events(const struct redir *r, const struct redir_replica_event **out);

/* The node crashed: the flow table, announced replicas and health marks
 * are lost; configured replicas stay (they are configuration). */
void redir_crash(struct redir *r, uint64_t now_ns);

/* Set the metric the nearest policy uses; without one, every candidate is
 * equally near (ties take turns) and the origin never wins. */
void redir_set_metric(struct redir *r, redir_metric_fn fn, void *ctx);

/* Verdict of redir_input. */
enum redir_verdict {
	REDIR_PASS,       /* not redirected: forward it as usual */
	REDIR_CONSUMED    /* tunnelled, held or dropped by the redirector */
};

/* Offer a datagram being forwarded (borrowed; TTL not yet decremented). */
enum redir_verdict redir_input(struct redir *r, const uint8_t *dg, size_t len,
			       uint64_t now_ns);

/* Drop held fragments whose first fragment did not come in time. */
void redir_expire(struct redir *r, uint64_t now_ns);

const struct redir_stats *redir_stats(const struct redir *r);
const struct ipv4_frag_stats *redir_frag_stats(const struct redir *r);
const struct fragflow_stats *redir_fragflow_stats(const struct redir *r);
const char *redir_drop_name(enum redir_drop d);

/* Replace the io (e.g. with a cost model's, which charges the work and
 * emits when it is done).  io is copied. */
void redir_set_io(struct redir *x, const struct redir_io *io);

/* Bind r to a simulated node: its FORWARD hook feeds redir_input and its
 * io goes to sim_ip_output / sim_route_*.  The io given to redir_new is
 * replaced.  Returns HN_OK. */
int redir_attach(struct redir *r, struct sim_node *node);
#endif
