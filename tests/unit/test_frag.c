/* test_frag.c - unit tests of frag.c: RFC 791 3.2 fragmentation (offsets,
 * MF, lengths, DF refusal, MTU limits, copied options, fragments of
 * fragments), asserting the stats counters as well as the bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "net/bytes.h"
#include "net/frag.h"
#include "net/ipv4.h"
#include "status.h"

#define MAXF 256

/* Collects emitted fragments. */
struct sink {
	size_t n;
	size_t len[MAXF];
	uint8_t buf[MAXF][1600];
	int fail_at;  /* emit number that fails (1-based), 0: never */
};

static int collect(void *ctx, const uint8_t *f, size_t len)
{
	struct sink *s = ctx;
	if (s->fail_at && (int)s->n + 1 == s->fail_at)
		return HN_EIO;
	assert_true(s->n < MAXF);
	assert_true(len <= sizeof s->buf[0]);
	memcpy(s->buf[s->n], f, len);
	s->len[s->n++] = len;
	return HN_OK;
}

/* Datagram of hlen-byte header (options copied from opt) and n payload
 * bytes with byte i = (i * 7 + 3) & 0xff. */
static size_t make_dg(uint8_t *buf, const uint8_t *opt, size_t optlen,
		      size_t n, bool df, bool mf, uint16_t off8)
{
	struct ipv4_hdr h = {
		.tos = 0x10, .total_len = (uint16_t)(20 + optlen + n), .id = 0x4242,
		.df = df, .mf = mf, .frag_off = off8, .ttl = 17,
		.proto = IPV4_PROTO_UDP, .src = 0x0a000001, .dst = 0x0a000002,
	};
	assert_int_equal(ipv4_encode(&h, buf, 20), 20);
	if (optlen)
		memcpy(buf + 20, opt, optlen);
	buf[0] = (uint8_t)(0x40 | ((20 + optlen) / 4));
	ipv4_update_checksum(buf);
	for (size_t i = 0; i < n; i++)
		buf[20 + optlen + i] = (uint8_t)(i * 7 + 3);
	return 20 + optlen + n;
}

/* Decode fragment i of s and check it is a valid datagram. */
static struct ipv4_hdr frag_hdr(const struct sink *s, size_t i)
{
	struct ipv4_hdr h;
	assert_int_equal(ipv4_decode(s->buf[i], s->len[i], &h), HN_OK);
	assert_int_equal(h.total_len, s->len[i]);
	return h;
}

static void frag__fits_emitted_unchanged(void **state)
{
	(void)state;
	static uint8_t dg[1600], scratch[1500];
	static struct sink s;
	memset(&s, 0, sizeof s);
	struct ipv4_frag_stats st = { 0 };
	size_t n = make_dg(dg, NULL, 0, 1480, true, false, 0);
	/* 4 bytes of link padding are not emitted */
	assert_int_equal(ipv4_fragment(dg, n + 4, 1500, scratch, sizeof scratch,
				       collect, &s, &st), 1);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.len[0], 1500);
	assert_memory_equal(s.buf[0], dg, 1500);
	assert_int_equal(st.datagrams, 1);
	assert_int_equal(st.fitted, 1);
	assert_int_equal(st.fragmented, 0);
	assert_int_equal(st.fragments, 0);
	for (int i = 0; i < IPV4_FRAG_NDROP; i++)
		assert_int_equal(st.drops[i], 0);
}

static void frag__1520_at_mtu_1500(void **state)
{
	(void)state;
	static uint8_t dg[1600], scratch[1500];
	static struct sink s;
	memset(&s, 0, sizeof s);
	struct ipv4_frag_stats st = { 0 };
	size_t n = make_dg(dg, NULL, 0, 1500, false, false, 0);
	assert_int_equal(n, 1520);
	assert_int_equal(ipv4_fragment(dg, n, 1500, scratch, sizeof scratch,
				       collect, &s, &st), 2);
	assert_int_equal(s.n, 2);
	/* first: 20 + 1480, offset 0, MF; second: 20 + 20, offset 185 */
	assert_int_equal(s.len[0], 1500);
	assert_int_equal(s.len[1], 40);
	assert_int_equal(net_get16(s.buf[0] + 2), 1500);
	assert_int_equal(net_get16(s.buf[0] + 6), 0x2000);
	assert_int_equal(net_get16(s.buf[1] + 2), 40);
	assert_int_equal(net_get16(s.buf[1] + 6), 185);
	struct ipv4_hdr a = frag_hdr(&s, 0), b = frag_hdr(&s, 1);
	assert_true(a.mf);
	assert_false(b.mf);
	assert_int_equal(a.frag_off, 0);
	assert_int_equal(b.frag_off, 185);
	assert_int_equal(a.id, 0x4242);
	assert_int_equal(b.id, 0x4242);
	assert_int_equal(b.tos, 0x10);
	assert_int_equal(b.ttl, 17);
	assert_int_equal(b.proto, IPV4_PROTO_UDP);
	assert_int_equal(b.src, 0x0a000001);
	assert_int_equal(b.dst, 0x0a000002);
	/* data splits exactly */
	assert_memory_equal(s.buf[0] + 20, dg + 20, 1480);
	assert_memory_equal(s.buf[1] + 20, dg + 20 + 1480, 20);
	assert_int_equal(st.datagrams, 1);
	assert_int_equal(st.fitted, 0);
	assert_int_equal(st.fragmented, 1);
	assert_int_equal(st.fragments, 2);
}

