/* test_scenario.c - scenario files: values with units, defaults, and the
 * exact "file:line: message" for each kind of bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "param.h"
#include "scenario/scenario.h"
#include "testbed/cpu.h"
#include "status.h"

static char path[64];

static const char *write_file(const char *text, size_t len)
{
	snprintf(path, sizeof path, "/tmp/hn-scn-%d.ini", (int)getpid());
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
	return path;
}

/* Load text; expect failure with exactly "PATH:want". */
static void expect_error(const char *text, const char *want)
{
	char err[1200], full[1300];
	struct scenario *s = scenario_load(write_file(text, strlen(text)), err, sizeof err);
	assert_null(s);
	snprintf(full, sizeof full, "%s:%s", path, want);
	assert_string_equal(err, full);
	unlink(path);
}

#define TWO_NODES \
	"[node a]\nrole = client\n" \
	"[node b]\nrole = router\n" \
	"[link ab]\na = a\nb = b\na_addr = 10.0.0.1\nb_addr = 10.0.0.2\n"

static void scenario__minimal_file_loads_with_defaults(void **state)
{
	(void)state;
	char err[1200];
	const char *t = "[simulation]\nstop_time = 1.5ms\n" TWO_NODES "rate = 1.544Mbps\nmtu = 1KiB\n";
	struct scenario *s = scenario_load(write_file(t, strlen(t)), err, sizeof err);
	assert_non_null(s);
	assert_int_equal(s->sim.stop_ns, 1500000);
	assert_int_equal(s->sim.seed, 1);
	assert_int_equal(s->sim.runs, 1);
	assert_int_equal(s->sim.tcp_profile, SCN_TCP_BSD1998);
	assert_int_equal(s->nnodes, 2);
	assert_int_equal(s->node[1].role, SCN_ROUTER);
	assert_int_equal(s->link[0].rate_bps, 1544000);
	assert_int_equal(s->link[0].mtu, 1024);
	assert_int_equal(s->link[0].delay_ns, 1000000);   /* default 1ms */
	assert_int_equal(s->link[0].a_addr, 0x0A000001);
	assert_int_equal(s->node_at[1].line, 5);   /* its [node b] header */
	scenario_free(s);
	unlink(path);
}

static void scenario__unknown_section_is_refused(void **state)
{
	(void)state;
	expect_error(TWO_NODES "[router x]\nrole = client\n",
		     "10: unknown section [router x] (sections: node, link, service, replica, "
		     "workload, simulation, testbed, output, replication, failure, topology)");
}

static void scenario__unknown_key_is_refused_with_its_line(void **state)
{
	(void)state;
	expect_error("[output]\npcap = x\ncolour = blue\n",
		     "3: [output]: unknown key 'colour' (keys: pcap, sample_interval, hist_bin)");
}

static void scenario__type_errors_are_refused(void **state)
{
	(void)state;
	expect_error(TWO_NODES "rate = fast\n", "10: [link ab]: rate: 'fast' is not a number");
	expect_error(TWO_NODES "delay = 5\n", "10: [link ab]: delay: '5' needs a unit, one of: ns us ms s");
	expect_error(TWO_NODES "queue = 1.5\n", "10: [link ab]: queue: '1.5' is not an integer");
	expect_error("[node a]\nrole = server\n",
		     "2: [node a]: role: 'server' is not one of: client, router, redirector, origin, hostserver, rogue, "
		     "nameserver, resolver, natlb");
	expect_error("[node a]\nrole = client\n[link x]\na_addr = 10.0.0.256\n",
		     "4: [link x]: a_addr: '10.0.0.256' is not an IPv4 address");
}

static void scenario__out_of_range_is_refused(void **state)
{
	(void)state;
	expect_error(TWO_NODES "mtu = 40\n", "10: [link ab]: mtu = 40 is out of range [68, 65535] bytes");
	expect_error(TWO_NODES "loss = 1.5\n", "10: [link ab]: loss = 1.5 is out of range [0, 1]");
}

static void scenario__duplicates_are_refused(void **state)
{
	(void)state;
	expect_error("[node a]\nrole = client\n[node a]\nrole = router\n",
		     "3: duplicate node 'a' (first defined at line 1)");
	expect_error("[node a]\nrole = client\nrole = router\n",
		     "3: [node a]: key 'role' given twice (first at line 2)");
	expect_error("[simulation]\nseed = 1\n[node a]\nrole = client\n[simulation]\nruns = 2\n",
		     "5: section [simulation] appears twice (first at line 1)");
}

