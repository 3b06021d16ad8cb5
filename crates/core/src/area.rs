//! The local area's threshold settings, as data a trainer can edit: the **framework** (the
//! levels a safeguarding partnership's threshold document uses, lowest first) and the
//! **services** (for each, the indicators that put it at each level and what it would do there).
//! Level names, how many there are and where s17 sits differ between areas, so none of that is
//! in code. Files: `scenarios/area/framework.md` and `scenarios/area/services.md`.

use crate::blocks::{is_valid_id, Kind, Reader};
use crate::problem::Problem;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Area {
    pub framework: Framework,
    pub services: Vec<AreaService>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Framework {
    pub title: String,
    /// Which nation's law the framework describes.
    pub nation: String,
    /// The area uses no fixed levels (`levels: none`: the "right conversation" approach some
    /// areas take instead of a numbered continuum). The levels below still order what each
    /// service would do, but no level's name, number or chart is shown, and the marks that
    /// depend on a level are not given.
    pub no_fixed_levels: bool,
    pub notes: Vec<String>,
    /// Lowest first; a level's position is its rank.
    pub levels: Vec<Level>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Level {
    pub id: String,
    pub name: String,
    /// A short mark shown beside the name ("1", "2", "E"), so a level never rests on colour.
    pub short: String,
    /// The legal gateway or guidance the level hangs on, e.g. "Children Act 1989 s17".
    pub law: String,
    pub nation: String,
    /// Emergency action sits outside the continuum of levels but above all of them.
    pub emergency: bool,
    /// What a practitioner whose own service reaches this level is expected to do about it
    /// (`action:`): refer to children's social care, seek safeguarding advice, or nothing more.
    pub action: LevelAction,
    /// The framework's own indicator guide, used for the full picture.
    pub rules: Vec<Rule>,
    pub notes: Vec<String>,
    pub line: u32,
}

/// What reaching a level asks of the practitioner who holds the concern. Areas differ in which
/// levels mean a referral (in England, level 3 is a request for a s17 assessment and level 4 a
/// child protection referral), so this is data, checked when the area loads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LevelAction {
    /// Nothing beyond the service's own work (universal, early help offered by the service).
    #[default]
    None = 0,
    /// Seek advice from the service's safeguarding lead.
    SeekAdvice = 1,
    /// Refer to children's social care (the front door).
    Refer = 2,
}

impl LevelAction {
    fn parse(s: &str) -> Option<LevelAction> {
        match s {
            "" | "none" => Some(LevelAction::None),
            "seek-advice" => Some(LevelAction::SeekAdvice),
            "refer" => Some(LevelAction::Refer),
            _ => None,
        }
    }
}

/// All of these indicators must be held for the rule to apply.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rule {
    pub all_of: Vec<String>,
    pub line: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AreaService {
    pub id: String,
    pub name: String,
    /// The service that receives referrals (children's social care's front door).
    pub front_door: bool,
    pub notes: Vec<String>,
    pub levels: Vec<ServiceLevel>,
    pub line: u32,
}

/// What one service does at one level, and what puts it there.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServiceLevel {
    pub level: String,
    /// Any one rule applying puts the service at this level. No rules: the service's baseline.
    pub rules: Vec<Rule>,
    pub does: String,
    pub notes: Vec<String>,
    pub line: u32,
}

impl Area {
    /// The service that receives referrals, if the area names one.
    pub fn front_door(&self) -> Option<&AreaService> {
        self.services.iter().find(|s| s.front_door)
    }

    pub fn service(&self, id: &str) -> Option<&AreaService> {
        self.services.iter().find(|s| s.id == id)
    }

    pub fn rank(&self, level: &str) -> Option<usize> {
        self.framework.levels.iter().position(|l| l.id == level)
    }

    /// The lowest level at which a practitioner is expected to refer to children's social care
    /// (`action: refer`), if the area has one.
    pub fn referral_rank(&self) -> Option<usize> {
        self.framework
            .levels
            .iter()
            .position(|l| l.action == LevelAction::Refer)
    }

    /// The lowest level that asks anything of the practitioner (advice or a referral).
    pub fn action_rank(&self) -> Option<usize> {
        self.framework
            .levels
            .iter()
            .position(|l| l.action != LevelAction::None)
    }

    /// What reaching the level at `rank` asks of a practitioner.
    pub fn action_at(&self, rank: usize) -> LevelAction {
        self.framework
            .levels
            .get(rank)
            .map_or(LevelAction::None, |l| l.action)
    }
}

