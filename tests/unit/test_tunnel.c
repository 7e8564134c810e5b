/* test_tunnel.c - unit tests of tunnel.c, byte for byte: for UDP payloads
 * 64 .. 8000 and TCP writes 64 .. 1600, in each tunnel mode, every frame
 * the tunnel emits is compared with a frame built here independently from
 * the rule of net/tunnel.h (sizes, offsets, flags, TTL, TOS, IDs, header
 * checksums), the frame lengths with a table worked out by hand, and the
 * frames are taken back through outer reassembly, decapsulation and inner
 * reassembly to the original datagram (TTL - 1), UDP checksum intact. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "net/bytes.h"
#include "net/ipip.h"
#include "net/ipv4.h"
#include "net/reass.h"
#include "net/tunnel.h"
#include "status.h"
#include "testutil.h"

#define CLIENT IP4(10, 0, 1, 2)
#define VIP IP4(192, 20, 225, 20)
#define ENTRY IP4(128, 142, 222, 1)
#define EXIT IP4(128, 142, 222, 80)
#define LINK 1500
#define MAXF 16

struct frames {
	int n;
	size_t len[MAXF];
	uint8_t f[MAXF][LINK];
};

static int sink(void *ctx, const uint8_t *dg, size_t len)
{
	struct frames *s = ctx;
	if (s->n == MAXF || len > LINK)
		return HN_ENOSPC;
	memcpy(s->f[s->n], dg, len);
	s->len[s->n++] = len;
	return HN_OK;
}

/* A UDP datagram of payload p, TTL 64, TOS tos, DF df, valid UDP checksum. */
static size_t udp(uint8_t *dg, size_t p, uint8_t tos, int df, uint16_t id)
{
	size_t total = 28 + p;
	tu_datagram(dg, total, IPV4_PROTO_UDP, CLIENT, VIP, 49153, 7, id, 64, df);
	dg[1] = tos;
	ipv4_update_checksum(dg);
	net_put16(dg + 24, (uint16_t)(8 + p));
	net_put16(dg + 26, 0);
	return total;
}

/* RFC 768 checksum of the UDP datagram dg (0 when it verifies). */
static uint16_t udp_sum(const uint8_t *dg)
{
	return tu_transport_sum(dg, TU_SUM_AS_IS);
}

static void udp_fix(uint8_t *dg)
{
	uint16_t c = udp_sum(dg);
	net_put16(dg + 26, c ? c : 0xffff);
}

/* A TCP segment of s data bytes (20-byte header, ACK|PSH), DF df. */
static size_t tcp(uint8_t *dg, size_t s, int df, uint16_t id)
{
	size_t total = 40 + s;
	tu_datagram(dg, total, IPV4_PROTO_TCP, CLIENT, VIP, 49153, 80, id, 64, df);
	dg[20 + 12] = 5 << 4;
	dg[20 + 13] = 0x18;
	return total;
}

/* ---- the expected frames, built from tunnel.h's rule -------------------- */

static void hdr(uint8_t *h, uint8_t tos, size_t len, uint16_t id, uint16_t flags_off, uint8_t ttl,
		uint8_t proto, uint32_t src, uint32_t dst)
{
	h[0] = 0x45;
	h[1] = tos;
	net_put16(h + 2, (uint16_t)len);
	net_put16(h + 4, id);
	net_put16(h + 6, flags_off);
	h[8] = ttl;
	h[9] = proto;
	net_put16(h + 10, 0);
	net_put32(h + 12, src);
	net_put32(h + 16, dst);
	net_put16(h + 10, ipv4_checksum(h, 20));
}

struct expect {
	int refused;           /* 0, or the status tunnel_xmit must return */
	uint16_t frag_needed;
	int n;
	size_t len[MAXF];
	uint8_t f[MAXF][LINK];
};

/* What m must emit for the inner datagram in (20-byte header) over LINK,
 * outer identifications from id0. */
