"""DfE's published figures, to show beside a council's own: England, its region, quartiles, statistical neighbours.

casetime ships a trimmed copy of the Department for Education's *Characteristics of children in
need* figures for England, the regions and every local authority, 2016 to 2025 (package data in
``casetime/data/dfe``, made by ``tests/data/make_published.py``; see :data:`ATTRIBUTION` and
:data:`TAKEN`). Nothing is loaded at import: the files are read on first use, once.

Every number here is DfE's, exactly as published (percentages as :class:`~decimal.Decimal` at 1 dp,
never recomputed from a numerator and denominator); a council's own computed figure is compared
with them, never mixed into them.

>>> figure("RevCP", 2025, "England").value
Decimal('90.6')
>>> c = compare("ReReferral", "2024/25", "Barnet")
>>> c.council.value, c.region.area_name, c.region.value, c.england.value
(Decimal('14.8'), 'London', Decimal('19.4'), Decimal('22.6'))
>>> quartile_of(Fraction(148, 10), "ReReferral", 2025)  # lower is better: 1 = the best quarter
1
"""

from __future__ import annotations

import csv
import difflib
import functools
import gzip
import importlib.resources
import io
import math
import re
import statistics
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Final, Literal

from casetime.errors import CasetimeError, CasetimeTypeError

__all__ = [
    "ATTRIBUTION",
    "TAKEN",
    "SUPPORTING",
    "SMALL_LAS",
    "MEASURES",
    "PublishedMeasure",
    "Area",
    "Figure",
    "Neighbour",
    "Quartiles",
    "Comparison",
    "find_area",
    "areas",
    "figure",
    "figures",
    "years",
    "neighbours",
    "quartiles",
    "quartile_of",
    "compare",
]

Level = Literal["england", "region", "inner_outer_london", "local_authority"]
Polarity = Literal["higher", "lower"]
Method = Literal["inclusive", "exclusive"]

#: The licence and the source, to print wherever the figures are shown.
ATTRIBUTION: Final = (
    "Contains public sector information licensed under the Open Government Licence v3.0 "
    "(https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/). Source: Department for "
    "Education, Characteristics of children in need (official statistics, Explore Education Statistics), "
    "years ending 31 March 2016 to 2025, taken 2026-04."
)

#: When the figures were taken: snapshots of DfE's public repositories of April 2026 (the 2025 publication).
TAKEN: Final = "2026-04"

#: Further published measures that explain one (the ICPC counts by working-day band, their total and the
#: median days, beside ``CP_conf_15days``). Which casetime measure is compared with which published one is
#: said by the measure's own definition (:attr:`casetime.indicators.Indicator.published`).
SUPPORTING: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {"CP_conf_15days": ("ICPC_Num", "10_ICPC", "15_ICPC", "20_ICPC", "21_ICPC", "ICPC_Duration_median")}
)

#: City of London and Isles of Scilly: tiny numbers, often suppressed, 0 or 100 (DfE's README advises
#: caution). Quartiles include them by default, as DfE's LAIT does; ``small_las=False`` leaves them out.
SMALL_LAS: Final = frozenset({"E09000001", "E06000053"})

_POLARITY: Final[Mapping[str, Polarity | None]] = {"High": "higher", "Low": "lower", "-": None}
_LEVEL_ORDER: Final[Mapping[str, int]] = {"england": 0, "region": 1, "inner_outer_london": 2, "local_authority": 3}
_MODELS: Final = (2025, 2021)
_ONE_DP: Final = Decimal("0.1")


@dataclass(frozen=True)
class PublishedMeasure:
    """One DfE measure: its code, title, unit (``percent``, ``count``, ``days``) and polarity.

    ``polarity`` is ``"higher"`` (higher is better), ``"lower"`` or ``None`` (none stated), from
    the LAIT data dictionary; ``definition`` quotes the source.

    >>> m = MEASURES["RevCP"]
    >>> m.unit, m.polarity, m.title
    ('percent', 'higher', 'Child protection cases that should have been reviewed, that were reviewed (%)')
    """

    code: str
    title: str
    unit: str
    polarity: Polarity | None
    definition: str


