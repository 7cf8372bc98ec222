"""casetime.published: DfE's packaged figures, read back exactly, looked up loosely, compared honestly.

Expected values come from the packaged files read here with plain ``csv`` and ``gzip``, from DfE's
README (``/work/shared/dfe/README.md``, "Sanity figures" and "England series"), or were looked up by
hand in ``measures_by_la.csv`` and ``statistical_neighbours.csv``; none is produced by the module.
"""

from __future__ import annotations

import csv
import gzip
import math
import statistics
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

import casetime
from casetime import published
from casetime.errors import CasetimeError, CasetimeTypeError
from casetime.published import (
    MEASURES,
    Area,
    areas,
    compare,
    figure,
    figures,
    find_area,
    neighbours,
    quartile_of,
    quartiles,
    years,
)

PACKAGED = Path(casetime.__file__).resolve().parent / "data" / "dfe"
REPO = Path(__file__).resolve().parents[1]
SOURCE = Path("/work/shared/dfe")
YEARS = tuple(range(2016, 2026))


def packaged_rows(name: str) -> list[dict[str, str]]:
    with gzip.open(PACKAGED / name, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


FIGURE_ROWS = packaged_rows("figures.csv.gz")


def la_values(measure: str, year: int, *, small_las: bool = True) -> list[Decimal]:
    """The published LA values of one measure and year, read straight from the packaged file."""
    return sorted(
        Decimal(r["value"])
        for r in FIGURE_ROWS
        if r["measure"] == measure
        and r["year"] == str(year)
        and r["geographic_level"] == "Local authority"
        and r["value"]
        and (small_las or r["area_code"] not in ("E09000001", "E06000053"))
    )


def type7(values: list[Decimal], p: Fraction) -> Fraction:
    """R's quantile type 7 written out: h = (n - 1) p, then linear interpolation."""
    ordered = sorted(Fraction(v) for v in values)
    h = (len(ordered) - 1) * p
    low = math.floor(h)
    if low + 1 >= len(ordered):
        return ordered[-1]
    return ordered[low] + (h - low) * (ordered[low + 1] - ordered[low])


# ---------------------------------------------------------------------------
# the public surface
# ---------------------------------------------------------------------------


def test_public_names_are_pinned() -> None:
    assert set(published.__all__) == {
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
    }
    assert all(hasattr(published, name) for name in published.__all__)


def test_counterparts_are_the_agreed_mapping_and_every_code_is_published() -> None:
    from casetime.indicators import INDICATORS

    counterparts = {i.id: i.published.code for i in INDICATORS.values() if i.published is not None}
    assert counterparts == {
        "C2": "Continue_Assess_Comp",
        "C4": "CP_conf_15days",
        "D6": "RevCP",
        "D7": "CPPlans2yrs",
        "D3": "PrevRegCPR",
        "C1": "ReReferral",
        "D5": "CPPlans2yrsActive",
    }
    assert published.SUPPORTING["CP_conf_15days"] == (
        "ICPC_Num",
        "10_ICPC",
        "15_ICPC",
        "20_ICPC",
        "21_ICPC",
        "ICPC_Duration_median",
    )
    for code in [*counterparts.values(), *published.SUPPORTING["CP_conf_15days"]]:
        assert code in MEASURES


def test_measures_table_matches_the_packaged_file() -> None:
    with (PACKAGED / "measures.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(MEASURES) == [r["code"] for r in rows]
    words = {"High": "higher", "Low": "lower", "-": None}
    for row in rows:
        m = MEASURES[row["code"]]
        assert (m.code, m.title, m.unit, m.definition) == (row["code"], row["title"], row["unit"], row["definition"])
        assert m.polarity == words[row["polarity"]]
    assert MEASURES["RevCP"].polarity == "higher"
    assert MEASURES["ReReferral"].polarity == "lower"
    assert MEASURES["ICPC_Num"].polarity is None
    assert MEASURES["ICPC_Num"].unit == "count"
    with pytest.raises(KeyError):
        MEASURES["NI59"]
    with pytest.raises(TypeError):
        MEASURES["RevCP"] = MEASURES["RevCP"]  # type: ignore[index]


def test_attribution_and_date_taken_are_in_the_packaged_readme() -> None:
    readme = (PACKAGED / "README.md").read_text(encoding="utf-8")
    ogl = "Contains public sector information licensed under the Open Government Licence v3.0"
    assert ogl in published.ATTRIBUTION
    assert ogl in readme
    assert "Characteristics of children in need" in published.ATTRIBUTION
    assert "*Characteristics of children in need*" in readme
    assert published.TAKEN == "2026-04"
    assert "Taken: 2026-04" in readme
    assert "Years covered: 2016 to 2025" in readme
    for commit in ("2f5d11a431050523dab58810083259d3313029ae", "2e30e3959a6ab8b2d22941b84764da41a40ac91b"):
        assert commit in readme  # the provenance table


def test_packaged_files_are_small() -> None:
    sizes = {p.name: p.stat().st_size for p in PACKAGED.iterdir()}
    assert set(sizes) == {"figures.csv.gz", "neighbours.csv.gz", "measures.csv", "README.md"}
    assert sum(sizes.values()) < 500_000


# ---------------------------------------------------------------------------
# (a) read back exactly
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["302", "825", "420", "E92000001"])  # Barnet, Buckinghamshire, Isles of Scilly
def test_every_row_of_an_area_reads_back_as_in_the_packaged_file(key: str) -> None:
    rows = [r for r in FIGURE_ROWS if (r["old_la_code"] or r["area_code"]) == key]
    assert len(rows) == 130  # 13 measures x 10 years
    expected = {
        (r["measure"], int(r["year"])): (
            r["area_code"],
            r["area_name"],
            Decimal(r["value"]) if r["value"] else None,
            r["suppression"] or None,
            int(r["numerator"]) if r["numerator"] else None,
            int(r["denominator"]) if r["denominator"] else None,
        )
        for r in rows
    }
    got = {}
    for measure in MEASURES:
        for year in years(measure):
            f = figure(measure, year, key)
            assert (f.measure, f.year) == (measure, year)
            got[(measure, year)] = (f.area_code, f.area_name, f.value, f.suppression, f.numerator, f.denominator)
    assert got == expected


def test_an_area_with_a_changed_ons_code_keeps_each_years_code() -> None:
    early, late = figure("RevCP", 2016, "Buckinghamshire"), figure("RevCP", 2021, "E10000002")
    assert (early.area_code, early.value, early.numerator, early.denominator) == (
        "E10000002",
        Decimal("92.5"),
        272,
        294,
    )
    assert (late.area_code, late.value, late.numerator, late.denominator) == ("E06000060", Decimal("98.6"), 340, 345)


def test_a_whole_percentage_is_given_at_its_published_one_decimal_place() -> None:
    f = figure("PrevRegCPR", 2016, "Calderdale")  # "17" in the EES file: 37 / 218 = 16.97%
    assert str(f.value) == "17.0"
    assert (f.numerator, f.denominator) == (37, 218)
    assert str(figure("ICPC_Num", 2025, "England").value) == "72100"


# ---------------------------------------------------------------------------
# (b) golden values, typed from DfE's README and looked up by hand
# ---------------------------------------------------------------------------

ENGLAND_SERIES = {
    "Continue_Assess_Comp": "83.4 82.9 82.7 83.1 83.8 87.6 84.5 82.5 84.5 85.7",
    "CP_conf_15days": "76.7 77.2 76.9 78.7 77.6 83.0 79.2 78.4 79.7 81.4",
    "RevCP": "93.6 92.1 90.5 91.8 91.5 93.2 89.3 88.1 89.8 90.6",
    "CPPlans2yrs": "3.8 3.4 3.4 3.3 3.6 3.7 3.7 3.9 3.8 4.4",
    "PrevRegCPR": "17.9 18.7 20.2 20.8 21.9 22.1 22.7 23.6 24.7 24.5",
    "ReReferral": "22.5 21.9 21.9 22.6 22.6 22.7 21.5 22.4 22.4 22.6",
    "CPPlans2yrsActive": "2.1 2.1 1.8 2.1 2.1 2.0 2.5 2.2 2.6 2.3",
    "ICPC_Num": "73050 76930 79470 77440 77470 72580 73790 74380 72250 72100",
}


@pytest.mark.parametrize("measure", sorted(ENGLAND_SERIES))
def test_england_series_is_the_readmes(measure: str) -> None:
    got = [str(figure(measure, year, "England").value) for year in YEARS]
    assert got == ENGLAND_SERIES[measure].split()


@pytest.mark.parametrize(
    ("measure", "value", "numerator", "denominator"),
    [
        ("Continue_Assess_Comp", "85.7", None, None),
        ("CP_conf_15days", "81.4", None, None),
        ("RevCP", "90.6", 30780, 33960),
        ("CPPlans2yrs", "4.4", 2710, None),
        ("PrevRegCPR", "24.5", 15130, 61840),
        ("ReReferral", "22.6", 142900, 632830),
        ("CPPlans2yrsActive", "2.3", 1130, 49420),
        ("ICPC_Num", "72100", None, None),
        ("10_ICPC", "6240", None, None),
        ("15_ICPC", "52430", None, None),
        ("20_ICPC", "6430", None, None),
        ("21_ICPC", "6990", None, None),
        ("ICPC_Duration_median", "14", None, None),
    ],
)
def test_england_2025_sanity_figures(measure: str, value: str, numerator: int | None, denominator: int | None) -> None:
    f = figure(measure, 2025, "E92000001")
    assert (f.area_code, f.area_name) == ("E92000001", "England")
    assert f.value == Decimal(value)
    assert (f.numerator, f.denominator, f.suppression) == (numerator, denominator, None)


# Barnet (302), looked up with: grep -E ",(2024|2025),E09000003," measures_by_la.csv
BARNET = [
    ("Continue_Assess_Comp", 2024, "61.7", None, None),
    ("Continue_Assess_Comp", 2025, "65.2", None, None),
    ("CP_conf_15days", 2025, "82.7", None, None),
    ("RevCP", 2024, "98.8", 165, 167),
    ("RevCP", 2025, "95.8", 160, 167),
    ("CPPlans2yrs", 2025, "5.5", 14, None),
    ("PrevRegCPR", 2024, "20.7", 55, 266),
    ("PrevRegCPR", 2025, "11.8", 27, 228),
    ("ReReferral", 2024, "13.2", 374, 2843),
    ("ReReferral", 2025, "14.8", 407, 2751),
    ("CPPlans2yrsActive", 2024, "3.6", 9, 253),
    ("ICPC_Num", 2025, "277", None, None),
    ("15_ICPC", 2025, "178", None, None),
    ("ICPC_Duration_median", 2024, "13", None, None),
]


@pytest.mark.parametrize(("measure", "year", "value", "numerator", "denominator"), BARNET)
def test_barnet_figures_looked_up_by_hand(
    measure: str, year: int, value: str, numerator: int | None, denominator: int | None
) -> None:
    f = figure(measure, year, "Barnet")
    assert (f.area_code, f.area_name) == ("E09000003", "Barnet")
    assert (str(f.value), f.numerator, f.denominator) == (value, numerator, denominator)


# ---------------------------------------------------------------------------
# years
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2025, "2024/25", "2024-25", "2024/2025", " 2024 - 25 ", "202425", "2025"])
def test_a_year_is_the_year_ending_31_march_in_any_usual_form(year: int | str) -> None:
    assert figure("RevCP", year, "England").value == Decimal("90.6")


