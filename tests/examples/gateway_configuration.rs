//! Reads an account's Zero Trust gateway configuration and turns on
//! anti-virus scanning of downloads, leaving every other setting as it is.
//!
//! Run with `CLOUDFLARE_EMAIL`, `CLOUDFLARE_API_KEY` and
//! `CLOUDFLARE_ACCOUNT_ID` set (and `CLOUDFLARE_BASE_URL` to point elsewhere).
//! README.md shows this program; a test checks the two stay the same.

use cloudflare_api::zero_trust_accounts::{
    AntiVirusSettings, GatewayAccountSettingsRequest, GatewayAccountSettingsRequestSettings,
};
use cloudflare_api::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let client = Client::from_env()?;
    let account_id = std::env::var("CLOUDFLARE_ACCOUNT_ID").unwrap_or_default();
    // Operations are grouped by resource, as in the URL path
    // `/accounts/{account_id}/gateway/configuration`.
    let configuration = client.zero_trust().gateway().configuration();

    // The method returns the envelope's `result`, typed.
    let current = configuration.get(&account_id).await?;
    let antivirus = current.settings.as_ref().and_then(|s| s.antivirus.as_ref());
    println!("anti-virus now: {antivirus:?}");

    // PATCH sends only what is set: other settings stay as they are.
    let patch = GatewayAccountSettingsRequest {
        settings: Some(GatewayAccountSettingsRequestSettings {
            antivirus: Some(AntiVirusSettings {
                enabled_download_phase: Some(true),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    };
    match configuration.edit(&account_id, &patch).await {
        Ok(updated) => println!("updated at {:?}", updated.updated_at),
        // Cloudflare's codes and messages, the status and the raw body.
        Err(Error::Api(error)) => eprintln!("refused ({}): {:?}", error.status, error.errors),
        Err(other) => return Err(other),
    }
    Ok(())
}
