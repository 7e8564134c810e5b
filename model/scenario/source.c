/* source.c - scenario entries, overrides and sweeps; see source.h. */
#include "scenario/source.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "param.h"
#include "status.h"

#define MAX_FILE_BYTES (16u << 20)

static void say(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* ---- reading --------------------------------------------------------------- */

/* inih (r55) keeps at most this many characters of a section name and
 * would cut a longer one silently. */
#define INI_SECTION_MAX 49

struct reading {
	struct scn_source *s;
	size_t pos;
	int line, header_line;
	int failed;
	char *err;
	size_t errlen;
	int pending;              /* the last header has had no key yet */
	char pending_name[INI_SECTION_MAX + 1];
};

static struct scn_entry *add_entry(struct scn_source *s);

static void fail(struct reading *r, int line, const char *fmt, ...)
{
	if (r->failed)
		return;   /* first error wins */
	r->failed = 1;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	say(r->err, r->errlen, "%s:%d: %s", r->s->path, line, msg);
}

/* A section header that got no key (inih calls the handler for keys only)
 * becomes an entry with an empty key, so that the second stage still sees
 * the section: an empty [node x] is then missing its role, an empty
 * [nodes x] is an unknown section, instead of both vanishing. */
static void flush_pending(struct reading *r)
{
	if (!r->pending || r->failed)
		return;
	r->pending = 0;
	struct scn_entry *e = add_entry(r->s);
	if (!e) {
		fail(r, r->header_line, "more than %d keys", SCN_MAX_ENTRIES);
		return;
	}
	memcpy(e->section, r->pending_name, strlen(r->pending_name) + 1);
	e->line = r->header_line;
	e->header_line = r->header_line;
}

/* Check a "[section]" line the way inih will read it: the name ends at the
 * first ']' (or at an inline comment, which inih reports as a syntax
 * error).  inih would silently cut a long name and ignore text after the
 * ']', so both are refused here.  Returns 0 after fail(). */
static int header(struct reading *r, const char *start)
{
	const char *c = start + 1;
	int was_space = 0;
	while (*c && *c != ']' && !(was_space && *c == ';')) {
		was_space = isspace((unsigned char)*c);
		c++;
	}
	if (*c != ']')
		return 1;   /* inih reports the syntax error */
	size_t n = (size_t)(c - start - 1);
	if (strspn(start + 1, " \t\v\f") == n) {
		fail(r, r->line, "section header without a name: '[%.*s]'", (int)n, start + 1);
		return 0;
	}
	if (n > INI_SECTION_MAX) {
		fail(r, r->line, "section name '%.*s' longer than %d characters", (int)n, start + 1,
		     INI_SECTION_MAX);
		return 0;
	}
	const char *rest = c + 1;
	while (isspace((unsigned char)*rest))
		rest++;
	if (*rest && *rest != ';' && *rest != '#') {
		size_t m = strcspn(rest, "\r\n");
		fail(r, r->line, "text after [%.*s]: '%.*s' (put each key on its own line)", (int)n,
		     start + 1, (int)(m > 60 ? 60 : m), rest);
		return 0;
	}
	flush_pending(r);
	if (r->failed)
		return 0;
	r->header_line = r->line;
	r->pending = 1;
	memcpy(r->pending_name, start + 1, n);
	r->pending_name[n] = 0;
	return 1;
}

/* inih reader: one line at a time, counting lines and noting section
 * headers.  A line longer than inih's buffer would be split silently, so it
 * is refused here. */
static char *reader(char *buf, int size, void *stream)
{
	struct reading *r = stream;
	const char *text = r->s->text;
	if (r->failed || !text[r->pos])
		return NULL;
	int n = 0;
	r->line++;
	while (text[r->pos]) {
		char c = text[r->pos++];
		if (n == size - 1) {
			fail(r, r->line, "line longer than %d characters", size - 2);
			return NULL;
		}
		buf[n++] = c;
		if (c == '\n')
			break;
	}
	buf[n] = 0;
	/* where inih looks for '[': after a UTF-8 BOM on line 1 and any space */
	const char *start = buf;
	if (r->line == 1 && !strncmp(start, "\xEF\xBB\xBF", 3))
		start += 3;
	while (isspace((unsigned char)*start))
		start++;
	if (*start == '[' && !header(r, start))
		return NULL;
	return buf;
}

static struct scn_entry *add_entry(struct scn_source *s)
{
	if (s->n == SCN_MAX_ENTRIES)
		return NULL;
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		struct scn_entry *e = realloc(s->e, cap * sizeof *e);
		if (!e)
			return NULL;
		s->e = e;
		s->cap = cap;
	}
	struct scn_entry *e = &s->e[s->n++];
	memset(e, 0, sizeof *e);
	e->axis = -1;
	return e;
}

