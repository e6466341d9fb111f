//! Renders the result types into `npm/types.d.ts` and fails when the committed file differs.
//! Run: `cargo test -p vehicle-doc-ocr-core --features ts` (set `UPDATE_TYPES=1` to rewrite).
#![cfg(feature = "ts")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a panic is a failure

use ts_rs::{Config, TS};
use vehicle_doc_ocr_core::fields::{Dimensions, FieldIssue, Owner, Severity};
use vehicle_doc_ocr_core::model::{
    FieldSource, RegistrationCertificate, VehicleLicenseBack, VehicleLicenseFront,
};
use vehicle_doc_ocr_core::ErrorCode;

/// The text lines of a `/** … */` block.
fn doc_lines(block: &str) -> Vec<String> {
    block
        .trim()
        .trim_start_matches("/**")
        .trim_end_matches("*/")
        .lines()
        .map(|l| l.trim().trim_start_matches('*').trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

fn jsdoc(lines: &[String], indent: &str) -> String {
    match lines {
        [] => String::new(),
        [one] => format!("{indent}/** {one} */\n"),
        many => {
            let mut out = format!("{indent}/**\n");
            for l in many {
                out.push_str(&format!("{indent} * {l}\n"));
            }
            out.push_str(&format!("{indent} */\n"));
            out
        }
    }
}

/// Split ts-rs's one-line object body (`a: T, /** doc */ b: U, `) into (doc lines, member).
fn members(body: &str) -> Vec<(Vec<String>, String)> {
    let mut out = Vec::new();
    let mut doc = Vec::new();
    let mut rest = body.trim();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("/**") {
            let end = after.find("*/").expect("closed doc comment");
            doc = doc_lines(&rest[..end + 5]);
            rest = after[end + 2..].trim_start();
            continue;
        }
        let (mut depth, mut quoted, mut cut) = (0i32, false, rest.len());
        for (i, c) in rest.char_indices() {
            match c {
                '"' => quoted = !quoted,
                '{' | '<' | '(' | '[' if !quoted => depth += 1,
                '}' | '>' | ')' | ']' if !quoted => depth -= 1,
                ',' if !quoted && depth == 0 => {
                    cut = i;
                    break;
                }
                _ => {}
            }
        }
        let member = rest[..cut].trim().to_owned();
        if !member.is_empty() {
            out.push((std::mem::take(&mut doc), member));
        }
        rest = rest.get(cut + 1..).unwrap_or("").trim_start();
    }
    out
}

/// `type X = { … };` → a formatted `export interface X { … }`; anything else → `export type …`.
fn export<T: TS>(cfg: &Config) -> String {
    let decl = T::decl(cfg);
    let name = T::ident(cfg);
    let docs = T::docs().map(|d| doc_lines(&d)).unwrap_or_default();
    let head = format!("type {name} = {{");
    let body = match decl.strip_prefix(&head) {
        Some(rest) => {
            let inner = rest
                .trim_end()
                .trim_end_matches(';')
                .trim_end()
                .trim_end_matches('}');
            let mut out = format!("export interface {name} {{\n");
            for (doc, member) in members(inner) {
                out.push_str(&jsdoc(&doc, "  "));
                out.push_str(&format!("  {member};\n"));
            }
            out.push_str("}\n");
            out
        }
        None => format!("export {}\n", decl.trim()),
    };
    format!("{}{}", jsdoc(&docs, ""), body)
}

fn render() -> String {
    let cfg = Config::new();
    let mut out = String::new();
    out.push_str(
        "// GENERATED from the Rust structs in crates/core by\n\
         //   cargo test -p vehicle-doc-ocr-core --features ts   (UPDATE_TYPES=1 rewrites this file)\n\
         // Do not edit by hand.\n\n",
    );
    out.push_str("/** Any JSON value (the provider's payload in `raw`). */\n");
    out.push_str(
        "export type JsonValue = number | string | boolean | null | JsonValue[] | { [key: string]: JsonValue };\n\n",
    );
    let codes: Vec<String> = ErrorCode::ALL
        .iter()
        .map(|c| format!("\"{}\"", c.as_str()))
        .collect();
    out.push_str("/** The stable `code` of every error the package throws. */\n");
    out.push_str(&format!(
        "export type ErrorCode = {};\n\n",
        codes.join(" | ")
    ));
    for part in [
        export::<Severity>(&cfg),
        export::<FieldIssue>(&cfg),
        export::<Dimensions>(&cfg),
        export::<Owner>(&cfg),
        export::<FieldSource>(&cfg),
        export::<VehicleLicenseFront>(&cfg),
        export::<VehicleLicenseBack>(&cfg),
        export::<RegistrationCertificate>(&cfg),
    ] {
        out.push_str(&part);
        out.push('\n');
    }
    out.push_str("/** Any recognized document; `document` tells which. */\n");
    out.push_str(
        "export type RecognizedDocument = VehicleLicenseFront | VehicleLicenseBack | RegistrationCertificate;\n",
    );
    out
}

#[test]
fn types_d_ts_is_up_to_date() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../npm/types.d.ts");
    let fresh = render();
    assert!(!fresh.contains("any"), "no `any` on the public surface");
    if std::env::var_os("UPDATE_TYPES").is_some_and(|v| v == "1") {
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "npm/types.d.ts is out of date: run `UPDATE_TYPES=1 cargo test -p vehicle-doc-ocr-core --features ts`"
    );
}
