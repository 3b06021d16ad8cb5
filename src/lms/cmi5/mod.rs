//! cmi5: an LMS launches the app with `endpoint`, `fetch`, `actor`, `registration` and
//! `activityId` in its address, and the app sends xAPI statements to the LMS's learning record
//! store as the learner plays. This is the cmi5 program (src/bin/lms.rs), which only a cmi5
//! package's page loads (`scripts/package --cmi5`), and which does nothing without those
//! parameters; a package's CSP allows only the addresses the packager named.
//!
//! The order of things, as cmi5 sets it: ask the `fetch` address once for a token, which opens
//! the store for this session only; read the LMS's launch data (the context every statement
//! starts from, the launch mode, the mastery score, where to return); say "initialized" first
//! and "terminated" last, with the run's own statements and "completed", "passed" or "failed"
//! between. `queue` keeps and sends; `net` makes the requests; `notice` speaks to the learner.

mod net;
mod notice;
mod queue;

use js_sys::{Array, Date, Object, Reflect, JSON};
use thresholds_core::lms::{cmi5_at_ending, Cmi5Said, Cmi5Verb};
use thresholds_core::Mode;
use thresholds_views::cmi5::{defined, launch, statement_id, Launch, Outgoing};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use super::get;
use net::{http, Failure};
use notice::{exit_button, notify_once};
use queue::{book, flush, keep_book, open_book, push, retry_later, send_now};

/// The program's state on `window`: the launch's address, the book (see `queue`), whether a
/// send is under way, which notices were given.
const STATE: &str = "__thresholdsCmi5";
/// The event that asks the player to write a pending save now (see `terminate_on_leaving`).
pub const LEAVING: &str = "thresholds-leaving";
/// Where the player leaves a run it reported before this program was ready.
pub const WAITING: &str = "__thresholdsCmi5Waiting";

const NOT_LAUNCHED: &str = "This copy of Thresholds was packaged for a learning management system, but was not launched by one. You can play every case; nothing is sent anywhere.";
const NO_TOKEN: &str = "Your learning management system did not let Thresholds report to it this time. You can play every case; your progress is kept on this device.";
const SESSION_OVER: &str = "This session with your learning management system has ended. To have your progress recorded there, start the course again from your learning management system.";

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

fn state() -> Option<JsValue> {
    get(&window()?.into(), STATE)
}

fn set(target: &JsValue, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(target, &key.into(), &value.into());
}

fn text(target: &JsValue, key: &str) -> Option<String> {
    get(target, key).and_then(|v| v.as_string())
}

fn flag(target: &JsValue, key: &str) -> bool {
    get(target, key).and_then(|v| v.as_bool()).unwrap_or(false)
}

/// A property that is an object, made empty if it is missing.
fn child(target: &JsValue, key: &str) -> JsValue {
    get(target, key)
        .filter(|v| v.is_object())
        .unwrap_or_else(|| {
            let made: JsValue = Object::new().into();
            set(target, key, made.clone());
            made
        })
}

fn keys(target: &JsValue) -> Vec<String> {
    Object::keys(target.unchecked_ref::<Object>())
        .iter()
        .filter_map(|k| k.as_string())
        .collect()
}

fn the_launch() -> Option<Launch> {
    state()
        .and_then(|s| text(&s, "query"))
        .and_then(|q| launch(&q))
        .and_then(Result::ok)
}

/// A launch's record in the book (`sessions`, by its fetch address): the store's address, the
/// learner and registration it was for, its token and launch data, and what it has said.
fn session(fetch: &str) -> Option<JsValue> {
    Some(child(&child(&book()?, "sessions"), fetch))
}

/// This launch's record.
fn current() -> Option<JsValue> {
    session(&the_launch()?.fetch)
}

/// What a registration has been told (across its sessions): `seen`, the run's statements
/// already queued, by id; `said`, whether "completed" and "passed" were said.
fn registration(reg: &str, part: &str) -> Option<JsValue> {
    Some(child(&child(&book()?, part), reg))
}

