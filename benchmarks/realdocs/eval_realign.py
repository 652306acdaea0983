"""How often the loader re-aligns a slightly changed text, and whether it is ever wrong.

Usage: ``.venv/bin/python benchmarks/realdocs/eval_realign.py [--trials 20] [--seed 1]``

For every document whose text is present, each trial adds a header line and makes one random
small edit (insert a space, a newline or two letters, or delete 1-3 characters), then calls
``realign``. A trial is "ok" when every span of the result covers the same text as before
(spans the edit falls inside are excused), "wrong" when some span moved to other text, and
"skipped" when ``realign`` declined (None). Prints the counts and how many skips had the edit
inside an annotated span.
"""

from __future__ import annotations

import argparse
import random
import runpy
from pathlib import Path

LOAD = runpy.run_path(str(Path(__file__).resolve().parent / "load.py"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    docs = LOAD["load_realdocs"]()
    counts = {"ok": 0, "wrong": 0, "skipped": 0, "skipped_edit_inside_span": 0}
    for doc in docs:
        text = doc["text"]
        spans = list(LOAD["iter_spans"](doc))
        for _ in range(args.trials):
            pos = rng.randrange(len(text))
            ins = rng.choice([" ", "\n", "xx", ""])
            dele = rng.choice([0, 0, 1, 3])
            changed = "Header line\n" + text[:pos] + ins + text[pos + dele :]
            moved = LOAD["realign"](doc, changed)
            if moved is None:
                counts["skipped"] += 1
                if any(s <= pos < e or s < pos + dele <= e for s, e in spans):
                    counts["skipped_edit_inside_span"] += 1
                continue
            wrong = any(
                text[s:e] != changed[s2:e2] and not (s < pos + dele and e > pos)
                for (s, e), (s2, e2) in zip(spans, LOAD["iter_spans"](moved))
            )
            counts["wrong" if wrong else "ok"] += 1
    print(
        f"documents {len(docs)}, trials {len(docs) * args.trials}: "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
