//! The area in use on this device, when a trainer chose one on "Your cases" (issue 14): a
//! nation's framework or their own area's files, checked by the authoring desk. Every case,
//! bundled or their own, is then played against it. Without one, the built-in area applies.
//!
//! Key `thresholds/area`; the value is text: `thresholds-area 1`, then `title:`, `nation:`,
//! `saved:` and `compiled:` (base64) lines, a blank line, and the framework file's source, then
//! a line `--- services.md ---` and the services file's source (to edit or export again).

use thresholds_core::area::Area;
use thresholds_core::base64;
use thresholds_core::codec::decode_area;

use crate::storage;

const KEY: &str = "thresholds/area";
const FORMAT: &str = "thresholds-area 1";
const SPLIT: &str = "\n--- services.md ---\n";

pub struct LocalArea {
    pub title: String,
    pub nation: String,
    pub saved: String,
    pub compiled: Vec<u8>,
    pub framework: String,
    pub services: String,
}

impl LocalArea {
    pub fn area(&self) -> Option<Area> {
        decode_area(&self.compiled)
    }
}

/// Uses this area for every case on this device from now on.
pub fn keep(a: &LocalArea) -> Result<(), String> {
    let text = format!(
        "{FORMAT}\ntitle: {}\nnation: {}\nsaved: {}\ncompiled: {}\n\n{}{SPLIT}{}",
        a.title.replace('\n', " "),
        a.nation.replace('\n', " "),
        a.saved,
        base64::encode(&a.compiled),
        a.framework,
        a.services
    );
    storage::set(KEY, &text).map_err(|e| {
        format!("The area could not be kept on this device ({e}), so the built-in area still applies. Export its files to keep them.")
    })
}

/// The area in use, if a trainer chose one and it can still be read (a damaged record is
/// ignored: the built-in area applies).
pub fn get() -> Option<LocalArea> {
    let text = storage::get(KEY).ok()??;
    let (f, rest) = storage::read_record(&text, FORMAT, &["title", "nation", "saved", "compiled"])?;
    let (framework, services) = rest.split_once(SPLIT)?;
    let a = LocalArea {
        title: f[0].to_string(),
        nation: f[1].to_string(),
        saved: f[2].to_string(),
        compiled: base64::decode(f[3])?,
        framework: framework.to_string(),
        services: services.to_string(),
    };
    a.area().map(|_| a)
}

/// Back to the built-in area.
pub fn clear() -> Result<(), String> {
    storage::remove(KEY)
}
