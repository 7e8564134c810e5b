/* hydranet.c - the hydranet program: run scenarios and sweeps, store results.
 *
 *   hydranet run SCENARIO [--set KEY=VALUE]... [--db FILE] [--pcap DIR]
 *                [--seed N] [--runs N] [-j N] [--point K] [--force] [--quiet]
 *   hydranet list SCENARIO [--set KEY=VALUE]... [--seed N] [--runs N]
 *   hydranet jobs SCENARIO [--set KEY=VALUE]... [--seed N] [--runs N] [--dir DIR]
 *   hydranet merge OUT IN...
 *   hydranet summarize DB
 *   hydranet export DB [--format csv|json] [--out FILE] [--scenario NAME] [--summary]
 *   hydranet plot DB --metric SCOPE.NAME --x PARAM [--series PARAM] [--out FILE]
 *   hydranet params [SECTION]
 *   hydranet help [COMMAND], hydranet COMMAND --help   (help.c)
 *
 * A scenario's runs are its sweep points times [simulation] runs.  A run
 * already stored (same scenario bytes, point, seed and run number) is
 * skipped unless --force.  Every point is checked before anything runs.
 * Exit status: 0 success, 1 a run or the database failed, 2 bad input (with
 * "file:line: message" on stderr and nothing written). */
#define _XOPEN_SOURCE 700   /* realpath */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "log.h"
#include "results/res.h"
#include "scenario/scenario.h"
#include "scenario/source.h"
#include "world/world.h"
#include "status.h"

#include "version.h"   /* HN_VERSION, written by the Makefile from git describe */

#define DEFAULT_DB CLI_DEFAULT_DB
#define MAX_SETS 64
#define MAX_JOBS_PAR 64

static void usage(FILE *out)
{
	cli_usage(out, NULL);
}

struct opts {
	const char *path, *db, *pcap, *dir;
	const char *name;             /* runs.scenario: --name, else canonical_name() */
	char name_buf[PATH_MAX];
	const char *sets[MAX_SETS];
	int nsets;
	uint64_t seed, runs, jobs, point;
	int force, quiet;
};

static int parse_u64(const char *opt, const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = s ? strtoull(s, &end, 10) : 0;
	if (!s || !*s || *end || errno || *s == '-' || v < min || v > max) {
		fprintf(stderr, "hydranet: %s needs an integer in [%llu, %llu]\n", opt,
			(unsigned long long)min, (unsigned long long)max);
		return -1;
	}
	*out = v;
	return 0;
}

/* Lexically normalize an absolute path in place: "//", "/./" and "x/.."
 * go (no symlinks are read). */
static void normalize(char *p)
{
	char *out = p, *in = p;
	while (*in) {
		while (*in == '/')
			in++;
		char *seg = in;
		while (*in && *in != '/')
			in++;
		size_t n = (size_t)(in - seg);
		if (n == 0 || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			while (out > p && *--out != '/')
				;
			continue;
		}
		*out++ = '/';
		memmove(out, seg, n);
		out += n;
	}
	if (out == p)
		*out++ = '/';
	*out = 0;
}

/* The name a scenario file is stored under (runs.scenario) when --name is
 * not given: its path relative to the current directory when the file lies
 * under it, so that "scenarios/x.ini", "./scenarios/x.ini" and
 * "$PWD/scenarios/x.ini" are one scenario; else its absolute path.  `jobs`
 * passes the name it computes on to each command with --name, since those
 * commands name the file by its absolute path and may run elsewhere; merge
 * copies names as stored.  So a direct run and a jobs+merge run of one
 * scenario, from the same directory, agree. */
static const char *copy_name(char *out, size_t len, const char *s)
{
	size_t n = strlen(s) < len ? strlen(s) : len - 1;
	memcpy(out, s, n);
	out[n] = 0;
	return out;
}

