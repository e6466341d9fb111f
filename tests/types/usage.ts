// Compile-time checks of the published types (`tsc -p tests/types`): a user's code must get the
// right interface per document, and wrong usage must not compile.
import {
  AuthError,
  PoorImageError,
  assessImage,
  createClient,
  prepareImage,
  recognize,
  VehicleDocOcrError,
  type RegistrationCertificate,
  type VehicleLicenseBack,
  type VehicleLicenseFront,
  type QualityReason,
  type WithQuality,
} from "vehicle-doc-ocr";

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(_: T) => {};

async function usage(file: Blob) {
  const front = await recognize(file, { document: "vehicleLicenseFront", apihz: { id: "1", key: "k" } });
  assertType<Equals<typeof front, WithQuality<VehicleLicenseFront>>>(true);
  const plate: string | null = front.plateNumber;
  const vin: string | null = front.vin;
  const registered: string | null = front.registerDate;

  const back = await recognize(file, { document: "vehicleLicenseBack", proxyUrl: "https://x.example" });
  assertType<Equals<typeof back, WithQuality<VehicleLicenseBack>>>(true);
  const seats: number | null = back.approvedPassengers;
  const mass: number | null = back.totalMassKg;
  const length: number | undefined = back.dimensionsMm?.length;

  const cert = await recognize("https://example.com/a.jpg", { document: "registrationCertificate", juhe: { key: "k", upload: "multipart" } });
  assertType<Equals<typeof cert, WithQuality<RegistrationCertificate>>>(true);
  const idNumber: string | null | undefined = cert.owner?.idNumber;
  const requestId: string | null = cert.requestId;
  const severity: "error" | "warning" | undefined = cert.issues[0]?.severity;

  // @ts-expect-error: not a document kind
  await recognize(file, { document: "passport" });
  // @ts-expect-error: upload mode is a closed set
  await recognize(file, { document: "registrationCertificate", juhe: { key: "k", upload: "ftp" } });

  try {
    await recognize(file, { document: "vehicleLicenseFront" });
  } catch (e) {
    if (e instanceof VehicleDocOcrError) {
      const retry: boolean = e.retryable;
      const code: "CONFIG" | "AUTH" | string = e.code;
      console.log(retry, code, e instanceof AuthError);
    }
  }
  // With the DOM lib: drawables, the DOM's AbortSignal, fetch and Blob.
  const canvas = document.createElement("canvas");
  const p = await prepareImage(canvas, { signal: new AbortController().signal });
  const preview: Blob | null = p.blob;
  await prepareImage(await createImageBitmap(file));
  // @ts-expect-error: a number is not an image
  await prepareImage(123);
  const client = createClient({ proxyUrl: "https://x.example", fetch: globalThis.fetch, signal: new AbortController().signal });
  await client.recognize(new OffscreenCanvas(1, 1), { document: "vehicleLicenseFront" });
  // The photo quality report and the gate.
  const q = await assessImage(document.createElement("video"), { document: "registrationCertificate", thresholds: { minSharpness: 0.5 } });
  const reasons: QualityReason[] = q.reasons;
  const outline: [number, number][] | undefined = q.document?.quad;
  // @ts-expect-error: not a reason
  const fuzzy: QualityReason = "fuzzy";
  const gated = await recognize(file, { document: "vehicleLicenseFront", proxyUrl: "https://x.example", qualityGate: "block" });
  const verdict: "ok" | "retake" | undefined = gated.quality?.verdict;
  // On-device reading first (Node): which fields were settled without the provider.
  const cascaded = await recognize(file, { document: "vehicleLicenseFront", proxyUrl: "https://x.example", local: { models: "/srv/models" } });
  const settled: boolean | undefined = cascaded.local?.settled;
  const vinAccepted = cascaded.local?.fields.some((f) => f.field === "vin" && f.acceptance === "accepted");
  const vinFrom: "local" | "provider" | undefined = cascaded.local?.sources.vin;
  void settled;
  void vinAccepted;
  void vinFrom;
  // A flow that needs fewer fields settled: only the document's key fields may be named.
  await recognize(file, { document: "vehicleLicenseFront", proxyUrl: "https://x.example", local: { keyFields: ["plateNumber", "vin", "registerDate"] } });
  await recognize(file, { document: "registrationCertificate", proxyUrl: "https://x.example", local: { keyFields: ["registrationDate"] } });
  // @ts-expect-error: the licence's date is registerDate; the address is never settled on the device
  await recognize(file, { document: "vehicleLicenseFront", proxyUrl: "https://x.example", local: { keyFields: ["registrationDate", "address"] } });
  // @ts-expect-error: not a gate
  await recognize(file, { document: "vehicleLicenseFront", proxyUrl: "https://x.example", qualityGate: "strict" });
  try {
    await client.assessImage(file);
  } catch (e) {
    if (e instanceof PoorImageError) console.log(e.reasons satisfies QualityReason[]);
  }
  return [plate, vin, registered, seats, mass, length, idNumber, requestId, severity, preview, reasons, outline, fuzzy, verdict];
}
void usage;
