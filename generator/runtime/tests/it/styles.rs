//! Parameter styles and form bodies on the wire: the exact path, query,
//! `Cookie` header and body bytes a loopback server receives, for the
//! 3.0.3 specification's style examples (`color` = `"blue"`,
//! `["blue","black","brown"]`, `{"R":100,"G":200,"B":150}`).

use apigen_runtime::{decode, Call, Credentials, KeyLocation, Method, ParamStyle, SchemeKind};
use apigen_runtime::{Error, Number, SecurityScheme, Style};
use serde::Serialize;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::support::{builder, header, requests};

#[derive(Serialize)]
#[allow(non_snake_case)]
struct Color {
    R: u32,
    G: u32,
    B: u32,
}

const COLOR: Color = Color {
    R: 100,
    G: 200,
    B: 150,
};
const ARRAY: [&str; 3] = ["blue", "black", "brown"];

/// Sends the call `build` makes on `template` and returns what the server
/// received.
async fn sent(template: &'static str, build: impl FnOnce(Call<()>) -> Call<()>) -> Request {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = builder(&server).build().expect("client");
    build(client.call(Method::POST, template, decode::empty))
        .send()
        .await
        .expect("call succeeds");
    requests(&server).await.remove(0)
}

/// The path and query as received (still percent-encoded).
fn target(request: &Request) -> String {
    match request.url.query() {
        Some(query) => format!("{}?{query}", request.url.path()),
        None => request.url.path().to_owned(),
    }
}

fn style(style: Style, explode: bool) -> ParamStyle {
    ParamStyle::new(style, explode)
}

#[tokio::test]
async fn path_styles() {
    let cases: [(Style, bool, &str); 6] = [
        (
            Style::Simple,
            false,
            "/p/blue/blue,black,brown/R,100,G,200,B,150",
        ),
        (
            Style::Simple,
            true,
            "/p/blue/blue,black,brown/R=100,G=200,B=150",
        ),
        (
            Style::Label,
            false,
            "/p/.blue/.blue.black.brown/.R.100.G.200.B.150",
        ),
        (
            Style::Label,
            true,
            "/p/.blue/.blue.black.brown/.R=100.G=200.B=150",
        ),
        (
            Style::Matrix,
            false,
            "/p/;primitive=blue/;array=blue,black,brown/;object=R,100,G,200,B,150",
        ),
        (
            Style::Matrix,
            true,
            "/p/;primitive=blue/;array=blue;array=black;array=brown/;R=100;G=200;B=150",
        ),
    ];
    for (s, explode, expected) in cases {
        let request = sent("/p/{primitive}/{array}/{object}", |call| {
            call.path_param_styled("primitive", "blue", style(s, explode))
                .path_param_styled("array", &ARRAY, style(s, explode))
                .path_param_styled("object", &COLOR, style(s, explode))
        })
        .await;
        assert_eq!(target(&request), expected, "{s:?} explode={explode}");
    }
}

#[tokio::test]
async fn query_styles() {
    let cases: [(Style, bool, &str); 4] = [
        (
            Style::Form,
            true,
            "/q?primitive=blue&array=blue&array=black&array=brown&R=100&G=200&B=150",
        ),
        (
            Style::Form,
            false,
            "/q?primitive=blue&array=blue,black,brown&object=R,100,G,200,B,150",
        ),
        (
            Style::SpaceDelimited,
            false,
            "/q?primitive=blue&array=blue%20black%20brown&object=R%20100%20G%20200%20B%20150",
        ),
        (
            Style::PipeDelimited,
            false,
            "/q?primitive=blue&array=blue|black|brown&object=R|100|G|200|B|150",
        ),
    ];
    for (s, explode, expected) in cases {
        let request = sent("/q", |call| {
            call.query_param_styled("primitive", "blue", style(s, explode))
                .query_param_styled("array", &ARRAY, style(s, explode))
                .query_param_styled("object", &COLOR, style(s, explode))
        })
        .await;
        assert_eq!(target(&request), expected, "{s:?} explode={explode}");
    }
    let request = sent("/q", |call| {
        call.query_param_styled("color", &COLOR, style(Style::DeepObject, true))
    })
    .await;
    assert_eq!(
        target(&request),
        "/q?color[R]=100&color[G]=200&color[B]=150"
    );
}

#[tokio::test]
async fn allow_reserved_and_whole_numbers() {
    let request = sent("/q", |call| {
        call.query_param_styled("path", "a/b:c", style(Style::Form, true).allow_reserved())
            .query_param_styled("plain", "a/b:c", style(Style::Form, true))
            .query_param_styled("n", &[Number::from(2u64)], style(Style::Form, false))
    })
    .await;
    assert_eq!(target(&request), "/q?path=a/b:c&plain=a%2Fb%3Ac&n=2");
}