static void frag__sizes_multiple_of_8(void **state)
{
	(void)state;
	static uint8_t dg[1600], scratch[1600];
	static struct sink s;
	for (size_t mtu = 28; mtu <= 600; mtu += 37) {
		memset(&s, 0, sizeof s);
		struct ipv4_frag_stats st = { 0 };
		size_t n = make_dg(dg, NULL, 0, 1000, false, false, 0);
		int k = ipv4_fragment(dg, n, mtu, scratch, sizeof scratch, collect, &s, &st);
		size_t per = (mtu - 20) & ~(size_t)7;
		assert_int_equal(k, (int)((1000 + per - 1) / per));
		size_t at = 0;
		for (size_t i = 0; i < s.n; i++) {
			struct ipv4_hdr h = frag_hdr(&s, i);
			size_t dl = h.total_len - 20u;
			assert_true(s.len[i] <= mtu);
			assert_int_equal(h.frag_off * 8u, at);
			assert_int_equal(h.mf, i + 1 < s.n);
			if (i + 1 < s.n)
				assert_int_equal(dl, per);
			assert_memory_equal(s.buf[i] + 20, dg + 20 + at, dl);
			at += dl;
		}
		assert_int_equal(at, 1000);
		assert_int_equal(st.fragments, s.n);
	}
}

static void frag__df_refused_counted(void **state)
{
	(void)state;
	static uint8_t dg[1600], scratch[1500];
	static struct sink s;
	memset(&s, 0, sizeof s);
	struct ipv4_frag_stats st = { 0 };
	size_t n = make_dg(dg, NULL, 0, 1500, true, false, 0);
	assert_int_equal(ipv4_fragment(dg, n, 1500, scratch, sizeof scratch,
				       collect, &s, &st), HN_EDF);
	assert_int_equal(s.n, 0);
	assert_int_equal(st.datagrams, 1);
	assert_int_equal(st.drops[IPV4_FRAG_DROP_DF], 1);
	assert_int_equal(st.fragmented, 0);
	assert_int_equal(st.fragments, 0);
	assert_string_equal(ipv4_frag_drop_name(IPV4_FRAG_DROP_DF), "df");
}

static void frag__mtu_too_small(void **state)
{
	(void)state;
	static uint8_t dg[1600], scratch[1500];
	static struct sink s;
	memset(&s, 0, sizeof s);
	struct ipv4_frag_stats st = { 0 };
	size_t n = make_dg(dg, NULL, 0, 100, false, false, 0);
	/* 27 - 20 = 7 bytes: not even one 8-byte block */
	assert_int_equal(ipv4_fragment(dg, n, 27, scratch, sizeof scratch,
				       collect, &s, &st), HN_EMTU);
	assert_int_equal(ipv4_fragment(dg, n, 10, scratch, sizeof scratch,
				       collect, &s, &st), HN_EMTU);
	assert_int_equal(st.drops[IPV4_FRAG_DROP_MTU], 2);
	assert_int_equal(s.n, 0);
	/* 28 is enough: 13 fragments of 8 and one of 4 */
	assert_int_equal(ipv4_fragment(dg, n, 28, scratch, sizeof scratch,
				       collect, &s, &st), 13);
	assert_int_equal(s.len[12], 24);
	assert_int_equal(st.fragments, 13);
	assert_int_equal(st.datagrams, 3);

	/* a 60-byte header needs MTU 68 (RFC 791: 68 octets always pass) */
	uint8_t opt[40];
	memset(opt, 1, sizeof opt);  /* NOPs */
	n = make_dg(dg, opt, 40, 100, false, false, 0);
	assert_int_equal(ipv4_fragment(dg, n, 67, scratch, sizeof scratch,
				       collect, &s, &st), HN_EMTU);
	assert_int_equal(st.drops[IPV4_FRAG_DROP_MTU], 3);
	memset(&s, 0, sizeof s);
	assert_true(ipv4_fragment(dg, n, 68, scratch, sizeof scratch,
				  collect, &s, &st) > 0);
	assert_int_equal(s.len[0], 68);
	/* NOPs are not copied: later fragments have a 20-byte header */
	assert_int_equal(frag_hdr(&s, 1).hdr_len, 20);
}

