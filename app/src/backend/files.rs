//! Evidence files on disk or in an S3-compatible object store, checked by content.
//!
//! One code path: [`FileStore`] wraps an `object_store::ObjectStore`; only the
//! constructor differs between a local folder ([`FileStore::local`], the default) and
//! S3, MinIO, s3s-fs and the like ([`FileStore::s3`]).
//!
//! # An upload ([`FileStore::put_checked`])
//!
//! 1. The first [`SNIFF_LEN`] bytes decide what the file is
//!    ([`Inspection::start`]); most refusals (empty, executable, HTML, SVG, archive,
//!    unknown) happen here, before anything is written anywhere.
//! 2. The body is then spooled, one chunk at a time, to an anonymous temporary file
//!    (unlinked from the start, so it vanishes with the handle whatever happens),
//!    while its size is counted against the limit (the upload stops at the first byte
//!    over it), its SHA-256 computed and every byte inspected (PDF names, macros,
//!    OLE directory, UTF-8).
//! 3. A PDF's structure is then parsed from the spool ([`check_pdf`]). This is the one
//!    step that holds a whole file in memory, bounded by the size limit.
//! 4. Only an accepted file is uploaded, under a key the server makes up
//!    (`evidence/YYYY/MM/<128 random bits in hex>`, never derived from the name): one
//!    PUT up to [`PART_SIZE`], a multipart upload above it with at most
//!    [`PARTS_IN_FLIGHT`] parts in memory, aborted on any error.
//!
//! So a refused file is never stored, and memory per upload stays at a few parts
//! (plus the PDF parse).
//!
//! # No orphans
//!
//! The store and the database cannot share a transaction, so the order is: the
//! service stores the object first (outside the database transaction), then inserts the
//! row and its audit entry in its transaction; when that transaction fails or is
//! refused, the service calls [`FileStore::delete`] on the key. A crash between the
//! upload and the commit can still leave an object that no row names: run
//! [`FileStore::sweep_orphans`] (at start-up and then daily, say) with the set of keys
//! the database knows and a grace period longer than any upload-plus-transaction, and
//! those objects are deleted. A multipart upload interrupted by a crash is not an
//! object at all on S3 (an `AbortIncompleteMultipartUpload` lifecycle rule on the
//! bucket frees its parts); on a local folder it is a staging file beside the objects,
//! which the sweeper does not see.

use std::{io::SeekFrom, pin::pin, sync::Arc};

use axum::{body::Body, response::Response};
use base64::Engine as _;
use bytes::Bytes;
use chrono::{DateTime, Datelike, Utc};
use futures::{Stream, StreamExt, TryStreamExt};
use http::{header, HeaderMap, HeaderValue, StatusCode};
use object_store::{
    aws::AmazonS3Builder, local::LocalFileSystem, path::Path, prefix::PrefixStore, ObjectStore, ObjectStoreExt, PutPayload, WriteMultipart,
};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use rand::RngCore;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

use crate::domain::{
    attachment::{self, check_size, download_name, normalise_name, FileKind, Inspection, SNIFF_LEN},
    Rule,
};

/// Every object key starts with this.
pub const KEY_PREFIX: &str = "evidence";

/// Files up to this size go up in one request; larger ones in parts of this size
/// (the S3 minimum for every part but the last).
pub const PART_SIZE: usize = 5 * 1024 * 1024;

/// Parts of one multipart upload held in memory and sent at once, at most.
pub const PARTS_IN_FLIGHT: usize = 2;

/// The most any single PDF stream may inflate to while the structure is checked
/// (a defence against compression bombs).
pub const PDF_MAX_INFLATE: usize = 64 * 1024 * 1024;

const READ_CHUNK: usize = 64 * 1024;

/// Where the evidence files live.
#[derive(Clone, Debug)]
pub struct FileStore {
    store: Arc<dyn ObjectStore>,
}

/// How to reach an S3-compatible store.
#[derive(Clone, Debug, Default)]
pub struct S3Config {
    /// `None` for AWS itself; otherwise the server's URL, e.g. `http://127.0.0.1:9000`.
    /// Requests are path-style (`endpoint/bucket/key`), as MinIO and s3s-fs expect.
    pub endpoint: Option<String>,
    pub bucket: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Allow a plain `http://` endpoint (a store on the same machine or network).
    pub allow_http: bool,
    /// A folder inside the bucket that holds every key (for a bucket shared between
    /// deployments, or one test from another); `None` for the bucket's root.
    pub prefix: Option<String>,
}

