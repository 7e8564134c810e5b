/* rtd.c - HydraNet routing daemons; see rtd.h. */
#include "hydranet/rtd.h"

#include <stdlib.h>
#include <string.h>

#include "hydranet/auth.h"
#include "hydranet/hsrv.h"
#include "hydranet/redir.h"
#include "hydranet/rmp.h"
#include "log.h"
#include "net/bytes.h"
#include "sim/sim.h"
#include "status.h"


/* A signed message waiting for the CPU time of its signature. */
struct later {
	struct later *next;
	struct rtd *d;
	sim_event_id ev;
	size_t len;
	uint8_t type;
	uint8_t buf[RMP_MAX_LEN];
};

/* A decoded message a redirector applies once its checks are paid for. */
struct later_apply {
	struct later_apply *next;
	struct rtd *d;
	sim_event_id ev;
	struct rmp_msg m;
};

struct rtd {
	struct rtd_config cfg;
	struct rtd_stats st;
	sim_sock *sock;
	/* host server side */
	uint32_t self;
	uint32_t redirectors[RTD_MAX_REDIRECTORS];
	size_t nredirectors;
	struct rmp_sap saps[RMP_MAX_ENTRIES];   /* bound access points */
	size_t nsaps;
	uint32_t seq;
	int timer_pending;
	struct auth_keypair key;                /* cfg.auth: signs SANNOUNCE */
	int have_key;
	struct rmp_msg auths[RTD_MAX_AUTH];     /* AUTHORISE messages taken */
	size_t nauths;
	struct later *later;                    /* messages being signed */
	rtd_tap_fn tap;
	void *tap_ctx;
	/* redirector side */
	struct redir *redir;
	struct auth_verifier *verifier;         /* NULL: unauthenticated */
	struct later_apply *applying;           /* messages being verified */
	/* both */
	rtd_charge_fn charge;
	void *charge_ctx;
};

static uint64_t charge(struct rtd *d, enum auth_op op, unsigned n, uint64_t now_ns)
{
	return d->charge && n ? d->charge(d->charge_ctx, op, n, now_ns) : 0;
}

/* The node of the daemon's socket, for the log (NULL: no socket, a unit test). */
static const char *node_name(const struct rtd *d)
{
	return d->sock ? sim_node_name(sim_sock_node(d->sock)) : NULL;
}

/* Send one encoded message to every redirector, counted by its type; name
 * and detail describe it in the trace ("ANNOUNCE seq 3", " (1 access
 * point, ...)"). */
static void send_bytes(struct rtd *d, const uint8_t *buf, size_t len, uint8_t type,
		       const char *name, const char *detail)
{
	if (d->tap)
		d->tap(d->tap_ctx, buf, len, sim_now_ns());
	for (size_t i = 0; i < d->nredirectors; i++) {
		if (sim_sock_sendto(d->sock, buf, len, d->redirectors[i], RMP_PORT_ROUTING) < 0) {
			HN_LOG(HN_LOG_RTD, sim_now_ns(), node_name(d), "send %.*s to " HN_LOG_IPF " failed (socket refused it)",
			       (int)strcspn(name, " "), name, HN_LOG_IP(d->redirectors[i]));
			continue;
		}
		HN_LOG(HN_LOG_RTD, sim_now_ns(), node_name(d), "send %s to " HN_LOG_IPF "%s", name,
		       HN_LOG_IP(d->redirectors[i]), detail);
		d->st.bytes_sent += len;
		if (type == RMP_ANNOUNCE)
			d->st.announces_sent++;
		else if (type == RMP_WITHDRAW)
			d->st.withdraws_sent++;
		else
			d->st.sannounces_sent++;
	}
}

static void send_all(struct rtd *d, const struct rmp_msg *m)
{
	uint8_t buf[RMP_MAX_LEN];
	int n = rmp_encode(m, buf, sizeof buf);
	if (n < 0)
		return;
	char name[48] = "", detail[160] = "";
	if (HN_LOG_ON(HN_LOG_RTD)) {
		snprintf(name, sizeof name, "%s seq %u", m->type == RMP_ANNOUNCE ? "ANNOUNCE" : "WITHDRAW",
			 (unsigned)m->seq);
		snprintf(detail, sizeof detail, " (%u access point%s, first " HN_LOG_IPF ":%u %s)",
			 (unsigned)m->nsaps, m->nsaps == 1 ? "" : "s", HN_LOG_IP(m->saps[0].origin),
			 (unsigned)m->saps[0].port, hn_log_proto(m->saps[0].proto));
	}
	send_bytes(d, buf, (size_t)n, m->type, name, detail);
}

