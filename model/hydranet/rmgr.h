/* rmgr.h - HydraNet replica management (paper, section 5).
 *
 * "We have developed a replica management protocol, which allows servers to
 * dynamically install replicas on host servers, and remove them when they
 * are no longer needed."  The replica manager runs on the origin host; a
 * replication server runs on each host server.  They talk over TCP
 * (RMP_PORT_MANAGER) in the messages of rmp.h: INSTALL followed by the
 * replica's code image, INSTALL_ACK once the replica has bound its port (so
 * the host server's routing daemon has announced it), periodic LOAD reports,
 * and REMOVE / REMOVE_ACK; for HydraWeb, PUSH (an object for the replica's
 * cache, its bytes following) and METER (hit metering, before each LOAD).
 * A REMOVE stops the replica at once; its ACK waits for the requests it
 * has in progress, with their metering.  One replica per connection: a
 * second INSTALL is refused (INSTALL_ACK status 1), its image read past.
 * Everything the manager sends after an install goes through one ordered
 * queue per replica, bounded by RMGR_MAX_QUEUE.  The manager's policy is
 * static (install on every candidate at start) or dynamic (install on the
 * next candidate when the origin's request rate crosses a threshold; remove
 * a replica whose reported rate stayed below another for some intervals).  A malformed or unexpected
 * message is dropped and counted; a stream that cannot be framed any more is
 * closed.  Not here: what a replica does (the ops the caller gives). */
#ifndef HN_RMGR_H
#define HN_RMGR_H
#include <stddef.h>
#include <stdint.h>

#include "counter.h"
#include "hydranet/auth.h"
#include "param.h"

struct sim_node;
struct rmp_msg;

/* Counters and drop reasons: C(field, metric, doc), D(reason, name, doc)
 * (counter.h); drops are stored as metric drop.NAME. */
#define RMGR_STATS(C, D) \
	C(msgs_sent, "rmp.msgs_sent", "replica-management messages sent") \
	C(msgs_received, "rmp.msgs_received", "replica-management messages received") \
	C(bytes_sent, "rmp.bytes_sent", "bytes sent: messages, images and pushed objects") \
	C(bytes_received, "rmp.bytes_received", "bytes received: messages, images and pushed objects") \
	C(image_bytes, "rmp.image_bytes", "replica code image bytes moved") \
	C(installs, "rmp.installs", "installs completed (acknowledged)") \
	C(removes, "rmp.removes", "removes completed (acknowledged)") \
	C(loads, "rmp.loads", "LOAD reports") \
	C(pushes, "rmp.pushes", "PUSHed objects (HydraWeb): queued at the manager, received at a replication server") \
	C(push_bytes, "rmp.push_bytes", "bytes of those objects") \
	C(meters, "rmp.meters", "METER reports (HydraWeb hit metering)") \
	C(metered_hits, "rmp.metered_hits", "manager: hits the METER reports added up to") \
	C(metered_misses, "rmp.metered_misses", "manager: misses the METER reports added up to") \
	D(MALFORMED, "rmp_malformed", "refused by rmp_decode; the connection is closed") \
	D(UNEXPECTED, "rmp_unexpected", "a valid message this end does not take") \
	D(START_FAILED, "replica_start_failed", "the replica could not start") \
	D(QUEUE_FULL, "rmp_queue_full", "manager: a PUSH refused, its replica's send queue full") \
	D(CONN_LIMIT, "rmp_connection_limit", "replication server: a manager's connection refused, max_installs connections held")

#define RMGR_DROP_ENUM(e, name, doc) RMGR_DROP_##e,
enum rmgr_drop { RMGR_STATS(COUNTER_SKIP, RMGR_DROP_ENUM) RMGR_NDROP };

struct rmgr_stats {
	RMGR_STATS(COUNTER_FIELD, COUNTER_SKIP)
	uint64_t drops[RMGR_NDROP];   /* by enum rmgr_drop */
	double last_install_s;                   /* manager: trigger to INSTALL_ACK, latest install */
	double first_install_s;                  /* manager: the same, first install (-1: none) */
	double first_trigger_s;                  /* manager: first time a threshold was crossed, -1 if never */
};

/* The descriptors of every counter above. */
extern const struct counter_set rmgr_counters;

/* ---- replication server (host server) ---- */

