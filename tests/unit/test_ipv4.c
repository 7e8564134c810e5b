/* test_ipv4.c - unit tests of ipv4.c: header encode/decode, checksum,
 * validation, ports, dotted quads (RFC 791 3.1, RFC 1071). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "net/bytes.h"
#include "net/ipv4.h"
#include "status.h"

/* A textbook header (192.168.0.1 -> 192.168.0.199, UDP, DF, TTL 64,
 * total length 115) whose checksum is known to be 0xb861. */
static const uint8_t TEXTBOOK[20] = {
	0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
	0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
};

/* TEXTBOOK followed by 95 payload bytes: a whole 115-byte datagram. */
static size_t textbook_dg(uint8_t *buf)
{
	memcpy(buf, TEXTBOOK, 20);
	for (size_t i = 20; i < 115; i++)
		buf[i] = (uint8_t)i;
	return 115;
}

static void ipv4__checksum_textbook(void **state)
{
	(void)state;
	uint8_t h[20];
	memcpy(h, TEXTBOOK, 20);
	assert_int_equal(ipv4_checksum(h, 20), 0);  /* verifies */
	h[10] = h[11] = 0;
	assert_int_equal(ipv4_checksum(h, 20), 0xb861);
}

static void ipv4__checksum_rfc1071_example(void **state)
{
	(void)state;
	/* RFC 1071 section 3 example: the sum is ddf2, the checksum its
	 * complement. */
	static const uint8_t b[8] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	assert_int_equal(ipv4_checksum(b, 8), (uint16_t)~0xddf2);
}

static void ipv4__checksum_odd_length(void **state)
{
	(void)state;
	/* Odd byte padded with a zero on the right: 0x0102 + 0x0300. */
	static const uint8_t b[3] = { 0x01, 0x02, 0x03 };
	assert_int_equal(ipv4_checksum(b, 3), (uint16_t)~0x0402);
	assert_int_equal(ipv4_checksum(b, 0), 0xffff);
	static const uint8_t one[1] = { 0xff };
	assert_int_equal(ipv4_checksum(one, 1), 0x00ff);
	/* carries fold: ffff + ffff + 0001 */
	static const uint8_t c[5] = { 0xff, 0xff, 0xff, 0xff, 0x01 };
	assert_int_equal(ipv4_checksum(c, 5), (uint16_t)~0x0100);
}

static void ipv4__checksum_large_buffer(void **state)
{
	(void)state;
	static uint8_t b[65535];
	memset(b, 0xff, sizeof b);
	/* 32767 words of ffff sum to ffff; the odd last byte adds ff00:
	 * 1feff folds to ff00, whose complement is 00ff. */
	assert_int_equal(ipv4_checksum(b, sizeof b), 0x00ff);
	assert_int_equal(ipv4_checksum(b, sizeof b - 1), 0);
}

static void ipv4__decode_textbook(void **state)
{
	(void)state;
	uint8_t buf[115];
	size_t n = textbook_dg(buf);
	struct ipv4_hdr h;
	assert_int_equal(ipv4_decode(buf, n, &h), HN_OK);
	assert_int_equal(h.hdr_len, 20);
	assert_int_equal(h.tos, 0);
	assert_int_equal(h.total_len, 115);
	assert_int_equal(h.id, 0);
	assert_true(h.df);
	assert_false(h.mf);
	assert_int_equal(h.frag_off, 0);
	assert_int_equal(h.ttl, 64);
	assert_int_equal(h.proto, IPV4_PROTO_UDP);
	assert_int_equal(h.checksum, 0xb861);
	assert_int_equal(h.src, 0xc0a80001);
	assert_int_equal(h.dst, 0xc0a800c7);
	assert_false(ipv4_is_fragment(&h));
}

static void ipv4__encode_textbook_bytes(void **state)
{
	(void)state;
	struct ipv4_hdr h = {
		.hdr_len = 99, /* ignored */
		.tos = 0, .total_len = 115, .id = 0, .df = true, .mf = false,
		.frag_off = 0, .ttl = 64, .proto = IPV4_PROTO_UDP,
		.checksum = 0x1234, /* ignored: encode computes its own */
		.src = 0xc0a80001, .dst = 0xc0a800c7,
	};
	uint8_t out[24];
	memset(out, 0xee, sizeof out);
	assert_int_equal(ipv4_encode(&h, out, sizeof out), 20);
	assert_memory_equal(out, TEXTBOOK, 20);
	assert_int_equal(out[20], 0xee);  /* nothing past the header */
}

