/* test_ipip.c - unit tests of ipip.c: RFC 2003 outer header rules (3.1),
 * inner TTL handling (3.1), loop refusal (4), decapsulation checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "net/bytes.h"
#include "net/ipip.h"
#include "net/ipv4.h"
#include "status.h"

#define CLIENT 0xc0a80105u   /* inner source */
#define VIP 0x0a0000feu      /* inner destination */
#define REDIR 0x0a000001u    /* tunnel entry */
#define HSRV 0x0a000063u     /* tunnel exit */

static size_t mkinner(uint8_t *buf, size_t total, uint8_t tos, bool df, uint8_t ttl)
{
	struct ipv4_hdr h = {
		.tos = tos, .total_len = (uint16_t)total, .id = 0x1111, .df = df,
		.ttl = ttl, .proto = IPV4_PROTO_TCP, .src = CLIENT, .dst = VIP,
	};
	assert_int_equal(ipv4_encode(&h, buf, 20), 20);
	for (size_t i = 20; i < total; i++)
		buf[i] = (uint8_t)(i ^ 0x5a);
	return total;
}

static const struct ipip_encap_params P = {
	.src = REDIR, .dst = HSRV, .id = 0x7777, .ttl = 0, .forwarding = false,
};

static void ipip__outer_fields(void **state)
{
	(void)state;
	uint8_t in[100], out[200];
	size_t olen = 0, n = mkinner(in, 100, 0xb8, true, 30);
	assert_int_equal(ipip_encap(in, n, &P, out, sizeof out, &olen), HN_OK);
	assert_int_equal(olen, 120);
	struct ipv4_hdr o;
	assert_int_equal(ipv4_decode(out, olen, &o), HN_OK);  /* checksum ok */
	assert_int_equal(out[0], 0x45);            /* IHL 5 */
	assert_int_equal(o.hdr_len, IPIP_OUTER_LEN);
	assert_int_equal(o.proto, IPV4_PROTO_IPIP);  /* 3.1: protocol 4 */
	assert_int_equal(o.tos, 0xb8);             /* 3.1: TOS copied */
	assert_true(o.df);                         /* 3.1: DF copied */
	assert_false(o.mf);
	assert_int_equal(o.frag_off, 0);
	assert_int_equal(o.ttl, IPIP_DEFAULT_TTL); /* 3.1: default 64 */
	assert_int_equal(o.id, 0x7777);            /* caller's id */
	assert_int_equal(o.total_len, 120);
	assert_int_equal(o.src, REDIR);
	assert_int_equal(o.dst, HSRV);
	/* inner unchanged when not forwarding (RFC 2003 3) */
	assert_memory_equal(out + 20, in, 100);

	/* DF clear and TOS 0 are copied too; explicit outer TTL */
	struct ipip_encap_params p = P;
	p.ttl = 5;
	p.id = 1;
	n = mkinner(in, 40, 0, false, 30);
	assert_int_equal(ipip_encap(in, n + 10, &p, out, sizeof out, &olen), HN_OK);
	assert_int_equal(olen, 60);  /* inner padding is not carried */
	assert_int_equal(ipv4_decode(out, olen, &o), HN_OK);
	assert_false(o.df);
	assert_int_equal(o.tos, 0);
	assert_int_equal(o.ttl, 5);
	assert_int_equal(o.id, 1);
	assert_int_equal(net_get16(out + 6), 0);
}

static void ipip__inner_ttl_decrement_when_forwarding(void **state)
{
	(void)state;
	uint8_t in[60], out[100];
	size_t olen, n = mkinner(in, 60, 0, false, 30);
	struct ipip_encap_params p = P;
	p.forwarding = true;
	assert_int_equal(ipip_encap(in, n, &p, out, sizeof out, &olen), HN_OK);
	struct ipv4_hdr ih;
	assert_int_equal(ipv4_decode(out + 20, olen - 20, &ih), HN_OK);  /* checksum updated */
	assert_int_equal(ih.ttl, 29);
	assert_int_equal(in[8], 30);  /* the caller's buffer is borrowed, not changed */
	assert_memory_equal(out + 20 + 12, in + 12, 48);  /* rest of inner identical */
	assert_int_equal(out[20 + 9], in[9]);
	/* TTL 2 -> 1 still fine */
	in[8] = 2;
	ipv4_update_checksum(in);
	assert_int_equal(ipip_encap(in, n, &p, out, sizeof out, &olen), HN_OK);
	assert_int_equal(out[28], 1);
	assert_int_equal(ipv4_checksum(out + 20, 20), 0);
}

