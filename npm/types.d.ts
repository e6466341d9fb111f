// GENERATED from the Rust structs in crates/core by
//   cargo test -p vehicle-doc-ocr-core --features ts   (UPDATE_TYPES=1 rewrites this file)
// Do not edit by hand.

/** Any JSON value (the provider's payload in `raw`). */
export type JsonValue = number | string | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The stable `code` of every error the package throws. */
export type ErrorCode = "CONFIG" | "INVALID_IMAGE" | "UNSUPPORTED_FORMAT" | "IMAGE_TOO_LARGE" | "POOR_IMAGE" | "AUTH" | "QUOTA" | "RATE_LIMITED" | "RECOGNITION_FAILED" | "PROVIDER_ERROR" | "NETWORK" | "TIMEOUT" | "ABORTED";

export type Severity = "error" | "warning";

export interface FieldIssue {
  /** The camelCase result field the issue is about (`"vin"`, `"owner.idNumber"`). */
  field: string;
  /** A stable machine code (`"VIN_CHECK_DIGIT"`, `"DATE_INVALID"`, ...). */
  code: string;
  severity: Severity;
  /** Plain English, without the value. */
  message: string;
}

export interface Dimensions {
  length: number;
  width: number;
  height: number;
}

export interface Owner {
  name: string | null;
  /** As printed, e.g. `"居民身份证"`, `"统一社会信用代码"`. */
  idType: string | null;
  idNumber: string | null;
}

/** Where a result field was read: the provider's own field name or label, and its text. */
export interface FieldSource {
  /** The provider's field name or label, as sent. */
  name: string;
  /**
   * That field's whole text as sent (numbers as text; both halves of a composite `a/b`);
   * `null` when it was not text.
   */
  text: string | null;
}

/** 行驶证正页 — the vehicle licence's front page. */
export interface VehicleLicenseFront {
  document: "vehicleLicenseFront";
  provider: "apihz" | "juhe" | "shim" | "local";
  /**
   * The provider's id for the call when it sends one, else an id made for the call by this
   * library (a UUID), so a call can be found in the provider's bill or the Worker's logs.
   */
  requestId: string | null;
  /** 号牌号码, without spaces or `·`. */
  plateNumber: string | null;
  /** 车辆类型. */
  vehicleType: string | null;
  /** 所有人. */
  owner: string | null;
  /** 住址. */
  address: string | null;
  /** 使用性质 (e.g. "非营运"). */
  useCharacter: string | null;
  /** 品牌型号. */
  model: string | null;
  /** 车辆识别代号 (VIN) as read (normalized, never silently repaired). */
  vin: string | null;
  /** A single-character OCR repair that makes the VIN's check digit pass (see `issues`). */
  vinSuggestion: string | null;
  /** 发动机号码. */
  engineNumber: string | null;
  /** 注册日期, `YYYY-MM-DD`. */
  registerDate: string | null;
  /** 发证日期, `YYYY-MM-DD`. */
  issueDate: string | null;
  /** The seal (印章): the issuing traffic police authority. */
  issuingAuthority: string | null;
  /** `true` when `issues` holds no error. */
  valid: boolean;
  issues: Array<FieldIssue>;
  /**
   * Per result field (camelCase name), the provider's own field or label it was read from
   * and that field's text as sent; fields the provider did not send are absent.
   */
  sources: Partial<Record<string, FieldSource>>;
  /** The provider's payload, untouched except that the caller's secrets are `[redacted]`. */
  raw: JsonValue;
}

/** 行驶证副页 — the vehicle licence's back page. */
export interface VehicleLicenseBack {
  document: "vehicleLicenseBack";
  provider: "apihz" | "juhe" | "shim" | "local";
  /**
   * The provider's id for the call when it sends one, else an id made for the call by this
   * library (a UUID), so a call can be found in the provider's bill or the Worker's logs.
   */
  requestId: string | null;
  /** 号牌号码. */
  plateNumber: string | null;
  /** 档案编号. */
  fileNumber: string | null;
  /** 核定载人数. */
  approvedPassengers: number | null;
  /** 总质量 in kg. */
  totalMassKg: number | null;
  /** 整备质量 in kg. */
  curbWeightKg: number | null;
  /** 核定载质量 in kg. */
  approvedLoadKg: number | null;
  /** 外廓尺寸 in mm. */
  dimensionsMm: Dimensions | null;
  /** 准牵引总质量 in kg. */
  tractionMassKg: number | null;
  /** 备注. */
  remarks: string | null;
  /** 检验记录, as printed. */
  inspectionRecord: string | null;
  /** The month the inspection is valid until, `YYYY-MM` (from the inspection record). */
  inspectionValidUntil: string | null;
  /** The barcode number of the page (副页条码). */
  barcodeNumber: string | null;
  /** 燃料类型. */
  fuelType: string | null;
  valid: boolean;
  issues: Array<FieldIssue>;
  /**
   * Per result field (camelCase name), the provider's own field or label it was read from
   * and that field's text as sent; fields the provider did not send are absent.
   */
  sources: Partial<Record<string, FieldSource>>;
  raw: JsonValue;
}

