/* test_reass.c - unit tests of reass.c: RFC 791 3.2 reassembly in any
 * order, duplicates, overlaps (existing data wins), malformed fragments,
 * limits and RFC 1122 3.3.2 timeout.  Every test checks the counters and
 * that held_bytes / held_datagrams return to zero. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "net/bytes.h"
#include "net/frag.h"
#include "net/ipv4.h"
#include "net/reass.h"
#include "status.h"

#define SRC 0x0a000001u
#define DST 0x0a000002u
#define SEC 1000000000ull

static const struct ipv4_reass_limits LIM = {
	.max_datagrams = 8, .max_bytes = 1u << 20, .timeout_ns = 30 * SEC,
};

static uint8_t out[65536];

/* Build a fragment with a 20-byte header (plus optlen option bytes) at
 * byte offset off (multiple of 8) carrying data[0..n). */
static size_t mkfrag_opt(uint8_t *buf, uint16_t id, uint8_t proto, uint32_t src,
			 size_t off, bool mf, const uint8_t *data, size_t n,
			 const uint8_t *opt, size_t optlen)
{
	struct ipv4_hdr h = {
		.tos = 0x20, .total_len = (uint16_t)(20 + optlen + n), .id = id,
		.mf = mf, .frag_off = (uint16_t)(off / 8), .ttl = 9, .proto = proto,
		.src = src, .dst = DST,
	};
	assert_int_equal(off % 8, 0);
	assert_int_equal(ipv4_encode(&h, buf, 20), 20);
	if (optlen) {
		memcpy(buf + 20, opt, optlen);
		buf[0] = (uint8_t)(0x40 | ((20 + optlen) / 4));
		ipv4_update_checksum(buf);
	}
	if (n)
		memcpy(buf + 20 + optlen, data, n);
	return 20 + optlen + n;
}

static size_t mkfrag(uint8_t *buf, uint16_t id, size_t off, bool mf,
		     const uint8_t *data, size_t n)
{
	return mkfrag_opt(buf, id, IPV4_PROTO_UDP, SRC, off, mf, data, n, NULL, 0);
}

static void pattern(uint8_t *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 13 + seed + (i >> 8));
}

static void assert_idle(const struct ipv4_reass *r)
{
	const struct ipv4_reass_stats *st = ipv4_reass_stats(r);
	assert_int_equal(st->held_datagrams, 0);
	assert_int_equal(st->held_bytes, 0);
}

static uint64_t total_drops(const struct ipv4_reass *r)
{
	uint64_t n = 0;
	for (int i = 0; i < IPV4_REASS_NDROP; i++)
		n += ipv4_reass_stats(r)->drops[i];
	return n;
}

/* Offer; returns the status. */
static int offer(struct ipv4_reass *r, const uint8_t *f, size_t n, uint64_t t,
		 size_t *olen)
{
	*olen = 0;
	return ipv4_reass_input(r, f, n, t, out, sizeof out, olen);
}

/* ---- fragments produced by frag.c ------------------------------------ */
struct fragset {
	size_t n;
	uint8_t *buf[9000];
	size_t len[9000];
};

static int keep(void *ctx, const uint8_t *f, size_t len)
{
	struct fragset *s = ctx;
	s->buf[s->n] = malloc(len);
	assert_non_null(s->buf[s->n]);
	memcpy(s->buf[s->n], f, len);
	s->len[s->n++] = len;
	return HN_OK;
}

static void fragset_clear(struct fragset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->buf[i]);
	s->n = 0;
}

/* A whole UDP datagram of total length total (>= 20). */
static size_t mkdg(uint8_t *buf, size_t total, uint16_t id, unsigned seed)
{
	struct ipv4_hdr h = {
		.tos = 0, .total_len = (uint16_t)total, .id = id, .ttl = 64,
		.proto = IPV4_PROTO_UDP, .src = SRC, .dst = DST,
	};
	assert_int_equal(ipv4_encode(&h, buf, 20), 20);
	pattern(buf + 20, total - 20, seed);
	return total;
}

static void cut(struct fragset *s, const uint8_t *dg, size_t len, size_t mtu)
{
	static uint8_t scratch[65536];
	struct ipv4_frag_stats fst = { 0 };
	s->n = 0;
	assert_true(ipv4_fragment(dg, len, mtu, scratch, sizeof scratch, keep, s, &fst) > 0);
}

static uint64_t rng_state;
static uint32_t rng(void)  /* deterministic LCG (Knuth MMIX constants) */
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rng_state >> 33);
}

static void order(size_t *idx, size_t n, int how)
{
	for (size_t i = 0; i < n; i++)
		idx[i] = how == 1 ? n - 1 - i : i;
	if (how == 2)
		for (size_t i = n; i > 1; i--) {
			size_t j = rng() % i, t = idx[i - 1];
			idx[i - 1] = idx[j];
			idx[j] = t;
		}
}