static void ipv4__encode_decode_round_trip(void **state)
{
	(void)state;
	struct ipv4_hdr h = {
		.tos = 0xb8, .total_len = 20, .id = 0xbeef, .df = false, .mf = true,
		.frag_off = 8191, .ttl = 1, .proto = IPV4_PROTO_IPIP,
		.src = 0x0a000102, .dst = 0xffffffff,
	}, g;
	uint8_t out[20];
	assert_int_equal(ipv4_encode(&h, out, 20), 20);
	assert_int_equal(net_get16(out + 6), 0x2000 | 8191);
	assert_int_equal(ipv4_decode(out, 20, &g), HN_OK);
	assert_int_equal(g.hdr_len, 20);
	assert_int_equal(g.tos, 0xb8);
	assert_int_equal(g.total_len, 20);
	assert_int_equal(g.id, 0xbeef);
	assert_false(g.df);
	assert_true(g.mf);
	assert_int_equal(g.frag_off, 8191);
	assert_int_equal(g.ttl, 1);
	assert_int_equal(g.proto, 4);
	assert_int_equal(g.src, 0x0a000102);
	assert_int_equal(g.dst, 0xffffffff);
	assert_int_equal(g.checksum, net_get16(out + 10));
	assert_true(ipv4_is_fragment(&g));
}

static void ipv4__encode_rejects_small_buffer_and_bad_offset(void **state)
{
	(void)state;
	struct ipv4_hdr h = { .total_len = 20, .ttl = 1 };
	uint8_t out[20];
	assert_int_equal(ipv4_encode(&h, out, 19), HN_ENOSPC);
	h.frag_off = 8192;  /* does not fit the 13-bit field */
	assert_int_equal(ipv4_encode(&h, out, 20), HN_EINVAL);
}

static void ipv4__decode_rejects_truncated(void **state)
{
	(void)state;
	uint8_t buf[115];
	struct ipv4_hdr h;
	textbook_dg(buf);
	assert_int_equal(ipv4_decode(buf, 19, &h), HN_ETRUNC);
	assert_int_equal(ipv4_decode(buf, 0, &h), HN_ETRUNC);
	/* header present, payload cut short: total length past the buffer */
	assert_int_equal(ipv4_decode(buf, 114, &h), HN_ELEN);
}

static void ipv4__decode_rejects_bad_version(void **state)
{
	(void)state;
	uint8_t buf[115];
	struct ipv4_hdr h;
	textbook_dg(buf);
	buf[0] = 0x65;
	ipv4_update_checksum(buf);
	assert_int_equal(ipv4_decode(buf, 115, &h), HN_EVERSION);
}

static void ipv4__decode_rejects_short_ihl(void **state)
{
	(void)state;
	uint8_t buf[115];
	struct ipv4_hdr h;
	textbook_dg(buf);
	buf[0] = 0x44;
	assert_int_equal(ipv4_decode(buf, 115, &h), HN_EIHL);
	buf[0] = 0x40;
	assert_int_equal(ipv4_decode(buf, 115, &h), HN_EIHL);
}

static void ipv4__decode_rejects_ihl_past_buffer(void **state)
{
	(void)state;
	uint8_t buf[115];
	struct ipv4_hdr h;
	textbook_dg(buf);
	buf[0] = 0x46;  /* 24-byte header in a 20-byte buffer */
	assert_int_equal(ipv4_decode(buf, 20, &h), HN_EIHL);
	buf[0] = 0x4f;  /* 60 bytes */
	assert_int_equal(ipv4_decode(buf, 59, &h), HN_EIHL);
}

static void ipv4__decode_rejects_total_length(void **state)
{
	(void)state;
	uint8_t buf[115];
	struct ipv4_hdr h;
	textbook_dg(buf);
	net_put16(buf + 2, 19);  /* shorter than the header */
	ipv4_update_checksum(buf);
	assert_int_equal(ipv4_decode(buf, 115, &h), HN_ELEN);
	buf[0] = 0x46;           /* IHL 6: total 20 < 24 */
	net_put16(buf + 2, 20);
	ipv4_update_checksum(buf);
	assert_int_equal(ipv4_decode(buf, 115, &h), HN_ELEN);
	buf[0] = 0x45;
	net_put16(buf + 2, 116); /* longer than the buffer */
	ipv4_update_checksum(buf);
	assert_int_equal(ipv4_decode(buf, 115, &h), HN_ELEN);
}

static void ipv4__decode_rejects_bad_checksum(void **state)
{
	(void)state;
	uint8_t buf[115];
	struct ipv4_hdr h;
	textbook_dg(buf);
	buf[8] = 63;  /* TTL changed, checksum not updated */
	assert_int_equal(ipv4_decode(buf, 115, &h), HN_ECKSUM);
	ipv4_update_checksum(buf);
	assert_int_equal(ipv4_decode(buf, 115, &h), HN_OK);
	assert_int_equal(h.ttl, 63);
	/* payload bytes are not covered by the header checksum */
	buf[100] ^= 0xff;
	assert_int_equal(ipv4_decode(buf, 115, &h), HN_OK);
}

