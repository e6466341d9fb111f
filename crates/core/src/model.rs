//! Typed results, one struct per document, and the normalizers that build them with the
//! [`fields`](crate::fields) rules from what a provider read ([`ProviderFields`], keyed by
//! result field name). No provider's wire format is known here: each provider module
//! ([`crate::providers`]) maps its own field names and labels to result fields.
//!
//! Serialization: camelCase; every `Option` is written as `null` (never skipped), so each
//! result object always has the same keys. `raw` is the provider's payload (redacted of the
//! caller's secrets, else untouched); `sources` says per result field where it was read.

use crate::fields::{self, Context, Dimensions, FieldIssue, Issues, Owner};
use crate::Provider;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

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

/// Where a result field was read: the provider's own field name or label, and its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldSource {
    /// The provider's field name or label, as sent.
    pub name: String,
    /// That field's whole text as sent (numbers as text; both halves of a composite `a/b`);
    /// `null` when it was not text.
    pub text: Option<String>,
}

/// One document's fields as a provider read them, keyed by result field name (camelCase, as
/// serialized): what a provider module hands to [`normalize`]. Provider-neutral.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProviderFields(Vec<(&'static str, FieldSource, Option<String>)>);

impl ProviderFields {
    /// Result field `field` is the provider's field or label `name`, whose text is `text`.
    /// The first entry for a field wins.
    pub fn add(&mut self, field: &'static str, name: &str, text: Option<&str>) {
        self.add_part(field, name, text, text.map(str::to_owned));
    }

    /// Result field `field` is `value`, a part of the text `text` of the provider's field or
    /// label `name` (one half of a composite `a/b`). The first entry for a field wins.
    pub fn add_part(
        &mut self,
        field: &'static str,
        name: &str,
        text: Option<&str>,
        value: Option<String>,
    ) {
        if self.0.iter().any(|(f, _, _)| *f == field) {
            return;
        }
        let source = FieldSource {
            name: name.to_owned(),
            text: text.map(str::to_owned),
        };
        self.0.push((field, source, value));
    }

    /// The text result field `field` is read from.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _, _)| *f == field)
            .and_then(|(_, _, v)| v.as_deref())
    }

    /// The result fields listed, in the order the provider module added them.
    pub fn names(&self) -> Vec<&'static str> {
        self.0.iter().map(|(f, _, _)| *f).collect()
    }

    /// The `sources` of a result; `derived` are `(field, from)` pairs of result fields read
    /// from another one's text (a VIN suggestion from the VIN).
    fn sources(&self, derived: &[(&str, &str)]) -> BTreeMap<String, FieldSource> {
        let mut out: BTreeMap<String, FieldSource> = self
            .0
            .iter()
            .map(|(f, s, _)| ((*f).to_owned(), s.clone()))
            .collect();
        for (field, from) in derived {
            if let Some(s) = out.get(*from).cloned() {
                out.insert((*field).to_owned(), s);
            }
        }
        out
    }
}

/// 行驶证正页 — the vehicle licence's front page.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct VehicleLicenseFront {
    #[cfg_attr(feature = "ts", ts(type = "\"vehicleLicenseFront\""))]
    pub document: DocumentKind,
    #[cfg_attr(
        feature = "ts",
        ts(type = "\"apihz\" | \"juhe\" | \"shim\" | \"local\"")
    )]
    pub provider: Provider,
    /// The provider's id for the call when it sends one, else an id made for the call by this
    /// library (a UUID), so a call can be found in the provider's bill or the Worker's logs.
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
    /// Per result field (camelCase name), the provider's own field or label it was read from
    /// and that field's text as sent; fields the provider did not send are absent.
    #[cfg_attr(feature = "ts", ts(type = "Partial<Record<string, FieldSource>>"))]
    pub sources: BTreeMap<String, FieldSource>,
    /// The provider's payload, untouched except that the caller's secrets are `[redacted]`.
    #[cfg_attr(feature = "ts", ts(type = "JsonValue"))]
    pub raw: Value,
}

/// 行驶证副页 — the vehicle licence's back page.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct VehicleLicenseBack {
    #[cfg_attr(feature = "ts", ts(type = "\"vehicleLicenseBack\""))]
    pub document: DocumentKind,
    #[cfg_attr(
        feature = "ts",
        ts(type = "\"apihz\" | \"juhe\" | \"shim\" | \"local\"")
    )]
    pub provider: Provider,
    /// The provider's id for the call when it sends one, else an id made for the call by this
    /// library (a UUID), so a call can be found in the provider's bill or the Worker's logs.
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
    /// Per result field (camelCase name), the provider's own field or label it was read from
    /// and that field's text as sent; fields the provider did not send are absent.
    #[cfg_attr(feature = "ts", ts(type = "Partial<Record<string, FieldSource>>"))]
    pub sources: BTreeMap<String, FieldSource>,
    #[cfg_attr(feature = "ts", ts(type = "JsonValue"))]
    pub raw: Value,
}

