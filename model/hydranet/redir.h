/* redir.h - the HydraNet redirector (paper, sections 3 and 4.2).
 *
 * A router that owns a redirector table: (origin IP, port, protocol) -> host
 * server.  A forwarded datagram that matches is tunnelled IP-in-IP (RFC 2003)
 * to the host server; one that does not is left to the router's ordinary
 * forwarding, untouched.  Inner fragments carry no ports after the first, so
 * they follow the verdict of their first fragment (fragflow.h); fragments that
 * come before it are held.  When the tunnelled datagram exceeds the next hop's
 * MTU the redirector fragments it itself (RFC 791), as the paper's Figure 3a
 * discussion describes.
 *
 * The module is pure C: it talks to the node it runs on through struct
 * redir_io, so unit tests drive it without a simulator.  redir_attach() binds
 * it to a simulated node (FORWARD hook, sim_ip_output).  Not here: choosing
 * among several replicas, flow tables, the routing daemon that fills the
 * table (issue: replica management). */
#ifndef HN_REDIR_H
#define HN_REDIR_H
#include <stddef.h>
#include <stdint.h>

#include "hydranet/fragflow.h"
#include "net/frag.h"

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

struct redir_config {
	uint8_t outer_ttl;               /* 0: RFC 2003 default (64) */
	struct fragflow_limits frag;     /* inner fragments awaiting their first */
};

enum redir_drop {
	REDIR_DROP_BAD_HEADER,   /* not a valid IPv4 datagram */
	REDIR_DROP_TTL,          /* inner TTL would expire on forwarding */
	REDIR_DROP_LOOP,         /* inner source is the host server (RFC 2003 s.4) */
	REDIR_DROP_DF,           /* tunnelled datagram too big and DF set */
	REDIR_DROP_NO_ROUTE,     /* no route to the host server */
	REDIR_DROP_OUTPUT,       /* the node refused the datagram */
	REDIR_NDROP
};

struct redir_stats {
	uint64_t seen;              /* datagrams offered to the redirector */
	uint64_t redirected;        /* datagrams (or inner fragments) tunnelled */
	uint64_t redirected_bytes;  /* inner bytes tunnelled */
	uint64_t forwarded;         /* left to ordinary forwarding */
	uint64_t forwarded_by_c;    /* held fragments forwarded by the redirector */
	uint64_t outer_fragmented;  /* tunnelled datagrams cut for the MTU */
	uint64_t fragments_made;    /* outer fragments emitted by that cutting */
	uint64_t drops[REDIR_NDROP];
};

struct redir;

/* A new redirector with an empty table, or NULL (bad config, no memory).
 * io is copied. */
struct redir *redir_new(const struct redir_config *cfg, const struct redir_io *io);
void redir_free(struct redir *r);

/* Redirector table.  proto is 6 (TCP) or 17 (UDP).  add replaces the host
 * server of an existing entry. */
int redir_table_add(struct redir *r, uint32_t origin, uint16_t port, uint8_t proto,
		    uint32_t host_server);
int redir_table_remove(struct redir *r, uint32_t origin, uint16_t port, uint8_t proto);
/* Host server for the service access point, or 0. */
uint32_t redir_table_lookup(const struct redir *r, uint32_t origin, uint16_t port,
			    uint8_t proto);
size_t redir_table_size(const struct redir *r);

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
