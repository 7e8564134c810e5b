/* hweb.h - HydraWeb: active Web caches on HydraNet (paper, section 5).
 *
 * "HYDRAWEB ... consists of replicas and replica managers.  Replicas are
 * small programs that can be down-loaded onto hosts servers.  They provide a
 * HTTP interface to clients ... the replicas maintain a cache of HTTP
 * objects.  The replica manager on the origin host installs and removes
 * replicas and generally manages them.  Whenever client requests cannot be
 * handled by a replica locally, the replica manager is contacted, and the
 * request is handled on the origin server."
 *
 * The replica is an HTTP/1.0 server bound to the origin's address and port
 * through its host server's virtual host.  Every request costs it
 * processing_ns (the Java replica's work); a hit is answered from the cache
 * ("X-Cache: HIT from <host server>"); a miss is sent on as an HTTP/1.0 GET,
 * over a new TCP connection, to the manager's miss service on the origin
 * host, and its reply relayed ("X-Cache: MISS ...").  It caches what it
 * relays only when cache_misses is set (the paper's experiment: "After it is
 * installed, it does no caching on its own"); what it keeps that way never
 * expires and is not kept hot (the manager does not know of it).  A
 * reinstalled replica starts with an empty cache.
 *
 * The manager serves misses: processing_ns of its own, then a GET to the
 * origin's Web server on the same host, whose reply it returns.  Over the
 * replica-management protocol (rmgr.h) it preheats every replica it
 * installs with objects 0..preheat-1, pushed right after the INSTALL_ACK,
 * and keeps them hot: every refresh interval it pushes again the objects it
 * pushed that expire before the next refresh or were modified at the origin
 * since.  Hit metering comes back in METER reports (rmgr_stats).
 *
 * Objects are /obj/<bytes>/<id> with the bytes app_object_byte gives: the
 * origin's documents, which the manager reads directly to push.  Not here:
 * cache replacement (the cache holds what it is given), conditional GETs. */
#ifndef HN_HWEB_H
#define HN_HWEB_H
#include <stddef.h>
#include <stdint.h>

#include "counter.h"
#include "param.h"

struct sim_node;
struct hsrv;
struct cpu;
struct rmgr;
struct rmp_msg;

#define HWEB_PORT_MANAGER 5302   /* the manager's miss service, TCP (assumed: the paper names none) */

/* ---- cache ---- */

struct hweb_cache;
struct hweb_cache *hweb_cache_new(void);
void hweb_cache_free(struct hweb_cache *c);
/* Store a copy of object id (replacing what was there); fresh until
 * expires_ns (0: always).  HN_OK or HN_ENOMEM. */
int hweb_cache_put(struct hweb_cache *c, uint32_t id, uint32_t version, const uint8_t *data,
		   size_t len, uint64_t expires_ns);
/* The object id of exactly len bytes, fresh at now_ns; NULL when absent,
 * expired or of another size.  *stale is set when it was there but expired. */
const uint8_t *hweb_cache_get(const struct hweb_cache *c, uint32_t id, size_t len,
			      uint64_t now_ns, int *stale);
size_t hweb_cache_objects(const struct hweb_cache *c);
uint64_t hweb_cache_bytes(const struct hweb_cache *c);

/* ---- replica (on a host server) ---- */

struct hweb_replica_config {
	const char *name;             /* host server node: Server: and X-Cache */
	uint32_t origin;              /* the service access point it serves */
	uint16_t port;
	uint32_t manager;             /* the manager's miss service (origin host) */
	uint16_t manager_port;
	uint64_t processing_ns;       /* per request */
	struct cpu *cpu;              /* when set, processing queues on it */
	int cache_misses;             /* keep what misses bring */
};

/* A replica's counters: C(field, metric, doc) (counter.h); stored in its
 * host server's scope as METRIC.SERVICE. */
#define HWEB_REPLICA_STATS(C) \
	C(requests, "hweb.requests", "requests the replica answered or relayed") \
	C(hits, "hweb.hits", "requests answered from the cache") \
	C(misses, "hweb.misses", "requests relayed to the manager") \
	C(stale, "hweb.stale", "misses on an expired copy") \
	C(pushed, "hweb.pushed", "objects pushed into the cache by the manager") \
	C(pushed_bytes, "hweb.pushed_bytes", "bytes of those objects") \
	C(cached_misses, "hweb.cached_misses", "objects a miss brought that the cache kept") \
	C(miss_failed, "drop.hweb_miss_failed", "misses whose manager could not be reached: answered 502")

