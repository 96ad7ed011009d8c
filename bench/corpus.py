#!/usr/bin/env python3
"""Deterministic synthetic corpus for benchmarking static news/events site generators.

Usage:
    python bench/corpus.py OUT_DIR --articles N --events M [--seed S] [--format native|pelican|hugo]

Formats
-------
native  (default)
    OUT_DIR/content/news/YYYY-MM-DD-slug.md      YAML front matter + Markdown body
    OUT_DIR/content/events/YYYY-MM-DD-slug.yaml  one YAML mapping per event
pelican
    OUT_DIR/content/news/YYYY-MM-DD-slug.md      Pelican "Key: value" Markdown metadata
    (events are not written: Pelican has no event equivalent)
hugo
    OUT_DIR/content/news/YYYY-MM-DD-slug.md      YAML front matter using Hugo's
                                                 categories/tags/authors taxonomies
    (events are not written: no built-in Hugo equivalent)

The same seed gives byte-identical output.  Article i and event j are generated
from their own RNG (seeded from (seed, kind, index)), so a corpus of N articles
is a prefix of a corpus of N' > N articles.

Standard library only.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import sys

# --------------------------------------------------------------------------- vocab

CATEGORIES = [
    "People & places",
    "News & Analysis",
    "Digital health",
    "Deals & investment",
    "Policy & regulation",
    "Research & innovation",
    "Manufacturing & supply",
    "Member news",
]

TAGS = [
    "mergers", "acquisitions", "partnerships", "licensing", "investment",
    "venture capital", "IPO", "oncology", "rare diseases", "neuroscience",
    "immunology", "gene therapy", "cell therapy", "vaccines", "antimicrobials",
    "diagnostics", "medtech", "digital health", "AI", "genomics",
    "manufacturing", "supply chain", "regulation", "MHRA", "NHS",
    "clinical trials", "policy", "skills", "workforce", "Scotland",
    "Wales", "Northern Ireland", "Golden Triangle", "Northern Powerhouse", "exports",
    "EU", "USA", "sustainability", "board appointments", "awards",
]

AUTHORS = [
    "Alice Moreton", "Ben Okafor", "Catherine Hale", "Daniel Price", "Eleanor Voss",
    "Farah Siddiqui", "George Lam", "Hannah Whitcombe", "Imran Qureshi", "Julia Brennan",
    "Kwame Mensah", "Laura Fitzgerald", "Marcus Webb", "Nadia Petrova", "Oliver Grant",
    "Priya Raman", "Rachel Dunmore", "Samuel Achebe", "Tessa Lindqvist", "Usman Tariq",
    "Victoria Ashby", "William Chen", "Yasmin Haddad", "Zoe Carrington",
]

CO_PREFIX = [
    "Arcturus", "Helix", "Novagen", "Biocera", "Meridian", "Quantis", "Oxbridge",
    "Cellula", "Theralux", "Genvara", "Peptara", "Medivance", "Synapta", "Corvida",
    "Lumina", "Vireo", "Aquila", "Stratagen", "Panacea", "Orbis", "Kestrel",
    "Solace", "Veridian", "Halcyon", "Cygnet", "Ardent", "Tessera", "Calyx",
    "Nimbus", "Pharos", "Evergreen", "Sentinel", "Axiom", "Borealis", "Cadence",
    "Delphi", "Emberly", "Fenwick", "Granta", "Isca",
]
CO_SUFFIX = [
    "Therapeutics", "Bio", "Biosciences", "Pharma", "Genomics", "Diagnostics",
    "Health", "Medical", "Life Sciences", "Biologics", "Labs", "Analytics",
    "Oncology", "Vaccines", "Robotics",
]

FIRST = [
    "Adam", "Beatrice", "Charles", "Deborah", "Edward", "Fiona", "Graham", "Helen",
    "Ian", "Jane", "Kieran", "Lucy", "Martin", "Naomi", "Owen", "Philippa", "Rupert",
    "Sarah", "Thomas", "Ursula", "Vikram", "Wendy", "Ahmed", "Mei", "Sofia", "Tobias",
]
LAST = [
    "Ashworth", "Bhatt", "Campbell", "Davies", "Ellison", "Fraser", "Gupta", "Harrington",
    "Iqbal", "Jenkins", "Kowalski", "Lennox", "MacLeod", "Nakamura", "O'Brien", "Patel",
    "Quinn", "Robertson", "Stewart", "Thornton", "Underwood", "Vaughan", "Whitaker", "Young",
]
ROLES = [
    "chief executive", "chief scientific officer", "chief financial officer",
    "chair", "head of research", "managing director", "chief medical officer",
    "director of business development", "founder", "head of policy",
]

CITIES = [
    "Cambridge", "Oxford", "London", "Manchester", "Edinburgh", "Glasgow", "Cardiff",
    "Belfast", "Dundee", "Stevenage", "Harwell", "Milton Park", "Leeds", "Nottingham",
    "Bristol", "Newcastle", "Liverpool", "Birmingham", "Sheffield", "Aberdeen",
    "Boston", "Basel", "Leiden", "Dublin", "Copenhagen",
]
VENUES = [  # (venue, city)
    ("The Wellcome Collection", "London"), ("Royal Society of Medicine", "London"),
    ("The Francis Crick Institute", "London"), ("Babraham Research Campus", "Cambridge"),
    ("Manchester Central", "Manchester"), ("Edinburgh International Conference Centre", "Edinburgh"),
    ("ICC Wales", "Newport"), ("The Royal Institution", "London"), ("BioCity", "Nottingham"),
    ("Alderley Park", "Macclesfield"), ("The Queen Elizabeth II Centre", "London"),
    ("Said Business School", "Oxford"), ("Wellcome Genome Campus", "Hinxton"),
    ("Titanic Belfast", "Belfast"), ("Glasgow Science Centre", "Glasgow"),
    ("Stevenage Bioscience Catalyst", "Stevenage"), ("The Catalyst", "Newcastle"),
]

THERAPY = [
    "oncology", "rare disease", "neuroscience", "immunology", "cardiometabolic",
    "infectious disease", "gene therapy", "cell therapy", "antimicrobial resistance",
    "digital pathology", "respiratory", "dermatology", "ophthalmology", "precision medicine",
]
PRODUCTS = [
    "antibody platform", "mRNA pipeline", "diagnostic assay", "AI triage tool",
    "gene-editing programme", "manufacturing platform", "small-molecule portfolio",
    "wearable monitor", "biomarker panel", "viral-vector facility", "screening service",
    "remote-monitoring app", "radiopharmaceutical", "vaccine candidate",
]
BANKS = [
    "Numis", "Peel Hunt", "Jefferies", "Panmure Gordon", "Berenberg", "Liberum",
    "Investec", "Stifel",
]
ADJ = [
    "significant", "welcome", "timely", "ambitious", "pragmatic", "bold", "long-awaited",
    "strategic", "important", "logical", "notable", "encouraging",
]
BENEFITS = [
    "accelerate the development of new treatments for patients",
    "create a stronger platform for growth in international markets",
    "bring complementary pipelines together under one roof",
    "give the business the scale it needs to compete globally",
    "strengthen the UK's position as a leading life-sciences hub",
    "secure long-term investment in research and manufacturing",
    "open up new routes to the NHS and to overseas health systems",
    "protect and create highly skilled jobs across the region",
]
FACILITIES = [
    "laboratory", "manufacturing site", "research centre", "innovation hub",
    "clinical-trials unit", "headquarters", "data centre", "training academy",
]
MILESTONES = [
    "regulatory approvals", "clinical milestones", "commercial targets",
    "the start of phase III trials", "first patient dosing", "sales thresholds",
]
QUARTERS = ["first", "second", "third", "fourth"]

CONNECTORS = [
    "Meanwhile,", "In addition,", "However,", "At the same time,", "Separately,",
    "As a result,", "Notably,", "In practice,", "According to the company,",
    "By contrast,", "Looking ahead,", "Earlier this year,",
]
SUBJECTS = [
    "the combined business", "the partnership", "the sector", "investors", "regulators",
    "smaller biotech firms", "the trade association", "NHS trusts", "academic partners",
    "the management team", "patient groups", "venture investors", "the board",
    "mid-sized pharmaceutical companies", "contract manufacturers", "the wider industry",
]
VERBS = [
    "expects to see", "has called for", "will focus on", "continues to invest in",
    "is likely to benefit from", "has welcomed", "is preparing for", "remains cautious about",
    "has prioritised", "is reviewing", "plans to expand", "has warned about",
]
OBJECTS = [
    "faster access to clinical data", "a more predictable regulatory pathway",
    "new funding for early-stage research", "closer collaboration with universities",
    "the costs of scaling up manufacturing", "the shortage of skilled technicians",
    "a clearer framework for licensing deals", "improvements to the clinical-trials system",
    "greater use of real-world evidence", "the capacity of its laboratories",
    "opportunities in European and US markets", "the adoption of digital tools in the NHS",
    "tax incentives for research and development", "the resilience of its supply chain",
]
ADVERBIALS = [
    "over the next three years", "in the coming months", "before the end of the year",
    "across its UK sites", "as part of its growth strategy", "following the announcement",
    "despite a difficult funding climate", "in line with government policy",
    "alongside its existing programmes", "once the deal completes",
]
HEADINGS = [
    "Deal terms", "What it means for the sector", "Background", "Next steps",
    "Reaction", "The bigger picture", "Pipeline and programmes", "Funding and investment",
    "Why it matters", "Regulatory approval",
]
LIST_ITEMS = [
    "a combined pipeline of {n} clinical programmes",
    "around {n} employees across {k} sites in the UK",
    "a shared focus on {therapy} and {therapy2}",
    "an expanded {facility} in {city}",
    "up to {money} in milestone payments",
    "joint access to a {product} developed in {city}",
    "a new seat on the board for {person}",
    "a commitment to recruit {n} graduate scientists",
    "expected completion in the {quarter} quarter of {year}",
    "continued listing on the London Stock Exchange",
    "co-funding of research with {k} universities",
    "a dedicated team for regulatory affairs in {city}",
]

EVENT_KINDS = [
    ("Annual Conference", 2), ("Webinar", 0), ("Networking Breakfast", 0),
    ("Workshop", 0), ("Annual Dinner", 0), ("Roundtable", 0),
    ("Training Course", 1), ("Investor Showcase", 0), ("Summit", 1),
    ("Policy Briefing", 0), ("Masterclass", 0), ("Open Day", 0),
]
EVENT_TOPICS = [
    "Life Sciences Deal-Making", "Digital Health Adoption", "Regulatory Affairs",
    "Clinical Trials Reform", "Gene and Cell Therapy", "Manufacturing Skills",
    "AI in Drug Discovery", "Investment Readiness", "Market Access and the NHS",
    "Rare Disease Innovation", "Sustainability in Pharma", "Women in Life Sciences",
    "Exporting to the US", "Biotech Finance", "Diagnostics Innovation",
]
ORGANISERS = [
    "The Association", "The Association and {co}", "Life Sciences Network",
    "{city} Bioscience Forum", "{co}", "The Association's Digital Health Group",
]

START = dt.date(2015, 1, 1)
END = dt.date(2027, 12, 31)
SPAN = (END - START).days


# --------------------------------------------------------------------------- helpers

def rng_for(seed: int, kind: str, i: int) -> random.Random:
    # str seeds are hashed with SHA-512 by random.seed(): stable across runs/platforms.
    return random.Random(f"{seed}:{kind}:{i}")


def last_sunday(year: int, month: int) -> dt.date:
    d = dt.date(year, month + 1, 1) - dt.timedelta(days=1) if month < 12 else dt.date(year, 12, 31)
    while d.weekday() != 6:
        d -= dt.timedelta(days=1)
    return d


def london_offset(d: dt.date) -> dt.timezone:
    """Europe/London: BST (+01:00) between the last Sundays of March and October."""
    if last_sunday(d.year, 3) <= d < last_sunday(d.year, 10):
        return dt.timezone(dt.timedelta(hours=1))
    return dt.timezone.utc


def iso(d: dt.datetime) -> str:
    return d.isoformat(timespec="seconds")


def slugify(s: str) -> str:
    s = s.lower().replace("&", "and").replace("£", "")
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s[:60].rstrip("-")


def yq(s: str) -> str:
    """YAML double-quoted scalar (JSON strings are valid YAML double-quoted scalars)."""
    return json.dumps(s, ensure_ascii=False)


def ylist(items) -> str:
    return "[" + ", ".join(yq(x) for x in items) + "]"


def company(r: random.Random) -> str:
    return f"{r.choice(CO_PREFIX)} {r.choice(CO_SUFFIX)}"


def person(r: random.Random) -> str:
    return f"{r.choice(FIRST)} {r.choice(LAST)}"


def money(r: random.Random) -> str:
    if r.random() < 0.7:
        return f"£{r.randint(5, 950)}m"
    return f"£{r.randint(1, 9)}.{r.randint(1, 9)}bn"


def an(word: str) -> str:
    return ("an " if word[0].lower() in "aeiou" else "a ") + word


def wc(s: str) -> int:
    return len(s.split())


# --------------------------------------------------------------------------- article text

class Ctx:
    """Per-article cast: two companies, a couple of people, a city, a therapy area."""

    def __init__(self, r: random.Random, year: int):
        self.r = r
        self.a = company(r)
        self.b = company(r)
        while self.b.split()[0] == self.a.split()[0]:
            self.b = company(r)
        self.p1 = person(r)
        self.p2 = person(r)
        self.role1 = r.choice(ROLES)
        self.role2 = r.choice(ROLES)
        self.city = r.choice(CITIES)
        self.therapy = r.choice(THERAPY)
        self.therapy2 = r.choice(THERAPY)
        self.product = r.choice(PRODUCTS)
        self.year = year

    def fill(self, t: str) -> str:
        r = self.r
        return t.format(
            a=self.a, b=self.b, p1=self.p1, p2=self.p2, role1=self.role1, role2=self.role2,
            city=self.city, city2=r.choice(CITIES), therapy=self.therapy, therapy2=self.therapy2,
            product=self.product, money=money(r), money2=money(r), n=r.randint(3, 900),
            k=r.randint(2, 9), bank=r.choice(BANKS), adj=r.choice(ADJ), an_adj=an(r.choice(ADJ)),
            benefit=r.choice(BENEFITS), facility=r.choice(FACILITIES),
            milestone=r.choice(MILESTONES), quarter=r.choice(QUARTERS),
            year=self.year + r.randint(0, 1), person=person(r), pct=r.randint(2, 60),
        )


TITLE_TEMPLATES = [
    "{a} and {b} agree {money} merger",
    "{a} to acquire {b} in {therapy} push",
    "{a} partners with {b} on {therapy} {product}",
    "{p1} appointed {role1} of {a}",
    "{a} opens new {facility} in {city}",
    "{a} raises {money} to expand {product}",
    "{a} and {b} form joint venture for {therapy} research",
    "{a} signs licensing deal with {b}",
    "NHS to trial {a}'s {product}",
    "{a} completes acquisition of {b}",
    "{city} cluster welcomes {a} as new member",
    "{a} shortlisted for innovation award",
]

SENTENCES = [
    "{a} and {b} have agreed to combine their businesses in a deal that values the enlarged group at {money}.",
    "The combined company will be headquartered in {city} and employ around {n} people across {k} sites.",
    "{p1}, {role1} of {a}, said the agreement would {benefit}.",
    "Under the terms of the agreement, {a} will pay {money} upfront, with up to {money2} in further payments tied to {milestone}.",
    "The transaction is expected to close in the {quarter} quarter of {year}, subject to regulatory approval.",
    "Analysts at {bank} described the move as {an_adj} step for the UK life-sciences sector.",
    "Both companies have been working in {therapy} for more than a decade, and their programmes are largely complementary.",
    "{b} was spun out of a university research group in {city2} and has grown rapidly since its first funding round.",
    "Shares in {a} rose by {pct} per cent in early trading after the announcement.",
    "The partnership will give {b} access to {a}'s {product} and its manufacturing capacity in {city}.",
    "{p2}, {role2} of {b}, said the team was delighted to be joining forces with a company that shares its values.",
    "The association said the deal was {an_adj} sign of confidence in the UK as a place to build and scale life-sciences businesses.",
    "Demand for new {therapy} treatments has pushed many mid-sized companies to look for partners with complementary pipelines.",
    "The new {facility} in {city} is expected to create {n} skilled jobs over the next five years.",
    "Regulators will now review the proposed merger, and a decision is expected in the {quarter} quarter of {year}.",
    "The companies said that no changes to existing clinical programmes are planned while the integration is completed.",
    "Industry figures suggest that investment in {therapy2} research in the UK has risen by {pct} per cent since {year}.",
    "The deal follows a period of consolidation in the sector, with several smaller firms acquired by larger rivals.",
    "{a} said it would keep its research teams in {city} and invest a further {money} in the site.",
    "Members of the association will be able to hear more about the deal at its next regional meeting in {city2}.",
]


def sentence(ctx: Ctx) -> str:
    r = ctx.r
    if r.random() < 0.55:
        s = ctx.fill(r.choice(SENTENCES))
    else:
        s = f"{r.choice(SUBJECTS)} {r.choice(VERBS)} {r.choice(OBJECTS)} {r.choice(ADVERBIALS)}."
        if r.random() < 0.35:
            s = f"{r.choice(CONNECTORS)} {s}"
        s = s[0].upper() + s[1:]
    # occasional inline emphasis / link
    x = r.random()
    if x < 0.08:
        s = s.replace(ctx.product, f"*{ctx.product}*", 1)
    elif x < 0.14:
        words = s.split()
        if len(words) > 6:
            j = r.randint(1, len(words) - 4)
            words[j] = "**" + words[j]
            words[j + 2] = words[j + 2] + "**"
            s = " ".join(words)
    elif x < 0.20:
        s = s.replace(ctx.a, f"[{ctx.a}](https://www.{slugify(ctx.a)}.example.com/)", 1)
    return s


def paragraph(ctx: Ctx, lo: int = 3, hi: int = 6) -> str:
    return " ".join(sentence(ctx) for _ in range(ctx.r.randint(lo, hi)))


def bullet_list(ctx: Ctx) -> str:
    r = ctx.r
    items = r.sample(LIST_ITEMS, r.randint(3, 5))
    ordered = r.random() < 0.2
    lines = []
    for n, it in enumerate(items, 1):
        text = ctx.fill(it)
        lines.append(f"{n}. {text}" if ordered else f"- {text}")
    intro = ctx.fill(r.choice([
        "The main points of the agreement are:",
        "Under the plans, {a} will gain:",
        "Highlights include:",
        "The deal brings together:",
    ]))
    return intro + "\n\n" + "\n".join(lines)


def blockquote(ctx: Ctx) -> str:
    r = ctx.r
    q = ctx.fill(r.choice([
        "This is {an_adj} moment for both businesses. Together we can {benefit}, and we are excited about what comes next.",
        "We have long admired the team at {b}. Combining our strengths will {benefit}.",
        "The UK has world-class science, but companies need scale to turn it into treatments. Deals like this one help to {benefit}.",
    ]))
    who = r.choice([f"{ctx.p1}, {ctx.role1}, {ctx.a}", f"{ctx.p2}, {ctx.role2}, {ctx.b}"])
    return f"> {q}\n>\n> — {who}"


def article_body(r: random.Random, ctx: Ctx, target: int) -> str:
    blocks = []
    lead = paragraph(ctx, 2, 3)
    if r.random() < 0.5:
        lead = f"**{ctx.a}** " + lead[len(ctx.a) + 1:] if lead.startswith(ctx.a + " ") else lead
    blocks.append(lead)
    blocks.append(paragraph(ctx))
    headings = r.sample(HEADINGS, 2)
    blocks.append("## " + headings[0])
    blocks.append(paragraph(ctx))
    blocks.append(bullet_list(ctx))
    if r.random() < 0.4:
        blocks.append(blockquote(ctx))
    blocks.append(paragraph(ctx))
    second_heading_done = r.random() < 0.3  # ~70% of articles get a second heading
    while wc("\n\n".join(blocks)) < target - 40:
        if not second_heading_done and wc("\n\n".join(blocks)) > target * 0.6:
            blocks.append("## " + headings[1])
            second_heading_done = True
        blocks.append(paragraph(ctx, 2, 4))
    blocks.append(_closing(ctx))
    return "\n\n".join(blocks) + "\n"


def _closing(ctx: Ctx) -> str:
    r = ctx.r
    c = r.randint(0, 2)
    if c == 0:
        return (f"For more information, see the [full announcement](https://www.{slugify(ctx.a)}.example.com/news) "
                f"or contact the association's policy team.")
    if c == 1:
        return (f"Read our [earlier coverage](/news/) of deal activity in {ctx.therapy}, "
                f"or find out about [membership](/membership/).")
    return ("Members can find further analysis in the [policy hub](/policy/) and register for "
            "upcoming [events](/events/).")


def make_article(seed: int, i: int) -> dict:
    r = rng_for(seed, "article", i)
    day = START + dt.timedelta(days=r.randrange(SPAN + 1))
    t = dt.time(r.randint(7, 18), r.randint(0, 59), r.choice([0, 0, 0, 30]))
    when = dt.datetime.combine(day, t, tzinfo=london_offset(day))
    ctx = Ctx(r, day.year)
    title = ctx.fill(r.choice(TITLE_TEMPLATES))
    summary = sentence_plain(ctx)
    body = article_body(r, ctx, r.randint(500, 700))
    return {
        "title": title,
        "date": when,
        "author": r.choice(AUTHORS),
        "category": r.choice(CATEGORIES),
        "tags": r.sample(TAGS, r.randint(1, 4)),
        "summary": summary,
        "body": body,
    }


def sentence_plain(ctx: Ctx) -> str:
    return ctx.fill(ctx.r.choice(SENTENCES))


# --------------------------------------------------------------------------- events

def make_event(seed: int, j: int) -> dict:
    r = rng_for(seed, "event", j)
    day = START + dt.timedelta(days=r.randrange(SPAN + 1))
    kind, extra_days = r.choice(EVENT_KINDS)
    topic = r.choice(EVENT_TOPICS)
    online = kind == "Webinar" or r.random() < 0.15
    hybrid = (not online) and r.random() < 0.2
    sh = r.choice([8, 9, 10, 12, 14, 16, 18])
    start = dt.datetime.combine(day, dt.time(sh, r.choice([0, 30])), tzinfo=london_offset(day))
    end_day = day + dt.timedelta(days=r.randint(0, extra_days) if extra_days else 0)
    dur = r.choice([1, 1.5, 2, 3, 4, 8]) if end_day == day else 0
    if end_day == day:
        end = start + dt.timedelta(hours=dur)
        end = end.replace(tzinfo=london_offset(day))
    else:
        end = dt.datetime.combine(end_day, dt.time(17, 0), tzinfo=london_offset(end_day))
    year = day.year
    title = f"{topic} {kind} {year}" if kind in ("Annual Conference", "Summit") else f"{topic}: {kind}"
    city = r.choice(CITIES[:20])
    co = company(r)
    ctx = Ctx(r, year)
    venue, vcity = r.choice(VENUES)
    location = "Online" if online else f"{venue}, {vcity}"
    slug = slugify(title)
    ev = {
        "title": title,
        "start": start,
        "end": end,
        "timezone": "Europe/London",
        "location": location,
        "online_url": (f"https://events.example.org/live/{slug}-{j}" if (online or hybrid) else None),
        "booking_url": f"https://www.example.org/events/{day.isoformat()}-{slug}/book",
        "organiser": r.choice(ORGANISERS).format(co=co, city=city),
        "summary": f"Join members and guests for {an(r.choice(ADJ))} {kind.lower()} on {topic.lower()}.",
        "description": "\n\n".join(paragraph(ctx, 2, 4) for _ in range(r.randint(1, 3))),
        "tags": r.sample(TAGS, r.randint(1, 3)),
    }
    return ev


# --------------------------------------------------------------------------- writers

def write(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def native_article(a: dict) -> str:
    fm = [
        "---",
        f"title: {yq(a['title'])}",
        f"date: {iso(a['date'])}",
        f"author: {yq(a['author'])}",
        f"category: {yq(a['category'])}",
        f"tags: {ylist(a['tags'])}",
        f"summary: {yq(a['summary'])}",
        "---",
        "",
    ]
    return "\n".join(fm) + a["body"]


def pelican_article(a: dict, slug: str) -> str:
    # Pelican's Markdown reader (markdown "meta" extension): "Key: value" lines, blank line, body.
    meta = [
        f"Title: {a['title']}",
        f"Date: {a['date'].strftime('%Y-%m-%d %H:%M:%S')}{a['date'].strftime('%z')[:3]}:{a['date'].strftime('%z')[3:]}",
        f"Author: {a['author']}",
        f"Category: {a['category']}",
        f"Tags: {', '.join(a['tags'])}",
        f"Slug: {slug}",
        f"Summary: {a['summary']}",
        "",
    ]
    return "\n".join(meta) + "\n" + a["body"]


def hugo_article(a: dict, slug: str) -> str:
    fm = [
        "---",
        f"title: {yq(a['title'])}",
        f"date: {iso(a['date'])}",
        f"slug: {yq(slug)}",
        f"authors: {ylist([a['author']])}",
        f"categories: {ylist([a['category']])}",
        f"tags: {ylist(a['tags'])}",
        f"summary: {yq(a['summary'])}",
        "---",
        "",
    ]
    return "\n".join(fm) + a["body"]


def native_event(e: dict) -> str:
    lines = [
        f"title: {yq(e['title'])}",
        f"start: {iso(e['start'])}",
        f"end: {iso(e['end'])}",
        f"timezone: {e['timezone']}",
        f"location: {yq(e['location'])}",
    ]
    if e["online_url"]:
        lines.append(f"online_url: {yq(e['online_url'])}")
    lines += [
        f"booking_url: {yq(e['booking_url'])}",
        f"organiser: {yq(e['organiser'])}",
        f"summary: {yq(e['summary'])}",
        "description: |",
    ]
    for ln in e["description"].split("\n"):
        lines.append(("  " + ln) if ln else "")
    lines.append(f"tags: {ylist(e['tags'])}")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir")
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--events", type=int, default=200)
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--format", choices=["native", "pelican", "hugo"], default="native")
    args = ap.parse_args(argv)

    news_dir = os.path.join(args.out_dir, "content", "news")
    os.makedirs(news_dir, exist_ok=True)

    seen: set[str] = set()
    words = 0
    for i in range(args.articles):
        a = make_article(args.seed, i)
        base = slugify(a["title"]) or "article"
        slug, k = base, 2
        while slug in seen:
            slug, k = f"{base}-{k}", k + 1
        seen.add(slug)
        words += wc(a["body"])
        fname = f"{a['date'].date().isoformat()}-{slug}.md"
        if args.format == "native":
            text = native_article(a)
        elif args.format == "pelican":
            text = pelican_article(a, slug)
        else:
            text = hugo_article(a, slug)
        write(os.path.join(news_dir, fname), text)

    n_events = 0
    if args.format == "native" and args.events > 0:
        ev_dir = os.path.join(args.out_dir, "content", "events")
        os.makedirs(ev_dir, exist_ok=True)
        seen_ev: set[str] = set()
        for j in range(args.events):
            e = make_event(args.seed, j)
            base = f"{e['start'].date().isoformat()}-{slugify(e['title'])}"
            name, k = base, 2
            while name in seen_ev:
                name, k = f"{base}-{k}", k + 1
            seen_ev.add(name)
            write(os.path.join(ev_dir, name + ".yaml"), native_event(e))
            n_events += 1
    elif args.events > 0:
        print(f"note: --format {args.format}: events not written (no peer equivalent)", file=sys.stderr)

    print(f"wrote {args.articles} articles (avg {words / max(args.articles, 1):.0f} body words) "
          f"and {n_events} events to {args.out_dir} [{args.format}, seed {args.seed}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
