/* test_rmgr.c - the replica manager and the replication server (rmgr.h)
 * over the simulator: regression tests for the review fixes of 5855360.
 *  a. a PUSH or an INSTALL sent to the manager is counted unexpected and its
 *     payload read past; a METER after it is taken;
 *  b. at the replication server, pushed objects arrive whole however the
 *     stream is cut, and an INSTALL while the replica runs is counted and
 *     its image read past;
 *  c. the manager's send queue is bounded (HN_ELIMIT, drop.rmp_queue_full),
 *     a PUSH is queued with its object or not at all, and the sent front is
 *     reclaimed;
 *  d. hit metering across install, remove, install within one load
 *     interval counts each hit once, the last partial interval included;
 *  e. a LOAD crossing a REMOVE is not unexpected;
 *  f. a REMOVE stops the replica at once but is acknowledged only when its
 *     requests in progress are done, with their metering; a drain the
 *     manager cuts short uses up no metering.
 *
 * Two nodes on one link: the manager's (10.0.0.1) and a host server's
 * (10.0.0.2).  Where both ends can be the real ones they are (rmgr_new,
 * rsrv_new with a recording fake replica); where a test needs bytes a real
 * end never sends (a PUSH or an INSTALL sent to the manager, a second
 * INSTALL while a replica runs, a LOAD crossing a REMOVE) the other end is a
 * raw simulated TCP socket speaking rmp.h, and what it sends can be cut into
 * odd chunks.  Hostile payloads are themselves valid RMP messages, so a
 * receiver that frames them as messages instead of reading past them is
 * seen taking them (extra METERs, bogus PUSHes), not merely closing.
 *
 * Every case starts with sim_init and ends (teardown) with sim_destroy,
 * after which the manager and server are freed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hydranet/rmgr.h"
#include "hydranet/rmp.h"
#include "sim/sim.h"
#include "status.h"

#define IP(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define MS 1000000ull
#define SEC 1000000000ull

static const uint32_t MGR = IP(10, 0, 0, 1), HS = IP(10, 0, 0, 2);
static const uint32_t ORIGIN = IP(192, 0, 2, 80);   /* carried in the messages only */
static const uint16_t SERVICE = 7, PORT = 80;

/* Content of object id: position- and id-dependent, so a shifted, cut or
 * foreign byte shows. */
static uint8_t obj_byte(uint32_t id, size_t i)
{
	return (uint8_t)(id * 131u + i * 7u + (i >> 8) + 1u);
}

/* ---- the world: two nodes, the objects under test ------------------------ */

struct world {
	sim_node *mgr_node, *hs_node;
	struct rmgr *m;
	struct rsrv *s;
};
static struct world W;

static void world_up(void)
{
	memset(&W, 0, sizeof W);
	struct sim_config cfg = { .seed = 1, .run = 1 };
	assert_int_equal(sim_init(&cfg), HN_OK);
	W.mgr_node = sim_node_create("mgr");
	W.hs_node = sim_node_create("hs");
	assert_non_null(W.mgr_node);
	assert_non_null(W.hs_node);
	struct sim_link_config lc = { .rate_bps = 10000000, .delay_ns = 1 * MS, .mtu_bytes = 1500,
				      .queue_packets = 10000 };
	assert_non_null(sim_link_create(W.mgr_node, W.hs_node, &lc, MGR, HS, 24));
	assert_int_equal(sim_routing_populate(), HN_OK);
}

static int teardown(void **state)
{
	(void)state;
	sim_destroy();
	rmgr_free(W.m);
	rsrv_free(W.s);
	memset(&W, 0, sizeof W);
	return 0;
}

/* ---- a fake replica behind the real replication server ------------------ */

#define MAX_GOT 256
struct got {
	uint32_t id, version, expires_s;
	size_t len;
	int intact;                  /* every byte is obj_byte(id, i) */
};

struct fake_replica {
	int running, starts, stops;
	uint32_t origin;
	uint16_t port;
	/* Counters go on across reinstalls, as a HydraWeb replica's do. */
	uint64_t served, hits, misses;
	uint64_t reported_hits, reported_misses;   /* reported (metered) so far */
	size_t active;                             /* requests in progress */
	struct got got[MAX_GOT];
	size_t ngot;
	void (*on_push)(size_t ngot);   /* called after each recorded push */
};
static struct fake_replica R;

static void *fr_start(void *ctx, uint32_t origin, uint16_t port)
{
	(void)ctx;
	R.running = 1;
	R.starts++;
	R.origin = origin;
	R.port = port;
	return &R;
}

static void fr_stop(void *ctx, void *replica)
{
	(void)ctx;
	assert_ptr_equal(replica, &R);
	R.running = 0;
	R.stops++;
}

static uint64_t fr_served(void *ctx, void *replica)
{
	(void)ctx;
	(void)replica;
	return R.served;
}

static void fr_push(void *ctx, void *replica, const struct rmp_msg *m, const uint8_t *data,
		    size_t len)
{
	(void)ctx;
	assert_ptr_equal(replica, &R);
	assert_true(R.ngot < MAX_GOT);
	struct got *g = &R.got[R.ngot++];
	*g = (struct got){ .id = m->object, .version = m->version, .expires_s = m->expires_s,
			   .len = len, .intact = len == m->object_bytes };
	for (size_t i = 0; i < len && g->intact; i++)
		g->intact = data[i] == obj_byte(m->object, i);
	if (R.on_push)
		R.on_push(R.ngot);
}

/* The meter op gives what was not reported yet; metered says it was
 * (rmgr.h). */
