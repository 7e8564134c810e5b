/* topogen.h - generated ISP topologies: a seeded transit-stub generator in
 * the manner of GT-ITM (Calvert, Doar, Zegura, "Modeling Internet
 * Topology", IEEE Communications Magazine 35(6), 1997).
 *
 * A backbone of `transit` routers: a random tree (each router after the
 * first joins a uniformly drawn earlier one) plus an extra link between any
 * other pair with probability `extra`, GT-ITM's "pure random" graph made
 * connected.  `stubs` stub domains (the ISPs), each of `stub_routers`
 * routers in a random tree, the first joined to a uniformly drawn transit
 * router; `hosts` host nodes per stub domain, each on a uniformly drawn
 * router of its domain.  Link delays are drawn uniformly from each class's
 * [min, max]; rates are fixed per class.  Every link is a /30 taken in
 * order from the address pool.  One seed, one topology: the draws come from
 * SplitMix64 (Steele, Lea, Flood 2014), the same on every platform.
 * Not here: the scenario keys ([topology NAME], scenario.c). */
#ifndef HN_TOPOGEN_H
#define HN_TOPOGEN_H
#include <stddef.h>
#include <stdint.h>

enum topogen_class { TG_TRANSIT, TG_STUB, TG_HOST, TG_NCLASSES };

struct topogen_config {
	uint64_t seed;
	uint64_t transit, stubs, stub_routers, hosts;
	double extra;                 /* probability of each further transit-transit link */
	uint64_t delay_min[TG_NCLASSES], delay_max[TG_NCLASSES];   /* ns, per link class:
				 * transit-transit, stub (in a stub domain and to transit), host access */
	uint64_t rate[TG_NCLASSES];   /* bit/s per link class */
	uint32_t pool;                /* first address of the pool */
	unsigned pool_prefix;         /* its prefix length */
};

struct topogen_node {
	char name[48];
	int cls;                      /* enum topogen_class */
	size_t domain;                /* stub domain (TG_STUB, TG_HOST) */
};

struct topogen_link {
	size_t a, b;                  /* node indices */
	uint32_t a_addr, b_addr;      /* a /30's two hosts */
	uint64_t delay_ns, rate_bps;
	int cls;                      /* enum topogen_class */
};

struct topogen {
	struct topogen_node *node;
	size_t nnodes;
	struct topogen_link *link;
	size_t nlinks;
};

/* Generate into t (freed by topogen_free) the topology of c, nodes named
 * PREFIX-tK (transit), PREFIX-sJ-rK (router K of stub domain J) and
 * PREFIX-sJ-hK (host K of stub domain J).  HN_OK, or HN_ECONFIG with why
 * (a name too long, a pool too small) or HN_ENOMEM. */
int topogen_transit_stub(const struct topogen_config *c, const char *prefix, struct topogen *t,
			 char *why, size_t whylen);
void topogen_free(struct topogen *t);
/* A draw uniform in [lo, hi] from the generator's stream *state (the same
 * SplitMix64 draws as its link delays); for other generated links. */
uint64_t topogen_uniform(uint64_t *state, uint64_t lo, uint64_t hi);
#endif