static void expected(struct expect *e, const uint8_t *in, const struct tunnel_mode *m, uint16_t id0)
{
	memset(e, 0, sizeof *e);
	size_t L = net_get16(in + 2), T = LINK - 20;
	uint16_t fo = net_get16(in + 6);
	int idf = (fo & 0x4000) != 0, imf = (fo & 0x2000) != 0;
	size_t ioff = (size_t)(fo & 0x1fff) * 8;
	uint8_t ttl1 = (uint8_t)(in[8] - 1);
	uint8_t base = m->tos_mode == TUNNEL_TOS_FIXED ? m->tos : in[1];
	uint8_t iecn = in[1] & 3;
	uint8_t otos = (uint8_t)((base & ~3) | (iecn == 3 ? 2 : iecn));
	uint8_t ottl = m->ttl_mode == TUNNEL_TTL_INHERIT ? ttl1 : m->ttl ? m->ttl : 64;
	if (L > T && idf) {
		e->refused = HN_EDF;
		e->frag_needed = (uint16_t)T;
		return;
	}
	if (m->frag == TUNNEL_FRAG_INNER) {
		size_t room = L <= T ? L - 20 : ((T - 20) & ~(size_t)7);
		for (size_t done = 0; done < L - 20; e->n++) {
			size_t n = L - 20 - done < room ? L - 20 - done : room;
			int more = done + n < L - 20;
			uint8_t *f = e->f[e->n];
			uint16_t pflags = (uint16_t)((idf ? 0x4000 : 0) | (more || imf ? 0x2000 : 0) |
						     ((ioff + done) / 8));
			hdr(f + 20, in[1], 20 + n, net_get16(in + 4), pflags, ttl1, in[9],
			    net_get32(in + 12), net_get32(in + 16));
			memcpy(f + 40, in + 20 + done, n);
			int odf = m->df_mode == TUNNEL_DF_SET || idf;
			hdr(f, otos, 40 + n, (uint16_t)(id0 + e->n), odf ? 0x4000 : 0, ottl,
			    IPV4_PROTO_IPIP, ENTRY, EXIT);
			e->len[e->n] = 40 + n;
			done += n;
		}
		return;
	}
	static uint8_t whole[IPV4_MAX_LEN + 20];
	int odf = m->df_mode == TUNNEL_DF_SET || idf;
	hdr(whole + 20, in[1], L, net_get16(in + 4), fo, ttl1, in[9], net_get32(in + 12),
	    net_get32(in + 16));
	memcpy(whole + 40, in + 20, L - 20);
	if (L + 20 <= LINK) {
		hdr(whole, otos, L + 20, id0, odf ? 0x4000 : 0, ottl, IPV4_PROTO_IPIP, ENTRY, EXIT);
		memcpy(e->f[0], whole, L + 20);
		e->len[0] = L + 20;
		e->n = 1;
		return;
	}
	if (odf) {
		e->refused = HN_EDF;
		return;
	}
	size_t room = (LINK - 20) & ~(size_t)7;
	for (size_t done = 0; done < L; e->n++) {
		size_t n = L - done < room ? L - done : room;
		int more = done + n < L;
		uint8_t *f = e->f[e->n];
		hdr(f, otos, 20 + n, id0, (uint16_t)((more ? 0x2000 : 0) | done / 8), ottl,
		    IPV4_PROTO_IPIP, ENTRY, EXIT);
		memcpy(f + 20, whole + 20 + done, n);
		e->len[e->n] = 20 + n;
		done += n;
	}
}

/* ---- the modes ------------------------------------------------------------ */

static const struct {
	const char *name;
	struct tunnel_mode m;
} modes[] = {
	/* The paper's tunnel: outer cut to mtu 1500, DF copied, ttl 64 (as Linux
	 * ipip nopmtudisc, except that iproute2 refuses it with a fixed TTL). */
	{ "outer", { TUNNEL_TTL_FIXED, 64, TUNNEL_TOS_COPY, 0, TUNNEL_DF_COPY, TUNNEL_FRAG_OUTER } },
	/* Linux ipip with its default MTU, nopmtudisc, ttl inherit, tos 0x28. */
	{ "inner", { TUNNEL_TTL_INHERIT, 0, TUNNEL_TOS_FIXED, 0x28, TUNNEL_DF_COPY, TUNNEL_FRAG_INNER } },
	/* Linux ipip's defaults: pmtudisc, ttl inherit, tos inherit. */
	{ "inner-df", { TUNNEL_TTL_INHERIT, 0, TUNNEL_TOS_COPY, 0, TUNNEL_DF_SET, TUNNEL_FRAG_INNER } },
	/* Outer cutting with the outer DF always set: too big is refused. */
	{ "outer-df", { TUNNEL_TTL_FIXED, 32, TUNNEL_TOS_FIXED, 0, TUNNEL_DF_SET, TUNNEL_FRAG_OUTER } },
};
#define NMODES (sizeof modes / sizeof modes[0])

