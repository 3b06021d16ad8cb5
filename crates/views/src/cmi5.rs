//! What the app says to a learning record store when an LMS launches it with cmi5 (issue 16):
//! the launch read from the address, the addresses of the store's resources, and each
//! statement's id, verb, object, result and its part of the context. The browser side
//! (`src/lms/cmi5.rs`) adds the actor, the time and the LMS's context template, queues and
//! sends. Nothing here runs unless an LMS launched a package built for it.
//!
//! Two kinds of statement, as cmi5 names them: "defined" ones (initialized, completed, passed
//! or failed, terminated) about the course as a whole, which the LMS reads progress from; and
//! "allowed" ones, the run's own statements as the JSON export has them (each decision, share,
//! ending and reflection). Every id is derived from the registration and the statement's place,
//! so a statement queued twice is still one statement, and a store keeps it once.

use thresholds_core::lms::Cmi5Verb;

use crate::case::CaseView;
use crate::export::{run_context, statement_bodies, uuid};
use crate::html::json_str;

/// The launch parameters cmi5 gives an AU in its address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Launch {
    /// The learning record store's xAPI address, ending in `/`.
    pub endpoint: String,
    /// Where to ask, once, for the token that opens the store.
    pub fetch: String,
    /// The learner, as the LMS names them (an xAPI agent, JSON).
    pub actor: String,
    /// This learner's enrolment on this course (a UUID).
    pub registration: String,
    /// The course's activity id: the object of every defined statement.
    pub activity_id: String,
}

const PARAMS: [&str; 5] = ["endpoint", "fetch", "actor", "registration", "activityId"];

