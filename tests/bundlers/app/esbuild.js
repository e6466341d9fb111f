// The esbuild recipe (ESM or IIFE): esbuild does not copy `new URL("*.wasm", import.meta.url)`
// assets, so the build copies node_modules/vehicle-doc-ocr/wasm/*.wasm next to the bundle and the
// app says where they are, before the first call. The paths are relative to the page.
import { configureWasm } from "vehicle-doc-ocr";
import "./main.js";

configureWasm({
  main: "./vehicle_doc_ocr_bg.wasm",
  codec: "./vehicle_doc_ocr_image_bg.wasm",
  quality: "./vehicle_doc_ocr_quality_bg.wasm",
});
