/* reass.c - RFC 791 reassembly of IPv4 fragments, with limits and timeout.
 *
 * Governs: RFC 791 section 3.2 (fragments of one datagram share source,
 * destination, protocol and identification; offsets in 8-byte units; the
 * offset-0 fragment's header becomes the datagram's header), RFC 1122
 * section 3.3.2 (reassembly timeout, limits on buffer space), RFC 815 (hole
 * bookkeeping, here a bitmap of 8-byte blocks).  Overlaps are trimmed so that
 * data already held wins, as FreeBSD ip_reass.c does.
 *
 * Structure: each datagram under reassembly (struct dgram) owns a payload
 * buffer that grows up to the highest byte seen, and a bitmap with one bit
 * per 8-byte block.  Every fragment starts on a block boundary (offsets are in
 * 8-byte units) and every non-last fragment is a whole number of blocks, so a
 * block is either held entirely or not at all (the last block may be short:
 * it ends at the datagram end).  Datagrams are found through a hash table on
 * (src, dst, proto, id) and kept on a list sorted by deadline, so expiry looks
 * only at the head.  All state belongs to one struct ipv4_reass.
 * Not here: validation of the reassembled payload (the caller's job). */
#include "net/reass.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "net/bytes.h"
#include "net/ipv4.h"
#include "status.h"

#define FLAG_MF 0x2000u
#define FRAG_MASK 0x1fffu
#define NBLOCKS 8192   /* 65536 / 8: blocks a datagram payload can span */

/* RFC 1122 3.3.2: "the reassembly timeout value SHOULD be a fixed value ...
 * recommended value is between 60 seconds and 120 seconds".  Used only when
 * ipv4_reass_new is given no limits. */
#define DEFAULT_TIMEOUT_NS (60ull * 1000000000ull)
#define DEFAULT_MAX_DATAGRAMS 64
#define DEFAULT_MAX_BYTES ((size_t)64 * IPV4_MAX_LEN)

/* One datagram under reassembly. */
struct dgram {
	uint32_t src, dst;      /* key (RFC 791 3.2) */
	uint16_t id;            /* key */
	uint8_t proto;          /* key */
	uint8_t hdr_len;        /* bytes in hdr; 0 until the offset-0 fragment */
	uint8_t hdr[IPV4_HDR_MAX]; /* header of the offset-0 fragment */
	bool end_known;         /* a fragment with MF clear was held */
	uint32_t end;           /* payload length once end_known */
	uint32_t extent;        /* highest payload byte held + 1 (<= end) */
	uint32_t blocks_held;   /* bits set in map */
	size_t bytes;           /* payload bytes held (counted in held_bytes) */
	size_t nfrags;          /* fragments held (for drop accounting) */
	uint64_t deadline_ns;   /* discarded when now_ns >= deadline_ns */
	uint8_t *data;          /* payload bytes [0, cap) */
	size_t cap;             /* allocated bytes of data, >= extent */
	struct dgram *hnext;    /* hash chain */
	struct dgram *prev, *next; /* deadline list, soonest first */
	uint8_t map[NBLOCKS / 8];  /* bit b set: payload [8b, 8b+8) held */
};

struct ipv4_reass {
	struct ipv4_reass_limits lim; /* a zero field means "no limit" */
	struct ipv4_reass_stats st;
	struct dgram **buckets;       /* hash table, nbuckets (power of 2) */
	size_t nbuckets;
	struct dgram *head, *tail;    /* deadline list */
	struct dgram *spare;          /* the last datagram completed, kept with
					 its buffer for the next one (no
					 allocation per datagram); map clear */
};

static size_t hash_key(const struct ipv4_reass *r, uint32_t src, uint32_t dst,
		       uint8_t proto, uint16_t id)
{
	uint64_t k = ((uint64_t)src << 32) ^ dst;
	k ^= ((uint64_t)proto << 16 | id) * 0x9e3779b97f4a7c15ull;
	k ^= k >> 29;
	k *= 0xbf58476d1ce4e5b9ull;
	k ^= k >> 32;
	return (size_t)k & (r->nbuckets - 1);
}

struct ipv4_reass *ipv4_reass_new(const struct ipv4_reass_limits *lim)
{
	struct ipv4_reass *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	if (lim) {
		r->lim = *lim;
	} else {
		r->lim.max_datagrams = DEFAULT_MAX_DATAGRAMS;
		r->lim.max_bytes = DEFAULT_MAX_BYTES;
		r->lim.timeout_ns = DEFAULT_TIMEOUT_NS;
	}
	size_t want = r->lim.max_datagrams ? r->lim.max_datagrams : 256;
	if (want > 4096)
		want = 4096;
	r->nbuckets = 16;
	while (r->nbuckets < want)
		r->nbuckets *= 2;
	r->buckets = calloc(r->nbuckets, sizeof *r->buckets);
	if (!r->buckets) {
		free(r);
		return NULL;
	}
	return r;
}

