//! `secdesk schedule install|show|remove`: the weekly `secdesk deliver`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, bail, Result};
use secdesk_core::deliver::schedule::{self, Weekly};

use super::database_path;
use crate::args::ScheduleWhat;
use crate::print::outln;

/// The user's systemd unit folder (`$SECDESK_SYSTEMD_DIR` for tests and
/// packagers, else `$XDG_CONFIG_HOME/systemd/user` or `~/.config/systemd/user`).
fn systemd_dir() -> Result<PathBuf> {
    if let Some(d) = std::env::var_os("SECDESK_SYSTEMD_DIR") {
        return Ok(PathBuf::from(d));
    }
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        .ok_or_else(|| anyhow!("neither XDG_CONFIG_HOME nor HOME is set"))?;
    Ok(config.join("systemd/user"))
}

fn systemctl(args: &[&str]) -> bool {
    std::process::Command::new("systemctl")
        .arg("--user")
        .args(args)
        .status()
        .is_ok_and(|s| s.success())
}

pub fn run(db: &Option<PathBuf>, what: ScheduleWhat) -> Result<ExitCode> {
    match what {
        ScheduleWhat::Install {
            weekly,
            no_enable,
            print,
            deliver,
        } => {
            let [day, time] = weekly.as_slice() else {
                bail!("--weekly takes a day and a time, e.g. --weekly mon 07:00");
            };
            let when = Weekly::parse(day, time)?;
            let exe = std::env::current_exe()?;
            let db = database_path(db);
            let db = std::fs::canonicalize(&db).unwrap_or(db);
            let mut command = vec![
                exe.display().to_string(),
                "--db".to_string(),
                db.display().to_string(),
                "deliver".to_string(),
            ];
            command.extend(deliver);
            let os = print.unwrap_or_else(|| std::env::consts::OS.to_string());
            match os.as_str() {
                "linux" if !print_only(&os) => {
                    let dir = systemd_dir()?;
                    let paths = schedule::install_systemd(&dir, &command, when)?;
                    for p in &paths {
                        outln!("wrote {}", p.display());
                    }
                    let timer = format!("{}.timer", schedule::NAME);
                    if no_enable {
                        outln!("enable it with: systemctl --user daemon-reload && systemctl --user enable --now {timer}");
                    } else if systemctl(&["daemon-reload"])
                        && systemctl(&["enable", "--now", &timer])
                    {
                        outln!("enabled: systemctl --user list-timers {timer}");
                    } else {
                        outln!("could not enable it here; run: systemctl --user daemon-reload && systemctl --user enable --now {timer}");
                    }
                }
                "linux" => {
                    let (service, timer) = schedule::systemd_units(&command, when);
                    outln!(
                        "# ~/.config/systemd/user/{}.service\n{service}",
                        schedule::NAME
                    );
                    outln!("# ~/.config/systemd/user/{}.timer\n{timer}", schedule::NAME);
                }
                "windows" => outln!("{}", schedule::schtasks_line(&command, when)),
                "macos" => {
                    outln!("# ~/Library/LaunchAgents/org.secdesk.deliver.plist, then: launchctl load -w that file");
                    outln!("{}", schedule::launchd_plist(&command, when));
                }
                other => bail!("--print `{other}`: linux, windows or macos"),
            }
        }
        ScheduleWhat::Show => {
            let shown = schedule::show_systemd(&systemd_dir()?);
            if shown.is_empty() {
                outln!("no weekly delivery is installed");
            }
            for (path, text) in shown {
                outln!("# {}\n{text}", path.display());
            }
        }
        ScheduleWhat::Remove => {
            let dir = systemd_dir()?;
            let timer = format!("{}.timer", schedule::NAME);
            if dir.join(&timer).exists() && std::env::var_os("SECDESK_SYSTEMD_DIR").is_none() {
                systemctl(&["disable", "--now", &timer]);
            }
            let removed = schedule::remove_systemd(&dir)?;
            if removed.is_empty() {
                outln!("no weekly delivery was installed");
            }
            for p in removed {
                outln!("removed {}", p.display());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Whether `--print linux` asked for the texts rather than an install.
fn print_only(os: &str) -> bool {
    os == "linux" && std::env::args().any(|a| a == "--print")
}
