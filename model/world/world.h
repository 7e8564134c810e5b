/* world.h - a scenario built on the simulator, run, and its results kept.
 *
 * world_build() turns a checked scenario into ns-3 nodes and links, global
 * routes, redirectors and host servers with their tables, virtual hosts and
 * replica applications, origin servers and client workloads.  world_run()
 * runs it; world_store() writes per-node counters, per-workload results and
 * every request into the results database (inside the caller's run
 * transaction).  One world exists at a time: the simulator is a singleton.
 * Not here: sweeps and the command line (model/cli). */
#ifndef HN_WORLD_H
#define HN_WORLD_H
#include <stdint.h>
#include <stdio.h>

#include "scenario/scenario.h"

struct res_db;

struct world_options {
	uint32_t seed;
	uint64_t run;
	const char *pcap_dir;        /* NULL or "": no pcap */
};

struct world;

struct world *world_build(const struct scenario *s, const struct world_options *o,
			  char *err, size_t errlen);
/* Run to the scenario's stop time; returns simulated seconds run. */
double world_run(struct world *w);
uint64_t world_events(const struct world *w);
int world_store(const struct world *w, struct res_db *db, int64_t run_id);
void world_print_summary(const struct world *w, FILE *out);
/* The reference of every metric a run stores, as markdown tables by scope
 * (`hydranet metrics`). */
void world_print_metrics(FILE *out);
/* Tears down the simulator too. */
void world_free(struct world *w);
#endif
