/* nat.h - rewriting an IPv4 address in place, checksums fixed: the data
 * path of a NAT front end (LocalDirector, LVS-NAT).
 *
 * Governs: RFC 3022 section 4.1 (address translation: the IP header
 * checksum and the TCP/UDP checksums, whose pseudo-header holds the
 * addresses, must be updated), RFC 1624 section 3 (incremental update),
 * RFC 768 (a UDP checksum of 0 means none and stays 0; a computed 0 is sent
 * as 0xffff), RFC 791 3.2 (only the first fragment carries the transport
 * header: later fragments change in the IP header only).  Not here: which
 * address (natlb.c). */
#ifndef NET_NAT_H
#define NET_NAT_H
#include <stddef.h>
#include <stdint.h>

/* Which address nat_rewrite changes. */
enum nat_field { NAT_SRC, NAT_DST };

/* Replace the source or destination address of the datagram dg[0..len)
 * by addr, fixing the header checksum and, in an unfragmented datagram or
 * a first fragment, the TCP or UDP checksum.  Returns HN_OK, a decode
 * error of the header (ipv4_decode), or HN_ETRUNC (a first fragment too
 * short to hold the transport checksum).  Other protocols: IP header
 * only. */
int nat_rewrite(uint8_t *dg, size_t len, enum nat_field which, uint32_t addr);
#endif
