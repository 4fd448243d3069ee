"""The partnerships, as configuration: one TOML file per partnership (`partnerskaber/<CODE>.toml`).

The pipeline serves every safety partnership the city runs from one inbox (../shared/docs/partnerships.md),
so nothing about a partnership lives in code: its code, name, agreement period, baseline year, boundary
versions, parts, housing areas (with Landsbyggefonden departments and the national survey's names), parties
and their aliases, goals and budget are read from its file. This module reads and checks the files on their
own (keys, types, kinds, codes that clash within or across files); what needs the inbox's geo files (does
rode 266 exist? do two parts overlap?) is checked when the areas are built (assets/ingest/partnerships.py).
Every error names the file and the key, e.g. `partnerskaber/THP.toml: key 'dele[1].roder': ...`.

An area (a boundary version, a part, a housing area) is defined by exactly one of:
  geo = ["AP"]                                   features of geo/omraader.geojson, by omraade_kode
  roder = [264, 266]                             a union of the city's roder (geo/rode.geojson), by rode_nr
  rode_attribut = { udsat_byomraade = "..." }    the roder whose attribute has the value (or one of a list)
  boligomraader = ["BO_X", "BO_Y"]               a union of the partnership's own housing areas
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from assets.foundation.settings import PROJECT_ROOT, ConfigError

AREA_SOURCES = ("geo", "roder", "rode_attribut", "boligomraader")
RODE_ATTRIBUTES = ("kvarternavn", "udsat_byomraade", "lokaludvalgnavn", "rodenavn", "bydel")
GOAL_KINDS = ("tryghed", "kriminalitet", "samarbejde")
SURVEY_MEASURES = ("nabolag", "aften_nat")
CRIME_UNITS = ("pr_1000", "antal")
PARTY_TYPES = ("part", "samarbejdspartner")
CRIME_GROUP = re.compile(r"^(borgervendt_i_alt|fokus_[a-z_]+|overvaagning_[a-z_]+|sagsomraade_[a-z_]+)$")
CODE = re.compile(r"^[A-Z][A-Z0-9_]{0,39}$")
PARTNERSHIP_CODE = re.compile(r"^[A-Z][A-Z0-9]{0,9}$")

# What each kind of goal prints as its unit and source (fct_maalopfyldelse.enhed, .kilde)
GOAL_UNIT = {"tryghed": "andel (0-1)", "pr_1000": "anmeldelser pr. 1.000 indbyggere", "antal": "antal anmeldelser",
             "samarbejde": "andel (0-1)"}
GOAL_SOURCE = {"tryghed": "Københavns Kommunes Tryghedsundersøgelse", "kriminalitet": "Københavns Politi (anmeldelser)",
               "samarbejde": "Tryghedsplanen (aktiviteter)"}


@dataclass(frozen=True)
class Area:
    """One area of a partnership, as its file defines it (geometry is built at ingestion)."""

    key: str  # where in the file, for messages: "graenser[0]", "dele[1]", "boligomraader[3]"
    kode: str
    navn: str
    niveau: str  # partnerskab | partnerskab_del | boligomraade
    overordnet_kode: str | None
    gyldig_fra: date | None
    gyldig_til: date | None
    kilde: str  # one of AREA_SOURCES
    vaerdier: tuple  # codes, rode numbers, or ((attribute, (values...)),)


@dataclass(frozen=True)
class Goal:
    key: str
    maal_id: str
    art: str  # tryghed | kriminalitet | samarbejde
    beskrivelse: str
    sortering: int
    maaling: str | None = None  # tryghed: nabolag | aften_nat
    gruppe: str | None = None  # kriminalitet: the fct_kriminalitet group
    enhed_maal: str | None = None  # kriminalitet: pr_1000 | antal
    gerningstype: str | None = None  # kriminalitet: the row label of the baseline table
    taerskel: float | None = None  # samarbejde: the share of activities with >= 2 partners

    @property
    def enhed(self) -> str:
        return GOAL_UNIT[self.enhed_maal if self.art == "kriminalitet" else self.art]

    @property
    def kilde(self) -> str:
        return GOAL_SOURCE[self.art]


@dataclass(frozen=True)
class Party:
    navn: str
    partnertype: str
    aliaser: tuple[str, ...]


@dataclass(frozen=True)
class Partnership:
    fil: Path
    kode: str
    navn: str
    aftale_fra: int
    aftale_til: int
    baseline_aar: int
    budget_kr: float | None
    standard: bool  # plans directly in aktiviteter/ (not in aktiviteter/<code>/) are this partnership's
    graenser: tuple[Area, ...]
    dele: tuple[Area, ...]
    boligomraader: tuple[Area, ...]
    landsundersoegelse: tuple[Area, ...]  # the national survey's areas (name = the survey's name)
    lbf_afdelinger: tuple[tuple[str, str, str], ...]  # (organisation, department no., housing area code)
    parter: tuple[Party, ...]
    maal: tuple[Goal, ...]

    @property
    def omraade_kode(self) -> str:
        """The current boundary's code: the area every goal of the partnership is measured on."""
        return next(a.kode for a in self.graenser if a.gyldig_til is None)

    @property
    def areas(self) -> tuple[Area, ...]:
        """Every area, in the order they are built (housing areas before the areas made of them)."""
        return (*self.boligomraader, *self.landsundersoegelse, *self.graenser, *self.dele)

    @property
    def area_codes(self) -> tuple[str, ...]:
        return tuple(a.kode for a in (*self.graenser, *self.dele, *self.boligomraader, *self.landsundersoegelse))


