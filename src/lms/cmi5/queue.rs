//! The queue of statements and its sending. Never lost, never twice: every statement goes into
//! a queue kept in the browser's storage (the "book", also on `window`, which every program of
//! the page shares) with an id fixed when it is made, and leaves it only when the store has
//! answered that it has it (2xx, or 409: it has that id already). Offline, the queue waits for
//! the network (the `online` event, and a retry every few seconds). Statements are joined with
//! their actor and the LMS's context template only when sent, from parts that do not change, so
//! a statement sent again is the same bytes, which a store keeps once.
//!
//! As the page closes, what is ready goes with `keepalive` and stays in the queue (no answer
//! will come back): the next launch tries it again, and a store that has it keeps it once. A
//! session the LMS has since closed refuses its own token (cmi5 limits a token to its session):
//! its statements are dropped, and the run's own are marked unsent, so the next decision queues
//! them again in the new session.

use js_sys::{Array, Date, Object, Reflect, JSON};
use thresholds_views::cmi5::{statements_url, Outgoing};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use super::net::{http, request, Failure};
use super::notice::{clear_notice, notify_once};
use super::{
    child, flag, get, is_browsing, keys, registration, set, state, text, the_launch, window,
    NO_TOKEN,
};

/// The book in storage: `queue` (statements not yet taken by the store), `sessions` (per
/// launch), `seen` and `said` (per registration).
const KEY: &str = "thresholds.cmi5";
/// How many statements go in one request.
const BATCH: usize = 50;
/// What may go with `keepalive` as the page closes (browsers allow 64 KiB in flight).
const CLOSING_BYTES: usize = 60_000;

const NO_STORAGE: &str = "This browser is not keeping Thresholds' records for your learning management system between visits: they are sent while this page is open.";
pub(super) const OFFLINE: &str = "Your learning management system cannot be reached just now. Your records wait on this device and are sent when the connection returns.";
const REFUSED: &str = "Your learning management system refused some records. Your progress is kept on this device, and the JSON export has all of it.";

pub(super) fn book() -> Option<JsValue> {
    state().and_then(|s| get(&s, "book"))
}

fn queue() -> Array {
    book()
        .and_then(|b| get(&b, "queue"))
        .map(|q| q.unchecked_into())
        .unwrap_or_default()
}

/// The book as it was left, or a fresh one (with a notice when storage is missing or the kept
/// book cannot be read: then it lives in this page only).
pub(super) fn open_book() -> (JsValue, Option<String>) {
    let fresh = || -> JsValue {
        let b: JsValue = Object::new().into();
        set(&b, "queue", Array::new());
        b
    };
    match crate::storage::get(KEY) {
        Ok(Some(kept)) => match JSON::parse(&kept) {
            Ok(b) if get(&b, "queue").is_some_and(|q| Array::is_array(&q)) => (b, None),
            _ => (fresh(), Some(NO_STORAGE.to_string())),
        },
        Ok(None) => (fresh(), None),
        Err(_) => (fresh(), Some(NO_STORAGE.to_string())),
    }
}

pub(super) fn keep_book() {
    let Some(b) = book() else { return };
    let Ok(text) = JSON::stringify(&b) else {
        return;
    };
    if crate::storage::set(KEY, &String::from(text)).is_err() {
        notify_once("storage", NO_STORAGE);
    }
}

/// At a launch: earlier launches with nothing left to send are forgotten, and so are those
/// that never got their launch data (nothing of theirs can be sent).
pub(super) fn prune(this_launch: &str) {
    let Some(book) = book() else { return };
    let sessions = child(&book, "sessions");
    for key in keys(&sessions) {
        if key == this_launch {
            continue;
        }
        let ready = get(&sessions, &key).is_some_and(|s| text(&s, "template").is_some());
        let waiting = queue()
            .iter()
            .any(|e| text(&e, "session").as_deref() == Some(&key));
        if !ready || !waiting {
            drop_session(&key);
        }
    }
}

/// A statement into the queue, stamped with the time it was made (each later than the last,
/// as cmi5 orders statements by time). `verb` names a defined statement.
pub(super) fn push(o: Outgoing, verb: Option<&str>) {
    let (Some(l), Some(st)) = (the_launch(), state()) else {
        return;
    };
    let last = get(&st, "last").and_then(|t| t.as_f64()).unwrap_or(0.0);
    let at = Date::now().max(last + 1.0);
    set(&st, "last", at);
    let entry: JsValue = Object::new().into();
    set(&entry, "id", o.id);
    set(&entry, "session", l.fetch);
    set(
        &entry,
        "time",
        String::from(Date::new(&at.into()).to_iso_string()),
    );
    set(&entry, "body", o.body);
    set(&entry, "context", o.context);
    set(&entry, "defined", verb.unwrap_or(""));
    queue().push(&entry);
}

