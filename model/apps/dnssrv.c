/* dnssrv.c - authoritative name server, caching resolver and stub resolver
 * for DNS-based replica selection; see dnssrv.h. */
#include "apps/dnssrv.h"

#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"
#include "status.h"

#define NS_PER_S 1000000000ull

/* take() counts a refusal at its own index: the refusals lead the drops. */
_Static_assert(DNSSRV_DROP_TRUNC == (int)DNS_REFUSE_TRUNC &&
	       DNSSRV_DROP_TRAILING == (int)DNS_REFUSE_TRAILING, "DNS refusals lead the drop enum");

/* Decode a datagram, counting a refusal as its drop. */
static int take(struct dnssrv_stats *st, const uint8_t *data, size_t len, struct dns_msg *m)
{
	enum dns_refusal why;
	st->bytes += len;
	if (dns_decode(data, len, m, &why) != HN_OK) {
		st->drops[why]++;   /* the refusals lead the drop enum, in order */
		return 0;
	}
	return 1;
}

static void send_msg(struct dnssrv_stats *st, sim_sock *s, const struct dns_msg *m,
		     uint32_t addr, uint16_t port)
{
	uint8_t buf[DNS_MAX_UDP];
	int n = dns_encode(m, buf, sizeof buf);
	if (n < 0 || sim_sock_sendto(s, buf, (size_t)n, addr, port) < 0)
		return;
	st->bytes += (uint64_t)n;
}

static uint32_t ttl_s(uint64_t ns)
{
	uint64_t s = ns / NS_PER_S;
	return s > 0x7fffffffu ? 0x7fffffffu : (uint32_t)s;
}

/* ---- authoritative ------------------------------------------------------- */

struct dnssrv_auth {
	struct dnssrv_auth_config cfg;
	char name[DNS_MAX_NAME + 1];
	uint32_t cand[DNSSRV_MAX_CANDIDATES];
	size_t n;
	int with_origin;              /* cand[n - 1] is the origin */
	dnssrv_dist_fn dist;
	void *dist_ctx;
	size_t turn;                  /* round robin, and turns among tied replicas */
	sim_sock *sock;
	struct dnssrv_stats st;
};

uint32_t dnssrv_auth_choose(struct dnssrv_auth *a, uint32_t requester)
{
	size_t nrep = a->n - (a->with_origin ? 1 : 0);
	if (a->cfg.policy == DNSSRV_ROUND_ROBIN || !a->dist)
		return a->cand[a->turn++ % a->n];
	/* nearest: the least path delay among the replicas, ties taking
	 * turns; the origin only when strictly nearer (as the redirector's
	 * nearest policy). */
	uint64_t best = UINT64_MAX;
	size_t tied[DNSSRV_MAX_CANDIDATES], nt = 0;
	for (size_t i = 0; i < nrep; i++) {
		uint64_t d = a->dist(a->dist_ctx, requester, a->cand[i]);
		if (d < best) {
			best = d;
			nt = 0;
		}
		if (d == best)
			tied[nt++] = i;
	}
	if (a->with_origin && (nt == 0 || a->dist(a->dist_ctx, requester, a->cand[a->n - 1]) < best))
		return a->cand[a->n - 1];
	return a->cand[tied[a->turn++ % nt]];
}

int dnssrv_auth_remove(struct dnssrv_auth *a, uint32_t addr)
{
	for (size_t i = 0; i < a->n; i++)
		if (a->cand[i] == addr && a->n > 1) {
			if (a->with_origin && i == a->n - 1)
				a->with_origin = 0;   /* the origin itself left */
			memmove(a->cand + i, a->cand + i + 1, (a->n - i - 1) * sizeof *a->cand);
			a->n--;
			return HN_OK;
		}
	return HN_ENOENT;
}

int dnssrv_auth_add(struct dnssrv_auth *a, uint32_t addr)
{
	for (size_t i = 0; i < a->n; i++)
		if (a->cand[i] == addr)
			return HN_EEXIST;
	if (a->n == DNSSRV_MAX_CANDIDATES)
		return HN_ELIMIT;
	size_t at = a->with_origin ? a->n - 1 : a->n;
	memmove(a->cand + at + 1, a->cand + at, (a->n - at) * sizeof *a->cand);
	a->cand[at] = addr;
	a->n++;
	return HN_OK;
}

