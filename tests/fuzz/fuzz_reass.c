/* fuzz_reass.c - libFuzzer target for reass.c (RFC 791 3.2 reassembly).
 *
 * The input is a sequence of records fed into one reassembler with small
 * limits while time advances:
 *   byte 0   bit 0: repair the header (set total length to the record
 *                   length and recompute the checksum) so that the fuzzer
 *                   reaches the reassembly logic instead of ipv4_decode;
 *            bits 1..7: time advance, in units of 1/16 of the timeout
 *                   (values >= 64 also call ipv4_reass_expire);
 *   byte 1-2 record length (big endian, truncated to what is left);
 *   then the record's bytes.
 * Checks: return values in range, counters consistent (every refusal
 * counted once, limits respected, held counters back to zero after
 * expiry), every output a valid datagram; free at the end (LeakSanitizer
 * reports any leak). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/bytes.h"
#include "net/ipv4.h"
#include "net/reass.h"
#include "status.h"

#define TIMEOUT_NS 1600u

static void check(int ok)
{
	if (!ok)
		abort();
}

static uint64_t drops_total(const struct ipv4_reass_stats *st)
{
	uint64_t n = 0;
	for (int i = 0; i < IPV4_REASS_NDROP; i++)
		n += st->drops[i];
	return n;
}

/* libFuzzer's entry point. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[65536];
	static uint8_t rec[65536];
	const struct ipv4_reass_limits lim = {
		.max_datagrams = 4, .max_bytes = 6000, .timeout_ns = TIMEOUT_NS,
	};
	struct ipv4_reass *r = ipv4_reass_new(&lim);
	if (!r)
		return 0;
	const struct ipv4_reass_stats *st = ipv4_reass_stats(r);
	uint64_t now = 0, refused = 0;
	size_t i = 0;
	while (i + 3 <= size) {
		uint8_t ctl = data[i];
		size_t n = net_get16(data + i + 1);
		i += 3;
		if (n > size - i)
			n = size - i;
		memcpy(rec, data + i, n);
		i += n;
		if ((ctl & 1) && n >= IPV4_HDR_MIN) {
			size_t hl = (size_t)(rec[0] & 0x0f) * 4;
			net_put16(rec + 2, (uint16_t)n);
			if (hl >= IPV4_HDR_MIN && hl <= n)
				ipv4_update_checksum(rec);
		}
		unsigned adv = ctl >> 1;
		now += (uint64_t)adv * (TIMEOUT_NS / 16);
		if (adv >= 64)
			ipv4_reass_expire(r, now);

		size_t olen = 0;
		int rc = ipv4_reass_input(r, rec, n, now, out, sizeof out, &olen);
		check(rc <= 1);
		check(rc != HN_EINVAL);
		if (rc < 0)
			refused++;
		if (rc == 1) {
			struct ipv4_hdr h;
			check(olen <= sizeof out);
			check(ipv4_decode(out, olen, &h) == HN_OK);
			check(h.total_len == olen);
			check(!ipv4_is_fragment(&h));
		}
		check(st->held_datagrams <= lim.max_datagrams);
		check(st->held_bytes <= lim.max_bytes);
		check(drops_total(st) - st->drops[IPV4_REASS_DROP_TIMEOUT] == refused);
		check((st->held_datagrams == 0) == (st->held_bytes == 0));
	}
	/* everything left runs out */
	ipv4_reass_expire(r, now + TIMEOUT_NS);
	check(st->held_datagrams == 0 && st->held_bytes == 0);
	ipv4_reass_free(r);
	return 0;
}
