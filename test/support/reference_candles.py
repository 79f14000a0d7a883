#!/usr/bin/python3
"""Independent reference for the aggTrade candles of the binance-processor (pandas + h5py).

Reads a recorded-format input (JSON lines, combined-stream messages, the lines the simulator
replays), computes the candles with pandas from the documented rules, and compares EVERY row
of /aggTrade/<SYMBOL> in the HDF5 file with them, plus every /gaps row with the input's gap
markers. Prints a JSON summary; exits 1 on any difference.

Rules (docs/hdf5-layout.md, "binance.h5"):
- Lines are taken in file order ("arrival"). A trade is an aggTrade payload with a symbol s,
  an integer trade time T > 0, finite p and q (decimal strings or numbers), integer f <= l and
  a boolean m; anything else is rejected. A gap marker (e = "gap") with every field of the
  contract is recorded; a bad one is rejected.
- Windows are tumbling, [start, start + window) with start = floor(T / window) * window (trade
  time T, as Binance's klines), per symbol. A trade is late (dropped) when its window starts
  before the symbol's closing point floor((watermark - lateness) / window) * window, where the
  watermark is the largest T seen (the first trade of a symbol sets both).
- open/close: price of the trade with the smallest/largest T (ties: earliest/latest arrival);
  high/low: max/min price; count: aggregate trades; trade_count: sum of l - f + 1;
  volume = sum q; quote_volume = sum p*q (p*q one float64 multiplication);
  taker_buy_volume / taker_buy_quote_volume: the same sums over trades with m false;
  vwap = quote_volume / volume. Every sum is a LEFT FOLD in arrival order starting at 0.0,
  without compensation (pandas' own groupby sum uses Kahan summation and would differ in the
  last bits, so the folds are done explicitly).
- Empty windows: when a symbol's next on-time trade falls more than one window after the
  newest window that had a trade, every window in between is a row with count 0 (prices and
  vwap NaN, sums 0, event times -1), unless more than 10,000 windows lie in between.
- gap: 2 when an unfilled gap of the symbol's aggTrade stream overlaps the window (open
  interval (from, to) against [start, end)), else 1 when a filled one does, else 0. This
  assumes each marker arrives while the windows it overlaps are still open (the producer sends
  it before the events after the gap), or, with --merge-rows, that a window written before its
  marker came has an extra count-0 row with the flag.
- /gaps: one row per valid marker, in input order per symbol (symbols interleave by arrival).
- complete is checked (= 1) for windows the input's own trades close; the last windows of a
  symbol may be 0 or 1 (the wall clock or the stop wrote them).

Values are compared exactly (equal floats, or both NaN) unless --rel-tol is given.

--h5 is the configured path, read as a store (test/support/store_files.py): the file itself
if it exists, plus every partition file of its folder (`x.h5` names the folder `x`). The
rows of all its files are read together (a window's rows may be in several), /gaps rows in
store order (oldest partition first), then file order.

With --merge-rows a window may have several rows (backfilled trades that came after the wall
clock wrote their window get a row of their own): they are merged by the documented rule
(docs/hdf5-layout.md, "Merging rows of one window") before the comparison, and the sums of a
merged window are compared with a relative tolerance of 1e-12 (two folds added, not one).
"""
import argparse
import functools
import json
import math
import operator
import os
import sys

import h5py
import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from store_files import store_files  # noqa: E402

GAP_CAUSES = {"drop", "stale", "roll-over", "shutdown"}
MAX_EMPTY_WINDOWS = 10_000
FLOAT_COLUMNS = ["open", "high", "low", "close", "volume", "quote_volume", "taker_buy_volume",
                 "taker_buy_quote_volume", "vwap"]
INT_COLUMNS = ["window_end", "count", "event_time_first", "event_time_last", "trade_count", "gap"]


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def to_number(v):
    if is_int(v) or isinstance(v, float):
        return float(v)
    if isinstance(v, str) and v.strip():
        try:
            return float(v)
        except ValueError:
            return math.nan
    return math.nan


def parse_gap(d):
    ok = (isinstance(d.get("s"), str) and d["s"] and isinstance(d.get("stream"), str) and "@" in d["stream"]
          and is_int(d.get("from")) and is_int(d.get("to")) and 0 <= d["from"] <= d["to"]
          and d.get("cause") in GAP_CAUSES and isinstance(d.get("filled"), bool)
          and (d.get("missing") is None or (is_int(d.get("missing")) and d["missing"] >= 0)))
    if not ok:
        return None
    return {"symbol": d["s"].upper(), "stream": d["stream"], "from": d["from"], "to": d["to"],
            "cause": d["cause"], "filled": 1 if d["filled"] else 0,
            "missing": -1 if d.get("missing") is None else d["missing"]}


