#!/usr/bin/env python3
"""hydranet_results.py - read a HydraNet results database (model/results/schema.sql).

A small reader for analysis in Python, with the standard library's sqlite3:

    import sys; sys.path.insert(0, "analysis")
    import hydranet_results as hr
    runs = hr.load_runs("results/fig2.sqlite")        # one row per run, as `hydranet export`
    hist = hr.load_series("results/fig5.sqlite", "texas.latency_hist.all")
    reqs = hr.load_requests("results/fig5.sqlite")

load_runs gives the columns of `hydranet export DB`: id, scenario, scenario_hash,
params, seed, run_number, status, wall_seconds, sim_seconds, events,
code_version, then one column per swept or overridden parameter (as written,
e.g. "20ms") and one per metric, SCOPE.NAME (None where a run lacks it).

With pandas installed every loader returns a pandas.DataFrame; without it (Debian:
apt-get install python3-pandas), a list of dicts with the same keys, and a
note on stderr says so once.  As a script, `python3 analysis/hydranet_results.py DB`
prints what DB holds.  The database is opened read-only; nothing here uses the
network.
"""
import sqlite3
import sys
from pathlib import Path

try:
    import pandas as _pd
except ImportError:  # the fallback: plain rows
    _pd = None

RUN_COLUMNS = ["id", "scenario", "scenario_hash", "params", "seed", "run_number",
               "status", "wall_seconds", "sim_seconds", "events", "code_version"]

_warned = False


def _frame(rows, columns):
    """A DataFrame of rows (dicts) with columns in this order, or the rows."""
    global _warned
    if _pd is not None:
        return _pd.DataFrame(rows, columns=columns)
    if not _warned:
        print("hydranet_results: pandas is not installed (Debian: apt-get install "
              "python3-pandas); returning lists of dicts", file=sys.stderr)
        _warned = True
    return [{c: r.get(c) for c in columns} for r in rows]


def connect(db):
    """A read-only connection to the database at path db."""
    path = Path(db)
    if not path.is_file():
        raise FileNotFoundError(f"{db}: no such results database")
    con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    version = con.execute("PRAGMA user_version").fetchone()[0]
    if version not in (1, 2, 3):
        con.close()
        raise ValueError(f"{db}: not a hydranet results database (schema version "
                         f"{version}, want 1 to 3)")
    return con


def _starts_pair(t):
    """Whether t reads as the start of the next 'a.b=' of a params label."""
    eq = t.find("=")
    if eq <= 0:
        return False
    semi = t.find(";")
    if 0 <= semi < eq:
        return False
    dot = t.find(".", 0, eq)
    return 0 < dot < eq - 1


def parse_params(label):
    """Split runs.params ("link.ab.delay=5ms;simulation.seed=3") into an
    ordered dict.  As model/cli/table.c: a ';' separates only when what
    follows reads as the next "a.b=", so a value holding ';' stays whole."""
    out = {}
    rest = label
    while rest:
        eq = rest.find("=")
        if eq < 0:
            raise ValueError(f"cannot read params {label!r}")
        name, value = rest[:eq], rest[eq + 1:]
        end = -1
        pos = 0
        while True:
            end = value.find(";", pos)
            if end < 0 or _starts_pair(value[end + 1:]):
                break
            pos = end + 1
        if end < 0:
            out[name] = value
            break
        out[name] = value[:end]
        rest = value[end + 1:]
    return out


def load_runs(db, scenario=None):
    """One row per run: its columns, its parameters, its metrics (SCOPE.NAME)."""
    con = connect(db)
    try:
        where, args = ("WHERE scenario = ?", (scenario,)) if scenario else ("", ())
        cur = con.execute(f"SELECT {', '.join(RUN_COLUMNS)} FROM runs {where} ORDER BY id", args)
        rows = [dict(zip(RUN_COLUMNS, r)) for r in cur]
        by_id = {r["id"]: r for r in rows}
        pcols = []
        for r in rows:
            for k, v in parse_params(r["params"]).items():
                if k not in pcols:
                    pcols.append(k)
                r[k] = v
        mcols = [f"{s}.{n}" for s, n in con.execute(
            "SELECT DISTINCT m.scope, m.name FROM metrics m JOIN runs r ON r.id = m.run_id "
            f"{where.replace('scenario', 'r.scenario')} ORDER BY m.scope, m.name", args)]
        for run_id, scope, name, value in con.execute(
                "SELECT run_id, scope, name, value FROM metrics"):
            if run_id in by_id:
                by_id[run_id][f"{scope}.{name}"] = value
    finally:
        con.close()
    return _frame(rows, RUN_COLUMNS + pcols + mcols)


