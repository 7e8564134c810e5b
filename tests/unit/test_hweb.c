/* test_hweb.c - the HydraWeb replica's object cache (hweb_cache) and the
 * object paths it is keyed by (http_parse_path), without a simulator. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "apps/app.h"
#include "apps/http.h"
#include "apps/hweb.h"
#include "status.h"

/* Content of a test object: its id in the first four bytes, then the Web
 * object's own bytes, so that no two ids (not even ids 256 apart, whose
 * app_object_byte streams coincide) have the same content. */
static void fill(uint8_t *buf, size_t len, uint32_t id)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = i < 4 ? (uint8_t)(id >> (8 * i)) : app_object_byte(id, i);
}

/* Whether p holds exactly what fill(., len, id) writes. */
static int holds(const uint8_t *p, size_t len, uint32_t id)
{
	uint8_t want[2048];
	assert_true(len <= sizeof want);
	fill(want, len, id);
	return p && memcmp(p, want, len) == 0;
}

static void hweb__put_then_get_returns_a_copy_of_the_object(void **state)
{
	(void)state;
	struct hweb_cache *c = hweb_cache_new();
	assert_non_null(c);
	int stale = 7;
	assert_null(hweb_cache_get(c, 17, 1200, 0, &stale));   /* empty */
	assert_int_equal(stale, 0);
	assert_int_equal(hweb_cache_objects(c), 0);
	assert_int_equal(hweb_cache_bytes(c), 0);

	uint8_t obj[1200];
	fill(obj, sizeof obj, 17);
	assert_int_equal(hweb_cache_put(c, 17, 3, obj, sizeof obj, 0), HN_OK);
	assert_int_equal(hweb_cache_objects(c), 1);
	assert_int_equal(hweb_cache_bytes(c), 1200);
	/* The caller's buffer is the caller's: the cache keeps its own copy. */
	memset(obj, 0xEE, sizeof obj);
	stale = 7;
	const uint8_t *got = hweb_cache_get(c, 17, 1200, 5, &stale);
	assert_non_null(got);
	assert_ptr_not_equal(got, obj);
	assert_true(holds(got, 1200, 17));
	assert_int_equal(stale, 0);
	/* Other ids are absent, including neighbours and ids that share its
	 * slot (the same id modulo the table size). */
	uint32_t others[] = { 0, 16, 18, 17 + 64, 17 + 65536, UINT32_MAX };
	for (size_t k = 0; k < sizeof others / sizeof others[0]; k++) {
		stale = 7;
		assert_null(hweb_cache_get(c, others[k], 1200, 5, &stale));
		assert_int_equal(stale, 0);
	}
	hweb_cache_free(c);
	hweb_cache_free(NULL);
}

/* A second put of the same id replaces the first: one object, and the byte
 * count is the new copy's, not the sum. */
static void hweb__replacing_an_object_keeps_the_bytes_right(void **state)
{
	(void)state;
	struct hweb_cache *c = hweb_cache_new();
	assert_non_null(c);
	uint8_t a[1200], b[500];
	fill(a, sizeof a, 4);
	fill(b, sizeof b, 4);
	b[100] ^= 0x5A;   /* a new version: different content, different size */
	assert_int_equal(hweb_cache_put(c, 4, 1, a, sizeof a, 0), HN_OK);
	assert_int_equal(hweb_cache_put(c, 4, 2, b, sizeof b, 0), HN_OK);
	assert_int_equal(hweb_cache_objects(c), 1);
	assert_int_equal(hweb_cache_bytes(c), 500);
	int stale = 7;
	assert_null(hweb_cache_get(c, 4, 1200, 0, &stale));   /* the old size is gone */
	assert_int_equal(stale, 0);
	const uint8_t *got = hweb_cache_get(c, 4, 500, 0, &stale);
	assert_non_null(got);
	assert_memory_equal(got, b, sizeof b);
	/* Another object adds its bytes; replacing it by a larger copy grows
	 * the count by the difference only. */
	assert_int_equal(hweb_cache_put(c, 9, 1, a, 300, 0), HN_OK);
	assert_int_equal(hweb_cache_objects(c), 2);
	assert_int_equal(hweb_cache_bytes(c), 800);
	assert_int_equal(hweb_cache_put(c, 9, 2, a, 1200, 0), HN_OK);
	assert_int_equal(hweb_cache_objects(c), 2);
	assert_int_equal(hweb_cache_bytes(c), 1700);
	assert_memory_equal(hweb_cache_get(c, 9, 1200, 0, &stale), a, sizeof a);
	assert_memory_equal(hweb_cache_get(c, 4, 500, 0, &stale), b, sizeof b);
	hweb_cache_free(c);
}

