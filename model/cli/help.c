/* help.c - the usage of hydranet and of each of its subcommands
 * (`hydranet CMD --help`, `hydranet help CMD`); see cli.h. */
#include "cli/cli.h"

#include <string.h>

#define SETS \
	"  --set S.K=V   override key K of section S (e.g. link.ab.delay=5ms, or delay=5ms\n" \
	"                when one section has it); sweeps allowed: 'delay=${1,5,10}ms'.\n" \
	"                An override meaning what is in force anyway (the file's value,\n" \
	"                or the default: 1000us for a 1ms delay) is no override: same point\n" \
	"  --seed N      override [simulation] seed\n" \
	"  --runs N      override [simulation] runs\n"

#define NAME \
	"  --name NAME   the scenario's name in the database (runs.scenario); default:\n" \
	"                the file's path relative to the current directory when the file\n" \
	"                is under it (scenarios/x.ini, ./scenarios/x.ini and\n" \
	"                $PWD/scenarios/x.ini agree), else its absolute path\n"

static const struct {
	const char *cmd, *text;
} usages[] = {
	{ "run",
	  "usage: hydranet run SCENARIO [options]\n"
	  "Run every point of the scenario's sweep, [simulation] runs times each, and store\n"
	  "the results.  A run already stored (same file bytes, point, seed, run number and\n"
	  "code version) is skipped.  Every point is checked before anything runs.\n"
	  "\n"
	  "options:\n" SETS NAME
	  "  --db FILE     results database (default " CLI_DEFAULT_DB ")\n"
	  "  --pcap DIR    one pcap per link end: DIR/NODE-LINK.pcap (DIR/pK-rR/ in sweeps)\n"
	  "  -j N          run N runs at a time in parallel processes\n"
	  "  --point K     run only point K (1-based) of the sweep\n"
	  "  --force       re-run runs already in the database\n"
	  "  --quiet       no summaries and no progress line\n"
	  "exit status: 0 ok, 1 a run or the database failed, 2 bad input (nothing written)\n" },
	{ "list",
	  "usage: hydranet list SCENARIO [options]\n"
	  "Print the runs `hydranet run` would make: point, run number, seed and the\n"
	  "point's parameters (its runs.params label).\n"
	  "\n"
	  "options:\n" SETS
	  "  --quiet       accepted, no effect\n" },
	{ "jobs",
	  "usage: hydranet jobs SCENARIO [options]\n"
	  "Print one self-contained shell command per point (absolute paths; each writes\n"
	  "its own database under --dir and stores the scenario under the name `run` would\n"
	  "give it here, passed on with --name), for GNU parallel or a Slurm array; then\n"
	  "collect the databases with `hydranet merge`.\n"
	  "\n"
	  "options:\n" SETS NAME
	  "  --dir DIR     where each command writes its database (default results/jobs)\n" },
	{ "merge",
	  "usage: hydranet merge OUT IN...\n"
	  "Copy every run of the IN databases that OUT lacks (by scenario hash, point, seed\n"
	  "and run number), with its metrics, series and requests; one transaction per IN.\n" },
	{ "summarize",
	  "usage: hydranet summarize DB\n"
	  "Fill the summaries table: for every point (scenario hash, params) and metric,\n"
	  "n, mean, sample standard deviation and the 95% CI half width of the mean over\n"
	  "the point's ok runs (Student t, GSL).\n" },
	{ "params",
	  "usage: hydranet params [SECTION]\n"
	  "Print the scenario parameters (key, default, unit, range, meaning) of every\n"
	  "section kind, or of one (e.g. `hydranet params link`).  An unknown kind exits 2\n"
	  "with the list of kinds.\n" },
	{ "export",
	  "usage: hydranet export DB [--format csv|json] [--out FILE] [--scenario NAME] [--summary]\n"
	  "Write the runs of a results database as a table, one row per run: id, scenario,\n"
	  "scenario_hash, params, seed, run_number, status, wall_seconds, sim_seconds,\n"
	  "events, code_version, then one column per swept or overridden parameter (named\n"
	  "as in params: link.ab.delay, value as written) and one per metric, SCOPE.NAME.\n"
	  "A metric a run lacks is an empty cell (JSON null).\n"
	  "\n"
	  "options:\n"
	  "  --format F    csv (RFC 4180: CRLF line ends, fields with , \" CR or LF quoted,\n"
	  "                the default) or json (an array of objects; numbers as numbers)\n"
	  "  --out FILE    write to FILE instead of standard output\n"
	  "  --scenario N  only the runs whose runs.scenario is N\n"
	  "  --summary     one row per point (scenario, scenario_hash, params) over its ok\n"
	  "                runs: n, then SCOPE.NAME.mean and SCOPE.NAME.ci95 (95% CI half\n"
	  "                width, Student t, as `hydranet summarize`; empty when n < 2)\n" },
	{ "plot",
	  "usage: hydranet plot DB --metric SCOPE.NAME --x PARAM [options]\n"
	  "Draw the mean of a metric over each point's ok runs, with its 95% CI as error\n"
	  "bars, against a swept parameter, through gnuplot: FILE.png, FILE.svg and the\n"
	  "script FILE.gp.  x values with a unit (5ms) are drawn as written when they all\n"
	  "share the unit, converted to the base unit (s, bit/s, bytes) when units are\n"
	  "mixed, and as categories when not numbers.  Any other parameter that varies\n"
	  "must be the --series or fixed with --where.\n"
	  "\n"
	  "options:\n"
	  "  --metric M    SCOPE.NAME as in the metrics table (e.g. workload:fetch.latency_mean_s)\n"
	  "  --x P         a parameter column (link.ab.delay, or delay when one column ends so)\n"
	  "  --series P    one line per value of parameter P (or 'scenario')\n"
	  "  --where P=V   keep only runs whose parameter (or scenario, scenario_hash) P is V;\n"
	  "                repeatable\n"
	  "  --scenario N  only the runs whose runs.scenario is N\n"
	  "  --out FILE    FILE.png and FILE.svg (a .png or .svg suffix is dropped); default\n"
	  "                METRIC-vs-PARAM in the current directory\n"
	  "  --title T     the figure's title (default: METRIC vs PARAM)\n"
	  "exit status: 2 for an unknown metric or parameter (listing those stored), 1 when\n"
	  "gnuplot fails\n" },
	{ "metrics",
	  "usage: hydranet metrics\n"
	  "Print every metric a run can store, by scope (NODE, service:NAME, link:NAME,\n"
	  "workload:NAME), with its unit and meaning: the components' declared counters\n"
	  "(model/counter.h) and the derived results.  The README's metrics reference is\n"
	  "this output (make metrics).\n" },
	{ "help",
	  "usage: hydranet help [COMMAND]\n"
	  "Print the usage of COMMAND (or the overview); `hydranet COMMAND --help` too.\n" },
};