static void auth_recv(void *ctx, sim_sock *s, const uint8_t *data, size_t len, uint32_t from,
		      uint16_t fport)
{
	struct dnssrv_auth *a = ctx;
	struct dns_msg m;
	if (!take(&a->st, data, len, &m))
		return;
	if (m.qr) {
		a->st.drops[DNSSRV_DROP_NOT_QUERY]++;
		return;
	}
	a->st.queries++;
	/* RFC 1035 4.1.1: the reply copies ID, question and RD; AA as the
	 * authority for the name. */
	m.qr = true;
	m.aa = true;
	m.ra = false;
	m.tc = false;
	m.z = 0;
	m.nanswers = 0;
	if (!dns_name_eq(m.qname, a->name) || m.qclass != DNS_CLASS_IN) {
		m.rcode = DNS_RCODE_NXDOMAIN;
		a->st.nxdomain++;
	} else if (m.qtype != DNS_TYPE_A) {
		m.rcode = DNS_RCODE_OK;   /* the name exists, no record of that type */
	} else {
		m.rcode = DNS_RCODE_OK;
		uint32_t c = dnssrv_auth_choose(a, from);
		m.an[0] = (struct dns_a){ c, ttl_s(a->cfg.ttl_ns) };
		m.nanswers = 1;
		if (a->with_origin && c == a->cand[a->n - 1])
			a->st.answered_origin++;
		else
			a->st.answered_replica++;
	}
	a->st.answers++;
	send_msg(&a->st, s, &m, from, fport);
}

struct dnssrv_auth *dnssrv_auth_new(struct sim_node *node, uint32_t addr, const char *name,
				    const struct dnssrv_auth_config *cfg, const uint32_t *candidates,
				    size_t n, int with_origin, dnssrv_dist_fn dist, void *dist_ctx)
{
	if (!cfg || !name || !candidates || !n || n > DNSSRV_MAX_CANDIDATES ||
	    strlen(name) > DNS_MAX_NAME)
		return NULL;
	struct dnssrv_auth *a = calloc(1, sizeof *a);
	if (!a)
		return NULL;
	a->cfg = *cfg;
	strcpy(a->name, name);
	memcpy(a->cand, candidates, n * sizeof *candidates);
	a->n = n;
	a->with_origin = with_origin;
	a->dist = dist;
	a->dist_ctx = dist_ctx;
	if (node) {
		static const struct sim_sock_ops ops = { .on_recv = auth_recv };
		a->sock = sim_udp_socket(node, &ops, a);
		if (!a->sock || sim_sock_bind(a->sock, addr, DNS_PORT) != HN_OK) {
			free(a);
			return NULL;
		}
	}
	return a;
}

void dnssrv_auth_free(struct dnssrv_auth *a)
{
	free(a);
}

const struct dnssrv_stats *dnssrv_auth_stats(const struct dnssrv_auth *a)
{
	return &a->st;
}

/* ---- caching resolver ----------------------------------------------------- */

struct centry {
	char name[DNS_MAX_NAME + 1];
	uint32_t addr;
	uint64_t expires_ns;          /* 0: its upstream query is on its way */
	uint64_t asked_ns;            /* when that query was sent */
	uint16_t qid;                 /* and its ID */
	int used;
};

struct waiting {
	uint32_t addr;                /* the stub */
	uint16_t port, id;
	uint16_t upstream_id;         /* the query it waits for */
	int used;
	uint64_t since_ns;            /* when it asked */
};

struct dnssrv_resolver {
	uint32_t server;
	uint16_t next_id;
	sim_sock *sock;
	struct centry cache[DNSSRV_CACHE];
	size_t next_slot;             /* replaced when the cache is full and none expired */
	struct waiting wait[DNSSRV_PENDING];
	struct dnssrv_stats st;
};

static struct centry *cache_find(struct dnssrv_resolver *r, const char *name)
{
	for (size_t i = 0; i < DNSSRV_CACHE; i++)
		if (r->cache[i].used && dns_name_eq(r->cache[i].name, name))
			return &r->cache[i];
	return NULL;
}

