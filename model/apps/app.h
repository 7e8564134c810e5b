/* app.h - what every client application records per request.
 *
 * The server names itself in each reply (HTTP Server: header, telnet
 * banner), so "which node served this client" is read off the bytes the
 * client received, end to end, not from the model's tables. */
#ifndef HN_APP_H
#define HN_APP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define APP_NAME_MAX 48

struct app_result {
	uint64_t start_ns;          /* connect() */
	uint64_t connected_ns;      /* connection established (TCP handshake done); 0 if never */
	uint64_t end_ns;            /* last byte received; 0 if never */
	uint64_t done_ns;           /* when it ended, however (HTTP); 0 if it did not */
	uint64_t bytes_sent;        /* application bytes the client sent */
	uint64_t bytes_received;    /* application bytes the client received */
	char served_by[APP_NAME_MAX];  /* node named in the reply, "" if none */
	uint32_t object;            /* object asked for (HTTP with objects > 0) */
	uint8_t cache;              /* enum app_cache: what the reply's X-Cache said */
	uint8_t outcome;            /* enum app_outcome (HTTP) */
	bool ok;                    /* reply complete and byte-exact */
	bool started;               /* the request was made (a user may leave first) */
};

/* How a request ended (HTTP clients): ok; reset (the connection closed
 * with an error: a RST, or TCP giving up on connect or retransmission);
 * timed out (the client's own timeout fired first); failed (closed cleanly
 * but the reply was incomplete or wrong); unfinished (still open when the
 * run stopped, or never started). */
enum app_outcome { APP_UNFINISHED, APP_OK, APP_RESET, APP_TIMED_OUT, APP_FAILED };
/* Its name in the results database (requests.outcome): "unfinished", "ok",
 * "reset", "timed_out", "failed"; NULL for a value out of range. */
const char *app_outcome_name(unsigned outcome);

/* A HydraWeb replica names hits and misses in an X-Cache header (the
 * convention of Web caches); a reply without one is APP_CACHE_NONE. */
enum app_cache { APP_CACHE_NONE, APP_CACHE_HIT, APP_CACHE_MISS };

/* Think time between requests: fixed, or exponential with that mean drawn
 * from the workload's own GSL stream (rng is a gsl_rng *, NULL for fixed). */
struct app_think {
	uint64_t mean_ns;
	void *rng;
};

/* The next think time in ns. */
uint64_t app_think_next(const struct app_think *t);

/* Deterministic content: byte i of a payload stream.  Both ends use it, so
 * the receiver checks every byte. */
static inline uint8_t app_pattern(uint64_t i)
{
	return (uint8_t)(i * 7 + 3);
}

/* Byte i of Web object `id`: app_pattern mixed with the bytes of a
 * multiplicative hash of the id (a bijection of 32-bit ids), so any two
 * distinct objects differ within their first four bytes and a client that
 * gets the wrong object (from a cache, say) notices.  Object 0 is
 * app_pattern. */
static inline uint8_t app_object_byte(uint32_t id, uint64_t i)
{
	return app_pattern(i) ^ (uint8_t)((id * 2654435761u) >> (8 * (i % 4)));
}
#endif