/* Feed a fragment set in the given order: all but the last return 0, the
 * last 1, and the output equals dg. */
static void feed_expect(struct ipv4_reass *r, struct fragset *s, int how,
			const uint8_t *dg, size_t len)
{
	static size_t idx[9000];
	size_t olen;
	order(idx, s->n, how);
	for (size_t i = 0; i < s->n; i++) {
		int rc = offer(r, s->buf[idx[i]], s->len[idx[i]], 0, &olen);
		if (i + 1 < s->n) {
			assert_int_equal(rc, 0);
		} else {
			assert_int_equal(rc, 1);
			assert_int_equal(olen, len);
			assert_memory_equal(out, dg, len);
		}
	}
}

/* ---- tests ------------------------------------------------------------ */

static void reass__not_fragment_passthrough(void **state)
{
	(void)state;
	struct ipv4_reass *r = ipv4_reass_new(&LIM);
	static uint8_t dg[200];
	size_t olen, n = mkdg(dg, 100, 1, 1);
	assert_int_equal(offer(r, dg, n + 7, 0, &olen), 1);  /* padding stripped */
	assert_int_equal(olen, 100);
	assert_memory_equal(out, dg, 100);
	assert_int_equal(ipv4_reass_input(r, dg, n, 0, out, 99, &olen), HN_ENOSPC);
	const struct ipv4_reass_stats *st = ipv4_reass_stats(r);
	assert_int_equal(st->fragments, 0);
	assert_int_equal(st->reassembled, 0);
	assert_int_equal(st->drops[IPV4_REASS_DROP_NOSPC], 1);
	assert_idle(r);
	ipv4_reass_free(r);
	ipv4_reass_free(NULL);
}

static void reass__in_order(void **state)
{
	(void)state;
	struct ipv4_reass *r = ipv4_reass_new(&LIM);
	static uint8_t p[48], f[100];
	size_t olen, n;
	pattern(p, sizeof p, 5);
	const struct ipv4_reass_stats *st = ipv4_reass_stats(r);
	n = mkfrag(f, 7, 0, true, p, 16);
	assert_int_equal(offer(r, f, n, 0, &olen), 0);
	assert_int_equal(st->held_datagrams, 1);
	assert_int_equal(st->held_bytes, 16);
	n = mkfrag(f, 7, 16, true, p + 16, 16);
	assert_int_equal(offer(r, f, n, 1, &olen), 0);
	assert_int_equal(st->held_bytes, 32);
	n = mkfrag(f, 7, 32, false, p + 32, 13);
	assert_int_equal(offer(r, f, n, 2, &olen), 1);
	assert_int_equal(olen, 20 + 45);
	struct ipv4_hdr h;
	assert_int_equal(ipv4_decode(out, olen, &h), HN_OK);
	assert_false(h.mf);
	assert_int_equal(h.frag_off, 0);
	assert_int_equal(h.total_len, 65);
	assert_int_equal(h.id, 7);
	assert_int_equal(h.tos, 0x20);
	assert_int_equal(h.ttl, 9);
	assert_memory_equal(out + 20, p, 45);
	assert_int_equal(st->fragments, 3);
	assert_int_equal(st->reassembled, 1);
	assert_int_equal(st->overlaps_trimmed, 0);
	assert_int_equal(total_drops(r), 0);
	assert_idle(r);
	ipv4_reass_free(r);
}

static void reass__reverse_order(void **state)
{
	(void)state;
	struct ipv4_reass *r = ipv4_reass_new(&LIM);
	static uint8_t dg[5000];
	static struct fragset s;
	size_t n = mkdg(dg, 4321, 99, 3);
	cut(&s, dg, n, 576);
	assert_int_equal(s.n, 8);
	feed_expect(r, &s, 1, dg, n);
	assert_int_equal(ipv4_reass_stats(r)->fragments, 8);
	assert_int_equal(ipv4_reass_stats(r)->reassembled, 1);
	assert_int_equal(total_drops(r), 0);
	assert_idle(r);
	fragset_clear(&s);
	ipv4_reass_free(r);
}

static void reass__shuffled(void **state)
{
	(void)state;
	struct ipv4_reass *r = ipv4_reass_new(&LIM);
	static uint8_t dg[9000];
	static struct fragset s;
	rng_state = 42;
	for (int round = 0; round < 50; round++) {
		size_t n = mkdg(dg, 1000 + (size_t)round * 150, (uint16_t)round, (unsigned)round);
		cut(&s, dg, n, 68 + (size_t)round * 8);
		feed_expect(r, &s, 2, dg, n);
		fragset_clear(&s);
		assert_idle(r);
	}
	assert_int_equal(ipv4_reass_stats(r)->reassembled, 50);
	assert_int_equal(total_drops(r), 0);
	ipv4_reass_free(r);
}