static int handler(void *user, const char *section, const char *key, const char *value)
{
	struct reading *r = user;
	if (r->failed)
		return 0;
	if (!*section) {
		fail(r, r->line, "key '%s' before any [section]", key);
		return 0;
	}
	if (strlen(section) >= sizeof r->s->e[0].section) {
		fail(r, r->line, "section name longer than %zu characters", sizeof r->s->e[0].section - 1);
		return 0;
	}
	if (strlen(key) >= sizeof r->s->e[0].key) {
		fail(r, r->line, "key '%.20s...' longer than %zu characters", key,
		     sizeof r->s->e[0].key - 1);
		return 0;
	}
	if (strlen(value) >= sizeof r->s->e[0].value) {
		fail(r, r->line, "value of '%s' longer than %zu characters", key,
		     sizeof r->s->e[0].value - 1);
		return 0;
	}
	r->pending = 0;
	struct scn_entry *e = add_entry(r->s);
	if (!e) {
		fail(r, r->line, "more than %d keys", SCN_MAX_ENTRIES);
		return 0;
	}
	memcpy(e->section, section, strlen(section) + 1);
	memcpy(e->key, key, strlen(key) + 1);
	memcpy(e->value, value, strlen(value) + 1);
	e->line = r->line;
	e->header_line = r->header_line;
	return 1;
}

struct scn_source *scn_source_from_text(const char *name, const char *text, size_t len,
					char *err, size_t errlen)
{
	struct scn_source *s = calloc(1, sizeof *s);
	if (!s || !(s->text = malloc(len + 1))) {
		say(err, errlen, "%s:0: out of memory", name);
		free(s);
		return NULL;
	}
	snprintf(s->path, sizeof s->path, "%s", name);
	memcpy(s->text, text, len);
	s->text[len] = 0;
	s->text_len = len;
	s->npoints = 1;
	if (len == 0) {
		say(err, errlen, "%s:1: empty scenario file", name);
		goto fail;
	}
	const char *nul = memchr(text, 0, len);
	if (nul) {
		int line = 1;
		for (const char *c = text; c < nul; c++)
			line += *c == '\n';
		say(err, errlen, "%s:%d: NUL byte: not a text file", name, line);
		goto fail;
	}
	struct reading r = { .s = s, .err = err, .errlen = errlen };
	ini_allow_multiline = false;      /* an indented line is a key, not a continuation */
	ini_stop_on_first_error = true;
	int rc = ini_parse_stream(reader, &r, handler, &r);
	if (rc == 0)
		flush_pending(&r);
	if (!r.failed && rc > 0)
		fail(&r, rc, "syntax error: expected [section], key = value, or ; comment");
	else if (!r.failed && rc < 0)
		fail(&r, 0, "cannot parse");
	if (!r.failed && s->n == 0)
		fail(&r, r.line, "no keys: nothing to simulate");
	if (r.failed)
		goto fail;
	return s;
fail:
	scn_source_free(s);
	return NULL;
}

struct scn_source *scn_source_open(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		say(err, errlen, "%s:0: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	for (size_t got; buf && (got = fread(buf + n, 1, cap - n, f)) > 0;) {
		n += got;
		if (n == cap) {
			char *t = cap < MAX_FILE_BYTES ? realloc(buf, cap *= 2) : NULL;
			if (!t) {
				free(buf);
				fclose(f);
				say(err, errlen, "%s:0: larger than %u MiB", path, MAX_FILE_BYTES >> 20);
				return NULL;
			}
			buf = t;
		}
	}
	int rerr = ferror(f);
	fclose(f);
	if (!buf || rerr) {
		free(buf);
		say(err, errlen, "%s:0: cannot read", path);
		return NULL;
	}
	struct scn_source *s = scn_source_from_text(path, buf, n, err, errlen);
	free(buf);
	return s;
}

void scn_source_free(struct scn_source *s)
{
	if (!s)
		return;
	for (size_t a = 0; a < s->naxes; a++) {
		for (size_t v = 0; v < s->axes[a].nvalues; v++)
			free(s->axes[a].values[v]);
		free(s->axes[a].values);
	}
	free(s->axes);
	free(s->e);
	free(s->text);
	free(s);
}

void scn_source_where(const struct scn_source *s, size_t i, char *out, size_t len)
{
	if (s->e[i].overridden)
		snprintf(out, len, "--set '%s'", s->e[i].set_arg);
	else
		snprintf(out, len, "%s:%d", s->path, s->e[i].line);
}

