// Which fields the page shows for each document, their labels (Chinese, English), and where the
// provider's own text for each one is in `raw` (shown on demand next to the normalized value).

/** apihz answers are flat objects: `{ PlateNo: "粤B·2177C", ... }`. */
const apihz = (key) => (raw) => (raw && typeof raw === "object" && key in raw ? raw[key] : undefined);

/** juhe answers are a list `{ desc, content }` under result.res. */
const juhe = (desc) => (raw) => {
  const list = raw?.result?.res;
  if (!Array.isArray(list)) return undefined;
  const hit = list.find((e) => e && e.desc === desc);
  return hit ? hit.content : undefined;
};

const row = (path, zh, en, raw, unit = "") => ({ path, zh, en, raw, unit });

export const DOCUMENTS = {
  vehicleLicenseFront: {
    provider: "apihz",
    rows: [
      row("plateNumber", "号牌号码", "Plate number", apihz("PlateNo")),
      row("vehicleType", "车辆类型", "Vehicle type", apihz("VehicleType")),
      row("owner", "所有人", "Owner", apihz("Owner")),
      row("address", "住址", "Address", apihz("Address")),
      row("useCharacter", "使用性质", "Use", apihz("UseCharacter")),
      row("model", "品牌型号", "Make and model", apihz("Model")),
      row("vin", "车辆识别代号", "VIN", apihz("Vin")),
      row("vinSuggestion", "识别代号建议值", "Suggested VIN", apihz("Vin")),
      row("engineNumber", "发动机号码", "Engine number", apihz("EngineNo")),
      row("registerDate", "注册日期", "Registration date", apihz("RegisterDate")),
      row("issueDate", "发证日期", "Issue date", apihz("IssueDate")),
      row("issuingAuthority", "发证机关（印章）", "Issuing authority (seal)", apihz("Seal")),
    ],
  },
  vehicleLicenseBack: {
    provider: "apihz",
    rows: [
      row("plateNumber", "号牌号码", "Plate number", apihz("PlateNo")),
      row("fileNumber", "档案编号", "File number", apihz("FileNo")),
      row("approvedPassengers", "核定载人数", "Approved passengers", apihz("AllowNum"), "人"),
      row("totalMassKg", "总质量", "Total mass", apihz("TotalMass"), "kg"),
      row("curbWeightKg", "整备质量", "Curb weight", apihz("CurbWeight"), "kg"),
      row("approvedLoadKg", "核定载质量", "Approved load", apihz("LoadQuality"), "kg"),
      row("dimensionsMm", "外廓尺寸（长×宽×高）", "Dimensions (L×W×H)", apihz("ExternalSize"), "mm"),
      row("tractionMassKg", "准牵引总质量", "Towing mass", apihz("TotalQuasiMass"), "kg"),
      row("remarks", "备注", "Remarks", apihz("Marks")),
      row("inspectionRecord", "检验记录", "Inspection record", apihz("Record")),
      row("inspectionValidUntil", "检验有效期至", "Inspection valid until", apihz("Record")),
      row("barcodeNumber", "副页条码", "Barcode number", apihz("SubPageCode")),
      row("fuelType", "燃料类型", "Fuel type", apihz("FuelType")),
    ],
  },
  registrationCertificate: {
    provider: "juhe",
    rows: [
      row("registrationNumber", "登记编号", "Certificate number", juhe("登记编号")),
      row("owner.name", "机动车所有人", "Owner", juhe("机动车所有人V身份证名称V号码")),
      row("owner.idType", "身份证明名称", "ID type", juhe("机动车所有人V身份证名称V号码")),
      row("owner.idNumber", "身份证明号码", "ID number", juhe("机动车所有人V身份证名称V号码")),
      row("registrationAuthority", "登记机关", "Registration authority", juhe("登记机关")),
      row("registrationDate", "登记日期", "Registration date", juhe("登记日期")),
      row("plateNumber", "机动车登记编号（号牌）", "Plate number", juhe("机动车登记编号")),
      row("vehicleType", "车辆类型", "Vehicle type", juhe("车辆类型")),
      row("brand", "车辆品牌", "Brand", juhe("车辆品牌")),
      row("model", "车辆型号", "Model", juhe("车辆型号")),
      row("bodyColor", "车身颜色", "Body colour", juhe("车身颜色")),
      row("vin", "车辆识别代号", "VIN", juhe("车辆识别代号V车架号")),
      row("frameNumber", "车架号", "Frame number", juhe("车辆识别代号V车架号")),
      row("vinSuggestion", "识别代号建议值", "Suggested VIN", juhe("车辆识别代号V车架号")),
      row("origin", "国产 / 进口", "Domestic / imported", juhe("国产V进口")),
      row("engineNumber", "发动机号", "Engine number", juhe("发动机号")),
      row("engineModel", "发动机型号", "Engine model", juhe("发动机型号")),
      row("fuelType", "燃料种类", "Fuel", juhe("燃料种类")),
      row("displacementMl", "排量", "Displacement", juhe("排量V功率"), "ml"),
      row("powerKw", "功率", "Power", juhe("排量V功率"), "kW"),
      row("manufacturer", "制造厂名称", "Manufacturer", juhe("制造厂名称")),
      row("steering", "转向形式", "Steering", juhe("转向形式")),
      row("trackMm", "轮距（前/后）", "Track (front/rear)", juhe("轮距"), "mm"),
      row("tireCount", "轮胎数", "Tyres", juhe("轮胎数")),
      row("tireSpec", "轮胎规格", "Tyre size", juhe("轮胎规格")),
      row("leafSprings", "钢板弹簧片数", "Leaf springs", juhe("钢板弹簧片数")),
      row("wheelbaseMm", "轴距", "Wheelbase", juhe("轴距"), "mm"),
      row("axleCount", "轴数", "Axles", juhe("轴数")),
      row("dimensionsMm", "外廓尺寸（长×宽×高）", "Dimensions (L×W×H)", juhe("外廓尺寸"), "mm"),
      row("cargoBoxInnerDimensionsMm", "货厢内部尺寸", "Cargo box (inside)", juhe("货厢内部尺寸"), "mm"),
      row("totalMassKg", "总质量", "Total mass", juhe("总质量"), "kg"),
      row("approvedLoadKg", "核定载质量", "Approved load", juhe("核定载质量"), "kg"),
      row("approvedPassengers", "核定载客", "Approved passengers", juhe("核定载客"), "人"),
      row("tractionMassKg", "准牵引总质量", "Towing mass", juhe("准牵引总质量"), "kg"),
      row("cabPassengers", "驾驶室载客", "Cab passengers", juhe("驾驶室载客"), "人"),
      row("useCharacter", "使用性质", "Use", juhe("使用性质")),
      row("acquisitionMethod", "车辆获得方式", "Acquired by", juhe("车辆获得方式")),
      row("manufactureDate", "车辆出厂日期", "Manufacture date", juhe("车辆出厂日期")),
      row("issuingAuthority", "发证机关", "Issuing authority", juhe("发证机关章")),
      row("issueDate", "发证日期", "Issue date", juhe("发证日期")),
    ],
  },
};

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