/* A signed message, once its signature's CPU time has passed. */
static void send_signed_now(struct rtd *d, const uint8_t *buf, size_t len)
{
	char name[48] = "";
	if (HN_LOG_ON(HN_LOG_RTD))
		snprintf(name, sizeof name, "SANNOUNCE seq %u", (unsigned)net_get32(buf + 4));
	send_bytes(d, buf, len, RMP_SANNOUNCE, name, "");
}

static void send_signed_later(void *arg)
{
	struct later *l = arg, **pp = &l->d->later;
	while (*pp != l)
		pp = &(*pp)->next;
	*pp = l->next;
	send_signed_now(l->d, l->buf, l->len);
	free(l);
}

/* Sign m (a SANNOUNCE whose authorisation is filled) and send it when the
 * signature's CPU time has passed. */
static void send_signed(struct rtd *d, struct rmp_msg *m)
{
	uint8_t buf[RMP_MAX_LEN];
	m->seq = ++d->seq;
	int n = auth_sign_announce(m, &d->key, buf, sizeof buf);
	if (n < 0)
		return;
	uint64_t now = sim_now_ns(), delay = charge(d, AUTH_OP_SIGN, 1, now);
	HN_LOG(HN_LOG_RTD, now, node_name(d), "sign SANNOUNCE seq %u of " HN_LOG_IPF " service %u (%u port%s, first %u, lifetime %u s), send in %.3f ms",
	       (unsigned)m->seq, HN_LOG_IP(m->origin), (unsigned)m->service, (unsigned)m->nann,
	       m->nann == 1 ? "" : "s", (unsigned)m->ann_ports[0], (unsigned)m->lifetime_s,
	       (double)delay / 1e6);
	struct later *l = delay ? malloc(sizeof *l) : NULL;
	if (!l) {
		send_signed_now(d, buf, (size_t)n);
		return;
	}
	*l = (struct later){ .next = d->later, .d = d, .len = (size_t)n };
	memcpy(l->buf, buf, (size_t)n);
	d->later = l;
	l->ev = sim_schedule(delay, send_signed_later, l);
}

/* The authorisation that covers a bound access point, or NULL. */
static const struct rmp_msg *authorisation_of(const struct rtd *d, const struct rmp_sap *sap)
{
	for (size_t i = 0; i < d->nauths; i++) {
		const struct rmp_msg *a = &d->auths[i];
		if (a->origin != sap->origin || a->proto != sap->proto)
			continue;
		for (unsigned k = 0; k < a->nports; k++)
			if (a->ports[k] == sap->port)
				return a;
	}
	return NULL;
}

/* One SANNOUNCE per authorisation, naming its bound ports. */
static void announce_signed(struct rtd *d)
{
	if (!d->have_key)
		return;
	for (size_t i = 0; i < d->nauths; i++) {
		struct rmp_msg m = d->auths[i];
		m.type = RMP_SANNOUNCE;
		m.lifetime_s = (uint16_t)(d->cfg.lifetime_ns / 1000000000ull);
		m.nann = 0;
		for (size_t k = 0; k < d->nsaps; k++)
			if (authorisation_of(d, &d->saps[k]) == &d->auths[i] && m.nann < RMP_MAX_PORTS)
				m.ann_ports[m.nann++] = d->saps[k].port;
		if (m.nann)
			send_signed(d, &m);
	}
}

static void announce(struct rtd *d)
{
	if (d->nsaps == 0)
		return;
	if (d->cfg.auth) {
		announce_signed(d);
		return;
	}
	struct rmp_msg m = { .type = RMP_ANNOUNCE, .seq = ++d->seq, .host_server = d->self,
			     .lifetime_s = (uint16_t)(d->cfg.lifetime_ns / 1000000000ull),
			     .nsaps = (uint8_t)d->nsaps };
	memcpy(m.saps, d->saps, d->nsaps * sizeof m.saps[0]);
	send_all(d, &m);
}

static void refresh(void *arg)
{
	struct rtd *d = arg;
	d->timer_pending = 0;
	if (d->nsaps == 0)
		return;
	announce(d);
	d->timer_pending = 1;
	sim_schedule(d->cfg.refresh_ns, refresh, d);
}

