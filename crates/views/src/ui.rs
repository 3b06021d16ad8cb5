//! The contract between the screens this crate writes and the UI that fills and listens to
//! them: what a control asks for (`UiAction`, `UiForm`), and the ids of the regions each screen
//! is made of. Both sides use these, so a renamed action or region is a compile error, not a
//! button that silently does nothing.

use crate::html::{html, SafeHtml};

/// What a button asks for, carried in its `data-action` attribute and read by the UI's one
/// delegated click listener.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UiAction {
    Choose,
    Next,
    TogglePrompts,
    TogglePanel,
    RestartBefore,
    Print,
    ExportJson,
    ExportCsv,
    RestartSame,
    RestartNew,
    ShowDecision,
    ShowSource,
    ToggleSection,
    ClearData,
    ClearDataConfirm,
    ClearDataCancel,
    DiscardSave,
    GoToLine,
    EditFile,
    ExportFile,
    PlayOwn,
    EditOwn,
    ExportOwn,
    RemoveOwn,
    TryFramework,
    UseArea,
    BuiltInArea,
}

impl UiAction {
    pub const ALL: [UiAction; 27] = [
        UiAction::Choose,
        UiAction::Next,
        UiAction::TogglePrompts,
        UiAction::TogglePanel,
        UiAction::RestartBefore,
        UiAction::Print,
        UiAction::ExportJson,
        UiAction::ExportCsv,
        UiAction::RestartSame,
        UiAction::RestartNew,
        UiAction::ShowDecision,
        UiAction::ShowSource,
        UiAction::ToggleSection,
        UiAction::ClearData,
        UiAction::ClearDataConfirm,
        UiAction::ClearDataCancel,
        UiAction::DiscardSave,
        UiAction::GoToLine,
        UiAction::EditFile,
        UiAction::ExportFile,
        UiAction::PlayOwn,
        UiAction::EditOwn,
        UiAction::ExportOwn,
        UiAction::RemoveOwn,
        UiAction::TryFramework,
        UiAction::UseArea,
        UiAction::BuiltInArea,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UiAction::Choose => "choose",
            UiAction::Next => "next",
            UiAction::TogglePrompts => "toggle-prompts",
            UiAction::TogglePanel => "toggle-panel",
            UiAction::RestartBefore => "restart-before",
            UiAction::Print => "print",
            UiAction::ExportJson => "export-json",
            UiAction::ExportCsv => "export-csv",
            UiAction::RestartSame => "restart-same",
            UiAction::RestartNew => "restart-new",
            UiAction::ShowDecision => "show-decision",
            UiAction::ShowSource => "show-source",
            UiAction::ToggleSection => "toggle-section",
            UiAction::ClearData => "clear-data",
            UiAction::ClearDataConfirm => "clear-data-confirm",
            UiAction::ClearDataCancel => "clear-data-cancel",
            UiAction::DiscardSave => "discard-save",
            UiAction::GoToLine => "go-to-line",
            UiAction::EditFile => "edit-file",
            UiAction::ExportFile => "export-file",
            UiAction::PlayOwn => "play-own",
            UiAction::EditOwn => "edit-own",
            UiAction::ExportOwn => "export-own",
            UiAction::RemoveOwn => "remove-own",
            UiAction::TryFramework => "try-framework",
            UiAction::UseArea => "use-area",
            UiAction::BuiltInArea => "built-in-area",
        }
    }

    pub fn parse(s: &str) -> Option<UiAction> {
        UiAction::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// The attribute a control carries: `data-action="…"`.
    pub fn attr(self) -> SafeHtml {
        html!("data-action=\"{}\"", self.as_str())
    }
}

/// What a submitted form is, carried in its `data-form` attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UiForm {
    Share,
    Votes,
    Seed,
}

impl UiForm {
    pub fn as_str(self) -> &'static str {
        match self {
            UiForm::Share => "share",
            UiForm::Votes => "votes",
            UiForm::Seed => "seed",
        }
    }

    pub fn parse(s: &str) -> Option<UiForm> {
        [UiForm::Share, UiForm::Votes, UiForm::Seed]
            .into_iter()
            .find(|f| f.as_str() == s)
    }

    pub fn attr(self) -> SafeHtml {
        html!("data-form=\"{}\"", self.as_str())
    }
}