def test_years_outside_the_data_or_malformed_are_refused() -> None:
    with pytest.raises(CasetimeError, match=r"RevCP is published for the years ending 31 March 2016 to 2025, not 2015"):
        figure("RevCP", 2015, "England")
    with pytest.raises(CasetimeError, match=r"not a year ending 31 March: '2024/26'"):
        figure("RevCP", "2024/26", "England")
    with pytest.raises(CasetimeTypeError, match="not bool"):
        figure("RevCP", True, "England")
    assert years("RevCP") == YEARS


def test_an_la_has_no_figure_before_it_existed_or_after_it_ended() -> None:
    with pytest.raises(CasetimeError, match=r"^Cumbria \(909, E10000006, 2016-2023\) has no RevCP figure for 2024"):
        figure("RevCP", 2024, "Cumbria")
    with pytest.raises(CasetimeError, match=r"^Cumberland \(942, E06000063, 2024-2025\) has no RevCP figure for 2023"):
        figure("RevCP", 2023, "Cumberland")


@pytest.mark.parametrize(
    ("year", "count"), [(2016, 152), (2019, 152), (2020, 151), (2021, 151), (2023, 152), (2025, 153)]
)
def test_figures_lists_every_la_of_the_year(year: int, count: int) -> None:  # counts from DfE's README
    listed = figures("ReReferral", year)
    assert len(listed) == count
    assert [f.area_name for f in listed] == sorted(f.area_name for f in listed)
    assert [f.area_code for f in figures("ReReferral", year, level="england")] == ["E92000001"]
    assert len(figures("ReReferral", year, level="region")) == 9
    assert len(figures("ReReferral", year, level=None)) == count + 12