static void reass__interleaved_datagrams_keyed_apart(void **state)
{
	(void)state;
	struct ipv4_reass *r = ipv4_reass_new(&LIM);
	static uint8_t p[4][32], f[100];
	size_t olen, n;
	/* same id, differing in source or protocol, and a different id */
	const uint32_t src[4] = { SRC, SRC + 1, SRC, SRC };
	const uint8_t proto[4] = { 17, 17, 6, 17 };
	const uint16_t id[4] = { 5, 5, 5, 6 };
	for (int k = 0; k < 4; k++) {
		pattern(p[k], 32, (unsigned)k * 50);
		n = mkfrag_opt(f, id[k], proto[k], src[k], 0, true, p[k], 16, NULL, 0);
		assert_int_equal(offer(r, f, n, 0, &olen), 0);
	}
	assert_int_equal(ipv4_reass_stats(r)->held_datagrams, 4);
	assert_int_equal(ipv4_reass_stats(r)->held_bytes, 64);
	for (int k = 3; k >= 0; k--) {
		n = mkfrag_opt(f, id[k], proto[k], src[k], 16, false, p[k] + 16, 16, NULL, 0);
		assert_int_equal(offer(r, f, n, 0, &olen), 1);
		struct ipv4_hdr h;
		assert_int_equal(ipv4_decode(out, olen, &h), HN_OK);
		assert_int_equal(h.src, src[k]);
		assert_int_equal(h.proto, proto[k]);
		assert_int_equal(h.id, id[k]);
		assert_memory_equal(out + 20, p[k], 32);
	}
	assert_int_equal(ipv4_reass_stats(r)->reassembled, 4);
	assert_idle(r);
	ipv4_reass_free(r);
}

static void reass__duplicate_dropped(void **state)
{
	(void)state;
	struct ipv4_reass *r = ipv4_reass_new(&LIM);
	static uint8_t p[24], f[100], g[100];
	size_t olen, n, m;
	pattern(p, sizeof p, 9);
	const struct ipv4_reass_stats *st = ipv4_reass_stats(r);
	n = mkfrag(f, 1, 0, true, p, 8);
	assert_int_equal(offer(r, f, n, 0, &olen), 0);
	assert_int_equal(offer(r, f, n, 0, &olen), HN_EEXIST);
	assert_int_equal(st->drops[IPV4_REASS_DROP_DUPLICATE], 1);
	assert_int_equal(st->held_bytes, 8);
	/* the last fragment twice */
	m = mkfrag(g, 1, 16, false, p + 16, 8);
	assert_int_equal(offer(r, g, m, 0, &olen), 0);
	assert_int_equal(offer(r, g, m, 0, &olen), HN_EEXIST);
	assert_int_equal(st->drops[IPV4_REASS_DROP_DUPLICATE], 2);
	assert_int_equal(st->held_bytes, 16);
	/* the missing middle completes it */
	n = mkfrag(f, 1, 8, true, p + 8, 8);
	assert_int_equal(offer(r, f, n, 0, &olen), 1);
	assert_memory_equal(out + 20, p, 24);
	assert_int_equal(offer(r, g, m, 0, &olen), 0);  /* new datagram now */
	static uint8_t big[24];
	pattern(big, 24, 77);
	n = mkfrag(f, 1, 0, true, big, 8);
	assert_int_equal(offer(r, f, n, 0, &olen), 0);
	n = mkfrag(f, 1, 0, true, big, 24 - 8);  /* [0,16): adds [8,16) */
	assert_int_equal(offer(r, f, n, 0, &olen), 1);
	assert_memory_equal(out + 20, big, 16);
	assert_memory_equal(out + 36, p + 16, 8);
	assert_int_equal(st->overlaps_trimmed, 1);
	assert_int_equal(st->fragments, 8);
	assert_int_equal(st->drops[IPV4_REASS_DROP_DUPLICATE], 2);
	assert_int_equal(st->reassembled, 2);
	assert_idle(r);
	ipv4_reass_free(r);
}

static void reass__covered_by_neighbours_is_duplicate(void **state)
{
	(void)state;
	struct ipv4_reass *r = ipv4_reass_new(&LIM);
	static uint8_t p[40], f[100];
	size_t olen, n;
	pattern(p, sizeof p, 1);
	const struct ipv4_reass_stats *st = ipv4_reass_stats(r);
	n = mkfrag(f, 3, 0, true, p, 16);
	assert_int_equal(offer(r, f, n, 0, &olen), 0);
	n = mkfrag(f, 3, 16, true, p + 16, 16);
	assert_int_equal(offer(r, f, n, 0, &olen), 0);
	n = mkfrag(f, 3, 8, true, p + 8, 16);   /* spans both, adds nothing */
	assert_int_equal(offer(r, f, n, 0, &olen), HN_EEXIST);
	assert_int_equal(st->drops[IPV4_REASS_DROP_DUPLICATE], 1);
	assert_int_equal(st->overlaps_trimmed, 0);
	assert_int_equal(st->held_bytes, 32);
	ipv4_reass_free(r);  /* frees a held datagram: no leak */
}