struct rsrv_ops {
	/* Start the replica of (origin, port); returns a handle or NULL. */
	void *(*start)(void *ctx, uint32_t origin, uint16_t port);
	void (*stop)(void *ctx, void *replica);
	/* Requests the replica has served so far. */
	uint64_t (*served)(void *ctx, void *replica);
	/* HydraWeb replicas (NULL for others): take an object the manager
	 * pushed (m is its PUSH; data is borrowed); give the hits and misses
	 * not reported yet (returning 0 for a replica that has no cache),
	 * which go back to the manager as a METER report before every LOAD
	 * and before REMOVE_ACK; and hear that a report of them was sent
	 * (only then are they reported). */
	void (*push)(void *ctx, void *replica, const struct rmp_msg *m, const uint8_t *data,
		     size_t len);
	int (*meter)(void *ctx, void *replica, uint64_t *hits, uint64_t *misses);
	void (*metered)(void *ctx, void *replica, uint64_t hits, uint64_t misses);
	/* Optional: the origin's authorisation of the install that follows
	 * (an AUTHORISE naming this host server; borrowed).  Without it an
	 * AUTHORISE is an unexpected message. */
	int (*authorise)(void *ctx, const struct rmp_msg *a);
	/* Optional: requests the replica has in progress.  A REMOVE stops the
	 * replica at once (no new connections) but is acknowledged only when
	 * this is 0, so what it finishes is metered. */
	size_t (*active)(void *ctx, void *replica);
	void *ctx;
};

/* Connections (pending and running installs) one replication server
 * holds at most: the default of its host server's max_installs key. */
#define RSRV_MAX 16

struct rsrv;
struct rsrv *rsrv_new(struct sim_node *node, uint32_t self, const struct rsrv_ops *ops,
		      uint64_t load_interval_ns);
/* Hold at most n (1..RSRV_MAX) managers' connections; one past it is
 * closed at once and counted (drop.rmp_connection_limit). */
int rsrv_set_max_conns(struct rsrv *s, size_t n);
/* The replication server's [node] key of a host server (rmgr_params.c). */
struct rsrv_limits {
	uint64_t max_conns;
};
extern const struct param_def rsrv_params[];
extern const size_t rsrv_nparams;
void rsrv_free(struct rsrv *s);
const struct rmgr_stats *rsrv_stats(const struct rsrv *s);

/* ---- replica manager (origin host) ---- */

/* When replicas are installed: X(POLICY, name, doc). */
#define RMGR_POLICIES(X) \
	X(STATIC, "static", "install on every candidate at start") \
	X(DYNAMIC, "dynamic", "install on the next candidate when the trigger fires, remove idle ones")
#define RMGR_POLICY_ENUM(e, name, doc) RMGR_##e,
enum rmgr_policy { RMGR_POLICIES(RMGR_POLICY_ENUM) RMGR_NPOLICIES };
/* What crosses the threshold in the dynamic policy: the origin's request
 * rate, or its response time (the wait of a request for its reply at the
 * origin server, the part of the clients' latency the origin can see). */
#define RMGR_TRIGGERS(X) \
	X(ON_LOAD, "load", "the origin's request rate above install_above") \
	X(ON_LATENCY, "latency", "the origin's response time above install_above_ms") \
	X(ON_REGION, "region", "the requests the origin serves for one candidate's region above region_above")
#define RMGR_TRIGGER_ENUM(e, name, doc) RMGR_##e,
enum rmgr_trigger { RMGR_TRIGGERS(RMGR_TRIGGER_ENUM) RMGR_NTRIGGERS };
/* Value names, NULL-terminated (rmgr_params.c): the triggers in enum order;
 * a service's `manager` key: "none" (index 0: no manager), then the
 * policies, index = 1 + enum rmgr_policy. */
extern const char *const rmgr_trigger_names[];
extern const char *const rmgr_manager_names[];

/* Candidates of one manager at most: a counted limit (the scenario refuses
 * more, file:line), large enough for a candidate in each of 1,000 ISPs. */
#define RMGR_MAX_CANDIDATES 1024
/* Bytes queued to one replication server at most (pushes wait there for
 * the TCP connection): 4 MiB, some 3500 pages of 1200 bytes. */
#define RMGR_MAX_QUEUE (4u << 20)   /* an empty queue takes one larger message */

