/* topofile.c - Inet and Rocketfuel topology files; see topofile.h. */
#include "scenario/topofile.h"

#include <errno.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "status.h"

#define TOPOFILE_MAX 1000000          /* nodes or links: bounds a runaway file */
#define FIELDS_MAX 8
#define TOPOFILE_BYTES (256l << 20)    /* a file larger than this is refused */

struct rd {
	struct topofile *t;
	const char *name;
	char *err;
	size_t errlen;
};

static int bad(struct rd *r, int line, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(r->err, r->errlen, "%s:%d: %s", r->name, line, msg);
	return HN_ECONFIG;
}

/* ---- lookups ---------------------------------------------------------------- */

static uint64_t fnv(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static uint64_t pair_key(size_t a, size_t b)
{
	uint64_t k = ((uint64_t)a << 32) ^ (uint64_t)b;
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	return k ^ (k >> 33);
}

/* Slot array of capacity cap (a power of two, at least twice the entries). */
static int grow_slots(size_t **slot, size_t *cap, size_t used)
{
	if (*cap >= 2 * (used + 1))
		return HN_OK;
	size_t n = *cap ? *cap * 2 : 64;
	while (n < 2 * (used + 1))
		n *= 2;
	size_t *s = calloc(n, sizeof *s);
	if (!s)
		return HN_ENOMEM;
	free(*slot);
	*slot = s;
	*cap = n;
	return HN_OK;
}

static long find_label(const struct topofile *t, const char *s, size_t n)
{
	if (!t->label_cap)
		return -1;
	for (size_t h = fnv(s, n) & (t->label_cap - 1);; h = (h + 1) & (t->label_cap - 1)) {
		size_t v = t->label_slot[h];
		if (!v)
			return -1;
		const char *l = t->node[v - 1].label;
		if (strlen(l) == n && !memcmp(l, s, n))
			return (long)(v - 1);
	}
}

static void put_label(struct topofile *t, size_t i)
{
	const char *l = t->node[i].label;
	size_t h = fnv(l, strlen(l)) & (t->label_cap - 1);
	while (t->label_slot[h])
		h = (h + 1) & (t->label_cap - 1);
	t->label_slot[h] = i + 1;
}

/* The link between a and b in either direction, or -1. */
static long find_pair(const struct topofile *t, size_t a, size_t b)
{
	if (!t->pair_cap)
		return -1;
	size_t lo = a < b ? a : b, hi = a < b ? b : a;
	for (size_t h = pair_key(lo, hi) & (t->pair_cap - 1);; h = (h + 1) & (t->pair_cap - 1)) {
		size_t v = t->pair_slot[h];
		if (!v)
			return -1;
		const struct topofile_link *l = &t->link[v - 1];
		if ((l->a == lo && l->b == hi) || (l->a == hi && l->b == lo))
			return (long)(v - 1);
	}
}

static void put_pair(struct topofile *t, size_t i)
{
	size_t a = t->link[i].a, b = t->link[i].b;
	size_t lo = a < b ? a : b, hi = a < b ? b : a;
	size_t h = pair_key(lo, hi) & (t->pair_cap - 1);
	while (t->pair_slot[h])
		h = (h + 1) & (t->pair_cap - 1);
	t->pair_slot[h] = i + 1;
}

static int add_node(struct rd *r, const char *s, size_t n, int line)
{
	struct topofile *t = r->t;
	if (t->nnodes >= TOPOFILE_MAX)
		return bad(r, line, "more than %d nodes", TOPOFILE_MAX);
	if (t->nnodes == t->capnodes) {
		size_t c = t->capnodes ? t->capnodes * 2 : 64;
		struct topofile_node *m = realloc(t->node, c * sizeof *m);
		if (!m)
			return HN_ENOMEM;
		t->node = m;
		t->capnodes = c;
	}
	if (t->label_cap < 2 * (t->nnodes + 1)) {
		if (grow_slots(&t->label_slot, &t->label_cap, t->nnodes) != HN_OK)
			return HN_ENOMEM;
		for (size_t i = 0; i < t->nnodes; i++)
			put_label(t, i);
	}
	struct topofile_node *d = &t->node[t->nnodes];
	memset(d, 0, sizeof *d);
	d->label = malloc(n + 1);
	if (!d->label)
		return HN_ENOMEM;
	memcpy(d->label, s, n);
	d->label[n] = 0;
	d->line = line;
	t->nnodes++;
	put_label(t, t->nnodes - 1);
	return HN_OK;
}

/* The node called s (n bytes), added at line when absent and add is set. */
static int node_of(struct rd *r, const char *s, size_t n, int line, int add, size_t *out)
{
	long i = find_label(r->t, s, n);
	if (i < 0 && add) {
		int rc = add_node(r, s, n, line);
		if (rc != HN_OK)
			return rc;
		i = (long)r->t->nnodes - 1;
	}
	if (i < 0)
		return HN_ENOENT;
	*out = (size_t)i;
	return HN_OK;
}

static int add_link(struct rd *r, size_t a, size_t b, double w, int has_w, int line)
{
	struct topofile *t = r->t;
	if (t->nlinks >= TOPOFILE_MAX)
		return bad(r, line, "more than %d links", TOPOFILE_MAX);
	if (t->nlinks == t->caplinks) {
		size_t c = t->caplinks ? t->caplinks * 2 : 64;
		struct topofile_link *m = realloc(t->link, c * sizeof *m);
		if (!m)
			return HN_ENOMEM;
		t->link = m;
		t->caplinks = c;
	}
	if (t->pair_cap < 2 * (t->nlinks + 1)) {
		if (grow_slots(&t->pair_slot, &t->pair_cap, t->nlinks) != HN_OK)
			return HN_ENOMEM;
		for (size_t i = 0; i < t->nlinks; i++)
			put_pair(t, i);
	}
	t->link[t->nlinks] = (struct topofile_link){ a, b, w, has_w, line, 0 };
	t->nlinks++;
	put_pair(t, t->nlinks - 1);
	return HN_OK;
}

/* ---- lines and fields --------------------------------------------------------- */

struct field {
	const char *s;
	size_t n;
};

struct lines {
	const char *p, *end;
	int no;
	char buf[4096];
};

/* The next line that is not blank into l->buf (NUL-terminated, no
 * newline); 0 at the end, -1 for a line too long. */
static int next_line(struct lines *l)
{
	while (l->p < l->end) {
		const char *e = memchr(l->p, '\n', (size_t)(l->end - l->p));
		if (!e)
			e = l->end;
		size_t n = (size_t)(e - l->p);
		const char *s = l->p;
		l->p = e < l->end ? e + 1 : e;
		l->no++;
		if (n && s[n - 1] == '\r')
			n--;
		size_t k = 0;
		while (k < n && (s[k] == ' ' || s[k] == '\t'))
			k++;
		if (k == n)
			continue;
		if (n >= sizeof l->buf)
			return -1;
		memcpy(l->buf, s, n);
		l->buf[n] = 0;
		return 1;
	}
	return 0;
}

static size_t split(const char *s, struct field *f, size_t max)
{
	size_t n = 0;
	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		const char *b = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
		if (n < max)
			f[n] = (struct field){ b, (size_t)(s - b) };
		n++;
	}
	return n;
}