static void reass__overlap_existing_data_wins(void **state)
{
	(void)state;
	struct ipv4_reass *r = ipv4_reass_new(&LIM);
	static uint8_t a[16], b[32], c[16], f[100];
	size_t olen, n;
	memset(a, 0xaa, sizeof a);
	memset(b, 0xbb, sizeof b);
	memset(c, 0xcc, sizeof c);
	const struct ipv4_reass_stats *st = ipv4_reass_stats(r);
	n = mkfrag(f, 4, 8, true, a, 16);      /* [8,24) = aa */
	assert_int_equal(offer(r, f, n, 0, &olen), 0);
	n = mkfrag(f, 4, 0, true, b, 32);      /* [0,32) = bb, middle trimmed */
	assert_int_equal(offer(r, f, n, 0, &olen), 0);
	assert_int_equal(st->overlaps_trimmed, 1);
	assert_int_equal(st->held_bytes, 32);
	n = mkfrag(f, 4, 24, false, c, 16);    /* [24,40) = cc over bb's [24,32) */
	assert_int_equal(offer(r, f, n, 0, &olen), 1);
	assert_int_equal(st->overlaps_trimmed, 2);
	assert_int_equal(olen, 60);
	static uint8_t want[40];
	memset(want, 0xbb, 8);
	memset(want + 8, 0xaa, 16);
	memset(want + 24, 0xbb, 8);
	memset(want + 32, 0xcc, 8);
	assert_memory_equal(out + 20, want, 40);
	struct ipv4_hdr h;
	assert_int_equal(ipv4_decode(out, olen, &h), HN_OK);
	assert_int_equal(h.total_len, 60);
	assert_int_equal(st->fragments, 3);
	assert_int_equal(st->reassembled, 1);
	assert_int_equal(total_drops(r), 0);
	assert_idle(r);
	ipv4_reass_free(r);
}

static void reass__zero_length_dropped(void **state)
{
	(void)state;
	struct ipv4_reass *r = ipv4_reass_new(&LIM);
	static uint8_t f[100];
	size_t olen, n;
	n = mkfrag(f, 1, 8, true, NULL, 0);
	assert_int_equal(offer(r, f, n, 0, &olen), HN_ELEN);
	n = mkfrag(f, 1, 8, false, NULL, 0);
	assert_int_equal(offer(r, f, n, 0, &olen), HN_ELEN);
	n = mkfrag(f, 1, 0, true, NULL, 0);
	assert_int_equal(offer(r, f, n, 0, &olen), HN_ELEN);
	const struct ipv4_reass_stats *st = ipv4_reass_stats(r);
	assert_int_equal(st->drops[IPV4_REASS_DROP_ZERO_LEN], 3);
	assert_int_equal(st->fragments, 3);
	assert_int_equal(total_drops(r), 3);
	assert_idle(r);
	ipv4_reass_free(r);
}

static void reass__offset_past_65535(void **state)
{
	(void)state;
	struct ipv4_reass *r = ipv4_reass_new(&LIM);
	static uint8_t p[64], f[100];
	size_t olen, n;
	pattern(p, sizeof p, 2);
	n = mkfrag(f, 1, 8191 * 8, false, p, 8);   /* 65528 + 8 > 65535 */
	assert_int_equal(offer(r, f, n, 0, &olen), HN_EOFFSET);
	n = mkfrag(f, 1, 8190 * 8, true, p, 16);   /* 65520 + 16 > 65535 */
	assert_int_equal(offer(r, f, n, 0, &olen), HN_EOFFSET);
	const struct ipv4_reass_stats *st = ipv4_reass_stats(r);
	assert_int_equal(st->drops[IPV4_REASS_DROP_OFFSET], 2);
	assert_idle(r);
	/* 65528 + 7 = 65535 payload is held, but with any header the datagram
	 * would pass 65535: the offset-0 fragment is refused (FreeBSD counts
	 * this as ips_toolong) */
	n = mkfrag(f, 1, 8191 * 8, false, p, 7);
	assert_int_equal(offer(r, f, n, 0, &olen), 0);
	n = mkfrag(f, 1, 0, true, p, 8);
	assert_int_equal(offer(r, f, n, 0, &olen), HN_EOFFSET);
	assert_int_equal(st->drops[IPV4_REASS_DROP_OFFSET], 3);
	/* and the other way round: header first, then the end */
	n = mkfrag(f, 2, 0, true, p, 8);
	assert_int_equal(offer(r, f, n, 0, &olen), 0);
	n = mkfrag(f, 2, 8191 * 8, false, p, 7);
	assert_int_equal(offer(r, f, n, 0, &olen), HN_EOFFSET);
	n = mkfrag(f, 2, 65512, false, p, 3);      /* 20 + 65515 = 65535: fine */
	assert_int_equal(offer(r, f, n, 0, &olen), 0);
	assert_int_equal(st->drops[IPV4_REASS_DROP_OFFSET], 4);
	assert_int_equal(st->held_datagrams, 2);
	assert_int_equal(st->held_bytes, 7 + 8 + 3);
	assert_int_equal(ipv4_reass_expire(r, 31 * SEC), 2);
	assert_int_equal(st->drops[IPV4_REASS_DROP_TIMEOUT], 3);
	assert_idle(r);
	ipv4_reass_free(r);
}

