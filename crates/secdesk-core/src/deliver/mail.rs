//! Mail through the organisation's relay (lettre, blocking SMTP): who gets
//! what, the server and how it is reached, and sending. Off unless asked:
//! without a [`MailPlan`] nothing touches the network. The password comes
//! from the caller (the environment), never from the database.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{SmtpTransport, Transport};

use super::Sent;
use crate::error::DeliverError;
use crate::settings::DeliverySettings;

/// How the relay is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Plain connection upgraded with STARTTLS (port 587 by default).
    StartTls,
    /// TLS from the first byte (port 465 by default).
    Tls,
    /// No encryption (port 25 by default): only for a relay on this machine
    /// or at a private address.
    None,
}

impl Security {
    pub fn parse(text: &str) -> Option<Security> {
        match text.trim().to_ascii_lowercase().as_str() {
            "starttls" => Some(Security::StartTls),
            "tls" | "ssl" | "smtps" => Some(Security::Tls),
            "none" | "plain" => Some(Security::None),
            _ => None,
        }
    }

    fn default_port(self) -> u16 {
        match self {
            Security::StartTls => 587,
            Security::Tls => 465,
            Security::None => 25,
        }
    }
}

/// The relay.
#[derive(Debug, Clone)]
pub struct SmtpServer {
    pub host: String,
    pub port: Option<u16>,
    pub security: Security,
    pub user: Option<String>,
    pub password: Option<String>,
}

impl SmtpServer {
    /// `host:port (starttls)`, for messages (never the password).
    pub fn describe(&self) -> String {
        let security = match self.security {
            Security::StartTls => "starttls",
            Security::Tls => "tls",
            Security::None => "no encryption",
        };
        format!(
            "{}:{} ({security})",
            self.host,
            self.port.unwrap_or(self.security.default_port())
        )
    }

    /// Whether the host is this machine or a private address.
    fn is_local(&self) -> bool {
        let host = self.host.trim_matches(['[', ']']);
        if host.eq_ignore_ascii_case("localhost") {
            return true;
        }
        match host.parse::<IpAddr>() {
            Ok(IpAddr::V4(ip)) => ip.is_loopback() || ip.is_private(),
            Ok(IpAddr::V6(ip)) => ip.is_loopback(),
            Err(_) => false,
        }
    }

    fn transport(&self) -> Result<SmtpTransport, String> {
        let port = self.port.unwrap_or(self.security.default_port());
        let builder = match self.security {
            Security::StartTls => {
                SmtpTransport::starttls_relay(&self.host).map_err(|e| e.to_string())?
            }
            Security::Tls => SmtpTransport::relay(&self.host).map_err(|e| e.to_string())?,
            Security::None => SmtpTransport::builder_dangerous(&self.host),
        };
        let mut builder = builder.port(port).timeout(Some(Duration::from_secs(30)));
        if let Some(user) = &self.user {
            builder = builder.credentials(Credentials::new(
                user.clone(),
                self.password.clone().unwrap_or_default(),
            ));
        }
        Ok(builder.build())
    }
}

/// Who gets the reports, from whom, through which relay.
#[derive(Debug, Clone)]
pub struct MailPlan {
    pub server: SmtpServer,
    pub from: String,
    /// Recipients of the weekly report.
    pub to: Vec<String>,
    /// Assignee → address, for the personal reports.
    pub addresses: BTreeMap<String, String>,
}

fn mailbox(field: &str, text: &str) -> Result<Mailbox, DeliverError> {
    text.trim().parse().map_err(|e| DeliverError::Mail {
        field: field.to_string(),
        reason: format!("`{text}` is not a mail address ({e})"),
    })
}

