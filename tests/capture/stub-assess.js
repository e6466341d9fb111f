// DEV ONLY (removed once assessImage lands): a crude stand-in for assessImage on a canvas.
export * from "/npm/src/__real_browser.js";
export async function assessImage(image) {
  const t0 = performance.now();
  if (image instanceof Blob) image = await createImageBitmap(image);
  const w = 256, h = Math.round((256 * (image.videoHeight ?? image.height)) / (image.videoWidth ?? image.width));
  const g = new OffscreenCanvas(w, h).getContext("2d", { willReadFrequently: true });
  g.drawImage(image, 0, 0, w, h);
  const d = g.getImageData(0, 0, w, h).data;
  const l = (x, y) => { const i = (y * w + x) * 4; return 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2]; };
  let sum = 0, s1 = 0, s2 = 0, n = 0;
  for (let y = 1; y < h - 1; y++) for (let x = 1; x < w - 1; x++) {
    const c = l(x, y); sum += c;
    const lap = l(x - 1, y) + l(x + 1, y) + l(x, y - 1) + l(x, y + 1) - 4 * c; s1 += lap; s2 += lap * lap; n++;
  }
  const brightness = sum / n / 255, sharpness = s2 / n - (s1 / n) ** 2;
  const reasons = [];
  if (sharpness < 30) reasons.push("blurry");
  if (brightness < 0.25) reasons.push("dark");
  const M = { blurry: ["请保持稳定，对焦清晰", "Hold steady: the photo is blurry"], dark: ["光线太暗", "Too dark"] };
  return { verdict: reasons.length ? "retake" : "ok", reasons, messages: { "zh-CN": reasons.map((r) => M[r][0]), en: reasons.map((r) => M[r][1]) },
    sharpness, brightness, glareRatio: 0, document: { found: true, quad: [[0.2, 0.15], [0.8, 0.15], [0.8, 0.85], [0.2, 0.85]], fill: 0.4, cutOff: false },
    textHeightPx: null, elapsedMs: performance.now() - t0 };
}
