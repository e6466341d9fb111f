// <vehicle-doc-capture>: a framework-free custom element for the live camera (`import
// "vehicle-doc-ocr/capture"`). The rear camera's preview, the detected document's outline and the
// quality report's guidance, several times a second; a shutter, a torch where the track has one,
// auto-capture once steady frames are ok (`auto`). Every judgement comes from assessImage() (the
// Rust quality report): this file only drives the camera, draws and announces. Falls back to a
// file input where there is no camera, permission is denied or the page is not a secure context.
import * as ocr from "./browser.js";

const UI = {
  "zh-CN": { shutter: "拍照", torch: "闪光灯", pick: "拍摄或选择照片", starting: "正在打开相机…", noCamera: "无法使用相机，请拍摄或选择照片", hold: "请保持稳定", ready: "可以拍照了", capturing: "正在拍照…" },
  en: { shutter: "Take photo", torch: "Torch", pick: "Take or choose a photo", starting: "Opening the camera…", noCamera: "The camera is not available: take or choose a photo", hold: "Hold still", ready: "Ready: take the photo", capturing: "Taking the photo…" },
};
const INTERVAL_MS = 250; // time between the end of one analysis and the start of the next
const STEADY_FRAMES = 3; // consecutive ok reports before an auto capture
const STEADY_MOVE = 0.02; // largest corner movement between them (fraction of the frame)

const STYLE = `
:host { display: block; position: relative; max-width: 100%; font: 16px/1.4 system-ui, sans-serif; color: #fff; background: #000; }
:host([hidden]) { display: none; }
.view { position: relative; width: 100%; aspect-ratio: var(--ratio, 4 / 3); overflow: hidden; }
video, svg { position: absolute; inset: 0; width: 100%; height: 100%; }
video { object-fit: fill; background: #111; }
polygon { fill: rgba(46, 204, 113, 0.12); stroke: #2ecc71; stroke-width: 3; vector-effect: non-scaling-stroke; }
polygon.retake { fill: none; stroke: #f1c40f; }
.msg { margin: 0; padding: 10px 12px 0; min-height: 1.4em; text-align: center; }
.bar { display: flex; align-items: center; justify-content: center; gap: 24px; padding: 12px; }
button { font: inherit; color: inherit; background: rgba(255, 255, 255, 0.15); border: 2px solid #fff; border-radius: 999px; min-height: 44px; padding: 0 16px; cursor: pointer; }
button.shutter { width: 64px; height: 64px; padding: 0; background: #fff; color: #000; font-size: 12px; }
button[aria-pressed="true"] { background: #f1c40f; color: #000; }
button:disabled { opacity: 0.5; }
.fallback { padding: 16px; background: #fff; color: #222; text-align: center; }
.fallback label { display: inline-block; margin-top: 8px; padding: 12px 20px; border-radius: 999px; background: #1565c0; color: #fff; cursor: pointer; }
.fallback input { position: absolute; width: 1px; height: 1px; opacity: 0; }
.fallback label:focus-within { outline: 3px solid #90caf9; }
[hidden] { display: none !important; }
`;

const SVG_NS = "http://www.w3.org/2000/svg";
const moved = (a, b) => Math.max(...a.map(([x, y], i) => Math.hypot(x - b[i][0], y - b[i][1])));

// Importing this module where there is no DOM (server-side rendering) defines nothing and throws nothing.
export class VehicleDocCaptureElement extends (globalThis.HTMLElement ?? class {}) {
  static observedAttributes = ["lang"];
  #els = {};
  #stream = null;
  #generation = 0; // bumped by stop(): a loop or a capture from an earlier start() ends quietly
  #timer = 0;
  #busy = false;
  #steady = [];
  #message = null;
  /** Thresholds passed to assessImage() (see the quality report's `thresholds`). */
  thresholds = undefined;

