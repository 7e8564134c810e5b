/* http.h - HTTP/1.0 server and client over simulated TCP (RFC 1945).
 *
 * One object per connection: the client connects, sends
 * "GET /obj/<bytes>/<id> HTTP/1.0" (or "/obj/<bytes>", object 0; or a POST
 * carrying a body, to make requests of a chosen size), the server answers
 * "200 OK" with a Server: header naming its node, a Content-Length and the
 * object's <bytes> bytes (app_object_byte), then closes (server closes
 * first, as HTTP/1.0 servers do).  The client checks status, length and
 * every body byte, and records latency from connect to last byte and the
 * reply's X-Cache verdict.  A server may hand requests to a handler that
 * answers later (a cache, a relay), and http_fetch is a one-shot client for
 * such relays.  Not here: persistent connections, caching (hweb.h). */
#ifndef HN_HTTP_H
#define HN_HTTP_H
#include <stddef.h>
#include <stdint.h>

#include "apps/app.h"

struct sim_node;
struct hsrv;
struct cpu;
struct http_conn;

#define HTTP_MAX_OBJECT (100ull * 1000 * 1000)   /* bytes of one object */

/* A server whose replies come from elsewhere: called once a request for an
 * object is complete, with its path; it answers, now or later, with
 * http_reply.  (Malformed requests are answered 400 without it.) */
typedef void (*http_handler_fn)(void *ctx, struct http_conn *c, const char *path);

struct http_server_config {
	const char *name;          /* node name put in the Server: header */
	uint32_t addr;             /* address to bind (an origin IP on a replica) */
	uint16_t port;
	uint64_t processing_ns;    /* time between request complete and reply */
	struct cpu *cpu;           /* when set, processing is CPU work queued FIFO */
	http_handler_fn handler;   /* NULL: answer with the object's content */
	void *handler_ctx;
	/* HTTP redirection (redirect.h): when set, a good request from peer
	 * is answered "302 Moved Temporarily" naming the same path at
	 * redirect(redirect_ctx, peer), same port, unless that returns 0
	 * (served here).  The reply costs the same processing time. */
	uint32_t (*redirect)(void *ctx, uint32_t peer);
	void *redirect_ctx;
	/* Optional: told the peer of every request counted by
	 * http_server_requests, as it is counted. */
	void (*observe)(void *ctx, uint32_t peer);
	void *observe_ctx;
};

struct http_server;

/* Listen on (addr, port) of node.  With hs set, the socket is bound through
 * the host server's virtual host for addr (hsrv_bind).  NULL on failure. */
struct http_server *http_server_new(struct sim_node *node, struct hsrv *hs,
				    const struct http_server_config *cfg);
void http_server_free(struct http_server *s);
/* Stop taking connections (those in progress finish); a replica's port is
 * given up at its host server, which tells the routing daemon.  restart
 * takes connections again and binds the port anew (a reinstall). */
void http_server_stop(struct http_server *s);
int http_server_restart(struct http_server *s);
uint64_t http_server_requests(const struct http_server *s);
/* Total time requests waited for their reply at the server (processing and
 * its CPU queue), and how many were answered. */
void http_server_service(const struct http_server *s, uint64_t *sum_ns, uint64_t *count);

/* Answer c with status, extra header lines (each ending in CRLF; NULL for
 * none) and a body (copied).  HN_ESTATE if c was answered already. */
int http_reply(struct http_conn *c, int status, const char *extra, const uint8_t *body, size_t len);

/* The object a path names: "/obj/<bytes>" (id 0) or "/obj/<bytes>/<id>".
 * Returns 1 and fills bytes and id, or 0. */
int http_parse_path(const char *path, uint64_t *bytes, uint32_t *id);

/* One-shot GETs from a node.  done is called exactly once per fetch, with
 * the reply's status and body (status 0 and no body when the connection
 * failed or the reply was cut short); the body is borrowed for the call.
 * http_fetch returns HN_OK, or a status and done is never called.  Freeing
 * the fetcher (after the simulator is gone) frees fetches still in flight
 * without calling them back. */
typedef void (*http_fetch_fn)(void *ctx, int status, const uint8_t *body, size_t len);
struct http_fetcher;
struct http_fetcher *http_fetcher_new(struct sim_node *node);
void http_fetcher_free(struct http_fetcher *f);
int http_fetch(struct http_fetcher *f, uint32_t addr, uint16_t port, const char *path,
	       http_fetch_fn done, void *ctx);

struct http_client_config {
	uint32_t server_addr;
	uint16_t server_port;
	uint32_t object_bytes;     /* body size asked for */
	uint32_t request_bytes;    /* request size; > header size makes a POST body */
	uint32_t requests;         /* how many, one after another, per user */
	uint32_t clients;          /* users, each requesting independently (0: 1) */
	uint64_t stop_ns;          /* no request starts after this time (0: none) */
	uint64_t start_ns;         /* first connect */
	struct app_think think;     /* pause between a reply and the next connect */
	uint32_t objects;           /* > 0: each request names an object 0..objects-1 */
	void *object_rng;           /* gsl_rng * drawing them, uniformly */
	uint64_t timeout_ns;        /* > 0: a request not done this long after connect() is
				     * abandoned (closed), outcome APP_TIMED_OUT */
	/* When set, each request first asks resolve(resolve_ctx, done, arg)
	 * for the server's address (a name lookup, e.g. dnssrv_stub_resolve),
	 * which calls done(arg, addr) exactly once, now or later, and connects
	 * to addr (0: the lookup failed; the request fails).  Its latency
	 * includes the lookup. */
	int (*resolve)(void *ctx, void (*done)(void *arg, uint32_t addr), void *arg);
	void *resolve_ctx;
	/* A 302 reply is followed (one more connection, to its Location,
	 * at most HTTP_MAX_REDIRECTS times per request); with cache_redirect
	 * each user remembers where it was sent and later requests go there
	 * directly (as a browser's cache of the redirect would). */
	int cache_redirect;
};

#define HTTP_MAX_REDIRECTS 5   /* RFC 2068 10.3: clients should detect loops (assumed 5) */

struct http_client;

struct http_client *http_client_new(struct sim_node *node, const struct http_client_config *cfg);
void http_client_free(struct http_client *c);
/* All clients x requests results (user k's at k * requests); a request that
 * never finished has ok false and end_ns 0, one never started start_ns 0;
 * each has its outcome (enum app_outcome). */
size_t http_client_results(const struct http_client *c, const struct app_result **out);
/* Objects its requests choose from (0: object 0 only). */
uint32_t http_client_objects(const struct http_client *c);
/* Redirects followed, and 302 replies not followed by reason (redirect.h). */
uint64_t http_client_redirects(const struct http_client *c);
const uint64_t *http_client_redirect_refusals(const struct http_client *c);
#endif
