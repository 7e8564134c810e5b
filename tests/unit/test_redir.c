/* test_redir.c - the redirector without a simulator: a fake node collects
 * what it sends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <string.h>

#include "hydranet/redir.h"
#include "net/frag.h"
#include "net/ipip.h"
#include "net/reass.h"
#include "status.h"
#include "testutil.h"

#define ORIGIN IP4(192, 20, 225, 20)
#define HS IP4(128, 142, 222, 80)
#define CLIENT IP4(10, 0, 1, 2)
#define TUNNEL_SRC IP4(128, 142, 222, 1)

struct fake {
	struct tu_sink out;
	uint32_t mtu;
};

static int f_output(void *ctx, const uint8_t *dg, size_t len)
{
	struct fake *f = ctx;
	return tu_sink_put(&f->out, dg, len) == 0 ? HN_OK : HN_ENOSPC;
}
static uint32_t f_mtu(void *ctx, uint32_t dst)
{
	(void)dst;
	return ((struct fake *)ctx)->mtu;
}
static uint32_t f_src(void *ctx, uint32_t dst)
{
	(void)ctx;
	return dst == HS ? TUNNEL_SRC : IP4(10, 0, 3, 1);
}

struct fixture {
	struct fake fake;
	struct redir *r;
};

static int setup(void **state)
{
	struct fixture *fx = test_calloc(1, sizeof *fx);
	fx->fake.mtu = 1500;
	struct redir_config cfg = { .outer_ttl = 0, .frag = { 16, 16384, 1000000000ull } };
	struct redir_io io = { f_output, f_mtu, f_src, &fx->fake };
	fx->r = redir_new(&cfg, &io);
	assert_non_null(fx->r);
	assert_int_equal(redir_table_add(fx->r, ORIGIN, 80, IPV4_PROTO_TCP, HS), HN_OK);
	assert_int_equal(redir_table_add(fx->r, ORIGIN, 53, IPV4_PROTO_UDP, HS), HN_OK);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	redir_free(fx->r);
	test_free(fx);
	return 0;
}

static void redir__table_add_lookup_remove(void **state)
{
	struct fixture *fx = *state;
	assert_int_equal(redir_table_size(fx->r), 2);
	assert_int_equal(redir_table_lookup(fx->r, ORIGIN, 80, IPV4_PROTO_TCP), HS);
	assert_int_equal(redir_table_lookup(fx->r, ORIGIN, 80, IPV4_PROTO_UDP), 0);
	assert_int_equal(redir_table_lookup(fx->r, ORIGIN, 23, IPV4_PROTO_TCP), 0);
	assert_int_equal(redir_table_add(fx->r, ORIGIN, 80, IPV4_PROTO_ICMP, HS), HN_EINVAL);
	assert_int_equal(redir_table_remove(fx->r, ORIGIN, 80, IPV4_PROTO_TCP), HN_OK);
	assert_int_equal(redir_table_remove(fx->r, ORIGIN, 80, IPV4_PROTO_TCP), HN_ENOENT);
	assert_int_equal(redir_table_lookup(fx->r, ORIGIN, 80, IPV4_PROTO_TCP), 0);
	assert_int_equal(redir_table_size(fx->r), 1);
}

static void redir__unmatched_port_passes_untouched(void **state)
{
	struct fixture *fx = *state;
	uint8_t dg[100];
	tu_datagram(dg, sizeof dg, IPV4_PROTO_TCP, CLIENT, ORIGIN, 1025, 23, 7, 64, 0);
	assert_int_equal(redir_input(fx->r, dg, sizeof dg, 0), REDIR_PASS);
	assert_int_equal(fx->fake.out.count, 0);
	assert_int_equal(redir_stats(fx->r)->forwarded, 1);
	assert_int_equal(redir_stats(fx->r)->redirected, 0);
}

static void redir__matched_datagram_is_tunnelled(void **state)
{
	struct fixture *fx = *state;
	uint8_t dg[600];
	tu_datagram(dg, sizeof dg, IPV4_PROTO_TCP, CLIENT, ORIGIN, 1025, 80, 7, 64, 0);
	assert_int_equal(redir_input(fx->r, dg, sizeof dg, 0), REDIR_CONSUMED);
	assert_int_equal(redir_input(fx->r, dg, sizeof dg, 0), REDIR_CONSUMED);
	assert_int_equal(fx->fake.out.count, 2);
	const uint8_t *o = fx->fake.out.dg[0];
	struct ipv4_hdr oh, ih;
	assert_int_equal(fx->fake.out.len[0], 620);
	assert_int_equal(ipv4_decode(o, 620, &oh), HN_OK);
	assert_int_equal(oh.proto, IPV4_PROTO_IPIP);
	assert_int_equal(oh.src, TUNNEL_SRC);
	assert_int_equal(oh.dst, HS);
	assert_int_equal(oh.ttl, IPIP_DEFAULT_TTL);
	assert_int_equal(oh.tos, 0x10);          /* copied from inner */
	assert_int_equal(ipv4_decode(o + 20, 600, &ih), HN_OK);
	assert_int_equal(ih.ttl, 63);            /* we forwarded it */
	assert_memory_equal(o + 20 + 20, dg + 20, 580);   /* payload untouched */
	/* Each tunnelled datagram gets its own outer identification. */
	struct ipv4_hdr oh2;
	assert_int_equal(ipv4_decode(fx->fake.out.dg[1], 620, &oh2), HN_OK);
	assert_int_not_equal(oh.id, oh2.id);
	assert_int_equal(redir_stats(fx->r)->redirected, 2);
	assert_int_equal(redir_stats(fx->r)->redirected_bytes, 1200);
	assert_int_equal(redir_stats(fx->r)->outer_fragmented, 0);
}

