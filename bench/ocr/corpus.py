"""Generated photos of vehicle documents for the quality gate's calibration (issue 12).

Deterministic: photo `i` of a corpus is a function of (seed, i) only. Each photo is a rendered
行驶证 front page (real Chinese text in Noto CJK, the 88 x 60 mm layout) or a registration
certificate (A4, numbered rows), placed in perspective on a table (plain, wood grain or a busy
pattern), optionally in a plastic sleeve with a hologram patch, then degraded the way cheap phones
in car parks degrade photos: defocus, motion blur, low light with sensor noise, over-exposure,
glare on the sleeve, noise, the document far away, cut off by the frame, or absent.

The photos are produced at 2048 x 1536, i.e. what the package sends for a 4:3 photo (its long-side
cap), as JPEG q 88. Ground truth (the field values) goes to `manifest.json`.

`CORPUS_SIZE=4000x3000` renders camera-sized sources instead (documents rendered and blurred in
proportion), and `CORPUS_KIND=legible` the set the "legible" size target is proven on
(`legible.py`): realistic photos a user would send, i.e. the document filling 35-95 % of the frame
and only mild degradations (clean, noise, low light, slight defocus or shake, glare on a sleeve).
`CORPUS_KIND=noisy`: the same photos, all with sensor noise from mild to grainy (the check of the
"legible" target's noise rule). `CORPUS_KIND=clean`: every photo
clean, as the gate corpus's clean ones (the local reader's held-out set, with its own
`CORPUS_SEED`); `CORPUS_KIND=back`: clean photos of the 行驶证's back page (副页).
`CORPUS_ENGINE_OI=1`: engine numbers may hold O and I. `CORPUS_VALUE_FONT=mono` (or a font file):
the values in a monospaced print. `CORPUS_INDICES=0,6` renders only those photos (the phone bench's
realistic cases, `bench/phone.mjs`).

Development and benchmark tooling only: never a dependency of the package.
"""

from __future__ import annotations

import json
import math
import os
import random
import sys
from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

W, H = (int(v) for v in os.environ.get("CORPUS_SIZE", "2048x1536").split("x"))
# Spatial scale against the 2048 px corpus the degradations were tuned on.
S = W / 2048
KIND = os.environ.get("CORPUS_KIND", "gate")
FONT_SANS = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
FONT_SERIF = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
FONT_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
DIGITS = "0123456789"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏建红云飞文辉力鑫宇浩然子轩梓涵欣怡思远"
STREETS = ["朝阳区建国路", "海淀区中关村大街", "浦东新区世纪大道", "天河区体育西路", "武侯区人民南路", "江北区观音桥步行街", "西湖区文三路", "鼓楼区中山北路"]
CITIES = ["北京市", "上海市", "广州市", "成都市", "重庆市", "杭州市", "南京市", "深圳市"]
BRANDS = ["大众汽车牌FV7162FBDBG", "丰田牌TV7250GLE", "别克牌SGM7151DAA2", "本田牌HG7153RAC5", "比亚迪牌BYD7005BEV", "吉利牌MR7153D03", "长安牌SC7164AAA6"]
TYPES = ["小型轿车", "小型普通客车", "轻型厢式货车", "小型越野客车"]
USES = ["非营运", "营运", "预约出租客运"]
VIN_CHARS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"


def vin_check(v17: str) -> str:
    trans = {**{str(d): d for d in range(10)}, **dict(zip("ABCDEFGH", range(1, 9))), **dict(zip("JKLMN", range(1, 6))),
             "P": 7, "R": 9, **dict(zip("STUVWXYZ", range(2, 10)))}
    weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]
    s = sum(trans[c] * w for c, w in zip(v17, weights)) % 11
    return "X" if s == 10 else str(s)


