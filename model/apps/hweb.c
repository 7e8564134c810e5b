/* hweb.c - HydraWeb replica, manager and cache; see hweb.h. */
#include "apps/hweb.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps/app.h"
#include "apps/http.h"
#include "hydranet/rmgr.h"
#include "hydranet/rmp.h"
#include "log.h"
#include "sim/sim.h"
#include "status.h"
#include "testbed/cpu.h"

/* ---- cache: open addressing on the object id ------------------------------ */

struct centry {
	uint32_t id, version;
	int used;
	uint8_t *data;
	size_t len;
	uint64_t expires_ns;
};

struct hweb_cache {
	struct centry *slot;
	size_t cap, n;                /* cap a power of two, n <= cap / 2 */
	uint64_t bytes;
};

static size_t slot_of(const struct hweb_cache *c, uint32_t id)
{
	size_t i = (size_t)(id * 2654435761u) & (c->cap - 1);   /* Knuth's multiplicative hash */
	while (c->slot[i].used && c->slot[i].id != id)
		i = (i + 1) & (c->cap - 1);
	return i;
}

struct hweb_cache *hweb_cache_new(void)
{
	struct hweb_cache *c = calloc(1, sizeof *c);
	if (c && !(c->slot = calloc(c->cap = 64, sizeof *c->slot))) {
		free(c);
		return NULL;
	}
	return c;
}

void hweb_cache_free(struct hweb_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->cap; i++)
		free(c->slot[i].data);
	free(c->slot);
	free(c);
}

static int cache_grow(struct hweb_cache *c)
{
	struct hweb_cache big = { calloc(2 * c->cap, sizeof *c->slot), 2 * c->cap, c->n, c->bytes };
	if (!big.slot)
		return HN_ENOMEM;
	for (size_t i = 0; i < c->cap; i++)
		if (c->slot[i].used)
			big.slot[slot_of(&big, c->slot[i].id)] = c->slot[i];
	free(c->slot);
	*c = big;
	return HN_OK;
}

int hweb_cache_put(struct hweb_cache *c, uint32_t id, uint32_t version, const uint8_t *data,
		   size_t len, uint64_t expires_ns)
{
	if (2 * (c->n + 1) > c->cap && cache_grow(c) != HN_OK)
		return HN_ENOMEM;
	uint8_t *copy = malloc(len ? len : 1);
	if (!copy)
		return HN_ENOMEM;
	if (len)
		memcpy(copy, data, len);
	struct centry *e = &c->slot[slot_of(c, id)];
	if (e->used) {
		c->bytes -= e->len;
		free(e->data);
	} else {
		c->n++;
	}
	*e = (struct centry){ id, version, 1, copy, len, expires_ns };
	c->bytes += len;
	return HN_OK;
}

const uint8_t *hweb_cache_get(const struct hweb_cache *c, uint32_t id, size_t len,
			      uint64_t now_ns, int *stale)
{
	const struct centry *e = &c->slot[slot_of(c, id)];
	*stale = 0;
	if (!e->used || e->len != len)
		return NULL;
	if (e->expires_ns && now_ns >= e->expires_ns) {
		*stale = 1;
		return NULL;
	}
	return e->data;
}

size_t hweb_cache_objects(const struct hweb_cache *c)
{
	return c->n;
}

uint64_t hweb_cache_bytes(const struct hweb_cache *c)
{
	return c->bytes;
}

/* ---- requests waiting for processing or a relayed reply ----------------------- */

/* One request in the replica or the manager, from its arrival until it is
 * answered; kept on its owner's list so that tearing down frees it. */
struct pending {
	struct pending *prev, *next;
	struct pending **head;
	void *owner;                  /* the replica or the manager */
	struct http_conn *conn;
	char path[256];
};

static struct pending *pending_new(struct pending **head, void *owner, struct http_conn *conn,
				   const char *path)
{
	struct pending *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	*p = (struct pending){ .next = *head, .head = head, .owner = owner, .conn = conn };
	snprintf(p->path, sizeof p->path, "%s", path);
	if (*head)
		(*head)->prev = p;
	*head = p;
	return p;
}

static void pending_free(struct pending *p)
{
	if (p->prev)
		p->prev->next = p->next;
	else
		*p->head = p->next;
	if (p->next)
		p->next->prev = p->prev;
	free(p);
}

