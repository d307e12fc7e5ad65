//! `handover schedule …`: weekly rechecks on machines that stay headless.
//!
//! Each project has its own weekly recheck (weekday, time, time zone; `set`
//! and `show`). `install` writes one OS timer that runs `handover recheck
//! --due --quiet` every hour, and the core runs only the projects whose
//! recheck is due — once each, however many weeks were missed — so each
//! project's weekday and time are honoured to the hour, across DST, by a
//! single timer. Linux: a systemd user timer and service in
//! `$XDG_CONFIG_HOME/systemd/user` (else `~/.config/systemd/user`); macOS:
//! a launchd agent in `~/Library/LaunchAgents`; Windows: the `schtasks`
//! line to run.
//!
//! Exit codes: 0 done, 2 bad input, 3 internal error (a file that could
//! not be written, a `systemctl`/`launchctl` that failed).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use handover_model::ScheduleSetRequest;

use crate::check_cli::{EXIT_BAD_INPUT, EXIT_INTERNAL};
use crate::history_cli::schedule_text;
use crate::runs_cli::{fail, print_json};
use crate::schedule_units::{
    launchd_plist, schtasks_create, systemd_service, systemd_timer, LAUNCHD_LABEL, TASK, UNIT,
};
use crate::state::AppState;

/// Where the timer is installed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Platform {
    /// A systemd user timer.
    Linux,
    /// A launchd agent.
    Macos,
    /// A scheduled task (printed, not created).
    Windows,
}

impl Platform {
    fn current() -> Platform {
        if cfg!(target_os = "macos") {
            Platform::Macos
        } else if cfg!(windows) {
            Platform::Windows
        } else {
            Platform::Linux
        }
    }
}