/// Starts the program: the launch read, the book opened, "initialized" queued (once per
/// launch), the token and launch data asked for, and `record` offered on `window` for the
/// player. Notices go to the page's own region, as the connection's news can come at any time.
pub fn start() {
    let Some(w) = window() else { return };
    if state().is_some() {
        return;
    }
    let state: JsValue = Object::new().into();
    set(&w, STATE, state.clone());
    let query = w.location().search().unwrap_or_default();
    let launch = match launch(&query) {
        None => return notify_once("launch", NOT_LAUNCHED),
        Some(Err(why)) => return notify_once("launch", &format!(
            "Your learning management system launched Thresholds, but {why}. You can play every case; nothing is sent anywhere."
        )),
        Some(Ok(l)) => l,
    };
    if JSON::parse(&launch.actor).is_err() {
        return notify_once("launch", "Your learning management system launched Thresholds, but the learner it named could not be read. You can play every case; nothing is sent anywhere.");
    }
    set(&state, "query", query);
    let (book, notice) = open_book();
    set(&state, "book", book);
    if let Some(n) = notice {
        notify_once("storage", &n);
    }
    queue::prune(&launch.fetch);
    let Some(here) = current() else { return };
    if flag(&here, "terminated") {
        // The same launch again (a reload): cmi5 allows nothing after "terminated".
        notify_once("over", SESSION_OVER);
    } else if !flag(&here, "initialized") {
        set(&here, "endpoint", launch.endpoint.clone());
        set(&here, "actor", launch.actor.clone());
        set(&here, "registration", launch.registration.clone());
        set(&here, "started", Date::now());
        set(&here, "initialized", true);
        push(
            defined(Cmi5Verb::Initialized, &launch, &launch.fetch, 0, 0, None),
            Some("initialized"),
        );
    }
    keep_book();
    listen(
        &w,
        "online",
        || wasm_bindgen_futures::spawn_local(connect()),
    );
    listen(&w, "pagehide", terminate_on_leaving);
    // The player calls this after each decision (src/lms/mod.rs); a run it reported before
    // this program was ready waits on `window`.
    let from_player = Closure::<dyn Fn(String)>::new(|text: String| record(&text)).into_js_value();
    set(&state, "record", from_player);
    if let Some(waiting) = text(&w.clone().into(), WAITING) {
        let _ = Reflect::delete_property(w.unchecked_ref::<Object>(), &WAITING.into());
        record(&waiting);
    }
    wasm_bindgen_futures::spawn_local(connect());
}

fn listen(target: &web_sys::Window, event: &str, f: fn()) {
    let closure = Closure::<dyn Fn()>::new(f).into_js_value();
    let _ = target.add_event_listener_with_callback(event, closure.unchecked_ref());
}

/// After each decision: the run's statements not yet queued, and at an ending cmi5's
/// "completed" and, in assessment mode with a mastery score, "passed" or "failed". `run` is the
/// player's `views::cmi5::record_json`.
fn record(run: &str) {
    let (Some(l), Some(here)) = (the_launch(), current()) else {
        return;
    };
    let Some(seen) = registration(&l.registration, "seen") else {
        return;
    };
    let Ok(run) = JSON::parse(run) else { return };
    if flag(&here, "terminated") {
        return;
    }
    let mut ended_now = false;
    let list: Array = get(&run, "statements")
        .map(JsCast::unchecked_into)
        .unwrap_or_default();
    for item in list.iter() {
        let (Some(key), Some(body), Some(context)) = (
            text(&item, "key"),
            text(&item, "body"),
            text(&item, "context"),
        ) else {
            continue;
        };
        let id = statement_id(&l.registration, &key);
        if get(&seen, &id).is_none() {
            set(&seen, &id, 1);
            let ends_run = flag(&item, "ends");
            ended_now |= ends_run;
            push(
                Outgoing {
                    id,
                    body,
                    context,
                    ends_run,
                },
                None,
            );
        }
    }
    if ended_now {
        let mode = text(&run, "mode")
            .and_then(|m| Mode::parse(&m))
            .unwrap_or_default();
        if let Some(score) = get(&run, "score").and_then(|s| s.as_f64()) {
            set(
                &here,
                "ending",
                format!("{}:{}", mode.as_str(), score as u32),
            );
            judge();
        }
    }
    keep_book();
    // As the page closes, only `send_now` sends: a request started now may or may not
    // arrive, and no answer would come back to take the statements out of the queue.
    if !state().is_some_and(|s| flag(&s, "leaving")) {
        wasm_bindgen_futures::spawn_local(flush());
    }
}

/// The defined statements an ending waiting to be judged calls for (`ending`: its mode and
/// score), said once where cmi5 allows them once. It waits for the launch data, whose mastery
/// score wins over the package's; a browse or review launch judges nothing.
fn judge() {
    let (Some(l), Some(here)) = (the_launch(), current()) else {
        return;
    };
    if text(&here, "template").is_none() || is_browsing(&here) {
        return;
    }
    let Some((mode, score)) = text(&here, "ending").and_then(|e| {
        let (m, s) = e.split_once(':')?;
        Some((Mode::parse(m)?, s.parse::<u32>().ok()?))
    }) else {
        return;
    };
    let _ = Reflect::delete_property(here.unchecked_ref::<Object>(), &"ending".into());
    let Some(said_book) = registration(&l.registration, "said") else {
        return;
    };
    let said = Cmi5Said {
        completed: flag(&said_book, "completed"),
        passed: flag(&said_book, "passed"),
        judged_this_session: flag(&here, "judged"),
    };
    // Kept as the JSON number the LMS sent, so the statement carries it as it came.
    let from_lms = text(&here, "mastery");
    let mastery = from_lms
        .as_deref()
        .and_then(|m| m.parse().ok())
        .or_else(|| {
            super::package()
                .and_then(|p| p.mastery)
                .map(|m| f64::from(m) / 100.0)
        });
    let spent = spent(&here);
    for verb in cmi5_at_ending(mode, score, mastery, said) {
        match verb {
            Cmi5Verb::Completed => set(&said_book, "completed", true),
            Cmi5Verb::Passed => set(&said_book, "passed", true),
            _ => {}
        }
        if matches!(verb, Cmi5Verb::Passed | Cmi5Verb::Failed) {
            set(&here, "judged", true);
        }
        push(
            defined(verb, &l, &l.fetch, spent, score, from_lms.as_deref()),
            Some(verb.as_str()),
        );
    }
}

