#!/bin/sh
# test_cli_help.sh - every subcommand's --help (and `hydranet help CMD`)
# prints that subcommand's usage with its options and exits 0; `hydranet
# params SECTION` prints one section's table; unknown names exit 2 with the
# list of what exists.
. tests/scenario/lib.sh
# cmd, then options its help must name
check() {
	c=$1; shift
	$HYDRANET "$c" --help > "$T/h" 2> "$T/e"; expect "$c --help status" $? 0
	[ -s "$T/e" ] && die "$c --help wrote to stderr: $(cat "$T/e")"
	expect "$c --help first line" "$(head -1 "$T/h" | cut -d' ' -f1-3)" "usage: hydranet $c"
	for o in "$@"; do grep -q -- "$o" "$T/h" || die "$c --help does not name $o"; done
	$HYDRANET help "$c" > "$T/h2"; expect "help $c status" $? 0
	cmp -s "$T/h" "$T/h2" || die "'hydranet help $c' differs from '$c --help'"
	$HYDRANET "$c" -h > "$T/h3"; expect "$c -h status" $? 0
	cmp -s "$T/h" "$T/h3" || die "'$c -h' differs from '$c --help'"
}
check run --set --seed --runs --name --db --pcap -j --point --force --quiet
check list --set --seed --runs
check jobs --set --dir --name
check merge OUT
check summarize DB
check params SECTION
check export --format --out --scenario --summary csv json
check plot --metric --x --series --where --scenario --out --title
check help COMMAND
# --help wins over a missing scenario and over other arguments
$HYDRANET run tests/scenario/http-analytic.ini --db "$T/x.sqlite" --help > /dev/null
expect "run SCENARIO --help status" $? 0
[ ! -e "$T/x.sqlite" ] || die "run --help ran"
$HYDRANET --help > "$T/h"; expect "--help status" $? 0
for c in run list jobs merge summarize export plot params help; do
	grep -q "hydranet $c" "$T/h" || die "--help does not list $c"
done
$HYDRANET help > "$T/h2"; cmp -s "$T/h" "$T/h2" || die "'hydranet help' differs from --help"
$HYDRANET help nope > /dev/null 2> "$T/e"; expect "help nope status" $? 2
grep -q "unknown command 'nope'" "$T/e" || die "help nope: $(cat "$T/e")"
$HYDRANET nope 2> /dev/null; expect "unknown command status" $? 2

# params SECTION: that section's table only
$HYDRANET params link > "$T/p"; expect "params link status" $? 0
grep -q '^### \[link NAME\]' "$T/p" || die "params link has no [link NAME] heading"
grep -q '^| `delay` | 1ms |' "$T/p" || die "params link lacks delay"
grep -q '\[node NAME\]' "$T/p" && die "params link prints [node NAME] too"
$HYDRANET params > "$T/all"; expect "params status" $? 0
expect "params heading" "$(head -1 "$T/all")" "# Scenario parameters"
grep -q '\[node NAME\]' "$T/all" && grep -q '\[link NAME\]' "$T/all" || die "params lacks sections"
$HYDRANET params nope > "$T/p" 2> "$T/e"; expect "params nope status" $? 2
[ -s "$T/p" ] && die "params nope printed a table"
grep -q "unknown section kind 'nope'" "$T/e" || die "params nope: $(cat "$T/e")"
for k in node link service workload simulation; do
	grep -q "$k" "$T/e" || die "params nope does not list $k"
done
