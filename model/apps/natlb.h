/* natlb.h - a NAT-based server cluster behind one address, the third
 * alternative to HydraNet that the paper's section 2 dismisses (Cisco
 * LocalDirector; LVS-NAT): a front end owning the service's address
 * rewrites the destination of each new connection's datagrams to one of
 * the real servers behind it (in turn), and the source of their replies,
 * which must route back through it, to its own (net/nat.h: checksums
 * fixed).  A connection stays on its real server (a table keyed by the
 * client's address and port, forgotten after lb_idle without datagrams).
 * Every datagram it cannot translate is a counted drop.
 *
 * The direct-return variant (lb_mode = dr; LVS-DR, LVS's "direct routing"):
 * the front end forwards each datagram to the service, unchanged but for
 * the forwarding TTL decrement, to its real server as the link-layer next
 * hop (sim_ip_output_via; LVS-DR rewrites only the destination MAC
 * address), so the real servers must be its neighbours; they hold the
 * service's address as a local address the network does not route to
 * them (LVS-DR's VIP on a loopback alias that answers no ARP) and reply to
 * the client directly from it.  The front end sees only the clients'
 * direction.
 *
 * A connection that ended (a RST either way, or FIN both ways; in dr mode,
 * where the replies are not seen, a FIN from the client) is forgotten
 * lb_closed_idle after its last datagram rather than lb_idle; when the
 * table is full, the connections idle past their time are swept out, so
 * the count of those remembered (lb_max_conns) falls again. */
#ifndef HN_NATLB_H
#define HN_NATLB_H
#include <stddef.h>
#include <stdint.h>

#include "counter.h"
#include "param.h"

struct sim_node;

#define NATLB_MAX_SERVERS 16

/* A [node] of role natlb. */
struct natlb_config {
	char service[48];             /* the [service] it fronts; it is its origin */
	char servers[256];            /* the real server nodes, space separated */
	uint64_t idle_ns;             /* a connection idle this long is forgotten */
	uint64_t max_conns;           /* connections remembered at once */
	int mode;                     /* enum natlb_mode */
	uint64_t closed_idle_ns;      /* an ended connection idle this long is forgotten */
	char added[256];              /* real servers (of servers) that join at add_at_ns */
	uint64_t add_at_ns;           /* when they join (ipvsadm -a) */
};

enum natlb_mode { NATLB_NAT, NATLB_DR };

#define NATLB_STATS(C, D) \
	C(connections, "natlb.connections", "new connections given a real server") \
	C(in, "natlb.in", "datagrams to the service translated to a real server (dr: forwarded to it unchanged)") \
	C(out, "natlb.out", "replies translated back to the service's address (dr: none pass the front end)") \
	C(bytes, "natlb.bytes", "bytes of the datagrams translated (dr: forwarded), both ways") \
	C(ended, "natlb.ended", "connections seen to end (RST, or FIN both ways; dr: FIN from the client)") \
	C(swept, "natlb.swept", "connections forgotten to make room (idle past lb_idle, or ended and idle past lb_closed_idle): their slots taken by new ones, or swept out of a full table") \
	D(TABLE_FULL, "natlb_table_full", "a new connection past max_conns: dropped") \
	D(NO_CONN, "natlb_no_connection", "a datagram to the service that does not open a connection (no SYN) and matches none") \
	D(FRAGMENT, "natlb_fragment", "a fragment to or from the cluster (not translated: the ports are not in it)") \
	D(MALFORMED, "natlb_malformed", "a datagram to or from the cluster whose transport header is cut short") \
	D(TTL, "natlb_ttl_expired", "a datagram whose TTL would reach 0 when forwarded (RFC 791; no ICMP sent)") \
	D(OUTPUT, "natlb_output", "a translated datagram the node could not send (no route, or larger than the MTU)")
#define NATLB_DROP_ENUM(e, name, doc) NATLB_DROP_##e,
enum natlb_drop { NATLB_STATS(COUNTER_SKIP, NATLB_DROP_ENUM) NATLB_NDROP };

struct natlb_stats {
	NATLB_STATS(COUNTER_FIELD, COUNTER_SKIP)
	uint64_t drops[NATLB_NDROP];
	uint64_t per_server[NATLB_MAX_SERVERS];   /* connections given to each (not a counter row) */
};

extern const struct counter_set natlb_counters;
extern const struct param_def natlb_params[];
extern const size_t natlb_nparams;

/* The front end on node for vip:port (proto 6 or 17), over servers[0..n)
 * (their addresses; dr mode: their addresses on the links they share with
 * node, the next hops).  It hooks the node's PRE_ROUTING.  NULL on failure. */
struct natlb;
struct natlb *natlb_new(struct sim_node *node, const struct natlb_config *cfg, uint32_t vip,
			uint16_t port, uint8_t proto, const uint32_t *servers, size_t n);
/* Real server i (of servers) joins the cluster at from_ns: before it, no
 * new connection is given to it (as a server added with ipvsadm -a).
 * HN_EINVAL when i is out of range. */
int natlb_server_from(struct natlb *lb, size_t i, uint64_t from_ns);
void natlb_free(struct natlb *lb);
const struct natlb_stats *natlb_stats(const struct natlb *lb);
#endif