/* hsrv tells us a virtual host bound or gave up a port. */
static void on_bind(void *ctx, uint32_t origin, uint8_t proto, uint16_t port, bool bound)
{
	struct rtd *d = ctx;
	struct rmp_sap sap = { origin, port, proto };
	if (bound) {
		if (d->nsaps == RMP_MAX_ENTRIES) {
			d->st.drops[RTD_DROP_PORTS_FULL]++;
			return;
		}
		d->saps[d->nsaps++] = sap;
		if (d->cfg.auth && (!d->have_key || !authorisation_of(d, &sap))) {
			d->st.drops[RTD_DROP_NO_AUTH]++;
			HN_LOG(HN_LOG_RTD, sim_now_ns(), node_name(d), "drop %s " HN_LOG_IPF ":%u %s (bound, not announced: %s)",
			       rtd_drop_name(RTD_DROP_NO_AUTH), HN_LOG_IP(origin), (unsigned)port,
			       hn_log_proto(proto), d->have_key ? "no authorisation covers it" : "no key");
			return;   /* nothing new to announce */
		}
		announce(d);   /* at once: the paper's redirectors are "informed" on bind */
		if (!d->timer_pending) {
			d->timer_pending = 1;
			sim_schedule(d->cfg.refresh_ns, refresh, d);
		}
		return;
	}
	for (size_t i = 0; i < d->nsaps; i++)
		if (d->saps[i].origin == origin && d->saps[i].port == port && d->saps[i].proto == proto) {
			d->saps[i] = d->saps[--d->nsaps];
			const struct rmp_msg *a = d->cfg.auth && d->have_key ? authorisation_of(d, &sap) : NULL;
			if (d->cfg.withdraw && a) {
				struct rmp_msg m = *a;   /* a signed withdrawal of this one port */
				m.type = RMP_SANNOUNCE;
				m.lifetime_s = 0;
				m.nann = 1;
				m.ann_ports[0] = port;
				send_signed(d, &m);
			} else if (d->cfg.withdraw && !d->cfg.auth) {
				struct rmp_msg m = { .type = RMP_WITHDRAW, .seq = ++d->seq,
						     .host_server = d->self, .nsaps = 1 };
				m.saps[0] = sap;
				send_all(d, &m);
			}
			return;
		}
}

struct rtd *rtd_host_new(struct sim_node *node, struct hsrv *hs, uint32_t self,
			 const uint32_t *redirectors, size_t n, const struct rtd_config *cfg)
{
	if (!cfg || n == 0 || n > RTD_MAX_REDIRECTORS || cfg->lifetime_ns < 1000000000ull ||
	    cfg->lifetime_ns > RMP_MAX_LIFETIME * 1000000000ull || cfg->refresh_ns == 0 ||
	    cfg->refresh_ns >= cfg->lifetime_ns)
		return NULL;
	struct rtd *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->cfg = *cfg;
	d->self = self;
	memcpy(d->redirectors, redirectors, n * sizeof *redirectors);
	d->nredirectors = n;
	static const struct sim_sock_ops ops = { 0 };
	d->sock = sim_udp_socket(node, &ops, d);
	if (!d->sock || sim_sock_bind(d->sock, self, 0) != HN_OK) {
		free(d);
		return NULL;
	}
	hsrv_set_bind_listener(hs, on_bind, d);
	return d;
}

/* ---- redirector side ------------------------------------------------------------ */

/* One access point of a message taken: add (add_life_s > 0) or remove its
 * entry via host server hs; kind names the message in the trace. */
static void apply_entry(struct rtd *d, const char *kind, uint32_t seq, uint32_t hs, uint32_t origin,
			uint16_t port, uint8_t proto, uint16_t add_life_s, uint64_t now_ns)
{
	int r = add_life_s ? redir_table_announce(d->redir, origin, port, proto, hs,
						  (uint64_t)add_life_s * 1000000000ull, now_ns)
			   : redir_table_withdraw(d->redir, origin, port, proto, hs);
	if (r == HN_OK)
		d->st.entries_applied++;
	else if (add_life_s)
		d->st.drops[RTD_DROP_TABLE]++;   /* a withdraw of an unknown entry is harmless */
	if (!HN_LOG_ON(HN_LOG_RTD))
		return;
	if (r == HN_OK && add_life_s)
		hn_log_line(HN_LOG_RTD, now_ns, node_name(d),
			    "table add " HN_LOG_IPF ":%u %s via " HN_LOG_IPF " (%s seq %u, lifetime %u s)",
			    HN_LOG_IP(origin), (unsigned)port, hn_log_proto(proto), HN_LOG_IP(hs), kind,
			    (unsigned)seq, (unsigned)add_life_s);
	else if (r == HN_OK)
		hn_log_line(HN_LOG_RTD, now_ns, node_name(d),
			    "table remove " HN_LOG_IPF ":%u %s via " HN_LOG_IPF " (%s seq %u)",
			    HN_LOG_IP(origin), (unsigned)port, hn_log_proto(proto), HN_LOG_IP(hs), kind,
			    (unsigned)seq);
	else if (add_life_s)
		hn_log_line(HN_LOG_RTD, now_ns, node_name(d),
			    "drop %s " HN_LOG_IPF ":%u %s via " HN_LOG_IPF " (announce refused: %s)",
			    rtd_drop_name(RTD_DROP_TABLE), HN_LOG_IP(origin), (unsigned)port,
			    hn_log_proto(proto), HN_LOG_IP(hs), hn_strerror(r));
	else
		hn_log_line(HN_LOG_RTD, now_ns, node_name(d),
			    "ignore %s of " HN_LOG_IPF ":%u %s via " HN_LOG_IPF " (no such entry)", kind,
			    HN_LOG_IP(origin), (unsigned)port, hn_log_proto(proto), HN_LOG_IP(hs));
}

