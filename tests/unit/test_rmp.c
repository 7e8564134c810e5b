/* test_rmp.c - the replica-management wire format of docs/rmp.md, byte for
 * byte, and its refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "hydranet/rmp.h"
#include "status.h"

static void rmp__announce_layout_is_byte_exact(void **state)
{
	(void)state;
	struct rmp_msg m = { .type = RMP_ANNOUNCE, .seq = 0x01020304, .host_server = 0x808ede50,
			     .lifetime_s = 30, .nsaps = 2 };
	m.saps[0] = (struct rmp_sap){ 0xc014e114, 80, 6 };
	m.saps[1] = (struct rmp_sap){ 0xc014e114, 53, 17 };
	uint8_t buf[64];
	static const uint8_t want[] = {
		1, 16, 0, 32, 1, 2, 3, 4,              /* version, type, length 32, seq */
		0x80, 0x8e, 0xde, 0x50, 0, 30, 2, 0,   /* 128.142.222.80, 30 s, 2 entries */
		0xc0, 0x14, 0xe1, 0x14, 0, 80, 6, 0,   /* 192.20.225.20:80/tcp */
		0xc0, 0x14, 0xe1, 0x14, 0, 53, 17, 0,  /* 192.20.225.20:53/udp */
	};
	assert_int_equal(rmp_encode(&m, buf, sizeof buf), sizeof want);
	assert_memory_equal(buf, want, sizeof want);
	struct rmp_msg d;
	assert_int_equal(rmp_decode(buf, sizeof want, &d), sizeof want);
	assert_int_equal(d.type, RMP_ANNOUNCE);
	assert_int_equal(d.seq, 0x01020304);
	assert_int_equal(d.host_server, 0x808ede50);
	assert_int_equal(d.lifetime_s, 30);
	assert_int_equal(d.nsaps, 2);
	assert_int_equal(d.saps[1].port, 53);
	assert_int_equal(d.saps[1].proto, 17);
}

static void rmp__every_type_round_trips(void **state)
{
	(void)state;
	struct rmp_msg in[] = {
		{ .type = RMP_INSTALL, .seq = 1, .origin = 1, .service = 7, .proto = 6, .nports = 2,
		  .ports = { 80, 443 }, .image_bytes = 250000 },
		{ .type = RMP_INSTALL_ACK, .seq = 1, .origin = 1, .service = 7, .status = 0 },
		{ .type = RMP_REMOVE, .seq = 2, .origin = 1, .service = 7 },
		{ .type = RMP_REMOVE_ACK, .seq = 2, .origin = 1, .service = 7, .status = 3 },
		{ .type = RMP_LOAD, .seq = 9, .origin = 1, .service = 7, .requests = 1234,
		  .interval_ms = 1000, .bytes = 0x123456789aull },
		{ .type = RMP_WITHDRAW, .seq = 4, .host_server = 5, .lifetime_s = 0, .nsaps = 1,
		  .saps = { { 1, 80, 6 } } },
		{ .type = RMP_PUSH, .seq = 5, .origin = 1, .service = 7, .object = 246, .version = 3,
		  .expires_s = 600, .object_bytes = 1200 },
		{ .type = RMP_METER, .seq = 6, .origin = 1, .service = 7, .hits = 31, .misses = 19,
		  .interval_ms = 5000 },
	};
	const int want_len[] = { 8 + 12 + 4, 16, 16, 16, 32, 24, 32, 28 };
	for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
		uint8_t buf[RMP_MAX_LEN];
		struct rmp_msg d;
		int n = rmp_encode(&in[i], buf, sizeof buf);
		assert_int_equal(n, want_len[i]);
		assert_int_equal(rmp_decode(buf, (size_t)n, &d), n);
		assert_int_equal(d.type, in[i].type);
		assert_int_equal(d.seq, in[i].seq);
		assert_int_equal(d.origin, in[i].origin);
		assert_int_equal(d.status, in[i].type == RMP_REMOVE ? 0 : in[i].status);
		assert_int_equal(d.bytes, in[i].bytes);
		assert_int_equal(d.image_bytes, in[i].image_bytes);
		assert_memory_equal(d.ports, in[i].ports, sizeof d.ports);
		assert_int_equal(d.object, in[i].object);
		assert_int_equal(d.version, in[i].version);
		assert_int_equal(d.expires_s, in[i].expires_s);
		assert_int_equal(d.object_bytes, in[i].object_bytes);
		assert_int_equal(d.hits, in[i].hits);
		assert_int_equal(d.misses, in[i].misses);
		assert_int_equal(d.interval_ms, in[i].interval_ms);
		/* A stream holding part of it waits for more. */
		assert_int_equal(rmp_decode(buf, (size_t)n - 1, &d), 0);
	}
}