static void ipip__ttl_expiry(void **state)
{
	(void)state;
	uint8_t in[60], out[100];
	size_t olen = 12345, n = mkinner(in, 60, 0, false, 1);
	struct ipip_encap_params p = P;
	p.forwarding = true;
	assert_int_equal(ipip_encap(in, n, &p, out, sizeof out, &olen), HN_ETTL);
	assert_int_equal(olen, 12345);
	/* not forwarding: TTL 1 is left alone */
	p.forwarding = false;
	assert_int_equal(ipip_encap(in, n, &p, out, sizeof out, &olen), HN_OK);
	assert_int_equal(out[28], 1);
	/* TTL 0 is never encapsulated (3.1) */
	n = mkinner(in, 60, 0, false, 0);
	assert_int_equal(ipip_encap(in, n, &p, out, sizeof out, &olen), HN_ETTL);
}

static void ipip__loop_refused(void **state)
{
	(void)state;
	uint8_t in[60], out[100];
	size_t olen, n = mkinner(in, 60, 0, false, 30);
	struct ipip_encap_params p = P;
	p.dst = CLIENT;  /* tunnel exit == inner source (section 4) */
	assert_int_equal(ipip_encap(in, n, &p, out, sizeof out, &olen), HN_ELOOP);
}

static void ipip__encap_errors(void **state)
{
	(void)state;
	static uint8_t in[65535], out[65535 + 20];
	size_t olen, n = mkinner(in, 60, 0, false, 30);
	assert_int_equal(ipip_encap(in, n, &P, out, 79, &olen), HN_ENOSPC);
	in[8] = 31;  /* stale checksum */
	assert_int_equal(ipip_encap(in, n, &P, out, sizeof out, &olen), HN_ECKSUM);
	assert_int_equal(ipip_encap(in, 19, &P, out, sizeof out, &olen), HN_ETRUNC);
	n = mkinner(in, 65535 - 19, 0, false, 30);
	assert_int_equal(ipip_encap(in, n, &P, out, sizeof out, &olen), HN_ELEN);
	n = mkinner(in, 65535 - 20, 0, false, 30);
	assert_int_equal(ipip_encap(in, n, &P, out, sizeof out, &olen), HN_OK);
	assert_int_equal(olen, 65535);
}

static void ipip__encap_in_place(void **state)
{
	(void)state;
	uint8_t buf[120], copy[100];
	size_t olen, n = mkinner(buf + 20, 100, 0, false, 30);
	memcpy(copy, buf + 20, 100);
	assert_int_equal(ipip_encap(buf + 20, n, &P, buf, sizeof buf, &olen), HN_OK);
	assert_int_equal(olen, 120);
	assert_memory_equal(buf + 20, copy, 100);
	size_t off, len;
	assert_int_equal(ipip_decap(buf, olen, &off, &len), HN_OK);
}

static void ipip__decap_good(void **state)
{
	(void)state;
	uint8_t in[100], out[200];
	size_t olen, off = 0, len = 0, n = mkinner(in, 100, 0, false, 1);
	assert_int_equal(ipip_encap(in, n, &P, out, sizeof out, &olen), HN_OK);
	assert_int_equal(ipip_decap(out, olen + 6, &off, &len), HN_OK);  /* link padding ok */
	assert_int_equal(off, 20);
	assert_int_equal(len, 100);
	assert_memory_equal(out + off, in, 100);  /* inner TTL not changed (3.1) */

	/* outer with options: inner starts after them */
	uint8_t o2[124];
	memcpy(o2, out, 20);
	o2[0] = 0x46;
	o2[20] = 1; o2[21] = 1; o2[22] = 1; o2[23] = 0;
	memcpy(o2 + 24, in, 100);
	net_put16(o2 + 2, 124);
	ipv4_update_checksum(o2);
	assert_int_equal(ipip_decap(o2, sizeof o2, &off, &len), HN_OK);
	assert_int_equal(off, 24);
	assert_int_equal(len, 100);
}