static int fr_meter(void *ctx, void *replica, uint64_t *hits, uint64_t *misses)
{
	(void)ctx;
	(void)replica;
	*hits = R.hits - R.reported_hits;
	*misses = R.misses - R.reported_misses;
	return 1;
}

static void fr_metered(void *ctx, void *replica, uint64_t hits, uint64_t misses)
{
	(void)ctx;
	(void)replica;
	R.reported_hits += hits;
	R.reported_misses += misses;
}

static const struct rsrv_ops FAKE_OPS = { .start = fr_start, .stop = fr_stop, .served = fr_served,
					  .push = fr_push, .meter = fr_meter,
					  .metered = fr_metered };

/* ---- a raw RMP peer: a simulated TCP socket and a framer ---------------- */

#define MAX_MSGS 256
struct peer {
	sim_sock *listener, *sock;
	int connected;
	/* received: messages (payloads read past and counted) */
	uint8_t rx[RMP_MAX_LEN];
	size_t rxlen;
	uint64_t skip;               /* payload bytes still to read past */
	uint64_t payload_bytes;
	struct rmp_msg msgs[MAX_MSGS];
	size_t nmsgs;
	/* to send: a script, cut into chunks of the sizes in cut[] (cycled;
	 * none: all at once), one chunk a millisecond */
	uint8_t *out;
	size_t outlen, outcap, outsent;
	const size_t *cut;
	size_t ncut, cuti;
	int pumping;
	void (*on_msg)(struct peer *p, const struct rmp_msg *m);   /* after the payload */
	int payload_pending;         /* a message whose payload is still arriving */
	struct rmp_msg last;
};
static struct peer P;

static void peer_add(struct peer *p, const void *data, size_t n)
{
	if (p->outlen + n > p->outcap) {
		size_t cap = p->outcap ? p->outcap : 4096;
		while (cap < p->outlen + n)
			cap *= 2;
		p->out = realloc(p->out, cap);
		assert_non_null(p->out);
		p->outcap = cap;
	}
	memcpy(p->out + p->outlen, data, n);
	p->outlen += n;
}

static void peer_add_msg(struct peer *p, const struct rmp_msg *m)
{
	uint8_t buf[RMP_MAX_LEN];
	int n = rmp_encode(m, buf, sizeof buf);
	assert_true(n > 0);
	peer_add(p, buf, (size_t)n);
}

static void peer_add_object(struct peer *p, uint32_t id, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		uint8_t b = obj_byte(id, i);
		peer_add(p, &b, 1);
	}
}

/* Hostile filler: n copies of m, encoded back to back (each a message a
 * framer that does not read past the payload would take). */
static size_t peer_add_copies(struct peer *p, const struct rmp_msg *m, int n)
{
	size_t before = p->outlen;
	for (int k = 0; k < n; k++)
		peer_add_msg(p, m);
	return p->outlen - before;
}

static void peer_pump(void *arg)
{
	struct peer *p = arg;
	p->pumping = 0;
	if (!p->sock || p->outsent >= p->outlen)
		return;
	size_t want = p->outlen - p->outsent;
	if (p->ncut) {
		size_t c = p->cut[p->cuti % p->ncut];
		want = want < c ? want : c;
	}
	int k = sim_sock_send(p->sock, p->out + p->outsent, want);
	if (k > 0) {
		p->outsent += (size_t)k;
		if ((size_t)k == want)
			p->cuti++;
	}
	if (p->outsent < p->outlen) {
		p->pumping = 1;
		sim_schedule(1 * MS, peer_pump, p);
	}
}

static void peer_kick(struct peer *p)
{
	if (!p->pumping)
		peer_pump(p);
}

static void peer_take(struct peer *p, const struct rmp_msg *m)
{
	assert_true(p->nmsgs < MAX_MSGS);
	p->msgs[p->nmsgs++] = *m;
	if (p->on_msg)
		p->on_msg(p, m);
}

static void peer_recv(void *ctx, sim_sock *s, const uint8_t *data, size_t len, uint32_t a,
		      uint16_t port)
{
	struct peer *p = ctx;
	(void)s;
	(void)a;
	(void)port;
	while (len) {
		if (p->skip) {
			size_t k = len < p->skip ? len : (size_t)p->skip;
			p->skip -= k;
			p->payload_bytes += k;
			data += k;
			len -= k;
			if (!p->skip && p->payload_pending) {
				p->payload_pending = 0;
				peer_take(p, &p->last);
			}
			continue;
		}
		p->rx[p->rxlen++] = *data++;
		len--;
		struct rmp_msg m;
		int rc = rmp_decode(p->rx, p->rxlen, &m);
		assert_true(rc >= 0);   /* the real ends send only valid messages */
		if (rc == 0) {
			assert_true(p->rxlen < sizeof p->rx);
			continue;
		}
		p->rxlen = 0;
		p->skip = m.type == RMP_INSTALL ? m.image_bytes : m.type == RMP_PUSH ? m.object_bytes : 0;
		if (p->skip) {
			p->last = m;
			p->payload_pending = 1;
		} else {
			peer_take(p, &m);
		}
	}
}

static void peer_accept(void *ctx, sim_sock *l, sim_sock *s, uint32_t a, uint16_t port)
{
	struct peer *p = ctx;
	(void)l;
	(void)a;
	(void)port;
	assert_null(p->sock);   /* one connection expected */
	p->sock = s;
	p->connected = 1;
	sim_sock_set_nodelay(s, true);
	peer_kick(p);
}

static void peer_connected(void *ctx, sim_sock *s, bool ok)
{
	struct peer *p = ctx;
	(void)s;
	assert_true(ok);
	p->connected = 1;
	peer_kick(p);
}

static void peer_space(void *ctx, sim_sock *s, size_t avail)
{
	(void)s;
	(void)avail;
	peer_kick(ctx);
}