impl AreaService {
    /// Every indicator any of this service's rules reads: what it needs to be told.
    pub fn reads(&self) -> Vec<&str> {
        self.levels
            .iter()
            .flat_map(|l| &l.rules)
            .flat_map(|r| &r.all_of)
            .map(String::as_str)
            .collect()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FrameworkKind {
    Header,
    Level,
}

impl Kind for FrameworkKind {
    const HEADER: Self = FrameworkKind::Header;
    const OUTER: &'static [(&'static str, Self)] = &[("level", FrameworkKind::Level)];
    const INNER: &'static [(&'static str, Self)] = &[];

    fn name(self) -> &'static str {
        match self {
            FrameworkKind::Header => "framework header",
            FrameworkKind::Level => "level",
        }
    }

    fn fields(self) -> &'static [(&'static str, bool)] {
        match self {
            FrameworkKind::Header => &[("nation", false), ("levels", false), ("note", true)],
            FrameworkKind::Level => &[
                ("name", false),
                ("short", false),
                ("law", false),
                ("nation", false),
                ("emergency", false),
                ("action", false),
                ("when", true),
                ("note", true),
            ],
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ServicesKind {
    Header,
    Service,
    Level,
}

impl Kind for ServicesKind {
    const HEADER: Self = ServicesKind::Header;
    const OUTER: &'static [(&'static str, Self)] = &[("service", ServicesKind::Service)];
    const INNER: &'static [(&'static str, Self)] = &[("level", ServicesKind::Level)];

    fn name(self) -> &'static str {
        match self {
            ServicesKind::Header => "services header",
            ServicesKind::Service => "service",
            ServicesKind::Level => "service level",
        }
    }

    fn fields(self) -> &'static [(&'static str, bool)] {
        match self {
            ServicesKind::Header => &[("note", true)],
            ServicesKind::Service => &[("name", false), ("front-door", false), ("note", true)],
            ServicesKind::Level => &[("when", true), ("does", false), ("note", true)],
        }
    }
}

/// Reads `when: a.b and c.d` lines into rules.
fn rules(r: &mut Reader, block: &crate::blocks::BlockInfo) -> Vec<Rule> {
    let mut out = Vec::new();
    for f in r
        .all(block, "when")
        .into_iter()
        .cloned()
        .collect::<Vec<_>>()
    {
        let all_of: Vec<String> = f
            .value
            .split(" and ")
            .map(|s| s.trim().to_string())
            .collect();
        for i in &all_of {
            if !is_valid_id(i) {
                r.problem(
                    f.line,
                    format!("'{i}' is not an indicator name"),
                    "write indicators joined by 'and', e.g. 'storage.unsafe and child.under_5'",
                );
            }
        }
        out.push(Rule {
            all_of,
            line: f.line,
        });
    }
    out
}

impl Area {
    /// The area as the app needs it: levels, rules' results and what services do, without the
    /// files' source notes (those are for the people who edit them; the tests check them).
    pub fn shown(&self) -> Area {
        let mut a = self.clone();
        a.framework.notes.clear();
        for l in &mut a.framework.levels {
            l.notes.clear();
        }
        for s in &mut a.services {
            s.notes.clear();
            s.levels.iter_mut().for_each(|l| l.notes.clear());
        }
        a
    }
}

/// Parses and validates the two area files. `Ok` only when there is no problem at all.
pub fn load_area(framework: (&str, &str), services: (&str, &str)) -> Result<Area, Vec<Problem>> {
    let (fw, mut problems) = read_framework(framework);
    let (list, mut more) = read_services(services, &fw);
    problems.append(&mut more);
    crate::problem::sort(&mut problems);
    if problems.is_empty() {
        Ok(Area {
            framework: fw,
            services: list,
        })
    } else {
        Err(problems)
    }
}

/// The framework file: its title and nation, and its levels, lowest first.
fn read_framework(framework: (&str, &str)) -> (Framework, Vec<Problem>) {
    let mut r = Reader {
        file: framework.0,
        problems: Vec::new(),
    };
    let mut fw = Framework {
        nation: "England".into(),
        ..Default::default()
    };
    for block in r.blocks::<FrameworkKind>(framework.1) {
        match block.kind {
            FrameworkKind::Header => {
                fw.title = block.id.clone();
                let nation = r.optional(&block, "nation");
                if !nation.is_empty() {
                    fw.nation = nation;
                }
                fw.no_fixed_levels = match r.optional(&block, "levels").as_str() {
                    "" | "fixed" => false,
                    "none" => true,
                    other => {
                        r.problem(
                            r.line_of(&block, "levels"),
                            format!("unknown 'levels: {other}'"),
                            "write 'levels: none' for an area with no fixed levels, or leave it out",
                        );
                        false
                    }
                };
                fw.notes = r.notes(&block);
            }
            FrameworkKind::Level => {
                let level = Level {
                    name: r.required(&block, "name"),
                    short: r.required(&block, "short"),
                    law: r.optional(&block, "law"),
                    nation: {
                        let n = r.optional(&block, "nation");
                        if n.is_empty() {
                            fw.nation.clone()
                        } else {
                            n
                        }
                    },
                    emergency: r.yes_no(
                        &block,
                        "emergency",
                        "write 'emergency: yes' on the last level only",
                    ),
                    action: {
                        let a = r.optional(&block, "action");
                        LevelAction::parse(&a).unwrap_or_else(|| {
                            r.problem(
                                r.line_of(&block, "action"),
                                format!("unknown action '{a}'"),
                                "write 'action: refer', 'action: seek-advice' or leave it out",
                            );
                            LevelAction::None
                        })
                    },
                    rules: rules(&mut r, &block),
                    notes: r.notes(&block),
                    id: block.info.id,
                    line: block.info.line,
                };
                fw.levels.push(level);
            }
        }
    }
    check_levels(&mut r, &fw);
    (fw, r.problems)
}

