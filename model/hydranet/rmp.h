/* rmp.h - wire format of HydraNet's replica-management and routing messages.
 *
 * Paper, sections 3 and 5: a replica manager on the origin host installs and
 * removes replicas on host servers (their replication servers), which report
 * load back; when a replica binds a port, the host server's routing daemon
 * announces the service access point to the redirectors over well-known UDP
 * ports, and withdraws it on removal.  The byte layout is specified in
 * docs/rmp.md; this module is its only encoder and decoder.  Every field is
 * bounds-checked; a message that fails a check is refused with a status the
 * receiver counts as a drop reason, never trusted.  Not here: the daemons
 * that send and act on the messages. */
#ifndef HN_RMP_H
#define HN_RMP_H
#include <stddef.h>
#include <stdint.h>

#define RMP_VERSION 1
#define RMP_HDR_LEN 8
#define RMP_MAX_PORTS 16            /* ports of one service in INSTALL */
#define RMP_MAX_ENTRIES 64          /* access points in one ANNOUNCE */
#define RMP_MAX_LEN (RMP_HDR_LEN + 8 + 8 * RMP_MAX_ENTRIES)
/* SANNOUNCE: the origin's authorisation (RMP_AUTH_FIXED + 2n bytes), its
 * signature, the announcement (4 + 2m) and the host server's signature. */
#define RMP_KEY_LEN 32              /* Ed25519 public key */
#define RMP_HASH_LEN 32             /* SHA-256 of the code image */
#define RMP_SIG_LEN 64              /* Ed25519 signature */
#define RMP_AUTH_FIXED 84           /* authorisation before its ports */
#define RMP_SANN_BODY(n, m) (RMP_AUTH_FIXED + 2 * (n) + RMP_SIG_LEN + 4 + 2 * (m) + RMP_SIG_LEN)
#define RMP_PORT_ROUTING 5300       /* routing daemons, UDP (assumed: the paper names no number) */
#define RMP_PORT_MANAGER 5301       /* replication servers, TCP (assumed) */

enum rmp_type {
	RMP_INSTALL = 1,        /* manager -> replication server; the image follows */
	RMP_INSTALL_ACK = 2,    /* replication server -> manager: replica bound */
	RMP_REMOVE = 3,         /* manager -> replication server */
	RMP_REMOVE_ACK = 4,
	RMP_LOAD = 5,           /* replication server -> manager, periodic */
	RMP_PUSH = 6,           /* manager -> replication server; the object follows */
	RMP_METER = 7,          /* replication server -> manager: hit metering, periodic */
	RMP_AUTHORISE = 8,      /* manager -> replication server, before INSTALL: the signed authorisation */
	RMP_ANNOUNCE = 16,      /* routing daemon -> redirectors (UDP) */
	RMP_WITHDRAW = 17,      /* routing daemon -> redirectors (UDP) */
	RMP_SANNOUNCE = 18      /* signed ANNOUNCE (lifetime 0: signed WITHDRAW), UDP */
};

struct rmp_sap {                /* a service access point */
	uint32_t origin;
	uint16_t port;
	uint8_t proto;          /* 6 or 17 */
};

struct rmp_msg {
	uint8_t type;           /* enum rmp_type */
	uint32_t seq;           /* sender's sequence number; acks echo it */
	uint32_t origin;        /* INSTALL, REMOVE, ACKs, LOAD, PUSH, METER */
	uint16_t service;       /* service id at the origin (same messages) */
	uint8_t proto;          /* INSTALL */
	uint8_t nports;         /* INSTALL: 1..RMP_MAX_PORTS */
	uint16_t ports[RMP_MAX_PORTS];
	uint32_t image_bytes;   /* INSTALL: code image bytes that follow */
	uint8_t status;         /* ACKs: 0 ok, else an error */
	uint32_t requests;      /* LOAD: requests served in the interval */
	uint32_t interval_ms;   /* LOAD, METER: length of the interval */
	uint64_t bytes;         /* LOAD: bytes served in the interval */
	uint32_t object;        /* PUSH: object id at the origin */
	uint32_t version;       /* PUSH: its version (a modification counter) */
	uint32_t expires_s;     /* PUSH: seconds it stays fresh, 0 = no limit */
	uint32_t object_bytes;  /* PUSH: object bytes that follow, <= RMP_MAX_OBJECT */
	uint32_t hits;          /* METER: requests answered from the cache in the interval */
	uint32_t misses;        /* METER: requests sent on to the manager in the interval */
	uint32_t host_server;   /* ANNOUNCE, WITHDRAW */
	uint16_t lifetime_s;    /* ANNOUNCE: 1..RMP_MAX_LIFETIME; WITHDRAW: 0 */
	uint8_t nsaps;          /* ANNOUNCE, WITHDRAW: 1..RMP_MAX_ENTRIES */
	struct rmp_sap saps[RMP_MAX_ENTRIES];
	/* SANNOUNCE and AUTHORISE: origin, service, proto, nports, ports are the authorisation's;
	 * host_server and lifetime_s the announcement's (the authorisation names
	 * the same host server); seq, in the signed header, orders announcements. */
	uint32_t not_before_s;  /* SANNOUNCE: authorisation valid from (s of model time) */
	uint32_t not_after_s;   /* SANNOUNCE: ... until, inclusive; >= not_before_s */
	uint8_t hs_key[RMP_KEY_LEN];        /* SANNOUNCE: the host server's public key */
	uint8_t image_hash[RMP_HASH_LEN];   /* SANNOUNCE: the replica's code image */
	uint8_t origin_sig[RMP_SIG_LEN];    /* SANNOUNCE: origin over the authorisation */
	uint8_t nann;                       /* SANNOUNCE: ports announced, 1..RMP_MAX_PORTS */
	uint16_t ann_ports[RMP_MAX_PORTS];
	uint8_t hs_sig[RMP_SIG_LEN];        /* SANNOUNCE: host server over all before it */
};

#define RMP_MAX_LIFETIME 3600
#define RMP_MAX_OBJECT (16u << 20)  /* bytes of one pushed object */

/* Encode m into buf; returns the message length or HN_ENOSPC/HN_EINVAL
 * (a field out of its range: the encoder refuses what the decoder would). */
int rmp_encode(const struct rmp_msg *m, uint8_t *buf, size_t cap);

/* Decode one message from buf[0..len).  Returns the message length (bytes
 * consumed), 0 when len holds only part of a message (stream: read more),
 * or a negative status: HN_ETRUNC, HN_EVERSION, HN_EPROTO (unknown type or
 * protocol), HN_ELEN (length field inconsistent), HN_EINVAL (a field out of
 * range).  Borrows buf. */
int rmp_decode(const uint8_t *buf, size_t len, struct rmp_msg *m);

const char *rmp_type_name(uint8_t type);
#endif
