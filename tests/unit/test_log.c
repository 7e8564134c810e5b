/* test_log.c - the decision trace (log.h): its spec, its line format, and the
 * lines a redirector writes for its decisions.  The redirector is driven as
 * in test_redir.c, by calls with a fake node's io; it is attached to a
 * simulated node only so that it has a name (r1), and the simulator never
 * runs: times are those given to redir_input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <stdbool.h>

#include "hydranet/redir.h"
#include "log.h"
#include "sim/sim.h"
#include "status.h"
#include "testutil.h"

#define ORIGIN IP4(192, 20, 225, 20)
#define HS IP4(128, 142, 222, 80)
#define CLIENT IP4(10, 0, 1, 2)

struct fixture {
	struct tu_sink out;
	struct redir *r;
	FILE *log;
	char *text;
	size_t len;
};

static int f_output(void *ctx, const uint8_t *dg, size_t len)
{
	return tu_sink_put(ctx, dg, len) == 0 ? HN_OK : HN_ENOSPC;
}
static uint32_t f_mtu(void *ctx, uint32_t dst)
{
	(void)ctx;
	(void)dst;
	return 1500;
}
static uint32_t f_src(void *ctx, uint32_t dst)
{
	(void)ctx;
	(void)dst;
	return IP4(128, 142, 222, 1);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	struct sim_config sc = { .seed = 1, .run = 1 };
	assert_int_equal(sim_init(&sc), HN_OK);
	struct sim_node *n = sim_node_create("r1");
	assert_non_null(n);
	struct redir_config cfg = { .frag = { 16, 16384, 1000000000ull } };
	struct redir_io io = { f_output, f_mtu, f_src, &fx->out };
	fx->r = redir_new(&cfg, &io);
	assert_non_null(fx->r);
	assert_int_equal(redir_attach(fx->r, n), HN_OK);   /* for its name */
	redir_set_io(fx->r, &io);                           /* and back to the fake node */
	assert_int_equal(redir_table_add(fx->r, ORIGIN, 80, IPV4_PROTO_TCP, HS), HN_OK);
	fx->log = open_memstream(&fx->text, &fx->len);
	assert_non_null(fx->log);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	hn_log_disable();
	redir_free(fx->r);
	sim_destroy();
	fclose(fx->log);
	free(fx->text);
	free(fx);
	return 0;
}

/* What was logged so far. */
static const char *logged(struct fixture *fx)
{
	fflush(fx->log);
	return fx->text ? fx->text : "";
}

/* A redirect, a forward, a tunnel that fails (TTL), a bad header, one
 * tunnelled datagram cut in two. */
static void drive(struct fixture *fx)
{
	uint8_t dg[1500];
	tu_datagram(dg, 600, IPV4_PROTO_TCP, CLIENT, ORIGIN, 1025, 80, 7, 64, 0);
	redir_input(fx->r, dg, 600, 1234567890ull);
	tu_datagram(dg, 100, IPV4_PROTO_TCP, CLIENT, ORIGIN, 1025, 23, 8, 64, 0);
	redir_input(fx->r, dg, 100, 2000000000ull);
	tu_datagram(dg, 100, IPV4_PROTO_TCP, CLIENT, ORIGIN, 1026, 80, 9, 1, 0);
	redir_input(fx->r, dg, 100, 2000000001ull);
	memset(dg, 0x45, 10);
	redir_input(fx->r, dg, 10, 3000000000ull);
	tu_datagram(dg, 1500, IPV4_PROTO_TCP, CLIENT, ORIGIN, 1027, 80, 10, 64, 0);
	redir_input(fx->r, dg, 1500, 4000000000ull);
}

static const char DRIVE_LOG[] =
	"1.234567890 redir r1: redirect 10.0.1.2:1025 > 192.20.225.20:80 tcp to 128.142.222.80 (nearest, new flow)\n"
	"2.000000000 redir r1: forward 10.0.1.2:1025 > 192.20.225.20:23 tcp (no table entry)\n"
	"2.000000001 redir r1: redirect 10.0.1.2:1026 > 192.20.225.20:80 tcp to 128.142.222.80 (nearest, new flow)\n"
	"2.000000001 redir r1: drop ttl_expired 10.0.1.2:1026 > 192.20.225.20:80 tcp (tunnel to 128.142.222.80: TTL expired)\n"
	"3.000000000 redir r1: drop bad_header 10 bytes (not a valid IPv4 datagram)\n"
	"4.000000000 redir r1: redirect 10.0.1.2:1027 > 192.20.225.20:80 tcp to 128.142.222.80 (nearest, new flow)\n"
	"4.000000000 redir r1: fragment 1520 bytes into 2 (mtu 1500)\n";

static void log__redirector_decisions_exact_lines(void **state)
{
	struct fixture *fx = *state;
	assert_int_equal(hn_log_enable("redir", fx->log), HN_OK);
	drive(fx);
	assert_string_equal(logged(fx), DRIVE_LOG);
	/* One drop each, as the counters say. */
	assert_int_equal(redir_stats(fx->r)->drops[REDIR_DROP_TTL], 1);
	assert_int_equal(redir_stats(fx->r)->drops[REDIR_DROP_BAD_HEADER], 1);
}

