/* frag.c - RFC 791 fragmentation of one IPv4 datagram to an MTU.
 *
 * Governs: RFC 791 section 3.2 ("Fragmentation and Reassembly", and the
 * fragmentation procedure in its "An Example Fragmentation Procedure"),
 * section 3.1 (Options: the copied flag; Flags; Fragment Offset) and
 * RFC 1122 section 3.3.3.  Each fragment is built in the caller's scratch
 * buffer and handed to the caller's emit callback; nothing is allocated.
 * Not here: reassembly (reass.c), ICMP "fragmentation needed" (the caller's
 * decision when HN_EDF comes back), path MTU discovery. */
#include "net/frag.h"

#include <stdbool.h>
#include <string.h>

#include "net/bytes.h"
#include "net/ipv4.h"
#include "status.h"

#define FLAG_DF 0x4000u
#define FLAG_MF 0x2000u
#define OPT_EOL 0   /* RFC 791 3.1: End of Option List */
#define OPT_NOP 1   /* RFC 791 3.1: No Operation */
#define OPT_COPIED 0x80u  /* RFC 791 3.1: copied flag, top bit of the type */

/* Collect the options of the header hdr[0..hlen) whose copied flag is set
 * into opt (capacity 40), padded with EOL to a 4-byte multiple.  Returns
 * the padded length, or HN_EINVAL when an option's length byte is
 * malformed (RFC 791 3.1: option-length counts type, length and data). */
static int copied_options(const uint8_t *hdr, size_t hlen, uint8_t *opt)
{
	size_t i = IPV4_HDR_MIN, n = 0;
	while (i < hlen) {
		uint8_t type = hdr[i];
		if (type == OPT_EOL)  /* RFC 791 3.1: end of list; rest is pad */
			break;
		if (type == OPT_NOP) {  /* single byte, copied flag 0 */
			i++;
			continue;
		}
		if (i + 1 >= hlen)
			return HN_EINVAL;
		size_t olen = hdr[i + 1];
		if (olen < 2 || i + olen > hlen)
			return HN_EINVAL;
		/* RFC 791 3.1: "copied flag ... 1 = copied into all fragments
		 * on fragmentation". */
		if (type & OPT_COPIED) {
			memcpy(opt + n, hdr + i, olen);
			n += olen;
		}
		i += olen;
	}
	while (n % 4)  /* header length is in 32-bit words: pad with EOL */
		opt[n++] = OPT_EOL;
	return (int)n;
}

static int refuse(struct ipv4_frag_stats *st, enum ipv4_frag_drop why, int status)
{
	st->drops[why]++;
	return status;
}

int ipv4_fragment(const uint8_t *dg, size_t len, size_t mtu,
		  uint8_t *scratch, size_t scratch_cap,
		  ipv4_emit_fn emit, void *ctx, struct ipv4_frag_stats *st)
{
	struct ipv4_frag_stats dummy;
	if (!st) {
		memset(&dummy, 0, sizeof dummy);
		st = &dummy;
	}
	st->datagrams++;
	if (!dg || !emit)
		return refuse(st, IPV4_FRAG_DROP_BAD, HN_EINVAL);

	struct ipv4_hdr h;
	int rc = ipv4_decode(dg, len, &h);
	if (rc < 0)
		return refuse(st, IPV4_FRAG_DROP_BAD, rc);

	/* A datagram that fits goes out unchanged (bytes past total_len, i.e.
	 * link padding, are not part of it). */
	if (h.total_len <= mtu) {
		rc = emit(ctx, dg, h.total_len);
		if (rc < 0)
			return refuse(st, IPV4_FRAG_DROP_EMIT, rc);
		st->fitted++;
		return 1;
	}
	/* RFC 791 3.2: "if the Don't Fragment flag is set, then internet
	 * fragmentation of this datagram is NOT permitted"; it is discarded. */
	if (h.df)
		return refuse(st, IPV4_FRAG_DROP_DF, HN_EDF);

	size_t hlen0 = h.hdr_len;
	size_t payload = (size_t)h.total_len - hlen0;
	size_t base = (size_t)h.frag_off * 8;  /* RFC 791 3.2: offsets are
					      * relative to the original */
	if (base + payload > IPV4_MAX_LEN)
		return refuse(st, IPV4_FRAG_DROP_BAD, HN_EOFFSET);

	/* Headers of the later fragments: fixed part plus copied options. */
	uint8_t opt[IPV4_HDR_MAX - IPV4_HDR_MIN];
	rc = copied_options(dg, hlen0, opt);
	if (rc < 0)
		return refuse(st, IPV4_FRAG_DROP_BAD, rc);
	size_t optlen = (size_t)rc;
	size_t hlen_rest = IPV4_HDR_MIN + optlen;

	/* RFC 791 3.2: every fragment but the last carries a multiple of 8
	 * data bytes, so the first (longest) header must leave room for 8. */
	if (mtu < hlen0 || ((mtu - hlen0) & ~(size_t)7) == 0)
		return refuse(st, IPV4_FRAG_DROP_MTU, HN_EMTU);
	if (!scratch || scratch_cap < mtu)
		return refuse(st, IPV4_FRAG_DROP_NOSPC, HN_ENOSPC);

	uint16_t keep_flags = (uint16_t)(net_get16(dg + 6) & ~(FLAG_MF | 0x1fffu));
	size_t done = 0;
	int count = 0;
	while (done < payload) {
		bool first = done == 0;
		size_t hlen = first ? hlen0 : hlen_rest;
		size_t room = (mtu - hlen) & ~(size_t)7;
		size_t n = payload - done;
		bool last = n <= room;
		if (!last)
			n = room;

		if (first) {
			/* RFC 791 3.2: the first fragment keeps the whole
			 * header, all options included. */
			memcpy(scratch, dg, hlen0);
		} else {
			memcpy(scratch, dg, IPV4_HDR_MIN);
			memcpy(scratch + IPV4_HDR_MIN, opt, optlen);
			scratch[0] = (uint8_t)(0x40 | (hlen / 4));
		}
		memcpy(scratch + hlen, dg + hlen0 + done, n);
		net_put16(scratch + 2, (uint16_t)(hlen + n));
		/* RFC 791 3.2: MF set on all pieces but the last; the last
		 * keeps the original MF (a fragment of a fragment). */
		uint16_t ff = keep_flags;
		if (!last || h.mf)
			ff |= FLAG_MF;
		ff |= (uint16_t)((base + done) / 8);
		net_put16(scratch + 6, ff);
		ipv4_update_checksum(scratch);

		rc = emit(ctx, scratch, hlen + n);
		if (rc < 0)
			return refuse(st, IPV4_FRAG_DROP_EMIT, rc);
		st->fragments++;
		count++;
		done += n;
	}
	st->fragmented++;
	return count;
}

const char *ipv4_frag_drop_name(enum ipv4_frag_drop d)
{
	static const char *const names[IPV4_FRAG_NDROP] = { IPV4_FRAG_STATS(COUNTER_SKIP, COUNTER_NAME) };
	return (unsigned)d < IPV4_FRAG_NDROP ? names[d] : "unknown";
}

#define STAT_C(field, name, doc) COUNTER_DEF(struct ipv4_frag_stats, field, name, doc)
#define STAT_D(e, name, doc) COUNTER_DROP_DEF(struct ipv4_frag_stats, IPV4_FRAG_DROP_##e, "frag_" name, doc)
static const struct counter_def counter_defs[] = { IPV4_FRAG_STATS(STAT_C, STAT_D) };
const struct counter_set ipv4_frag_counters = COUNTER_SET("frag", counter_defs);