static void pending_free_all(struct pending **head)
{
	while (*head)
		pending_free(*head);
}

/* processing_ns, queued on the node's CPU when it has one. */
static uint64_t work(struct cpu *cpu, uint64_t ns)
{
	return cpu ? cpu_charge(cpu, sim_now_ns(), ns) : ns;
}

/* ---- replica --------------------------------------------------------------------- */

struct hweb_replica {
	struct hweb_replica_config cfg;
	char name[APP_NAME_MAX];
	struct sim_node *node;
	struct http_server *srv;
	struct http_fetcher *fetcher;
	struct hweb_cache *cache;
	struct pending *pending;
	struct hweb_replica_stats st;
};

static void rep_relayed(void *ctx, int status, const uint8_t *body, size_t len)
{
	struct pending *p = ctx;
	struct hweb_replica *r = p->owner;
	char hdr[96];
	snprintf(hdr, sizeof hdr, "X-Cache: MISS from %s\r\n", r->name);
	if (status == 200) {
		uint64_t bytes;
		uint32_t id;
		if (r->cfg.cache_misses && http_parse_path(p->path, &bytes, &id) &&
		    hweb_cache_put(r->cache, id, 0, body, len, 0) == HN_OK)
			r->st.cached_misses++;
		http_reply(p->conn, 200, hdr, body, len);
	} else {
		r->st.miss_failed++;
		HN_LOG(HN_LOG_HWEB, sim_now_ns(), sim_node_name(r->node),
		       "miss %s failed: reply 502 (manager answered %d)", p->path, status);
		http_reply(p->conn, 502, hdr, NULL, 0);
	}
	pending_free(p);
}

/* The replica's processing is done: answer from the cache or ask the manager. */
static void rep_lookup(void *arg)
{
	struct pending *p = arg;
	struct hweb_replica *r = p->owner;
	uint64_t bytes;
	uint32_t id;
	int stale = 0;
	const uint8_t *obj = NULL;
	if (http_parse_path(p->path, &bytes, &id))
		obj = hweb_cache_get(r->cache, id, (size_t)bytes, sim_now_ns(), &stale);
	if (obj) {
		char hdr[96];
		snprintf(hdr, sizeof hdr, "X-Cache: HIT from %s\r\n", r->name);
		r->st.hits++;
		HN_LOG(HN_LOG_HWEB, sim_now_ns(), sim_node_name(r->node), "hit %s (object %u in the cache)",
		       p->path, (unsigned)id);
		http_reply(p->conn, 200, hdr, obj, (size_t)bytes);
		pending_free(p);
		return;
	}
	r->st.misses++;
	r->st.stale += stale;
	HN_LOG(HN_LOG_HWEB, sim_now_ns(), sim_node_name(r->node), "miss %s, relay to manager " HN_LOG_IPF ":%u (%s)",
	       p->path, HN_LOG_IP(r->cfg.manager), (unsigned)r->cfg.manager_port,
	       stale ? "cached copy expired" : "not in the cache");
	if (http_fetch(r->fetcher, r->cfg.manager, r->cfg.manager_port, p->path, rep_relayed, p) != HN_OK)
		rep_relayed(p, 0, NULL, 0);
}

static void rep_request(void *ctx, struct http_conn *c, const char *path)
{
	struct hweb_replica *r = ctx;
	struct pending *p = pending_new(&r->pending, r, c, path);
	r->st.requests++;
	if (!p) {
		http_reply(c, 502, NULL, NULL, 0);
		return;
	}
	sim_schedule(work(r->cfg.cpu, r->cfg.processing_ns), rep_lookup, p);
}

struct hweb_replica *hweb_replica_new(struct sim_node *node, struct hsrv *hs,
				      const struct hweb_replica_config *cfg)
{
	struct hweb_replica *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->cfg = *cfg;
	snprintf(r->name, sizeof r->name, "%s", cfg->name);
	r->cfg.name = r->name;
	r->node = node;
	r->cache = hweb_cache_new();
	r->fetcher = http_fetcher_new(node);
	struct http_server_config hc = { .name = r->name, .addr = cfg->origin, .port = cfg->port,
					 .handler = rep_request, .handler_ctx = r };
	if (r->cache && r->fetcher)
		r->srv = http_server_new(node, hs, &hc);
	if (!r->srv) {
		hweb_replica_free(r);
		return NULL;
	}
	return r;
}

