/* test_hchk.c - the health-check protocol: its bytes as docs/healthcheck.md
 * lays them out, every refusal by reason, the fall/rise state machine, and
 * a redirector that takes a replica marked down out of service (no new
 * flow, its flows choose again) and back, with the event log's times. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>

#include "hydranet/hchk.h"
#include "hydranet/redir.h"
#include "net/ipv4.h"
#include "status.h"
#include "testutil.h"

#define ORIGIN IP4(192, 20, 225, 20)
#define HS1 IP4(128, 142, 222, 80)
#define HS2 IP4(128, 142, 223, 80)
#define CLIENT IP4(10, 0, 1, 2)

/* docs/healthcheck.md's example: PROBE, sequence 7, 192.20.225.20:80 TCP. */
static const uint8_t probe_bytes[HCHK_LEN] = { 0x01, 0x01, 0x00, 0x10, 0x00, 0x00, 0x00, 0x07,
					       0xc0, 0x14, 0xe1, 0x14, 0x00, 0x50, 0x06, 0x00 };

static void hchk__probe_layout_byte_by_byte(void **state)
{
	(void)state;
	struct hchk_msg m = { .type = HCHK_PROBE, .seq = 7, .origin = ORIGIN, .port = 80, .proto = 6 };
	uint8_t buf[HCHK_LEN + 4];
	assert_int_equal(hchk_encode(&m, buf, sizeof buf), HCHK_LEN);
	assert_memory_equal(buf, probe_bytes, HCHK_LEN);
	struct hchk_msg d;
	assert_int_equal(hchk_decode(buf, HCHK_LEN, &d), -1);
	assert_int_equal(d.type, HCHK_PROBE);
	assert_int_equal(d.seq, 7);
	assert_int_equal(d.origin, ORIGIN);
	assert_int_equal(d.port, 80);
	assert_int_equal(d.proto, 6);
	assert_int_equal(d.status, 0);
	/* Its REPLY "port not bound": type 2 at byte 1, status 2 at byte 15. */
	m.type = HCHK_REPLY;
	m.status = HCHK_NOT_BOUND;
	assert_int_equal(hchk_encode(&m, buf, sizeof buf), HCHK_LEN);
	assert_int_equal(buf[1], 2);
	assert_int_equal(buf[15], 2);
	assert_memory_equal(buf + 2, probe_bytes + 2, 13);
	/* What the encoder refuses. */
	assert_int_equal(hchk_encode(&m, buf, HCHK_LEN - 1), HN_EINVAL);
	m.proto = 1;
	assert_int_equal(hchk_encode(&m, buf, sizeof buf), HN_EINVAL);
}

static void hchk__decoder_refuses_by_reason(void **state)
{
	(void)state;
	struct hchk_msg m;
	uint8_t b[HCHK_LEN + 1];
	memcpy(b, probe_bytes, HCHK_LEN);
	b[HCHK_LEN] = 0;
	assert_int_equal(hchk_decode(b, 3, &m), HCHK_DROP_TRUNCATED);
	assert_int_equal(hchk_decode(b, 15, &m), HCHK_DROP_TRUNCATED);
	assert_int_equal(hchk_decode(b, 17, &m), HCHK_DROP_LENGTH);   /* trailing byte */
	b[0] = 2;
	assert_int_equal(hchk_decode(b, HCHK_LEN, &m), HCHK_DROP_VERSION);
	b[0] = 1;
	b[1] = 3;
	assert_int_equal(hchk_decode(b, HCHK_LEN, &m), HCHK_DROP_TYPE);
	b[1] = 1;
	b[3] = 17;
	assert_int_equal(hchk_decode(b, HCHK_LEN, &m), HCHK_DROP_LENGTH);
	b[3] = 16;
	b[14] = 1;
	assert_int_equal(hchk_decode(b, HCHK_LEN, &m), HCHK_DROP_FIELD);   /* ICMP */
	b[14] = 6;
	b[12] = b[13] = 0;
	assert_int_equal(hchk_decode(b, HCHK_LEN, &m), HCHK_DROP_FIELD);   /* port 0 */
	b[13] = 80;
	b[15] = 1;
	assert_int_equal(hchk_decode(b, HCHK_LEN, &m), HCHK_DROP_FIELD);   /* PROBE with a status */
	b[1] = 2;
	b[15] = 3;
	assert_int_equal(hchk_decode(b, HCHK_LEN, &m), HCHK_DROP_FIELD);   /* status 3 */
	b[15] = 1;
	assert_int_equal(hchk_decode(b, HCHK_LEN, &m), -1);
	assert_string_equal(hchk_drop_name(HCHK_DROP_UNEXPECTED), "hc_unexpected");
}