  constructor() {
    super();
    const root = this.attachShadow({ mode: "open" });
    root.innerHTML = `<style>${STYLE}</style>
<div class="camera" hidden><div class="view"><video muted playsinline autoplay></video>
<svg viewBox="0 0 1 1" preserveAspectRatio="none" aria-hidden="true"><polygon hidden></polygon></svg>
</div>
<p class="msg" role="status" aria-live="polite"></p><div class="bar"><button type="button" class="torch" aria-pressed="false" hidden></button><button type="button" class="shutter" disabled></button></div></div>
<div class="fallback" hidden><p class="why"></p><label><input type="file" accept="image/*" capture="environment"><span></span></label></div>`;
    const $ = (s) => root.querySelector(s);
    this.#els = { camera: $(".camera"), view: $(".view"), video: $("video"), quad: $("polygon"), msg: $(".msg"), torch: $(".torch"), shutter: $(".shutter"), fallback: $(".fallback"), why: $(".why"), input: $("input"), pick: $("label span") };
    this.#els.shutter.addEventListener("click", () => this.#capture(this.#generation));
    this.#els.torch.addEventListener("click", () => this.#toggleTorch());
    this.#els.input.addEventListener("change", () => this.#picked());
    this.#els.video.addEventListener("loadedmetadata", () => {
      const { videoWidth: w, videoHeight: h } = this.#els.video;
      if (w && h) this.#els.view.style.setProperty("--ratio", `${w} / ${h}`);
      this.#els.shutter.disabled = !this.#stream || !w; // a frame to take
    });
  }

  /** "zh-CN" or "en": the `lang` attribute, else the page's language. */
  get language() {
    const l = (this.getAttribute("lang") || document.documentElement.lang || navigator.language || "").toLowerCase();
    return l.startsWith("zh") ? "zh-CN" : "en";
  }
  /** The camera's MediaStream while it runs, else null. */
  get stream() {
    return this.#stream;
  }

  connectedCallback() {
    this.#label();
    this.start();
  }
  disconnectedCallback() {
    this.stop();
  }
  attributeChangedCallback() {
    this.#label();
    this.#message = null;
  }

  /** Open the rear camera and start the analysis loop (or show the file input where no camera can be used). */
  async start() {
    if (this.#stream) return;
    const gen = ++this.#generation;
    const md = globalThis.navigator?.mediaDevices;
    if (globalThis.isSecureContext === false || typeof md?.getUserMedia !== "function") return this.#fallback();
    this.#say(this.#ui.starting);
    let stream;
    try {
      stream = await md.getUserMedia({ audio: false, video: { facingMode: { ideal: "environment" }, width: { ideal: 1920 }, height: { ideal: 1080 } } });
    } catch {
      if (gen === this.#generation) this.#fallback(); // NotAllowedError, NotFoundError, NotReadableError...
      return;
    }
    if (gen !== this.#generation) return stream.getTracks().forEach((t) => t.stop()); // stop() came first
    this.#stream = stream;
    const { video, torch, fallback, camera } = this.#els;
    [fallback.hidden, camera.hidden] = [true, false];
    video.srcObject = stream;
    video.play().catch(() => {});
    const track = stream.getVideoTracks()[0];
    torch.hidden = !track?.getCapabilities?.().torch;
    torch.setAttribute("aria-pressed", "false");
    this.#steady = [];
    this.#loop(gen);
  }

  /** Stop the camera (every track) and the analysis loop. */
  stop() {
    this.#generation++;
    clearTimeout(this.#timer);
    this.#stream?.getTracks().forEach((t) => t.stop());
    this.#stream = null;
    this.#els.video.srcObject = null;
    this.#els.shutter.disabled = true;
    this.#els.quad.toggleAttribute("hidden", true);
  }

  get #ui() {
    return UI[this.language];
  }
  #label() {
    const [ui, e] = [this.#ui, this.#els];
    [e.shutter.textContent, e.torch.textContent, e.pick.textContent, e.why.textContent] = [ui.shutter, ui.torch, ui.pick, ui.noCamera];
  }
  #fallback() {
    this.stop();
    this.#els.camera.hidden = true;
    this.#els.fallback.hidden = false;
  }
  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
  /** Show and announce a message once (the live region is only touched when it changes). */
  #say(message, reasons) {
    if (message === this.#message) return;
    this.#message = message;
    this.#els.msg.textContent = message;
    if (reasons) this.#emit("guidance", { reasons, message });
  }

  async #loop(gen) {
    const { video } = this.#els;
    if (gen !== this.#generation) return;
    if (!this.#busy && video.readyState >= 2 && video.videoWidth) {
      this.#busy = true;
      try {
        const report = await ocr.assessImage(video, this.#options());
        if (gen === this.#generation) await this.#react(report, gen);
      } catch {
        // A frame that could not be read (the camera stopping, a decoder hiccup): try the next one.
      } finally {
        this.#busy = false;
      }
    }
    if (gen === this.#generation) this.#timer = setTimeout(() => this.#loop(gen), INTERVAL_MS);
  }
  #options() {
    return { document: this.getAttribute("document") || undefined, thresholds: this.thresholds };
  }

  async #react(report, gen) {
    const { quad } = this.#els;
    const q = report.document?.quad;
    quad.toggleAttribute("hidden", !q);
    if (q) {
      quad.setAttribute("points", q.map(([x, y]) => `${x},${y}`).join(" "));
      quad.classList.toggle("retake", report.verdict !== "ok");
    }
    if (report.verdict !== "ok" || !q) {
      this.#steady = [];
      this.#say(report.messages?.[this.language]?.[0] ?? "", report.reasons);
      return;
    }
    this.#steady = [...this.#steady, q].slice(-STEADY_FRAMES);
    const still = this.#steady.length === STEADY_FRAMES && this.#steady.every((p, i) => i === 0 || moved(p, this.#steady[i - 1]) <= STEADY_MOVE);
    const auto = this.hasAttribute("auto");
    this.#say(still ? (auto ? this.#ui.capturing : this.#ui.ready) : this.#ui.hold, []);
    if (auto && still) await this.#capture(gen);
  }

  async #toggleTorch() {
    const track = this.#stream?.getVideoTracks()[0];
    const on = this.#els.torch.getAttribute("aria-pressed") !== "true";
    try {
      await track?.applyConstraints({ advanced: [{ torch: on }] });
      this.#els.torch.setAttribute("aria-pressed", String(on));
    } catch {
      this.#els.torch.hidden = true;
    }
  }

  /** Take the still (full resolution through ImageCapture where it exists), stop the camera, emit `capture`. */
  async #capture(gen) {
    const track = this.#stream?.getVideoTracks()[0];
    if (!track || gen !== this.#generation) return;
    const shot = ++this.#generation; // ends the analysis loop; a second shutter press or auto capture does nothing
    this.#els.shutter.disabled = true;
    let blob = null;
    if (typeof globalThis.ImageCapture === "function") {
      try {
        blob = await new ImageCapture(track).takePhoto();
        if (blob.type !== "image/jpeg") blob = await jpeg(await createImageBitmap(blob));
      } catch {
        blob = null; // no photo capabilities (many desktop cameras): the video frame instead
      }
    }
    if (shot !== this.#generation) return; // removed or stopped meanwhile
    blob ??= await jpeg(this.#els.video);
    this.stop();
    await this.#deliver(new File([blob], `document-${Date.now()}.jpg`, { type: "image/jpeg" }));
  }

  async #picked() {
    const file = this.#els.input.files?.[0];
    this.#els.input.value = "";
    if (file) await this.#deliver(file);
  }
  async #deliver(file) {
    let quality;
    try {
      quality = await ocr.assessImage(file, this.#options());
    } catch (error) {
      this.#emit("error", { error }); // a typed VehicleDocOcrError (e.g. not an image)
      return;
    }
    this.#emit("capture", { file, quality });
  }
}

/** A drawable (video frame, ImageBitmap) as a JPEG Blob at its own size. */
function jpeg(source) {
  const w = source.videoWidth ?? source.width;
  const h = source.videoHeight ?? source.height;
  const canvas = Object.assign(document.createElement("canvas"), { width: w, height: h });
  canvas.getContext("2d").drawImage(source, 0, 0, w, h);
  source.close?.();
  return new Promise((ok, fail) => canvas.toBlob((b) => (b ? ok(b) : fail(new Error("the frame could not be encoded"))), "image/jpeg", 0.92));
}

if (globalThis.customElements && !customElements.get("vehicle-doc-capture")) customElements.define("vehicle-doc-capture", VehicleDocCaptureElement);