/* Unlink d from the hash table and the deadline list, take its bytes off
 * the counters and free it. */
static void dgram_destroy(struct ipv4_reass *r, struct dgram *d)
{
	struct dgram **pp = &r->buckets[hash_key(r, d->src, d->dst, d->proto, d->id)];
	while (*pp != d)
		pp = &(*pp)->hnext;
	*pp = d->hnext;
	if (d->prev)
		d->prev->next = d->next;
	else
		r->head = d->next;
	if (d->next)
		d->next->prev = d->prev;
	else
		r->tail = d->prev;
	r->st.held_datagrams--;
	r->st.held_bytes -= d->bytes;
	if (!r->spare) {
		/* Kept for the next datagram with its buffer.  Only blocks below
		 * the extent can have been marked held: clear their bytes. */
		size_t used = ((size_t)d->extent + 63) / 64;
		memset(d->map, 0, used < sizeof d->map ? used : sizeof d->map);
		r->spare = d;
		return;
	}
	free(d->data);
	free(d);
}

void ipv4_reass_free(struct ipv4_reass *r)
{
	if (!r)
		return;
	while (r->head)
		dgram_destroy(r, r->head);
	if (r->spare) {
		free(r->spare->data);
		free(r->spare);
	}
	free(r->buckets);
	free(r);
}

size_t ipv4_reass_expire(struct ipv4_reass *r, uint64_t now_ns)
{
	size_t n = 0;
	if (!r || r->lim.timeout_ns == 0)
		return 0;
	/* RFC 791 3.2 / RFC 1122 3.3.2: when the timer runs out, the
	 * reassembly resources are released and the fragments discarded. */
	while (r->head && now_ns >= r->head->deadline_ns) {
		r->st.datagrams_timed_out++;
		r->st.drops[IPV4_REASS_DROP_TIMEOUT] += r->head->nfrags;
		dgram_destroy(r, r->head);
		n++;
	}
	return n;
}

static struct dgram *dgram_find(struct ipv4_reass *r, const struct ipv4_hdr *h)
{
	struct dgram *d = r->buckets[hash_key(r, h->src, h->dst, h->proto, h->id)];
	while (d && !(d->src == h->src && d->dst == h->dst &&
		      d->proto == h->proto && d->id == h->id))
		d = d->hnext;
	return d;
}

static struct dgram *dgram_create(struct ipv4_reass *r, const struct ipv4_hdr *h,
				  uint64_t now_ns)
{
	struct dgram *d = r->spare;
	if (d) {
		/* Reused: everything but its buffer and its (clear) map zeroed. */
		uint8_t *data = d->data;
		size_t cap = d->cap;
		r->spare = NULL;
		memset(d, 0, offsetof(struct dgram, map));
		d->data = data;
		d->cap = cap;
	} else if (!(d = calloc(1, sizeof *d))) {
		return NULL;
	}
	d->src = h->src;
	d->dst = h->dst;
	d->proto = h->proto;
	d->id = h->id;
	/* RFC 1122 3.3.2: a fixed timeout from the first fragment (the timer
	 * is not restarted by later fragments, as in BSD and Linux). */
	uint64_t t = r->lim.timeout_ns;
	d->deadline_ns = (t && now_ns <= UINT64_MAX - t) ? now_ns + t : UINT64_MAX;

	size_t b = hash_key(r, h->src, h->dst, h->proto, h->id);
	d->hnext = r->buckets[b];
	r->buckets[b] = d;
	/* Insert sorted by deadline, scanning from the tail: O(1) while the
	 * clock does not run backwards. */
	struct dgram *after = r->tail;
	while (after && after->deadline_ns > d->deadline_ns)
		after = after->prev;
	d->prev = after;
	d->next = after ? after->next : r->head;
	if (d->next)
		d->next->prev = d;
	else
		r->tail = d;
	if (after)
		after->next = d;
	else
		r->head = d;
	r->st.held_datagrams++;
	return d;
}

static bool block_held(const struct dgram *d, size_t b)
{
	return (d->map[b / 8] >> (b % 8)) & 1;
}

/* Blocks held in [b0, b1), a map byte at a time where it can. */
static size_t held_in(const struct dgram *d, size_t b0, size_t b1)
{
	size_t n = 0, b = b0;
	for (; b < b1 && b % 8; b++)
		n += block_held(d, b);
	for (; b + 8 <= b1; b += 8)
		n += (size_t)__builtin_popcount(d->map[b / 8]);
	for (; b < b1; b++)
		n += block_held(d, b);
	return n;
}