static void hchk__fall_failures_mark_down_rise_successes_mark_up(void **state)
{
	(void)state;
	struct hchk_config cfg = { .enabled = true, .interval_ns = 1000, .timeout_ns = 500, .fall = 3,
				   .rise = 2 };
	struct hchk_stats st = { 0 };
	struct hchk_target t = { .origin = ORIGIN, .hs = HS1, .port = 80, .proto = 6 };
	assert_int_equal(hchk_target_result(&t, false, &cfg, &st), 0);
	assert_int_equal(hchk_target_result(&t, false, &cfg, &st), 0);
	assert_int_equal(hchk_target_result(&t, true, &cfg, &st), 0);    /* the run is broken */
	assert_int_equal(hchk_target_result(&t, false, &cfg, &st), 0);
	assert_int_equal(hchk_target_result(&t, false, &cfg, &st), 0);
	assert_false(t.down);
	assert_int_equal(hchk_target_result(&t, false, &cfg, &st), -1);  /* third in a row */
	assert_true(t.down);
	assert_int_equal(hchk_target_result(&t, false, &cfg, &st), 0);   /* already down */
	assert_int_equal(hchk_target_result(&t, true, &cfg, &st), 0);
	assert_int_equal(hchk_target_result(&t, false, &cfg, &st), 0);   /* rise starts over */
	assert_int_equal(hchk_target_result(&t, true, &cfg, &st), 0);
	assert_int_equal(hchk_target_result(&t, true, &cfg, &st), 1);
	assert_false(t.down);
	assert_int_equal(st.marked_down, 1);
	assert_int_equal(st.marked_up, 1);
}

/* ---- a redirector acting on the marks ------------------------------------ */

struct fake {
	struct tu_sink out;
};

static int f_output(void *ctx, const uint8_t *dg, size_t len)
{
	struct fake *f = ctx;
	return tu_sink_put(&f->out, dg, len) == 0 ? HN_OK : HN_ENOSPC;
}
static uint32_t f_mtu(void *ctx, uint32_t dst)
{
	(void)ctx;
	(void)dst;
	return 1500;
}
static uint32_t f_src(void *ctx, uint32_t dst)
{
	(void)ctx;
	(void)dst;
	return IP4(10, 0, 3, 1);
}

/* A TCP segment of flow sport (SYN when syn) through r: the host server it
 * was tunnelled to, 0 when it passed to ordinary forwarding. */
static uint32_t segment(struct redir *r, struct fake *f, uint16_t sport, int syn, uint64_t now)
{
	uint8_t dg[100];
	f->out.count = 0;
	tu_datagram(dg, sizeof dg, IPV4_PROTO_TCP, CLIENT, ORIGIN, sport, 80, 1, 64, 0);
	dg[20 + 13] = syn ? 0x02 : 0x10;
	if (redir_input(r, dg, sizeof dg, now) == REDIR_PASS)
		return 0;
	struct ipv4_hdr oh;
	assert_int_equal(f->out.count, 1);
	assert_int_equal(ipv4_decode(f->out.dg[0], f->out.len[0], &oh), HN_OK);
	return oh.dst;
}

static void hchk__replica_marked_down_gets_no_new_flows(void **state)
{
	(void)state;
	struct fake f = { 0 };
	struct redir_config cfg = { .frag = { 16, 16384, 1000000000ull }, .policy = REDIR_ROUND_ROBIN,
				    .flow_table = true };
	struct redir_io io = { f_output, f_mtu, f_src, &f };
	struct redir *r = redir_new(&cfg, &io);
	assert_non_null(r);
	assert_int_equal(redir_table_add(r, ORIGIN, 80, IPV4_PROTO_TCP, HS1), HN_OK);
	assert_int_equal(redir_table_add(r, ORIGIN, 80, IPV4_PROTO_TCP, HS2), HN_OK);
	/* Round robin: flows 1 and 2 on different host servers. */
	uint32_t a = segment(r, &f, 1, 1, 10), b = segment(r, &f, 2, 1, 10);
	assert_int_not_equal(a, b);
	uint16_t on1 = a == HS1 ? 1 : 2;
	assert_int_equal(redir_replica_set_health(r, ORIGIN, 80, IPV4_PROTO_TCP, HS1, true, 500), HN_OK);
	assert_int_equal(redir_replica_set_health(r, ORIGIN, 80, IPV4_PROTO_TCP, HS1, true, 600), HN_OK);
	assert_int_equal(redir_replica_set_health(r, ORIGIN, 81, IPV4_PROTO_TCP, HS1, true, 600), HN_ENOENT);
	assert_int_equal(redir_table_replicas(r, ORIGIN, 80, IPV4_PROTO_TCP, 700), 1);
	/* Every new flow goes to HS2 while HS1 is down. */
	for (uint16_t p = 10; p < 30; p++)
		assert_int_equal(segment(r, &f, p, 1, 1000), HS2);
	/* The flow that was on HS1 chooses again (its connection is lost there). */
	assert_int_equal(segment(r, &f, on1, 0, 1000), HS2);
	assert_int_equal(redir_stats(r)->flows_rerouted, 1);
	/* Up again: new flows take turns once more. */
	assert_int_equal(redir_replica_set_health(r, ORIGIN, 80, IPV4_PROTO_TCP, HS1, false, 2000), HN_OK);
	int got1 = 0;
	for (uint16_t p = 40; p < 44; p++)
		got1 += segment(r, &f, p, 1, 3000) == HS1;
	assert_int_equal(got1, 2);
	/* The event log: one down at 500 (the repeat at 600 changed nothing), one up at 2000. */
	const struct redir_replica_event *ev;
	assert_int_equal(redir_replica_events(r, &ev), 2);
	assert_int_equal(ev[0].hs, HS1);
	assert_int_equal(ev[0].down, 1);
	assert_int_equal(ev[0].t_ns, 500);
	assert_int_equal(ev[0].why, REDIR_WHY_HEALTH_DOWN);
	assert_int_equal(ev[1].down, 0);
	assert_int_equal(ev[1].t_ns, 2000);
	assert_int_equal(redir_stats(r)->replicas_down, 1);
	assert_int_equal(redir_stats(r)->replicas_up, 1);
	/* Both down: new flows fall back to the origin (ordinary forwarding). */
	assert_int_equal(redir_replica_set_health(r, ORIGIN, 80, IPV4_PROTO_TCP, HS1, true, 3500), HN_OK);
	assert_int_equal(redir_replica_set_health(r, ORIGIN, 80, IPV4_PROTO_TCP, HS2, true, 4000), HN_OK);
	assert_int_equal(segment(r, &f, 60, 1, 4500), 0);
	assert_int_equal(redir_table_replicas(r, ORIGIN, 80, IPV4_PROTO_TCP, 4500), 0);
	/* A crash: flows and health marks are lost, configured replicas stay. */
	redir_crash(r, 5000);
	assert_int_equal(redir_stats(r)->restarts, 1);
	assert_int_equal(redir_stats(r)->flows_lost, 27);   /* ports 1, 2, 10-29, 40-43, 60 */
	assert_int_equal(redir_table_replicas(r, ORIGIN, 80, IPV4_PROTO_TCP, 5000), 2);
	redir_free(r);
}

