/* rmgr.c - replica manager and replication server; see rmgr.h. */
#include "hydranet/rmgr.h"

#include <stdlib.h>
#include <string.h>

#include "hydranet/rmp.h"
#include "log.h"
#include "sim/sim.h"
#include "status.h"

#define IMAGE_CHUNK 4096

/* One framed TCP stream carrying RMP messages and, after an INSTALL or a
 * PUSH, that message's payload (a code image or an object). */
struct stream {
	sim_sock *sock;
	uint8_t buf[RMP_MAX_LEN];
	size_t have;
	uint64_t payload_left;        /* payload bytes still to come (receiver) */
	int closed;
};

typedef void (*msg_fn)(void *owner, struct stream *st, const struct rmp_msg *m);
/* Payload bytes as they arrive; last is true for the final piece. */
typedef void (*payload_fn)(void *owner, struct stream *st, const uint8_t *data, size_t n, int last);

/* The node a socket is on, for the log. */
static const char *sock_node(const sim_sock *s)
{
	return s ? sim_node_name(sim_sock_node(s)) : NULL;
}

/* Hand up to `avail` payload bytes at data to on_payload; returns how many. */
static size_t take_payload(struct stream *st, const uint8_t *data, size_t avail,
			   payload_fn on_payload, void *owner)
{
	size_t k = avail < st->payload_left ? avail : (size_t)st->payload_left;
	st->payload_left -= k;
	on_payload(owner, st, data, k, st->payload_left == 0);
	return k;
}

/* Feed received bytes to the framer: messages go to on_msg, payload bytes
 * (announced by the message before them) to on_payload.  A stream that
 * cannot be framed any more is closed and counted. */
static void stream_input(struct stream *st, const uint8_t *data, size_t len,
			 struct rmgr_stats *stats, msg_fn on_msg, payload_fn on_payload,
			 void *owner)
{
	stats->bytes_received += len;
	while (len > 0 && !st->closed) {
		if (st->payload_left && st->have == 0) {   /* payload straight off the wire */
			size_t n = take_payload(st, data, len, on_payload, owner);
			data += n;
			len -= n;
			continue;
		}
		size_t n = sizeof st->buf - st->have < len ? sizeof st->buf - st->have : len;
		memcpy(st->buf + st->have, data, n);
		st->have += n;
		data += n;
		len -= n;
		while (!st->closed && st->have > 0) {
			if (st->payload_left) {
				size_t k = take_payload(st, st->buf, st->have, on_payload, owner);
				memmove(st->buf, st->buf + k, st->have - k);
				st->have -= k;
				continue;
			}
			struct rmp_msg m;
			int rc = rmp_decode(st->buf, st->have, &m);
			if (rc == 0)
				break;
			if (rc < 0) {
				stats->drops[RMGR_DROP_MALFORMED]++;
				HN_LOG(HN_LOG_RMGR, sim_now_ns(), sock_node(st->sock),
				       "drop %s message (%s): connection closed",
				       rmgr_drop_name(RMGR_DROP_MALFORMED), hn_strerror(rc));
				st->closed = 1;
				sim_sock_close(st->sock);
				return;
			}
			memmove(st->buf, st->buf + rc, st->have - (size_t)rc);
			st->have -= (size_t)rc;
			stats->msgs_received++;
			on_msg(owner, st, &m);
		}
	}
}

static int stream_send(struct stream *st, const struct rmp_msg *m, struct rmgr_stats *stats)
{
	uint8_t buf[RMP_MAX_LEN];
	int n = rmp_encode(m, buf, sizeof buf);
	if (n < 0 || st->closed)
		return n < 0 ? n : HN_ESTATE;
	/* RMP messages are small; the socket buffer holds them. */
	if (sim_sock_send(st->sock, buf, (size_t)n) != n)
		return HN_ELIMIT;
	stats->msgs_sent++;
	stats->bytes_sent += (uint64_t)n;
	return HN_OK;
}

/* ---- replication server ------------------------------------------------------- */


struct rsrv_conn {
	struct rsrv *srv;
	struct stream st;
	struct rmp_msg pending;       /* the INSTALL (whose image may be arriving) */
	struct rmp_msg push;          /* the PUSH whose object is arriving */
	enum { P_IMAGE, P_PUSH, P_SKIP } payload;   /* what the stream's payload is */
	uint8_t *obj;                 /* the arriving object's bytes */
	size_t obj_have;
	void *replica;                /* running replica, or NULL */
	int ticking;                  /* a LOAD report is scheduled */
	int removing;                 /* REMOVE taken: waiting for its last requests */
	struct rmp_msg remove;        /* that REMOVE */
	uint64_t last_served;
	uint32_t seq;
};

struct rsrv {
	struct rsrv_ops ops;
	uint64_t interval_ns;
	struct rmgr_stats st;
	sim_sock *listener;
	struct rsrv_conn *conns[RSRV_MAX];
	size_t nconns;
	size_t max_conns;             /* <= RSRV_MAX */
};

/* A METER report of the hits and misses not reported yet (replicas with a
 * cache only); the replica hears they were reported only once the report
 * is sent, so a closed or full connection loses none. */