static void reass__non_multiple_of_8_dropped(void **state)
{
	(void)state;
	struct ipv4_reass *r = ipv4_reass_new(&LIM);
	static uint8_t p[64], f[100];
	size_t olen, n;
	pattern(p, sizeof p, 2);
	n = mkfrag(f, 1, 0, true, p, 12);
	assert_int_equal(offer(r, f, n, 0, &olen), HN_ELEN);
	n = mkfrag(f, 1, 16, true, p, 1);
	assert_int_equal(offer(r, f, n, 0, &olen), HN_ELEN);
	const struct ipv4_reass_stats *st = ipv4_reass_stats(r);
	assert_int_equal(st->drops[IPV4_REASS_DROP_BAD_LEN], 2);
	assert_idle(r);
	/* the last fragment may have any length */
	n = mkfrag(f, 1, 16, false, p, 1);
	assert_int_equal(offer(r, f, n, 0, &olen), 0);
	assert_int_equal(st->held_bytes, 1);
	ipv4_reass_free(r);
}

static void reass__bad_end(void **state)
{
	(void)state;
	struct ipv4_reass *r = ipv4_reass_new(&LIM);
	static uint8_t p[64], f[100];
	size_t olen, n;
	pattern(p, sizeof p, 2);
	const struct ipv4_reass_stats *st = ipv4_reass_stats(r);
	/* end known at 20 */
	n = mkfrag(f, 1, 16, false, p + 16, 4);
	assert_int_equal(offer(r, f, n, 0, &olen), 0);
	/* a second last fragment with another end */
	n = mkfrag(f, 1, 16, false, p + 16, 5);
	assert_int_equal(offer(r, f, n, 0, &olen), HN_ELEN);
	n = mkfrag(f, 1, 24, false, p + 16, 5);
	assert_int_equal(offer(r, f, n, 0, &olen), HN_ELEN);
	/* data past the known end */
	n = mkfrag(f, 1, 16, true, p + 16, 8);
	assert_int_equal(offer(r, f, n, 0, &olen), HN_ELEN);
	n = mkfrag(f, 1, 32, true, p + 32, 8);
	assert_int_equal(offer(r, f, n, 0, &olen), HN_ELEN);
	assert_int_equal(st->drops[IPV4_REASS_DROP_BAD_END], 4);
	assert_int_equal(st->held_bytes, 4);
	/* an end before data already held */
	n = mkfrag(f, 2, 32, true, p, 16);
	assert_int_equal(offer(r, f, n, 0, &olen), 0);
	n = mkfrag(f, 2, 8, false, p, 8);
	assert_int_equal(offer(r, f, n, 0, &olen), HN_ELEN);
	assert_int_equal(st->drops[IPV4_REASS_DROP_BAD_END], 5);
	/* ... but an end exactly at the held extent is fine */
	n = mkfrag(f, 2, 48, false, p, 3);
	assert_int_equal(offer(r, f, n, 0, &olen), 0);
	/* datagram 1 still completes from good pieces */
	n = mkfrag(f, 1, 0, true, p, 16);
	assert_int_equal(offer(r, f, n, 0, &olen), 1);
	assert_int_equal(olen, 40);
	assert_memory_equal(out + 20, p, 20);
	assert_int_equal(st->held_datagrams, 1);
	assert_int_equal(st->held_bytes, 19);
	ipv4_reass_free(r);
}

static void reass__limit_datagrams(void **state)
{
	(void)state;
	struct ipv4_reass_limits lim = LIM;
	lim.max_datagrams = 2;
	struct ipv4_reass *r = ipv4_reass_new(&lim);
	static uint8_t p[16], f[100];
	size_t olen, n;
	pattern(p, sizeof p, 2);
	const struct ipv4_reass_stats *st = ipv4_reass_stats(r);
	for (uint16_t id = 1; id <= 2; id++) {
		n = mkfrag(f, id, 0, true, p, 8);
		assert_int_equal(offer(r, f, n, 0, &olen), 0);
	}
	n = mkfrag(f, 3, 0, true, p, 8);
	assert_int_equal(offer(r, f, n, 0, &olen), HN_ELIMIT);
	assert_int_equal(st->drops[IPV4_REASS_DROP_MAX_DATAGRAMS], 1);
	assert_int_equal(st->held_datagrams, 2);
	/* fragments of datagrams already held are still accepted */
	n = mkfrag(f, 2, 8, false, p + 8, 8);
	assert_int_equal(offer(r, f, n, 0, &olen), 1);
	n = mkfrag(f, 3, 0, true, p, 8);
	assert_int_equal(offer(r, f, n, 0, &olen), 0);
	assert_int_equal(st->held_datagrams, 2);
	assert_int_equal(st->held_bytes, 16);
	assert_int_equal(ipv4_reass_expire(r, 30 * SEC), 2);
	assert_int_equal(st->datagrams_timed_out, 2);
	assert_idle(r);
	ipv4_reass_free(r);
}

