"""Record types and their columns: the standard names, the aliases, the required set.

Every record type has a documented set of standard column names. Input columns
are matched to them by an explicit mapping, by exact standard name, by a recognised
alias (the DfE Children in Need census element names and the usual spreadsheet
headings), or by the words of the heading (:func:`heading_words`: ``IA Completed Date``,
``Date Plan Ended``); matching ignores case, spaces, underscores, hyphens and full
stops. :func:`match_columns` says how each column was found and warns of every
ambiguity (two headings for one field, one heading for two fields).

>>> SCHEMAS["initial_assessment"].required
('child_id', 'referral_date')
>>> normalise_heading("Date of Referral")
'dateofreferral'
>>> resolve_columns("initial_assessment", ["LAchildID", "CINreferralDate", "Date Completed", "Team"])
{'child_id': 'LAchildID', 'referral_date': 'CINreferralDate', 'completion_date': 'Date Completed'}
>>> resolve_columns("cpp", ["Child ID", "CP Start Date", "Date Plan Ended"])
{'child_id': 'Child ID', 'start_date': 'CP Start Date', 'end_date': 'Date Plan Ended'}
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal, get_args

from casetime.errors import CasetimeError

__all__ = [
    "RecordType",
    "RECORD_TYPES",
    "RecordSchema",
    "SCHEMAS",
    "ColumnError",
    "ColumnMatch",
    "heading_words",
    "match_columns",
    "normalise_heading",
    "record_type_of",
    "resolve_columns",
]

RecordType = Literal[
    "referral",
    "initial_assessment",
    "core_assessment",
    "single_assessment",
    "s47",
    "cpp",
    "cin_plan",
]
#: The record types, in their standard order.
RECORD_TYPES: Final[tuple[RecordType, ...]] = get_args(RecordType)


class ColumnError(CasetimeError):
    """Required columns are missing (or a mapping names a column that is not there).

    ``missing`` names the required standard columns not found (empty for a mapping's error).
    """

    def __init__(self, message: str, *, missing: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.missing = missing


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordSchema:
    """The columns of one record type.

    ``dates`` are all the date fields the type knows (standard names);
    ``required`` are the columns an input must have (the clock start and the
    child id); the other date columns are optional and are missing when
    absent. ``clock`` is ``(start field, stop field)``. ``ragged`` fields hold
    several dates per record (plan reviews), written ``;``-separated in files.
    ``by_columns``: whether an input of unnamed type can be taken for this type by its
    columns alone (not a CIN plan, whose columns are a child protection plan's: it is
    read as one only when a name says so, or from the census).
    """

    record_type: str
    title: str
    dates: tuple[str, ...]
    required: tuple[str, ...]
    clock: tuple[str, str]
    ragged: tuple[str, ...] = ()
    by_columns: bool = True

    @property
    def columns(self) -> tuple[str, ...]:
        """Every standard column: ``child_id``, then the dates, then ragged fields."""
        return ("child_id", *self.dates, *self.ragged)


SCHEMAS: Final[Mapping[str, RecordSchema]] = MappingProxyType(
    {
        "referral": RecordSchema(
            record_type="referral",
            title="referral",
            dates=("referral_date", "closure_date"),
            required=("child_id", "referral_date"),
            clock=("referral_date", "closure_date"),
        ),
        "initial_assessment": RecordSchema(
            record_type="initial_assessment",
            title="initial assessment",
            dates=("referral_date", "start_date", "completion_date"),
            required=("child_id", "referral_date"),
            clock=("referral_date", "completion_date"),
        ),
        "core_assessment": RecordSchema(
            record_type="core_assessment",
            title="core assessment",
            dates=("referral_date", "start_date", "completion_date"),
            required=("child_id", "start_date"),
            clock=("start_date", "completion_date"),
        ),
        "single_assessment": RecordSchema(
            record_type="single_assessment",
            title="single assessment",
            dates=("referral_date", "start_date", "completion_date"),
            required=("child_id", "referral_date"),
            clock=("referral_date", "completion_date"),
        ),
        "s47": RecordSchema(
            record_type="s47",
            title="section 47 enquiry",
            dates=("referral_date", "start_date", "conference_date"),
            required=("child_id", "start_date"),
            clock=("start_date", "conference_date"),
        ),
        "cpp": RecordSchema(
            record_type="cpp",
            title="child protection plan",
            dates=("referral_date", "start_date", "end_date"),
            required=("child_id", "start_date"),
            clock=("start_date", "end_date"),
            ragged=("review_dates",),
        ),
        "cin_plan": RecordSchema(
            record_type="cin_plan",
            title="child in need plan",
            dates=("referral_date", "start_date", "end_date"),
            required=("child_id", "start_date"),
            clock=("start_date", "end_date"),
            by_columns=False,
        ),
    }
)

# Aliases by standard name; per record type where the meaning depends on it.
_COMMON_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "child_id": (
        "LAchildID",
        "child id",
        "child",
        "childid",
        "client id",
        "person id",
        "child reference",
        "child ref",
        "upn",
        "id",
    ),
    "referral_date": ("CINreferralDate", "referral date", "date of referral", "referral received", "referred"),
    "closure_date": ("CINclosureDate", "closure date", "date closed", "case closure date"),
}
_TYPE_ALIASES: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "initial_assessment": {
        "start_date": ("AssessmentActualStartDate", "assessment start date", "ia start date", "date started"),
        "completion_date": (
            "AssessmentAuthorisationDate",
            "completion date",
            "date completed",
            "completed",
            "ia completion date",
            "ia completed",
            "assessment completed",
            "assessment completion date",
        ),
    },
    "core_assessment": {
        "start_date": (
            "AssessmentActualStartDate",
            "start date",
            "commencement date",
            "date started",
            "ca start date",
            "assessment start date",
        ),
        "completion_date": (
            "AssessmentAuthorisationDate",
            "completion date",
            "date completed",
            "completed",
            "ca completion date",
            "ca completed",
            "assessment completed",
            "assessment completion date",
        ),
    },
    "single_assessment": {
        "start_date": ("AssessmentActualStartDate", "start date", "assessment start date", "date started"),
        "completion_date": (
            "AssessmentAuthorisationDate",
            "authorisation date",
            "completion date",
            "date completed",
            "completed",
            "assessment completion date",
            "assessment authorised",
        ),
    },
    "s47": {
        "start_date": ("S47ActualStartDate", "s47 start date", "start date", "strategy discussion date"),
        "conference_date": ("DateOfInitialCPC", "icpc date", "conference date", "initial conference date"),
    },
    "cpp": {
        "start_date": ("CPPstartDate", "plan start date", "start date", "cp plan start date"),
        "end_date": ("CPPendDate", "plan end date", "end date", "cp plan end date"),
        "review_dates": ("CPPreviewDate", "review dates", "reviews", "review date"),
    },
    "cin_plan": {
        "start_date": ("CINPlanStartDate", "cin plan start date", "plan start date", "start date"),
        "end_date": ("CINPlanEndDate", "cin plan end date", "plan end date", "end date"),
    },
}


def normalise_heading(heading: str) -> str:
    """A heading reduced for matching: lower case, without spaces, ``_``, ``-`` or ``.``.

    >>> normalise_heading(" CPP_start-Date ")
    'cppstartdate'
    """
    return re.sub(r"[\s_\-.]+", "", heading.strip().lstrip("\ufeff")).lower()


def _aliases(record_type: str, field: str) -> tuple[str, ...]:
    return (field, *_COMMON_ALIASES.get(field, ()), *_TYPE_ALIASES.get(record_type, {}).get(field, ()))


def record_type_of(name: str) -> str:
    """The standard record type for a name (``"IA"``, ``"initial assessment"``, ``"cpp"`` ...).

    >>> record_type_of("Initial Assessment"), record_type_of("CP plan")
    ('initial_assessment', 'cpp')
    """
    key = normalise_heading(name)
    table = {
        "referral": "referral",
        "referrals": "referral",
        "initialassessment": "initial_assessment",
        "ia": "initial_assessment",
        "initialassessments": "initial_assessment",
        "coreassessment": "core_assessment",
        "ca": "core_assessment",
        "coreassessments": "core_assessment",
        "singleassessment": "single_assessment",
        "assessment": "single_assessment",
        "singleassessments": "single_assessment",
        "assessments": "single_assessment",
        "s47": "s47",
        "section47": "s47",
        "s47enquiry": "s47",
        "section47enquiry": "s47",
        "cpp": "cpp",
        "cpplan": "cpp",
        "childprotectionplan": "cpp",
        "plan": "cpp",
        "childprotectionplans": "cpp",
        "cpplans": "cpp",
        "plans": "cpp",
        "cinplan": "cin_plan",
        "cinplans": "cin_plan",
        "cinplandates": "cin_plan",
        "childinneedplan": "cin_plan",
        "childinneedplans": "cin_plan",
    }
    if key not in table:
        raise CasetimeError(f"unknown record type {name!r}; expected one of {', '.join(RECORD_TYPES)}")
    return table[key]


# -- headings by their words ---------------------------------------------------------------------

# words that say which record type a heading belongs to
_TYPE_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "ia": ("initial_assessment",),
    "initial": ("initial_assessment",),
    "ca": ("core_assessment",),
    "core": ("core_assessment",),
    "single": ("single_assessment",),
    "assessment": ("initial_assessment", "core_assessment", "single_assessment"),
    "assessments": ("initial_assessment", "core_assessment", "single_assessment"),
    "s47": ("s47",),
    "enquiry": ("s47",),
    "enquiries": ("s47",),
    "strategy": ("s47",),
    "discussion": ("s47",),
    "cp": ("cpp",),
    "cpp": ("cpp",),
    "plan": ("cpp", "cin_plan"),
    "cin": ("referral", "cin_plan"),
    "protection": ("cpp",),
    "referral": RECORD_TYPES,  # every record carries its referral date
}
# words that say which event a date is
_EVENT_WORDS: Final[dict[str, str]] = {
    **dict.fromkeys(("referral", "referred", "referal"), "referral"),
    **dict.fromkeys(("start", "started", "starts", "commenced", "commencement", "commence", "begun", "began"), "start"),
    **dict.fromkeys(
        ("completed", "completion", "complete", "authorised", "authorisation", "authorized", "authorization"),
        "completion",
    ),
    **dict.fromkeys(("end", "ended", "ends", "ceased", "cessation", "closed", "closure", "finished"), "end"),
    **dict.fromkeys(("review", "reviews", "reviewed"), "review"),
    **dict.fromkeys(("conference", "icpc"), "conference"),
}
_FILLER_WORDS: Final = frozenset(
    ("date", "dates", "dt", "of", "the", "on", "actual", "when", "was", "latest", "initiating")
)
# the field an event names, per record type
_EVENT_FIELDS: Final[dict[str, dict[str, str]]] = {
    "referral": {"referral": "referral_date", "end": "closure_date"},
    "initial_assessment": {"referral": "referral_date", "start": "start_date", "completion": "completion_date"},
    "core_assessment": {"referral": "referral_date", "start": "start_date", "completion": "completion_date"},
    "single_assessment": {"referral": "referral_date", "start": "start_date", "completion": "completion_date"},
    "s47": {"referral": "referral_date", "start": "start_date", "conference": "conference_date"},
    "cpp": {"referral": "referral_date", "start": "start_date", "end": "end_date", "review": "review_dates"},
    "cin_plan": {"referral": "referral_date", "start": "start_date", "end": "end_date"},
}


def heading_words(heading: str) -> tuple[str, ...]:
    """The words of a heading, lower case, for matching: split at punctuation, spaces and camelCase.

    ``section 47`` is one word, ``s47``.

    >>> heading_words("Date IA Completed"), heading_words("CPPstartDate"), heading_words("Section 47 start")
    (('date', 'ia', 'completed'), ('cppstart', 'date'), ('s47', 'start'))
    """
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", heading.strip().lstrip("\ufeff"))
    words = [w for w in re.split(r"[^0-9a-z]+", text.lower()) if w]
    out: list[str] = []
    for word in words:
        if word == "47" and out and out[-1] in ("s", "section"):
            out[-1] = "s47"
        else:
            out.append("s47" if word == "section47" else word)
    return tuple(out)


def _fields_by_words(record_type: str, heading: str) -> tuple[str, ...]:
    """The fields of ``record_type`` a heading names by its words (none, one, or several if it is ambiguous)."""
    words = heading_words(heading)
    events: list[str] = []
    for word in words:
        if word in _EVENT_WORDS:
            events.append(_EVENT_WORDS[word])
        if word in _TYPE_WORDS:
            if record_type not in _TYPE_WORDS[word]:
                return ()  # a word of another record type ("CA" in an initial assessment file)
        elif word not in _EVENT_WORDS and word not in _FILLER_WORDS:
            return ()  # a word that says something else ("target", "visit", "team")
    kinds = set(events)
    if len(kinds) > 1 and "referral" in kinds:
        kinds.discard("referral")  # "referral closed date": the closure; "referral start": the start
    if {"review", "conference"} <= kinds:
        kinds.discard("conference")  # "review conference": a plan review
    named = {_EVENT_FIELDS[record_type][k] for k in kinds if k in _EVENT_FIELDS[record_type]}
    return tuple(f for f in SCHEMAS[record_type].columns if f in named)


@dataclass(frozen=True, slots=True)
class ColumnMatch:
    """How an input's headings feed one record type's fields.

    ``fields`` maps standard name -> heading; ``how`` says how each was found (``"mapping"``,
    ``"name"``, ``"alias"``, ``"words"``); ``unused`` are the other headings (kept as extra
    columns, for grouping); ``warnings`` name every ambiguity and how it was settled.
    """

    fields: Mapping[str, str]
    how: Mapping[str, str]
    unused: tuple[str, ...]
    warnings: tuple[str, ...]


def match_columns(
    record_type: str,
    found: Iterable[str],
    mapping: Mapping[str, str] | None = None,
    *,
    source: str = "input",
) -> ColumnMatch:
    """Map standard column names to the input's own headings, saying how, and warning of ambiguity.

    ``mapping`` (standard name -> input heading) wins; then the exact standard name; then an
    alias; then the words of a heading (:func:`heading_words`). Two headings that fit one field
    leave the first (in that order) in use and a warning naming both; a heading whose words fit two
    fields is not used, with a warning. A missing required column raises :class:`ColumnError`.

    >>> m = match_columns("ia", ["Child ID", "Referral Date", "IA Completed Date", "Date Completed"])
    >>> m.fields["completion_date"], m.how["completion_date"]
    ('Date Completed', 'alias')
    >>> m.warnings[0].split("; ")[0]
    "input: 'Date Completed' and 'IA Completed Date' both fit completion_date"
    """
    schema = SCHEMAS[record_type_of(record_type)]
    kind = schema.record_type
    headings = list(found)
    by_norm: dict[str, str] = {}
    for heading in headings:
        by_norm.setdefault(normalise_heading(heading), heading)
    result: dict[str, str] = {}
    how: dict[str, str] = {}
    for standard, given in (mapping or {}).items():
        if standard not in schema.columns:
            raise ColumnError(
                f"{source}: mapping names {standard!r}, which is not a {schema.title} column "
                f"(standard columns: {', '.join(schema.columns)}); to map the columns of one record type only, "
                "give the mapping by type (columns={'initial_assessment': {...}}, --column ia.FIELD=HEADING)"
            )
        if given not in headings and normalise_heading(given) not in by_norm:
            raise ColumnError(
                f"{source}: mapping says {standard!r} is column {given!r}, which is not there "
                f"(found: {', '.join(headings) or 'no columns'})"
            )
        result[standard] = given if given in headings else by_norm[normalise_heading(given)]
        how[standard] = "mapping"
    taken = set(result.values())
    # every heading that fits each field, best first: the standard name, the aliases, the words
    fits: dict[str, list[tuple[str, str]]] = {c: [] for c in schema.columns}
    for standard in schema.columns:
        for i, alias in enumerate(_aliases(kind, standard)):
            match = by_norm.get(normalise_heading(alias))
            if match is not None and all(match != h for h, _ in fits[standard]):
                fits[standard].append((match, "name" if i == 0 else "alias"))
    named = {h for pairs in fits.values() for h, _ in pairs}
    warnings: list[str] = []
    for heading in headings:
        if heading in named or heading in taken:
            continue
        fields = [f for f in _fields_by_words(kind, heading) if f != "child_id"]
        if len(fields) == 1:
            fits[fields[0]].append((heading, "words"))
        elif len(fields) > 1:
            warnings.append(
                f"{source}: {heading!r} fits {' and '.join(fields)}; it is not used (map the column to choose)"
            )
    for standard in schema.columns:
        if standard in result:
            continue
        free = [(h, way) for h, way in fits[standard] if h not in taken]
        if not free:
            continue
        heading, way = free[0]
        result[standard] = heading
        how[standard] = way
        taken.add(heading)
        others = [h for h, _ in free[1:]]
        if others:
            names = " and ".join(repr(h) for h in [heading, *others])
            warnings.append(
                f"{source}: {names} both fit {standard}; {heading!r} is used (map the column to choose)"
                if len(others) == 1
                else f"{source}: {names} all fit {standard}; {heading!r} is used (map the column to choose)"
            )
    missing = [c for c in schema.required if c not in result]
    if missing:
        expected = ", ".join(f"{c} (or {' / '.join(_aliases(kind, c)[1:4])})" for c in missing)
        raise ColumnError(
            f"{source}: {schema.title} data is missing required column(s) {expected}; "
            f"found: {', '.join(headings) or 'no columns'}",
            missing=tuple(missing),
        )
    order = {c: i for i, c in enumerate(schema.columns)}
    chosen = dict(sorted(result.items(), key=lambda item: order[item[0]]))
    unused = tuple(h for h in headings if h not in taken)
    return ColumnMatch(chosen, {k: how[k] for k in chosen}, unused, tuple(warnings))


def resolve_columns(
    record_type: str,
    found: Iterable[str],
    mapping: Mapping[str, str] | None = None,
    *,
    source: str = "input",
) -> dict[str, str]:
    """Map standard column names to the input's own headings (the fields of :func:`match_columns`).

    ``mapping`` (standard name -> input heading) wins over aliases and words. Columns
    that match nothing are left out (they are the "extra" columns). A missing required column
    raises :class:`ColumnError` listing what was expected and what was found.
    """
    return dict(match_columns(record_type, found, mapping, source=source).fields)