struct rmgr_config {
	uint32_t origin;              /* the service's origin IP */
	uint16_t service;             /* id carried in the messages */
	uint16_t port;                /* the service port (TCP) */
	uint32_t image_bytes;         /* code image sent with each INSTALL */
	enum rmgr_policy policy;
	enum rmgr_trigger trigger;
	double install_above_rps;     /* dynamic, on load: origin requests/s that trigger an install */
	double install_above_ms;      /* dynamic, on latency: origin response time that does */
	double region_above_rps;      /* dynamic, on region: origin requests/s of one region that do */
	double remove_below_rps;      /* dynamic: replica requests/s below which it is idle */
	unsigned idle_intervals;      /* dynamic: idle reports in a row before REMOVE */
	uint64_t interval_ns;         /* load measurement and report interval */
	uint32_t candidates[RMGR_MAX_CANDIDATES];   /* host servers, in order of preference */
	size_t ncandidates;
	/* Authenticated routing (auth.h): an install on a candidate whose
	 * cand_auth is set is preceded by an AUTHORISE signed with origin_key,
	 * naming the candidate's public key and valid for auth_validity_ns
	 * from its signing.  The world fills these from the seed. */
	uint64_t max_queue;           /* bytes queued to one replication server (0: RMGR_MAX_QUEUE) */
	uint64_t auth_validity_ns;
	bool cand_auth[RMGR_MAX_CANDIDATES];
	uint8_t cand_pk[RMGR_MAX_CANDIDATES][RMP_KEY_LEN];
	struct auth_keypair origin_key;
};

struct rmgr;
/* origin_served returns the requests the origin's own server has served. */
struct rmgr_origin {
	/* Requests the origin's own server has served so far. */
	uint64_t (*served)(void *ctx);
	/* Total response time and requests answered so far. */
	void (*service)(void *ctx, uint64_t *sum_ns, uint64_t *count);
	/* Trigger region (needed then): the requests the origin's own server
	 * has served so far to clients of candidate k's region (rmgr_config
	 * candidates order; how clients are attributed is the caller's). */
	uint64_t (*served_region)(void *ctx, size_t k);
	/* Optional: a replica on host_server was installed (INSTALL_ACK), or
	 * is being removed (REMOVE sent: nothing more should be pushed). */
	void (*installed)(void *ctx, uint32_t host_server);
	void (*removed)(void *ctx, uint32_t host_server);
	/* Optional: the delay until the origin's CPU has signed one
	 * authorisation at now_ns (NULL: signing costs nothing). */
	uint64_t (*charge_sign)(void *ctx, uint64_t now_ns);
	void *ctx;
};

/* An object for a replica's cache (HydraWeb). */
struct rmgr_object {
	uint32_t id, version;
	uint32_t expires_s;           /* fresh for this long after arrival; 0: no limit */
	const uint8_t *data;          /* borrowed; copied into the send queue */
	size_t len;                   /* <= RMP_MAX_OBJECT */
};

struct rmgr *rmgr_new(struct sim_node *node, const struct rmgr_config *cfg,
		      const struct rmgr_origin *origin);
void rmgr_free(struct rmgr *m);
const struct rmgr_stats *rmgr_stats(const struct rmgr *m);

/* A replica manager's keys in a [service NAME] section, into struct
 * rmgr_config (rmgr_params.c: data only, so the scenario checker links it
 * without the simulator); the scenario fills origin, service, port, policy
 * and candidates. */
extern const struct param_def rmgr_params[];
extern const size_t rmgr_nparams;
/* Queue a PUSH of o to the replica installed on host_server (0: every
 * installed replica), after anything queued to it before.  HN_ESTATE when
 * no such replica is installed, HN_EINVAL when the object is too large,
 * HN_ELIMIT when the queue is full (counted as drop.rmp_queue_full; the
 * caller may try again later).  pushes and push_bytes count what was
 * queued. */
int rmgr_push(struct rmgr *m, uint32_t host_server, const struct rmgr_object *o);
/* Replicas installed now. */
size_t rmgr_installed(const struct rmgr *m);
const char *rmgr_drop_name(enum rmgr_drop d);

/* Trigger region's decision, given each candidate's attributed origin
 * rate (req/s, rate[k]) over the last interval and whether it is free for
 * an install (idle[k]: no replica installed or on its way): the idle
 * candidate of the highest rate above `above` (ties: the earlier), or -1. */
long rmgr_region_pick(const double *rate, const bool *idle, size_t n, double above);
#endif
