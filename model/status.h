/* status.h - the one status enum of the HydraNet model.
 *
 * Every function that can fail returns an int: HN_OK (0) or a negative
 * member of enum hn_status; functions that return a count return it as a
 * non-negative int.  hn_strerror() names each code.  Nothing below main()
 * calls exit() or abort() on bad input: bad bytes and bad configuration come
 * back as one of these codes (STYLE.md, rule 5). */
#ifndef HN_STATUS_H
#define HN_STATUS_H

enum hn_status {
	HN_OK = 0,
	HN_ETRUNC = -1,     /* buffer shorter than the header or length says */
	HN_EVERSION = -2,   /* IP version is not 4 */
	HN_EIHL = -3,       /* IHL below 5 or past the buffer */
	HN_ELEN = -4,       /* total length inconsistent with buffer or IHL */
	HN_ECKSUM = -5,     /* header checksum does not verify */
	HN_EDF = -6,        /* must fragment, but DF is set */
	HN_EMTU = -7,       /* MTU too small to carry any data */
	HN_ENOSPC = -8,     /* caller's output buffer too small */
	HN_EOFFSET = -9,    /* fragment offset + length past 65535 */
	HN_ENOMEM = -10,    /* allocation failed */
	HN_ELIMIT = -11,    /* a configured limit was reached */
	HN_EPROTO = -12,    /* wrong protocol for this operation */
	HN_ETTL = -13,      /* TTL expired */
	HN_ELOOP = -14,     /* tunnelling would loop (RFC 2003 section 4) */
	HN_EINVAL = -15,    /* invalid argument from the caller */
	HN_ENOROUTE = -16,  /* no route to the destination */
	HN_EMSGSIZE = -17,  /* datagram larger than the route MTU */
	HN_EEXIST = -18,    /* entry already present */
	HN_ENOENT = -19,    /* no such entry */
	HN_EFRAG = -20,     /* operation needs a whole datagram, got a fragment */
	HN_EIO = -21,       /* I/O error (files, database) */
	HN_ECONFIG = -22,   /* bad configuration */
	HN_ESTATE = -23,    /* call not valid in the current state */
	HN_STATUS_MIN = -23
};

/* Returns a static, human-readable name for a status code. */
const char *hn_strerror(int status);

#endif