/// Whether this launch sends only "initialized" and "terminated" (cmi5's Browse and Review).
fn is_browsing(here: &JsValue) -> bool {
    text(here, "mode").is_some_and(|m| m != "Normal")
}

fn spent(here: &JsValue) -> u64 {
    let started = get(here, "started")
        .and_then(|v| v.as_f64())
        .unwrap_or_else(Date::now);
    (Date::now() - started).max(0.0) as u64
}

/// The learner leaves: the player's pending save asked for first (so the last decision is
/// queued before "terminated"), "terminated" queued (once), then what is ready sent.
fn terminate_on_leaving() {
    let Some(st) = state() else { return };
    set(&st, "leaving", true);
    if let Some(w) = window() {
        if let Ok(event) = web_sys::Event::new(LEAVING) {
            let _ = w.dispatch_event(&event);
        }
    }
    terminate();
    send_now();
}

/// Queues "terminated" unless it was.
fn terminate() {
    let (Some(l), Some(here)) = (the_launch(), current()) else {
        return;
    };
    if flag(&here, "terminated") || !flag(&here, "initialized") {
        return;
    }
    set(&here, "terminated", true);
    push(
        defined(Cmi5Verb::Terminated, &l, &l.fetch, spent(&here), 0, None),
        Some("terminated"),
    );
    keep_book();
}

/// The token, then the launch data, once each per launch; then an ending waiting for them is
/// judged and whatever is queued is sent. A network failure leaves it to the next `online`
/// event or retry; a refusal ends reporting for this launch, with a notice.
async fn connect() {
    let (Some(state), Some(l), Some(here)) = (state(), the_launch(), current()) else {
        return;
    };
    if flag(&state, "connecting") || flag(&state, "refused") {
        return;
    }
    set(&state, "connecting", true);
    let result = connect_steps(&l, &here).await;
    set(&state, "connecting", false);
    match result {
        Ok(()) => {
            judge();
            keep_book();
            flush().await
        }
        Err(Failure::Network) => {
            notify_once("offline", queue::OFFLINE);
            retry_later();
        }
        Err(Failure::Refused) => {
            set(&state, "refused", true);
            notify_once("token", NO_TOKEN);
            if text(&here, "template").is_none() {
                // Without its launch data nothing of this launch can ever be sent.
                queue::drop_session(&l.fetch);
            }
        }
    }
}

async fn connect_steps(l: &Launch, here: &JsValue) -> Result<(), Failure> {
    if text(here, "token").is_none() {
        // cmi5: a POST with no body; the answer is {"auth-token": "..."} or an error code.
        let body = answer(http("POST", &l.fetch, None, None).await?)?;
        let token = JSON::parse(&body)
            .ok()
            .and_then(|b| text(&b, "auth-token"))
            .ok_or(Failure::Refused)?;
        set(here, "token", token);
    }
    let token = text(here, "token");
    if text(here, "template").is_none() {
        let body = answer(http("GET", &l.launch_data_url(), token.as_deref(), None).await?)?;
        let data = JSON::parse(&body).map_err(|_| Failure::Refused)?;
        let template = get(&data, "contextTemplate")
            .filter(|t| t.is_object())
            .ok_or(Failure::Refused)?;
        let template = JSON::stringify(&template).map_err(|_| Failure::Refused)?;
        set(here, "template", template);
        set(
            here,
            "mode",
            text(&data, "launchMode").unwrap_or_else(|| "Normal".into()),
        );
        if let Some(m) = get(&data, "masteryScore").filter(|m| m.as_f64().is_some()) {
            set(
                here,
                "mastery",
                JSON::stringify(&m).map(String::from).unwrap_or_default(),
            );
        }
        if let Some(url) = text(&data, "returnURL")
            .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        {
            set(here, "returnURL", url);
        }
        // cmi5 asks the AU to read the learner's preferences; the app has no setting they
        // change, and "none kept" (404) is an answer too.
        let _ = http("GET", &l.preferences_url(), token.as_deref(), None).await;
    }
    if text(here, "returnURL").is_some() && !flag(here, "terminated") {
        exit_button();
    }
    Ok(())
}

/// An answer's text if it is a 200; a server error is worth trying again, anything else is a
/// refusal.
fn answer((status, body): (u16, String)) -> Result<String, Failure> {
    match status {
        200 => Ok(body),
        500..=599 => Err(Failure::Network),
        _ => Err(Failure::Refused),
    }
}
