/* failures.c - the failure events of a scenario ([failure NAME]) applied at
 * their times, and what they did to the requests; see world_int.h.
 *
 * node_down crashes a node (sim_node_set_down: interfaces silent, TCP
 * connections lost; a redirector's flow table, announced entries and
 * health marks are lost too, redir_crash); node_up restarts it (its
 * listening servers and daemons take traffic again, a redirector relearns
 * its table from announcements).  link_down/up silence a link both ways;
 * routes are not recomputed.  replica_stop/start stop and restart a
 * configured http replica (its port given up at the host server, which
 * withdraws it when its routing daemon announces it).
 *
 * Per event, the metrics of scope failure:NAME: when it was applied, and for
 * an event that takes something down, how long until a redirector took an
 * affected host server out of service (detected_s: the first down event in
 * any redirector's replica log at or after it), how long until a new
 * connection of a workload the affected nodes served was established with
 * another node that answered it (failover_s), and the HTTP requests
 * it broke: in progress at the event (broken), started after it but
 * before detection (failed_before_detection), and after detection
 * (failed_after_detection; the goal is 0). */
#include "world/world_int.h"

#include <stdlib.h>
#include <string.h>

#include "status.h"

#define STAT_C(field, name, doc) COUNTER_DEF(struct fail_stats, field, name, doc)
static const struct counter_def fail_defs[] = { FAIL_STATS(STAT_C, COUNTER_SKIP) };
const struct counter_set fail_counters = COUNTER_SET("failures", fail_defs);

static int link_index(const struct scenario *s, const char *name)
{
	for (size_t k = 0; k < s->nlinks; k++)
		if (!strcmp(s->link[k].name, name))
			return (int)k;
	return -1;
}

static int replica_index(const struct scenario *s, const char *name)
{
	for (size_t k = 0; k < s->nreplicas; k++)
		if (!strcmp(s->replica[k].name, name))
			return (int)k;
	return -1;
}

static void fire(void *arg)
{
	struct wfail *f = arg;
	struct world *w = f->w;
	const struct scenario *s = w->s;
	const struct scn_failure *c = &s->failure[f->index];
	int rc = HN_OK;
	switch (c->action) {
	case SCN_FAIL_NODE_DOWN:
	case SCN_FAIL_NODE_UP: {
		struct wnode *n = wnode(w, c->target);
		size_t lost = 0;
		int down = c->action == SCN_FAIL_NODE_DOWN;
		rc = sim_node_set_down(n->sim, down, &lost);
		if (rc == HN_OK && down && n->redir) {
			redir_crash(n->redir, sim_now_ns());
			w->fst.redirector_restarts++;
		}
		if (rc == HN_OK)
			hchk_set_down(n->hchk, down);
		f->tcp_lost = lost;
		w->fst.tcp_lost += lost;
		break;
	}
	case SCN_FAIL_LINK_DOWN:
	case SCN_FAIL_LINK_UP:
		rc = sim_link_set_down(w->link[link_index(s, c->target)], c->action == SCN_FAIL_LINK_DOWN);
		break;
	default: {
		struct http_server *h = w->replica_http[replica_index(s, c->target)];
		if (!h)
			rc = HN_ESTATE;   /* the clean series builds no replicas */
		else if (c->action == SCN_FAIL_REPLICA_STOP)
			http_server_stop(h);
		else
			rc = http_server_restart(h);
		break;
	}
	}
	f->applied = rc == HN_OK;
	if (rc == HN_OK)
		w->fst.applied++;
	else
		w->fst.refused++;
}

int world_build_failures(struct world *w, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	for (size_t i = 0; i < w->s->nfailures; i++) {
		w->fail[i] = (struct wfail){ .w = w, .index = i };
		sim_schedule(w->s->failure[i].at_ns, fire, &w->fail[i]);
	}
	return HN_OK;
}

/* The host servers (by the address that names them in tunnels and
 * announcements) an event affects, and their node names. */
static size_t affected(const struct scenario *s, const struct scn_failure *c, uint32_t *addr,
		       const char **node)
{
	switch (c->action) {
	case SCN_FAIL_NODE_DOWN:
	case SCN_FAIL_NODE_UP:
		node[0] = c->target;
		break;
	case SCN_FAIL_LINK_DOWN:
	case SCN_FAIL_LINK_UP: {
		const struct scn_link *l = &s->link[link_index(s, c->target)];
		node[0] = l->a;
		node[1] = l->b;
		addr[0] = world_node_addr(s, l->a);
		addr[1] = world_node_addr(s, l->b);
		return 2;
	}
	default:
		node[0] = s->replica[replica_index(s, c->target)].host_server;
		break;
	}
	addr[0] = world_node_addr(s, node[0]);
	return 1;
}

/* The first event (down or up) of an affected host server at or after
 * t_ns in any redirector's log; UINT64_MAX if none. */
static uint64_t first_event(const struct world *w, const uint32_t *addr, size_t na, int down,
			    uint64_t t_ns)
{
	uint64_t best = UINT64_MAX;
	for (size_t i = 0; i < w->s->nnodes; i++) {
		const struct redir *r = w->node[i].redir;
		const struct redir_replica_event *ev;
		size_t n = r ? redir_replica_events(r, &ev) : 0;
		for (size_t k = 0; k < n; k++)
			for (size_t a = 0; a < na; a++)
				if (ev[k].hs == addr[a] && ev[k].down == down && ev[k].t_ns >= t_ns &&
				    ev[k].t_ns < best)
					best = ev[k].t_ns;
	}
	return best;
}

static int failed(const struct app_result *r)
{
	return r->started && !r->ok && r->outcome != APP_UNFINISHED;
}