static const struct sim_sock_ops PEER_OPS = { .on_connect = peer_connected, .on_accept = peer_accept,
					      .on_recv = peer_recv, .on_send_space = peer_space };

static void peer_reset(void)
{
	free(P.out);
	memset(&P, 0, sizeof P);
}

static int peer_teardown(void **state)
{
	int rc = teardown(state);
	peer_reset();
	return rc;
}

/* A fake replication server on the host server's RMP port. */
static void peer_listen(struct peer *p)
{
	p->listener = sim_tcp_socket(W.hs_node, &PEER_OPS, p);
	assert_non_null(p->listener);
	assert_int_equal(sim_sock_bind(p->listener, HS, RMP_PORT_MANAGER), HN_OK);
	assert_int_equal(sim_sock_listen(p->listener), HN_OK);
}

/* A fake manager connecting to the host server's replication server. */
static void peer_connect(struct peer *p)
{
	p->sock = sim_tcp_socket(W.mgr_node, &PEER_OPS, p);
	assert_non_null(p->sock);
	sim_sock_set_nodelay(p->sock, true);
	assert_int_equal(sim_sock_connect(p->sock, HS, RMP_PORT_MANAGER), HN_OK);
}

static size_t count_type(const struct peer *p, uint8_t type)
{
	size_t n = 0;
	for (size_t i = 0; i < p->nmsgs; i++)
		n += p->msgs[i].type == type;
	return n;
}

/* Odd chunk sizes: message headers, bodies and payloads all get cut. */
static const size_t ODD[] = { 1, 2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 97, 211, 1009 };
#define NODD (sizeof ODD / sizeof ODD[0])

/* ---- the manager side's origin -------------------------------------------- */

struct origin_fake {
	uint64_t busy_until_ns;      /* requests come at 100/s until then */
	int installed, removed;      /* callbacks */
	uint32_t installed_at, removed_at;
	void (*on_installed)(void);
};
static struct origin_fake O;

static uint64_t of_served(void *ctx)
{
	(void)ctx;
	uint64_t now = sim_now_ns();
	return (now < O.busy_until_ns ? now : O.busy_until_ns) / (10 * MS);
}

static void of_installed(void *ctx, uint32_t hs)
{
	(void)ctx;
	O.installed++;
	O.installed_at = hs;
	if (O.on_installed)
		O.on_installed();
}

static void of_removed(void *ctx, uint32_t hs)
{
	(void)ctx;
	O.removed++;
	O.removed_at = hs;
}

static const struct rmgr_origin ORIGIN_OPS = { .served = of_served, .installed = of_installed,
					       .removed = of_removed };

static struct rmgr_config static_cfg(uint32_t image_bytes)
{
	return (struct rmgr_config){ .origin = ORIGIN, .service = SERVICE, .port = PORT,
				     .image_bytes = image_bytes, .policy = RMGR_STATIC,
				     .interval_ns = 1 * SEC, .candidates = { HS }, .ncandidates = 1 };
}

static void reset_fakes(void)
{
	memset(&R, 0, sizeof R);
	memset(&O, 0, sizeof O);
	peer_reset();
}

/* ==== a. a PUSH and an INSTALL sent to the manager ========================== */

/* The fake replication server: once the INSTALL's image is in, it answers
 * INSTALL_ACK and then sends the manager what it does not take: a PUSH and
 * an INSTALL, each with a payload made of METER reports of 1000 hits, then
 * a valid METER of 7 hits and 3 misses. */
static void hostile_on_msg(struct peer *p, const struct rmp_msg *m)
{
	if (m->type != RMP_INSTALL)
		return;
	struct rmp_msg ack = { .type = RMP_INSTALL_ACK, .seq = m->seq, .origin = m->origin,
			       .service = m->service };
	peer_add_msg(p, &ack);
	struct rmp_msg bait = { .type = RMP_METER, .seq = 50, .origin = m->origin, .service = m->service,
				.hits = 1000, .misses = 1000, .interval_ms = 1000 };
	struct rmp_msg push = { .type = RMP_PUSH, .seq = 51, .origin = m->origin, .service = m->service,
				.object = 9, .object_bytes = 5 * 28 };
	peer_add_msg(p, &push);
	assert_int_equal(peer_add_copies(p, &bait, 5), 5 * 28);   /* a METER is 28 bytes */
	struct rmp_msg inst = { .type = RMP_INSTALL, .seq = 52, .origin = m->origin,
				.service = m->service, .proto = 6, .nports = 1, .ports = { PORT },
				.image_bytes = 10 * 28 };
	peer_add_msg(p, &inst);
	assert_int_equal(peer_add_copies(p, &bait, 10), 10 * 28);
	struct rmp_msg meter = { .type = RMP_METER, .seq = 53, .origin = m->origin,
				 .service = m->service, .hits = 7, .misses = 3, .interval_ms = 1000 };
	peer_add_msg(p, &meter);
	peer_kick(p);
}