# Engine numbers follow no standard: `CORPUS_ENGINE_OI=1` lets them hold the letters O and I too
# (the default set has neither, like VINs), to check that a `0` or `1` accepted on the device is
# never an `O` or `I` (issue 14).
ENGINE_CHARS = LETTERS + ("OI" if os.environ.get("CORPUS_ENGINE_OI") == "1" else "") + DIGITS * 2


def make_values(rng: random.Random) -> dict:
    vin = "L" + "".join(rng.choice(VIN_CHARS) for _ in range(16))
    vin = vin[:8] + vin_check(vin) + vin[9:]
    y = rng.randint(2008, 2023)
    reg = f"{y}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return {
        "plate": rng.choice(PROVINCES) + rng.choice(LETTERS) + "".join(rng.choice(LETTERS[:8] + DIGITS * 2) for _ in range(5)),
        "type": rng.choice(TYPES),
        "owner": rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2))),
        "address": rng.choice(CITIES) + rng.choice(STREETS) + f"{rng.randint(1, 300)}号{rng.randint(1, 30)}栋{rng.randint(101, 2505)}室",
        "use": rng.choice(USES),
        "model": rng.choice(BRANDS),
        "vin": vin,
        "engine": "".join(rng.choice(ENGINE_CHARS) for _ in range(rng.randint(7, 10))),
        "registerDate": reg,
        "issueDate": reg,
    }


# The fields a user needs (what the readability label counts).
KEY_FIELDS = ["plate", "owner", "model", "vin", "engine", "registerDate", "issueDate", "type"]
# The back page's (what ties it to a vehicle and its record, crates/ocr/src/cascade.rs).
BACK_KEY_FIELDS = ["plate", "fileNumber"]
BACK_CHECKED_FIELDS = ["approvedPassengers", "totalMassKg", "curbWeightKg", "dimensionsMm"]


def _font(path: str, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, px, index=2 if path.endswith(".ttc") else 0)  # index 2: SC


# `CORPUS_VALUE_FONT=mono`: the values printed in a monospaced face (Noto Sans Mono CJK SC, face 7
# of the Sans collection), where an `O` is as narrow as a `0` and rule 6 of docs/LOCAL_OCR.md
# cannot decide one by its width; `PATH[#FACE]`: in that font. The photos are otherwise the same.
VALUE_FONT = os.environ.get("CORPUS_VALUE_FONT", "")


def _value_font(path: str, px: int) -> ImageFont.FreeTypeFont:
    if VALUE_FONT == "mono":
        return ImageFont.truetype(FONT_SANS, px, index=7)
    if VALUE_FONT:
        file, _, face = VALUE_FONT.partition("#")
        return ImageFont.truetype(file, px, index=int(face or 0))
    return _font(path, px)


def _licence_card(rng: random.Random, mm: float) -> tuple[Image.Image, ImageDraw.ImageDraw, int, int]:
    """A blank 行驶证 page, 88 x 60 mm at `mm` px/mm: pale security print and its border."""
    w, h = int(88 * mm), int(60 * mm)
    base = np.array([226 + rng.randint(-6, 6), 236 + rng.randint(-6, 4), 228 + rng.randint(-6, 6)], np.float32)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    guilloche = 6 * np.sin(xx / (7.0 * mm / 20) + 3 * np.sin(yy / (23.0 * mm / 20))) * np.sin(yy / (11.0 * mm / 20))
    img = np.clip(base[None, None, :] + guilloche[..., None] * np.array([0.6, 0.2, 0.7])[None, None, :], 0, 255).astype(np.uint8)
    im = Image.fromarray(img, "RGB")
    d = ImageDraw.Draw(im)
    d.rectangle([int(2 * mm), int(2 * mm), w - int(2 * mm), h - int(2 * mm)], outline=(120, 140, 130), width=max(1, int(0.25 * mm)))
    return im, d, w, h


