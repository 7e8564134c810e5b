/* test_icmp.c - unit tests of icmp.c: the fragmentation-needed datagram
 * byte by byte (RFC 792, RFC 1191 section 4, RFC 1812 4.3.2.3's 576-byte
 * cap) and the RFC 1122 3.2.2 refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "net/bytes.h"
#include "net/icmp.h"
#include "net/ipv4.h"
#include "status.h"
#include "testutil.h"

#define CLIENT IP4(10, 0, 1, 2)
#define VIP IP4(192, 20, 225, 20)
#define ROUTER IP4(10, 0, 1, 1)

static void icmp__frag_needed_bytes(void **state)
{
	(void)state;
	static uint8_t dg[1500], out[1000];
	size_t olen = 0;
	tu_datagram(dg, 1500, IPV4_PROTO_TCP, CLIENT, VIP, 49153, 80, 0x1234, 63, 1);
	dg[1] = 0x2b;   /* DSCP 10 with ECN 3: only bits 0x1e survive */
	ipv4_update_checksum(dg);
	assert_int_equal(icmp_frag_needed(dg, 1500, ROUTER, 1480, 0x0101, out, sizeof out, &olen), HN_OK);
	assert_int_equal(olen, 576);   /* RFC 1812: capped at 576 */
	static const uint8_t hdr[20] = {
		0x45, 0xca, 0x02, 0x40,    /* TOS (0x2b & 0x1e) | 0xc0, length 576 */
		0x01, 0x01, 0x00, 0x00,    /* id, DF clear, offset 0 */
		64, 1, 0, 0,               /* TTL 64, ICMP, checksum below */
		10, 0, 1, 1, 10, 0, 1, 2   /* router -> client */
	};
	assert_memory_equal(out, hdr, 10);
	assert_memory_equal(out + 12, hdr + 12, 8);
	assert_int_equal(ipv4_checksum(out, 20), 0);
	static const uint8_t icmp[8] = { 3, 4, 0, 0, 0, 0, 0x05, 0xc8 };   /* MTU 1480 */
	assert_memory_equal(out + 20, icmp, 2);
	assert_memory_equal(out + 24, icmp + 4, 4);
	assert_int_equal(ipv4_checksum(out + 20, 556), 0);   /* ICMP checksum verifies */
	assert_memory_equal(out + 28, dg, 548);              /* header + 528 data bytes */
	/* A small datagram is quoted whole: 20 + 8 + 92. */
	tu_datagram(dg, 92, IPV4_PROTO_UDP, CLIENT, VIP, 49153, 7, 9, 63, 1);
	assert_int_equal(icmp_frag_needed(dg, 92, ROUTER, 556, 2, out, sizeof out, &olen), HN_OK);
	assert_int_equal(olen, 120);
	assert_int_equal(net_get16(out + 26), 556);
	assert_int_equal(out[1], 0xd0);   /* 0x10 & 0x1e | 0xc0 */
	assert_memory_equal(out + 28, dg, 92);
	assert_int_equal(ipv4_checksum(out + 20, 100), 0);
	/* Too small a buffer. */
	assert_int_equal(icmp_frag_needed(dg, 92, ROUTER, 556, 2, out, 119, &olen), HN_ENOSPC);
}

static void icmp__never_about(void **state)
{
	(void)state;
	uint8_t dg[100], out[600];
	size_t olen;
	/* A non-initial fragment. */
	tu_datagram(dg, 100, IPV4_PROTO_UDP, CLIENT, VIP, 1, 2, 9, 63, 1);
	net_put16(dg + 6, 0x4000 | 185);
	ipv4_update_checksum(dg);
	assert_int_equal(icmp_frag_needed(dg, 100, ROUTER, 1480, 1, out, sizeof out, &olen), HN_EFRAG);
	/* An ICMP error (type 3) and an echo request (type 8: answered). */
	tu_datagram(dg, 100, IPV4_PROTO_ICMP, CLIENT, VIP, 0, 0, 9, 63, 1);
	dg[20] = 3;
	assert_int_equal(icmp_frag_needed(dg, 100, ROUTER, 1480, 1, out, sizeof out, &olen), HN_EPROTO);
	dg[20] = 8;
	assert_int_equal(icmp_frag_needed(dg, 100, ROUTER, 1480, 1, out, sizeof out, &olen), HN_OK);
	/* Sources that name no host: 0, broadcast, multicast. */
	static const uint32_t bad[] = { 0, 0xffffffffu, IP4(224, 0, 0, 1), IP4(240, 0, 0, 1) };
	for (size_t i = 0; i < 4; i++) {
		tu_datagram(dg, 100, IPV4_PROTO_UDP, bad[i], VIP, 1, 2, 9, 63, 1);
		assert_int_equal(icmp_frag_needed(dg, 100, ROUTER, 1480, 1, out, sizeof out, &olen), HN_EINVAL);
	}
	/* A corrupt header. */
	tu_datagram(dg, 100, IPV4_PROTO_UDP, CLIENT, VIP, 1, 2, 9, 63, 1);
	dg[10] ^= 1;
	assert_int_equal(icmp_frag_needed(dg, 100, ROUTER, 1480, 1, out, sizeof out, &olen), HN_ECKSUM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(icmp__frag_needed_bytes),
		cmocka_unit_test(icmp__never_about),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
