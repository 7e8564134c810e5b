/* fuzz_topofile.c - libFuzzer target for the topology-file parser
 * (topofile.c).
 *
 * The first byte chooses the format (even: Inet, odd: Rocketfuel); the rest
 * is the file's text.  A refusal must be HN_ECONFIG with "fuzz.topo:LINE: "
 * and a message; an accepted file must be what topofile.h promises: at
 * least one node, links between two different known nodes, no pair
 * twice, every node reachable from the first. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/topofile.h"
#include "status.h"

#define NAME "fuzz.topo"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t root(size_t *up, size_t x)
{
	while (up[x] != x)
		x = up[x] = up[up[x]];
	return x;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int format = data[0] % 2 ? TOPOFILE_ROCKETFUEL : TOPOFILE_INET;
	struct topofile t;
	char err[800];
	err[0] = 0;
	int rc = topofile_parse(format, NAME, (const char *)data + 1, size - 1, &t, err, sizeof err);
	if (rc != HN_OK) {
		const char *p = err + strlen(NAME ":");
		if (rc != HN_ECONFIG || strncmp(err, NAME ":", strlen(NAME ":")) || *p < '1' || *p > '9')
			abort();
		while (*p >= '0' && *p <= '9')
			p++;
		if (strncmp(p, ": ", 2) || !p[2])
			abort();
		topofile_free(&t);
		return 0;
	}
	if (t.nnodes == 0)
		abort();
	size_t *up = malloc(t.nnodes * sizeof *up);
	if (!up)
		abort();
	for (size_t i = 0; i < t.nnodes; i++)
		up[i] = i;
	for (size_t i = 0; i < t.nlinks; i++) {
		const struct topofile_link *l = &t.link[i];
		if (l->a >= t.nnodes || l->b >= t.nnodes || l->a == l->b)
			abort();
		for (size_t j = 0; j < i && t.nlinks < 2000; j++)
			if ((t.link[j].a == l->a && t.link[j].b == l->b) ||
			    (t.link[j].a == l->b && t.link[j].b == l->a))
				abort();
		up[root(up, l->a)] = root(up, l->b);
	}
	for (size_t i = 0; i < t.nnodes; i++)
		if (root(up, i) != root(up, 0) || !t.node[i].label || t.node[i].line < 1)
			abort();
	free(up);
	topofile_free(&t);
	return 0;
}