static void hostile_to_manager(const size_t *cut, size_t ncut)
{
	reset_fakes();
	world_up();
	P.on_msg = hostile_on_msg;
	P.cut = cut;
	P.ncut = ncut;
	peer_listen(&P);
	struct rmgr_config mc = static_cfg(1000);
	W.m = rmgr_new(W.mgr_node, &mc, &ORIGIN_OPS);
	assert_non_null(W.m);
	sim_run(5 * SEC);

	const struct rmgr_stats *st = rmgr_stats(W.m);
	assert_int_equal(count_type(&P, RMP_INSTALL), 1);
	assert_int_equal(P.payload_bytes, 1000);            /* the image */
	assert_int_equal(P.outsent, P.outlen);              /* the whole script went */
	assert_int_equal(st->installs, 1);
	assert_int_equal(O.installed, 1);
	/* Both refused messages counted, their payloads read past: nothing in
	 * them was taken as a message, and the METER after them was. */
	assert_int_equal(st->drops[RMGR_DROP_UNEXPECTED], 2);
	assert_int_equal(st->drops[RMGR_DROP_MALFORMED], 0);
	assert_int_equal(st->msgs_received, 4);             /* INSTALL_ACK, PUSH, INSTALL, METER */
	assert_int_equal(st->bytes_received, P.outlen);
	assert_int_equal(st->meters, 1);
	assert_int_equal(st->metered_hits, 7);
	assert_int_equal(st->metered_misses, 3);
	assert_int_equal(rmgr_installed(W.m), 1);           /* the connection stayed up */
}

static void rmgr__refused_payloads_sent_to_the_manager_are_read_past(void **state)
{
	(void)state;
	hostile_to_manager(NULL, 0);   /* all in one send */
}

static void rmgr__refused_payloads_read_past_in_odd_chunks(void **state)
{
	(void)state;
	hostile_to_manager(ODD, NODD);
}

/* ==== b. PUSH framing at the real replication server ====================== */

/* Objects pushed through a real manager at install, as HydraWeb preheats. */
static const size_t SIZES_B[] = { 0, 1, 1200, 100000, 1, 0, 1200, 100000, 7 };
#define NB (sizeof SIZES_B / sizeof SIZES_B[0])
static uint32_t hs_data_segments;   /* TCP segments with data arriving at port 5301 */

static int64_t count_segments(void *ctx, sim_node *n, enum sim_hook_point at, int iface,
			      const uint8_t *dg, size_t len)
{
	(void)ctx;
	(void)n;
	(void)at;
	(void)iface;
	size_t ihl = (size_t)(dg[0] & 15) * 4;
	if (len >= ihl + 20 && dg[9] == 6 && (dg[ihl + 2] << 8 | dg[ihl + 3]) == RMP_PORT_MANAGER) {
		size_t doff = (size_t)(dg[ihl + 12] >> 4) * 4;
		hs_data_segments += len > ihl + doff;
	}
	return SIM_ACCEPT;
}

static void push_sizes_b(void)
{
	static uint8_t buf[100000];
	for (size_t k = 0; k < NB; k++) {
		for (size_t i = 0; i < SIZES_B[k]; i++)
			buf[i] = obj_byte(100 + (uint32_t)k, i);
		struct rmgr_object o = { .id = 100 + (uint32_t)k, .version = 3 + (uint32_t)k,
					 .expires_s = (uint32_t)k, .data = buf, .len = SIZES_B[k] };
		assert_int_equal(rmgr_push(W.m, HS, &o), HN_OK);
	}
}

static void pushes_arrive_intact(const char *segment_size)
{
	reset_fakes();
	world_up();
	hs_data_segments = 0;
	/* Segments of an odd size: every message and object is cut somewhere. */
	assert_int_equal(sim_set_default("ns3::TcpSocket::SegmentSize", segment_size), HN_OK);
	assert_int_equal(sim_hook_register(W.hs_node, SIM_HOOK_LOCAL_IN, count_segments, NULL), HN_OK);
	W.s = rsrv_new(W.hs_node, HS, &FAKE_OPS, 1 * SEC);
	assert_non_null(W.s);
	O.on_installed = push_sizes_b;
	struct rmgr_config mc = static_cfg(5000);
	W.m = rmgr_new(W.mgr_node, &mc, &ORIGIN_OPS);
	assert_non_null(W.m);
	sim_run(60 * SEC);

	const struct rmgr_stats *ms = rmgr_stats(W.m), *ss = rsrv_stats(W.s);
	assert_int_equal(O.installed, 1);
	assert_int_equal(R.starts, 1);
	assert_int_equal(R.origin, ORIGIN);
	assert_int_equal(R.port, PORT);
	uint64_t total = 0;
	for (size_t k = 0; k < NB; k++)
		total += SIZES_B[k];
	assert_int_equal(ms->pushes, NB);
	assert_int_equal(ms->push_bytes, total);
	assert_int_equal(R.ngot, NB);
	for (size_t k = 0; k < NB; k++) {
		assert_int_equal(R.got[k].id, 100 + k);
		assert_int_equal(R.got[k].version, 3 + k);
		assert_int_equal(R.got[k].expires_s, k);
		assert_int_equal(R.got[k].len, SIZES_B[k]);
		assert_true(R.got[k].intact);
	}
	assert_int_equal(ss->pushes, NB);
	assert_int_equal(ss->push_bytes, total);
	assert_int_equal(ss->image_bytes, 5000);
	assert_int_equal(ss->drops[RMGR_DROP_UNEXPECTED], 0);
	assert_int_equal(ss->drops[RMGR_DROP_MALFORMED], 0);
	assert_int_equal(ss->bytes_received, ms->bytes_sent);
	/* The stream really came in pieces no larger than a segment. */
	unsigned long seg = strtoul(segment_size, NULL, 10);
	assert_true(hs_data_segments >= ss->bytes_received / seg);
}

static void rsrv__pushes_arrive_intact_in_97_byte_segments(void **state)
{
	(void)state;
	pushes_arrive_intact("97");
}

static void rsrv__pushes_arrive_intact_in_1001_byte_segments(void **state)
{
	(void)state;
	pushes_arrive_intact("1001");
}

/* An INSTALL while the replica runs: counted, its image (itself made of
 * valid PUSHes of a bogus object 666) read past; the pushes before and
 * after it are delivered.  The fake manager cuts everything in odd chunks. */