static void answer_stub(struct dnssrv_resolver *r, const struct dns_msg *q, uint32_t to,
			uint16_t port, uint32_t addr, uint32_t ttl)
{
	struct dns_msg m = *q;
	m.qr = true;
	m.aa = false;
	m.ra = true;
	m.tc = false;
	m.z = 0;
	m.rcode = addr ? DNS_RCODE_OK : DNS_RCODE_SERVFAIL;
	m.nanswers = addr ? 1 : 0;
	m.an[0] = (struct dns_a){ addr, ttl };
	r->st.answers++;
	send_msg(&r->st, r->sock, &m, to, port);
}

/* The cache slot for a new name: a free one, else an expired one, else the
 * next in turn (its waiters, if a query for it is on its way, get
 * SERVFAIL). */
static struct centry *cache_slot(struct dnssrv_resolver *r, uint64_t now)
{
	for (size_t i = 0; i < DNSSRV_CACHE; i++)
		if (!r->cache[i].used)
			return &r->cache[i];
	for (size_t i = 0; i < DNSSRV_CACHE; i++)
		if (r->cache[i].expires_ns && r->cache[i].expires_ns <= now)
			return &r->cache[i];
	struct centry *e = &r->cache[r->next_slot];
	r->next_slot = (r->next_slot + 1) % DNSSRV_CACHE;
	uint16_t up = (uint16_t)(e - r->cache);
	for (size_t i = 0; i < DNSSRV_PENDING; i++) {
		struct waiting *w = &r->wait[i];
		if (w->used && w->upstream_id == up) {
			struct dns_msg q;
			memset(&q, 0, sizeof q);
			q.id = w->id;
			q.rd = true;
			strcpy(q.qname, e->name);
			q.qtype = DNS_TYPE_A;
			q.qclass = DNS_CLASS_IN;
			answer_stub(r, &q, w->addr, w->port, 0, 0);
			w->used = 0;
		}
	}
	return e;
}

static void res_query(struct dnssrv_resolver *r, struct dns_msg *q, uint32_t from, uint16_t fport)
{
	r->st.queries++;
	uint64_t now = sim_now_ns();
	struct centry *e = cache_find(r, q->qname);
	if (e && e->expires_ns > now) {
		r->st.cache_hits++;
		/* RFC 1035 7.4 (and 2181 5.2): the TTL left, counted down, in
		 * whole seconds rounded up, as a resolver whose clock counts
		 * whole seconds gives it (BIND's isc_stdtime_t, Unbound's
		 * time_t now: the expiry minus the truncated time); the stub
		 * may keep the answer up to 1 s past the resolver's expiry */
		answer_stub(r, q, from, fport, e->addr,
			    (uint32_t)((e->expires_ns - now + NS_PER_S - 1) / NS_PER_S));
		return;
	}
	r->st.cache_misses++;
	/* A stub that asks again takes its earlier place; one that has asked
	 * longer ago than a stub waits in all (it gave up) holds none. */
	struct waiting *slot = NULL;
	for (size_t i = 0; i < DNSSRV_PENDING; i++) {
		struct waiting *w = &r->wait[i];
		if (w->used && (now - w->since_ns >= DNSSRV_RETRY_NS * DNSSRV_TRIES ||
				(w->addr == from && w->port == fport)))
			w->used = 0;
		if (!w->used && !slot)
			slot = w;
	}
	if (!slot) {
		r->st.drops[DNSSRV_DROP_PENDING_FULL]++;
		return;
	}
	/* An entry whose expiry is 0 has its upstream query on its way: one
	 * query per name, every stub asking meanwhile waits for it. */
	int on_its_way = e && e->expires_ns == 0 && now - e->asked_ns < DNSSRV_RETRY_NS;
	if (!e) {
		e = cache_slot(r, now);
		snprintf(e->name, sizeof e->name, "%s", q->qname);
		e->used = 1;
	}
	uint16_t up = (uint16_t)(e - r->cache);
	e->addr = 0;
	e->expires_ns = 0;
	*slot = (struct waiting){ from, fport, q->id, up, 1, now };
	if (on_its_way)
		return;
	struct dns_msg m;
	memset(&m, 0, sizeof m);
	m.id = (uint16_t)(++r->next_id * DNSSRV_CACHE + up);   /* the slot in the low bits */
	e->qid = m.id;
	e->asked_ns = now;
	strcpy(m.qname, e->name);
	m.qtype = DNS_TYPE_A;
	m.qclass = DNS_CLASS_IN;
	r->st.upstream++;
	send_msg(&r->st, r->sock, &m, r->server, DNS_PORT);
}