static void redir__tunnel_over_mtu_is_fragmented(void **state)
{
	struct fixture *fx = *state;
	uint8_t dg[1500];
	tu_datagram(dg, sizeof dg, IPV4_PROTO_TCP, CLIENT, ORIGIN, 1025, 80, 9, 64, 0);
	assert_int_equal(redir_input(fx->r, dg, sizeof dg, 0), REDIR_CONSUMED);
	assert_int_equal(fx->fake.out.count, 2);
	assert_int_equal(fx->fake.out.len[0], 1500);
	assert_int_equal(fx->fake.out.len[1], 20 + (1520 - 20) - 1480);   /* 40 */
	assert_int_equal(redir_stats(fx->r)->outer_fragmented, 1);
	assert_int_equal(redir_stats(fx->r)->fragments_made, 2);
	/* The two fragments reassemble to the encapsulated datagram. */
	struct ipv4_reass_limits lim = { 4, 1 << 20, 1000000000ull };
	struct ipv4_reass *ra = ipv4_reass_new(&lim);
	static uint8_t whole[IPV4_MAX_LEN];
	size_t wlen = 0;
	assert_int_equal(ipv4_reass_input(ra, fx->fake.out.dg[1], fx->fake.out.len[1], 0, whole,
					  sizeof whole, &wlen), 0);
	assert_int_equal(ipv4_reass_input(ra, fx->fake.out.dg[0], fx->fake.out.len[0], 0, whole,
					  sizeof whole, &wlen), 1);
	assert_int_equal(wlen, 1520);
	size_t off, ilen;
	assert_int_equal(ipip_decap(whole, wlen, &off, &ilen), HN_OK);
	assert_int_equal(ilen, 1500);
	assert_memory_equal(whole + off + 20, dg + 20, 1480);
	ipv4_reass_free(ra);
}

/* fragment = inner with the outer DF set and TTL inherited (Linux ipip's
 * defaults): a 1500-byte datagram becomes two inner pieces, each tunnelled
 * whole with its own outer identification; counted as inner cutting. */
static void redir__inner_fragmentation_mode(void **state)
{
	struct fixture *fx = *state;
	struct redir_config cfg = { .outer_ttl_mode = TUNNEL_TTL_INHERIT, .outer_df = TUNNEL_DF_SET,
				    .fragment = TUNNEL_FRAG_INNER, .frag = { 16, 16384, 1000000000ull } };
	struct redir_io io = { f_output, f_mtu, f_src, &fx->fake };
	struct redir *r = redir_new(&cfg, &io);
	assert_non_null(r);
	assert_int_equal(redir_table_add(r, ORIGIN, 80, IPV4_PROTO_TCP, HS), HN_OK);
	uint8_t dg[1500];
	tu_datagram(dg, sizeof dg, IPV4_PROTO_TCP, CLIENT, ORIGIN, 1025, 80, 9, 64, 0);
	assert_int_equal(redir_input(r, dg, sizeof dg, 0), REDIR_CONSUMED);
	assert_int_equal(fx->fake.out.count, 2);
	assert_int_equal(fx->fake.out.len[0], 1496);
	assert_int_equal(fx->fake.out.len[1], 64);
	struct ipv4_hdr o0, o1, i0, i1;
	assert_int_equal(ipv4_decode(fx->fake.out.dg[0], 1496, &o0), HN_OK);
	assert_int_equal(ipv4_decode(fx->fake.out.dg[1], 64, &o1), HN_OK);
	assert_int_equal(ipv4_decode(fx->fake.out.dg[0] + 20, 1476, &i0), HN_OK);
	assert_int_equal(ipv4_decode(fx->fake.out.dg[1] + 20, 44, &i1), HN_OK);
	assert_true(o0.df && o1.df && !o0.mf && !o1.mf);
	assert_int_equal(o0.ttl, 63);                  /* inherited after the decrement */
	assert_int_equal((uint16_t)(o1.id - o0.id), 1);
	assert_true(i0.mf && !i1.mf);
	assert_int_equal(i1.frag_off, 1456 / 8);
	assert_int_equal(i0.id, 9);
	assert_int_equal(i1.id, 9);
	assert_int_equal(redir_stats(r)->inner_fragmented, 1);
	assert_int_equal(redir_stats(r)->inner_fragments_made, 2);
	assert_int_equal(redir_stats(r)->outer_fragmented, 0);
	assert_int_equal(redir_stats(r)->redirected, 1);
	redir_free(r);
}

