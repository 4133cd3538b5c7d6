//! Parameter styles and form bodies through generated code: the clients
//! generated from the oas-examples corpus (`tests/fixtures/styles-specs/`,
//! OpenAPI 3.0 and 3.1) send every parameter of `parameters-style.json` and
//! the body of `form-data.json` exactly as the OpenAPI 3.0.3 "Style
//! Examples" table says, byte for byte, to a loopback server.
//!
//! The corpus's object has the properties `description` and `name` (in
//! that order in the generated struct); the values are the table's
//! `"blue"` and `["blue","black","brown"]`, and the object
//! `{"description": "dark blue", "name": "sky"}` (the space shows the
//! percent-encoding of values, which the style's delimiters escape).

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A server answering every request with a JSON token (which the 3.0
/// `demoFormData` decodes and the other operations ignore or take as JSON).
async fn start_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": 1, "token_type": "bearer", "expires_in": 3600
        })))
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

/// The path and query as received, still percent-encoded.
fn target(request: &Request) -> String {
    match request.url.query() {
        Some(query) => format!("{}?{query}", request.url.path()),
        None => request.url.path().to_owned(),
    }
}

fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

/// The same checks for both generated crates.
macro_rules! corpus_tests {
    ($module:ident, $krate:ident) => {
        mod $module {
            use super::*;
            use $krate::shared::Object;
            use $krate::Client;

            fn client(server: &MockServer) -> Client {
                Client::builder()
                    .base_url(server.uri())
                    .build()
                    .expect("client builds")
            }

            fn array() -> Vec<String> {
                ["blue", "black", "brown"].map(String::from).to_vec()
            }

            fn object() -> Object {
                Object {
                    description: Some("dark blue".into()),
                    name: Some("sky".into()),
                    ..Default::default()
                }
            }

            #[tokio::test]
            async fn path_parameters() {
                let server = start_server().await;
                let c = client(&server);
                let (a, o) = (array(), object());
                c.anything().path().get("blue", &a, &o).await.expect("sent");
                c.anything().path().simple().get("blue", &a, &o).await.expect("sent");
                c.anything().path().simple().update("blue", &a, &o).await.expect("sent");
                c.anything().path().label().get("blue", &a, &o).await.expect("sent");
                c.anything().path().label().update("blue", &a, &o).await.expect("sent");
                c.anything().path().matrix().get("blue", &a, &o).await.expect("sent");
                c.anything().path().matrix().update("blue", &a, &o).await.expect("sent");
                let sent: Vec<String> = server
                    .received_requests()
                    .await
                    .expect("recording")
                    .iter()
                    .map(target)
                    .collect();
                assert_eq!(
                    sent,
                    [
                        // No style: `simple`, not exploded.
                        "/anything/path/blue/blue,black,brown/description,dark%20blue,name,sky",
                        "/anything/path/simple/blue/blue,black,brown/description,dark%20blue,name,sky",
                        "/anything/path/simple/blue/blue,black,brown/description=dark%20blue,name=sky",
                        "/anything/path/label/.blue/.blue.black.brown/.description.dark%20blue.name.sky",
                        "/anything/path/label/.blue/.blue.black.brown/.description=dark%20blue.name=sky",
                        "/anything/path/matrix/;primitive=blue/;array=blue,black,brown\
                         /;object=description,dark%20blue,name,sky",
                        "/anything/path/matrix/;primitive=blue/;array=blue;array=black;array=brown\
                         /;description=dark%20blue;name=sky",
                    ]
                );
            }

            #[tokio::test]
            async fn query_parameters() {
                let server = start_server().await;
                let c = client(&server);
                c.anything().query().get().primitive("blue").array(array()).object(object())
                    .await
                    .expect("sent");
                c.anything().query().form().create().primitive("blue").array(array()).object(object())
                    .await
                    .expect("sent");
                c.anything().query().form().get().primitive("blue").array(array()).object(object())
                    .await
                    .expect("sent");
                c.anything().query().space_delimited().get().array(array()).object(object())
                    .await
                    .expect("sent");
                c.anything().query().pipe_delimited().get().array(array()).object(object())
                    .await
                    .expect("sent");
                c.anything().query().deep_object().get().object(object())
                    .await
                    .expect("sent");
                // An absent parameter is left out.
                c.anything().query().get().await.expect("sent");
                let sent: Vec<String> = server
                    .received_requests()
                    .await
                    .expect("recording")
                    .iter()
                    .map(target)
                    .collect();
                let exploded = "primitive=blue&array=blue&array=black&array=brown\
                                &description=dark%20blue&name=sky";
                assert_eq!(
                    sent,
                    [
                        format!("/anything/query?{exploded}"),
                        format!("/anything/query/form?{exploded}"),
                        "/anything/query/form?primitive=blue&array=blue,black,brown\
                         &object=description,dark%20blue,name,sky"
                            .to_string(),
                        "/anything/query/spaceDelimited?array=blue%20black%20brown\
                         &object=description%20dark%20blue%20name%20sky"
                            .to_string(),
                        "/anything/query/pipeDelimited?array=blue|black|brown\
                         &object=description|dark%20blue|name|sky"
                            .to_string(),
                        "/anything/query/deepObject?object[description]=dark%20blue&object[name]=sky"
                            .to_string(),
                        "/anything/query".to_string(),
                    ]
                );
            }

            #[tokio::test]
            async fn header_parameters() {
                let expect = |request: &Request, object: &str| {
                    assert_eq!(header(request, "primitive"), Some("blue"));
                    assert_eq!(header(request, "array"), Some("blue,black,brown"));
                    assert_eq!(header(request, "object"), Some(object));
                };
                let server = start_server().await;
                client(&server)
                    .anything().headers().get().primitive("blue").array(array()).object(object())
                    .await
                    .expect("sent");
                expect(&received(&server).await, "description,dark blue,name,sky");
                let server = start_server().await;
                client(&server)
                    .anything().headers().simple().get().primitive("blue").array(array()).object(object())
                    .await
                    .expect("sent");
                expect(&received(&server).await, "description,dark blue,name,sky");
                let server = start_server().await;
                client(&server)
                    .anything().headers().simple().create().primitive("blue").array(array()).object(object())
                    .await
                    .expect("sent");
                expect(&received(&server).await, "description=dark blue,name=sky");
            }

            #[tokio::test]
            async fn cookie_parameters() {
                let exploded = "primitive=blue; array=blue; array=black; array=brown; \
                                description=dark%20blue; name=sky";
                let server = start_server().await;
                client(&server)
                    .cookies().get().primitive("blue").array(array()).object(object())
                    .await
                    .expect("sent");
                let request = received(&server).await;
                assert_eq!(request.url.path(), "/cookies");
                assert_eq!(header(&request, "cookie"), Some(exploded));
                let server = start_server().await;
                client(&server)
                    .cookies_hash_form_exploded().get().primitive("blue").array(array()).object(object())
                    .await
                    .expect("sent");
                let request = received(&server).await;
                // The `#formExploded` of the corpus's path is not sent.
                assert_eq!(request.url.path(), "/cookies");
                assert_eq!(header(&request, "cookie"), Some(exploded));
                let server = start_server().await;
                client(&server)
                    .cookies_hash_form_non_exploded().get().primitive("blue").array(array()).object(object())
                    .await
                    .expect("sent");
                assert_eq!(
                    header(&received(&server).await, "cookie"),
                    Some("primitive=blue; array=blue,black,brown; object=description,dark%20blue,name,sky")
                );
            }
        }
    };
}

corpus_tests!(openapi_30, styles_fixture_30);
corpus_tests!(openapi_31, styles_fixture_31);

/// `form-data.json` (OpenAPI 3.0): the `application/x-www-form-urlencoded`
/// body is typed from its schema and encoded with OpenAPI's defaults.
#[tokio::test]
async fn form_urlencoded_body() {
    use styles_fixture_30::untagged::DemoFormDataBody;
    let server = start_server().await;
    let client = styles_fixture_30::Client::builder()
        .base_url(server.uri())
        .build()
        .expect("client builds");
    let body = DemoFormDataBody {
        client_id: "app 1".into(),
        client_secret: "s&=cr/t".into(),
        scope: Some(7),
        extra: serde_json::Map::new(),
    };
    // The description marks the body optional, but its schema requires
    // `client_id` and `client_secret`: a call without one cannot be valid,
    // so the body is an argument, not an `Option`.
    let token = client.anything().create(&body).await.expect("sent");
    assert_eq!(token.expires_in, 3600);
    let request = received(&server).await;
    assert_eq!(request.url.path(), "/anything");
    assert_eq!(
        header(&request, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        "client_id=app%201&client_secret=s%26%3Dcr%2Ft&scope=7"
    );
}
