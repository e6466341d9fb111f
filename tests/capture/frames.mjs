// Fake-camera footage for the capture suite: a 行驶证-like card with real CJK text (SVG rendered
// by sharp with the Noto CJK font) lying on a table, as Chromium's file camera wants it: an
// .mjpeg file of concatenated baseline JPEG frames of one size (played at 30 fps, looping).
import { writeFileSync } from "node:fs";
import sharp from "sharp";

const W = 1280;
const H = 720;
const ROWS = [
  "中华人民共和国机动车行驶证",
  "号牌号码 京A12345　车辆类型 小型轿车",
  "所有人 张三",
  "住址 北京市朝阳区建国路88号",
  "使用性质 非营运　品牌型号 大众汽车牌",
  "车辆识别代号 LSVAA4182E2184523",
  "发动机号码 184523　注册日期 2020-05-12",
  "发证日期 2020-05-12",
];

/**
 * The scene as an SVG: the card (88:60) at ~62 % of the frame width, turned 2°, on a table. The
 * paper is a light grey-beige, not near-white: the camera path (MJPEG → limited-range YUV → video
 * frame) stretches the levels, and near-white paper comes out saturated ("overexposed"/"glare").
 */
function sceneSvg() {
  const cw = Math.round(W * 0.62);
  const ch = Math.round((cw * 60) / 88);
  const x = (W - cw) / 2;
  const y = (H - ch) / 2;
  const size = Math.round(ch / 15);
  const rows = ROWS.map(
    (t, i) =>
      `<text x="${x + size}" y="${y + size * (i === 0 ? 1.8 : 2.2 + i * 1.45)}" font-size="${i === 0 ? size * 1.15 : size}" ${i === 0 ? 'font-weight="bold"' : ""}>${t}</text>`,
  ).join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">
<defs><pattern id="wood" width="40" height="40" patternUnits="userSpaceOnUse"><rect width="40" height="40" fill="#5d4a3a"/><path d="M0 10h40M0 27h40" stroke="#54422f" stroke-width="3"/></pattern></defs>
<rect width="${W}" height="${H}" fill="url(#wood)"/>
<g transform="rotate(2 ${W / 2} ${H / 2})">
<rect x="${x}" y="${y}" width="${cw}" height="${ch}" rx="10" fill="#d8d2c3"/>
<g font-family="Noto Sans CJK SC, Noto Serif CJK SC, sans-serif" fill="#1d1d1d">${rows}</g>
<circle cx="${x + cw - size * 3.2}" cy="${y + ch - size * 3}" r="${size * 2.2}" fill="none" stroke="#c0392b" stroke-width="${size / 5}"/>
</g></svg>`;
}

/** One camera frame as JPEG: `sharp` (in focus, daylight) or `poor` (defocused and dark). */
export async function frame(kind = "sharp") {
  let img = sharp(Buffer.from(sceneSvg()));
  if (kind === "poor") img = sharp(await img.png().toBuffer()).blur(9).modulate({ brightness: 0.12 });
  return img.jpeg({ quality: 90, progressive: false, chromaSubsampling: "4:2:0" }).toBuffer();
}

/** Write `frames` copies of one frame to `path` (an .mjpeg for --use-file-for-fake-video-capture). */
export async function writeMjpeg(path, kind, frames = 15) {
  const jpeg = await frame(kind);
  writeFileSync(path, Buffer.concat(Array.from({ length: frames }, () => jpeg)));
  return path;
}
