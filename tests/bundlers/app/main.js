// The fixture app: what a user writes. The same file is built by Vite and by webpack 5 and loaded
// unbundled as a native ES module (native.html maps the bare name with an import map).
import { ConfigError, NetworkError, VehicleDocOcrError, prepareImage, recognize } from "vehicle-doc-ocr";

window.vdo = { ConfigError, NetworkError, VehicleDocOcrError, prepareImage, recognize };
document.body.dataset.ready = "1";
