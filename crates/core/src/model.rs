//! Typed results, one struct per document, and the normalizers that build them from a
//! provider's payload with the [`fields`](crate::fields) rules.
//!
//! Serialization: camelCase; every `Option` is written as `null` (never skipped), so each
//! result object always has the same keys. `raw` is the provider's payload untouched.

use crate::fields::{self, Context, Dimensions, FieldIssue, Issues, Owner, Severity};
use crate::{apihz, juhe, Provider};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DocumentKind {
    VehicleLicenseFront,
    VehicleLicenseBack,
    RegistrationCertificate,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::VehicleLicenseFront => "vehicleLicenseFront",
            DocumentKind::VehicleLicenseBack => "vehicleLicenseBack",
            DocumentKind::RegistrationCertificate => "registrationCertificate",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "vehicleLicenseFront" => Some(DocumentKind::VehicleLicenseFront),
            "vehicleLicenseBack" => Some(DocumentKind::VehicleLicenseBack),
            "registrationCertificate" => Some(DocumentKind::RegistrationCertificate),
            _ => None,
        }
    }
}

/// 行驶证正页 — the vehicle licence's front page (apihz `class=1`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct VehicleLicenseFront {
    #[cfg_attr(feature = "ts", ts(type = "\"vehicleLicenseFront\""))]
    pub document: DocumentKind,
    #[cfg_attr(feature = "ts", ts(type = "\"apihz\" | \"juhe\" | \"shim\""))]
    pub provider: Provider,
    /// The provider's order id (juhe `orderid`); `null` for apihz.
    pub request_id: Option<String>,
    /// 号牌号码, without spaces or `·`.
    pub plate_number: Option<String>,
    /// 车辆类型.
    pub vehicle_type: Option<String>,
    /// 所有人.
    pub owner: Option<String>,
    /// 住址.
    pub address: Option<String>,
    /// 使用性质 (e.g. "非营运").
    pub use_character: Option<String>,
    /// 品牌型号.
    pub model: Option<String>,
    /// 车辆识别代号 (VIN) as read (normalized, never silently repaired).
    pub vin: Option<String>,
    /// A single-character OCR repair that makes the VIN's check digit pass (see `issues`).
    pub vin_suggestion: Option<String>,
    /// 发动机号码.
    pub engine_number: Option<String>,
    /// 注册日期, `YYYY-MM-DD`.
    pub register_date: Option<String>,
    /// 发证日期, `YYYY-MM-DD`.
    pub issue_date: Option<String>,
    /// The seal (印章): the issuing traffic police authority.
    pub issuing_authority: Option<String>,
    /// `true` when `issues` holds no error.
    pub valid: bool,
    pub issues: Vec<FieldIssue>,
    /// The provider's payload, untouched.
    #[cfg_attr(feature = "ts", ts(type = "JsonValue"))]
    pub raw: Value,
}

/// 行驶证副页 — the vehicle licence's back page (apihz `class=2`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct VehicleLicenseBack {
    #[cfg_attr(feature = "ts", ts(type = "\"vehicleLicenseBack\""))]
    pub document: DocumentKind,
    #[cfg_attr(feature = "ts", ts(type = "\"apihz\" | \"juhe\" | \"shim\""))]
    pub provider: Provider,
    pub request_id: Option<String>,
    /// 号牌号码.
    pub plate_number: Option<String>,
    /// 档案编号.
    pub file_number: Option<String>,
    /// 核定载人数.
    pub approved_passengers: Option<u32>,
    /// 总质量 in kg.
    pub total_mass_kg: Option<u32>,
    /// 整备质量 in kg.
    pub curb_weight_kg: Option<u32>,
    /// 核定载质量 in kg.
    pub approved_load_kg: Option<u32>,
    /// 外廓尺寸 in mm.
    pub dimensions_mm: Option<Dimensions>,
    /// 准牵引总质量 in kg.
    pub traction_mass_kg: Option<u32>,
    /// 备注.
    pub remarks: Option<String>,
    /// 检验记录, as printed.
    pub inspection_record: Option<String>,
    /// The month the inspection is valid until, `YYYY-MM` (from the inspection record).
    pub inspection_valid_until: Option<String>,
    /// The barcode number of the page (副页条码).
    pub barcode_number: Option<String>,
    /// 燃料类型.
    pub fuel_type: Option<String>,
    pub valid: bool,
    pub issues: Vec<FieldIssue>,
    #[cfg_attr(feature = "ts", ts(type = "JsonValue"))]
    pub raw: Value,
}

