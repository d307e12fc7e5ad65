//! Copying a secret to the system clipboard, and taking it back: after a
//! delay (30 s by default), and when the app exits, the clipboard is cleared
//! — but only if it still holds the value Handover put there.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use handover_model::SecretText;

/// How long a copied secret stays on the clipboard.
pub const CLEAR_AFTER: Duration = Duration::from_secs(30);

/// Why the clipboard could not be used.
#[derive(Debug, thiserror::Error)]
#[error("the clipboard is not available: {0}")]
pub struct ClipboardError(String);

/// The system clipboard, held open for the life of the app (on X11 the
/// owning process must stay alive for a copied value to be pasted).
pub struct Clipboard {
    delay: Duration,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    board: Option<arboard::Clipboard>,
    /// A fingerprint (never the value) of what we copied, and which copy it was.
    ours: Option<(u64, u64)>,
    copies: u64,
}

impl std::fmt::Debug for Clipboard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Clipboard")
            .field("delay", &self.delay)
            .finish_non_exhaustive()
    }
}

impl Clipboard {
    /// A clipboard that clears copied secrets after `delay`.
    pub fn new(delay: Duration) -> Arc<Self> {
        Arc::new(Self {
            delay,
            inner: Mutex::new(Inner::default()),
        })
    }

    /// How long a copied secret stays.
    pub fn delay(&self) -> Duration {
        self.delay
    }

    /// Puts a secret on the clipboard and schedules its removal. Blocks
    /// briefly on the windowing system; call from a blocking thread.
    pub fn copy(self: &Arc<Self>, secret: &SecretText) -> Result<(), ClipboardError> {
        let copy = {
            let mut inner = self.lock();
            let board = inner.board()?;
            private_set(board)
                .text(secret.expose().to_string())
                .map_err(|e| ClipboardError(e.to_string()))?;
            inner.copies += 1;
            let copy = inner.copies;
            inner.ours = Some((fingerprint(secret.expose()), copy));
            copy
        };
        let this = Arc::clone(self);
        std::thread::Builder::new()
            .name("clipboard-clear".into())
            .spawn(move || {
                std::thread::sleep(this.delay);
                this.clear_if_ours(Some(copy));
            })
            .map_err(|e| ClipboardError(e.to_string()))?;
        Ok(())
    }

    /// Clears the clipboard if it still holds our latest copy (or, with
    /// `None`, any copy of ours); used on exit too.
    pub fn clear_if_ours(&self, copy: Option<u64>) {
        let mut inner = self.lock();
        let Some((print, latest)) = inner.ours else {
            return;
        };
        if copy.is_some_and(|c| c != latest) {
            return; // A newer copy has its own timer.
        }
        inner.ours = None;
        let Ok(board) = inner.board() else {
            return;
        };
        let still_ours = board
            .get_text()
            .map(|text| fingerprint(&text) == print)
            .unwrap_or(false);
        if still_ours {
            let _ = board.clear();
            tracing::info!("cleared a copied secret from the clipboard");
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Inner {
    fn board(&mut self) -> Result<&mut arboard::Clipboard, ClipboardError> {
        if self.board.is_none() {
            self.board =
                Some(arboard::Clipboard::new().map_err(|e| ClipboardError(e.to_string()))?);
        }
        Ok(self.board.as_mut().expect("just set"))
    }
}

/// A per-process keyed hash: enough to recognise our value, useless outside.
fn fingerprint(text: &str) -> u64 {
    static KEYS: OnceLock<RandomState> = OnceLock::new();
    KEYS.get_or_init(RandomState::new).hash_one(text)
}
/// A clipboard write that asks the OS to keep the value out of clipboard
/// history (and, on Windows, cloud sync) where the platform has a way to.
fn private_set(board: &mut arboard::Clipboard) -> arboard::Set<'_> {
    let set = board.set();
    #[cfg(all(
        unix,
        not(any(target_os = "macos", target_os = "android", target_os = "emscripten"))
    ))]
    let set = {
        use arboard::SetExtLinux;
        set.exclude_from_history()
    };
    #[cfg(target_os = "macos")]
    let set = {
        use arboard::SetExtApple;
        set.exclude_from_history()
    };
    #[cfg(target_os = "windows")]
    let set = {
        use arboard::SetExtWindows;
        set.exclude_from_history().exclude_from_cloud()
    };
    set
}