static void res_answer(struct dnssrv_resolver *r, const struct dns_msg *m)
{
	uint16_t up = (uint16_t)(m->id % DNSSRV_CACHE);
	struct centry *e = &r->cache[up];
	int any = 0;
	for (size_t i = 0; i < DNSSRV_PENDING; i++)
		any |= r->wait[i].used && r->wait[i].upstream_id == up;
	if (!any || !e->used || e->expires_ns != 0 || e->qid != m->id ||
	    !dns_name_eq(e->name, m->qname)) {
		r->st.drops[DNSSRV_DROP_NOT_QUERY]++;
		return;
	}
	uint32_t addr = 0, ttl = 0;
	if (m->rcode == DNS_RCODE_OK && m->nanswers) {
		addr = m->an[0].addr;
		ttl = m->an[0].ttl_s;
		e->addr = addr;
		/* a TTL of 0: used for this answer only, not cached (RFC 1035 3.2.1) */
		e->expires_ns = ttl ? sim_now_ns() + ttl * NS_PER_S : 0;
		if (!ttl)
			e->used = 0;
	} else {
		r->st.drops[DNSSRV_DROP_BAD_ANSWER]++;
		e->used = 0;
	}
	for (size_t i = 0; i < DNSSRV_PENDING; i++) {
		struct waiting *w = &r->wait[i];
		if (!w->used || w->upstream_id != up)
			continue;
		struct dns_msg q = *m;
		q.id = w->id;
		q.rd = true;
		answer_stub(r, &q, w->addr, w->port, addr, ttl);
		w->used = 0;
	}
}

static void res_recv(void *ctx, sim_sock *s, const uint8_t *data, size_t len, uint32_t from,
		     uint16_t fport)
{
	struct dnssrv_resolver *r = ctx;
	struct dns_msg m;
	(void)s;
	if (!take(&r->st, data, len, &m))
		return;
	if (!m.qr)
		res_query(r, &m, from, fport);
	else if (from == r->server && fport == DNS_PORT)
		res_answer(r, &m);
	else
		r->st.drops[DNSSRV_DROP_NOT_QUERY]++;
}

struct dnssrv_resolver *dnssrv_resolver_new(struct sim_node *node, uint32_t addr, uint32_t server)
{
	struct dnssrv_resolver *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->server = server;
	static const struct sim_sock_ops ops = { .on_recv = res_recv };
	r->sock = sim_udp_socket(node, &ops, r);
	if (!r->sock || sim_sock_bind(r->sock, addr, DNS_PORT) != HN_OK) {
		free(r);
		return NULL;
	}
	return r;
}

void dnssrv_resolver_free(struct dnssrv_resolver *r)
{
	free(r);
}

const struct dnssrv_stats *dnssrv_resolver_stats(const struct dnssrv_resolver *r)
{
	return &r->st;
}

/* ---- stub ----------------------------------------------------------------- */

struct stub_waiter {
	void (*done)(void *arg, uint32_t addr);
	void *arg;
};

struct dnssrv_stub {
	uint32_t resolver;
	char name[DNS_MAX_NAME + 1];
	uint64_t min_ttl_ns;
	sim_sock *sock;
	uint32_t addr;                /* cached answer, while expires_ns > now */
	uint64_t expires_ns;
	uint16_t id;                  /* of the query outstanding */
	int tries;                    /* queries sent for it; 0: none outstanding */
	sim_event_id timer;
	struct stub_waiter *wait;
	size_t nwait, capwait;
	struct dnssrv_stats st;
};

static void stub_finish(struct dnssrv_stub *s, uint32_t addr)
{
	s->tries = 0;
	sim_cancel(s->timer);
	s->timer = 0;
	/* done may ask again: take the list first */
	size_t n = s->nwait;
	struct stub_waiter *w = s->wait;
	s->wait = NULL;
	s->nwait = s->capwait = 0;
	for (size_t i = 0; i < n; i++)
		w[i].done(w[i].arg, addr);
	free(w);
}