static void apply_msg(struct rtd *d, const struct rmp_msg *m, uint64_t now_ns);
static void apply_later(void *arg);

int rtd_receive(struct rtd *d, const uint8_t *msg, size_t len, uint64_t now_ns)
{
	struct rmp_msg m;
	d->st.bytes_received += len;
	int rc = rmp_decode(msg, len, &m);
	if (rc <= 0 || (size_t)rc != len) {
		enum rtd_drop why = rc == 0 ? RTD_DROP_TRUNCATED
				  : rc == HN_EVERSION ? RTD_DROP_VERSION
				  : rc == HN_EPROTO ? RTD_DROP_TYPE
				  : rc == HN_EINVAL ? RTD_DROP_FIELD : RTD_DROP_LENGTH;
		d->st.drops[why]++;   /* a datagram is one message: leftovers too */
		HN_LOG(HN_LOG_RTD, now_ns, node_name(d), "drop %s %zu-byte message (%s)", rtd_drop_name(why), len,
		       rc < 0 ? hn_strerror(rc) : rc == 0 ? "truncated" : "bytes after the message");
		return rc < 0 ? rc : HN_ELEN;
	}
	/* SANNOUNCE only with a verifier; ANNOUNCE and WITHDRAW reach it too,
	 * to be refused as unsigned under its own reason. */
	if (m.type != RMP_ANNOUNCE && m.type != RMP_WITHDRAW &&
	    !(m.type == RMP_SANNOUNCE && d->verifier)) {
		d->st.drops[RTD_DROP_UNEXPECTED]++;
		HN_LOG(HN_LOG_RTD, now_ns, node_name(d), "drop %s message type %u (a redirector takes %s)",
		       rtd_drop_name(RTD_DROP_UNEXPECTED), (unsigned)m.type,
		       d->verifier ? "SANNOUNCE" : "ANNOUNCE and WITHDRAW");
		return HN_EPROTO;
	}
	uint64_t delay = 0;
	if (d->verifier) {
		enum auth_drop why;
		uint64_t before = auth_stats(d->verifier)->signatures_checked;
		int ok = auth_verify(d->verifier, &m, msg, len, now_ns, &why) == HN_OK;
		delay = charge(d, AUTH_OP_VERIFY,
			       (unsigned)(auth_stats(d->verifier)->signatures_checked - before), now_ns);
		if (!ok) {
			HN_LOG(HN_LOG_RTD, now_ns, node_name(d), "drop %s %s seq %u from host server " HN_LOG_IPF,
			       auth_drop_name(why), rmp_type_name(m.type), (unsigned)m.seq,
			       HN_LOG_IP(m.host_server));
			return HN_EPROTO;
		}
	}
	struct later_apply *l = delay ? malloc(sizeof *l) : NULL;
	if (!l) {
		apply_msg(d, &m, now_ns);
		return HN_OK;
	}
	*l = (struct later_apply){ .next = d->applying, .d = d, .m = m };
	d->applying = l;
	l->ev = sim_schedule(delay, apply_later, l);
	return HN_OK;
}

/* A message taken: its entries go into the redirector table. */
static void apply_msg(struct rtd *d, const struct rmp_msg *m, uint64_t now_ns)
{
	int add = m->type == RMP_ANNOUNCE || (m->type == RMP_SANNOUNCE && m->lifetime_s);
	if (add)
		d->st.announces_received++;
	else
		d->st.withdraws_received++;
	const char *kind = m->type == RMP_SANNOUNCE ? "SANNOUNCE" : add ? "ANNOUNCE" : "WITHDRAW";
	uint16_t life = add ? m->lifetime_s : 0;
	if (m->type == RMP_SANNOUNCE)   /* the authorisation's origin and protocol, verified */
		for (unsigned i = 0; i < m->nann; i++)
			apply_entry(d, kind, m->seq, m->host_server, m->origin, m->ann_ports[i], m->proto, life,
				    now_ns);
	else
		for (size_t i = 0; i < m->nsaps; i++)
			apply_entry(d, kind, m->seq, m->host_server, m->saps[i].origin, m->saps[i].port,
				    m->saps[i].proto, life, now_ns);
}