/* Mark blocks [b0, b1) held; none of them is. */
static void hold_blocks(struct dgram *d, size_t b0, size_t b1)
{
	size_t b = b0;
	for (; b < b1 && b % 8; b++)
		d->map[b / 8] |= (uint8_t)(1u << (b % 8));
	if (b + 8 <= b1) {
		memset(d->map + b / 8, 0xff, (b1 - b) / 8);
		b += (b1 - b) / 8 * 8;
	}
	for (; b < b1; b++)
		d->map[b / 8] |= (uint8_t)(1u << (b % 8));
	d->blocks_held += (uint32_t)(b1 - b0);
}

/* Payload bytes of [off, off+len) not yet held (whole blocks; the block that
 * holds `end` counts only up to it).  off is a multiple of 8. */
static size_t new_bytes(const struct dgram *d, size_t off, size_t len)
{
	if (held_in(d, off / 8, (off + len + 7) / 8) == 0)
		return len;   /* the common case: nothing of it held */
	size_t n = 0;
	for (size_t b = off / 8; b * 8 < off + len; b++) {
		if (!block_held(d, b)) {
			size_t s = b * 8, e = s + 8;
			if (e > off + len)
				e = off + len;
			n += e - s;
		}
	}
	return n;
}

static int drop(struct ipv4_reass *r, enum ipv4_reass_drop why, int status)
{
	r->st.drops[why]++;
	return status;
}

/* Drop a whole datagram whose fragments (and the one just offered, when
 * extra is 1) can never be delivered. */
static int drop_dgram(struct ipv4_reass *r, struct dgram *d, size_t extra,
		      enum ipv4_reass_drop why, int status)
{
	r->st.drops[why] += d->nfrags + extra;
	dgram_destroy(r, d);
	return status;
}

