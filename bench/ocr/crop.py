"""Does cropping the photo to the document help the OCR engine? (issue 12, section 5)

For readable corpus photos whose quality report outlines a whole document, OCR the photo as the
package sends it and the photo cropped to the reported quad's bounding box plus a margin (the same
pixels, no resampling: the corpus photos are already at the package's 2048 px long-side cap), with
PP-OCRv4 (`rapidocr-onnxruntime` 1.4.4, as label.py). Reports key-field recall and JPEG bytes
(quality 88) of both. Also runs the crop enlarged back to the 2048 px cap (what a crop of a larger
camera photo would send) when CROP_UPSCALE=1.

Usage: python bench/ocr/crop.py <corpus dir> [n photos, default 30]
Needs <corpus>/ocr.json (label.py) and <corpus>/reports.jsonl (calibrate.py writes it).
Development and benchmark tooling only: never a dependency of the package.
"""

from __future__ import annotations

import json
import os
import sys

import cv2
import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from label import field_hits  # noqa: E402

MARGIN = 0.04  # of the bounding box's size, each side


def main() -> None:
    corpus = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    from rapidocr_onnxruntime import RapidOCR

    engine = RapidOCR()
    manifest = json.load(open(os.path.join(corpus, "manifest.json"), encoding="utf-8"))["photos"]
    ocr = json.load(open(os.path.join(corpus, "ocr.json"), encoding="utf-8"))
    reps = {}
    for line in open(os.path.join(corpus, "reports.jsonl"), encoding="utf-8"):
        r = json.loads(line)
        reps[os.path.basename(r["file"])] = r
    chosen = [
        p for p in manifest
        if p["file"] in ocr and ocr[p["file"]]["readable"] and p["file"] in reps
        and reps[p["file"]]["document"] is not None and not reps[p["file"]]["document"]["cutOff"]
    ][:n]
    rows = []
    for p in chosen:
        img = cv2.imread(os.path.join(corpus, p["file"]))
        h, w = img.shape[:2]
        q = np.array(reps[p["file"]]["document"]["quad"]) * [w, h]
        x0, y0 = q.min(0)
        x1, y1 = q.max(0)
        mx, my = (x1 - x0) * MARGIN, (y1 - y0) * MARGIN
        x0, y0 = int(max(0, x0 - mx)), int(max(0, y0 - my))
        x1, y1 = int(min(w, x1 + mx)), int(min(h, y1 + my))
        variants = {"photo": img, "crop": img[y0:y1, x0:x1]}
        if os.environ.get("CROP_UPSCALE") == "1":
            c = variants["crop"]
            k = max(w, h) / max(c.shape[:2])
            variants["crop_up"] = cv2.resize(c, (round(c.shape[1] * k), round(c.shape[0] * k)), interpolation=cv2.INTER_CUBIC)
        row = {"file": p["file"], "condition": p["condition"], "fill": p["fill"]}
        for name, im in variants.items():
            ok, jpg = cv2.imencode(".jpg", im, [cv2.IMWRITE_JPEG_QUALITY, 88])
            res, _ = engine(cv2.imdecode(jpg, cv2.IMREAD_COLOR))
            text = "".join(r[1] for r in (res or []))
            hits = field_hits(p["values"], p["keyFields"], text)
            row[name] = {"recall": sum(hits.values()) / len(hits), "bytes": len(jpg)}
        rows.append(row)
        print(json.dumps(row), file=sys.stderr)
    names = [k for k in rows[0] if isinstance(rows[0][k], dict)] if rows else []
    lines = [f"{len(rows)} readable photos with a whole document outlined (crop margin {MARGIN:.0%}).", "",
             "| variant | mean recall | photos readable (≥ 75 %) | mean JPEG bytes (q 88) |", "|---|---|---|---|"]
    for k in names:
        rec = [r[k]["recall"] for r in rows]
        lines.append(f"| {k} | {np.mean(rec):.3f} | {sum(x >= 0.75 for x in rec)} | {np.mean([r[k]['bytes'] for r in rows]):.0f} |")
    worse = sum(r["crop"]["recall"] < r["photo"]["recall"] for r in rows)
    better = sum(r["crop"]["recall"] > r["photo"]["recall"] for r in rows)
    lines += ["", f"crop vs photo: better on {better}, worse on {worse}, equal on {len(rows) - better - worse}."]
    text = "\n".join(lines) + "\n"
    open(os.path.join(corpus, "crop.md"), "w", encoding="utf-8").write(text)
    json.dump(rows, open(os.path.join(corpus, "crop.json"), "w"), indent=1)
    print(text)


if __name__ == "__main__":
    main()