def read_input(lines, symbols, size, lateness):
    trades, gaps, empties = [], [], set()
    closed_before, watermark, next_start = {}, {}, {}
    late = rejected = 0
    for arrival, line in enumerate(lines):
        try:
            msg = json.loads(line)
        except ValueError:
            rejected += 1
            continue
        if not isinstance(msg, dict):
            rejected += 1
            continue
        d = msg["data"] if isinstance(msg.get("data"), dict) else msg
        if d.get("e") == "gap":
            g = parse_gap(d)
            if g is None or (symbols and g["symbol"] not in symbols):
                rejected += 1
            else:
                gaps.append(g)
            continue
        s, t, f, l, m = d.get("s"), d.get("T"), d.get("f"), d.get("l"), d.get("m")
        p, q = to_number(d.get("p")), to_number(d.get("q"))
        if (d.get("e") != "aggTrade" or not isinstance(s, str) or not s or not is_int(t) or t <= 0
                or not is_int(f) or not is_int(l) or l < f or not isinstance(m, bool)
                or not math.isfinite(p) or not math.isfinite(q)):
            rejected += 1
            continue
        sym = s.upper()
        if symbols and sym not in symbols:
            rejected += 1
            continue
        start = (t // size) * size
        if sym not in closed_before:
            closed_before[sym] = ((t - lateness) // size) * size
            watermark[sym] = t
        if start < closed_before[sym]:
            late += 1
            continue
        nxt = next_start.get(sym)
        if nxt is not None and start > nxt and (start - nxt) / size <= MAX_EMPTY_WINDOWS:
            empties.update((sym, w) for w in range(nxt, start, size))
        next_start[sym] = start + size if nxt is None else max(nxt, start + size)
        trades.append({"sym": sym, "start": start, "T": t, "arrival": arrival, "p": p, "q": q,
                       "n": l - f + 1, "taker_buys": not m})
        watermark[sym] = max(watermark[sym], t)
        closed_before[sym] = max(closed_before[sym], ((watermark[sym] - lateness) // size) * size)
    return pd.DataFrame(trades), gaps, empties, closed_before, late, rejected


def left_fold(values):
    return functools.reduce(operator.add, values.tolist(), 0.0)


def candles(df, empties, gaps, size):
    """Expected rows by (symbol, window_start), computed with pandas."""
    df = df.sort_values("arrival", kind="stable")
    df["quote"] = df["p"] * df["q"]
    df["tb_volume"] = np.where(df["taker_buys"], df["q"], 0.0)
    df["tb_quote"] = np.where(df["taker_buys"], df["quote"], 0.0)
    by_arrival = df.groupby(["sym", "start"], sort=True)  # rows keep arrival order inside a group
    out = by_arrival.agg(count=("p", "size"), high=("p", "max"), low=("p", "min"), trade_count=("n", "sum"))
    for col, src in [("volume", "q"), ("quote_volume", "quote"), ("taker_buy_volume", "tb_volume"),
                     ("taker_buy_quote_volume", "tb_quote")]:
        out[col] = by_arrival[src].apply(left_fold)
    by_time = df.sort_values(["T", "arrival"], kind="stable").groupby(["sym", "start"], sort=True)
    out["open"] = by_time["p"].first()
    out["close"] = by_time["p"].last()
    out["event_time_first"] = by_time["T"].first()
    out["event_time_last"] = by_time["T"].last()
    out["vwap"] = out["quote_volume"] / out["volume"]
    rows = {k: r.to_dict() for k, r in out.iterrows()}
    for key in empties:
        if key not in rows:
            rows[key] = {"count": 0, "high": math.nan, "low": math.nan, "trade_count": 0, "volume": 0.0,
                         "quote_volume": 0.0, "taker_buy_volume": 0.0, "taker_buy_quote_volume": 0.0,
                         "open": math.nan, "close": math.nan, "event_time_first": -1, "event_time_last": -1,
                         "vwap": math.nan}
    for (sym, start), row in rows.items():
        row["window_end"] = start + size
        flag = 0
        for g in gaps:
            if (g["symbol"] == sym and g["stream"].split("@", 1)[1].lower() == "aggtrade"
                    and g["from"] < g["to"] and g["from"] < start + size and g["to"] > start):
                flag = max(flag, 2 - g["filled"])
        row["gap"] = flag
    return rows


def text(v):
    return (v.decode("utf-8") if isinstance(v, bytes) else str(v)).rstrip("\x00")


def same(a, e, rel_tol):
    if isinstance(e, float) and math.isnan(e):
        return isinstance(a, float) and math.isnan(a)
    if rel_tol > 0:
        return math.isclose(a, e, rel_tol=rel_tol, abs_tol=0.0)
    return a == e


def merge_rows(rows):
    """The documented merge of one window's rows (dicts of plain numbers)."""
    if len(rows) == 1:
        return rows[0]
    traded = [r for r in rows if r["count"] > 0] or rows
    first = min(traded, key=lambda r: r["event_time_first"])
    last = max(traded, key=lambda r: r["event_time_last"])
    m = dict(rows[0])
    for col in ["count", "trade_count", "volume", "quote_volume", "taker_buy_volume", "taker_buy_quote_volume"]:
        m[col] = sum(r[col] for r in rows)
    m["open"], m["event_time_first"] = first["open"], first["event_time_first"]
    m["close"], m["event_time_last"] = last["close"], last["event_time_last"]
    m["high"] = max((r["high"] for r in traded), default=math.nan)
    m["low"] = min((r["low"] for r in traded), default=math.nan)
    m["vwap"] = m["quote_volume"] / m["volume"] if m["volume"] else math.nan
    m["gap"] = max(r["gap"] for r in rows)
    m["complete"] = max(r["complete"] for r in rows)
    return m


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--h5", required=True)
    ap.add_argument("--window-ms", type=int, required=True)
    ap.add_argument("--lateness-ms", type=int, required=True)
    ap.add_argument("--symbols", default="")
    ap.add_argument("--rel-tol", type=float, default=0.0, help="0 (default): floats must be equal")
    ap.add_argument("--merge-rows", action="store_true", help="merge a window's rows before comparing")
    args = ap.parse_args()
    symbols = {s.strip().upper() for s in args.symbols.split(",") if s.strip()}
    with open(args.input, encoding="utf-8") as fh:
        lines = [l.rstrip("\n") for l in fh if l.strip()]
    df, gaps, empties, closed_before, late, rejected = read_input(lines, symbols, args.window_ms, args.lateness_ms)
    exp = candles(df, empties, gaps, args.window_ms)
    problems, compared, values = [], 0, 0
    seen = set()
    nrows = 0
    merged_windows = 0
    by_symbol = {}  # symbol -> window_start -> rows, over every file of the store
    got_gaps = []
    bad_schema = {}
    for part in store_files(args.h5, require=True):
        with h5py.File(part, "r") as f:
            tables = f["aggTrade"] if "aggTrade" in f else {}
            for sym in tables:
                ds = tables[sym]
                if ds.attrs["schema_version"] != 3:
                    bad_schema.setdefault(sym, ds.attrs["schema_version"])
                by_window = by_symbol.setdefault(sym, {})
                for r in ds[:]:
                    nrows += 1
                    row = {c: (int(r[c]) if c in INT_COLUMNS + ["window_start", "complete"] else float(r[c]))
                           for c in INT_COLUMNS + FLOAT_COLUMNS + ["window_start", "complete"]}
                    by_window.setdefault(row["window_start"], []).append(row)
            if "gaps" in f:
                for r in f["gaps"][:]:
                    got_gaps.append({"symbol": text(r["symbol"]), "stream": text(r["stream"]), "from": int(r["from"]),
                                     "to": int(r["to"]), "cause": text(r["cause"]), "filled": int(r["filled"]),
                                     "missing": int(r["missing"])})
    problems.extend(f"{sym}: schema_version {v}" for sym, v in bad_schema.items())
    for sym, by_window in by_symbol.items():
        for start, rows in by_window.items():
            key = (sym, start)
            if len(rows) > 1 and not args.merge_rows:
                problems.append(f"{key}: more than one row")
            merged_windows += len(rows) > 1
            r = merge_rows(rows) if args.merge_rows else rows[0]
            tol = max(args.rel_tol, 1e-12) if len(rows) > 1 else args.rel_tol
            seen.add(key)
            e = exp.get(key)
            if e is None:
                problems.append(f"{key}: unexpected row (count {int(r['count'])})")
                continue
            compared += 1
            for col in INT_COLUMNS:
                values += 1
                if int(r[col]) != int(e[col]):
                    problems.append(f"{key} {col}: expected {int(e[col])}, got {int(r[col])}")
            for col in FLOAT_COLUMNS:
                values += 1
                if not same(float(r[col]), float(e[col]), tol):
                    problems.append(f"{key} {col}: expected {float(e[col])!r}, got {float(r[col])!r}")
            if key[1] < closed_before.get(sym, -math.inf) and int(r["complete"]) != 1:
                problems.append(f"{key}: closed by the input's trades but complete = {int(r['complete'])}")
    problems.extend(f"{k}: missing row" for k in sorted(set(exp) - seen))
    # Rows are in arrival order; over Kafka symbols (keys) on different partitions interleave
    # differently, so the order is checked per symbol.
    for sym in sorted({g["symbol"] for g in gaps + got_gaps}):
        want = [g for g in gaps if g["symbol"] == sym]
        got = [g for g in got_gaps if g["symbol"] == sym]
        if got != want:
            problems.append(f"/gaps of {sym}: expected {want}, got {got}")
    flags = [r["gap"] for r in exp.values()]
    summary = {"trades": int(len(df)), "late": late, "rejected": rejected, "rows": nrows,
               "expected_windows": len(exp), "windows_compared": compared, "values_compared": values,
               "empty_windows": sum(1 for r in exp.values() if r["count"] == 0),
               "windows_gap_filled": flags.count(1), "windows_gap_unfilled": flags.count(2),
               "gaps": len(gaps), "multi_trade_aggregates": int((df["n"] > 1).sum()),
               "taker_buys": int(df["taker_buys"].sum()), "taker_sells": int((~df["taker_buys"]).sum()),
               "rel_tol": args.rel_tol, "merged_windows": merged_windows, "problem_count": len(problems), "problems": problems[:20]}
    print(json.dumps(summary))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