@dataclass(frozen=True)
class Area:
    """England, a region, Inner or Outer London, or a local authority, as in the published figures.

    ``code`` is the latest ONS code and ``former_codes`` any earlier ones the figures use (Buckinghamshire
    was E10000002 until 2020); ``old_code`` is the DfE 3-digit LA number (``None`` above LA level), stable
    across ONS code changes. ``region`` is the name of the region a local authority (or Inner or Outer
    London) is in, ``None`` for England and the regions. ``first_year`` and ``last_year`` bound the years
    the area has figures (Cumbria: 2016 to 2023).

    >>> a = find_area("Buckinghamshire")
    >>> a.code, a.former_codes, a.old_code, a.region, a.level
    ('E06000060', ('E10000002',), '825', 'South East', 'local_authority')
    """

    code: str
    old_code: str | None
    name: str
    level: Level
    region: str | None
    first_year: int
    last_year: int
    former_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Figure:
    """One published figure: a measure for one area in one year (ending 31 March).

    ``value`` is ``None`` when the source suppressed it, and ``suppression`` then holds the source's
    code (``c`` small numbers, ``u`` low reliability, ``x`` unavailable, ``z`` not applicable, ``-``
    LAIT's code for any of these). ``area_code`` and ``area_name`` are as published for that year.
    ``numerator`` and ``denominator`` are the counts where the source gives them (national and regional
    counts rounded to 10).

    >>> figure("CPPlans2yrsActive", 2025, "Barnet")
    Figure(measure='CPPlans2yrsActive', year=2025, area_code='E09000003', area_name='Barnet', value=None, suppression='c', numerator=None, denominator=225)
    """  # noqa: E501

    measure: str
    year: int
    area_code: str
    area_name: str
    value: Decimal | None
    suppression: str | None
    numerator: int | None
    denominator: int | None


@dataclass(frozen=True)
class Neighbour:
    """One of a local authority's ten statistical neighbours: rank 1 is the closest.

    >>> neighbours("Barnet")[0]
    Neighbour(rank=1, area=Area(code='E09000031', old_code='320', name='Waltham Forest', ...), closeness='Close')
    """

    rank: int
    area: Area
    closeness: str


@dataclass(frozen=True)
class Quartiles:
    """The quartile boundaries of one measure in one year, over the local authorities with a published value.

    ``lower``, ``median`` and ``upper`` are the 25th, 50th and 75th percentiles by ``method``:
    ``"inclusive"`` (the default) is linear interpolation between the values, ``h = (n - 1) p``: R's
    ``quantile()`` type 7, which DfE's LAIT uses, and :func:`statistics.quantiles` with
    ``method="inclusive"``; ``"exclusive"`` is ``h = (n + 1) p`` (R type 6). ``count`` is how many
    values they were taken from; ``small_las`` says whether City of London and Isles of Scilly
    (:data:`SMALL_LAS`) were among them.

    >>> q = quartiles("RevCP", 2025)
    >>> q.lower, q.median, q.upper, q.count
    (Decimal('87.325'), Decimal('93.75'), Decimal('96.9'), 150)
    >>> q.of(Decimal("93.75")), q.of(Decimal("93.8"))  # higher is better: 1 = the best quarter
    (3, 2)
    """

    measure: str
    year: int
    lower: Decimal
    median: Decimal
    upper: Decimal
    count: int
    polarity: Polarity | None
    method: Method
    small_las: bool

    def of(self, value: int | float | Decimal | Fraction, /) -> int:
        """The quartile ``value`` falls in: 1 is the best quarter, 4 the worst (1 the lowest when no polarity).

        The bands are the values *up to and including* each boundary (as LAIT's "Up to and including"
        columns), so a value equal to a boundary falls in the band below it in value order: the better
        quartile for a lower-is-better measure, the worse for a higher-is-better one. A value beyond the
        lowest or highest LA value is in the first or last band. A float is read as the decimal it
        prints as (``85.7``, not the binary ``85.70000000000000284...``).
        """
        number = _exact(value)
        if number <= self.lower:
            band = 1
        elif number <= self.median:
            band = 2
        elif number <= self.upper:
            band = 3
        else:
            band = 4
        return 5 - band if self.polarity == "higher" else band