static void reass__limit_bytes(void **state)
{
	(void)state;
	struct ipv4_reass_limits lim = LIM;
	lim.max_bytes = 40;
	struct ipv4_reass *r = ipv4_reass_new(&lim);
	static uint8_t p[64], f[100];
	size_t olen, n;
	pattern(p, sizeof p, 2);
	const struct ipv4_reass_stats *st = ipv4_reass_stats(r);
	n = mkfrag(f, 1, 0, true, p, 32);
	assert_int_equal(offer(r, f, n, 0, &olen), 0);
	n = mkfrag(f, 2, 0, true, p, 16);          /* 48 > 40: refused */
	assert_int_equal(offer(r, f, n, 0, &olen), HN_ELIMIT);
	assert_int_equal(st->held_datagrams, 1);  /* no empty datagram left */
	n = mkfrag(f, 1, 32, true, p + 32, 16);
	assert_int_equal(offer(r, f, n, 0, &olen), HN_ELIMIT);
	assert_int_equal(st->drops[IPV4_REASS_DROP_MAX_BYTES], 2);
	/* only the new bytes count: [24,40) adds 8, reaching exactly 40 */
	n = mkfrag(f, 1, 24, false, p + 24, 16);
	assert_int_equal(offer(r, f, n, 0, &olen), 1);
	assert_int_equal(olen, 60);
	assert_memory_equal(out + 20, p, 40);
	assert_int_equal(st->overlaps_trimmed, 1);
	assert_idle(r);
	n = mkfrag(f, 2, 0, true, p, 16);          /* room again */
	assert_int_equal(offer(r, f, n, 0, &olen), 0);
	assert_int_equal(st->held_bytes, 16);
	ipv4_reass_free(r);
}

static void reass__timeout(void **state)
{
	(void)state;
	struct ipv4_reass *r = ipv4_reass_new(&LIM);
	static uint8_t p[64], f[100];
	size_t olen, n;
	pattern(p, sizeof p, 2);
	const struct ipv4_reass_stats *st = ipv4_reass_stats(r);
	n = mkfrag(f, 1, 0, true, p, 8);
	assert_int_equal(offer(r, f, n, 0, &olen), 0);
	n = mkfrag(f, 1, 8, true, p + 8, 8);
	assert_int_equal(offer(r, f, n, 10 * SEC, &olen), 0);
	n = mkfrag(f, 2, 0, true, p, 8);
	assert_int_equal(offer(r, f, n, 20 * SEC, &olen), 0);
	assert_int_equal(ipv4_reass_expire(r, 30 * SEC - 1), 0);
	assert_int_equal(st->held_datagrams, 2);
	/* lazy expiry: datagram 1 (started at 0) is gone at 30 s, its last
	 * fragment now starts a new datagram */
	n = mkfrag(f, 1, 16, false, p + 16, 8);
	assert_int_equal(offer(r, f, n, 30 * SEC, &olen), 0);
	assert_int_equal(st->datagrams_timed_out, 1);
	assert_int_equal(st->drops[IPV4_REASS_DROP_TIMEOUT], 2);
	assert_int_equal(st->held_datagrams, 2);
	assert_int_equal(st->held_bytes, 16);
	/* explicit expiry */
	assert_int_equal(ipv4_reass_expire(r, 50 * SEC), 1);
	assert_int_equal(st->held_datagrams, 1);
	assert_int_equal(ipv4_reass_expire(r, 60 * SEC), 1);
	assert_int_equal(st->datagrams_timed_out, 3);
	assert_int_equal(st->drops[IPV4_REASS_DROP_TIMEOUT], 4);
	assert_int_equal(st->reassembled, 0);
	assert_idle(r);
	/* time running backwards does not break the deadline order */
	n = mkfrag(f, 5, 0, true, p, 8);
	assert_int_equal(offer(r, f, n, 100 * SEC, &olen), 0);
	n = mkfrag(f, 6, 0, true, p, 8);
	assert_int_equal(offer(r, f, n, 90 * SEC, &olen), 0);
	assert_int_equal(ipv4_reass_expire(r, 120 * SEC), 1);  /* id 6 */
	n = mkfrag(f, 5, 8, false, p + 8, 8);
	assert_int_equal(offer(r, f, n, 120 * SEC, &olen), 1);
	assert_idle(r);
	ipv4_reass_free(r);
}