static void rsrv__install_while_running_is_skipped_and_pushes_go_on(void **state)
{
	(void)state;
	reset_fakes();
	world_up();
	W.s = rsrv_new(W.hs_node, HS, &FAKE_OPS, 1 * SEC);
	assert_non_null(W.s);
	P.cut = ODD;
	P.ncut = NODD;
	struct rmp_msg in = { .type = RMP_INSTALL, .seq = 1, .origin = ORIGIN, .service = SERVICE,
			      .proto = 6, .nports = 1, .ports = { PORT }, .image_bytes = 777 };
	peer_add_msg(&P, &in);
	for (int i = 0; i < 777; i++)
		peer_add(&P, "\x5a", 1);
	static const size_t sizes[] = { 1200, 0, 3000, 1, 17 };
	uint32_t seq = 2;
	for (size_t k = 0; k < 5; k++) {
		if (k == 2) {   /* the second INSTALL, between the second and third push */
			struct rmp_msg in2 = in;
			in2.seq = seq++;
			in2.image_bytes = 90 * 32;
			peer_add_msg(&P, &in2);
			struct rmp_msg bogus = { .type = RMP_PUSH, .seq = 99, .origin = ORIGIN,
						 .service = SERVICE, .object = 666 };
			assert_int_equal(peer_add_copies(&P, &bogus, 90), 90 * 32);   /* a PUSH is 32 bytes */
		}
		struct rmp_msg p = { .type = RMP_PUSH, .seq = seq++, .origin = ORIGIN, .service = SERVICE,
				     .object = 200 + (uint32_t)k, .version = 1, .object_bytes = (uint32_t)sizes[k] };
		peer_add_msg(&P, &p);
		peer_add_object(&P, 200 + (uint32_t)k, sizes[k]);
	}
	peer_connect(&P);
	sim_run(30 * SEC);

	const struct rmgr_stats *ss = rsrv_stats(W.s);
	assert_int_equal(P.outsent, P.outlen);
	assert_true(P.cuti >= 50);   /* it did go in many chunks */
	assert_int_equal(R.starts, 1);
	assert_int_equal(R.stops, 0);
	assert_int_equal(ss->installs, 1);
	assert_int_equal(ss->image_bytes, 777);              /* the second image is not an image */
	assert_int_equal(ss->drops[RMGR_DROP_UNEXPECTED], 1);
	assert_int_equal(ss->drops[RMGR_DROP_MALFORMED], 0);
	assert_int_equal(ss->msgs_received, 7);               /* 2 INSTALLs, 5 PUSHes */
	assert_int_equal(ss->bytes_received, P.outlen);
	assert_int_equal(R.ngot, 5);
	assert_int_equal(ss->pushes, 5);
	for (size_t k = 0; k < 5; k++) {
		assert_int_equal(R.got[k].id, 200 + k);
		assert_int_equal(R.got[k].len, sizes[k]);
		assert_true(R.got[k].intact);
	}
	/* Two INSTALL_ACKs: the first INSTALL's, status ok, and the second's,
	 * refused (status 1: one replica per connection). */
	assert_int_equal(count_type(&P, RMP_INSTALL_ACK), 2);
	assert_int_equal(P.msgs[0].type, RMP_INSTALL_ACK);
	assert_int_equal(P.msgs[0].seq, 1);
	assert_int_equal(P.msgs[0].status, 0);
	int refused = 0;
	for (size_t k = 1; k < P.nmsgs; k++)
		if (P.msgs[k].type == RMP_INSTALL_ACK) {
			assert_int_equal(P.msgs[k].seq, 4);
			assert_int_equal(P.msgs[k].status, 1);
			refused++;
		}
	assert_int_equal(refused, 1);
}

/* ==== c. the manager's bounded send queue ================================= */

#define OBJ_C 100000u
#define MSG_C (32u + OBJ_C)   /* a PUSH and its object */
struct qstate {
	uint32_t next_id;
	struct { uint32_t id; size_t len; } acc[MAX_GOT];   /* what rmgr_push accepted, in order */
	size_t nacc;
	uint64_t queued_bytes;       /* of the accepted, messages and objects */
	uint64_t sent_before;        /* the manager's bytes_sent before the first push */
	size_t first_batch, refused;
	int partial_rc, drained_rc;
	int64_t partial_pending, drained_pending;
	uint64_t drops_after_burst;
};
static struct qstate Q;

static int push_c(size_t len)
{
	static uint8_t buf[OBJ_C];
	uint32_t id = Q.next_id++;
	for (size_t i = 0; i < len; i++)
		buf[i] = obj_byte(id, i);
	struct rmgr_object o = { .id = id, .version = 1, .data = buf, .len = len };
	int rc = rmgr_push(W.m, HS, &o);
	if (rc == HN_OK) {
		assert_true(Q.nacc < MAX_GOT);
		Q.acc[Q.nacc].id = id;
		Q.acc[Q.nacc++].len = len;
		Q.queued_bytes += 32 + len;
	}
	return rc;
}

/* Bytes accepted but not yet taken by the socket: what the queue holds. */
static int64_t pending_c(void)
{
	return (int64_t)Q.queued_bytes - (int64_t)(rmgr_stats(W.m)->bytes_sent - Q.sent_before);
}

