/* fuzz_hchk.c - libFuzzer target for the health-check decoder.
 *
 * Every input the decoder accepts must re-encode to exactly its bytes (one
 * encoding per message, no padding), and a refusal must be one of the
 * documented drop reasons.  A refused input leaves the decoder's caller
 * nothing to trust; the prober and responder count it and go on. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hydranet/hchk.h"

/* libFuzzer's entry point. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hchk_msg m;
	int rc = hchk_decode(data, size, &m);
	if (rc >= 0) {
		if (rc >= HCHK_NDROP)
			abort();
		return 0;
	}
	if (rc != -1 || size != HCHK_LEN)
		abort();
	uint8_t out[HCHK_LEN];
	if (hchk_encode(&m, out, sizeof out) != HCHK_LEN || memcmp(out, data, HCHK_LEN) != 0)
		abort();
	return 0;
}