class _File:
    """Typed access to one file's keys; every error names the file and the key."""

    def __init__(self, path: Path, label: str):
        self.path, self.label = path, label

    def fail(self, key: str, message: str):
        raise ConfigError(f"{self.label}: key '{key}': {message}")

    def get(self, table: dict, name: str, kind, where: str = "", required: bool = True, default=None):
        key = f"{where}.{name}" if where else name
        if name not in table:
            if required:
                self.fail(key, "is missing")
            return default
        value = table[name]
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            self.fail(key, f"expected a whole number, got {value!r}")
        if kind is float and (isinstance(value, bool) or not isinstance(value, int | float)):
            self.fail(key, f"expected a number, got {value!r}")
        if kind is str and (not isinstance(value, str) or not value.strip()):
            self.fail(key, f"expected text, got {value!r}")
        if kind is bool and not isinstance(value, bool):
            self.fail(key, f"expected true or false, got {value!r}")
        if kind is date:
            if isinstance(value, date):
                return value
            try:
                return date.fromisoformat(str(value))
            except ValueError:
                self.fail(key, f"expected a date (YYYY-MM-DD), got {value!r}")
        if kind is list and not isinstance(value, list):
            self.fail(key, f"expected a list [...], got {value!r}")
        return value.strip() if kind is str else (float(value) if kind is float else value)

    def tables(self, doc: dict, name: str, required: bool = True) -> list[dict]:
        value = doc.get(name, [])
        if not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
            self.fail(name, f"expected tables [[{name}]]")
        if required and not value:
            self.fail(name, f"at least one [[{name}]] is required")
        return value

    def known_keys(self, table: dict, known: tuple[str, ...], where: str):
        for name in table:
            if name not in known:
                self.fail(f"{where}.{name}" if where else name, f"unknown key (known: {', '.join(known)})")


_AREA_KEYS = ("kode", "navn", "gyldig_fra", "gyldig_til", *AREA_SOURCES)


