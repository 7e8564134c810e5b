/* sim.h - the C face of the simulator: a thin shim over ns-3.37 (sim_*.cc,
 * one file per section below; sim_internal.hh says which).
 *
 * The only module that touches ns-3; no ns-3 type crosses this header and no
 * HydraNet logic lives behind it.  Handles are opaque and owned by the shim:
 * they stay valid until sim_destroy().  Addresses are IPv4 in host byte order
 * (10.0.1.2 == 0x0A000102), times are nanoseconds, rates bits per second.
 * Failing calls return a negative enum hn_status (status.h) or NULL.
 *
 * Datagram hooks follow netfilter's shape: a C function registered at a hook
 * point sees each IPv4 datagram as raw bytes (a 20-byte header with a valid
 * checksum, then the payload) and answers with a verdict.  C re-enters the
 * stack with sim_ip_output() and sim_ip_input().  ns-3 checksums are on. */
#ifndef SIM_SIM_H
#define SIM_SIM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sim_node sim_node;
typedef struct sim_link sim_link;
typedef struct sim_sock sim_sock;
typedef struct sim_ping sim_ping;

/* ---- simulator lifetime, clock and events ------------------------------ */

struct sim_config {
	uint32_t seed;        /* ns-3 RngSeedManager seed (>= 1) */
	uint64_t run;         /* ns-3 run number: independent streams */
};

/* Set up the simulator singleton: checksums on, seed and run.  Call once,
 * before any node exists.  Returns HN_OK or HN_ESTATE if already set up. */
int sim_init(const struct sim_config *cfg);

/* Config::SetDefault(attr, value), checked: HN_EINVAL if ns-3 rejects the
 * attribute or the value (no abort). */
int sim_set_default(const char *attr, const char *value);

/* Tear everything down (nodes, links, sockets, pings, hooks) so sim_init
 * may be called again in the same process. */
void sim_destroy(void);

uint64_t sim_now_ns(void);

typedef void (*sim_event_fn)(void *arg);
typedef uint64_t sim_event_id;

/* Run fn(arg) after delay_ns of simulated time; returns an id for cancel. */
sim_event_id sim_schedule(uint64_t delay_ns, sim_event_fn fn, void *arg);
/* A cancelled event stays queued until its time and counts as run (as
 * ns-3's Cancel); a removed one leaves the queue now and is not counted
 * (ns-3's Remove).  Either is harmless for an event that has run. */
void sim_cancel(sim_event_id id);
void sim_remove(sim_event_id id);

/* Run until stop_ns of simulated time (0: until no events are left). */
void sim_run(uint64_t stop_ns);
void sim_stop(void);                 /* stop as soon as the current event ends */
uint64_t sim_event_count(void);      /* events executed so far */
/* Transport endpoints in the hashed demultiplexer (sim_demux.cc), all nodes. */
size_t sim_demux_indexed(void);

/* ---- topology ---------------------------------------------------------- */

/* A node with an IPv4-only stack whose routing is hookable (static routes
 * first, then global routing).  name is copied; it names pcap files. */
sim_node *sim_node_create(const char *name);
const char *sim_node_name(const sim_node *n);
uint32_t sim_node_id(const sim_node *n);

struct sim_link_config {
	uint64_t rate_bps;      /* > 0 */
	uint64_t delay_ns;      /* one-way propagation delay */
	uint32_t mtu_bytes;     /* IP MTU of both ends, 68..65535 */
	uint32_t queue_packets; /* DropTail device queue, packets, > 0 */
	double loss_rate;       /* per-packet loss on receive, 0..1 (0: none) */
	/* Extra one-way delay, per packet: when set, called as the end on
	 * `side` (0 = a, 1 = b) starts to put a packet of `bytes` (PPP frame) on
	 * the wire at now_ns; the packet arrives after its transmission time +
	 * delay_ns + the returned ns.  Arrival order is kept per direction (a
	 * packet never arrives before the one sent before it): a queue, not a
	 * reordering path.  NULL: fixed delay. */
	uint64_t (*extra_delay)(void *ctx, int side, uint64_t now_ns, size_t bytes);
	void *extra_delay_ctx;
	/* The link's name (copied; NULL or "": none).  When set, the pcap
	 * files of its ends are NODE-NAME.pcap rather than NODE-IFACE.pcap
	 * (sim_pcap_enable).  Must be usable in a file name: no '/'. */
	const char *name;
};

