/* test_nat.c - unit tests of nat.c: an address rewritten in place with the
 * IP header checksum and the TCP/UDP checksum fixed incrementally (RFC 3022
 * 4.1, RFC 1624 3), checked against checksums computed from scratch over
 * the rewritten bytes (RFC 1071 with the RFC 9293 3.1 / RFC 768
 * pseudo-header); UDP's zero checksum (RFC 768); fragments (RFC 791 3.2). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "net/bytes.h"
#include "net/ipv4.h"
#include "net/nat.h"
#include "status.h"
#include "testutil.h"

/* The transport checksum from scratch, its field (at ck in dg) as zero; dg
 * is len bytes long (its total length). */
static uint16_t transport_sum(const uint8_t *dg, size_t len, size_t ck)
{
	(void)len;
	return tu_transport_sum(dg, ck - 20);
}

static size_t make(uint8_t *dg, size_t len, uint8_t proto)
{
	tu_datagram(dg, len, proto, IP4(172, 16, 1, 2), IP4(192, 20, 1, 10), 40000, 80, 7, 60, 1);
	size_t ck = 20 + (proto == 6 ? 16 : 6);
	net_put16(dg + ck, 0);
	net_put16(dg + ck, transport_sum(dg, len, ck));
	return ck;
}

static void nat__tcp_destination_and_source(void **state)
{
	(void)state;
	uint8_t dg[120], orig[120];
	size_t ck = make(dg, sizeof dg, 6);
	memcpy(orig, dg, sizeof dg);
	assert_int_equal(nat_rewrite(dg, sizeof dg, NAT_DST, IP4(10, 9, 1, 2)), HN_OK);
	assert_int_equal(net_get32(dg + 16), IP4(10, 9, 1, 2));
	assert_int_equal(ipv4_checksum(dg, 20), 0);              /* header sums to 0 */
	assert_int_equal(net_get16(dg + ck), transport_sum(dg, sizeof dg, ck));
	/* nothing else changed */
	assert_memory_equal(dg, orig, 10);
	assert_memory_equal(dg + 12, orig + 12, 4);
	assert_memory_equal(dg + 20, orig + 20, 16);
	assert_memory_equal(dg + 38, orig + 38, sizeof dg - 38);
	/* the reply's source, and back: the original bytes again */
	assert_int_equal(nat_rewrite(dg, sizeof dg, NAT_DST, IP4(192, 20, 1, 10)), HN_OK);
	assert_memory_equal(dg, orig, sizeof dg);
	assert_int_equal(nat_rewrite(dg, sizeof dg, NAT_SRC, IP4(192, 20, 1, 10)), HN_OK);
	assert_int_equal(net_get32(dg + 12), IP4(192, 20, 1, 10));
	assert_int_equal(ipv4_checksum(dg, 20), 0);
	assert_int_equal(net_get16(dg + ck), transport_sum(dg, sizeof dg, ck));
}

static void nat__udp(void **state)
{
	(void)state;
	uint8_t dg[64];
	size_t ck = make(dg, sizeof dg, 17);
	assert_int_equal(nat_rewrite(dg, sizeof dg, NAT_DST, IP4(10, 9, 2, 2)), HN_OK);
	assert_int_equal(net_get16(dg + ck), transport_sum(dg, sizeof dg, ck));
	/* RFC 768: a zero checksum means none, and stays zero */
	net_put16(dg + ck, 0);
	assert_int_equal(nat_rewrite(dg, sizeof dg, NAT_DST, IP4(10, 9, 1, 2)), HN_OK);
	assert_int_equal(net_get16(dg + ck), 0);
	assert_int_equal(ipv4_checksum(dg, 20), 0);
	/* a rewrite whose checksum computes to 0 is sent as 0xffff: find a
	 * payload byte making the new sum 0xffff before the final complement */
	int found = 0;
	for (int v = 0; v < 65536 && !found; v++) {
		make(dg, sizeof dg, 17);
		net_put16(dg + 30, (uint16_t)v);
		net_put16(dg + ck, 0);
		net_put16(dg + ck, transport_sum(dg, sizeof dg, ck));
		if (net_get16(dg + ck) == 0)
			continue;   /* RFC 768 would send 0xffff here already */
		uint8_t t[64];
		memcpy(t, dg, sizeof t);
		net_put32(t + 16, IP4(10, 9, 1, 2));
		if (transport_sum(t, sizeof t, ck) != 0)
			continue;
		found = 1;
		assert_int_equal(nat_rewrite(dg, sizeof dg, NAT_DST, IP4(10, 9, 1, 2)), HN_OK);
		assert_int_equal(net_get16(dg + ck), 0xffff);
	}
	assert_true(found);
}

static void nat__fragments_and_errors(void **state)
{
	(void)state;
	uint8_t dg[120];
	size_t ck = make(dg, sizeof dg, 6);
	/* a later fragment: only the IP header changes (its bytes at ck are data) */
	net_put16(dg + 6, 0x2000 | 10);   /* MF, offset 80 */
	ipv4_update_checksum(dg);
	uint16_t data = net_get16(dg + ck);
	assert_int_equal(nat_rewrite(dg, sizeof dg, NAT_DST, IP4(10, 9, 1, 2)), HN_OK);
	assert_int_equal(net_get16(dg + ck), data);
	assert_int_equal(ipv4_checksum(dg, 20), 0);
	/* a first fragment too short for the TCP checksum */
	uint8_t s[40];
	tu_datagram(s, sizeof s, 6, 1, 2, 3, 4, 5, 6, 0);
	net_put16(s + 6, 0x2000);
	ipv4_update_checksum(s);
	assert_int_equal(nat_rewrite(s, 37, NAT_DST, 9), HN_ELEN);   /* total 40 > 37 */
	net_put16(s + 2, 36);
	ipv4_update_checksum(s);
	assert_int_equal(nat_rewrite(s, 36, NAT_DST, 9), HN_ETRUNC);
	/* a bad header checksum is refused, untouched */
	make(dg, sizeof dg, 6);
	dg[10] ^= 1;
	assert_int_equal(nat_rewrite(dg, sizeof dg, NAT_DST, 9), HN_ECKSUM);
	assert_int_equal(net_get32(dg + 16), IP4(192, 20, 1, 10));
	/* ICMP: the header only */
	make(dg, sizeof dg, 6);
	dg[9] = 1;
	ipv4_update_checksum(dg);
	uint8_t before[120];
	memcpy(before, dg, sizeof dg);
	assert_int_equal(nat_rewrite(dg, sizeof dg, NAT_SRC, 9), HN_OK);
	assert_memory_equal(dg + 20, before + 20, 100);
	assert_int_equal(ipv4_checksum(dg, 20), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nat__tcp_destination_and_source),
		cmocka_unit_test(nat__udp),
		cmocka_unit_test(nat__fragments_and_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
