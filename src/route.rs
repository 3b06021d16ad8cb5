//! Hash-based routes (`#/`, `#/case/imran?seed=42`). The hash keeps the app
//! working from any static file server, offline, with no server-side fallback, and puts the
//! seed in the URL so a trainer can replay a run exactly.

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Home,
    /// A bundled case by id.
    Case {
        id: String,
        seed: Option<u64>,
    },
}

impl Route {
    pub fn parse(hash: &str) -> Route {
        let hash = hash.trim_start_matches('#');
        let (path, query) = hash.split_once('?').unwrap_or((hash, ""));
        let seed = query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == "seed")
            .and_then(|(_, v)| v.parse::<u64>().ok());
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        match parts.as_slice() {
            ["case", id] => Route::Case {
                id: (*id).to_string(),
                seed,
            },
            _ => Route::Home,
        }
    }

    pub fn to_hash(&self) -> String {
        let with_seed = |path: String, seed: &Option<u64>| match seed {
            Some(seed) => format!("#/{path}?seed={seed}"),
            None => format!("#/{path}"),
        };
        match self {
            Route::Home => "#/".to_string(),
            Route::Case { id, seed } => with_seed(format!("case/{id}"), seed),
        }
    }
}

impl Route {
    /// The same place with another seed (home has none).
    pub fn with_seed(&self, seed: u64) -> Route {
        match self {
            Route::Home => Route::Home,
            Route::Case { id, .. } => Route::Case {
                id: id.clone(),
                seed: Some(seed),
            },
        }
    }
}