impl MailPlan {
    /// Checks the plan before anything is written: addresses, the server,
    /// a password where a user is named.
    pub fn new(
        server: SmtpServer,
        from: &str,
        to: Vec<String>,
        addresses: BTreeMap<String, String>,
    ) -> Result<MailPlan, DeliverError> {
        let bad = |field: &str, reason: &str| DeliverError::Mail {
            field: field.to_string(),
            reason: reason.to_string(),
        };
        if server.host.trim().is_empty() {
            return Err(bad("smtp-host", "the relay's host name is needed to mail"));
        }
        if server.security == Security::None && !server.is_local() {
            return Err(bad(
                "smtp-security",
                "`none` sends the reports in clear: only for a relay on this machine or at a private address (10.x, 172.16–31.x, 192.168.x); use starttls or tls",
            ));
        }
        if server.user.is_some() && server.password.is_none() {
            return Err(bad(
                "smtp-user",
                "a user needs its password in the environment variable SECDESK_SMTP_PASSWORD",
            ));
        }
        mailbox("mail-from", from)?;
        if to.is_empty() {
            return Err(bad(
                "mail-to",
                "at least one recipient of the weekly report",
            ));
        }
        for t in &to {
            mailbox("mail-to", t)?;
        }
        for a in addresses.values() {
            mailbox("addresses", a)?;
        }
        Ok(MailPlan {
            server,
            from: from.trim().to_string(),
            to,
            addresses,
        })
    }

    /// An assignee's address: from the mapping, or the assignee itself when
    /// the export names assignees by address.
    pub fn address_of(&self, assignee: &str) -> Option<String> {
        if let Some(a) = self.addresses.get(assignee) {
            return Some(a.clone());
        }
        let looks_like_address = assignee.contains('@') && assignee.parse::<Mailbox>().is_ok();
        looks_like_address.then(|| assignee.to_string())
    }
}

/// The mail plan the delivery settings describe (the front ends put their
/// flags over the saved settings first); `None` when they name no recipient.
pub fn plan_from(
    d: &DeliverySettings,
    password: Option<String>,
) -> Result<Option<MailPlan>, DeliverError> {
    if d.mail_to.is_empty() {
        return Ok(None);
    }
    let security_text = d.smtp_security.as_deref().unwrap_or("starttls");
    let security = Security::parse(security_text).ok_or_else(|| DeliverError::Mail {
        field: "smtp-security".into(),
        reason: format!("`{security_text}`: starttls, tls or none"),
    })?;
    let from = d.mail_from.as_deref().ok_or_else(|| DeliverError::Mail {
        field: "mail-from".into(),
        reason: "the sender's address is needed to mail (setting delivery.mail_from)".into(),
    })?;
    let addresses = match &d.addresses {
        Some(p) => read_addresses(std::path::Path::new(p))?,
        None => BTreeMap::new(),
    };
    let server = SmtpServer {
        host: d.smtp_host.clone().unwrap_or_default(),
        port: d.smtp_port,
        security,
        user: d.smtp_user.clone(),
        password,
    };
    Ok(Some(MailPlan::new(
        server,
        from,
        d.mail_to.clone(),
        addresses,
    )?))
}

/// Reads `assignee,email` lines (a header line is skipped; `#` comments).
pub fn read_addresses(path: &std::path::Path) -> Result<BTreeMap<String, String>, DeliverError> {
    let text = std::fs::read_to_string(path).map_err(|e| DeliverError::Mail {
        field: "addresses".into(),
        reason: format!("cannot read {}: {e}", path.display()),
    })?;
    let mut out = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((who, address)) = line.rsplit_once([',', ';', '\t']) else {
            return Err(DeliverError::Mail {
                field: "addresses".into(),
                reason: format!(
                    "{} line {}: expected `assignee,email`",
                    path.display(),
                    n + 1
                ),
            });
        };
        let (who, address) = (
            who.trim().trim_matches('"'),
            address.trim().trim_matches('"'),
        );
        if n == 0 && !address.contains('@') {
            continue; // a header
        }
        out.insert(who.to_string(), address.to_string());
    }
    Ok(out)
}

/// One message to send.
#[derive(Debug, Clone)]
pub struct Message {
    pub to: Vec<String>,
    pub subject: String,
    pub body: String,
    pub attachments: Vec<PathBuf>,
}

/// What was sent before a failure, and the failure.
#[derive(Debug)]
pub struct SendFailure {
    pub sent: Vec<Sent>,
    pub message: String,
}

