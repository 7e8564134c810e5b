/* dnssrv.h - DNS-based replica selection, the alternative to HydraNet that
 * the paper's section 2 dismisses: an authoritative name server for a
 * service, caching resolvers at the ISPs, and the clients' stub resolvers.
 *
 * Messages are RFC 1035 over UDP port 53 (net/dns.h).  The authoritative
 * server answers the name of its service with one A record: the nearest of
 * the service's origin and replica host servers to the asking resolver
 * (the path-delay metric the redirector's nearest policy uses; the origin
 * wins only when strictly nearer, ties among replicas take turns), or the
 * next in turn (round robin), with a configured TTL.  A caching resolver
 * keeps each answer for its TTL (RFC 1035 7.4) and forwards a miss to the
 * authoritative server once, answering every stub waiting for it.  A stub
 * (one per client workload) keeps the answer for the larger of its TTL and
 * a minimum TTL, as browsers did with small TTLs, and resends a query
 * unanswered after DNSSRV_RETRY_NS, DNSSRV_TRIES times in all (RFC 1035
 * 4.2.1: retransmission; the interval is an assumption).  Every datagram
 * that fails a check is a counted drop.  Not here: the message format
 * (net/dns.c), which node runs what (model/world/alternatives.c). */
#ifndef HN_DNSSRV_H
#define HN_DNSSRV_H
#include <stddef.h>
#include <stdint.h>

#include "counter.h"
#include "net/dns.h"
#include "param.h"

struct sim_node;

#define DNSSRV_RETRY_NS 2000000000ull   /* stub resend interval (assumed: 2 s) */
#define DNSSRV_TRIES 3                  /* stub queries before giving up (assumed) */
#define DNSSRV_CACHE 64                 /* names a resolver caches */
#define DNSSRV_PENDING 256              /* stub queries a resolver holds waiting */
#define DNSSRV_MAX_CANDIDATES 16        /* addresses an authoritative server chooses from */

/* X(POLICY, "name", "doc") */
#define DNSSRV_POLICIES(X) \
	X(NEAREST, "nearest", "the candidate nearest to the asking resolver by path delay") \
	X(ROUND_ROBIN, "round_robin", "the candidates in turn")
#define DNSSRV_POLICY_ENUM(e, name, doc) DNSSRV_##e,
enum dnssrv_policy { DNSSRV_POLICIES(DNSSRV_POLICY_ENUM) DNSSRV_NPOLICIES };
extern const char *const dnssrv_policy_names[];

/* A [node] of role nameserver. */
struct dnssrv_auth_config {
	char service[48];             /* the [service] whose name it answers */
	int policy;                   /* enum dnssrv_policy */
	uint64_t ttl_ns;              /* TTL of its answers (whole seconds on the wire) */
};

/* A [node] of role resolver. */
struct dnssrv_resolver_config {
	char server[48];              /* the authoritative name server it asks */
};

#define DNSSRV_STATS(C, D) \
	C(queries, "dns.queries", "DNS queries received (a client's stub: queries it sent)") \
	C(answers, "dns.answers", "DNS answers sent (authoritative, from cache, or relayed)") \
	C(nxdomain, "dns.nxdomain", "DNS queries for a name it does not serve, answered NXDOMAIN") \
	C(cache_hits, "dns.cache_hits", "resolver: queries answered from its cache") \
	C(cache_misses, "dns.cache_misses", "resolver: queries not in its cache (or expired)") \
	C(upstream, "dns.upstream_queries", "resolver: queries sent to the authoritative server") \
	C(answered_origin, "dns.answered_origin", "authoritative: answers naming the origin") \
	C(answered_replica, "dns.answered_replica", "authoritative: answers naming a replica's host server") \
	C(bytes, "dns.bytes", "DNS bytes sent and received (UDP payload)") \
	DNS_REFUSALS(D) \
	D(NOT_QUERY, "dns_unexpected", "DNS response arriving at a server, or a query at a stub, or an answer nobody asked for") \
	D(PENDING_FULL, "dns_pending_full", "resolver: a query past the ones it can hold waiting (256)") \
	D(BAD_ANSWER, "dns_bad_answer", "DNS answer with an error code or no A record")

