/* test_redirect.c - unit tests of HTTP redirection: the Location line
 * (redirect.c) written and read back, every refusal; on the simulator the
 * origin's whole 302 reply byte for byte (RFC 1945 6.1 status line, 9.3,
 * 10.11), and an HTTP client following it to the replica, with and without
 * remembering it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "apps/http.h"
#include "apps/redirect.h"
#include "sim/sim.h"
#include "status.h"
#include "testutil.h"

static void redirect__location_bytes(void **state)
{
	(void)state;
	char b[128];
	const char want[] = "Location: http://10.1.3.2/obj/2000\r\n";
	assert_int_equal(redirect_location_format(b, sizeof b, IP4(10, 1, 3, 2), 80, "/obj/2000"),
			 sizeof want - 1);
	assert_string_equal(b, want);
	/* RFC 1945 3.2.2: a port other than 80 is written */
	assert_int_equal(redirect_location_format(b, sizeof b, IP4(192, 20, 225, 20), 8080, "/obj/5/7"),
			 strlen("Location: http://192.20.225.20:8080/obj/5/7\r\n"));
	assert_string_equal(b, "Location: http://192.20.225.20:8080/obj/5/7\r\n");
	/* refused: no leading '/', port 0, no room */
	assert_int_equal(redirect_location_format(b, sizeof b, 1, 80, "obj"), HN_EINVAL);
	assert_int_equal(redirect_location_format(b, sizeof b, 1, 0, "/obj"), HN_EINVAL);
	assert_int_equal(redirect_location_format(b, sizeof want - 1, IP4(10, 1, 3, 2), 80, "/obj/2000"),
			 HN_ENOSPC);

	uint32_t a = 0;
	uint16_t p = 0;
	char path[64];
	enum redirect_refusal why;
	assert_int_equal(redirect_location_parse("HTTP/1.0 302 Moved Temporarily\r\n"
						 "location:   HTTP://10.1.3.2:81/obj/9\r\n\r\n",
						 &a, &p, path, sizeof path, &why), HN_OK);
	assert_int_equal(a, IP4(10, 1, 3, 2));
	assert_int_equal(p, 81);
	assert_string_equal(path, "/obj/9");
	assert_int_equal(redirect_location_parse("HTTP/1.0 302 X\r\nLocation: http://1.2.3.4/a\r\n",
						 &a, &p, path, sizeof path, &why), HN_OK);
	assert_int_equal(p, 80);
}

static void expect_refused(const char *hdr, enum redirect_refusal r)
{
	uint32_t a = 7;
	uint16_t p = 7;
	char path[16] = "x";
	enum redirect_refusal why = REDIRECT_NREFUSALS;
	assert_int_equal(redirect_location_parse(hdr, &a, &p, path, sizeof path, &why), HN_EPROTO);
	assert_int_equal(why, r);
	assert_int_equal(a, 7);   /* outputs untouched */
	assert_int_equal(p, 7);
}

static void redirect__location_refusals(void **state)
{
	(void)state;
	expect_refused("HTTP/1.0 302 X\r\nContent-Length: 0\r\n", REDIRECT_REFUSE_NO_LOCATION);
	expect_refused("HTTP/1.0 302 X\r\nX-Location: http://1.2.3.4/a\r\n", REDIRECT_REFUSE_NO_LOCATION);
	expect_refused("HTTP/1.0 302 X\r\nLocation: ftp://1.2.3.4/a\r\n", REDIRECT_REFUSE_SCHEME);
	expect_refused("HTTP/1.0 302 X\r\nLocation: /a\r\n", REDIRECT_REFUSE_SCHEME);
	expect_refused("HTTP/1.0 302 X\r\nLocation: http://www.example.com/a\r\n", REDIRECT_REFUSE_HOST);
	expect_refused("HTTP/1.0 302 X\r\nLocation: http://1.2.3.256/a\r\n", REDIRECT_REFUSE_HOST);
	expect_refused("HTTP/1.0 302 X\r\nLocation: http://1.2.3/a\r\n", REDIRECT_REFUSE_HOST);
	expect_refused("HTTP/1.0 302 X\r\nLocation: http://1.2.3.0004/a\r\n", REDIRECT_REFUSE_HOST);
	expect_refused("HTTP/1.0 302 X\r\nLocation: http://1.2.3.4:0/a\r\n", REDIRECT_REFUSE_PORT);
	expect_refused("HTTP/1.0 302 X\r\nLocation: http://1.2.3.4:65536/a\r\n", REDIRECT_REFUSE_PORT);
	expect_refused("HTTP/1.0 302 X\r\nLocation: http://1.2.3.4:/a\r\n", REDIRECT_REFUSE_PORT);
	expect_refused("HTTP/1.0 302 X\r\nLocation: http://1.2.3.4\r\n", REDIRECT_REFUSE_PATH);
	expect_refused("HTTP/1.0 302 X\r\nLocation: http://1.2.3.4/0123456789abcdef\r\n",
		       REDIRECT_REFUSE_PATH);   /* longer than the 16-byte buffer */
	assert_string_equal(redirect_refusal_name(REDIRECT_REFUSE_HOST), "redirect_host");
	assert_string_equal(redirect_refusal_name(REDIRECT_NREFUSALS), "unknown");
}

/* ---- on the simulator ------------------------------------------------------ */

#define CLIENT IP4(10, 0, 1, 2)
#define ORIGIN IP4(192, 20, 1, 10)
#define REPLICA IP4(10, 0, 3, 2)
#define S(x) ((uint64_t)(x) * 1000000000ull)

static uint32_t to_replica(void *ctx, uint32_t peer)
{
	uint32_t *seen = ctx;
	*seen = peer;
	return REPLICA;
}