void hweb_replica_free(struct hweb_replica *r)
{
	if (!r)
		return;
	pending_free_all(&r->pending);
	http_server_free(r->srv);
	http_fetcher_free(r->fetcher);
	hweb_cache_free(r->cache);
	free(r);
}

void hweb_replica_push(struct hweb_replica *r, const struct rmp_msg *m, const uint8_t *data,
		       size_t len)
{
	uint64_t exp = m->expires_s ? sim_now_ns() + (uint64_t)m->expires_s * 1000000000ull : 0;
	if (hweb_cache_put(r->cache, m->object, m->version, data, len, exp) == HN_OK) {
		r->st.pushed++;
		r->st.pushed_bytes += len;
	}
}

void hweb_replica_stop(struct hweb_replica *r)
{
	http_server_stop(r->srv);
}

/* A reinstall is a new replica: it starts with an empty cache (the manager
 * preheats it again), its counters go on. */
int hweb_replica_restart(struct hweb_replica *r)
{
	struct hweb_cache *fresh = hweb_cache_new();
	if (!fresh)
		return HN_ENOMEM;
	hweb_cache_free(r->cache);
	r->cache = fresh;
	return http_server_restart(r->srv);
}

const struct hweb_replica_stats *hweb_replica_stats(const struct hweb_replica *r)
{
	return &r->st;
}

size_t hweb_replica_active(const struct hweb_replica *r)
{
	size_t n = 0;
	for (const struct pending *p = r->pending; p; p = p->next)
		n++;
	return n;
}

const struct hweb_cache *hweb_replica_cache(const struct hweb_replica *r)
{
	return r->cache;
}

/* ---- manager ----------------------------------------------------------------------- */

#define HWEB_MAX_HOSTS 8

/* What the manager pushed to one host server's replica. */
struct held {
	uint32_t host;
	uint64_t *expires_ns;         /* per object: when its pushed copy expires; 0 not pushed */
	uint32_t *version;            /* per object: the version pushed */
	uint8_t *pushed;              /* per object: 0 no, 1 pushed, HELD_DUE: preheat refused */
};
#define HELD_DUE 2

struct hweb_manager {
	struct hweb_manager_config cfg;
	char name[APP_NAME_MAX];
	struct sim_node *node;
	struct http_server *srv;
	struct http_fetcher *fetcher;
	struct rmgr *rmgr;
	struct pending *pending;
	uint32_t *version;            /* per object: its version at the origin */
	uint8_t *page;                /* scratch: one object's bytes */
	struct held held[HWEB_MAX_HOSTS];
	size_t nheld;
	int ticking;
	struct hweb_manager_stats st;
};

static void mgr_relayed(void *ctx, int status, const uint8_t *body, size_t len)
{
	struct pending *p = ctx;
	struct hweb_manager *m = p->owner;
	if (status == 200) {
		m->st.misses_served++;
		http_reply(p->conn, 200, NULL, body, len);
	} else {
		m->st.fetch_failed++;
		HN_LOG(HN_LOG_HWEB, sim_now_ns(), sim_node_name(m->node),
		       "relay %s failed: reply 502 (web server answered %d)", p->path, status);
		http_reply(p->conn, 502, NULL, NULL, 0);
	}
	pending_free(p);
}

static void mgr_fetch(void *arg)
{
	struct pending *p = arg;
	struct hweb_manager *m = p->owner;
	HN_LOG(HN_LOG_HWEB, sim_now_ns(), sim_node_name(m->node), "relay miss %s to web server " HN_LOG_IPF ":%u",
	       p->path, HN_LOG_IP(m->cfg.web), (unsigned)m->cfg.web_port);
	if (http_fetch(m->fetcher, m->cfg.web, m->cfg.web_port, p->path, mgr_relayed, p) != HN_OK)
		mgr_relayed(p, 0, NULL, 0);
}

