//! Reads an account's Zero Trust gateway configuration and lists its zones
//! from a plain `fn main`, with no async runtime: the crate's `blocking`
//! feature.
//!
//! Run with `CLOUDFLARE_API_TOKEN` and `CLOUDFLARE_ACCOUNT_ID` set (and
//! `CLOUDFLARE_BASE_URL` to point elsewhere).
//! README.md shows this program; a test checks the two stay the same.

use cloudflare_api::runtime::blocking::BlockingStream;
use cloudflare_api::{Client, Error};

fn main() -> Result<(), Error> {
    let client = Client::from_env()?;
    let account_id = std::env::var("CLOUDFLARE_ACCOUNT_ID").unwrap_or_default();

    // `.wait()` where async code has `.await`: the same call, with the
    // same credentials, retries and rate-limit pauses.
    let gateway = client.zero_trust().gateway().configuration();
    let current = gateway.get(&account_id).wait()?;
    println!("gateway settings: {:?}", current.settings);

    // A stream of pages or items, read as an iterator: each page is asked
    // for when the previous one has been read.
    let zones = client
        .runtime()
        .get::<Vec<serde_json::Value>>("/zones")
        .query_param("account.id", &account_id);
    for zone in zones.items().blocking() {
        println!("zone {}", zone?["name"]);
    }
    Ok(())
}