def _area(f: _File, table: dict, key: str, niveau: str, parent: str | None, extra: tuple[str, ...] = ()) -> Area:
    f.known_keys(table, _AREA_KEYS + extra, key)
    kode = f.get(table, "kode", str, key).upper()
    if not CODE.match(kode):
        f.fail(f"{key}.kode", f"{kode!r} is not an area code (upper-case letters, digits and _)")
    if kode == "101":
        f.fail(f"{key}.kode", "101 is the municipality")
    given = [s for s in AREA_SOURCES if s in table]
    if len(given) != 1:
        f.fail(key, f"define the area by exactly one of {', '.join(AREA_SOURCES)} (got {len(given)})")
    source = given[0]
    raw = table[source]
    where = f"{key}.{source}"
    if source == "rode_attribut":
        if not isinstance(raw, dict) or len(raw) != 1:
            f.fail(where, "expected one attribute, e.g. { udsat_byomraade = \"Tingbjerg/Husum\" }")
        (attribute, wanted), = raw.items()
        if attribute not in RODE_ATTRIBUTES:
            f.fail(f"{where}.{attribute}", f"unknown rode attribute (known: {', '.join(RODE_ATTRIBUTES)})")
        wanted = wanted if isinstance(wanted, list) else [wanted]
        if not wanted or not all(isinstance(v, str) and v.strip() for v in wanted):
            f.fail(f"{where}.{attribute}", "expected text or a list of texts")
        values: tuple = ((attribute, tuple(v.strip() for v in wanted)),)
    else:
        if not isinstance(raw, list) or not raw:
            f.fail(where, "expected a non-empty list")
        if source == "roder":
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in raw):
                f.fail(where, "expected rode numbers (rode_nr), e.g. [264, 266]")
            values = tuple(raw)
        else:
            if not all(isinstance(v, str) and v.strip() for v in raw):
                f.fail(where, "expected area codes as texts")
            values = tuple(v.strip().upper() for v in raw)
        if len(set(values)) != len(values):
            f.fail(where, "lists a value twice")
    fra = f.get(table, "gyldig_fra", date, key, required=False)
    til = f.get(table, "gyldig_til", date, key, required=False)
    if fra and til and til < fra:
        f.fail(f"{key}.gyldig_til", "lies before gyldig_fra")
    return Area(key, kode, f.get(table, "navn", str, key), niveau, parent, fra, til, source, values)


def _goal(f: _File, table: dict, key: str, number: int) -> Goal:
    art = f.get(table, "art", str, key)
    if art not in GOAL_KINDS:
        f.fail(f"{key}.art", f"unknown kind of goal {art!r} (known: {', '.join(GOAL_KINDS)})")
    specific = {"tryghed": ("maaling",), "kriminalitet": ("gruppe", "enhed", "gerningstype"),
                "samarbejde": ("taerskel",)}[art]
    f.known_keys(table, ("id", "art", "tekst", *specific), key)
    goal = Goal(key, f.get(table, "id", str, key), art, f.get(table, "tekst", str, key), number)
    if art == "tryghed":
        maaling = f.get(table, "maaling", str, key)
        if maaling not in SURVEY_MEASURES:
            f.fail(f"{key}.maaling", f"expected one of {', '.join(SURVEY_MEASURES)}, got {maaling!r}")
        return Goal(**{**goal.__dict__, "maaling": maaling})
    if art == "kriminalitet":
        gruppe = f.get(table, "gruppe", str, key)
        if not CRIME_GROUP.match(gruppe):
            f.fail(f"{key}.gruppe", f"{gruppe!r} is not a crime group of fct_kriminalitet "
                   "(borgervendt_i_alt, fokus_*, overvaagning_*, sagsomraade_*)")
        enhed = f.get(table, "enhed", str, key)
        if enhed not in CRIME_UNITS:
            f.fail(f"{key}.enhed", f"expected one of {', '.join(CRIME_UNITS)}, got {enhed!r}")
        return Goal(**{**goal.__dict__, "gruppe": gruppe, "enhed_maal": enhed,
                       "gerningstype": f.get(table, "gerningstype", str, key)})
    taerskel = f.get(table, "taerskel", float, key)
    if not 0 < taerskel <= 1:
        f.fail(f"{key}.taerskel", "expected a share between 0 and 1")
    return Goal(**{**goal.__dict__, "taerskel": taerskel})


_TOP_KEYS = ("kode", "navn", "aftale_fra", "aftale_til", "baseline_aar", "budget_kr", "standard", "graenser", "dele",
             "boligomraader", "landsundersoegelse", "parter", "maal")