/* Right at the install: push objects of 100000 bytes until refused. */
static void burst_c(void)
{
	Q.sent_before = rmgr_stats(W.m)->bytes_sent;
	int rc;
	while ((rc = push_c(OBJ_C)) == HN_OK)
		assert_true(Q.nacc < 200);
	assert_int_equal(rc, HN_ELIMIT);
	Q.first_batch = Q.nacc;
	/* Refused exactly when the queue would pass RMGR_MAX_QUEUE. */
	int64_t pending = pending_c();
	assert_true(pending <= (int64_t)RMGR_MAX_QUEUE);
	assert_true(pending + MSG_C > RMGR_MAX_QUEUE);
	assert_true(pending > (int64_t)RMGR_MAX_QUEUE - MSG_C);
	assert_int_equal(rmgr_stats(W.m)->drops[RMGR_DROP_QUEUE_FULL], 1);
	/* Three more, refused and counted too. */
	for (int k = 0; k < 3; k++)
		assert_int_equal(push_c(OBJ_C), HN_ELIMIT);
	Q.refused = 4;
	Q.drops_after_burst = rmgr_stats(W.m)->drops[RMGR_DROP_QUEUE_FULL];
	/* A small object may still fit behind them; if taken it must arrive,
	 * after the others. */
	if (pending_c() + 32 + 1 <= (int64_t)RMGR_MAX_QUEUE)
		assert_int_equal(push_c(1), HN_OK);
}

/* Part of the queue has gone out (the replica has a fifth of the first
 * batch) but not all: room for another object again. */
static void partial_c(void *arg)
{
	(void)arg;
	Q.partial_pending = pending_c();
	Q.partial_rc = push_c(OBJ_C);
}

static void on_push_c(size_t ngot)
{
	if (ngot == Q.first_batch / 5)
		sim_schedule(0, partial_c, NULL);
}

static void drained_c(void *arg)
{
	(void)arg;
	Q.drained_pending = pending_c();
	Q.drained_rc = push_c(OBJ_C);
}

static void rmgr__push_queue_is_bounded_and_whole(void **state)
{
	(void)state;
	reset_fakes();
	memset(&Q, 0, sizeof Q);
	Q.partial_rc = Q.drained_rc = 1;
	world_up();
	W.s = rsrv_new(W.hs_node, HS, &FAKE_OPS, 1 * SEC);
	assert_non_null(W.s);
	R.on_push = on_push_c;
	O.on_installed = burst_c;
	struct rmgr_config mc = static_cfg(1000);
	W.m = rmgr_new(W.mgr_node, &mc, &ORIGIN_OPS);
	assert_non_null(W.m);
	/* 4 MiB at 10 Mb/s: about 3.5 s. */
	sim_schedule(20 * SEC, drained_c, NULL);
	sim_run(40 * SEC);

	const struct rmgr_stats *ms = rmgr_stats(W.m), *ss = rsrv_stats(W.s);
	assert_int_equal(O.installed, 1);
	assert_true(Q.first_batch > 30);   /* 4 MiB of 100000-byte objects and a socket buffer */
	assert_int_equal(Q.drops_after_burst, Q.refused);
	/* The replica got exactly what was accepted, in order, whole: no
	 * message went without its object. */
	assert_int_equal(R.ngot, Q.nacc);
	for (size_t k = 0; k < Q.nacc; k++) {
		assert_int_equal(R.got[k].id, Q.acc[k].id);
		assert_int_equal(R.got[k].len, Q.acc[k].len);
		assert_true(R.got[k].intact);
	}
	/* After part of the queue went out, with room again, a push is taken. */
	assert_true(Q.partial_pending > 0);
	assert_true(Q.partial_pending + MSG_C <= RMGR_MAX_QUEUE);
	assert_int_equal(Q.partial_rc, HN_OK);
	/* And after it drained. */
	assert_int_equal(Q.drained_pending, 0);
	assert_int_equal(Q.drained_rc, HN_OK);
	assert_int_equal(ms->drops[RMGR_DROP_QUEUE_FULL], Q.refused);
	assert_int_equal(ms->pushes, Q.nacc);
	uint64_t bytes = 0;
	for (size_t k = 0; k < Q.nacc; k++)
		bytes += Q.acc[k].len;
	assert_int_equal(ms->push_bytes, bytes);
	assert_int_equal(ss->pushes, Q.nacc);
	assert_int_equal(ss->drops[RMGR_DROP_UNEXPECTED], 0);
	assert_int_equal(ss->drops[RMGR_DROP_MALFORMED], 0);
	assert_int_equal(ss->bytes_received, ms->bytes_sent);
}

/* ==== d. hit metering across reinstalls ==================================== */

/* The replica does work every 0.5 ms while it runs: a request served, a
 * hit, and every third time a miss too. */
static void work_d(void *arg)
{
	uintptr_t k = (uintptr_t)arg;
	if (R.running) {
		R.served++;
		R.hits++;
		R.misses += k % 3 == 0;
	}
	if (sim_now_ns() < 12 * SEC)
		sim_schedule(MS / 2, work_d, (void *)(k + 1));
}

/* A dynamic manager that installs whenever the origin is busy and removes
 * at the first LOAD (remove_below is out of reach): its ticks every 250 ms,
 * the replication server's reports every 1 s.  The first install (0.25 s)
 * reports at 1.25 s and is removed; the manager installs again at 1.5 s on
 * a new connection, which reuses the old connection's slot at the server,
 * LOAD tick pending (2.25 s): install, remove, install within one load
 * interval, again and again until the origin goes quiet (6.1 s). */
