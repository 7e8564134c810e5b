/* redirect.c - the Location header of HTTP redirection; see redirect.h. */
#include "apps/redirect.h"

#include <stdio.h>
#include <string.h>

#include "status.h"

int redirect_location_format(char *buf, size_t cap, uint32_t addr, uint16_t port,
			     const char *path)
{
	if (!buf || !path || path[0] != '/' || !port || strlen(path) >= REDIRECT_PATH_MAX)
		return HN_EINVAL;
	char portpart[8] = "";
	if (port != 80)   /* RFC 1945 3.2.2: port 80 when none is given */
		snprintf(portpart, sizeof portpart, ":%u", (unsigned)port);
	int n = snprintf(buf, cap, "Location: http://%u.%u.%u.%u%s%s\r\n", (unsigned)(addr >> 24),
			 (unsigned)(addr >> 16 & 0xff), (unsigned)(addr >> 8 & 0xff),
			 (unsigned)(addr & 0xff), portpart, path);
	if (n < 0 || (size_t)n >= cap)
		return HN_ENOSPC;
	return n;
}

static int refuse(enum redirect_refusal r, enum redirect_refusal *why)
{
	if (why)
		*why = r;
	return HN_EPROTO;
}

/* A decimal number of 1..maxdigits digits at *p, at most max. */
static int number(const char **p, unsigned maxdigits, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	unsigned d = 0;
	while (**p >= '0' && **p <= '9') {
		if (++d > maxdigits)
			return 0;
		v = v * 10 + (unsigned long)(**p - '0');
		(*p)++;
	}
	*out = v;
	return d > 0 && v <= max;
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

int redirect_location_parse(const char *hdr, uint32_t *addr, uint16_t *port, char *path,
			    size_t cap, enum redirect_refusal *why)
{
	if (!hdr || !addr || !port || !path || !cap)
		return HN_EINVAL;
	/* RFC 1945 4.2: "Location:" at the start of a header line, any case */
	const char *p = NULL;
	for (const char *l = hdr; l && *l; l = strstr(l, "\r\n"), l = l ? l + 2 : NULL) {
		static const char name[] = "location:";
		size_t k = 0;
		while (k < sizeof name - 1 && lower((unsigned char)l[k]) == name[k])
			k++;
		if (k == sizeof name - 1) {
			p = l + k;
			break;
		}
	}
	if (!p)
		return refuse(REDIRECT_REFUSE_NO_LOCATION, why);
	while (*p == ' ' || *p == '\t')
		p++;
	/* RFC 1945 10.11: an absolute URI; 3.2.2: the http scheme */
	static const char scheme[] = "http://";
	for (size_t k = 0; k < sizeof scheme - 1; k++, p++)
		if (lower((unsigned char)*p) != scheme[k])
			return refuse(REDIRECT_REFUSE_SCHEME, why);
	uint32_t a = 0;
	for (int i = 0; i < 4; i++) {
		unsigned long o;
		if (!number(&p, 3, 255, &o) || (i < 3 && *p++ != '.'))
			return refuse(REDIRECT_REFUSE_HOST, why);
		a = a << 8 | (uint32_t)o;
	}
	unsigned long pt = 80;
	if (*p == ':') {
		p++;
		if (!number(&p, 5, 65535, &pt) || pt == 0)
			return refuse(REDIRECT_REFUSE_PORT, why);
	}
	if (*p != '/')
		return refuse(REDIRECT_REFUSE_PATH, why);
	size_t n = strcspn(p, "\r\n \t");
	if (n >= cap || n >= REDIRECT_PATH_MAX)
		return refuse(REDIRECT_REFUSE_PATH, why);
	memcpy(path, p, n);
	path[n] = '\0';
	*addr = a;
	*port = (uint16_t)pt;
	return HN_OK;
}

const char *redirect_refusal_name(enum redirect_refusal r)
{
	static const char *const names[REDIRECT_NREFUSALS] = {
#define REDIRECT_REFUSAL_NAME(e, name, doc) name,
		REDIRECT_REFUSALS(REDIRECT_REFUSAL_NAME)
#undef REDIRECT_REFUSAL_NAME
	};
	return (unsigned)r < REDIRECT_NREFUSALS ? names[r] : "unknown";
}