static struct tunnel_buf tb;
static struct frames got;
static struct expect want;

/* Tunnel in by mode k; compare with the expected frames byte for byte;
 * returns the number of frames. */
static int check(size_t k, const uint8_t *in, uint16_t *id)
{
	struct tunnel_result res;
	uint16_t id0 = *id;
	got.n = 0;
	expected(&want, in, &modes[k].m, id0);
	int rc = tunnel_xmit(in, net_get16(in + 2), &modes[k].m, ENTRY, EXIT, LINK, id, &tb, sink,
			     &got, NULL, &res);
	if (want.refused) {
		assert_int_equal(rc, want.refused);
		assert_int_equal(res.frag_needed, want.frag_needed);
		assert_int_equal(got.n, 0);
		return 0;
	}
	assert_int_equal(rc, HN_OK);
	assert_int_equal(got.n, want.n);
	assert_int_equal(res.emitted, (unsigned)want.n);
	for (int i = 0; i < got.n; i++) {
		assert_int_equal(got.len[i], want.len[i]);
		assert_memory_equal(got.f[i], want.f[i], want.len[i]);
		assert_int_equal(ipv4_checksum(got.f[i], 20), 0);   /* header sums to 0 */
	}
	/* One identification per outer datagram: per piece, or one for all
	 * the outer fragments. */
	assert_int_equal((uint16_t)(*id - id0),
			 modes[k].m.frag == TUNNEL_FRAG_INNER ? (unsigned)got.n : 1u);
	return got.n;
}

/* Take frames back to the inner datagram: outer reassembly, decapsulation,
 * inner reassembly; returns its length (0 while incomplete). */
static size_t receive(struct ipv4_reass *ro, struct ipv4_reass *ri, uint8_t *out)
{
	static uint8_t whole[IPV4_MAX_LEN];
	size_t done = 0;
	for (int i = 0; i < got.n; i++) {
		size_t wlen, off, ilen;
		int rc = ipv4_reass_input(ro, got.f[i], got.len[i], 0, whole, sizeof whole, &wlen);
		assert_true(rc >= 0);
		if (rc == 0)
			continue;
		assert_int_equal(ipip_decap(whole, wlen, &off, &ilen), HN_OK);
		rc = ipv4_reass_input(ri, whole + off, ilen, 0, out, IPV4_MAX_LEN, &done);
		assert_true(rc >= 0);
		if (rc == 0)
			done = 0;
	}
	return done;
}

/* Frame lengths by UDP payload at a 1500-byte link, the inner datagram whole
 * (DF clear), worked out by hand from RFC 791: outer cutting carries 1480
 * data bytes per fragment (the inner header is data), inner cutting 1456
 * (1480 - 20, rounded down to 8) per piece plus 40 bytes of headers. */
static const struct {
	size_t payload;
	size_t outer[6];   /* fragment = outer, outer DF copied */
	size_t inner[6];   /* fragment = inner */
} udp_table[] = {
	{ 64, { 112 }, { 112 } },
	{ 512, { 560 }, { 560 } },
	{ 1024, { 1072 }, { 1072 } },
	{ 1400, { 1448 }, { 1448 } },
	{ 1452, { 1500 }, { 1500 } },
	{ 1472, { 1500, 40 }, { 1496, 64 } },
	{ 1473, { 1500, 41 }, { 1496, 65 } },
	{ 1480, { 1500, 48 }, { 1496, 72 } },
	{ 1500, { 1500, 68 }, { 1496, 92 } },
	{ 1600, { 1500, 168 }, { 1496, 192 } },
	{ 3000, { 1500, 1500, 88 }, { 1496, 1496, 136 } },
	{ 8000, { 1500, 1500, 1500, 1500, 1500, 648 }, { 1496, 1496, 1496, 1496, 1496, 768 } },
};