static void rsrv_meter(struct rsrv_conn *c, uint32_t ivl_ms)
{
	uint64_t hits = 0, misses = 0;
	if (c->st.closed || !c->srv->ops.meter ||
	    !c->srv->ops.meter(c->srv->ops.ctx, c->replica, &hits, &misses))
		return;
	struct rmp_msg mt = { .type = RMP_METER, .seq = ++c->seq, .origin = c->pending.origin,
			      .service = c->pending.service, .hits = (uint32_t)hits,
			      .misses = (uint32_t)misses, .interval_ms = ivl_ms };
	if (stream_send(&c->st, &mt, &c->srv->st) != HN_OK)
		return;
	c->srv->st.meters++;
	if (c->srv->ops.metered)
		c->srv->ops.metered(c->srv->ops.ctx, c->replica, hits, misses);
}

static void rsrv_load_tick(void *arg)
{
	struct rsrv_conn *c = arg;
	if (!c->replica || c->st.closed) {
		c->ticking = 0;
		return;
	}
	uint32_t ivl_ms = (uint32_t)(c->srv->interval_ns / 1000000);
	/* Hit metering first, on behalf of the origin: the LOAD after it may
	 * make the manager remove the replica. */
	rsrv_meter(c, ivl_ms);
	uint64_t served = c->srv->ops.served(c->srv->ops.ctx, c->replica);
	struct rmp_msg m = { .type = RMP_LOAD, .seq = ++c->seq, .origin = c->pending.origin,
			     .service = c->pending.service,
			     .requests = (uint32_t)(served - c->last_served), .interval_ms = ivl_ms };
	c->last_served = served;
	if (stream_send(&c->st, &m, &c->srv->st) == HN_OK)
		c->srv->st.loads++;
	sim_schedule(c->srv->interval_ns, rsrv_load_tick, c);
}

/* How often a replication server looks whether a removed replica's last
 * requests are done (a model choice, short against any request here). */
#define RSRV_DRAIN_POLL_NS 10000000ull

/* Finish a REMOVE once the replica has no request in progress: the last,
 * partial interval's metering, then REMOVE_ACK. */
static void rsrv_remove_done(void *arg)
{
	struct rsrv_conn *c = arg;
	if (!c->removing || !c->replica)
		return;
	if (c->srv->ops.active && c->srv->ops.active(c->srv->ops.ctx, c->replica) && !c->st.closed) {
		sim_schedule(RSRV_DRAIN_POLL_NS, rsrv_remove_done, c);
		return;
	}
	rsrv_meter(c, 0);
	HN_LOG(HN_LOG_RMGR, sim_now_ns(), sock_node(c->st.sock),
	       "send REMOVE_ACK for " HN_LOG_IPF " (REMOVE seq %u, no request in progress)",
	       HN_LOG_IP(c->remove.origin), (unsigned)c->remove.seq);
	c->replica = NULL;
	c->removing = 0;
	struct rmp_msg ack = { .type = RMP_REMOVE_ACK, .seq = c->remove.seq, .origin = c->remove.origin,
			       .service = c->remove.service };
	if (stream_send(&c->st, &ack, &c->srv->st) == HN_OK)
		c->srv->st.removes++;   /* (the replica is stopped either way) */
}

static void rsrv_image_done(struct rsrv_conn *c)
{
	const struct rmp_msg *in = &c->pending;
	c->replica = c->srv->ops.start(c->srv->ops.ctx, in->origin, in->ports[0]);
	struct rmp_msg ack = { .type = RMP_INSTALL_ACK, .seq = in->seq, .origin = in->origin,
			       .service = in->service, .status = c->replica ? 0 : 1 };
	if (!c->replica)
		c->srv->st.drops[RMGR_DROP_START_FAILED]++;
	else
		c->srv->st.installs++;
	HN_LOG(HN_LOG_RMGR, sim_now_ns(), sock_node(c->st.sock),
	       "%s%s " HN_LOG_IPF ":%u, send INSTALL_ACK%s (INSTALL seq %u, image received)",
	       c->replica ? "start replica of" : "drop ",
	       c->replica ? "" : rmgr_drop_name(RMGR_DROP_START_FAILED), HN_LOG_IP(in->origin),
	       (unsigned)in->ports[0], c->replica ? "" : " status 1", (unsigned)in->seq);
	stream_send(&c->st, &ack, &c->srv->st);
	if (!c->replica)
		return;
	/* LOAD counts from here: a replica's counters go on across a
	 * reinstall, and a reused slot's pending tick must not report what
	 * was reported before.  (METER takes what the replica has not
	 * reported yet, whenever it was counted.) */
	c->last_served = c->srv->ops.served(c->srv->ops.ctx, c->replica);
	if (!c->ticking) {
		c->ticking = 1;
		sim_schedule(c->srv->interval_ns, rsrv_load_tick, c);
	}
}

/* A pushed object is complete: the replica it is for takes it.  One for a
 * service this connection does not run is counted and discarded. */