#[tokio::test]
async fn header_styles() {
    let request = sent("/h", |call| {
        call.header_param("primitive", "blue", style(Style::Simple, false))
            .header_param("array", &ARRAY, style(Style::Simple, false))
            .header_param("object", &COLOR, style(Style::Simple, false))
            .header_param("exploded", &COLOR, style(Style::Simple, true))
            .header_param("absent", &None::<String>, style(Style::Simple, false))
    })
    .await;
    assert_eq!(header(&request, "primitive"), Some("blue"));
    assert_eq!(header(&request, "array"), Some("blue,black,brown"));
    assert_eq!(header(&request, "object"), Some("R,100,G,200,B,150"));
    assert_eq!(header(&request, "exploded"), Some("R=100,G=200,B=150"));
    assert_eq!(header(&request, "absent"), None);
}

#[tokio::test]
async fn cookies_join_the_credential_cookie() {
    const SESSION: SecurityScheme = SecurityScheme::new(
        "session",
        SchemeKind::ApiKey(KeyLocation::Cookie, "session"),
    );
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = builder(&server)
        .credentials(Credentials::new().with(SESSION, "s1"))
        .build()
        .expect("client");
    client
        .call(Method::GET, "/c", decode::empty)
        .cookie_param("primitive", "blue", style(Style::Form, false))
        .cookie_param("array", &ARRAY, style(Style::Form, false))
        .cookie_param("object", &COLOR, style(Style::Form, true))
        .send()
        .await
        .expect("call succeeds");
    let request = requests(&server).await.remove(0);
    assert_eq!(
        header(&request, "cookie"),
        Some("session=s1; primitive=blue; array=blue,black,brown; R=100; G=200; B=150")
    );
}

#[derive(Serialize)]
struct Charge {
    amount: Number,
    description: Option<String>,
    tags: Vec<String>,
    metadata: Meta,
    expand: Vec<String>,
    skipped: Option<String>,
}

#[derive(Serialize)]
struct Meta {
    order_id: String,
    note: String,
}

#[tokio::test]
async fn form_bodies() {
    let charge = Charge {
        amount: Number::from(2000u64),
        description: Some("a b&c=d".into()),
        tags: vec!["x".into(), "y".into()],
        metadata: Meta {
            order_id: "6735".into(),
            note: "é".into(),
        },
        expand: vec!["customer".into(), "invoice".into()],
        skipped: None,
    };
    // OpenAPI's defaults: `form`, exploded, for every property.
    let request = sent("/f", |call| call.form_body(&charge, &[])).await;
    assert_eq!(
        header(&request, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        "amount=2000&description=a%20b%26c%3Dd&tags=x&tags=y&order_id=6735&note=%C3%A9\
         &expand=customer&expand=invoice"
    );
    // Stripe-style `encoding`: brackets for the object and the array.
    let deep = style(Style::DeepObject, true);
    let request = sent("/f", |call| {
        call.form_body(
            &charge,
            &[
                ("metadata", deep),
                ("expand", deep),
                ("tags", style(Style::Form, false)),
            ],
        )
    })
    .await;
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        "amount=2000&description=a%20b%26c%3Dd&tags=x,y&metadata[order_id]=6735\
         &metadata[note]=%C3%A9&expand[]=customer&expand[]=invoice"
    );
}

#[tokio::test]
async fn refused_values() {
    let server = MockServer::start().await;
    let client = builder(&server).build().expect("client");
    for value in [None, Some(".."), Some("")] {
        let result = client
            .call(Method::GET, "/p/{id}", decode::empty)
            .path_param_styled("id", &value, style(Style::Simple, false))
            .send()
            .await;
        assert!(matches!(result, Err(Error::InvalidRequest(_))), "{value:?}");
    }
    let result = client
        .call(Method::GET, "/p/{id}", decode::empty)
        .path_param_styled("id", "a\r\nb", style(Style::Label, false))
        .send()
        .await;
    assert!(matches!(result, Err(Error::InvalidRequest(_))));
    let result = client
        .call(Method::POST, "/f", decode::empty)
        .form_body(&["not", "an", "object"], &[])
        .send()
        .await;
    assert!(matches!(result, Err(Error::InvalidRequest(_))));
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn fragment_of_a_path_template_is_not_sent() {
    let request = sent("/cookies#formExploded", |call| {
        call.query_param_styled("a", "b", ParamStyle::FORM)
    })
    .await;
    assert_eq!(target(&request), "/cookies?a=b");
}