/// An accepted, stored file: what the database row keeps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredFile {
    /// The object key, made by the server.
    pub key: String,
    pub kind: FileKind,
    pub size: u64,
    /// SHA-256 of the content, lower-case hex.
    pub sha256: String,
    /// The name the file was uploaded under, normalised
    /// ([`attachment::normalise_name`]); data only, never part of a key or path.
    pub original_name: String,
}

/// Why an upload was not stored. Only [`PutError::Refused`] is the uploader's doing
/// and is shown to them; none of them leaves anything stored.
#[derive(Debug, thiserror::Error)]
pub enum PutError {
    #[error("refused: {0:?}")]
    Refused(Rule),
    /// The request body broke off (the client went away, a read timed out, ...).
    #[error("the upload broke off: {0}")]
    Body(String),
    #[error("temporary file: {0}")]
    Spool(#[from] std::io::Error),
    #[error("object store: {0}")]
    Storage(#[from] object_store::Error),
}

impl From<Rule> for PutError {
    fn from(rule: Rule) -> Self {
        PutError::Refused(rule)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not an evidence key: {0:?}")]
    BadKey(String),
    #[error("no such object: {0}")]
    NotFound(String),
    #[error("object store: {0}")]
    Storage(object_store::Error),
    #[error("folder: {0}")]
    Io(#[from] std::io::Error),
}

impl From<object_store::Error> for StoreError {
    fn from(error: object_store::Error) -> Self {
        match error {
            object_store::Error::NotFound { path, .. } => StoreError::NotFound(path),
            other => StoreError::Storage(other),
        }
    }
}

/// A stored object being read.
pub struct Opened {
    pub size: u64,
    pub body: futures::stream::BoxStream<'static, Result<Bytes, object_store::Error>>,
}

impl FileStore {
    /// Any object store; the two constructors below are the ones the server uses.
    pub fn new(store: Arc<dyn ObjectStore>) -> Self {
        Self { store }
    }

    /// A folder on this machine (created if missing). Writes are fsynced, and
    /// directories left empty by a delete are removed.
    pub fn local(dir: impl AsRef<std::path::Path>) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir.as_ref())?;
        let store = LocalFileSystem::new_with_prefix(dir.as_ref())?.with_automatic_cleanup(true).with_fsync(true);
        Ok(Self::new(Arc::new(store)))
    }

    /// An S3-compatible object store (AWS, MinIO, s3s-fs, ...).
    pub fn s3(config: &S3Config) -> Result<Self, StoreError> {
        // TLS to S3 uses rustls on ring (see app/Cargo.toml); installing it twice is harmless,
        // the second call only reports that a provider is already there
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(&config.bucket)
            .with_region(&config.region)
            .with_access_key_id(&config.access_key_id)
            .with_secret_access_key(&config.secret_access_key)
            .with_allow_http(config.allow_http)
            .with_virtual_hosted_style_request(false);
        if let Some(endpoint) = &config.endpoint {
            builder = builder.with_endpoint(endpoint);
        }
        let s3 = builder.build()?;
        Ok(Self::new(match &config.prefix {
            Some(prefix) => Arc::new(PrefixStore::new(s3, Path::from(prefix.as_str()))),
            None => Arc::new(s3),
        }))
    }

    /// Checks an upload by its content and stores it if it is accepted; see the module
    /// documentation for the steps. `max_bytes` is the size limit, `original_name`
    /// the name the client gave (kept as data only), `now` the instant of the upload by
    /// the injected clock (its month is part of the key).
    pub async fn put_checked<S, E>(&self, body: S, max_bytes: u64, original_name: &str, now: DateTime<Utc>) -> Result<StoredFile, PutError>
    where
        S: Stream<Item = Result<Bytes, E>>,
        E: std::fmt::Display,
    {
        let mut body = pin!(body);
        let mut size = 0u64;
        let mut next = async || -> Result<Option<Bytes>, PutError> {
            match body.next().await {
                None => Ok(None),
                Some(Err(error)) => Err(PutError::Body(error.to_string())),
                Some(Ok(chunk)) => {
                    size += chunk.len() as u64;
                    if size > max_bytes {
                        return Err(Rule::FileTooLarge { max_bytes }.into());
                    }
                    Ok(Some(chunk))
                }
            }
        };

        // 1. the first bytes: most refusals, before anything is written
        let mut head = Vec::new();
        while head.len() < SNIFF_LEN {
            match next().await? {
                Some(chunk) => head.extend_from_slice(&chunk),
                None => break,
            }
        }
        if head.is_empty() {
            return Err(Rule::FileEmpty.into());
        }
        let mut inspection = Inspection::start(&head)?;

        // 2. spool, count, hash and inspect every byte
        let mut spool = tokio::fs::File::from_std(tokio::task::spawn_blocking(tempfile::tempfile).await.map_err(std::io::Error::other)??);
        let mut hasher = Sha256::new();
        let mut take = async |chunk: &[u8], spool: &mut tokio::fs::File| -> Result<(), PutError> {
            inspection.feed(chunk);
            hasher.update(chunk);
            spool.write_all(chunk).await?;
            Ok(())
        };
        take(&head, &mut spool).await?;
        drop(head);
        while let Some(chunk) = next().await? {
            take(&chunk, &mut spool).await?;
        }
        check_size(size, max_bytes)?;
        let kind = inspection.finish()?;
        let sha256 = hex(&hasher.finalize());

        // 3. a PDF's structure
        if kind == FileKind::Pdf {
            spool.seek(SeekFrom::Start(0)).await?;
            let mut bytes = Vec::with_capacity(size as usize);
            spool.read_to_end(&mut bytes).await?;
            tokio::task::spawn_blocking(move || check_pdf(&bytes)).await.map_err(std::io::Error::other)??;
        }

        // 4. store it
        let key = new_key(now);
        spool.seek(SeekFrom::Start(0)).await?;
        self.upload(&Path::from(key.as_str()), spool, size).await?;
        Ok(StoredFile { key, kind, size, sha256, original_name: normalise_name(original_name) })
    }

    async fn upload(&self, location: &Path, mut spool: tokio::fs::File, size: u64) -> Result<(), PutError> {
        if size <= PART_SIZE as u64 {
            let mut bytes = Vec::with_capacity(size as usize);
            spool.read_to_end(&mut bytes).await?;
            self.store.put(location, PutPayload::from(bytes)).await?;
            return Ok(());
        }
        let mut writer = WriteMultipart::new_with_chunk_size(self.store.put_multipart(location).await?, PART_SIZE);
        match send_parts(&mut writer, &mut spool).await {
            Ok(()) => {
                // on failure `finish` aborts the upload itself
                writer.finish().await?;
                Ok(())
            }
            Err(error) => {
                if let Err(abort) = writer.abort().await {
                    tracing::warn!(%location, %abort, "aborting a multipart upload failed");
                }
                Err(error)
            }
        }
    }

    /// Opens a stored object for reading.
    pub async fn get(&self, key: &str) -> Result<Opened, StoreError> {
        let result = self.store.get(&location(key)?).await?;
        Ok(Opened { size: result.meta.size, body: result.into_stream() })
    }

    /// The whole content of a stored object (for tests and checks; downloads stream).
    pub async fn read_all(&self, key: &str) -> Result<Bytes, StoreError> {
        Ok(self.store.get(&location(key)?).await?.bytes().await?)
    }

    /// Deletes an object; deleting one that is not there is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), StoreError> {
        match self.store.delete(&location(key)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(error.into()),
        }
    }

    /// Every stored evidence key with its last-modified time.
    pub async fn list(&self) -> Result<Vec<(String, DateTime<Utc>)>, StoreError> {
        let metas: Vec<_> = self.store.list(Some(&Path::from(KEY_PREFIX))).try_collect().await?;
        Ok(metas.into_iter().map(|meta| (meta.location.to_string(), meta.last_modified)).collect())
    }

    /// Deletes the objects that no row knows (`is_known` is false) and that were last
    /// written before `now - grace`; returns their keys. See the module documentation.
    pub async fn sweep_orphans(
        &self,
        is_known: impl Fn(&str) -> bool,
        grace: chrono::Duration,
        now: DateTime<Utc>,
    ) -> Result<Vec<String>, StoreError> {
        let cutoff = now - grace;
        let mut swept = Vec::new();
        for (key, modified) in self.list().await? {
            if modified < cutoff && is_key(&key) && !is_known(&key) {
                self.delete(&key).await?;
                tracing::info!(%key, "deleted an orphaned evidence object");
                swept.push(key);
            }
        }
        Ok(swept)
    }

    /// Reads the object back and compares its size and SHA-256 with the row's.
    pub async fn verify(&self, file: &StoredFile) -> Result<bool, StoreError> {
        let mut opened = self.get(&file.key).await?;
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        while let Some(chunk) = opened.body.try_next().await? {
            size += chunk.len() as u64;
            hasher.update(&chunk);
        }
        Ok(size == file.size && hex(&hasher.finalize()) == file.sha256)
    }

    /// The download of a stored file: see [`download_headers`]. `inline` is honoured
    /// for images only.
    pub async fn download(&self, file: &StoredFile, inline: bool) -> Result<Response, StoreError> {
        let opened = self.get(&file.key).await?;
        if opened.size != file.size {
            tracing::error!(key = %file.key, stored = opened.size, expected = file.size, "an evidence object changed size");
            return Err(StoreError::NotFound(file.key.clone()));
        }
        Ok(download_response(file, inline, Body::from_stream(opened.body)))
    }
}

async fn send_parts(writer: &mut WriteMultipart, spool: &mut tokio::fs::File) -> Result<(), PutError> {
    let mut buffer = vec![0; READ_CHUNK];
    loop {
        let read = spool.read(&mut buffer).await?;
        if read == 0 {
            return Ok(());
        }
        writer.wait_for_capacity(PARTS_IN_FLIGHT).await?;
        writer.write(&buffer[..read]);
    }
}

/// A fresh key: `evidence/YYYY/MM/` and 128 random bits in hex.
pub fn new_key(now: DateTime<Utc>) -> String {
    let mut random = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut random);
    format!("{KEY_PREFIX}/{:04}/{:02}/{}", now.year(), now.month(), hex(&random))
}

