//! Contract tests against the Prism mock server (`@stoplight/prism-cli`),
//! the mock the official Cloudflare SDKs test against.
//!
//! Each test writes the merged OpenAPI document of `specs/` (what
//! `cargo xtask merge` writes) to a temporary file, starts `prism mock` on it
//! on a free port of 127.0.0.1, and calls operations through the generated
//! client:
//!
//! * static mode: every operation once; Prism answers with the examples of
//!   the spec, and the typed result must equal them exactly (so a field the
//!   client misnames, which would land in `extra`, fails the test);
//! * dynamic mode (`prism mock -d`): every operation until 50 of Prism's
//!   invented responses have decoded.
//!
//! Prism validates every request against the spec and answers a violation
//! with an error (422 for a bad body, 401 for missing credentials, with its
//! complaint in the `sl-violations` header); `--errors` also turns a
//! response of its own that breaks the spec into a 500. The tests fail on
//! any request violation, whether it shows in a response or in Prism's log.
//!
//! Prism comes from `PRISM_BIN` if set, else from
//! `tests/prism/node_modules/.bin/prism`, which the tests install with
//! `npm ci` (the version pinned in `tests/prism/package-lock.json`) when it
//! is missing or is not the pinned version. Needs `node` and `npm`: without
//! them (and no `PRISM_BIN`) each test skips, saying so on stderr, unless
//! `APIGEN_REQUIRE_PRISM=1` (set by `.ci/run`) makes that a failure
//! (`prism_needed.rs`).
//!
//! Run: `cargo test -p integration-tests --test it prism`.

use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{Read as _, Write as _};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::prism_needed::prism_can_run;

use cloudflare_api::api_shield_settings::{
    AuthIdCharacteristic, AuthIdCharacteristicJwtClaim, AuthIdCharacteristicJwtClaimType,
    AuthIdCharacteristicType, AuthIdCharacteristicsItem, Configuration, PropertiesItem,
};
use cloudflare_api::runtime::{decode, HeaderMap, Method, Unknown};
use cloudflare_api::zero_trust_accounts::{
    ActivityLogSettings, AntiVirusSettings, BlockPageSettings, BodyScanningSettings,
    BrowserIsolationSettings, CertificateSettings, CustomCertificateSettings,
    CustomCertificateSettingsRequest, ExtendedEmailMatching, FipsSettings,
    GatewayAccountLoggingSettings, GatewayAccountSettingsRequest,
    GatewayAccountSettingsRequestSettings, HostSelectorSettings, InspectionSettings,
    NotificationSettings, ProtocolDetection, SandboxSettings,
    SettingsByRuleType as LoggingByRuleType, SettingsByRuleTypeDns as DnsLogging,
    SettingsByRuleTypeHttp as HttpLogging, SettingsByRuleTypeL4 as L4Logging, TlsSettings,
    ZeroTrustAccountConfigurationResult, ZeroTrustAccountConfigurationResultSettings,
    ZeroTrustAccountDeviceSettings, ZeroTrustAccountsResult,
};
use cloudflare_api::{Client, Credentials, Error};
use serde_json::Value;

/// Account id: the spec's `account-identifier` example.
const ACCOUNT_ID: &str = "699d98642c564d2e855e9661899b7252";
/// Zone id: the spec's `identifier` example.
const ZONE_ID: &str = "023e105f4ecef8ad9ca31a8372d0c353";
const EMAIL: &str = "user@example.com";
const API_KEY: &str = "0123456789abcdef";
const API_TOKEN: &str = "Sn3lZJTBX6kkg7OdcBUAxOO963GEIyGQqnFTOFYY";
/// `Authorization` value with [`API_TOKEN`], for the per-request header.
const PRISM_BEARER: &str = concat!("Bearer ", "Sn3lZJTBX6kkg7OdcBUAxOO963GEIyGQqnFTOFYY");

/// Decoded responses each operation must reach in dynamic mode.
const DYNAMIC_DECODES: usize = 50;
/// Calls per operation in dynamic mode at most (Prism invents responses
/// that break the spec, which `--errors` turns into 500s that are skipped).
const DYNAMIC_MAX_CALLS: usize = 400;
/// Wall-clock budget of the calls of one dynamic-mode test.
const DYNAMIC_BUDGET: Duration = Duration::from_secs(90);
/// How long Prism may take to start answering.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);
/// How long `npm ci` may take.
const NPM_TIMEOUT: Duration = Duration::from_secs(300);
/// Decode failures reported in full per operation (the rest are counted).
const REPORTED_FAILURES: usize = 3;

// ---------------------------------------------------------------------------
// The operations
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Area {
    ZeroTrustAccounts,
    ApiShieldSettings,
}

/// The 14 operations of the spec.
#[derive(Clone, Copy, Debug)]
enum Op {
    GetDeviceSettings,
    UpdateDeviceSettings,
    PatchDeviceSettings,
    DeleteDeviceSettings,
    GetAccountInformation,
    CreateAccount,
    GetConfiguration,
    UpdateConfiguration,
    PatchConfiguration,
    GetCertificateConfiguration,
    GetLoggingSettings,
    UpdateLoggingSettings,
    GetApiShieldConfiguration,
    SetApiShieldConfiguration,
}

const ALL_OPS: [Op; 14] = [
    Op::GetDeviceSettings,
    Op::UpdateDeviceSettings,
    Op::PatchDeviceSettings,
    Op::DeleteDeviceSettings,
    Op::GetAccountInformation,
    Op::CreateAccount,
    Op::GetConfiguration,
    Op::UpdateConfiguration,
    Op::PatchConfiguration,
    Op::GetCertificateConfiguration,
    Op::GetLoggingSettings,
    Op::UpdateLoggingSettings,
    Op::GetApiShieldConfiguration,
    Op::SetApiShieldConfiguration,
];

/// A decoded `result`, whichever operation it came from.
#[derive(Debug, PartialEq)]
enum Decoded {
    DeviceSettings(Option<ZeroTrustAccountDeviceSettings>),
    Account(ZeroTrustAccountsResult),
    Configuration(Box<ZeroTrustAccountConfigurationResult>),
    Certificate(CustomCertificateSettings),
    Logging(GatewayAccountLoggingSettings),
    ApiShield(Configuration),
}

impl Decoded {
    /// The JSON pointers of what went to an `extra` map or an `Unknown`
    /// variant (see `apigen_runtime::Unknown`): a strict check needs none.
    fn unknown_paths(&self) -> Vec<String> {
        match self {
            Decoded::DeviceSettings(v) => v.unknown_paths(),
            Decoded::Account(v) => v.unknown_paths(),
            Decoded::Configuration(v) => v.unknown_paths(),
            Decoded::Certificate(v) => v.unknown_paths(),
            Decoded::Logging(v) => v.unknown_paths(),
            Decoded::ApiShield(v) => v.unknown_paths(),
        }
    }
}

