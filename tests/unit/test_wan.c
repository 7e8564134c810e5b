/* test_wan.c - the wide-area delay variation model (wan.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testbed/wan.h"

#define MS 1000000ull

/* Constant within a period, and the same sequence however often it is asked. */
static void wan__levels_depend_on_the_seed_not_the_traffic(void **state)
{
	(void)state;
	struct wan_delay *a = wan_delay_new(40 * MS, 1000 * MS, 7);
	struct wan_delay *b = wan_delay_new(40 * MS, 1000 * MS, 7);
	assert_non_null(a);
	assert_non_null(b);
	uint64_t seen[50];
	for (int k = 0; k < 50; k++) {   /* a: once per period, at its start */
		seen[k] = wan_delay_at(a, 0, (uint64_t)k * 1000 * MS, 84);
		assert_int_equal(wan_delay_at(a, 0, (uint64_t)k * 1000 * MS + 999 * MS, 84), seen[k]);
	}
	/* b: only every seventh period, and direction 1 in between: direction 0
	 * still gives what a gave for those periods. */
	for (int k = 0; k < 50; k += 7) {
		wan_delay_at(b, 1, (uint64_t)k * 1000 * MS + 5, 1500);
		assert_int_equal(wan_delay_at(b, 0, (uint64_t)k * 1000 * MS + 500 * MS, 1500), seen[k]);
	}
	assert_int_equal(wan_delay_periods(a, 0), 50);
	assert_int_equal(wan_delay_periods(b, 0), 50);   /* periods 0..49 begun */
	wan_delay_free(a);
	wan_delay_free(b);
}

/* The levels are exponential with the given mean: over 20000 periods the
 * sample mean is within 3% (the standard error is 0.7%) and the standard
 * deviation equals the mean within 5%, as an exponential's does. */
static void wan__levels_are_exponential_with_the_mean(void **state)
{
	(void)state;
	struct wan_delay *d = wan_delay_new(65 * MS, 100 * MS, 3);
	double sum = 0, sum2 = 0;
	const int n = 20000;
	for (int k = 0; k < n; k++) {
		double v = (double)wan_delay_at(d, 1, (uint64_t)k * 100 * MS, 64);
		sum += v;
		sum2 += v * v;
	}
	double mean = sum / n, sd = __builtin_sqrt(sum2 / n - mean * mean);
	assert_true(mean > 0.97 * 65 * MS && mean < 1.03 * 65 * MS);
	assert_true(sd > 0.95 * mean && sd < 1.05 * mean);
	wan_delay_free(d);
	assert_null(wan_delay_new(0, 100 * MS, 1));
	assert_null(wan_delay_new(5 * MS, 0, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wan__levels_depend_on_the_seed_not_the_traffic),
		cmocka_unit_test(wan__levels_are_exponential_with_the_mean),
	};
	return cmocka_run_group_tests_name("wan", tests, NULL, NULL);
}
