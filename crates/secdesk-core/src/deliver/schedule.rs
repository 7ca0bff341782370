//! What runs `secdesk deliver` every week: a systemd user timer on Linux
//! (`Persistent=true`, so a laptop that was off catches up), the
//! equivalent `schtasks` line on Windows and a launchd agent on macOS.
//! Texts are built here; installing writes the two unit files into the
//! folder given (the user's `systemd/user` folder).

use std::path::{Path, PathBuf};

use crate::error::DeliverError;

/// The unit (and task) name.
pub const NAME: &str = "secdesk-deliver";

/// When the delivery runs: a weekday (1 = Monday … 7 = Sunday) and a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weekly {
    pub weekday: u32,
    pub hour: u32,
    pub minute: u32,
}

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

impl Weekly {
    /// From `mon` (or `monday`, `1`) and `07:00`.
    pub fn parse(day: &str, time: &str) -> Result<Weekly, DeliverError> {
        let bad = |field: &str, reason: &str| DeliverError::Mail {
            field: field.into(),
            reason: reason.into(),
        };
        let d = day.trim().to_ascii_lowercase();
        let weekday = DAYS
            .iter()
            .position(|n| d.starts_with(&n.to_ascii_lowercase()) && d.len() >= 3)
            .map(|i| i as u32 + 1)
            .or_else(|| d.parse().ok().filter(|n| (1..=7).contains(n)))
            .ok_or_else(|| bad("weekly", "a day is mon … sun (or 1 … 7)"))?;
        let (h, m) = time
            .trim()
            .split_once(':')
            .and_then(|(h, m)| Some((h.parse::<u32>().ok()?, m.parse::<u32>().ok()?)))
            .filter(|(h, m)| *h < 24 && *m < 60)
            .ok_or_else(|| bad("weekly", "a time is HH:MM, 00:00 to 23:59"))?;
        Ok(Weekly {
            weekday,
            hour: h,
            minute: m,
        })
    }

    fn day(&self) -> &'static str {
        DAYS[(self.weekday.clamp(1, 7) - 1) as usize]
    }
}

