/* world_int.h - what the world builder's files share (model/world/); not a
 * public header: world.h is.
 *
 * The world is built in phases, one file each: topology.c (nodes, links,
 * routes, the TCP profile), roles.c (what each node's role puts on it,
 * through the role table of roles.h), services.c (origin servers, replica
 * managers, configured replicas and the replication servers' operations),
 * auth.c (authenticated routing: keys from the seed, verifiers, signing
 * costs, what rogues observe), workloads.c (clients and ping traces), metrics.c (every counter and
 * result as a metric, the sampled series) and store.c (the results
 * database). */
#ifndef HN_WORLD_INT_H
#define HN_WORLD_INT_H
#include <gsl/gsl_rng.h>
#include <stdint.h>

#include "apps/dnssrv.h"
#include "apps/http.h"
#include "apps/hweb.h"
#include "apps/telnet.h"
#include "apps/ttcp.h"
#include "counter.h"
#include "hydranet/hchk.h"
#include "hydranet/hsrv.h"
#include "hydranet/redir.h"
#include "hydranet/auth.h"
#include "hydranet/rmgr.h"
#include "hydranet/rogue.h"
#include "hydranet/rtd.h"
#include "net/graph.h"
#include "scenario/scenario.h"
#include "sim/sim.h"
#include "testbed/cpu.h"
#include "testbed/wan.h"
#include "world/routing.h"
#include "world/world.h"

/* The nearest policy's metric at one redirector: path delay over links. */
struct wmetric {
	const struct scenario *s;
	const struct addr_index *addrs;   /* the world's (link addresses to nodes) */
	const struct graph *graph;    /* the world's links (fixed once built) */
	size_t from;                  /* the redirector's node */
	uint64_t *dist;               /* ns, from the redirector to each node; NULL until asked */
};

struct wnode {
	struct world *w;              /* the world it belongs to */
	struct wmetric *metric;       /* redirectors */
	const struct scn_node *cfg;
	sim_node *sim;
	struct redir *redir;          /* role redirector (not in the clean series) */
	struct hsrv *hsrv;            /* role hostserver (not in the clean series) */
	struct cpu *cpu;              /* cost model, when the node has one */
	struct rtd *rtd;              /* routing daemon (redirectors; host servers that announce) */
	struct rsrv *rsrv;            /* replication server (candidates of a replica manager) */
	struct hchk *hchk;            /* health-check prober (redirectors) or responder (host servers) */
	struct auth_verifier *verifier;   /* redirectors with auth on */
	struct rogue *rogue;          /* role rogue */
	struct wdns *dns;             /* roles nameserver and resolver (alternatives.c) */
	struct natlb *natlb;          /* role natlb */
	gsl_rng *rng;                 /* the node's stream (CPU jitter) */
};

struct wworkload {
	gsl_rng *rng;                 /* this workload's random stream */
	const struct scn_workload *cfg;
	const struct scn_service *svc;
	struct http_client *http;
	struct telnet_client *telnet;
	struct ttcp_sender *ttcp;
	uint32_t ttcp_dst;            /* the address its sender targets */
	uint16_t ttcp_port;           /* and the port */
	uint32_t ttcp_src;            /* its flow: the sender's address */
	uint16_t ttcp_sport;          /* and source port */
	gsl_rng *obj_rng;             /* which object each request asks for */
	sim_ping *ping;               /* the ping trace, when asked for */
	struct dnssrv_stub *stub;     /* http with a resolver: its name lookups */
	struct ping_rec { double sent_s, rtt_ms; } *pings;
	size_t npings, cappings;
};

/* One point of a counter time series. */
struct sample {
	double t_s;
	size_t node;
	int counter;                  /* enum sample_counter */
	double value;
};

enum sample_counter { SC_REDIRECTED, SC_FORWARDED, SC_FRAGMENTS_MADE, SC_DELIVERED,
		      SC_REASSEMBLED, SC_ORIGIN_REQUESTS, SC_REPLICA_REQUESTS, SC_NCOUNTERS };