/* A field as a finite number (strtod's whole syntax but no inf/nan/hex). */
static int number(const struct field *f, double *v)
{
	char tmp[64];
	if (f->n == 0 || f->n >= sizeof tmp)
		return 0;
	memcpy(tmp, f->s, f->n);
	tmp[f->n] = 0;
	for (size_t i = 0; i < f->n; i++)
		if (!strchr("0123456789+-.eE", tmp[i]))
			return 0;
	char *end;
	errno = 0;
	*v = strtod(tmp, &end);
	return *end == 0 && errno == 0 && isfinite(*v);
}

static int whole(const struct field *f, unsigned long long *v)
{
	if (f->n == 0 || f->n > 18)
		return 0;
	unsigned long long x = 0;
	for (size_t i = 0; i < f->n; i++) {
		if (f->s[i] < '0' || f->s[i] > '9')
			return 0;
		x = x * 10 + (unsigned)(f->s[i] - '0');
	}
	*v = x;
	return 1;
}

static const char *show(const struct field *f, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s%s", f->n > 40 ? 40 : (int)f->n, f->s, f->n > 40 ? "..." : "");
	return buf;
}

/* ---- Inet ------------------------------------------------------------------------ */

static int read_inet(struct rd *r, struct lines *l)
{
	struct topofile *t = r->t;
	struct field f[FIELDS_MAX];
	char b1[48], b2[48];
	int rc = next_line(l);
	if (rc < 0)
		return bad(r, l->no, "line longer than %zu characters", sizeof l->buf - 1);
	if (rc == 0)
		return bad(r, l->no ? l->no : 1, "empty file: expected a first line 'NODES LINKS'");
	unsigned long long nn, nl;
	size_t k = split(l->buf, f, FIELDS_MAX);
	if (k != 2 || !whole(&f[0], &nn) || !whole(&f[1], &nl))
		return bad(r, l->no, "expected the first line 'NODES LINKS' (two whole numbers), found '%s'",
			   l->buf);
	if (nn == 0 || nn > TOPOFILE_MAX || nl > TOPOFILE_MAX)
		return bad(r, l->no, "%llu nodes and %llu links: want 1 to %d nodes and at most %d links",
			   nn, nl, TOPOFILE_MAX, TOPOFILE_MAX);
	for (unsigned long long i = 0; i < nn; i++) {
		rc = next_line(l);
		if (rc < 0)
			return bad(r, l->no, "line longer than %zu characters", sizeof l->buf - 1);
		if (rc == 0)
			return bad(r, l->no, "the file ends after %llu of its %llu nodes", i, nn);
		k = split(l->buf, f, FIELDS_MAX);
		unsigned long long id;
		double x, y;
		if (k != 3)
			return bad(r, l->no, "expected node %llu of %llu, 'ID X Y' (3 fields), found %zu fields",
				   i + 1, nn, k);
		if (!whole(&f[0], &id))
			return bad(r, l->no, "node ID '%s' is not a whole number", show(&f[0], b1, sizeof b1));
		if (!number(&f[1], &x) || !number(&f[2], &y))
			return bad(r, l->no, "node %llu: coordinate '%s' is not a number", id,
				   show(number(&f[1], &x) ? &f[2] : &f[1], b1, sizeof b1));
		long dup = find_label(t, f[0].s, f[0].n);
		if (dup >= 0)
			return bad(r, l->no, "node %llu declared again (first at line %d)", id,
				   t->node[dup].line);
		if ((rc = add_node(r, f[0].s, f[0].n, l->no)) != HN_OK)
			return rc;
		t->node[t->nnodes - 1].x = x;
		t->node[t->nnodes - 1].y = y;
	}
	for (unsigned long long i = 0; i < nl; i++) {
		rc = next_line(l);
		if (rc < 0)
			return bad(r, l->no, "line longer than %zu characters", sizeof l->buf - 1);
		if (rc == 0)
			return bad(r, l->no, "the file ends after %llu of its %llu links", i, nl);
		k = split(l->buf, f, FIELDS_MAX);
		if (k != 2 && k != 3)
			return bad(r, l->no, "expected link %llu of %llu, 'FROM TO WEIGHT' (3 fields), found %zu "
				   "fields", i + 1, nl, k);
		size_t a, b;
		for (int e = 0; e < 2; e++)
			if (node_of(r, f[e].s, f[e].n, l->no, 0, e ? &b : &a) != HN_OK)
				return bad(r, l->no, "link to unknown node '%s' (not among the %llu node lines)",
					   show(&f[e], b1, sizeof b1), nn);
		double w = 0;
		if (k == 3 && (!number(&f[2], &w) || w < 0))
			return bad(r, l->no, "link %s-%s: weight '%s' is not a non-negative number",
				   t->node[a].label, t->node[b].label, show(&f[2], b2, sizeof b2));
		if (a == b)
			return bad(r, l->no, "link from node %s to itself", t->node[a].label);
		long dup = find_pair(t, a, b);
		if (dup >= 0)
			return bad(r, l->no, "link %s-%s given again (first at line %d)", t->node[a].label,
				   t->node[b].label, t->link[dup].line);
		if ((rc = add_link(r, a, b, w, k == 3, l->no)) != HN_OK)
			return rc;
	}
	rc = next_line(l);
	if (rc != 0)
		return bad(r, l->no, "more lines than the %llu nodes and %llu links of line 1", nn, nl);
	return HN_OK;
}

