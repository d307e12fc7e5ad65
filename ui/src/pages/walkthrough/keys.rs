//! The walkthrough's keyboard: which key does what, as a pure function, and
//! the list the help overlay shows.

use handover_model::ItemStatus;

/// Something a key press asks the walkthrough to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyAction {
    /// Select the next item of the stage.
    NextItem,
    /// Select the previous item of the stage.
    PrevItem,
    /// Set the selected item's status (waiving also focuses the reason).
    SetStatus(ItemStatus),
    /// Move focus to the owner field.
    FocusOwner,
    /// Go to the next stage.
    NextStage,
    /// Go to the previous stage.
    PrevStage,
    /// Show or hide the key help.
    ToggleHelp,
    /// Hide the key help.
    CloseHelp,
    /// Leave the text field (saving what was typed).
    LeaveField,
    /// Save the item now.
    Save,
}

/// Modifier keys held with a key press.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Mods {
    /// Control.
    pub ctrl: bool,
    /// Command (macOS) or the Windows key.
    pub meta: bool,
    /// Alt / Option.
    pub alt: bool,
}

/// What `key` (a `KeyboardEvent.key` value) does. In a text field only
/// Escape (leave it) and Ctrl/Cmd+Enter (save) mean anything; elsewhere
/// single keys work, and combinations with Ctrl, Cmd or Alt are left to the
/// system.
pub fn action(key: &str, mods: Mods, in_text_field: bool) -> Option<KeyAction> {
    if key == "Enter" && (mods.ctrl || mods.meta) {
        return Some(KeyAction::Save);
    }
    if in_text_field {
        return (key == "Escape").then_some(KeyAction::LeaveField);
    }
    if mods.ctrl || mods.meta || mods.alt {
        return None;
    }
    let action = match key {
        "ArrowDown" => KeyAction::NextItem,
        "ArrowUp" => KeyAction::PrevItem,
        "]" => KeyAction::NextStage,
        "[" => KeyAction::PrevStage,
        "?" => KeyAction::ToggleHelp,
        "Escape" => KeyAction::CloseHelp,
        _ => match key.to_ascii_lowercase().as_str() {
            "j" => KeyAction::NextItem,
            "k" => KeyAction::PrevItem,
            "p" => KeyAction::SetStatus(ItemStatus::Pass),
            "f" => KeyAction::SetStatus(ItemStatus::Fail),
            "w" => KeyAction::SetStatus(ItemStatus::Waived),
            "n" => KeyAction::SetStatus(ItemStatus::NotApplicable),
            "t" => KeyAction::SetStatus(ItemStatus::Todo),
            "o" => KeyAction::FocusOwner,
            _ => return None,
        },
    };
    Some(action)
}

/// Every binding, as the help overlay lists them: (keys, what they do).
pub const BINDINGS: &[(&str, &str)] = &[
    ("j  ↓", "Next item"),
    ("k  ↑", "Previous item"),
    ("p", "Pass"),
    ("f", "Fail"),
    ("w", "Waive (then type the reason)"),
    ("n", "Not applicable"),
    ("t", "Back to to do"),
    ("o", "Edit the owner"),
    ("]", "Next stage"),
    ("[", "Previous stage"),
    ("Ctrl/⌘ Enter", "Save the item"),
    ("Esc", "Leave a text field; close this help"),
    ("?", "Show or hide this help"),
];

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: Mods = Mods {
        ctrl: false,
        meta: false,
        alt: false,
    };

    #[test]
    fn single_keys_drive_the_walkthrough() {
        assert_eq!(action("j", NONE, false), Some(KeyAction::NextItem));
        assert_eq!(action("ArrowDown", NONE, false), Some(KeyAction::NextItem));
        assert_eq!(action("k", NONE, false), Some(KeyAction::PrevItem));
        assert_eq!(action("ArrowUp", NONE, false), Some(KeyAction::PrevItem));
        assert_eq!(
            action("p", NONE, false),
            Some(KeyAction::SetStatus(ItemStatus::Pass))
        );
        assert_eq!(
            action("f", NONE, false),
            Some(KeyAction::SetStatus(ItemStatus::Fail))
        );
        assert_eq!(
            action("w", NONE, false),
            Some(KeyAction::SetStatus(ItemStatus::Waived))
        );
        assert_eq!(
            action("n", NONE, false),
            Some(KeyAction::SetStatus(ItemStatus::NotApplicable))
        );
        assert_eq!(
            action("t", NONE, false),
            Some(KeyAction::SetStatus(ItemStatus::Todo))
        );
        assert_eq!(action("o", NONE, false), Some(KeyAction::FocusOwner));
        assert_eq!(action("]", NONE, false), Some(KeyAction::NextStage));
        assert_eq!(action("[", NONE, false), Some(KeyAction::PrevStage));
        assert_eq!(action("?", NONE, false), Some(KeyAction::ToggleHelp));
        assert_eq!(action("Escape", NONE, false), Some(KeyAction::CloseHelp));
        assert_eq!(
            action("P", NONE, false),
            Some(KeyAction::SetStatus(ItemStatus::Pass))
        );
        assert_eq!(action("x", NONE, false), None);
        assert_eq!(action("Enter", NONE, false), None);
    }

    #[test]
    fn text_fields_keep_their_keys() {
        for key in ["j", "p", "w", "ArrowDown", "]", "?"] {
            assert_eq!(action(key, NONE, true), None, "{key}");
        }
        assert_eq!(action("Escape", NONE, true), Some(KeyAction::LeaveField));
    }

    #[test]
    fn ctrl_or_cmd_enter_saves_anywhere() {
        let ctrl = Mods { ctrl: true, ..NONE };
        let meta = Mods { meta: true, ..NONE };
        assert_eq!(action("Enter", ctrl, true), Some(KeyAction::Save));
        assert_eq!(action("Enter", meta, true), Some(KeyAction::Save));
        assert_eq!(action("Enter", meta, false), Some(KeyAction::Save));
    }

    #[test]
    fn system_shortcuts_are_left_alone() {
        let ctrl = Mods { ctrl: true, ..NONE };
        let alt = Mods { alt: true, ..NONE };
        assert_eq!(action("p", ctrl, false), None);
        assert_eq!(action("f", alt, false), None);
        assert_eq!(action("[", Mods { meta: true, ..NONE }, false), None);
    }

    #[test]
    fn help_lists_every_status_key() {
        for key in ["p", "f", "w", "n", "t", "o", "]", "[", "?"] {
            assert!(BINDINGS.iter().any(|(k, _)| *k == key), "{key}");
        }
    }
}