def _red_stamp(im: Image.Image, cx: int, cy: int, r: int, mm: float) -> Image.Image:
    """An office's red seal (ring and star), half transparent, over whatever it covers."""
    stamp = Image.new("RGBA", im.size, (0, 0, 0, 0))
    sd = ImageDraw.Draw(stamp)
    sd.ellipse([cx - r, cy - r, cx + r, cy + r], outline=(200, 30, 40, 150), width=int(0.7 * mm))
    sd.text((cx, cy), "★", font=_font(FONT_SANS, int(5 * mm)), fill=(200, 30, 40, 150), anchor="mm")
    return Image.alpha_composite(im.convert("RGBA"), stamp).convert("RGB")


def _label_rows(d: ImageDraw.ImageDraw, rows: list, lab, val, ink, mm: float, y: float) -> None:
    """Labels with their values printed 1.5 mm after them, a row every 6.6 mm from `y`."""
    for row in rows:
        for label, value, x_mm in row:
            x = x_mm * mm
            d.text((x, y), label, font=lab, fill=(60, 60, 60), anchor="lm")
            lw = d.textlength(label, font=lab)
            d.text((x + lw + 1.5 * mm, y), value, font=val, fill=ink, anchor="lm")
        y += 6.6 * mm


def back_values(seed: int, i: int, v: dict) -> dict:
    """The 行驶证 back page's values (its own random stream: the front's values stay as they were)."""
    rng = random.Random(seed * 104_729 + i)
    curb = rng.randint(11, 19) * 100 + rng.choice([0, 25, 50, 75])
    persons = rng.choice([5, 5, 5, 7, 2])
    return {
        "plate": v["plate"],
        "fileNumber": "".join(rng.choice(DIGITS) for _ in range(12)),
        "approvedPassengers": f"{persons}人",
        "totalMassKg": f"{curb + persons * 75}kg",
        "curbWeightKg": f"{curb}kg",
        "dimensionsMm": f"{rng.randint(40, 52) * 100 + rng.randint(0, 99)}×{rng.randint(175, 195) * 10}×{rng.randint(140, 175) * 10}mm",
        "inspection": f"检验有效期至{rng.randint(2024, 2028)}年{rng.randint(1, 12):02d}月",
    }


def render_licence_back(b: dict, rng: random.Random, mm: float = 20.0) -> Image.Image:
    """The 行驶证 back page (副页): plate and file number, the approved masses and sizes, the
    inspection record with its red seal."""
    im, d, w, h = _licence_card(rng, mm)
    lab = _font(FONT_SANS, int(2.6 * mm))
    val = _value_font(FONT_SERIF if rng.random() < 0.5 else FONT_SANS, int(3.1 * mm))
    ink = (20 + rng.randint(0, 25),) * 3
    rows = [
        [("号牌号码", b["plate"], 4), ("档案编号", b["fileNumber"], 48)],
        [("核定载人数", b["approvedPassengers"], 4), ("总质量", b["totalMassKg"], 48)],
        [("整备质量", b["curbWeightKg"], 4), ("核定载质量", "--", 48)],
        [("外廓尺寸", b["dimensionsMm"], 4)],
        [("备注", "", 4), ("准牵引总质量", "--", 48)],
        [("检验记录", b["inspection"], 4)],
    ]
    _label_rows(d, rows, lab, val, ink, mm, 9.0 * mm)
    # The inspection station's red seal over the record.
    return _red_stamp(im, int(40 * mm), int(h - 12 * mm), int(9 * mm), mm)


