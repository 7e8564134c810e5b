/* param.c - parsing and printing of parameter tables; see param.h. */
#include "param.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/ipv4.h"
#include "status.h"

struct unit {
	const char *name;
	double factor;
};

static const struct unit time_units[] = {
	{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 }, { NULL, 0 } };
static const struct unit rate_units[] = {
	{ "bps", 1 }, { "kbps", 1e3 }, { "Mbps", 1e6 }, { "Gbps", 1e9 }, { NULL, 0 } };
static const struct unit byte_units[] = {
	{ "", 1 }, { "B", 1 }, { "kB", 1e3 }, { "KiB", 1024 }, { "MB", 1e6 },
	{ "MiB", 1048576 }, { NULL, 0 } };

int param_split_number(const char *text, double *v, const char **unit)
{
	char *end;
	errno = 0;
	*v = strtod(text, &end);
	if (end == text || errno || !isfinite(*v))
		return HN_ECONFIG;
	while (*end == ' ')
		end++;
	*unit = end;
	return HN_OK;
}

/* The unit kinds and the base unit each is shown in: times are kept in ns
 * but read in seconds. */
static const struct {
	const struct unit *units;
	const char *base;
	double base_factor;           /* a kept value / base_factor is in base units */
} kinds_of_unit[] = {
	{ time_units, "s", 1e9 }, { rate_units, "bit/s", 1 }, { byte_units, "bytes", 1 },
};

int param_unit_base(const char *unit, const char **base, double *to_base)
{
	for (size_t k = 0; k < sizeof kinds_of_unit / sizeof kinds_of_unit[0]; k++)
		for (const struct unit *u = kinds_of_unit[k].units; u->name; u++)
			if (!strcmp(unit, u->name)) {
				*base = kinds_of_unit[k].base;
				*to_base = u->factor / kinds_of_unit[k].base_factor;
				return HN_OK;
			}
	return HN_ENOENT;
}

/* Number followed by an optional unit from units (required when the table
 * has no "" entry). */
static int parse_number_unit(const char *text, const struct unit *units, double *out,
			     char *err, size_t errlen)
{
	double v;
	const char *end;
	if (param_split_number(text, &v, &end) != HN_OK) {
		snprintf(err, errlen, "'%s' is not a number", text);
		return HN_ECONFIG;
	}
	for (const struct unit *u = units; u->name; u++) {
		if (!strcmp(end, u->name)) {
			*out = v * u->factor;
			return HN_OK;
		}
	}
	char list[128] = "";
	for (const struct unit *u = units; u->name; u++)
		if (*u->name) {
			strncat(list, " ", sizeof list - strlen(list) - 1);
			strncat(list, u->name, sizeof list - strlen(list) - 1);
		}
	if (*end)
		snprintf(err, errlen, "'%s': unknown unit '%s', one of:%s", text, end, list);
	else
		snprintf(err, errlen, "'%s' needs a unit, one of:%s", text, list);
	return HN_ECONFIG;
}

static int check_range(const struct param_def *d, double v, const char *text, char *err,
		       size_t errlen)
{
	if (v < d->min || v > d->max) {
		snprintf(err, errlen, "%s = %s is out of range [%g, %g]%s%s", d->name, text,
			 d->min, d->max, *d->unit ? " " : "", d->unit);
		return HN_ECONFIG;
	}
	return HN_OK;
}

/* An unsigned value into a field of width size (the table's range keeps it
 * within the width). */
static void store_uint(char *field, size_t size, uint64_t u)
{
	switch (size) {
	case 1: { uint8_t x = (uint8_t)u; memcpy(field, &x, 1); break; }
	case 2: { uint16_t x = (uint16_t)u; memcpy(field, &x, 2); break; }
	case 4: { uint32_t x = (uint32_t)u; memcpy(field, &x, 4); break; }
	default: memcpy(field, &u, sizeof u); break;
	}
}