static const char overview[] =
	"usage: hydranet run SCENARIO [options]   run every point and run of a scenario\n"
	"       hydranet list SCENARIO [options]  print the runs it would make\n"
	"       hydranet jobs SCENARIO [options]  print one self-contained command per point\n"
	"       hydranet merge OUT IN...          merge result databases, without duplicates\n"
	"       hydranet summarize DB             mean and 95% CI of every metric per point\n"
	"       hydranet export DB [options]      runs (or point summaries) as CSV or JSON\n"
	"       hydranet plot DB --metric M --x P mean and 95% CI of M against P (gnuplot)\n"
	"       hydranet params [SECTION]         print the scenario parameters\n"
	"       hydranet metrics                  print every metric a run stores\n"
	"       hydranet help COMMAND | COMMAND --help   one command's options\n"
	"       hydranet --help | --version\n"
	"\n"
	"common options of run, list and jobs:\n" SETS
	"run: --db FILE (default " CLI_DEFAULT_DB "), --pcap DIR, -j N, --point K,\n"
	"     --force, --quiet, --name NAME;  jobs: --dir DIR, --name NAME\n"
	"exit status: 0 ok, 1 a run, the database or a tool failed, 2 bad input\n";

int cli_usage(FILE *out, const char *cmd)
{
	if (!cmd) {
		fputs(overview, out);
		return 0;
	}
	for (size_t i = 0; i < sizeof usages / sizeof usages[0]; i++)
		if (!strcmp(usages[i].cmd, cmd)) {
			fputs(usages[i].text, out);
			return 0;
		}
	return -1;
}

int cli_wants_help(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	return 0;
}