/* ---- Rocketfuel ------------------------------------------------------------------- */

/* The line patterns ns-3 3.37's RocketfuelTopologyReader matches (its
 * ROCKETFUEL_MAPS_LINE and ROCKETFUEL_WEIGHTS_LINE): group 1 the UID, 7 the
 * neighbour list; 1, 2, 3 the weights line's fields. */
#define SP "[ \t]+"
#define MSP "[ \t]*"
static const char maps_re[] =
	"^(-*[0-9]+)" SP "(@[?A-Za-z0-9,+]+)" SP "(\\+)*" MSP "(bb)*" MSP "\\(([0-9]+)\\)" SP
	"(&[0-9]+)*" MSP "->" MSP "(<[0-9 \t<>]+>)*" MSP "(\\{-[0-9\\{\\} \t-]+\\})*" SP
	"=([A-Za-z0-9.!-]+)" SP "r([0-9])" MSP "$";
static const char weights_re[] = "^([^ \t]+)" SP "([^ \t]+)" SP "([0-9.]+)" MSP "$";

static int maps_line(struct rd *r, const char *s, const regmatch_t *m, int line)
{
	struct topofile *t = r->t;
	size_t me;
	const char *u = s + m[1].rm_so;
	size_t un = (size_t)(m[1].rm_eo - m[1].rm_so);
	/* a UID named before as a neighbour has its line stored negated until
	 * its own line comes; a second line of its own is refused */
	long dup = find_label(t, u, un);
	if (dup >= 0 && t->node[dup].line > 0)
		return bad(r, line, "router %.*s listed again (first at line %d)", (int)un, u,
			   t->node[dup].line);
	int rc = node_of(r, u, un, line, 1, &me);
	if (rc != HN_OK)
		return rc;
	t->node[me].line = line;
	if (m[7].rm_so < 0)
		return HN_OK;
	struct field f[1];
	const char *p = s + m[7].rm_so, *end = s + m[7].rm_eo;
	while (p < end) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end)
			break;
		const char *b = p;
		while (p < end && *p != ' ' && *p != '\t')
			p++;
		f[0] = (struct field){ b, (size_t)(p - b) };
		char b1[48];
		if (f[0].n < 3 || b[0] != '<' || b[f[0].n - 1] != '>' ||
		    strspn(b + 1, "0123456789") != f[0].n - 2)
			return bad(r, line, "neighbour '%s' is not '<UID>'", show(&f[0], b1, sizeof b1));
		size_t nb;
		long had = find_label(t, b + 1, f[0].n - 2);
		if ((rc = node_of(r, b + 1, f[0].n - 2, line, 1, &nb)) != HN_OK)
			return rc;
		if (had < 0)
			t->node[nb].line = -line;   /* named, its own line not yet seen */
		if (nb == me)
			return bad(r, line, "router %s lists itself as a neighbour", t->node[me].label);
		long l = find_pair(t, me, nb);
		if (l >= 0) {
			if (t->link[l].a == me || t->link[l].both)
				return bad(r, line, "neighbour <%s> listed twice", t->node[nb].label);
			t->link[l].both = 1;   /* the other end lists it too: one link */
			continue;
		}
		if ((rc = add_link(r, me, nb, 0, 0, line)) != HN_OK)
			return rc;
	}
	return HN_OK;
}