static const char *canonical_name(const char *path, char *out, size_t len)
{
	char cwd[PATH_MAX], abs[2 * PATH_MAX + 2], real[PATH_MAX];
	if (!getcwd(cwd, sizeof cwd))
		return copy_name(out, len, path);
	normalize(cwd);
	if (path[0] == '/')
		snprintf(abs, sizeof abs, "%s", path);
	else
		snprintf(abs, sizeof abs, "%s/%s", cwd, path);
	normalize(abs);
	size_t lc = strlen(cwd);
	int under = lc > 1 ? !strncmp(abs, cwd, lc) && abs[lc] == '/' : abs[0] == '/';
	if (!under && realpath(path, real)) {   /* through a symlinked directory, say */
		char rcwd[PATH_MAX];
		if (realpath(".", rcwd)) {
			size_t lr = strlen(rcwd);
			if (lr > 1 && !strncmp(real, rcwd, lr) && real[lr] == '/')
				return copy_name(out, len, real + lr + 1);
		}
	}
	return copy_name(out, len, under ? abs + (lc > 1 ? lc + 1 : 1) : abs);
}

/* Parse the options of run/list/jobs.  Returns 0 or 2. */
static int parse_opts(const char *cmd, int argc, char **argv, struct opts *o)
{
	memset(o, 0, sizeof *o);
	o->db = DEFAULT_DB;
	o->dir = "results/jobs";
	o->jobs = 1;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int takes = 1;
		if (!strcmp(a, "--set") && v) {
			if (o->nsets == MAX_SETS) {
				fprintf(stderr, "hydranet: more than %d --set\n", MAX_SETS);
				return 2;
			}
			o->sets[o->nsets++] = v;
		} else if (!strcmp(a, "--db") && v && !strcmp(cmd, "run"))
			o->db = v;
		else if (!strcmp(a, "--pcap") && v && !strcmp(cmd, "run"))
			o->pcap = v;
		else if (!strcmp(a, "--dir") && v && !strcmp(cmd, "jobs"))
			o->dir = v;
		else if (!strcmp(a, "--name") && v && strcmp(cmd, "list")) {
			if (!*v) {
				fprintf(stderr, "hydranet %s: --name needs a non-empty name\n", cmd);
				return 2;
			}
			o->name = v;
		}
		else if (!strcmp(a, "--log") && v && !strcmp(cmd, "run")) {
			if (hn_log_enable_checked("--log", v) != HN_OK)   /* log.h */
				return 2;
		} else if (!strcmp(a, "--seed")) {
			if (parse_u64("--seed", v, 1, 4294967295u, &o->seed))
				return 2;
		} else if (!strcmp(a, "--runs")) {
			if (parse_u64("--runs", v, 1, 10000, &o->runs))
				return 2;
		} else if (!strcmp(a, "-j") && !strcmp(cmd, "run")) {
			if (parse_u64("-j", v, 1, MAX_JOBS_PAR, &o->jobs))
				return 2;
		} else if (!strcmp(a, "--point") && !strcmp(cmd, "run")) {
			if (parse_u64("--point", v, 1, SCN_MAX_POINTS, &o->point))
				return 2;
		} else {
			takes = 0;
			if (!strcmp(a, "--force") && !strcmp(cmd, "run"))
				o->force = 1;
			else if (!strcmp(a, "--quiet"))
				o->quiet = 1;
			else if (a[0] == '-' || o->path) {
				fprintf(stderr, "hydranet %s: unexpected argument '%s'\n", cmd, a);
				cli_usage(stderr, cmd);
				return 2;
			} else
				o->path = a;
		}
		i += takes;
	}
	if (!o->path) {
		fprintf(stderr, "hydranet %s: no scenario file given\n", cmd);
		return 2;
	}
	if (!o->name)
		o->name = canonical_name(o->path, o->name_buf, sizeof o->name_buf);
	return 0;
}

/* mkdir -p of dir. */
static int make_dirs(const char *dir)
{
	char buf[PATH_MAX];
	snprintf(buf, sizeof buf, "%s", dir);
	for (char *c = buf + 1;; c++) {
		if (*c == '/' || *c == 0) {
			char keep = *c;
			*c = 0;
			if (mkdir(buf, 0777) != 0 && errno != EEXIST)
				return -1;
			*c = keep;
			if (!keep)
				return 0;
		}
	}
}