static void rsrv_push_done(struct rsrv_conn *c)
{
	const struct rmp_msg *p = &c->push;
	if (c->replica && c->srv->ops.push && p->origin == c->pending.origin &&
	    p->service == c->pending.service) {
		c->srv->ops.push(c->srv->ops.ctx, c->replica, p, c->obj, p->object_bytes);
		c->srv->st.pushes++;
		HN_LOG(HN_LOG_RMGR, sim_now_ns(), sock_node(c->st.sock),
		       "push object %u version %u (%u bytes) to the replica (PUSH seq %u)", (unsigned)p->object,
		       (unsigned)p->version, (unsigned)p->object_bytes, (unsigned)p->seq);
	} else {
		c->srv->st.drops[RMGR_DROP_UNEXPECTED]++;
		HN_LOG(HN_LOG_RMGR, sim_now_ns(), sock_node(c->st.sock),
		       "drop %s PUSH object %u (no replica of that service on this connection)",
		       rmgr_drop_name(RMGR_DROP_UNEXPECTED), (unsigned)p->object);
	}
	free(c->obj);
	c->obj = NULL;
}

static void rsrv_payload(void *owner, struct stream *st, const uint8_t *data, size_t n, int last)
{
	struct rsrv_conn *c = owner;
	(void)st;
	if (c->payload == P_SKIP)
		return;   /* a refused message's payload, read past to keep the stream framed */
	if (c->payload == P_IMAGE) {
		c->srv->st.image_bytes += n;   /* the code image: counted, not kept */
		if (last)
			rsrv_image_done(c);
		return;
	}
	c->srv->st.push_bytes += n;
	if (c->obj) {
		memcpy(c->obj + c->obj_have, data, n);
		c->obj_have += n;
	}
	if (last)
		rsrv_push_done(c);
}

static void rsrv_msg(void *owner, struct stream *st, const struct rmp_msg *m)
{
	struct rsrv_conn *c = owner;
	if (m->type == RMP_INSTALL && !c->replica) {
		c->pending = *m;
		c->payload = P_IMAGE;
		st->payload_left = m->image_bytes;
		if (!st->payload_left)
			rsrv_image_done(c);
		return;
	}
	if (m->type == RMP_AUTHORISE && !c->replica && c->srv->ops.authorise) {
		HN_LOG(HN_LOG_RMGR, sim_now_ns(), sock_node(st->sock),
		       "AUTHORISE seq %u of " HN_LOG_IPF " service %u for the routing daemon",
		       (unsigned)m->seq, HN_LOG_IP(m->origin), (unsigned)m->service);
		if (c->srv->ops.authorise(c->srv->ops.ctx, m) == HN_OK)
			return;
		c->srv->st.drops[RMGR_DROP_UNEXPECTED]++;   /* the daemon counted why */
		return;
	}
	if (m->type == RMP_PUSH) {
		/* The object is read off the stream whatever happens to it, so
		 * the stream stays framed; malloc(0) is avoided. */
		c->push = *m;
		c->payload = P_PUSH;
		c->obj = malloc(m->object_bytes ? m->object_bytes : 1);
		c->obj_have = 0;
		st->payload_left = m->object_bytes;
		if (!st->payload_left)
			rsrv_push_done(c);
		return;
	}
	if (m->type == RMP_REMOVE && c->replica && !c->removing && m->origin == c->pending.origin &&
	    m->service == c->pending.service) {
		/* The replica takes no new connections; those it has finish
		 * before the ACK, and their metering goes with it. */
		c->srv->ops.stop(c->srv->ops.ctx, c->replica);
		HN_LOG(HN_LOG_RMGR, sim_now_ns(), sock_node(st->sock),
		       "stop replica of " HN_LOG_IPF " (REMOVE seq %u): no new connections",
		       HN_LOG_IP(m->origin), (unsigned)m->seq);
		c->removing = 1;
		c->remove = *m;
		rsrv_remove_done(c);
		return;
	}
	c->srv->st.drops[RMGR_DROP_UNEXPECTED]++;
	HN_LOG(HN_LOG_RMGR, sim_now_ns(), sock_node(st->sock), "drop %s %s seq %u (%s)",
	       rmgr_drop_name(RMGR_DROP_UNEXPECTED), rmp_type_name(m->type), (unsigned)m->seq,
	       m->type == RMP_INSTALL ? "a replica already runs on this connection"
				      : "not taken by a replication server now");
	if (m->type == RMP_INSTALL) {
		/* One replica per connection: a second INSTALL is refused
		 * (status 1) and its image skipped. */
		struct rmp_msg ack = { .type = RMP_INSTALL_ACK, .seq = m->seq, .origin = m->origin,
				       .service = m->service, .status = 1 };
		stream_send(st, &ack, &c->srv->st);
		c->payload = P_SKIP;
		st->payload_left = m->image_bytes;
	}
}

static void rsrv_recv(void *ctx, sim_sock *s, const uint8_t *data, size_t len, uint32_t a,
		      uint16_t p)
{
	struct rsrv *srv = ctx;
	(void)a;
	(void)p;
	for (size_t i = 0; i < srv->nconns; i++)
		if (srv->conns[i]->st.sock == s)
			stream_input(&srv->conns[i]->st, data, len, &srv->st, rsrv_msg, rsrv_payload,
				     srv->conns[i]);
}