def test_an_unknown_measure_lists_the_codes() -> None:
    with pytest.raises(CasetimeError, match=r"no published measure 'RevCp'; the measures are Continue_Assess_Comp, "):
        figure("RevCp", 2025, "England")
    with pytest.raises(CasetimeError, match=r"no published measure 'D6'"):  # (casetime's ids are not DfE's codes)
        years("D6")


# ---------------------------------------------------------------------------
# (c) finding an area
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("E09000003", "E09000003"),
        ("e09000003", "E09000003"),
        ("302", "E09000003"),
        (302, "E09000003"),
        ("Barnet", "E09000003"),
        ("  BARNET ", "E09000003"),
        ("London Borough of Barnet", "E09000003"),
        ("E10000002", "E06000060"),  # Buckinghamshire's code to 2020
        ("E10000023", "E06000065"),  # North Yorkshire's to 2023
        ("815", "E06000065"),
        ("Hammersmith & Fulham", "E09000013"),
        ("Bristol", "E06000023"),
        ("City of Bristol", "E06000023"),
        ("Bristol, City of", "E06000023"),
        ("Kingston upon Hull", "E06000010"),
        ("Hull", "E06000010"),
        ("Herefordshire", "E06000019"),
        ("County of Herefordshire", "E06000019"),
        ("Durham", "E06000047"),
        ("St Helens", "E08000013"),
        ("Stockton on Tees", "E06000004"),
        ("City of London", "E09000001"),
        ("London", "E12000007"),
        ("Yorkshire and the Humber", "E12000003"),
        ("Inner London", "E13000001"),
        ("england", "E92000001"),
    ],
)
def test_find_area_by_code_number_or_loose_name(text: str | int, code: str) -> None:
    assert find_area(text).code == code