/* A replica a replication server started (for its stop and load). */
struct managed {
	struct world *w;
	struct wnode *host;
	struct http_server *srv;      /* an http replica, or */
	struct hweb_replica *hweb;    /* a HydraWeb replica */
	uint32_t origin;
	uint16_t port;
	int installs;                 /* how many times it was installed here */
	uint64_t metered_hits, metered_misses;   /* reported in METERs so far */
};

/* The failure events' counters (failures.c): C(field, metric, doc). */
#define FAIL_STATS(C, D) \
	C(applied, "failures.applied", "failure events applied ([failure NAME])") \
	C(refused, "failures.refused", "failure events the simulator refused (object already in that state)") \
	C(tcp_lost, "failures.tcp_connections_lost", "TCP connections of crashed nodes lost that their applications had not closed yet (bytes queued in those already closed die with the interfaces too)") \
	C(redirector_restarts, "failures.redirector_crashes", "crashes of redirector nodes (flow tables lost)")
struct fail_stats {
	FAIL_STATS(COUNTER_FIELD, COUNTER_SKIP)
};
extern const struct counter_set fail_counters;

/* A client node's stack counters (stack.c): sim_stack_stats. */
extern const struct counter_set sim_stack_counters;
int world_stack_counters(const struct world *w, const struct wnode *n, counter_put_fn put, void *ctx);

/* One failure event as applied. */
struct wfail {
	struct world *w;
	size_t index;                 /* in s->failure */
	int applied;                  /* 1 when it happened */
	uint64_t tcp_lost;            /* node_down: connections lost */
};

struct world {
	const struct scenario *s;
	struct graph *graph;          /* the links, weighted delay + 1 ns (topology.c) */
	struct addr_index *addrs;     /* link addresses to node indices */
	struct routes *routes;        /* [simulation] routing = static: the routes (topology.c) */
	/* Per-object arrays, sized by the scenario's counts (world.c). */
	struct wfail *fail;           /* per [failure] */
	struct fail_stats fst;
	uint32_t seed;                /* the run's seed: the keys derive from it */
	struct rmgr **rmgr;           /* per service */
	struct http_server **origin_http;
	struct managed **managed;     /* replicas managers installed, each allocated once (a handle) */
	size_t nmanaged, cap_managed;
	struct sample *samples;       /* counter time series, in time order */
	size_t nsamples, capsamples;
	struct wnode *node;
	sim_link **link;
	struct wworkload *wl;
	struct http_server **replica_http;   /* per replica, for stop */
	struct hweb_manager **hweb_mgr;      /* per hydraweb service */
	gsl_rng **svc_rng;                   /* per service (modifications) */
	struct hweb_replica **hweb_rep;      /* per [replica] of a hydraweb service */
	struct wan_delay **wan;              /* per link with delay variation */
	struct worigin { struct http_server *http; struct hweb_manager *hweb; struct wnode *node;
			 struct wregion *region; /* trigger = region (region.c) */ }
		*worigin;                    /* per service: the manager's view */
	size_t capservers;            /* of each of http, telnet, ttcp: 2 * (services + replicas + nodes) */
	struct http_server **http;
	size_t nhttp;
	struct telnet_server **telnet;
	size_t ntelnet;
	struct ttcp_receiver **ttcp;
	uint32_t *ttcp_addr;          /* the address each listens on */
	uint16_t *ttcp_port;          /* and the port */
	size_t nttcp;
	double sim_seconds;
	struct wdns **redirect;       /* per service with redirect (alternatives.c) */
};

/* What a node role puts on a node (roles.h lists the roles).  new builds the
 * role's components from the node's configuration and hooks them into the
 * node (the cost model, when the node has one, already exists); attach,
 * once every node has its components, starts what talks to other nodes
 * (routing daemons, replication servers); free releases them.  The
 * components' counters are sets[k] over the stats struct stats(n, k) gives
 * (NULL: that component is absent on this node): the world stores and the
 * metrics reference documents exactly these.  new and attach return HN_OK
 * or a status. */