static void rsrv_accept(void *ctx, sim_sock *l, sim_sock *s, uint32_t peer, uint16_t port)
{
	struct rsrv *srv = ctx;
	(void)l;
	(void)port;
	/* A connection that closed with no replica running frees its slot. */
	struct rsrv_conn *c = NULL;
	for (size_t i = 0; i < srv->nconns && !c; i++)
		if (srv->conns[i]->st.closed && !srv->conns[i]->replica)
			c = srv->conns[i];
	if (!c && srv->nconns < srv->max_conns && (c = calloc(1, sizeof *c)))
		srv->conns[srv->nconns++] = c;
	if (!c) {
		srv->st.drops[RMGR_DROP_CONN_LIMIT]++;
		HN_LOG(HN_LOG_RMGR, sim_now_ns(), sock_node(s), "drop %s connection from " HN_LOG_IPF " (%zu held)",
		       rmgr_drop_name(RMGR_DROP_CONN_LIMIT), HN_LOG_IP(peer), srv->nconns);
		sim_sock_close(s);
		return;
	}
	/* A reused slot may still have a LOAD tick pending: it carries on for
	 * the new connection rather than a second one starting. */
	int ticking = c->ticking;
	free(c->obj);
	*c = (struct rsrv_conn){ .srv = srv, .st = { .sock = s }, .ticking = ticking };
}

static void rsrv_close(void *ctx, sim_sock *s, bool error)
{
	struct rsrv *srv = ctx;
	(void)error;
	for (size_t i = 0; i < srv->nconns; i++)
		if (srv->conns[i]->st.sock == s && !srv->conns[i]->st.closed) {
			srv->conns[i]->st.closed = 1;   /* its replica, if any, keeps running */
			sim_sock_close(s);
		}
}

struct rsrv *rsrv_new(struct sim_node *node, uint32_t self, const struct rsrv_ops *ops,
		      uint64_t load_interval_ns)
{
	if (!ops || !ops->start || !ops->stop || !ops->served || !load_interval_ns)
		return NULL;
	struct rsrv *srv = calloc(1, sizeof *srv);
	if (!srv)
		return NULL;
	srv->ops = *ops;
	srv->interval_ns = load_interval_ns;
	srv->max_conns = RSRV_MAX;
	static const struct sim_sock_ops sops = { .on_accept = rsrv_accept, .on_recv = rsrv_recv,
						  .on_close = rsrv_close };
	srv->listener = sim_tcp_socket(node, &sops, srv);
	if (!srv->listener || sim_sock_bind(srv->listener, self, RMP_PORT_MANAGER) != HN_OK ||
	    sim_sock_listen(srv->listener) != HN_OK) {
		free(srv);
		return NULL;
	}
	return srv;
}

int rsrv_set_max_conns(struct rsrv *srv, size_t n)
{
	if (n < 1 || n > RSRV_MAX)
		return HN_EINVAL;
	srv->max_conns = n;
	return HN_OK;
}

void rsrv_free(struct rsrv *srv)
{
	if (!srv)
		return;
	for (size_t i = 0; i < srv->nconns; i++) {
		free(srv->conns[i]->obj);
		free(srv->conns[i]);
	}
	free(srv);
}

const struct rmgr_stats *rsrv_stats(const struct rsrv *srv)
{
	return &srv->st;
}

/* ---- replica manager ------------------------------------------------------------ */

/* C_SIGNING: connected, the origin's CPU signing the authorisation. */
enum cand_state { C_IDLE, C_CONNECTING, C_SIGNING, C_INSTALLING, C_INSTALLED, C_REMOVING };

struct cand {
	struct rmgr *m;
	uint32_t addr;
	enum cand_state state;
	struct stream st;
	uint64_t image_sent;
	unsigned idle;                /* idle LOAD reports in a row */
	uint64_t trigger_ns;          /* when its install was decided */
	sim_event_id sign_ev;         /* the AUTHORISE being signed */
	/* After the install, everything to the replication server (pushes and
	 * their objects, REMOVE) goes through this queue, in order, so a
	 * message never lands inside an object the socket took only part of. */
	uint8_t *q;
	size_t qlen, qoff, qcap;
};

struct rmgr {
	struct rmgr_config cfg;
	struct rmgr_stats st;
	struct sim_node *node;
	struct rmgr_origin origin;
	uint64_t last_origin;
	uint64_t last_sum_ns, last_count;
	uint64_t last_region[RMGR_MAX_CANDIDATES];   /* trigger region: served_region at the last tick */
	double region_rate[RMGR_MAX_CANDIDATES];     /* and the rates of the last interval */
	bool region_idle[RMGR_MAX_CANDIDATES];
	uint32_t seq;
	struct cand cand[RMGR_MAX_CANDIDATES];
};

static void send_image(struct cand *c)
{
	static const uint8_t zero[IMAGE_CHUNK];
	while (c->image_sent < c->m->cfg.image_bytes) {
		uint64_t left = c->m->cfg.image_bytes - c->image_sent;
		int n = sim_sock_send(c->st.sock, zero, left < IMAGE_CHUNK ? (size_t)left : IMAGE_CHUNK);
		if (n <= 0)
			return;   /* on_send_space continues */
		c->image_sent += (uint64_t)n;
		c->m->st.image_bytes += (uint64_t)n;
		c->m->st.bytes_sent += (uint64_t)n;
	}
}

static void cand_flush(struct cand *c)
{
	while (c->qoff < c->qlen && !c->st.closed) {
		int n = sim_sock_send(c->st.sock, c->q + c->qoff, c->qlen - c->qoff);
		if (n <= 0)
			return;   /* on_send_space continues */
		c->qoff += (size_t)n;
		c->m->st.bytes_sent += (uint64_t)n;
	}
	if (c->qoff == c->qlen)
		c->qoff = c->qlen = 0;
}