/* Fresh strictly before expires_ns; at it and after, absent and stale.
 * expires_ns 0 is never. */
static void hweb__an_object_expires_at_its_time(void **state)
{
	(void)state;
	struct hweb_cache *c = hweb_cache_new();
	assert_non_null(c);
	uint8_t obj[1200];
	fill(obj, sizeof obj, 3);
	const uint64_t exp = 20000000000ull;   /* 20 s */
	assert_int_equal(hweb_cache_put(c, 3, 1, obj, sizeof obj, exp), HN_OK);
	int stale = 7;
	const uint8_t *got = hweb_cache_get(c, 3, 1200, 0, &stale);
	assert_true(holds(got, 1200, 3));
	assert_int_equal(stale, 0);
	stale = 7;
	assert_true(holds(hweb_cache_get(c, 3, 1200, exp - 1, &stale), 1200, 3));
	assert_int_equal(stale, 0);
	stale = 0;
	assert_null(hweb_cache_get(c, 3, 1200, exp, &stale));
	assert_int_equal(stale, 1);
	stale = 0;
	assert_null(hweb_cache_get(c, 3, 1200, exp + 1, &stale));
	assert_int_equal(stale, 1);
	stale = 0;
	assert_null(hweb_cache_get(c, 3, 1200, UINT64_MAX, &stale));
	assert_int_equal(stale, 1);
	/* An expired object is still held (it counts) until replaced. */
	assert_int_equal(hweb_cache_objects(c), 1);
	assert_int_equal(hweb_cache_bytes(c), 1200);
	/* Absent is not stale, even while another object is expired. */
	stale = 7;
	assert_null(hweb_cache_get(c, 4, 1200, exp + 1, &stale));
	assert_int_equal(stale, 0);
	/* A refresh (a new push) makes it fresh again until its new time. */
	assert_int_equal(hweb_cache_put(c, 3, 2, obj, sizeof obj, 2 * exp), HN_OK);
	stale = 7;
	assert_true(holds(hweb_cache_get(c, 3, 1200, exp + 1, &stale), 1200, 3));
	assert_int_equal(stale, 0);
	stale = 0;
	assert_null(hweb_cache_get(c, 3, 1200, 2 * exp, &stale));
	assert_int_equal(stale, 1);
	/* expires_ns 0: fresh for ever. */
	assert_int_equal(hweb_cache_put(c, 3, 3, obj, sizeof obj, 0), HN_OK);
	stale = 7;
	assert_true(holds(hweb_cache_get(c, 3, 1200, UINT64_MAX, &stale), 1200, 3));
	assert_int_equal(stale, 0);
	assert_int_equal(hweb_cache_objects(c), 1);
	assert_int_equal(hweb_cache_bytes(c), 1200);
	hweb_cache_free(c);
}

/* The object must be exactly the size asked for: a miss, not stale. */
static void hweb__another_size_is_a_miss(void **state)
{
	(void)state;
	struct hweb_cache *c = hweb_cache_new();
	assert_non_null(c);
	uint8_t obj[1200];
	fill(obj, sizeof obj, 5);
	assert_int_equal(hweb_cache_put(c, 5, 1, obj, sizeof obj, 0), HN_OK);
	size_t sizes[] = { 0, 1, 1199, 1201, 2400, 10000 };
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		int stale = 7;
		assert_null(hweb_cache_get(c, 5, sizes[k], 0, &stale));
		assert_int_equal(stale, 0);
	}
	int stale = 7;
	assert_true(holds(hweb_cache_get(c, 5, 1200, 0, &stale), 1200, 5));
	/* A zero-byte object is an object too, distinct from absence. */
	assert_int_equal(hweb_cache_put(c, 6, 1, obj, 0, 0), HN_OK);
	assert_non_null(hweb_cache_get(c, 6, 0, 0, &stale));
	assert_null(hweb_cache_get(c, 6, 1, 0, &stale));
	assert_int_equal(hweb_cache_objects(c), 2);
	assert_int_equal(hweb_cache_bytes(c), 1200);
	hweb_cache_free(c);
}

/* The table grows well past its first size (64 slots): 10000 objects,
 * spread ids and ids that all share one home slot (multiples of 65536),
 * each with its own content and size, every one retrievable afterwards,
 * and replacing some of them after the growth still replaces. */
