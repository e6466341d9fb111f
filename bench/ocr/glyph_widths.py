"""How wide a `0` and an `O` are against the digits 2-9 in the fonts on this machine.

The local reader measures an engine number's glyphs' ink widths over the median ink width of the
value's digits 2-9 (`extract::glyph_ratio`; rule 6 of docs/LOCAL_OCR.md) and accepts an `O`
measured between 1.25 and 1.65; it never decides a `0` this way. This prints that ratio for a `0`
and an `O` in each font file given (default: the Noto CJK faces the corpus prints with, their
monospaced sibling, and the DejaVu and Liberation regular faces installed), rendered at 200 px:
where a `0` and an `O` would both fall in the `0` band (0.88-1.12, what the corpus's `0`s
measure), a `0` decided by its width could be an `O`, so deciding a `0` is unsafe in that
print ("0 by width safe": no).

`python bench/ocr/glyph_widths.py [FONT ...]`. Development tooling only.
"""

from __future__ import annotations

import glob
import statistics
import sys

from PIL import Image, ImageDraw, ImageFont

ZERO = (0.88, 1.12)
OH = (1.25, 1.65)


def ink_width(font: ImageFont.FreeTypeFont, ch: str) -> int:
    img = Image.new("L", (400, 400), 255)
    ImageDraw.Draw(img).text((100, 100), ch, font=font, fill=0)
    box = img.point(lambda p: 255 if p < 128 else 0).getbbox()
    return 0 if box is None else box[2] - box[0]


def verdict(r: float) -> str:
    if ZERO[0] <= r <= ZERO[1]:
        return "0"
    if OH[0] <= r <= OH[1]:
        return "O"
    return "-"


def main() -> None:
    fonts = sys.argv[1:] or sorted(
        glob.glob("/usr/share/fonts/opentype/noto/Noto*CJK-Regular.ttc")
        + ["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc#7"]
        + glob.glob("/usr/share/fonts/truetype/dejavu/DejaVu*.ttf")
        + glob.glob("/usr/share/fonts/truetype/liberation/Liberation*-Regular.ttf")
    )
    print(f"{'font':<40} {'0/digits':>9} {'O/digits':>9}  0 as  O as  0 by width safe")
    for path in fonts:
        if any(s in path for s in ("Oblique", "Italic", "Bold", "Math", "ExtraLight")):
            continue
        path, _, index = path.partition("#")
        font = ImageFont.truetype(path, 200, index=int(index or (2 if path.endswith(".ttc") else 0)))
        digits = statistics.median(ink_width(font, d) for d in "23456789")
        z, o = ink_width(font, "0") / digits, ink_width(font, "O") / digits
        safe = "no" if verdict(o) == "0" or verdict(z) == "O" else "yes"
        name = font.getname()[0] if path.endswith(".ttc") else path.rsplit("/", 1)[-1]
        print(f"{name:<40} {z:>9.2f} {o:>9.2f}  {verdict(z):>4}  {verdict(o):>4}  {safe}")


if __name__ == "__main__":
    main()
