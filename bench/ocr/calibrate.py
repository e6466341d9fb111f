"""Calibrate the quality gate's thresholds against what a real OCR engine read (issue 12).

Inputs: <corpus>/manifest.json (corpus.py), <corpus>/ocr.json (label.py), and the quality report
of every photo from the Rust analysis (`cargo run --release -p vehicle-doc-ocr-imaging --example
quality`, run here). The reasons under every grid point are judged by Rust (`Report::judge`, the
example's `--thresholds`): no rule is re-implemented here.

Hold-out: corpus.py assigns conditions by photo number modulo 10, so even/odd numbers would
split the conditions apart; the split is by blocks of ten instead: photos 0-9, 20-29, ... ("even
blocks", 10 of each condition) calibrate, photos 10-19, 30-39, ... ("odd blocks") are held out.
The grid search picks its point on the even blocks only; the rates are reported on the held-out
odd blocks and on all photos, for the defaults and the picked point. The defaults themselves were chosen by hand by looking at all photos: their rates are not
a held-out measurement (the odd half's are the fairer of the two).

Out of frame: corpus.py's rotation and tilt push some photos that are not meant to be cut off
(`clean`, `motion`, ...) a little over the frame's edge. Each photo's share of the document
outside the frame is computed from its manifest quad and listed; the label (what the engine read)
still decides readable or not.

Output: Markdown to <corpus>/calibration.md, JSON to <corpus>/calibration.json, the reports to
<corpus>/reports.jsonl.

Usage: python bench/ocr/calibrate.py <corpus dir>
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

DEFAULTS: dict = {}  # the Rust defaults (an empty set keeps every default)

GRID = {
    "minSharpness": [0.5, 0.55, 0.6, 0.65],
    "minBrightness": [0.06, 0.08, 0.1, 0.14, 0.18],
    "maxGlareRatio": [0.1, 0.2, 0.27, 0.35, 0.5],
    "minTextHeightPx": [9, 11, 12],
    "minPrintDensity": [0.001, 0.002, 0.004],
    "minStrokeBalance": [0.35, 0.45, 0.55],
    "maxPrintAtEdge": [0.025, 0.038, 0.05],
}


def run_rust(corpus: str, manifest: list[dict], sets: list[dict]) -> dict[str, dict]:
    listing = os.path.join(corpus, "files.list")
    with open(listing, "w") as f:
        for p in manifest:
            f.write(f"{os.path.join(corpus, p['file'])} {p['document'] or 'licence'}\n")
    sets_path = os.path.join(corpus, "thresholds.json")
    json.dump(sets, open(sets_path, "w"))
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "vehicle-doc-ocr-imaging", "--example", "quality"], cwd=ROOT, check=True)
    exe = os.path.join(ROOT, "target", "release", "examples", "quality")
    out = subprocess.run([exe, "--thresholds", sets_path, listing], capture_output=True, text=True, check=True).stdout
    reps = {}
    with open(os.path.join(corpus, "reports.jsonl"), "w") as f:
        for line in out.splitlines():
            if line.strip():
                r = json.loads(line)
                reps[os.path.basename(r["file"])] = r
                f.write(json.dumps({k: v for k, v in r.items() if k != "verdicts"}) + "\n")
    return reps


def outside_share(quad: list | None, size: list[int]) -> float:
    """The share of the document (its manifest quad) outside the frame, on a 40 x 40 sampling."""
    if quad is None:
        return 0.0
    (ax, ay), (bx, by), (cx, cy), (dx, dy) = quad
    n, out = 40, 0
    for i in range(n):
        for j in range(n):
            u, v = (i + 0.5) / n, (j + 0.5) / n
            x = (1 - v) * ((1 - u) * ax + u * bx) + v * ((1 - u) * dx + u * cx)
            y = (1 - v) * ((1 - u) * ay + u * by) + v * ((1 - u) * dy + u * cy)
            out += not (0 <= x < size[0] and 0 <= y < size[1])
    return out / (n * n)


def rates(rows: list[dict], k: int) -> dict:
    readable = [r for r in rows if r["readable"]]
    unreadable = [r for r in rows if not r["readable"]]
    return {
        "photos": len(rows),
        "readable": len(readable),
        "unreadable": len(unreadable),
        "pass": sum(1 for r in readable if not r["verdicts"][k]) / max(1, len(readable)),
        "retake": sum(1 for r in unreadable if r["verdicts"][k]) / max(1, len(unreadable)),
    }


def main() -> None:
    corpus = sys.argv[1]
    m = json.load(open(os.path.join(corpus, "manifest.json"), encoding="utf-8"))
    ocr = json.load(open(os.path.join(corpus, "ocr.json"), encoding="utf-8"))
    photos = [p for p in m["photos"] if p["file"] in ocr]
    grid = [dict(zip(GRID.keys(), v)) for v in itertools.product(*GRID.values())]
    sets = [DEFAULTS, *grid]
    reps = run_rust(corpus, photos, sets)
    rows = []
    for p in photos:
        r = reps[p["file"]]
        rows.append({**p, "index": int(p["file"][:4]), "readable": ocr[p["file"]]["readable"], "recall": ocr[p["file"]]["recall"],
                     "report": r, "verdicts": r["verdicts"], "outside": outside_share(p["quad"], m["size"])})
    even = [r for r in rows if r["index"] // 10 % 2 == 0]
    odd = [r for r in rows if r["index"] // 10 % 2 == 1]
    # The grid point picked on the even half: most retakes with pass >= 95 %, else the best sum.
    best_k, best_key = None, None
    for k in range(1, len(sets)):
        s = rates(even, k)
        key = (s["pass"] >= 0.95, s["retake"] if s["pass"] >= 0.95 else s["retake"] + s["pass"], s["pass"])
        if best_key is None or key > best_key:
            best_k, best_key = k, key
    table = [
        f"Corpus: {len(rows)} photos ({sum(r['readable'] for r in rows)} readable, "
        f"{sum(not r['readable'] for r in rows)} unreadable by PP-OCRv4); calibration blocks (0-9, 20-29, ...) {len(even)}, held-out blocks (10-19, 30-39, ...) {len(odd)}.",
        "",
        "| thresholds | all: pass (readable) | all: retake (unreadable) | held out: pass | held out: retake | calibration blocks: pass | calibration blocks: retake |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, k in [("defaults", 0), (f"grid point picked on the calibration blocks {json.dumps(sets[best_k])}", best_k)]:
        a, o, e = rates(rows, k), rates(odd, k), rates(even, k)
        table.append(f"| {name} | {a['pass']:.1%} | {a['retake']:.1%} | {o['pass']:.1%} | {o['retake']:.1%} | {e['pass']:.1%} | {e['retake']:.1%} |")
    table += [
        "",
        "| condition | photos | readable | gate says ok (defaults) | ok & readable | retake & unreadable | partly out of frame |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in sorted({r["condition"] for r in rows}):
        rs = [r for r in rows if r["condition"] == c]
        ok = [r for r in rs if not r["verdicts"][0]]
        table.append(
            f"| {c} | {len(rs)} | {sum(r['readable'] for r in rs)} | {len(ok)} | {sum(1 for r in ok if r['readable'])} | "
            f"{sum(1 for r in rs if r['verdicts'][0] and not r['readable'])} | {sum(1 for r in rs if r['outside'] > 0.001)} |"
        )
    ms = sorted(r["report"]["ms"] for r in rows)
    table += ["", f"Analysis time (native, 640 px copy, wall clock on this shared machine: inflated by its load): median {ms[len(ms) // 2]:.1f} ms, p90 {ms[int(len(ms) * 0.9)]:.1f} ms."]
    misses = [
        f"- {r['file']} {r['condition']} level {r['level']:.2f} recall {r['recall']:.2f} outside {r['outside']:.0%}: gate says {r['verdicts'][0] or 'ok'}"
        for r in rows
        if bool(r["verdicts"][0]) == r["readable"]
    ]
    table += ["", f"Disagreements with the OCR engine, defaults ({len(misses)}):", *misses]
    text = "\n".join(table) + "\n"
    open(os.path.join(corpus, "calibration.md"), "w", encoding="utf-8").write(text)
    json.dump({"defaults": {"all": rates(rows, 0), "odd": rates(odd, 0), "even": rates(even, 0)},
               "picked": {"thresholds": sets[best_k], "all": rates(rows, best_k), "odd": rates(odd, best_k), "even": rates(even, best_k)}},
              open(os.path.join(corpus, "calibration.json"), "w"), indent=1)
    print(text)


if __name__ == "__main__":
    main()
