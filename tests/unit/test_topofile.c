/* test_topofile.c - topology files (Inet, Rocketfuel weights and maps): the
 * nodes, links and weights each format's rules give, each malformed input
 * refused with its line, and a [topology] section with model = inet or
 * rocketfuel adds exactly the nodes, links, addresses, rates and delays it
 * promises to a scenario. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net/ipv4.h"
#include "scenario/scenario.h"
#include "scenario/topofile.h"
#include "status.h"

static int parse(int format, const char *text, struct topofile *t, char *err, size_t errlen)
{
	return topofile_parse(format, "t.txt", text, strlen(text), t, err, errlen);
}

static void topofile__inet_nodes_links_weights(void **state)
{
	(void)state;
	struct topofile t;
	char err[600] = "";
	/* blank lines are skipped, CRLF is read as LF, the weight is optional */
	const char *text = "4 4\r\n0 0 0\n1 3000 4000\n\n7 3000 0\n3 0 4000\n0 1 50\n1 7 40.5\n7 3 50\n3 0\n";
	assert_int_equal(parse(TOPOFILE_INET, text, &t, err, sizeof err), HN_OK);
	assert_int_equal(t.nnodes, 4);
	assert_int_equal(t.nlinks, 4);
	assert_string_equal(t.node[2].label, "7");   /* file order, not by ID */
	assert_int_equal(t.node[2].line, 5);
	assert_true(t.node[1].x == 3000 && t.node[1].y == 4000);
	assert_int_equal(t.link[1].a, 1);
	assert_int_equal(t.link[1].b, 2);
	assert_true(t.link[1].weight == 40.5);
	assert_int_equal(t.link[1].has_weight, 1);
	assert_int_equal(t.link[3].has_weight, 0);
	assert_int_equal(t.link[3].line, 10);
	topofile_free(&t);
}

static void topofile__rocketfuel_weights_both_directions_one_link(void **state)
{
	(void)state;
	struct topofile t;
	char err[600] = "";
	const char *text = "Seattle,+WA1 Chicago,+IL2 7\nChicago,+IL2 Seattle,+WA1 9\n"
			   "Chicago,+IL2\tDenver,+CO3\t2.5\nDenver,+CO3 Seattle,+WA1 1\n";
	assert_int_equal(parse(TOPOFILE_ROCKETFUEL, text, &t, err, sizeof err), HN_OK);
	assert_int_equal(t.maps, 0);
	assert_int_equal(t.nnodes, 3);
	assert_int_equal(t.nlinks, 3);
	assert_string_equal(t.node[0].label, "Seattle,+WA1");
	assert_string_equal(t.node[2].label, "Denver,+CO3");
	assert_true(t.link[0].weight == 7);   /* the first direction's weight */
	assert_true(t.link[1].weight == 2.5);
	assert_int_equal(t.link[2].line, 4);
	topofile_free(&t);
}

static void topofile__rocketfuel_maps(void **state)
{
	(void)state;
	struct topofile t;
	char err[600] = "";
	/* 10 lists 11 and 12; 12's own line comes later; 13 is named only */
	const char *text = "10 @Mumbai,+IN + bb\t(2) &5 -> <11> <12>  =a.example.net r0\n"
			   "11 @Mumbai,+IN +\t(1) -> <10>  {-99} =b.example.net! r1\n"
			   "12 @Pune,+IN bb\t(3) &1 -> <10> <13>  =c.example.net r0\n";
	assert_int_equal(parse(TOPOFILE_ROCKETFUEL, text, &t, err, sizeof err), HN_OK);
	assert_int_equal(t.maps, 1);
	assert_int_equal(t.nnodes, 4);
	assert_int_equal(t.nlinks, 3);   /* 10-11 and 10-12 listed from both ends count once */
	assert_string_equal(t.node[3].label, "13");
	assert_int_equal(t.node[2].line, 3);   /* its own line, not where 10 named it */
	assert_int_equal(t.node[3].line, 3);
	assert_int_equal(t.link[2].a, 2);
	assert_int_equal(t.link[2].b, 3);
	assert_int_equal(t.link[0].has_weight, 0);
	topofile_free(&t);
}