/* Room for n more bytes; HN_ELIMIT when the queue would pass
 * RMGR_MAX_QUEUE.  The sent front is dropped only when the buffer's tail
 * has no room (one move per refill, not one per message). */
static int cand_reserve(struct cand *c, size_t n)
{
	if (c->qoff && c->qlen + n > c->qcap) {
		memmove(c->q, c->q + c->qoff, c->qlen - c->qoff);
		c->qlen -= c->qoff;
		c->qoff = 0;
	}
	size_t pending = c->qlen - c->qoff;
	uint64_t max = c->m->cfg.max_queue ? c->m->cfg.max_queue : RMGR_MAX_QUEUE;
	if (pending && pending + n > max)
		return HN_ELIMIT;   /* (an empty queue takes one message of any size) */
	if (c->qlen + n > c->qcap) {
		size_t cap = c->qcap ? c->qcap : 4096;
		while (cap < c->qlen + n)
			cap *= 2;
		uint8_t *q = realloc(c->q, cap);
		if (!q)
			return HN_ENOMEM;
		c->q = q;
		c->qcap = cap;
	}
	return HN_OK;
}

/* Queue one message (and its payload) to an installed replica. */
static int cand_send(struct cand *c, const struct rmp_msg *m, const uint8_t *payload, size_t n)
{
	uint8_t buf[RMP_MAX_LEN];
	int len = rmp_encode(m, buf, sizeof buf);
	if (len < 0)
		return len;
	if (c->st.closed || !c->st.sock)
		return HN_ESTATE;
	/* Message and payload go in together or not at all.  The byte count
	 * is kept by cand_flush as the socket takes them. */
	int rc = cand_reserve(c, (size_t)len + n);
	if (rc != HN_OK)
		return rc;
	memcpy(c->q + c->qlen, buf, (size_t)len);
	if (n)
		memcpy(c->q + c->qlen + (size_t)len, payload, n);
	c->qlen += (size_t)len + n;
	c->m->st.msgs_sent++;
	cand_flush(c);
	return HN_OK;
}

static struct cand *cand_of(struct rmgr *m, sim_sock *s)
{
	for (size_t i = 0; i < m->cfg.ncandidates; i++)
		if (m->cand[i].st.sock == s)
			return &m->cand[i];
	return NULL;
}

static void send_install(void *arg);

static void mgr_connected(void *ctx, sim_sock *s, bool ok)
{
	struct rmgr *m = ctx;
	struct cand *c = cand_of(m, s);
	if (!c)
		return;
	if (!ok) {
		c->state = C_IDLE;
		HN_LOG(HN_LOG_RMGR, sim_now_ns(), m->node ? sim_node_name(m->node) : NULL,
		       "install on " HN_LOG_IPF " failed (no connection); tried again later", HN_LOG_IP(c->addr));
		return;
	}
	c->state = C_SIGNING;
	size_t k = (size_t)(c - m->cand);
	uint64_t delay = m->cfg.cand_auth[k] && m->origin.charge_sign
			 ? m->origin.charge_sign(m->origin.ctx, sim_now_ns()) : 0;
	if (delay)
		c->sign_ev = sim_schedule(delay, send_install, c);
	else
		send_install(c);
}

/* INSTALL and the image, preceded by the signed AUTHORISE where the
 * candidate authenticates. */
static void send_install(void *arg)
{
	struct cand *c = arg;
	struct rmgr *m = c->m;
	c->sign_ev = 0;
	if (c->state != C_SIGNING || c->st.closed)
		return;
	c->state = C_INSTALLING;
	size_t k = (size_t)(c - m->cand);
	if (m->cfg.cand_auth[k]) {
		struct rmp_msg a;
		uint32_t now_s = (uint32_t)(sim_now_ns() / 1000000000ull);
		uint64_t valid_s = m->cfg.auth_validity_ns / 1000000000ull;
		uint32_t until = valid_s > UINT32_MAX - now_s ? UINT32_MAX : now_s + (uint32_t)valid_s;
		if (auth_authorise(&a, &m->cfg.origin_key, m->cfg.origin, m->cfg.service, 6,
				   &m->cfg.port, 1, c->addr, m->cfg.cand_pk[k], now_s, until,
				   m->cfg.image_bytes) != HN_OK)
			return;
		a.seq = ++m->seq;
		HN_LOG(HN_LOG_RMGR, sim_now_ns(), m->node ? sim_node_name(m->node) : NULL,
		       "send AUTHORISE to " HN_LOG_IPF " (valid %u..%u s)", HN_LOG_IP(c->addr),
		       (unsigned)now_s, (unsigned)until);
		if (stream_send(&c->st, &a, &m->st) != HN_OK)
			return;
	}
	HN_LOG(HN_LOG_RMGR, sim_now_ns(), m->node ? sim_node_name(m->node) : NULL,
	       "send INSTALL to " HN_LOG_IPF " (connected; image %u bytes)", HN_LOG_IP(c->addr),
	       (unsigned)m->cfg.image_bytes);
	struct rmp_msg in = { .type = RMP_INSTALL, .seq = ++m->seq, .origin = m->cfg.origin,
			      .service = m->cfg.service, .proto = 6, .nports = 1,
			      .ports = { m->cfg.port }, .image_bytes = m->cfg.image_bytes };
	c->image_sent = 0;
	if (stream_send(&c->st, &in, &m->st) == HN_OK)
		send_image(c);
}

