//! Unit tests of `locate`.

use super::find;

#[test]
fn json_pointer_to_line() {
    let text = "{\n  \"a\": {\n    \"b\": [1, {\"c\": true}]\n  }\n}\n";
    assert_eq!(find(text, "/a"), Some((2, 8)));
    assert_eq!(find(text, "/a/b/1/c"), Some((3, 20)));
    assert_eq!(find(text, "/a/x"), None);
}

#[test]
fn many_pointers_in_one_walk() {
    let text = "{\n  \"a\": {\n    \"b\": [1, {\"c\": true}]\n  },\n  \"d/e\": 2\n}\n";
    let found = super::find_all(text, &["/a/b/1/c", "/d~1e", "/zz"]);
    assert_eq!(found, vec![("/a/b/1/c", (3, 20)), ("/d~1e", (5, 10))]);
}

#[test]
fn many_pointers_on_one_line_get_exact_columns() {
    let text = "{\"é\": 1, \"a\": [true, {\"b\": \"ü\"}], \"c\": null}";
    let found = super::find_all(text, &["/c", "/a/1/b", "/é", "/a/0"]);
    for (pointer, at) in &found {
        assert_eq!(Some(*at), find(text, pointer), "{pointer}");
    }
    assert_eq!(found.len(), 4);
    assert_eq!(found[0], ("/c", (1, 40)));
}

#[test]
fn many_pointers_over_many_lines_agree_with_one_at_a_time() {
    // Skipped strings with escaped quotes and brackets, characters of
    // several bytes before and after line breaks, two pointers a line.
    let text = "{\"s\": \"a \\\" ] } \\\\\", \"é\": {\"x\": 1,\n \"ü\": [\"日本\", {\"y\": 2}]},\n\n  \"z\": {\"w\": \"\\\"}\"}, \"v\": 3}";
    let pointers = ["/v", "/é/ü/1/y", "/z/w", "/é/x", "/é/ü/0", "/s"];
    let found = super::find_all(text, &pointers);
    let expected: Vec<_> = pointers
        .iter()
        .filter_map(|p| find(text, p).map(|at| (*p, at)))
        .collect();
    assert_eq!(found, expected);
    assert_eq!(found.len(), 6);
    assert_eq!(found[0], ("/v", (4, 27)));
}

#[test]
fn many_yaml_pointers_in_one_walk_agree_with_one_at_a_time() {
    let text = "# c\nopenapi: 3.0.3\npaths:\n  /a/b:\n    get:\n      parameters:\n        - name: x\n          in: path\n        -\n          name: y\n          schema: {type: string}\n      tags: [a, b]\n  '/c':\n    x: 1\n";
    let pointers = [
        "",
        "/openapi",
        "/openapi/deeper",
        "/paths/~1a~1b/get/parameters/0/in",
        "/paths/~1a~1b/get/parameters/1/name",
        "/paths/~1a~1b/get/parameters/1/schema/type",
        "/paths/~1a~1b/get/parameters/2",
        "/paths/~1a~1b/get/tags/1",
        "/paths/~1c/x",
        "/paths/~1d",
    ];
    let found = super::find_all(text, &pointers);
    let expected: Vec<_> = pointers
        .iter()
        .filter_map(|p| find(text, p).map(|at| (*p, at)))
        .collect();
    assert_eq!(found, expected);
    assert_eq!(found.len(), 8);
}

#[test]
fn yaml_pointer_to_line() {
    let text = "openapi: 3.0.3\npaths:\n  /a/b:\n    get:\n      parameters:\n        - name: x\n          in: path\n        - name: y\n          in: query\n";
    assert_eq!(find(text, "/paths/~1a~1b/get"), Some((4, 5)));
    assert_eq!(
        find(text, "/paths/~1a~1b/get/parameters/1/in"),
        Some((9, 11))
    );
    assert_eq!(find(text, "/openapi"), Some((1, 1)));
}