/* A point-to-point link a <-> b; a's end gets addr_a, b's gets addr_b, both
 * /prefix_len.  Addresses are assigned directly (no Ipv4AddressHelper) and no
 * queue disc is installed: a plain DropTail router.  NULL on bad config
 * (including a name with a '/'). */
sim_link *sim_link_create(sim_node *a, sim_node *b,
			  const struct sim_link_config *cfg,
			  uint32_t addr_a, uint32_t addr_b, uint8_t prefix_len);

/* Interface index of the link's end on side 0 (a) or 1 (b) at its node. */
int sim_link_iface(const sim_link *l, int side);
uint32_t sim_link_addr(const sim_link *l, int side);
/* Bytes (PPP frames, 2-byte header included) and frames the end on side
 * put on the wire so far. */
uint64_t sim_link_tx_bytes(const sim_link *l, int side);
uint64_t sim_link_tx_packets(const sim_link *l, int side);

/* Add addr/32 on the node's loopback (a VIP).  Global routing ignores it,
 * so the rest of the network keeps routing addr to its real owner. */
int sim_node_add_local_addr(sim_node *n, uint32_t addr);

/* Make addr a virtual-host address of n (the paper's v_host): datagrams for
 * it that C re-injects with sim_ip_input() are delivered to n's sockets bound
 * to addr, while n's own traffic to addr is still routed to the address's
 * real owner, and datagrams arriving from the network for addr are
 * forwarded as usual.  Sockets may bind to it. */
int sim_node_add_vhost_addr(sim_node *n, uint32_t addr);

/* Failures (sim_fail.cc).  A link that is down is silent both ways (its
 * interfaces drop what they would send or receive); routing is not told.
 * A node that is down has every interface down and loses its TCP
 * connections: their sockets are closed and no callback of them fires
 * again (ns-3 has no abort: the FIN that Close queues goes nowhere while
 * the interfaces are down); its listening and UDP sockets stay, as the
 * servers and daemons a restarted host starts again.  Up again: the
 * interfaces come back (a link still down stays silent).  *closed (may be
 * NULL) gets how many TCP connections were lost.  HN_OK, HN_EINVAL, or
 * HN_ESTATE (link or node already in that state). */
int sim_link_set_down(sim_link *l, bool down);
int sim_node_set_down(sim_node *n, bool down, size_t *closed);
bool sim_node_is_down(const sim_node *n);

/* Compute global (shortest path) routes for all nodes.  Call after the
 * topology is built.  With routes from C (sim_routing_from_c): only forgets
 * cached routes. */
int sim_routing_populate(void);

/* Routes from C: the link node number `node` (nodes in creation order from
 * 0) sends a datagram for dst by, or NULL for no route.  Asked for every
 * datagram a node routes that its directly connected subnets do not take,
 * and for every route query. */
typedef sim_link *(*sim_route_fn)(void *ctx, size_t node, uint32_t dst);

/* Every node created from now on routes by fn(ctx, ...) instead of ns-3's
 * global routing: no global routing object or database is made.  Call
 * after sim_init and before the first node; HN_ESTATE otherwise, HN_EINVAL
 * without fn.  Until sim_destroy. */
int sim_routing_from_c(sim_route_fn fn, void *ctx);

/* Static route at node n: dst/prefix_len via next_hop (a neighbour's address).
 * Static routes win over global ones. */
int sim_route_add(sim_node *n, uint32_t dst, uint8_t prefix_len, uint32_t next_hop);

/* The IP MTU of the interface that routes to dst, and its source address;
 * 0 when there is no route. */
uint32_t sim_route_mtu(sim_node *n, uint32_t dst);
uint32_t sim_route_src(sim_node *n, uint32_t dst);

/* True when addr is one of n's own addresses (including loopback /32s). */
bool sim_node_has_addr(sim_node *n, uint32_t addr);