/// 机动车登记证书 — the motor vehicle registration certificate (juhe).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RegistrationCertificate {
    #[cfg_attr(feature = "ts", ts(type = "\"registrationCertificate\""))]
    pub document: DocumentKind,
    #[cfg_attr(feature = "ts", ts(type = "\"apihz\" | \"juhe\" | \"shim\""))]
    pub provider: Provider,
    /// juhe's `orderid`.
    pub request_id: Option<String>,
    /// 登记编号 (the certificate's number).
    pub registration_number: Option<String>,
    /// 机动车所有人/身份证明名称/号码.
    pub owner: Option<Owner>,
    /// 登记机关.
    pub registration_authority: Option<String>,
    /// 登记日期, `YYYY-MM-DD`.
    pub registration_date: Option<String>,
    /// 机动车登记编号 — the plate number.
    pub plate_number: Option<String>,
    /// 车辆类型.
    pub vehicle_type: Option<String>,
    /// 车辆品牌.
    pub brand: Option<String>,
    /// 车辆型号.
    pub model: Option<String>,
    /// 车身颜色.
    pub body_color: Option<String>,
    /// 车辆识别代号 (VIN).
    pub vin: Option<String>,
    /// 车架号, when printed separately from the VIN.
    pub frame_number: Option<String>,
    pub vin_suggestion: Option<String>,
    /// 国产/进口, e.g. "国产".
    pub origin: Option<String>,
    /// 发动机号.
    pub engine_number: Option<String>,
    /// 发动机型号.
    pub engine_model: Option<String>,
    /// 燃料种类.
    pub fuel_type: Option<String>,
    /// 排量 in ml.
    pub displacement_ml: Option<u32>,
    /// 功率 in kW.
    pub power_kw: Option<f64>,
    /// 制造厂名称.
    pub manufacturer: Option<String>,
    /// 转向形式 (e.g. "方向盘").
    pub steering: Option<String>,
    /// 轮距 as printed (front/rear, e.g. "1560/1570"), unit removed.
    pub track_mm: Option<String>,
    /// 轮胎数.
    pub tire_count: Option<u32>,
    /// 轮胎规格.
    pub tire_spec: Option<String>,
    /// 钢板弹簧片数, as printed.
    pub leaf_springs: Option<String>,
    /// 轴距 in mm.
    pub wheelbase_mm: Option<u32>,
    /// 轴数.
    pub axle_count: Option<u32>,
    /// 外廓尺寸 in mm.
    pub dimensions_mm: Option<Dimensions>,
    /// 货厢内部尺寸 in mm.
    pub cargo_box_inner_dimensions_mm: Option<Dimensions>,
    /// 总质量 in kg.
    pub total_mass_kg: Option<u32>,
    /// 核定载质量 in kg.
    pub approved_load_kg: Option<u32>,
    /// 核定载客.
    pub approved_passengers: Option<u32>,
    /// 准牵引总质量 in kg.
    pub traction_mass_kg: Option<u32>,
    /// 驾驶室载客.
    pub cab_passengers: Option<u32>,
    /// 使用性质.
    pub use_character: Option<String>,
    /// 车辆获得方式 (e.g. "购买").
    pub acquisition_method: Option<String>,
    /// 车辆出厂日期, `YYYY-MM-DD`.
    pub manufacture_date: Option<String>,
    /// 发证机关章.
    pub issuing_authority: Option<String>,
    /// 发证日期, `YYYY-MM-DD`.
    pub issue_date: Option<String>,
    pub valid: bool,
    pub issues: Vec<FieldIssue>,
    #[cfg_attr(feature = "ts", ts(type = "JsonValue"))]
    pub raw: Value,
}