struct hweb_replica_stats {
	HWEB_REPLICA_STATS(COUNTER_FIELD)
};
extern const struct counter_set hweb_replica_counters;

struct hweb_replica;
struct hweb_replica *hweb_replica_new(struct sim_node *node, struct hsrv *hs,
				      const struct hweb_replica_config *cfg);
void hweb_replica_free(struct hweb_replica *r);
/* An object pushed by the manager (the replication server's push op). */
void hweb_replica_push(struct hweb_replica *r, const struct rmp_msg *m, const uint8_t *data,
		       size_t len);
void hweb_replica_stop(struct hweb_replica *r);
int hweb_replica_restart(struct hweb_replica *r);
const struct hweb_replica_stats *hweb_replica_stats(const struct hweb_replica *r);
/* Requests between arrival and reply (processing, or waiting for the manager). */
size_t hweb_replica_active(const struct hweb_replica *r);
const struct hweb_cache *hweb_replica_cache(const struct hweb_replica *r);

/* ---- manager (on the origin host) ---- */

struct hweb_manager_config {
	const char *name;             /* origin host node */
	uint32_t addr;                /* its address: the miss service */
	uint16_t port;
	uint32_t web;                 /* the origin's Web server */
	uint16_t web_port;
	uint64_t processing_ns;       /* per miss served */
	struct cpu *cpu;
	uint32_t page_bytes;          /* size of the objects it pushes */
	uint32_t objects;             /* objects the site has */
	uint32_t preheat;             /* objects 0..preheat-1 pushed at install */
	uint32_t ttl_s;               /* freshness given with each push; 0: none */
	uint64_t refresh_ns;          /* keep-hot period; 0: no keeping hot */
	double modify_per_s;          /* object modifications at the origin (Poisson) */
	void *rng;                    /* gsl_rng * for modifications */
};

/* The manager's counters: C(field, metric, doc), in its service's scope. */
#define HWEB_MANAGER_STATS(C) \
	C(misses_served, "hweb.misses_served", "misses the manager answered from the Web server") \
	C(preheat_pushes, "hweb.preheat_pushes", "objects queued to preheat a new replica") \
	C(refresh_pushes, "hweb.refresh_pushes", "objects queued again to keep a replica hot") \
	C(modified_pushes, "hweb.modified_pushes", "modified objects queued again") \
	C(modifications, "hweb.modifications", "object modifications at the origin") \
	C(fetch_failed, "drop.hweb_fetch_failed", "misses the Web server did not answer") \
	C(push_failed, "drop.hweb_push_failed", "pushes refused for another reason than a full queue")

struct hweb_manager_stats {
	HWEB_MANAGER_STATS(COUNTER_FIELD)
};
extern const struct counter_set hweb_manager_counters;

/* The HydraWeb keys of a [service NAME] section (app = hydraweb), into
 * struct hweb_replica_config and struct hweb_manager_config (hweb_params.c:
 * data only).  object_ttl, which travels in whole seconds, is the
 * scenario's (it checks the whole seconds). */
extern const struct param_def hweb_replica_params[];
extern const size_t hweb_replica_nparams;
extern const struct param_def hweb_manager_params[];
extern const size_t hweb_manager_nparams;

struct hweb_manager;
struct hweb_manager *hweb_manager_new(struct sim_node *node, const struct hweb_manager_config *cfg);
void hweb_manager_free(struct hweb_manager *m);
/* The replica manager that installs this service's replicas; pushes go
 * through it.  Call before the first install. */
void hweb_manager_set_rmgr(struct hweb_manager *m, struct rmgr *rm);
/* rmgr_origin.installed: a replica on host_server is up; preheat it.
 * rmgr_origin.removed: it is gone; stop keeping it hot. */
void hweb_manager_installed(void *m, uint32_t host_server);
void hweb_manager_removed(void *m, uint32_t host_server);
const struct hweb_manager_stats *hweb_manager_stats(const struct hweb_manager *m);
#endif
