//! Reads an account's Zero Trust gateway configuration, turns on anti-virus
//! scanning of uploads, and writes the whole configuration back with PUT:
//! every other setting, and every field this client does not know, is sent
//! back as it came; what only the server sets (`created_at`, `updated_at`,
//! a custom certificate's `binding_status`) is not sent.
//!
//! Run with `CLOUDFLARE_EMAIL`, `CLOUDFLARE_API_KEY` and
//! `CLOUDFLARE_ACCOUNT_ID` set (and `CLOUDFLARE_BASE_URL` to point elsewhere).

use cloudflare_api::zero_trust_accounts::{AntiVirusSettings, GatewayAccountSettingsRequest};
use cloudflare_api::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let client = Client::from_env()?;
    let account_id = std::env::var("CLOUDFLARE_ACCOUNT_ID").unwrap_or_default();
    let gateway = client.zero_trust().gateway().configuration();

    let current = gateway.get(&account_id).await?;
    if let Some(updated_at) = &current.updated_at {
        // Kept as the server wrote it; parsed when asked.
        match updated_at.to_offset_date_time() {
            Ok(at) => println!("last updated {at}"),
            Err(error) => println!("last updated {updated_at} ({error})"),
        }
    }

    // The request-side copy: read-only fields dropped, unknown ones kept.
    let mut body = GatewayAccountSettingsRequest::from(&current);
    let settings = body.settings.get_or_insert_with(Default::default);
    settings
        .antivirus
        .get_or_insert_with(AntiVirusSettings::default)
        .enabled_upload_phase = Some(true);

    let updated = gateway.update(&account_id, &body).await?;
    println!("updated at {:?}", updated.updated_at);
    Ok(())
}