/// A command line as one string for a unit file or a shell: each word
/// quoted where it needs it.
fn quoted(words: &[String]) -> String {
    words
        .iter()
        .map(|w| {
            if !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+".contains(c))
            {
                w.clone()
            } else {
                format!("\"{}\"", w.replace('\\', "\\\\").replace('"', "\\\""))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The systemd service and timer units.
pub fn systemd_units(command: &[String], when: Weekly) -> (String, String) {
    let service = format!(
        "[Unit]\nDescription=secdesk: deliver the weekly security-desk report\n\n[Service]\nType=oneshot\n# SECDESK_SMTP_PASSWORD=… for a relay that asks for one (chmod 600).\nEnvironmentFile=-%h/.config/secdesk/smtp.env\nExecStart={}\n",
        quoted(command)
    );
    let timer = format!(
        "[Unit]\nDescription=secdesk: weekly report delivery, {} {:02}:{:02}\n\n[Timer]\nOnCalendar={} *-*-* {:02}:{:02}:00\nPersistent=true\n\n[Install]\nWantedBy=timers.target\n",
        when.day(),
        when.hour,
        when.minute,
        when.day(),
        when.hour,
        when.minute
    );
    (service, timer)
}

/// The Windows Task Scheduler command that does the same.
pub fn schtasks_line(command: &[String], when: Weekly) -> String {
    format!(
        "schtasks /Create /F /TN \"{NAME}\" /SC WEEKLY /D {} /ST {:02}:{:02} /TR \"{}\"",
        when.day().to_ascii_uppercase(),
        when.hour,
        when.minute,
        quoted(command).replace('"', "\\\"")
    )
}

/// The macOS launchd agent (`~/Library/LaunchAgents/org.secdesk.deliver.plist`).
pub fn launchd_plist(command: &[String], when: Weekly) -> String {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let args: String = command
        .iter()
        .map(|a| format!("    <string>{}</string>\n", esc(a)))
        .collect();
    // launchd counts Sunday as 0 (and 7).
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<plist version=\"1.0\">\n<dict>\n  <key>Label</key>\n  <string>org.secdesk.deliver</string>\n  <key>ProgramArguments</key>\n  <array>\n{args}  </array>\n  <key>StartCalendarInterval</key>\n  <dict>\n    <key>Weekday</key>\n    <integer>{}</integer>\n    <key>Hour</key>\n    <integer>{}</integer>\n    <key>Minute</key>\n    <integer>{}</integer>\n  </dict>\n</dict>\n</plist>\n",
        when.weekday % 7,
        when.hour,
        when.minute
    )
}

fn unit_paths(dir: &Path) -> [PathBuf; 2] {
    [
        dir.join(format!("{NAME}.service")),
        dir.join(format!("{NAME}.timer")),
    ]
}

/// Writes the service and timer into `dir`; returns their paths.
pub fn install_systemd(
    dir: &Path,
    command: &[String],
    when: Weekly,
) -> Result<[PathBuf; 2], DeliverError> {
    std::fs::create_dir_all(dir).map_err(|e| DeliverError::Schedule {
        path: dir.display().to_string(),
        message: e.to_string(),
    })?;
    let (service, timer) = systemd_units(command, when);
    let paths = unit_paths(dir);
    for (path, text) in paths.iter().zip([service, timer]) {
        super::write_atomic(path, text.as_bytes())?;
    }
    Ok(paths)
}

/// The installed units' texts, if any.
pub fn show_systemd(dir: &Path) -> Vec<(PathBuf, String)> {
    unit_paths(dir)
        .into_iter()
        .filter_map(|p| std::fs::read_to_string(&p).ok().map(|t| (p, t)))
        .collect()
}

/// Removes the units; returns those that were there.
pub fn remove_systemd(dir: &Path) -> Result<Vec<PathBuf>, DeliverError> {
    let mut removed = Vec::new();
    for p in unit_paths(dir) {
        if p.exists() {
            std::fs::remove_file(&p).map_err(|e| DeliverError::Schedule {
                path: p.display().to_string(),
                message: e.to_string(),
            })?;
            removed.push(p);
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command() -> Vec<String> {
        [
            "/usr/bin/secdesk",
            "--db",
            "/home/ann/My Desk/secdesk.db",
            "deliver",
            "--out-dir",
            "/srv/reports",
        ]
        .map(String::from)
        .to_vec()
    }

    #[test]
    fn the_timer_runs_weekly_and_catches_up() {
        let when = Weekly::parse("mon", "07:00").expect("when");
        let (service, timer) = systemd_units(&command(), when);
        assert_eq!(
            service.lines().find(|l| l.starts_with("ExecStart=")),
            Some("ExecStart=/usr/bin/secdesk --db \"/home/ann/My Desk/secdesk.db\" deliver --out-dir /srv/reports")
        );
        assert!(timer.contains("OnCalendar=Mon *-*-* 07:00:00\n"), "{timer}");
        assert!(timer.contains("Persistent=true\n"), "{timer}");
        assert!(timer.contains("WantedBy=timers.target"), "{timer}");
        let line = schtasks_line(&command(), when);
        assert!(
            line.starts_with(
                "schtasks /Create /F /TN \"secdesk-deliver\" /SC WEEKLY /D MON /ST 07:00 /TR"
            ),
            "{line}"
        );
        let plist = launchd_plist(&command(), Weekly::parse("sunday", "23:30").expect("when"));
        assert!(
            plist.contains("<key>Weekday</key>\n    <integer>0</integer>"),
            "{plist}"
        );
        assert!(
            plist.contains("<string>/home/ann/My Desk/secdesk.db</string>"),
            "{plist}"
        );
    }

    #[test]
    fn days_and_times_are_checked() {
        assert_eq!(Weekly::parse("5", "9:05").expect("ok").weekday, 5);
        assert!(Weekly::parse("mo", "07:00").is_err());
        assert!(Weekly::parse("mon", "24:00").is_err());
        assert!(Weekly::parse("funday", "07:00").is_err());
    }

    #[test]
    fn install_show_and_remove() {
        let dir = tempfile::tempdir().expect("dir");
        let when = Weekly::parse("fri", "16:45").expect("when");
        let paths = install_systemd(dir.path(), &command(), when).expect("install");
        assert!(paths.iter().all(|p| p.exists()));
        assert_eq!(show_systemd(dir.path()).len(), 2);
        assert_eq!(remove_systemd(dir.path()).expect("remove").len(), 2);
        assert!(show_systemd(dir.path()).is_empty());
        assert!(remove_systemd(dir.path()).expect("again").is_empty());
    }
}