static int make_parent_dirs(const char *file)
{
	char buf[PATH_MAX];
	snprintf(buf, sizeof buf, "%s", file);
	char *slash = strrchr(buf, '/');
	if (!slash || slash == buf)
		return 0;
	*slash = 0;
	return make_dirs(buf);
}

static double wall_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- the runs of a scenario -------------------------------------------------- */

struct job {
	size_t point;          /* 0-based */
	uint64_t run;          /* 1-based: the ns-3 run number */
	uint32_t seed;
	int done;              /* already in the database */
};

struct plan {
	struct scn_source *src;
	char hash[17];
	struct job *jobs;
	size_t njobs;
};

static void plan_free(struct plan *p)
{
	scn_source_free(p->src);
	free(p->jobs);
}

/* Read, override, expand and check every point; list the runs.  0 or 2. */
static int plan_make(const struct opts *o, struct plan *p)
{
	char err[8192];
	memset(p, 0, sizeof *p);
	p->src = scn_source_open(o->path, err, sizeof err);
	if (!p->src) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	for (int i = 0; i < o->nsets; i++)
		if (scn_source_override(p->src, o->sets[i], err, sizeof err) != HN_OK) {
			fprintf(stderr, "%s\n", err);
			return 2;
		}
	/* An override that restates the file's value or the default is no
	 * override: same label, same stored point.  source.c sits below the
	 * parameter tables, so the comparison of parsed values comes from
	 * scenario.c through this call. */
	scn_source_mark_restated(p->src, scenario_value_equal);
	if (scn_source_expand(p->src, err, sizeof err) != HN_OK) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	if (o->point > p->src->npoints) {
		fprintf(stderr, "hydranet: --point %llu: %s has %zu points\n",
			(unsigned long long)o->point, o->path, p->src->npoints);
		return 2;
	}
	size_t cap = 0;
	uint64_t files = 0;   /* the points' topology files (scenario.h files_hash) */
	for (size_t k = 0; k < p->src->npoints; k++) {
		struct scenario *s = scenario_build(p->src, k, err, sizeof err);
		if (!s) {
			fprintf(stderr, "%s\n", err);
			return 2;
		}
		if (s->files_hash)
			files = (files ^ s->files_hash) * 1099511628211ull + k + 1;
		uint64_t runs = o->runs ? o->runs : s->sim.runs;
		uint32_t seed = (uint32_t)(o->seed ? o->seed : s->sim.seed);
		scenario_free(s);
		if (o->point && k + 1 != o->point)
			continue;
		for (uint64_t r = 1; r <= runs; r++) {
			if (p->njobs == cap) {
				cap = cap ? 2 * cap : 64;
				struct job *j = realloc(p->jobs, cap * sizeof *j);
				if (!j) {
					fprintf(stderr, "hydranet: out of memory\n");
					return 1;
				}
				p->jobs = j;
			}
			p->jobs[p->njobs++] = (struct job){ k, r, seed, 0 };
		}
	}
	/* The scenario's bytes and, when it reads topology files, theirs: an
	 * edited topology file makes other runs */
	if (!files) {
		res_hash_hex(p->src->text, p->src->text_len, p->hash);
		return 0;
	}
	char *t = malloc(p->src->text_len + 40);
	if (!t) {
		fprintf(stderr, "hydranet: out of memory\n");
		return 1;
	}
	memcpy(t, p->src->text, p->src->text_len);
	int n = snprintf(t + p->src->text_len, 40, "%ctopology files %016llx", 0,
			 (unsigned long long)files);
	res_hash_hex(t, p->src->text_len + (size_t)n, p->hash);
	free(t);
	return 0;
}

static void run_info(const struct plan *p, const struct opts *o, const struct job *j,
		     char *params, size_t plen, struct res_run_info *ri)
{
	scn_source_point_label(p->src, j->point, params, plen);
	*ri = (struct res_run_info){ o->name, p->hash, params, j->seed, j->run, HN_VERSION };
}

