/* topofile.h - topologies read from files, in the two formats ns-3 3.37's
 * topology-read module reads (InetTopologyReader, RocketfuelTopologyReader).
 *
 * Inet (Inet 3.0 generator output): a first line "N L" (whole numbers),
 * then N node lines "ID X Y" (ID a whole number, X and Y plane
 * coordinates), then L link lines "FROM TO [WEIGHT]" (node IDs, an optional
 * non-negative weight).  Nodes in the order of their lines.  ns-3 skips the
 * node lines and creates nodes as links name them; here they are read, so a
 * link naming an undeclared node, a node without links and the counts are
 * checked.
 *
 * Rocketfuel: the type is told by the first line, as ns-3 does: a maps
 * (.cch) line "UID @LOC [+] [bb] (N) [&EXT] -> <NUID> ... [{-EUID} ...]
 * =NAME[!] rR", else a weights line "SRC DST WEIGHT" (names without
 * blanks, WEIGHT digits and dots); every line must then be of that type.
 * Nodes in the order they are first named (a maps line's own UID, then
 * its neighbours).  Weights: a link listed in both directions (as the
 * weights files list them) is one link, with the first line's weight; the
 * same direction twice is refused.  Maps: each <NUID> is a link; a pair
 * listed from both ends is one link (ns-3 makes two); the (N) count and
 * the external {-EUID} are not links and not checked; rR is read and kept
 * (ns-3 3.37 means to skip R > 0 but reads past the digit, so keeps every
 * router: so does this).  Maps links have no weight.
 *
 * Both: blank lines are skipped; self-loops, a link given twice and a
 * graph that is not connected are refused.  Errors read "NAME:LINE: what".
 * Not here: the scenario keys and the nodes' names (scenario.c). */
#ifndef HN_TOPOFILE_H
#define HN_TOPOFILE_H
#include <stddef.h>
#include <stdint.h>

enum topofile_format { TOPOFILE_INET, TOPOFILE_ROCKETFUEL };

struct topofile_node {
	char *label;                  /* the file's ID or name */
	int line;                     /* where declared or first named */
	double x, y;                  /* Inet: plane coordinates */
};

struct topofile_link {
	size_t a, b;                  /* node indices, a first named */
	double weight;                /* Inet, Rocketfuel weights */
	int has_weight;
	int line;                     /* where first given */
	int both;                     /* Rocketfuel: given from both ends */
};

struct topofile {
	struct topofile_node *node;
	size_t nnodes, capnodes;
	struct topofile_link *link;
	size_t nlinks, caplinks;
	int maps;                     /* Rocketfuel: 1 maps (.cch), 0 weights */
	uint64_t hash;                /* topofile_read: FNV-1a 64 of the file's bytes */
	/* lookups: labels and node pairs, open addressing (index + 1; 0 empty) */
	size_t *label_slot, label_cap;
	size_t *pair_slot, pair_cap;
};

/* Parse text (len bytes, NUL bytes refused) named name in errors into t
 * (freed by topofile_free, also on failure).  HN_OK, HN_ECONFIG with
 * "name:LINE: what" in err, or HN_ENOMEM. */
int topofile_parse(int format, const char *name, const char *text, size_t len,
		   struct topofile *t, char *err, size_t errlen);
/* Read the file at path and parse it; a file that cannot be read gives
 * HN_ENOENT with "cannot read 'path': why" in err. */
int topofile_read(int format, const char *path, struct topofile *t, char *err, size_t errlen);
void topofile_free(struct topofile *t);
#endif