static void log__off_writes_nothing_and_counts_the_same(void **state)
{
	struct fixture *fx = *state;
	/* Never enabled, then enabled for other components, then disabled. */
	drive(fx);
	assert_int_equal(hn_log_enable("hsrv,rtd,rmgr,hweb", fx->log), HN_OK);
	drive(fx);
	assert_int_equal(hn_log_enable("redir", fx->log), HN_OK);
	hn_log_disable();
	drive(fx);
	assert_string_equal(logged(fx), "");
	assert_int_equal(fx->len, 0);
	assert_int_equal(HN_LOG_ON(HN_LOG_REDIR), 0);
	/* The model did the same work as with the trace on: 3 drives. */
	const struct redir_stats *st = redir_stats(fx->r);
	assert_int_equal(st->redirected, 3 * 2);
	assert_int_equal(st->forwarded, 3 * 1);
	assert_int_equal(st->fragments_made, 3 * 2);
	assert_int_equal(fx->out.count, 3 * 3);
}

static void log__held_fragment_and_its_expiry(void **state)
{
	struct fixture *fx = *state;
	uint8_t dg[100];
	tu_datagram(dg, sizeof dg, IPV4_PROTO_UDP, CLIENT, ORIGIN, 0, 0, 77, 64, 0);
	struct ipv4_hdr h;
	assert_int_equal(ipv4_decode(dg, sizeof dg, &h), HN_OK);
	h.frag_off = 185;   /* a later fragment: no ports */
	assert_true(ipv4_encode(&h, dg, sizeof dg) >= 0);
	assert_int_equal(hn_log_enable("all", fx->log), HN_OK);
	assert_int_equal(redir_input(fx->r, dg, sizeof dg, 5000000000ull), REDIR_CONSUMED);
	redir_expire(fx->r, 6000000000ull);
	assert_string_equal(logged(fx),
			    "5.000000000 redir r1: hold fragment id 77 (first fragment not seen)\n"
			    "6.000000000 redir r1: drop frag_no_first 1 held fragment (first fragment did not come in 1.000 s)\n");
	assert_int_equal(redir_fragflow_stats(fx->r)->drops[FRAGFLOW_DROP_NO_FIRST], 1);
}

static void log__spec(void **state)
{
	struct fixture *fx = *state;
	assert_int_equal(hn_log_enable("redir,hsrv,rmgr", fx->log), HN_OK);
	assert_true(HN_LOG_ON(HN_LOG_REDIR) && HN_LOG_ON(HN_LOG_HSRV) && HN_LOG_ON(HN_LOG_RMGR));
	assert_false(HN_LOG_ON(HN_LOG_RTD) || HN_LOG_ON(HN_LOG_HWEB) || HN_LOG_ON(HN_LOG_CPU));
	/* An unknown name is refused and changes nothing. */
	assert_int_equal(hn_log_enable("redir,bogus", fx->log), HN_EINVAL);
	assert_int_equal(hn_log_enable("redi", fx->log), HN_EINVAL);
	assert_int_equal(hn_log_enable("redir", NULL), HN_EINVAL);
	assert_true(HN_LOG_ON(HN_LOG_HSRV));
	assert_int_equal(hn_log_enable("all", fx->log), HN_OK);
	for (int c = 0; c < HN_LOG_NCOMP; c++)
		assert_true(HN_LOG_ON(c));
	assert_int_equal(hn_log_enable("", fx->log), HN_OK);
	assert_int_equal(hn_log_state.mask, 0);
}

static void log__line_format(void **state)
{
	struct fixture *fx = *state;
	assert_int_equal(hn_log_enable("hsrv,rmgr", fx->log), HN_OK);
	HN_LOG(HN_LOG_HSRV, 0, "h1", "drop %s " HN_LOG_IPF " > " HN_LOG_IPF, "no_vhost",
	       HN_LOG_IP(IP4(10, 0, 0, 5)), HN_LOG_IP(IP4(10, 1, 0, 1)));
	HN_LOG(HN_LOG_RMGR, 12000000000123ull, NULL, "x");
	int evaluated = 0;
	HN_LOG(HN_LOG_REDIR, 0, "r1", "%d", ++evaluated);   /* off: arguments not evaluated */
	assert_int_equal(evaluated, 0);
	assert_string_equal(logged(fx), "0.000000000 hsrv h1: drop no_vhost 10.0.0.5 > 10.1.0.1\n"
					"12000.000000123 rmgr -: x\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(log__redirector_decisions_exact_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(log__off_writes_nothing_and_counts_the_same, setup, teardown),
		cmocka_unit_test_setup_teardown(log__held_fragment_and_its_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(log__spec, setup, teardown),
		cmocka_unit_test_setup_teardown(log__line_format, setup, teardown),
	};
	return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
