"""The top frames of a py-spy profile in raw (collapsed stack) format, for bench/README.md.

    python bench/peer/topframes.py PROFILE.txt [--top 15]

"self" is the share of samples whose innermost frame is that function; "total" the share of
samples with that function anywhere on the stack. The file itself is flame graph input
(Brendan Gregg's collapsed format: flamegraph.pl, speedscope.app or inferno render it).
"""

from __future__ import annotations

import argparse
import collections
import re
from pathlib import Path

_LINE = re.compile(r":\d+\)")


def _name(frame: str) -> str:
    # py-spy writes "function (path/to/file.py:123)"; keep the function and a short path, drop the line.
    frame = _LINE.sub(")", frame)
    for marker in ("site-packages/", "wt-11/", "netralitas-bench-tree."):
        if marker in frame:
            head, _, tail = frame.partition("(")
            tail = tail.split(marker, 1)[-1]
            frame = f"{head}({tail}"
    return frame


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("profile", type=Path)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    own, total, samples = collections.Counter(), collections.Counter(), 0
    for line in args.profile.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = [_name(f) for f in stack.split(";")]
        samples += n
        own[frames[-1]] += n
        for frame in set(frames):
            total[frame] += n
    print(f"\n{args.profile.name}: {samples} samples")
    print("self %  function")
    for frame, n in own.most_common(args.top):
        print(f"{100 * n / samples:6.1f}  {frame}")
    print("total %  function")
    for frame, n in total.most_common(args.top + 10):
        print(f"{100 * n / samples:7.1f}  {frame}")


if __name__ == "__main__":
    main()