/// `handover schedule …`.
#[derive(Debug, Subcommand)]
pub enum ScheduleAction {
    /// Install the hourly OS timer that runs `handover recheck --due`
    /// (each project's own weekday and time decide when it is due).
    Install {
        /// Write the files into this directory instead of the OS default.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Also enable and start it (`systemctl --user enable --now`,
        /// `launchctl load -w`) instead of printing the command.
        #[arg(long)]
        enable: bool,
        /// Write for this OS instead of the current one (for tests).
        #[arg(long, value_enum, hide = true)]
        platform: Option<Platform>,
    },
    /// Remove the OS timer (the projects' schedules stay).
    Uninstall {
        /// The directory given to `install --dir`.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Also stop and disable it first instead of printing the command.
        #[arg(long)]
        disable: bool,
        /// Remove for this OS instead of the current one (for tests).
        #[arg(long, value_enum, hide = true)]
        platform: Option<Platform>,
    },
    /// Set a project's weekly recheck.
    Set {
        /// The project's name or id.
        #[arg(long, value_name = "NAME|ID")]
        project: String,
        /// Day of the week: monday … sunday, or 1 (Monday) … 7.
        #[arg(long, value_parser = parse_weekday, default_value = "monday")]
        weekday: u8,
        /// Local time of day, HH:MM.
        #[arg(long, default_value = "09:00")]
        time: String,
        /// IANA time zone, e.g. Europe/Berlin.
        #[arg(long, value_name = "ZONE", default_value = "UTC")]
        time_zone: String,
        /// Turn the weekly recheck off.
        #[arg(long)]
        off: bool,
    },
    /// Show a project's weekly recheck.
    Show {
        /// The project's name or id.
        #[arg(long, value_name = "NAME|ID")]
        project: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

fn parse_weekday(text: &str) -> Result<u8, String> {
    let t = text.trim().to_ascii_lowercase();
    if let Ok(n @ 1..=7) = t.parse::<u8>() {
        return Ok(n);
    }
    WEEKDAYS
        .iter()
        .position(|d| t.len() >= 3 && d.starts_with(&t))
        .map(|i| i as u8 + 1)
        .ok_or_else(|| format!("{text:?} is not a weekday: use monday … sunday or 1 … 7"))
}

/// Runs one `schedule` subcommand and returns the exit code.
pub fn run(action: ScheduleAction, state: &AppState) -> ExitCode {
    match action {
        ScheduleAction::Install {
            dir,
            enable,
            platform,
        } => report(install(
            state,
            platform.unwrap_or_else(Platform::current),
            dir,
            enable,
        )),
        ScheduleAction::Uninstall {
            dir,
            disable,
            platform,
        } => report(uninstall(
            platform.unwrap_or_else(Platform::current),
            dir,
            disable,
        )),
        ScheduleAction::Set {
            project,
            weekday,
            time,
            time_zone,
            off,
        } => set(state, &project, weekday, time, time_zone, !off),
        ScheduleAction::Show { project, json } => show(state, &project, json),
    }
}

fn report(result: Result<(), (u8, String)>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err((code, message)) => {
            eprintln!("handover: {message}");
            ExitCode::from(code)
        }
    }
}

fn set(
    state: &AppState,
    project: &str,
    weekday: u8,
    time: String,
    time_zone: String,
    enabled: bool,
) -> ExitCode {
    let workbench = match state.workbench() {
        Ok(workbench) => workbench,
        Err(err) => return fail(err),
    };
    let answer = tauri::async_runtime::block_on(async {
        let found = workbench.find_project(project).await?;
        workbench
            .set_schedule(ScheduleSetRequest {
                project_id: found.id,
                enabled,
                weekday,
                time,
                time_zone,
            })
            .await
            .map(|schedule| (found.spec.name, schedule))
    });
    match answer {
        Ok((name, schedule)) => {
            println!("{name}: {}", schedule_text(&schedule));
            ExitCode::SUCCESS
        }
        Err(err) => fail(err.into()),
    }
}

fn show(state: &AppState, project: &str, json: bool) -> ExitCode {
    let workbench = match state.workbench() {
        Ok(workbench) => workbench,
        Err(err) => return fail(err),
    };
    let answer = tauri::async_runtime::block_on(async {
        let found = workbench.find_project(project).await?;
        let schedule = workbench.schedule(found.id).await?;
        Ok::<_, handover_core::WorkError>((found.spec.name, schedule))
    });
    match answer {
        Ok((_, schedule)) if json => print_json(&schedule),
        Ok((name, schedule)) => {
            println!("{name}: {}", schedule_text(&schedule));
            ExitCode::SUCCESS
        }
        Err(err) => fail(err.into()),
    }
}

/// The command the timer runs: this executable on this data directory
/// and database.
fn recheck_command(state: &AppState) -> Result<Vec<String>, (u8, String)> {
    let exe = std::env::current_exe().map_err(|e| {
        (
            EXIT_INTERNAL,
            format!("cannot find this program's path: {e}"),
        )
    })?;
    Ok(vec![
        exe.display().to_string(),
        "--data-dir".into(),
        state.data_dir.path().display().to_string(),
        "--db".into(),
        state.db_path.display().to_string(),
        "recheck".into(),
        "--due".into(),
        "--quiet".into(),
    ])
}

fn home() -> Result<PathBuf, (u8, String)> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .ok_or_else(|| (EXIT_BAD_INPUT, "HOME is not set: pass --dir".to_string()))
}

/// Where the unit files or the agent go.
fn target_dir(platform: Platform, dir: Option<PathBuf>) -> Result<PathBuf, (u8, String)> {
    if let Some(dir) = dir {
        return Ok(dir);
    }
    match platform {
        Platform::Linux => match std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty()) {
            Some(config) => Ok(PathBuf::from(config).join("systemd").join("user")),
            None => Ok(home()?.join(".config").join("systemd").join("user")),
        },
        Platform::Macos => Ok(home()?.join("Library").join("LaunchAgents")),
        Platform::Windows => Ok(PathBuf::new()),
    }
}

