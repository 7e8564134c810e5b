/* test_hsrv.c - the host server without a simulator: a fake node records
 * what goes back into IP input and which addresses were made local. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hydranet/hsrv.h"
#include "net/frag.h"
#include "net/ipip.h"
#include "status.h"
#include "testutil.h"

#define ORIGIN IP4(192, 20, 225, 20)
#define OTHER_ORIGIN IP4(192, 20, 225, 99)
#define HS IP4(128, 142, 222, 80)
#define CLIENT IP4(10, 0, 1, 2)
#define REDIR IP4(128, 142, 222, 1)

struct fake {
	struct tu_sink in;
	uint32_t local[8];
	int nlocal;
};

static int f_input(void *ctx, const uint8_t *dg, size_t len)
{
	return tu_sink_put(&((struct fake *)ctx)->in, dg, len) == 0 ? HN_OK : HN_ENOSPC;
}
static int f_add_local(void *ctx, uint32_t a)
{
	struct fake *f = ctx;
	f->local[f->nlocal++] = a;
	return HN_OK;
}
static int f_is_local(void *ctx, uint32_t a)
{
	struct fake *f = ctx;
	if (a == HS)
		return 1;
	for (int i = 0; i < f->nlocal; i++)
		if (f->local[i] == a)
			return 1;
	return 0;
}

struct fixture {
	struct fake fake;
	struct hsrv *h;
};

static int setup(void **state)
{
	struct fixture *fx = test_calloc(1, sizeof *fx);
	struct hsrv_config cfg = { .reass = { 8, 1 << 20, 1000000000ull },
				   .frag = { 16, 16384, 1000000000ull } };
	struct hsrv_io io = { f_input, f_add_local, f_is_local, &fx->fake };
	fx->h = hsrv_new(&cfg, &io);
	assert_non_null(fx->h);
	assert_int_equal(hsrv_vhost_create(fx->h, ORIGIN, "httpd"), HN_OK);
	assert_int_equal(hsrv_vhost_bind(fx->h, ORIGIN, IPV4_PROTO_TCP, 80), HN_OK);
	assert_int_equal(hsrv_vhost_bind(fx->h, ORIGIN, IPV4_PROTO_UDP, 53), HN_OK);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	hsrv_free(fx->h);
	test_free(fx);
	return 0;
}

/* Encapsulate inner as the redirector would. */
static size_t encap(const uint8_t *inner, size_t ilen, uint8_t *out, uint16_t id)
{
	struct ipip_encap_params p = { REDIR, HS, id, 64, true };
	size_t olen = 0;
	assert_int_equal(ipip_encap(inner, ilen, &p, out, 2048, &olen), HN_OK);
	return olen;
}

static void hsrv__vhost_create_makes_origin_local_once(void **state)
{
	struct fixture *fx = *state;
	assert_int_equal(fx->fake.nlocal, 1);
	assert_int_equal(fx->fake.local[0], ORIGIN);
	assert_true(hsrv_vhost_exists(fx->h, ORIGIN));
	assert_false(hsrv_vhost_exists(fx->h, OTHER_ORIGIN));
	assert_int_equal(hsrv_vhost_create(fx->h, ORIGIN, "again"), HN_EEXIST);
	assert_int_equal(fx->fake.nlocal, 1);
	assert_int_equal(hsrv_vhost_bind(fx->h, OTHER_ORIGIN, IPV4_PROTO_TCP, 80), HN_ENOENT);
	assert_int_equal(hsrv_vhost_bind(fx->h, ORIGIN, IPV4_PROTO_TCP, 80), HN_EEXIST);
}

static void hsrv__tunnelled_datagram_is_delivered_decapsulated(void **state)
{
	struct fixture *fx = *state;
	uint8_t in[300], out[2048];
	tu_datagram(in, sizeof in, IPV4_PROTO_TCP, CLIENT, ORIGIN, 1025, 80, 5, 64, 0);
	size_t olen = encap(in, sizeof in, out, 1);
	assert_int_equal(hsrv_input(fx->h, out, olen, 0), HSRV_CONSUMED);
	assert_int_equal(fx->fake.in.count, 1);
	assert_int_equal(fx->fake.in.len[0], 300);
	assert_int_equal(fx->fake.in.dg[0][8], 63);   /* TTL as the redirector left it */
	assert_memory_equal(fx->fake.in.dg[0] + 20, in + 20, 280);
	const struct hsrv_stats *st = hsrv_stats(fx->h);
	assert_int_equal(st->tunnelled_in, 1);
	assert_int_equal(st->decapsulated, 1);
	assert_int_equal(st->delivered, 1);
	assert_int_equal(st->delivered_bytes, 300);
	assert_int_equal(st->reassembled, 0);
}

