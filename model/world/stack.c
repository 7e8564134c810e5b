/* stack.c - the counters of a node's own IP/TCP stack (sim.h,
 * SIM_STACK_STATS): path MTU discovery and black-hole detection of its DF
 * TCP sockets, how its finished connections spent TIME_WAIT, and what the
 * stack dropped or ignored.  Stored on the nodes that end TCP connections:
 * clients (the only ones whose sockets set DF: ttcp workloads with df),
 * origins and host servers. */
#include "world/world_int.h"

#define STAT_C(field, name, doc) COUNTER_DEF(struct sim_stack_stats, field, name, doc)
#define STAT_D(e, name, doc) COUNTER_DROP_DEF(struct sim_stack_stats, SIM_STACK_DROP_##e, "" name, doc)
static const struct counter_def counter_defs[] = { SIM_STACK_STATS(STAT_C, STAT_D) };
const struct counter_set sim_stack_counters = COUNTER_SET("stack", counter_defs);

int world_stack_counters(const struct world *w, const struct wnode *n, counter_put_fn put, void *ctx)
{
	(void)w;
	if (n->cfg->role != SCN_CLIENT && n->cfg->role != SCN_ORIGIN && n->cfg->role != SCN_HOSTSERVER)
		return 0;
	return counter_put_set(&sim_stack_counters, sim_node_stack_stats(n->sim), n->cfg->name, NULL,
			       put, ctx);
}