/// One recognized document (serialized untagged: the `document` field inside tells which).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Recognized {
    VehicleLicenseFront(Box<VehicleLicenseFront>),
    VehicleLicenseBack(Box<VehicleLicenseBack>),
    RegistrationCertificate(Box<RegistrationCertificate>),
}

impl Recognized {
    pub fn document(&self) -> DocumentKind {
        match self {
            Recognized::VehicleLicenseFront(d) => d.document,
            Recognized::VehicleLicenseBack(d) => d.document,
            Recognized::RegistrationCertificate(d) => d.document,
        }
    }
    pub fn issues(&self) -> &[FieldIssue] {
        match self {
            Recognized::VehicleLicenseFront(d) => &d.issues,
            Recognized::VehicleLicenseBack(d) => &d.issues,
            Recognized::RegistrationCertificate(d) => &d.issues,
        }
    }
    pub fn valid(&self) -> bool {
        match self {
            Recognized::VehicleLicenseFront(d) => d.valid,
            Recognized::VehicleLicenseBack(d) => d.valid,
            Recognized::RegistrationCertificate(d) => d.valid,
        }
    }
    /// What [`fields::cross_check`] compares for this document.
    pub fn cross_check_doc(&self) -> fields::CrossCheckDoc {
        match self {
            Recognized::VehicleLicenseFront(d) => fields::CrossCheckDoc {
                plate_number: d.plate_number.clone(),
                vin: d.vin.clone(),
                engine_number: d.engine_number.clone(),
            },
            Recognized::VehicleLicenseBack(d) => fields::CrossCheckDoc {
                plate_number: d.plate_number.clone(),
                vin: None,
                engine_number: None,
            },
            Recognized::RegistrationCertificate(d) => fields::CrossCheckDoc {
                plate_number: d.plate_number.clone(),
                vin: d.vin.clone(),
                engine_number: d.engine_number.clone(),
            },
        }
    }
}

/// Build the typed result for `doc` from a provider payload.
///
/// - vehicle licence pages read apihz's flat fields (`PlateNo`, `Vin`, …) from `raw`;
/// - the certificate reads juhe's `result.res` `desc`/`content` list from `raw`.
///
/// `today` (`YYYY-MM-DD`) enables the "not in the future" date checks. Never panics.
pub fn normalize(
    doc: DocumentKind,
    provider: Provider,
    request_id: Option<String>,
    raw: Value,
    today: Option<String>,
) -> Recognized {
    let cx = Context { today };
    match doc {
        DocumentKind::VehicleLicenseFront => {
            Recognized::VehicleLicenseFront(Box::new(front(provider, request_id, raw, &cx)))
        }
        DocumentKind::VehicleLicenseBack => {
            Recognized::VehicleLicenseBack(Box::new(back(provider, request_id, raw, &cx)))
        }
        DocumentKind::RegistrationCertificate => Recognized::RegistrationCertificate(Box::new(
            certificate(provider, request_id, raw, &cx),
        )),
    }
}

fn front(
    provider: Provider,
    request_id: Option<String>,
    raw: Value,
    cx: &Context,
) -> VehicleLicenseFront {
    let mut is = Issues::default();
    let f = |name: &str| apihz::field(&raw, name).map(|c| c.into_owned());
    let vin = fields::vin("vin", f("Vin").as_deref(), &mut is);
    let register_date = fields::date("registerDate", f("RegisterDate").as_deref(), cx, &mut is);
    let issue_date = fields::date("issueDate", f("IssueDate").as_deref(), cx, &mut is);
    fields::check_date_order(
        ("registerDate", register_date.as_deref()),
        ("issueDate", issue_date.as_deref()),
        cx,
        &mut is,
    );
    VehicleLicenseFront {
        document: DocumentKind::VehicleLicenseFront,
        provider,
        request_id,
        plate_number: fields::plate("plateNumber", f("PlateNo").as_deref(), &mut is),
        vehicle_type: fields::text(f("VehicleType").as_deref()),
        owner: fields::text(f("Owner").as_deref()),
        address: fields::text(f("Address").as_deref()),
        use_character: fields::text(f("UseCharacter").as_deref()),
        model: fields::text(f("Model").as_deref()),
        vin: vin.value,
        vin_suggestion: vin.suggestion,
        engine_number: fields::text(f("EngineNo").as_deref()),
        register_date,
        issue_date,
        issuing_authority: fields::text(f("Seal").as_deref()),
        valid: !is.has_errors(),
        issues: is.into_vec(),
        raw,
    }
}

