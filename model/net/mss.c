/* mss.c - TCP MSS option clamping with an incremental checksum (mss.h). */
#include "net/mss.h"

#include "net/bytes.h"
#include "net/ipv4.h"
#include "status.h"

int mss_clamp(uint8_t *dg, size_t len, uint16_t max_mss, uint16_t *old_mss)
{
	if (old_mss)
		*old_mss = 0;
	if (!dg || max_mss == 0)
		return HN_EINVAL;
	if (len < IPV4_HDR_MIN)
		return HN_ETRUNC;
	size_t ihl = (size_t)(dg[0] & 0x0f) * 4;
	size_t total = net_get16(dg + 2);
	if (ihl < IPV4_HDR_MIN || total < ihl || total > len)
		return HN_ETRUNC;
	if (dg[9] != IPV4_PROTO_TCP)
		return HN_EPROTO;
	uint16_t fl = net_get16(dg + 6);
	if ((fl & 0x2000) || (fl & 0x1fff))  /* MF or offset: a fragment */
		return HN_EFRAG;
	uint8_t *tcp = dg + ihl;
	size_t seg = total - ihl;
	if (seg < 20)
		return HN_ETRUNC;
	size_t doff = (size_t)(tcp[12] >> 4) * 4;
	if (doff < 20 || doff > seg)
		return HN_ETRUNC;
	if (!(tcp[13] & TCP_FLAG_SYN))
		return 0;
	size_t i = 20;
	while (i < doff) {
		uint8_t kind = tcp[i];
		if (kind == TCP_OPT_EOL)
			break;
		if (kind == TCP_OPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= doff)
			return HN_ETRUNC;
		uint8_t olen = tcp[i + 1];
		if (olen < 2 || i + olen > doff)
			return HN_ETRUNC;
		if (kind == TCP_OPT_MSS && olen == TCP_OPT_MSS_LEN) {
			uint16_t mss = net_get16(tcp + i + 2);
			if (old_mss)
				*old_mss = mss;
			if (mss <= max_mss)
				return 0;
			uint16_t ck = net_get16(tcp + 16);
			/* The MSS value is one 16-bit word of the checksummed
			 * data when it starts at an even offset in the segment;
			 * at an odd offset its bytes straddle two words, and the
			 * two words are updated in turn. */
			if ((i + 2) % 2 == 0) {
				ck = ipv4_checksum_adjust(ck, mss, max_mss);
			} else {
				/* Only the changed bytes matter: the unchanged half of
				 * each word cancels (and may lie past the segment). */
				ck = ipv4_checksum_adjust(ck, (uint16_t)(mss >> 8), (uint16_t)(max_mss >> 8));
				ck = ipv4_checksum_adjust(ck, (uint16_t)((mss & 0xff) << 8),
						   (uint16_t)((max_mss & 0xff) << 8));
			}
			net_put16(tcp + i + 2, max_mss);
			net_put16(tcp + 16, ck);
			return 1;
		}
		i += olen;
	}
	return 0;
}
