// `import "vehicle-doc-ocr/capture"`: registers <vehicle-doc-capture> (browsers only; needs the DOM lib).
// The quality report's types are declared by the main entry (assessImage); referenced, not repeated.
import type { QualityReason, QualityReport, QualityThresholds } from "./index.js";

export interface CaptureGuidanceDetail {
  /** The report's reasons (empty when the frame is ok: the message then says "hold still" or "ready"). */
  reasons: QualityReason[];
  /** What the element shows and announces, in its language. */
  message: string;
}
export interface CaptureDetail {
  /** The still (image/jpeg from the camera; the chosen file as is from the file-input fallback). */
  file: File;
  /** The quality report of that file. */
  quality: QualityReport;
}

/**
 * `<vehicle-doc-capture lang="zh-CN" auto document="vehicleLicenseFront">`: rear-camera preview,
 * the detected document's outline, guidance from the quality report (aria-live), a shutter, a
 * torch where the camera has one; with `auto`, captures by itself once steady frames are ok.
 * Opens the camera when connected (or on `start()`), stops every track when removed, on `stop()`
 * and after each capture (call `start()` to shoot again). Where no camera can be used (no
 * getUserMedia, permission denied, not a secure context) it shows a file input instead.
 * Events: `guidance` (when the message changes), `capture`, `error` (a file that is not an image).
 */
export declare class VehicleDocCaptureElement extends HTMLElement {
  /** Thresholds passed to assessImage() for every frame and the still. */
  thresholds: QualityThresholds | undefined;
  /** "zh-CN" or "en": the `lang` attribute, else the page's language. */
  readonly language: "zh-CN" | "en";
  /** The camera's stream while it runs, else null. */
  readonly stream: MediaStream | null;
  /** Open the camera (or show the file input where none can be used). */
  start(): Promise<void>;
  /** Stop the camera and the analysis loop. */
  stop(): void;
  addEventListener<K extends keyof VehicleDocCaptureEventMap>(type: K, listener: (this: VehicleDocCaptureElement, ev: VehicleDocCaptureEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
}

export interface VehicleDocCaptureEventMap extends Omit<HTMLElementEventMap, "error"> {
  guidance: CustomEvent<CaptureGuidanceDetail>;
  capture: CustomEvent<CaptureDetail>;
  /** A chosen file that could not be assessed: `detail.error` is the typed VehicleDocOcrError. */
  error: CustomEvent<{ error: Error }>;
}

declare global {
  interface HTMLElementTagNameMap {
    "vehicle-doc-capture": VehicleDocCaptureElement;
  }
}