static void hsrv__virtual_host_not_installed_is_dropped_and_counted(void **state)
{
	struct fixture *fx = *state;
	uint8_t in[100], out[2048];
	tu_datagram(in, sizeof in, IPV4_PROTO_TCP, CLIENT, OTHER_ORIGIN, 1025, 80, 5, 64, 0);
	size_t olen = encap(in, sizeof in, out, 1);
	assert_int_equal(hsrv_input(fx->h, out, olen, 0), HSRV_CONSUMED);
	assert_int_equal(fx->fake.in.count, 0);
	assert_int_equal(hsrv_stats(fx->h)->drops[HSRV_DROP_NO_VHOST], 1);
	assert_int_equal(hsrv_stats(fx->h)->delivered, 0);
}

static void hsrv__port_not_replicated_is_dropped_and_counted(void **state)
{
	struct fixture *fx = *state;
	uint8_t in[100], out[2048];
	tu_datagram(in, sizeof in, IPV4_PROTO_TCP, CLIENT, ORIGIN, 1025, 23, 5, 64, 0);
	size_t olen = encap(in, sizeof in, out, 1);
	assert_int_equal(hsrv_input(fx->h, out, olen, 0), HSRV_CONSUMED);
	tu_datagram(in, sizeof in, IPV4_PROTO_UDP, CLIENT, ORIGIN, 1025, 80, 5, 64, 0);
	olen = encap(in, sizeof in, out, 2);
	assert_int_equal(hsrv_input(fx->h, out, olen, 0), HSRV_CONSUMED);
	assert_int_equal(fx->fake.in.count, 0);
	assert_int_equal(hsrv_stats(fx->h)->drops[HSRV_DROP_NO_PORT], 2);
}

static void hsrv__other_traffic_passes(void **state)
{
	struct fixture *fx = *state;
	uint8_t in[100], out[2048];
	tu_datagram(in, sizeof in, IPV4_PROTO_TCP, CLIENT, HS, 1025, 80, 5, 64, 0);
	assert_int_equal(hsrv_input(fx->h, in, sizeof in, 0), HSRV_PASS);
	/* IP-in-IP to an address that is not ours is someone else's tunnel. */
	struct ipip_encap_params p = { REDIR, IP4(10, 9, 9, 9), 1, 64, false };
	size_t olen;
	tu_datagram(in, sizeof in, IPV4_PROTO_TCP, CLIENT, ORIGIN, 1025, 80, 5, 64, 0);
	assert_int_equal(ipip_encap(in, sizeof in, &p, out, sizeof out, &olen), HN_OK);
	assert_int_equal(hsrv_input(fx->h, out, olen, 0), HSRV_PASS);
	assert_int_equal(hsrv_stats(fx->h)->tunnelled_in, 0);
}

static int collect(void *ctx, const uint8_t *f, size_t len)
{
	return tu_sink_put(ctx, f, len) == 0 ? HN_OK : HN_ENOSPC;
}