static void rmgr__metering_counts_each_hit_once_across_reinstalls(void **state)
{
	(void)state;
	reset_fakes();
	world_up();
	O.busy_until_ns = 6100 * MS;
	W.s = rsrv_new(W.hs_node, HS, &FAKE_OPS, 1 * SEC);
	assert_non_null(W.s);
	struct rmgr_config mc = { .origin = ORIGIN, .service = SERVICE, .port = PORT,
				  .image_bytes = 1000, .policy = RMGR_DYNAMIC, .trigger = RMGR_ON_LOAD,
				  .install_above_rps = 0.5, .remove_below_rps = 1e9,
				  .idle_intervals = 1, .interval_ns = 250 * MS, .candidates = { HS },
				  .ncandidates = 1 };
	W.m = rmgr_new(W.mgr_node, &mc, &ORIGIN_OPS);
	assert_non_null(W.m);
	sim_schedule(0, work_d, (void *)0);
	sim_run(15 * SEC);

	const struct rmgr_stats *ms = rmgr_stats(W.m), *ss = rsrv_stats(W.s);
	/* The cycle happened, several times, and ended removed. */
	assert_true(ms->installs >= 4);
	assert_int_equal(ms->removes, ms->installs);
	assert_int_equal(ss->installs, ms->installs);
	assert_int_equal(ss->removes, ms->installs);
	assert_int_equal(R.starts, (int)ms->installs);
	assert_int_equal(R.stops, (int)ms->installs);
	assert_int_equal(R.running, 0);
	assert_true(R.hits > 1000);
	/* Every hit and miss the replica counted reached the manager once:
	 * none twice (a reused slot), none lost (the partial interval before
	 * REMOVE_ACK). */
	assert_int_equal(ms->metered_hits, R.hits);
	assert_int_equal(ms->metered_misses, R.misses);
	assert_int_equal(ms->meters, ss->meters);
	assert_int_equal(ms->drops[RMGR_DROP_UNEXPECTED], 0);
	assert_int_equal(ss->drops[RMGR_DROP_UNEXPECTED], 0);
	/* The origin heard of every removal (HydraWeb stops keeping it hot). */
	assert_int_equal(O.removed, (int)ms->removes);
	assert_int_equal(O.removed_at, HS);
}

/* ==== e. a LOAD crossing a REMOVE ========================================== */

/* The fake replication server acks the INSTALL and reports an idle LOAD; the
 * manager removes; the server had sent another LOAD before the REMOVE
 * arrived, then the last METER and the REMOVE_ACK. */
static void crossing_on_msg(struct peer *p, const struct rmp_msg *m)
{
	struct rmp_msg load = { .type = RMP_LOAD, .origin = m->origin, .service = m->service,
				.interval_ms = 1000 };
	if (m->type == RMP_INSTALL) {
		struct rmp_msg ack = { .type = RMP_INSTALL_ACK, .seq = m->seq, .origin = m->origin,
				       .service = m->service };
		peer_add_msg(p, &ack);
		load.seq = 1;
		peer_add_msg(p, &load);
	} else if (m->type == RMP_REMOVE) {
		load.seq = 2;
		peer_add_msg(p, &load);
		struct rmp_msg meter = { .type = RMP_METER, .seq = 3, .origin = m->origin,
					 .service = m->service, .hits = 4, .misses = 1 };
		peer_add_msg(p, &meter);
		struct rmp_msg ack = { .type = RMP_REMOVE_ACK, .seq = m->seq, .origin = m->origin,
				       .service = m->service };
		peer_add_msg(p, &ack);
	}
	peer_kick(p);
}

static void rmgr__load_crossing_remove_is_not_unexpected(void **state)
{
	(void)state;
	reset_fakes();
	world_up();
	O.busy_until_ns = 250 * MS;   /* busy for the first tick only: one install */
	P.on_msg = crossing_on_msg;
	peer_listen(&P);
	struct rmgr_config mc = { .origin = ORIGIN, .service = SERVICE, .port = PORT,
				  .image_bytes = 100, .policy = RMGR_DYNAMIC, .trigger = RMGR_ON_LOAD,
				  .install_above_rps = 0.5, .remove_below_rps = 1,
				  .idle_intervals = 1, .interval_ns = 250 * MS, .candidates = { HS },
				  .ncandidates = 1 };
	W.m = rmgr_new(W.mgr_node, &mc, &ORIGIN_OPS);
	assert_non_null(W.m);
	sim_run(3 * SEC);
	const struct rmgr_stats *ms = rmgr_stats(W.m);
	assert_int_equal(count_type(&P, RMP_REMOVE), 1);
	assert_int_equal(ms->installs, 1);
	assert_int_equal(ms->removes, 1);
	assert_int_equal(ms->loads, 1);                 /* the crossing one is not a report */
	assert_int_equal(ms->metered_hits, 4);          /* the last METER is */
	assert_int_equal(ms->drops[RMGR_DROP_UNEXPECTED], 0);
	assert_int_equal(ms->drops[RMGR_DROP_MALFORMED], 0);
	assert_int_equal(O.removed, 1);
}

/* ==== f. REMOVE waits for the replica's requests in progress ============== */

static size_t fr_active(void *ctx, void *replica)
{
	(void)ctx;
	(void)replica;
	return R.active;
}

static const struct rsrv_ops DRAIN_OPS = { .start = fr_start, .stop = fr_stop, .served = fr_served,
					   .push = fr_push, .meter = fr_meter, .metered = fr_metered,
					   .active = fr_active };

static struct {
	uint64_t ack_ns;             /* when REMOVE_ACK reached the fake manager */
	uint64_t hits_before_ack;    /* METER hits received before it */
	int running_at_probe;        /* the replica, just after the REMOVE */
} D;

static void drain_on_msg(struct peer *p, const struct rmp_msg *m)
{
	(void)p;
	if (m->type == RMP_METER && !D.ack_ns)
		D.hits_before_ack += m->hits;
	if (m->type == RMP_REMOVE_ACK)
		D.ack_ns = sim_now_ns();
}