/// Level ids are unique; there are at least two levels, one that says when to refer, and at
/// most one emergency level, last.
fn check_levels(r: &mut Reader, fw: &Framework) {
    let mut seen: Vec<&str> = Vec::new();
    for level in &fw.levels {
        if !first_time(&mut seen, &level.id) {
            r.problem(
                level.line,
                format!("duplicate level id '{}'", level.id),
                "every level needs its own id",
            );
        }
    }
    if fw.levels.len() < 2 {
        r.problem(
            1,
            "a framework needs at least two levels",
            "add '## level <id>' blocks, lowest first",
        );
    }
    if !fw.levels.is_empty() && !fw.levels.iter().any(|l| l.action == LevelAction::Refer) {
        r.problem(
            fw.levels[0].line,
            "no level says when to refer to children's social care",
            "add 'action: refer' to the lowest level at which a practitioner should refer",
        );
    }
    if fw.levels.iter().filter(|l| l.emergency).count() > 1 {
        r.problem(
            fw.levels
                .iter()
                .filter(|l| l.emergency)
                .nth(1)
                .map_or(1, |l| l.line),
            "more than one level says 'emergency: yes'",
            "only the last level can be emergency action",
        );
    }
    if let Some(pos) = fw.levels.iter().position(|l| l.emergency) {
        if pos + 1 != fw.levels.len() {
            r.problem(
                fw.levels[pos].line,
                "the emergency level must come last",
                "move it below the other levels",
            );
        }
    }
}

/// The services file: each service and what it does at each of the framework's levels.
fn read_services(services: (&str, &str), fw: &Framework) -> (Vec<AreaService>, Vec<Problem>) {
    let mut r = Reader {
        file: services.0,
        problems: Vec::new(),
    };
    let mut list: Vec<AreaService> = Vec::new();
    for block in r.blocks::<ServicesKind>(services.1) {
        match block.kind {
            ServicesKind::Header => {}
            ServicesKind::Service => {
                let service = AreaService {
                    name: r.required(&block, "name"),
                    front_door: r.yes_no(
                        &block,
                        "front-door",
                        "write 'front-door: yes' on the one service that receives referrals",
                    ),
                    notes: r.notes(&block),
                    id: block.info.id,
                    line: block.info.line,
                    levels: Vec::new(),
                };
                list.push(service);
            }
            ServicesKind::Level => {
                let level = ServiceLevel {
                    rules: rules(&mut r, &block),
                    does: r.required(&block, "does"),
                    notes: r.notes(&block),
                    level: block.info.id,
                    line: block.info.line,
                };
                if !fw.levels.iter().any(|l| l.id == level.level) {
                    let known: Vec<&str> = fw.levels.iter().map(|l| l.id.as_str()).collect();
                    r.problem(
                        level.line,
                        format!("unknown level '{}'", level.level),
                        format!("the framework's levels are: {}", known.join(", ")),
                    );
                }
                match list.last_mut() {
                    Some(service) => {
                        if service.levels.iter().any(|l| l.level == level.level) {
                            r.problem(
                                level.line,
                                format!(
                                    "level '{}' given twice for service '{}'",
                                    level.level, service.id
                                ),
                                "merge the two blocks",
                            );
                        }
                        service.levels.push(level);
                    }
                    None => r.problem(
                        level.line,
                        "a level outside a service",
                        "put '### level' blocks after their '## service'",
                    ),
                }
            }
        }
    }
    check_services(&mut r, &list);
    (list, r.problems)
}

/// Service ids are unique, each has a baseline level, and exactly one is the front door.
fn check_services(r: &mut Reader, list: &[AreaService]) {
    let mut seen: Vec<&str> = Vec::new();
    for s in list {
        if !first_time(&mut seen, &s.id) {
            r.problem(
                s.line,
                format!("duplicate service id '{}'", s.id),
                "every service needs its own id",
            );
        }
        if !s.levels.iter().any(|l| l.rules.is_empty()) {
            r.problem(
                s.line,
                format!("service '{}' has no baseline level", s.id),
                "add a '### level' with no 'when:' for what it does when nothing applies",
            );
        }
    }
    let doors: Vec<&AreaService> = list.iter().filter(|s| s.front_door).collect();
    match doors.as_slice() {
        [_] => {}
        [] => r.problem(
            list.first().map_or(1, |s| s.line),
            "no service is the front door",
            "mark children's social care with 'front-door: yes': sharing with it is a referral",
        ),
        [_, second, ..] => r.problem(
            second.line,
            format!("'{}' is a second front door", second.id),
            "only one service receives referrals; remove 'front-door: yes' from the others",
        ),
    }
}

/// Records an id; false if it was seen before.
fn first_time<'a>(seen: &mut Vec<&'a str>, id: &'a str) -> bool {
    if seen.contains(&id) {
        return false;
    }
    seen.push(id);
    true
}
