"""Who used the CPU during a load run: gunicorn, PostgreSQL, Redis, wrk, or anything else.

    python bench/cpu.py FILE              # write a snapshot: busy ticks of the machine and of each process
    python bench/cpu.py --wait-quiet 120  # wait (at most 120 s) until other work leaves the CPU alone

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


def snapshot() -> dict:
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
    return {"time": time.monotonic(), "busy": user + nice + system + irq + softirq + steal, "processes": processes}


def cpu_snapshot(out: Path) -> None:
    out.write_text(json.dumps(snapshot()))


def cpu_split(before: Path, after: Path, wrk_seconds: float = 0.0) -> dict[str, float]:
    """Average cores used between two snapshot files by each group (see split)."""
    return split(json.loads(before.read_text()), json.loads(after.read_text()), wrk_seconds)


def split(a: dict, b: dict, wrk_seconds: float = 0.0) -> dict[str, float]:
    """Average cores used during the window by each group; "other" is whatever the machine did besides.

    wrk has exited when the second snapshot is taken, so its CPU time comes from the shell's `time`.
    """
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


def wait_quiet(max_seconds: float, threshold: float = 0.15, window: float = 3.0) -> bool:
    """Wait until other work uses under ``threshold`` cores over ``window`` s; False after ``max_seconds``."""
    deadline = time.monotonic() + max_seconds
    while True:
        before = snapshot()
        time.sleep(window)
        other = split(before, snapshot())["other"]
        if other < threshold:
            return True
        if time.monotonic() >= deadline:
            print(f"machine still busy (other work: {other:.2f} cores); measuring anyway", flush=True)
            return False
        print(f"waiting for a quiet machine (other work: {other:.2f} cores)", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "--wait-quiet":
        wait_quiet(float(sys.argv[2]))
    else:
        cpu_snapshot(Path(sys.argv[1]))