static void scenario__references_are_checked(void **state)
{
	(void)state;
	expect_error("[node a]\nrole = client\n[link ab]\na = a\nb = nowhere\na_addr = 10.0.0.1\n"
		     "b_addr = 10.0.0.2\n",
		     "5: [link ab]: no node named 'nowhere'");
	expect_error(TWO_NODES "[node c]\nrole = client\n",
		     "10: [node c]: not connected to node 'a': the topology is disconnected");
	expect_error("[node a]\nrole = client\n[link ab]\na = a\n", "3: [link ab]: missing required key 'b'");
	expect_error(TWO_NODES "[service web]\norigin = b\naddress = 10.0.0.2\nport = 80\napp = http\n",
		     "11: [service web]: origin 'b' has role = router, not role = origin");
}

static void scenario__empty_missing_and_binary_files_are_refused(void **state)
{
	(void)state;
	char err[1200], want[1300];
	expect_error("", "1: empty scenario file");
	assert_null(scenario_load("/nonexistent/x.ini", err, sizeof err));
	assert_string_equal(err, "/nonexistent/x.ini:0: cannot open: No such file or directory");
	static const char bin[] = "[node a]\nrole = cl\0\xff\xfe";
	assert_null(scenario_load(write_file(bin, sizeof bin), err, sizeof err));
	snprintf(want, sizeof want, "%s:2: NUL byte: not a text file", path);
	assert_string_equal(err, want);
	expect_error("[node a]\nrole = client\n\x01\x02garbage\n",
		     "3: syntax error: expected [section], key = value, or ; comment");
	expect_error("  indented = 1\n", "1: key 'indented' before any [section]");
}

static void scenario__overlong_line_is_refused(void **state)
{
	(void)state;
	char text[400];
	memset(text, 'x', sizeof text);
	memcpy(text, "; ", 2);
	text[sizeof text - 1] = 0;
	expect_error(text, "1: line longer than 198 characters");
}


/* Role keys land in the role's own configuration (roles.h), at the width
 * of its field; a key two roles share is set in both. */
static void scenario__role_keys_fill_their_module_configs(void **state)
{
	(void)state;
	char err[4096];
	const char *u = "[node r]\nrole = redirector\nouter_ttl = 200\npolicy = least_loaded\n"
			"flow_table = false\nfrag_hold = 2s\nfrag_max_flows = 7\nauth = true\n"
			"auth_hs_rate = 3\nmax_entries = 100\n"
			"[node h]\nrole = hostserver\nreass_max_datagrams = 9\nannounce_lifetime = 40s\n"
			"withdraw = no\ncpu = i486sx-33\nauth = true\nmax_installs = 2\n"
			"[node x]\nrole = rogue\nattack = stale\nattack_service = web\nattack_start = 3s\n"
			"attack_ports = 5\nreass_max_datagrams = 11\n"
			"[link rh]\na = r\nb = h\na_addr = 10.0.0.1\nb_addr = 10.0.0.2\n"
			"[node o]\nrole = origin\n"
			"[link rx]\na = r\nb = x\na_addr = 10.0.1.1\nb_addr = 10.0.1.2\n"
			"[link ro]\na = r\nb = o\na_addr = 10.0.2.1\nb_addr = 10.0.2.2\n"
			"[service web]\norigin = o\naddress = 10.0.2.2\nport = 80\napp = http\n";
	struct scenario *s = scenario_load(write_file(u, strlen(u)), err, sizeof err);
	assert_non_null(s);
	const struct redir_config *rc = &s->node[0].cfg.redirector.redir;
	assert_int_equal(rc->outer_ttl, 200);            /* a uint8_t */
	assert_int_equal(rc->policy, REDIR_LEAST_LOADED);
	assert_false(rc->flow_table);                    /* a bool */
	assert_int_equal(rc->flow_idle_ns, 300000000000ull);   /* default 300 s */
	assert_int_equal(rc->frag.lifetime_ns, 2000000000ull);
	assert_int_equal(rc->frag.max_flows, 7);
	assert_int_equal(rc->max_entries, 100);
	assert_int_equal(rc->max_flows, 4096);           /* default */
	/* auth: the redirector's verifier and the host server's daemon */
	const struct auth_config *ac = &s->node[0].cfg.redirector.auth;
	assert_true(ac->enabled);
	assert_int_equal(ac->hs_rate, 3);
	assert_int_equal(ac->hs_burst, 20);              /* default */
	/* the same keys' defaults reach the host server's copy */
	const struct hostserver_config *hc = &s->node[1].cfg.hostserver;
	assert_int_equal(hc->hsrv.frag.lifetime_ns, 30000000000ull);
	assert_int_equal(hc->hsrv.reass.max_datagrams, 9);
	assert_int_equal(hc->hsrv.reass.max_bytes, 4u << 20);
	assert_int_equal(hc->rtd.lifetime_ns, 40000000000ull);
	assert_false(hc->rtd.withdraw);
	assert_true(hc->rtd.auth);
	assert_int_equal(hc->rsrv.max_conns, 2);
	const struct rogue_config *xc = &s->node[2].cfg.rogue;
	assert_int_equal(xc->attack.attack, ROGUE_STALE);
	assert_string_equal(xc->attack.service, "web");
	assert_int_equal(xc->attack.start_ns, 3000000000ull);
	assert_int_equal(xc->attack.ports, 5);
	assert_int_equal(xc->attack.count, 10);          /* default */
	assert_int_equal(xc->hsrv.reass.max_datagrams, 11);
	assert_string_equal(cpu_choices[s->node[1].cpu], "i486sx-33");
	assert_string_equal(role_names[s->node[1].role], "hostserver");
	scenario_free(s);
	unlink(path);
}

