/* param.h - model parameters declared once, as tables (STYLE.md, rule 8).
 *
 * Each model section (simulation, node, link, ...) declares a table of
 * struct param_def: name, type, default, unit, valid range and a doc string,
 * and where the value lands in its C struct.  The scenario parser fills
 * structs only through these tables, `hydranet params` prints them, and the
 * README's reference comes from that output.  Values are text with units:
 * times "1.5ms", rates "10Mbps", sizes "1500" or "64KiB". */
#ifndef HN_PARAM_H
#define HN_PARAM_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum param_type {
	PARAM_U64,      /* unsigned integer of the field's width (size) */
	PARAM_DOUBLE,   /* real number */
	PARAM_TIME,     /* uint64_t nanoseconds; units ns, us, ms, s */
	PARAM_RATE,     /* uint64_t bits/s; units bps, kbps, Mbps, Gbps */
	PARAM_BYTES,    /* uint64_t bytes; units B, kB, KiB, MB, MiB */
	PARAM_STRING,   /* char[size] */
	PARAM_ADDR,     /* uint32_t IPv4, dotted quad */
	PARAM_BOOL,     /* bool or int: true/false, yes/no, 1/0 */
	PARAM_ENUM      /* int-sized enum: index into choices */
};

struct param_def {
	const char *name;
	enum param_type type;
	const char *def;        /* default, as a value would be written; NULL: required */
	const char *unit;       /* for the reference ("s", "bit/s", "bytes", "") */
	double min, max;        /* valid range in the base unit (numbers only) */
	const char *doc;
	size_t offset;          /* where the value goes in the module's struct */
	size_t size;            /* bytes of the field: a string's buffer, an integer's width */
	const char *const *choices;   /* PARAM_ENUM: value names, NULL-terminated, in enum order */
};

/* The offset and size of a field, for a table entry. */
#define PARAM_AT(type, field) offsetof(type, field), sizeof(((type *)0)->field)
/* A PARAM_ENUM's value names; index i is enum value i. */
#define PARAM_CHOICES(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* A module's table placed at base in a larger struct (a section's object);
 * n points at the table's length (tables are defined in their modules). */
struct param_block {
	const struct param_def *defs;
	const size_t *n;
	size_t base;
};

/* Parse text as def's type into the struct at base.  On error returns a
 * negative status and writes a message (without file:line) into err. */
int param_parse(const struct param_def *def, const char *text, void *base,
		char *err, size_t errlen);

/* A number and what follows it ("1.5ms" -> 1.5 and "ms"; spaces between
 * skipped): HN_OK, or HN_ECONFIG when text does not start with a number. */
int param_split_number(const char *text, double *v, const char **unit);
/* The base unit of a value unit ("ms" -> "s", "Mbps" -> "bit/s", "KiB" or
 * "" -> "bytes") and the factor to it (1e-3 for ms): HN_OK, or HN_ENOENT. */
int param_unit_base(const char *unit, const char **base, double *to_base);

/* A PARAM_ENUM's value names joined by sep, into out. */
void param_choices_text(const struct param_def *def, const char *sep, char *out, size_t len);

/* Bytes the value of def occupies in its struct. */
size_t param_value_size(const struct param_def *def);

/* Look a key up in a table of n defs; NULL if unknown. */
const struct param_def *param_find(const struct param_def *tab, size_t n, const char *name);

/* Print a table as a reference (markdown table rows). */
void param_print_table(FILE *out, const char *section, const struct param_def *tab, size_t n);
#endif