/// Decodes one `application/x-www-form-urlencoded` value; `None` if it is not UTF-8.
fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b'%' => return None,
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// Encodes a value for a query string, as `encodeURIComponent` does.
pub fn encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn is_uuid(text: &str) -> bool {
    text.len() == 36
        && text.char_indices().all(|(i, c)| {
            if [8, 13, 18, 23].contains(&i) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

fn is_web_address(text: &str) -> bool {
    (text.starts_with("https://") || text.starts_with("http://"))
        && !text.contains(char::is_whitespace)
}

/// The cmi5 launch in a page's query string (with or without its `?`): `None` when it has
/// none of cmi5's parameters (then nothing is ever sent); an error that says which parameter
/// is missing or malformed when it has some but not a usable launch.
pub fn launch(query: &str) -> Option<Result<Launch, String>> {
    let mut found: [Option<String>; 5] = Default::default();
    for pair in query.trim_start_matches('?').split('&') {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        if let Some(at) = PARAMS.iter().position(|p| *p == name) {
            found[at] = Some(decode(value).unwrap_or_default());
        }
    }
    if found.iter().all(Option::is_none) {
        return None;
    }
    Some(checked(found))
}

fn checked(found: [Option<String>; 5]) -> Result<Launch, String> {
    let [endpoint, fetch, actor, registration, activity_id] = found.map(Option::unwrap_or_default);
    let missing: Vec<&str> = PARAMS
        .iter()
        .zip([&endpoint, &fetch, &actor, &registration, &activity_id])
        .filter(|(_, v)| v.trim().is_empty())
        .map(|(p, _)| *p)
        .collect();
    if !missing.is_empty() {
        return Err(format!("the launch address has no {}", missing.join(", ")));
    }
    if !is_web_address(&endpoint) || !is_web_address(&fetch) {
        return Err("the endpoint and fetch addresses must be web addresses".to_string());
    }
    if !is_uuid(&registration) {
        return Err("the registration is not a UUID".to_string());
    }
    if !actor.trim_start().starts_with('{') || !actor.contains("\"account\"") {
        return Err("the actor is not an agent with an account".to_string());
    }
    if activity_id.contains(char::is_whitespace) {
        return Err("the activity id has spaces in it".to_string());
    }
    let endpoint = if endpoint.ends_with('/') {
        endpoint
    } else {
        format!("{endpoint}/")
    };
    Ok(Launch {
        endpoint,
        fetch,
        actor,
        registration,
        activity_id,
    })
}

impl Launch {
    /// Where statements go.
    pub fn statements_url(&self) -> String {
        statements_url(&self.endpoint)
    }

    /// The LMS's launch data for this registration (cmi5's `LMS.LaunchData` state document).
    pub fn launch_data_url(&self) -> String {
        format!(
            "{}activities/state?stateId=LMS.LaunchData&activityId={}&agent={}&registration={}",
            self.endpoint,
            encode(&self.activity_id),
            encode(&self.actor),
            encode(&self.registration)
        )
    }

    /// The learner's preferences (language, audio), which cmi5 asks an AU to read.
    pub fn preferences_url(&self) -> String {
        format!(
            "{}agents/profile?agent={}&profileId=cmi5LearnerPreferences",
            self.endpoint,
            encode(&self.actor)
        )
    }
}

/// Where statements go, for a store's xAPI address (ending in `/`, as [`launch`] makes it):
/// also for an earlier launch's, which the queue keeps.
pub fn statements_url(endpoint: &str) -> String {
    format!("{endpoint}statements")
}

/// A statement ready to queue, but for its actor, its time and the LMS's context template:
/// `body` is the inside of a JSON object (verb, object, result), `context` a JSON object to
/// add to the template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outgoing {
    pub id: String,
    pub body: String,
    pub context: String,
    /// The run's ending (its "completed" statement about the case).
    pub ends_run: bool,
}

/// The run's own statements (the export's); each one's id is [`statement_id`] of the
/// registration and its `key`, so the same statement always has the same id.
pub fn allowed(v: &CaseView) -> Vec<Outgoing> {
    let (s, session) = (v.scenario, v.session);
    statement_bodies(v)
        .into_iter()
        .map(|b| Outgoing {
            id: format!(
                "{}|{}|{}|{}",
                s.id,
                session.run.seed(),
                session.started,
                b.key
            ),
            ends_run: b.ends_run,
            body: b.body,
            context: run_context(v, b.turn),
        })
        .collect()
}

/// A statement's id (a UUID) in a registration, from its key.
pub fn statement_id(registration: &str, key: &str) -> String {
    uuid(&format!("{registration}|{key}"))
}

/// What the player hands the cmi5 program after each decision (JSON): the run's way to train,
/// its score (0 to 100, at an ending) and its statements, keyed as [`allowed`] says.
pub fn record_json(v: &CaseView) -> String {
    let ended = v.session.run.is_ended(v.scenario);
    let score = if ended {
        thresholds_core::lms::overall(&v.scores()).to_string()
    } else {
        "null".to_string()
    };
    let statements: Vec<String> = allowed(v)
        .into_iter()
        .map(|o| {
            format!(
                "{{\"key\":{},\"body\":{},\"context\":{},\"ends\":{}}}",
                json_str(&o.id),
                json_str(&o.body),
                json_str(&o.context),
                o.ends_run
            )
        })
        .collect();
    format!(
        "{{\"mode\":{},\"score\":{score},\"statements\":[{}]}}",
        json_str(v.session.mode.as_str()),
        statements.join(",")
    )
}

const CATEGORY: &str = "https://w3id.org/xapi/cmi5/context/categories/";

/// A defined statement about the course (`activity_id`), made in the session `session` (the
/// LMS's session id) of `registration`. `spent` is the time since the session began (ms),
/// `score` the run's score (0 to 100) for passed and failed, and `mastery` the mastery score
/// the LMS gave in its launch data (0 to 1, as the JSON number it sent), which a judgement
/// then carries. Numbers are written without float formatting, which would cost the program
/// several kilobytes.
pub fn defined(
    verb: Cmi5Verb,
    launch: &Launch,
    session: &str,
    spent: u64,
    score: u32,
    mastery: Option<&str>,
) -> Outgoing {
    let duration = json_str(&thresholds_core::lms::duration(spent));
    let result = match verb {
        Cmi5Verb::Initialized => String::new(),
        Cmi5Verb::Completed => format!(",\"result\":{{\"completion\":true,\"duration\":{duration}}}"),
        Cmi5Verb::Passed | Cmi5Verb::Failed => format!(
            ",\"result\":{{\"success\":{},\"score\":{{\"scaled\":{}.{:02},\"raw\":{score},\"min\":0,\"max\":100}},\"duration\":{duration}}}",
            verb == Cmi5Verb::Passed,
            score.min(100) / 100,
            score.min(100) % 100
        ),
        Cmi5Verb::Terminated => format!(",\"result\":{{\"duration\":{duration}}}"),
    };
    let name = verb.as_str();
    let body = format!(
        "\"verb\":{{\"id\":\"http://adlnet.gov/expapi/verbs/{name}\",\"display\":{{\"en-GB\":\"{name}\"}}}},\"object\":{{\"objectType\":\"Activity\",\"id\":{}}}{result}",
        json_str(&launch.activity_id)
    );
    let mut categories = format!("{{\"id\":\"{CATEGORY}cmi5\"}}");
    if verb.moves_on() {
        categories.push_str(&format!(",{{\"id\":\"{CATEGORY}moveon\"}}"));
    }
    let extensions = match (verb, mastery) {
        (Cmi5Verb::Passed | Cmi5Verb::Failed, Some(m)) => format!(
            ",\"extensions\":{{\"https://w3id.org/xapi/cmi5/context/extensions/masteryscore\":{m}}}"
        ),
        _ => String::new(),
    };
    Outgoing {
        id: uuid(&format!("{}|{session}|{name}", launch.registration)),
        body,
        context: format!("{{\"contextActivities\":{{\"category\":[{categories}]}}{extensions}}}"),
        ends_run: false,
    }
}