/* Path MTU discovery: a DF datagram too big for the tunnel is answered with
 * ICMP fragmentation needed, next-hop MTU 1480, at most icmp_burst at once
 * and icmp_rate per second after. */
static void redir__df_too_big_answers_icmp_rate_limited(void **state)
{
	struct fixture *fx = *state;
	struct redir_config cfg = { .icmp_frag_needed = true, .icmp_rate = 1, .icmp_burst = 2,
				    .frag = { 16, 16384, 1000000000ull } };
	struct redir_io io = { f_output, f_mtu, f_src, &fx->fake };
	struct redir *r = redir_new(&cfg, &io);
	assert_non_null(r);
	assert_int_equal(redir_table_add(r, ORIGIN, 53, IPV4_PROTO_UDP, HS), HN_OK);
	uint8_t dg[1500];
	tu_datagram(dg, sizeof dg, IPV4_PROTO_UDP, CLIENT, ORIGIN, 1025, 53, 9, 64, 1);
	for (int i = 0; i < 3; i++)
		assert_int_equal(redir_input(r, dg, sizeof dg, 0), REDIR_CONSUMED);
	assert_int_equal(fx->fake.out.count, 2);
	assert_int_equal(redir_stats(r)->icmp_sent, 2);
	assert_int_equal(redir_stats(r)->icmp_rate_limited, 1);
	assert_int_equal(redir_stats(r)->drops[REDIR_DROP_DF], 3);
	const uint8_t *m = fx->fake.out.dg[0];
	struct ipv4_hdr ih;
	assert_int_equal(fx->fake.out.len[0], 576);
	assert_int_equal(ipv4_decode(m, 576, &ih), HN_OK);
	assert_int_equal(ih.proto, IPV4_PROTO_ICMP);
	assert_int_equal(ih.src, IP4(10, 0, 3, 1));   /* the route back to the client */
	assert_int_equal(ih.dst, CLIENT);
	assert_int_equal(m[20], 3);
	assert_int_equal(m[21], 4);
	assert_int_equal(net_get16(m + 26), 1480);    /* tunnel MTU */
	assert_int_equal(m[28 + 8], 63);              /* quoted after the decrement */
	/* 0.5 s later: half a token, nothing; 1 s after the burst: one. */
	assert_int_equal(redir_input(r, dg, sizeof dg, 500000000), REDIR_CONSUMED);
	assert_int_equal(redir_stats(r)->icmp_rate_limited, 2);
	assert_int_equal(redir_input(r, dg, sizeof dg, 1000000000), REDIR_CONSUMED);
	assert_int_equal(redir_stats(r)->icmp_sent, 3);
	redir_free(r);
}

/* The ICMP's quote, as Linux's: fragment = outer refuses in ip_tunnel_xmit,
 * after ip_forward decremented the TTL (63 quoted); fragment = inner in
 * ip_forward itself, before the decrement (64 quoted, the header as
 * received, its checksum intact). */
static void redir__icmp_quote_ttl_by_fragment_mode(void **state)
{
	struct fixture *fx = *state;
	for (int inner = 0; inner <= 1; inner++) {
		struct redir_config cfg = { .icmp_frag_needed = true,
					    .fragment = inner ? TUNNEL_FRAG_INNER : TUNNEL_FRAG_OUTER,
					    .frag = { 16, 16384, 1000000000ull } };
		struct redir_io io = { f_output, f_mtu, f_src, &fx->fake };
		fx->fake.out.count = 0;
		struct redir *r = redir_new(&cfg, &io);
		assert_non_null(r);
		assert_int_equal(redir_table_add(r, ORIGIN, 53, IPV4_PROTO_UDP, HS), HN_OK);
		uint8_t dg[1500];
		tu_datagram(dg, sizeof dg, IPV4_PROTO_UDP, CLIENT, ORIGIN, 1025, 53, 9, 64, 1);
		assert_int_equal(redir_input(r, dg, sizeof dg, 0), REDIR_CONSUMED);
		assert_int_equal(fx->fake.out.count, 1);
		const uint8_t *m = fx->fake.out.dg[0];
		assert_int_equal(m[20], 3);
		assert_int_equal(m[21], 4);
		assert_int_equal(net_get16(m + 26), 1480);
		assert_int_equal(m[28 + 8], inner ? 64 : 63);
		assert_int_equal(ipv4_checksum(m + 28, 20), 0);   /* the quoted header verifies */
		if (inner)
			assert_memory_equal(m + 28, dg, 28);      /* exactly as received */
		redir_free(r);
	}
}

/* MSS clamping: a SYN to the service leaves with MSS 1440 and a TCP
 * checksum that verifies; the datagram offered is not written. */
