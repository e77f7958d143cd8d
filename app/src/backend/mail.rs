//! Mail with a one-time link (verify an address, reset a password), sent through the SMTP
//! relay the operator configures (`minyi serve --smtp-url`). Without one, the link is
//! written to the server's log instead, so that a development or demonstration server
//! still works; the README says so.
//!
//! Each mail is sent after the transaction that issued its link commits, in a task of
//! its own: the answer to the person does not wait for the relay, and does not take
//! longer for an address that has an account than for one that has none.

use std::sync::Arc;

use lettre::{
    message::{
        header::{ContentTransferEncoding, ContentType},
        Mailbox, SinglePart,
    },
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};

/// What a mail is about; each carries the one-time token its link holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LetterKind {
    /// A new account: the link proves the address and signs in.
    Verify { token: String, next: Option<String> },
    /// Someone registered with an address that has an account: how to sign in, and a
    /// link to reset the password should it be forgotten.
    AlreadyRegistered { reset_token: String },
    /// A password reset was asked for.
    Reset { token: String },
}

/// A mail to send: to whom, and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Letter {
    pub to: String,
    pub name: String,
    pub kind: LetterKind,
}

impl Letter {
    /// The token the mail's link carries.
    pub fn token(&self) -> &str {
        match &self.kind {
            LetterKind::Verify { token, .. } | LetterKind::Reset { token } => token,
            LetterKind::AlreadyRegistered { reset_token } => reset_token,
        }
    }

    /// The subject and the plain-text body, in Chinese and then English, with links under
    /// `public_url` (no trailing slash).
    pub fn render(&self, public_url: &str) -> (String, String) {
        let enc = |s: &str| percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string();
        match &self.kind {
            LetterKind::Verify { token, next } => {
                let mut link = format!("{public_url}/account/verify?token={token}");
                if let Some(next) = next.as_deref().filter(|n| !n.is_empty() && *n != "/") {
                    link.push_str(&format!("&next={}", enc(next)));
                }
                (
                    "民意：请确认你的邮箱 / Minyi: confirm your e-mail".to_owned(),
                    format!(
                        "{name}，你好：\n\n请打开下面的链接，确认这个邮箱并完成注册（48 小时内有效，只能使用一次）：\n\n{link}\n\n\
                         如果你没有在民意平台注册，请忽略本邮件，不要打开链接。\n\n\
                         ----\n\nHello {name},\n\nOpen this link to confirm the address and finish registering \
                         (it works once, for 48 hours):\n\n{link}\n\nIf you did not register on Minyi, ignore this mail.\n",
                        name = self.name
                    ),
                )
            }
            LetterKind::AlreadyRegistered { reset_token } => {
                let signin = format!("{public_url}/signin");
                let link = format!("{public_url}/account/reset?token={reset_token}");
                (
                    "民意：这个邮箱已经有账户 / Minyi: this address has an account".to_owned(),
                    format!(
                        "{name}，你好：\n\n有人（可能就是你）想用这个邮箱注册民意平台，但这个邮箱已经有账户了。\n\n\
                         请直接登录：{signin}\n\n忘记密码的话，可以用这个链接设置新密码（1 小时内有效，只能使用一次）：\n\n{link}\n\n\
                         如果不是你本人操作，请忽略本邮件，你的账户没有任何变化。\n\n\
                         ----\n\nHello {name},\n\nSomeone (perhaps you) tried to register on Minyi with this address, \
                         which already has an account.\n\nSign in: {signin}\n\nForgot the password? Choose a new one here \
                         (the link works once, for 1 hour):\n\n{link}\n\nIf it was not you, ignore this mail: nothing has changed.\n",
                        name = self.name
                    ),
                )
            }
            LetterKind::Reset { token } => {
                let link = format!("{public_url}/account/reset?token={token}");
                (
                    "民意：重设密码 / Minyi: reset your password".to_owned(),
                    format!(
                        "{name}，你好：\n\n请打开下面的链接设置新密码（1 小时内有效，只能使用一次）：\n\n{link}\n\n\
                         如果你没有申请重设密码，请忽略本邮件，你的密码不会改变。\n\n\
                         ----\n\nHello {name},\n\nOpen this link to choose a new password (it works once, for 1 hour):\n\n{link}\n\n\
                         If you did not ask for this, ignore this mail: your password stays as it is.\n",
                        name = self.name
                    ),
                )
            }
        }
    }
}

/// Sends letters through SMTP, or writes their links to the log when no relay is set.
#[derive(Clone)]
pub struct Mailer {
    transport: Option<Arc<AsyncSmtpTransport<Tokio1Executor>>>,
    from: Mailbox,
    public_url: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("smtp", &self.transport.is_some()).field("from", &self.from.to_string()).finish()
    }
}

impl Default for Mailer {
    fn default() -> Self {
        Self::log_only("http://127.0.0.1:3000")
    }
}

/// Why a mail setting cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum MailSetupError {
    #[error("--smtp-url: {0} (e.g. smtp://relay.example.cn:587?tls=required or smtps://user:password@relay.example.cn)")]
    Url(#[from] lettre::transport::smtp::Error),
    #[error("--mail-from: {0} (e.g. \"民意平台 <no-reply@example.cn>\")")]
    From(#[from] lettre::address::AddressError),
}

impl Mailer {
    /// No relay: each letter's link goes to the log (target `mail`).
    pub fn log_only(public_url: &str) -> Self {
        Self {
            transport: None,
            from: "Minyi <no-reply@localhost>".parse().expect("a valid mailbox"),
            public_url: public_url.trim_end_matches('/').to_owned(),
        }
    }

    /// Through the relay at `smtp_url` (lettre's URL form: `smtp://host:port`, `?tls=required`
    /// for STARTTLS, `smtps://` for TLS from the start, credentials in the user part).
    pub fn smtp(smtp_url: &str, from: &str, public_url: &str) -> Result<Self, MailSetupError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)?.build();
        Ok(Self { transport: Some(Arc::new(transport)), from: from.parse()?, public_url: public_url.trim_end_matches('/').to_owned() })
    }

    /// Sends the letter in a task of its own; a failure is logged (the person can ask again).
    pub fn send_later(&self, letter: Letter) {
        let mailer = self.clone();
        tokio::spawn(async move { mailer.send(&letter).await });
    }

    /// Sends the letter now; a failure is logged and returned.
    pub async fn send(&self, letter: &Letter) -> bool {
        let (subject, body) = letter.render(&self.public_url);
        let Some(transport) = &self.transport else {
            let link = body.lines().find(|l| l.starts_with("http") && l.contains("token=")).unwrap_or_default();
            tracing::info!(target: "mail", to = %letter.to, subject = %subject, link = %link, "no --smtp-url: the mail is not sent; its link");
            return true;
        };
        let message = (|| {
            let to: Mailbox = letter.to.parse().ok()?;
            Message::builder()
                .from(self.from.clone())
                .to(to)
                .subject(subject.clone())
                .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).header(ContentTransferEncoding::Base64).body(body))
                .ok()
        })();
        let Some(message) = message else {
            tracing::warn!(target: "mail", to = %letter.to, "cannot build the mail (the address is not one a mail server takes)");
            return false;
        };
        match transport.send(message).await {
            Ok(_) => {
                tracing::info!(target: "mail", subject = %subject, "mail sent");
                true
            }
            Err(e) => {
                tracing::warn!(target: "mail", error = %e, subject = %subject, "mail not sent");
                false
            }
        }
    }
}
