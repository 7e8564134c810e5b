/* redirect.h - HTTP redirection, the alternative to HydraNet that the
 * paper's section 2 dismisses: the origin answers a request with
 * "302 Moved Temporarily" and a Location naming the same object on a
 * replica's host server (RFC 1945 9.3 and 10.11: an absolute URI), and the
 * client makes one more connection to it.
 *
 * This module is the Location line's only writer and reader: the writer
 * names an IPv4 address, a port and a path; the reader takes it back from
 * a response header received from the network, every field bounds-checked
 * (a dotted-quad host of four decimal octets, a port 1..65535, a path
 * starting with '/' that fits), refusing anything else with a counted
 * reason.  Not here: the server and client (http.c), the choice of
 * replica (model/world/alternatives.c). */
#ifndef HN_REDIRECT_H
#define HN_REDIRECT_H
#include <stddef.h>
#include <stdint.h>

#define REDIRECT_STATUS 302
#define REDIRECT_PATH_MAX 256

/* Why a 302 was not followed: D(REASON, "drop name", "doc"). */
#define REDIRECT_REFUSALS(D) \
	D(NO_LOCATION, "redirect_no_location", "302 reply without a Location header (RFC 1945 10.11)") \
	D(SCHEME, "redirect_scheme", "Location not an http:// absolute URI (RFC 1945 10.11)") \
	D(HOST, "redirect_host", "Location host not a dotted-quad IPv4 address (names are not resolved here)") \
	D(PORT, "redirect_port", "Location port not 1..65535") \
	D(PATH, "redirect_path", "Location path empty, not starting with '/', or too long")
#define REDIRECT_REFUSAL_ENUM(e, name, doc) REDIRECT_REFUSE_##e,
enum redirect_refusal { REDIRECT_REFUSALS(REDIRECT_REFUSAL_ENUM) REDIRECT_NREFUSALS };

/* Write "Location: http://A.B.C.D[:PORT]PATH\r\n" (the port only when not
 * 80, RFC 1945 3.2.2) into buf.  Returns its length, or HN_EINVAL (path
 * not starting with '/', or port 0) / HN_ENOSPC. */
int redirect_location_format(char *buf, size_t cap, uint32_t addr, uint16_t port,
			     const char *path);

/* Find the Location header in the NUL-terminated response header hdr
 * (header names are case-insensitive, RFC 1945 4.2) and read it.  Returns
 * HN_OK and fills addr, port (80 when absent) and path (cap bytes), or
 * HN_EPROTO with *why set.  Borrows hdr. */
int redirect_location_parse(const char *hdr, uint32_t *addr, uint16_t *port, char *path,
			    size_t cap, enum redirect_refusal *why);

const char *redirect_refusal_name(enum redirect_refusal r);
#endif