/* Build, run and store one run.  Returns 0, 1 (run or database failed). */
static int do_job(const struct plan *p, const struct opts *o, const struct job *j,
		  struct res_db *db, int summary)
{
	char err[8192], params[4096], pdir[PATH_MAX];
	struct res_run_info ri;
	run_info(p, o, j, params, sizeof params, &ri);
	struct scenario *s = scenario_build(p->src, j->point, err, sizeof err);
	if (!s) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	const char *pcap = o->pcap ? o->pcap : s->out.pcap_dir[0] ? s->out.pcap_dir : NULL;
	if (pcap) {
		if (p->src->npoints > 1 || p->njobs > 1)
			snprintf(pdir, sizeof pdir, "%s/p%zu-r%llu", pcap, j->point + 1,
				 (unsigned long long)j->run);
		else
			snprintf(pdir, sizeof pdir, "%s", pcap);
		if (make_dirs(pdir) != 0) {
			fprintf(stderr, "hydranet: cannot create %s: %s\n", pdir, strerror(errno));
			scenario_free(s);
			return 1;
		}
	}
	struct world_options wo = { j->seed, j->run, pcap ? pdir : NULL };
	double t0 = wall_now();
	struct world *w = world_build(s, &wo, err, sizeof err);
	if (!w) {
		fprintf(stderr, "%s\n", err);
		scenario_free(s);
		return 1;
	}
	double sim_s = world_run(w);
	double wall = wall_now() - t0;
	int64_t run_id;
	int rc = res_run_begin(db, &ri, &run_id);
	if (rc == HN_OK)
		rc = world_store(w, db, run_id);
	char why[512];
	snprintf(why, sizeof why, "%s", res_errmsg(db));   /* before a rollback clears it */
	if (rc == HN_OK)
		rc = res_run_commit(db, run_id, wall, sim_s, world_events(w));
	else
		res_run_abort(db);
	if (rc != HN_OK)
		fprintf(stderr, "hydranet: %s: storing point %zu run %llu failed: %s\n", o->db,
			j->point + 1, (unsigned long long)j->run, why);
	else if (summary) {
		printf("%s point %zu/%zu run %llu (seed %u)%s%s: %.3f s simulated in %.3f s wall, "
		       "%llu events\n", o->path, j->point + 1, p->src->npoints,
		       (unsigned long long)j->run, j->seed, *params ? ": " : "", params, sim_s, wall,
		       (unsigned long long)world_events(w));
		world_print_summary(w, stdout);
	}
	world_free(w);
	scenario_free(s);
	return rc == HN_OK ? 0 : 1;
}

/* The progress line: on a terminal only. */
static void progress(const struct opts *o, size_t done, size_t total, const char *what,
		     double t0)
{
	if (o->quiet || !isatty(2))
		return;
	double el = wall_now() - t0;
	double eta = done ? el / (double)done * (double)(total - done) : 0;
	fprintf(stderr, "\r\033[K[%zu/%zu] %s | %02d:%02d elapsed | ETA %s%02d:%02d", done, total,
		what, (int)el / 60, (int)el % 60, done ? "" : "~", (int)eta / 60, (int)eta % 60);
	if (done == total)
		fputc('\n', stderr);
	fflush(stderr);
}