/* The sample files shipped in scenarios/topologies/. */
static void topofile__samples(void **state)
{
	(void)state;
	static const struct { int format; const char *path; size_t nodes, links; int maps; } s[] = {
		{ TOPOFILE_INET, "scenarios/topologies/inet-30.txt", 30, 32, 0 },
		{ TOPOFILE_ROCKETFUEL, "scenarios/topologies/rocketfuel-24.weights", 24, 31, 0 },
		{ TOPOFILE_ROCKETFUEL, "scenarios/topologies/rocketfuel-12.cch", 12, 13, 1 },
	};
	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
		struct topofile t;
		char err[600] = "";
		if (topofile_read(s[i].format, s[i].path, &t, err, sizeof err) != HN_OK)
			fail_msg("%s", err);
		assert_int_equal(t.nnodes, s[i].nodes);
		assert_int_equal(t.nlinks, s[i].links);
		assert_int_equal(t.maps, s[i].maps);
		topofile_free(&t);
	}
}

static void topofile__errors_name_the_line(void **state)
{
	(void)state;
	static const struct { int format; const char *text, *want; } c[] = {
		{ TOPOFILE_INET, "", "t.txt:1: empty file: expected a first line 'NODES LINKS'" },
		{ TOPOFILE_INET, "3\n", "t.txt:1: expected the first line 'NODES LINKS' (two whole numbers), found '3'" },
		{ TOPOFILE_INET, "2 x\n", "t.txt:1: expected the first line 'NODES LINKS' (two whole numbers), found '2 x'" },
		{ TOPOFILE_INET, "0 0\n", "t.txt:1: 0 nodes and 0 links: want 1 to 1000000 nodes and at most 1000000 links" },
		{ TOPOFILE_INET, "2 1\n0 1 1\n", "t.txt:2: the file ends after 1 of its 2 nodes" },
		{ TOPOFILE_INET, "2 1\n0 1 1\n1 2\n", "t.txt:3: expected node 2 of 2, 'ID X Y' (3 fields), found 2 fields" },
		{ TOPOFILE_INET, "2 1\n0 1 1\nb 2 2\n", "t.txt:3: node ID 'b' is not a whole number" },
		{ TOPOFILE_INET, "2 1\n0 1 1\n1 2 y\n", "t.txt:3: node 1: coordinate 'y' is not a number" },
		{ TOPOFILE_INET, "2 1\n0 1 1\n0 2 2\n", "t.txt:3: node 0 declared again (first at line 2)" },
		{ TOPOFILE_INET, "2 2\n0 1 1\n1 2 2\n0 1 5\n", "t.txt:4: the file ends after 1 of its 2 links" },
		{ TOPOFILE_INET, "2 1\n0 1 1\n1 2 2\n0 5 5\n", "t.txt:4: link to unknown node '5' (not among the 2 node lines)" },
		{ TOPOFILE_INET, "2 1\n0 1 1\n1 2 2\n0 1 fast\n", "t.txt:4: link 0-1: weight 'fast' is not a non-negative number" },
		{ TOPOFILE_INET, "2 1\n0 1 1\n1 2 2\n0 1 -3\n", "t.txt:4: link 0-1: weight '-3' is not a non-negative number" },
		{ TOPOFILE_INET, "2 1\n0 1 1\n1 2 2\n0 1 2 3\n", "t.txt:4: expected link 1 of 1, 'FROM TO WEIGHT' (3 fields), found 4 fields" },
		{ TOPOFILE_INET, "2 1\n0 1 1\n1 2 2\n1 1 3\n", "t.txt:4: link from node 1 to itself" },
		{ TOPOFILE_INET, "2 2\n0 1 1\n1 2 2\n0 1 3\n1 0 3\n", "t.txt:5: link 1-0 given again (first at line 4)" },
		{ TOPOFILE_INET, "2 1\n0 1 1\n1 2 2\n0 1 3\n0 1 3\n", "t.txt:5: more lines than the 2 nodes and 1 links of line 1" },
		{ TOPOFILE_INET, "3 1\n0 1 1\n1 2 2\n2 3 3\n0 1 3\n", "t.txt:4: node 2 is not connected to node 0 (the first): the graph is disconnected" },
		{ TOPOFILE_INET, "1 0\n0 1\0 1\n", "t.txt:2: a NUL byte: not a text file" },
		{ TOPOFILE_ROCKETFUEL, "\n\n", "t.txt:2: empty file: no Rocketfuel lines" },
		{ TOPOFILE_ROCKETFUEL, "a b c d\n", "t.txt:1: neither a Rocketfuel maps (.cch) line 'UID @LOC ... -> <NUID> ... =NAME rN' nor a weights line 'SRC DST WEIGHT'" },
		{ TOPOFILE_ROCKETFUEL, "a b 1\nb c\n", "t.txt:2: not a weights line 'SRC DST WEIGHT' (the file's first line is one)" },
		{ TOPOFILE_ROCKETFUEL, "a b 1\nb c 1.2.3\n", "t.txt:2: weight '1.2.3' is not a number" },
		{ TOPOFILE_ROCKETFUEL, "a b 1\nb b 1\n", "t.txt:2: link from b to itself" },
		{ TOPOFILE_ROCKETFUEL, "a b 1\nb c 1\na b 2\n", "t.txt:3: link a -> b given again (first at line 1)" },
		{ TOPOFILE_ROCKETFUEL, "a b 1\nb a 1\nb a 1\n", "t.txt:3: link b -> a given again" },
		{ TOPOFILE_ROCKETFUEL, "a b 1\nc d 1\n", "t.txt:2: node c is not connected to node a (the first): the graph is disconnected" },
		{ TOPOFILE_ROCKETFUEL, "1 @X (1) -> <2>  =a r0\n2 @X (1) -> <1>  =b r0\n1 @X (1) -> <2>  =a r0\n", "t.txt:3: router 1 listed again (first at line 1)" },
		{ TOPOFILE_ROCKETFUEL, "1 @X (1) -> <2> <2>  =a r0\n", "t.txt:1: neighbour <2> listed twice" },
		{ TOPOFILE_ROCKETFUEL, "1 @X (1) -> <1>  =a r0\n", "t.txt:1: router 1 lists itself as a neighbour" },
		{ TOPOFILE_ROCKETFUEL, "1 @X (1) -> <2>  =a r0\n2 @X (1) -> <1><3>  =b r0\n", "t.txt:2: neighbour '<1><3>' is not '<UID>'" },
		{ TOPOFILE_ROCKETFUEL, "1 @X (1) -> <2>  =a r0\nx y 1\n", "t.txt:2: not a maps (.cch) line 'UID @LOC ... -> <NUID> ... =NAME rN' (the file's first line is one)" },
		{ TOPOFILE_ROCKETFUEL, "1 @X (1) -> <2>  =a r0\n3 @X (0) ->   =c r0\n", "t.txt:2: node 3 is not connected to node 1 (the first): the graph is disconnected" },
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		struct topofile t;
		char err[600] = "";
		size_t len = strlen(c[i].text);
		if (strstr(c[i].want, "NUL"))
			len = 11;   /* the text goes on past its NUL */
		int rc = topofile_parse(c[i].format, "t.txt", c[i].text, len, &t, err, sizeof err);
		if (rc != HN_ECONFIG)
			fail_msg("case %zu: status %d, want HN_ECONFIG (%s)", i, rc, err);
		if (strcmp(err, c[i].want))
			fail_msg("case %zu:\n got  %s\n want %s", i, err, c[i].want);
		topofile_free(&t);
	}
	struct topofile t;
	char err[600];
	assert_int_equal(topofile_read(TOPOFILE_INET, "/nonexistent/t.txt", &t, err, sizeof err),
			 HN_ENOENT);
	assert_string_equal(err, "cannot read '/nonexistent/t.txt': No such file or directory");
	/* a device could block or never end: regular files only */
	assert_int_equal(topofile_read(TOPOFILE_INET, "/dev/zero", &t, err, sizeof err), HN_ENOENT);
	assert_string_equal(err, "cannot read '/dev/zero': not a regular file");
}