static int weights_line(struct rd *r, const char *s, const regmatch_t *m, int line)
{
	struct topofile *t = r->t;
	struct field f[3];
	for (int i = 0; i < 3; i++)
		f[i] = (struct field){ s + m[i + 1].rm_so, (size_t)(m[i + 1].rm_eo - m[i + 1].rm_so) };
	double w;
	char b1[48];
	if (!number(&f[2], &w))
		return bad(r, line, "weight '%s' is not a number", show(&f[2], b1, sizeof b1));
	size_t a, b;
	int rc;
	if ((rc = node_of(r, f[0].s, f[0].n, line, 1, &a)) != HN_OK ||
	    (rc = node_of(r, f[1].s, f[1].n, line, 1, &b)) != HN_OK)
		return rc;
	if (a == b)
		return bad(r, line, "link from %s to itself", t->node[a].label);
	long l = find_pair(t, a, b);
	if (l >= 0) {
		if (t->link[l].a == a)
			return bad(r, line, "link %s -> %s given again (first at line %d)", t->node[a].label,
				   t->node[b].label, t->link[l].line);
		if (t->link[l].both)
			return bad(r, line, "link %s -> %s given again", t->node[a].label, t->node[b].label);
		t->link[l].both = 1;   /* both directions seen; the first's weight stays */
		return HN_OK;
	}
	return add_link(r, a, b, w, 1, line);
}

