"""How wide a `0` and an `O` are against the digits 2-9, font by font, and whether the other
letters of a document could tell which kind of print it is.

The local reader measures an engine number's glyphs' ink widths over the median ink width of the
value's digits 2-9 (`extract::glyph_ratio`; rule 6 of docs/LOCAL_OCR.md) and accepts an `O`
measured between 1.25 and 1.65; it never decides a `0` this way. This prints that ratio for a `0`
and an `O` in each font (rendered at 200 px), where a `0` and an `O` would both fall in the `0`
band (0.88-1.12, what the corpus's `0`s measure), a `0` decided by its width could be an `O`
("0 by width safe": no).

It also prints what a document's own glyphs could show of its print: the median ratio of the
VIN's letters (A-Z without I, O, Q) and of the round ones (C, D, G). The question is whether any
such statistic, measured on a photo, could prove that the print's `O` is wider than its `0`
before the reader decides a `0` by its width. The last lines answer it: the faces whose `O`
measures as a `0` (where deciding a `0` by width is unsafe), with the widest letters first, next
to the corpus's own print (Noto Sans CJK SC): a proof would need a bar between the two.

`python bench/ocr/glyph_widths.py [FONT[#FACE] ...]`; without arguments every regular face
installed that has the digits and capitals (fontconfig), one per family. Development tooling only.
"""

from __future__ import annotations

import statistics
import subprocess
import sys

from PIL import Image, ImageDraw, ImageFont

ZERO = (0.88, 1.12)
OH = (1.25, 1.65)
VIN_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
ROUND = "CDG"
REFERENCE = "Noto Sans CJK SC"


def ink_width(font: ImageFont.FreeTypeFont, ch: str) -> int:
    img = Image.new("L", (600, 400), 255)
    ImageDraw.Draw(img).text((150, 100), ch, font=font, fill=0)
    box = img.point(lambda p: 255 if p < 128 else 0).getbbox()
    return 0 if box is None else box[2] - box[0]


def verdict(r: float) -> str:
    if ZERO[0] <= r <= ZERO[1]:
        return "0"
    if OH[0] <= r <= OH[1]:
        return "O"
    return "-"


def installed() -> list[tuple[str, int, str, bool]]:
    """(file, face, family, monospaced) of each regular face with 0-9 and A-Z, one per family."""
    out = subprocess.run(
        ["fc-list", ":charset=30-39 41-5a", "file", "index", "family", "style", "spacing"],
        capture_output=True, text=True, check=True,
    ).stdout
    entries = []
    for line in sorted(out.splitlines()):
        path, _, rest = line.partition(": ")
        family = rest.split(":")[0].split(",")[0]
        props = dict(p.split("=", 1) for p in rest.split(":") if "=" in p)
        style = props.get("style", "").split(",")[0]
        if any(s in family for s in ("Math", "Symbol", "Dingbat")) or family == "D050000L":
            continue
        mono = props.get("spacing") in ("90", "100")
        entries.append((path, int(props.get("index", 0)), family, mono, style))
    seen, faces = set(), []
    # The regular face of each family; else its first upright one of normal width (AR PL
    # UMing's only weight is called Light).
    for upright in (("Regular", "Book", "Roman"), None):
        for path, index, family, mono, style in entries:
            if family in seen:
                continue
            if upright is not None and style not in upright:
                continue
            if upright is None and any(
                s in style for s in ("Italic", "Oblique", "Bold", "Condensed", "Thin", "Black")
            ):
                continue
            seen.add(family)
            faces.append((path, index, family, mono))
    return faces


def main() -> None:
    if sys.argv[1:]:
        faces = []
        for arg in sys.argv[1:]:
            path, _, face = arg.partition("#")
            faces.append((path, int(face or (2 if path.endswith(".ttc") else 0)), "", False))
    else:
        faces = installed()
    rows = []
    for path, index, family, mono in faces:
        font = ImageFont.truetype(path, 200, index=index)
        digits = statistics.median(ink_width(font, d) for d in "23456789")
        if digits == 0:
            continue
        r = {c: ink_width(font, c) / digits for c in VIN_LETTERS + "O0"}
        if len({round(v, 3) for v in r.values()}) < 4:
            continue  # one glyph for every letter: the font's "missing" box
        name = family or font.getname()[0]
        # A collection's regional faces share their Latin glyphs: one row for them (its SC/CN
        # face where it has one, the corpus's).
        same = next((i for i, row in enumerate(rows) if row[2] == r), None)
        if same is None:
            rows.append((name, mono, r))
        elif name.endswith((" SC", " CN")):
            rows[same] = (name, mono, r)
    print(f"{'font':<28} mono {'0/digits':>9} {'O/digits':>9}  0 as  O as  0 by width safe"
          f"  {'letters':>7}  {'C D G':>6}")
    for name, mono, r in rows:
        safe = "no" if verdict(r["O"]) == "0" or verdict(r["0"]) == "O" else "yes"
        letters = statistics.median(r[c] for c in VIN_LETTERS)
        rnd = statistics.median(r[c] for c in ROUND)
        print(f"{name[:28]:<28} {'M' if mono else ' ':>4} {r['0']:>9.2f} {r['O']:>9.2f}"
              f"  {verdict(r['0']):>4}  {verdict(r['O']):>4}  {safe:>15}  {letters:>7.2f}  {rnd:>6.2f}")
    ref = next((r for name, _, r in rows if name == REFERENCE), None)
    if ref is None:
        return
    # The faces where a `0` decided by its width could be an `O` (their `O` in the `0` band),
    # widest letters first: how close they come to the corpus's print.
    for label, keys in (("letters", VIN_LETTERS), ("C D G", ROUND)):
        bar = statistics.median(ref[c] for c in keys)
        unsafe = sorted(
            ((statistics.median(r[c] for c in keys), name, r["O"]) for name, _, r in rows
             if verdict(r["O"]) == "0"),
            reverse=True,
        )
        print(f"\n{label}: {REFERENCE} {bar:.2f}; faces whose O measures as a 0, widest first: "
              + ", ".join(f"{name} {m:.2f} (O {o:.2f})" for m, name, o in unsafe[:4]))


if __name__ == "__main__":
    main()