static void redir__syn_mss_is_clamped(void **state)
{
	struct fixture *fx = *state;
	struct redir_config cfg = { .mss_clamp = 1440, .frag = { 16, 16384, 1000000000ull } };
	struct redir_io io = { f_output, f_mtu, f_src, &fx->fake };
	struct redir *r = redir_new(&cfg, &io);
	assert_non_null(r);
	assert_int_equal(redir_table_add(r, ORIGIN, 80, IPV4_PROTO_TCP, HS), HN_OK);
	uint8_t dg[44], keep[44];
	tu_datagram(dg, sizeof dg, IPV4_PROTO_TCP, CLIENT, ORIGIN, 1025, 80, 9, 64, 1);
	memset(dg + 24, 0, 20);
	dg[32] = 6 << 4;
	dg[33] = 0x02;                                     /* SYN */
	dg[40] = 2, dg[41] = 4, dg[42] = 1460 >> 8, dg[43] = 1460 & 0xff;
	uint8_t ph[12 + 24];
	memcpy(ph, dg + 12, 8);
	ph[8] = 0, ph[9] = IPV4_PROTO_TCP, ph[10] = 0, ph[11] = 24;
	memcpy(ph + 12, dg + 20, 24);
	net_put16(dg + 36, ipv4_checksum(ph, sizeof ph));
	memcpy(keep, dg, sizeof dg);
	assert_int_equal(redir_input(r, dg, sizeof dg, 0), REDIR_CONSUMED);
	assert_memory_equal(dg, keep, sizeof dg);
	assert_int_equal(fx->fake.out.count, 1);
	const uint8_t *o = fx->fake.out.dg[0] + 20;
	assert_int_equal(net_get16(o + 42), 1440);
	memcpy(ph + 12, o + 20, 24);
	assert_int_equal(ipv4_checksum(ph, sizeof ph), 0);
	assert_int_equal(redir_stats(r)->mss_clamped, 1);
	/* A SYN already below the clamp is left alone. */
	assert_int_equal(redir_input(r, o, 44, 0), REDIR_CONSUMED);
	assert_int_equal(redir_stats(r)->mss_clamped, 1);
	redir_free(r);
}

static void redir__df_too_big_is_refused_and_counted(void **state)
{
	struct fixture *fx = *state;
	uint8_t dg[1500];
	tu_datagram(dg, sizeof dg, IPV4_PROTO_TCP, CLIENT, ORIGIN, 1025, 80, 9, 64, 1);
	assert_int_equal(redir_input(fx->r, dg, sizeof dg, 0), REDIR_CONSUMED);
	assert_int_equal(fx->fake.out.count, 0);   /* icmp_frag_needed off: the black hole */
	assert_int_equal(redir_stats(fx->r)->icmp_sent, 0);
	assert_int_equal(redir_stats(fx->r)->drops[REDIR_DROP_DF], 1);
	assert_int_equal(redir_stats(fx->r)->redirected, 0);
	/* A DF datagram that fits after encapsulation is tunnelled, DF kept. */
	tu_datagram(dg, 1480, IPV4_PROTO_TCP, CLIENT, ORIGIN, 1025, 80, 10, 64, 1);
	assert_int_equal(redir_input(fx->r, dg, 1480, 0), REDIR_CONSUMED);
	assert_int_equal(fx->fake.out.count, 1);
	struct ipv4_hdr oh;
	assert_int_equal(ipv4_decode(fx->fake.out.dg[0], 1500, &oh), HN_OK);
	assert_true(oh.df);
}

static void redir__ttl_one_is_dropped_and_counted(void **state)
{
	struct fixture *fx = *state;
	uint8_t dg[100];
	tu_datagram(dg, sizeof dg, IPV4_PROTO_TCP, CLIENT, ORIGIN, 1025, 80, 7, 1, 0);
	assert_int_equal(redir_input(fx->r, dg, sizeof dg, 0), REDIR_CONSUMED);
	assert_int_equal(fx->fake.out.count, 0);
	assert_int_equal(redir_stats(fx->r)->drops[REDIR_DROP_TTL], 1);
}

static void redir__tunnelled_datagram_is_never_redirected_again(void **state)
{
	struct fixture *fx = *state;
	uint8_t dg[100], outer[200];
	size_t olen;
	tu_datagram(dg, sizeof dg, IPV4_PROTO_TCP, CLIENT, ORIGIN, 1025, 80, 7, 64, 0);
	struct ipip_encap_params p = { IP4(10, 9, 9, 9), ORIGIN, 1, 64, false };
	assert_int_equal(ipip_encap(dg, sizeof dg, &p, outer, sizeof outer, &olen), HN_OK);
	assert_int_equal(redir_input(fx->r, outer, olen, 0), REDIR_PASS);
	assert_int_equal(fx->fake.out.count, 0);
	assert_int_equal(redir_stats(fx->r)->redirected, 0);
}

