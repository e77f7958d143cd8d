//! Evidence files through `backend::files::FileStore`, the same suite on a local folder
//! and on an S3-compatible server (`.ci/s3.sh` starts one): accepted files come back
//! byte for byte with their SHA-256, refused ones name their rule and leave no object
//! behind, a failed transaction's object is deleted, orphans are swept.
//!
//! The S3 half needs `MINYI_TEST_S3=http://127.0.0.1:PORT` (and optionally
//! `MINYI_TEST_S3_BUCKET`, `MINYI_TEST_S3_ACCESS_KEY`, `MINYI_TEST_S3_SECRET_KEY`,
//! `MINYI_TEST_S3_REGION`). Without it the S3 tests print a SKIPPED line and pass; with
//! `MINYI_TEST_S3_REQUIRED=1` (as `.ci/test.sh` sets) a missing server is a failure.

use std::collections::BTreeSet;
use std::io::Write as _;

use app::{
    backend::files::{self, FileStore, PutError, S3Config, StoredFile},
    domain::{attachment::FileKind, Rule},
};
use bytes::Bytes;
use chrono::{Duration, Utc};
use futures::StreamExt;
use lopdf::{dictionary, Document, Object, Stream};
use sha2::{Digest, Sha256};

/// The instant the uploads are made at (the key's month comes from it).
fn at() -> chrono::DateTime<Utc> {
    chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 30, 2, 0, 0).unwrap()
}

// ---------------------------------------------------------------- the two stores

fn local_store() -> (FileStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    (FileStore::local(dir.path().join("files")).expect("local store"), dir)
}

fn s3_store(test: &str) -> Option<FileStore> {
    let Ok(endpoint) = std::env::var("MINYI_TEST_S3") else {
        assert!(
            std::env::var("MINYI_TEST_S3_REQUIRED").is_err(),
            "MINYI_TEST_S3_REQUIRED is set but MINYI_TEST_S3 is not: start the server with .ci/s3.sh"
        );
        eprintln!("SKIPPED {test}: no S3 server (set MINYI_TEST_S3=http://127.0.0.1:PORT, see .ci/s3.sh)");
        return None;
    };
    let var = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_owned());
    let config = S3Config {
        allow_http: endpoint.starts_with("http://"),
        endpoint: Some(endpoint),
        bucket: var("MINYI_TEST_S3_BUCKET", "minyi-test"),
        region: var("MINYI_TEST_S3_REGION", "us-east-1"),
        access_key_id: var("MINYI_TEST_S3_ACCESS_KEY", "minyi"),
        secret_access_key: var("MINYI_TEST_S3_SECRET_KEY", "minyi-secret"),
        // every test in a folder of its own, so that their object counts do not mix
        prefix: Some(format!("test-{}", uuid::Uuid::new_v4().simple())),
    };
    Some(FileStore::s3(&config).expect("S3 store"))
}

/// Runs one check on the local folder and on S3.
macro_rules! on_both {
    ($($name:ident),+ $(,)?) => {
        mod local {
            $(#[tokio::test]
            async fn $name() {
                let (store, _dir) = super::local_store();
                super::$name(&store).await;
            })+
        }
        mod s3 {
            $(#[tokio::test]
            async fn $name() {
                if let Some(store) = super::s3_store(concat!("s3::", stringify!($name))) {
                    super::$name(&store).await;
                }
            })+
        }
    };
}

on_both!(
    pdf_round_trip,
    png_and_docx_round_trip,
    large_file_goes_up_in_parts,
    executable_renamed_pdf_is_refused,
    html_is_refused,
    svg_with_script_is_refused,
    pdf_with_javascript_is_refused,
    pdf_with_javascript_in_a_compressed_object_stream_is_refused,
    pdf_with_launch_is_refused,
    pdf_with_embedded_file_is_refused,
    broken_pdf_is_refused,
    empty_file_is_refused,
    oversize_file_is_refused_mid_stream,
    broken_off_upload_stores_nothing,
    failed_transaction_deletes_its_object,
    sweeper_deletes_only_old_unknown_objects,
    download_has_the_checked_headers,
);

// ---------------------------------------------------------------- helpers

const LIMIT: u64 = 20 * 1024 * 1024;