fn back(
    provider: Provider,
    request_id: Option<String>,
    raw: Value,
    _cx: &Context,
) -> VehicleLicenseBack {
    let mut is = Issues::default();
    let f = |name: &str| apihz::field(&raw, name).map(|c| c.into_owned());
    let total_mass_kg = fields::mass_kg("totalMassKg", f("TotalMass").as_deref(), &mut is);
    let curb_weight_kg = fields::mass_kg("curbWeightKg", f("CurbWeight").as_deref(), &mut is);
    fields::check_masses(
        ("totalMassKg", total_mass_kg),
        ("curbWeightKg", curb_weight_kg),
        &mut is,
    );
    let record = f("Record");
    VehicleLicenseBack {
        document: DocumentKind::VehicleLicenseBack,
        provider,
        request_id,
        plate_number: fields::plate("plateNumber", f("PlateNo").as_deref(), &mut is),
        file_number: fields::text(f("FileNo").as_deref()),
        approved_passengers: fields::persons(
            "approvedPassengers",
            f("AllowNum").as_deref(),
            &mut is,
        ),
        total_mass_kg,
        curb_weight_kg,
        approved_load_kg: fields::mass_kg("approvedLoadKg", f("LoadQuality").as_deref(), &mut is),
        dimensions_mm: fields::dimensions_mm("dimensionsMm", f("ExternalSize").as_deref(), &mut is),
        traction_mass_kg: fields::mass_kg(
            "tractionMassKg",
            f("TotalQuasiMass").as_deref(),
            &mut is,
        ),
        remarks: fields::text(f("Marks").as_deref()),
        inspection_record: fields::text(record.as_deref()),
        inspection_valid_until: fields::inspection_valid_until(
            "inspectionValidUntil",
            record.as_deref(),
            &mut is,
        ),
        barcode_number: fields::text(f("SubPageCode").as_deref()),
        fuel_type: fields::text(f("FuelType").as_deref()),
        valid: !is.has_errors(),
        issues: is.into_vec(),
        raw,
    }
}

/// The certificate's labels (whitespace removed, `/` read as `V`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    RegistrationNumber,
    Owner,
    RegistrationAuthority,
    RegistrationDate,
    PlateNumber,
    VehicleType,
    Brand,
    Model,
    BodyColor,
    VinFrame,
    Origin,
    EngineNumber,
    EngineModel,
    FuelType,
    DisplacementPower,
    Manufacturer,
    Steering,
    Track,
    TireCount,
    TireSpec,
    LeafSprings,
    Wheelbase,
    AxleCount,
    Dimensions,
    CargoBox,
    TotalMass,
    ApprovedLoad,
    ApprovedPassengers,
    TractionMass,
    CabPassengers,
    UseCharacter,
    Acquisition,
    ManufactureDate,
    IssuingAuthority,
    IssueDate,
}

fn label_of(desc: &str) -> Option<Label> {
    let l: String = desc
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == '/' || c == '／' { 'V' } else { c })
        .collect();
    use Label::*;
    Some(match l.as_str() {
        "登记编号" => RegistrationNumber,
        "登记机关" => RegistrationAuthority,
        "登记日期" => RegistrationDate,
        "机动车登记编号" | "号牌号码" => PlateNumber,
        "车辆类型" => VehicleType,
        "车辆品牌" => Brand,
        "车辆型号" => Model,
        "车身颜色" => BodyColor,
        "国产V进口" => Origin,
        "发动机号" | "发动机号码" => EngineNumber,
        "发动机型号" => EngineModel,
        "燃料种类" => FuelType,
        "排量V功率" => DisplacementPower,
        "制造厂名称" | "制造名称" => Manufacturer,
        "转向形式" => Steering,
        "轮距" => Track,
        "轮胎数" => TireCount,
        "轮胎规格" => TireSpec,
        "钢板弹簧片数" => LeafSprings,
        "轴距" => Wheelbase,
        "轴数" => AxleCount,
        "外廓尺寸" => Dimensions,
        "货厢内部尺寸" => CargoBox,
        "总质量" => TotalMass,
        "核定载质量" => ApprovedLoad,
        "核定载客" => ApprovedPassengers,
        "准牵引总质量" => TractionMass,
        "驾驶室载客" => CabPassengers,
        "使用性质" => UseCharacter,
        "车辆获得方式" => Acquisition,
        "车辆出厂日期" => ManufactureDate,
        "发证机关章" | "发证机关" => IssuingAuthority,
        "发证日期" => IssueDate,
        s if s.starts_with("机动车所有人") => Owner,
        s if s.starts_with("车辆识别代号") => VinFrame,
        _ => return None,
    })
}