void world_failure_metrics(const struct world *w, counter_put_fn put, void *ctx)
{
	const struct scenario *s = w->s;
	if (!s->nfailures)
		return;
	counter_put_set(&fail_counters, &w->fst, "failures", NULL, put, ctx);
	for (size_t i = 0; i < s->nfailures; i++) {
		const struct scn_failure *c = &s->failure[i];
		const struct wfail *f = &w->fail[i];
		char sc[SCN_NAME_MAX + 16];
		snprintf(sc, sizeof sc, "failure:%s", c->name);
		put(ctx, sc, "at_s", (double)c->at_ns / 1e9);
		put(ctx, sc, "applied", f->applied);
		if (!f->applied)
			continue;
		if (c->action == SCN_FAIL_NODE_DOWN)
			put(ctx, sc, "tcp_connections_lost", (double)f->tcp_lost);
		uint32_t addr[2];
		const char *node[2];
		size_t na = affected(s, c, addr, node);
		int down = c->action == SCN_FAIL_NODE_DOWN || c->action == SCN_FAIL_LINK_DOWN ||
			   c->action == SCN_FAIL_REPLICA_STOP;
		uint64_t t = first_event(w, addr, na, down, c->at_ns);
		/* The event's window ends at the next event of its target. */
		uint64_t end = UINT64_MAX;
		for (size_t k = 0; k < s->nfailures; k++)
			if (!strcmp(s->failure[k].target, c->target) && s->failure[k].at_ns > c->at_ns &&
			    s->failure[k].at_ns < end)
				end = s->failure[k].at_ns;
		if (!down) {
			if (t != UINT64_MAX)
				put(ctx, sc, "restored_s", (double)(t - c->at_ns) / 1e9);
		} else if (t != UINT64_MAX && t < end) {
			put(ctx, sc, "detected_s", (double)(t - c->at_ns) / 1e9);
		} else {
			t = UINT64_MAX;
		}
		/* The requests of every HTTP workload around the event. */
		double broken = 0, before = 0, after = 0;
		uint64_t failover = UINT64_MAX;
		for (size_t k = 0; k < s->nworkloads; k++) {
			const struct app_result *r;
			size_t n = w->wl[k].http ? http_client_results(w->wl[k].http, &r) : 0;
			/* Failover is measured on the workloads the affected nodes
			 * served before the event. */
			int served = 0;
			for (size_t j = 0; j < n; j++)
				for (size_t a = 0; a < na; a++)
					served |= r[j].started && r[j].start_ns < c->at_ns &&
						  !strcmp(r[j].served_by, node[a]);
			for (size_t j = 0; j < n; j++) {
				if (!r[j].started)
					continue;
				int mine = 0;   /* answered by an affected node */
				for (size_t a = 0; a < na; a++)
					mine |= !strcmp(r[j].served_by, node[a]);
				if (down && served && r[j].start_ns >= c->at_ns && r[j].ok && !mine &&
				    r[j].connected_ns < failover)
					failover = r[j].connected_ns;
				if (!failed(&r[j]))
					continue;
				if (r[j].start_ns < c->at_ns)
					broken += r[j].done_ns >= c->at_ns;
				else if (r[j].start_ns >= end)
					;   /* the next event's */
				else if (r[j].start_ns < t)
					before++;
				else
					after++;
			}
		}
		put(ctx, sc, "broken", broken);
		if (!down)
			continue;
		put(ctx, sc, "failed_before_detection", before);
		if (t != UINT64_MAX)
			put(ctx, sc, "failed_after_detection", after);
		if (failover != UINT64_MAX)
			put(ctx, sc, "failover_s", (double)(failover - c->at_ns) / 1e9);
	}
}

struct metric_row {
	const char *name, *unit, *doc;
};
static const struct metric_row failure_rows[] = {
	{ "at_s", "s", "when the event was due" },
	{ "applied", "0/1", "it happened (the simulator took it)" },
	{ "tcp_connections_lost", "count", "node_down: TCP connections of the node lost that its applications had not closed yet" },
	{ "detected_s", "s", "down events: from the event to the first redirector taking an affected host server out of service (announcement expired or withdrawn, or health checks), before the target's next event; absent: never" },
	{ "restored_s", "s", "up events: from the event to the first redirector taking it back; absent: never" },
	{ "failover_s", "s", "down events: from the event to the first connection established (SYN-ACK received) by a request started after it, of a workload an affected node served before it, that another node answered completely; absent: none" },
	{ "broken", "count", "HTTP requests in progress at the event that then failed (reset, timed out or cut short; an up event breaks connections when redirectors without a flow table move them back)" },
	{ "failed_before_detection", "count", "down events: requests started after the event, before detection (or, never detected, before the target's next event), that failed" },
	{ "failed_after_detection", "count", "down events: requests started after detection, before the target's next event, that failed (the goal: 0); still open at the end: not counted" },
};

void world_print_failure_metrics(FILE *out)
{
	fprintf(out, "\n### scope failures\n\nThe failure events of a run, when it has [failure] sections.\n\n"
		     "| metric | unit | meaning |\n|---|---|---|\n");
	counter_print_set(out, &fail_counters, NULL);
	fprintf(out, "\n### scope failure:NAME\n\nEach [failure NAME] event; the requests counted are "
		     "every HTTP workload's.\n\n| metric | unit | meaning |\n|---|---|---|\n");
	for (size_t i = 0; i < sizeof failure_rows / sizeof failure_rows[0]; i++)
		fprintf(out, "| `%s` | %s | %s |\n", failure_rows[i].name, failure_rows[i].unit,
			failure_rows[i].doc);
}