/* Write one pcap per link end into dir (which must exist), named
 * NODE-LINK.pcap when the link has a name (sim_link_config.name: node
 * "client" on link "ab" writes client-ab.pcap), else NODE-IFACE.pcap (IFACE
 * is the interface index), link type PPP as ns-3 writes it.  Covers the
 * links that exist at the call.  Returns HN_OK, HN_EIO when a file cannot be
 * created, or HN_EEXIST, writing nothing, when two link ends would share a
 * file name (e.g. node "a" on link "b-c" and node "a-b" on link "c").  Call
 * before sim_run. */
int sim_pcap_enable(const char *dir);

/* ---- datagram hooks ---------------------------------------------------- */

enum sim_hook_point {
	SIM_HOOK_PRE_ROUTING,  /* every datagram received, fragments one by one,
				  before the forward/deliver decision; TTL not
				  yet decremented; also sees sim_ip_input() */
	SIM_HOOK_LOCAL_IN,     /* received and addressed to this node (before
				  ns-3 reassembles) */
	SIM_HOOK_FORWARD,      /* received and about to be forwarded, TTL not
				  yet decremented */
	SIM_HOOK_LOCAL_OUT,    /* a locally generated TCP/UDP/ICMP segment
				  before IP output: the bytes are a 20-byte
				  header (id 0, ns-3 assigns it later) + segment */
	SIM_HOOK_NPOINTS
};

/* Verdicts.  A positive return is a delay: processing continues (the next
 * hook, then the stack) after that many nanoseconds: a CPU cost model. */
enum sim_verdict {
	SIM_ACCEPT = 0,   /* continue now */
	SIM_DROP = -1,    /* discard (the hook counts why) */
	SIM_STOLEN = -2   /* the hook took it over (e.g. re-injected a copy) */
};

/* Hook function: bytes are borrowed for the call only.  iface is the
 * receiving interface (PRE_ROUTING, LOCAL_IN, FORWARD; 0 = loopback) or -1
 * (LOCAL_OUT). */
typedef int64_t (*sim_hook_fn)(void *ctx, sim_node *n, enum sim_hook_point at,
			       int iface, const uint8_t *dgram, size_t len);

/* Register fn at point `at` of node n.  Hooks at one point run in
 * registration order; DROP or STOLEN ends the walk; a delay resumes the walk
 * at the next hook after the delay.  Returns HN_OK. */
int sim_hook_register(sim_node *n, enum sim_hook_point at, sim_hook_fn fn, void *ctx);

/* Send the complete datagram dg (borrowed) from n, routed on its
 * destination, with its header used verbatim (id, DF/MF, offset, TTL, TOS,
 * protocol, source).  Returns HN_OK, HN_ELEN/HN_EIHL/HN_EVERSION (malformed),
 * HN_ECKSUM (bad header checksum), HN_ENOROUTE, or HN_EMSGSIZE when the
 * datagram is larger than the route's MTU: C does the fragmenting, never
 * ns-3.  Does not pass the hooks of n. */
int sim_ip_output(sim_node *n, const uint8_t *dg, size_t len);

/* Send dg (borrowed) from n to the neighbour next_hop (an address on one of
 * n's links, as an Ethernet host sends to a MAC address; on a
 * point-to-point link the link itself names the neighbour), whatever its
 * destination: the datagram leaves unchanged, its destination kept (LVS
 * direct routing).  Header used verbatim as sim_ip_output.  Returns what
 * sim_ip_output returns; HN_ENOROUTE when next_hop is on none of n's links.
 * Does not pass the hooks of n. */
int sim_ip_output_via(sim_node *n, const uint8_t *dg, size_t len, uint32_t next_hop);

/* Feed dg (borrowed) into n's IP input as if it had arrived on loopback, as
 * a decapsulated datagram put back on the IP input queue.  It passes
 * PRE_ROUTING (iface 0), ns-3 reassembly and local delivery.  Processed at
 * the current time, after the calling event.  Returns HN_OK or a
 * malformed-datagram status as sim_ip_output. */
int sim_ip_input(sim_node *n, const uint8_t *dg, size_t len);

/* ---- sockets ----------------------------------------------------------- */

/* Callbacks of a socket; any may be NULL.  Data pointers are borrowed for
 * the call.  An accepted socket inherits its listener's ops and ctx. */
