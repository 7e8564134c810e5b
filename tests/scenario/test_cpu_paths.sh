#!/bin/sh
# test_cpu_paths.sh - the cost model charges each operation once per datagram
# on each path (model/testbed/cpu.h), checked by counting operations against
# the HydraNet counters of the same run.
. tests/scenario/lib.sh
db=$T/paths.sqlite
run() {
	$HYDRANET run scenarios/fig3a.ini --runs 1 --db "$db" --quiet --set testbed.jitter=0 \
		--set testbed.link_rate=10Mbps --set workload.ttcp.buflen=1460 --set workload.ttcp.nbuf=100 \
		--set "testbed.series=$1" || die "run $1 failed"
}
run virtualhost
m() { metric "$db" "$1" "$2"; }
red=$(m redirector redirected); fwd=$(m redirector forwarded)
frags=$(m redirector fragments_made); cut=$(m redirector outer_fragmented)
expect_num "redirected" "$red" -gt 100
expect_num "datagrams cut" "$cut" -ge 100
# Redirector: one lookup per datagram it handles, one encapsulation per
# tunnelled datagram, FRAG for each fragment after the first, one
# transmission per frame it sends.
expect "redirector lookups" "$(m redirector cpu.n_lookup)" "$((red + fwd))"
expect "redirector encapsulations" "$(m redirector cpu.n_encap)" "$red"
expect "redirector fragments cut" "$(m redirector cpu.n_frag)" "$((frags - cut))"
expect "redirector frames sent" "$(m redirector cpu.n_xmit)" "$((frags + red - cut + fwd))"
expect "redirector decapsulations" "$(m redirector cpu.n_decap)" 0
# Host server: each tunnelled frame interrupts and is reassembled; each
# decapsulated datagram passes IP input a second time and is checked once
# against the virtual-host table.
tin=$(m hostserver tunnelled_in); del=$(m hostserver delivered)
expect "host server interrupts" "$(m hostserver cpu.n_intr)" "$tin"
expect "host server reassembly steps" "$(m hostserver cpu.n_reass)" "$(m hostserver outer_fragments_in)"
expect "host server decapsulations" "$(m hostserver cpu.n_decap)" "$del"
expect "host server IP input passes" "$(m hostserver cpu.n_ip_in)" "$((tin + del))"
expect "host server virtual-host lookups" "$(m hostserver cpu.n_lookup)" "$(m hostserver cpu.n_tcp_in)"
expect "host server TCP input" "$(m hostserver cpu.n_tcp_in)" "$del"
# Sender: one TCP output and one transmission per segment (none cut).
expect "sender frames" "$(m sender cpu.n_xmit)" "$(m sender cpu.n_tcp_out)"
expect "failed emissions" "$(q "$db" "SELECT printf('%d', sum(value)) FROM metrics WHERE name = 'drop.cpu_emit_failed'")" 0
# Clean: unmodified kernels, no HydraNet work anywhere.
db=$T/clean.sqlite
run clean
expect "clean lookups" "$(q "$db" "SELECT printf('%d', sum(value)) FROM metrics WHERE name = 'cpu.n_lookup'")" 0
expect "clean encapsulations" "$(q "$db" "SELECT printf('%d', sum(value)) FROM metrics WHERE name IN ('cpu.n_encap', 'cpu.n_decap', 'cpu.n_frag')")" 0
expect "clean host server input passes" "$(m hostserver cpu.n_ip_in)" "$(m hostserver cpu.n_intr)"
