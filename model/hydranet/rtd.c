/* rtd.c - HydraNet routing daemons; see rtd.h. */
#include "hydranet/rtd.h"

#include <stdlib.h>
#include <string.h>

#include "hydranet/auth.h"
#include "hydranet/hsrv.h"
#include "hydranet/redir.h"
#include "hydranet/rmp.h"
#include "log.h"
#include "sim/sim.h"
#include "status.h"


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
	struct rmp_msg auth[RTD_MAX_AUTH];      /* signed authorisations (auth.h) */
	size_t nauth;
	struct auth_keypair *key;               /* set with the first authorisation */
	/* redirector side */
	struct redir *redir;
	struct auth_verifier *verifier;         /* NULL: unauthenticated */
};

/* The node of the daemon's socket, for the log (NULL: no socket, a unit test). */
static const char *node_name(const struct rtd *d)
{
	return d->sock ? sim_node_name(sim_sock_node(d->sock)) : NULL;
}

static void send_all(struct rtd *d, const struct rmp_msg *m)
{
	uint8_t buf[RMP_MAX_LEN];
	int n = rmp_encode(m, buf, sizeof buf);
	if (n < 0)
		return;
	for (size_t i = 0; i < d->nredirectors; i++) {
		if (sim_sock_sendto(d->sock, buf, (size_t)n, d->redirectors[i], RMP_PORT_ROUTING) < 0) {
			HN_LOG(HN_LOG_RTD, sim_now_ns(), node_name(d), "send %s to " HN_LOG_IPF " failed (socket refused it)",
			       m->type == RMP_ANNOUNCE ? "ANNOUNCE" : "WITHDRAW", HN_LOG_IP(d->redirectors[i]));
			continue;
		}
		HN_LOG(HN_LOG_RTD, sim_now_ns(), node_name(d), "send %s seq %u to " HN_LOG_IPF " (%u access point%s, first " HN_LOG_IPF ":%u %s)",
		       m->type == RMP_ANNOUNCE ? "ANNOUNCE" : "WITHDRAW", (unsigned)m->seq,
		       HN_LOG_IP(d->redirectors[i]), (unsigned)m->nsaps, m->nsaps == 1 ? "" : "s",
		       HN_LOG_IP(m->saps[0].origin), (unsigned)m->saps[0].port, hn_log_proto(m->saps[0].proto));
		d->st.bytes_sent += (uint64_t)n;
		if (m->type == RMP_ANNOUNCE)
			d->st.announces_sent++;
		else
			d->st.withdraws_sent++;
	}
}

/* With authorisations: one SANNOUNCE per authorisation whose ports are
 * bound here (lifetime 0 withdraws), each under a fresh sequence number. */
static void send_signed(struct rtd *d, uint16_t lifetime_s)
{
	for (size_t a = 0; a < d->nauth; a++) {
		struct rmp_msg m = d->auth[a];
		m.nann = 0;
		for (size_t i = 0; i < d->nsaps; i++)
			if (d->saps[i].origin == m.origin && d->saps[i].proto == m.proto)
				for (unsigned p = 0; p < m.nports; p++)
					if (m.ports[p] == d->saps[i].port && m.nann < RMP_MAX_PORTS)
						m.ann_ports[m.nann++] = d->saps[i].port;
		if (!m.nann)
			continue;
		m.seq = ++d->seq;
		m.lifetime_s = lifetime_s;
		uint8_t buf[RMP_MAX_LEN];
		int n = auth_sign_announce(&m, d->key, buf, sizeof buf);
		if (n < 0)
			continue;
		for (size_t i = 0; i < d->nredirectors; i++) {
			if (sim_sock_sendto(d->sock, buf, (size_t)n, d->redirectors[i], RMP_PORT_ROUTING) < 0)
				continue;
			HN_LOG(HN_LOG_RTD, sim_now_ns(), node_name(d), "send SANNOUNCE seq %u to " HN_LOG_IPF " (%u port%s of " HN_LOG_IPF ", lifetime %u s)",
			       (unsigned)m.seq, HN_LOG_IP(d->redirectors[i]), (unsigned)m.nann, m.nann == 1 ? "" : "s",
			       HN_LOG_IP(m.origin), (unsigned)lifetime_s);
			d->st.bytes_sent += (uint64_t)n;
			if (lifetime_s)
				d->st.announces_sent++;
			else
				d->st.withdraws_sent++;
		}
	}
}