int ipv4_reass_input(struct ipv4_reass *r, const uint8_t *frag, size_t len,
		     uint64_t now_ns, uint8_t *out, size_t cap, size_t *out_len)
{
	if (!r || !frag || !out_len || (!out && cap))
		return HN_EINVAL;
	ipv4_reass_expire(r, now_ns);

	struct ipv4_hdr h;
	int rc = ipv4_decode(frag, len, &h);
	if (rc < 0)
		return drop(r, IPV4_REASS_DROP_BAD_HEADER, rc);

	if (!ipv4_is_fragment(&h)) {
		/* Not a fragment: nothing to reassemble, hand it back whole. */
		if (cap < h.total_len)
			return drop(r, IPV4_REASS_DROP_NOSPC, HN_ENOSPC);
		memcpy(out, frag, h.total_len);
		*out_len = h.total_len;
		return 1;
	}

	r->st.fragments++;
	size_t off = (size_t)h.frag_off * 8;
	size_t n = (size_t)h.total_len - h.hdr_len;
	const uint8_t *payload = frag + h.hdr_len;

	if (n == 0)  /* carries nothing: cannot help (FreeBSD drops these) */
		return drop(r, IPV4_REASS_DROP_ZERO_LEN, HN_ELEN);
	/* RFC 791 3.2: all fragments but the last carry a multiple of 8. */
	if (h.mf && n % 8)
		return drop(r, IPV4_REASS_DROP_BAD_LEN, HN_ELEN);
	/* RFC 791 3.1: no datagram is longer than 65535 bytes. */
	if (off + n > IPV4_MAX_LEN)
		return drop(r, IPV4_REASS_DROP_OFFSET, HN_EOFFSET);

	struct dgram *d = dgram_find(r, &h);
	size_t fend = off + n;
	size_t added;
	if (d) {
		/* A fragment with MF clear fixes the end of the datagram; any
		 * disagreement with what is held is refused (RFC 791 3.2:
		 * the last fragment gives the total length). */
		if (d->end_known && (h.mf ? fend > d->end : fend != d->end))
			return drop(r, IPV4_REASS_DROP_BAD_END, HN_ELEN);
		if (!d->end_known && !h.mf && fend < d->extent)
			return drop(r, IPV4_REASS_DROP_BAD_END, HN_ELEN);
		/* The header of the reassembled datagram must fit too. */
		if (!h.mf && d->hdr_len && d->hdr_len + fend > IPV4_MAX_LEN)
			return drop(r, IPV4_REASS_DROP_OFFSET, HN_EOFFSET);
		if (off == 0 && !d->hdr_len && d->end_known &&
		    h.hdr_len + d->end > IPV4_MAX_LEN)
			return drop(r, IPV4_REASS_DROP_OFFSET, HN_EOFFSET);
		added = new_bytes(d, off, n);
		if (added == 0)  /* everything already held */
			return drop(r, IPV4_REASS_DROP_DUPLICATE, HN_EEXIST);
	} else {
		if (r->lim.max_datagrams &&
		    r->st.held_datagrams >= r->lim.max_datagrams)
			return drop(r, IPV4_REASS_DROP_MAX_DATAGRAMS, HN_ELIMIT);
		added = n;
	}
	/* RFC 1122 3.3.2: reassembly space is bounded; the new fragment is the
	 * one refused. */
	if (r->lim.max_bytes && r->st.held_bytes + added > r->lim.max_bytes)
		return drop(r, IPV4_REASS_DROP_MAX_BYTES, HN_ELIMIT);

	/* From here on the fragment is accepted (only ENOMEM can refuse). */
	bool created = false;
	if (!d) {
		d = dgram_create(r, &h, now_ns);
		if (!d)
			return drop(r, IPV4_REASS_DROP_NOMEM, HN_ENOMEM);
		created = true;
	}
	if (fend > d->cap) {
		size_t ncap = d->cap ? d->cap * 2 : 512;
		if (ncap < fend)
			ncap = fend;
		if (ncap > IPV4_MAX_LEN)
			ncap = IPV4_MAX_LEN;
		uint8_t *p = realloc(d->data, ncap);
		if (!p) {
			if (created)
				dgram_destroy(r, d);
			return drop(r, IPV4_REASS_DROP_NOMEM, HN_ENOMEM);
		}
		d->data = p;
		d->cap = ncap;
	}

	/* Copy only the blocks not yet held: existing data wins (FreeBSD
	 * ip_reass.c trims the new fragment against its neighbours). */
	if (added == n) {
		/* No block of it held (off is a multiple of 8): one copy. */
		memcpy(d->data + off, payload, n);
		hold_blocks(d, off / 8, (fend + 7) / 8);
	} else {
		r->st.overlaps_trimmed++;
	}
	for (size_t b = off / 8; added != n && b * 8 < fend;) {
		if (block_held(d, b)) {
			b++;
			continue;
		}
		/* One copy per run of blocks not held. */
		size_t s = b * 8;
		size_t b0 = b;
		while (b * 8 < fend && !block_held(d, b))
			b++;
		hold_blocks(d, b0, b);
		size_t e = b * 8 > fend ? fend : b * 8;
		memcpy(d->data + s, payload + (s - off), e - s);
	}
	d->bytes += added;
	r->st.held_bytes += added;
	d->nfrags++;
	if (fend > d->extent)
		d->extent = (uint32_t)fend;
	if (!h.mf) {
		d->end_known = true;
		d->end = (uint32_t)fend;
	}
	if (off == 0 && !d->hdr_len) {
		/* RFC 791 3.2: the offset-0 fragment's header (with all its
		 * options) becomes the reassembled datagram's header. */
		memcpy(d->hdr, frag, h.hdr_len);
		d->hdr_len = h.hdr_len;
	}

	if (!d->end_known || d->blocks_held != (d->end + 7) / 8)
		return 0;

	/* Complete: header of the offset-0 fragment, MF and offset cleared,
	 * new total length, fresh checksum. */
	size_t total = (size_t)d->hdr_len + d->end;
	if (cap < total)
		return drop_dgram(r, d, 0, IPV4_REASS_DROP_NOSPC, HN_ENOSPC);
	memcpy(out, d->hdr, d->hdr_len);
	memcpy(out + d->hdr_len, d->data, d->end);
	net_put16(out + 2, (uint16_t)total);
	net_put16(out + 6, (uint16_t)(net_get16(out + 6) & ~(FLAG_MF | FRAG_MASK)));
	ipv4_update_checksum(out);
	*out_len = total;
	r->st.reassembled++;
	dgram_destroy(r, d);
	return 1;
}

const struct ipv4_reass_stats *ipv4_reass_stats(const struct ipv4_reass *r)
{
	return &r->st;
}

const char *ipv4_reass_drop_name(enum ipv4_reass_drop d)
{
	static const char *const names[IPV4_REASS_NDROP] = { IPV4_REASS_STATS(COUNTER_SKIP, COUNTER_NAME) };
	return (unsigned)d < IPV4_REASS_NDROP ? names[d] : "unknown";
}

#define STAT_C(field, name, doc) COUNTER_DEF(struct ipv4_reass_stats, field, name, doc)
#define STAT_D(e, name, doc) COUNTER_DROP_DEF(struct ipv4_reass_stats, IPV4_REASS_DROP_##e, "reass_" name, doc)
static const struct counter_def counter_defs[] = { IPV4_REASS_STATS(STAT_C, STAT_D) };
const struct counter_set ipv4_reass_counters = COUNTER_SET("reass", counter_defs);