static void drain_remove(void *arg)
{
	struct peer *p = arg;
	struct rmp_msg rm = { .type = RMP_REMOVE, .seq = 2, .origin = ORIGIN, .service = SERVICE };
	peer_add_msg(p, &rm);
	peer_kick(p);
}

static void drain_probe(void *arg)
{
	(void)arg;
	D.running_at_probe = R.running;
}

/* The replica's last two requests end at 1.234 s, five more hits. */
static void drain_finish(void *arg)
{
	(void)arg;
	R.hits += 5;
	R.active = 0;
}

static void drain_close(void *arg)
{
	struct peer *p = arg;
	sim_sock_close(p->sock);
	p->sock = NULL;
}

/* A fake manager installs (no image), and at 0.5 s, with 10 hits counted
 * and two requests in progress, sends REMOVE; the load interval (10 s) is
 * longer than the run, so only the REMOVE's own METER reports.  close_at:
 * the manager goes away at that time (0: never). */
static void drain_run(uint64_t close_at)
{
	reset_fakes();
	peer_reset();
	memset(&D, 0, sizeof D);
	world_up();
	W.s = rsrv_new(W.hs_node, HS, &DRAIN_OPS, 10 * SEC);
	assert_non_null(W.s);
	struct rmp_msg in = { .type = RMP_INSTALL, .seq = 1, .origin = ORIGIN, .service = SERVICE,
			      .proto = 6, .nports = 1, .ports = { PORT }, .image_bytes = 0 };
	peer_add_msg(&P, &in);
	P.on_msg = drain_on_msg;
	peer_connect(&P);
	R.hits = 10;
	R.active = 2;
	sim_schedule(500 * MS, drain_remove, &P);
	sim_schedule(520 * MS, drain_probe, NULL);
	sim_schedule(1234 * MS, drain_finish, NULL);
	if (close_at)
		sim_schedule(close_at, drain_close, &P);
	sim_run(5 * SEC);
}

static void rsrv__remove_waits_for_requests_in_progress(void **state)
{
	(void)state;
	drain_run(0);
	const struct rmgr_stats *ss = rsrv_stats(W.s);
	/* Stopped at once (no new connections), acknowledged only after the
	 * last request, within one poll (10 ms) and the 1 ms link. */
	assert_int_equal(D.running_at_probe, 0);
	assert_int_equal(R.stops, 1);
	assert_true(D.ack_ns >= 1234 * MS);
	assert_true(D.ack_ns <= 1234 * MS + 10 * MS + 2 * MS);
	/* The METER before the ACK has every hit, those of the drain too. */
	assert_int_equal(D.hits_before_ack, 15);
	assert_int_equal(R.reported_hits, 15);
	assert_int_equal(ss->removes, 1);
	assert_int_equal(count_type(&P, RMP_REMOVE_ACK), 1);
}

/* The manager goes away during the drain: no ACK, no removal counted, and
 * the hits stay unreported (a later install reports them), none used up. */
static void rsrv__drain_cut_short_loses_no_metering(void **state)
{
	(void)state;
	drain_run(800 * MS);
	const struct rmgr_stats *ss = rsrv_stats(W.s);
	assert_int_equal(count_type(&P, RMP_REMOVE_ACK), 0);
	assert_int_equal(ss->removes, 0);
	assert_int_equal(R.reported_hits, 0);
	assert_int_equal(R.hits, 15);
	assert_int_equal(R.stops, 1);
}

/* Trigger region: the busiest idle candidate above the threshold; none
 * when no idle one is above it; ties go to the earlier candidate. */
static void rmgr__region_pick_takes_busiest_idle_region_above(void **state)
{
	(void)state;
	double rate[4] = { 76.0, 1.2, 90.0, 0.8 };
	bool idle[4] = { true, true, false, true };
	assert_int_equal(rmgr_region_pick(rate, idle, 4, 15.0), 0);   /* 90 is installed */
	idle[2] = true;
	assert_int_equal(rmgr_region_pick(rate, idle, 4, 15.0), 2);
	assert_int_equal(rmgr_region_pick(rate, idle, 4, 90.0), -1);   /* strictly above */
	idle[0] = idle[2] = false;
	assert_int_equal(rmgr_region_pick(rate, idle, 4, 15.0), -1);
	double tie[3] = { 5.0, 20.0, 20.0 };
	bool all[3] = { true, true, true };
	assert_int_equal(rmgr_region_pick(tie, all, 3, 10.0), 1);
	assert_int_equal(rmgr_region_pick(tie, all, 0, 10.0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(rmgr__refused_payloads_sent_to_the_manager_are_read_past,
					  peer_teardown),
		cmocka_unit_test_teardown(rmgr__refused_payloads_read_past_in_odd_chunks, peer_teardown),
		cmocka_unit_test_teardown(rsrv__pushes_arrive_intact_in_97_byte_segments, teardown),
		cmocka_unit_test_teardown(rsrv__pushes_arrive_intact_in_1001_byte_segments, teardown),
		cmocka_unit_test_teardown(rsrv__install_while_running_is_skipped_and_pushes_go_on,
					  peer_teardown),
		cmocka_unit_test_teardown(rmgr__push_queue_is_bounded_and_whole, teardown),
		cmocka_unit_test_teardown(rmgr__metering_counts_each_hit_once_across_reinstalls,
					  teardown),
		cmocka_unit_test_teardown(rmgr__load_crossing_remove_is_not_unexpected, peer_teardown),
		cmocka_unit_test_teardown(rsrv__remove_waits_for_requests_in_progress, peer_teardown),
		cmocka_unit_test_teardown(rsrv__drain_cut_short_loses_no_metering, peer_teardown),
		cmocka_unit_test(rmgr__region_pick_takes_busiest_idle_region_above),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