static void reass__garbage(void **state)
{
	(void)state;
	struct ipv4_reass *r = ipv4_reass_new(&LIM);
	static uint8_t g[1500];
	size_t olen;
	rng_state = 7;
	uint64_t neg = 0, held = 0;
	for (int i = 0; i < 2000; i++) {
		size_t n = rng() % sizeof g;
		for (size_t k = 0; k < n; k++)
			g[k] = (uint8_t)rng();
		if (i % 2) {  /* plausible header, random rest */
			g[0] = 0x45;
			if (n >= 20) {
				net_put16(g + 2, (uint16_t)n);
				ipv4_update_checksum(g);
			}
		}
		int rc = offer(r, g, n, (uint64_t)i * SEC, &olen);
		assert_true(rc <= 1);
		assert_true(rc != HN_EINVAL && rc != HN_ENOMEM);
		neg += rc < 0;
		held += rc == 0;
		assert_true(ipv4_reass_stats(r)->held_datagrams <= LIM.max_datagrams);
	}
	const struct ipv4_reass_stats *st = ipv4_reass_stats(r);
	/* every refusal was counted once, by reason */
	assert_int_equal(total_drops(r) - st->drops[IPV4_REASS_DROP_TIMEOUT], neg);
	assert_true(st->drops[IPV4_REASS_DROP_BAD_HEADER] > 0);
	assert_true(held > 0);
	ipv4_reass_expire(r, UINT64_MAX);
	assert_idle(r);
	/* NULL arguments */
	assert_int_equal(ipv4_reass_input(r, NULL, 0, 0, out, sizeof out, &olen), HN_EINVAL);
	assert_int_equal(ipv4_reass_input(NULL, g, 20, 0, out, sizeof out, &olen), HN_EINVAL);
	ipv4_reass_free(r);
}

static void reass__output_too_small(void **state)
{
	(void)state;
	struct ipv4_reass *r = ipv4_reass_new(&LIM);
	static uint8_t p[64], f[100];
	size_t olen, n;
	pattern(p, sizeof p, 2);
	n = mkfrag(f, 1, 0, true, p, 8);
	assert_int_equal(ipv4_reass_input(r, f, n, 0, out, 20, &olen), 0);
	n = mkfrag(f, 1, 8, false, p + 8, 8);
	assert_int_equal(ipv4_reass_input(r, f, n, 0, out, 35, &olen), HN_ENOSPC);
	const struct ipv4_reass_stats *st = ipv4_reass_stats(r);
	assert_int_equal(st->drops[IPV4_REASS_DROP_NOSPC], 2);
	assert_int_equal(st->reassembled, 0);
	assert_idle(r);
	ipv4_reass_free(r);
}

static void reass__header_and_options_from_offset_0(void **state)
{
	(void)state;
	struct ipv4_reass *r = ipv4_reass_new(&LIM);
	static uint8_t p[64], f[100];
	static const uint8_t opt[8] = { 0x83, 7, 4, 1, 2, 3, 4, 0 };
	size_t olen, n;
	pattern(p, sizeof p, 2);
	/* later fragment first, with a different TTL: header still comes from
	 * the offset-0 fragment */
	n = mkfrag(f, 1, 24, false, p + 24, 10);
	f[8] = 3;
	ipv4_update_checksum(f);
	assert_int_equal(offer(r, f, n, 0, &olen), 0);
	n = mkfrag_opt(f, 1, IPV4_PROTO_UDP, SRC, 0, true, p, 24, opt, 8);
	assert_int_equal(offer(r, f, n, 0, &olen), 1);
	assert_int_equal(olen, 28 + 34);
	struct ipv4_hdr h;
	assert_int_equal(ipv4_decode(out, olen, &h), HN_OK);
	assert_int_equal(h.hdr_len, 28);
	assert_int_equal(h.ttl, 9);
	assert_false(h.mf);
	assert_int_equal(h.frag_off, 0);
	assert_memory_equal(out + 20, opt, 8);
	assert_memory_equal(out + 28, p, 34);
	assert_idle(r);
	ipv4_reass_free(r);
}

