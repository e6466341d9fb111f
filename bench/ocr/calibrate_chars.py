"""The confusables' bars of the local reader (issue 14), calibrated on per-character evidence.

Reads the JSON lines the read example writes with `--dump-chars FILE` (one per key field read:
its verdict, whether it is right, per character the first and second readings' probabilities and
the true character) and, for each candidate rule on the confusable characters (`C G O 0 D Q B 8 S
5 Z 2 I 1 L U V` in engine numbers, model codes and plates), prints how many fields it accepts and
how many of those are wrong, and how many clean photos it settles. A rule is only worth taking if
it accepts no wrong field on any corpus.

The dumps must come from a build whose agreed-confusable bar is 0 (every agreed value re-read and
its second probabilities known), so that the rules below decide alone:

    python3 bench/ocr/calibrate_chars.py tuning.jsonl holdout.jsonl holdout-oi.jsonl

Development tool only; prints to stdout.
"""
from __future__ import annotations

import json
import sys
from collections import defaultdict

CONFUSABLE = set("CGO0DQB8S5Z2I1LUV")
JUDGED = {"engine", "model", "plate"}


def rules():
    """(name, predicate on (p1, p2 or None)) for one confusable character."""
    yield "current: p1>=.99 or both>=.98", lambda p1, p2: p1 >= 0.99 or (p2 is not None and p1 >= 0.98 and p2 >= 0.98)
    for a in (0.99, 0.98, 0.97, 0.96, 0.95, 0.93, 0.90):
        for b in (0.99, 0.98, 0.97, 0.95, 0.90):
            yield f"both: p1>={a} and p2>={b}", (lambda a, b: lambda p1, p2: p2 is not None and p1 >= a and p2 >= b)(a, b)
    for m in (0.995, 0.99, 0.985, 0.98, 0.97, 0.96, 0.95):
        yield f"product: p1*p2>={m}", (lambda m: lambda p1, p2: p2 is not None and p1 * p2 >= m)(m)


def load(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            out.append(json.loads(line))
    return out


def main(paths):
    corpora = {p: load(p) for p in paths}
    # Every confusable character of a judged field that passed everything else.
    print("confusable characters of engine/model/plate values that pass every other check")
    print("(p1, p2, read, truth) where read != truth:")
    for p, rows in corpora.items():
        n = wrong = 0
        for r in rows:
            if r["key"] not in JUDGED or r["acceptance"] != "accepted":
                continue
            for c in r["chars"]:
                if c["c"] in CONFUSABLE:
                    n += 1
                    if c["t"] is not None and c["t"] != c["c"]:
                        wrong += 1
                        print(f"  {p}: {r['file']} {r['key']} {c['c']}<-{c['t']} p1={c['p1']:.4f} p2={c['p2']} ru={c['ru']} {c['rp']}")
        print(f"{p}: {n} confusables, {wrong} read wrong")
    print()
    print(f"{'rule':<44}" + "".join(f"{p[-22:]:>36}" for p in paths))
    for name, ok in rules():
        cells = []
        for p, rows in corpora.items():
            photos = defaultdict(lambda: True)
            clean = {}
            acc = wrong = 0
            for r in rows:
                if not r["isKey"]:
                    continue
                a = r["acceptance"] == "accepted"
                if a and r["key"] in JUDGED:
                    a = all(ok(c["p1"], c["p2"]) for c in r["chars"] if c["c"] in CONFUSABLE)
                photos[r["file"]] &= a
                clean[r["file"]] = r["condition"] == "clean"
                acc += a
                wrong += a and not r["right"]
            settled = sum(1 for f, s in photos.items() if s and clean[f])
            n_clean = sum(1 for f in photos if clean[f])
            cells.append(f"acc {acc:4} wrong {wrong:2} clean {settled:3}/{n_clean:<3}")
        print(f"{name:<44}" + "".join(f"{c:>36}" for c in cells))


if __name__ == "__main__":
    main(sys.argv[1:])