int param_parse(const struct param_def *d, const char *text, void *base, char *err,
		size_t errlen)
{
	char *field = (char *)base + d->offset;
	double v = 0;
	int rc = HN_OK;

	switch (d->type) {
	case PARAM_U64:
	case PARAM_DOUBLE: {
		char *end;
		errno = 0;
		v = strtod(text, &end);
		if (end == text || *end || errno || !isfinite(v)) {
			snprintf(err, errlen, "%s: '%s' is not a number", d->name, text);
			return HN_ECONFIG;
		}
		if (d->type == PARAM_U64 && v != floor(v)) {
			snprintf(err, errlen, "%s: '%s' is not an integer", d->name, text);
			return HN_ECONFIG;
		}
		break;
	}
	case PARAM_TIME:
		rc = parse_number_unit(text, time_units, &v, err, errlen);
		break;
	case PARAM_RATE:
		rc = parse_number_unit(text, rate_units, &v, err, errlen);
		break;
	case PARAM_BYTES:
		rc = parse_number_unit(text, byte_units, &v, err, errlen);
		if (rc == HN_OK && v != floor(v)) {
			snprintf(err, errlen, "%s: '%s' is not a whole number of bytes", d->name, text);
			return HN_ECONFIG;
		}
		break;
	case PARAM_STRING:
		if (strlen(text) >= d->size) {
			snprintf(err, errlen, "%s: value longer than %zu characters", d->name,
				 d->size - 1);
			return HN_ECONFIG;
		}
		snprintf(field, d->size, "%s", text);
		return HN_OK;
	case PARAM_ADDR: {
		uint32_t a;
		if (ipv4_aton(text, &a) != HN_OK) {
			snprintf(err, errlen, "%s: '%s' is not an IPv4 address", d->name, text);
			return HN_ECONFIG;
		}
		memcpy(field, &a, sizeof a);
		return HN_OK;
	}
	case PARAM_BOOL: {
		int b;
		if (!strcasecmp(text, "true") || !strcasecmp(text, "yes") || !strcmp(text, "1"))
			b = 1;
		else if (!strcasecmp(text, "false") || !strcasecmp(text, "no") || !strcmp(text, "0"))
			b = 0;
		else {
			snprintf(err, errlen, "%s: '%s' is not a boolean (true/false)", d->name, text);
			return HN_ECONFIG;
		}
		store_uint(field, d->size ? d->size : sizeof(int), (uint64_t)b);
		return HN_OK;
	}
	case PARAM_ENUM: {
		for (size_t i = 0; d->choices && d->choices[i]; i++)
			if (!strcmp(text, d->choices[i])) {
				int e = (int)i;
				memcpy(field, &e, sizeof e);
				return HN_OK;
			}
		char list[200] = "";
		param_choices_text(d, ", ", list, sizeof list);
		snprintf(err, errlen, "%s: '%s' is not one of: %s", d->name, text, list);
		return HN_ECONFIG;
	}
	}
	if (rc != HN_OK) {
		char tmp[200];
		snprintf(tmp, sizeof tmp, "%s", err);
		snprintf(err, errlen, "%s: %s", d->name, tmp);
		return rc;
	}
	if ((rc = check_range(d, v, text, err, errlen)) != HN_OK)
		return rc;
	if (d->type == PARAM_DOUBLE)
		memcpy(field, &v, sizeof v);
	else
		store_uint(field, d->size ? d->size : sizeof(uint64_t), (uint64_t)llround(v));
	return HN_OK;
}

void param_choices_text(const struct param_def *d, const char *sep, char *out, size_t len)
{
	size_t used = 0;
	out[0] = 0;
	for (size_t i = 0; d->choices && d->choices[i] && used < len; i++) {
		int n = snprintf(out + used, len - used, "%s%s", i ? sep : "", d->choices[i]);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

size_t param_value_size(const struct param_def *d)
{
	switch (d->type) {
	case PARAM_STRING:
		return d->size;
	case PARAM_ADDR:
		return sizeof(uint32_t);
	case PARAM_ENUM:
		return sizeof(int);
	case PARAM_DOUBLE:
		return sizeof(double);
	case PARAM_BOOL:
		return d->size ? d->size : sizeof(int);
	default:
		return d->size ? d->size : sizeof(uint64_t);
	}
}

const struct param_def *param_find(const struct param_def *tab, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(tab[i].name, name))
			return &tab[i];
	return NULL;
}

void param_print_table(FILE *out, const char *section, const struct param_def *tab, size_t n)
{
	fprintf(out, "\n### [%s]\n\n| key | default | unit | range | meaning |\n|---|---|---|---|---|\n",
		section);
	for (size_t i = 0; i < n; i++) {
		const struct param_def *d = &tab[i];
		char range[128] = "";
		switch (d->type) {
		case PARAM_TIME:   /* ranges are kept in ns; shown in seconds */
			snprintf(range, sizeof range, "%g .. %g", d->min / 1e9, d->max / 1e9);
			break;
		case PARAM_U64: case PARAM_DOUBLE: case PARAM_RATE: case PARAM_BYTES:
			snprintf(range, sizeof range, "%g .. %g", d->min, d->max);
			break;
		case PARAM_ENUM:
			param_choices_text(d, ", ", range, sizeof range);
			break;
		default:
			break;
		}
		fprintf(out, "| `%s` | %s | %s | %s | %s |\n", d->name,
			d->def ? (*d->def ? d->def : "(empty)") : "(required)", d->unit, range, d->doc);
	}
}