def test_an_area_knows_its_codes_number_level_region_and_years() -> None:
    bucks = find_area("Buckinghamshire")
    assert bucks == Area(
        "E06000060", "825", "Buckinghamshire", "local_authority", "South East", 2016, 2025, ("E10000002",)
    )
    assert find_area(bucks) is bucks
    assert find_area("London") == Area("E12000007", None, "London", "region", None, 2016, 2025)
    assert find_area("Outer London") == Area(
        "E13000002", None, "Outer London", "inner_outer_london", "London", 2016, 2025
    )
    assert find_area("Camden").region == "London"


def test_a_shared_name_is_ambiguous_and_names_the_candidates() -> None:
    with pytest.raises(
        CasetimeError,
        match=r"^'Dorset' matches 2 areas: Dorset \(835, E10000009, 2016-2019\), Dorset \(838, E06000059, 2020-2025\); "
        r"give its DfE number or ONS code$",
    ):
        find_area("Dorset")
    assert find_area("838").name == find_area("E10000009").name == "Dorset"
    with pytest.raises(CasetimeError, match=r"'Kingston' matches 2 areas: Kingston upon Hull, City of .*Kingston upon"):
        find_area("Kingston")
    with pytest.raises(CasetimeError, match=r"'Sussex' matches 2 areas: East Sussex .*West Sussex"):
        find_area("Sussex")