/// One queued statement whole: its parts, the actor and registration of the launch that made
/// it, and that launch's context template with the statement's own context added (never
/// replacing what the template says).
fn statement(entry: &JsValue, here: &JsValue) -> Option<String> {
    let template = JSON::parse(&text(here, "template")?).ok()?;
    let ours = JSON::parse(&text(entry, "context")?).ok()?;
    set(&template, "registration", text(here, "registration")?);
    if let Some(add) = get(&ours, "contextActivities") {
        let activities = child(&template, "contextActivities");
        for key in keys(&add) {
            let list = get(&activities, &key)
                .filter(Array::is_array)
                .map(|l| l.unchecked_into::<Array>())
                .unwrap_or_else(|| {
                    let made = Array::new();
                    set(&activities, &key, made.clone());
                    made
                });
            for item in get(&add, &key)?.unchecked_into::<Array>().iter() {
                list.push(&item);
            }
        }
    }
    if let Some(add) = get(&ours, "extensions") {
        let extensions = child(&template, "extensions");
        for key in keys(&add) {
            if get(&extensions, &key).is_none() {
                set(&extensions, &key, get(&add, &key)?);
            }
        }
    }
    let whole = JSON::parse(&format!("{{{}}}", text(entry, "body")?)).ok()?;
    let out: JsValue = Object::new().into();
    set(&out, "id", get(entry, "id")?);
    set(&out, "timestamp", get(entry, "time")?);
    set(&out, "actor", JSON::parse(&text(here, "actor")?).ok()?);
    for key in ["verb", "object", "result"] {
        if let Some(v) = get(&whole, key) {
            set(&out, key, v);
        }
    }
    set(&out, "context", template);
    JSON::stringify(&out).ok().map(String::from)
}

/// A batch ready to send: the launch it belongs to, its fetch address, its ids and its body.
struct Batch {
    here: JsValue,
    fetch: String,
    ids: Vec<String>,
    body: String,
}

/// The next batch: the oldest statements of one launch whose token and launch data are known,
/// at most `most`, leaving out `skip`. Statements a browsing launch does not send, and any
/// that cannot be read, leave the queue here.
fn next_batch(most: usize, skip: &[String]) -> Option<Batch> {
    let sessions = child(&book()?, "sessions");
    let mut batch: Option<Batch> = None;
    let mut parts = Vec::new();
    let mut dropped = Vec::new();
    for entry in queue().iter() {
        let Some(id) = text(&entry, "id") else {
            continue;
        };
        if skip.contains(&id) {
            continue;
        }
        let Some((fetch, here)) =
            text(&entry, "session").and_then(|s| get(&sessions, &s).map(|h| (s, h)))
        else {
            dropped.push(id);
            continue;
        };
        if text(&here, "template").is_none() || text(&here, "token").is_none() {
            continue;
        }
        if batch.as_ref().is_some_and(|b| b.fetch != fetch) {
            continue;
        }
        let verb = text(&entry, "defined").unwrap_or_default();
        if is_browsing(&here) && verb != "initialized" && verb != "terminated" {
            dropped.push(id);
            continue;
        }
        let Some(whole) = statement(&entry, &here) else {
            dropped.push(id);
            continue;
        };
        let b = batch.get_or_insert_with(|| Batch {
            here: here.clone(),
            fetch: fetch.clone(),
            ids: Vec::new(),
            body: String::new(),
        });
        b.ids.push(id);
        parts.push(whole);
        if parts.len() >= most {
            break;
        }
    }
    remove(&dropped);
    batch.map(|mut b| {
        b.body = format!("[{}]", parts.join(","));
        b
    })
}

/// Takes these ids out of the queue.
fn remove(ids: &[String]) {
    if ids.is_empty() {
        return;
    }
    let kept: Array = queue()
        .iter()
        .filter(|e| text(e, "id").is_none_or(|id| !ids.contains(&id)))
        .collect();
    if let Some(b) = book() {
        set(&b, "queue", kept);
    }
}

/// Forgets a launch whose statements can never be sent: its queue goes, the run's statements
/// in it are marked unsent (the next decision queues them again, in the current session), and
/// a "completed" or "passed" that never went out may be said again.
pub(super) fn drop_session(fetch: &str) {
    let Some(book) = book() else { return };
    let sessions = child(&book, "sessions");
    let here = get(&sessions, fetch);
    let reg = here.as_ref().and_then(|h| text(h, "registration"));
    let mut ids = Vec::new();
    for entry in queue().iter() {
        if text(&entry, "session").as_deref() != Some(fetch) {
            continue;
        }
        let Some(id) = text(&entry, "id") else {
            continue;
        };
        if let Some(reg) = &reg {
            match text(&entry, "defined").unwrap_or_default().as_str() {
                "" => {
                    if let Some(seen) = registration(reg, "seen") {
                        let _ = Reflect::delete_property(
                            seen.unchecked_ref::<Object>(),
                            &id.clone().into(),
                        );
                    }
                }
                // Sent as a page closed, it may have arrived: never risk saying it twice.
                verb @ ("completed" | "passed") if !flag(&entry, "closing") => {
                    if let Some(said) = registration(reg, "said") {
                        set(&said, verb, false);
                    }
                }
                _ => {}
            }
        }
        ids.push(id);
    }
    remove(&ids);
    if the_launch().is_none_or(|l| l.fetch != fetch) {
        let _ = Reflect::delete_property(sessions.unchecked_ref::<Object>(), &fetch.into());
    }
    keep_book();
}