/// The body as an upload arrives: in chunks of `chunk` bytes.
fn body(bytes: &[u8], chunk: usize) -> impl futures::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static {
    let chunks: Vec<_> = bytes.chunks(chunk.max(1)).map(|c| Ok(Bytes::copy_from_slice(c))).collect();
    futures::stream::iter(chunks)
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

async fn keys(store: &FileStore) -> BTreeSet<String> {
    store.list().await.expect("list").into_iter().map(|(key, _)| key).collect()
}

async fn stores_and_returns(store: &FileStore, bytes: &[u8], name: &str, kind: FileKind) -> StoredFile {
    let stored = store.put_checked(body(bytes, 7919), LIMIT, name, at()).await.expect("accepted");
    assert_eq!(stored.kind, kind);
    assert_eq!(stored.size, bytes.len() as u64);
    assert_eq!(stored.sha256, sha256(bytes));
    assert!(files::is_key(&stored.key), "{}", stored.key);
    let stem = stored.original_name.split('.').next().unwrap_or_default();
    assert!(stem.is_empty() || !stored.key.contains(stem), "the key is not made from the name");
    assert_eq!(store.read_all(&stored.key).await.expect("read back"), bytes);
    assert!(store.verify(&stored).await.expect("verify"));
    stored
}

/// The upload is refused with `rule`, and the store holds the same objects as before.
async fn refused_leaving_nothing(store: &FileStore, bytes: &[u8], name: &str, rule: Rule) {
    let before = keys(store).await;
    match store.put_checked(body(bytes, 4096), LIMIT, name, at()).await {
        Err(PutError::Refused(got)) => assert_eq!(got, rule, "{name}"),
        other => panic!("{name}: expected {rule:?}, got {other:?}"),
    }
    assert_eq!(keys(store).await, before, "{name}: a refused file left an object");
}

/// A PDF written by lopdf; `extra` goes into the catalog; `modern` packs the objects
/// into compressed object streams with a cross-reference stream.
fn pdf(extra: impl FnOnce(&mut Document) -> Vec<(&'static str, Object)>, modern: bool) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let content = doc.add_object(Stream::new(dictionary! {}, b"BT /F1 24 Tf 72 720 Td (Risk assessment) Tj ET".to_vec()));
    let font = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" });
    let page = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Contents" => content,
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
    });
    doc.objects.insert(pages_id, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 }));
    let mut catalog = dictionary! { "Type" => "Catalog", "Pages" => pages_id };
    for (key, value) in extra(&mut doc) {
        catalog.set(key, value);
    }
    let catalog = doc.add_object(catalog);
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    if modern {
        doc.save_modern(&mut out).expect("save pdf");
    } else {
        doc.save_to(&mut out).expect("save pdf");
    }
    out
}

fn plain_pdf() -> Vec<u8> {
    pdf(|_| vec![], false)
}

fn javascript_action(doc: &mut Document) -> Vec<(&'static str, Object)> {
    let action = doc.add_object(dictionary! { "S" => "JavaScript", "JS" => Object::string_literal("app.alert('hi')") });
    vec![("OpenAction", action.into())]
}

use app::domain::attachment::samples::zip;

fn png(extra: usize) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec();
    // pseudo-random filler, so that nothing compresses or dedups it away
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    png.extend((0..extra).map(|_| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state as u8
    }));
    png.extend_from_slice(b"\0\0\0\0IEND\xaeB`\x82");
    png
}

// ---------------------------------------------------------------- the checks

async fn pdf_round_trip(store: &FileStore) {
    let classic = plain_pdf();
    let stored = stores_and_returns(store, &classic, "社会稳定风险评估报告.pdf", FileKind::Pdf).await;
    assert_eq!(stored.original_name, "社会稳定风险评估报告.pdf");
    // cross-reference stream and compressed object streams, as current writers make
    let modern = pdf(|_| vec![], true);
    stores_and_returns(store, &modern, "modern.pdf", FileKind::Pdf).await;
}

async fn png_and_docx_round_trip(store: &FileStore) {
    stores_and_returns(store, &png(10_000), "C:\\fakepath\\现场照片.png", FileKind::Png).await;
    let docx = zip(&[
        ("[Content_Types].xml", b"<?xml version=\"1.0\"?><Types/>"),
        ("_rels/.rels", b"<Relationships/>"),
        ("word/document.xml", b"<w:document/>"),
    ]);
    let stored = stores_and_returns(store, &docx, "../../合法性审查意见.docx", FileKind::Docx).await;
    assert_eq!(stored.original_name, "合法性审查意见.docx");
}

async fn large_file_goes_up_in_parts(store: &FileStore) {
    let big = png(2 * files::PART_SIZE + 12_345);
    stores_and_returns(store, &big, "big.png", FileKind::Png).await;
}

async fn executable_renamed_pdf_is_refused(store: &FileStore) {
    let mut exe = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0".to_vec();
    exe.resize(4096, 0);
    refused_leaving_nothing(store, &exe, "report.pdf", Rule::FileTypeRefused { found: "EXE/DLL (MZ/PE)".into() }).await;
    refused_leaving_nothing(store, b"\x7fELF\x02\x01\x01\0\0\0", "opinion.pdf", Rule::FileTypeRefused { found: "ELF".into() }).await;
}