static int cmd_run(int argc, char **argv)
{
	struct opts o;
	struct plan p;
	int rc = parse_opts("run", argc, argv, &o);
	if (rc)
		return rc;
	if ((rc = plan_make(&o, &p)) != 0) {
		plan_free(&p);
		return rc;
	}
	char err[8192];
	if (make_parent_dirs(o.db) != 0) {
		fprintf(stderr, "hydranet: cannot create the directory of %s: %s\n", o.db,
			strerror(errno));
		plan_free(&p);
		return 1;
	}
	struct res_db *db = res_open(o.db, err, sizeof err);
	if (!db) {
		fprintf(stderr, "hydranet: %s\n", err);
		plan_free(&p);
		return 1;
	}
	size_t todo = 0, skipped = 0;
	for (size_t i = 0; i < p.njobs; i++) {
		char params[4096];
		struct res_run_info ri;
		run_info(&p, &o, &p.jobs[i], params, sizeof params, &ri);
		p.jobs[i].done = !o.force && res_run_exists(db, &ri) == 1;
		skipped += p.jobs[i].done;
	}
	todo = p.njobs - skipped;
	if (skipped && !o.quiet)
		printf("%s: %zu of %zu runs already in %s, skipped (--force to re-run)\n", o.path,
		       skipped, p.njobs, o.db);
	double t0 = wall_now();
	int status = 0;
	size_t done = 0;
	if (o.jobs <= 1 || todo <= 1) {
		for (size_t i = 0; i < p.njobs && status == 0; i++) {
			if (p.jobs[i].done)
				continue;
			char what[128], label[4096];
			scn_source_point_label(p.src, p.jobs[i].point, label, sizeof label);
			snprintf(what, sizeof what, "point %zu/%zu run %llu%s%.60s", p.jobs[i].point + 1,
				 p.src->npoints, (unsigned long long)p.jobs[i].run, *label ? " " : "",
				 label);
			progress(&o, done, todo, what, t0);
			status = do_job(&p, &o, &p.jobs[i], db, !o.quiet);
			done++;
			progress(&o, done, todo, what, t0);
		}
		res_close(db);
		plan_free(&p);
		return status;
	}
	/* Parallel: N workers, each with its own connection (WAL, busy timeout),
	 * take every N-th pending run and report each one done on a pipe. */
	res_close(db);
	int fds[2];
	if (pipe(fds) != 0) {
		perror("hydranet: pipe");
		plan_free(&p);
		return 1;
	}
	fflush(stdout);
	fflush(stderr);
	size_t nw = o.jobs < todo ? (size_t)o.jobs : todo;
	pid_t pids[MAX_JOBS_PAR];
	for (size_t w = 0; w < nw; w++) {
		pids[w] = fork();
		if (pids[w] < 0) {
			perror("hydranet: fork");
			status = 1;
			nw = w;
			break;
		}
		if (pids[w] == 0) {
			close(fds[0]);
			struct res_db *wdb = res_open(o.db, err, sizeof err);
			int st = wdb ? 0 : 1;
			size_t n = 0;
			for (size_t i = 0; i < p.njobs && st == 0; i++) {
				if (p.jobs[i].done || n++ % nw != w)
					continue;
				st = do_job(&p, &o, &p.jobs[i], wdb, 0);
				char msg[64];
				int m = snprintf(msg, sizeof msg, "%zu %llu %d\n", p.jobs[i].point + 1,
						 (unsigned long long)p.jobs[i].run, st);
				if (write(fds[1], msg, (size_t)m) != m)
					st = 1;
			}
			res_close(wdb);
			_exit(st);
		}
	}
	close(fds[1]);
	FILE *in = fdopen(fds[0], "r");
	char line[128];
	while (in && fgets(line, sizeof line, in)) {
		unsigned long pt;
		unsigned long long run;
		int st;
		if (sscanf(line, "%lu %llu %d", &pt, &run, &st) != 3)
			continue;
		done++;
		char what[64];
		snprintf(what, sizeof what, "point %lu run %llu %s", pt, run, st ? "FAILED" : "done");
		if (!o.quiet && !isatty(2))
			printf("%s point %lu run %llu: %s\n", o.path, pt, run, st ? "failed" : "stored");
		progress(&o, done, todo, what, t0);
	}
	if (in)
		fclose(in);
	for (size_t w = 0; w < nw; w++) {
		int ws;
		if (waitpid(pids[w], &ws, 0) < 0 || !WIFEXITED(ws) || WEXITSTATUS(ws) != 0)
			status = 1;
	}
	if (!o.quiet)
		printf("%s: %zu runs stored by %zu processes in %.1f s\n", o.path, done, nw,
		       wall_now() - t0);
	plan_free(&p);
	return status;
}