def test_an_unknown_area_suggests_close_names() -> None:
    with pytest.raises(CasetimeError, match=r"^no area matches 'Barnett'; close names: Barnet"):
        find_area("Barnett")
    with pytest.raises(CasetimeError, match=r"close names: .*Northumberland"):
        find_area("Northumbria")
    with pytest.raises(CasetimeError, match=r"no area in the published figures has the ONS code E09999999"):
        find_area("E09999999")
    with pytest.raises(CasetimeError, match=r"no local authority in the published figures has the DfE number 999"):
        find_area(999)
    with pytest.raises(CasetimeError, match="an area is empty"):
        find_area("  ")
    with pytest.raises(CasetimeTypeError):
        find_area(3.5)  # type: ignore[arg-type]


def test_areas_lists_each_level() -> None:
    assert [a.name for a in areas("region")] == [
        "East Midlands",
        "East of England",
        "London",
        "North East",
        "North West",
        "South East",
        "South West",
        "West Midlands",
        "Yorkshire and The Humber",
    ]
    assert [a.code for a in areas("inner_outer_london")] == ["E13000001", "E13000002"]
    las = areas("local_authority")
    assert len(las) == 158  # DfE numbers in the data, reorganised LAs included
    assert len({a.old_code for a in las}) == 158
    assert sum(a.last_year == 2025 for a in las) == 153
    assert len(areas()) == 1 + 9 + 2 + 158
    with pytest.raises(CasetimeError, match="no area level 'county'"):
        areas("county")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# (d) quartiles
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("measure", "small_las", "count", "expected"),
    [
        # numpy.percentile(values, [25, 50, 75]) on the source CSV, typed in
        ("RevCP", True, 150, ("87.325", "93.75", "96.9")),
        ("ReReferral", True, 153, ("16.9", "20.0", "23.0")),
        ("ReReferral", False, 151, ("17.0", "20.1", "23.05")),
        ("Continue_Assess_Comp", True, 152, ("78.55", "85.35", "91.4")),
        ("Continue_Assess_Comp", False, 151, ("78.85", "85.4", "91.5")),
    ],
)
def test_quartiles_are_type_7_over_las_with_a_value(
    measure: str, small_las: bool, count: int, expected: tuple[str, str, str]
) -> None:
    q = quartiles(measure, 2025, small_las=small_las)
    values = la_values(measure, 2025, small_las=small_las)
    assert q.count == len(values) == count
    got = (q.lower, q.median, q.upper)
    assert got == tuple(Decimal(e) for e in expected)
    assert list(got) == statistics.quantiles(values, n=4, method="inclusive")
    assert [Fraction(b) for b in got] == [type7(values, Fraction(k, 4)) for k in (1, 2, 3)]
    assert (q.method, q.small_las, q.polarity) == ("inclusive", small_las, MEASURES[measure].polarity)


def test_exclusive_quartiles_are_type_6() -> None:
    q = quartiles("RevCP", 2025, method="exclusive")
    assert (q.lower, q.median, q.upper) == (Decimal("87.1"), Decimal("93.75"), Decimal("96.925"))  # numpy "weibull"
    assert [q.lower, q.median, q.upper] == statistics.quantiles(la_values("RevCP", 2025), n=4, method="exclusive")
    with pytest.raises(CasetimeError, match="no quartile method 'R7'"):
        quartiles("RevCP", 2025, method="R7")  # type: ignore[arg-type]


