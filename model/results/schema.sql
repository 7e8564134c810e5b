-- HydraNet results database, schema version 3 (PRAGMA user_version).
-- Version 2 added requests.object and requests.cache (HydraWeb), version 3
-- requests.outcome; an older database is migrated in place when opened
-- (res.c).
-- One row in runs per simulation run; its metrics, series and requests rows
-- are written in the same transaction, so a run is there whole or not at all.
CREATE TABLE IF NOT EXISTS runs (
  id            INTEGER PRIMARY KEY,
  scenario      TEXT    NOT NULL,   -- scenario file name as given
  scenario_hash TEXT    NOT NULL,   -- FNV-1a 64 of the file's bytes, hex
  params        TEXT    NOT NULL,   -- the run's parameter point: key=value;...
  seed          INTEGER NOT NULL,
  run_number    INTEGER NOT NULL,   -- ns-3 run number (independent streams)
  code_version  TEXT    NOT NULL,   -- git describe of the build
  started_at    TEXT    NOT NULL,   -- UTC, ISO 8601
  wall_seconds  REAL    NOT NULL,
  sim_seconds   REAL    NOT NULL,   -- simulated time run
  events        INTEGER NOT NULL,   -- simulator events executed
  status        TEXT    NOT NULL,   -- 'ok' or 'failed: reason'
  UNIQUE (scenario_hash, params, seed, run_number)
);
-- Scalar results.  scope names what the metric belongs to: a node, a client
-- workload, or 'run'.
CREATE TABLE IF NOT EXISTS metrics (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  scope  TEXT    NOT NULL,
  name   TEXT    NOT NULL,
  value  REAL    NOT NULL,
  PRIMARY KEY (run_id, scope, name)
);
-- Curves and histograms.
CREATE TABLE IF NOT EXISTS series (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  series TEXT    NOT NULL,
  x      REAL    NOT NULL,
  y      REAL    NOT NULL
);
CREATE INDEX IF NOT EXISTS series_by_run ON series (run_id, series);
-- One row per application request a client made.
CREATE TABLE IF NOT EXISTS requests (
  run_id     INTEGER NOT NULL REFERENCES runs(id),
  workload   TEXT    NOT NULL,   -- workload section name
  client     TEXT    NOT NULL,   -- client node
  service    TEXT    NOT NULL,   -- service section name
  seq        INTEGER NOT NULL,   -- request number within the workload
  start_s    REAL    NOT NULL,   -- simulated time of connect()
  latency_s  REAL,               -- connect to last byte; NULL if it failed
  bytes_sent INTEGER NOT NULL,
  bytes_received INTEGER NOT NULL,
  served_by  TEXT,               -- node named by the server in its reply
  ok         INTEGER NOT NULL,   -- 1 when the reply was complete and correct
  object     INTEGER,            -- object asked for (http workloads with objects), else NULL
  cache      TEXT,               -- the reply's X-Cache verdict: 'hit', 'miss', or NULL
  outcome    TEXT,               -- how an HTTP request ended: 'ok', 'reset', 'timed_out',
                                 -- 'failed' (the reply was wrong) or 'unfinished' (the run
                                 -- ended first); NULL for other applications
  PRIMARY KEY (run_id, workload, seq)
);
-- Derived by `hydranet summarize`: each metric over the runs of one point
-- (all its seeds and run numbers): mean, sample standard deviation and the
-- half-width of the 95% confidence interval of the mean (Student t).
CREATE TABLE IF NOT EXISTS summaries (
  scenario_hash TEXT NOT NULL,
  scenario      TEXT NOT NULL,
  params        TEXT NOT NULL,
  scope         TEXT NOT NULL,
  name          TEXT NOT NULL,
  n             INTEGER NOT NULL,
  mean          REAL NOT NULL,
  sd            REAL,              -- NULL when n < 2
  ci95          REAL,              -- NULL when n < 2
  PRIMARY KEY (scenario_hash, params, scope, name)
);
PRAGMA user_version = 3;