struct sim_sock_ops {
	void (*on_connect)(void *ctx, sim_sock *s, bool ok);
	void (*on_accept)(void *ctx, sim_sock *listener, sim_sock *s,
			  uint32_t peer_addr, uint16_t peer_port);
	void (*on_recv)(void *ctx, sim_sock *s, const uint8_t *data, size_t len,
			uint32_t from_addr, uint16_t from_port);
	void (*on_send_space)(void *ctx, sim_sock *s, size_t avail_bytes);
	void (*on_close)(void *ctx, sim_sock *s, bool error);
};

sim_sock *sim_tcp_socket(sim_node *n, const struct sim_sock_ops *ops, void *ctx);
sim_sock *sim_udp_socket(sim_node *n, const struct sim_sock_ops *ops, void *ctx);
int sim_sock_bind(sim_sock *s, uint32_t addr, uint16_t port);   /* addr 0: any */
int sim_sock_listen(sim_sock *s);
int sim_sock_connect(sim_sock *s, uint32_t addr, uint16_t port);
/* Queue up to len bytes (borrowed); returns bytes taken (maybe fewer than
 * len: wait for on_send_space) or a negative status. */
int sim_sock_send(sim_sock *s, const uint8_t *buf, size_t len);
int sim_sock_sendto(sim_sock *s, const uint8_t *buf, size_t len,
		    uint32_t addr, uint16_t port);               /* UDP */
size_t sim_sock_tx_avail(const sim_sock *s);
/* TCP_NODELAY: true turns Nagle's algorithm off for this socket. */
int sim_sock_set_nodelay(sim_sock *s, bool nodelay);
int sim_sock_close(sim_sock *s);
/* sim_sock_close, and the caller gives the handle back: it must not use s
 * again (s may be freed at the next sim_schedule event).  ns-3 finishes the
 * connection as after sim_sock_close (queued data, FIN, TIME_WAIT) and frees
 * its socket when done; the shim keeps nothing of it.  For an application
 * that keeps no record of a connection once it is over.  A listener, or a
 * socket with DF or MTU probing (they act after the close), is kept until
 * sim_destroy all the same.  HN_ESTATE if s is NULL or already released. */
int sim_sock_release(sim_sock *s);
/* Socket handles the shim holds now (live, including closed ones not
 * released) and has freed since sim_init (released ones). */
void sim_sock_stats(uint64_t *live, uint64_t *freed);
/* TIME_WAIT: a released TCP socket that reaches it (sim_sock_release) is
 * moved into a compact record that behaves as ns-3's socket would there
 * (model/sim/sim_timewait.cc), and ns-3 frees the socket; on by default,
 * until sim_destroy.  Off: every socket stays whole through TIME_WAIT. */
void sim_tcp_timewait_compact(bool on);
/* Compact TIME_WAIT records held now. */
uint64_t sim_tcp_timewait_live(void);
/* ns-3 TCP sockets n's TCP holds now (listening, connected, closing, and
 * in TIME_WAIT unless moved into a record). */
size_t sim_node_tcp_sockets(const sim_node *n);
/* IP options of the socket's datagrams, as Linux's setsockopt does them:
 * IP_MTU_DISCOVER (df: DF set on every datagram; for TCP, on every segment
 * whose source port is the socket's (ns-3's TCP segments carry no socket
 * mark; a socket accepted from a listening one does not inherit it), and the
 * socket does RFC 1191 path MTU discovery: on ICMP fragmentation needed its
 * segment size drops to the next-hop MTU - 40 and it retransmits, which
 * ns-3's TCP does not do itself), IP_TOS, IP_TTL (ttl 0: leave the
 * socket's TTL as it is, the stack's 64 unless set before); with df, sim_sock_sendto refuses (HN_EMSGSIZE) a UDP datagram
 * longer than the route's MTU.  The IP identification is a counter per (source,
 * destination, protocol), ns-3's own (Ipv4L3Protocol::BuildHeader) or, for
 * DF datagrams, the shim's. */