static void redir__loop_to_host_server_is_refused(void **state)
{
	struct fixture *fx = *state;
	uint8_t dg[100];
	tu_datagram(dg, sizeof dg, IPV4_PROTO_TCP, HS, ORIGIN, 1025, 80, 7, 64, 0);
	assert_int_equal(redir_input(fx->r, dg, sizeof dg, 0), REDIR_CONSUMED);
	assert_int_equal(fx->fake.out.count, 0);
	assert_int_equal(redir_stats(fx->r)->drops[REDIR_DROP_LOOP], 1);
}

/* Cut a 3000-byte UDP datagram to the origin's port 53 into fragments. */
struct frags {
	int n;
	size_t len[8];
	uint8_t b[8][1500];
};
static int collect(void *ctx, const uint8_t *f, size_t len)
{
	struct frags *fr = ctx;
	memcpy(fr->b[fr->n], f, len);
	fr->len[fr->n++] = len;
	return HN_OK;
}
static void make_frags(struct frags *fr, uint16_t dport, uint16_t id)
{
	static uint8_t dg[3000], scratch[1500];
	struct ipv4_frag_stats st = { 0 };
	tu_datagram(dg, sizeof dg, IPV4_PROTO_UDP, CLIENT, ORIGIN, 5353, dport, id, 64, 0);
	memset(fr, 0, sizeof *fr);
	assert_int_equal(ipv4_fragment(dg, sizeof dg, 1500, scratch, sizeof scratch, collect, fr, &st), 3);
}

static void redir__inner_fragments_follow_their_first(void **state)
{
	struct fixture *fx = *state;
	struct frags fr;
	make_frags(&fr, 53, 77);
	for (int i = 0; i < fr.n; i++)
		assert_int_equal(redir_input(fx->r, fr.b[i], fr.len[i], 0), REDIR_CONSUMED);
	assert_int_equal(redir_stats(fx->r)->redirected, 3);
	assert_int_equal(redir_fragflow_stats(fx->r)->matched, 2);
	/* 1500-byte fragments grow to 1520 and are cut again: 2 + 2 + 1. */
	assert_int_equal(fx->fake.out.count, 5);
	assert_int_equal(redir_stats(fx->r)->fragments_made, 4);
}

static void redir__early_fragments_are_held_until_the_first(void **state)
{
	struct fixture *fx = *state;
	struct frags fr;
	make_frags(&fr, 53, 78);
	assert_int_equal(redir_input(fx->r, fr.b[2], fr.len[2], 0), REDIR_CONSUMED);
	assert_int_equal(redir_input(fx->r, fr.b[1], fr.len[1], 0), REDIR_CONSUMED);
	assert_int_equal(fx->fake.out.count, 0);
	assert_int_equal(redir_fragflow_stats(fx->r)->held, 2);
	assert_int_equal(redir_input(fx->r, fr.b[0], fr.len[0], 10), REDIR_CONSUMED);
	assert_int_equal(redir_fragflow_stats(fx->r)->released, 2);
	assert_int_equal(redir_stats(fx->r)->redirected, 3);
	assert_int_equal(redir_fragflow_stats(fx->r)->held_bytes, 0);
}

static void redir__early_fragment_without_first_expires_counted(void **state)
{
	struct fixture *fx = *state;
	struct frags fr;
	make_frags(&fr, 53, 79);
	assert_int_equal(redir_input(fx->r, fr.b[1], fr.len[1], 0), REDIR_CONSUMED);
	redir_expire(fx->r, 999999999ull);
	assert_int_equal(redir_fragflow_stats(fx->r)->drops[FRAGFLOW_DROP_NO_FIRST], 0);
	redir_expire(fx->r, 1000000000ull);
	assert_int_equal(redir_fragflow_stats(fx->r)->drops[FRAGFLOW_DROP_NO_FIRST], 1);
	assert_int_equal(redir_fragflow_stats(fx->r)->held_bytes, 0);
	assert_int_equal(fx->fake.out.count, 0);
}

static void redir__held_fragment_of_unreplicated_port_is_forwarded(void **state)
{
	struct fixture *fx = *state;
	struct frags fr;
	make_frags(&fr, 54, 80);   /* port 54 is not replicated */
	assert_int_equal(redir_input(fx->r, fr.b[1], fr.len[1], 0), REDIR_CONSUMED);
	assert_int_equal(redir_input(fx->r, fr.b[0], fr.len[0], 0), REDIR_PASS);
	assert_int_equal(redir_stats(fx->r)->forwarded_by_c, 1);
	assert_int_equal(fx->fake.out.count, 1);
	assert_int_equal(fx->fake.out.dg[0][8], 63);              /* TTL - 1 */
	struct ipv4_hdr h;
	assert_int_equal(ipv4_decode(fx->fake.out.dg[0], fx->fake.out.len[0], &h), HN_OK);
	assert_int_equal(h.dst, ORIGIN);
	assert_memory_equal(fx->fake.out.dg[0] + 20, fr.b[1] + 20, fr.len[1] - 20);
	/* The last fragment now finds the verdict and passes. */
	assert_int_equal(redir_input(fx->r, fr.b[2], fr.len[2], 0), REDIR_PASS);
	assert_int_equal(redir_stats(fx->r)->redirected, 0);
}