/// Whether `key` has the shape of a key made by [`new_key`] (so no caller can reach
/// another path of the store).
pub fn is_key(key: &str) -> bool {
    let parts: Vec<&str> = key.split('/').collect();
    let digits = |part: &str, len: usize| part.len() == len && part.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [prefix, year, month, id] => {
            *prefix == KEY_PREFIX
                && digits(year, 4)
                && digits(month, 2)
                && id.len() == 32
                && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        }
        _ => false,
    }
}

fn location(key: &str) -> Result<Path, StoreError> {
    if is_key(key) {
        Ok(Path::from(key))
    } else {
        Err(StoreError::BadKey(key.to_owned()))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The structure check of a PDF: it must parse (every object the cross-reference
/// table names must load, the catalog and at least one page must be there), must not
/// be encrypted (its objects could not be checked), and no object, including those
/// packed in compressed object streams, may carry active content
/// ([`attachment::PDF_ACTIVE_NAMES`]).
pub fn check_pdf(bytes: &[u8]) -> Result<(), Rule> {
    use lopdf::{xref::XrefEntry, Document, LoadOptions, Object};

    let active = |name: String| Rule::PdfActiveContent { name: format!("/{name}") };
    if let Some(name) = attachment::pdf_active_name(bytes) {
        return Err(active(name));
    }
    let options = LoadOptions { max_decompressed_size: Some(PDF_MAX_INFLATE), ..LoadOptions::default() };
    let document = Document::load_mem_with_options(bytes, options).map_err(|_| Rule::PdfUnreadable)?;
    if document.trailer.has(b"Encrypt") || document.was_encrypted() {
        return Err(Rule::PdfEncrypted);
    }
    for (&number, entry) in &document.reference_table.entries {
        let id = match *entry {
            XrefEntry::Normal { generation, .. } => (number, generation),
            XrefEntry::Compressed { .. } => (number, 0),
            XrefEntry::Free | XrefEntry::UnusableFree => continue,
        };
        if !document.objects.contains_key(&id) {
            return Err(Rule::PdfUnreadable);
        }
    }
    if document.catalog().is_err() || document.get_pages().is_empty() {
        return Err(Rule::PdfUnreadable);
    }
    let is_active = |name: &[u8]| attachment::PDF_ACTIVE_NAMES.iter().find(|active| active.as_bytes() == name);
    for object in document.objects.values() {
        // iteratively, so that a deeply nested object cannot exhaust the stack
        let mut pending = vec![object];
        while let Some(object) = pending.pop() {
            match object {
                Object::Name(name) => {
                    if let Some(name) = is_active(name) {
                        return Err(active((*name).to_owned()));
                    }
                }
                Object::Array(items) => pending.extend(items),
                Object::Dictionary(dict) => {
                    for (key, value) in dict.iter() {
                        if let Some(name) = is_active(key) {
                            return Err(active((*name).to_owned()));
                        }
                        pending.push(value);
                    }
                }
                Object::Stream(stream) => {
                    for (key, value) in stream.dict.iter() {
                        if let Some(name) = is_active(key) {
                            return Err(active((*name).to_owned()));
                        }
                        pending.push(value);
                    }
                    // objects packed in an object stream, the ones no table names included
                    if stream.dict.has_type(b"ObjStm") {
                        let content = stream.decompressed_content_with_limit(PDF_MAX_INFLATE).map_err(|_| Rule::PdfUnreadable)?;
                        if let Some(name) = attachment::pdf_active_name(&content) {
                            return Err(active(name));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// RFC 5987 `attr-char`: everything else in `filename*` is percent-encoded.
const ATTR_CHAR_ESCAPE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// `Content-Disposition` per RFC 6266: `attachment` (or `inline`), an ASCII
/// `filename="..."` for old clients (non-ASCII and `%` become `_`, quotes and
/// backslashes are escaped) and `filename*=UTF-8''...` with the real name
/// percent-encoded. The name is normalised first, so no CR, LF or other control
/// character can reach the header.
pub fn content_disposition(name: &str, inline: bool) -> HeaderValue {
    let name = normalise_name(name);
    let mut fallback = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            '"' | '\\' => {
                fallback.push('\\');
                fallback.push(c);
            }
            '%' => fallback.push('_'),
            ' '..='~' => fallback.push(c),
            _ => fallback.push('_'),
        }
    }
    let disposition = if inline { "inline" } else { "attachment" };
    let value = format!("{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{}", utf8_percent_encode(&name, ATTR_CHAR_ESCAPE));
    HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static("attachment"))
}

/// The headers of a download: the checked Content-Type, `nosniff`, a sandboxing
/// Content-Security-Policy, Content-Disposition (`inline` only for images, and only
/// when asked), Content-Length and the SHA-256 three ways: as the ETag, as
/// `Repr-Digest` (RFC 9530) and as `X-Checksum-SHA256` in hex, the form `sha256sum`
/// prints, so that a reader can verify the document they got.
pub fn download_headers(file: &StoredFile, inline: bool) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let value = |text: &str| HeaderValue::from_str(text).unwrap_or(HeaderValue::from_static("invalid"));
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(file.kind.content_type()));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox"));
    headers.insert(
        header::CONTENT_DISPOSITION,
        content_disposition(&download_name(&file.original_name, file.kind), inline && file.kind.inline_ok()),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(file.size));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-transform"));
    if file.sha256.len() == 64 && file.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        headers.insert(header::ETAG, value(&format!("\"{}\"", file.sha256)));
        headers.insert("x-checksum-sha256", value(&file.sha256));
        let raw: Vec<u8> = (0..32).filter_map(|i| u8::from_str_radix(&file.sha256[2 * i..2 * i + 2], 16).ok()).collect();
        let encoded = base64::engine::general_purpose::STANDARD.encode(raw);
        headers.insert("repr-digest", value(&format!("sha-256=:{encoded}:")));
    }
    headers
}

/// A `200 OK` download response with [`download_headers`] and the given body.
pub fn download_response(file: &StoredFile, inline: bool, body: Body) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = StatusCode::OK;
    *response.headers_mut() = download_headers(file, inline);
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::attachment::samples;

    fn disposition(name: &str, inline: bool) -> String {
        content_disposition(name, inline).to_str().unwrap().to_owned()
    }

    #[test]
    fn content_disposition_encodes_a_chinese_name() {
        assert_eq!(
            disposition("社会稳定风险评估报告.pdf", false),
            "attachment; filename=\"__________.pdf\"; filename*=UTF-8''%E7%A4%BE%E4%BC%9A%E7%A8%B3%E5%AE%9A%E9%A3%8E%E9%99%A9%E8%AF%84%E4%BC%B0%E6%8A%A5%E5%91%8A.pdf"
        );
    }

    #[test]
    fn content_disposition_escapes_quotes_semicolons_and_line_breaks() {
        let value = disposition("a\"b;c\r\nSet-Cookie: x=1%.pdf", true);
        assert_eq!(value, "inline; filename=\"a\\\"b;cSet-Cookie: x=1_.pdf\"; filename*=UTF-8''a%22b%3BcSet-Cookie%3A%20x%3D1%25.pdf");
        // a backslash is a path separator: only the last component is kept
        assert_eq!(
            disposition("C:\\fakepath\\意见.txt", false),
            "attachment; filename=\"__.txt\"; filename*=UTF-8''%E6%84%8F%E8%A7%81.txt"
        );
        assert!(!value.contains('\r') && !value.contains('\n'));
    }

    #[test]
    fn download_headers_carry_the_checked_type_and_the_checksum() {
        let file = StoredFile {
            key: "evidence/2026/03/0123456789abcdef0123456789abcdef".into(),
            kind: FileKind::Pdf,
            size: 3,
            sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad".into(),
            original_name: "invoice.exe".into(),
        };
        let headers = download_headers(&file, true);
        assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        // a PDF is never inline, and gets its real extension
        assert_eq!(headers[header::CONTENT_DISPOSITION], "attachment; filename=\"invoice.exe.pdf\"; filename*=UTF-8''invoice.exe.pdf");
        assert_eq!(headers[header::CONTENT_LENGTH], "3");
        assert_eq!(headers["x-checksum-sha256"], file.sha256.as_str());
        assert_eq!(headers["repr-digest"], "sha-256=:ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=:");
        let image = StoredFile { kind: FileKind::Png, original_name: "site.png".into(), ..file };
        assert!(download_headers(&image, true)[header::CONTENT_DISPOSITION].to_str().unwrap().starts_with("inline;"));
        assert!(download_headers(&image, false)[header::CONTENT_DISPOSITION].to_str().unwrap().starts_with("attachment;"));
    }

    #[test]
    fn keys_are_made_by_the_server() {
        let key = new_key(DateTime::parse_from_rfc3339("2026-03-09T10:00:00Z").unwrap().with_timezone(&Utc));
        assert!(key.starts_with("evidence/2026/03/") && key.len() == "evidence/2026/03/".len() + 32, "{key}");
        assert!(is_key(&key));
        assert_ne!(key, new_key(DateTime::parse_from_rfc3339("2026-03-09T10:00:00Z").unwrap().with_timezone(&Utc)), "random, not derived");
        for bad in ["evidence/2026/03/../../etc/passwd", "evidence/2026/3/00000000000000000000000000000000", "other/2026/03/0", ""] {
            assert!(!is_key(bad), "{bad}");
        }
    }

    #[test]
    fn pdf_structure_accepts_a_valid_file() {
        assert_eq!(check_pdf(&samples::pdf("")), Ok(()));
    }

    #[test]
    fn pdf_unreadable() {
        assert_eq!(check_pdf(b"%PDF-1.7\nthis is not a PDF at all\n%%EOF\n"), Err(Rule::PdfUnreadable));
        let whole = samples::pdf("");
        // cut before the cross-reference table
        assert_eq!(check_pdf(&whole[..whole.len() / 2]), Err(Rule::PdfUnreadable));
        // an object the table points at is garbage
        let broken = String::from_utf8_lossy(&whole).replace("<< /Type /Pages", "<< /Type /Pages ]]]>>").into_bytes();
        assert_eq!(check_pdf(&broken), Err(Rule::PdfUnreadable));
    }

    #[test]
    fn pdf_active_content_in_objects() {
        assert_eq!(
            check_pdf(&samples::pdf("/OpenAction << /S /Launch /F (calc.exe) >>")),
            Err(Rule::PdfActiveContent { name: "/Launch".into() })
        );
    }
}