def test_quartile_of_a_higher_is_better_measure_at_and_around_its_boundaries() -> None:
    lower, median, upper = Fraction("87.325"), Fraction("93.75"), Fraction("96.9")  # RevCP 2025, as above
    tiny = Fraction(1, 10**6)
    cases = [
        (Fraction(0), 4),
        (lower - tiny, 4),
        (lower, 4),  # up to and including the boundary: the band below, here the worse quartile
        (lower + tiny, 3),
        (median, 3),
        (median + tiny, 2),
        (upper, 2),
        (upper + tiny, 1),
        (Fraction(100), 1),
    ]
    assert [quartile_of(v, "RevCP", 2025) for v, _ in cases] == [q for _, q in cases]
    assert quartile_of(Decimal("96.9"), "RevCP", 2025) == 2
    assert quartile_of(96.9, "RevCP", 2025) == 2  # a float is read as the decimal it prints as
    assert quartile_of(Decimal("96.95"), "RevCP", 2025) == 1
    assert quartile_of(94, "RevCP", 2025) == 2


def test_quartile_of_a_lower_is_better_measure_at_and_around_its_boundaries() -> None:
    lower, median, upper = Fraction("16.9"), Fraction("20.0"), Fraction("23.0")  # ReReferral 2025, as above
    tiny = Fraction(1, 10**6)
    cases = [
        (lower - tiny, 1),
        (lower, 1),  # the band below in value order: here the better quartile
        (lower + tiny, 2),
        (median, 2),
        (median + tiny, 3),
        (upper, 3),
        (upper + tiny, 4),
    ]
    assert [quartile_of(v, "ReReferral", 2025) for v, _ in cases] == [q for _, q in cases]
    assert quartile_of(16.9, "ReReferral", 2025) == 1
    assert quartile_of(Fraction(407 * 100, 2751), "ReReferral", "2024/25") == 1  # Barnet's own 14.79...%
    # without City of London and Isles of Scilly the lower quartile is 17.0
    assert quartile_of(Decimal("16.95"), "ReReferral", 2025, small_las=False) == 1
    assert quartile_of(Decimal("17.05"), "ReReferral", 2025, small_las=False) == 2


def test_quartile_of_a_measure_without_polarity_counts_from_the_lowest() -> None:
    values = la_values("ICPC_Num", 2025)
    lower = statistics.quantiles(values, n=4, method="inclusive")[0]
    assert quartile_of(values[0], "ICPC_Num", 2025) == 1
    assert quartile_of(lower, "ICPC_Num", 2025) == 1
    assert quartile_of(values[-1], "ICPC_Num", 2025) == 4


def test_quartile_of_refuses_what_is_not_a_number() -> None:
    with pytest.raises(CasetimeError, match="not a finite number"):
        quartile_of(float("nan"), "RevCP", 2025)
    with pytest.raises(CasetimeError, match="not a finite number"):
        quartile_of(Decimal("Infinity"), "RevCP", 2025)
    with pytest.raises(CasetimeTypeError, match="not str"):
        quartile_of("85.7", "RevCP", 2025)  # type: ignore[arg-type]
    with pytest.raises(CasetimeTypeError, match="not bool"):
        quartile_of(True, "RevCP", 2025)


# ---------------------------------------------------------------------------
# (e) statistical neighbours and the comparison
# ---------------------------------------------------------------------------


