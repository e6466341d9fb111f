// A user's code for the capture element, compiled strictly against npm/capture.d.ts.
import "vehicle-doc-ocr/capture";
import type { CaptureDetail, VehicleDocCaptureElement } from "vehicle-doc-ocr/capture";

const el: VehicleDocCaptureElement = document.createElement("vehicle-doc-capture");
el.setAttribute("auto", "");
el.addEventListener("capture", (e) => {
  const { file, quality }: CaptureDetail = e.detail;
  const name: string = file.name;
  const retake: boolean = quality.verdict === "retake";
  const first: string | undefined = quality.messages.en[0];
  console.log(name, retake, first);
});
el.addEventListener("guidance", (e) => {
  const reasons: string[] = e.detail.reasons;
  console.log(reasons, e.detail.message);
});
el.addEventListener("error", (e) => console.log(e.detail.error.message));
void el.start();
el.stop();
const stream: MediaStream | null = el.stream;
console.log(stream, el.language);