static void mgr_space(void *ctx, sim_sock *s, size_t avail)
{
	struct rmgr *m = ctx;
	struct cand *c = cand_of(m, s);
	(void)avail;
	if (c && c->state == C_INSTALLING)
		send_image(c);
	else if (c)
		cand_flush(c);
}

/* No message the manager takes carries a payload: an INSTALL or PUSH sent
 * to it is counted as unexpected and its payload read past, so the stream
 * stays framed. */
static void mgr_payload_skip(void *owner, struct stream *st, const uint8_t *data, size_t n,
			     int last)
{
	(void)owner;
	(void)st;
	(void)data;
	(void)n;
	(void)last;
}

static void mgr_msg(void *owner, struct stream *st, const struct rmp_msg *m)
{
	struct cand *c = owner;
	struct rmgr *g = c->m;
	const char *node = HN_LOG_ON(HN_LOG_RMGR) && g->node ? sim_node_name(g->node) : NULL;
	if (m->type == RMP_INSTALL_ACK && c->state == C_INSTALLING) {
		HN_LOG(HN_LOG_RMGR, sim_now_ns(), node,
		       m->status == 0 ? "installed on " HN_LOG_IPF " (INSTALL_ACK, %.3f s after the decision)"
				      : "install on " HN_LOG_IPF " refused (INSTALL_ACK status 1, %.3f s); tried again later",
		       HN_LOG_IP(c->addr), (double)(sim_now_ns() - c->trigger_ns) / 1e9);
		c->state = m->status == 0 ? C_INSTALLED : C_IDLE;
		if (m->status == 0) {
			g->st.installs++;
			g->st.last_install_s = (double)(sim_now_ns() - c->trigger_ns) / 1e9;
			if (g->st.first_install_s < 0)
				g->st.first_install_s = g->st.last_install_s;
			if (g->origin.installed)
				g->origin.installed(g->origin.ctx, c->addr);
		} else {
			sim_sock_close(c->st.sock);   /* refused: a later tick tries again */
			c->st.closed = 1;
		}
		c->idle = 0;
		return;
	}
	if (m->type == RMP_LOAD && c->state == C_INSTALLED && m->interval_ms > 0) {
		g->st.loads++;
		double rps = m->interval_ms ? m->requests * 1000.0 / m->interval_ms : 0;
		c->idle = rps < g->cfg.remove_below_rps ? c->idle + 1 : 0;
		if (g->cfg.policy == RMGR_DYNAMIC && c->idle >= g->cfg.idle_intervals) {
			struct rmp_msg rm = { .type = RMP_REMOVE, .seq = ++g->seq, .origin = g->cfg.origin,
					      .service = g->cfg.service };
			if (cand_send(c, &rm, NULL, 0) == HN_OK) {
				HN_LOG(HN_LOG_RMGR, sim_now_ns(), node,
				       "send REMOVE to " HN_LOG_IPF " (load %.1f req/s < %g for %u intervals)",
				       HN_LOG_IP(c->addr), rps, g->cfg.remove_below_rps, c->idle);
				c->state = C_REMOVING;
				if (g->origin.removed)
					g->origin.removed(g->origin.ctx, c->addr);
			}
		}
		return;
	}
	if (m->type == RMP_METER && (c->state == C_INSTALLED || c->state == C_REMOVING) &&
	    m->origin == g->cfg.origin &&
	    m->service == g->cfg.service) {
		g->st.meters++;
		g->st.metered_hits += m->hits;
		g->st.metered_misses += m->misses;
		return;
	}
	if (m->type == RMP_REMOVE_ACK && c->state == C_REMOVING) {
		g->st.removes++;
		HN_LOG(HN_LOG_RMGR, sim_now_ns(), node, "removed from " HN_LOG_IPF " (REMOVE_ACK)",
		       HN_LOG_IP(c->addr));
		c->state = C_IDLE;
		sim_sock_close(c->st.sock);
		c->st.sock = NULL;
		return;
	}
	if (m->type == RMP_LOAD && c->state == C_REMOVING)
		return;   /* sent before the REMOVE arrived: no longer of interest */
	g->st.drops[RMGR_DROP_UNEXPECTED]++;
	HN_LOG(HN_LOG_RMGR, sim_now_ns(), node, "drop %s %s seq %u from " HN_LOG_IPF " (not expected now)",
	       rmgr_drop_name(RMGR_DROP_UNEXPECTED), rmp_type_name(m->type), (unsigned)m->seq,
	       HN_LOG_IP(c->addr));
	if (m->type == RMP_INSTALL)
		st->payload_left = m->image_bytes;
	else if (m->type == RMP_PUSH)
		st->payload_left = m->object_bytes;
}

/* The replication server went away: an install in progress failed. */
static void mgr_close(void *ctx, sim_sock *s, bool error)
{
	struct rmgr *m = ctx;
	struct cand *c = cand_of(m, s);
	(void)error;
	if (!c)
		return;
	c->st.closed = 1;
	sim_sock_close(s);
	if (c->state != C_INSTALLED)
		c->state = C_IDLE;
}

