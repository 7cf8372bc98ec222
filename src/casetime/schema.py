"""Record types and their columns: the standard names, the aliases, the required set.

Every record type has a documented set of standard column names. Input columns
are matched to them by exact standard name, by a recognised alias (the DfE
Children in Need census element names and the usual spreadsheet headings),
or by an explicit mapping; matching ignores case, spaces, underscores, hyphens
and full stops.

>>> SCHEMAS["initial_assessment"].required
('child_id', 'referral_date')
>>> normalise_heading("Date of Referral")
'dateofreferral'
>>> resolve_columns("initial_assessment", ["LAchildID", "CINreferralDate", "Date Completed", "Team"])
{'child_id': 'LAchildID', 'referral_date': 'CINreferralDate', 'completion_date': 'Date Completed'}
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
]
#: The record types, in their standard order.
RECORD_TYPES: Final[tuple[RecordType, ...]] = get_args(RecordType)


class ColumnError(CasetimeError):
    """Required columns are missing (or a mapping names a column that is not there)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordSchema:
    """The columns of one record type.

    ``dates`` are all the date fields the type knows (standard names);
    ``required`` are the columns an input must have (the clock start and the
    child id); the other date columns are optional and are missing when
    absent. ``clock`` is ``(start field, stop field)``. ``ragged`` fields hold
    several dates per record (plan reviews), written ``;``-separated in files.
    """

    record_type: str
    title: str
    dates: tuple[str, ...]
    required: tuple[str, ...]
    clock: tuple[str, str]
    ragged: tuple[str, ...] = ()

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
    }
    if key not in table:
        raise CasetimeError(f"unknown record type {name!r}; expected one of {', '.join(RECORD_TYPES)}")
    return table[key]


def resolve_columns(
    record_type: str,
    found: Iterable[str],
    mapping: Mapping[str, str] | None = None,
    *,
    source: str = "input",
) -> dict[str, str]:
    """Map standard column names to the input's own headings.

    ``mapping`` (standard name -> input heading) wins over aliases. Columns
    that match nothing are left out (they are the "extra" columns). A missing
    required column raises :class:`ColumnError` listing what was expected and
    what was found.
    """
    schema = SCHEMAS[record_type_of(record_type)]
    headings = list(found)
    by_norm: dict[str, str] = {}
    for heading in headings:
        by_norm.setdefault(normalise_heading(heading), heading)
    result: dict[str, str] = {}
    for standard, given in (mapping or {}).items():
        if standard not in schema.columns:
            raise ColumnError(
                f"{source}: mapping names {standard!r}, which is not a {schema.title} column "
                f"(standard columns: {', '.join(schema.columns)})"
            )
        if given not in headings and normalise_heading(given) not in by_norm:
            raise ColumnError(
                f"{source}: mapping says {standard!r} is column {given!r}, which is not there "
                f"(found: {', '.join(headings) or 'no columns'})"
            )
        result[standard] = given if given in headings else by_norm[normalise_heading(given)]
    taken = set(result.values())
    for standard in schema.columns:
        if standard in result:
            continue
        for alias in _aliases(schema.record_type, standard):
            match = by_norm.get(normalise_heading(alias))
            if match is not None and match not in taken:
                result[standard] = match
                taken.add(match)
                break
    missing = [c for c in schema.required if c not in result]
    if missing:
        expected = ", ".join(f"{c} (or {' / '.join(_aliases(schema.record_type, c)[1:4])})" for c in missing)
        raise ColumnError(
            f"{source}: {schema.title} data is missing required column(s) {expected}; "
            f"found: {', '.join(headings) or 'no columns'}"
        )
    return result