impl Op {
    fn operation_id(self) -> &'static str {
        match self {
            Op::GetDeviceSettings => {
                "zero-trust-accounts-get-device-settings-for-zero-trust-account"
            }
            Op::UpdateDeviceSettings => {
                "zero-trust-accounts-update-device-settings-for-the-zero-trust-account"
            }
            Op::PatchDeviceSettings => {
                "zero-trust-accounts-patch-device-settings-for-the-zero-trust-account"
            }
            Op::DeleteDeviceSettings => {
                "zero-trust-accounts-delete-device-settings-for-zero-trust-account"
            }
            Op::GetAccountInformation => "zero-trust-accounts-get-zero-trust-account-information",
            Op::CreateAccount => "zero-trust-accounts-create-zero-trust-account",
            Op::GetConfiguration => "zero-trust-accounts-get-zero-trust-account-configuration",
            Op::UpdateConfiguration => {
                "zero-trust-accounts-update-zero-trust-account-configuration"
            }
            Op::PatchConfiguration => "zero-trust-accounts-patch-zero-trust-account-configuration",
            Op::GetCertificateConfiguration => {
                "zero-trust-accounts-get-zero-trust-certificate-configuration"
            }
            Op::GetLoggingSettings => {
                "zero-trust-accounts-get-logging-settings-for-the-zero-trust-account"
            }
            Op::UpdateLoggingSettings => {
                "zero-trust-accounts-update-logging-settings-for-the-zero-trust-account"
            }
            Op::GetApiShieldConfiguration => {
                "api-shield-settings-retrieve-information-about-specific-configuration-properties"
            }
            Op::SetApiShieldConfiguration => "api-shield-settings-set-configuration-properties",
        }
    }

    fn area(self) -> Area {
        match self {
            Op::GetApiShieldConfiguration | Op::SetApiShieldConfiguration => {
                Area::ApiShieldSettings
            }
            _ => Area::ZeroTrustAccounts,
        }
    }

    /// Calls the operation through the generated client with valid
    /// arguments (the spec's examples), giving the decoded result and the
    /// response headers.
    ///
    /// API Shield's spec lists email, key and token in ONE security
    /// requirement. The client reads that the way Cloudflare means it (any one
    /// of them) and sends the configured email + key; Prism reads it strictly
    /// (all three at once), so these calls add the token as a per-request
    /// header to satisfy it.
    async fn call(self, client: &Client) -> Result<(Decoded, HeaderMap), Error> {
        let zt = client;
        let shield = client;
        match self {
            Op::GetDeviceSettings => zt
                .zero_trust()
                .devices()
                .settings()
                .get(ACCOUNT_ID)
                .send()
                .await
                .map(|r| (Decoded::DeviceSettings(r.result), r.headers)),
            Op::UpdateDeviceSettings => zt
                .zero_trust()
                .devices()
                .settings()
                .update(ACCOUNT_ID, &device_settings_body())
                .send()
                .await
                .map(|r| (Decoded::DeviceSettings(r.result), r.headers)),
            Op::PatchDeviceSettings => zt
                .zero_trust()
                .devices()
                .settings()
                .edit(
                    ACCOUNT_ID,
                    &ZeroTrustAccountDeviceSettings {
                        gateway_udp_proxy_enabled: Some(false),
                        ..Default::default()
                    },
                )
                .send()
                .await
                .map(|r| (Decoded::DeviceSettings(r.result), r.headers)),
            Op::DeleteDeviceSettings => zt
                .zero_trust()
                .devices()
                .settings()
                .delete(ACCOUNT_ID)
                .send()
                .await
                .map(|r| (Decoded::DeviceSettings(r.result), r.headers)),
            Op::GetAccountInformation => zt
                .zero_trust()
                .gateway()
                .get(ACCOUNT_ID)
                .send()
                .await
                .map(|r| (Decoded::Account(r.result), r.headers)),
            Op::CreateAccount => zt
                .zero_trust()
                .gateway()
                .create(ACCOUNT_ID)
                .send()
                .await
                .map(|r| (Decoded::Account(r.result), r.headers)),
            Op::GetConfiguration => zt
                .zero_trust()
                .gateway()
                .configuration()
                .get(ACCOUNT_ID)
                .send()
                .await
                .map(|r| (Decoded::Configuration(Box::new(r.result)), r.headers)),
            Op::UpdateConfiguration => zt
                .zero_trust()
                .gateway()
                .configuration()
                .update(ACCOUNT_ID, &configuration_body())
                .send()
                .await
                .map(|r| (Decoded::Configuration(Box::new(r.result)), r.headers)),
            Op::PatchConfiguration => zt
                .zero_trust()
                .gateway()
                .configuration()
                .edit(ACCOUNT_ID, &configuration_patch())
                .send()
                .await
                .map(|r| (Decoded::Configuration(Box::new(r.result)), r.headers)),
            Op::GetCertificateConfiguration => zt
                .zero_trust()
                .gateway()
                .configuration()
                .custom_certificate()
                .get(ACCOUNT_ID)
                .send()
                .await
                .map(|r| (Decoded::Certificate(r.result), r.headers)),
            Op::GetLoggingSettings => zt
                .zero_trust()
                .gateway()
                .logging()
                .get(ACCOUNT_ID)
                .send()
                .await
                .map(|r| (Decoded::Logging(r.result), r.headers)),
            Op::UpdateLoggingSettings => zt
                .zero_trust()
                .gateway()
                .logging()
                .update(ACCOUNT_ID, &logging_body())
                .send()
                .await
                .map(|r| (Decoded::Logging(r.result), r.headers)),
            Op::GetApiShieldConfiguration => shield
                .api_gateway()
                .configuration()
                .get(ZONE_ID)
                .properties(vec![PropertiesItem::AuthIdCharacteristics])
                .header("Authorization", PRISM_BEARER)
                .send()
                .await
                .map(|r| (Decoded::ApiShield(r.result), r.headers)),
            Op::SetApiShieldConfiguration => shield
                .api_gateway()
                .configuration()
                .update(ZONE_ID, &api_shield_body())
                .normalize(true)
                .header("Authorization", PRISM_BEARER)
                .send()
                .await
                .map(|r| (Decoded::ApiShield(r.result), r.headers)),
        }
    }

    /// The result Prism's static mode answers with, built from the spec's
    /// examples (Prism fills a property without one with `"string"`, `0`,
    /// `true` or `2019-08-24T14:15:22Z`).
    fn static_example(self) -> Decoded {
        match self {
            Op::GetDeviceSettings
            | Op::UpdateDeviceSettings
            | Op::PatchDeviceSettings
            | Op::DeleteDeviceSettings => {
                Decoded::DeviceSettings(Some(ZeroTrustAccountDeviceSettings {
                    disable_for_time: Some(0.into()),
                    external_emergency_signal_enabled: Some(true),
                    external_emergency_signal_fingerprint: Some("string".into()),
                    external_emergency_signal_interval: Some("string".into()),
                    external_emergency_signal_url: Some("string".into()),
                    gateway_proxy_enabled: Some(true),
                    gateway_udp_proxy_enabled: Some(true),
                    root_certificate_installation_enabled: Some(true),
                    use_zt_virtual_ip: Some(true),
                    extra: Default::default(),
                }))
            }
            Op::GetAccountInformation | Op::CreateAccount => {
                Decoded::Account(ZeroTrustAccountsResult {
                    gateway_tag: Some("f174e90afafe4643bbbc4a0ed4fc8415".into()),
                    id: Some(ACCOUNT_ID.into()),
                    provider_name: Some("Cloudflare".into()),
                    extra: Default::default(),
                })
            }
            Op::GetConfiguration | Op::UpdateConfiguration | Op::PatchConfiguration => {
                Decoded::Configuration(Box::new(configuration_example()))
            }
            Op::GetCertificateConfiguration => Decoded::Certificate(CustomCertificateSettings {
                binding_status: Some("pending_deployment".into()),
                enabled: true,
                id: Some("d1b364c5-1311-466e-a194-f0e943e0799f".into()),
                updated_at: Some("2019-08-24T14:15:22Z".into()),
                extra: Default::default(),
            }),
            Op::GetLoggingSettings | Op::UpdateLoggingSettings => {
                Decoded::Logging(GatewayAccountLoggingSettings {
                    redact_pii: Some(true),
                    settings_by_rule_type: Some(LoggingByRuleType {
                        dns: Some(DnsLogging {
                            log_all: Some(true),
                            log_blocks: Some(true),
                            extra: Default::default(),
                        }),
                        http: Some(HttpLogging {
                            log_all: Some(true),
                            log_blocks: Some(true),
                            extra: Default::default(),
                        }),
                        l4: Some(L4Logging {
                            log_all: Some(true),
                            log_blocks: Some(true),
                            extra: Default::default(),
                        }),
                        extra: Default::default(),
                    }),
                    extra: Default::default(),
                })
            }
            Op::GetApiShieldConfiguration | Op::SetApiShieldConfiguration => {
                Decoded::ApiShield(Configuration {
                    auth_id_characteristics: vec![AuthIdCharacteristicsItem::AuthIdCharacteristic(
                        AuthIdCharacteristic {
                            name: "authorization".into(),
                            r#type: AuthIdCharacteristicType::Header,
                            extra: Default::default(),
                        },
                    )],
                    extra: Default::default(),
                })
            }
        }
    }
}

