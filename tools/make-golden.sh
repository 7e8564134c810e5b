#!/bin/sh
# make-golden.sh DB > tests/golden/fig3.golden - write the golden bands of
# the plotted Figure 3 and connection-setup metrics from a summarized
# database of the reduced sweep that tests/scenario/test_fig3.sh runs.
# Run it only on purpose, after a deliberate model change, and say so in
# the commit: the bands then guard the new numbers.
set -eu
db=$1
cat <<'HDR'
# Golden bands for tests/scenario/test_fig3.sh: scenario|point|scope|metric|mean|tolerance|reason
# Made by tools/make-golden.sh from the reduced sweep of test_fig3.sh (2 runs per point).
# Reasons:
#  jitter:  runs differ only by the +-5% noise on each CPU charge (testbed
#           jitter); over thousands of packets it averages out (95% CIs of
#           0.01-0.2%), so 3% of the mean flags any change that moves a
#           plotted point visibly and still allows another run count.
#  exact:   every write makes one full-size segment whose tunnelled datagram
#           is cut in two: the count follows from sizes and MTU alone.
#  coalesce: small writes sometimes leave the sender coalesced into one
#           full-size segment; how many depends on timing noise, so the
#           count is guarded to within half.
#  connect: connection setup averages 200 handshakes; the jitter moves the
#           mean by well under 1%, 2% flags a change.
HDR
sqlite3 -separator '|' "$db" "
SELECT replace(scenario, rtrim(scenario, replace(scenario, '/', '')), ''), params, scope, name,
       printf('%.6g', mean),
       CASE WHEN name = 'throughput_mbps' THEN '0.03'
            WHEN name = 'connect_mean_ms' THEN '0.02'
            WHEN params LIKE '%buflen=1460' OR params LIKE '%buflen=1600' THEN '0'
            ELSE '0.5' END,
       CASE WHEN name = 'throughput_mbps' THEN 'jitter'
            WHEN name = 'connect_mean_ms' THEN 'connect'
            WHEN params LIKE '%buflen=1460' OR params LIKE '%buflen=1600' THEN 'exact'
            ELSE 'coalesce' END
FROM summaries
WHERE name IN ('throughput_mbps', 'connect_mean_ms')
   OR (name IN ('fragments_made', 'reassembled') AND params LIKE '%series=virtualhost%'
       AND scenario NOT LIKE '%conn-setup%')
ORDER BY 1, 2, 3, 4"