def render_licence(v: dict, rng: random.Random, mm: float = 20.0) -> Image.Image:
    """The 行驶证 front page, 88 x 60 mm at `mm` px/mm: pale security print, labels and values."""
    im, d, w, h = _licence_card(rng, mm)
    title = _font(FONT_BOLD, int(4.2 * mm))
    d.text((w / 2, int(6 * mm)), "中华人民共和国机动车行驶证", font=title, fill=(40, 40, 40), anchor="mm")
    lab = _font(FONT_SANS, int(2.6 * mm))
    val = _value_font(FONT_SERIF if rng.random() < 0.5 else FONT_SANS, int(3.1 * mm))
    ink = (20 + rng.randint(0, 25),) * 3
    rows = [
        [("号牌号码", v["plate"], 4), ("车辆类型", v["type"], 48)],
        [("所有人", v["owner"], 4)],
        [("住址", v["address"], 4)],
        [("使用性质", v["use"], 4), ("品牌型号", v["model"], 40)],
        [("车辆识别代号", v["vin"], 4)],
        [("发动机号码", v["engine"], 4)],
        [("注册日期", v["registerDate"], 4), ("发证日期", v["issueDate"], 48)],
    ]
    _label_rows(d, rows, lab, val, ink, mm, 12.5 * mm)
    # The issuing office's red stamp over the lower left corner.
    return _red_stamp(im, int(18 * mm), int(h - 13 * mm), int(9 * mm), mm)


def render_certificate(v: dict, rng: random.Random, mm: float = 7.0) -> Image.Image:
    """The registration certificate's first page, A4 (210 x 297 mm), numbered rows in a table."""
    w, h = int(210 * mm), int(297 * mm)
    im = Image.new("RGB", (w, h), (244, 240, 230))
    d = ImageDraw.Draw(im)
    d.text((w / 2, int(18 * mm)), "机动车登记证书", font=_font(FONT_BOLD, int(9 * mm)), fill=(30, 30, 30), anchor="mm")
    lab = _font(FONT_SANS, int(4.2 * mm))
    val = _value_font(FONT_SERIF, int(4.8 * mm))
    rows = [
        ("1.机动车所有人/身份证明名称/号码", v["owner"] + "/居民身份证/" + "".join(rng.choice(DIGITS) for _ in range(18))),
        ("2.登记机关", rng.choice(CITIES) + "公安局交通管理局车辆管理所"),
        ("3.登记日期", v["registerDate"]),
        ("4.机动车登记编号", v["plate"]),
        ("5.车辆类型", v["type"]),
        ("6.车辆品牌", v["model"][: v["model"].index("牌") + 1]),
        ("7.车辆型号", v["model"][v["model"].index("牌") + 1:]),
        ("8.车身颜色", rng.choice(["白", "黑", "银", "红", "蓝"])),
        ("9.车辆识别代号/车架号", v["vin"]),
        ("10.国产/进口", "国产"),
        ("11.发动机号", v["engine"]),
        ("12.发动机型号", "EA" + "".join(rng.choice(DIGITS) for _ in range(3))),
        ("13.燃料种类", "汽油"),
        ("14.排量/功率", f"{rng.choice([1395, 1498, 1598, 1984])}ml/{rng.randint(70, 150)}kw"),
        ("15.制造厂名称", "一汽-大众汽车有限公司"),
        ("16.使用性质", v["use"]),
        ("17.发证日期", v["issueDate"]),
    ]
    y0, rh = 34 * mm, 14.5 * mm
    for i, (label, value) in enumerate(rows):
        y = y0 + i * rh
        d.rectangle([int(12 * mm), int(y), w - int(12 * mm), int(y + rh)], outline=(90, 90, 90), width=max(1, int(0.3 * mm)))
        d.text((int(15 * mm), int(y + rh / 2)), label, font=lab, fill=(50, 50, 50), anchor="lm")
        d.text((int(95 * mm), int(y + rh / 2)), value, font=val, fill=(15, 15, 15), anchor="lm")
    return im


