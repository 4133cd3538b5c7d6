//! The converter, one rule a test, on small documents (`rules.rs`), and
//! what it refuses or survives (`errors.rs`).

mod errors;
mod rules;

use serde_json::Value;

use super::{convert, Converted};

fn converted(yaml: &str) -> Converted {
    let value: Value = serde_yaml::from_str(yaml).expect("YAML");
    convert(value).unwrap_or_else(|errors| panic!("refused: {errors:?}"))
}

fn document(yaml: &str) -> Value {
    converted(yaml).document
}

fn at<'v>(value: &'v Value, pointer: &str) -> &'v Value {
    value
        .pointer(pointer)
        .unwrap_or_else(|| panic!("no {pointer} in {value:#}"))
}

fn refused(yaml: &str) -> Vec<crate::Diagnostic> {
    let value: Value = serde_yaml::from_str(yaml).expect("YAML");
    convert(value).expect_err("refused")
}

const HEAD: &str = "swagger: '2.0'\ninfo: {title: T, version: '1'}\n";