static void redir__fragment_to_unknown_origin_passes_at_once(void **state)
{
	struct fixture *fx = *state;
	struct frags fr;
	make_frags(&fr, 53, 81);
	net_put32(fr.b[1] + 16, IP4(10, 7, 7, 7));
	ipv4_update_checksum(fr.b[1]);
	assert_int_equal(redir_input(fx->r, fr.b[1], fr.len[1], 0), REDIR_PASS);
	assert_int_equal(redir_fragflow_stats(fx->r)->held, 0);
}

static void redir__bad_header_is_dropped_and_counted(void **state)
{
	struct fixture *fx = *state;
	uint8_t dg[100];
	tu_datagram(dg, sizeof dg, IPV4_PROTO_TCP, CLIENT, ORIGIN, 1025, 80, 7, 64, 0);
	dg[10] ^= 0xff;   /* checksum */
	assert_int_equal(redir_input(fx->r, dg, sizeof dg, 0), REDIR_CONSUMED);
	assert_int_equal(redir_input(fx->r, dg, 10, 0), REDIR_CONSUMED);
	assert_int_equal(redir_stats(fx->r)->drops[REDIR_DROP_BAD_HEADER], 2);
	assert_int_equal(fx->fake.out.count, 0);
}

/* ---- several replicas, policies, flows ------------------------------------ */

#define HS2 IP4(128, 142, 223, 80)
#define HS3 IP4(128, 142, 224, 80)

struct metric_tab {
	uint32_t addr[4];
	uint64_t dist[4];
};

static uint64_t tab_metric(void *ctx, uint32_t dst)
{
	struct metric_tab *t = ctx;
	for (int i = 0; i < 4; i++)
		if (t->addr[i] == dst)
			return t->dist[i];
	return 1000;
}

/* Send one TCP datagram of flow sport at time now; returns the tunnel exit
 * it went to, or 0 when it was left to forwarding (to the origin). */
static uint32_t send_flow(struct fixture *fx, uint16_t sport, uint64_t now)
{
	uint8_t dg[100];
	int before = fx->fake.out.count;
	tu_datagram(dg, sizeof dg, IPV4_PROTO_TCP, CLIENT, ORIGIN, sport, 8080, 1, 64, 0);
	dg[20 + 13] = 0x02;   /* SYN: a flow the redirector has not seen opens here */
	enum redir_verdict v = redir_input(fx->r, dg, sizeof dg, now);
	if (v == REDIR_PASS)
		return 0;
	assert_int_equal(fx->fake.out.count, before + 1);
	struct ipv4_hdr oh;
	assert_int_equal(ipv4_decode(fx->fake.out.dg[before], fx->fake.out.len[before], &oh), HN_OK);
	return oh.dst;
}

static int setup_multi(void **state, enum redir_policy policy, bool flow_table)
{
	struct fixture *fx = test_calloc(1, sizeof *fx);
	fx->fake.mtu = 1500;
	struct redir_config cfg = { .frag = { 16, 16384, 1000000000ull }, .policy = policy,
				    .flow_table = flow_table, .flow_idle_ns = 60000000000ull };
	struct redir_io io = { f_output, f_mtu, f_src, &fx->fake };
	fx->r = redir_new(&cfg, &io);
	assert_non_null(fx->r);
	*state = fx;
	return 0;
}
static int setup_nearest_flows(void **state) { return setup_multi(state, REDIR_NEAREST, true); }
static int setup_nearest_noflows(void **state) { return setup_multi(state, REDIR_NEAREST, false); }
static int setup_rr(void **state) { return setup_multi(state, REDIR_ROUND_ROBIN, true); }
static int setup_ll(void **state) { return setup_multi(state, REDIR_LEAST_LOADED, true); }

static void redir__nearest_replica_wins_and_the_origin_competes(void **state)
{
	struct fixture *fx = *state;
	struct metric_tab t = { { HS, HS2, ORIGIN }, { 5, 2, 10 } };
	redir_set_metric(fx->r, tab_metric, &t);
	assert_int_equal(redir_table_add(fx->r, ORIGIN, 8080, IPV4_PROTO_TCP, HS), HN_OK);
	assert_int_equal(redir_table_add(fx->r, ORIGIN, 8080, IPV4_PROTO_TCP, HS2), HN_OK);
	assert_int_equal(send_flow(fx, 1001, 0), HS2);
	t.dist[2] = 1;   /* the origin is now nearer than any replica */
	assert_int_equal(send_flow(fx, 1002, 0), 0);
	assert_int_equal(redir_stats(fx->r)->to_origin, 1);
	t.dist[2] = 2;   /* a tie with HS2 goes to the replica */
	assert_int_equal(send_flow(fx, 1003, 0), HS2);
}