/// 机动车登记证书 — the motor vehicle registration certificate.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RegistrationCertificate {
    #[cfg_attr(feature = "ts", ts(type = "\"registrationCertificate\""))]
    pub document: DocumentKind,
    #[cfg_attr(
        feature = "ts",
        ts(type = "\"apihz\" | \"juhe\" | \"shim\" | \"local\"")
    )]
    pub provider: Provider,
    /// The provider's id for the call when it sends one, else an id made for the call by this
    /// library (a UUID), so a call can be found in the provider's bill or the Worker's logs.
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
    /// Per result field (camelCase name), the provider's own field or label it was read from
    /// and that field's text as sent; fields the provider did not send are absent.
    #[cfg_attr(feature = "ts", ts(type = "Partial<Record<string, FieldSource>>"))]
    pub sources: BTreeMap<String, FieldSource>,
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

/// Build the typed result for `doc` from what `provider` read (`fields`) and its payload `raw`
/// (kept in the result as is). `today` (`YYYY-MM-DD`) enables the "not in the future" date
/// checks. Never panics.
pub fn normalize(
    doc: DocumentKind,
    provider: Provider,
    request_id: Option<String>,
    fields: &ProviderFields,
    raw: Value,
    today: Option<String>,
) -> Recognized {
    let cx = Context { today };
    match doc {
        DocumentKind::VehicleLicenseFront => {
            Recognized::VehicleLicenseFront(Box::new(front(provider, request_id, fields, raw, &cx)))
        }
        DocumentKind::VehicleLicenseBack => {
            Recognized::VehicleLicenseBack(Box::new(back(provider, request_id, fields, raw)))
        }
        DocumentKind::RegistrationCertificate => Recognized::RegistrationCertificate(Box::new(
            certificate(provider, request_id, fields, raw, &cx),
        )),
    }
}

fn front(
    provider: Provider,
    request_id: Option<String>,
    f: &ProviderFields,
    raw: Value,
    cx: &Context,
) -> VehicleLicenseFront {
    let mut is = Issues::default();
    let vin = fields::vin("vin", f.get("vin"), &mut is);
    let register_date = fields::date("registerDate", f.get("registerDate"), cx, &mut is);
    let issue_date = fields::date("issueDate", f.get("issueDate"), cx, &mut is);
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
        plate_number: fields::plate("plateNumber", f.get("plateNumber"), &mut is),
        vehicle_type: fields::text(f.get("vehicleType")),
        owner: fields::text(f.get("owner")),
        address: fields::text(f.get("address")),
        use_character: fields::text(f.get("useCharacter")),
        model: fields::text(f.get("model")),
        vin: vin.value,
        vin_suggestion: vin.suggestion,
        engine_number: fields::text(f.get("engineNumber")),
        register_date,
        issue_date,
        issuing_authority: fields::text(f.get("issuingAuthority")),
        valid: !is.has_errors(),
        issues: is.into_vec(),
        sources: f.sources(&[("vinSuggestion", "vin")]),
        raw,
    }
}

fn back(
    provider: Provider,
    request_id: Option<String>,
    f: &ProviderFields,
    raw: Value,
) -> VehicleLicenseBack {
    let mut is = Issues::default();
    let total_mass_kg = fields::mass_kg("totalMassKg", f.get("totalMassKg"), &mut is);
    let curb_weight_kg = fields::mass_kg("curbWeightKg", f.get("curbWeightKg"), &mut is);
    fields::check_masses(
        ("totalMassKg", total_mass_kg),
        ("curbWeightKg", curb_weight_kg),
        &mut is,
    );
    let record = f.get("inspectionRecord");
    VehicleLicenseBack {
        document: DocumentKind::VehicleLicenseBack,
        provider,
        request_id,
        plate_number: fields::plate("plateNumber", f.get("plateNumber"), &mut is),
        file_number: fields::text(f.get("fileNumber")),
        approved_passengers: fields::persons(
            "approvedPassengers",
            f.get("approvedPassengers"),
            &mut is,
        ),
        total_mass_kg,
        curb_weight_kg,
        approved_load_kg: fields::mass_kg("approvedLoadKg", f.get("approvedLoadKg"), &mut is),
        dimensions_mm: fields::dimensions_mm("dimensionsMm", f.get("dimensionsMm"), &mut is),
        traction_mass_kg: fields::mass_kg("tractionMassKg", f.get("tractionMassKg"), &mut is),
        remarks: fields::text(f.get("remarks")),
        inspection_record: fields::text(record),
        inspection_valid_until: fields::inspection_valid_until(
            "inspectionValidUntil",
            record,
            &mut is,
        ),
        barcode_number: fields::text(f.get("barcodeNumber")),
        fuel_type: fields::text(f.get("fuelType")),
        valid: !is.has_errors(),
        issues: is.into_vec(),
        sources: f.sources(&[("inspectionValidUntil", "inspectionRecord")]),
        raw,
    }
}