static void mgr_request(void *ctx, struct http_conn *c, const char *path)
{
	struct hweb_manager *m = ctx;
	struct pending *p = pending_new(&m->pending, m, c, path);
	if (!p) {
		http_reply(c, 502, NULL, NULL, 0);
		return;
	}
	sim_schedule(work(m->cfg.cpu, m->cfg.processing_ns), mgr_fetch, p);
}

static void mgr_tick_start(struct hweb_manager *m);

/* The manager's tick: the keep-hot period, or without keep-hot how soon a
 * preheat push the queue refused is tried again (a model choice). */
static uint64_t mgr_tick_ns(const struct hweb_manager *m)
{
	return m->cfg.refresh_ns ? m->cfg.refresh_ns : 1000000000ull;
}

static int push_one(struct hweb_manager *m, struct held *h, uint32_t id)
{
	for (uint32_t i = 0; i < m->cfg.page_bytes; i++)
		m->page[i] = app_object_byte(id, i);
	struct rmgr_object o = { id, m->version[id], m->cfg.ttl_s, m->page, m->cfg.page_bytes };
	int rc = rmgr_push(m->rmgr, h->host, &o);
	if (rc != HN_OK) {
		/* A full queue (counted by rmgr) leaves the object due: a
		 * preheat is marked and tried again at the next tick, a refresh
		 * or a modification stays due by its expiry or version. */
		if (rc == HN_ELIMIT && !h->pushed[id]) {
			h->pushed[id] = HELD_DUE;
			mgr_tick_start(m);
		}
		m->st.push_failed += rc != HN_ELIMIT;
		HN_LOG(HN_LOG_HWEB, sim_now_ns(), sim_node_name(m->node), "push object %u to " HN_LOG_IPF " not queued (%s)%s",
		       (unsigned)id, HN_LOG_IP(h->host), hn_strerror(rc),
		       h->pushed[id] == HELD_DUE ? ": due again next tick" : "");
		return 0;
	}
	h->pushed[id] = 1;
	h->version[id] = m->version[id];
	/* Counted from now: it arrives later, so the replica's copy lives a
	 * little longer than the manager assumes, never shorter. */
	h->expires_ns[id] = m->cfg.ttl_s ? sim_now_ns() + (uint64_t)m->cfg.ttl_s * 1000000000ull : 0;
	return 1;
}

/* Every tick: preheat pushes a full queue refused are tried again; keeping
 * hot, what was pushed and expires before the next refresh or changed is
 * pushed again.  Without keep-hot the tick stops when nothing is due. */
static void mgr_tick(void *arg)
{
	struct hweb_manager *m = arg;
	uint64_t horizon = sim_now_ns() + m->cfg.refresh_ns;
	int due = 0;
	for (size_t k = 0; k < m->nheld; k++) {
		struct held *h = &m->held[k];
		for (uint32_t id = 0; id < m->cfg.objects; id++) {
			if (h->pushed[id] == HELD_DUE) {
				h->pushed[id] = 0;
				m->st.preheat_pushes += push_one(m, h, id);
				due |= h->pushed[id] == HELD_DUE;
			} else if (!h->pushed[id] || !m->cfg.refresh_ns) {
				continue;
			} else if (h->version[id] != m->version[id]) {
				m->st.modified_pushes += push_one(m, h, id);
			} else if (h->expires_ns[id] && h->expires_ns[id] <= horizon) {
				m->st.refresh_pushes += push_one(m, h, id);
			}
		}
	}
	m->ticking = m->cfg.refresh_ns || due;
	if (m->ticking)
		sim_schedule(mgr_tick_ns(m), mgr_tick, m);
}

static void mgr_tick_start(struct hweb_manager *m)
{
	if (m->ticking)
		return;
	m->ticking = 1;
	sim_schedule(mgr_tick_ns(m), mgr_tick, m);
}

/* The origin changes one object, uniformly chosen; the next one after an
 * exponential gap (a Poisson process of modifications). */
static void mgr_modify(void *arg)
{
	struct hweb_manager *m = arg;
	gsl_rng *rng = m->cfg.rng;
	if (sim_now_ns() > 0) {
		m->version[gsl_rng_uniform_int(rng, m->cfg.objects)]++;
		m->st.modifications++;
	}
	double gap_s = gsl_ran_exponential(rng, 1.0 / m->cfg.modify_per_s);
	sim_schedule((uint64_t)(gap_s * 1e9) + 1, mgr_modify, m);
}