static void tunnel__udp_sizes_each_mode_byte_exact(void **state)
{
	(void)state;
	static uint8_t dg[IPV4_MAX_LEN], back[IPV4_MAX_LEN];
	for (size_t k = 0; k < NMODES; k++) {
		uint16_t id = 0x7ffe;   /* wraps past 0xffff on the way */
		for (size_t s = 0; s < sizeof udp_table / sizeof udp_table[0]; s++) {
			for (int df = 0; df <= 1; df++) {
				size_t p = udp_table[s].payload;
				/* TOS 0x13: a DSCP-like value with ECN = CE. */
				size_t L = udp(dg, p, df ? 0x13 : 0x10, df, (uint16_t)(1000 + s));
				udp_fix(dg);
				int n = check(k, dg, &id);
				if (df && L > LINK - 20) {
					assert_int_equal(n, 0);   /* frag needed, 1480 */
					continue;
				}
				if (!df && modes[k].m.frag == TUNNEL_FRAG_OUTER && modes[k].m.df_mode == TUNNEL_DF_SET &&
				    L + 20 > LINK) {
					assert_int_equal(n, 0);   /* outer DF set: cannot cut */
					continue;
				}
				if (!df) {
					const size_t *t = modes[k].m.frag == TUNNEL_FRAG_INNER ? udp_table[s].inner
											 : udp_table[s].outer;
					for (int i = 0; i < 6; i++)
						assert_int_equal(i < n ? got.len[i] : 0, t[i]);
				}
				struct ipv4_reass *ro = ipv4_reass_new(NULL), *ri = ipv4_reass_new(NULL);
				assert_int_equal(receive(ro, ri, back), L);
				assert_int_equal(back[8], 63);
				assert_memory_equal(back + 20, dg + 20, L - 20);
				assert_int_equal(udp_sum(back), 0);
				ipv4_reass_free(ro);
				ipv4_reass_free(ri);
			}
		}
	}
}

/* The datagram as the client's 1500-byte link delivers it: a UDP payload
 * above 1472 arrives already cut by the client (1480 data bytes per
 * fragment), and each fragment is tunnelled on its own. */
static void tunnel__client_fragments_each_tunnelled(void **state)
{
	(void)state;
	static uint8_t dg[IPV4_MAX_LEN], back[IPV4_MAX_LEN], scratch[LINK];
	static struct frames cf;
	static const size_t sizes[] = { 1473, 1480, 1500, 1600, 3000, 8000 };
	for (size_t k = 0; k < NMODES; k++) {
		if (modes[k].m.frag == TUNNEL_FRAG_OUTER && modes[k].m.df_mode == TUNNEL_DF_SET)
			continue;   /* a 1500-byte client fragment is refused whole: above */
		for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
			size_t L = udp(dg, sizes[s], 0x10, 0, 4242);
			udp_fix(dg);
			cf.n = 0;
			assert_true(ipv4_fragment(dg, L, LINK, scratch, sizeof scratch, sink, &cf, NULL) > 1);
			struct ipv4_reass *ro = ipv4_reass_new(NULL), *ri = ipv4_reass_new(NULL);
			uint16_t id = 1;
			size_t whole = 0;
			for (int c = 0; c < cf.n; c++) {
				int n = check(k, cf.f[c], &id);
				/* A full client fragment (1500) makes two frames:
				 * 1500 + 40 (outer cutting) or 1496 + 64 (inner). */
				if (cf.len[c] == LINK) {
					assert_int_equal(n, 2);
					assert_int_equal(got.len[0], modes[k].m.frag == TUNNEL_FRAG_INNER ? 1496 : 1500);
					assert_int_equal(got.len[1], modes[k].m.frag == TUNNEL_FRAG_INNER ? 64 : 40);
				} else {
					assert_int_equal(n, 1);
				}
				size_t d = receive(ro, ri, back);
				if (d)
					whole = d;
			}
			assert_int_equal(whole, L);
			assert_memory_equal(back + 20, dg + 20, L - 20);
			assert_int_equal(udp_sum(back), 0);
			ipv4_reass_free(ro);
			ipv4_reass_free(ri);
		}
	}
}

/* TCP writes of 64 .. 1600 bytes from a host with MSS 1460 (RFC 879: 1500
 * - 40): segments of at most 1460, DF clear (the era) and set (today). */