/* ---- overrides ------------------------------------------------------------- */

int scn_source_override(struct scn_source *s, const char *arg, char *err, size_t errlen)
{
	const char *eq = strchr(arg, '=');
	if (strlen(arg) >= sizeof s->e[0].set_arg) {
		say(err, errlen, "--set '%.40s...': longer than %zu characters", arg,
		    sizeof s->e[0].set_arg - 1);
		return HN_ECONFIG;
	}
	if (!eq || eq == arg) {
		say(err, errlen, "--set '%s': expected section.key=value", arg);
		return HN_ECONFIG;
	}
	char lhs[256];
	size_t ln = (size_t)(eq - arg);
	if (ln >= sizeof lhs) {
		say(err, errlen, "--set '%s': name too long", arg);
		return HN_ECONFIG;
	}
	memcpy(lhs, arg, ln);
	lhs[ln] = 0;
	const char *value = eq + 1;
	if (strlen(value) >= sizeof s->e[0].value) {
		say(err, errlen, "--set '%s': value too long", arg);
		return HN_ECONFIG;
	}
	char section[128] = "", key[64];
	const char *last = strrchr(lhs, '.');
	if (last) {
		/* kind.name.key: the kind ends at the first dot, the key starts
		 * after the last, the name (which may hold dots) is between. */
		const char *first = strchr(lhs, '.');
		if (strlen(last + 1) >= sizeof key || ln >= sizeof section) {
			say(err, errlen, "--set '%s': name too long", arg);
			return HN_ECONFIG;
		}
		memcpy(key, last + 1, strlen(last + 1) + 1);
		memcpy(section, lhs, (size_t)(last - lhs));
		section[last - lhs] = 0;
		if (first != last)
			section[first - lhs] = ' ';
	} else {
		if (ln >= sizeof key) {
			say(err, errlen, "--set '%s': name too long", arg);
			return HN_ECONFIG;
		}
		memcpy(key, lhs, ln + 1);
		/* A bare key names the one section that has it. */
		size_t found = 0, idx = 0, first = 0;
		char list[256] = "";
		for (size_t i = 0; i < s->n; i++) {
			if (strcmp(s->e[i].key, key))
				continue;
			if (!found)
				first = i;
			if (found++ < 3) {
				strncat(list, found > 1 ? ", " : "", sizeof list - strlen(list) - 1);
				strncat(list, s->e[i].section, sizeof list - strlen(list) - 1);
			}
			idx = i;
		}
		if (found == 0) {
			say(err, errlen, "--set '%s': no section of %s has key '%s' yet; name the "
			    "section, as in KIND.NAME.%s=%s", arg, s->path, key, key, value);
			return HN_ECONFIG;
		}
		if (found > 1) {
			char example[128];
			snprintf(example, sizeof example, "%s", s->e[first].section);
			for (char *c = example; *c; c++)
				if (*c == ' ')
					*c = '.';
			say(err, errlen, "--set '%s': key '%s' is in %zu sections (%s%s): name one, as in "
			    "%s.%s=%s", arg, key, found, list, found > 3 ? ", ..." : "", example, key,
			    value);
			return HN_ECONFIG;
		}
		memcpy(section, s->e[idx].section, strlen(s->e[idx].section) + 1);
	}
	if (!*key || !*section) {
		say(err, errlen, "--set '%s': expected section.key=value", arg);
		return HN_ECONFIG;
	}
	struct scn_entry *target = NULL;
	int header = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (strcmp(s->e[i].section, section))
			continue;
		header = s->e[i].header_line;
		if (!strcmp(s->e[i].key, key))
			target = &s->e[i];
	}
	if (!header) {
		say(err, errlen, "--set '%s': %s has no section [%s]", arg, s->path, section);
		return HN_ECONFIG;
	}
	if (!target) {
		target = add_entry(s);
		if (!target) {
			say(err, errlen, "--set '%s': too many keys", arg);
			return HN_ECONFIG;
		}
		memcpy(target->section, section, strlen(section) + 1);
		memcpy(target->key, key, strlen(key) + 1);
		target->header_line = header;
	}
	if (!target->overridden && target->line) {   /* the file's own value, kept once */
		target->in_file = 1;
		memcpy(target->file_value, target->value, strlen(target->value) + 1);
	}
	memcpy(target->value, value, strlen(value) + 1);
	target->overridden = 1;
	target->restated = 0;
	memcpy(target->set_arg, arg, strlen(arg) + 1);
	return HN_OK;
}