async fn html_is_refused(store: &FileStore) {
    let html = b"<!DOCTYPE html><html><body><script>document.location='//evil'</script></body></html>";
    refused_leaving_nothing(store, html, "minutes.txt", Rule::FileTypeRefused { found: "HTML".into() }).await;
}

async fn svg_with_script_is_refused(store: &FileStore) {
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>"#;
    refused_leaving_nothing(store, svg, "map.png", Rule::FileTypeRefused { found: "SVG".into() }).await;
}

async fn pdf_with_javascript_is_refused(store: &FileStore) {
    let file = pdf(javascript_action, false);
    refused_leaving_nothing(store, &file, "a.pdf", Rule::PdfActiveContent { name: "/JavaScript".into() }).await;
    // the same name hex-escaped
    let placeholder = pdf(|_| vec![("OpenAction", Object::Dictionary(dictionary! { "S" => "XXXXXXXXXXXX" }))], false);
    let at = memchr::memmem::find(&placeholder, b"/XXXXXXXXXXXX").expect("placeholder");
    let mut escaped = placeholder.clone();
    escaped[at..at + 13].copy_from_slice(b"/J#61vaScript");
    refused_leaving_nothing(store, &escaped, "b.pdf", Rule::PdfActiveContent { name: "/JavaScript".into() }).await;
}

async fn pdf_with_javascript_in_a_compressed_object_stream_is_refused(store: &FileStore) {
    let file = pdf(javascript_action, true);
    // the name is not in the raw bytes: only parsing and inflating finds it
    assert!(memchr::memmem::find(&file, b"JavaScript").is_none(), "the action should be compressed");
    let before = keys(store).await;
    match store.put_checked(body(&file, 1000), LIMIT, "c.pdf", at()).await {
        // the action dictionary holds both names; either is the refusal
        Err(PutError::Refused(Rule::PdfActiveContent { name })) => assert!(name == "/JavaScript" || name == "/JS", "{name}"),
        other => panic!("expected PdfActiveContent, got {other:?}"),
    }
    assert_eq!(keys(store).await, before);
}

async fn pdf_with_launch_is_refused(store: &FileStore) {
    let file =
        pdf(|_| vec![("OpenAction", Object::Dictionary(dictionary! { "S" => "Launch", "F" => Object::string_literal("cmd.exe") }))], false);
    refused_leaving_nothing(store, &file, "d.pdf", Rule::PdfActiveContent { name: "/Launch".into() }).await;
}

async fn pdf_with_embedded_file_is_refused(store: &FileStore) {
    let file = pdf(
        |doc| {
            let embedded = doc.add_object(Stream::new(dictionary! { "Type" => "EmbeddedFile" }, b"MZ payload".to_vec()));
            let spec = doc.add_object(
                dictionary! { "Type" => "Filespec", "F" => Object::string_literal("a.exe"), "EF" => dictionary! { "F" => embedded } },
            );
            vec![(
                "Names",
                Object::Dictionary(
                    dictionary! { "EmbeddedFiles" => dictionary! { "Names" => vec![Object::string_literal("a.exe"), spec.into()] } },
                ),
            )]
        },
        true,
    );
    let before = keys(store).await;
    match store.put_checked(body(&file, 1000), LIMIT, "e.pdf", at()).await {
        Err(PutError::Refused(Rule::PdfActiveContent { name })) => assert!(name == "/EmbeddedFile" || name == "/EmbeddedFiles", "{name}"),
        other => panic!("expected PdfActiveContent, got {other:?}"),
    }
    refused_leaving_nothing(
        store,
        &pdf(|doc| vec![("X", doc.add_object(Stream::new(dictionary! { "Type" => "EmbeddedFile" }, b"x".to_vec())).into())], false),
        "f.pdf",
        Rule::PdfActiveContent { name: "/EmbeddedFile".into() },
    )
    .await;
    assert_eq!(keys(store).await, before);
}

