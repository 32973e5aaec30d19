"""How much of the machine's cores a process gets right now: one CPU-bound loop alone, then the
same loop in two processes side by side, then alone again. On an idle 2-core machine the side
by side runs take as long as the one alone; on a machine other sessions keep busy, longer (the
kernel shares the CPU among sessions), and a build's second process then gains it little.
Run it beside `bench_processes.py` to say what its wall times were measured under.

    python bench/bench_cores.py
"""

from __future__ import annotations

import multiprocessing
import time

STEPS = 6_000_000


def spin(steps: int = STEPS) -> float:
    """Seconds (wall) for a loop of `steps` additions."""
    started, total = time.perf_counter(), 0
    for i in range(steps):
        total += i * i
    return time.perf_counter() - started


def main() -> None:
    alone = spin()
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        side = pool.map(spin, [STEPS, STEPS])
    again = spin()
    print(f"alone {alone:.2f} s, side by side {side[0]:.2f} and {side[1]:.2f} s, alone again {again:.2f} s")


if __name__ == "__main__":
    main()