void hweb_manager_removed(void *ctx, uint32_t host_server)
{
	struct hweb_manager *m = ctx;
	for (size_t k = 0; k < m->nheld; k++)
		if (m->held[k].host == host_server)   /* nothing there to keep hot */
			memset(m->held[k].pushed, 0, m->cfg.objects ? m->cfg.objects : 1);
}

void hweb_manager_installed(void *ctx, uint32_t host_server)
{
	struct hweb_manager *m = ctx;
	struct held *h = NULL;
	for (size_t k = 0; k < m->nheld; k++)
		if (m->held[k].host == host_server)
			h = &m->held[k];
	if (!h && m->nheld < HWEB_MAX_HOSTS) {
		h = &m->held[m->nheld];
		size_t n = m->cfg.objects ? m->cfg.objects : 1;
		*h = (struct held){ host_server, calloc(n, sizeof *h->expires_ns),
				    calloc(n, sizeof *h->version), calloc(n, 1) };
		if (!h->expires_ns || !h->version || !h->pushed) {
			free(h->expires_ns);
			free(h->version);
			free(h->pushed);
			return;
		}
		m->nheld++;
	}
	if (!h || !m->rmgr)
		return;
	/* A reinstalled replica starts empty: everything is pushed anew. */
	memset(h->pushed, 0, m->cfg.objects ? m->cfg.objects : 1);
	for (uint32_t id = 0; id < m->cfg.preheat && id < m->cfg.objects; id++)
		m->st.preheat_pushes += push_one(m, h, id);
	if (m->cfg.refresh_ns)
		mgr_tick_start(m);
}

struct hweb_manager *hweb_manager_new(struct sim_node *node, const struct hweb_manager_config *cfg)
{
	if (cfg->preheat > cfg->objects || cfg->page_bytes > RMP_MAX_OBJECT ||
	    (cfg->modify_per_s > 0 && (!cfg->rng || !cfg->objects)))
		return NULL;
	struct hweb_manager *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->cfg = *cfg;
	snprintf(m->name, sizeof m->name, "%s", cfg->name);
	m->cfg.name = m->name;
	m->node = node;
	m->fetcher = http_fetcher_new(node);
	m->version = calloc(cfg->objects ? cfg->objects : 1, sizeof *m->version);
	m->page = malloc(cfg->page_bytes ? cfg->page_bytes : 1);
	struct http_server_config hc = { .name = m->name, .addr = cfg->addr, .port = cfg->port,
					 .handler = mgr_request, .handler_ctx = m };
	if (m->fetcher && m->version && m->page)
		m->srv = http_server_new(node, NULL, &hc);
	if (!m->srv) {
		hweb_manager_free(m);
		return NULL;
	}
	if (cfg->modify_per_s > 0)
		sim_schedule(0, mgr_modify, m);
	return m;
}

void hweb_manager_set_rmgr(struct hweb_manager *m, struct rmgr *rm)
{
	m->rmgr = rm;
}

void hweb_manager_free(struct hweb_manager *m)
{
	if (!m)
		return;
	pending_free_all(&m->pending);
	http_server_free(m->srv);
	http_fetcher_free(m->fetcher);
	for (size_t k = 0; k < m->nheld; k++) {
		free(m->held[k].expires_ns);
		free(m->held[k].version);
		free(m->held[k].pushed);
	}
	free(m->version);
	free(m->page);
	free(m);
}

const struct hweb_manager_stats *hweb_manager_stats(const struct hweb_manager *m)
{
	return &m->st;
}

#define REP_C(field, name, doc) COUNTER_DEF(struct hweb_replica_stats, field, name, doc)
static const struct counter_def replica_defs[] = { HWEB_REPLICA_STATS(REP_C) };
const struct counter_set hweb_replica_counters = COUNTER_SET("hweb_replica", replica_defs);

#define MGR_C(field, name, doc) COUNTER_DEF(struct hweb_manager_stats, field, name, doc)
static const struct counter_def manager_defs[] = { HWEB_MANAGER_STATS(MGR_C) };
const struct counter_set hweb_manager_counters = COUNTER_SET("hweb_manager", manager_defs);
