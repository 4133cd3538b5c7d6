//! The generated client's docs carry what the description says: the
//! response's description on each method, the `operationId` (as text and as
//! a `#[doc(alias)]`, with the method's name before resources), and each
//! optional parameter's description on its setter, and each field's
//! constraints and examples.

fn source(file: &str) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/src");
    std::fs::read_to_string(root.join(file)).expect("generated source")
}

#[test]
fn methods_name_their_operation_and_response() {
    let shield = source("api_shield_settings.rs");
    assert!(shield.contains(
        "#[doc(alias = \"retrieve_information_about_specific_configuration_properties\")]"
    ));
    assert!(shield.contains(
        "(operation `api-shield-settings-retrieve-information-about-specific-configuration-properties`)"
    ));
    assert!(shield.contains(
        "). Response `200`: Retrieve information about specific configuration properties response."
    ));
    let accounts = source("zero_trust_accounts.rs");
    assert!(accounts.contains("pub fn edit("), "PATCH is `edit`");
    assert!(accounts.contains("#[doc(alias = \"patch_zero_trust_account_configuration\")]"));
}

#[test]
fn setters_carry_the_parameter_descriptions() {
    let shield = source("api_shield_settings.rs");
    assert!(shield.contains("/// Sent as the `properties` query parameter."));
    assert!(shield.contains(
        "/// Ensures that the configuration is written or retrieved in normalized fashion. \
         Sent as the `normalize` query parameter."
    ));
    assert!(shield.contains("pub fn normalize(self, value: bool) -> Self"));
}

#[test]
fn fields_document_their_constraints_and_examples() {
    let shield = source("api_shield_settings.rs");
    assert!(shield.contains("/// Constraints: at most 10 items, items unique."));
    let accounts = source("zero_trust_accounts.rs");
    // At the end of the description's paragraph.
    assert!(accounts.contains(
        "/// Cloudflare account ID. Constraints: at most 32 characters. \
         Example: `\"699d98642c564d2e855e9661899b7252\"`."
    ));
    assert!(accounts.contains("Example: `\"2014-01-01T05:20:00.12345Z\"`."));
    // A boolean's example says nothing its type does not.
    assert!(!accounts.contains("Example: `true`."));
}