fn certificate(
    provider: Provider,
    request_id: Option<String>,
    f: &ProviderFields,
    raw: Value,
    cx: &Context,
) -> RegistrationCertificate {
    let mut is = Issues::default();
    let vin = fields::vin("vin", f.get("vin"), &mut is);
    let frame_number = fields::text(f.get("frameNumber")).map(|f| {
        f.chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase()
    });
    let registration_date =
        fields::date("registrationDate", f.get("registrationDate"), cx, &mut is);
    let manufacture_date = fields::date("manufactureDate", f.get("manufactureDate"), cx, &mut is);
    let issue_date = fields::date("issueDate", f.get("issueDate"), cx, &mut is);
    fields::check_date_order(
        ("registrationDate", registration_date.as_deref()),
        ("issueDate", issue_date.as_deref()),
        cx,
        &mut is,
    );
    let total_mass_kg = fields::mass_kg("totalMassKg", f.get("totalMassKg"), &mut is);

    RegistrationCertificate {
        document: DocumentKind::RegistrationCertificate,
        provider,
        request_id,
        registration_number: fields::text(f.get("registrationNumber")),
        owner: fields::owner("owner", f.get("owner"), &mut is),
        registration_authority: fields::text(f.get("registrationAuthority")),
        registration_date,
        plate_number: fields::plate("plateNumber", f.get("plateNumber"), &mut is),
        vehicle_type: fields::text(f.get("vehicleType")),
        brand: fields::text(f.get("brand")),
        model: fields::text(f.get("model")),
        body_color: fields::text(f.get("bodyColor")),
        vin: vin.value,
        frame_number,
        vin_suggestion: vin.suggestion,
        origin: fields::text(f.get("origin")),
        engine_number: fields::text(f.get("engineNumber")),
        engine_model: fields::text(f.get("engineModel")),
        fuel_type: fields::text(f.get("fuelType")),
        displacement_ml: fields::displacement_ml(
            "displacementMl",
            f.get("displacementMl"),
            &mut is,
        ),
        power_kw: fields::power_kw("powerKw", f.get("powerKw"), &mut is),
        manufacturer: fields::text(f.get("manufacturer")),
        steering: fields::text(f.get("steering")),
        track_mm: fields::track_mm(f.get("trackMm")),
        tire_count: fields::count("tireCount", f.get("tireCount"), &mut is),
        tire_spec: fields::text(f.get("tireSpec"))
            .filter(|t| t.chars().any(|c| c.is_ascii_digit())),
        leaf_springs: fields::text(f.get("leafSprings")),
        wheelbase_mm: fields::length_mm("wheelbaseMm", f.get("wheelbaseMm"), &mut is),
        axle_count: fields::count("axleCount", f.get("axleCount"), &mut is),
        dimensions_mm: fields::dimensions_mm("dimensionsMm", f.get("dimensionsMm"), &mut is),
        cargo_box_inner_dimensions_mm: fields::dimensions_mm(
            "cargoBoxInnerDimensionsMm",
            f.get("cargoBoxInnerDimensionsMm"),
            &mut is,
        ),
        total_mass_kg,
        approved_load_kg: fields::mass_kg("approvedLoadKg", f.get("approvedLoadKg"), &mut is),
        approved_passengers: fields::persons(
            "approvedPassengers",
            f.get("approvedPassengers"),
            &mut is,
        ),
        traction_mass_kg: fields::mass_kg("tractionMassKg", f.get("tractionMassKg"), &mut is),
        cab_passengers: fields::persons("cabPassengers", f.get("cabPassengers"), &mut is),
        use_character: fields::text(f.get("useCharacter")),
        acquisition_method: fields::text(f.get("acquisitionMethod")),
        manufacture_date,
        issuing_authority: fields::text(f.get("issuingAuthority")),
        issue_date,
        valid: !is.has_errors(),
        issues: is.into_vec(),
        sources: f.sources(&[("vinSuggestion", "vin")]),
        raw,
    }
}