@dataclass(frozen=True)
class Comparison:
    """One council's published figure for one measure and year, beside England, its region, quartiles, neighbours.

    ``quartile`` is the quartile of the council's own published value (``None`` when suppressed).
    ``neighbours`` are the figures of its statistical neighbours in ``model``, in rank order; a
    neighbour with no row that year (an LA that did not exist yet) is left out, a suppressed one is
    kept (value ``None``). ``neighbour_count`` is how many have a published value and
    ``neighbour_mean`` their exact mean (a :class:`~fractions.Fraction`; ``None`` when there are none).

    >>> c = compare("RevCP", 2025, "Barnet")
    >>> c.council.value, c.quartile, c.neighbour_count, round(float(c.neighbour_mean), 2)
    (Decimal('95.8'), 2, 10, 92.15)
    """

    measure: PublishedMeasure
    year: int
    area: Area
    council: Figure
    england: Figure
    region: Figure
    quartiles: Quartiles
    quartile: int | None
    model: int
    neighbours: tuple[Figure, ...]
    neighbour_count: int
    neighbour_mean: Fraction | None


# ---------------------------------------------------------------------------
# loading (on first use, once)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Data:
    measures: Mapping[str, PublishedMeasure]
    areas: tuple[Area, ...]
    by_key: Mapping[str, Area]
    by_code: Mapping[str, Area]
    by_number: Mapping[str, Area]
    names: Mapping[str, tuple[Area, ...]]
    aliases: Mapping[str, tuple[Area, ...]]
    figures: Mapping[tuple[str, int, str], Mapping[str, str]]  # the rows as read: a Figure is made when asked for
    years: Mapping[str, tuple[int, ...]]
    regions: Mapping[str, Area]
    neighbours: Mapping[tuple[int, str], tuple[Neighbour, ...]]


def _rows(name: str) -> list[dict[str, str]]:
    resource = importlib.resources.files("casetime") / "data" / "dfe" / name
    try:
        raw = resource.read_bytes()
    except FileNotFoundError:
        raise CasetimeError(
            f"the packaged DfE figures are missing from this installation (data/dfe/{name}); reinstall casetime"
        ) from None
    if name.endswith(".gz"):
        raw = gzip.decompress(raw)
    header, *rows = csv.reader(io.StringIO(raw.decode("utf-8"), newline=""))
    return [dict(zip(header, row, strict=True)) for row in rows]


def _key(area: Area) -> str:
    """An area's identity in the figures: its DfE number for an LA (stable across ONS codes), else its code."""
    return area.old_code or area.code


def _level(row: Mapping[str, str]) -> Level:
    level, code = row["geographic_level"], row["area_code"]
    if level == "National":
        return "england"
    if level == "Regional":
        return "inner_outer_london" if code.startswith("E13") else "region"
    if level == "Local authority":
        return "local_authority"
    raise CasetimeError(f"the packaged DfE figures have an unknown geographic level {level!r} for {code}")


def _make_areas(rows: list[dict[str, str]]) -> list[Area]:
    groups: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        groups.setdefault(row["old_la_code"] or row["area_code"], []).append(row)
    made = []
    for key, group in groups.items():
        group.sort(key=lambda r: int(r["year"]))
        latest = group[-1]
        level = _level(latest)
        codes = list(dict.fromkeys(r["area_code"] for r in group))
        made.append(
            Area(
                code=latest["area_code"],
                old_code=key if level == "local_authority" else None,
                name=latest["area_name"],
                level=level,
                region=latest["region_name"] if level in ("local_authority", "inner_outer_london") else None,
                first_year=int(group[0]["year"]),
                last_year=int(latest["year"]),
                former_codes=tuple(c for c in codes if c != latest["area_code"]),
            )
        )
    made.sort(key=lambda a: (_LEVEL_ORDER[a.level], a.name, a.first_year))
    return made


def _value(text: str, unit: str) -> Decimal | None:
    if not text:
        return None
    value = Decimal(text)
    if unit != "percent":
        return value
    shown = value.quantize(_ONE_DP)  # the EES files write 17.0 as 17: the same number, at its published 1 dp
    if shown != value:
        raise CasetimeError(f"the packaged DfE figures have a percentage with more than 1 dp: {text}")
    return shown


def _count(text: str) -> int | None:
    return int(text) if text else None


def _figure(key: tuple[str, int, str]) -> Figure | None:
    """The figure for ``(measure, year, area key)``, made from its row (``None`` when there is no row)."""
    data = _data()
    row = data.figures.get(key)
    if row is None:
        return None
    return Figure(
        measure=row["measure"],
        year=key[1],
        area_code=row["area_code"],
        area_name=row["area_name"],
        value=_value(row["value"], data.measures[row["measure"]].unit),
        suppression=row["suppression"] or None,
        numerator=_count(row["numerator"]),
        denominator=_count(row["denominator"]),
    )


