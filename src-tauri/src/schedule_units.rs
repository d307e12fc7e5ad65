//! The files and the line `handover schedule install` writes or prints:
//! a systemd user service and timer, a launchd agent, a `schtasks` line.
//! Each runs the same `handover recheck` command every hour; the core
//! decides which projects are due.

/// The systemd units' and launchd agent's name.
pub const UNIT: &str = "handover-recheck";
/// The launchd agent's label.
pub const LAUNCHD_LABEL: &str = "app.handover.recheck";
/// The Windows scheduled task's name.
pub const TASK: &str = "Handover recheck";

/// A word of `ExecStart=`, quoted when it has to be; `%` is doubled
/// (systemd specifiers).
fn systemd_word(word: &str) -> String {
    let word = word.replace('%', "%%");
    if !word.is_empty()
        && !word
            .chars()
            .any(|c| c.is_whitespace() || "\"'\\;$".contains(c))
    {
        return word;
    }
    format!("\"{}\"", word.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The service the timer starts: one recheck of the due projects.
pub fn systemd_service(command: &[String]) -> String {
    let exec: Vec<String> = command.iter().map(|w| systemd_word(w)).collect();
    format!(
        "[Unit]\n\
         Description=Handover: recheck the projects whose weekly recheck is due\n\
         \n\
         [Service]\n\
         Type=oneshot\n\
         ExecStart={}\n",
        exec.join(" ")
    )
}

/// The timer: every hour, catching up once after the machine was off.
pub fn systemd_timer() -> String {
    format!(
        "[Unit]\n\
         Description=Handover: hourly look for due weekly rechecks\n\
         \n\
         [Timer]\n\
         OnCalendar=hourly\n\
         Persistent=true\n\
         RandomizedDelaySec=2min\n\
         Unit={UNIT}.service\n\
         \n\
         [Install]\n\
         WantedBy=timers.target\n"
    )
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The launchd agent: the same command every hour.
pub fn launchd_plist(command: &[String]) -> String {
    let args: String = command
        .iter()
        .map(|w| format!("        <string>{}</string>\n", xml_escape(w)))
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n\
         <plist version=\"1.0\">\n\
         <dict>\n\
         \x20   <key>Label</key>\n\
         \x20   <string>{LAUNCHD_LABEL}</string>\n\
         \x20   <key>ProgramArguments</key>\n\
         \x20   <array>\n\
         {args}\
         \x20   </array>\n\
         \x20   <key>StartInterval</key>\n\
         \x20   <integer>3600</integer>\n\
         \x20   <key>RunAtLoad</key>\n\
         \x20   <true/>\n\
         </dict>\n\
         </plist>\n"
    )
}

/// The documented Windows line: an hourly scheduled task.
pub fn schtasks_create(command: &[String]) -> String {
    let quoted: Vec<String> = command
        .iter()
        .map(|w| {
            if w.contains(' ') {
                format!("\\\"{w}\\\"")
            } else {
                w.clone()
            }
        })
        .collect();
    format!(
        "schtasks /Create /SC HOURLY /TN \"{TASK}\" /TR \"{}\" /F",
        quoted.join(" ")
    )
}
