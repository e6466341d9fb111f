"""Issue 13: the smallest text height at which PP-OCRv4 still reads what it reads on the photo.

Every photo of a corpus is prepared (`textheight.mjs`: `prepareImage`, target "legible", the long
side chosen so the document's printed values are H px tall by the quality report's estimate) for
each H given, and read by the engine as in legible.py; recall per H against the full photo, per
document. What the "legible" size rule (docs/IMAGE_POLICY.md) is built on.

Usage: python bench/ocr/textheight.py <corpus dir> <work dir> H [H ...]
  (reuses <work dir>/ocr-full.json and ocr-h<H>.json like legible.py; writes <work dir>/textheight.json)
Development and benchmark tooling only.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys

from legible import ocr_all

HERE = os.path.dirname(os.path.abspath(__file__))


def main() -> None:
    corpus, work, hs = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(work, exist_ok=True)
    manifest = json.load(open(os.path.join(corpus, "manifest.json"), encoding="utf-8"))
    photos = [p for p in manifest["photos"] if p["values"] is not None]
    subprocess.run(["node", os.path.join(HERE, "textheight.mjs"), corpus, work, *hs], check=True,
                   cwd=os.path.dirname(os.path.dirname(HERE)))
    from rapidocr_onnxruntime import RapidOCR

    engine = RapidOCR()
    rows = []
    for name in ["full"] + [f"h{h}" for h in hs]:
        folder = corpus if name == "full" else os.path.join(work, name)
        print(f"[textheight] reading {name}", file=sys.stderr)
        got = ocr_all(engine, photos, folder, os.path.join(work, f"ocr-{name}.json"))
        row = {"variant": name}
        for doc in ("licence", "certificate", None):
            hits = [h for p in photos if doc in (None, p["document"]) for h in got[p["file"]]["hits"].values()]
            row[doc or "all"] = (sum(hits), len(hits))
        if name != "full":
            made = json.load(open(os.path.join(folder, "prepared.json"), encoding="utf-8"))["photos"]
            for doc in ("licence", "certificate"):
                ps = [made[p["file"]] for p in photos if p["document"] == doc]
                row[f"{doc}LongSide"] = statistics.median(m["width"] for m in ps) if ps else None
            row["medianBase64"] = statistics.median(made[p["file"]]["base64Length"] for p in photos)
        rows.append(row)
    full = rows[0]["all"][0] / rows[0]["all"][1]
    print("| variant | recall | vs full | 行驶证 | 登记证书 | median long side (行驶证 / 登记证书) | median base64 |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        pct = lambda t: f"{100 * t[0] / t[1]:.1f} % ({t[0]}/{t[1]})" if t[1] else "–"
        print(f"| {r['variant']} | {pct(r['all'])} | {100 * (r['all'][0] / r['all'][1] - full):+.1f} | {pct(r['licence'])} | {pct(r['certificate'])} "
              f"| {r.get('licenceLongSide', '–')} / {r.get('certificateLongSide', '–')} | {r.get('medianBase64', '–')} |")
    json.dump(rows, open(os.path.join(work, "textheight.json"), "w", encoding="utf-8"), indent=1)


if __name__ == "__main__":
    main()
