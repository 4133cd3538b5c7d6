//! Typed `multipart/form-data` bodies through generated code: every
//! multipart body of the oas-examples corpus in `tests/fixtures/styles-specs/`
//! (`parameters-style.json`, `schema-encoding-style.json`, and in 3.0
//! `file-uploads.json`) and the specification's Encoding Object Example
//! (`encoding-object.json`), sent by the clients generated from them
//! (OpenAPI 3.0 and 3.1) to a loopback server, and the parts received
//! checked against the Encoding Object's rules:
//!
//! - each property is one part named after it, an array one part per item;
//! - a string (or number) is a text part without `Content-Type` (RFC 7578:
//!   `text/plain`), a file (`format: binary`, `contentMediaType`) a part
//!   with a `filename` and `application/octet-stream`, an object a part of
//!   `application/json`, unless `encoding.<property>.contentType` says
//!   otherwise (the first type of `image/png, image/jpeg`);
//! - `style` and `explode` are ignored (they apply to
//!   `application/x-www-form-urlencoded` only), and so are the parts'
//!   `headers`; an absent property sends no part.

use serde_json::{json, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn start_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    server
}

/// The one request the server received.
async fn received(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording");
    assert_eq!(requests.len(), 1, "one request per call");
    requests.remove(0)
}

/// A part as received: its name, file name, content type and content
/// (parsed when it is JSON, so the check doesn't depend on key order).
#[derive(Debug, PartialEq)]
struct Part {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    content: Content,
}

#[derive(Debug, PartialEq)]
enum Content {
    Bytes(Vec<u8>),
    Json(Value),
}

fn text(name: &str, value: &str) -> Part {
    Part {
        name: name.into(),
        filename: None,
        content_type: None,
        content: Content::Bytes(value.as_bytes().to_vec()),
    }
}

fn typed(name: &str, content_type: &str, value: &str) -> Part {
    Part {
        content_type: Some(content_type.into()),
        ..text(name, value)
    }
}

fn file(name: &str, content_type: &str, bytes: &[u8]) -> Part {
    Part {
        name: name.into(),
        filename: Some(name.into()),
        content_type: Some(content_type.into()),
        content: Content::Bytes(bytes.to_vec()),
    }
}

