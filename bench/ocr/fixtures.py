"""Test fixtures for crates/ocr: a few photos of bench/ocr/corpus.py, made deterministically.

Synthetic documents (random names and numbers, no personal data), downscaled to a 1600 px long
side and saved as JPEG q 85 to keep the repository small, with their ground truth in
`fixtures.json`. Run: `python bench/ocr/fixtures.py crates/ocr/tests/fixtures` (needs numpy,
opencv and Pillow, e.g. the OCR venv).
"""

import json
import os
import sys

import cv2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus import make_photo  # noqa: E402

SEED = 12
# Clean photos of corpus seed 12: two licences and a certificate.
INDICES = [10, 80, 0]


def main() -> None:
    out = sys.argv[1] if len(sys.argv) > 1 else "crates/ocr/tests/fixtures"
    os.makedirs(out, exist_ok=True)
    meta = []
    for i in INDICES:
        photo, m = make_photo(SEED, i)
        h, w = photo.shape[:2]
        k = 1600 / max(w, h)
        small = cv2.resize(photo, (round(w * k), round(h * k)), interpolation=cv2.INTER_AREA)
        name = f"{m['document']}-{i:04d}.jpg"
        cv2.imwrite(os.path.join(out, name), cv2.cvtColor(small, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 85])
        meta.append({"file": name, "document": m["document"], "values": m["values"], "keyFields": m["keyFields"]})
    with open(os.path.join(out, "fixtures.json"), "w", encoding="utf-8") as f:
        json.dump({"seed": SEED, "photos": meta}, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