static void apply_later(void *arg)
{
	struct later_apply *l = arg, **pp = &l->d->applying;
	while (*pp != l)
		pp = &(*pp)->next;
	*pp = l->next;
	apply_msg(l->d, &l->m, sim_now_ns());
	free(l);
}

static void on_recv(void *ctx, sim_sock *s, const uint8_t *data, size_t len, uint32_t from,
		    uint16_t port)
{
	(void)s;
	(void)from;
	(void)port;
	rtd_receive(ctx, data, len, sim_now_ns());
}

struct rtd *rtd_redir_new(struct sim_node *node, struct redir *r)
{
	struct rtd *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->redir = r;
	static const struct sim_sock_ops ops = { .on_recv = on_recv };
	if (node) {
		d->sock = sim_udp_socket(node, &ops, d);
		if (!d->sock || sim_sock_bind(d->sock, 0, RMP_PORT_ROUTING) != HN_OK) {
			free(d);
			return NULL;
		}
	}
	return d;
}

void rtd_free(struct rtd *d)
{
	if (!d)
		return;
	while (d->later) {
		struct later *l = d->later;
		d->later = l->next;
		sim_cancel(l->ev);
		free(l);
	}
	while (d->applying) {
		struct later_apply *l = d->applying;
		d->applying = l->next;
		sim_cancel(l->ev);
		free(l);
	}
	free(d);
}

void rtd_redir_set_auth(struct rtd *d, struct auth_verifier *v)
{
	d->verifier = v;
}

int rtd_host_set_key(struct rtd *d, const struct auth_keypair *key)
{
	d->key = *key;
	d->have_key = 1;
	return HN_OK;
}

int rtd_host_authorise(struct rtd *d, const struct rmp_msg *a)
{
	size_t i = 0;
	while (i < d->nauths && !(d->auths[i].origin == a->origin && d->auths[i].service == a->service))
		i++;
	int rc = a->type != RMP_AUTHORISE || a->host_server != d->self ? HN_EINVAL
	       : i == RTD_MAX_AUTH ? HN_ELIMIT : HN_OK;
	if (rc != HN_OK) {
		d->st.drops[RTD_DROP_AUTH_FULL]++;
		HN_LOG(HN_LOG_RTD, sim_now_ns(), node_name(d), "drop %s authorisation of " HN_LOG_IPF " service %u (%s)",
		       rtd_drop_name(RTD_DROP_AUTH_FULL), HN_LOG_IP(a->origin), (unsigned)a->service,
		       rc == HN_EINVAL ? "names another host server" : "table full");
		return rc;
	}
	d->auths[i] = *a;
	if (i == d->nauths)
		d->nauths++;
	d->st.authorisations++;
	HN_LOG(HN_LOG_RTD, sim_now_ns(), node_name(d), "authorisation of " HN_LOG_IPF " service %u for %u port%s, valid %u..%u s",
	       HN_LOG_IP(a->origin), (unsigned)a->service, (unsigned)a->nports, a->nports == 1 ? "" : "s",
	       (unsigned)a->not_before_s, (unsigned)a->not_after_s);
	return HN_OK;
}

void rtd_set_charge(struct rtd *d, rtd_charge_fn fn, void *ctx)
{
	d->charge = fn;
	d->charge_ctx = ctx;
}

void rtd_set_tap(struct rtd *d, rtd_tap_fn fn, void *ctx)
{
	d->tap = fn;
	d->tap_ctx = ctx;
}

const struct rtd_stats *rtd_stats(const struct rtd *d)
{
	return &d->st;
}

const char *rtd_drop_name(enum rtd_drop d)
{
	static const char *const names[RTD_NDROP] = { RTD_STATS(COUNTER_SKIP, COUNTER_NAME) };
	return (unsigned)d < RTD_NDROP ? names[d] : "unknown";
}

#define STAT_C(field, name, doc) COUNTER_DEF(struct rtd_stats, field, name, doc)
#define STAT_D(e, name, doc) COUNTER_DROP_DEF(struct rtd_stats, RTD_DROP_##e, "" name, doc)
static const struct counter_def counter_defs[] = { RTD_STATS(STAT_C, STAT_D) };
const struct counter_set rtd_counters = COUNTER_SET("rtd", counter_defs);
