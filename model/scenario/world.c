/* world.c - build, run and record a scenario; see world.h. */
#include "scenario/world.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "apps/http.h"
#include "apps/hweb.h"
#include "apps/telnet.h"
#include "apps/ttcp.h"
#include "hydranet/hsrv.h"
#include "hydranet/redir.h"
#include "hydranet/rmgr.h"
#include "hydranet/rtd.h"
#include "net/ipv4.h"
#include "results/res.h"
#include "sim/sim.h"
#include "status.h"
#include "testbed/cpu.h"
#include "testbed/wan.h"

/* The nearest policy's metric at one redirector: path delay over links. */
struct wmetric {
	const struct scenario *s;
	uint64_t dist[SCN_MAX_OBJECTS];   /* ns, from the redirector to each node */
};

struct wnode {
	struct world *w;              /* the world it belongs to */
	struct wmetric *metric;       /* redirectors */
	const struct scn_node *cfg;
	sim_node *sim;
	struct redir *redir;          /* role redirector (not in the clean series) */
	struct hsrv *hsrv;            /* role hostserver (not in the clean series) */
	struct cpu *cpu;              /* cost model, when the node has one */
	struct rtd *rtd;              /* routing daemon (redirectors; host servers that announce) */
	struct rsrv *rsrv;            /* replication server (candidates of a replica manager) */
	gsl_rng *rng;                 /* the node's stream (CPU jitter) */
};

struct wworkload {
	gsl_rng *rng;                 /* this workload's random stream */
	const struct scn_workload *cfg;
	const struct scn_service *svc;
	struct http_client *http;
	struct telnet_client *telnet;
	struct ttcp_sender *ttcp;
	uint32_t ttcp_dst;            /* the address its sender targets */
	gsl_rng *obj_rng;             /* which object each request asks for */
	sim_ping *ping;               /* the ping trace, when asked for */
	struct ping_rec { double sent_s, rtt_ms; } *pings;
	size_t npings, cappings;
};

/* One point of a counter time series. */
struct sample {
	double t_s;
	size_t node;
	int counter;                  /* enum sample_counter */
	double value;
};

enum sample_counter { SC_REDIRECTED, SC_FORWARDED, SC_FRAGMENTS_MADE, SC_DELIVERED,
		      SC_REASSEMBLED, SC_ORIGIN_REQUESTS, SC_REPLICA_REQUESTS, SC_NCOUNTERS };
static const char *const sample_names[SC_NCOUNTERS] = {
	"redirected", "forwarded", "fragments_made", "delivered", "reassembled",
	"origin_requests", "replica_requests",
};

/* A replica a replication server started (for its stop and load). */
struct managed {
	struct world *w;
	struct wnode *host;
	struct http_server *srv;      /* an http replica, or */
	struct hweb_replica *hweb;    /* a HydraWeb replica */
	uint32_t origin;
	uint16_t port;
	int installs;                 /* how many times it was installed here */
	uint64_t metered_hits, metered_misses;   /* reported in METERs so far */
};

struct world {
	const struct scenario *s;
	struct rmgr *rmgr[SCN_MAX_OBJECTS];           /* per service */
	struct http_server *origin_http[SCN_MAX_OBJECTS];
	struct managed managed[64];
	size_t nmanaged;
	struct sample *samples;       /* counter time series, in time order */
	size_t nsamples, capsamples;
	struct wnode node[SCN_MAX_OBJECTS];
	sim_link *link[SCN_MAX_OBJECTS];
	struct wworkload wl[SCN_MAX_OBJECTS];
	struct http_server *replica_http[SCN_MAX_OBJECTS];   /* per replica, for stop */
	struct hweb_manager *hweb_mgr[SCN_MAX_OBJECTS];      /* per hydraweb service */
	gsl_rng *svc_rng[SCN_MAX_OBJECTS];                   /* per service (modifications) */
	struct hweb_replica *hweb_rep[SCN_MAX_OBJECTS];      /* per [replica] of a hydraweb service */
	struct wan_delay *wan[SCN_MAX_OBJECTS];              /* per link with delay variation */
	struct worigin { struct http_server *http; struct hweb_manager *hweb; }
		worigin[SCN_MAX_OBJECTS];                    /* per service: the manager's view */
	struct http_server *http[2 * SCN_MAX_OBJECTS];
	size_t nhttp;
	struct telnet_server *telnet[2 * SCN_MAX_OBJECTS];
	size_t ntelnet;
	struct ttcp_receiver *ttcp[2 * SCN_MAX_OBJECTS];
	uint32_t ttcp_addr[2 * SCN_MAX_OBJECTS];   /* the address each listens on */
	size_t nttcp;
	double sim_seconds;
};

static struct wnode *wnode(struct world *w, const char *name)
{
	for (size_t i = 0; i < w->s->nnodes; i++)
		if (!strcmp(w->s->node[i].name, name))
			return &w->node[i];
	return NULL;
}

/* The TCP profile of the era (DESIGN.md, "TCP").  Each value says why. */
static int set_tcp_profile(const struct scenario *s, char *err, size_t errlen)
{
	uint64_t mtu = 65535;
	for (size_t i = 0; i < s->nlinks; i++)
		if (s->link[i].mtu < mtu)
			mtu = s->link[i].mtu;
	char mss[16];
	struct { const char *attr, *value; } bsd[] = {
		/* 4.4BSD-derived stacks of 1998: Reno/NewReno congestion control
		 * (RFC 2001, RFC 2582), no SACK (RFC 2018 was new), no RFC 1323
		 * timestamps or window scaling by default. */
		{ "ns3::TcpL4Protocol::SocketType", "ns3::TcpNewReno" },
		{ "ns3::TcpSocketBase::Sack", "false" },
		{ "ns3::TcpSocketBase::Timestamp", "false" },
		{ "ns3::TcpSocketBase::WindowScaling", "false" },
		/* Slow start from one segment (RFC 2001 section 2). */
		{ "ns3::TcpSocket::InitialCwnd", "1" },
		/* MSS from the interface MTU: MTU - 20 (IP) - 20 (TCP), RFC 879. */
		{ "ns3::TcpSocket::SegmentSize", mss },
		/* BSD retransmit timer: 500 ms slow-timeout ticks, minimum RTO
		 * 1 s, initial RTO 3 s (RFC 1122 4.2.3.1; 4.4BSD tcp_timer.h
		 * TCPTV_MIN = 1 s, TCPTV_SRTTDFLT = 3 s). */
		{ "ns3::TcpSocketBase::MinRto", "1s" },
		{ "ns3::TcpSocketBase::ClockGranularity", "500ms" },
		{ "ns3::RttEstimator::InitialEstimation", "3s" },
		{ "ns3::TcpSocket::ConnTimeout", "3s" },
		/* Delayed ACK: every second segment or 200 ms (4.4BSD fast timer). */
		{ "ns3::TcpSocket::DelAckTimeout", "200ms" },
		{ "ns3::TcpSocket::DelAckCount", "2" },
		/* Socket buffers: 16 KiB each way (FreeBSD 2.2 tcp_sendspace and
		 * tcp_recvspace; assumed from the era's sources, not measured). */
		{ "ns3::TcpSocket::SndBufSize", "16384" },
		{ "ns3::TcpSocket::RcvBufSize", "16384" },
	};
	struct { const char *attr, *value; } modern[] = {
		/* ns-3's own defaults, but an MSS that fits the MTU with the
		 * 12 bytes of timestamp option (ns-3 does not subtract options). */
		{ "ns3::TcpSocket::SegmentSize", mss },
	};
	int bsd_profile = s->sim.tcp_profile == SCN_TCP_BSD1998;
	uint64_t seg = s->sim.mss ? s->sim.mss : mtu - 40 - (bsd_profile ? 0 : 12);
	snprintf(mss, sizeof mss, "%llu", (unsigned long long)seg);
	size_t n = bsd_profile ? sizeof bsd / sizeof bsd[0] : 1;
	for (size_t i = 0; i < n; i++) {
		const char *a = bsd_profile ? bsd[i].attr : modern[i].attr;
		const char *v = bsd_profile ? bsd[i].value : modern[i].value;
		if (sim_set_default(a, v) != HN_OK) {
			snprintf(err, errlen, "%s: ns-3 refused %s = %s", s->path, a, v);
			return HN_ECONFIG;
		}
	}
	return HN_OK;
}

/* SplitMix64 (Steele, Lea, Flood 2014) of the stream's coordinates: well
 * mixed seeds for generators that must not overlap. */