static void mgr_recv(void *ctx, sim_sock *s, const uint8_t *data, size_t len, uint32_t a,
		     uint16_t p)
{
	struct rmgr *m = ctx;
	(void)a;
	(void)p;
	struct cand *c = cand_of(m, s);
	if (c)
		stream_input(&c->st, data, len, &m->st, mgr_msg, mgr_payload_skip, c);
}

static void install(struct rmgr *m, struct cand *c)
{
	static const struct sim_sock_ops ops = { .on_connect = mgr_connected,
						 .on_recv = mgr_recv,
						 .on_send_space = mgr_space,
						 .on_close = mgr_close };
	memset(&c->st, 0, sizeof c->st);
	c->qlen = c->qoff = 0;
	c->st.sock = sim_tcp_socket(m->node, &ops, m);
	c->trigger_ns = sim_now_ns();
	if (m->st.first_trigger_s < 0)
		m->st.first_trigger_s = (double)c->trigger_ns / 1e9;
	if (c->st.sock && sim_sock_connect(c->st.sock, c->addr, RMP_PORT_MANAGER) == HN_OK)
		c->state = C_CONNECTING;
}

long rmgr_region_pick(const double *rate, const bool *idle, size_t n, double above)
{
	long best = -1;
	for (size_t k = 0; k < n; k++)
		if (idle[k] && rate[k] > above && (best < 0 || rate[k] > rate[best]))
			best = (long)k;
	return best;
}

/* Trigger region: each candidate's attributed origin rate this interval;
 * install on the busiest idle one above region_above (one at a time). */
static void region_tick(struct rmgr *m)
{
	double *rate = m->region_rate;
	bool *idle = m->region_idle;
	int busy = 0;
	for (size_t k = 0; k < m->cfg.ncandidates; k++) {
		uint64_t now = m->origin.served_region(m->origin.ctx, k);
		rate[k] = (double)(now - m->last_region[k]) * 1e9 / (double)m->cfg.interval_ns;
		m->last_region[k] = now;
		idle[k] = m->cand[k].state == C_IDLE;
		busy |= m->cand[k].state == C_CONNECTING || m->cand[k].state == C_SIGNING ||
			m->cand[k].state == C_INSTALLING;
	}
	long k = rmgr_region_pick(rate, idle, m->cfg.ncandidates, m->cfg.region_above_rps);
	if (k < 0)
		return;
	HN_LOG(HN_LOG_RMGR, sim_now_ns(), m->node ? sim_node_name(m->node) : NULL,
	       "%s " HN_LOG_IPF " (region %.1f req/s > %g)", busy ? "no install yet, an install is in progress, on" : "install on",
	       HN_LOG_IP(m->cand[k].addr), rate[k], m->cfg.region_above_rps);
	if (!busy)
		install(m, &m->cand[k]);
}

static void mgr_tick(void *arg)
{
	struct rmgr *m = arg;
	if (m->cfg.trigger == RMGR_ON_REGION) {
		region_tick(m);
		sim_schedule(m->cfg.interval_ns, mgr_tick, m);
		return;
	}
	uint64_t served = m->origin.served(m->origin.ctx);
	double rps = (double)(served - m->last_origin) * 1e9 / (double)m->cfg.interval_ns;
	m->last_origin = served;
	uint64_t sum = 0, count = 0;
	if (m->origin.service)
		m->origin.service(m->origin.ctx, &sum, &count);
	double ms = count > m->last_count ? (double)(sum - m->last_sum_ns) / 1e6 / (double)(count - m->last_count) : 0;
	m->last_sum_ns = sum;
	m->last_count = count;
	int over = m->cfg.trigger == RMGR_ON_LATENCY ? ms > m->cfg.install_above_ms
						     : rps > m->cfg.install_above_rps;
	if (over) {
		/* One install at a time, on the next candidate in order. */
		int busy = 0;
		struct cand *chosen = NULL;
		for (size_t i = 0; i < m->cfg.ncandidates; i++)
			busy |= m->cand[i].state == C_CONNECTING || m->cand[i].state == C_SIGNING ||
				m->cand[i].state == C_INSTALLING;
		for (size_t i = 0; i < m->cfg.ncandidates && !busy; i++)
			if (m->cand[i].state == C_IDLE) {
				chosen = &m->cand[i];
				break;
			}
		if (HN_LOG_ON(HN_LOG_RMGR)) {
			char why[64];
			if (m->cfg.trigger == RMGR_ON_LATENCY)
				snprintf(why, sizeof why, "response %.1f ms > %g", ms, m->cfg.install_above_ms);
			else
				snprintf(why, sizeof why, "load %.1f req/s > %g", rps, m->cfg.install_above_rps);
			if (chosen)
				hn_log_line(HN_LOG_RMGR, sim_now_ns(), m->node ? sim_node_name(m->node) : NULL,
					    "install on " HN_LOG_IPF " (%s)", HN_LOG_IP(chosen->addr), why);
			else
				hn_log_line(HN_LOG_RMGR, sim_now_ns(), m->node ? sim_node_name(m->node) : NULL,
					    "no install (%s, but %s)", why,
					    busy ? "an install is in progress" : "no candidate left");
		}
		if (chosen)
			install(m, chosen);
	}
	sim_schedule(m->cfg.interval_ns, mgr_tick, m);
}

