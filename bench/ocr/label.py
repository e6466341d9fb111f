"""Label each corpus photo readable or not by what a real OCR engine reads from it.

The engine is PP-OCRv4 (detection + recognition, mobile models) through the PyPI package
`rapidocr-onnxruntime` 1.4.4, the stand-in for the providers' engines. A field counts as read when
its value (normalized: no spaces or punctuation, upper case, full-width folded) appears in the
engine's text. A photo is readable when at least READABLE_RECALL of its key fields are read.

Usage: python bench/ocr/label.py <corpus dir>   (writes <corpus dir>/ocr.json; resumable)
Development and benchmark tooling only: never a dependency of the package.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
import unicodedata

READABLE_RECALL = 0.75


def norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s).upper()
    return re.sub(r"[\s\-_:：·.,，。/()（）]", "", s)


def field_hits(values: dict, key_fields: list[str], text: str) -> dict[str, bool]:
    t = norm(text)
    return {k: norm(values[k]) in t for k in key_fields}


def main() -> None:
    corpus = sys.argv[1]
    from rapidocr_onnxruntime import RapidOCR  # imported late: --help and tests need no engine

    engine = RapidOCR()
    manifest = json.load(open(os.path.join(corpus, "manifest.json"), encoding="utf-8"))
    out_path = os.path.join(corpus, "ocr.json")
    done = json.load(open(out_path, encoding="utf-8")) if os.path.exists(out_path) else {}
    for n, photo in enumerate(manifest["photos"]):
        name = photo["file"]
        if name in done:
            continue
        started = time.time()
        result, _ = engine(os.path.join(corpus, name))
        text = "".join(r[1] for r in (result or []))
        entry = {"seconds": round(time.time() - started, 2), "lines": len(result or [])}
        if photo["values"] is None:
            entry.update(recall=0.0, readable=False, hits={})
        else:
            hits = field_hits(photo["values"], photo["keyFields"], text)
            recall = sum(hits.values()) / len(hits)
            entry.update(recall=round(recall, 4), readable=recall >= READABLE_RECALL, hits=hits)
        done[name] = entry
        if n % 10 == 0:
            print(f"[label] {n}/{len(manifest['photos'])} {name} recall={entry['recall']}", file=sys.stderr)
            json.dump(done, open(out_path, "w", encoding="utf-8"), indent=1)
    json.dump(done, open(out_path, "w", encoding="utf-8"), indent=1)


if __name__ == "__main__":
    main()
