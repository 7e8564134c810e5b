/* hydranet.c - the hydranet program: run scenarios, store results.
 *
 *   hydranet run SCENARIO [--db FILE] [--pcap DIR] [--seed N] [--runs N]
 *                         [--force] [--quiet]
 *   hydranet list SCENARIO
 *   hydranet params
 *   hydranet --help
 *
 * Exit status: 0 success, 1 a run failed, 2 bad input (with "file:line:
 * message" on stderr and nothing written to the database). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "results/res.h"
#include "scenario/scenario.h"
#include "scenario/world.h"
#include "status.h"

#ifndef HN_VERSION
#define HN_VERSION "unknown"
#endif

#define DEFAULT_DB "results/hydranet.sqlite"

static void usage(FILE *out)
{
	fputs("usage: hydranet run SCENARIO [options]   run a scenario (every run of it)\n"
	      "       hydranet list SCENARIO            print the runs a scenario would make\n"
	      "       hydranet params                   print every scenario parameter\n"
	      "       hydranet --help | --version\n"
	      "\n"
	      "run options:\n"
	      "  --db FILE     results database (default " DEFAULT_DB ")\n"
	      "  --pcap DIR    write one pcap per link end, DIR/NODE-IFACE.pcap\n"
	      "  --seed N      override [simulation] seed\n"
	      "  --runs N      override [simulation] runs\n"
	      "  --force       re-run runs already in the database\n"
	      "  --quiet       print no summary\n",
	      out);
}

/* mkdir -p for the parent directories of path (or path itself when dir). */
static int make_dirs(const char *path, int is_dir)
{
	char buf[1024];
	snprintf(buf, sizeof buf, "%s", path);
	size_t n = strlen(buf);
	if (!is_dir) {
		char *slash = strrchr(buf, '/');
		if (!slash)
			return 0;
		*slash = 0;
		n = strlen(buf);
	}
	for (size_t i = 1; i <= n; i++) {
		if (buf[i] == '/' || buf[i] == 0) {
			char c = buf[i];
			buf[i] = 0;
			if (mkdir(buf, 0777) != 0 && errno != EEXIST)
				return -1;
			buf[i] = c;
		}
	}
	return 0;
}

static int parse_u64(const char *opt, const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s ? s : "", &end, 10);
	if (!s || !*s || *end || errno || v < min || v > max || *s == '-') {
		fprintf(stderr, "hydranet: %s needs an integer in [%llu, %llu]\n", opt,
			(unsigned long long)min, (unsigned long long)max);
		return -1;
	}
	*out = v;
	return 0;
}

static double wall_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmd_run(int argc, char **argv)
{
	const char *path = NULL, *db_path = DEFAULT_DB, *pcap = NULL;
	uint64_t seed = 0, runs = 0;
	int force = 0, quiet = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--db") && i + 1 < argc)
			db_path = argv[++i];
		else if (!strcmp(a, "--pcap") && i + 1 < argc)
			pcap = argv[++i];
		else if (!strcmp(a, "--seed")) {
			if (parse_u64("--seed", i + 1 < argc ? argv[++i] : NULL, 1, 4294967295u, &seed))
				return 2;
		} else if (!strcmp(a, "--runs")) {
			if (parse_u64("--runs", i + 1 < argc ? argv[++i] : NULL, 1, 10000, &runs))
				return 2;
		} else if (!strcmp(a, "--force"))
			force = 1;
		else if (!strcmp(a, "--quiet"))
			quiet = 1;
		else if (a[0] == '-' || path) {
			fprintf(stderr, "hydranet run: unexpected argument '%s'\n", a);
			usage(stderr);
			return 2;
		} else
			path = a;
	}
	if (!path) {
		fprintf(stderr, "hydranet run: no scenario file given\n");
		return 2;
	}
	char err[1024];
	struct scenario *s = scenario_load(path, err, sizeof err);
	if (!s) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	if (seed)
		s->sim.seed = seed;
	if (runs)
		s->sim.runs = runs;
	if (!pcap && s->out.pcap_dir[0])
		pcap = s->out.pcap_dir;
	if (make_dirs(db_path, 0) != 0 || (pcap && make_dirs(pcap, 1) != 0)) {
		fprintf(stderr, "hydranet: cannot create directories for %s: %s\n",
			pcap ? pcap : db_path, strerror(errno));
		scenario_free(s);
		return 1;
	}
	struct res_db *db = res_open(db_path, err, sizeof err);
	if (!db) {
		fprintf(stderr, "hydranet: %s\n", err);
		scenario_free(s);
		return 1;
	}
	char hash[17];
	res_hash_hex(s->text, s->text_len, hash);
	int status = 0;
	for (uint64_t run = 1; run <= s->sim.runs && status == 0; run++) {
		struct res_run_info ri = { path, hash, "", (uint32_t)s->sim.seed, run, HN_VERSION };
		if (!force && res_run_exists(db, &ri) == 1) {
			if (!quiet)
				printf("%s run %llu: already in %s, skipped (--force to re-run)\n", path,
				       (unsigned long long)run, db_path);
			continue;
		}
		char pdir[1024] = "";
		if (pcap) {
			snprintf(pdir, sizeof pdir, s->sim.runs > 1 ? "%s/run%llu" : "%s", pcap,
				 (unsigned long long)run);
			make_dirs(pdir, 1);
		}
		struct world_options wo = { (uint32_t)s->sim.seed, run, pcap ? pdir : NULL };
		double t0 = wall_now();
		struct world *w = world_build(s, &wo, err, sizeof err);
		if (!w) {
			fprintf(stderr, "%s\n", err);
			status = 2;
			break;
		}
		double sim_s = world_run(w);
		double wall = wall_now() - t0;
		int64_t run_id;
		int rc = res_run_begin(db, &ri, &run_id);
		if (rc == HN_OK)
			rc = world_store(w, db, run_id);
		if (rc == HN_OK)
			rc = res_run_commit(db, run_id, wall, sim_s, world_events(w));
		else
			res_run_abort(db);
		if (rc != HN_OK) {
			fprintf(stderr, "hydranet: %s: storing run %llu failed: %s\n", db_path,
				(unsigned long long)run, res_errmsg(db));
			status = 1;
		} else if (!quiet) {
			printf("%s run %llu (seed %llu): %.3f s simulated in %.3f s wall, %llu events\n",
			       path, (unsigned long long)run, (unsigned long long)s->sim.seed, sim_s,
			       wall, (unsigned long long)world_events(w));
			world_print_summary(w, stdout);
		}
		world_free(w);
	}
	res_close(db);
	scenario_free(s);
	return status;
}

static int cmd_list(int argc, char **argv)
{
	if (argc != 1) {
		fprintf(stderr, "hydranet list: give one scenario file\n");
		return 2;
	}
	char err[1024];
	struct scenario *s = scenario_load(argv[0], err, sizeof err);
	if (!s) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	for (uint64_t run = 1; run <= s->sim.runs; run++)
		printf("%s seed=%llu run=%llu\n", argv[0], (unsigned long long)s->sim.seed,
		       (unsigned long long)run);
	scenario_free(s);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version")) {
		printf("hydranet %s\n", HN_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 2, argv + 2);
	if (!strcmp(cmd, "list"))
		return cmd_list(argc - 2, argv + 2);
	if (!strcmp(cmd, "params")) {
		printf("# Scenario parameters\n");
		scenario_print_params(stdout);
		return 0;
	}
	fprintf(stderr, "hydranet: unknown command '%s'\n", cmd);
	usage(stderr);
	return 2;
}