def test_barnets_neighbours_are_dfes_lists() -> None:  # hand-copied from statistical_neighbours.csv
    got = [(n.rank, n.area.old_code, n.area.name, n.closeness) for n in neighbours("Barnet")]
    assert got == [
        (1, "320", "Waltham Forest", "Close"),
        (2, "870", "Reading", "Close"),
        (3, "310", "Harrow", "Close"),
        (4, "317", "Redbridge", "Close"),
        (5, "315", "Merton", "Close"),
        (6, "306", "Croydon", "Close"),
        (7, "209", "Lewisham", "Close"),
        (8, "312", "Hillingdon", "Close"),
        (9, "309", "Haringey", "Close"),
        (10, "307", "Ealing", "Close"),
    ]
    old = [(n.area.name, n.closeness) for n in neighbours(302, model=2021)]
    assert old == [
        ("Merton", "Close"),
        ("Kingston upon Thames", "Close"),
        ("Reading", "Close"),
        ("Sutton", "Close"),
        ("Hillingdon", "Close"),
        ("Redbridge", "Close"),
        ("Hounslow", "Close"),
        ("Milton Keynes", "Close"),
        ("Ealing", "Somewhat close"),
        ("Bromley", "Somewhat close"),
    ]


def test_an_la_outside_a_model_says_which_model_has_it() -> None:
    with pytest.raises(CasetimeError, match=r"^Cumbria .* no statistical neighbours in the 2025 model; the 2021 model"):
        neighbours("Cumbria")
    assert [n.area.name for n in neighbours("Cumbria", model=2021)][:3] == ["Lincolnshire", "Norfolk", "Derbyshire"]
    with pytest.raises(CasetimeError, match=r"^Cumberland .* no statistical neighbours in the 2021 model; the 2025"):
        neighbours("Cumberland", model=2021)
    with pytest.raises(CasetimeError, match="no statistical neighbour model 2019"):
        neighbours("Barnet", model=2019)
    with pytest.raises(CasetimeError, match="is not a local authority"):
        neighbours("London")


def test_compare_barnet_revcp_2025() -> None:
    c = compare("RevCP", 2025, "Barnet")
    assert c.measure is MEASURES["RevCP"]
    assert (c.year, c.area.code, c.model) == (2025, "E09000003", 2025)
    assert c.council.value == Decimal("95.8")
    assert (c.england.area_code, c.england.value) == ("E92000001", Decimal("90.6"))
    assert (c.region.area_code, c.region.area_name, c.region.value) == ("E12000007", "London", Decimal("93.7"))
    assert c.quartiles == quartiles("RevCP", 2025)
    assert c.quartile == 2  # 93.75 < 95.8 <= 96.9, higher is better
    # the neighbours' RevCP 2025, looked up by hand, in rank order
    assert [(f.area_name, str(f.value)) for f in c.neighbours] == [
        ("Waltham Forest", "89.3"),
        ("Reading", "84.7"),
        ("Harrow", "76.7"),
        ("Redbridge", "100.0"),
        ("Merton", "96.9"),
        ("Croydon", "96.3"),
        ("Lewisham", "88.7"),
        ("Hillingdon", "91.7"),
        ("Haringey", "97.8"),
        ("Ealing", "99.4"),
    ]
    assert c.neighbour_count == 10
    assert c.neighbour_mean == Fraction("92.15")


def test_compare_leaves_out_neighbours_that_did_not_exist_yet() -> None:
    c = compare("ReReferral", 2020, "North Lincolnshire")  # 2025 model: North Northamptonshire, Cumberland are later
    assert [f.area_name for f in c.neighbours] == [
        "Wakefield",
        "Lincolnshire",
        "Doncaster",
        "Barnsley",
        "Dudley",
        "Rotherham",
        "Telford and Wrekin",
        "Lancashire",
    ]
    names = {f.area_name for f in c.neighbours}
    values = [
        Fraction(r["value"])
        for r in FIGURE_ROWS
        if r["measure"] == "ReReferral" and r["year"] == "2020" and r["area_name"] in names
    ]
    assert c.neighbour_count == len(values) == 8
    assert c.neighbour_mean == sum(values) / 8
    assert (c.council.value, c.region.area_name) == (Decimal("19.1"), "Yorkshire and The Humber")
    assert compare("ReReferral", 2020, "North Lincolnshire", model=2021).model == 2021