/* The DNS roles' keys land in their own configs; a workload's resolver. */
static void scenario__dns_keys(void **state)
{
	(void)state;
	char err[1200];
	const char *u = "[node ns]\nrole = nameserver\ndns_service = web\ndns_policy = round_robin\n"
			"dns_ttl = 5s\n"
			"[node r]\nrole = resolver\ndns_server = ns\n"
			"[node c]\nrole = client\n"
			"[node o]\nrole = origin\n"
			"[link rc]\na = r\nb = c\na_addr = 10.0.0.1\nb_addr = 10.0.0.2\n"
			"[link rn]\na = r\nb = ns\na_addr = 10.0.1.1\nb_addr = 10.0.1.2\n"
			"[link ro]\na = r\nb = o\na_addr = 10.0.2.1\nb_addr = 10.0.2.2\n"
			"[service web]\norigin = o\naddress = 10.0.2.2\nport = 80\napp = http\n"
			"[workload w]\nclient = c\nservice = web\nresolver = r\nmin_ttl = 30s\n";
	struct scenario *s = scenario_load(write_file(u, strlen(u)), err, sizeof err);
	assert_non_null(s);
	const struct dnssrv_auth_config *a = &s->node[0].cfg.nameserver;
	assert_string_equal(a->service, "web");
	assert_int_equal(a->policy, DNSSRV_ROUND_ROBIN);
	assert_int_equal(a->ttl_ns, 5000000000ull);
	assert_string_equal(s->node[1].cfg.resolver.server, "ns");
	assert_string_equal(role_names[s->node[1].role], "resolver");
	assert_string_equal(s->workload[0].resolver, "r");
	assert_int_equal(s->workload[0].min_ttl_ns, 30000000000ull);
	scenario_free(s);
	unlink(path);
	/* defaults: nearest, 60 s; no resolver, no minimum */
	const char *v = "[node ns]\nrole = nameserver\ndns_service = web\n"
			"[node o]\nrole = origin\n"
			"[link no]\na = ns\nb = o\na_addr = 10.0.2.1\nb_addr = 10.0.2.2\n"
			"[service web]\norigin = o\naddress = 10.0.2.2\nport = 80\napp = http\n";
	s = scenario_load(write_file(v, strlen(v)), err, sizeof err);
	assert_non_null(s);
	assert_int_equal(s->node[0].cfg.nameserver.policy, DNSSRV_NEAREST);
	assert_int_equal(s->node[0].cfg.nameserver.ttl_ns, 60000000000ull);
	scenario_free(s);
	unlink(path);
}

