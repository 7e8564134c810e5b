#!/bin/sh
# failover-table.sh DB - the failover table of EXPERIMENTS.md ("Failover")
# from the runs of scenarios/fig1-failover.ini in DB (tools/reproduce.sh):
# per parameter point, the mean over its runs of the detection time, the
# failover time, the requests in progress at the crash that broke, those
# started after it that failed before and after detection, those in
# progress at the restart that broke, and how many of all the point's
# requests were reset and timed out.  Markdown on stdout.
set -eu
db=${1:-results/failover.sqlite}
sqlite3 -readonly -batch -noheader -separator ' | ' "$db" "
WITH m AS (
  SELECT r.params AS p, r.id AS id,
    max(CASE WHEN x.scope = 'failure:crash' AND x.name = 'detected_s' THEN x.value END) AS det,
    max(CASE WHEN x.scope = 'failure:crash' AND x.name = 'failover_s' THEN x.value END) AS fo,
    max(CASE WHEN x.scope = 'failure:crash' AND x.name = 'broken' THEN x.value END) AS br,
    max(CASE WHEN x.scope = 'failure:crash' AND x.name = 'failed_before_detection' THEN x.value END) AS bd,
    max(CASE WHEN x.scope = 'failure:crash' AND x.name = 'failed_after_detection' THEN x.value END) AS ad,
    max(CASE WHEN x.scope = 'failure:restart' AND x.name = 'broken' THEN x.value END) AS rb,
    sum(CASE WHEN x.scope LIKE 'workload:%' AND x.name = 'requests_timed_out' THEN x.value END) AS tmo,
    sum(CASE WHEN x.scope LIKE 'workload:%' AND x.name = 'requests_reset' THEN x.value END) AS rst,
    sum(CASE WHEN x.scope LIKE 'workload:%' AND x.name = 'requests' THEN x.value END) AS req
  FROM runs r JOIN metrics x ON x.run_id = r.id
  WHERE r.scenario LIKE '%fig1-failover.ini' AND r.status = 'ok'
  GROUP BY r.id)
SELECT '| ' || p, count(*),
  CASE WHEN avg(det) IS NULL THEN '-' ELSE printf('%.3f', avg(det)) END,
  CASE WHEN avg(fo) IS NULL THEN '-' ELSE printf('%.3f', avg(fo)) END,
  printf('%.1f', avg(br)), printf('%.1f', avg(bd)), CASE WHEN avg(ad) IS NULL THEN '-' ELSE printf('%.1f', avg(ad)) END, printf('%.1f', avg(rb)),
  printf('%.1f', avg(rst)), printf('%.1f', avg(tmo)), printf('%.0f', avg(req)) || ' |'
FROM m GROUP BY p ORDER BY p;" | {
	echo '| point | runs | detected (s) | failover (s) | broken at the crash | failed before detection | failed after detection | broken at the restart | reset | timed out | requests |'
	echo '|---|---|---|---|---|---|---|---|---|---|---|'
	cat
}
