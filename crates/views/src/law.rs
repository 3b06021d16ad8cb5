//! "About the law": what the cases assume (England) and what differs in Wales, Scotland and
//! Northern Ireland, each point with the public law or guidance it comes from. Static text, so a
//! trainer outside England knows which words and steps to translate for their room.

use crate::html::{esc, html, push_html, SafeHtml};

/// One difference: the point in plain words, and where it comes from.
struct Point(&'static str, &'static str);

struct Nation {
    id: &'static str,
    name: &'static str,
    intro: &'static str,
    points: &'static [Point],
}

const ENGLAND: Nation = Nation {
    id: "england",
    name: "England (what the cases use)",
    intro: "The case studies, their level statements and the default threshold framework describe England.",
    points: &[
        Point("Support for a child in need is assessed under section 17; a child and family assessment is completed within 45 working days of referral.", "Children Act 1989, s17; Working Together to Safeguard Children 2023 (HM Government), chapter 3"),
        Point("Where there is reasonable cause to suspect a child is suffering, or likely to suffer, significant harm, a strategy discussion decides whether to start a section 47 enquiry; an initial child protection conference follows within 15 working days of the strategy discussion.", "Children Act 1989, s47; Working Together to Safeguard Children 2023, chapter 3"),
        Point("There is no child protection register: children are the subject of a child protection plan.", "Working Together to Safeguard Children 2023, chapter 3"),
        Point("A young carer who appears to need support is assessed by the local authority.", "Children Act 1989, s17ZA (inserted by the Children and Families Act 2014, s96)"),
        Point("Voluntary accommodation is under section 20; emergency protection orders (up to 8 days) and police protection (up to 72 hours) under sections 44 and 46.", "Children Act 1989, ss20, 44, 46"),
    ],
};

const WALES: Nation = Nation {
    id: "wales",
    name: "Wales",
    intro: "Family support is under the Social Services and Well-being (Wales) Act 2014; child protection enquiries still use the Children Act 1989.",
    points: &[
        Point("“Child in need” and section 17 do not apply: a child who may need care and support is assessed under Part 3 (section 21), and eligible needs are met under Part 4 (section 37).", "Social Services and Well-being (Wales) Act 2014, Parts 3 and 4, ss21, 37"),
        Point("Section 47 enquiries and strategy discussions apply as in England.", "Children Act 1989, s47; Wales Safeguarding Procedures (2019), section on children at risk"),
        Point("A “child at risk” has its own definition, and relevant partners (police, health boards, probation and others) have a duty to report one to the local authority.", "Social Services and Well-being (Wales) Act 2014, s130"),
        Point("The statutory guidance is Working Together to Safeguard People, with the all-Wales Wales Safeguarding Procedures for practitioners, in place of Working Together 2023.", "Working Together to Safeguard People, volume 5 (Welsh Government); Wales Safeguarding Procedures (2019)"),
        Point("The child protection register remains; every registered child has a care and support protection plan.", "Wales Safeguarding Procedures (2019), child protection conferences"),
        Point("Voluntary accommodation is under section 76 of the 2014 Act, not section 20; a young carer's needs are assessed as a carer's under section 24.", "Social Services and Well-being (Wales) Act 2014, ss24, 76"),
        Point("Information sharing follows UK GDPR and the Data Protection Act 2018 as in England, within the Wales Accord on the Sharing of Personal Information (WASPI).", "Wales Accord on the Sharing of Personal Information, version 5 (2018)"),
    ],
};

const SCOTLAND: Nation = Nation {
    id: "scotland",
    name: "Scotland",
    intro: "Scotland has its own law, its own national guidance and the Children's Hearings system, and works within Getting it right for every child (GIRFEC).",
    points: &[
        Point("A local authority must safeguard and promote the welfare of children in need; Scotland's definition also covers a child affected by another family member's disability.", "Children (Scotland) Act 1995, ss22, 93(4)"),
        Point("There is no section 47: where a child may be at risk of significant harm, police, social work and health hold an inter-agency referral discussion (IRD), and the council and police must tell the Children's Reporter when a compulsory supervision order may be needed.", "National Guidance for Child Protection in Scotland 2021, updated 2023 (Scottish Government), part 3; Children's Hearings (Scotland) Act 2011, ss60, 61"),
        Point("The conference is a child protection planning meeting (CPPM); the child protection register remains, as an administrative record with no categories of abuse.", "National Guidance for Child Protection in Scotland 2021, updated 2023"),
        Point("Emergency protection is a child protection order from a sheriff, or a justice of the peace order of at most 24 hours; voluntary accommodation is under section 25.", "Children's Hearings (Scotland) Act 2011, ss37, 55; Children (Scotland) Act 1995, s25"),
        Point("A young carer must be offered a young carer statement.", "Carers (Scotland) Act 2016, s12"),
        Point("For families affected by alcohol and drug use, services work to Getting Our Priorities Right.", "Getting Our Priorities Right (Scottish Government, 2013)"),
    ],
};