static int cmd_list(int argc, char **argv)
{
	struct opts o;
	struct plan p;
	int rc = parse_opts("list", argc, argv, &o);
	if (rc)
		return rc;
	if ((rc = plan_make(&o, &p)) != 0) {
		plan_free(&p);
		return rc;
	}
	for (size_t i = 0; i < p.njobs; i++) {
		char params[4096];
		scn_source_point_label(p.src, p.jobs[i].point, params, sizeof params);
		printf("point %zu/%zu run %llu seed %u: %s\n", p.jobs[i].point + 1, p.src->npoints,
		       (unsigned long long)p.jobs[i].run, p.jobs[i].seed, *params ? params : "(no sweep)");
	}
	printf("%zu points, %zu runs\n", p.src->npoints, p.njobs);
	plan_free(&p);
	return 0;
}

/* Print s single-quoted for a POSIX shell. */
static void shell_quote(const char *s)
{
	putchar('\'');
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*s);
	}
	putchar('\'');
}

static int cmd_jobs(const char *self, int argc, char **argv)
{
	struct opts o;
	struct plan p;
	int rc = parse_opts("jobs", argc, argv, &o);
	if (rc)
		return rc;
	if ((rc = plan_make(&o, &p)) != 0) {
		plan_free(&p);
		return rc;
	}
	char bin[PATH_MAX], scen[PATH_MAX], dir[2 * PATH_MAX + 2];
	if (!realpath(self, bin) || !realpath(o.path, scen)) {
		fprintf(stderr, "hydranet jobs: cannot resolve paths: %s\n", strerror(errno));
		plan_free(&p);
		return 1;
	}
	if (o.dir[0] == '/')
		snprintf(dir, sizeof dir, "%s", o.dir);
	else {
		char cwd[PATH_MAX];
		if (!getcwd(cwd, sizeof cwd)) {
			plan_free(&p);
			return 1;
		}
		snprintf(dir, sizeof dir, "%s/%s", cwd, o.dir);
	}
	const char *base = strrchr(scen, '/') ? strrchr(scen, '/') + 1 : scen;
	char stem[256];
	snprintf(stem, sizeof stem, "%.*s", (int)strcspn(base, "."), base);
	for (size_t k = 0; k < p.src->npoints; k++) {
		char db[3 * PATH_MAX];
		snprintf(db, sizeof db, "%s/%s-p%zu.sqlite", dir, stem, k + 1);
		shell_quote(bin);
		fputs(" run ", stdout);
		shell_quote(scen);
		fputs(" --name ", stdout);
		shell_quote(o.name);
		printf(" --point %zu --quiet --db ", k + 1);
		shell_quote(db);
		for (int i = 0; i < o.nsets; i++) {
			fputs(" --set ", stdout);
			shell_quote(o.sets[i]);
		}
		if (o.seed)
			printf(" --seed %llu", (unsigned long long)o.seed);
		if (o.runs)
			printf(" --runs %llu", (unsigned long long)o.runs);
		putchar('\n');
	}
	plan_free(&p);
	return 0;
}

static int cmd_merge(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "hydranet merge: usage: hydranet merge OUT IN...\n");
		return 2;
	}
	char err[8192];
	for (int i = 1; i < argc; i++)
		if (access(argv[i], R_OK) != 0) {
			fprintf(stderr, "hydranet merge: %s: %s\n", argv[i], strerror(errno));
			return 2;
		}
	if (make_parent_dirs(argv[0]) != 0) {
		fprintf(stderr, "hydranet merge: cannot create the directory of %s\n", argv[0]);
		return 1;
	}
	struct res_db *db = res_open(argv[0], err, sizeof err);
	if (!db) {
		fprintf(stderr, "hydranet merge: %s\n", err);
		return 1;
	}
	int status = 0;
	for (int i = 1; i < argc && status == 0; i++) {
		size_t added = 0, present = 0;
		if (res_merge(db, argv[i], &added, &present, err, sizeof err) != HN_OK) {
			fprintf(stderr, "hydranet merge: %s\n", err);
			status = 1;
		} else
			printf("%s: %zu runs added, %zu already in %s\n", argv[i], added, present, argv[0]);
	}
	res_close(db);
	return status;
}