fn install(
    state: &AppState,
    platform: Platform,
    dir: Option<PathBuf>,
    enable: bool,
) -> Result<(), (u8, String)> {
    let command = recheck_command(state)?;
    if platform == Platform::Windows {
        println!("Run this in a terminal to recheck due projects every hour:");
        println!("{}", schtasks_create(&command));
        return Ok(());
    }
    let dir = target_dir(platform, dir)?;
    std::fs::create_dir_all(&dir).map_err(|e| {
        (
            EXIT_INTERNAL,
            format!("cannot create {}: {e}", dir.display()),
        )
    })?;
    let files: Vec<(PathBuf, String)> = match platform {
        Platform::Linux => vec![
            (
                dir.join(format!("{UNIT}.service")),
                systemd_service(&command),
            ),
            (dir.join(format!("{UNIT}.timer")), systemd_timer()),
        ],
        _ => vec![(
            dir.join(format!("{LAUNCHD_LABEL}.plist")),
            launchd_plist(&command),
        )],
    };
    for (path, text) in &files {
        std::fs::write(path, text).map_err(|e| {
            (
                EXIT_INTERNAL,
                format!("cannot write {}: {e}", path.display()),
            )
        })?;
        println!("Wrote {}", path.display());
    }
    let steps: Vec<Vec<String>> = match platform {
        Platform::Linux => vec![
            argv(&["systemctl", "--user", "daemon-reload"]),
            argv(&["systemctl", "--user", "enable", "--now"])
                .into_iter()
                .chain([format!("{UNIT}.timer")])
                .collect(),
        ],
        _ => vec![argv(&["launchctl", "load", "-w"])
            .into_iter()
            .chain([files[0].0.display().to_string()])
            .collect()],
    };
    finish(&steps, enable, "to start it")
}

fn uninstall(platform: Platform, dir: Option<PathBuf>, disable: bool) -> Result<(), (u8, String)> {
    if platform == Platform::Windows {
        println!("Run this in a terminal to remove the hourly recheck:");
        println!("schtasks /Delete /TN \"{TASK}\" /F");
        return Ok(());
    }
    let dir = target_dir(platform, dir)?;
    let (files, steps): (Vec<PathBuf>, Vec<Vec<String>>) = match platform {
        Platform::Linux => (
            vec![
                dir.join(format!("{UNIT}.timer")),
                dir.join(format!("{UNIT}.service")),
            ],
            vec![argv(&["systemctl", "--user", "disable", "--now"])
                .into_iter()
                .chain([format!("{UNIT}.timer")])
                .collect()],
        ),
        _ => {
            let plist = dir.join(format!("{LAUNCHD_LABEL}.plist"));
            let step = argv(&["launchctl", "unload", "-w"])
                .into_iter()
                .chain([plist.display().to_string()])
                .collect();
            (vec![plist], vec![step])
        }
    };
    if disable {
        finish(&steps, true, "")?;
    }
    for path in &files {
        match std::fs::remove_file(path) {
            Ok(()) => println!("Removed {}", path.display()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err((
                    EXIT_INTERNAL,
                    format!("cannot remove {}: {e}", path.display()),
                ))
            }
        }
    }
    if !disable {
        println!("If it was running, stop it first with:");
        for step in &steps {
            println!("  {}", step.join(" "));
        }
    }
    Ok(())
}

fn argv(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

/// Runs the steps (`run`) or prints them.
fn finish(steps: &[Vec<String>], run: bool, why: &str) -> Result<(), (u8, String)> {
    if !run {
        println!("Then run this {why}:");
        println!(
            "  {}",
            steps
                .iter()
                .map(|s| s.join(" "))
                .collect::<Vec<_>>()
                .join(" && ")
        );
        return Ok(());
    }
    for step in steps {
        let status = std::process::Command::new(&step[0])
            .args(&step[1..])
            .status()
            .map_err(|e| (EXIT_INTERNAL, format!("cannot run {}: {e}", step[0])))?;
        if !status.success() {
            return Err((
                EXIT_INTERNAL,
                format!("`{}` failed ({status})", step.join(" ")),
            ));
        }
    }
    Ok(())
}
