"""Rows and the table of bench/peer/run.sh (no Django: any Python 3.11 runs it).

    python bench/peer/report.py record RESULTS WRK_OUT SYSTEM ROUND [--stored N] [--cpu BEFORE AFTER] [--wrk-cpu S]
    python bench/peer/report.py table RESULTS

The table shows, per scenario, each round's figure for every system, the ratio of ours to the
peer (django-helpdesk) and to the bare form in the same round, and the medians over the rounds.
The figure is stored rows per second for the POST scenarios (rows in the database after the run
minus before) and successful answers per second for the others.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cpu import CPU_GROUPS, cpu_split  # noqa: E402

SYSTEMS = ("peer", "ours", "bare")
STORING = ("intake", "intake-photo")


def record(results: Path, wrk_output: Path, system: str, round_: int, stored, cpu, wrk_cpu: float) -> None:
    lines = [line for line in wrk_output.read_text().splitlines() if line.startswith("BENCH_JSON ")]
    if not lines:
        raise SystemExit(f"no BENCH_JSON line in {wrk_output}:\n{wrk_output.read_text()[-800:]}")
    row = json.loads(lines[-1].removeprefix("BENCH_JSON "))
    row.update(system=system, round=round_, stored=stored, load_1min=os.getloadavg()[0])
    ok = sum(n for code, n in row["statuses"].items() if code in ("200", "302", "303"))
    row["ok_per_s"] = ok / row["seconds"]
    if cpu:
        row["cpu"] = cpu_split(*cpu, wrk_seconds=wrk_cpu)
    with results.open("a") as out:
        out.write(json.dumps(row) + "\n")
    stored_text = f", {stored} rows stored ({stored / row['seconds']:.1f}/s)" if stored is not None else ""
    print(
        f"round {round_} {system:<4} {row['scenario']:<13} {row['rps']:8.1f} req/s, p50 {row['p50_ms']:.1f} ms, "
        f"p95 {row['p95_ms']:.1f} ms, statuses {row['statuses']}{stored_text}, cores {row.get('cpu', '-')}",
        flush=True,
    )


def figure(row: dict) -> float:
    if row["scenario"] in STORING and row.get("stored") is not None:
        return row["stored"] / row["seconds"]
    return row["ok_per_s"]


def table(results: Path) -> None:
    rows = [json.loads(line) for line in results.read_text().splitlines() if line.startswith("{")]
    scenarios = list(dict.fromkeys(row["scenario"] for row in rows))
    rounds = sorted({row["round"] for row in rows})
    by = {(r["scenario"], r["system"], r["round"]): r for r in rows}
    print("figure = stored rows/s (intake scenarios: database count after minus before) or successful answers/s")
    print("peer = django-helpdesk, ours = Netralitas, bare = bare Django 6-field form; ratios from the same round\n")
    header = (
        f"{'scenario':<13}{'round':>6}{'peer':>9}{'ours':>9}{'bare':>9}{'ours/peer':>11}{'ours/bare':>11}"
        f"{'p95 peer':>10}{'p95 ours':>10}{'p95 bare':>10}  other cores (peer/ours/bare)"
    )
    print(header)
    print("-" * len(header))
    for scenario in scenarios:
        ratios_peer, ratios_bare, figures, p95s = [], [], {s: [] for s in SYSTEMS}, {s: [] for s in SYSTEMS}
        for round_ in rounds:
            got = {s: by.get((scenario, s, round_)) for s in SYSTEMS}
            if not any(got.values()):
                continue
            cells, p95_cells, others = [], [], []
            for system in SYSTEMS:
                row = got[system]
                if row is None:
                    cells.append(f"{'–':>9}")
                    p95_cells.append(f"{'–':>10}")
                    others.append("–")
                    continue
                figures[system].append(figure(row))
                p95s[system].append(row["p95_ms"])
                cells.append(f"{figure(row):9.1f}")
                p95_cells.append(f"{row['p95_ms']:10.1f}")
                others.append(f"{row['cpu']['other']:.2f}" if row.get("cpu") else "–")
            ours = figure(got["ours"]) if got["ours"] else None
            rp = ours / figure(got["peer"]) if ours is not None and got["peer"] and figure(got["peer"]) else None
            rb = ours / figure(got["bare"]) if ours is not None and got["bare"] and figure(got["bare"]) else None
            if rp is not None:
                ratios_peer.append(rp)
            if rb is not None:
                ratios_bare.append(rb)
            print(
                f"{scenario:<13}{round_:>6}{''.join(cells)}{_ratio(rp):>11}{_ratio(rb):>11}{''.join(p95_cells)}  "
                + "/".join(others)
            )
        med = [f"{statistics.median(figures[s]):9.1f}" if figures[s] else f"{'–':>9}" for s in SYSTEMS]
        med_p95 = [f"{statistics.median(p95s[s]):10.1f}" if p95s[s] else f"{'–':>10}" for s in SYSTEMS]
        rp = statistics.median(ratios_peer) if ratios_peer else None
        rb = statistics.median(ratios_bare) if ratios_bare else None
        print(f"{scenario:<13}{'median':>6}{''.join(med)}{_ratio(rp):>11}{_ratio(rb):>11}{''.join(med_p95)}")
    sizes = {(r["scenario"], r["system"]): r.get("html_bytes") for r in rows if r.get("html_bytes")}
    if sizes:
        print("\nform page HTML bytes: " + ", ".join(f"{s} {b:,}" for (_, s), b in sorted(sizes.items())))
    print(f"\ncores: {'/'.join(CPU_GROUPS)} per run are in {results}")


def _ratio(value) -> str:
    return f"{value:.2f}x" if value is not None else "–"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("record")
    r.add_argument("results", type=Path)
    r.add_argument("wrk_output", type=Path)
    r.add_argument("system", choices=SYSTEMS)
    r.add_argument("round", type=int)
    r.add_argument("--stored", type=int, default=None)
    r.add_argument("--cpu", type=Path, nargs=2)
    r.add_argument("--wrk-cpu", type=float, default=0.0)
    r.add_argument("--html-bytes", type=int, default=None)
    t = sub.add_parser("table")
    t.add_argument("results", type=Path)
    args = parser.parse_args()
    if args.command == "record":
        record(args.results, args.wrk_output, args.system, args.round, args.stored, args.cpu, args.wrk_cpu)
        if args.html_bytes:
            lines = args.results.read_text().splitlines()
            row = json.loads(lines[-1])
            row["html_bytes"] = args.html_bytes
            args.results.write_text("\n".join([*lines[:-1], json.dumps(row)]) + "\n")
    else:
        table(args.results)


if __name__ == "__main__":
    main()