static void mgr_start(void *arg)
{
	struct rmgr *m = arg;
	if (m->cfg.policy == RMGR_STATIC) {
		/* Install on every candidate not installed yet; retry later. */
		int pending = 0;
		for (size_t i = 0; i < m->cfg.ncandidates; i++) {
			if (m->cand[i].state == C_IDLE) {
				HN_LOG(HN_LOG_RMGR, sim_now_ns(), m->node ? sim_node_name(m->node) : NULL,
				       "install on " HN_LOG_IPF " (static policy)", HN_LOG_IP(m->cand[i].addr));
				install(m, &m->cand[i]);
			}
			pending |= m->cand[i].state != C_INSTALLED;
		}
		if (pending)
			sim_schedule(m->cfg.interval_ns, mgr_start, m);
		return;
	}
	m->last_origin = m->origin.served(m->origin.ctx);
	if (m->origin.service)
		m->origin.service(m->origin.ctx, &m->last_sum_ns, &m->last_count);
	for (size_t k = 0; k < m->cfg.ncandidates && m->cfg.trigger == RMGR_ON_REGION; k++)
		m->last_region[k] = m->origin.served_region(m->origin.ctx, k);
	sim_schedule(m->cfg.interval_ns, mgr_tick, m);
}

struct rmgr *rmgr_new(struct sim_node *node, const struct rmgr_config *cfg,
		      const struct rmgr_origin *origin)
{
	if (!cfg || !cfg->ncandidates || cfg->ncandidates > RMGR_MAX_CANDIDATES || !cfg->interval_ns ||
	    !origin || !origin->served || (cfg->trigger == RMGR_ON_LATENCY && !origin->service) ||
	    (cfg->trigger == RMGR_ON_REGION && !origin->served_region))
		return NULL;
	struct rmgr *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->cfg = *cfg;
	m->node = node;
	m->origin = *origin;
	m->st.first_trigger_s = -1;
	m->st.first_install_s = -1;
	for (size_t i = 0; i < cfg->ncandidates; i++)
		m->cand[i] = (struct cand){ .m = m, .addr = cfg->candidates[i] };
	sim_schedule(0, mgr_start, m);
	return m;
}

int rmgr_push(struct rmgr *m, uint32_t host_server, const struct rmgr_object *o)
{
	struct rmp_msg p = { .type = RMP_PUSH, .origin = m->cfg.origin, .service = m->cfg.service,
			     .object = o->id, .version = o->version, .expires_s = o->expires_s,
			     .object_bytes = (uint32_t)o->len };
	if (o->len > RMP_MAX_OBJECT)
		return HN_EINVAL;
	int sent = 0, last_rc = HN_ESTATE;
	for (size_t i = 0; i < m->cfg.ncandidates; i++) {
		struct cand *c = &m->cand[i];
		if (c->state != C_INSTALLED || (host_server && c->addr != host_server))
			continue;
		p.seq = ++m->seq;
		int rc = cand_send(c, &p, o->data, o->len);
		if (rc != HN_OK) {
			if (rc == HN_ELIMIT)
				m->st.drops[RMGR_DROP_QUEUE_FULL]++;
			HN_LOG(HN_LOG_RMGR, sim_now_ns(), m->node ? sim_node_name(m->node) : NULL,
			       "%s%s PUSH object %u to " HN_LOG_IPF " (%s)", rc == HN_ELIMIT ? "drop " : "no",
			       rc == HN_ELIMIT ? rmgr_drop_name(RMGR_DROP_QUEUE_FULL) : "", (unsigned)o->id,
			       HN_LOG_IP(c->addr),
			       hn_strerror(rc));
			last_rc = rc;
			continue;
		}
		m->st.pushes++;
		m->st.push_bytes += o->len;
		sent++;
	}
	return sent ? HN_OK : last_rc;
}

void rmgr_free(struct rmgr *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < RMGR_MAX_CANDIDATES; i++) {
		sim_cancel(m->cand[i].sign_ev);
		free(m->cand[i].q);
	}
	free(m);
}

const struct rmgr_stats *rmgr_stats(const struct rmgr *m)
{
	return &m->st;
}

size_t rmgr_installed(const struct rmgr *m)
{
	size_t n = 0;
	for (size_t i = 0; i < m->cfg.ncandidates; i++)
		n += m->cand[i].state == C_INSTALLED;
	return n;
}

const char *rmgr_drop_name(enum rmgr_drop d)
{
	static const char *const names[RMGR_NDROP] = { RMGR_STATS(COUNTER_SKIP, COUNTER_NAME) };
	return (unsigned)d < RMGR_NDROP ? names[d] : "unknown";
}

#define STAT_C(field, name, doc) COUNTER_DEF(struct rmgr_stats, field, name, doc)
#define STAT_D(e, name, doc) COUNTER_DROP_DEF(struct rmgr_stats, RMGR_DROP_##e, "" name, doc)
static const struct counter_def counter_defs[] = { RMGR_STATS(STAT_C, STAT_D) };
const struct counter_set rmgr_counters = COUNTER_SET("rmgr", counter_defs);
