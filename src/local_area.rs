//! The area in use on this device, when a trainer chose one on "Your cases" (issue 14): a
//! nation's framework, one with no fixed levels, or their own area's files, checked by the
//! authoring desk (`thresholds_core::kept::KeptArea`). Every case, bundled or their own, is then
//! played against it. Without one, the built-in area applies.

use thresholds_core::kept::KeptArea;

use crate::storage;

const KEY: &str = "thresholds/area";

/// The area a trainer chose, as far as this version can tell.
pub enum Chosen {
    /// None: the built-in area applies.
    BuiltIn,
    Area(KeptArea),
    /// A record this version cannot read (damaged, or kept by another version): the built-in
    /// area applies, and the authoring screen says so.
    Unreadable,
}

/// Uses this area for every case on this device from now on.
pub fn keep(a: &KeptArea) -> Result<(), String> {
    storage::set(KEY, &a.encode()).map_err(|e| {
        format!("The area could not be kept on this device ({e}), so the built-in area still applies. Export its files to keep them.")
    })
}

pub fn chosen() -> Chosen {
    match storage::get(KEY) {
        Ok(Some(text)) => match KeptArea::decode(&text).filter(|a| a.area().is_some()) {
            Some(a) => Chosen::Area(a),
            None => Chosen::Unreadable,
        },
        _ => Chosen::BuiltIn,
    }
}

/// The area in use, if a trainer chose one and this version can read it.
pub fn get() -> Option<KeptArea> {
    match chosen() {
        Chosen::Area(a) => Some(a),
        _ => None,
    }
}

/// Back to the built-in area.
pub fn clear() -> Result<(), String> {
    storage::remove(KEY)
}
