/* mss.h - TCP MSS option clamping on an IPv4 datagram, in place.
 *
 * Governs: RFC 9293 section 3.1 (TCP header, option kind 2 length 4: MSS;
 * kind 0 end of list, kind 1 no-op), RFC 879 (MSS = MTU - 40 for 20-byte IP
 * and TCP headers), RFC 1624 section 3 (incremental checksum update,
 * HC' = ~(~HC + ~m + m')).  Linux's iptables TCPMSS --set-mss: a SYN's MSS
 * option is lowered so that its receiver's full segments fit a smaller MTU
 * (the option bounds what the SYN's receiver sends back; a tunnel carrying
 * the other direction needs the option of the reverse SYN lowered).  Only
 * the TCP checksum changes: the IP header is untouched. */
#ifndef NET_MSS_H
#define NET_MSS_H
#include <stddef.h>
#include <stdint.h>

#define TCP_OPT_EOL 0
#define TCP_OPT_NOP 1
#define TCP_OPT_MSS 2
#define TCP_OPT_MSS_LEN 4
#define TCP_FLAG_SYN 0x02

/* If the datagram at dg[0..len) is an unfragmented TCP SYN (SYN or SYN+ACK)
 * carrying an MSS option greater than max_mss, rewrite the option to max_mss
 * and fix the TCP checksum incrementally.  *old_mss (if not NULL) receives
 * the MSS found (0 when none).  Returns 1 when clamped, 0 when left alone
 * (not a SYN, no MSS option, MSS already <= max_mss), or HN_EPROTO (not
 * TCP), HN_EFRAG (a fragment), HN_ETRUNC (TCP header or options past the
 * datagram, data offset < 5, option length 0/1 or past the header: a
 * malformed option list), HN_EINVAL (max_mss 0, NULL dg). The IP header must
 * already have been validated (ipv4_decode). */
int mss_clamp(uint8_t *dg, size_t len, uint16_t max_mss, uint16_t *old_mss);
#endif