static void hsrv__outer_fragments_are_reassembled_out_of_order(void **state)
{
	struct fixture *fx = *state;
	static uint8_t in[1500], out[2048], scratch[1500];
	static struct tu_sink fr;
	struct ipv4_frag_stats st = { 0 };
	memset(&fr, 0, sizeof fr);
	tu_datagram(in, sizeof in, IPV4_PROTO_TCP, CLIENT, ORIGIN, 1025, 80, 5, 64, 0);
	size_t olen = encap(in, sizeof in, out, 3);
	assert_int_equal(ipv4_fragment(out, olen, 1500, scratch, sizeof scratch, collect, &fr, &st), 2);
	assert_int_equal(hsrv_input(fx->h, fr.dg[1], fr.len[1], 0), HSRV_CONSUMED);
	assert_int_equal(fx->fake.in.count, 0);
	assert_int_equal(hsrv_input(fx->h, fr.dg[0], fr.len[0], 5), HSRV_CONSUMED);
	assert_int_equal(fx->fake.in.count, 1);
	assert_int_equal(fx->fake.in.len[0], 1500);
	assert_memory_equal(fx->fake.in.dg[0] + 20, in + 20, 1480);
	assert_int_equal(hsrv_stats(fx->h)->tunnelled_in, 2);
	assert_int_equal(hsrv_stats(fx->h)->reassembled, 1);
	assert_int_equal(hsrv_reass_stats(fx->h)->held_bytes, 0);
}

static void hsrv__bad_inner_is_dropped_and_counted(void **state)
{
	struct fixture *fx = *state;
	uint8_t in[100], out[2048];
	tu_datagram(in, sizeof in, IPV4_PROTO_TCP, CLIENT, ORIGIN, 1025, 80, 5, 64, 0);
	size_t olen = encap(in, sizeof in, out, 1);
	out[20 + 10] ^= 0x55;   /* inner header checksum */
	assert_int_equal(hsrv_input(fx->h, out, olen, 0), HSRV_CONSUMED);
	assert_int_equal(hsrv_stats(fx->h)->drops[HSRV_DROP_BAD_OUTER], 1);
	assert_int_equal(fx->fake.in.count, 0);
}

static void hsrv__inner_fragments_follow_the_port_verdict(void **state)
{
	struct fixture *fx = *state;
	static uint8_t dg[3000], scratch[1500], out[2048];
	static struct tu_sink fr;
	struct ipv4_frag_stats st = { 0 };
	/* Replicated UDP port 53: every fragment is delivered, even one that
	 * arrives before the first. */
	memset(&fr, 0, sizeof fr);
	tu_datagram(dg, sizeof dg, IPV4_PROTO_UDP, CLIENT, ORIGIN, 5353, 53, 40, 64, 0);
	assert_int_equal(ipv4_fragment(dg, sizeof dg, 1480, scratch, sizeof scratch, collect, &fr, &st), 3);
	int order[3] = { 2, 0, 1 };
	for (int i = 0; i < 3; i++) {
		size_t olen = encap(fr.dg[order[i]], fr.len[order[i]], out, (uint16_t)(100 + i));
		assert_int_equal(hsrv_input(fx->h, out, olen, 0), HSRV_CONSUMED);
	}
	assert_int_equal(fx->fake.in.count, 3);
	assert_int_equal(hsrv_fragflow_stats(fx->h)->held, 1);
	assert_int_equal(hsrv_fragflow_stats(fx->h)->released, 1);
	/* Unreplicated port 54: every fragment is dropped. */
	memset(&fr, 0, sizeof fr);
	tu_datagram(dg, sizeof dg, IPV4_PROTO_UDP, CLIENT, ORIGIN, 5353, 54, 41, 64, 0);
	assert_int_equal(ipv4_fragment(dg, sizeof dg, 1480, scratch, sizeof scratch, collect, &fr, &st), 3);
	for (int i = 0; i < 3; i++) {
		size_t olen = encap(fr.dg[i], fr.len[i], out, (uint16_t)(200 + i));
		assert_int_equal(hsrv_input(fx->h, out, olen, 0), HSRV_CONSUMED);
	}
	assert_int_equal(fx->fake.in.count, 3);
	assert_int_equal(hsrv_stats(fx->h)->drops[HSRV_DROP_NO_PORT], 3);
}

/* A port given up (its listener gone) keeps connections in progress: TCP
 * segments other than a connection-opening SYN are still delivered; a SYN
 * and UDP are dropped; binding it again takes new connections.  The bind
 * listener hears of both changes. */
static int binds, unbinds;
static void on_bind(void *ctx, uint32_t origin, uint8_t proto, uint16_t port, bool bound)
{
	(void)ctx;
	assert_int_equal(origin, ORIGIN);
	assert_int_equal(proto, IPV4_PROTO_TCP);
	assert_int_equal(port, 80);
	binds += bound;
	unbinds += !bound;
}