static void rmp__hostile_messages_are_refused(void **state)
{
	(void)state;
	struct rmp_msg m = { .type = RMP_ANNOUNCE, .host_server = 9, .lifetime_s = 10, .nsaps = 1,
			     .saps = { { 1, 80, 6 } } };
	uint8_t good[64], b[64];
	struct rmp_msg d;
	int n = rmp_encode(&m, good, sizeof good);
	assert_int_equal(n, 24);   /* header 0-7, body 8-15, one entry 16-23 */
	memcpy(b, good, 24);
	b[0] = 2;
	assert_int_equal(rmp_decode(b, 24, &d), HN_EVERSION);
	memcpy(b, good, 24);
	b[1] = 99;
	assert_int_equal(rmp_decode(b, 24, &d), HN_EPROTO);
	memcpy(b, good, 24);
	b[14] = 200;   /* n = 200 entries in a 24-byte message */
	assert_int_equal(rmp_decode(b, 24, &d), HN_EINVAL);
	memcpy(b, good, 24);
	b[14] = 2;     /* n = 2 but only one entry's bytes */
	assert_int_equal(rmp_decode(b, 24, &d), HN_ELEN);
	memcpy(b, good, 24);
	b[3] = 25;     /* a length with a trailing byte */
	b[24] = 0;
	assert_int_equal(rmp_decode(b, 25, &d), HN_ELEN);
	memcpy(b, good, 24);
	b[3] = 4;      /* a length shorter than the header */
	assert_int_equal(rmp_decode(b, 24, &d), HN_ELEN);
	memcpy(b, good, 24);
	b[2] = 0xff;   /* 65304 bytes: over the maximum */
	assert_int_equal(rmp_decode(b, 24, &d), HN_ELEN);
	memcpy(b, good, 24);
	b[12] = 0;     /* lifetime 0 in an ANNOUNCE */
	b[13] = 0;
	assert_int_equal(rmp_decode(b, 24, &d), HN_EINVAL);
	memcpy(b, good, 24);
	b[22] = 1;     /* protocol 1 (ICMP) in an entry */
	assert_int_equal(rmp_decode(b, 24, &d), HN_EINVAL);
	memcpy(b, good, 24);
	memset(b + 8, 0, 4);   /* host server 0.0.0.0 */
	assert_int_equal(rmp_decode(b, 24, &d), HN_EINVAL);
	memcpy(b, good, 24);
	assert_int_equal(rmp_decode(b, 7, &d), 0);   /* not even a header yet */
	/* The encoder refuses what the decoder would. */
	m.nsaps = 0;
	assert_int_equal(rmp_encode(&m, b, sizeof b), HN_EINVAL);
	m.nsaps = 1;
	m.lifetime_s = RMP_MAX_LIFETIME + 1;
	assert_int_equal(rmp_encode(&m, b, sizeof b), HN_EINVAL);
	m.lifetime_s = 10;
	assert_int_equal(rmp_encode(&m, b, 23), HN_ENOSPC);
	struct rmp_msg inst = { .type = RMP_INSTALL, .origin = 1, .proto = 6, .nports = 1, .ports = { 0 } };
	assert_int_equal(rmp_encode(&inst, b, sizeof b), HN_EINVAL);
}

static void rmp__push_and_meter_layouts_are_byte_exact(void **state)
{
	(void)state;
	struct rmp_msg p = { .type = RMP_PUSH, .seq = 7, .origin = 0xc014e114, .service = 1,
			     .object = 0x0102, .version = 2, .expires_s = 600, .object_bytes = 1200 };
	static const uint8_t want_push[] = {
		1, 6, 0, 32, 0, 0, 0, 7,
		0xc0, 0x14, 0xe1, 0x14, 0, 1, 0, 0,    /* origin, service, padding */
		0, 0, 1, 2, 0, 0, 0, 2,                /* object 258, version 2 */
		0, 0, 2, 0x58, 0, 0, 4, 0xb0,          /* 600 s, 1200 bytes follow */
	};
	uint8_t buf[64];
	assert_int_equal(rmp_encode(&p, buf, sizeof buf), sizeof want_push);
	assert_memory_equal(buf, want_push, sizeof want_push);
	struct rmp_msg m = { .type = RMP_METER, .seq = 8, .origin = 0xc014e114, .service = 1,
			     .hits = 1235, .misses = 765, .interval_ms = 5000 };
	static const uint8_t want_meter[] = {
		1, 7, 0, 28, 0, 0, 0, 8,
		0xc0, 0x14, 0xe1, 0x14, 0, 1, 0, 0,
		0, 0, 4, 0xd3, 0, 0, 2, 0xfd,          /* 1235 hits, 765 misses */
		0, 0, 0x13, 0x88,                      /* in 5000 ms */
	};
	assert_int_equal(rmp_encode(&m, buf, sizeof buf), sizeof want_meter);
	assert_memory_equal(buf, want_meter, sizeof want_meter);
	/* An object larger than the limit is refused both ways. */
	p.object_bytes = RMP_MAX_OBJECT + 1;
	assert_int_equal(rmp_encode(&p, buf, sizeof buf), HN_EINVAL);
	memcpy(buf, want_push, sizeof want_push);
	buf[28] = 0x7f;
	struct rmp_msg d;
	assert_int_equal(rmp_decode(buf, sizeof want_push, &d), HN_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rmp__announce_layout_is_byte_exact),
		cmocka_unit_test(rmp__every_type_round_trips),
		cmocka_unit_test(rmp__hostile_messages_are_refused),
		cmocka_unit_test(rmp__push_and_meter_layouts_are_byte_exact),
	};
	return cmocka_run_group_tests_name("rmp", tests, NULL, NULL);
}