def _fold(text: str) -> str:
    """A name for loose matching: case folded, ``&`` as ``and``, punctuation as spaces, ``the`` left out."""
    words = re.sub(r"[^\w\s]|_", " ", text.casefold().replace("&", " and ")).split()
    return " ".join("st" if w == "saint" else w for w in words if w != "the")


def _aliases(folded: str) -> set[str]:
    """Other ways to write a name: ``Bristol, City of`` as ``bristol`` or ``city of bristol``; ``County Durham``."""
    found = set()
    for affix in ("city of", "county of"):
        if folded.endswith(" " + affix):
            core = folded.removesuffix(" " + affix)
            found |= {core, f"{affix} {core}"}
        if folded.startswith(affix + " "):
            found.add(folded.removeprefix(affix + " "))
    if folded.startswith("county ") and not folded.startswith("county of "):
        found.add(folded.removeprefix("county "))
    found.discard(folded)
    return found


def _index(pairs: list[tuple[str, Area]]) -> dict[str, tuple[Area, ...]]:
    index: dict[str, tuple[Area, ...]] = {}
    for text, area in pairs:
        if area not in index.get(text, ()):
            index[text] = (*index.get(text, ()), area)
    return index


@functools.lru_cache(maxsize=1)
def _data() -> _Data:
    measures = {
        row["code"]: PublishedMeasure(
            code=row["code"],
            title=row["title"],
            unit=row["unit"],
            polarity=_POLARITY[row["polarity"]],
            definition=row["definition"],
        )
        for row in _rows("measures.csv")
    }
    rows = _rows("figures.csv.gz")
    made = _make_areas(rows)
    by_key = {_key(a): a for a in made}
    by_code = {code: a for a in made for code in (*a.former_codes, a.code)}
    figures: dict[tuple[str, int, str], dict[str, str]] = {}
    years: dict[str, set[int]] = {}
    for row in rows:
        year = int(row["year"])
        figures[(row["measure"], year, row["old_la_code"] or row["area_code"])] = row
        years.setdefault(row["measure"], set()).add(year)
    groups: dict[tuple[int, str], list[Neighbour]] = {}
    for row in _rows("neighbours.csv.gz"):
        neighbour = Neighbour(int(row["neighbour_rank"]), by_key[row["neighbour_old_code"]], row["closeness"])
        groups.setdefault((int(row["sn_model"]), row["la_old_code"]), []).append(neighbour)
    return _Data(
        measures=measures,
        areas=tuple(made),
        by_key=by_key,
        by_code=by_code,
        by_number={a.old_code: a for a in made if a.old_code},
        names=_index([(_fold(a.name), a) for a in made]),
        aliases=_index([(alias, a) for a in made for alias in sorted(_aliases(_fold(a.name)))]),
        figures=figures,
        years={code: tuple(sorted(found)) for code, found in years.items()},
        regions={a.name: a for a in made if a.level == "region"},
        neighbours={k: tuple(sorted(v, key=lambda n: n.rank)) for k, v in groups.items()},
    )


class _Measures(Mapping[str, PublishedMeasure]):
    """The measures, read from the package data on first use."""

    def __getitem__(self, code: str) -> PublishedMeasure:
        return _data().measures[code]

    def __iter__(self) -> Iterator[str]:
        return iter(_data().measures)

    def __len__(self) -> int:
        return len(_data().measures)

    def __repr__(self) -> str:
        return f"<the {len(self)} published DfE measures: {', '.join(self)}>"


#: The published measures by DfE code (read-only; loaded on first use).
MEASURES: Final[Mapping[str, PublishedMeasure]] = _Measures()


# ---------------------------------------------------------------------------
# reading the caller's arguments
# ---------------------------------------------------------------------------


def _measure(code: str) -> PublishedMeasure:
    measures = _data().measures
    if isinstance(code, str) and code in measures:
        return measures[code]
    raise CasetimeError(f"no published measure {code!r}; the measures are {', '.join(measures)}")


def _year(year: int | str, measure: PublishedMeasure) -> int:
    """The year ending 31 March: ``2025``, ``"2024/25"``, ``"2024-25"``, ``"2024/2025"`` or ``"202425"``."""
    if isinstance(year, bool) or not isinstance(year, (int, str)):
        raise CasetimeTypeError(f"a year is an int (2025) or text ('2024/25'), not {type(year).__name__}")
    ending = year if isinstance(year, int) else _year_text(year)
    covered = _data().years[measure.code]
    if ending not in covered:
        raise CasetimeError(
            f"{measure.code} is published for the years ending 31 March {covered[0]} to {covered[-1]}, not {year!r}"
        )
    return ending


