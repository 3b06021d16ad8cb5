//! What the browser keeps as text for a trainer (issue 14): their own case, checked on the
//! authoring screen, and the area they chose. Each record is a format line, `name: value`
//! lines in a fixed order, a blank line, then a body; a record in another format (damaged, or
//! written by another version) reads as `None`, never as a wrong value. The browser's storage
//! I/O is the app's (`src/own.rs`, `src/local_area.rs`); the formats are here, tested natively.

use crate::area::Area;
use crate::base64;
use crate::codec::{decode_area, decode_case};
use crate::model::Scenario;

/// A record's fields (in `names` order) and its body.
fn read<'a>(text: &'a str, format: &str, names: &[&str]) -> Option<(Vec<&'a str>, &'a str)> {
    let (head, body) = text.split_once("\n\n")?;
    let mut lines = head.lines();
    if lines.next()? != format {
        return None;
    }
    let fields = names
        .iter()
        .map(|name| lines.next()?.strip_prefix(name)?.strip_prefix(": "))
        .collect::<Option<Vec<&str>>>()?;
    lines.next().is_none().then_some((fields, body))
}

/// A field's value on one line.
fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

const CASE_FORMAT: &str = "thresholds-own 1";

/// A trainer's own case: its source (to edit again or export) and its compiled form (to play).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptCase {
    pub file: String,
    /// When it was kept (ISO 8601).
    pub saved: String,
    /// Decisions on its shortest and longest path.
    pub decisions: (u32, u32),
    pub compiled: Vec<u8>,
    pub source: String,
}

impl KeptCase {
    pub fn encode(&self) -> String {
        format!(
            "{CASE_FORMAT}\nfile: {}\nsaved: {}\nshortest: {}\nlongest: {}\ncompiled: {}\n\n{}",
            one_line(&self.file),
            one_line(&self.saved),
            self.decisions.0,
            self.decisions.1,
            base64::encode(&self.compiled),
            self.source
        )
    }

    pub fn decode(text: &str) -> Option<KeptCase> {
        let names = ["file", "saved", "shortest", "longest", "compiled"];
        let (f, source) = read(text, CASE_FORMAT, &names)?;
        Some(KeptCase {
            file: f[0].to_string(),
            saved: f[1].to_string(),
            decisions: (f[2].parse().ok()?, f[3].parse().ok()?),
            compiled: base64::decode(f[4])?,
            source: source.to_string(),
        })
    }

    /// The case, ready to play as `id`; `None` if its compiled form is one this version cannot
    /// read.
    pub fn scenario(&self, id: &str) -> Option<Scenario> {
        let mut s = decode_case(&self.file, &self.compiled)?;
        s.id = id.to_string();
        Some(s)
    }
}

const AREA_FORMAT: &str = "thresholds-area 1";
const SERVICES_MARK: &str = "\n--- services.md ---\n";

/// The area a trainer chose: its compiled form (what every case is played against) and its
/// two files (to edit again).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptArea {
    pub title: String,
    pub nation: String,
    pub saved: String,
    pub compiled: Vec<u8>,
    pub framework: String,
    pub services: String,
}

impl KeptArea {
    pub fn encode(&self) -> String {
        format!(
            "{AREA_FORMAT}\ntitle: {}\nnation: {}\nsaved: {}\ncompiled: {}\n\n{}{SERVICES_MARK}{}",
            one_line(&self.title),
            one_line(&self.nation),
            one_line(&self.saved),
            base64::encode(&self.compiled),
            self.framework,
            self.services
        )
    }

    /// The body splits at the last services mark, so a framework file that happens to contain
    /// the mark's text still reads back whole.
    pub fn decode(text: &str) -> Option<KeptArea> {
        let (f, body) = read(text, AREA_FORMAT, &["title", "nation", "saved", "compiled"])?;
        let (framework, services) = body.rsplit_once(SERVICES_MARK)?;
        Some(KeptArea {
            title: f[0].to_string(),
            nation: f[1].to_string(),
            saved: f[2].to_string(),
            compiled: base64::decode(f[3])?,
            framework: framework.to_string(),
            services: services.to_string(),
        })
    }

    /// The area, if this version can read its compiled form.
    pub fn area(&self) -> Option<Area> {
        decode_area(&self.compiled)
    }
}