def test_a_london_boroughs_region_is_london_not_inner_or_outer_london() -> None:
    for borough in ("Camden", "Barnet", "City of London", "Havering"):
        c = compare("PrevRegCPR", 2025, borough)
        assert (c.region.area_code, c.region.area_name) == ("E12000007", "London")
        assert c.region.value == Decimal("19.2")
    assert compare("PrevRegCPR", 2025, "Barnsley").region.area_code == "E12000003"


def test_compare_is_for_a_council() -> None:
    with pytest.raises(CasetimeError, match=r"^London \(E12000007\) is not a local authority"):
        compare("RevCP", 2025, "London")


# ---------------------------------------------------------------------------
# (f) suppressed values
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("measure", "year", "area", "code", "numerator", "denominator"),
    [
        ("CPPlans2yrsActive", 2025, "Barnet", "c", None, 225),
        ("PrevRegCPR", 2016, "Isles of Scilly", "z", 0, 0),
        ("PrevRegCPR", 2024, "Hampshire", "u", None, None),
        ("10_ICPC", 2024, "Hampshire", "u", None, None),
        ("RevCP", 2016, "Isles of Scilly", "-", 0, 0),
        ("RevCP", 2024, "Hampshire", "-", None, None),
    ],
)
def test_a_suppressed_value_is_none_with_its_code(
    measure: str, year: int, area: str, code: str, numerator: int | None, denominator: int | None
) -> None:
    f = figure(measure, year, area)
    assert (f.value, f.suppression, f.numerator, f.denominator) == (None, code, numerator, denominator)


def test_suppressed_values_are_left_out_of_quartiles_and_neighbour_means() -> None:
    c = compare("CPPlans2yrsActive", 2025, "Barnet")
    assert (c.council.value, c.council.suppression, c.quartile) == (None, "c", None)
    assert c.quartiles.count == len(la_values("CPPlans2yrsActive", 2025)) == 94
    shown = [f.value for f in c.neighbours if f.value is not None]
    assert c.neighbour_count == len(shown) < len(c.neighbours)
    assert c.neighbour_mean == sum((Fraction(v) for v in shown), Fraction(0)) / len(shown)


# ---------------------------------------------------------------------------
# (g) the packaged files are what the script makes
# ---------------------------------------------------------------------------


@pytest.mark.skipif(not SOURCE.is_dir(), reason=f"the DfE extract ({SOURCE}) is not on this machine")
def test_packaged_files_are_what_make_published_makes(tmp_path: Path) -> None:
    script = REPO / "tests" / "data" / "make_published.py"
    subprocess.run([sys.executable, str(script), str(SOURCE), "--out", str(tmp_path)], check=True, capture_output=True)
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == sorted(p.name for p in PACKAGED.iterdir())
    for name in made:
        fresh, shipped = (tmp_path / name).read_bytes(), (PACKAGED / name).read_bytes()
        if name.endswith(".gz"):
            assert shipped[3] == 0, "the gzip header names no file"
            assert shipped[4:8] == b"\0\0\0\0", "the gzip header's time is 0"
            fresh, shipped = gzip.decompress(fresh), gzip.decompress(shipped)
        assert fresh == shipped, f"{name} differs: remake it with python tests/data/make_published.py"


# ---------------------------------------------------------------------------
# (h) nothing is loaded at import
# ---------------------------------------------------------------------------


def test_the_data_is_read_on_first_use_and_once() -> None:
    code = """
import os, sys
opened = []
folder = os.sep + "dfe" + os.sep
sys.addaudithook(lambda event, args: opened.append(os.path.basename(str(args[0])))
                 if event == "open" and folder in str(args[0]) else None)
import casetime.published as p
assert opened == [], opened
assert 'RevCP' in p.MEASURES
first = sorted(opened)
p.figure('RevCP', 2025, 'Barnet'); p.compare('RevCP', 2025, 'Barnet'); len(p.MEASURES)
print(first, sorted(opened))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    files = "['figures.csv.gz', 'measures.csv', 'neighbours.csv.gz']"
    assert done.stdout.strip() == f"{files} {files}"