def read_partnership(path: Path, label: str | None = None) -> Partnership:
    """One partnership's file, checked on its own."""
    f = _File(path, label or str(path))
    try:
        doc = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{f.label}: not valid TOML ({exc})") from None
    f.known_keys(doc, _TOP_KEYS, "")
    kode = f.get(doc, "kode", str)
    if not PARTNERSHIP_CODE.match(kode):
        f.fail("kode", f"{kode!r} is not a partnership code (short, upper-case ASCII, e.g. AP)")
    if Path(path).stem != kode:
        f.fail("kode", f"{kode!r} differs from the file's name {Path(path).name} (name the file {kode}.toml)")
    fra, til = f.get(doc, "aftale_fra", int), f.get(doc, "aftale_til", int)
    if til < fra:
        f.fail("aftale_til", "lies before aftale_fra")
    budget = f.get(doc, "budget_kr", float, required=False)

    graenser = tuple(_area(f, t, f"graenser[{i}]", "partnerskab", "101")
                     for i, t in enumerate(f.tables(doc, "graenser")))
    current = [a for a in graenser if a.gyldig_til is None]
    if len(current) != 1:
        f.fail("graenser", f"exactly one boundary must be current (no gyldig_til); {len(current)} are")
    top = current[0].kode
    dele = tuple(_area(f, t, f"dele[{i}]", "partnerskab_del", top) for i, t in enumerate(f.tables(doc, "dele", False)))
    part_codes = {a.kode for a in dele}
    housing = []
    for i, t in enumerate(f.tables(doc, "boligomraader", False)):
        key = f"boligomraader[{i}]"
        parent = f.get(t, "del", str, key, required=False)
        if parent is not None and parent.upper() not in part_codes:
            f.fail(f"{key}.del", f"{parent!r} is not one of the parts ({', '.join(sorted(part_codes)) or 'none'})")
        area = _area(f, {k: v for k, v in t.items() if k not in ("del", "lbf_afdelinger")}, key, "boligomraade",
                     parent.upper() if parent else top)
        if area.kilde == "boligomraader":
            f.fail(f"{key}.boligomraader", "a housing area is made of geo features or roder")
        f.known_keys(t, (*_AREA_KEYS, "del", "lbf_afdelinger"), key)
        housing.append((area, f.get(t, "lbf_afdelinger", list, key, required=False, default=[])))
    boligomraader = tuple(a for a, _ in housing)
    housing_codes = {a.kode for a in boligomraader}
    lbf = []
    for area, departments in housing:
        for j, dep in enumerate(departments):
            if (not isinstance(dep, list) or len(dep) != 2
                    or not all(isinstance(v, str | int) and str(v).strip() for v in dep)):
                f.fail(f"{area.key}.lbf_afdelinger[{j}]", "expected [\"organisation\", \"department no.\"]")
            lbf.append((str(dep[0]).strip(), str(dep[1]).strip(), area.kode))
    seen: dict[tuple[str, str], str] = {}
    for org, nr, code in lbf:
        if (org.upper(), nr.lstrip("0")) in seen:
            f.fail("boligomraader", f"LBF department {org} {nr} is listed twice")
        seen[(org.upper(), nr.lstrip("0"))] = code

    survey = []
    for i, t in enumerate(f.tables(doc, "landsundersoegelse", False)):
        key = f"landsundersoegelse[{i}]"
        f.known_keys(t, ("navn", "boligomraader", "kode"), key)
        navn = f.get(t, "navn", str, key)
        members = f.get(t, "boligomraader", list, key)
        members = tuple(str(m).strip().upper() for m in members)
        unknown = [m for m in members if m not in housing_codes]
        if not members or unknown:
            f.fail(f"{key}.boligomraader", f"not housing areas of this partnership: {', '.join(unknown) or 'none'}")
        if len(members) == 1:
            code = members[0]
        else:
            code = f.get(t, "kode", str, key, required=True).upper()
            if not CODE.match(code):
                f.fail(f"{key}.kode", f"{code!r} is not an area code")
        parents = {a.overordnet_kode for a in boligomraader if a.kode in members}
        survey.append(Area(key, code, navn, "boligomraade", parents.pop() if len(parents) == 1 else top, None, None,
                           "boligomraader", members))
    landsundersoegelse = tuple(survey)

    parter = []
    for i, t in enumerate(f.tables(doc, "parter")):
        key = f"parter[{i}]"
        f.known_keys(t, ("navn", "type", "aliaser"), key)
        kind = f.get(t, "type", str, key)
        if kind not in PARTY_TYPES:
            f.fail(f"{key}.type", f"expected one of {', '.join(PARTY_TYPES)}, got {kind!r}")
        aliases = f.get(t, "aliaser", list, key, required=False, default=[])
        if not all(isinstance(a, str) and a.strip() for a in aliases):
            f.fail(f"{key}.aliaser", "expected a list of names")
        parter.append(Party(f.get(t, "navn", str, key), kind, tuple(a.strip() for a in aliases)))
    spelling: dict[str, str] = {}
    for i, p in enumerate(parter):
        for name in (p.navn, *p.aliaser):
            norm = normalise_name(name)
            if spelling.get(norm, p.navn) != p.navn:
                f.fail(f"parter[{i}].aliaser", f"{name!r} is already a spelling of {spelling[norm]!r}")
            spelling[norm] = p.navn

    maal = tuple(_goal(f, t, f"maal[{i}]", i + 1) for i, t in enumerate(f.tables(doc, "maal")))
    ids = [g.maal_id for g in maal]
    for g in maal:
        if ids.count(g.maal_id) > 1:
            f.fail(f"{g.key}.id", f"goal id {g.maal_id!r} occurs twice")

    p = Partnership(Path(path), kode, f.get(doc, "navn", str), fra, til, f.get(doc, "baseline_aar", int), budget,
                    f.get(doc, "standard", bool, required=False, default=False), graenser, dele, boligomraader,
                    landsundersoegelse, tuple(lbf), tuple(parter), maal)
    codes: dict[str, str] = {}
    for area in (*p.graenser, *p.dele, *p.boligomraader):
        if area.kode in codes:
            f.fail(f"{area.key}.kode", f"area code {area.kode} is also {codes[area.kode]}")
        codes[area.kode] = area.key
    for area in p.landsundersoegelse:
        if len(area.vaerdier) > 1 and area.kode in codes:
            f.fail(f"{area.key}.kode", f"area code {area.kode} is also {codes[area.kode]}")
    for area in p.dele + p.boligomraader:
        if area.kilde == "boligomraader":
            unknown = [c for c in area.vaerdier if c not in housing_codes]
            if unknown:
                f.fail(f"{area.key}.boligomraader", f"not housing areas of this partnership: {', '.join(unknown)}")
    return p