static void stub_send(struct dnssrv_stub *s);

static void stub_timeout(void *arg)
{
	struct dnssrv_stub *s = arg;
	s->timer = 0;
	if (s->tries >= DNSSRV_TRIES) {
		stub_finish(s, 0);
		return;
	}
	stub_send(s);
}

static void stub_send(struct dnssrv_stub *s)
{
	struct dns_msg m;
	memset(&m, 0, sizeof m);
	m.id = ++s->id;
	m.rd = true;
	strcpy(m.qname, s->name);
	m.qtype = DNS_TYPE_A;
	m.qclass = DNS_CLASS_IN;
	s->tries++;
	s->st.queries++;
	send_msg(&s->st, s->sock, &m, s->resolver, DNS_PORT);
	s->timer = sim_schedule(DNSSRV_RETRY_NS, stub_timeout, s);
}

static void stub_recv(void *ctx, sim_sock *so, const uint8_t *data, size_t len, uint32_t from,
		      uint16_t fport)
{
	struct dnssrv_stub *s = ctx;
	struct dns_msg m;
	(void)so;
	if (!take(&s->st, data, len, &m))
		return;
	if (!m.qr || !s->tries || m.id != s->id || from != s->resolver || fport != DNS_PORT ||
	    !dns_name_eq(m.qname, s->name)) {
		s->st.drops[DNSSRV_DROP_NOT_QUERY]++;
		return;
	}
	if (m.rcode != DNS_RCODE_OK || !m.nanswers) {
		s->st.drops[DNSSRV_DROP_BAD_ANSWER]++;
		stub_finish(s, 0);
		return;
	}
	s->st.answers++;
	uint64_t ttl = (uint64_t)m.an[0].ttl_s * NS_PER_S;
	if (ttl < s->min_ttl_ns)
		ttl = s->min_ttl_ns;   /* the browser keeps it longer than asked */
	s->addr = m.an[0].addr;
	s->expires_ns = sim_now_ns() + ttl;
	stub_finish(s, s->addr);
}

struct dnssrv_stub *dnssrv_stub_new(struct sim_node *node, uint32_t resolver, const char *name,
				    uint64_t min_ttl_ns)
{
	if (!name || strlen(name) > DNS_MAX_NAME)
		return NULL;
	struct dnssrv_stub *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->resolver = resolver;
	strcpy(s->name, name);
	s->min_ttl_ns = min_ttl_ns;
	static const struct sim_sock_ops ops = { .on_recv = stub_recv };
	s->sock = sim_udp_socket(node, &ops, s);
	if (!s->sock || sim_sock_bind(s->sock, 0, 0) != HN_OK) {
		free(s);
		return NULL;
	}
	return s;
}

void dnssrv_stub_free(struct dnssrv_stub *s)
{
	if (!s)
		return;
	sim_cancel(s->timer);
	free(s->wait);
	free(s);
}

int dnssrv_stub_resolve(void *stub, void (*done)(void *arg, uint32_t addr), void *arg)
{
	struct dnssrv_stub *s = stub;
	if (s->addr && s->expires_ns > sim_now_ns()) {
		s->st.cache_hits++;
		done(arg, s->addr);
		return HN_OK;
	}
	if (s->nwait == s->capwait) {
		size_t cap = s->capwait ? 2 * s->capwait : 8;
		struct stub_waiter *n = realloc(s->wait, cap * sizeof *n);
		if (!n)
			return HN_ENOMEM;
		s->wait = n;
		s->capwait = cap;
	}
	s->wait[s->nwait++] = (struct stub_waiter){ done, arg };
	s->st.cache_misses++;
	if (!s->tries)
		stub_send(s);
	return HN_OK;
}

const struct dnssrv_stats *dnssrv_stub_stats(const struct dnssrv_stub *s)
{
	return &s->st;
}

#define STAT_C(field, name, doc) COUNTER_DEF(struct dnssrv_stats, field, name, doc)
#define STAT_D(e, name, doc) COUNTER_DROP_DEF(struct dnssrv_stats, DNSSRV_DROP_##e, "" name, doc)
static const struct counter_def counter_defs[] = { DNSSRV_STATS(STAT_C, STAT_D) };
const struct counter_set dnssrv_counters = COUNTER_SET("dns", counter_defs);
