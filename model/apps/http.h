/* http.h - HTTP/1.0 server and client over simulated TCP (RFC 1945).
 *
 * One object per connection: the client connects, sends
 * "GET /obj/<bytes> HTTP/1.0" (or a POST carrying a body, to make requests of
 * a chosen size), the server answers "200 OK" with a Server: header naming its
 * node, a Content-Length and a body of <bytes> pattern bytes, then closes
 * (server closes first, as HTTP/1.0 servers do).  The client checks status,
 * length and every body byte, and records latency from connect to last byte.
 * Not here: persistent connections, caching (HydraWeb builds on this). */
#ifndef HN_HTTP_H
#define HN_HTTP_H
#include <stddef.h>
#include <stdint.h>

#include "apps/app.h"

struct sim_node;
struct hsrv;
struct cpu;

struct http_server_config {
	const char *name;          /* node name put in the Server: header */
	uint32_t addr;             /* address to bind (an origin IP on a replica) */
	uint16_t port;
	uint64_t processing_ns;    /* time between request complete and reply */
	struct cpu *cpu;           /* when set, processing is CPU work queued FIFO */
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
};

struct http_client;

struct http_client *http_client_new(struct sim_node *node, const struct http_client_config *cfg);
void http_client_free(struct http_client *c);
/* All clients x requests results (user k's at k * requests); a request that
 * never finished has ok false and end_ns 0, one never started start_ns 0. */
size_t http_client_results(const struct http_client *c, const struct app_result **out);
#endif