const NORTHERN_IRELAND: Nation = Nation {
    id: "northern-ireland",
    name: "Northern Ireland",
    intro: "The Children (Northern Ireland) Order 1995 mirrors much of the Children Act 1989; services are run by the Health and Social Care Trusts.",
    points: &[
        Point("“Child in need” is used, as in England, under Articles 17 and 18; referrals go to the Trust's Gateway team and needs are assessed with UNOCINI (Understanding the Needs of Children in Northern Ireland).", "Children (Northern Ireland) Order 1995, Arts 17, 18; SBNI Regional Core Child Protection Policies and Procedures (2017)"),
        Point("Child protection enquiries are under Article 66, in place of section 47.", "Children (Northern Ireland) Order 1995, Art 66"),
        Point("The guidance is Co-operating to Safeguard Children and Young People in Northern Ireland, with the Safeguarding Board for Northern Ireland's regional procedures, in place of Working Together 2023.", "Co-operating to Safeguard Children and Young People in Northern Ireland (Department of Health, 2016, revised 2017); SBNI Regional Core Child Protection Policies and Procedures (2017)"),
        Point("The child protection register remains; registered children are seen at least every four weeks and plans are reviewed at three months, then at least every six.", "SBNI Regional Core Child Protection Policies and Procedures, the child protection register"),
        Point("Failing to tell the police about a relevant offence, which includes serious offences against children, is itself an offence.", "Criminal Law Act (Northern Ireland) 1967, s5"),
        Point("Voluntary accommodation is under Article 21; emergency protection orders under Articles 63 and 64; a young carer providing substantial care can ask for an assessment under Article 17A.", "Children (Northern Ireland) Order 1995, Arts 17A, 21, 63, 64"),
    ],
};

const EVERYWHERE: &[Point] = &[
    Point("UK GDPR and the Data Protection Act 2018 apply in all four nations: health information may be shared without consent to protect a child from neglect or harm, where consent cannot be given, cannot reasonably be obtained, or would prejudice the child's protection.", "Data Protection Act 2018, Schedule 1, paragraph 18"),
    Point("Consent is rarely the right lawful basis for sharing to safeguard a child; being open with the family, where that is safe, is a separate duty.", "Information sharing: advice for practitioners providing safeguarding services (HM Government, May 2024), golden rules 2 and 3; A 10 step guide to sharing information to safeguard children (Information Commissioner's Office, 2023)"),
];

fn points(h: &mut SafeHtml, points: &[Point]) {
    h.push_static("<ul class=\"law-points\">");
    for Point(text, source) in points {
        h.push_static("<li>");
        h.push(&esc(text));
        h.push_static(" <span class=\"source\">Source: ");
        h.push(&esc(source));
        h.push_static("</span></li>");
    }
    h.push_static("</ul>");
}

/// The "About the law" screen: its opening, naming the threshold framework in use and its
/// nation, then the body (`law_body_html`). The body is the same for every area, so the build
/// writes it to a file of its own (`codec::encode_page`), fetched when the screen opens.
pub fn law_html(framework: &str, nation: &str) -> SafeHtml {
    law_page(framework, nation)
}

/// The page as the build writes it, with two empty places (`law-framework`, `law-nation`) that
/// the UI fills with the text of the framework in use once the area is known.
pub fn law_body_html() -> SafeHtml {
    law_page("", "")
}

/// Each nation's differences, each point with its source, under the framework in use.
fn law_page(framework: &str, nation: &str) -> SafeHtml {
    let mut h = html!(
        "<p class=\"no-print\"><a href=\"#/\"><span aria-hidden=\"true\">← </span>All cases</a></p><h1 id=\"law-heading\" class=\"screen-heading\" tabindex=\"-1\">About the law</h1><p class=\"lede\">The case studies describe the law and guidance of England. The threshold framework in use is <strong data-testid=\"framework\" id=\"law-framework\">{}</strong> (<span id=\"law-nation\">{}</span>). If you train in Wales, Scotland or Northern Ireland, the ideas carry across, but the law, the guidance and the names of the steps differ: this page says how.</p>",
        framework,
        nation
    );
    for n in [&ENGLAND, &WALES, &SCOTLAND, &NORTHERN_IRELAND] {
        push_html!(
            h,
            "<section class=\"nation\" aria-labelledby=\"nation-{}\"><h2 id=\"nation-{}\" tabindex=\"-1\">{}</h2><p>{}</p>",
            n.id,
            n.id,
            n.name,
            n.intro
        );
        points(&mut h, n.points);
        h.push_static("</section>");
    }
    h.push_static("<section class=\"nation\" aria-labelledby=\"nation-all\"><h2 id=\"nation-all\" tabindex=\"-1\">The same in all four nations</h2>");
    points(&mut h, EVERYWHERE);
    h.push_static("<p class=\"hint\">This page is a guide for trainers, not legal advice. Check your nation's current procedures before you teach from it.</p></section>");
    h
}