static void hweb__many_objects_stay_retrievable(void **state)
{
	(void)state;
	enum { N = 10000, CLASH = 1000 };
	struct hweb_cache *c = hweb_cache_new();
	assert_non_null(c);
	uint32_t *id = malloc(N * sizeof *id);
	assert_non_null(id);
	for (uint32_t k = 0; k < N; k++)
		id[k] = k < CLASH ? k << 16 : k * 2654435u + 12345u;   /* distinct */
	uint8_t buf[2048];
	uint64_t bytes = 0;
	for (uint32_t k = 0; k < N; k++) {
		size_t len = 4 + (k * 37u) % 1500;
		fill(buf, len, id[k]);
		assert_int_equal(hweb_cache_put(c, id[k], k, buf, len, 0), HN_OK);
		bytes += len;
		assert_int_equal(hweb_cache_objects(c), k + 1);
	}
	assert_int_equal(hweb_cache_bytes(c), bytes);
	for (uint32_t k = 0; k < N; k++) {
		size_t len = 4 + (k * 37u) % 1500;
		int stale = 7;
		const uint8_t *got = hweb_cache_get(c, id[k], len, 1, &stale);
		assert_true(holds(got, len, id[k]));
		assert_int_equal(stale, 0);
	}
	/* Every tenth object replaced by a 100-byte copy. */
	for (uint32_t k = 0; k < N; k += 10) {
		size_t len = 4 + (k * 37u) % 1500;
		fill(buf, 100, id[k]);
		assert_int_equal(hweb_cache_put(c, id[k], k + 1, buf, 100, 0), HN_OK);
		bytes = bytes - len + 100;
	}
	assert_int_equal(hweb_cache_objects(c), N);
	assert_int_equal(hweb_cache_bytes(c), bytes);
	for (uint32_t k = 0; k < N; k++) {
		size_t len = k % 10 ? 4 + (k * 37u) % 1500 : 100;
		int stale;
		assert_true(holds(hweb_cache_get(c, id[k], len, 1, &stale), len, id[k]));
	}
	/* Ids never put are still absent. */
	int stale;
	assert_null(hweb_cache_get(c, (uint32_t)CLASH << 16, 4, 1, &stale));
	assert_null(hweb_cache_get(c, 1, 4, 1, &stale));
	free(id);
	hweb_cache_free(c);
}

static void http__object_paths_parse(void **state)
{
	(void)state;
	uint64_t bytes = 99;
	uint32_t id = 99;
	assert_int_equal(http_parse_path("/obj/1200/17", &bytes, &id), 1);
	assert_int_equal(bytes, 1200);
	assert_int_equal(id, 17);
	bytes = id = 99;
	assert_int_equal(http_parse_path("/obj/1200", &bytes, &id), 1);   /* object 0 */
	assert_int_equal(bytes, 1200);
	assert_int_equal(id, 0);
	assert_int_equal(http_parse_path("/obj/0/4294967295", &bytes, &id), 1);   /* the largest id */
	assert_int_equal(bytes, 0);
	assert_int_equal(id, UINT32_MAX);
	assert_int_equal(http_parse_path("/obj/100000000/3", &bytes, &id), 1);   /* HTTP_MAX_OBJECT */
	assert_int_equal(bytes, HTTP_MAX_OBJECT);
	assert_int_equal(id, 3);
}

static void http__bad_object_paths_are_refused(void **state)
{
	(void)state;
	const char *bad[] = {
		"/obj/x",             /* not a number */
		"/obj/1200/17junk",   /* text after the id */
		"/obj/1200junk",      /* text after the size */
		"/obj/1200/",         /* no id after the slash */
		"/obj/1200/x",
		"/obj/200000000000",  /* larger than HTTP_MAX_OBJECT */
		"/obj/100000001/1",   /* one byte more than HTTP_MAX_OBJECT */
		"/obj/1200/4294967296",   /* id past 32 bits */
		"/obj/",
		"/obj",
		"/other",
		"/",
		"",
	};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		uint64_t bytes = 99;
		uint32_t id = 99;
		if (http_parse_path(bad[k], &bytes, &id) != 0)
			fail_msg("'%s' parsed as %llu bytes, id %u", bad[k], (unsigned long long)bytes,
				 (unsigned)id);
		/* A refused path leaves the outputs alone. */
		assert_int_equal(bytes, 99);
		assert_int_equal(id, 99);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hweb__put_then_get_returns_a_copy_of_the_object),
		cmocka_unit_test(hweb__replacing_an_object_keeps_the_bytes_right),
		cmocka_unit_test(hweb__an_object_expires_at_its_time),
		cmocka_unit_test(hweb__another_size_is_a_miss),
		cmocka_unit_test(hweb__many_objects_stay_retrievable),
		cmocka_unit_test(http__object_paths_parse),
		cmocka_unit_test(http__bad_object_paths_are_refused),
	};
	return cmocka_run_group_tests_name("hweb", tests, NULL, NULL);
}
