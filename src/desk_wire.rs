//! The authoring desk's messages between the page and its worker (src/bin/desk.rs), both ways.
//! The worker answers with `thresholds_core::desk::respond`; this only turns its request and
//! its answer into plain JS objects and back (each program links the half it uses).
//!
//! Request: `{ seq, files: [{ name, bytes: Uint8Array }], area: Uint8Array | { framework: file,
//! services: file }, rubrics: Uint8Array, references: [file] }`.
//! Answer: `{ seq, trouble?, reports: [report], references: [report], area?: { problems, title,
//! nation, compiled? } }`, a report being `{ name, id, title, version, problems: [{ file, line,
//! text }], warnings: [...], summary, shortest, longest, compiled?: Uint8Array }`.

use js_sys::{Array, Object, Reflect, Uint8Array};
use thresholds_core::desk::{
    AreaReport, DeskAnswer, DeskArea, DeskFile, DeskReport, DeskRequest, Finding,
};
use wasm_bindgen::{JsCast, JsValue};

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn text(v: &JsValue, key: &str) -> String {
    get(v, key).as_string().unwrap_or_default()
}

fn bytes(v: &JsValue) -> Option<Vec<u8>> {
    v.dyn_ref::<Uint8Array>().map(|a| a.to_vec())
}

fn set(o: &Object, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(o, &JsValue::from_str(key), &value.into());
}

/// The sequence number a message carries (answers to older requests are dropped).
pub fn seq(message: &JsValue) -> u32 {
    get(message, "seq").as_f64().unwrap_or(0.0) as u32
}

fn file_to_js(f: &DeskFile) -> JsValue {
    let x = Object::new();
    set(&x, "name", f.name.as_str());
    set(&x, "bytes", Uint8Array::from(f.bytes.as_slice()));
    x.into()
}

fn file_from_js(f: &JsValue) -> DeskFile {
    DeskFile {
        name: text(f, "name"),
        bytes: bytes(&get(f, "bytes")).unwrap_or_default(),
    }
}

fn files_from_js(v: &JsValue) -> Vec<DeskFile> {
    Array::from(v).iter().map(|f| file_from_js(&f)).collect()
}

pub fn request_to_js(seq: u32, r: &DeskRequest) -> JsValue {
    let o = Object::new();
    set(&o, "seq", seq);
    set(
        &o,
        "files",
        r.files.iter().map(file_to_js).collect::<Array>(),
    );
    set(
        &o,
        "references",
        r.references.iter().map(file_to_js).collect::<Array>(),
    );
    match &r.area {
        DeskArea::Compiled(b) => set(&o, "area", Uint8Array::from(b.as_slice())),
        DeskArea::Files {
            framework,
            services,
        } => {
            let a = Object::new();
            set(&a, "framework", file_to_js(framework));
            set(&a, "services", file_to_js(services));
            set(&o, "area", a);
        }
    }
    set(&o, "rubrics", Uint8Array::from(r.rubrics.as_slice()));
    o.into()
}

pub fn request_from_js(data: &JsValue) -> DeskRequest {
    let area = get(data, "area");
    DeskRequest {
        files: files_from_js(&get(data, "files")),
        area: match bytes(&area) {
            Some(b) => DeskArea::Compiled(b),
            None => DeskArea::Files {
                framework: file_from_js(&get(&area, "framework")),
                services: file_from_js(&get(&area, "services")),
            },
        },
        rubrics: bytes(&get(data, "rubrics")).unwrap_or_default(),
        references: files_from_js(&get(data, "references")),
    }
}

fn findings_to_js(list: &[Finding]) -> Array {
    list.iter()
        .map(|f| {
            let o = Object::new();
            set(&o, "file", f.file.as_str());
            set(&o, "line", f.line);
            set(&o, "text", f.text.as_str());
            JsValue::from(o)
        })
        .collect()
}

fn findings_from_js(v: &JsValue) -> Vec<Finding> {
    Array::from(v)
        .iter()
        .map(|f| Finding {
            file: text(&f, "file"),
            line: get(&f, "line").as_f64().unwrap_or(1.0) as u32,
            text: text(&f, "text"),
        })
        .collect()
}

fn report_to_js(r: &DeskReport) -> JsValue {
    let x = Object::new();
    set(&x, "name", r.name.as_str());
    set(&x, "id", r.id.as_str());
    set(&x, "title", r.title.as_str());
    set(&x, "version", r.version);
    set(&x, "problems", findings_to_js(&r.problems));
    set(&x, "warnings", findings_to_js(&r.warnings));
    set(&x, "summary", r.summary.as_str());
    set(&x, "shortest", r.decisions.0);
    set(&x, "longest", r.decisions.1);
    if let Some(c) = &r.compiled {
        set(&x, "compiled", Uint8Array::from(c.as_slice()));
    }
    x.into()
}

fn report_from_js(r: &JsValue) -> DeskReport {
    let number = |key: &str| get(r, key).as_f64().unwrap_or(0.0) as u32;
    DeskReport {
        name: text(r, "name"),
        id: text(r, "id"),
        title: text(r, "title"),
        version: number("version"),
        problems: findings_from_js(&get(r, "problems")),
        warnings: findings_from_js(&get(r, "warnings")),
        summary: text(r, "summary"),
        decisions: (number("shortest"), number("longest")),
        compiled: bytes(&get(r, "compiled")),
    }
}

pub fn answer_to_js(seq: u32, a: &DeskAnswer) -> JsValue {
    let o = Object::new();
    set(&o, "seq", seq);
    if let Some(t) = &a.trouble {
        set(&o, "trouble", t.as_str());
    }
    set(
        &o,
        "reports",
        a.reports.iter().map(report_to_js).collect::<Array>(),
    );
    set(
        &o,
        "references",
        a.references.iter().map(report_to_js).collect::<Array>(),
    );
    if let Some(area) = &a.area {
        let x = Object::new();
        set(&x, "problems", findings_to_js(&area.problems));
        set(&x, "title", area.title.as_str());
        set(&x, "nation", area.nation.as_str());
        if let Some(c) = &area.compiled {
            set(&x, "compiled", Uint8Array::from(c.as_slice()));
        }
        set(&o, "area", x);
    }
    o.into()
}

pub fn answer_from_js(data: &JsValue) -> DeskAnswer {
    let area = get(data, "area");
    let reports = |key: &str| {
        Array::from(&get(data, key))
            .iter()
            .map(|r| report_from_js(&r))
            .collect()
    };
    DeskAnswer {
        trouble: get(data, "trouble").as_string(),
        reports: reports("reports"),
        references: reports("references"),
        area: (!area.is_undefined()).then(|| AreaReport {
            problems: findings_from_js(&get(&area, "problems")),
            title: text(&area, "title"),
            nation: text(&area, "nation"),
            compiled: bytes(&get(&area, "compiled")),
        }),
    }
}