def table_background(rng: random.Random, kind: str) -> np.ndarray:
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    if kind == "wood":
        grain = 12 * np.sin(yy * 0.02 + np.sin(xx * 0.003) * 3) + 5 * np.sin(yy * 0.31 + xx * 0.002)
        bg = np.stack([96 + grain, 72 + grain, 52 + grain], -1)
    elif kind == "pattern":
        # A busy tablecloth: checks and stripes with strong straight edges (a trap for line search).
        cell = rng.randint(40, 120)
        checks = (((xx // cell) + (yy // cell)) % 2) * 70
        stripes = ((xx + yy) // (cell / 3) % 2) * 25
        bg = np.stack([90 + checks + stripes, 60 + checks * 0.6, 50 + stripes], -1)
    else:
        tone = rng.randint(40, 160)
        mottle = 8 * np.sin(xx * 0.01) * np.sin(yy * 0.013)
        bg = np.stack([tone + mottle, tone * 0.95 + mottle, tone * 0.9 + mottle], -1)
    light = (0.75 + 0.25 * (1 - yy / H))[..., None]
    return np.clip(bg * light, 0, 255).astype(np.uint8)


@dataclass
class Spec:
    """One photo's recipe; `condition` names the main degradation and `level` its strength."""
    index: int
    document: str
    condition: str
    level: float
    fill: float
    table: str
    sleeve: bool
    extra: dict = field(default_factory=dict)


CONDITIONS = ["clean", "defocus", "motion", "dark", "overexposed", "glare", "noise", "far", "cutoff", "absent"]
# What a user sends after looking at the preview (the "legible" target's corpus).
LEGIBLE_CONDITIONS = ["clean", "noise", "dark", "defocus", "glare", "motion"]


def spec_for(seed: int, i: int) -> Spec:
    rng = random.Random(seed * 100_003 + i)
    if KIND == "noisy":
        # The "legible" target's noise check: every photo noisy, from a little more than the
        # legible set's noisiest (level 0.3) to grainy (level 0.55: sigma 33 at full resolution).
        fill = rng.uniform(0.35, 0.95)
        document = "certificate" if i % 3 == 0 else "licence"
        return Spec(i, document, "noise", rng.uniform(0.1, 0.55), fill, rng.choice(["plain", "wood", "pattern"]), rng.random() < 0.5)
    if KIND == "legible":
        condition = LEGIBLE_CONDITIONS[i % len(LEGIBLE_CONDITIONS)]
        document = "certificate" if rng.random() < 0.25 else "licence"
        # Mild: defocus/shake/noise at up to 30 % of the gate corpus's range, glare up to half,
        # low light from half its range upwards (its level is the gain: higher is brighter).
        r = rng.random()
        level = {"dark": 0.5 + 0.5 * r, "glare": 0.5 * r, "clean": r}.get(condition, 0.3 * r)
        fill = rng.uniform(0.35, 0.95)
        return Spec(i, document, condition, level, fill, rng.choice(["plain", "wood", "pattern"]), rng.random() < 0.5)
    # CORPUS_KIND=clean: every photo as the gate corpus's clean ones (a held-out set for the
    # local reader's bars, issue 14: its own seed, never tuned on).
    condition = "clean" if KIND in ("clean", "back") else CONDITIONS[i % len(CONDITIONS)]
    document = "certificate" if rng.random() < 0.25 else "licence"
    if KIND == "back":
        document = "back"
    fill = rng.uniform(0.35, 0.85)
    level = rng.random()
    if condition == "far":
        fill = 0.04 + 0.30 * level
    return Spec(i, document, condition, level, fill, rng.choice(["plain", "wood", "pattern"]), rng.random() < 0.5)


def place(doc: Image.Image, spec: Spec, rng: random.Random, bg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Warp the document onto the table; returns the photo (RGB) and the document's corner quad."""
    dw, dh = doc.size
    aspect = dw / dh
    area = spec.fill * W * H
    ph = math.sqrt(area / aspect)
    pw = ph * aspect
    if spec.condition != "cutoff":
        # A document that is not meant to be cut off fits the frame (an A4 page limits the fill).
        k = min(1.0, 0.94 * W / pw, 0.94 * H / ph)
        pw, ph = pw * k, ph * k
        spec.fill = pw * ph / (W * H)
    cx, cy = W / 2 + rng.uniform(-0.08, 0.08) * W, H / 2 + rng.uniform(-0.08, 0.08) * H
    if spec.condition == "cutoff":
        # Push the document so that 8-55 % of one side leaves the frame.
        out = 0.08 + 0.47 * spec.level
        side = rng.choice(["l", "r", "t", "b"])
        if side == "l":
            cx = pw / 2 - out * pw
        elif side == "r":
            cx = W - pw / 2 + out * pw
        elif side == "t":
            cy = ph / 2 - out * ph
        else:
            cy = H - ph / 2 + out * ph
        spec.extra["cutSide"] = side
    angle = math.radians(rng.uniform(-7, 7))
    corners = np.array([[-pw / 2, -ph / 2], [pw / 2, -ph / 2], [pw / 2, ph / 2], [-pw / 2, ph / 2]], np.float32)
    rot = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]], np.float32)
    quad = corners @ rot.T + np.array([cx, cy], np.float32)
    # Perspective: the far edge a little narrower (the phone held at an angle).
    tilt = rng.uniform(0, 0.08)
    quad[0, 0] += tilt * pw / 2
    quad[1, 0] -= tilt * pw / 2
    src = np.array([[0, 0], [dw, 0], [dw, dh], [0, dh]], np.float32)
    m = cv2.getPerspectiveTransform(src, quad.astype(np.float32))
    docarr = np.array(doc)
    warped = cv2.warpPerspective(docarr, m, (W, H), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full((dh, dw), 255, np.uint8), m, (W, H), flags=cv2.INTER_LINEAR)
    # A soft shadow under the document.
    shadow = cv2.GaussianBlur(mask, (0, 0), 12 * S).astype(np.float32) / 255.0
    base = bg.astype(np.float32) * (1 - 0.35 * shadow[..., None])
    a = (mask.astype(np.float32) / 255.0)[..., None]
    photo = base * (1 - a) + warped.astype(np.float32) * a
    if spec.sleeve:
        # A plastic sleeve: slightly larger than the document, a faint sheen and a hologram patch.
        sleeve_quad = quad + (quad - quad.mean(0)) * 0.04
        smask = np.zeros((H, W), np.uint8)
        cv2.fillConvexPoly(smask, sleeve_quad.astype(np.int32), 255)
        sheen = (smask.astype(np.float32) / 255.0)[..., None] * 14
        photo = photo + sheen
        hx, hy = quad[2] + (quad[0] - quad[2]) * rng.uniform(0.15, 0.3)
        rr = int(0.06 * ph)
        holo = np.zeros((H, W), np.uint8)
        cv2.circle(holo, (int(hx), int(hy)), rr, 255, -1)
        rainbow = np.stack([np.sin(np.arange(W) * 0.2) * 40 + 40, np.cos(np.arange(W) * 0.15) * 40 + 40, np.full(W, 40.0)], -1)[None, :, :]
        photo = photo + (holo.astype(np.float32) / 255.0)[..., None] * rainbow
    return np.clip(photo, 0, 255).astype(np.uint8), quad


def degrade(photo: np.ndarray, spec: Spec, rng: random.Random, quad: np.ndarray | None) -> np.ndarray:
    img = photo.astype(np.float32)
    c, lv = spec.condition, spec.level
    if c == "defocus":
        img = cv2.GaussianBlur(img, (0, 0), (0.6 + 7.0 * lv ** 1.3) * S)
    elif c == "motion":
        length = int((2 + 38 * lv ** 1.2) * S)
        k = np.zeros((length, length), np.float32)
        k[length // 2, :] = 1.0
        rotm = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), rng.uniform(0, 180), 1.0)
        k = cv2.warpAffine(k, rotm, (length, length))
        k /= max(k.sum(), 1e-6)
        img = cv2.filter2D(img, -1, k)
    elif c == "dark":
        gain = 0.03 + 0.45 * lv
        img = img * gain
        # Shot and read noise grow as the phone raises its gain in the dark.
        img += np.random.default_rng(spec.index).normal(0, 2.0 + 6.0 * (1 - lv), img.shape)
    elif c == "overexposed":
        img = img * (1.3 + 2.7 * lv) + 20 * lv
    elif c == "glare":
        if quad is not None:
            cx, cy = quad.mean(0) + (quad[1] - quad[3]) * rng.uniform(-0.25, 0.25) * np.array([1, 0.3])
            dw = np.linalg.norm(quad[1] - quad[0])
            dh = np.linalg.norm(quad[3] - quad[0])
            ax, ay = dw * (0.08 + 0.42 * lv), dh * (0.05 + 0.35 * lv)
            yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
            r = ((xx - cx) / ax) ** 2 + ((yy - cy) / ay) ** 2
            g = np.clip(1.6 - r, 0, 1)[..., None]
            img = img * (1 - g) + 255 * g + np.clip(1.2 - r, 0, 1)[..., None] * 120
        spec.extra["glareArea"] = None
    elif c == "noise":
        img += np.random.default_rng(spec.index).normal(0, 4 + 70 * lv ** 1.5, img.shape)
    # Every photo: a little camera blur and noise.
    img = cv2.GaussianBlur(img, (0, 0), 0.5)
    img += np.random.default_rng(spec.index + 7).normal(0, 2.0, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


def make_photo(seed: int, i: int) -> tuple[np.ndarray, dict]:
    spec = spec_for(seed, i)
    rng = random.Random(seed * 7_919 + i)
    values = make_values(rng)
    bg = table_background(rng, spec.table)
    quad = None
    if spec.condition == "absent":
        # No document: the table, sometimes with a blank sheet or a receipt-sized card without text.
        photo = bg.copy()
        if rng.random() < 0.5:
            blank = Image.new("RGB", (int(880 * S), int(600 * S)), (235, 232, 226))
            photo, _ = place(blank, spec, rng, bg)
    else:
        if spec.document == "back":
            values = back_values(seed, i, values)
            doc = render_licence_back(values, rng, 20.0 * S)
        elif spec.document == "licence":
            doc = render_licence(values, rng, 20.0 * S)
        else:
            doc = render_certificate(values, rng, 7.0 * S)
        photo, quad = place(doc, spec, rng, bg)
    photo = degrade(photo, spec, rng, quad)
    meta = {
        "file": f"{i:04d}.jpg",
        "document": None if spec.condition == "absent" else spec.document,
        "condition": spec.condition,
        "level": round(spec.level, 4),
        "fill": round(spec.fill, 4),
        "table": spec.table,
        "sleeve": spec.sleeve,
        "quad": None if quad is None else quad.round(1).tolist(),
        "values": values if spec.condition != "absent" else None,
        # The certificate prints brand and model on two rows: its key fields leave the pair out.
        "keyFields": BACK_KEY_FIELDS if spec.document == "back" else [k for k in KEY_FIELDS if not (spec.document == "certificate" and k == "model")],
        # Fields a settled result returns too, checked but not required (the back page's quantities).
        **({"checkedFields": BACK_CHECKED_FIELDS} if spec.document == "back" else {}),
        **spec.extra,
    }
    return photo, meta


def main() -> None:
    out = sys.argv[1] if len(sys.argv) > 1 else "bench/ocr/out/corpus"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    seed = int(os.environ.get("CORPUS_SEED", "12"))
    os.makedirs(out, exist_ok=True)
    manifest = []
    # CORPUS_INDICES=0,6: only those photos of the corpus (the phone bench's realistic cases).
    only = os.environ.get("CORPUS_INDICES")
    for i in [int(v) for v in only.split(",")] if only else range(n):
        photo, meta = make_photo(seed, i)
        cv2.imwrite(os.path.join(out, meta["file"]), cv2.cvtColor(photo, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 88])
        manifest.append(meta)
        if i % 25 == 0:
            print(f"[corpus] {i}/{n}", file=sys.stderr)
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump({"seed": seed, "size": [W, H], "kind": KIND, "keyFields": KEY_FIELDS, "photos": manifest}, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