fn json_part(name: &str, value: Value) -> Part {
    Part {
        name: name.into(),
        filename: None,
        content_type: Some("application/json".into()),
        content: Content::Json(value),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// The parts of a `multipart/form-data` request, checked strictly: the
/// content type names the boundary, the body is a sequence of
/// `--boundary CRLF headers CRLF CRLF content CRLF` and ends with
/// `--boundary-- CRLF`, and a part has only `Content-Disposition:
/// form-data; name=".."[; filename=".."]` and `Content-Type` headers.
fn parts(request: &Request) -> Vec<Part> {
    let content_type = request
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .expect("a content type");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart/form-data: {content_type}"));
    let delimiter = format!("--{boundary}");
    let close = format!("{delimiter}--\r\n");
    let mut rest = request.body.as_slice();
    let mut parts = Vec::new();
    loop {
        if rest == close.as_bytes() {
            return parts;
        }
        rest = rest
            .strip_prefix(format!("{delimiter}\r\n").as_bytes())
            .unwrap_or_else(|| panic!("expected a delimiter: {}", String::from_utf8_lossy(rest)));
        let end = find(rest, b"\r\n\r\n").expect("the end of a part's headers");
        let head = std::str::from_utf8(&rest[..end]).expect("UTF-8 headers");
        rest = &rest[end + 4..];
        let end = find(rest, format!("\r\n{delimiter}").as_bytes()).expect("the end of a part");
        let data = rest[..end].to_vec();
        rest = &rest[end + 2..];
        let (mut name, mut filename, mut content_type) = (None, None, None);
        for line in head.split("\r\n") {
            if let Some(value) = line.strip_prefix("Content-Disposition: form-data; name=\"") {
                let (value, file) = match value.split_once("\"; filename=\"") {
                    Some((value, file)) => (value, Some(file)),
                    None => (value, None),
                };
                let strip = |s: &str| s.strip_suffix('"').map(str::to_owned);
                match file {
                    Some(file) => {
                        name = Some(value.to_owned());
                        filename = Some(strip(file).expect("a quoted file name"));
                    }
                    None => name = Some(strip(value).expect("a quoted name")),
                }
            } else if let Some(value) = line.strip_prefix("Content-Type: ") {
                content_type = Some(value.to_owned());
            } else {
                panic!("unexpected part header: {line}");
            }
        }
        let content = match content_type.as_deref() {
            Some("application/json") => {
                Content::Json(serde_json::from_slice(&data).expect("a JSON part"))
            }
            _ => Content::Bytes(data),
        };
        parts.push(Part {
            name: name.expect("a Content-Disposition"),
            filename,
            content_type,
            content,
        });
    }
}

/// The same checks for both generated crates.
macro_rules! corpus_tests {
    ($module:ident, $krate:ident) => {
        mod $module {
            use super::*;
            use $krate::encoding_object::EncodingObjectBody;
            use $krate::multipart_form_data_encoding::{
                FormDataPipeDelimitedNonExplodedBody, FormDataStandardBody,
                FormDataStandardBodyObject,
            };
            use $krate::Client;

            fn client(server: &MockServer) -> Client {
                Client::builder()
                    .base_url(server.uri())
                    .build()
                    .expect("client builds")
            }

            fn object() -> FormDataStandardBodyObject {
                FormDataStandardBodyObject {
                    foo: Some("f o".into()),
                    bar: Some("b\"r".into()),
                    ..Default::default()
                }
            }

            fn standard() -> FormDataStandardBody {
                FormDataStandardBody {
                    primitive: Some("blue".into()),
                    array: Some(["blue", "black", "brown"].map(String::from).to_vec()),
                    object: Some(object()),
                    ..Default::default()
                }
            }

            /// The same values in the type of another operation's body:
            /// each body schema has its own docs, so its own type.
            fn same<T: serde::de::DeserializeOwned>(body: &impl serde::Serialize) -> T {
                serde_json::from_value(serde_json::to_value(body).expect("serializes"))
                    .expect("the same shape")
            }

            /// What every `style` sends: `encoding`'s style is not for
            /// multipart bodies.
            fn standard_parts() -> Vec<Part> {
                vec![
                    text("array", "blue"),
                    text("array", "black"),
                    text("array", "brown"),
                    json_part("object", json!({"foo": "f o", "bar": "b\"r"})),
                    text("primitive", "blue"),
                ]
            }

            #[tokio::test]
            async fn parameters_style_bodies() {
                let body = standard();
                let delimited = FormDataPipeDelimitedNonExplodedBody {
                    array: body.array.clone(),
                    object: Some(same(&object())),
                    ..Default::default()
                };
                let delimited_parts: Vec<Part> = standard_parts()
                    .into_iter()
                    .filter(|part| part.name != "primitive")
                    .collect();
                let mut sent = Vec::new();
                for call in 0..6 {
                    let server = start_server().await;
                    let c = client(&server);
                    let form_data = c.anything().form_data();
                    match call {
                        0 => form_data.create(Some(&body)).await.map(drop),
                        1 => form_data.form().create(Some(&same(&body))).await.map(drop),
                        2 => form_data.form().update(Some(&same(&body))).await.map(drop),
                        3 => {
                            let call = form_data.deep_object().create(Some(&same(&body)));
                            call.await.map(drop)
                        }
                        4 => {
                            let call = form_data.pipe_delimited().create(Some(&delimited));
                            call.await.map(drop)
                        }
                        _ => space_delimited(&form_data, &delimited).await,
                    }
                    .expect("sent");
                    let request = received(&server).await;
                    sent.push((call, request.method.to_string(), parts(&request)));
                }
                for (call, method, parts) in sent {
                    let expected = if call >= 4 { &delimited_parts } else { &standard_parts() };
                    assert_eq!(&parts, expected, "call {call} ({method})");
                }
            }

            #[tokio::test]
            async fn schema_encoding_style_body() {
                let server = start_server().await;
                client(&server)
                    .form()
                    .primitive()
                    .update(Some(&same(&standard())))
                    .await
                    .expect("sent");
                let request = received(&server).await;
                assert_eq!(request.url.path(), "/form/primitive");
                assert_eq!(parts(&request), standard_parts());
            }

            #[tokio::test]
            async fn absent_properties_send_no_part_and_no_body_sends_nothing() {
                let server = start_server().await;
                let body = FormDataStandardBody {
                    primitive: Some("only".into()),
                    ..Default::default()
                };
                let c = client(&server);
                c.anything().form_data().create(Some(&body)).await.expect("sent");
                assert_eq!(parts(&received(&server).await), vec![text("primitive", "only")]);

                let server = start_server().await;
                let c = client(&server);
                c.anything().form_data().create(None).await.expect("sent");
                let request = received(&server).await;
                assert!(request.body.is_empty());
                assert_eq!(request.headers.get("content-type"), None);
            }

            #[tokio::test]
            async fn encoding_object_example() {
                let server = start_server().await;
                let png = b"\x89PNG\r\n\x1a\n\x00--not-a-boundary";
                let body = EncodingObjectBody {
                    id: Some("d290f1ee-6c54-4b01-90e6-d701748f0851".into()),
                    address: Some(
                        json!({"street": "1 Main St"})
                            .as_object()
                            .cloned()
                            .expect("an object"),
                    ),
                    history_metadata: Some("<history/>".into()),
                    profile_image: Some($krate::runtime::Bytes::from_static(png)),
                    ..Default::default()
                };
                client(&server)
                    .anything()
                    .encoding_object()
                    .create(&body)
                    .await
                    .expect("sent");
                assert_eq!(
                    parts(&received(&server).await),
                    vec![
                        json_part("address", json!({"street": "1 Main St"})),
                        typed(
                            "historyMetadata",
                            "application/xml; charset=utf-8",
                            "<history/>"
                        ),
                        text("id", "d290f1ee-6c54-4b01-90e6-d701748f0851"),
                        file("profileImage", "image/png", png),
                    ]
                );
            }
        }
    };
}

async fn space_delimited_30(
    form_data: &styles_fixture_30::resources::AnythingFormData<'_>,
    body: &styles_fixture_30::multipart_form_data_encoding::FormDataPipeDelimitedNonExplodedBody,
) -> Result<(), styles_fixture_30::Error> {
    let body: styles_fixture_30::multipart_form_data_encoding::FormDataSpaceDelimitedNonExplodedBody =
        serde_json::from_value(serde_json::to_value(body).expect("serializes")).expect("same shape");
    form_data.space_delimited().create(Some(&body)).await
}

async fn space_delimited_31(
    form_data: &styles_fixture_31::resources::AnythingFormData<'_>,
    body: &styles_fixture_31::multipart_form_data_encoding::FormDataPipeDelimitedNonExplodedBody,
) -> Result<(), styles_fixture_31::Error> {
    let body: styles_fixture_31::multipart_form_data_encoding::FormDataSpaceDelimitedNonExplodedBody =
        serde_json::from_value(serde_json::to_value(body).expect("serializes")).expect("same shape");
    // 3.1's copy of the document declares this one as a GET.
    form_data.space_delimited().get(Some(&body)).await.map(drop)
}

mod oas30 {
    pub(super) use super::space_delimited_30 as space_delimited;
    use super::*;
    corpus_tests!(client, styles_fixture_30);
}

mod oas31 {
    pub(super) use super::space_delimited_31 as space_delimited;
    use super::*;
    corpus_tests!(client, styles_fixture_31);
}

/// `file-uploads.json` (3.0 only): a single file beside numbers, and an
/// array of files (one part per file, all with the same name).
mod file_uploads {
    use super::*;
    use styles_fixture_30::multipart_form_data::{
        PostAnythingMultipartFormdataBody, PutAnythingMultipartFormdataBody,
    };
    use styles_fixture_30::runtime::Bytes;
    use styles_fixture_30::Client;

    fn client(server: &MockServer) -> Client {
        Client::builder()
            .base_url(server.uri())
            .build()
            .expect("client builds")
    }

    #[tokio::test]
    async fn a_single_file() {
        let server = start_server().await;
        let body = PostAnythingMultipartFormdataBody {
            order_id: Some(42),
            user_id: None,
            document_file: Some(Bytes::from_static(b"%PDF-1.7\r\n\x00\xff")),
            ..Default::default()
        };
        let c = client(&server);
        c.anything()
            .multipart_formdata()
            .create(Some(&body))
            .await
            .expect("sent");
        let request = received(&server).await;
        assert_eq!(request.method.as_str(), "POST");
        assert_eq!(
            parts(&request),
            vec![
                file(
                    "documentFile",
                    "application/octet-stream",
                    b"%PDF-1.7\r\n\x00\xff"
                ),
                text("orderId", "42"),
            ]
        );
    }

    #[tokio::test]
    async fn several_files() {
        let server = start_server().await;
        let body = PutAnythingMultipartFormdataBody {
            filename: Some(vec![Bytes::from_static(b"one"), Bytes::from_static(b"two")]),
            ..Default::default()
        };
        let c = client(&server);
        c.anything()
            .multipart_formdata()
            .update(Some(&body))
            .await
            .expect("sent");
        let request = received(&server).await;
        assert_eq!(request.method.as_str(), "PUT");
        assert_eq!(
            parts(&request),
            vec![
                file("filename", "application/octet-stream", b"one"),
                file("filename", "application/octet-stream", b"two"),
            ]
        );
    }
}