/// Ids of elements the UI finds (to move focus, to read what was typed): written by the views,
/// used by the UI, and checked against the views' output by a native test.
pub mod element {
    pub const STEP_HEADING: &str = "step-heading";
    pub const FEEDBACK_HEADING: &str = "feedback-heading";
    pub const SHARE_RESULT_HEADING: &str = "share-result-heading";
    pub const NEXT_BUTTON: &str = "next-button";
    pub const PANEL_HEADING: &str = "panel-heading";
    pub const PANEL_TOGGLE: &str = "panel-toggle";
    pub const REFLECTION: &str = "reflection";
    pub const REFLECTION_PRINT: &str = "reflection-print";
    pub const LEARNER_NAME: &str = "learner-name";
    pub const NAME_PRINT: &str = "name-print";
    pub const SHARE_ERROR: &str = "share-error";
    pub const SEED_ERROR: &str = "seed-error";
    pub const CASE_LAYOUT: &str = "case-layout";
    /// A vote count's input is this and the choice id.
    pub const VOTE_PREFIX: &str = "vote-";
    /// Decision n of the report is this and n.
    pub const DECISION_PREFIX: &str = "decision-";
    /// Source n of the report is this and n.
    pub const SOURCE_PREFIX: &str = "source-";
    /// A report section is this and its name; its body adds "-body".
    pub const SECTION_PREFIX: &str = "section-";
}

/// The authoring screen's elements and regions, by id (`desk::DESK_SKELETON` holds them).
pub mod desk {
    pub const HEADING: &str = "desk-heading";
    pub const FILE_INPUT: &str = "desk-file-input";
    pub const DROP: &str = "desk-drop";
    pub const FILES: &str = "desk-files";
    pub const EDITOR: &str = "desk-editor";
    pub const EDITOR_LABEL: &str = "desk-editor-label";
    pub const GUTTER: &str = "desk-gutter";
    pub const STATUS: &str = "desk-status";
    pub const PROBLEMS: &str = "desk-problems";
    pub const SUMMARY: &str = "desk-summary";
    pub const PLAY: &str = "desk-play";
    pub const KEPT: &str = "desk-kept";
    pub const KEPT_HEADING: &str = "desk-kept-heading";
    pub const AREA: &str = "desk-area";
    pub const AREA_TRIAL: &str = "desk-area-trial";
    pub const AREA_HEADING: &str = "desk-area-heading";

    pub const ALL: [&str; 16] = [
        HEADING,
        FILE_INPUT,
        DROP,
        FILES,
        EDITOR,
        EDITOR_LABEL,
        GUTTER,
        STATUS,
        PROBLEMS,
        SUMMARY,
        PLAY,
        KEPT,
        KEPT_HEADING,
        AREA,
        AREA_TRIAL,
        AREA_HEADING,
    ];
}

/// The case screen's regions, by id. Each is filled by one UI component from one view
/// function; `CASE_SKELETON` lays them out.
pub mod region {
    pub const HEADER: &str = "case-header";
    pub const ERROR: &str = "case-error";
    /// The live region: feedback on a decision or a share, announced to screen readers.
    pub const FEEDBACK: &str = "feedback-region";
    pub const STORY: &str = "story";
    pub const PROMPTS: &str = "prompts-region";
    pub const VOTES: &str = "votes-region";
    pub const SHARE: &str = "share-region";
    pub const DEBRIEF_SUMMARY: &str = "debrief-summary";
    pub const REFLECTION: &str = "reflection-region";
    pub const DEBRIEF: &str = "debrief-region";
    pub const TOOLS: &str = "tools-region";
    pub const PANEL_TOP: &str = "panel-top";
    pub const PANEL_BODY: &str = "panel-body";

    /// Every region, in the order the skeleton holds them.
    pub const ALL: [&str; 13] = [
        HEADER,
        ERROR,
        FEEDBACK,
        STORY,
        PROMPTS,
        VOTES,
        SHARE,
        DEBRIEF_SUMMARY,
        REFLECTION,
        DEBRIEF,
        TOOLS,
        PANEL_TOP,
        PANEL_BODY,
    ];
}

/// The case screen's layout: one column to read (the feedback, then the step and its choices,
/// the prompts and votes, sharing, the reflection, the debrief), and the threshold panel beside
/// it on a wide screen or after it on a narrow one. The story column carries the feedback so
/// that, after a decision, it is what the trainee sees first.
pub const CASE_SKELETON: &str = concat!(
    r#"<header class="case-header" id="case-header"></header>"#,
    r#"<div role="alert" class="error" id="case-error"></div>"#,
    r#"<div class="case-layout" id="case-layout"><div class="story">"#,
    r#"<div role="status" aria-live="polite" class="feedback-region" data-testid="feedback" id="feedback-region"></div>"#,
    r#"<div id="story"></div><div id="prompts-region"></div><div class="no-print" id="votes-region"></div>"#,
    r#"<div class="no-print" id="share-region"></div><div id="debrief-summary"></div>"#,
    r#"<div id="reflection-region"></div><div id="debrief-region"></div>"#,
    r#"<div class="no-print" id="tools-region"></div></div>"#,
    r#"<aside class="threshold-panel panel-region" id="panel" aria-labelledby="panel-heading"><div id="panel-top"></div>"#,
    r#"<div id="panel-body"></div></aside></div>"#,
);