async fn broken_pdf_is_refused(store: &FileStore) {
    refused_leaving_nothing(store, b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage, no xref\n", "g.pdf", Rule::PdfUnreadable).await;
    let whole = plain_pdf();
    refused_leaving_nothing(store, &whole[..whole.len() * 2 / 3], "truncated.pdf", Rule::PdfUnreadable).await;
}

async fn empty_file_is_refused(store: &FileStore) {
    refused_leaving_nothing(store, b"", "empty.pdf", Rule::FileEmpty).await;
    // a body made of empty chunks is empty too
    let before = keys(store).await;
    let chunks = futures::stream::iter(vec![Ok::<_, std::io::Error>(Bytes::new()), Ok(Bytes::new())]);
    assert!(matches!(store.put_checked(chunks, LIMIT, "x", at()).await, Err(PutError::Refused(Rule::FileEmpty))));
    assert_eq!(keys(store).await, before);
}

async fn oversize_file_is_refused_mid_stream(store: &FileStore) {
    let before = keys(store).await;
    let max_bytes = 100 * 1024;
    // the body never ends: the upload must stop at the limit, not read it all
    let endless = futures::stream::iter(std::iter::once(png(0)).chain(std::iter::repeat(vec![0u8; 8192])))
        .map(|chunk| Ok::<_, std::io::Error>(Bytes::from(chunk)));
    match store.put_checked(endless, max_bytes, "big.png", at()).await {
        Err(PutError::Refused(rule)) => assert_eq!(rule, Rule::FileTooLarge { max_bytes }),
        other => panic!("expected FileTooLarge, got {other:?}"),
    }
    // and a file one byte over the limit, arriving in one piece
    let file = png(0);
    match store.put_checked(body(&file, file.len()), file.len() as u64 - 1, "one-over.png", at()).await {
        Err(PutError::Refused(rule)) => assert_eq!(rule, Rule::FileTooLarge { max_bytes: file.len() as u64 - 1 }),
        other => panic!("expected FileTooLarge, got {other:?}"),
    }
    assert!(store.put_checked(body(&file, 3), file.len() as u64, "exact.png", at()).await.is_ok(), "exactly the limit is allowed");
    assert_eq!(keys(store).await.len(), before.len() + 1);
}

async fn broken_off_upload_stores_nothing(store: &FileStore) {
    let before = keys(store).await;
    let file = png(100_000);
    let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
        Ok(Bytes::copy_from_slice(&file[..70_000])),
        Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "client went away")),
    ];
    assert!(matches!(store.put_checked(futures::stream::iter(chunks), LIMIT, "p.png", at()).await, Err(PutError::Body(_))));
    assert_eq!(keys(store).await, before);
}

async fn failed_transaction_deletes_its_object(store: &FileStore) {
    let stored = store.put_checked(body(&plain_pdf(), 512), LIMIT, "opinion.pdf", at()).await.expect("accepted");
    assert!(keys(store).await.contains(&stored.key));
    // the service's transaction failed: it deletes what it stored
    store.delete(&stored.key).await.expect("delete");
    assert!(!keys(store).await.contains(&stored.key));
    assert!(matches!(store.get(&stored.key).await, Err(files::StoreError::NotFound(_))));
    // deleting twice is fine; a key the server did not make is refused
    store.delete(&stored.key).await.expect("delete again");
    assert!(matches!(store.delete("evidence/../../etc/passwd").await, Err(files::StoreError::BadKey(_))));
}

async fn sweeper_deletes_only_old_unknown_objects(store: &FileStore) {
    let known = store.put_checked(body(&png(10), 64), LIMIT, "known.png", at()).await.expect("known");
    let orphan = store.put_checked(body(&png(20), 64), LIMIT, "orphan.png", at()).await.expect("orphan");
    let is_known = |key: &str| key != orphan.key;
    // within the grace period nothing goes
    let swept = store.sweep_orphans(is_known, Duration::hours(1), Utc::now()).await.expect("sweep");
    assert!(swept.is_empty(), "{swept:?}");
    // later, the orphan goes and the known object stays
    let swept = store.sweep_orphans(is_known, Duration::hours(1), Utc::now() + Duration::hours(2)).await.expect("sweep");
    assert_eq!(swept, vec![orphan.key.clone()]);
    let now = keys(store).await;
    assert!(now.contains(&known.key) && !now.contains(&orphan.key));
}

async fn download_has_the_checked_headers(store: &FileStore) {
    let file = plain_pdf();
    let stored = store.put_checked(body(&file, 100), LIMIT, "听证笔录\"final\".exe", at()).await.expect("accepted");
    let response = store.download(&stored, true).await.expect("download");
    let headers = response.headers();
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["content-length"], file.len().to_string().as_str());
    assert_eq!(headers["x-checksum-sha256"], sha256(&file).as_str());
    let disposition = headers["content-disposition"].to_str().expect("ascii");
    assert!(disposition.starts_with("attachment; filename=\"____\\\"final\\\".exe.pdf\"; filename*=UTF-8''"), "{disposition}");
    assert!(disposition.ends_with("%22final%22.exe.pdf"), "{disposition}");
    let mut body = response.into_body().into_data_stream();
    let mut got = Vec::new();
    while let Some(chunk) = body.next().await {
        got.write_all(&chunk.expect("chunk")).expect("write");
    }
    assert_eq!(got, file);
}

#[test]
fn an_upload_can_run_in_an_axum_handler() {
    // the future must be Send for a handler to await it
    fn assert_send<T: Send>(_: &T) {}
    let (store, _dir) = local_store();
    let future = store.put_checked(body(b"x", 1), 10, "x", at());
    assert_send(&future);
}