static int read_rocketfuel(struct rd *r, struct lines *l)
{
	regex_t re[2];
	if (regcomp(&re[0], maps_re, REG_EXTENDED))
		return HN_ENOMEM;
	if (regcomp(&re[1], weights_re, REG_EXTENDED)) {
		regfree(&re[0]);
		return HN_ENOMEM;
	}
	int rc = HN_OK, kind = -1, got;
	regmatch_t m[12];
	while (rc == HN_OK && (got = next_line(l)) != 0) {
		if (got < 0) {
			rc = bad(r, l->no, "line longer than %zu characters", sizeof l->buf - 1);
			break;
		}
		if (kind < 0) {
			kind = !regexec(&re[0], l->buf, 12, m, 0) ? 0
			     : !regexec(&re[1], l->buf, 12, m, 0) ? 1 : -1;
			if (kind < 0) {
				rc = bad(r, l->no, "neither a Rocketfuel maps (.cch) line 'UID @LOC ... -> "
					 "<NUID> ... =NAME rN' nor a weights line 'SRC DST WEIGHT'");
				break;
			}
			r->t->maps = kind == 0;
		} else if (regexec(&re[kind], l->buf, 12, m, 0)) {
			rc = bad(r, l->no, kind ? "not a weights line 'SRC DST WEIGHT' (the file's first line is one)"
				 : "not a maps (.cch) line 'UID @LOC ... -> <NUID> ... =NAME rN' (the file's "
				   "first line is one)");
			break;
		}
		rc = kind ? weights_line(r, l->buf, m, l->no) : maps_line(r, l->buf, m, l->no);
	}
	regfree(&re[0]);
	regfree(&re[1]);
	if (rc == HN_OK && kind < 0)
		rc = bad(r, l->no ? l->no : 1, "empty file: no Rocketfuel lines");
	/* a neighbour whose own line never came is a node named at that line */
	for (size_t i = 0; rc == HN_OK && i < r->t->nnodes; i++)
		if (r->t->node[i].line < 0)
			r->t->node[i].line = -r->t->node[i].line;
	return rc;
}

/* ---- both ------------------------------------------------------------------------- */

static int connected(struct rd *r)
{
	struct topofile *t = r->t;
	size_t *up = malloc(t->nnodes * sizeof *up);
	if (!up)
		return HN_ENOMEM;
	for (size_t i = 0; i < t->nnodes; i++)
		up[i] = i;
	for (size_t i = 0; i < t->nlinks; i++) {
		size_t a = t->link[i].a, b = t->link[i].b;
		while (up[a] != a)
			a = up[a] = up[up[a]];
		while (up[b] != b)
			b = up[b] = up[up[b]];
		if (a != b)
			up[a > b ? a : b] = a < b ? a : b;
	}
	for (size_t i = 0; i < t->nnodes; i++) {
		size_t x = i;
		while (up[x] != x)
			x = up[x];
		if (x != 0) {
			free(up);
			return bad(r, t->node[i].line, "node %s is not connected to node %s (the first): the "
				   "graph is disconnected", t->node[i].label, t->node[0].label);
		}
	}
	free(up);
	return HN_OK;
}

int topofile_parse(int format, const char *name, const char *text, size_t len,
		   struct topofile *t, char *err, size_t errlen)
{
	memset(t, 0, sizeof *t);
	struct rd r = { t, name, err, errlen };
	struct lines l = { text, text + len, 0, { 0 } };
	const char *nul = memchr(text, 0, len);
	if (nul) {
		int line = 1;
		for (const char *p = text; p < nul; p++)
			line += *p == '\n';
		return bad(&r, line, "a NUL byte: not a text file");
	}
	int rc = format == TOPOFILE_INET ? read_inet(&r, &l) : read_rocketfuel(&r, &l);
	if (rc == HN_OK)
		rc = connected(&r);
	if (rc == HN_ENOMEM)
		snprintf(err, errlen, "%s: out of memory", name);
	return rc;
}

int topofile_read(int format, const char *path, struct topofile *t, char *err, size_t errlen)
{
	memset(t, 0, sizeof *t);
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
		return HN_ENOENT;
	}
	/* a regular file only: a device or a pipe could block or never end */
	struct stat st;
	const char *why = fstat(fileno(f), &st) ? strerror(errno) : !S_ISREG(st.st_mode) ?
			  "not a regular file" : st.st_size > TOPOFILE_BYTES ? "larger than 256 MB" : NULL;
	if (why) {
		fclose(f);
		snprintf(err, errlen, "cannot read '%s': %s", path, why);
		return HN_ENOENT;
	}
	size_t n = (size_t)st.st_size;
	char *buf = malloc(n + 1);
	if (!buf) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		return HN_ENOMEM;
	}
	if (fread(buf, 1, n, f) != n || ferror(f)) {
		fclose(f);
		free(buf);
		snprintf(err, errlen, "cannot read '%s': read error", path);
		return HN_ENOENT;
	}
	fclose(f);
	int rc = topofile_parse(format, path, buf, n, t, err, errlen);
	t->hash = fnv(buf, n);
	free(buf);
	return rc;
}

void topofile_free(struct topofile *t)
{
	for (size_t i = 0; i < t->nnodes; i++)
		free(t->node[i].label);
	free(t->node);
	free(t->link);
	free(t->label_slot);
	free(t->pair_slot);
	memset(t, 0, sizeof *t);
}