def normalise_name(name: str) -> str:
    """The partner-name normalisation dbt uses (macro normaliser_navn): case and spacing never make two names."""
    return re.sub(r"\s+", " ", str(name)).strip().lower()


def file_label(path: Path) -> str:
    """How messages name a partnership file: relative to the project when it is the project's."""
    try:
        return Path(path).resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)


def load_partnerships(folder: Path, only: str | None = None) -> tuple[Partnership, ...]:
    """Every `<CODE>.toml` in the folder, checked on its own and against each other (codes, the default one).

    `only` keeps one partnership (`tryghed run --partnerskab CODE`); an unknown code is refused.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ConfigError(f"{folder}: no such folder of partnership files (setting 'partnerskaber')")
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise ConfigError(f"{folder}: no partnership files (<CODE>.toml) in it")

    label = file_label
    partnerships = [read_partnership(path, label(path)) for path in files]
    owner: dict[str, str] = {}
    for p in partnerships:
        for area in (*p.graenser, *p.dele, *p.boligomraader, *p.landsundersoegelse):
            if owner.get(area.kode, p.kode) != p.kode:
                raise ConfigError(f"{label(p.fil)}: key '{area.key}.kode': area code {area.kode} belongs to "
                                  f"partnership {owner[area.kode]} too")
            owner[area.kode] = p.kode
    defaults = [p for p in partnerships if p.standard]
    if len(defaults) > 1:
        raise ConfigError(f"{label(defaults[1].fil)}: key 'standard': only one partnership can be the default "
                          f"({defaults[0].kode} is too)")
    if only is not None:
        chosen = [p for p in partnerships if p.kode == only.upper()]
        if not chosen:
            raise ConfigError(f"--partnerskab {only}: no such partnership in {folder} "
                              f"(known: {', '.join(p.kode for p in partnerships)})")
        return tuple(chosen)
    return tuple(partnerships)