int sim_sock_set_df(sim_sock *s, bool df);
/* TCP: times the segment size was lowered by ICMP (sim_sock_set_df). */
unsigned sim_sock_pmtu_lowered(const sim_sock *s);
/* TCP: the segment size now (the MSS), 0 for UDP. */
unsigned sim_sock_mss(const sim_sock *s);

/* A DF TCP socket's reaction to a path MTU black hole (ICMP fragmentation
 * needed lost or filtered), as Linux 6.1 with sysctl tcp_mtu_probing:
 *   SIM_MTU_PROBING_OFF        0: none; the segment is sent again at the
 *                              same size at every RTO (ns-3's TCP);
 *   SIM_MTU_PROBING_BLACKHOLE  1: at an RTO, once the retransmissions have
 *                              timed out as tcp_retries1 (3) backoffs from
 *                              TCP_RTO_MIN (200 ms) would, i.e. 3 s after
 *                              the first retransmission (tcp_timer.c
 *                              tcp_write_timeout, retransmits_timed_out,
 *                              tcp_model_timeout), the MSS falls to base_mss
 *                              (tcp_base_mss) and the segment goes again at
 *                              that size; at each later such RTO it halves,
 *                              min(base_mss, mss / 2), never below 48
 *                              (tcp_mtu_probing(); tcp_mtu_probe_floor and
 *                              tcp_min_snd_mss are 48).
 * Linux's upward probing after the fall (tcp_output.c tcp_mtu_probe: a
 * segment of (search_low + search_high) / 2 once cwnd reaches 11) is not
 * modelled in this mode: the MSS stays where the fall left it.  HN_EINVAL
 * for UDP, a mode out of range or base_mss below 48. */
enum sim_mtu_probing { SIM_MTU_PROBING_OFF, SIM_MTU_PROBING_BLACKHOLE, SIM_MTU_PROBING_PROBE };
/* SIM_MTU_PROBING_PROBE: the black-hole fall as above, then Linux's upward
 * search after it (tcp_output.c tcp_mtu_probe, tcp_input.c
 * tcp_mtup_probe_success/failed, RFC 4821): between search_low (the MSS
 * the fall left, + 40) and search_high (the MSS before it + 40), once cwnd
 * holds 11 segments in the open state and 4 more segments than the probe
 * are waiting, one new segment of MSS (search_low + search_high) / 2 - 40 is
 * sent; acknowledged, it becomes search_low and the MSS; lost (three
 * duplicate ACKs of its start, or an RTO at it), search_high becomes its
 * size - 1; the search ends when search_high - search_low < 8
 * (tcp_probe_threshold).  Not modelled: the re-probe after
 * tcp_probe_interval (600 s), and the cwnd adjustment on success. */
int sim_sock_set_mtu_probing(sim_sock *s, int mode, uint32_t base_mss);
/* TCP: times the black-hole detection lowered the MSS. */
unsigned sim_sock_blackhole_lowered(const sim_sock *s);
/* TCP, SIM_MTU_PROBING_PROBE: probes sent, acknowledged, lost. */
void sim_sock_mtu_probes(const sim_sock *s, unsigned *sent, unsigned *ok, unsigned *failed);

/* What a node's own IP/TCP stack counted: C(field, metric, doc) counts,
 * D(REASON, name, doc) drops (counter.h's shape; the world keeps the
 * descriptors). */