static void frag__scratch_too_small(void **state)
{
	(void)state;
	static uint8_t dg[1600], scratch[1500];
	static struct sink s;
	memset(&s, 0, sizeof s);
	struct ipv4_frag_stats st = { 0 };
	size_t n = make_dg(dg, NULL, 0, 1500, false, false, 0);
	assert_int_equal(ipv4_fragment(dg, n, 1500, scratch, 1499, collect, &s, &st),
			 HN_ENOSPC);
	assert_int_equal(st.drops[IPV4_FRAG_DROP_NOSPC], 1);
	assert_int_equal(s.n, 0);
}

static void frag__bad_input_counted(void **state)
{
	(void)state;
	static uint8_t dg[1600], scratch[1500];
	static struct sink s;
	memset(&s, 0, sizeof s);
	struct ipv4_frag_stats st = { 0 };
	size_t n = make_dg(dg, NULL, 0, 100, false, false, 0);
	dg[8] ^= 1;  /* checksum broken */
	assert_int_equal(ipv4_fragment(dg, n, 60, scratch, sizeof scratch,
				       collect, &s, &st), HN_ECKSUM);
	assert_int_equal(ipv4_fragment(dg, 10, 60, scratch, sizeof scratch,
				       collect, &s, &st), HN_ETRUNC);
	assert_int_equal(st.drops[IPV4_FRAG_DROP_BAD], 2);
	/* malformed option (length 1) */
	uint8_t opt[4] = { 0x83, 1, 0, 0 };
	n = make_dg(dg, opt, 4, 100, false, false, 0);
	assert_int_equal(ipv4_fragment(dg, n, 60, scratch, sizeof scratch,
				       collect, &s, &st), HN_EINVAL);
	/* option running past the header */
	uint8_t opt2[4] = { 0x83, 8, 0, 0 };
	n = make_dg(dg, opt2, 4, 100, false, false, 0);
	assert_int_equal(ipv4_fragment(dg, n, 60, scratch, sizeof scratch,
				       collect, &s, &st), HN_EINVAL);
	/* a fragment whose offset + data runs past 65535 */
	n = make_dg(dg, NULL, 0, 100, false, true, 8180);
	assert_int_equal(ipv4_fragment(dg, n, 60, scratch, sizeof scratch,
				       collect, &s, &st), HN_EOFFSET);
	assert_int_equal(st.drops[IPV4_FRAG_DROP_BAD], 5);
	assert_int_equal(st.datagrams, 5);
	assert_int_equal(s.n, 0);
}

static void frag__emit_failure_counted(void **state)
{
	(void)state;
	static uint8_t dg[1600], scratch[1500];
	static struct sink s;
	memset(&s, 0, sizeof s);
	s.fail_at = 2;
	struct ipv4_frag_stats st = { 0 };
	size_t n = make_dg(dg, NULL, 0, 1000, false, false, 0);
	assert_int_equal(ipv4_fragment(dg, n, 300, scratch, sizeof scratch,
				       collect, &s, &st), HN_EIO);
	assert_int_equal(s.n, 1);  /* stopped at the failing one */
	assert_int_equal(st.fragments, 1);
	assert_int_equal(st.fragmented, 0);
	assert_int_equal(st.drops[IPV4_FRAG_DROP_EMIT], 1);
	/* a fitting datagram whose emit fails */
	memset(&s, 0, sizeof s);
	s.fail_at = 1;
	assert_int_equal(ipv4_fragment(dg, n, 1500, scratch, sizeof scratch,
				       collect, &s, &st), HN_EIO);
	assert_int_equal(st.drops[IPV4_FRAG_DROP_EMIT], 2);
	assert_int_equal(st.fitted, 0);
}