/** 机动车登记证书 — the motor vehicle registration certificate. */
export interface RegistrationCertificate {
  document: "registrationCertificate";
  provider: "apihz" | "juhe" | "shim" | "local";
  /**
   * The provider's id for the call when it sends one, else an id made for the call by this
   * library (a UUID), so a call can be found in the provider's bill or the Worker's logs.
   */
  requestId: string | null;
  /** 登记编号 (the certificate's number). */
  registrationNumber: string | null;
  /** 机动车所有人/身份证明名称/号码. */
  owner: Owner | null;
  /** 登记机关. */
  registrationAuthority: string | null;
  /** 登记日期, `YYYY-MM-DD`. */
  registrationDate: string | null;
  /** 机动车登记编号 — the plate number. */
  plateNumber: string | null;
  /** 车辆类型. */
  vehicleType: string | null;
  /** 车辆品牌. */
  brand: string | null;
  /** 车辆型号. */
  model: string | null;
  /** 车身颜色. */
  bodyColor: string | null;
  /** 车辆识别代号 (VIN). */
  vin: string | null;
  /** 车架号, when printed separately from the VIN. */
  frameNumber: string | null;
  vinSuggestion: string | null;
  /** 国产/进口, e.g. "国产". */
  origin: string | null;
  /** 发动机号. */
  engineNumber: string | null;
  /** 发动机型号. */
  engineModel: string | null;
  /** 燃料种类. */
  fuelType: string | null;
  /** 排量 in ml. */
  displacementMl: number | null;
  /** 功率 in kW. */
  powerKw: number | null;
  /** 制造厂名称. */
  manufacturer: string | null;
  /** 转向形式 (e.g. "方向盘"). */
  steering: string | null;
  /** 轮距 as printed (front/rear, e.g. "1560/1570"), unit removed. */
  trackMm: string | null;
  /** 轮胎数. */
  tireCount: number | null;
  /** 轮胎规格. */
  tireSpec: string | null;
  /** 钢板弹簧片数, as printed. */
  leafSprings: string | null;
  /** 轴距 in mm. */
  wheelbaseMm: number | null;
  /** 轴数. */
  axleCount: number | null;
  /** 外廓尺寸 in mm. */
  dimensionsMm: Dimensions | null;
  /** 货厢内部尺寸 in mm. */
  cargoBoxInnerDimensionsMm: Dimensions | null;
  /** 总质量 in kg. */
  totalMassKg: number | null;
  /** 核定载质量 in kg. */
  approvedLoadKg: number | null;
  /** 核定载客. */
  approvedPassengers: number | null;
  /** 准牵引总质量 in kg. */
  tractionMassKg: number | null;
  /** 驾驶室载客. */
  cabPassengers: number | null;
  /** 使用性质. */
  useCharacter: string | null;
  /** 车辆获得方式 (e.g. "购买"). */
  acquisitionMethod: string | null;
  /** 车辆出厂日期, `YYYY-MM-DD`. */
  manufactureDate: string | null;
  /** 发证机关章. */
  issuingAuthority: string | null;
  /** 发证日期, `YYYY-MM-DD`. */
  issueDate: string | null;
  valid: boolean;
  issues: Array<FieldIssue>;
  /**
   * Per result field (camelCase name), the provider's own field or label it was read from
   * and that field's text as sent; fields the provider did not send are absent.
   */
  sources: Partial<Record<string, FieldSource>>;
  raw: JsonValue;
}

/** Any recognized document; `document` tells which. */
export type RecognizedDocument = VehicleLicenseFront | VehicleLicenseBack | RegistrationCertificate;
