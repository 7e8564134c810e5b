/* fuzz_ipip.c - libFuzzer target for ipip.c (RFC 2003) with frag.c and
 * reass.c (RFC 791 3.2) on its output.
 *
 * Decapsulate arbitrary bytes.  When that succeeds: re-encapsulate the inner
 * datagram and check that decapsulating the result gives the same inner
 * bytes back; then fragment the new outer datagram to a small MTU (DF
 * cleared), reassemble the fragments (in order or reversed, chosen by the
 * input) and check the result is byte-identical to the outer datagram.  Any
 * mismatch aborts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/bytes.h"
#include "net/frag.h"
#include "net/ipip.h"
#include "net/ipv4.h"
#include "net/reass.h"
#include "status.h"

#define MAXFRAGS 2048

struct frags {
	size_t n;
	size_t off[MAXFRAGS];
	size_t len[MAXFRAGS];
	uint8_t *store;   /* concatenated fragments */
	size_t used, cap;
};

static void check(int ok)
{
	if (!ok)
		abort();
}

static int keep(void *ctx, const uint8_t *f, size_t len)
{
	struct frags *s = ctx;
	if (s->n == MAXFRAGS || s->used + len > s->cap)
		return HN_ENOSPC;
	memcpy(s->store + s->used, f, len);
	s->off[s->n] = s->used;
	s->len[s->n++] = len;
	s->used += len;
	return HN_OK;
}

/* libFuzzer's entry point. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t enc[65536], scratch[65536], out[65536], store[4 * 65536];
	static struct frags fs;
	size_t ioff, ilen;
	if (ipip_decap(data, size, &ioff, &ilen) != HN_OK)
		return 0;
	check(ioff >= IPV4_HDR_MIN && ioff + ilen <= size);

	struct ipv4_hdr outer;
	check(ipv4_decode(data, size, &outer) == HN_OK);
	struct ipip_encap_params p = {
		.src = outer.src, .dst = outer.dst, .id = outer.id,
		.ttl = outer.ttl, .forwarding = false,
	};
	size_t elen;
	int rc = ipip_encap(data + ioff, ilen, &p, enc, sizeof enc, &elen);
	if (rc == HN_ELOOP || rc == HN_ELEN)
		return 0;  /* legitimately refused */
	check(rc == HN_OK);
	check(elen == IPIP_OUTER_LEN + ilen);

	size_t ioff2, ilen2;
	check(ipip_decap(enc, elen, &ioff2, &ilen2) == HN_OK);
	check(ioff2 == IPIP_OUTER_LEN && ilen2 == ilen);
	check(memcmp(enc + ioff2, data + ioff, ilen) == 0);

	/* fragment to a small MTU chosen from the input, DF cleared */
	size_t mtu = 68 + (size_t)(data[size - 1] % 64) * 8;
	net_put16(enc + 6, 0);
	ipv4_update_checksum(enc);
	fs.n = 0;
	fs.used = 0;
	fs.store = store;
	fs.cap = sizeof store;
	struct ipv4_frag_stats fst = { 0 };
	int k = ipv4_fragment(enc, elen, mtu, scratch, sizeof scratch, keep, &fs, &fst);
	check(k > 0 && (size_t)k == fs.n);

	const struct ipv4_reass_limits lim = {
		.max_datagrams = 1, .max_bytes = 65535, .timeout_ns = 1,
	};
	struct ipv4_reass *r = ipv4_reass_new(&lim);
	if (!r)
		return 0;
	int reverse = data[0] & 1;
	size_t olen = 0;
	for (size_t i = 0; i < fs.n; i++) {
		size_t j = reverse ? fs.n - 1 - i : i;
		rc = ipv4_reass_input(r, fs.store + fs.off[j], fs.len[j], 0,
				      out, sizeof out, &olen);
		check(rc == (i + 1 == fs.n ? 1 : 0));
	}
	check(olen == elen && memcmp(out, enc, elen) == 0);
	const struct ipv4_reass_stats *st = ipv4_reass_stats(r);
	check(st->held_bytes == 0 && st->held_datagrams == 0);
	ipv4_reass_free(r);
	return 0;
}