/* Every problem of a file at once, one line each, in file order. */
static void scenario__all_errors_are_reported(void **state)
{
	(void)state;
	char err[4096], want[2048];
	const char *t = "[node a]\nrole = client\ncolor = red\n"
			"[node b]\nrole = routr\n"
			"[nodes c]\nrole = client\n"
			"[link ab]\na = a\nb = b\na_addr = 10.0.0.1\nb_addr = 10.0.0.2\nmtu = 20\n";
	struct scenario *s = scenario_load(write_file(t, strlen(t)), err, sizeof err);
	assert_null(s);
	snprintf(want, sizeof want,
		 "%s:3: [node a]: unknown key 'color' (keys: role, cpu, outer_ttl, outer_ttl_mode, "
		 "outer_tos_mode, outer_tos, outer_df, fragment, icmp_frag_needed, icmp_rate, "
		 "icmp_burst, mss_clamp, policy, flow_table, "
		 "maglev_size, flow_idle, max_entries, max_flows, frag_hold, frag_max_flows, frag_max_held, "
		 "health_check, hc_interval, hc_timeout, hc_fall, hc_rise, auth, "
		 "auth_max_services, auth_replay_entries, auth_hs_rate, auth_hs_burst, auth_rate_entries, "
		 "reass_timeout, reass_max_datagrams, reass_max_bytes, announce_lifetime, announce_refresh, announce_to, "
		 "withdraw, max_installs, attack, attack_service, attack_victim, attack_start, "
		 "attack_interval, attack_count, attack_ports, attack_lifetime, dns_service, dns_policy, "
		 "dns_ttl, dns_server, lb_service, lb_servers, lb_idle, lb_max_conns, lb_mode, lb_closed_idle, lb_added, lb_add_at)\n"
		 "%s:5: [node b]: role: 'routr' is not one of: client, router, redirector, origin, hostserver, rogue, "
		 "nameserver, resolver, natlb\n"
		 "%s:6: unknown section [nodes c]: did you mean [node]? (sections: node, link, service, "
		 "replica, workload, simulation, testbed, output, replication, failure, topology)\n"
		 "%s:13: [link ab]: mtu = 20 is out of range [68, 65535] bytes",
		 path, path, path, path);
	assert_string_equal(err, want);
	unlink(path);
}

/* A near miss is named: keys, and nodes a section refers to. */
static void scenario__near_names_are_suggested(void **state)
{
	(void)state;
	expect_error(TWO_NODES "dealy = 5ms\n",
		     "10: [link ab]: unknown key 'dealy': did you mean 'delay'? (keys: a, b, a_addr, "
		     "b_addr, prefix, rate, delay, mtu, queue, loss, delay_variation, variation_period)");
	expect_error("[node client1]\nrole = client\n[node b]\nrole = router\n"
		     "[link ab]\na = clinet1\nb = b\na_addr = 10.0.0.1\nb_addr = 10.0.0.2\n",
		     "6: [link ab]: no node named 'clinet1'; did you mean 'client1'?");
}

/* count = N: one section, N objects; ${i} and index expressions in names
 * and values; addresses from a base address plus the index. */
static void scenario__count_makes_copies(void **state)
{
	(void)state;
	char err[1200];
	const char *t =
		"[node core]\nrole = router\n"
		"[node isp${i}]\ncount = 300\nrole = router\n"
		"[node c${i}]\ncount = 300\nrole = client\n"
		"[link up${i}]\ncount = 300\na = core\nb = isp${i}\n"
		"a_addr = ${10.0.0.1 + 4*i}\nb_addr = ${10.0.0.2 + 4*i}\nprefix = 30\n"
		"delay = ${1 + i % 3}ms\n"
		"[link acc${i}]\ncount = 300\na = isp${i}\nb = c${i}\n"
		"a_addr = 11.${i / 256}.${i % 256}.1\nb_addr = ${11.0.0.0 + 256*i + 2}\n";
	struct scenario *s = scenario_load(write_file(t, strlen(t)), err, sizeof err);
	if (!s)
		fail_msg("%s", err);
	assert_int_equal(s->nnodes, 601);
	assert_int_equal(s->nlinks, 600);
	assert_string_equal(s->node[1].name, "isp0");
	assert_string_equal(s->node[300].name, "isp299");
	assert_string_equal(s->node[301].name, "c0");
	assert_int_equal(s->node[301].role, SCN_CLIENT);
	assert_string_equal(s->link[299].b, "isp299");
	assert_int_equal(s->link[299].a_addr, (10u << 24) + 4 * 299 + 1);
	assert_int_equal(s->link[299].delay_ns, 3000000);   /* 1 + 299 % 3 = 3 ms */
	assert_int_equal(s->link[300 + 258].a_addr, (11u << 24) | (1u << 16) | (2u << 8) | 1);
	assert_int_equal(s->link[300 + 258].b_addr, (11u << 24) + 256 * 258 + 2);
	assert_ptr_equal(scenario_node(s, "c257"), &s->node[301 + 257]);
	assert_int_equal(scenario_node_index(s, "isp17"), 18);
	assert_null(scenario_node(s, "isp300"));
	scenario_free(s);
	unlink(path);
}