static void redir__flows_keep_their_replica_when_the_table_changes(void **state)
{
	struct fixture *fx = *state;
	struct metric_tab t = { { HS, HS2, HS3, ORIGIN }, { 5, 2, 1, 10 } };
	redir_set_metric(fx->r, tab_metric, &t);
	assert_int_equal(redir_table_add(fx->r, ORIGIN, 8080, IPV4_PROTO_TCP, HS2), HN_OK);
	assert_int_equal(send_flow(fx, 2001, 0), HS2);
	/* A nearer replica is announced: new flows go there, the old one stays. */
	assert_int_equal(redir_table_announce(fx->r, ORIGIN, 8080, IPV4_PROTO_TCP, HS3,
					      30000000000ull, 1000), HN_OK);
	assert_int_equal(send_flow(fx, 2001, 2000), HS2);
	assert_int_equal(send_flow(fx, 2002, 2000), HS3);
	assert_int_equal(redir_stats(fx->r)->flows_kept, 1);
	assert_int_equal(redir_stats(fx->r)->flows_new, 2);
	/* HS3 is not refreshed: after its lifetime new flows fall back to HS2. */
	assert_int_equal(redir_table_replicas(fx->r, ORIGIN, 8080, IPV4_PROTO_TCP, 30000001000ull), 1);
	assert_int_equal(send_flow(fx, 2003, 30000001000ull), HS2);
	/* The flow on HS3 lost its replica: it chooses again, not a black hole. */
	assert_int_equal(send_flow(fx, 2002, 30000001000ull), HS2);
	assert_int_equal(redir_stats(fx->r)->flows_rerouted, 1);
	/* Idle for the flow timeout: forgotten. */
	assert_int_equal(send_flow(fx, 2001, 95000000000ull), HS2);
	assert_true(redir_stats(fx->r)->flows_expired >= 1);
	/* The expired HS3 was pruned by the flow sweep; withdrawing the last
	 * replica removes the entry: back to forwarding. */
	assert_int_equal(redir_table_withdraw(fx->r, ORIGIN, 8080, IPV4_PROTO_TCP, HS3), HN_ENOENT);
	assert_int_equal(redir_table_withdraw(fx->r, ORIGIN, 8080, IPV4_PROTO_TCP, HS2), HN_OK);
	assert_int_equal(redir_table_withdraw(fx->r, ORIGIN, 8080, IPV4_PROTO_TCP, HS2), HN_ENOENT);
	assert_int_equal(redir_table_size(fx->r), 0);
	assert_int_equal(send_flow(fx, 2004, 95000000001ull), 0);
}

static void redir__connections_open_before_replicas_stay_with_the_origin(void **state)
{
	struct fixture *fx = *state;
	assert_int_equal(redir_table_add(fx->r, ORIGIN, 8080, IPV4_PROTO_TCP, HS2), HN_OK);
	uint8_t dg[100];
	tu_datagram(dg, sizeof dg, IPV4_PROTO_TCP, CLIENT, ORIGIN, 6001, 8080, 1, 64, 0);
	dg[20 + 13] = 0x10;   /* ACK: mid-connection */
	assert_int_equal(redir_input(fx->r, dg, sizeof dg, 0), REDIR_PASS);
	assert_int_equal(redir_input(fx->r, dg, sizeof dg, 1), REDIR_PASS);   /* remembered */
	assert_int_equal(redir_stats(fx->r)->flows_existing, 1);
	assert_int_equal(redir_stats(fx->r)->flows_kept, 1);
	assert_int_equal(send_flow(fx, 6002, 2), HS2);   /* a new connection is redirected */
}

static void redir__expired_replicas_free_their_slots(void **state)
{
	struct fixture *fx = *state;
	/* Fill the 8 slots with 1-second announcements... */
	for (uint32_t k = 0; k < REDIR_MAX_REPLICAS; k++)
		assert_int_equal(redir_table_announce(fx->r, ORIGIN, 8080, IPV4_PROTO_TCP, HS + 1 + k,
						      1000000000ull, 0), HN_OK);
	assert_int_equal(redir_table_announce(fx->r, ORIGIN, 8080, IPV4_PROTO_TCP, HS2,
					      1000000000ull, 0), HN_ELIMIT);
	/* ...once they expired, a new host server takes a slot. */
	assert_int_equal(redir_table_announce(fx->r, ORIGIN, 8080, IPV4_PROTO_TCP, HS2,
					      1000000000ull, 10000000000ull), HN_OK);
	assert_int_equal(redir_table_replicas(fx->r, ORIGIN, 8080, IPV4_PROTO_TCP, 10000000000ull), 1);
	assert_int_equal(redir_table_lookup(fx->r, ORIGIN, 8080, IPV4_PROTO_TCP), HS2);
	/* Announcements for many access points are pruned once expired. */
	for (uint32_t k = 0; k < 3 * REDIR_MAX_ENTRIES; k++)
		assert_true(redir_table_announce(fx->r, IP4(10, 9, (k >> 8) & 255, k & 255), (uint16_t)(1 + k / 65536),
						 IPV4_PROTO_TCP, HS, 1000000000ull,
						 20000000000ull + (uint64_t)(k / REDIR_MAX_ENTRIES) * 2000000000ull) >= HN_ELIMIT);
	assert_true(redir_table_size(fx->r) <= REDIR_MAX_ENTRIES);
}

