//! Hash routes: `#/`, `#/law`, `#/your-cases` and `#/case/<id>?mode=<mode>&seed=<n>&path=<actions>`. The hash keeps the
//! app working from any static file server, offline, with no server-side fallback. The seed and
//! the path (the actions so far, by stable ids: see `core::session::path_text`) put the exact
//! point of a run in the address, so a trainer can prepare a session, reload, or go back to any
//! step and replay it exactly.

use thresholds_core::Mode;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Home,
    /// "About the law": England's law beside Wales, Scotland and Northern Ireland.
    Law,
    /// "Your cases": the authoring screen.
    Desk,
    Case {
        id: String,
        mode: Mode,
        seed: Option<u64>,
        /// The actions to replay, as text; checked by the case screen.
        path: Option<String>,
    },
}

impl Route {
    /// Whether an address is a route at all: `#main` (the skip link) is a place in the page.
    pub fn is_route(hash: &str) -> bool {
        hash.is_empty() || hash == "#" || hash.starts_with("#/")
    }

    pub fn parse(hash: &str) -> Route {
        let hash = hash.trim_start_matches('#');
        let (path, query) = hash.split_once('?').unwrap_or((hash, ""));
        let param = |name: &str| {
            query
                .split('&')
                .filter_map(|pair| pair.split_once('='))
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        };
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        match parts.as_slice() {
            ["law"] => Route::Law,
            ["your-cases"] => Route::Desk,
            ["case", id] => Route::Case {
                id: (*id).to_string(),
                mode: param("mode")
                    .and_then(|m| Mode::parse(&m))
                    .unwrap_or_default(),
                seed: param("seed").and_then(|s| s.parse().ok()),
                path: param("path").filter(|p| !p.is_empty()),
            },
            _ => Route::Home,
        }
    }

    pub fn to_hash(&self) -> String {
        match self {
            Route::Home => "#/".to_string(),
            Route::Law => "#/law".to_string(),
            Route::Desk => "#/your-cases".to_string(),
            Route::Case {
                id,
                mode,
                seed,
                path,
            } => {
                let mut h = format!("#/case/{id}?mode={}", mode.as_str());
                if let Some(seed) = seed {
                    h.push_str(&format!("&seed={seed}"));
                }
                if let Some(path) = path.as_deref().filter(|p| !p.is_empty()) {
                    h.push_str(&format!("&path={path}"));
                }
                h
            }
        }
    }
}