static void hchk__expiry_is_logged_at_the_lifetime_end(void **state)
{
	(void)state;
	struct fake f = { 0 };
	struct redir_config cfg = { .frag = { 16, 16384, 1000000000ull }, .flow_table = true };
	struct redir_io io = { f_output, f_mtu, f_src, &f };
	struct redir *r = redir_new(&cfg, &io);
	assert_non_null(r);
	assert_int_equal(redir_table_announce(r, ORIGIN, 80, IPV4_PROTO_TCP, HS1, 3000, 1000), HN_OK);
	assert_int_equal(segment(r, &f, 1, 1, 3999), HS1);
	assert_int_equal(segment(r, &f, 2, 1, 4000), 0);   /* expired at 4000: to the origin */
	/* Announced again at 9000: the expiry is logged with its own time (4000). */
	assert_int_equal(redir_table_announce(r, ORIGIN, 80, IPV4_PROTO_TCP, HS1, 3000, 9000), HN_OK);
	const struct redir_replica_event *ev;
	assert_int_equal(redir_replica_events(r, &ev), 3);
	assert_int_equal(ev[0].t_ns, 1000);   /* the first announcement */
	assert_int_equal(ev[0].down, 0);
	assert_int_equal(ev[1].t_ns, 4000);
	assert_int_equal(ev[1].down, 1);
	assert_int_equal(ev[1].why, REDIR_WHY_EXPIRED);
	assert_int_equal(ev[2].t_ns, 9000);
	assert_int_equal(ev[2].down, 0);
	assert_int_equal(ev[2].why, REDIR_WHY_ANNOUNCED);
	/* Withdrawn, then announced again: down at the withdrawal, up again. */
	assert_int_equal(redir_table_withdraw(r, ORIGIN, 80, IPV4_PROTO_TCP, HS1), HN_OK);
	assert_int_equal(redir_table_announce(r, ORIGIN, 80, IPV4_PROTO_TCP, HS1, 3000, 9500), HN_OK);
	assert_int_equal(redir_replica_events(r, &ev), 5);
	assert_int_equal(ev[3].why, REDIR_WHY_WITHDRAWN);
	assert_int_equal(ev[3].t_ns, 9000);   /* without a node: the latest announcement's time */
	assert_int_equal(ev[4].why, REDIR_WHY_ANNOUNCED);
	assert_int_equal(ev[4].t_ns, 9500);
	redir_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hchk__probe_layout_byte_by_byte),
		cmocka_unit_test(hchk__decoder_refuses_by_reason),
		cmocka_unit_test(hchk__fall_failures_mark_down_rise_successes_mark_up),
		cmocka_unit_test(hchk__replica_marked_down_gets_no_new_flows),
		cmocka_unit_test(hchk__expiry_is_logged_at_the_lifetime_end),
	};
	return cmocka_run_group_tests_name("hchk", tests, NULL, NULL);
}
