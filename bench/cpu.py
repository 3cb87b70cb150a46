"""Who used the CPU during a load run: gunicorn, PostgreSQL, Redis, wrk, or anything else.

    python bench/cpu.py FILE     # write a snapshot: busy ticks of the machine and of each process

harness.py record --cpu BEFORE AFTER turns two snapshots into average cores per group. No Django
here, so that taking a snapshot costs next to nothing.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

CPU_GROUPS = ("gunicorn", "postgres", "redis", "wrk", "other")


def _cpu_group(pid: str, comm: str) -> str:
    if comm == "postgres":
        return "postgres"
    if comm.startswith("redis-server"):
        return "redis"
    if comm == "wrk":
        return "wrk"
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "other"
    return "gunicorn" if b"gunicorn" in cmdline else "other"


def cpu_snapshot(out: Path) -> None:
    """Busy CPU time of the machine and of each process (clock ticks), to split a run's CPU by who used it."""
    total = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in total[:8])
    processes = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        processes[entry.name] = (_cpu_group(entry.name, comm), int(fields[11]) + int(fields[12]))
    snapshot = {
        "time": time.monotonic(),
        "busy": user + nice + system + irq + softirq + steal,
        "processes": processes,
    }
    out.write_text(json.dumps(snapshot))


def cpu_split(before: Path, after: Path, wrk_seconds: float = 0.0) -> dict[str, float]:
    """Average cores used during the window by each group; "other" is whatever the machine did besides.

    wrk has exited when the second snapshot is taken, so its CPU time comes from the shell's `time`.
    """
    a, b = json.loads(before.read_text()), json.loads(after.read_text())
    ticks = os.sysconf("SC_CLK_TCK")
    seconds = b["time"] - a["time"]
    used = dict.fromkeys(CPU_GROUPS, 0.0)
    for pid, (group, cpu) in b["processes"].items():
        if group != "other":
            used[group] += cpu - a["processes"].get(pid, (group, 0))[1]
    used["wrk"] += wrk_seconds * ticks
    busy = b["busy"] - a["busy"]
    used["other"] = max(busy - sum(used.values()), 0)
    return {group: round(value / ticks / seconds, 2) for group, value in used.items()}


if __name__ == "__main__":
    cpu_snapshot(Path(sys.argv[1]))