#define DNSSRV_DROP_ENUM(e, name, doc) DNSSRV_DROP_##e,
enum dnssrv_drop { DNSSRV_STATS(COUNTER_SKIP, DNSSRV_DROP_ENUM) DNSSRV_NDROP };

struct dnssrv_stats {
	DNSSRV_STATS(COUNTER_FIELD, COUNTER_SKIP)
	uint64_t drops[DNSSRV_NDROP];
};

extern const struct counter_set dnssrv_counters;
/* The [node] keys (dnssrv_params.c, data only). */
extern const struct param_def dnssrv_auth_params[];
extern const size_t dnssrv_auth_nparams;
extern const struct param_def dnssrv_resolver_params[];
extern const size_t dnssrv_resolver_nparams;

/* Path delay from the node owning requester (an address) to the node
 * owning candidate, ns; UINT64_MAX when unknown. */
typedef uint64_t (*dnssrv_dist_fn)(void *ctx, uint32_t requester, uint32_t candidate);

/* The authoritative server on node at addr, port 53, for the name name:
 * candidates[0..n) are the replicas' host servers followed, when
 * with_origin, by the origin (last).  dist is used by NEAREST.  NULL on
 * failure. */
struct dnssrv_auth;
struct dnssrv_auth *dnssrv_auth_new(struct sim_node *node, uint32_t addr, const char *name,
				    const struct dnssrv_auth_config *cfg, const uint32_t *candidates,
				    size_t n, int with_origin, dnssrv_dist_fn dist, void *dist_ctx);
void dnssrv_auth_free(struct dnssrv_auth *a);
const struct dnssrv_stats *dnssrv_auth_stats(const struct dnssrv_auth *a);
/* Take addr out of the candidates (a replica stopped and its record was
 * removed from the zone): later answers never name it.  HN_OK, or
 * HN_ENOENT (not a candidate, or the last one). */
int dnssrv_auth_remove(struct dnssrv_auth *a, uint32_t addr);
/* Put addr among the candidates (a replica started and its record was
 * added to the zone), before the origin.  HN_OK, HN_EEXIST (already one)
 * or HN_ELIMIT (DNSSRV_MAX_CANDIDATES). */
int dnssrv_auth_add(struct dnssrv_auth *a, uint32_t addr);
/* The candidate its policy picks for requester (exposed for unit tests). */
uint32_t dnssrv_auth_choose(struct dnssrv_auth *a, uint32_t requester);

/* A caching resolver on node at addr, port 53, asking server. */
struct dnssrv_resolver;
struct dnssrv_resolver *dnssrv_resolver_new(struct sim_node *node, uint32_t addr, uint32_t server);
void dnssrv_resolver_free(struct dnssrv_resolver *r);
const struct dnssrv_stats *dnssrv_resolver_stats(const struct dnssrv_resolver *r);

/* A client's stub resolver: asks resolver for name, keeps the answer for
 * max(TTL, min_ttl_ns). */
struct dnssrv_stub;
struct dnssrv_stub *dnssrv_stub_new(struct sim_node *node, uint32_t resolver, const char *name,
				    uint64_t min_ttl_ns);
void dnssrv_stub_free(struct dnssrv_stub *s);
/* Resolve the stub's name: done(arg, addr) exactly once, now (cached) or
 * when the answer comes (addr 0: no answer after DNSSRV_TRIES queries).
 * Returns HN_OK or HN_ENOMEM (done not called).  The signature of
 * http_client_config's resolve. */
int dnssrv_stub_resolve(void *stub, void (*done)(void *arg, uint32_t addr), void *arg);
const struct dnssrv_stats *dnssrv_stub_stats(const struct dnssrv_stub *s);
#endif
