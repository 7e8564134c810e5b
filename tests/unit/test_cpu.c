/* test_cpu.c - the testbed cost model: FIFO charging, jitter bounds, and
 * profiles that add up to the lmbench paths they are derived from. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <gsl/gsl_rng.h>
#include <math.h>

#include "testbed/cpu.h"

static struct cpu *make(const char *name, double jitter, void *rng)
{
	struct cpu_config cc = { .jitter = jitter, .rng = rng };
	assert_int_equal(cpu_profile_make(name, 0.1, &cc.profile), 0);
	struct cpu *c = cpu_new(&cc);
	assert_non_null(c);
	return c;
}

static void cpu__charges_queue_fifo(void **state)
{
	(void)state;
	struct cpu *c = make("pentium-120", 0, NULL);
	assert_int_equal(cpu_charge(c, 1000, 500), 500);     /* idle: done after its cost */
	assert_int_equal(cpu_charge(c, 1200, 300), 600);     /* waits for the first: 1500 + 300 - 1200 */
	assert_int_equal(cpu_charge(c, 5000, 100), 100);     /* idle again */
	assert_int_equal(cpu_stats(c)->busy_ns, 900);
	assert_int_equal(cpu_stats(c)->max_backlog_ns, 300);
	cpu_free(c);
}

static void cpu__syscall_costs_call_plus_copy(void **state)
{
	(void)state;
	struct cpu *c = make("i486sx-33", 0, NULL);
	/* 15 us null syscall + 1000 bytes at 60.6 ns (lmbench, see profile.c) */
	assert_int_equal(cpu_charge_syscall(c, 0, 1000), 15000 + 60600);
	assert_int_equal(cpu_stats(c)->charges[CPU_OP_SYSCALL], 1);
	assert_int_equal(cpu_stats(c)->copied_bytes, 1000);
	cpu_free(c);
}

static void cpu__profiles_add_up_to_their_measured_paths(void **state)
{
	(void)state;
	struct cpu_profile p;
	const struct { const char *name; double udp_us, tcp_us; } m[] = {
		{ "pentium-120", 75.5, 100.0 },                  /* lmbench FreeBSD i586 */
		{ "i486sx-33", 391.9, 391.9 * 100.0 / 75.5 },    /* lmbench Linux i486 x 2.5 */
	};
	for (int i = 0; i < 2; i++) {
		for (double share = 0.05; share < 0.45; share += 0.1) {
			assert_int_equal(cpu_profile_make(m[i].name, share, &p), 0);
			double udp = (double)(p.op_ns[CPU_OP_INTR] + p.op_ns[CPU_OP_IP_IN] +
					      p.op_ns[CPU_OP_UDP_IN] + p.op_ns[CPU_OP_XMIT] +
					      p.op_ns[CPU_OP_IP_OUT] + p.op_ns[CPU_OP_UDP_OUT]) / 1000;
			double tcp = (double)(p.op_ns[CPU_OP_INTR] + p.op_ns[CPU_OP_IP_IN] +
					      p.op_ns[CPU_OP_TCP_IN] + p.op_ns[CPU_OP_XMIT] +
					      p.op_ns[CPU_OP_IP_OUT] + p.op_ns[CPU_OP_TCP_OUT]) / 1000;
			assert_true(fabs(udp - m[i].udp_us) < 0.01);
			assert_true(fabs(tcp - m[i].tcp_us) < 0.01);
			assert_true(fabs((double)p.op_ns[CPU_OP_IP_IN] / 1000 - m[i].udp_us * share / 2) < 0.01);
		}
	}
	assert_int_equal(cpu_profile_make("i386", 0.1, &p), -1);
	assert_int_equal(cpu_profile_make("pentium-120", 0.5, &p), -1);
}

static void cpu__jitter_stays_within_its_bounds(void **state)
{
	(void)state;
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(rng, 7);
	struct cpu *c = make("pentium-120", 0.05, rng);
	uint64_t now = 0, lo = UINT64_MAX, hi = 0, sum = 0;
	for (int i = 0; i < 10000; i++) {
		now += 1000000;   /* idle between charges: the delay is the cost */
		uint64_t d = cpu_charge(c, now, 10000);
		lo = d < lo ? d : lo;
		hi = d > hi ? d : hi;
		sum += d;
	}
	assert_true(lo >= 9500 && hi <= 10500);
	assert_true(lo < 9600 && hi > 10400);              /* it does vary */
	assert_true(fabs((double)sum / 10000 - 10000) < 20); /* and is centred */
	cpu_free(c);
	gsl_rng_free(rng);
	struct cpu_config bad = { .jitter = 1.0 };
	assert_null(cpu_new(&bad));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cpu__charges_queue_fifo),
		cmocka_unit_test(cpu__syscall_costs_call_plus_copy),
		cmocka_unit_test(cpu__profiles_add_up_to_their_measured_paths),
		cmocka_unit_test(cpu__jitter_stays_within_its_bounds),
	};
	return cmocka_run_group_tests_name("cpu", tests, NULL, NULL);
}
