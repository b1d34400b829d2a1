#!/usr/bin/env python3
"""Median whole-process wall time of commands, in milliseconds.

    scripts/median-ms.py RUNS CMD [ARG...] [::: CMD [ARG...]]...

Prints one median per command, in order, separated by spaces. The commands run interleaved
(A, B, A, B, ...) after one warm-up run each, so drift on a shared host hits all alike. Each
run is timed from just before the process is started to just after it has been reaped, with
stdout and stderr to /dev/null; nothing else runs in the interval (a `date` process on each
side, as a shell loop needs, adds 1-2 ms and flattens the ratio of a fast tool to a slow one).
"""
import statistics
import subprocess
import sys
import time


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    runs = int(sys.argv[1])
    commands, current = [], []
    for arg in sys.argv[2:]:
        if arg == ":::":
            commands.append(current)
            current = []
        else:
            current.append(arg)
    commands.append(current)
    if any(not c for c in commands):
        print("empty command", file=sys.stderr)
        return 2
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    for c in commands:
        subprocess.run(c, **quiet)
    times = [[] for _ in commands]
    for _ in range(runs):
        for c, t in zip(commands, times):
            start = time.perf_counter()
            subprocess.run(c, **quiet)
            t.append((time.perf_counter() - start) * 1000)
    print(" ".join(f"{statistics.median(t):.2f}" for t in times))
    return 0


if __name__ == "__main__":
    sys.exit(main())