fn certificate(
    provider: Provider,
    request_id: Option<String>,
    raw: Value,
    cx: &Context,
) -> RegistrationCertificate {
    let mut is = Issues::default();
    let mut found: Vec<(Label, Option<String>)> = Vec::new();
    for (desc, content) in juhe::entries(&raw) {
        if let Some(label) = label_of(&desc) {
            // The first occurrence of a label wins.
            if !found.iter().any(|(l, _)| *l == label) {
                found.push((label, content));
            }
        }
    }
    let get = |label: Label| -> Option<&str> {
        found
            .iter()
            .find(|(l, _)| *l == label)
            .and_then(|(_, c)| c.as_deref())
    };
    use Label as L;

    let (vin_raw, frame_raw) = split_pair(get(L::VinFrame));
    let vin = fields::vin("vin", vin_raw.as_deref(), &mut is);
    let frame_number = fields::text(frame_raw.as_deref()).map(|f| {
        f.chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase()
    });
    let (disp_raw, power_raw) = split_pair(get(L::DisplacementPower));
    let displacement_ml = displacement_ml("displacementMl", disp_raw.as_deref(), &mut is);
    let power_kw = power_kw("powerKw", power_raw.as_deref(), &mut is);

    let registration_date = fields::date("registrationDate", get(L::RegistrationDate), cx, &mut is);
    let manufacture_date = fields::date("manufactureDate", get(L::ManufactureDate), cx, &mut is);
    let issue_date = fields::date("issueDate", get(L::IssueDate), cx, &mut is);
    fields::check_date_order(
        ("registrationDate", registration_date.as_deref()),
        ("issueDate", issue_date.as_deref()),
        cx,
        &mut is,
    );
    let total_mass_kg = fields::mass_kg("totalMassKg", get(L::TotalMass), &mut is);

    RegistrationCertificate {
        document: DocumentKind::RegistrationCertificate,
        provider,
        request_id,
        registration_number: fields::text(get(L::RegistrationNumber)),
        owner: fields::owner("owner", get(L::Owner), &mut is),
        registration_authority: fields::text(get(L::RegistrationAuthority)),
        registration_date,
        plate_number: fields::plate("plateNumber", get(L::PlateNumber), &mut is),
        vehicle_type: fields::text(get(L::VehicleType)),
        brand: fields::text(get(L::Brand)),
        model: fields::text(get(L::Model)),
        body_color: fields::text(get(L::BodyColor)),
        vin: vin.value,
        frame_number,
        vin_suggestion: vin.suggestion,
        origin: fields::text(get(L::Origin)),
        engine_number: fields::text(get(L::EngineNumber)),
        engine_model: fields::text(get(L::EngineModel)),
        fuel_type: fields::text(get(L::FuelType)),
        displacement_ml,
        power_kw,
        manufacturer: fields::text(get(L::Manufacturer)),
        steering: fields::text(get(L::Steering)),
        track_mm: track(get(L::Track)),
        tire_count: fields::count("tireCount", get(L::TireCount), &mut is),
        tire_spec: fields::text(get(L::TireSpec)).filter(|t| t.chars().any(|c| c.is_ascii_digit())),
        leaf_springs: fields::text(get(L::LeafSprings)),
        wheelbase_mm: fields::length_mm("wheelbaseMm", get(L::Wheelbase), &mut is),
        axle_count: fields::count("axleCount", get(L::AxleCount), &mut is),
        dimensions_mm: fields::dimensions_mm("dimensionsMm", get(L::Dimensions), &mut is),
        cargo_box_inner_dimensions_mm: fields::dimensions_mm(
            "cargoBoxInnerDimensionsMm",
            get(L::CargoBox),
            &mut is,
        ),
        total_mass_kg,
        approved_load_kg: fields::mass_kg("approvedLoadKg", get(L::ApprovedLoad), &mut is),
        approved_passengers: fields::persons(
            "approvedPassengers",
            get(L::ApprovedPassengers),
            &mut is,
        ),
        traction_mass_kg: fields::mass_kg("tractionMassKg", get(L::TractionMass), &mut is),
        cab_passengers: fields::persons("cabPassengers", get(L::CabPassengers), &mut is),
        use_character: fields::text(get(L::UseCharacter)),
        acquisition_method: fields::text(get(L::Acquisition)),
        manufacture_date,
        issuing_authority: fields::text(get(L::IssuingAuthority)),
        issue_date,
        valid: !is.has_errors(),
        issues: is.into_vec(),
        raw,
    }
}

