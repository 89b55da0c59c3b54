"""The privacy guard's cost on free text of every crafted shape, beside a bare scan of the same text.

`python -m bench.privacy [--markdown]`. For each shape (prose, digits, phone-shaped groups, dates, names) and each
length (500, 1,000 and 4,000 characters: the longest free text a contract takes), the median time of
`personal_data_in` over the rounds and the median of a bare baseline on the same text in the same run (one
regular-expression scan for digits, the least any guard must do), and their ratio. What to look for: the cost
per character stays flat as the text grows (no shape makes the guard superlinear), and no shape costs more
than a few milliseconds at 4,000 characters.
"""

from __future__ import annotations

import re
import statistics
import sys
import time

from shared.events.personal_data import personal_data_in

SHAPES = {
    "prose": "The partnership reviewed neglect cases and agreed new training for schools. ",
    "digits and spaces": "1 2 3 4 5 6 7 8 9 0 ",
    "phone-shaped groups": "07700 ",
    "a phone number, then prose": "Call 0114 496 0123 about the audit of the neglect cases this quarter. ",
    "dates": "12/03/2015 ",
    "capitalised names": "Ellie-Mae Johnson and ",
    "hyphen chains": "Ab-",
    "dotted words": "a.",
}
LENGTHS = (500, 1000, 4000)
ROUNDS = 7
_BARE = re.compile(r"\d{10}")


def _median_s(check, text: str, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        check(text)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(lengths: tuple[int, ...] = LENGTHS, rounds: int = ROUNDS) -> list[dict]:
    rows = []
    for shape, unit in SHAPES.items():
        for length in lengths:
            text = (unit * (length // len(unit) + 1))[:length]
            guard, bare = _median_s(personal_data_in, text, rounds), _median_s(_BARE.search, text, rounds)
            rows.append({"shape": shape, "chars": length, "guard_ms": guard * 1000, "bare_ms": bare * 1000,
                         "ratio": guard / bare if bare else float("inf"),
                         "guard_us_per_char": guard * 1e6 / length})
    return rows


def main(argv: list[str]) -> int:
    rows = run()
    if "--markdown" in argv:
        print("| shape | characters | guard (ms) | bare scan (ms) | ratio | guard (µs a character) |")
        print("|---|---:|---:|---:|---:|---:|")
        for r in rows:
            print(f"| {r['shape']} | {r['chars']:,} | {r['guard_ms']:.2f} | {r['bare_ms']:.3f} | {r['ratio']:.0f} "
                  f"| {r['guard_us_per_char']:.2f} |")
    else:
        for r in rows:
            print(f"{r['shape']:28} {r['chars']:>5}  guard {r['guard_ms']:7.2f} ms  bare {r['bare_ms']:6.3f} ms  "
                  f"{r['guard_us_per_char']:6.2f} µs/char")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