def _year_text(text: str) -> int:
    match = re.fullmatch(r"\s*(\d{4})(?:\s*[/-]?\s*(\d{2}|\d{4}))?\s*", text)
    if match is not None:
        start, end = match.groups()
        if end is None:
            return int(start)
        if int(end) % (100 if len(end) == 2 else 10_000) == (int(start) + 1) % (100 if len(end) == 2 else 10_000):
            return int(start) + 1
    raise CasetimeError(f"not a year ending 31 March: {text!r}; write 2025, '2024/25' or '2024-25'")


def _exact(value: int | float | Decimal | Fraction) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, Fraction)):
        raise CasetimeTypeError(f"a value is a number (Fraction, Decimal, int or float), not {type(value).__name__}")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CasetimeError(f"not a finite number: {value!r}")
        return Fraction(repr(value))
    if isinstance(value, Decimal) and not value.is_finite():
        raise CasetimeError(f"not a finite number: {value!r}")
    return Fraction(value)


def _label(area: Area) -> str:
    if area.old_code is None:
        return f"{area.name} ({area.code})"
    return f"{area.name} ({area.old_code}, {area.code}, {area.first_year}-{area.last_year})"


def _one(found: tuple[Area, ...], text: str) -> Area:
    if len(found) == 1:
        return found[0]
    listed = ", ".join(_label(a) for a in found)
    raise CasetimeError(f"{text!r} matches {len(found)} areas: {listed}; give its DfE number or ONS code")


_COUNCIL_PREFIXES: Final = ("london borough of ", "royal borough of ", "metropolitan borough of ", "borough of ")
_COUNCIL_SUFFIXES: Final = (
    " metropolitan borough council",
    " borough council",
    " county council",
    " city council",
    " council",
)


def _without_council(folded: str) -> str:
    for prefix in _COUNCIL_PREFIXES:
        folded = folded.removeprefix(prefix)
    for suffix in _COUNCIL_SUFFIXES:
        if folded.endswith(suffix):
            return folded.removesuffix(suffix)
    return folded


def find_area(area: Area | str | int, /) -> Area:
    """The area an ONS code, a DfE LA number or a name stands for.

    A code may be the latest or an earlier one (``E10000002`` is Buckinghamshire); a number is the DfE
    3-digit LA number (``302`` or ``"302"``). A name is matched loosely, trying in turn: the name
    itself (case, punctuation, ``&`` for ``and`` and ``Saint`` for ``St`` do not matter); its
    ``City of`` or ``, County of`` forms (``Bristol``, ``City of Bristol``, ``Durham``); the name
    without ``Council``, ``London Borough of`` and the like; and a unique name containing the words
    (``Hull``). A name two areas share (``Dorset``: the county to 2019 and the unitary from 2020) or
    that matches nothing raises :class:`~casetime.errors.CasetimeError` naming the candidates.

    >>> find_area("E09000003").name, find_area(302).name, find_area("barnet").code
    ('Barnet', 'Barnet', 'E09000003')
    >>> find_area("City of Bristol").name, find_area("Durham County Council").name, find_area("hull").name
    ('Bristol, City of', 'County Durham', 'Kingston upon Hull, City of')
    >>> find_area("St Helens").name, find_area("London").level, find_area("Outer London").region
    ('St. Helens', 'region', 'London')
    >>> find_area("Barnett")
    Traceback (most recent call last):
    ...
    casetime.errors.CasetimeError: no area matches 'Barnett'; close names: Barnet, ...
    """
    if isinstance(area, Area):
        return area
    data = _data()
    if isinstance(area, int) and not isinstance(area, bool):
        area = f"{area:03d}"
    if not isinstance(area, str):
        raise CasetimeTypeError(f"an area is an ONS code, a DfE number or a name, not {type(area).__name__}")
    text = area.strip()
    if re.fullmatch(r"[A-Za-z]\d{8}", text):
        if text.upper() in data.by_code:
            return data.by_code[text.upper()]
        raise CasetimeError(f"no area in the published figures has the ONS code {text.upper()}")
    if re.fullmatch(r"\d{3}", text):
        if text in data.by_number:
            return data.by_number[text]
        raise CasetimeError(f"no local authority in the published figures has the DfE number {text}")
    if not text:
        raise CasetimeError("an area is empty: give an ONS code such as E09000003, a DfE number such as 302 or a name")
    folded = _fold(text)
    for query in dict.fromkeys((folded, _without_council(folded))):
        for index in (data.names, data.aliases):
            if query in index:
                return _one(index[query], area)
    query = _without_council(folded)
    if query:
        within = tuple(a for a in data.areas if f" {query} " in f" {_fold(a.name)} ")
        if within:
            return _one(within, area)
    close = difflib.get_close_matches(query, list(data.names), n=5, cutoff=0.6)
    named = ", ".join(data.names[c][0].name for c in close) or "none"
    raise CasetimeError(
        f"no area matches {area!r}; close names: {named} (give an ONS code such as E09000003, a DfE number such as "
        "302 or a name such as Barnet)"
    )