struct raw {
	sim_node *node;
	sim_sock *s;
	char got[1024];
	size_t n;
};

static void raw_connect(void *ctx, sim_sock *s, bool ok)
{
	(void)ctx;
	assert_true(ok);
	const char req[] = "GET /obj/2000 HTTP/1.0\r\n\r\n";
	assert_int_equal(sim_sock_send(s, (const uint8_t *)req, sizeof req - 1), sizeof req - 1);
}

static void raw_recv(void *ctx, sim_sock *s, const uint8_t *d, size_t len, uint32_t f, uint16_t fp)
{
	struct raw *r = ctx;
	(void)s;
	(void)f;
	(void)fp;
	if (r->n + len < sizeof r->got) {
		memcpy(r->got + r->n, d, len);
		r->n += len;
	}
}

static void raw_start(void *arg)
{
	struct raw *r = arg;
	static const struct sim_sock_ops ops = { .on_connect = raw_connect, .on_recv = raw_recv };
	r->s = sim_tcp_socket(r->node, &ops, r);
	assert_int_equal(sim_sock_connect(r->s, ORIGIN, 80), HN_OK);
}

static void run(int cache, struct raw *raw, uint32_t *seen, const struct app_result **res,
		uint64_t *redirects)
{
	const struct sim_config cfg = { 1, 1 };
	assert_int_equal(sim_init(&cfg), HN_OK);
	struct sim_link_config lc = { .rate_bps = 10000000, .delay_ns = 5000000, .mtu_bytes = 1500,
				      .queue_packets = 100 };
	sim_node *g = sim_node_create("G"), *c = sim_node_create("C"), *o = sim_node_create("origin"),
		 *h = sim_node_create("hs");
	assert_non_null(sim_link_create(g, c, &lc, IP4(10, 0, 1, 1), CLIENT, 24));
	assert_non_null(sim_link_create(g, o, &lc, IP4(192, 20, 1, 1), ORIGIN, 24));
	assert_non_null(sim_link_create(g, h, &lc, IP4(10, 0, 3, 1), REPLICA, 24));
	assert_int_equal(sim_routing_populate(), HN_OK);
	struct http_server_config oc = { .name = "origin", .addr = ORIGIN, .port = 80,
					 .redirect = to_replica, .redirect_ctx = seen };
	struct http_server_config rc = { .name = "hs", .addr = REPLICA, .port = 80 };
	struct http_server *os = http_server_new(o, NULL, &oc), *rs = http_server_new(h, NULL, &rc);
	assert_non_null(os);
	assert_non_null(rs);
	/* the raw client: one GET at 0.5 s, the reply's bytes kept */
	raw->node = c;
	sim_schedule(S(1) / 2, raw_start, raw);
	struct http_client_config hc = { .server_addr = ORIGIN, .server_port = 80, .object_bytes = 2000,
					 .requests = 3, .start_ns = S(1), .think = { S(1), NULL },
					 .cache_redirect = cache };
	struct http_client *cl = http_client_new(c, &hc);
	assert_non_null(cl);
	sim_run(S(10));
	assert_int_equal(http_client_results(cl, res), 3);
	static struct app_result copy[3];
	memcpy(copy, *res, sizeof copy);
	*res = copy;
	*redirects = http_client_redirects(cl);
	assert_int_equal(http_server_requests(os), 1 + (cache ? 1 : 3));   /* the raw GET too */
	assert_int_equal(http_server_requests(rs), 3);
	sim_destroy();
	http_client_free(cl);
	http_server_free(os);
	http_server_free(rs);
}

static void redirect__reply_bytes_and_following(void **state)
{
	(void)state;
	static struct raw raw;
	uint32_t seen = 0;
	const struct app_result *res;
	uint64_t redirects;
	run(0, &raw, &seen, &res, &redirects);
	/* RFC 1945 6.1 status line, 9.3 reason, 10.11 Location (absolute URI) */
	const char want[] = "HTTP/1.0 302 Moved Temporarily\r\n"
			    "Server: hydranet-httpd/origin\r\n"
			    "Location: http://10.0.3.2/obj/2000\r\n"
			    "Content-Length: 0\r\n\r\n";
	assert_int_equal(raw.n, sizeof want - 1);
	assert_memory_equal(raw.got, want, sizeof want - 1);
	assert_int_equal(seen, CLIENT);   /* the choice saw the client's address */
	assert_int_equal(redirects, 3);
	for (int i = 0; i < 3; i++) {
		assert_true(res[i].ok);
		assert_string_equal(res[i].served_by, "hs");
		/* two GETs of 26 bytes; the 302 and the 200 with 2000 bytes */
		assert_int_equal(res[i].bytes_sent, 2 * 26);
		assert_int_equal(res[i].bytes_received, (sizeof want - 1) +
				 strlen("HTTP/1.0 200 OK\r\nServer: hydranet-httpd/hs\r\n"
					"Content-Length: 2000\r\n\r\n") + 2000);
	}
	uint64_t first = res[0].end_ns - res[0].start_ns;
	/* remembered: only the first request is redirected, the others are
	 * one connection shorter */
	memset(&raw, 0, sizeof raw);
	run(1, &raw, &seen, &res, &redirects);
	assert_int_equal(redirects, 1);
	assert_int_equal(res[0].bytes_sent, 2 * 26);
	assert_int_equal(res[1].bytes_sent, 26);
	assert_int_equal(res[2].bytes_sent, 26);
	assert_string_equal(res[2].served_by, "hs");
	assert_int_equal(res[0].end_ns - res[0].start_ns, first);
	assert_true(res[1].end_ns - res[1].start_ns < first);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(redirect__location_bytes),
		cmocka_unit_test(redirect__location_refusals),
		cmocka_unit_test(redirect__reply_bytes_and_following),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