fn build(plan: &MailPlan, m: &Message) -> Result<lettre::Message, String> {
    let mut b = lettre::Message::builder()
        .from(mailbox("mail-from", &plan.from).map_err(|e| e.to_string())?)
        .subject(m.subject.clone());
    for t in &m.to {
        b = b.to(mailbox("mail-to", t).map_err(|e| e.to_string())?);
    }
    let mut parts = MultiPart::mixed().singlepart(SinglePart::plain(m.body.clone()));
    for path in &m.attachments {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let kind = if name.ends_with(".pdf") {
            "application/pdf"
        } else {
            "text/html; charset=utf-8"
        };
        let kind = ContentType::parse(kind).map_err(|e| e.to_string())?;
        parts = parts.singlepart(Attachment::new(name).body(bytes, kind));
    }
    b.multipart(parts).map_err(|e| e.to_string())
}

/// Sends every message through one connection to the relay; stops at the
/// first failure.
pub fn send_all(plan: &MailPlan, messages: &[Message]) -> Result<Vec<Sent>, SendFailure> {
    let mut sent = Vec::new();
    let transport = match plan.server.transport() {
        Ok(t) => t,
        Err(message) => return Err(SendFailure { sent, message }),
    };
    for m in messages {
        let result = build(plan, m).and_then(|email| {
            transport
                .send(&email)
                .map(|_| ())
                .map_err(|e| e.to_string())
        });
        if let Err(message) = result {
            return Err(SendFailure { sent, message });
        }
        sent.push(Sent {
            to: m.to.clone(),
            subject: m.subject.clone(),
            attachments: m
                .attachments
                .iter()
                .map(|p| p.display().to_string())
                .collect(),
        });
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(host: &str, security: Security) -> SmtpServer {
        SmtpServer {
            host: host.into(),
            port: None,
            security,
            user: None,
            password: None,
        }
    }

    #[test]
    fn a_plan_is_checked_before_anything_is_written() {
        let to = vec!["lead@example.com".to_string()];
        let ok = |s: SmtpServer| MailPlan::new(s, "desk@example.com", to.clone(), BTreeMap::new());
        assert!(ok(server("127.0.0.1", Security::None)).is_ok());
        assert!(ok(server("192.168.1.20", Security::None)).is_ok());
        let e = ok(server("smtp.example.com", Security::None)).expect_err("clear text");
        assert!(e.to_string().contains("smtp-security"), "{e}");
        assert!(ok(server("smtp.example.com", Security::StartTls)).is_ok());
        let mut with_user = server("smtp.example.com", Security::Tls);
        with_user.user = Some("desk".into());
        let e = ok(with_user).expect_err("no password");
        assert!(e.to_string().contains("SECDESK_SMTP_PASSWORD"), "{e}");
        let e = MailPlan::new(
            server("smtp.example.com", Security::Tls),
            "not an address",
            to.clone(),
            BTreeMap::new(),
        )
        .expect_err("from");
        assert!(e.to_string().starts_with("mail-from"), "{e}");
        assert_eq!(
            server("mx", Security::StartTls).describe(),
            "mx:587 (starttls)"
        );
    }

    #[test]
    fn assignees_are_mailed_at_their_mapped_or_own_address() {
        let plan = MailPlan::new(
            server("localhost", Security::None),
            "desk@example.com",
            vec!["lead@example.com".into()],
            BTreeMap::from([("Ann Lee".to_string(), "ann@example.com".to_string())]),
        )
        .expect("plan");
        assert_eq!(
            plan.address_of("Ann Lee").as_deref(),
            Some("ann@example.com")
        );
        assert_eq!(
            plan.address_of("bob@example.com").as_deref(),
            Some("bob@example.com")
        );
        assert_eq!(plan.address_of("Cy"), None);
    }

    #[test]
    fn the_addresses_file_takes_a_header_and_comments() {
        let dir = tempfile::tempdir().expect("dir");
        let p = dir.path().join("a.csv");
        std::fs::write(
            &p,
            "assignee,email\n# the SOC\nAnn Lee,ann@example.com\n\"Lee, Bo\";bo@example.com\n",
        )
        .expect("write");
        let a = read_addresses(&p).expect("read");
        assert_eq!(a.len(), 2);
        assert_eq!(a["Lee, Bo"], "bo@example.com");
        std::fs::write(&p, "Ann Lee ann@example.com\n").expect("write");
        assert!(read_addresses(&p).is_err());
    }
}