static void frag__options_copied_flag(void **state)
{
	(void)state;
	static uint8_t dg[1600], scratch[1500];
	static struct sink s;
	memset(&s, 0, sizeof s);
	struct ipv4_frag_stats st = { 0 };
	/* LSRR (0x83, copied) 7 bytes, NOP, Record Route (0x07, not copied)
	 * 7 bytes, EOL: 16 bytes, IHL 9. */
	static const uint8_t opt[16] = {
		0x83, 7, 4, 10, 9, 9, 9,
		0x01,
		0x07, 7, 4, 0, 0, 0, 0,
		0x00,
	};
	size_t n = make_dg(dg, opt, sizeof opt, 200, false, false, 0);
	assert_int_equal(n, 236);
	int k = ipv4_fragment(dg, n, 100, scratch, sizeof scratch, collect, &s, &st);
	/* first: 36-byte header, 64 data; then 28-byte header + 72 data,
	 * then the last 64 */
	assert_int_equal(k, 3);
	struct ipv4_hdr h0 = frag_hdr(&s, 0);
	assert_int_equal(h0.hdr_len, 36);
	assert_int_equal(s.len[0], 100);
	assert_memory_equal(s.buf[0] + 20, opt, 16);
	static const uint8_t want[8] = { 0x83, 7, 4, 10, 9, 9, 9, 0x00 };
	size_t at = 64;
	assert_memory_equal(s.buf[0] + 36, dg + 36, 64);
	for (size_t i = 1; i < s.n; i++) {
		struct ipv4_hdr h = frag_hdr(&s, i);
		assert_int_equal(h.hdr_len, 28);
		assert_int_equal(s.buf[i][0], 0x47);
		assert_memory_equal(s.buf[i] + 20, want, 8);
		assert_int_equal(h.frag_off * 8u, at);
		size_t dl = h.total_len - 28u;
		assert_memory_equal(s.buf[i] + 28, dg + 36 + at, dl);
		at += dl;
	}
	assert_int_equal(at, 200);
	assert_int_equal(s.len[1], 100);
	assert_int_equal(s.len[2], 28 + 64);
	assert_false(frag_hdr(&s, 2).mf);
	assert_int_equal(st.fragments, 3);

	/* an option after EOL is ignored: nothing copied */
	static const uint8_t opt2[8] = { 0x00, 0x83, 3, 0, 0, 0, 0, 0 };
	memset(&s, 0, sizeof s);
	n = make_dg(dg, opt2, sizeof opt2, 200, false, false, 0);
	assert_int_equal(ipv4_fragment(dg, n, 100, scratch, sizeof scratch,
				       collect, &s, &st), 3);
	assert_int_equal(frag_hdr(&s, 0).hdr_len, 28);
	assert_int_equal(frag_hdr(&s, 1).hdr_len, 20);
}

static void frag__fragment_of_fragment(void **state)
{
	(void)state;
	static uint8_t dg[1600], scratch[1500];
	static struct sink s;
	for (int mf = 0; mf <= 1; mf++) {
		memset(&s, 0, sizeof s);
		struct ipv4_frag_stats st = { 0 };
		/* a fragment at offset 100 (800 bytes) carrying 1000 bytes */
		size_t n = make_dg(dg, NULL, 0, 1000, false, mf, 100);
		int k = ipv4_fragment(dg, n, 500, scratch, sizeof scratch, collect, &s, &st);
		assert_int_equal(k, 3);  /* 480 + 480 + 40 */
		static const uint16_t off[3] = { 100, 160, 220 };
		static const size_t len[3] = { 500, 500, 60 };
		for (int i = 0; i < 3; i++) {
			struct ipv4_hdr h = frag_hdr(&s, (size_t)i);
			assert_int_equal(h.frag_off, off[i]);
			assert_int_equal(s.len[i], len[i]);
			/* the last piece keeps the original MF */
			assert_int_equal(h.mf, i < 2 ? true : (bool)mf);
		}
		assert_memory_equal(s.buf[2] + 20, dg + 20 + 960, 40);
		assert_int_equal(st.fragmented, 1);
		assert_int_equal(st.fragments, 3);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(frag__fits_emitted_unchanged),
		cmocka_unit_test(frag__1520_at_mtu_1500),
		cmocka_unit_test(frag__sizes_multiple_of_8),
		cmocka_unit_test(frag__df_refused_counted),
		cmocka_unit_test(frag__mtu_too_small),
		cmocka_unit_test(frag__scratch_too_small),
		cmocka_unit_test(frag__bad_input_counted),
		cmocka_unit_test(frag__emit_failure_counted),
		cmocka_unit_test(frag__options_copied_flag),
		cmocka_unit_test(frag__fragment_of_fragment),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