def areas(level: Level | None = None) -> tuple[Area, ...]:
    """The areas with published figures: England, the regions, Inner and Outer London, then the LAs, by name.

    ``level`` keeps one kind (``"england"``, ``"region"``, ``"inner_outer_london"``, ``"local_authority"``).

    >>> len(areas("region")), len(areas("local_authority")), areas("england")[0].name
    (9, 158, 'England')
    """
    if level is not None and level not in _LEVEL_ORDER:
        raise CasetimeError(f"no area level {level!r}; the levels are {', '.join(_LEVEL_ORDER)}")
    return tuple(a for a in _data().areas if level is None or a.level == level)


def years(measure: str, /) -> tuple[int, ...]:
    """The years (ending 31 March) a measure is published for.

    >>> years("ReReferral")
    (2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025)
    """
    return _data().years[_measure(measure).code]


def figure(measure: str, year: int | str, area: Area | str | int) -> Figure:
    """The published figure of ``measure`` for ``area`` in the year ending 31 March ``year``.

    ``year`` is an int (``2025`` is 2024/25) or text (``"2024/25"``, ``"2024-25"``); ``area`` is
    anything :func:`find_area` takes.

    >>> f = figure("PrevRegCPR", "2024-25", "England")
    >>> f.value, f.numerator, f.denominator
    (Decimal('24.5'), 15130, 61840)
    >>> figure("RevCP", 2024, "Cumbria")
    Traceback (most recent call last):
    ...
    casetime.errors.CasetimeError: Cumbria (909, E10000006, 2016-2023) has no RevCP figure for 2024: ...
    """
    found = _measure(measure)
    ending = _year(year, found)
    place = find_area(area)
    published = _figure((found.code, ending, _key(place)))
    if published is None:
        raise CasetimeError(
            f"{_label(place)} has no {found.code} figure for {ending}: it has figures for {place.first_year} "
            f"to {place.last_year}"
        )
    return published


def figures(measure: str, year: int | str, *, level: Level | None = "local_authority") -> tuple[Figure, ...]:
    """Every published figure of ``measure`` in ``year`` at one level (all LAs by default), by area name.

    >>> fs = figures("ReReferral", 2025)
    >>> len(fs), fs[0].area_name, sum(f.value is None for f in fs)
    (153, 'Barking and Dagenham', 0)
    """
    found = _measure(measure)
    ending = _year(year, found)
    found_figures = (_figure((found.code, ending, _key(a))) for a in areas(level))
    return tuple(f for f in found_figures if f is not None)


def neighbours(area: Area | str | int, /, *, model: int = 2025) -> tuple[Neighbour, ...]:
    """A local authority's ten statistical neighbours in DfE's ``model`` (2025, the default, or 2021), closest first.

    The 2025 model covers the 153 LAs of 2024 onwards; the 2021 model also covers Cumbria,
    Northamptonshire and the Dorset LAs before 2019, but not Cumberland or Westmorland and Furness.

    >>> [n.area.name for n in neighbours("Barnet")][:3]
    ['Waltham Forest', 'Reading', 'Harrow']
    >>> [n.area.name for n in neighbours("Barnet", model=2021)][:3]
    ['Merton', 'Kingston upon Thames', 'Reading']
    """
    place = find_area(area)
    if model not in _MODELS:
        raise CasetimeError(f"no statistical neighbour model {model!r}; the models are 2025 and 2021")
    if place.level != "local_authority":
        raise CasetimeError(f"{_label(place)} is not a local authority: only LAs have statistical neighbours")
    table = _data().neighbours
    group = table.get((model, _key(place)))
    if group is None:
        other = [m for m in _MODELS if (m, _key(place)) in table]
        hint = f"; the {other[0]} model has them (model={other[0]})" if other else ""
        raise CasetimeError(f"{_label(place)} has no statistical neighbours in the {model} model{hint}")
    return group