def load_summaries(db):
    """The summaries table (`hydranet summarize DB` fills it): n, mean, sd,
    ci95 per point and metric, with a metric column SCOPE.NAME."""
    con = connect(db)
    try:
        cols = ["scenario", "scenario_hash", "params", "scope", "name", "n", "mean", "sd", "ci95"]
        rows = [dict(zip(cols, r)) for r in con.execute(
            f"SELECT {', '.join(cols)} FROM summaries ORDER BY scenario, params, scope, name")]
    finally:
        con.close()
    for r in rows:
        r["metric"] = f"{r['scope']}.{r['name']}"
    return _frame(rows, cols + ["metric"])


def load_series(db, name, run_id=None):
    """The points (x, y) of series name (e.g. "texas.latency_hist.all",
    "texas.ping_rtt_ms"), of every run or of run_id, with the run's identity."""
    con = connect(db)
    try:
        sql = ("SELECT s.run_id, r.scenario, r.params, r.seed, r.run_number, s.x, s.y "
               "FROM series s JOIN runs r ON r.id = s.run_id WHERE s.series = ?")
        args = [name]
        if run_id is not None:
            sql += " AND s.run_id = ?"
            args.append(run_id)
        cols = ["run_id", "scenario", "params", "seed", "run_number", "x", "y"]
        rows = [dict(zip(cols, r)) for r in con.execute(sql + " ORDER BY s.run_id, s.x", args)]
        if not rows:
            names = [n for (n,) in con.execute("SELECT DISTINCT series FROM series ORDER BY 1")]
            if name not in names:
                raise KeyError(f"{db}: no series {name!r}; the series stored are: "
                               + ", ".join(names))
    finally:
        con.close()
    return _frame(rows, cols)


def load_requests(db, run_id=None):
    """One row per client request (requests table), with the run's identity."""
    con = connect(db)
    try:
        have = {c[1] for c in con.execute("PRAGMA table_info(requests)")}
        # object and cache since schema version 2, outcome since 3
        extra = [c for c in ("object", "cache", "outcome") if c in have]
        qcols = ["workload", "client", "service", "seq", "start_s", "latency_s", "bytes_sent",
                 "bytes_received", "served_by", "ok"] + extra
        sql = (f"SELECT q.run_id, r.scenario, r.params, r.seed, r.run_number, "
               f"{', '.join('q.' + c for c in qcols)} FROM requests q JOIN runs r ON r.id = q.run_id")
        args = []
        if run_id is not None:
            sql += " WHERE q.run_id = ?"
            args.append(run_id)
        cols = ["run_id", "scenario", "params", "seed", "run_number"] + qcols
        rows = [dict(zip(cols, r)) for r in con.execute(sql + " ORDER BY q.run_id, q.workload, q.seq",
                                                        args)]
    finally:
        con.close()
    return _frame(rows, cols)


def describe(db, out=sys.stdout):
    """Print what db holds: runs per scenario and point, metrics, series, requests."""
    con = connect(db)
    try:
        print(f"{db}:", file=out)
        for scen, params, n, ok in con.execute(
                "SELECT scenario, params, count(*), sum(status = 'ok') FROM runs "
                "GROUP BY scenario, scenario_hash, params ORDER BY scenario, min(id)"):
            print(f"  {scen}  {params or '(no sweep)'}: {n} runs ({ok} ok)", file=out)
        nm = con.execute("SELECT count(DISTINCT scope || '.' || name) FROM metrics").fetchone()[0]
        ns = con.execute("SELECT count(DISTINCT series) FROM series").fetchone()[0]
        nq = con.execute("SELECT count(*) FROM requests").fetchone()[0]
        print(f"  {nm} metrics, {ns} series, {nq} requests", file=out)
    finally:
        con.close()
    runs = load_runs(db)
    pcols = []
    rows = runs.to_dict("records") if _pd is not None else runs
    for r in rows:
        for k in parse_params(r["params"]):
            if k not in pcols:
                pcols.append(k)
    print(f"  load_runs: {len(rows)} rows; parameter columns: {', '.join(pcols) or '(none)'}",
          file=out)


def main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print("usage: python3 analysis/hydranet_results.py DB", file=sys.stderr)
        return 2 if len(argv) != 2 else 0
    try:
        describe(argv[1])
    except (FileNotFoundError, ValueError, sqlite3.Error) as e:
        print(f"hydranet_results: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