fn ops(area: Area) -> impl Iterator<Item = Op> {
    ALL_OPS.into_iter().filter(move |op| op.area() == area)
}

// ---------------------------------------------------------------------------
// Request bodies (the spec's examples where it has them)
// ---------------------------------------------------------------------------

fn device_settings_body() -> ZeroTrustAccountDeviceSettings {
    ZeroTrustAccountDeviceSettings {
        disable_for_time: Some(3600.into()),
        external_emergency_signal_enabled: Some(false),
        external_emergency_signal_fingerprint: Some(
            "abcd1234abcd1234abcd1234abcd1234abcd1234abcd1234abcd1234abcd1234".into(),
        ),
        external_emergency_signal_interval: Some("5m0s".into()),
        external_emergency_signal_url: Some("https://192.0.2.1/signal".into()),
        gateway_proxy_enabled: Some(true),
        gateway_udp_proxy_enabled: Some(true),
        root_certificate_installation_enabled: Some(true),
        use_zt_virtual_ip: Some(true),
        extra: Default::default(),
    }
}

fn configuration_body() -> GatewayAccountSettingsRequest {
    GatewayAccountSettingsRequest {
        settings: Some(GatewayAccountSettingsRequestSettings {
            activity_log: Some(ActivityLogSettings {
                enabled: Some(true),
                ..Default::default()
            }),
            antivirus: Some(antivirus_example()),
            block_page: Some(BlockPageSettings {
                background_color: Some("#ff8800".into()),
                enabled: Some(true),
                footer_text: Some("--footer--".into()),
                header_text: Some("--header--".into()),
                include_context: Some(true),
                logo_path: Some("https://logos.com/a.png".into()),
                mailto_address: Some("admin@example.com".into()),
                mailto_subject: Some("Blocked User Inquiry".into()),
                mode: Some("customized_block_page".into()),
                name: Some("Cloudflare".into()),
                suppress_footer: Some(false),
                target_uri: Some("https://blocked.example.com".into()),
                ..Default::default()
            }),
            body_scanning: Some(BodyScanningSettings {
                inspection_mode: Some("deep".into()),
                ..Default::default()
            }),
            browser_isolation: Some(BrowserIsolationSettings {
                non_identity_enabled: Some(true),
                url_browser_isolation_enabled: Some(true),
                ..Default::default()
            }),
            certificate: Some(CertificateSettings {
                id: "d1b364c5-1311-466e-a194-f0e943e0799f".into(),
                extra: Default::default(),
            }),
            custom_certificate: Some(CustomCertificateSettingsRequest {
                enabled: true,
                id: Some("d1b364c5-1311-466e-a194-f0e943e0799f".into()),
                extra: Default::default(),
            }),
            extended_email_matching: Some(ExtendedEmailMatching {
                enabled: Some(true),
                ..Default::default()
            }),
            fips: Some(FipsSettings {
                tls: Some(true),
                ..Default::default()
            }),
            host_selector: Some(HostSelectorSettings {
                enabled: Some(false),
                ..Default::default()
            }),
            inspection: Some(InspectionSettings {
                mode: Some("static".into()),
                ..Default::default()
            }),
            protocol_detection: Some(ProtocolDetection {
                enabled: Some(true),
                ..Default::default()
            }),
            sandbox: Some(SandboxSettings {
                enabled: Some(true),
                fallback_action: Some("allow".into()),
                ..Default::default()
            }),
            tls_decrypt: Some(TlsSettings {
                enabled: Some(true),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// PATCH changes one sub-collection (anti-virus).
fn configuration_patch() -> GatewayAccountSettingsRequest {
    GatewayAccountSettingsRequest {
        settings: Some(GatewayAccountSettingsRequestSettings {
            antivirus: Some(antivirus_example()),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn antivirus_example() -> AntiVirusSettings {
    AntiVirusSettings {
        enabled_download_phase: Some(false),
        enabled_upload_phase: Some(false),
        fail_closed: Some(false),
        notification_settings: Some(NotificationSettings {
            enabled: Some(true),
            include_context: Some(true),
            msg: Some("Scanning your file".into()),
            support_url: Some("https://support.example.com/av".into()),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn logging_body() -> GatewayAccountLoggingSettings {
    GatewayAccountLoggingSettings {
        redact_pii: Some(true),
        settings_by_rule_type: Some(LoggingByRuleType {
            dns: Some(DnsLogging {
                log_all: Some(false),
                log_blocks: Some(true),
                ..Default::default()
            }),
            http: Some(HttpLogging {
                log_all: Some(false),
                log_blocks: Some(true),
                ..Default::default()
            }),
            l4: Some(L4Logging {
                log_all: Some(false),
                log_blocks: Some(true),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn api_shield_body() -> Configuration {
    Configuration {
        auth_id_characteristics: vec![
            AuthIdCharacteristicsItem::AuthIdCharacteristic(AuthIdCharacteristic {
                name: "authorization".into(),
                r#type: AuthIdCharacteristicType::Header,
                extra: Default::default(),
            }),
            AuthIdCharacteristicsItem::AuthIdCharacteristicJwtClaim(AuthIdCharacteristicJwtClaim {
                name: "e0de1a3a-8c2c-4f90-98d8-cbdf0a3f2cb5:$.foo.bar[0].baz".into(),
                r#type: AuthIdCharacteristicJwtClaimType::Jwt,
                extra: Default::default(),
            }),
        ],
        extra: Default::default(),
    }
}

/// The configuration result of Prism's static mode.
fn configuration_example() -> ZeroTrustAccountConfigurationResult {
    let string = || Some("string".to_owned());
    let certificate_id = || Some("d1b364c5-1311-466e-a194-f0e943e0799f".to_owned());
    ZeroTrustAccountConfigurationResult {
        created_at: Some("2014-01-01T05:20:00.12345Z".into()),
        updated_at: Some("2014-01-01T05:20:00.12345Z".into()),
        settings: Some(ZeroTrustAccountConfigurationResultSettings {
            activity_log: Some(ActivityLogSettings {
                enabled: Some(true),
                extra: Default::default(),
            }),
            antivirus: Some(AntiVirusSettings {
                enabled_download_phase: Some(false),
                enabled_upload_phase: Some(false),
                fail_closed: Some(false),
                notification_settings: Some(NotificationSettings {
                    enabled: Some(true),
                    include_context: Some(true),
                    msg: string(),
                    support_url: string(),
                    extra: Default::default(),
                }),
                extra: Default::default(),
            }),
            block_page: Some(BlockPageSettings {
                background_color: string(),
                enabled: Some(true),
                footer_text: Some("--footer--".into()),
                header_text: Some("--header--".into()),
                include_context: Some(true),
                logo_path: Some("https://logos.com/a.png".into()),
                mailto_address: Some("admin@example.com".into()),
                mailto_subject: Some("Blocked User Inquiry".into()),
                mode: string(),
                name: Some("Cloudflare".into()),
                read_only: Some(true),
                source_account: string(),
                suppress_footer: Some(false),
                target_uri: string(),
                version: Some(0),
                extra: Default::default(),
            }),
            body_scanning: Some(BodyScanningSettings {
                inspection_mode: Some("deep".into()),
                extra: Default::default(),
            }),
            browser_isolation: Some(BrowserIsolationSettings {
                non_identity_enabled: Some(true),
                url_browser_isolation_enabled: Some(true),
                extra: Default::default(),
            }),
            certificate: Some(CertificateSettings {
                id: "d1b364c5-1311-466e-a194-f0e943e0799f".into(),
                extra: Default::default(),
            }),
            custom_certificate: Some(CustomCertificateSettings {
                binding_status: Some("pending_deployment".into()),
                enabled: true,
                id: certificate_id(),
                updated_at: Some("2019-08-24T14:15:22Z".into()),
                extra: Default::default(),
            }),
            extended_email_matching: Some(ExtendedEmailMatching {
                enabled: Some(true),
                read_only: Some(true),
                source_account: string(),
                version: Some(0),
                extra: Default::default(),
            }),
            fips: Some(FipsSettings {
                tls: Some(true),
                extra: Default::default(),
            }),
            host_selector: Some(HostSelectorSettings {
                enabled: Some(true),
                extra: Default::default(),
            }),
            inspection: Some(InspectionSettings {
                mode: string(),
                extra: Default::default(),
            }),
            protocol_detection: Some(ProtocolDetection {
                enabled: Some(true),
                extra: Default::default(),
            }),
            sandbox: Some(SandboxSettings {
                enabled: Some(true),
                fallback_action: string(),
                extra: Default::default(),
            }),
            tls_decrypt: Some(TlsSettings {
                enabled: Some(true),
                extra: Default::default(),
            }),
            extra: Default::default(),
        }),
        extra: Default::default(),
    }
}

// ---------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------

#[test]
fn static_mode_zero_trust_accounts_decode_the_spec_examples() {
    if !prism_can_run("static_mode_zero_trust_accounts_decode_the_spec_examples") {
        return;
    }
    static_mode(Area::ZeroTrustAccounts);
}

#[test]
fn static_mode_api_shield_settings_decode_the_spec_examples() {
    if !prism_can_run("static_mode_api_shield_settings_decode_the_spec_examples") {
        return;
    }
    static_mode(Area::ApiShieldSettings);
}

#[test]
fn dynamic_mode_zero_trust_accounts_decode_invented_responses() {
    if !prism_can_run("dynamic_mode_zero_trust_accounts_decode_invented_responses") {
        return;
    }
    dynamic_mode(Area::ZeroTrustAccounts);
}

#[test]
fn dynamic_mode_api_shield_settings_decode_invented_responses() {
    if !prism_can_run("dynamic_mode_api_shield_settings_decode_invented_responses") {
        return;
    }
    dynamic_mode(Area::ApiShieldSettings);
}

/// The harness itself: a request that breaks the spec (a wrong type in the
/// body; credentials the operation doesn't accept) is answered with an
/// error carrying Prism's complaint, and shows in Prism's log, so the
/// checks above can't pass by not looking.
#[test]
fn prism_rejects_requests_that_break_the_spec() {
    if !prism_can_run("prism_rejects_requests_that_break_the_spec") {
        return;
    }
    let prism = Prism::start(&merged_spec(), Mode::Static);
    let key_client = client(&prism, Credentials::api_email(EMAIL).with_api_key(API_KEY));
    let token_client = client(&prism, Credentials::api_token(API_TOKEN));

    let (bad_body, bad_auth) = runtime().block_on(async {
        let mut body = configuration_patch();
        let settings = body.settings.as_mut().expect("settings");
        let mut fips = FipsSettings::default();
        fips.extra.insert("tls".into(), Value::from("yes"));
        settings.fips = Some(fips);
        let bad_body = key_client
            .zero_trust()
            .gateway()
            .configuration()
            .edit(ACCOUNT_ID, &body)
            .await;
        // The escape hatch without `.security(..)` sends whatever
        // credentials the client has: here a token, which this operation
        // does not accept.
        let bad_auth = token_client
            .runtime()
            .call(
                Method::GET,
                "/accounts/{account_id}/gateway",
                decode::envelope::<Value>,
            )
            .path_param("account_id", ACCOUNT_ID)
            .await;
        (bad_body, bad_auth)
    });

    let error = bad_body.expect_err("Prism must reject `settings.fips.tls: \"yes\"`");
    let report = describe_error(&error);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(422), "{report}");
    assert!(
        report.contains("settings.fips.tls must be boolean"),
        "Prism's complaint is missing from the report: {report}"
    );

    let error = bad_auth.expect_err("Prism must reject a token for an email + key operation");
    let report = describe_error(&error);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401), "{report}");
    assert!(
        report.contains("Invalid security scheme used"),
        "Prism's complaint is missing from the report: {report}"
    );

    let log = prism.scan_log();
    let joined = log.request_violations.join("\n");
    assert!(
        joined.contains("patch /accounts/699d98642c564d2e855e9661899b7252/gateway/configuration")
            && joined.contains("settings.fips.tls must be boolean"),
        "the log scan missed the body violation:\n{joined}\n--- log ---\n{}",
        prism.log_text()
    );
    assert!(
        joined.contains("get /accounts/699d98642c564d2e855e9661899b7252/gateway:")
            && joined.contains("Invalid security scheme used"),
        "the log scan missed the security violation:\n{joined}"
    );
}

/// Calls each operation of `area` once against static Prism: each must
/// answer 2xx with no violation, hold everything in its types (nothing in
/// an `extra` map or `Unknown` variant), and equal the spec's example
/// exactly.
fn static_mode(area: Area) {
    let prism = Prism::start(&merged_spec(), Mode::Static);
    let client = client(&prism, Credentials::api_email(EMAIL).with_api_key(API_KEY));
    let started = Instant::now();

    let mut failures = Vec::new();
    let mut passed = Vec::new();
    runtime().block_on(async {
        for op in ops(area) {
            match op.call(&client).await {
                Ok((decoded, headers)) => {
                    if let Some(violations) = request_violations_header(&headers) {
                        failures.push(format!(
                            "{}: Prism answered 2xx but reported request violations: {violations}",
                            op.operation_id()
                        ));
                        continue;
                    }
                    let unknown = decoded.unknown_paths();
                    if !unknown.is_empty() {
                        failures.push(format!(
                            "{}: decoded, but the types did not hold {unknown:?} (in `extra` or `Unknown`)",
                            op.operation_id()
                        ));
                        continue;
                    }
                    let expected = op.static_example();
                    if decoded == expected {
                        passed.push(op.operation_id());
                    } else {
                        failures.push(format!(
                            "{}: decoded, but not into the spec's example\n  decoded:  {decoded:?}\n  expected: {expected:?}",
                            op.operation_id()
                        ));
                    }
                }
                Err(error) => failures.push(format!(
                    "{}: {}",
                    op.operation_id(),
                    describe_error(&error)
                )),
            }
        }
    });

    let log = prism.scan_log();
    for violation in counted(&log.request_violations) {
        failures.push(format!("Prism's log: request violation: {violation}"));
    }
    let own: Vec<String> = log
        .response_violations
        .iter()
        .chain(&log.terminated)
        .cloned()
        .collect();
    for violation in counted(&own) {
        failures.push(format!(
            "Prism's log: Prism's own example breaks the spec: {violation}"
        ));
    }
    println!(
        "static mode, {area:?}: {} of {} operations decoded the spec's examples in {:.1?}",
        passed.len(),
        ops(area).count(),
        started.elapsed()
    );
    assert!(
        failures.is_empty(),
        "static mode, {area:?}: {} problem(s) ({} operation(s) passed: {passed:?}):\n\n{}",
        failures.len(),
        passed.len(),
        failures.join("\n\n")
    );
}

/// Calls each operation of `area` against dynamic Prism until
/// `DYNAMIC_DECODES` of its invented responses have decoded strictly
/// (nothing in an `extra` map or `Unknown` variant). Every 2xx must
/// decode so; a 500 in which Prism (`--errors`) reports that its own invented
/// response breaks the spec is skipped and counted.
fn dynamic_mode(area: Area) {
    let mut spec = merged_spec();
    let rewritten = strip_named_groups(&mut spec);
    let prism = Prism::start(&spec, Mode::Dynamic);
    let client = client(&prism, Credentials::api_email(EMAIL).with_api_key(API_KEY));
    let started = Instant::now();

    let mut failures = Vec::new();
    let mut summary = String::new();
    runtime().block_on(async {
        for op in ops(area) {
            let (mut calls, mut decoded, mut invented_invalid, mut failed) = (0, 0, 0, 0);
            while decoded < DYNAMIC_DECODES
                && calls < DYNAMIC_MAX_CALLS
                && started.elapsed() < DYNAMIC_BUDGET
            {
                calls += 1;
                let problem = match op.call(&client).await {
                    Ok((value, headers)) => match request_violations_header(&headers) {
                        // Strict: the invented answer must fit the types whole.
                        None if value.unknown_paths().is_empty() => {
                            decoded += 1;
                            continue;
                        }
                        None => format!(
                            "decoded, but the types did not hold {:?} (in `extra` or `Unknown`)",
                            value.unknown_paths()
                        ),
                        Some(violations) => format!(
                            "Prism answered 2xx but reported request violations: {violations}"
                        ),
                    },
                    Err(Error::Api(api)) if prism_invented_an_invalid_response(&api) => {
                        invented_invalid += 1;
                        continue;
                    }
                    Err(error) => describe_error(&error),
                };
                failed += 1;
                if failed <= REPORTED_FAILURES {
                    failures.push(format!("{} (call {calls}): {problem}", op.operation_id()));
                }
                if failed >= 2 * REPORTED_FAILURES && decoded == 0 {
                    break; // It never works: no point in going on.
                }
            }
            let _ = writeln!(
                summary,
                "  {}: {decoded} decoded, {failed} failed, {invented_invalid} skipped \
                 (Prism's own response broke the spec) in {calls} calls",
                op.operation_id()
            );
            if failed > REPORTED_FAILURES {
                failures.push(format!(
                    "{}: {} more failure(s) like the above",
                    op.operation_id(),
                    failed - REPORTED_FAILURES
                ));
            }
            if decoded < DYNAMIC_DECODES {
                failures.push(format!(
                    "{}: only {decoded} of the {DYNAMIC_DECODES} wanted responses decoded \
                     ({calls} calls, {failed} failed, {invented_invalid} invalid inventions \
                     of Prism's; {:.1?} elapsed of the {DYNAMIC_BUDGET:?} budget)",
                    op.operation_id(),
                    started.elapsed()
                ));
            }
        }
    });

    let log = prism.scan_log();
    for violation in counted(&log.request_violations) {
        failures.push(format!("Prism's log: request violation: {violation}"));
    }
    println!(
        "dynamic mode, {area:?}, {:.1?} ({} invented responses Prism flagged as breaking \
         the spec; patterns rewritten for Prism: {rewritten:?}):\n{summary}",
        started.elapsed(),
        log.response_violations.len() + log.terminated.len(),
    );
    assert!(
        failures.is_empty(),
        "dynamic mode, {area:?}: {} problem(s)\n{summary}\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

// ---------------------------------------------------------------------------
// Reporting
// ---------------------------------------------------------------------------

/// Everything about a failed call that says why: for an API error the
/// status, Prism's `sl-violations` and the raw body; for a decode error
/// the JSON path, the message and the raw body.
fn describe_error(error: &Error) -> String {
    match error {
        Error::Api(api) => format!(
            "HTTP {}; Prism's complaint (sl-violations): {}; body: {}",
            api.status,
            api.headers
                .get("sl-violations")
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .unwrap_or_else(|| "(none)".into()),
            body_text(&api.body)
        ),
        Error::Decode(decode) => format!(
            "the client could not decode the response (HTTP {}) at `{}`: {}; body: {}",
            decode.status,
            decode.path,
            decode.message,
            body_text(&decode.body)
        ),
        other => format!("{other} ({other:?})"),
    }
}

/// The distinct lines, in order of first appearance, each with how often it
/// came (`(2 times)`) when more than once.
fn counted(lines: &[String]) -> Vec<String> {
    let mut distinct: Vec<(&String, usize)> = Vec::new();
    for line in lines {
        match distinct.iter_mut().find(|(seen, _)| *seen == line) {
            Some((_, count)) => *count += 1,
            None => distinct.push((line, 1)),
        }
    }
    distinct
        .into_iter()
        .map(|(line, count)| match count {
            1 => line.clone(),
            _ => format!("{line} ({count} times)"),
        })
        .collect()
}

fn body_text(body: &[u8]) -> String {
    const LIMIT: usize = 8_000;
    let text = String::from_utf8_lossy(body);
    if text.len() <= LIMIT {
        text.into_owned()
    } else {
        let mut end = LIMIT;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}... ({} bytes in all)", &text[..end], text.len())
    }
}

/// Prism's `sl-violations` header when it names a problem with the request.
fn request_violations_header(headers: &HeaderMap) -> Option<String> {
    let value = headers.get("sl-violations")?;
    let text = String::from_utf8_lossy(value.as_bytes()).into_owned();
    let about_request = match serde_json::from_str::<Value>(&text) {
        Ok(Value::Array(items)) => items
            .iter()
            .any(|item| item.pointer("/location/0").and_then(Value::as_str) == Some("request")),
        _ => true,
    };
    about_request.then_some(text)
}

/// Whether this is Prism's `--errors` answer to a response it invented that
/// breaks the spec (and nothing about the request).
fn prism_invented_an_invalid_response(api: &cloudflare_api::ApiError) -> bool {
    if api.status.as_u16() != 500 {
        return false;
    }
    let Ok(body) = serde_json::from_slice::<Value>(&api.body) else {
        return false;
    };
    let is_violations = body
        .get("type")
        .and_then(Value::as_str)
        .is_some_and(|t| t.ends_with("#VIOLATIONS"));
    let locations: Vec<&str> = body
        .get("validation")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item.pointer("/location/0").and_then(Value::as_str))
                .collect()
        })
        .unwrap_or_default();
    is_violations && !locations.is_empty() && locations.iter().all(|l| *l == "response")
}

// ---------------------------------------------------------------------------
// Spec, client, runtime
// ---------------------------------------------------------------------------

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The merged document of `specs/`, as `cargo xtask merge` writes it.
fn merged_spec() -> Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        let specs = manifest_dir().join("../specs");
        match apigen::merged_document(std::slice::from_ref(&specs)) {
            Ok(document) => document,
            Err(diagnostics) => panic!(
                "could not merge {}:\n{}",
                specs.display(),
                diagnostics
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
        }
    })
    .clone()
}

/// Rewrites named groups `(?<name>...)` in `pattern`s as plain groups
/// `(...)`, which match the same strings. Prism's dynamic mode
/// (json-schema-faker's regex generator) can't produce a string for a
/// pattern with named groups, and then gives up on the whole enclosing
/// object (API Shield's `result` comes out as `null`, a string or an
/// array, never the object the spec asks for). Returns the patterns
/// rewritten.
fn strip_named_groups(value: &mut Value) -> Vec<String> {
    let mut rewritten = Vec::new();
    rewrite_patterns(value, &mut rewritten);
    rewritten
}

fn rewrite_patterns(value: &mut Value, rewritten: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "pattern" {
                    if let Value::String(pattern) = child {
                        if let Some(plain) = without_named_groups(pattern) {
                            rewritten.push(pattern.clone());
                            *pattern = plain;
                        }
                        continue;
                    }
                }
                rewrite_patterns(child, rewritten);
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| rewrite_patterns(item, rewritten)),
        _ => {}
    }
}

/// `pattern` with each `(?<name>` turned into `(`; `None` when it has no
/// named group, or refers to one (`\k<name>`), which can't be rewritten.
fn without_named_groups(pattern: &str) -> Option<String> {
    if pattern.contains("\\k<") {
        return None;
    }
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    let mut changed = false;
    while let Some(start) = rest.find("(?<") {
        let (before, from) = rest.split_at(start);
        let escaped = before.chars().rev().take_while(|c| *c == '\\').count() % 2 == 1;
        let name_len = from[3..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
            .unwrap_or(from.len() - 3);
        let is_named = !escaped && name_len > 0 && from[3 + name_len..].starts_with('>');
        out.push_str(before);
        if is_named {
            out.push('(');
            rest = &from[3 + name_len + 1..];
            changed = true;
        } else {
            out.push_str(&from[..3]);
            rest = &from[3..];
        }
    }
    out.push_str(rest);
    changed.then_some(out)
}

fn client(prism: &Prism, credentials: Credentials) -> Client {
    Client::builder()
        .base_url(prism.url.clone())
        .credentials(credentials)
        // A 5xx from Prism is a verdict, not a hiccup: never retry.
        .max_retries(0)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("the client builds")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime")
}

// ---------------------------------------------------------------------------
// Finding and installing Prism
// ---------------------------------------------------------------------------

/// Prism's executable: `PRISM_BIN`, else `tests/prism/node_modules/.bin/prism`,
/// installed with `npm ci` first if it is missing or not the pinned version.
/// Done once per test process.
fn prism_bin() -> PathBuf {
    static BIN: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match BIN.get_or_init(locate_or_install_prism) {
        Ok(bin) => bin.clone(),
        Err(message) => panic!("{message}"),
    }
}

fn locate_or_install_prism() -> Result<PathBuf, String> {
    if let Some(bin) = std::env::var_os("PRISM_BIN").filter(|bin| !bin.is_empty()) {
        return Ok(PathBuf::from(bin));
    }
    let dir = manifest_dir().join("prism");
    let pinned = pinned_prism_version(&dir)?;
    let bin = dir.join("node_modules/.bin/prism");
    if installed_prism_version(&dir.join("node_modules")).as_deref() == Some(&*pinned)
        && bin.exists()
    {
        return Ok(bin);
    }
    install_prism(&dir, &pinned)?;
    if bin.exists() {
        Ok(bin)
    } else {
        Err(format!(
            "`npm ci` in {} did not produce {}",
            dir.display(),
            bin.display()
        ))
    }
}

/// The version of `@stoplight/prism-cli` that `tests/prism/package.json` pins.
fn pinned_prism_version(dir: &Path) -> Result<String, String> {
    let path = dir.join("package.json");
    let text = fs::read_to_string(&path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    let manifest: Value = serde_json::from_str(&text)
        .map_err(|error| format!("{} is not JSON: {error}", path.display()))?;
    manifest
        .pointer("/devDependencies/@stoplight~1prism-cli")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| {
            format!(
                "{} has no devDependencies.@stoplight/prism-cli",
                path.display()
            )
        })
}

fn installed_prism_version(node_modules: &Path) -> Option<String> {
    let text = fs::read_to_string(node_modules.join("@stoplight/prism-cli/package.json")).ok()?;
    let manifest: Value = serde_json::from_str(&text).ok()?;
    manifest.get("version")?.as_str().map(str::to_owned)
}

/// Runs `npm ci` in a private staging directory next to `node_modules`,
/// then renames its `node_modules` into place. The rename is atomic, so
/// tests (or `cargo test` runs) installing at the same time don't disturb
/// each other: the first rename wins and the others see a complete install.
fn install_prism(dir: &Path, pinned: &str) -> Result<(), String> {
    let staging = dir.join(format!("node_modules.staging-{}", unique_suffix()));
    fs::create_dir(&staging)
        .map_err(|error| format!("cannot create {}: {error}", staging.display()))?;
    let _cleanup = RemoveOnDrop(staging.clone());
    for file in ["package.json", "package-lock.json"] {
        fs::copy(dir.join(file), staging.join(file))
            .map_err(|error| format!("cannot copy {file} to {}: {error}", staging.display()))?;
    }

    let npm = std::env::var_os("NPM").unwrap_or_else(|| "npm".into());
    let log_path = staging.join("npm.log");
    let log = File::create(&log_path).map_err(|error| error.to_string())?;
    let mut command = Command::new(&npm);
    command
        .args(["ci", "--no-audit", "--no-fund", "--ignore-scripts"])
        .current_dir(&staging)
        .stdin(Stdio::null())
        .stdout(log.try_clone().map_err(|error| error.to_string())?)
        .stderr(log);
    eprintln!(
        "prism: installing @stoplight/prism-cli {pinned} with `npm ci` in {}",
        dir.display()
    );
    let started = Instant::now();
    let mut child = command.spawn().map_err(|error| {
        format!(
            "cannot run `{} ci` to install Prism ({error}); install Node.js and npm, or set \
             PRISM_BIN to a Prism executable",
            npm.to_string_lossy()
        )
    })?;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > NPM_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "`npm ci` took longer than {NPM_TIMEOUT:?}:\n{}",
                    fs::read_to_string(&log_path).unwrap_or_default()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(200)),
            Err(error) => return Err(format!("waiting for `npm ci`: {error}")),
        }
    };
    if !status.success() {
        return Err(format!(
            "`npm ci` in {} failed ({status}):\n{}",
            staging.display(),
            fs::read_to_string(&log_path).unwrap_or_default()
        ));
    }
    let fresh = staging.join("node_modules");
    if installed_prism_version(&fresh).as_deref() != Some(pinned) {
        return Err(format!(
            "`npm ci` did not install @stoplight/prism-cli {pinned}: is package-lock.json in \
             step with package.json?"
        ));
    }
    eprintln!("prism: installed in {:.1?}", started.elapsed());

    let target = dir.join("node_modules");
    for _ in 0..3 {
        let error = match fs::rename(&fresh, &target) {
            Ok(()) => return Ok(()),
            Err(error) => error,
        };
        if installed_prism_version(&target).as_deref() == Some(pinned)
            && target.join(".bin/prism").exists()
        {
            return Ok(()); // Another process installed it first.
        }
        if !target.exists() {
            return Err(format!(
                "cannot move {} to {}: {error}",
                fresh.display(),
                target.display()
            ));
        }
        // An old or broken install: move it aside (atomically), then retry.
        let aside = dir.join(format!("node_modules.old-{}", unique_suffix()));
        if fs::rename(&target, &aside).is_ok() {
            let _ = fs::remove_dir_all(&aside);
        }
    }
    Err(format!(
        "could not put a Prism install at {}",
        target.display()
    ))
}

fn unique_suffix() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!("{}-{nanos}", std::process::id())
}

struct RemoveOnDrop(PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

// ---------------------------------------------------------------------------
// Running Prism
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// Answers with the spec's examples.
    Static,
    /// `-d`: invents responses from the schemas.
    Dynamic,
}

/// A running `prism mock`. Dropping it kills Prism. A watchdog process
/// also kills it when this test process ends without dropping it (killed,
/// aborted): it waits for the end of a pipe only this process holds.
struct Prism {
    url: String,
    child: Child,
    watchdog: Option<Child>,
    log_path: PathBuf,
    /// Where the log stood once Prism answered (requests come after it).
    log_start: usize,
    _dir: tempfile::TempDir,
}

enum Startup {
    Ready,
    PortTaken,
}

impl Prism {
    fn start(spec: &Value, mode: Mode) -> Prism {
        let bin = prism_bin();
        let mut last_log = String::new();
        for _attempt in 0..5 {
            let dir = tempfile::Builder::new()
                .prefix("prism-contract-")
                .tempdir()
                .expect("a temporary directory");
            let spec_path = dir.path().join("openapi.json");
            fs::write(
                &spec_path,
                serde_json::to_vec_pretty(spec).expect("the spec serializes"),
            )
            .expect("the spec is written");
            let log_path = dir.path().join("prism.log");
            let log = File::create(&log_path).expect("the log file is created");
            let port = free_port();

            let mut command = Command::new(&bin);
            command
                .arg("mock")
                .arg(&spec_path)
                .args(["--host", "127.0.0.1", "--port", &port.to_string()])
                .arg("--errors");
            if mode == Mode::Dynamic {
                // Without this, Prism invents properties the description
                // does not declare (its schemas allow them), which the
                // strict check would rightly find in `extra`: the test is
                // about the declared ones.
                command.args(["--dynamic", "--json-schema-faker-fillProperties=false"]);
            }
            command
                .env("NO_COLOR", "1")
                .env("FORCE_COLOR", "0")
                .stdin(Stdio::null())
                .stdout(log.try_clone().expect("the log file"))
                .stderr(log);
            let child = command
                .spawn()
                .unwrap_or_else(|error| panic!("cannot start Prism ({}): {error}", bin.display()));
            let watchdog = watchdog_for(child.id());
            let mut prism = Prism {
                url: format!("http://127.0.0.1:{port}"),
                child,
                watchdog,
                log_path,
                log_start: 0,
                _dir: dir,
            };
            match prism.wait_until_ready(port) {
                Ok(Startup::Ready) => {
                    prism.log_start = prism.log_text().len();
                    return prism;
                }
                Ok(Startup::PortTaken) => last_log = prism.log_text(),
                Err(message) => panic!("{message}"),
            }
        }
        panic!("Prism found no free port in 5 attempts; its last log:\n{last_log}");
    }

    fn wait_until_ready(&mut self, port: u16) -> Result<Startup, String> {
        let started = Instant::now();
        let listening = format!("Prism is listening on http://127.0.0.1:{port}");
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                let log = self.log_text();
                if log.contains("EADDRINUSE") {
                    return Ok(Startup::PortTaken);
                }
                return Err(format!("Prism exited ({status}) while starting:\n{log}"));
            }
            if self.log_text().contains(&listening) && http_answers(port) {
                return Ok(Startup::Ready);
            }
            if started.elapsed() > STARTUP_TIMEOUT {
                return Err(format!(
                    "Prism did not answer on port {port} within {STARTUP_TIMEOUT:?}:\n{}",
                    self.log_text()
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn log_text(&self) -> String {
        let mut text = String::new();
        if let Ok(mut file) = File::open(&self.log_path) {
            let mut bytes = Vec::new();
            let _ = file.read_to_end(&mut bytes);
            text = String::from_utf8_lossy(&bytes).into_owned();
        }
        text
    }

    /// Prism's log of the requests so far, once it has stopped growing,
    /// split into violations of requests and of Prism's own responses, each
    /// labelled with the request (`get /accounts/...`).
    fn scan_log(&self) -> LogScan {
        /// The request `http_answers` sends; Prism answers it with a 404.
        const PROBE: &str = "get /";
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut last_len = usize::MAX;
        let mut text = self.log_text();
        while text.len() != last_len && Instant::now() < deadline {
            last_len = text.len();
            std::thread::sleep(Duration::from_millis(300));
            text = self.log_text();
        }
        let mut scan = LogScan::default();
        let mut request = String::from("(before any request)");
        for line in text.get(self.log_start..).unwrap_or_default().lines() {
            if let Some(at) = line.find("[HTTP SERVER] ") {
                let words: Vec<&str> = line[at + 14..].split_whitespace().take(2).collect();
                let label = words.join(" ");
                if line.contains("Request received") {
                    request = label;
                } else if line.contains("Request terminated with error") && label != PROBE {
                    let detail = line
                        .find("Request terminated")
                        .map_or(line, |at| &line[at..]);
                    scan.terminated.push(format!("{label}: {detail}"));
                }
                continue;
            }
            if request == PROBE {
                continue;
            }
            let detail = line
                .find("[VALIDATOR]")
                .map_or(line, |at| line[at + 11..].trim());
            if line.contains("Violation: request")
                || line.contains("Request did not pass the validation rules")
            {
                scan.request_violations.push(format!("{request}: {detail}"));
            } else if line.contains("Violation: response") {
                scan.response_violations
                    .push(format!("{request}: {detail}"));
            }
        }
        scan
    }
}

#[derive(Debug, Default)]
struct LogScan {
    /// Requests that broke the spec.
    request_violations: Vec<String>,
    /// Responses (Prism's own) that broke the spec, without `--errors`.
    response_violations: Vec<String>,
    /// Requests Prism answered with an error of its own (with `--errors`:
    /// a violation of the request or of Prism's own response).
    terminated: Vec<String>,
}

impl Drop for Prism {
    fn drop(&mut self) {
        // The watchdog first, so that it can't act on a recycled pid.
        if let Some(mut watchdog) = self.watchdog.take() {
            let _ = watchdog.kill();
            let _ = watchdog.wait();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A `sh` that kills `pid` once its standard input, a pipe whose writing end
/// only this process holds, reaches its end: when this process exits, however
/// it exits. `None` if it can't be started (Drop still kills Prism).
fn watchdog_for(pid: u32) -> Option<Child> {
    Command::new("sh")
        .args([
            "-c",
            r#"read -r _unused; kill -KILL "$1" 2>/dev/null; exit 0"#,
            "prism-watchdog",
        ])
        .arg(pid.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()
}

/// A port on 127.0.0.1 that was free a moment ago.
fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port on 127.0.0.1")
}

/// Whether an HTTP server answers on 127.0.0.1:`port`.
fn http_answers(port: u16) -> bool {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let Ok(mut stream) = TcpStream::connect_timeout(&address, Duration::from_secs(2)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
    if stream
        .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut head = [0u8; 7];
    stream.read_exact(&mut head).is_ok() && &head == b"HTTP/1."
}

#[test]
fn named_groups_are_rewritten_as_plain_groups() {
    assert_eq!(
        without_named_groups(r"^(?<token_config_id>[a-z0-9\-]{32,36}):\$(?<json_path>.*?)$")
            .as_deref(),
        Some(r"^([a-z0-9\-]{32,36}):\$(.*?)$")
    );
    assert_eq!(without_named_groups(r"^(?<=a)b(?<!c)$"), None);
    assert_eq!(without_named_groups(r"^\(?<x>$"), None);
    assert_eq!(without_named_groups(r"^(?<x>a)\k<x>$"), None);
    assert_eq!(without_named_groups("^[a-z]+$"), None);
}

// ---------------------------------------------------------------------------
// Proofs that can fail: the strict harnesses (`--example-tests`,
// `--contract-tests`) of a crate generated from `specs/`, run intact, with a
// planted bug, and with wrong known-error files.
// ---------------------------------------------------------------------------

/// The crate generated from `specs/` with both harnesses, written to `dir`.
fn write_crate_with_proofs(dir: &Path) {
    let root = manifest_dir().join("..");
    // The manifest names the runtime by version; this checkout's stands in.
    let config = dir.join(".cargo");
    fs::create_dir_all(&config).expect("a directory");
    fs::write(
        config.join("config.toml"),
        format!(
            "[patch.crates-io]\napigen-runtime = {{ path = {:?} }}\n",
            root.join("generator/runtime").display().to_string()
        ),
    )
    .expect("written");
    let settings = apigen::CrateSettings::new("proofs-fixture");
    let options = apigen::Options {
        example_tests: true,
        contract_tests: true,
        ..apigen::Options::new(vec![root.join("specs")], settings)
    };
    let generated = apigen::generate(&options).expect("specs/ generates");
    for (path, text) in &generated.files {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().expect("a parent")).expect("a directory");
        fs::write(path, text).expect("written");
    }
}

/// Runs the crate's harnesses against `prism` with these known-error files
/// (`None`: none); whether they passed, and their output.
fn run_proofs(
    dir: &Path,
    prism: &Prism,
    examples: Option<&Path>,
    contract: Option<&Path>,
) -> (bool, String) {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command
        .args([
            "test",
            "--quiet",
            "--lib",
            "--",
            "--nocapture",
            "--test-threads=1",
        ])
        .current_dir(dir)
        // Kept between runs: only the fixture crate is rebuilt.
        .env(
            "CARGO_TARGET_DIR",
            manifest_dir().join("../target/proofs-fixture"),
        )
        .env("APIGEN_PRISM_URL", &prism.url)
        .env_remove("APIGEN_KNOWN_EXAMPLE_ERRORS")
        .env_remove("APIGEN_KNOWN_CONTRACT_ERRORS");
    if let Some(path) = examples {
        command.env("APIGEN_KNOWN_EXAMPLE_ERRORS", path);
    }
    if let Some(path) = contract {
        command.env("APIGEN_KNOWN_CONTRACT_ERRORS", path);
    }
    let output = command.output().expect("cargo runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

/// The number after `label` in the harness output (`examples: 12 of 14`).
fn count_after(text: &str, label: &str) -> usize {
    let start = text
        .find(label)
        .unwrap_or_else(|| panic!("`{label}` not in the output:\n{text}"))
        + label.len();
    text[start..]
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .expect("a count")
}

#[test]
fn strict_proofs_pass_intact_and_fail_on_a_planted_bug_a_stale_entry_or_a_wrong_excuse() {
    if !prism_can_run(
        "strict_proofs_pass_intact_and_fail_on_a_planted_bug_a_stale_entry_or_a_wrong_excuse",
    ) {
        return;
    }
    let work = tempfile::tempdir().expect("a temporary directory");
    let intact = work.path().join("intact");
    write_crate_with_proofs(&intact);
    let prism = Prism::start(&merged_spec(), Mode::Static);
    let file = |name: &str, text: String| {
        let path = work.path().join(name);
        fs::write(&path, text).expect("written");
        path
    };

    // Intact: every example round-trips strictly and every area passes.
    let (ok, out) = run_proofs(&intact, &prism, None, None);
    assert!(ok, "the intact crate's proofs fail:\n{out}");
    let cases = count_after(&out, "examples: ");
    assert!(cases > 0, "{out}");
    let areas = count_after(&out, "contract: ");
    assert_eq!(areas, 2, "{out}");

    // The counts are asserted: one more pass than there are fails.
    let counts = file("counts.md", format!("expected passed: {}\n", cases + 1));
    let (ok, out) = run_proofs(&intact, &prism, Some(&counts), None);
    assert!(
        !ok && out.contains(&format!("expected passed: {}", cases + 1)),
        "{out}"
    );

    // A listed error that does not occur is stale.
    let op = "zero-trust-accounts-get-logging-settings-for-the-zero-trust-account";
    let stale = file(
        "stale.md",
        format!("| `{op}` | `200` | `/redact_pii` | `lost-declared` | planted |\n"),
    );
    let (ok, out) = run_proofs(&intact, &prism, Some(&stale), Some(&stale));
    assert!(!ok, "a stale entry passed:\n{out}");
    assert!(out.contains("stale entry: remove it"), "{out}");

    // Planted bug: one generated field renamed, so `redact_pii` from the
    // server lands in `extra`. Decoding still succeeds and the JSON still
    // round-trips; only the strict check sees it.
    let planted = work.path().join("planted");
    write_crate_with_proofs(&planted);
    let module = planted.join("src/zero_trust_accounts.rs");
    let source = fs::read_to_string(&module).expect("read");
    let renamed = source.replace(
        "pub redact_pii:",
        "#[serde(rename = \"redact_pii_renamed\")]\n    pub redact_pii:",
    );
    assert_ne!(renamed, source, "the field to rename is gone");
    fs::write(&module, renamed).expect("written");
    let (ok, out) = run_proofs(&planted, &prism, None, None);
    assert!(!ok, "the planted bug went unnoticed:\n{out}");
    assert!(
        out.contains(&format!(
            "FAILED | `{op}` | `200` | `/redact_pii` | `lost-declared`"
        )),
        "the strict round trip does not name the lost field:\n{out}"
    );
    assert!(
        out.contains("`/redact_pii` | `response-unknown`"),
        "the strict contract check does not name the lost field:\n{out}"
    );

    // An excuse for another operation does not excuse this one.
    let other = file(
        "other.md",
        format!(
            "| `zero-trust-accounts-update-logging-settings-for-the-zero-trust-account` | `200` | `/redact_pii` | `lost-declared` | other |\n\
             | `{op}` | `201` | `/redact_pii` | `lost-declared` | other status |\n"
        ),
    );
    let (ok, out) = run_proofs(&planted, &prism, Some(&other), None);
    assert!(!ok, "another operation's excuse hid the bug:\n{out}");
    assert!(
        out.contains(&format!(
            "not a known error: `{op}` `200` `/redact_pii` `lost-declared`"
        )),
        "{out}"
    );
}