static void ipv4__decode_accepts_padding_and_options(void **state)
{
	(void)state;
	uint8_t buf[200];
	struct ipv4_hdr h;
	memset(buf, 0, sizeof buf);
	textbook_dg(buf);
	assert_int_equal(ipv4_decode(buf, sizeof buf, &h), HN_OK);
	assert_int_equal(h.total_len, 115);  /* padding is not data */

	/* IHL 6 with a NOP + 3 EOL option word. */
	uint8_t o[28] = { 0x46, 0, 0, 28, 0, 1, 0, 0, 64, 6, 0, 0,
			  10, 0, 0, 1, 10, 0, 0, 2, 1, 0, 0, 0, 0xaa, 0xbb, 0xcc, 0xdd };
	ipv4_update_checksum(o);
	assert_int_equal(ipv4_checksum(o, 24), 0);
	assert_int_equal(ipv4_decode(o, 28, &h), HN_OK);
	assert_int_equal(h.hdr_len, 24);
	uint16_t sp, dp;
	assert_int_equal(ipv4_ports(o, 28, &h, &sp, &dp), HN_OK);
	assert_int_equal(sp, 0xaabb);
	assert_int_equal(dp, 0xccdd);
}

static void ipv4__ports(void **state)
{
	(void)state;
	uint8_t buf[115];
	struct ipv4_hdr h;
	uint16_t sp = 0, dp = 0;
	textbook_dg(buf);
	net_put16(buf + 20, 5353);
	net_put16(buf + 22, 80);
	assert_int_equal(ipv4_decode(buf, 115, &h), HN_OK);
	assert_int_equal(ipv4_ports(buf, 115, &h, &sp, &dp), HN_OK);
	assert_int_equal(sp, 5353);
	assert_int_equal(dp, 80);

	h.proto = IPV4_PROTO_TCP;
	assert_int_equal(ipv4_ports(buf, 115, &h, &sp, &dp), HN_OK);
	h.proto = IPV4_PROTO_ICMP;
	assert_int_equal(ipv4_ports(buf, 115, &h, &sp, &dp), HN_EPROTO);
	h.proto = IPV4_PROTO_UDP;
	h.mf = true;          /* first fragment: ports are there */
	assert_int_equal(ipv4_ports(buf, 115, &h, &sp, &dp), HN_OK);
	h.frag_off = 3;       /* later fragment: no ports */
	assert_int_equal(ipv4_ports(buf, 115, &h, &sp, &dp), HN_EFRAG);
	h.frag_off = 0;
	assert_int_equal(ipv4_ports(buf, 23, &h, &sp, &dp), HN_ETRUNC);
	h.total_len = 22;     /* ports past the datagram */
	assert_int_equal(ipv4_ports(buf, 115, &h, &sp, &dp), HN_ETRUNC);
}

static void ipv4__ntoa_aton(void **state)
{
	(void)state;
	char s[16];
	uint32_t a = 0;
	assert_string_equal(ipv4_ntoa(0x0a000102, s), "10.0.1.2");
	assert_string_equal(ipv4_ntoa(0xffffffff, s), "255.255.255.255");
	assert_string_equal(ipv4_ntoa(0, s), "0.0.0.0");
	assert_int_equal(ipv4_aton("10.0.1.2", &a), HN_OK);
	assert_int_equal(a, 0x0a000102);
	assert_int_equal(ipv4_aton("255.255.255.255", &a), HN_OK);
	assert_int_equal(a, 0xffffffff);
	assert_int_equal(ipv4_aton("0.0.0.0", &a), HN_OK);
	assert_int_equal(a, 0);
	static const char *const bad[] = {
		"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-4", "1..2.3",
		"a.b.c.d", " 1.2.3.4", "1.2.3.4 ", "01.2.3.4", "1.2.3.4.",
		"1000.1.1.1", "1.2.3.0x4",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		a = 0x12345678;
		assert_int_equal(ipv4_aton(bad[i], &a), HN_EINVAL);
		assert_int_equal(a, 0x12345678);  /* untouched on error */
	}
	for (uint32_t v = 1; v != 0; v = v * 3 + 7) {
		uint32_t back;
		if (v > 0xf0000000u)
			break;
		assert_int_equal(ipv4_aton(ipv4_ntoa(v, s), &back), HN_OK);
		assert_int_equal(back, v);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ipv4__checksum_textbook),
		cmocka_unit_test(ipv4__checksum_rfc1071_example),
		cmocka_unit_test(ipv4__checksum_odd_length),
		cmocka_unit_test(ipv4__checksum_large_buffer),
		cmocka_unit_test(ipv4__decode_textbook),
		cmocka_unit_test(ipv4__encode_textbook_bytes),
		cmocka_unit_test(ipv4__encode_decode_round_trip),
		cmocka_unit_test(ipv4__encode_rejects_small_buffer_and_bad_offset),
		cmocka_unit_test(ipv4__decode_rejects_truncated),
		cmocka_unit_test(ipv4__decode_rejects_bad_version),
		cmocka_unit_test(ipv4__decode_rejects_short_ihl),
		cmocka_unit_test(ipv4__decode_rejects_ihl_past_buffer),
		cmocka_unit_test(ipv4__decode_rejects_total_length),
		cmocka_unit_test(ipv4__decode_rejects_bad_checksum),
		cmocka_unit_test(ipv4__decode_accepts_padding_and_options),
		cmocka_unit_test(ipv4__ports),
		cmocka_unit_test(ipv4__ntoa_aton),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
