//! `secdesk deliver` against a mail server on loopback that this test runs
//! (a small SMTP sink: it accepts every message and keeps it), and
//! `secdesk schedule`.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};

use secdesk_core::format::{format_value, Unit};
use serde_json::Value;

use crate::helpers::*;

/// A message as the sink received it.
#[derive(Debug, Clone)]
struct Received {
    to: Vec<String>,
    data: String,
}

/// An SMTP server on 127.0.0.1 that accepts every message.
struct Sink {
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
}

fn serve(stream: TcpStream, received: &Mutex<Vec<Received>>) -> std::io::Result<()> {
    let mut out = stream.try_clone()?;
    let mut lines = BufReader::new(stream);
    out.write_all(b"220 sink ESMTP\r\n")?;
    let mut to = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let upper = line.to_ascii_uppercase();
        if upper.starts_with("EHLO") {
            out.write_all(b"250-sink\r\n250 8BITMIME\r\n")?;
        } else if upper.starts_with("RCPT TO:") {
            to.push(line[8..].trim().trim_matches(['<', '>']).to_string());
            out.write_all(b"250 OK\r\n")?;
        } else if upper.starts_with("DATA") {
            out.write_all(b"354 go ahead\r\n")?;
            let mut data = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line)? == 0 || line == ".\r\n" {
                    break;
                }
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            received.lock().expect("sink").push(Received {
                to: std::mem::take(&mut to),
                data,
            });
            out.write_all(b"250 OK queued\r\n")?;
        } else if upper.starts_with("QUIT") {
            out.write_all(b"221 bye\r\n")?;
            return Ok(());
        } else {
            out.write_all(b"250 OK\r\n")?;
        }
    }
}

fn start_sink() -> Sink {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let shared = received.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = serve(stream, &shared);
        }
    });
    Sink { port, received }
}

/// Standard base64, line breaks ignored.
fn base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let digits: Vec<u8> = text.bytes().filter_map(value).collect();
    digits
        .chunks(4)
        .flat_map(|c| {
            let n = c.iter().fold(0u32, |n, d| n << 6 | u32::from(*d)) << (6 * (4 - c.len()));
            let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
            bytes[..c.len().saturating_sub(1)].to_vec()
        })
        .collect()
}

/// The attachments of a message: (file name, bytes).
fn attachments(data: &str) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for part in data.split("\r\n--") {
        let Some((head, body)) = part.split_once("\r\n\r\n") else {
            continue;
        };
        // `filename="…"`, or RFC 2231's `filename*0="…"; filename*1="…"` for long names.
        let name: String = head
            .split("filename")
            .skip(1)
            .filter_map(|r| {
                r.split_once("=\"")
                    .map(|(_, v)| v.split('"').next().unwrap_or(""))
            })
            .collect();
        if name.is_empty() {
            continue;
        }
        assert!(head.to_ascii_lowercase().contains("base64"), "{head}");
        out.push((name, base64(body)));
    }
    out
}