/// Sends the queue, a batch at a time, one send at a time across the page's programs.
pub(super) async fn flush() {
    let Some(state) = state() else { return };
    if flag(&state, "sending") {
        set(&state, "again", true);
        return;
    }
    set(&state, "sending", true);
    loop {
        set(&state, "again", false);
        if flag(&state, "refused") {
            break;
        }
        // After a refused batch, one at a time, so one bad statement costs only itself.
        let single = get(&state, "single")
            .and_then(|n| n.as_f64())
            .unwrap_or(0.0);
        let Some(b) = next_batch(if single > 0.0 { 1 } else { BATCH }, &[]) else {
            break;
        };
        let Some(endpoint) = text(&b.here, "endpoint") else {
            break;
        };
        let token = text(&b.here, "token");
        set(
            &state,
            "inflight",
            b.ids.iter().map(JsValue::from).collect::<Array>(),
        );
        let answer = http(
            "POST",
            &statements_url(&endpoint),
            token.as_deref(),
            Some(&b.body),
        )
        .await;
        set(&state, "inflight", Array::new());
        match answer {
            // Taken, or already there (a store answers 409 to an id it has with other content).
            Ok((200..=299 | 409, _)) => {
                remove(&b.ids);
                set(&state, "single", (single - 1.0).max(0.0));
                clear_notice("offline");
            }
            Ok((400 | 413 | 422, _)) if b.ids.len() > 1 => {
                set(&state, "single", b.ids.len() as f64)
            }
            Ok((400 | 413 | 422, _)) => {
                remove(&b.ids);
                set(&state, "single", (single - 1.0).max(0.0));
                notify_once("refused", REFUSED);
            }
            // The token no longer opens the store. This launch's: reporting stops (the queue
            // waits on the device); an earlier launch's: the LMS has closed that session.
            Ok((401 | 403, _)) => {
                if the_launch().is_some_and(|l| l.fetch == b.fetch) {
                    set(&state, "refused", true);
                    notify_once("token", NO_TOKEN);
                    break;
                }
                drop_session(&b.fetch);
            }
            Ok(_) | Err(Failure::Network) => {
                notify_once("offline", OFFLINE);
                retry_later();
                break;
            }
            Err(Failure::Refused) => break,
        }
        keep_book();
    }
    set(&state, "sending", false);
    keep_book();
    if flag(&state, "again") {
        wasm_bindgen_futures::spawn_local(flush());
    }
}

/// The page is closing: what is ready goes with `keepalive` (the request outlives the page),
/// up to what a browser allows in flight, and stays in the queue, marked, since no answer will
/// come back. Not what a send under way already carries, and nothing offline or refused.
pub(super) fn send_now() {
    let Some(st) = state() else { return };
    let online = window().is_some_and(|w| w.navigator().on_line());
    if !online || flag(&st, "refused") {
        return;
    }
    let mut skip: Vec<String> = get(&st, "inflight")
        .map(|a| {
            a.unchecked_into::<Array>()
                .iter()
                .filter_map(|v| v.as_string())
                .collect()
        })
        .unwrap_or_default();
    let mut bytes = 0;
    while let Some(b) = next_batch(BATCH, &skip) {
        bytes += b.body.len();
        let (Some(endpoint), Some(w)) = (text(&b.here, "endpoint"), window()) else {
            return;
        };
        if bytes > CLOSING_BYTES {
            return;
        }
        let token = text(&b.here, "token");
        if let Ok(r) = request(
            "POST",
            &statements_url(&endpoint),
            token.as_deref(),
            Some(&b.body),
            true,
        ) {
            // Nobody waits for the answer; a failure is not an error on a page that has gone.
            let ignore = Closure::<dyn FnMut(JsValue)>::new(|_| {});
            let _ = w.fetch_with_request(&r).catch(&ignore);
            ignore.forget();
        }
        for entry in queue().iter() {
            if text(&entry, "id").is_some_and(|id| b.ids.contains(&id)) {
                set(&entry, "closing", true);
            }
        }
        skip.extend(b.ids);
    }
    keep_book();
}

/// Tries again in a few seconds (once at a time).
pub(super) fn retry_later() {
    let Some(now) = state() else { return };
    if flag(&now, "waiting") {
        return;
    }
    set(&now, "waiting", true);
    let again = Closure::once_into_js(|| {
        if let Some(s) = state() {
            set(&s, "waiting", false);
        }
        wasm_bindgen_futures::spawn_local(super::connect());
    });
    if let Some(w) = window() {
        let _ =
            w.set_timeout_with_callback_and_timeout_and_arguments_0(again.unchecked_ref(), 5000);
    }
}