/* A scenario directory in /tmp with a topology file and a scenario
 * referring to it by a relative path. */
static char dir[64], ini[96], topo[96];

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/hn-topofile-%d", (int)getpid());
	mkdir(dir, 0700);
	snprintf(ini, sizeof ini, "%s/s.ini", dir);
	snprintf(topo, sizeof topo, "%s/t.inet", dir);
	/* a square 0-1-2-3 with 4 hanging off 2; lengths 3000, 4000, 3000,
	 * 4000 and 5000 plane units */
	write_file(topo, "5 5\n0 0 0\n1 3000 0\n2 3000 4000\n3 0 4000\n4 6000 8000\n"
			 "0 1 30\n1 2 40\n2 3 30\n3 0 40\n2 4 50\n");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(topo);
	unlink(ini);
	rmdir(dir);
	return 0;
}

static struct scenario *load(const char *keys, char *err, size_t errlen)
{
	char text[1024];
	snprintf(text, sizeof text, "[topology net]\nmodel = inet\nfile = t.inet\n%s"
		 "[node origin]\nrole = origin\n"
		 "[link o]\na = origin\nb = net-n4\na_addr = 192.168.0.1\nb_addr = 192.168.0.2\n", keys);
	write_file(ini, text);
	return scenario_load(ini, err, errlen);
}