#define SIM_STACK_STATS(C, D) \
	C(pmtu_lowered, "tcp.pmtu_lowered", "DF TCP sockets' segment size lowered by ICMP fragmentation needed (RFC 1191 section 6)") \
	C(pmtu_floored, "tcp.pmtu_floored", "ICMP fragmentation needed with a next-hop MTU below 552, taken as 552 with DF then off for the socket (Linux route.c __ip_rt_update_pmtu: ip_rt_min_pmtu, a locked MTU; ip_dont_fragment)") \
	C(blackhole_lowered, "tcp.blackhole_lowered", "DF TCP sockets' MSS lowered by black-hole detection (mtu_probing = blackhole)") \
	C(tw_compact, "tcp.timewait_compact", "connections whose TIME_WAIT (2 MSL, 240 s) was kept by a compact record (the 4-tuple, sequence numbers and window; model/sim/sim_timewait.cc) in place of ns-3's whole socket, with ns-3's behaviour there: sockets the applications gave back") \
	C(tw_whole, "tcp.timewait_whole", "released connections whose TIME_WAIT stayed in ns-3's whole socket (SACK blocks pending, ECN, an IP TOS, a zero peer window, a TIME_WAIT already over when the next C event came, or [simulation] tcp_timewait = whole)") \
	C(tw_acks, "tcp.timewait_acks", "ACKs sent from a compact TIME_WAIT for a segment with data (out of the window: ns-3's IsValidTcpSegment answers it with an ACK)") \
	C(tw_zero_window, "tcp.timewait_zero_window", "compact TIME_WAITs that took a peer window of 0, where ns-3's socket would have started zero-window probes from TIME_WAIT (neither Linux nor FreeBSD does): not probed") \
	C(icmp_not_lower, "tcp.icmp_not_lower", "ICMP fragmentation needed whose MTU would not lower the segment size: ignored") \
	D(DF_TOO_BIG, "host_df_too_big", "a locally sent DF datagram larger than its route's MTU (a TCP segment with [simulation] mss past the link MTU): not sent") \
	D(ICMP_OUT_OF_WINDOW, "host_icmp_out_of_window", "ICMP fragmentation needed quoting a TCP sequence number outside [snd_una, snd_max] (Linux tcp_v4_err, OUTOFWINDOWICMPS): ignored") \
	D(ICMP_NO_QUOTE, "host_icmp_no_quote", "ICMP fragmentation needed to a DF TCP socket whose quoted segment was not seen: ignored")

#define SIM_STACK_DROP_ENUM(e, name, doc) SIM_STACK_DROP_##e,
#define SIM_STACK_SKIP(a, b, c)
#define SIM_STACK_FIELD(field, name, doc) uint64_t field;
enum sim_stack_drop { SIM_STACK_STATS(SIM_STACK_SKIP, SIM_STACK_DROP_ENUM) SIM_STACK_NDROP };
struct sim_stack_stats {
	SIM_STACK_STATS(SIM_STACK_FIELD, SIM_STACK_SKIP)
	uint64_t drops[SIM_STACK_NDROP];   /* by enum sim_stack_drop */
};
const struct sim_stack_stats *sim_node_stack_stats(const sim_node *n);
int sim_sock_set_tos(sim_sock *s, uint8_t tos);
int sim_sock_set_ttl(sim_sock *s, uint8_t ttl);
sim_node *sim_sock_node(const sim_sock *s);
/* One pointer of the application's per socket (an accepted socket's
 * connection state: found without a search); NULL until set. */
void sim_sock_set_user(sim_sock *s, void *user);
void *sim_sock_user(const sim_sock *s);
/* The socket's local address and port (after bind/connect/accept). */
int sim_sock_local(const sim_sock *s, uint32_t *addr, uint16_t *port);

/* ---- ping --------------------------------------------------------------- */

/* Called for each echo reply: when its request was sent and the round trip. */
typedef void (*sim_ping_fn)(void *ctx, uint64_t sent_ns, uint64_t rtt_ns);

/* ICMP echo requests from n to dst, one every interval_ns from start_ns
 * until stop_ns (exclusive), each an ICMP message of `bytes` bytes (8-byte
 * header + data, 24..65507: ns-3's V4Ping needs 16 data bytes; 64 is the
 * classic ping).  A start_ns already past starts now.  The requests pass n's
 * LOCAL_OUT hooks like any ICMP the node sends (sent_ns is before them), the
 * replies every hook on their way; a reply counts when it is delivered at n
 * (after its PRE_ROUTING and LOCAL_IN hooks, reassembled), also after
 * stop_ns, once per request.  Sequence numbers wrap after 65536 requests: a
 * reply belongs to the latest request of its number.  fn may be NULL.  NULL
 * on bad arguments. */
sim_ping *sim_ping_start(sim_node *n, uint32_t dst, uint32_t bytes, uint64_t interval_ns,
			 uint64_t start_ns, uint64_t stop_ns, sim_ping_fn fn, void *ctx);
/* Echo requests sent so far (replies not received = lost or late). */
uint64_t sim_ping_sent(const sim_ping *p);

#ifdef __cplusplus
}
#endif
#endif