static size_t tcp_to_80(uint8_t *out, uint8_t flags, uint16_t id)
{
	uint8_t in[100];
	tu_datagram(in, sizeof in, IPV4_PROTO_TCP, CLIENT, ORIGIN, 1025, 80, 5, 64, 0);
	in[20 + 13] = flags;   /* TCP flags (the host server reads no checksum) */
	return encap(in, sizeof in, out, id);
}

static void hsrv__port_given_up_keeps_connections_in_progress(void **state)
{
	struct fixture *fx = *state;
	uint8_t out[2048];
	binds = unbinds = 0;
	hsrv_set_bind_listener(fx->h, on_bind, NULL);
	assert_int_equal(hsrv_vhost_unbind(fx->h, ORIGIN, IPV4_PROTO_TCP, 80), HN_OK);
	assert_int_equal(unbinds, 1);
	assert_int_equal(hsrv_vhost_unbind(fx->h, ORIGIN, IPV4_PROTO_TCP, 80), HN_ENOENT);
	static const uint8_t ok[] = { 0x10, 0x18, 0x11, 0x12, 0x04 };   /* ACK, PSH/ACK, FIN/ACK, SYN/ACK, RST */
	for (size_t k = 0; k < sizeof ok; k++)
		assert_int_equal(hsrv_input(fx->h, out, tcp_to_80(out, ok[k], (uint16_t)k), 0), HSRV_CONSUMED);
	assert_int_equal(fx->fake.in.count, sizeof ok);
	assert_int_equal(hsrv_input(fx->h, out, tcp_to_80(out, 0x02, 10), 0), HSRV_CONSUMED);   /* SYN */
	assert_int_equal(fx->fake.in.count, sizeof ok);
	assert_int_equal(hsrv_stats(fx->h)->drops[HSRV_DROP_NO_PORT], 1);
	/* Bound again: a SYN is delivered. */
	assert_int_equal(hsrv_vhost_bind(fx->h, ORIGIN, IPV4_PROTO_TCP, 80), HN_OK);
	assert_int_equal(binds, 1);
	assert_int_equal(hsrv_vhost_bind(fx->h, ORIGIN, IPV4_PROTO_TCP, 80), HN_EEXIST);
	assert_int_equal(hsrv_input(fx->h, out, tcp_to_80(out, 0x02, 11), 0), HSRV_CONSUMED);
	assert_int_equal(fx->fake.in.count, sizeof ok + 1);
	/* A UDP port given up takes nothing. */
	hsrv_set_bind_listener(fx->h, NULL, NULL);
	assert_int_equal(hsrv_vhost_unbind(fx->h, ORIGIN, IPV4_PROTO_UDP, 53), HN_OK);
	uint8_t in[100];
	tu_datagram(in, sizeof in, IPV4_PROTO_UDP, CLIENT, ORIGIN, 1025, 53, 5, 64, 0);
	assert_int_equal(hsrv_input(fx->h, out, encap(in, sizeof in, out, 12), 0), HSRV_CONSUMED);
	assert_int_equal(fx->fake.in.count, sizeof ok + 1);
	assert_int_equal(hsrv_stats(fx->h)->drops[HSRV_DROP_NO_PORT], 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(hsrv__vhost_create_makes_origin_local_once, setup, teardown),
		cmocka_unit_test_setup_teardown(hsrv__tunnelled_datagram_is_delivered_decapsulated, setup, teardown),
		cmocka_unit_test_setup_teardown(hsrv__virtual_host_not_installed_is_dropped_and_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(hsrv__port_not_replicated_is_dropped_and_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(hsrv__other_traffic_passes, setup, teardown),
		cmocka_unit_test_setup_teardown(hsrv__outer_fragments_are_reassembled_out_of_order, setup, teardown),
		cmocka_unit_test_setup_teardown(hsrv__bad_inner_is_dropped_and_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(hsrv__inner_fragments_follow_the_port_verdict, setup, teardown),
		cmocka_unit_test_setup_teardown(hsrv__port_given_up_keeps_connections_in_progress, setup, teardown),
	};
	return cmocka_run_group_tests_name("hsrv", tests, NULL, NULL);
}