size_t scn_source_mark_restated(struct scn_source *s, scn_value_equal_fn equal)
{
	size_t marked = 0;
	for (size_t i = 0; i < s->n; i++) {
		struct scn_entry *e = &s->e[i];
		e->restated = 0;
		if (!e->overridden || strstr(e->value, "${") ||
		    (e->in_file && strstr(e->file_value, "${")))
			continue;
		e->restated = equal(e->section, e->key, e->value, e->in_file ? e->file_value : NULL) == 1;
		marked += (size_t)e->restated;
	}
	return marked;
}

/* ---- sweeps ---------------------------------------------------------------- */

int scn_is_index_expr(const char *open)
{
	if (strncmp(open, "${", 2))
		return 0;
	const char *b = open + 2, *close = strchr(b, '}');
	if (!close)
		return 0;
	int has_i = 0;
	for (const char *c = b; c < close; c++) {
		if (*c == ',' || (*c == '.' && c[1] == '.'))
			return 0;
		int word_before = c > b && (isalnum((unsigned char)c[-1]) || c[-1] == '_');
		int word_after = isalnum((unsigned char)c[1]) || c[1] == '_';
		has_i |= *c == 'i' && !word_before && !word_after;
	}
	return has_i;
}

const char *scn_find_sweep(const char *value)
{
	for (const char *o = strstr(value, "${"); o; o = strstr(o + 2, "${"))
		if (!scn_is_index_expr(o))
			return o;
	return NULL;
}

static int push_value(struct scn_axis *ax, size_t *cap, const char *pre, size_t prelen,
		      const char *item, size_t itemlen, const char *post)
{
	if (ax->nvalues == *cap) {
		size_t c = *cap ? 2 * *cap : 8;
		char **v = realloc(ax->values, c * sizeof *v);
		if (!v)
			return HN_ENOMEM;
		ax->values = v;
		*cap = c;
	}
	size_t n = prelen + itemlen + strlen(post);
	char *v = malloc(n + 1);
	if (!v)
		return HN_ENOMEM;
	memcpy(v, pre, prelen);
	memcpy(v + prelen, item, itemlen);
	strcpy(v + prelen + itemlen, post);
	ax->values[ax->nvalues++] = v;
	return HN_OK;
}

/* Number with an optional unit: "1.5ms" -> 1.5, "ms" (param.h's reading). */
static int split_number(const char *t, double *v, char *unit, size_t ulen)
{
	const char *u;
	if (param_split_number(t, v, &u) != HN_OK)
		return -1;
	snprintf(unit, ulen, "%s", u);
	return 0;
}