struct world_role {
	const char *role;
	int (*new)(struct world *w, struct wnode *n);
	int (*attach)(struct world *w, struct wnode *n);
	const struct counter_set *const *sets;   /* NULL-terminated */
	const void *(*stats)(const struct wnode *n, size_t k);
	void (*free)(struct wnode *n);
};
extern const struct world_role world_redirector, world_hostserver, world_rogue;
/* alternatives.c: the alternatives to HydraNet (DNS-based selection) */
extern const struct world_role world_nameserver, world_resolver, world_natlb;
int world_dns_client(struct world *w, struct wworkload *wl, struct http_client_config *hc);
int world_http_redirect(struct world *w, size_t service, struct http_server_config *hc);
void world_free_alternatives(struct world *w);

/* topology.c */
/* Build the model's own routes (routing.h) if the scenario's routing has
 * not: HN_OK or HN_ENOMEM. */
int world_routes_ensure(struct world *w);
/* region.c: attribute the requests of service's origin server (hc, before
 * it is created) to its manager's candidates; world_region_served gives
 * candidate k's count so far. */
struct wregion;
int world_region_new(struct world *w, size_t service, struct http_server_config *hc);
uint64_t world_region_served(const struct wregion *g, size_t k);
void world_region_free(struct wregion *g);
struct wnode *wnode(struct world *w, const char *name);
int world_tcp_profile(const struct scenario *s, char *err, size_t errlen);
uint64_t world_stream_seed(uint32_t seed, uint64_t run, size_t index);
void world_fail_at(char *err, size_t errlen, const struct scenario *s, int line,
		   const char *what, const char *name, int rc);
uint32_t world_node_addr(const struct scenario *s, const char *name);
/* Node name's address on a link it shares with node peer, or 0. */
uint32_t world_link_addr(const struct scenario *s, const char *name, const char *peer);
int world_name_in(const char *list, const char *name);
/* services.c: the same for a list of any length (a manager's candidates). */
int world_build_topology(struct world *w, const struct world_options *o, char *err, size_t errlen);
struct wmetric *world_metric_new(const struct world *w, size_t from);
void world_metric_free(struct wmetric *m);
uint64_t world_metric_fn(void *ctx, uint32_t addr);
/* sim_route_fn of routing = static (ctx: the world): the link towards the
 * node that has dst on one of its links, or NULL. */
sim_link *world_route(void *ctx, size_t node, uint32_t dst);

/* roles.c */
int world_build_roles(struct world *w, const struct world_options *o, char *err, size_t errlen);
int world_role_counters(const struct world *w, const struct wnode *n, counter_put_fn put, void *ctx);
void world_free_roles(struct world *w);

/* services.c */
int world_build_services(struct world *w, const struct world_options *o, char *err, size_t errlen);
int world_build_replicas(struct world *w, char *err, size_t errlen);
uint64_t world_managed_requests(const struct managed *m);
const char *world_managed_service(const struct world *w, const struct managed *m);
int world_rsrv_new(struct world *w, struct wnode *n);
void world_free_services(struct world *w);

/* auth.c */
int world_build_auth(struct world *w, char *err, size_t errlen);
int world_auth_manager(struct world *w, size_t service, struct rmgr_config *mc,
		       struct rmgr_origin *og);
int world_auth_keypair(const struct world *w, const char *who, uint32_t addr, uint16_t service,
		       struct auth_keypair *out);
int world_rogue_target(struct world *w, const struct wnode *n, struct rogue_target *t);

/* workloads.c */
int world_build_workloads(struct world *w, const struct world_options *o, char *err, size_t errlen);
void world_free_workloads(struct world *w);

/* failures.c */
int world_build_failures(struct world *w, char *err, size_t errlen);
void world_failure_metrics(const struct world *w, counter_put_fn put, void *ctx);
void world_print_failure_metrics(FILE *out);

/* metrics.c */
void world_walk_metrics(const struct world *w, counter_put_fn put, void *ctx);
/* roles.c: the component of role (enum scn_role), NULL if it has none */
const struct world_role *world_role_of(int role);
void world_sample_tick(void *arg);
#endif