/// Split a composite `a/b` value (juhe prints `V` in the label where the card has `/`).
/// One value only → `(value, None)`.
fn split_pair(raw: Option<&str>) -> (Option<String>, Option<String>) {
    let Some(t) = raw else { return (None, None) };
    let mut parts = t.splitn(2, ['/', '／']);
    let a = parts
        .next()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    let b = parts
        .next()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    (a, b)
}

/// Full-width forms (digits, `．`, unit letters) folded to ASCII.
fn ascii_digits(s: &str) -> String {
    s.chars().map(fields::fold).collect()
}

/// The leading decimal number of `s` and the rest (trimmed, lower-cased): `"1.6L"` → `(1.6, "l")`.
fn number_and_unit(s: &str) -> Option<(f64, String)> {
    let s = ascii_digits(s.trim());
    let end = s
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.'))
        .map(|(i, _)| i)
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(end);
    let n: f64 = num.parse().ok()?;
    n.is_finite().then(|| (n, unit.trim().to_lowercase()))
}

fn unparsed(is: &mut Issues, field: &str) {
    is.push(
        field,
        fields::codes::QUANTITY_UNREADABLE,
        Severity::Warning,
        "the value could not be read as a number; it is kept in `raw` only",
    );
}

/// `"1598ml"`, `"1598"`, `"1.6L"` → ml. A bare unit is an empty marker (no issue).
fn displacement_ml(field: &str, raw: Option<&str>, is: &mut Issues) -> Option<u32> {
    let t = fields::text(raw)?;
    if !t
        .chars()
        .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        return None;
    }
    match number_and_unit(&t) {
        Some((n, u))
            if (u.is_empty() || u == "ml" || u == "cc" || u == "毫升")
                && n.fract() == 0.0
                && (0.0..=f64::from(u32::MAX)).contains(&n) =>
        {
            Some(n as u32)
        }
        Some((n, u)) if u == "l" || u == "升" => {
            let ml = (n * 1000.0).round();
            if (0.0..=f64::from(u32::MAX)).contains(&ml) {
                Some(ml as u32)
            } else {
                unparsed(is, field);
                None
            }
        }
        _ => {
            unparsed(is, field);
            None
        }
    }
}

/// `"85kw"`, `"85"`, `"85.5kW"` → kW.
fn power_kw(field: &str, raw: Option<&str>, is: &mut Issues) -> Option<f64> {
    let t = fields::text(raw)?;
    if !t
        .chars()
        .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        return None;
    }
    match number_and_unit(&t) {
        Some((n, u)) if u.is_empty() || u == "kw" || u == "千瓦" => Some(n),
        _ => {
            unparsed(is, field);
            None
        }
    }
}

/// 轮距 as text without the `mm` unit (`"1560/1570mm"` → `"1560/1570"`); a bare unit → `None`.
fn track(raw: Option<&str>) -> Option<String> {
    let t = fields::text(raw)?;
    let t = ascii_digits(&t);
    let t = t.trim_end_matches(['m', 'M']).trim().to_owned();
    (!t.is_empty() && t.chars().any(|c| c.is_ascii_digit())).then_some(t)
}