static void reass__frag_round_trip_sizes_and_mtus(void **state)
{
	(void)state;
	struct ipv4_reass *r = ipv4_reass_new(NULL);  /* default limits */
	static uint8_t dg[65535];
	static struct fragset s;
	static const size_t mtus[] = { 68, 100, 296, 576, 1006, 1500, 4352, 9000 };
	static const size_t sizes[] = { 21, 28, 29, 48, 69, 100, 577, 1499, 1500,
					1501, 1520, 2000, 4096, 8193, 20000, 65535 };
	rng_state = 1234;
	uint64_t done = 0, frags = 0;
	for (size_t m = 0; m < sizeof mtus / sizeof mtus[0]; m++)
		for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
			if (sizes[k] <= mtus[m])
				continue;
			size_t n = mkdg(dg, sizes[k], (uint16_t)(m * 100 + k), (unsigned)k);
			cut(&s, dg, n, mtus[m]);
			frags += s.n;
			feed_expect(r, &s, (int)((m + k) % 3), dg, n);
			fragset_clear(&s);
			done++;
			assert_idle(r);
		}
	const struct ipv4_reass_stats *st = ipv4_reass_stats(r);
	assert_int_equal(st->reassembled, done);
	assert_int_equal(st->fragments, frags);
	assert_int_equal(total_drops(r), 0);
	ipv4_reass_free(r);
}

static void reass__drop_names(void **state)
{
	(void)state;
	for (int i = 0; i < IPV4_REASS_NDROP; i++) {
		const char *s = ipv4_reass_drop_name((enum ipv4_reass_drop)i);
		assert_non_null(s);
		assert_string_not_equal(s, "unknown");
	}
	assert_string_equal(ipv4_reass_drop_name(IPV4_REASS_DROP_TIMEOUT), "timeout");
	assert_string_equal(ipv4_reass_drop_name(IPV4_REASS_NDROP), "unknown");
}

/* Random overlapping fragments, duplicates among them, on a reassembler
 * whose buffers are reused from one datagram to the next (a large datagram
 * first, then small ones with a smaller extent): each completes exactly
 * when its last 8-byte block is first covered, with the original payload;
 * a fragment adding nothing is a counted duplicate; data held wins, and as
 * every fragment carries the original bytes the output is the original. */
static void reass__random_overlaps_after_reuse(void **state)
{
	(void)state;
	struct ipv4_reass *r = ipv4_reass_new(&LIM);
	static uint8_t p[8000], f[8100];
	static bool held[1000];
	size_t olen;
	rng_state = 7;
	for (int round = 0; round < 200; round++) {
		size_t len = round == 0 ? 8000 : 9 + (size_t)(rng() % 1500);
		size_t nb = (len + 7) / 8, covered = 0;
		uint16_t id = (uint16_t)(1000 + round);
		pattern(p, len, (unsigned)round);
		memset(held, 0, nb);
		while (covered < nb) {
			size_t b0 = rng() % nb, b1 = b0 + 1 + rng() % 40;
			if (b1 > nb)
				b1 = nb;
			if (b0 == 0 && b1 == nb)
				b1--;   /* the whole datagram would be no fragment */
			size_t off = b0 * 8, end = b1 == nb ? len : b1 * 8;
			size_t added = 0;
			for (size_t b = b0; b < b1; b++)
				added += !held[b];
			size_t n = mkfrag(f, id, off, b1 != nb, p + off, end - off);
			int rc = offer(r, f, n, 0, &olen);
			for (size_t b = b0; b < b1; b++)
				held[b] = true;
			covered += added;
			if (added == 0) {
				assert_int_equal(rc, HN_EEXIST);
			} else if (covered < nb) {
				assert_int_equal(rc, 0);
			} else {
				assert_int_equal(rc, 1);
				assert_int_equal(olen, 20 + len);
				assert_memory_equal(out + 20, p, len);
			}
		}
		assert_idle(r);
	}
	assert_int_equal(ipv4_reass_stats(r)->reassembled, 200);
	assert_int_equal(total_drops(r), ipv4_reass_stats(r)->drops[IPV4_REASS_DROP_DUPLICATE]);
	ipv4_reass_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reass__not_fragment_passthrough),
		cmocka_unit_test(reass__in_order),
		cmocka_unit_test(reass__reverse_order),
		cmocka_unit_test(reass__shuffled),
		cmocka_unit_test(reass__interleaved_datagrams_keyed_apart),
		cmocka_unit_test(reass__duplicate_dropped),
		cmocka_unit_test(reass__covered_by_neighbours_is_duplicate),
		cmocka_unit_test(reass__overlap_existing_data_wins),
		cmocka_unit_test(reass__zero_length_dropped),
		cmocka_unit_test(reass__offset_past_65535),
		cmocka_unit_test(reass__non_multiple_of_8_dropped),
		cmocka_unit_test(reass__bad_end),
		cmocka_unit_test(reass__limit_datagrams),
		cmocka_unit_test(reass__limit_bytes),
		cmocka_unit_test(reass__timeout),
		cmocka_unit_test(reass__garbage),
		cmocka_unit_test(reass__output_too_small),
		cmocka_unit_test(reass__header_and_options_from_offset_0),
		cmocka_unit_test(reass__frag_round_trip_sizes_and_mtus),
		cmocka_unit_test(reass__drop_names),
		cmocka_unit_test(reass__random_overlaps_after_reuse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