static void topofile__section_builds_nodes_links(void **state)
{
	(void)state;
	char err[2000];
	struct scenario *s = load("rate = 100Mbps\nnode_role = redirector\npool = 10.1.0.0\npool_prefix = 24\n",
				  err, sizeof err);
	if (!s)
		fail_msg("%s", err);
	assert_int_equal(s->nnodes, 1 + 5);
	assert_int_equal(s->nlinks, 1 + 5);
	assert_string_equal(s->node[1].name, "net-n0");
	assert_string_equal(s->node[5].name, "net-n4");
	assert_int_equal(s->node[3].role, SCN_REDIRECTOR);
	const struct scn_link *l = &s->link[5];
	assert_string_equal(l->name, "net-l4");
	assert_string_equal(l->a, "net-n2");
	assert_string_equal(l->b, "net-n4");
	char a[16];
	assert_string_equal(ipv4_ntoa(l->a_addr, a), "10.1.0.17");   /* the 5th /30 */
	assert_string_equal(ipv4_ntoa(l->b_addr, a), "10.1.0.18");
	assert_int_equal(l->prefix, 30);
	assert_int_equal(l->rate_bps, 100000000);
	for (size_t k = 1; k <= 5; k++)
		assert_int_equal(s->link[k].delay_ns, 10000000);   /* the fixed default, 10 ms */
	scenario_free(s);
}

static void topofile__delays_from_weight_and_distance(void **state)
{
	(void)state;
	char err[2000];
	static const uint64_t weight[5] = { 3000000, 4000000, 3000000, 4000000, 5000000 };
	struct scenario *s = load("delay_from = weight\ndelay_unit = 100us\n", err, sizeof err);
	if (!s)
		fail_msg("%s", err);
	for (size_t k = 0; k < 5; k++)
		assert_int_equal(s->link[1 + k].delay_ns, weight[k]);
	scenario_free(s);
	s = load("delay_from = distance\ndelay_unit = 1us\n", err, sizeof err);
	if (!s)
		fail_msg("%s", err);
	for (size_t k = 0; k < 5; k++)   /* lengths 3000 .. 5000 units of 1 us */
		assert_int_equal(s->link[1 + k].delay_ns, weight[k] / 1000 * 1000);
	scenario_free(s);
	s = load("delay = 2.5ms\n", err, sizeof err);
	if (!s)
		fail_msg("%s", err);
	assert_int_equal(s->link[3].delay_ns, 2500000);
	scenario_free(s);
}

static void topofile__leaf_hosts(void **state)
{
	(void)state;
	char err[2000];
	/* node 4 is the square's only node of degree 1 */
	struct scenario *s = load("leaf_hosts = 2\nhost_delay_min = 1ms\nhost_delay_max = 9ms\nseed = 5\n"
				  "host_role = hostserver\nhost_rate = 100Mbps\n", err, sizeof err);
	if (!s)
		fail_msg("%s", err);
	assert_int_equal(s->nnodes, 1 + 5 + 2);
	assert_int_equal(s->nlinks, 1 + 5 + 2);
	assert_string_equal(s->node[6].name, "net-n4-h0");
	assert_string_equal(s->node[7].name, "net-n4-h1");
	assert_int_equal(s->node[7].role, SCN_HOSTSERVER);
	assert_int_equal(s->node[5].role, SCN_ROUTER);
	const struct scn_link *l = &s->link[7];
	assert_string_equal(l->name, "net-l6");
	assert_string_equal(l->a, "net-n4");
	assert_string_equal(l->b, "net-n4-h1");
	char a[16];
	assert_string_equal(ipv4_ntoa(l->a_addr, a), "10.0.0.25");   /* the 7th /30 */
	assert_int_equal(l->rate_bps, 100000000);
	uint64_t d0 = s->link[6].delay_ns, d1 = s->link[7].delay_ns;
	assert_true(d0 >= 1000000 && d0 <= 9000000 && d1 >= 1000000 && d1 <= 9000000);
	scenario_free(s);
	/* one seed, the same delays; another, other ones */
	s = load("leaf_hosts = 2\nhost_delay_min = 1ms\nhost_delay_max = 9ms\nseed = 5\n", err, sizeof err);
	assert_non_null(s);
	assert_int_equal(s->link[6].delay_ns, d0);
	assert_int_equal(s->link[7].delay_ns, d1);
	scenario_free(s);
	s = load("leaf_hosts = 2\nhost_delay_min = 1ms\nhost_delay_max = 9ms\nseed = 6\n", err, sizeof err);
	assert_non_null(s);
	assert_true(s->link[6].delay_ns != d0 || s->link[7].delay_ns != d1);
	scenario_free(s);
	char want[600];
	assert_null(load("leaf_hosts = 1\nhost_delay_min = 2ms\nhost_delay_max = 1ms\n", err, sizeof err));
	snprintf(want, sizeof want, "%s:6: [topology net]: host_delay_max = 1 ms is below host_delay_min = "
		 "2 ms", ini);
	assert_string_equal(err, want);
}

