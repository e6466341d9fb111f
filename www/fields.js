// Which fields the page shows for each document and their labels (Chinese, English). The
// provider's own text for each field is not looked up here: every result says where each field
// was read (`sources`: the provider's field name or label and its text), see `sourceOf`.

const row = (path, zh, en, unit = "") => ({ path, zh, en, unit });

export const DOCUMENTS = {
  vehicleLicenseFront: {
    provider: "apihz",
    rows: [
      row("plateNumber", "号牌号码", "Plate number"),
      row("vehicleType", "车辆类型", "Vehicle type"),
      row("owner", "所有人", "Owner"),
      row("address", "住址", "Address"),
      row("useCharacter", "使用性质", "Use"),
      row("model", "品牌型号", "Make and model"),
      row("vin", "车辆识别代号", "VIN"),
      row("vinSuggestion", "识别代号建议值", "Suggested VIN"),
      row("engineNumber", "发动机号码", "Engine number"),
      row("registerDate", "注册日期", "Registration date"),
      row("issueDate", "发证日期", "Issue date"),
      row("issuingAuthority", "发证机关（印章）", "Issuing authority (seal)"),
    ],
  },
  vehicleLicenseBack: {
    provider: "apihz",
    rows: [
      row("plateNumber", "号牌号码", "Plate number"),
      row("fileNumber", "档案编号", "File number"),
      row("approvedPassengers", "核定载人数", "Approved passengers", "人"),
      row("totalMassKg", "总质量", "Total mass", "kg"),
      row("curbWeightKg", "整备质量", "Curb weight", "kg"),
      row("approvedLoadKg", "核定载质量", "Approved load", "kg"),
      row("dimensionsMm", "外廓尺寸（长×宽×高）", "Dimensions (L×W×H)", "mm"),
      row("tractionMassKg", "准牵引总质量", "Towing mass", "kg"),
      row("remarks", "备注", "Remarks"),
      row("inspectionRecord", "检验记录", "Inspection record"),
      row("inspectionValidUntil", "检验有效期至", "Inspection valid until"),
      row("barcodeNumber", "副页条码", "Barcode number"),
      row("fuelType", "燃料类型", "Fuel type"),
    ],
  },
  registrationCertificate: {
    provider: "juhe",
    rows: [
      row("registrationNumber", "登记编号", "Certificate number"),
      row("owner.name", "机动车所有人", "Owner"),
      row("owner.idType", "身份证明名称", "ID type"),
      row("owner.idNumber", "身份证明号码", "ID number"),
      row("registrationAuthority", "登记机关", "Registration authority"),
      row("registrationDate", "登记日期", "Registration date"),
      row("plateNumber", "机动车登记编号（号牌）", "Plate number"),
      row("vehicleType", "车辆类型", "Vehicle type"),
      row("brand", "车辆品牌", "Brand"),
      row("model", "车辆型号", "Model"),
      row("bodyColor", "车身颜色", "Body colour"),
      row("vin", "车辆识别代号", "VIN"),
      row("frameNumber", "车架号", "Frame number"),
      row("vinSuggestion", "识别代号建议值", "Suggested VIN"),
      row("origin", "国产 / 进口", "Domestic / imported"),
      row("engineNumber", "发动机号", "Engine number"),
      row("engineModel", "发动机型号", "Engine model"),
      row("fuelType", "燃料种类", "Fuel"),
      row("displacementMl", "排量", "Displacement", "ml"),
      row("powerKw", "功率", "Power", "kW"),
      row("manufacturer", "制造厂名称", "Manufacturer"),
      row("steering", "转向形式", "Steering"),
      row("trackMm", "轮距（前/后）", "Track (front/rear)", "mm"),
      row("tireCount", "轮胎数", "Tyres"),
      row("tireSpec", "轮胎规格", "Tyre size"),
      row("leafSprings", "钢板弹簧片数", "Leaf springs"),
      row("wheelbaseMm", "轴距", "Wheelbase", "mm"),
      row("axleCount", "轴数", "Axles"),
      row("dimensionsMm", "外廓尺寸（长×宽×高）", "Dimensions (L×W×H)", "mm"),
      row("cargoBoxInnerDimensionsMm", "货厢内部尺寸", "Cargo box (inside)", "mm"),
      row("totalMassKg", "总质量", "Total mass", "kg"),
      row("approvedLoadKg", "核定载质量", "Approved load", "kg"),
      row("approvedPassengers", "核定载客", "Approved passengers", "人"),
      row("tractionMassKg", "准牵引总质量", "Towing mass", "kg"),
      row("cabPassengers", "驾驶室载客", "Cab passengers", "人"),
      row("useCharacter", "使用性质", "Use"),
      row("acquisitionMethod", "车辆获得方式", "Acquired by"),
      row("manufactureDate", "车辆出厂日期", "Manufacture date"),
      row("issuingAuthority", "发证机关", "Issuing authority"),
      row("issueDate", "发证日期", "Issue date"),
    ],
  },
};

/**
 * Where the result field at `path` was read (`{ name, text }`), from the result's `sources`;
 * a sub-field (`owner.idNumber`) is read from its composite (`owner`).
 */
export function sourceOf(result, path) {
  const sources = result && typeof result.sources === "object" ? result.sources : null;
  if (!sources) return undefined;
  return sources[path] ?? sources[path.split(".")[0]];
}

/** The value at a dotted path (`owner.idNumber`). */
export function valueAt(obj, path) {
  return path.split(".").reduce((o, k) => (o && typeof o === "object" ? o[k] : undefined), obj);
}

/** The normalized value as text; null when empty. Numbers and dimensions stay as numbers. */
export function formatValue(v) {
  if (v === null || v === undefined || v === "") return null;
  if (typeof v === "object" && "length" in v && "width" in v && "height" in v) return `${v.length} × ${v.width} × ${v.height}`;
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** Optional rows shown only when they hold a value (a suggestion, a separately printed frame number). */
export const ONLY_WHEN_SET = new Set(["vinSuggestion", "frameNumber"]);