static void ipip__decap_bad(void **state)
{
	(void)state;
	uint8_t in[100], good[200], b[200];
	size_t glen, off = 77, len = 77, n = mkinner(in, 100, 0, false, 30);
	assert_int_equal(ipip_encap(in, n, &P, good, sizeof good, &glen), HN_OK);

	/* wrong outer protocol */
	memcpy(b, good, glen);
	b[9] = IPV4_PROTO_UDP;
	ipv4_update_checksum(b);
	assert_int_equal(ipip_decap(b, glen, &off, &len), HN_EPROTO);
	/* outer is a fragment: MF, or an offset */
	memcpy(b, good, glen);
	net_put16(b + 6, 0x2000);
	ipv4_update_checksum(b);
	assert_int_equal(ipip_decap(b, glen, &off, &len), HN_EFRAG);
	net_put16(b + 6, 3);
	ipv4_update_checksum(b);
	assert_int_equal(ipip_decap(b, glen, &off, &len), HN_EFRAG);
	/* outer checksum error */
	memcpy(b, good, glen);
	b[8] ^= 1;
	assert_int_equal(ipip_decap(b, glen, &off, &len), HN_ECKSUM);
	/* inner checksum error */
	memcpy(b, good, glen);
	b[20 + 8] ^= 1;
	assert_int_equal(ipip_decap(b, glen, &off, &len), HN_ECKSUM);
	/* truncated: buffer shorter than outer total length */
	assert_int_equal(ipip_decap(good, glen - 1, &off, &len), HN_ELEN);
	assert_int_equal(ipip_decap(good, 10, &off, &len), HN_ETRUNC);
	/* truncated inner: outer payload shorter than an inner header */
	memcpy(b, good, glen);
	net_put16(b + 2, 30);
	ipv4_update_checksum(b);
	assert_int_equal(ipip_decap(b, glen, &off, &len), HN_ETRUNC);
	/* inner total length longer than the outer payload */
	net_put16(b + 2, 110);
	ipv4_update_checksum(b);
	assert_int_equal(ipip_decap(b, glen, &off, &len), HN_ELEN);
	/* inner total length shorter than the outer payload */
	memcpy(b, good, glen);
	net_put16(b + 20 + 2, 90);
	ipv4_update_checksum(b + 20);
	assert_int_equal(ipip_decap(b, glen, &off, &len), HN_ELEN);
	/* inner is not IPv4 */
	memcpy(b, good, glen);
	b[20] = 0x65;
	ipv4_update_checksum(b + 20);
	assert_int_equal(ipip_decap(b, glen, &off, &len), HN_EVERSION);
	/* inner TTL 0 is discarded (3.1) */
	memcpy(b, good, glen);
	b[20 + 8] = 0;
	ipv4_update_checksum(b + 20);
	assert_int_equal(ipip_decap(b, glen, &off, &len), HN_ETTL);
	/* outputs untouched on every error */
	assert_int_equal(off, 77);
	assert_int_equal(len, 77);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ipip__outer_fields),
		cmocka_unit_test(ipip__inner_ttl_decrement_when_forwarding),
		cmocka_unit_test(ipip__ttl_expiry),
		cmocka_unit_test(ipip__loop_refused),
		cmocka_unit_test(ipip__encap_errors),
		cmocka_unit_test(ipip__encap_in_place),
		cmocka_unit_test(ipip__decap_good),
		cmocka_unit_test(ipip__decap_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