static void announce(struct rtd *d)
{
	if (d->nsaps == 0)
		return;
	if (d->nauth) {
		send_signed(d, (uint16_t)(d->cfg.lifetime_ns / 1000000000ull));
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
		if (d->nsaps == RMP_MAX_ENTRIES)
			return;
		d->saps[d->nsaps++] = sap;
		announce(d);   /* at once: the paper's redirectors are "informed" on bind */
		if (!d->timer_pending) {
			d->timer_pending = 1;
			sim_schedule(d->cfg.refresh_ns, refresh, d);
		}
		return;
	}
	for (size_t i = 0; i < d->nsaps; i++)
		if (d->saps[i].origin == origin && d->saps[i].port == port && d->saps[i].proto == proto) {
			if (d->nauth) {
				/* a signed withdraw carries the authorisation's ports still bound */
				if (d->cfg.withdraw)
					send_signed(d, 0);
				d->saps[i] = d->saps[--d->nsaps];
				if (d->nsaps)
					announce(d);
				return;
			}
			d->saps[i] = d->saps[--d->nsaps];
			if (d->cfg.withdraw) {
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

/* A verified SANNOUNCE: its ports of the authorisation's origin, via its
 * host server; lifetime 0 withdraws them. */
static int apply_signed(struct rtd *d, const struct rmp_msg *m, uint64_t now_ns)
{
	if (m->lifetime_s)
		d->st.announces_received++;
	else
		d->st.withdraws_received++;
	for (unsigned i = 0; i < m->nann; i++) {
		int r = m->lifetime_s
			? redir_table_announce(d->redir, m->origin, m->ann_ports[i], m->proto, m->host_server,
					       (uint64_t)m->lifetime_s * 1000000000ull, now_ns)
			: redir_table_withdraw(d->redir, m->origin, m->ann_ports[i], m->proto, m->host_server);
		if (r == HN_OK)
			d->st.entries_applied++;
		else if (m->lifetime_s)
			d->st.drops[RTD_DROP_TABLE]++;
		HN_LOG(HN_LOG_RTD, now_ns, node_name(d), "%s " HN_LOG_IPF ":%u %s via " HN_LOG_IPF " (SANNOUNCE seq %u, lifetime %u s): %s",
		       m->lifetime_s ? "table add" : "table remove", HN_LOG_IP(m->origin), (unsigned)m->ann_ports[i],
		       hn_log_proto(m->proto), HN_LOG_IP(m->host_server), (unsigned)m->seq,
		       (unsigned)m->lifetime_s, r == HN_OK ? "ok" : hn_strerror(r));
	}
	return HN_OK;
}

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
	if (d->verifier) {
		enum auth_drop why;
		if (auth_verify(d->verifier, &m, msg, len, now_ns, &why) != HN_OK) {
			HN_LOG(HN_LOG_RTD, now_ns, node_name(d), "drop %s %s seq %u from host server " HN_LOG_IPF,
			       auth_drop_name(why), rmp_type_name(m.type), (unsigned)m.seq,
			       HN_LOG_IP(m.host_server));
			return HN_EPROTO;
		}
		return apply_signed(d, &m, now_ns);
	}
	if (m.type != RMP_ANNOUNCE && m.type != RMP_WITHDRAW) {
		d->st.drops[RTD_DROP_UNEXPECTED]++;
		HN_LOG(HN_LOG_RTD, now_ns, node_name(d), "drop %s message type %u (a redirector takes ANNOUNCE and WITHDRAW)",
		       rtd_drop_name(RTD_DROP_UNEXPECTED), (unsigned)m.type);
		return HN_EPROTO;
	}
	if (m.type == RMP_ANNOUNCE)
		d->st.announces_received++;
	else
		d->st.withdraws_received++;
	for (size_t i = 0; i < m.nsaps; i++) {
		const struct rmp_sap *s = &m.saps[i];
		int r = m.type == RMP_ANNOUNCE
			? redir_table_announce(d->redir, s->origin, s->port, s->proto, m.host_server,
					       (uint64_t)m.lifetime_s * 1000000000ull, now_ns)
			: redir_table_withdraw(d->redir, s->origin, s->port, s->proto, m.host_server);
		if (r == HN_OK)
			d->st.entries_applied++;
		else if (m.type == RMP_ANNOUNCE)
			d->st.drops[RTD_DROP_TABLE]++;   /* a withdraw of an unknown entry is harmless */
		if (HN_LOG_ON(HN_LOG_RTD)) {
			const char *what = m.type == RMP_ANNOUNCE ? "announce" : "withdraw";
			if (r == HN_OK && m.type == RMP_ANNOUNCE)
				hn_log_line(HN_LOG_RTD, now_ns, node_name(d),
					    "table add " HN_LOG_IPF ":%u %s via " HN_LOG_IPF " (ANNOUNCE seq %u, lifetime %u s)",
					    HN_LOG_IP(s->origin), (unsigned)s->port, hn_log_proto(s->proto),
					    HN_LOG_IP(m.host_server), (unsigned)m.seq, (unsigned)m.lifetime_s);
			else if (r == HN_OK)
				hn_log_line(HN_LOG_RTD, now_ns, node_name(d),
					    "table remove " HN_LOG_IPF ":%u %s via " HN_LOG_IPF " (WITHDRAW seq %u)",
					    HN_LOG_IP(s->origin), (unsigned)s->port, hn_log_proto(s->proto),
					    HN_LOG_IP(m.host_server), (unsigned)m.seq);
			else if (m.type == RMP_ANNOUNCE)
				hn_log_line(HN_LOG_RTD, now_ns, node_name(d),
					    "drop %s " HN_LOG_IPF ":%u %s via " HN_LOG_IPF " (%s refused: %s)",
					    rtd_drop_name(RTD_DROP_TABLE), HN_LOG_IP(s->origin), (unsigned)s->port,
					    hn_log_proto(s->proto), HN_LOG_IP(m.host_server), what, hn_strerror(r));
			else
				hn_log_line(HN_LOG_RTD, now_ns, node_name(d),
					    "ignore WITHDRAW of " HN_LOG_IPF ":%u %s via " HN_LOG_IPF " (no such entry)",
					    HN_LOG_IP(s->origin), (unsigned)s->port, hn_log_proto(s->proto),
					    HN_LOG_IP(m.host_server));
		}
	}
	return HN_OK;
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
	if (d)
		free(d->key);
	free(d);
}

void rtd_redir_set_auth(struct rtd *d, struct auth_verifier *v)
{
	d->verifier = v;
}

int rtd_host_add_auth(struct rtd *d, const struct rmp_msg *auth, const struct auth_keypair *key)
{
	if (d->nauth == RTD_MAX_AUTH)
		return HN_ELIMIT;
	if (!d->key && !(d->key = malloc(sizeof *d->key)))
		return HN_ENOMEM;
	*d->key = *key;
	d->auth[d->nauth++] = *auth;
	return HN_OK;
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