static void redir__without_a_flow_table_flows_move(void **state)
{
	struct fixture *fx = *state;
	struct metric_tab t = { { HS2, HS3, ORIGIN }, { 2, 1, 10 } };
	redir_set_metric(fx->r, tab_metric, &t);
	assert_int_equal(redir_table_add(fx->r, ORIGIN, 8080, IPV4_PROTO_TCP, HS2), HN_OK);
	assert_int_equal(send_flow(fx, 3001, 0), HS2);
	assert_int_equal(redir_table_add(fx->r, ORIGIN, 8080, IPV4_PROTO_TCP, HS3), HN_OK);
	assert_int_equal(send_flow(fx, 3001, 1), HS3);   /* the connection breaks */
	assert_int_equal(redir_stats(fx->r)->flows_kept, 0);
}

static void redir__round_robin_takes_turns(void **state)
{
	struct fixture *fx = *state;
	assert_int_equal(redir_table_add(fx->r, ORIGIN, 8080, IPV4_PROTO_TCP, HS2), HN_OK);
	assert_int_equal(redir_table_add(fx->r, ORIGIN, 8080, IPV4_PROTO_TCP, HS3), HN_OK);
	uint32_t a = send_flow(fx, 4001, 0), b = send_flow(fx, 4002, 0), c = send_flow(fx, 4003, 0);
	assert_int_not_equal(a, b);
	assert_int_equal(a, c);
	assert_true((a == HS2 || a == HS3) && (b == HS2 || b == HS3));
}

static void redir__least_loaded_balances_flows(void **state)
{
	struct fixture *fx = *state;
	assert_int_equal(redir_table_add(fx->r, ORIGIN, 8080, IPV4_PROTO_TCP, HS2), HN_OK);
	assert_int_equal(redir_table_add(fx->r, ORIGIN, 8080, IPV4_PROTO_TCP, HS3), HN_OK);
	int on2 = 0;
	for (uint16_t p = 0; p < 10; p++)
		on2 += send_flow(fx, (uint16_t)(5000 + p), 0) == HS2;
	assert_int_equal(on2, 5);
	assert_int_equal(redir_table_add(fx->r, ORIGIN, 8080, IPV4_PROTO_ICMP, HS2), HN_EINVAL);
	assert_int_equal(redir_table_announce(fx->r, ORIGIN, 8080, IPV4_PROTO_TCP, HS2, 0, 0), HN_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(redir__table_add_lookup_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(redir__unmatched_port_passes_untouched, setup, teardown),
		cmocka_unit_test_setup_teardown(redir__matched_datagram_is_tunnelled, setup, teardown),
		cmocka_unit_test_setup_teardown(redir__tunnel_over_mtu_is_fragmented, setup, teardown),
		cmocka_unit_test_setup_teardown(redir__inner_fragmentation_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(redir__df_too_big_answers_icmp_rate_limited, setup, teardown),
		cmocka_unit_test_setup_teardown(redir__icmp_quote_ttl_by_fragment_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(redir__syn_mss_is_clamped, setup, teardown),
		cmocka_unit_test_setup_teardown(redir__df_too_big_is_refused_and_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(redir__ttl_one_is_dropped_and_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(redir__tunnelled_datagram_is_never_redirected_again, setup, teardown),
		cmocka_unit_test_setup_teardown(redir__loop_to_host_server_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(redir__inner_fragments_follow_their_first, setup, teardown),
		cmocka_unit_test_setup_teardown(redir__early_fragments_are_held_until_the_first, setup, teardown),
		cmocka_unit_test_setup_teardown(redir__early_fragment_without_first_expires_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(redir__held_fragment_of_unreplicated_port_is_forwarded, setup, teardown),
		cmocka_unit_test_setup_teardown(redir__fragment_to_unknown_origin_passes_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(redir__bad_header_is_dropped_and_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(redir__nearest_replica_wins_and_the_origin_competes, setup_nearest_flows, teardown),
		cmocka_unit_test_setup_teardown(redir__flows_keep_their_replica_when_the_table_changes, setup_nearest_flows, teardown),
		cmocka_unit_test_setup_teardown(redir__connections_open_before_replicas_stay_with_the_origin, setup_nearest_flows, teardown),
		cmocka_unit_test_setup_teardown(redir__expired_replicas_free_their_slots, setup_nearest_flows, teardown),
		cmocka_unit_test_setup_teardown(redir__without_a_flow_table_flows_move, setup_nearest_noflows, teardown),
		cmocka_unit_test_setup_teardown(redir__round_robin_takes_turns, setup_rr, teardown),
		cmocka_unit_test_setup_teardown(redir__least_loaded_balances_flows, setup_ll, teardown),
	};
	return cmocka_run_group_tests_name("redir", tests, NULL, NULL);
}