static void trim(const char **b, const char **e)
{
	while (*b < *e && (**b == ' ' || **b == '\t'))
		(*b)++;
	while (*e > *b && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
		(*e)--;
}

/* Expand the sweep in entry i into axis ax.  Returns HN_OK or writes err. */
static int expand_one(const struct scn_source *s, size_t i, struct scn_axis *ax,
		      char *err, size_t errlen)
{
	const struct scn_entry *e = &s->e[i];
	char where[700];
	scn_source_where(s, i, where, sizeof where);
	const char *open = scn_find_sweep(e->value);
	const char *close = strchr(open, '}');
	if (!close) {
		say(err, errlen, "%s: [%s]: %s: unterminated sweep '%s'", where, e->section, e->key, open);
		return HN_ECONFIG;
	}
	if (scn_find_sweep(close)) {
		say(err, errlen, "%s: [%s]: %s: only one sweep per value", where, e->section, e->key);
		return HN_ECONFIG;
	}
	const char *pre = e->value, *body = open + 2, *post = close + 1;
	size_t prelen = (size_t)(open - pre), cap = 0;
	const char *b = body, *end = close;
	trim(&b, &end);
	if (b == end) {
		say(err, errlen, "%s: [%s]: %s: empty sweep '${}'", where, e->section, e->key);
		return HN_ECONFIG;
	}
	const char *dots = strstr(body, "..");
	if (dots && dots < close) {
		/* ${from..to step s} */
		char text[256], u1[32], u2[32], u3[32];
		size_t n = (size_t)(close - body);
		memcpy(text, body, n);
		text[n] = 0;
		char *step = strstr(text, " step ");
		double from, to, st;
		text[dots - body] = 0;
		if (!step || split_number(text, &from, u1, sizeof u1) ||
		    (*step = 0, split_number(text + (dots - body) + 2, &to, u2, sizeof u2)) ||
		    split_number(step + 6, &st, u3, sizeof u3)) {
			say(err, errlen, "%s: [%s]: %s: bad sweep range '%.*s': expected ${from..to step s}",
			    where, e->section, e->key, (int)(close - open + 1), open);
			return HN_ECONFIG;
		}
		if (strcmp(u1, u2) || strcmp(u1, u3)) {
			say(err, errlen, "%s: [%s]: %s: sweep range '%.*s' mixes units", where, e->section,
			    e->key, (int)(close - open + 1), open);
			return HN_ECONFIG;
		}
		if (!(st > 0) || to < from) {
			say(err, errlen, "%s: [%s]: %s: sweep range '%.*s' is empty: it needs from <= to "
			    "and step > 0", where, e->section, e->key, (int)(close - open + 1), open);
			return HN_ECONFIG;
		}
		double count = floor((to - from) / st + 1e-9) + 1;
		if (count > SCN_MAX_POINTS) {
			say(err, errlen, "%s: [%s]: %s: sweep range '%.*s' has %.0f values, more than the "
			    "limit of %d", where, e->section, e->key, (int)(close - open + 1), open,
			    count, SCN_MAX_POINTS);
			return HN_ECONFIG;
		}
		for (long k = 0; k < (long)count; k++) {
			char item[64];
			int m = snprintf(item, sizeof item, "%.10g%s", from + (double)k * st, u1);
			if (push_value(ax, &cap, pre, prelen, item, (size_t)m, post))
				goto nomem;
		}
		return HN_OK;
	}
	/* ${a, b, c} */
	const char *p = body;
	while (p <= close) {
		const char *q = p;
		while (q < close && *q != ',')
			q++;
		const char *ib = p, *ie = q;
		trim(&ib, &ie);
		if (ib == ie) {
			say(err, errlen, "%s: [%s]: %s: empty value in sweep '%.*s'", where, e->section,
			    e->key, (int)(close - open + 1), open);
			return HN_ECONFIG;
		}
		if (push_value(ax, &cap, pre, prelen, ib, (size_t)(ie - ib), post))
			goto nomem;
		p = q + 1;
	}
	return HN_OK;
nomem:
	say(err, errlen, "%s: out of memory", where);
	return HN_ENOMEM;
}

int scn_source_expand(struct scn_source *s, char *err, size_t errlen)
{
	s->npoints = 1;
	for (size_t i = 0; i < s->n; i++) {
		if (!scn_find_sweep(s->e[i].value))
			continue;
		struct scn_axis *axes = realloc(s->axes, (s->naxes + 1) * sizeof *axes);
		if (!axes) {
			say(err, errlen, "%s: out of memory", s->path);
			return HN_ENOMEM;
		}
		s->axes = axes;
		struct scn_axis *ax = &s->axes[s->naxes++];
		memset(ax, 0, sizeof *ax);
		ax->entry = i;
		s->e[i].axis = (int)(s->naxes - 1);
		int rc = expand_one(s, i, ax, err, errlen);
		if (rc != HN_OK)
			return rc;
		if ((double)s->npoints * (double)ax->nvalues > SCN_MAX_POINTS) {
			char where[700];
			scn_source_where(s, i, where, sizeof where);
			say(err, errlen, "%s: [%s]: %s: the sweep reaches %.0f points, more than the limit "
			    "of %d", where, s->e[i].section, s->e[i].key,
			    (double)s->npoints * (double)ax->nvalues, SCN_MAX_POINTS);
			return HN_ELIMIT;
		}
		s->npoints *= ax->nvalues;
	}
	return HN_OK;
}

const char *scn_source_value(const struct scn_source *s, size_t i, size_t k)
{
	int a = s->e[i].axis;
	if (a < 0)
		return s->e[i].value;
	size_t stride = 1;
	for (size_t b = (size_t)a + 1; b < s->naxes; b++)
		stride *= s->axes[b].nvalues;
	return s->axes[a].values[(k / stride) % s->axes[a].nvalues];
}

void scn_source_point_label(const struct scn_source *s, size_t k, char *out, size_t len)
{
	size_t used = 0;
	out[0] = 0;
	for (size_t i = 0; i < s->n && used + 1 < len; i++) {
		if (s->e[i].axis < 0 && (!s->e[i].overridden || s->e[i].restated))
			continue;
		char sec[128];
		snprintf(sec, sizeof sec, "%s", s->e[i].section);
		for (char *c = sec; *c; c++)
			if (*c == ' ')
				*c = '.';
		int n = snprintf(out + used, len - used, "%s%s.%s=%s", used ? ";" : "", sec,
				 s->e[i].key, scn_source_value(s, i, k));
		if (n < 0)
			break;
		used += (size_t)n;
	}
}
