/* test_mss.c - unit tests of mss.c: TCP MSS clamping in place and the
 * RFC 1624 incremental checksum, checked against a full recompute of the
 * TCP checksum over the RFC 9293 section 3.1 pseudo-header. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "net/bytes.h"
#include "net/ipv4.h"
#include "net/mss.h"
#include "status.h"
#include "testutil.h"

/* Full TCP checksum of the segment of dg, checksum field taken as zero. */
static uint16_t tcp_full_checksum(const uint8_t *dg)
{
	return tu_transport_sum(dg, 16);
}

/* A SYN from 10.0.1.2:49153 to 192.20.225.20:80 with options opts (olen
 * bytes, a multiple of 4) and payload_len payload bytes; checksum valid. */
static size_t syn(uint8_t *dg, const uint8_t *opts, size_t olen, size_t payload_len, uint8_t flags)
{
	size_t total = 20 + 20 + olen + payload_len;
	tu_datagram(dg, total, IPV4_PROTO_TCP, IP4(10, 0, 1, 2), IP4(192, 20, 225, 20), 49153,
		    80, 7, 64, 1);
	uint8_t *t = dg + 20;
	net_put32(t + 4, 0x01020304);
	net_put32(t + 8, 0);
	t[12] = (uint8_t)(((20 + olen) / 4) << 4);
	t[13] = flags;
	net_put16(t + 14, 65535);
	net_put16(t + 18, 0);
	memcpy(t + 20, opts, olen);
	net_put16(t + 16, tcp_full_checksum(dg));
	return total;
}

static void mss__csum_update_rfc1624(void **state)
{
	(void)state;
	/* RFC 1624 section 4 example: HC 0xdd2f, m 0x5555 -> m' 0x3285
	 * gives HC' 0x0000 (eqn. 3; eqn. 2 of RFC 1141 gives 0xffff). */
	assert_int_equal(ipv4_checksum_adjust(0xdd2f, 0x5555, 0x3285), 0x0000);
}

static void mss__clamp_1460_to_1440(void **state)
{
	(void)state;
	static const uint8_t opts[4] = { 2, 4, 0x05, 0xb4 };  /* MSS 1460 */
	uint8_t dg[128], before[128];
	size_t len = syn(dg, opts, 4, 0, TCP_FLAG_SYN);
	memcpy(before, dg, len);
	uint16_t old = 0;
	assert_int_equal(mss_clamp(dg, len, 1440, &old), 1);
	assert_int_equal(old, 1460);
	assert_int_equal(net_get16(dg + 40 + 2), 1440);
	assert_int_equal(net_get16(dg + 36), tcp_full_checksum(dg));
	assert_memory_equal(dg, before, 20);          /* IP header untouched */
	assert_memory_equal(dg + 20, before + 20, 16); /* ports..window */
	assert_int_equal(ipv4_checksum(dg, 20), 0);
}

static void mss__clamp_odd_offset(void **state)
{
	(void)state;
	/* NOP, then MSS 8960 at option offset 1: the value straddles two
	 * checksum words; segment lengths even and odd. */
	static const uint8_t opts[8] = { 1, 2, 4, 0x23, 0x00, 1, 1, 0 };
	for (size_t pay = 0; pay < 4; pay++) {
		uint8_t dg[128];
		size_t len = syn(dg, opts, 8, pay, TCP_FLAG_SYN | 0x10);
		uint16_t old = 0;
		assert_int_equal(mss_clamp(dg, len, 1412, &old), 1);
		assert_int_equal(old, 8960);
		assert_int_equal(net_get16(dg + 40 + 3), 1412);
		assert_int_equal(net_get16(dg + 36), tcp_full_checksum(dg));
	}
}

