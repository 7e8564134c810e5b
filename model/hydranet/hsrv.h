/* hsrv.h - the HydraNet host server (paper, sections 3 and 4.1).
 *
 * A host that runs replicas as virtual hosts.  hsrv_vhost_create() is the
 * paper's v_host(ip_address): it installs a virtual host for an origin IP and
 * puts that address on the loopback, as a /32, so the local stack accepts
 * datagrams addressed to it while the rest of the network still routes it to
 * the origin.  Ports bound through hsrv_bind() belong to the virtual host.
 *
 * Tunnelled datagrams (IP protocol 4, addressed to this host) are reassembled
 * when the redirector fragmented them, validated, decapsulated (RFC 2003) and
 * checked against the virtual-host table: the inner destination must be an
 * installed virtual host and the inner port one of its bound ports.  Then the
 * inner datagram goes back into IP input, as the paper's pseudo protocol stack
 * puts it back on the IP input queue, and is delivered to the socket bound to
 * the origin IP and port.  Replies leave with the origin IP as their source
 * and go straight to the client.  Anything else is dropped and counted.
 *
 * Pure C behind struct hsrv_io; hsrv_attach() binds it to a simulated node
 * (PRE_ROUTING hook, sim_ip_input, sim_node_add_local_addr).  Not here: the
 * routing daemon announcing bound ports (it can listen with
 * hsrv_set_bind_listener), replica management. */
#ifndef HN_HSRV_H
#define HN_HSRV_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "counter.h"
#include "param.h"

#include "hydranet/fragflow.h"
#include "net/reass.h"

struct sim_node;
struct sim_sock;

struct hsrv_io {
	/* Put a decapsulated datagram (borrowed) back on the IP input queue. */
	int (*input)(void *ctx, const uint8_t *dg, size_t len);
	/* Make addr local (a /32 on loopback). */
	int (*add_local_addr)(void *ctx, uint32_t addr);
	/* Is addr one of this host's addresses? */
	int (*is_local)(void *ctx, uint32_t addr);
	void *ctx;
};

struct hsrv_config {
	struct ipv4_reass_limits reass;   /* outer fragments */
	struct fragflow_limits frag;      /* inner fragments: port verdicts */
};

/* Counters and drop reasons: C(field, metric, doc), D(reason, name, doc)
 * (counter.h); drops are stored as metric drop.NAME. */
#define HSRV_STATS(C, D) \
	C(tunnelled_in, "tunnelled_in", "IP-in-IP datagrams and fragments addressed to the host server") \
	C(reassembled, "reassembled", "outer datagrams rebuilt from fragments") \
	C(decapsulated, "decapsulated", "inner datagrams taken out of their tunnel") \
	C(delivered, "delivered", "inner datagrams put back into IP input for a virtual host") \
	C(delivered_bytes, "delivered_bytes", "bytes of the delivered inner datagrams") \
	D(BAD_OUTER, "bad_outer", "outer datagram invalid or not decapsulable") \
	D(TTL, "inner_ttl_zero", "inner TTL is 0 (RFC 2003 section 3.1)") \
	D(NO_VHOST, "no_vhost", "inner destination is no installed virtual host") \
	D(NO_PORT, "port_not_replicated", "virtual host has no socket on that port") \
	D(INPUT, "input_refused", "the stack refused the decapsulated datagram")

#define HSRV_DROP_ENUM(e, name, doc) HSRV_DROP_##e,
enum hsrv_drop { HSRV_STATS(COUNTER_SKIP, HSRV_DROP_ENUM) HSRV_NDROP };

struct hsrv_stats {
	HSRV_STATS(COUNTER_FIELD, COUNTER_SKIP)
	uint64_t drops[HSRV_NDROP];   /* by enum hsrv_drop */
};

/* The descriptors of every counter above. */
extern const struct counter_set hsrv_counters;

/* The host server's keys in a [node NAME] section, into struct hsrv_config
 * (hsrv_params.c, data only); the fragment limits are fragflow_params'. */
extern const struct param_def hsrv_params[];
extern const size_t hsrv_nparams;

/* Called when a socket of a virtual host binds a port (bound true) or gives
 * it up (false): for the routing daemon that tells the redirectors. */
typedef void (*hsrv_bind_fn)(void *ctx, uint32_t origin, uint8_t proto, uint16_t port,
			     bool bound);

struct hsrv;

struct hsrv *hsrv_new(const struct hsrv_config *cfg, const struct hsrv_io *io);
void hsrv_free(struct hsrv *h);

/* v_host(ip_address): install a virtual host for origin, run by the
 * application app (a name, copied).  HN_EEXIST if already installed. */
int hsrv_vhost_create(struct hsrv *h, uint32_t origin, const char *app);
/* Is a virtual host installed for origin? */
int hsrv_vhost_exists(const struct hsrv *h, uint32_t origin);

/* Whether the virtual host origin takes new connections on (proto, port):
 * 1 bound, 0 given up or never bound, HN_ENOENT no such virtual host. */
int hsrv_vhost_serves(const struct hsrv *h, uint32_t origin, uint8_t proto, uint16_t port);

/* Record that the virtual host origin owns (proto, port); HN_ENOENT when the
 * virtual host is not installed. */
int hsrv_vhost_bind(struct hsrv *h, uint32_t origin, uint8_t proto, uint16_t port);

/* Bind a socket of a virtual host: sim_sock_bind to (origin, port) and mark
 * the port as the virtual host's, like the kernel marking the PCB. */
int hsrv_bind(struct hsrv *h, struct sim_sock *s, uint32_t origin, uint8_t proto,
	      uint16_t port);

/* The virtual host origin gives up (proto, port): the listener is gone.
 * Later UDP datagrams and TCP SYNs for it are dropped as not replicated;
 * segments of TCP connections in progress are still delivered, so they
 * finish (the routing daemon withdraws the access point at once, and the
 * redirectors send new connections elsewhere).  Binding it again takes it
 * back.  HN_ENOENT when it was not bound. */
int hsrv_vhost_unbind(struct hsrv *h, uint32_t origin, uint8_t proto, uint16_t port);

void hsrv_set_bind_listener(struct hsrv *h, hsrv_bind_fn fn, void *ctx);

enum hsrv_verdict { HSRV_PASS, HSRV_CONSUMED };

/* Offer a received datagram (borrowed). */
enum hsrv_verdict hsrv_input(struct hsrv *h, const uint8_t *dg, size_t len, uint64_t now_ns);

const struct hsrv_stats *hsrv_stats(const struct hsrv *h);
const struct ipv4_reass_stats *hsrv_reass_stats(const struct hsrv *h);
const struct fragflow_stats *hsrv_fragflow_stats(const struct hsrv *h);
const char *hsrv_drop_name(enum hsrv_drop d);

/* Replace the io (e.g. with a cost model's, which charges the work and
 * emits when it is done).  io is copied. */
void hsrv_set_io(struct hsrv *x, const struct hsrv_io *io);

/* Bind h to a simulated node (PRE_ROUTING hook, sim io). */
int hsrv_attach(struct hsrv *h, struct sim_node *node);
#endif