/// A database of generated data (60 assignees at most, a year of tickets).
fn generated_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let (d, db) = temp_db();
    let data = d.path().join("data");
    let o = run(
        &db,
        &[
            "generate",
            "--tickets",
            "800",
            "--out",
            data.to_str().expect("path"),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    for (kind, file) in [("tickets", "tickets.csv"), ("surveys", "surveys.csv")] {
        let o = run(
            &db,
            &["import", kind, data.join(file).to_str().expect("path")],
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    (d, db)
}

fn assignees(db: &Path) -> Vec<String> {
    metrics_json(db, &[])["by_assignee"]
        .as_array()
        .expect("by_assignee")
        .iter()
        .filter_map(|r| r["assignee"].as_str().map(String::from))
        .filter(|a| a != "(none)")
        .collect()
}

fn deliver(db: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["deliver", "--stale-after", "36500d"];
    all.extend_from_slice(args);
    run(db, &all)
}

#[test]
fn deliver_mails_the_week_and_each_assignee_then_refuses_a_repeat() {
    let (d, db) = generated_db();
    let sink = start_sink();
    let out = d.path().join("out");
    let people = assignees(&db);
    assert!(people.len() >= 3, "{people:?}");
    // Every assignee but the last has an address.
    let book = d.path().join("addresses.csv");
    let mut lines = vec!["assignee,email".to_string()];
    for (i, who) in people[..people.len() - 1].iter().enumerate() {
        lines.push(format!("{who},person{i}@example.com"));
    }
    std::fs::write(&book, lines.join("\n")).expect("addresses");
    let port = sink.port.to_string();
    let mail = [
        "--mail-to",
        "lead@example.com",
        "--mail-from",
        "secdesk@example.com",
        "--smtp-host",
        "127.0.0.1",
        "--smtp-port",
        &port,
        "--smtp-security",
        "none",
    ];
    let mut args = vec![
        "--out-dir",
        out.to_str().expect("path"),
        "--per-assignee",
        "--addresses",
        book.to_str().expect("path"),
        "--json",
    ];
    args.extend(mail);
    let o = deliver(&db, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    let outcome: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(outcome["outcome"], "delivered", "{outcome}");
    let week = outcome["week"].as_str().expect("week").to_string();
    let received = sink.received.lock().expect("sink").clone();
    let sent = outcome["sent"].as_array().expect("sent").len();
    assert_eq!(received.len(), sent);

    // The weekly report: to the lead, the week in the subject, a PDF whose
    // text holds the week's first-response median, and no requester's name.
    let weekly = &received[0];
    assert_eq!(weekly.to, vec!["lead@example.com"]);
    assert!(
        weekly
            .data
            .contains(&format!("Subject: secdesk weekly report {week}")),
        "{}",
        &weekly.data[..400]
    );
    let files = attachments(&weekly.data);
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].0, format!("secdesk-weekly-{week}.pdf"));
    assert!(files[0].1.starts_with(b"%PDF-"));
    let pdf = d.path().join("mailed.pdf");
    std::fs::write(&pdf, &files[0].1).expect("pdf");
    let text = pdftotext(&pdf).expect("pdftotext");
    let m = metrics_json(&db, &["--week", &week]);
    let median = m["overall"]["first_response_minutes"]["median"].as_f64();
    let shown = format_value(median, Unit::Minutes, "");
    assert!(text.contains(&shown), "{shown} not in the mailed PDF");
    let plain = run(&db, &["report", "--week", &week, "--json"]);
    let plain: Value = serde_json::from_slice(&plain.stdout).expect("report");
    let requesters: Vec<String> = ["breached", "silent"]
        .iter()
        .flat_map(|k| plain[k].as_array().cloned().unwrap_or_default())
        .filter_map(|t| t["requester"].as_str().map(String::from))
        .collect();
    assert!(
        !requesters.is_empty(),
        "the week lists tickets with requesters"
    );
    for r in &requesters {
        assert!(
            !text.contains(r.as_str()),
            "requester {r} in the mailed report"
        );
    }
    // The body carries the headline numbers as text.
    assert!(
        weekly.data.contains("First response median: "),
        "no headline in the body"
    );

    // Each personal report goes to its assignee alone, naming no one else.
    let mut mailed_people = 0;
    for m in &received[1..] {
        assert_eq!(m.to.len(), 1);
        let i: usize = m.to[0]
            .trim_start_matches("person")
            .trim_end_matches("@example.com")
            .parse()
            .expect("address");
        let who = &people[i];
        let files = attachments(&m.data);
        assert_eq!(files.len(), 1, "{}", &m.data[..m.data.len().min(1500)]);
        assert!(
            files[0].0.starts_with(&format!("secdesk-{week}-")),
            "{}",
            files[0].0
        );
        let path = d.path().join(&files[0].0);
        std::fs::write(&path, &files[0].1).expect("pdf");
        let text = pdftotext(&path).expect("pdftotext");
        assert!(text.contains(who.as_str()), "{who} not in their report");
        for other in people.iter().filter(|p| *p != who) {
            assert!(
                !text.contains(other.as_str()),
                "{other} named in {who}'s report"
            );
        }
        mailed_people += 1;
    }
    assert!(mailed_people >= 2);
    let last = people.last().expect("someone");
    let not_mailed = outcome["not_mailed"].as_array().expect("not_mailed");
    assert!(
        not_mailed.iter().all(|n| n == last.as_str()),
        "{not_mailed:?}"
    );

    // The same week again: exit 6, nothing sent.
    let again = deliver(
        &db,
        &[&["--out-dir", out.to_str().expect("path")][..], &mail[..]].concat(),
    );
    assert_eq!(again.status.code(), Some(6), "{}", stderr(&again));
    assert!(stderr(&again).contains(&week), "{}", stderr(&again));
    assert_eq!(sink.received.lock().expect("sink").len(), received.len());
}

#[test]
fn stale_data_and_a_failed_send_have_their_own_exit_codes() {
    let (d, db) = generated_db();
    let out = d.path().join("out");
    let out = out.to_str().expect("path");
    // The generated data ends on 2026-11-20: older than 1 minute ago.
    let o = run(&db, &["deliver", "--out-dir", out, "--stale-after", "1m"]);
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    assert!(stderr(&o).contains("--stale-after"), "{}", stderr(&o));
    assert!(!Path::new(out).exists(), "nothing is written when stale");
    // A relay that does not answer: exit 7, the files stay.
    let closed = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = closed.local_addr().expect("addr").port().to_string();
    drop(closed);
    let mail = [
        "--out-dir",
        out,
        "--mail-to",
        "lead@example.com",
        "--mail-from",
        "secdesk@example.com",
        "--smtp-host",
        "127.0.0.1",
        "--smtp-port",
        &port,
        "--smtp-security",
        "none",
    ];
    let o = deliver(&db, &mail);
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
    let kept: Vec<_> = std::fs::read_dir(out).expect("out").flatten().collect();
    assert_eq!(kept.len(), 1, "the weekly PDF stays");
    assert!(stderr(&o).contains("written and kept"), "{}", stderr(&o));
    // A failed send is not a delivery: with the relay up, it goes out.
    let sink = start_sink();
    let port = sink.port.to_string();
    let mut mail = mail.to_vec();
    mail[9] = &port;
    let o = deliver(&db, &mail);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(sink.received.lock().expect("sink").len(), 1);
    // A relay in clear text at a public address is refused before anything is written.
    let o = deliver(
        &db,
        &[
            "--out-dir",
            out,
            "--force",
            "--mail-to",
            "l@example.com",
            "--mail-from",
            "s@example.com",
            "--smtp-host",
            "smtp.example.com",
            "--smtp-security",
            "none",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("smtp-security"), "{}", stderr(&o));
}

#[test]
fn per_assignee_files_without_mail_name_only_their_assignee() {
    let (d, db) = generated_db();
    let out = d.path().join("out");
    let o = deliver(
        &db,
        &[
            "--out-dir",
            out.to_str().expect("path"),
            "--per-assignee",
            "--format",
            "html",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let outcome: Value = serde_json::from_slice(&o.stdout).expect("json");
    let week = outcome["week"].as_str().expect("week");
    let people = assignees(&db);
    let files = outcome["files"].as_array().expect("files");
    let personal: Vec<&Value> = files.iter().filter(|f| f["assignee"].is_string()).collect();
    assert!(personal.len() >= 2);
    for f in personal {
        let who = f["assignee"].as_str().expect("who");
        let path = f["path"].as_str().expect("path");
        assert!(
            path.ends_with(&format!(
                "secdesk-{week}-{}.html",
                secdesk_core::deliver::slug(who)
            )),
            "{path}"
        );
        let html = std::fs::read_to_string(path).expect("html");
        assert!(html.contains(who));
        for other in people.iter().filter(|p| p.as_str() != who) {
            assert!(!html.contains(other.as_str()), "{other} in {path}");
        }
    }
    // Nothing was mailed, and the history says where the files went.
    assert!(outcome["sent"].as_array().is_some_and(Vec::is_empty));
}

#[test]
fn schedule_install_writes_a_timer_systemd_accepts_and_remove_deletes_it() {
    let (d, db) = temp_db();
    let units = d.path().join("units");
    let with_dir = |args: &[&str]| {
        std::process::Command::new(bin())
            .env("SECDESK_SYSTEMD_DIR", &units)
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .expect("run")
    };
    let o = with_dir(&[
        "schedule",
        "install",
        "--weekly",
        "mon",
        "07:00",
        "--no-enable",
        "--",
        "--out-dir",
        "/srv/reports",
        "--per-assignee",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let service = std::fs::read_to_string(units.join("secdesk-deliver.service")).expect("service");
    let timer = std::fs::read_to_string(units.join("secdesk-deliver.timer")).expect("timer");
    let golden =
        |name: &str| std::fs::read_to_string(fixture(&format!("deliver/{name}"))).expect("golden");
    assert_eq!(timer, golden("secdesk-deliver.timer"));
    let exec = service
        .lines()
        .find_map(|l| l.strip_prefix("ExecStart="))
        .expect("ExecStart");
    let db_path = std::fs::canonicalize(&db).unwrap_or(db.clone());
    assert_eq!(
        service.replace(exec, "{COMMAND}"),
        golden("secdesk-deliver.service")
    );
    assert_eq!(
        exec,
        format!(
            "{} --db {} deliver --out-dir /srv/reports --per-assignee",
            bin(),
            db_path.display()
        )
    );
    // systemd's own check, where systemd is installed.
    if let Ok(v) = std::process::Command::new("systemd-analyze")
        .args(["verify"])
        .arg(units.join("secdesk-deliver.timer"))
        .arg(units.join("secdesk-deliver.service"))
        .output()
    {
        let said = String::from_utf8_lossy(&v.stderr);
        // What it says about our units fails the test; a machine without a
        // running systemd may fail for reasons of its own, about no unit.
        assert!(
            v.status.success() || !said.contains("secdesk-deliver"),
            "systemd-analyze verify: {said}"
        );
    }
    let shown = with_dir(&["schedule", "show"]);
    assert!(
        stdout(&shown).contains("OnCalendar=Mon *-*-* 07:00:00"),
        "{}",
        stdout(&shown)
    );
    let o = with_dir(&["schedule", "remove"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!units.join("secdesk-deliver.timer").exists());
    assert!(stdout(&with_dir(&["schedule", "show"])).contains("no weekly delivery"));
    // The other systems' forms, printed.
    let win = with_dir(&[
        "schedule", "install", "--print", "windows", "--weekly", "fri", "16:30",
    ]);
    assert!(
        stdout(&win)
            .starts_with("schtasks /Create /F /TN \"secdesk-deliver\" /SC WEEKLY /D FRI /ST 16:30"),
        "{}",
        stdout(&win)
    );
    let mac = with_dir(&["schedule", "install", "--print", "macos"]);
    assert!(
        stdout(&mac).contains("<key>StartCalendarInterval</key>"),
        "{}",
        stdout(&mac)
    );
}