static void mss__clamp_every_value(void **state)
{
	(void)state;
	/* Every (old, new) pair over a grid: the incremental checksum equals
	 * the recomputed one, including results of 0x0000 / 0xffff. */
	for (unsigned o = 536; o <= 65535; o += 257) {
		for (unsigned n = 1; n < o; n += 331) {
			uint8_t opts[4] = { 2, 4, (uint8_t)(o >> 8), (uint8_t)o };
			uint8_t dg[128];
			size_t len = syn(dg, opts, 4, 0, TCP_FLAG_SYN);
			assert_int_equal(mss_clamp(dg, len, (uint16_t)n, NULL), 1);
			assert_int_equal(net_get16(dg + 42), n);
			assert_int_equal(net_get16(dg + 36), tcp_full_checksum(dg));
		}
	}
}

static void mss__left_alone(void **state)
{
	(void)state;
	static const uint8_t opts[4] = { 2, 4, 0x05, 0x78 };  /* MSS 1400 */
	static const uint8_t none[4] = { 1, 1, 1, 0 };
	uint8_t dg[128], before[128];
	uint16_t old = 7;
	size_t len = syn(dg, opts, 4, 0, TCP_FLAG_SYN);
	memcpy(before, dg, len);
	assert_int_equal(mss_clamp(dg, len, 1440, &old), 0);   /* already below */
	assert_int_equal(old, 1400);
	assert_memory_equal(dg, before, len);
	len = syn(dg, opts, 4, 0, 0x10);                        /* not a SYN */
	memcpy(before, dg, len);
	assert_int_equal(mss_clamp(dg, len, 536, &old), 0);
	assert_memory_equal(dg, before, len);
	len = syn(dg, none, 4, 0, TCP_FLAG_SYN);                /* no MSS option */
	assert_int_equal(mss_clamp(dg, len, 536, &old), 0);
	assert_int_equal(old, 0);
}

static void mss__malformed(void **state)
{
	(void)state;
	static const uint8_t zero_len[4] = { 8, 0, 0, 0 };
	static const uint8_t past[4] = { 1, 2, 4, 5 };           /* MSS runs past */
	uint8_t dg[128];
	size_t len = syn(dg, zero_len, 4, 0, TCP_FLAG_SYN);
	assert_int_equal(mss_clamp(dg, len, 536, NULL), HN_ETRUNC);
	len = syn(dg, past, 4, 0, TCP_FLAG_SYN);
	assert_int_equal(mss_clamp(dg, len, 536, NULL), HN_ETRUNC);
	len = syn(dg, past, 4, 0, TCP_FLAG_SYN);
	dg[32] = 0xf0;                                          /* doff 60 > segment */
	assert_int_equal(mss_clamp(dg, len, 536, NULL), HN_ETRUNC);
	dg[32] = 0x40;                                          /* doff 16 < 20 */
	assert_int_equal(mss_clamp(dg, len, 536, NULL), HN_ETRUNC);
	assert_int_equal(mss_clamp(dg, 30, 536, NULL), HN_ETRUNC); /* total > len */
	uint8_t u[64];
	size_t ulen = tu_datagram(u, 64, IPV4_PROTO_UDP, 1, 2, 3, 4, 5, 64, 0);
	assert_int_equal(mss_clamp(u, ulen, 536, NULL), HN_EPROTO);
	static const uint8_t opts[4] = { 2, 4, 0x05, 0xb4 };
	len = syn(dg, opts, 4, 0, TCP_FLAG_SYN);
	dg[6] |= 0x20;                                          /* MF: a fragment */
	assert_int_equal(mss_clamp(dg, len, 536, NULL), HN_EFRAG);
	assert_int_equal(mss_clamp(NULL, len, 536, NULL), HN_EINVAL);
	assert_int_equal(mss_clamp(dg, len, 0, NULL), HN_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mss__csum_update_rfc1624),
		cmocka_unit_test(mss__clamp_1460_to_1440),
		cmocka_unit_test(mss__clamp_odd_offset),
		cmocka_unit_test(mss__clamp_every_value),
		cmocka_unit_test(mss__left_alone),
		cmocka_unit_test(mss__malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