static uint64_t stream_seed(uint32_t seed, uint64_t run, size_t index)
{
	uint64_t z = ((uint64_t)seed << 32) ^ (run << 12) ^ (uint64_t)index;
	z += 0x9e3779b97f4a7c15ull;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void fail_at(char *err, size_t errlen, const struct scenario *s, int line,
		    const char *what, const char *name, int rc)
{
	snprintf(err, errlen, "%s:%d: %s '%s': %s", s->path, line, what, name, hn_strerror(rc));
}

static int node_of(const struct scenario *s, const char *name)
{
	for (size_t i = 0; i < s->nnodes; i++)
		if (!strcmp(s->node[i].name, name))
			return (int)i;
	return -1;
}

/* Dijkstra over the links, by one-way delay: the routing metric a 1998
 * routing daemon would have (delay-based, as OSPF costs are often set). */
static void shortest_delays(const struct scenario *s, size_t from, uint64_t *dist)
{
	int done[SCN_MAX_OBJECTS] = { 0 };
	for (size_t i = 0; i < s->nnodes; i++)
		dist[i] = UINT64_MAX;
	dist[from] = 0;
	for (;;) {
		size_t u = SIZE_MAX;
		for (size_t i = 0; i < s->nnodes; i++)
			if (!done[i] && dist[i] != UINT64_MAX && (u == SIZE_MAX || dist[i] < dist[u]))
				u = i;
		if (u == SIZE_MAX)
			return;
		done[u] = 1;
		for (size_t k = 0; k < s->nlinks; k++) {
			int a = node_of(s, s->link[k].a), b = node_of(s, s->link[k].b);
			int v = a == (int)u ? b : b == (int)u ? a : -1;
			uint64_t d = dist[u] + s->link[k].delay_ns + 1;   /* +1: hops break delay ties */
			if (v >= 0 && d < dist[v])
				dist[v] = d;
		}
	}
}

static uint64_t wmetric_fn(void *ctx, uint32_t addr)
{
	const struct wmetric *m = ctx;
	for (size_t k = 0; k < m->s->nlinks; k++) {
		const struct scn_link *l = &m->s->link[k];
		if (l->a_addr == addr || l->b_addr == addr)
			return m->dist[node_of(m->s, l->a_addr == addr ? l->a : l->b)];
	}
	return UINT64_MAX;
}

static int name_in(const char *list, const char *name)
{
	char buf[256], *save = NULL;
	snprintf(buf, sizeof buf, "%s", list);
	for (char *t = strtok_r(buf, " \t,", &save); t; t = strtok_r(NULL, " \t,", &save))
		if (!strcmp(t, name))
			return 1;
	return 0;
}

/* A HydraWeb replica of service v on host server n: misses go to the
 * manager's service on the origin's address. */
static struct hweb_replica_config hweb_replica_cfg(const struct scenario *s, const struct wnode *n,
						   const struct scn_service *v)
{
	(void)s;
	return (struct hweb_replica_config){
		.name = n->cfg->name, .origin = v->address, .port = (uint16_t)v->port,
		.manager = v->address, .manager_port = HWEB_PORT_MANAGER,
		.processing_ns = v->replica_processing_ns, .cpu = n->cpu,
		.cache_misses = v->cache_misses,
	};
}

/* Replication server ops: a managed replica is an http server bound through
 * the host server's virtual host for the origin. */
static void *managed_start(void *ctx, uint32_t origin, uint16_t port)
{
	struct wnode *n = ctx;
	struct world *w = n->w;
	if (!w)
		return NULL;
	/* A reinstall on the same host server restarts the replica it had. */
	for (size_t i = 0; i < w->nmanaged; i++) {
		struct managed *m = &w->managed[i];
		if (m->host == n && m->origin == origin && m->port == port) {
			int rc = m->hweb ? hweb_replica_restart(m->hweb) : http_server_restart(m->srv);
			return rc == HN_OK ? (m->installs++, m) : NULL;
		}
	}
	if (w->nmanaged == sizeof w->managed / sizeof w->managed[0])
		return NULL;
	int rc = hsrv_vhost_create(n->hsrv, origin, "managed");
	if (rc != HN_OK && rc != HN_EEXIST)
		return NULL;
	struct http_server_config hc = { .name = n->cfg->name, .addr = origin, .port = port,
					 .processing_ns = 0, .cpu = n->cpu };
	const struct scn_service *v = NULL;
	for (size_t k = 0; k < w->s->nservices; k++)
		if (w->s->service[k].address == origin && w->s->service[k].port == port)
			v = &w->s->service[k];
	struct managed *m = &w->managed[w->nmanaged];
	*m = (struct managed){ .w = w, .host = n, .origin = origin, .port = port, .installs = 1 };
	if (v && v->app == SCN_APP_HYDRAWEB) {
		struct hweb_replica_config rc = hweb_replica_cfg(w->s, n, v);
		m->hweb = hweb_replica_new(n->sim, n->hsrv, &rc);
		if (!m->hweb)
			return NULL;
	} else {
		hc.processing_ns = v ? v->processing_ns : 0;
		if (!(m->srv = http_server_new(n->sim, n->hsrv, &hc)))
			return NULL;
	}
	w->nmanaged++;
	return m;
}

static void managed_stop(void *ctx, void *replica)
{
	struct managed *m = replica;
	(void)ctx;
	if (m->hweb)
		hweb_replica_stop(m->hweb);
	else
		http_server_stop(m->srv);
}

static uint64_t managed_requests(const struct managed *m)
{
	return m->hweb ? hweb_replica_stats(m->hweb)->requests : http_server_requests(m->srv);
}

static uint64_t managed_served(void *ctx, void *replica)
{
	(void)ctx;
	return managed_requests(replica);
}

static void managed_push(void *ctx, void *replica, const struct rmp_msg *msg, const uint8_t *data,
			 size_t len)
{
	struct managed *m = replica;
	(void)ctx;
	if (m->hweb)
		hweb_replica_push(m->hweb, msg, data, len);
}

static int managed_meter(void *ctx, void *replica, uint64_t *hits, uint64_t *misses)
{
	struct managed *m = replica;
	(void)ctx;
	if (!m->hweb)
		return 0;   /* an http replica has no cache to meter */
	const struct hweb_replica_stats *h = hweb_replica_stats(m->hweb);
	*hits = h->hits - m->metered_hits;
	*misses = h->misses - m->metered_misses;
	return 1;
}

static void managed_metered(void *ctx, void *replica, uint64_t hits, uint64_t misses)
{
	struct managed *m = replica;
	(void)ctx;
	m->metered_hits += hits;
	m->metered_misses += misses;
}

static size_t managed_active(void *ctx, void *replica)
{
	struct managed *m = replica;
	(void)ctx;
	return m->hweb ? hweb_replica_active(m->hweb) : 0;
}

static uint64_t origin_served(void *ctx)
{
	return http_server_requests(((struct worigin *)ctx)->http);
}

static void origin_service(void *ctx, uint64_t *sum_ns, uint64_t *count)
{
	http_server_service(((struct worigin *)ctx)->http, sum_ns, count);
}

static void origin_installed(void *ctx, uint32_t host_server)
{
	struct worigin *o = ctx;
	if (o->hweb)
		hweb_manager_installed(o->hweb, host_server);
}

static void origin_removed(void *ctx, uint32_t host_server)
{
	struct worigin *o = ctx;
	if (o->hweb)
		hweb_manager_removed(o->hweb, host_server);
}

static void replica_stop(void *arg)
{
	http_server_stop(arg);
}

static void hweb_stop_event(void *arg)
{
	hweb_replica_stop(arg);
}

/* One echo reply of a workload's ping trace. */
static void ping_reply(void *ctx, uint64_t sent_ns, uint64_t rtt_ns)
{
	struct wworkload *wl = ctx;
	if (wl->npings == wl->cappings) {
		size_t cap = wl->cappings ? 2 * wl->cappings : 256;
		struct ping_rec *n = realloc(wl->pings, cap * sizeof *n);
		if (!n)
			return;   /* the trace ends early; ping_received says so */
		wl->pings = n;
		wl->cappings = cap;
	}
	wl->pings[wl->npings++] = (struct ping_rec){ (double)sent_ns / 1e9, (double)rtt_ns / 1e6 };
}

/* A node's address on its first link (names it as a tunnel end). */
static uint32_t node_addr(const struct scenario *s, const char *name)
{
	for (size_t k = 0; k < s->nlinks; k++) {
		if (!strcmp(s->link[k].a, name))
			return s->link[k].a_addr;
		if (!strcmp(s->link[k].b, name))
			return s->link[k].b_addr;
	}
	return 0;
}

/* A ttcp receiver for service v on node n at addr, bound through hs when set. */
static int add_ttcp_receiver(struct world *w, struct wnode *n, struct hsrv *hs,
			     const struct scn_service *v, uint32_t addr)
{
	/* Size the receiver for the service's workload (it has one). */
	uint64_t buflen = 8192, nbuf = 1;
	for (size_t i = 0; i < w->s->nworkloads; i++)
		if (!strcmp(w->s->workload[i].service, v->name)) {
			buflen = w->s->workload[i].buflen;
			nbuf = w->s->workload[i].nbuf;
		}
	struct ttcp_config tc = { (uint32_t)buflen, (uint32_t)nbuf, v->protocol == SCN_UDP, addr,
				  (uint16_t)v->port, 0 };
	struct ttcp_receiver *r = ttcp_receiver_new(n->sim, hs, n->cpu, &tc);
	if (!r)
		return HN_EINVAL;
	w->ttcp[w->nttcp] = r;
	w->ttcp_addr[w->nttcp++] = addr;
	return HN_OK;
}

struct world *world_build(const struct scenario *s, const struct world_options *o,
			  char *err, size_t errlen)
{
	struct world *w = calloc(1, sizeof *w);
	if (!w) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	w->s = s;
	struct sim_config sc = { .seed = o->seed, .run = o->run };
	if (sim_init(&sc) != HN_OK) {
		snprintf(err, errlen, "simulator already running");
		free(w);
		return NULL;
	}
	if (set_tcp_profile(s, err, errlen) != HN_OK)
		goto fail;
	for (size_t i = 0; i < s->nnodes; i++) {
		w->node[i].cfg = &s->node[i];
		w->node[i].w = w;
		w->node[i].sim = sim_node_create(s->node[i].name);
		if (!w->node[i].sim) {
			fail_at(err, errlen, s, s->node_at[i].line, "node", s->node[i].name, HN_ENOMEM);
			goto fail;
		}
	}
	for (size_t i = 0; i < s->nlinks; i++) {
		const struct scn_link *l = &s->link[i];
		struct sim_link_config lc = {
			.rate_bps = s->testbed.link_rate_bps ? s->testbed.link_rate_bps : l->rate_bps,
			.delay_ns = l->delay_ns,
			.mtu_bytes = (uint32_t)l->mtu, .queue_packets = (uint32_t)l->queue,
			.loss_rate = l->loss,
		};
		if (l->delay_variation_ns) {
			w->wan[i] = wan_delay_new(l->delay_variation_ns, l->variation_period_ns,
						  stream_seed(o->seed, o->run, 3000 + i));
			if (!w->wan[i]) {
				fail_at(err, errlen, s, s->link_at[i].line, "link", l->name, HN_ENOMEM);
				goto fail;
			}
			lc.extra_delay = wan_delay_at;
			lc.extra_delay_ctx = w->wan[i];
		}
		if (!(w->link[i] = sim_link_create(wnode(w, l->a)->sim, wnode(w, l->b)->sim, &lc,
						   l->a_addr, l->b_addr, (uint8_t)l->prefix))) {
			fail_at(err, errlen, s, s->link_at[i].line, "link", l->name, HN_ECONFIG);
			goto fail;
		}
	}
	sim_routing_populate();

	/* Cost models first: their hooks must see what the HydraNet modules
	 * see (PRE_ROUTING) or be left (FORWARD); see cpu.h. */
	int hydranet = s->testbed.series != SCN_SERIES_CLEAN;
	for (size_t i = 0; i < s->nnodes; i++) {
		struct wnode *n = &w->node[i];
		const struct scn_node *c = n->cfg;
		n->rng = gsl_rng_alloc(gsl_rng_mt19937);
		if (!n->rng) {
			fail_at(err, errlen, s, s->node_at[i].line, "node", c->name, HN_ENOMEM);
			goto fail;
		}
		gsl_rng_set(n->rng, (unsigned long)stream_seed(o->seed, o->run, 1000 + i));
		if (!c->cpu)
			continue;
		struct cpu_config cc = {
			.hydranet_kernel = hydranet && (c->role == SCN_REDIRECTOR || c->role == SCN_HOSTSERVER),
			.jitter = s->testbed.jitter,
			.rng = n->rng,
		};
		if (cpu_profile_make(c->cpu == 1 ? "pentium-120" : "i486sx-33", s->testbed.ip_share,
				     &cc.profile) != 0) {
			fail_at(err, errlen, s, s->node_at[i].line, "node", c->name, HN_ECONFIG);
			goto fail;
		}
		for (int k = 0; k < CPU_NOPS; k++)
			cc.profile.op_ns[k] = (uint64_t)((double)cc.profile.op_ns[k] * s->testbed.cpu_scale);
		cc.profile.decap_copies = (unsigned)s->testbed.decap_copies;
		n->cpu = cpu_new(&cc);
		if (!n->cpu) {
			fail_at(err, errlen, s, s->node_at[i].line, "node", c->name, HN_ENOMEM);
			goto fail;
		}
	}
	/* HydraNet nodes (unmodified software in the clean series). */
	for (size_t i = 0; i < s->nnodes; i++) {
		struct wnode *n = &w->node[i];
		const struct scn_node *c = n->cfg;
		int rc = HN_OK;
		if (hydranet && c->role == SCN_REDIRECTOR) {
			struct redir_config rc_cfg = {
				.outer_ttl = (uint8_t)c->outer_ttl,
				.frag = { c->frag_max_flows, c->frag_max_held_bytes, c->frag_hold_ns },
				.policy = (enum redir_policy)c->policy,
				.flow_table = c->flow_table != 0,
				.flow_idle_ns = c->flow_idle_ns,
			};
			n->redir = redir_new(&rc_cfg, NULL);
			n->metric = n->redir ? calloc(1, sizeof *n->metric) : NULL;
			if (n->metric) {
				n->metric->s = s;
				shortest_delays(s, i, n->metric->dist);
				redir_set_metric(n->redir, wmetric_fn, n->metric);
			}
			rc = n->redir ? redir_attach(n->redir, n->sim) : HN_ENOMEM;
			if (rc == HN_OK && n->cpu) {
				rc = cpu_attach(n->cpu, n->sim);   /* FORWARD: after the redirector */
				struct redir_io io = cpu_redir_io(n->cpu);
				redir_set_io(n->redir, &io);
			}
		} else if (hydranet && c->role == SCN_HOSTSERVER) {
			struct hsrv_config hc = {
				.reass = { c->reass_max_datagrams, c->reass_max_bytes, c->reass_timeout_ns },
				.frag = { c->frag_max_flows, c->frag_max_held_bytes, c->frag_hold_ns },
			};
			n->hsrv = hsrv_new(&hc, NULL);
			if (!n->hsrv)
				rc = HN_ENOMEM;
			if (rc == HN_OK && n->cpu)
				rc = cpu_attach(n->cpu, n->sim);   /* PRE_ROUTING: before the host server */
			if (rc == HN_OK)
				rc = hsrv_attach(n->hsrv, n->sim);
			if (rc == HN_OK && n->cpu) {
				struct hsrv_io io = cpu_hsrv_io(n->cpu);
				hsrv_set_io(n->hsrv, &io);
			}
		} else if (n->cpu) {
			rc = cpu_attach(n->cpu, n->sim);
		}
		if (rc != HN_OK) {
			fail_at(err, errlen, s, s->node_at[i].line, "node", c->name, rc);
			goto fail;
		}
	}
	/* Routing daemons: every redirector listens; a host server with a
	 * replica announced by daemon tells that replica's redirectors.  They
	 * exist before the replicas bind, so the first bind is announced. */
	for (size_t i = 0; i < s->nnodes && hydranet; i++) {
		struct wnode *n = &w->node[i];
		if (n->redir && !(n->rtd = rtd_redir_new(n->sim, n->redir))) {
			fail_at(err, errlen, s, s->node_at[i].line, "redirector", n->cfg->name, HN_ENOMEM);
			goto fail;
		}
		if (!n->hsrv)
			continue;
		uint32_t reds[16];
		size_t nred = 0;
		int candidate = 0;
		for (size_t k = 0; k < s->nservices; k++)
			candidate |= s->service[k].manager && name_in(s->service[k].candidates, n->cfg->name);
		for (size_t k = 0; k < s->nnodes && candidate; k++)
			if (s->node[k].role == SCN_REDIRECTOR && nred < 16)
				reds[nred++] = node_addr(s, s->node[k].name);
		for (size_t k = 0; k < s->nreplicas; k++) {
			const struct scn_replica *r = &s->replica[k];
			if (!r->announce || strcmp(r->host_server, n->cfg->name))
				continue;
			char list[sizeof r->redirectors], *save = NULL;
			snprintf(list, sizeof list, "%s", r->redirectors);
			for (char *t = strtok_r(list, " \t,", &save); t; t = strtok_r(NULL, " \t,", &save)) {
				uint32_t a = node_addr(s, t);
				int known = 0;
				for (size_t j = 0; j < nred; j++)
					known |= reds[j] == a;
				if (!known && nred < 16)
					reds[nred++] = a;
			}
		}
		if (!nred)
			continue;
		struct rtd_config rc = { n->cfg->announce_lifetime_ns, n->cfg->announce_refresh_ns,
					 n->cfg->withdraw != 0 };
		if (!(n->rtd = rtd_host_new(n->sim, n->hsrv, node_addr(s, n->cfg->name), reds, nred, &rc))) {
			fail_at(err, errlen, s, s->node_at[i].line, "host server", n->cfg->name, HN_ECONFIG);
			goto fail;
		}
		if (candidate) {
			struct rsrv_ops ops = { .start = managed_start, .stop = managed_stop,
						 .served = managed_served, .push = managed_push,
						 .meter = managed_meter, .metered = managed_metered,
						 .active = managed_active,
						 .ctx = n };
			uint64_t ivl = 0;
			for (size_t k = 0; k < s->nservices; k++)
				if (s->service[k].manager && name_in(s->service[k].candidates, n->cfg->name))
					ivl = s->service[k].load_interval_ns;
			n->rsrv = rsrv_new(n->sim, node_addr(s, n->cfg->name), &ops, ivl);
			if (!n->rsrv) {
				fail_at(err, errlen, s, s->node_at[i].line, "host server", n->cfg->name, HN_ECONFIG);
				goto fail;
			}
		}
	}
	/* Services on their origin hosts. */
	for (size_t i = 0; i < s->nservices; i++) {
		const struct scn_service *v = &s->service[i];
		struct wnode *o_node = wnode(w, v->origin);
		int ok;
		if (v->app == SCN_APP_TTCP) {
			ok = add_ttcp_receiver(w, o_node, NULL, v, v->address) == HN_OK;
		} else if (v->app == SCN_APP_HTTP || v->app == SCN_APP_HYDRAWEB) {
			struct http_server_config hc = { .name = v->origin, .addr = v->address, .port = (uint16_t)v->port,
							 .processing_ns = v->processing_ns, .cpu = o_node->cpu };
			ok = (w->http[w->nhttp] = http_server_new(o_node->sim, NULL, &hc)) != NULL;
			w->origin_http[i] = ok ? w->http[w->nhttp] : NULL;
			w->nhttp += ok;
			w->worigin[i].http = w->origin_http[i];
			if (ok && v->app == SCN_APP_HYDRAWEB) {
				/* The manager's miss service beside the Web server, and
				 * the origin's stream of modifications. */
				w->svc_rng[i] = gsl_rng_alloc(gsl_rng_mt19937);
				if (w->svc_rng[i])
					gsl_rng_set(w->svc_rng[i], (unsigned long)stream_seed(o->seed, o->run, 2000 + i));
				struct hweb_manager_config hm = {
					.name = v->origin, .addr = v->address, .port = HWEB_PORT_MANAGER,
					.web = v->address, .web_port = (uint16_t)v->port,
					.processing_ns = v->manager_processing_ns, .cpu = o_node->cpu,
					.page_bytes = (uint32_t)v->page_bytes, .objects = (uint32_t)v->objects,
					.preheat = (uint32_t)v->preheat, .ttl_s = (uint32_t)(v->object_ttl_ns / 1000000000ull),
					.refresh_ns = v->refresh_ns, .modify_per_s = v->modify_rate, .rng = w->svc_rng[i],
				};
				ok = w->svc_rng[i] && (w->hweb_mgr[i] = hweb_manager_new(o_node->sim, &hm)) != NULL;
				w->worigin[i].hweb = w->hweb_mgr[i];
			}
			if (ok && v->manager && hydranet) {
				struct rmgr_config mc = {
					.origin = v->address, .service = (uint16_t)(i + 1),
					.port = (uint16_t)v->port, .image_bytes = (uint32_t)v->image_bytes,
					.policy = v->manager == 1 ? RMGR_STATIC : RMGR_DYNAMIC,
					.trigger = v->trigger ? RMGR_ON_LATENCY : RMGR_ON_LOAD,
					.install_above_rps = v->install_above_rps,
					.install_above_ms = v->install_above_ms,
					.remove_below_rps = v->remove_below_rps,
					.idle_intervals = (unsigned)v->idle_intervals,
					.interval_ns = v->load_interval_ns,
				};
				char list[sizeof v->candidates], *save = NULL;
				snprintf(list, sizeof list, "%s", v->candidates);
				for (char *t = strtok_r(list, " \t,", &save); t && mc.ncandidates < RMGR_MAX_CANDIDATES;
				     t = strtok_r(NULL, " \t,", &save))
					mc.candidates[mc.ncandidates++] = node_addr(s, t);
				struct rmgr_origin og = { .served = origin_served, .service = origin_service,
							  .installed = origin_installed, .removed = origin_removed,
							  .ctx = &w->worigin[i] };
				ok = (w->rmgr[i] = rmgr_new(o_node->sim, &mc, &og)) != NULL;
				if (ok && w->hweb_mgr[i])
					hweb_manager_set_rmgr(w->hweb_mgr[i], w->rmgr[i]);
			}
		} else {
			ok = (w->telnet[w->ntelnet] = telnet_server_new(o_node->sim, NULL, v->origin,
									 v->address, (uint16_t)v->port)) != NULL;
			w->ntelnet += ok;
		}
		if (!ok) {
			fail_at(err, errlen, s, s->service_at[i].line, "service", v->name, HN_EINVAL);
			goto fail;
		}
	}
	/* Replicas: a virtual host (v_host) on the host server, the replica
	 * application bound to the origin's port through it, and the entry in
	 * each named redirector's table. */
	for (size_t i = 0; i < s->nreplicas; i++) {
		const struct scn_replica *r = &s->replica[i];
		const struct scn_service *v = scenario_service(s, r->service);
		struct wnode *h = wnode(w, r->host_server);
		int rc = HN_OK, ok = 1;
		if (s->testbed.series != SCN_SERIES_VIRTUALHOST) {
			/* The same service on the host server's own address: the
			 * target of the clean and realhost series. */
			uint32_t own = node_addr(s, r->host_server);
			if (v->app == SCN_APP_TTCP) {
				rc = add_ttcp_receiver(w, h, NULL, v, own);
			} else if (v->app == SCN_APP_HTTP || v->app == SCN_APP_HYDRAWEB) {
				struct http_server_config hc = { .name = r->host_server, .addr = own, .port = (uint16_t)v->port,
							 .processing_ns = v->processing_ns, .cpu = h->cpu };
				w->http[w->nhttp] = http_server_new(h->sim, NULL, &hc);
				rc = w->http[w->nhttp] ? HN_OK : HN_EINVAL;
				w->nhttp += rc == HN_OK;
			} else {
				w->telnet[w->ntelnet] = telnet_server_new(h->sim, NULL, r->host_server, own,
									  (uint16_t)v->port);
				rc = w->telnet[w->ntelnet] ? HN_OK : HN_EINVAL;
				w->ntelnet += rc == HN_OK;
			}
			if (rc != HN_OK) {
				fail_at(err, errlen, s, s->replica_at[i].line, "replica", r->name, rc);
				goto fail;
			}
		}
		if (!hydranet)
			continue;   /* clean: unmodified software, no replicas */
		if (r->state != SCN_REPLICA_ABSENT)
			rc = hsrv_vhost_create(h->hsrv, v->address, v->name);
		if (rc != HN_OK && rc != HN_EEXIST) {
			fail_at(err, errlen, s, s->replica_at[i].line, "replica", r->name, rc);
			goto fail;
		}
		if (r->state != SCN_REPLICA_RUNNING)
			;   /* no application bound: the table entry is stale */
		else if (v->app == SCN_APP_TTCP)
			ok = add_ttcp_receiver(w, h, h->hsrv, v, v->address) == HN_OK;
		else if (v->app == SCN_APP_HTTP) {
			struct http_server_config hc = { .name = r->host_server, .addr = v->address, .port = (uint16_t)v->port,
							 .processing_ns = v->processing_ns, .cpu = h->cpu };
			ok = (w->http[w->nhttp] = http_server_new(h->sim, h->hsrv, &hc)) != NULL;
			if (ok && r->stop_ns) {
				w->replica_http[i] = w->http[w->nhttp];
				sim_schedule(r->stop_ns, replica_stop, w->replica_http[i]);
			}
			w->nhttp += ok;
		} else if (v->app == SCN_APP_HYDRAWEB) {
			/* Configured, not installed: no preheating, the cache holds
			 * only what cache_misses keeps. */
			struct hweb_replica_config hc = hweb_replica_cfg(s, h, v);
			ok = (w->hweb_rep[i] = hweb_replica_new(h->sim, h->hsrv, &hc)) != NULL;
			if (ok && r->stop_ns)
				sim_schedule(r->stop_ns, hweb_stop_event, w->hweb_rep[i]);
		} else {
			ok = (w->telnet[w->ntelnet] = telnet_server_new(h->sim, h->hsrv, r->host_server,
									 v->address, (uint16_t)v->port)) != NULL;
			w->ntelnet += ok;
		}
		if (!ok) {
			fail_at(err, errlen, s, s->replica_at[i].line, "replica", r->name, HN_EINVAL);
			goto fail;
		}
		/* The host server's address on its first link names it in tunnels. */
		uint32_t hs_addr = node_addr(s, r->host_server);
		char list[sizeof r->redirectors], *save = NULL;
		snprintf(list, sizeof list, "%s", r->redirectors);
		/* Announced replicas reach the tables through the routing daemons. */
		for (char *t = r->announce ? NULL : strtok_r(list, " \t,", &save); t;
		     t = strtok_r(NULL, " \t,", &save)) {
			rc = redir_table_add(wnode(w, t)->redir, v->address, (uint16_t)v->port,
					     v->protocol == SCN_TCP ? IPV4_PROTO_TCP : IPV4_PROTO_UDP,
					     hs_addr);
			if (rc != HN_OK) {
				fail_at(err, errlen, s, s->replica_at[i].line, "replica", r->name, rc);
				goto fail;
			}
		}
	}
	/* Client workloads. */
	for (size_t i = 0; i < s->nworkloads; i++) {
		const struct scn_workload *c = &s->workload[i];
		struct wworkload *wl = &w->wl[i];
		wl->cfg = c;
		wl->svc = scenario_service(s, c->service);
		sim_node *cn = wnode(w, c->client)->sim;
		/* Independent streams: one GSL generator per workload, seeded
		 * from (seed, run, workload index); ns-3's own streams follow
		 * its run number. */
		wl->rng = gsl_rng_alloc(gsl_rng_mt19937);
		if (!wl->rng) {
			fail_at(err, errlen, s, s->workload_at[i].line, "workload", c->name, HN_ENOMEM);
			goto fail;
		}
		gsl_rng_set(wl->rng, (unsigned long)stream_seed(o->seed, o->run, i));
		struct app_think think = { c->think_ns,
					   c->think_dist == SCN_DIST_EXPONENTIAL ? wl->rng : NULL };
		int ok;
		/* virtualhost (HydraNet's normal case): the client addresses the
		 * origin.  clean and realhost, the paper's baselines: it addresses
		 * the replica's host server by its own address, a traditional port. */
		uint32_t dst = wl->svc->address;
		for (size_t k = 0; k < s->nreplicas && s->testbed.series != SCN_SERIES_VIRTUALHOST; k++)
			if (!strcmp(s->replica[k].service, wl->svc->name)) {
				dst = node_addr(s, s->replica[k].host_server);
				break;
			}
		if (wl->svc->app == SCN_APP_TTCP) {
			struct ttcp_config tc = {
				.buflen = (uint32_t)c->buflen, .nbuf = (uint32_t)c->nbuf,
				.udp = wl->svc->protocol == SCN_UDP, .addr = dst,
				.port = (uint16_t)wl->svc->port, .start_ns = c->start_ns,
			};
			wl->ttcp_dst = dst;
			ok = (wl->ttcp = ttcp_sender_new(cn, wnode(w, c->client)->cpu, &tc)) != NULL;
		} else if (wl->svc->app == SCN_APP_HTTP || wl->svc->app == SCN_APP_HYDRAWEB) {
			uint64_t objects = c->objects ? c->objects
					   : wl->svc->app == SCN_APP_HYDRAWEB ? wl->svc->objects : 0;
			wl->obj_rng = gsl_rng_alloc(gsl_rng_mt19937);
			if (wl->obj_rng)
				gsl_rng_set(wl->obj_rng, (unsigned long)stream_seed(o->seed, o->run, 500 + i));
			struct http_client_config hc = {
				.objects = (uint32_t)objects, .object_rng = wl->obj_rng,
				.server_addr = dst, .server_port = (uint16_t)wl->svc->port,
				.object_bytes = (uint32_t)c->object_bytes,
				.request_bytes = (uint32_t)c->request_bytes,
				.requests = (uint32_t)c->requests, .start_ns = c->start_ns,
				.think = think, .clients = (uint32_t)c->clients, .stop_ns = c->stop_ns,
			};
			ok = wl->obj_rng && (wl->http = http_client_new(cn, &hc)) != NULL;
		} else {
			struct telnet_client_config tc = {
				.server_addr = dst, .server_port = (uint16_t)wl->svc->port,
				.bytes = (uint32_t)c->typed_bytes, .write_bytes = (uint32_t)c->write_bytes,
				.write_gap_ns = c->write_gap_ns, .sessions = (uint32_t)c->requests,
				.start_ns = c->start_ns, .think = think,
			};
			ok = (wl->telnet = telnet_client_new(cn, &tc)) != NULL;
		}
		if (!ok) {
			fail_at(err, errlen, s, s->workload_at[i].line, "workload", c->name, HN_EINVAL);
			goto fail;
		}
	}
	/* Ping traces: from each workload's client to its service's address. */
	for (size_t i = 0; i < s->nworkloads; i++) {
		const struct scn_workload *c = &s->workload[i];
		struct wworkload *wl = &w->wl[i];
		if (!c->ping_ns)
			continue;
		wl->ping = sim_ping_start(wnode(w, c->client)->sim, wl->svc->address,
					  (uint32_t)c->ping_bytes, c->ping_ns, c->start_ns,
					  s->sim.stop_ns, ping_reply, wl);
		if (!wl->ping) {
			fail_at(err, errlen, s, s->workload_at[i].line, "workload", c->name, HN_EINVAL);
			goto fail;
		}
	}
	if (o->pcap_dir && *o->pcap_dir && sim_pcap_enable(o->pcap_dir) != HN_OK) {
		snprintf(err, errlen, "%s: cannot write pcap files", o->pcap_dir);
		goto fail;
	}
	return w;
fail:
	world_free(w);
	return NULL;
}

static void add_sample(struct world *w, size_t node, int counter, double v)
{
	if (w->nsamples == w->capsamples) {
		size_t cap = w->capsamples ? 2 * w->capsamples : 256;
		struct sample *n = realloc(w->samples, cap * sizeof *n);
		if (!n)
			return;   /* the series ends early; the counters stay exact */
		w->samples = n;
		w->capsamples = cap;
	}
	w->samples[w->nsamples++] = (struct sample){ (double)sim_now_ns() / 1e9, node, counter, v };
}

/* Every sample interval: the cumulative counters of each HydraNet node. */
static void sample_tick(void *arg)
{
	struct world *w = arg;
	for (size_t i = 0; i < w->s->nnodes; i++) {
		const struct wnode *n = &w->node[i];
		if (n->redir) {
			const struct redir_stats *r = redir_stats(n->redir);
			add_sample(w, i, SC_REDIRECTED, (double)r->redirected);
			add_sample(w, i, SC_FORWARDED, (double)r->forwarded);
			add_sample(w, i, SC_FRAGMENTS_MADE, (double)r->fragments_made);
		}
		if (n->hsrv) {
			const struct hsrv_stats *h = hsrv_stats(n->hsrv);
			add_sample(w, i, SC_DELIVERED, (double)h->delivered);
			add_sample(w, i, SC_REASSEMBLED, (double)h->reassembled);
		}
	}
	for (size_t i = 0; i < w->s->nservices; i++)
		if (w->origin_http[i])
			add_sample(w, i, SC_ORIGIN_REQUESTS, (double)http_server_requests(w->origin_http[i]));
	for (size_t i = 0; i < w->nmanaged; i++)
		add_sample(w, i, SC_REPLICA_REQUESTS, (double)managed_requests(&w->managed[i]));
	if (sim_now_ns() + w->s->out.sample_ns <= w->s->sim.stop_ns)
		sim_schedule(w->s->out.sample_ns, sample_tick, w);
}

double world_run(struct world *w)
{
	if (w->s->out.sample_ns)
		sim_schedule(0, sample_tick, w);
	sim_run(w->s->sim.stop_ns);
	w->sim_seconds = (double)sim_now_ns() / 1e9;
	return w->sim_seconds;
}

uint64_t world_events(const struct world *w)
{
	(void)w;
	return sim_event_count();
}

/* ---- results ------------------------------------------------------------- */

typedef int (*metric_fn)(void *ctx, const char *scope, const char *name, double v);

/* Every drop counter of a module as metric "drop.PREFIX<reason>". */
#define PUT_DROPS(scope, prefix, name_of, drops, n) \
	do { \
		for (int k_ = 0; k_ < (n); k_++) { \
			snprintf(name, sizeof name, "drop.%s%s", (prefix), name_of(k_)); \
			put(ctx, (scope), name, (double)(drops)[k_]); \
		} \
	} while (0)

/* A HydraWeb replica's counters, in its host server's scope, named
 * hweb.COUNTER.SERVICE (a host server may run replicas of several). */
static void put_hweb_replica(metric_fn put, void *ctx, const char *sc, const char *svc,
			     const struct hweb_replica *r)
{
	const struct hweb_replica_stats *h = hweb_replica_stats(r);
	const struct { const char *name; uint64_t v; } c[] = {
		{ "hweb.requests", h->requests }, { "hweb.hits", h->hits },
		{ "hweb.misses", h->misses }, { "hweb.stale", h->stale },
		{ "hweb.pushed", h->pushed }, { "hweb.pushed_bytes", h->pushed_bytes },
		{ "hweb.cached_misses", h->cached_misses },
		{ "hweb.cache_objects", hweb_cache_objects(hweb_replica_cache(r)) },
		{ "drop.hweb_miss_failed", h->miss_failed },
	};
	char name[96];
	for (size_t k = 0; k < sizeof c / sizeof c[0]; k++) {
		snprintf(name, sizeof name, "%s.%s", c[k].name, svc);
		put(ctx, sc, name, (double)c[k].v);
	}
}

/* Mean of v[0..n) as NAME_mean_s and the half-width of its 95% confidence
 * interval (Student t, n - 1 degrees of freedom) as NAME_ci95_s. */
static void put_mean_ci(metric_fn put, void *ctx, const char *sc, const char *base,
			const double *v, size_t n)
{
	char name[96];
	if (!n)
		return;
	snprintf(name, sizeof name, "%s_mean_s", base);
	put(ctx, sc, name, gsl_stats_mean(v, 1, n));
	if (n < 2)
		return;
	snprintf(name, sizeof name, "%s_ci95_s", base);
	put(ctx, sc, name, gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * gsl_stats_sd(v, 1, n) /
			   sqrt((double)n));
}

static void walk_metrics(const struct world *w, metric_fn put, void *ctx)
{
	char name[96];
	for (size_t i = 0; i < w->s->nnodes; i++) {
		const struct wnode *n = &w->node[i];
		const char *sc = n->cfg->name;
		if (n->rtd) {
			const struct rtd_stats *d = rtd_stats(n->rtd);
			put(ctx, sc, "rtd.announces_sent", (double)d->announces_sent);
			put(ctx, sc, "rtd.withdraws_sent", (double)d->withdraws_sent);
			put(ctx, sc, "rtd.bytes_sent", (double)d->bytes_sent);
			put(ctx, sc, "rtd.announces_received", (double)d->announces_received);
			put(ctx, sc, "rtd.withdraws_received", (double)d->withdraws_received);
			put(ctx, sc, "rtd.entries_applied", (double)d->entries_applied);
			PUT_DROPS(sc, "", rtd_drop_name, d->drops, RTD_NDROP);
		}
		if (n->redir) {
			const struct redir_stats *r = redir_stats(n->redir);
			const struct ipv4_frag_stats *f = redir_frag_stats(n->redir);
			const struct fragflow_stats *ff = redir_fragflow_stats(n->redir);
			put(ctx, sc, "seen", (double)r->seen);
			put(ctx, sc, "redirected", (double)r->redirected);
			put(ctx, sc, "redirected_bytes", (double)r->redirected_bytes);
			put(ctx, sc, "forwarded", (double)r->forwarded);
			put(ctx, sc, "forwarded_by_c", (double)r->forwarded_by_c);
			put(ctx, sc, "flows_new", (double)r->flows_new);
			put(ctx, sc, "flows_kept", (double)r->flows_kept);
			put(ctx, sc, "flows_rerouted", (double)r->flows_rerouted);
			put(ctx, sc, "flows_existing", (double)r->flows_existing);
			put(ctx, sc, "flows_to_origin", (double)r->to_origin);
			put(ctx, sc, "drop.flow_table_full", (double)r->flows_table_full);
			put(ctx, sc, "outer_fragmented", (double)r->outer_fragmented);
			put(ctx, sc, "fragments_made", (double)r->fragments_made);
			put(ctx, sc, "inner_frags_matched", (double)ff->matched);
			put(ctx, sc, "inner_frags_held", (double)ff->held);
			put(ctx, sc, "inner_frags_released", (double)ff->released);
			PUT_DROPS(sc, "", redir_drop_name, r->drops, REDIR_NDROP);
			PUT_DROPS(sc, "frag_", ipv4_frag_drop_name, f->drops, IPV4_FRAG_NDROP);
			PUT_DROPS(sc, "", fragflow_drop_name, ff->drops, FRAGFLOW_NDROP);
		}
		if (n->rsrv) {
			const struct rmgr_stats *m = rsrv_stats(n->rsrv);
			put(ctx, sc, "rmp.installs", (double)m->installs);
			put(ctx, sc, "rmp.removes", (double)m->removes);
			put(ctx, sc, "rmp.msgs_sent", (double)m->msgs_sent);
			put(ctx, sc, "rmp.msgs_received", (double)m->msgs_received);
			put(ctx, sc, "rmp.bytes_received", (double)m->bytes_received);
			put(ctx, sc, "rmp.image_bytes", (double)m->image_bytes);
			put(ctx, sc, "rmp.pushes", (double)m->pushes);
			put(ctx, sc, "rmp.push_bytes", (double)m->push_bytes);
			put(ctx, sc, "rmp.meters", (double)m->meters);
			PUT_DROPS(sc, "", rmgr_drop_name, m->drops, RMGR_NDROP);
		}
		if (n->hsrv) {
			const struct hsrv_stats *h = hsrv_stats(n->hsrv);
			const struct ipv4_reass_stats *ra = hsrv_reass_stats(n->hsrv);
			const struct fragflow_stats *ff = hsrv_fragflow_stats(n->hsrv);
			put(ctx, sc, "tunnelled_in", (double)h->tunnelled_in);
			put(ctx, sc, "outer_fragments_in", (double)ra->fragments);
			put(ctx, sc, "reassembled", (double)h->reassembled);
			put(ctx, sc, "decapsulated", (double)h->decapsulated);
			put(ctx, sc, "delivered", (double)h->delivered);
			put(ctx, sc, "delivered_bytes", (double)h->delivered_bytes);
			put(ctx, sc, "reass_overlaps_trimmed", (double)ra->overlaps_trimmed);
			put(ctx, sc, "reass_timed_out", (double)ra->datagrams_timed_out);
			PUT_DROPS(sc, "", hsrv_drop_name, h->drops, HSRV_NDROP);
			PUT_DROPS(sc, "reass_", ipv4_reass_drop_name, ra->drops, IPV4_REASS_NDROP);
			PUT_DROPS(sc, "", fragflow_drop_name, ff->drops, FRAGFLOW_NDROP);
		}
	}
	for (size_t i = 0; i < w->s->nnodes; i++) {
		const struct wnode *n = &w->node[i];
		if (!n->cpu)
			continue;
		const struct cpu_stats *c = cpu_stats(n->cpu);
		put(ctx, n->cfg->name, "cpu.busy_s", (double)c->busy_ns / 1e9);
		put(ctx, n->cfg->name, "cpu.max_backlog_ms", (double)c->max_backlog_ns / 1e6);
		put(ctx, n->cfg->name, "cpu.copied_bytes", (double)c->copied_bytes);
		put(ctx, n->cfg->name, "drop.cpu_emit_failed", (double)c->emit_failed);
		for (int k = 0; k < CPU_NOPS; k++) {
			snprintf(name, sizeof name, "cpu.n_%s", cpu_op_name(k));
			put(ctx, n->cfg->name, name, (double)c->charges[k]);
		}
	}
	for (size_t i = 0; i < w->s->nlinks; i++) {
		char sc[SCN_NAME_MAX + 16];
		snprintf(sc, sizeof sc, "link:%s", w->s->link[i].name);
		put(ctx, sc, "bytes_a_to_b", (double)sim_link_tx_bytes(w->link[i], 0));
		put(ctx, sc, "bytes_b_to_a", (double)sim_link_tx_bytes(w->link[i], 1));
		put(ctx, sc, "frames", (double)(sim_link_tx_packets(w->link[i], 0) +
						sim_link_tx_packets(w->link[i], 1)));
	}
	for (size_t i = 0; i < w->s->nservices; i++) {
		char sc[SCN_NAME_MAX + 16];
		snprintf(sc, sizeof sc, "service:%s", w->s->service[i].name);
		if (w->origin_http[i])
			put(ctx, sc, "origin_requests", (double)http_server_requests(w->origin_http[i]));
		if (!w->rmgr[i])
			continue;
		const struct rmgr_stats *m = rmgr_stats(w->rmgr[i]);
		put(ctx, sc, "rmp.installs", (double)m->installs);
		put(ctx, sc, "rmp.removes", (double)m->removes);
		put(ctx, sc, "rmp.loads", (double)m->loads);
		put(ctx, sc, "rmp.msgs_sent", (double)m->msgs_sent);
		put(ctx, sc, "rmp.msgs_received", (double)m->msgs_received);
		put(ctx, sc, "rmp.bytes_sent", (double)m->bytes_sent);
		put(ctx, sc, "rmp.image_bytes", (double)m->image_bytes);
		put(ctx, sc, "replicas_installed_at_end", (double)rmgr_installed(w->rmgr[i]));
		if (w->hweb_mgr[i]) {   /* HydraWeb: pushes out, hit metering back */
			put(ctx, sc, "rmp.pushes", (double)m->pushes);
			put(ctx, sc, "rmp.push_bytes", (double)m->push_bytes);
			put(ctx, sc, "rmp.meters", (double)m->meters);
			put(ctx, sc, "rmp.metered_hits", (double)m->metered_hits);
			put(ctx, sc, "rmp.metered_misses", (double)m->metered_misses);
		}
		if (m->first_trigger_s >= 0)
			put(ctx, sc, "first_trigger_s", m->first_trigger_s);
		if (m->first_install_s >= 0) {   /* trigger to INSTALL_ACK (replica bound and announced) */
			put(ctx, sc, "install_latency_s", m->first_install_s);
			put(ctx, sc, "last_install_latency_s", m->last_install_s);
		}
		PUT_DROPS(sc, "", rmgr_drop_name, m->drops, RMGR_NDROP);
	}
	for (size_t i = 0; i < w->nmanaged; i++) {
		/* A host server may run replicas of several services. */
		const struct managed *m = &w->managed[i];
		const char *svc = "?";
		for (size_t k = 0; k < w->s->nservices; k++)
			if (w->s->service[k].address == m->origin && w->s->service[k].port == m->port)
				svc = w->s->service[k].name;
		snprintf(name, sizeof name, "replica_requests.%s", svc);
		put(ctx, m->host->cfg->name, name, (double)managed_requests(m));
		if (m->hweb)
			put_hweb_replica(put, ctx, m->host->cfg->name, svc, m->hweb);
	}
	for (size_t i = 0; i < w->s->nreplicas; i++)
		if (w->hweb_rep[i])
			put_hweb_replica(put, ctx, w->s->replica[i].host_server, w->s->replica[i].service,
					 w->hweb_rep[i]);
	for (size_t i = 0; i < w->s->nservices; i++) {
		if (!w->hweb_mgr[i])
			continue;
		char sc[SCN_NAME_MAX + 16];
		snprintf(sc, sizeof sc, "service:%s", w->s->service[i].name);
		const struct hweb_manager_stats *h = hweb_manager_stats(w->hweb_mgr[i]);
		put(ctx, sc, "hweb.misses_served", (double)h->misses_served);
		put(ctx, sc, "hweb.preheat_pushes", (double)h->preheat_pushes);
		put(ctx, sc, "hweb.refresh_pushes", (double)h->refresh_pushes);
		put(ctx, sc, "hweb.modified_pushes", (double)h->modified_pushes);
		put(ctx, sc, "hweb.modifications", (double)h->modifications);
		put(ctx, sc, "drop.hweb_fetch_failed", (double)h->fetch_failed);
		put(ctx, sc, "drop.hweb_push_failed", (double)h->push_failed);
	}
	for (size_t i = 0; i < w->s->nworkloads; i++) {
		const struct wworkload *wl = &w->wl[i];
		if (wl->ttcp) {
			/* Several receivers may listen on the address the sender
			 * targets (the origin's and a replica's): the one that got
			 * the connection is the one with the data.  A ttcp service
			 * has one workload (scenario.c), so it holds only ours. */
			const struct ttcp_result *t = NULL;
			for (size_t k = 0; k < w->nttcp; k++)
				if (w->ttcp_addr[k] == wl->ttcp_dst &&
				    (!t || ttcp_receiver_result(w->ttcp[k])->bytes > t->bytes))
					t = ttcp_receiver_result(w->ttcp[k]);
			if (!t)
				continue;
			char sc[SCN_NAME_MAX + 16];
			snprintf(sc, sizeof sc, "workload:%s", wl->cfg->name);
			double secs = t->end_ns > t->start_ns ? (double)(t->end_ns - t->start_ns) / 1e9 : 0;
			put(ctx, sc, "ttcp_bytes", (double)t->bytes);
			put(ctx, sc, "ttcp_reads", (double)t->reads);
			put(ctx, sc, "ttcp_complete", t->complete);
			if (secs > 0) {   /* nothing received: no time, no rate */
				put(ctx, sc, "ttcp_seconds", secs);
				put(ctx, sc, "throughput_mbps", (double)t->bytes * 8 / secs / 1e6);
			}
			continue;
		}
		const struct app_result *r;
		size_t n = wl->http ? http_client_results(wl->http, &r)
				    : telnet_client_results(wl->telnet, &r);
		double sent = 0, recv = 0, ok = 0, lat = 0, conn = 0, nconn = 0, started = 0;
		double *lats = malloc((n ? n : 1) * sizeof *lats);
		size_t nl = 0;
		for (size_t k = 0; k < n; k++) {
			if (!r[k].started)
				continue;
			started++;
			sent += (double)r[k].bytes_sent;
			recv += (double)r[k].bytes_received;
			ok += r[k].ok;
			if (r[k].ok) {
				lat += (double)(r[k].end_ns - r[k].start_ns) / 1e9;
				if (lats)
					lats[nl++] = (double)(r[k].end_ns - r[k].start_ns) / 1e9;
			}
			if (r[k].connected_ns) {
				conn += (double)(r[k].connected_ns - r[k].start_ns) / 1e9;
				nconn++;
			}
		}
		char sc[SCN_NAME_MAX + 16];
		snprintf(sc, sizeof sc, "workload:%s", wl->cfg->name);
		put(ctx, sc, "requests", started);
		put(ctx, sc, "ok", ok);
		put(ctx, sc, "bytes_sent", sent);
		put(ctx, sc, "bytes_received", recv);
		if (ok > 0)
			put(ctx, sc, "latency_mean_s", lat / ok);
		if (nl > 0) {   /* quantiles of the completed requests' latency (GSL) */
			gsl_sort(lats, 1, nl);
			put(ctx, sc, "latency_p50_s", gsl_stats_quantile_from_sorted_data(lats, 1, nl, 0.5));
			put(ctx, sc, "latency_p90_s", gsl_stats_quantile_from_sorted_data(lats, 1, nl, 0.9));
			put(ctx, sc, "latency_p99_s", gsl_stats_quantile_from_sorted_data(lats, 1, nl, 0.99));
		}
		free(lats);
		if (nconn > 0)
			put(ctx, sc, "connect_mean_ms", conn / nconn * 1e3);
		/* The mean's CI, and hits and misses apart (X-Cache of each reply). */
		double *hit = malloc((n ? n : 1) * sizeof *hit), *miss = malloc((n ? n : 1) * sizeof *miss);
		double *all = malloc((n ? n : 1) * sizeof *all);
		size_t nh = 0, nm = 0, na = 0, tagged = 0;
		for (size_t k = 0; k < n && hit && miss && all; k++) {
			if (!r[k].started)
				continue;
			tagged += r[k].cache != APP_CACHE_NONE;
			if (!r[k].ok)
				continue;
			double l = (double)(r[k].end_ns - r[k].start_ns) / 1e9;
			all[na++] = l;
			if (r[k].cache == APP_CACHE_HIT)
				hit[nh++] = l;
			else if (r[k].cache == APP_CACHE_MISS)
				miss[nm++] = l;
		}
		if (na >= 2) {
			put(ctx, sc, "latency_ci95_s", gsl_cdf_tdist_Pinv(0.975, (double)(na - 1)) *
					       gsl_stats_sd(all, 1, na) / sqrt((double)na));
		}
		if (wl->http && na)   /* the width of the latency_hist series' bins */
			put(ctx, sc, "latency_hist_bin_s", (double)w->s->out.hist_bin_ns / 1e9);
		if (tagged) {
			put(ctx, sc, "cache_hits", (double)nh);
			put(ctx, sc, "cache_misses", (double)nm);
			put_mean_ci(put, ctx, sc, "latency_hit", hit, nh);
			put_mean_ci(put, ctx, sc, "latency_miss", miss, nm);
		}
		free(hit);
		free(miss);
		free(all);
		if (wl->ping) {
			double *rtt = malloc((wl->npings ? wl->npings : 1) * sizeof *rtt);
			put(ctx, sc, "ping_sent", (double)sim_ping_sent(wl->ping));
			put(ctx, sc, "ping_received", (double)wl->npings);
			for (size_t k = 0; rtt && k < wl->npings; k++)
				rtt[k] = wl->pings[k].rtt_ms;
			if (rtt && wl->npings) {
				put(ctx, sc, "ping_rtt_mean_ms", gsl_stats_mean(rtt, 1, wl->npings));
				if (wl->npings > 1)
					put(ctx, sc, "ping_rtt_sd_ms", gsl_stats_sd(rtt, 1, wl->npings));
			}
			free(rtt);
		}
		/* Which node served the requests, counted from the replies. */
		for (size_t k = 0; k < n; k++) {
			if (!r[k].served_by[0])
				continue;
			int first = 1;
			for (size_t j = 0; j < k; j++)
				if (!strcmp(r[j].served_by, r[k].served_by))
					first = 0;
			if (!first)
				continue;
			double count = 0;
			for (size_t j = k; j < n; j++)
				count += !strcmp(r[j].served_by, r[k].served_by);
			snprintf(name, sizeof name, "served_by.%s", r[k].served_by);
			put(ctx, sc, name, count);
		}
	}
}

struct store_ctx {
	struct res_db *db;
	int64_t run_id;
	int rc;
};

static int store_metric(void *ctx, const char *scope, const char *name, double v)
{
	struct store_ctx *c = ctx;
	if (c->rc == HN_OK)
		c->rc = res_metric(c->db, c->run_id, scope, name, v);
	return c->rc;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* The latency histogram of a workload's completed requests: kind 0 all,
 * 1 hits, 2 misses; series WORKLOAD.latency_hist.KIND, x the bin's centre in
 * seconds, y the count; empty bins are left out (at most one row per
 * request however fine the bins).  Nothing is stored for a kind with no
 * requests. */
static int store_histogram(struct res_db *db, int64_t run_id, const struct wworkload *wl,
			   const struct app_result *r, size_t n, int kind, uint64_t bin_ns)
{
	static const char *const kinds[3] = { "all", "hit", "miss" };
	static const uint8_t want[3] = { 0, APP_CACHE_HIT, APP_CACHE_MISS };
	/* The requests' bin numbers, sorted: each run of equal ones is a bin. */
	uint64_t *bin = malloc((n ? n : 1) * sizeof *bin);
	if (!bin)
		return HN_ENOMEM;
	size_t count = 0;
	for (size_t k = 0; k < n; k++)
		if (r[k].ok && (!kind || r[k].cache == want[kind]))
			bin[count++] = (r[k].end_ns - r[k].start_ns) / bin_ns;
	qsort(bin, count, sizeof *bin, cmp_u64);
	char name[SCN_NAME_MAX + 32];
	snprintf(name, sizeof name, "%s.latency_hist.%s", wl->cfg->name, kinds[kind]);
	int rc = HN_OK;
	for (size_t k = 0, j; k < count && rc == HN_OK; k = j) {
		for (j = k; j < count && bin[j] == bin[k]; j++)
			;
		rc = res_series(db, run_id, name, ((double)bin[k] + 0.5) * (double)bin_ns / 1e9,
				(double)(j - k));
	}
	free(bin);
	return rc;
}

int world_store(const struct world *w, struct res_db *db, int64_t run_id)
{
	struct store_ctx c = { db, run_id, HN_OK };
	walk_metrics(w, store_metric, &c);
	for (size_t i = 0; i < w->nsamples && c.rc == HN_OK; i++) {
		char name[SCN_NAME_MAX + 32];
		/* node is a service index for origin_requests, a managed replica
		 * index for replica_requests, else a node index */
		const struct sample *sp = &w->samples[i];
		if (sp->counter == SC_ORIGIN_REQUESTS) {
			snprintf(name, sizeof name, "%s.origin_requests", w->s->service[sp->node].name);
		} else if (sp->counter == SC_REPLICA_REQUESTS) {
			const struct managed *m = &w->managed[sp->node];
			const char *svc = "?";
			for (size_t k = 0; k < w->s->nservices; k++)
				if (w->s->service[k].address == m->origin && w->s->service[k].port == m->port)
					svc = w->s->service[k].name;
			snprintf(name, sizeof name, "%s.replica_requests.%s", m->host->cfg->name, svc);
		} else {
			snprintf(name, sizeof name, "%s.%s", w->s->node[sp->node].name,
				 sample_names[sp->counter]);
		}
		c.rc = res_series(db, run_id, name, w->samples[i].t_s, w->samples[i].value);
	}
	for (size_t i = 0; i < w->s->nworkloads && c.rc == HN_OK; i++) {
		const struct wworkload *wl = &w->wl[i];
		const struct app_result *r;
		if (wl->ttcp)
			continue;   /* a transfer, not requests: its metrics say it all */
		size_t n = wl->http ? http_client_results(wl->http, &r)
				    : telnet_client_results(wl->telnet, &r);
		for (size_t k = 0; k < n && c.rc == HN_OK; k++) {
			if (!r[k].started)
				continue;   /* the user left before making it */
			struct res_request q = {
				.workload = wl->cfg->name, .client = wl->cfg->client,
				.service = wl->cfg->service, .seq = (int64_t)k,
				.start_s = (double)r[k].start_ns / 1e9,
				.latency_s = r[k].end_ns ? (double)(r[k].end_ns - r[k].start_ns) / 1e9 : -1,
				.bytes_sent = (int64_t)r[k].bytes_sent,
				.bytes_received = (int64_t)r[k].bytes_received,
				.served_by = r[k].served_by[0] ? r[k].served_by : NULL,
				.ok = r[k].ok,
				.object = wl->http && wl->obj_rng && http_client_objects(wl->http) ? (int64_t)r[k].object : -1,
				.cache = r[k].cache == APP_CACHE_HIT ? "hit" : r[k].cache == APP_CACHE_MISS ? "miss" : NULL,
			};
			c.rc = res_request(db, run_id, &q);
		}
		for (int kind = 0; kind < 3 && c.rc == HN_OK && wl->http; kind++)
			c.rc = store_histogram(db, run_id, wl, r, n, kind, w->s->out.hist_bin_ns);
		for (size_t k = 0; k < wl->npings && c.rc == HN_OK; k++) {
			char name[SCN_NAME_MAX + 32];
			snprintf(name, sizeof name, "%s.ping_rtt_ms", wl->cfg->name);
			c.rc = res_series(db, run_id, name, wl->pings[k].sent_s, wl->pings[k].rtt_ms);
		}
	}
	return c.rc;
}

static int print_metric(void *ctx, const char *scope, const char *name, double v)
{
	/* Zero drop counters are noise in a summary; the database has them. */
	if (v == 0 && !strncmp(name, "drop.", 5))
		return HN_OK;
	fprintf(ctx, "  %-20s %-24s %.6g\n", scope, name, v);
	return HN_OK;
}

void world_print_summary(const struct world *w, FILE *out)
{
	walk_metrics(w, print_metric, out);
}

void world_free(struct world *w)
{
	if (!w)
		return;
	sim_destroy();
	for (size_t i = 0; i < w->s->nnodes; i++) {
		redir_free(w->node[i].redir);
		free(w->node[i].metric);
		hsrv_free(w->node[i].hsrv);
		cpu_free(w->node[i].cpu);
		rtd_free(w->node[i].rtd);
		rsrv_free(w->node[i].rsrv);
		if (w->node[i].rng)
			gsl_rng_free(w->node[i].rng);
	}
	for (size_t i = 0; i < w->nttcp; i++)
		ttcp_receiver_free(w->ttcp[i]);
	for (size_t i = 0; i < w->s->nservices; i++)
		rmgr_free(w->rmgr[i]);
	for (size_t i = 0; i < w->nmanaged; i++) {
		http_server_free(w->managed[i].srv);
		hweb_replica_free(w->managed[i].hweb);
	}
	for (size_t i = 0; i < w->s->nservices; i++) {
		hweb_manager_free(w->hweb_mgr[i]);
		if (w->svc_rng[i])
			gsl_rng_free(w->svc_rng[i]);
	}
	for (size_t i = 0; i < w->s->nreplicas; i++)
		hweb_replica_free(w->hweb_rep[i]);
	for (size_t i = 0; i < w->s->nlinks; i++)
		wan_delay_free(w->wan[i]);
	for (size_t i = 0; i < w->nhttp; i++)
		http_server_free(w->http[i]);
	for (size_t i = 0; i < w->ntelnet; i++)
		telnet_server_free(w->telnet[i]);
	for (size_t i = 0; i < w->s->nworkloads; i++) {
		http_client_free(w->wl[i].http);
		telnet_client_free(w->wl[i].telnet);
		ttcp_sender_free(w->wl[i].ttcp);
		if (w->wl[i].rng)
			gsl_rng_free(w->wl[i].rng);
		if (w->wl[i].obj_rng)
			gsl_rng_free(w->wl[i].obj_rng);
		free(w->wl[i].pings);
	}
	free(w->samples);
	free(w);
}