static int cmd_summarize(int argc, char **argv)
{
	char err[8192];
	size_t groups;
	if (argc != 1) {
		fprintf(stderr, "hydranet summarize: usage: hydranet summarize DB\n");
		return 2;
	}
	if (access(argv[0], R_OK) != 0) {
		fprintf(stderr, "hydranet summarize: %s: %s\n", argv[0], strerror(errno));
		return 2;
	}
	struct res_db *db = res_open(argv[0], err, sizeof err);
	if (!db || res_summarize(db, &groups, err, sizeof err) != HN_OK) {
		fprintf(stderr, "hydranet summarize: %s\n", err);
		res_close(db);
		return 1;
	}
	printf("%s: %zu summaries (mean, sd, 95%% CI over each point's runs)\n", argv[0], groups);
	res_close(db);
	return 0;
}

/* hydranet metrics: the reference of every metric a run stores; its first
 * line is a heading (tools/gen-params.sh drops it). */
static int cmd_metrics(int argc, char **argv)
{
	(void)argv;
	if (argc > 0) {
		cli_usage(stderr, "metrics");
		return 2;
	}
	printf("# Metrics\n");
	world_print_metrics(stdout);
	return 0;
}

/* hydranet params [SECTION]: the first line of the full listing is a
 * heading (tools/gen-params.sh drops it). */
static int cmd_params(int argc, char **argv)
{
	if (argc > 1) {
		cli_usage(stderr, "params");
		return 2;
	}
	if (argc == 0) {
		printf("# Scenario parameters\n");
		scenario_print_params(stdout, NULL);
		return 0;
	}
	if (scenario_print_params(stdout, argv[0]) != HN_OK) {
		fprintf(stderr, "hydranet params: unknown section kind '%s'; the kinds are: ", argv[0]);
		scenario_print_sections(stderr);
		fputc('\n', stderr);
		return 2;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "help")) {
		if (argc > 3) {
			cli_usage(stderr, "help");
			return 2;
		}
		const char *of = argc == 3 ? argv[2] : NULL;
		if (of && (!strcmp(of, "--help") || !strcmp(of, "-h")))
			of = "help";
		if (cli_usage(stdout, of) != 0) {
			fprintf(stderr, "hydranet help: unknown command '%s'\n", argv[2]);
			usage(stderr);
			return 2;
		}
		return 0;
	}
	if (cli_wants_help(argc - 2, argv + 2) && cli_usage(stdout, cmd) == 0)
		return 0;
	if (!strcmp(cmd, "--version")) {
		printf("hydranet %s\n", HN_VERSION);
		return 0;
	}
	if (hn_log_from_env() != HN_OK)   /* HYDRANET_LOG=spec: the decision trace */
		return 2;
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 2, argv + 2);
	if (!strcmp(cmd, "list"))
		return cmd_list(argc - 2, argv + 2);
	if (!strcmp(cmd, "jobs"))
		return cmd_jobs(argv[0], argc - 2, argv + 2);
	if (!strcmp(cmd, "merge"))
		return cmd_merge(argc - 2, argv + 2);
	if (!strcmp(cmd, "summarize"))
		return cmd_summarize(argc - 2, argv + 2);
	if (!strcmp(cmd, "export"))
		return cli_export(argc - 2, argv + 2);
	if (!strcmp(cmd, "plot"))
		return cli_plot(argc - 2, argv + 2);
	if (!strcmp(cmd, "params"))
		return cmd_params(argc - 2, argv + 2);
	if (!strcmp(cmd, "metrics"))
		return cmd_metrics(argc - 2, argv + 2);
	fprintf(stderr, "hydranet: unknown command '%s'\n", cmd);
	usage(stderr);
	return 2;
}