static void topofile__section_errors(void **state)
{
	(void)state;
	char err[2000], want[600];
	assert_null(load("stubs = 3\n", err, sizeof err));
	snprintf(want, sizeof want, "%s:4: [topology net]: stubs is a key of model = transit-stub, not of "
		 "model = inet", ini);
	assert_string_equal(err, want);
	assert_null(load("delay_from = weight\ndelay_unit = 1s\n", err, sizeof err));
	snprintf(want, sizeof want, "%s:7: link 0-1: weight 30 times delay_unit 1000 ms is 30 s, beyond "
		 "a link's 10 s (for [topology net] at %s:1)", topo, ini);
	assert_string_equal(err, want);
	assert_null(load("pool_prefix = 29\n", err, sizeof err));
	snprintf(want, sizeof want, "%s:4: [topology net]: the pool 10.0.0.0/29 holds 2 /30 links; %s has 5",
		 ini, topo);
	assert_string_equal(err, want);
	/* a missing file: the scenario's file line */
	write_file(ini, "[topology net]\nmodel = rocketfuel\nfile = nowhere.weights\n");
	assert_null(scenario_load(ini, err, sizeof err));
	snprintf(want, sizeof want, "%s:3: [topology net]: file: cannot read '%s/nowhere.weights': No such "
		 "file or directory", ini, dir);
	assert_string_equal(err, want);
	write_file(ini, "[topology net]\nmodel = inet\n");
	assert_null(scenario_load(ini, err, sizeof err));
	snprintf(want, sizeof want, "%s:1: [topology net]: model = inet needs file = PATH", ini);
	assert_string_equal(err, want);
	write_file(ini, "[topology net]\nfile = t.inet\n");
	assert_null(scenario_load(ini, err, sizeof err));
	snprintf(want, sizeof want, "%s:2: [topology net]: file is a key of model = inet or rocketfuel, not "
		 "of model = transit-stub", ini);
	assert_string_equal(err, want);
	write_file(ini, "[topology net]\nmodel = rocketfuel\nfile = t.inet\n");
	assert_null(scenario_load(ini, err, sizeof err));
	snprintf(want, sizeof want, "%s:1: neither a Rocketfuel maps (.cch) line 'UID @LOC ... -> <NUID> ... "
		 "=NAME rN' nor a weights line 'SRC DST WEIGHT' (for [topology net] at %s:1)", topo, ini);
	assert_string_equal(err, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(topofile__inet_nodes_links_weights),
		cmocka_unit_test(topofile__rocketfuel_weights_both_directions_one_link),
		cmocka_unit_test(topofile__rocketfuel_maps),
		cmocka_unit_test(topofile__samples),
		cmocka_unit_test(topofile__errors_name_the_line),
		cmocka_unit_test_setup_teardown(topofile__section_builds_nodes_links, setup, teardown),
		cmocka_unit_test_setup_teardown(topofile__delays_from_weight_and_distance, setup, teardown),
		cmocka_unit_test_setup_teardown(topofile__leaf_hosts, setup, teardown),
		cmocka_unit_test_setup_teardown(topofile__section_errors, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
