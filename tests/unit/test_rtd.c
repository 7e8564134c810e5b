/* test_rtd.c - a redirector's routing daemon applies announcements and
 * withdrawals, and drops malformed or unexpected messages by reason, leaving
 * the table as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "hydranet/redir.h"
#include "hydranet/rmp.h"
#include "hydranet/rtd.h"
#include "status.h"

#define ORIGIN 0xc014e114u   /* 192.20.225.20 */
#define HS 0x808ede50u       /* 128.142.222.80 */

static int no_output(void *ctx, const uint8_t *dg, size_t len)
{
	(void)ctx;
	(void)dg;
	(void)len;
	return HN_OK;
}
static uint32_t one(void *ctx, uint32_t dst)
{
	(void)ctx;
	(void)dst;
	return 1500;
}

struct fixture {
	struct redir *r;
	struct rtd *d;
};

static int setup(void **state)
{
	struct fixture *fx = test_calloc(1, sizeof *fx);
	struct redir_config cfg = { .frag = { 4, 4096, 1000000000ull } };
	struct redir_io io = { no_output, one, one, NULL };
	fx->r = redir_new(&cfg, &io);
	fx->d = rtd_redir_new(NULL, fx->r);   /* no node: fed by rtd_receive */
	assert_non_null(fx->r);
	assert_non_null(fx->d);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	rtd_free(fx->d);
	redir_free(fx->r);
	test_free(fx);
	return 0;
}

static int encode(uint8_t type, uint16_t lifetime, uint8_t *buf)
{
	struct rmp_msg m = { .type = type, .seq = 1, .host_server = HS, .lifetime_s = lifetime,
			     .nsaps = 1, .saps = { { ORIGIN, 80, 6 } } };
	int n = rmp_encode(&m, buf, RMP_MAX_LEN);
	assert_true(n > 0);
	return n;
}

static void rtd__announce_installs_and_expires_withdraw_removes(void **state)
{
	struct fixture *fx = *state;
	uint8_t b[RMP_MAX_LEN];
	int n = encode(RMP_ANNOUNCE, 30, b);
	assert_int_equal(rtd_receive(fx->d, b, (size_t)n, 0), HN_OK);
	assert_int_equal(redir_table_replicas(fx->r, ORIGIN, 80, 6, 1), 1);
	assert_int_equal(redir_table_replicas(fx->r, ORIGIN, 80, 6, 30000000000ull), 0);   /* expired */
	assert_int_equal(rtd_receive(fx->d, b, (size_t)n, 20000000000ull), HN_OK);   /* refresh */
	assert_int_equal(redir_table_replicas(fx->r, ORIGIN, 80, 6, 30000000000ull), 1);
	n = encode(RMP_WITHDRAW, 0, b);
	assert_int_equal(rtd_receive(fx->d, b, (size_t)n, 21000000000ull), HN_OK);
	assert_int_equal(redir_table_size(fx->r), 0);
	const struct rtd_stats *st = rtd_stats(fx->d);
	assert_int_equal(st->announces_received, 2);
	assert_int_equal(st->withdraws_received, 1);
	assert_int_equal(st->entries_applied, 3);
}

static void rtd__hostile_messages_are_dropped_by_reason(void **state)
{
	struct fixture *fx = *state;
	uint8_t good[RMP_MAX_LEN], b[RMP_MAX_LEN];
	int n = encode(RMP_ANNOUNCE, 30, good);
	memcpy(b, good, (size_t)n);
	b[0] = 9;
	assert_int_equal(rtd_receive(fx->d, b, (size_t)n, 0), HN_EVERSION);
	memcpy(b, good, (size_t)n);
	b[1] = 77;
	assert_int_equal(rtd_receive(fx->d, b, (size_t)n, 0), HN_EPROTO);
	assert_int_equal(rtd_receive(fx->d, good, (size_t)n - 3, 0), HN_ELEN);   /* cut short */
	memcpy(b, good, (size_t)n);
	b[n] = 0;   /* a trailing byte in the datagram */
	assert_int_equal(rtd_receive(fx->d, b, (size_t)n + 1, 0), HN_ELEN);
	memcpy(b, good, (size_t)n);
	b[8 + 8 + 6] = 1;   /* ICMP access point */
	assert_int_equal(rtd_receive(fx->d, b, (size_t)n, 0), HN_EINVAL);
	memcpy(b, good, (size_t)n);
	b[3] = 200;   /* length says more than the datagram holds */
	assert_int_equal(rtd_receive(fx->d, b, (size_t)n, 0), HN_ELEN);
	/* A valid message that is not the routing daemons' business. */
	struct rmp_msg rm = { .type = RMP_REMOVE, .seq = 3, .origin = ORIGIN, .service = 1 };
	int rn = rmp_encode(&rm, b, sizeof b);
	assert_int_equal(rtd_receive(fx->d, b, (size_t)rn, 0), HN_EPROTO);
	const struct rtd_stats *st = rtd_stats(fx->d);
	assert_int_equal(st->drops[RTD_DROP_VERSION], 1);
	assert_int_equal(st->drops[RTD_DROP_TYPE], 1);
	assert_int_equal(st->drops[RTD_DROP_TRUNCATED], 2);   /* short, and a length past the datagram */
	assert_int_equal(st->drops[RTD_DROP_LENGTH], 1);
	assert_int_equal(st->drops[RTD_DROP_FIELD], 1);
	assert_int_equal(st->drops[RTD_DROP_UNEXPECTED], 1);
	assert_int_equal(st->entries_applied, 0);
	assert_int_equal(redir_table_size(fx->r), 0);   /* nothing trusted */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(rtd__announce_installs_and_expires_withdraw_removes, setup, teardown),
		cmocka_unit_test_setup_teardown(rtd__hostile_messages_are_dropped_by_reason, setup, teardown),
	};
	return cmocka_run_group_tests_name("rtd", tests, NULL, NULL);
}
