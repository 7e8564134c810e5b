/* fuzz_redirect.c - libFuzzer target for redirect.c (the Location header of
 * an HTTP 302, RFC 1945 10.11).
 *
 * The input, NUL-terminated, is a response header received from the
 * network.  A refusal must name its reason and leave the outputs alone.
 * When the Location is read: the path starts with '/' and fits; writing it
 * back with redirect_location_format and reading that again gives the same
 * address, port and path.  Any mismatch aborts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apps/redirect.h"
#include "status.h"

static void check(int ok)
{
	if (!ok)
		abort();
}

/* libFuzzer's entry point. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char hdr[4096];
	if (size >= sizeof hdr)
		return 0;
	memcpy(hdr, data, size);
	hdr[size] = '\0';
	uint32_t addr = 7;
	uint16_t port = 7;
	char path[REDIRECT_PATH_MAX] = "untouched";
	enum redirect_refusal why = REDIRECT_NREFUSALS;
	int rc = redirect_location_parse(hdr, &addr, &port, path, sizeof path, &why);
	if (rc != HN_OK) {
		check(rc == HN_EPROTO && why < REDIRECT_NREFUSALS);
		check(addr == 7 && port == 7 && !strcmp(path, "untouched"));
		return 0;
	}
	check(path[0] == '/' && strlen(path) < REDIRECT_PATH_MAX && port != 0);
	char line[REDIRECT_PATH_MAX + 64];
	int n = redirect_location_format(line, sizeof line, addr, port, path);
	check(n > 0 && (size_t)n == strlen(line));
	uint32_t a2;
	uint16_t p2;
	char path2[REDIRECT_PATH_MAX];
	check(redirect_location_parse(line, &a2, &p2, path2, sizeof path2, &why) == HN_OK);
	check(a2 == addr && p2 == port && !strcmp(path2, path));
	return 0;
}