static void scenario__count_errors_name_the_line(void **state)
{
	(void)state;
	expect_error("[node a${i}]\ncount = 0\nrole = router\n",
		     "2: [node a${i}]: count: '0' is not a whole number from 1 to 1000000");
	expect_error("[node a]\ncount = 3\nrole = router\n",
		     "2: [node a]: count = 3: the copies would all have one name; put ${i} (the "
		     "copy's index, 0 to 2) in the section's name");
	expect_error("[simulation]\ncount = 2\n" TWO_NODES,
		     "2: [simulation]: count: only named sections ([node NAME], [link NAME], ...) "
		     "stand for several copies");
	expect_error("[node a]\nrole = router\n[node b]\nrole = router\n"
		     "[link l]\na = a\nb = b\na_addr = ${10.0.0.1 + i}\nb_addr = 10.0.0.9\n",
		     "8: [link l]: a_addr: ${i} stands for a copy's index, in a section with a "
		     "count only");
	expect_error("[node a]\nrole = router\n[node b${i}]\nrole = router\n",
		     "3: [node b${i}]: ${i} stands for a copy's index, in a section with a count only");
	expect_error("[node a]\nrole = router\n[node b${i}]\ncount = 2\nrole = router\n"
		     "[link l${i}]\ncount = 2\na = a\nb = b${i}\na_addr = ${10.0.0.1 + 2*i}\n"
		     "b_addr = ${10.0.0.2 + 2*i / 0}\n",
		     "11: [link l0]: b_addr: '${10.0.0.2 + 2*i / 0}' at i = 0: division by zero");
	expect_error("[node a]\nrole = router\n[node b${i}]\ncount = 2\nrole = router\n"
		     "[link l${i}]\ncount = 2\na = a\nb = b${i}\na_addr = ${255.255.255.254 + 2*i}\n"
		     "b_addr = 10.0.0.1\n",
		     "10: [link l1]: a_addr: '${255.255.255.254 + 2*i}' at i = 1: the address is "
		     "beyond 255.255.255.255");
	/* a copy's own error names the copy and its line */
	expect_error("[node a]\nrole = router\n[node b${i}]\ncount = 3\nrole = ${i < 2}\n",
		     "5: [node b0]: role: '${i < 2}' at i = 0: unexpected text");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scenario__minimal_file_loads_with_defaults),
		cmocka_unit_test(scenario__count_makes_copies),
		cmocka_unit_test(scenario__count_errors_name_the_line),
		cmocka_unit_test(scenario__unknown_section_is_refused),
		cmocka_unit_test(scenario__unknown_key_is_refused_with_its_line),
		cmocka_unit_test(scenario__type_errors_are_refused),
		cmocka_unit_test(scenario__out_of_range_is_refused),
		cmocka_unit_test(scenario__duplicates_are_refused),
		cmocka_unit_test(scenario__references_are_checked),
		cmocka_unit_test(scenario__empty_missing_and_binary_files_are_refused),
		cmocka_unit_test(scenario__overlong_line_is_refused),
		cmocka_unit_test(scenario__role_keys_fill_their_module_configs),
		cmocka_unit_test(scenario__dns_keys),
		cmocka_unit_test(scenario__all_errors_are_reported),
		cmocka_unit_test(scenario__near_names_are_suggested),
	};
	return cmocka_run_group_tests_name("scenario", tests, NULL, NULL);
}