static void tunnel__tcp_writes_each_mode_byte_exact(void **state)
{
	(void)state;
	static uint8_t dg[IPV4_MAX_LEN], back[IPV4_MAX_LEN];
	for (size_t k = 0; k < NMODES; k++) {
		uint16_t id = 0;
		for (size_t w = 64; w <= 1600; w++) {
			for (int df = 0; df <= 1; df++) {
				for (size_t done = 0; done < w;) {
					size_t s = w - done < 1460 ? w - done : 1460;
					size_t L = tcp(dg, s, df, (uint16_t)w);
					int n = check(k, dg, &id);
					size_t expect_n = L <= LINK - 20 ? 1
							  : df || modes[k].m.df_mode == TUNNEL_DF_SET ? (modes[k].m.frag == TUNNEL_FRAG_INNER && !df ? 2 : 0)
							  : 2;
					assert_int_equal((size_t)n, expect_n);
					if (n) {
						struct ipv4_reass *ro = ipv4_reass_new(NULL), *ri = ipv4_reass_new(NULL);
						assert_int_equal(receive(ro, ri, back), L);
						assert_memory_equal(back + 20, dg + 20, L - 20);
						ipv4_reass_free(ro);
						ipv4_reass_free(ri);
					}
					done += s;
				}
			}
		}
	}
}

static void tunnel__ecn_rfc6040(void **state)
{
	(void)state;
	/* RFC 6040 4.1, normal mode: Not-ECT, ECT(1), ECT(0) copied; CE sent
	 * as ECT(0); the outer DSCP bits are the tunnel's. */
	assert_int_equal(tunnel_ecn_encap(0xb8, 0x00), 0xb8);
	assert_int_equal(tunnel_ecn_encap(0xb8, 0x01), 0xb9);
	assert_int_equal(tunnel_ecn_encap(0xb8, 0x02), 0xba);
	assert_int_equal(tunnel_ecn_encap(0xb8, 0x03), 0xba);
	assert_int_equal(tunnel_ecn_encap(0x03, 0x00), 0x00);
}

static void tunnel__refusals(void **state)
{
	(void)state;
	static uint8_t dg[2000];
	struct tunnel_result res;
	uint16_t id = 5;
	size_t L = udp(dg, 100, 0, 0, 1);
	/* TTL 1: forwarding would take it to 0 (RFC 2003 3.1). */
	dg[8] = 1;
	ipv4_update_checksum(dg);
	got.n = 0;
	assert_int_equal(tunnel_xmit(dg, L, &modes[0].m, ENTRY, EXIT, LINK, &id, &tb, sink, &got, NULL, &res), HN_ETTL);
	/* Back to its own source (RFC 2003 4). */
	L = udp(dg, 100, 0, 0, 1);
	assert_int_equal(tunnel_xmit(dg, L, &modes[0].m, ENTRY, CLIENT, LINK, &id, &tb, sink, &got, NULL, &res), HN_ELOOP);
	/* A link too small to carry the tunnel header and a minimal piece. */
	assert_int_equal(tunnel_xmit(dg, L, &modes[1].m, ENTRY, EXIT, 47, &id, &tb, sink, &got, NULL, &res), HN_EMTU);
	/* A corrupt header. */
	dg[10] ^= 0xff;
	assert_int_equal(tunnel_xmit(dg, L, &modes[1].m, ENTRY, EXIT, LINK, &id, &tb, sink, &got, NULL, &res), HN_ECKSUM);
	assert_int_equal(got.n, 0);
	assert_int_equal(id, 5);
	/* A smaller link: the tunnel MTU follows it (576 - 20 = 556). */
	L = udp(dg, 600, 0, 1, 1);
	assert_int_equal(tunnel_xmit(dg, L, &modes[2].m, ENTRY, EXIT, 576, &id, &tb, sink, &got, NULL, &res), HN_EDF);
	assert_int_equal(res.frag_needed, 556);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tunnel__udp_sizes_each_mode_byte_exact),
		cmocka_unit_test(tunnel__client_fragments_each_tunnelled),
		cmocka_unit_test(tunnel__tcp_writes_each_mode_byte_exact),
		cmocka_unit_test(tunnel__ecn_rfc6040),
		cmocka_unit_test(tunnel__refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