def quartiles(measure: str, year: int | str, *, method: Method = "inclusive", small_las: bool = True) -> Quartiles:
    """The quartile boundaries of ``measure`` in ``year`` over the LAs with a published value.

    ``method="inclusive"`` (the default) is R's type 7 as DfE's LAIT uses it, ``"exclusive"`` R's type 6
    (see :class:`Quartiles`); ``small_las=False`` leaves out City of London and Isles of Scilly.

    >>> q = quartiles("ReReferral", 2025)
    >>> q.lower, q.median, q.upper, q.count
    (Decimal('16.9'), Decimal('20.0'), Decimal('23.0'), 153)
    >>> quartiles("ReReferral", 2025, small_las=False).count
    151
    """
    found = _measure(measure)
    ending = _year(year, found)
    if method not in ("inclusive", "exclusive"):
        raise CasetimeError(f"no quartile method {method!r}; the methods are 'inclusive' and 'exclusive'")
    return _quartiles(found, ending, method, bool(small_las))


@functools.lru_cache(maxsize=256)
def _quartiles(found: PublishedMeasure, ending: int, method: Method, small_las: bool) -> Quartiles:
    values = sorted(
        f.value
        for f in figures(found.code, ending)
        if f.value is not None and (small_las or f.area_code not in SMALL_LAS)
    )
    if len(values) < 2:
        raise CasetimeError(f"{found.code} {ending} has {len(values)} published LA values: too few for quartiles")
    lower, median, upper = statistics.quantiles(values, n=4, method=method)
    return Quartiles(found.code, ending, lower, median, upper, len(values), found.polarity, method, small_las)


def quartile_of(
    value: int | float | Decimal | Fraction,
    measure: str,
    year: int | str,
    *,
    method: Method = "inclusive",
    small_las: bool = True,
) -> int:
    """The quartile a value (a council's own computed figure, on the published scale) falls in among the LAs.

    1 is the best quarter and 4 the worst, by the measure's polarity (1 the lowest values when it has
    none). A value equal to a boundary falls in the band below it in value order: see
    :meth:`Quartiles.of`.

    >>> quartile_of(Fraction(2301, 100), "ReReferral", 2025), quartile_of(Decimal("23.0"), "ReReferral", 2025)
    (4, 3)
    """
    return quartiles(measure, year, method=method, small_las=small_las).of(value)


def compare(
    measure: str,
    year: int | str,
    area: Area | str | int,
    *,
    model: int = 2025,
    method: Method = "inclusive",
    small_las: bool = True,
) -> Comparison:
    """A council's published figure beside England's, its region's, the LA quartiles and its statistical neighbours.

    A London borough's region is London (E12000007), never Inner or Outer London. ``model`` picks the
    statistical neighbour model; ``method`` and ``small_las`` the quartiles (:func:`quartiles`).

    >>> c = compare("PrevRegCPR", 2025, "Camden")
    >>> c.region.area_code, c.council.value, c.quartiles.count
    ('E12000007', Decimal('21.9'), 153)
    """
    found = _measure(measure)
    ending = _year(year, found)
    place = find_area(area)
    if place.level != "local_authority":
        raise CasetimeError(f"{_label(place)} is not a local authority: compare() compares a council")
    council = figure(found.code, ending, place)
    bounds = quartiles(found.code, ending, method=method, small_las=small_las)
    group = (_figure((found.code, ending, _key(n.area))) for n in neighbours(place, model=model))
    beside = tuple(f for f in group if f is not None)
    values = [Fraction(f.value) for f in beside if f.value is not None]
    assert place.region is not None  # every LA row names its region
    return Comparison(
        measure=found,
        year=ending,
        area=place,
        council=council,
        england=figure(found.code, ending, "E92000001"),
        region=figure(found.code, ending, _data().regions[place.region]),
        quartiles=bounds,
        quartile=None if council.value is None else bounds.of(council.value),
        model=model,
        neighbours=beside,
        neighbour_count=len(values),
        neighbour_mean=sum(values, Fraction(0)) / len(values) if values else None,
    )
