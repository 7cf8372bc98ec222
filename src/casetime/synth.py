"""Synthetic case extracts: realistic, seeded, any size, with data-quality faults on request.

Everything this module makes is **synthetic**: no record describes a real child,
family or council, and the child ids (``C000123``) are random labels. It exists
for demonstrations, tests and benchmarks.

:func:`generate` simulates one financial year of a council's children's social
care, vectorised with numpy and driven by one ``numpy.random.default_rng(seed)``,
so the same arguments give the same arrays bit for bit:

- referrals, with fewer at weekends, a peak on the first working day after a
  weekend or bank holiday, and dips in August and over Christmas; a ``team``
  per child;
- initial assessments for most referrals (roughly 60-75% within 7 working days,
  with a late tail), core assessments for a subset (about 80% within 35 working
  days), or single assessments (45 working days) from 2013/14;
- section 47 enquiries, initial child protection conferences (mostly within 15
  working days) and child protection plans of realistic length (median about 9
  months, 10-15% lasting 2 years or more), some children with a previous plan;
- plans that started in earlier years (with their referrals), records still
  open at the end of the year (31 March, the extract date).

>>> extract = generate(500, financial_year=2008, seed=1)
>>> sorted(extract)
['core_assessment', 'cpp', 'initial_assessment', 'referral', 's47']
>>> list(extract["initial_assessment"])
['child_id', 'referral_date', 'start_date', 'completion_date', 'team']
>>> referred = extract["referral"]["referral_date"]
>>> int(((referred >= np.datetime64("2008-04-01")) & (referred <= np.datetime64("2009-03-31"))).sum())
500
>>> again = generate(500, financial_year=2008, seed=1)
>>> np.array_equal(again["cpp"]["end_date"].view("i8"), extract["cpp"]["end_date"].view("i8"))  # bit for bit
True
"""

from __future__ import annotations

import csv
import datetime as _dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from casetime._compat import as_intp
from casetime.calendar import WorkingCalendar, as_calendar
from casetime.cells import safe_cell
from casetime.dates import EPOCH_ORDINAL, MISSING, date_from_day, weekday
from casetime.errors import CasetimeError
from casetime.sample import SAMPLE_COMMAND, package_sample_dir
from casetime.schema import SCHEMAS
from casetime.tables import Table

__all__ = [
    "DEFAULT_TEAMS",
    "SAMPLE_PARAMETERS",
    "SINGLE_ASSESSMENT_FROM",
    "SyntheticExtract",
    "generate",
    "to_tables",
    "write_csv",
    "write_cin_xml",
    "write_annex_a",
    "write_sample",
]

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
Columns = dict[str, npt.NDArray[Any]]

#: The teams used when none are given.
DEFAULT_TEAMS: Final[tuple[str, ...]] = ("North", "South", "East", "West")
#: The first financial year with single assessments instead of initial and core assessments.
SINGLE_ASSESSMENT_FROM: Final = 2013
#: The parameters of the bundled sample extract (see :func:`write_sample`).
SAMPLE_PARAMETERS: Final[Mapping[str, Any]] = {
    "n_referrals": 4000,
    "financial_year": 2008,
    "seed": 2008,
    "fault_rate": 0.005,
}

# --- the model: every number that shapes the data, in one place -------------------------------
# Referral volume: weight of a day, by weekday (Monday first) for non-working days ...
_WEEKEND_WEIGHT: Final = (0.15, 0.15, 0.15, 0.15, 0.15, 0.12, 0.09)
# ... and for working days, before the lift after days off (1 + _CATCH_UP per preceding day off).
_WORKDAY_WEIGHT: Final = (1.0, 1.02, 1.0, 0.98, 0.92, 1.0, 1.0)
_CATCH_UP: Final = 0.15
# Seasonal factor by calendar month (January first): summer-holiday dip in August, low December.
_MONTH_WEIGHT: Final = (1.00, 1.02, 1.04, 0.96, 1.03, 1.05, 1.02, 0.80, 1.00, 1.07, 1.08, 0.93)
_CHRISTMAS_WEIGHT: Final = 0.5  # 22 December to 1 January

_P_FIRST_REFERRAL: Final = 0.78  # share of referrals that are the child's first in the simulated window
_REPEAT_MIN_GAP: Final = 14  # days between a child's first referral and a repeat one, at least
_P_ASSESSMENT: Final = 0.70  # referrals going on to an initial (or single) assessment
_P_S47: Final = 0.20  # assessed referrals leading to a section 47 enquiry
_P_CORE: Final = 0.19  # other assessed referrals leading to a core assessment
_P_ICPC: Final = 0.50  # s47 enquiries leading to an initial child protection conference
_P_PLAN: Final = 0.87  # conferences deciding on a plan
_P_PREVIOUS_PLAN: Final = 0.16  # plans whose child had an earlier plan (before the constraints below)
_P_END_AT_REVIEW: Final = 0.6  # plans ending at a review conference rather than in between
_PLAN_MEDIAN_DAYS: Final = 245.0  # lognormal plan length before the review effect
_PLAN_SIGMA: Final = 0.88
_TEAM_SPREAD: Final = 0.12  # lognormal spread of the teams' speed

_RUN_IN_DAYS: Final = 183  # referrals simulated in full before the year (work carried into it)
_HISTORY_DAYS: Final = 6 * 365  # earlier plan-bound referrals, for plans open at the start of the year
_PREVIOUS_SPAN_DAYS: Final = 2000  # how far before its referral a previous plan can reach
_FORWARD_DAYS: Final = 400  # how far after the year the simulation counts working days

# Faults each record type can receive (one per faulty record), see docs/synthetic.md.
_FAULTS: Final[dict[str, tuple[str, ...]]] = {
    "referral": ("closure_before_referral", "duplicate"),
    "initial_assessment": ("completion_before_start", "missing_start", "duplicate"),
    "core_assessment": ("completion_before_start", "missing_start", "duplicate"),
    "single_assessment": ("completion_before_start", "missing_start", "duplicate"),
    "s47": ("conference_before_start", "missing_start", "duplicate"),
    "cpp": ("end_before_start", "same_day_end", "duplicate"),
}
_GARBAGE: Final = ("unknown", "TBC", "n/a", "see case notes", "00/00/0000", "?")
_OUTPUT_ORDER: Final = ("referral", "initial_assessment", "core_assessment", "single_assessment", "s47", "cpp")


class SyntheticExtract(dict[str, Columns]):
    """What :func:`generate` returns: record type -> standard columns as numpy arrays.

    A plain ``dict`` that also remembers how it was made (``n_referrals``,
    ``financial_year``, ``seed``, ``fault_rate``), so that :func:`write_csv`
    can add the CSV-only faults at the same rate and from the same seed.
    Dates are ``datetime64[D]`` with ``NaT`` for missing; ``child_id``,
    ``team`` and ``review_dates`` (``;``-separated ISO dates) are strings.
    """

    def __init__(
        self, tables: Mapping[str, Columns], *, n_referrals: int, financial_year: int, seed: int, fault_rate: float
    ) -> None:
        super().__init__(tables)
        self.n_referrals = n_referrals
        self.financial_year = financial_year
        self.seed = seed
        self.fault_rate = fault_rate

    def __repr__(self) -> str:
        sizes = ", ".join(f"{k}: {len(v['child_id'])}" for k, v in self.items())
        return (
            f"<SyntheticExtract {self.financial_year}/{(self.financial_year + 1) % 100:02d} "
            f"seed={self.seed} fault_rate={self.fault_rate} ({sizes})>"
        )


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def _day(value: _dt.date) -> int:
    return value.toordinal() - EPOCH_ORDINAL


def _as_dates(days: I64) -> npt.NDArray[np.datetime64]:
    return days.astype(np.int64).view("M8[D]")


def _after(cal: WorkingCalendar, start: I64, n: I64) -> I64:
    """``start`` plus ``n`` working days (day 0: the n-th working day after it); ``n == 0`` is ``start`` itself."""
    if start.size == 0:
        return start.copy()
    due = np.asarray(cal.add_working_days(_as_dates(start), np.maximum(n, 1))).view(np.int64)
    return np.where(n == 0, start, due)


def _lognormal_days(rng: np.random.Generator, median: float, sigma: float, mult: F64) -> F64:
    return np.rint(rng.lognormal(np.log(median), sigma, mult.shape[0]) * mult)


def _deadline_pull(rng: np.random.Generator, days: I64, limit: int, reach: int, p: float) -> I64:
    """Move some just-late durations onto the limit: work finished on the due date under target pressure."""
    pull = (days > limit) & (days <= limit + reach) & (rng.random(days.shape[0]) < p)
    return np.where(pull, limit, days)


def _day_weights(days: I64, cal: WorkingCalendar) -> F64:
    """Relative referral volume of each day: weekday, catch-up after days off, month, Christmas."""
    dates = _as_dates(days)
    day_of_week = weekday(days)
    working = np.asarray(cal.is_working_day(dates).filled(False), dtype=bool)
    previous = np.asarray(cal.previous_working_day(dates)).view(np.int64)
    days_off_before = days - previous - 1
    on = np.asarray(_WORKDAY_WEIGHT)[day_of_week] * (1.0 + _CATCH_UP * days_off_before)
    off = np.asarray(_WEEKEND_WEIGHT)[day_of_week]
    months = dates.astype("M8[M]")
    month = months.view(np.int64) % 12
    day_of_month = days - months.astype("M8[D]").view(np.int64) + 1
    christmas = ((month == 11) & (day_of_month >= 22)) | ((month == 0) & (day_of_month == 1))
    season = np.asarray(_MONTH_WEIGHT)[month] * np.where(christmas, _CHRISTMAS_WEIGHT, 1.0)
    return np.asarray(np.where(working, on, off) * season, dtype=np.float64)


def _speed(ref: I64, fy_start: int, team: I64, team_mult: F64) -> F64:
    """Duration multiplier: a team's speed, improvement through the year, slower in August and late December."""
    year_fraction = np.clip((ref - fy_start) / 365.25, -1.0, 1.0)
    trend = 1.10 - 0.15 * year_fraction
    dates = _as_dates(ref)
    months = dates.astype("M8[M]")
    month = months.view(np.int64) % 12
    day_of_month = ref - months.astype("M8[D]").view(np.int64) + 1
    holiday = (month == 7) | ((month == 11) & (day_of_month >= 15))
    return trend * np.where(holiday, 1.12, 1.0) * team_mult[team]


def _uniform(rng: np.random.Generator, size: int) -> F64:
    return np.asarray(rng.random(size), dtype=np.float64)


def _choice(rng: np.random.Generator, p: Sequence[float], size: int) -> I64:
    return rng.choice(len(p), size=size, p=np.asarray(p) / np.sum(p)).astype(np.int64)


def _group_overlaps(key: I64, start: I64, end: I64) -> npt.NDArray[np.bool_]:
    """Plans that start on or before the end of an earlier plan of the same child (in input order)."""
    n = key.shape[0]
    if n == 0:
        return np.zeros(0, dtype=bool)
    order = np.lexsort((np.arange(n), start, key))
    k, s, e = key[order], start[order], end[order]
    rank = np.concatenate(([0], np.cumsum(k[1:] != k[:-1]))).astype(np.int64)
    shift = 1 << 24  # larger than any span of day numbers used here
    running = np.maximum.accumulate(e + rank * shift) - rank * shift
    same = np.concatenate(([False], k[1:] == k[:-1]))
    prior_end = np.concatenate(([np.iinfo(np.int64).min], running[:-1]))
    clash = same & (s <= prior_end)
    out = np.zeros(n, dtype=bool)
    out[order] = clash
    return out


# ---------------------------------------------------------------------------
# the generator
# ---------------------------------------------------------------------------


def _referral_days(
    rng: np.random.Generator, cal: WorkingCalendar, n: int, fy_start: int, fy_end: int
) -> tuple[I64, I64]:
    """Sorted referral days: the run-in and the year (exactly ``n`` in it), and earlier plan-bound referrals."""
    window_start = fy_start - _RUN_IN_DAYS
    days = np.arange(window_start - _HISTORY_DAYS, fy_end + 1, dtype=np.int64)
    weight = _day_weights(days, cal)
    in_year = days >= fy_start
    rate = n * weight / weight[in_year].sum()
    counts = np.zeros(days.shape[0], dtype=np.int64)
    counts[in_year] = rng.multinomial(n, weight[in_year] / weight[in_year].sum())
    run_in = (days >= window_start) & ~in_year
    counts[run_in] = rng.poisson(rate[run_in])
    history = days < window_start
    history_counts = rng.poisson(rate[history] * _P_ASSESSMENT * _P_S47 * _P_ICPC * _P_PLAN)
    return np.repeat(days[~history], as_intp(counts[~history])), np.repeat(days[history], as_intp(history_counts))


def _children(rng: np.random.Generator, ref: I64) -> I64:
    """A child key per referral (sorted by day): the row of the child's first referral.

    A repeat referral picks a child first referred at least :data:`_REPEAT_MIN_GAP`
    days earlier; no child is referred twice on one day.
    """
    m = ref.shape[0]
    first = _uniform(rng, m) < _P_FIRST_REFERRAL
    u_pick = _uniform(rng, m)

    def available(is_first: npt.NDArray[np.bool_]) -> I64:
        return np.searchsorted(ref[is_first], ref - _REPEAT_MIN_GAP, side="right").astype(np.int64)

    first |= available(first) == 0
    n_avail = available(first)
    first_rows = np.flatnonzero(first)
    key = np.arange(m, dtype=np.int64)
    repeat = np.flatnonzero(~first)
    if repeat.size:
        pos = np.minimum((u_pick[repeat] * n_avail[repeat]).astype(np.int64), n_avail[repeat] - 1)
        key[repeat] = first_rows[pos]
    order = np.lexsort((ref, key))
    same_day = np.flatnonzero((key[order][1:] == key[order][:-1]) & (ref[order][1:] == ref[order][:-1]))
    key[order[same_day + 1]] = order[same_day + 1]  # two repeats of a child on one day: the later is a new child
    return key


def _reviews_and_ends(rng: np.random.Generator, length: I64) -> tuple[I64, I64]:
    """Review days and end day of each plan, relative to its start.

    The first review comes within about 3 months, later ones about every 6
    months (a few late); most plans end at the first review on or after their
    drawn ``length``, the others at ``length`` itself.
    """
    n = length.shape[0]
    k = int(length.max()) // 150 + 3 if n else 1  # enough reviews to pass every length
    first = np.where(rng.random(n) < 0.06, rng.integers(91, 136, n), rng.integers(56, 91, n))
    late = rng.random((n, k - 1)) < 0.06
    gaps = np.where(late, rng.integers(183, 241, late.shape), rng.integers(150, 183, late.shape))
    reviews = np.cumsum(np.concatenate((first[:, None], gaps), axis=1), axis=1).astype(np.int64)
    following = reviews[np.arange(n), np.minimum((reviews < length[:, None]).sum(axis=1), k - 1)]
    return reviews, np.where(rng.random(n) < _P_END_AT_REVIEW, following, length).astype(np.int64)


def _check_arguments(
    n_referrals: object, financial_year: object, seed: object, fault_rate: object, teams: object
) -> tuple[int, int, int, float, tuple[str, ...]]:
    if isinstance(n_referrals, bool) or not isinstance(n_referrals, (int, np.integer)) or n_referrals < 0:
        raise CasetimeError(f"n_referrals must be a whole number >= 0, not {n_referrals!r}")
    if (
        isinstance(financial_year, bool)
        or not isinstance(financial_year, (int, np.integer))
        or not 1900 <= financial_year <= 2200
    ):
        raise CasetimeError(f"financial_year must be a year such as 2008 (for 2008/09), not {financial_year!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise CasetimeError(f"seed must be a whole number >= 0, not {seed!r}")
    if isinstance(fault_rate, bool) or not isinstance(fault_rate, (int, float, np.floating, np.integer)):
        raise CasetimeError(f"fault_rate must be a number between 0 and 1, not {fault_rate!r}")
    if not 0.0 <= float(fault_rate) <= 1.0:
        raise CasetimeError(f"fault_rate must be between 0 and 1, not {fault_rate!r}")
    if isinstance(teams, str) or not isinstance(teams, Sequence):
        raise CasetimeError(f"teams must be a sequence of team names, not {teams!r}")
    names = tuple(str(t) for t in teams)
    if not names or any(not t.strip() for t in names) or len(set(names)) != len(names):
        raise CasetimeError(f"teams must be distinct, non-blank names, not {teams!r}")
    return int(n_referrals), int(financial_year), int(seed), float(fault_rate), names


def generate(
    n_referrals: int = 4000,
    *,
    financial_year: int = 2008,
    seed: int = 0,
    fault_rate: float = 0.0,
    teams: Sequence[str] = DEFAULT_TEAMS,
    calendar: WorkingCalendar | None = None,
) -> SyntheticExtract:
    """A synthetic extract for the financial year starting 1 April ``financial_year``.

    Parameters
    ----------
    n_referrals:
        Referrals received in the year (exactly this many have a referral date
        in the year when ``fault_rate`` is 0). The extract also holds earlier
        referrals whose work runs into the year, and the referrals of plans
        that started earlier.
    financial_year:
        2008 means 2008/09 (1 April 2008 to 31 March 2009, the extract date:
        nothing after it has happened yet). From 2013 (see
        :data:`SINGLE_ASSESSMENT_FROM`) assessments are single assessments.
    seed:
        Seed of ``numpy.random.default_rng``: the same arguments give the same
        arrays bit for bit.
    fault_rate:
        Share of records (per record type) given one data-quality fault:
        completion before start, a missing start date, a plan ending before it
        starts or on the day it starts, a closure before the referral, conference
        before the enquiry, or a duplicate row. :func:`write_csv` adds unreadable
        dates in the CSV text at the same rate.
    teams:
        Team names; each child belongs to one team, and teams differ in speed.
    calendar:
        The working-day calendar for durations (England and Wales by default).

    Returns a :class:`SyntheticExtract`: record type -> columns (``child_id``, the
    record type's standard date columns as ``datetime64[D]``, ``review_dates``
    for plans, then ``team``).

    >>> e = generate(300, seed=7)
    >>> e["cpp"]["review_dates"].dtype.kind, e["referral"]["closure_date"].dtype
    ('U', dtype('<M8[D]'))
    """
    n, fy, seed, f, team_names = _check_arguments(n_referrals, financial_year, seed, fault_rate, teams)
    cal = as_calendar(calendar)
    fy_start, fy_end = _day(_dt.date(fy, 4, 1)), _day(_dt.date(fy + 1, 3, 31))
    window_start = fy_start - _RUN_IN_DAYS
    history_start = window_start - _HISTORY_DAYS
    lo, hi = history_start - _PREVIOUS_SPAN_DAYS, fy_end + _FORWARD_DAYS
    if not (_day(cal.start) <= lo and hi <= _day(cal.end)):
        lo_d, hi_d = date_from_day(lo), date_from_day(hi)
        raise CasetimeError(
            f"financial year {fy} needs a calendar covering {lo_d} to {hi_d} (its history and what follows); "
            f"the calendar {cal.name!r} covers {cal.start} to {cal.end}: pass calendar=england(start=..., end=...)"
        )
    rng = np.random.default_rng(seed)
    n_teams = len(team_names)
    team_p = 1.0 / (1.0 + 0.2 * np.arange(n_teams))
    team_mult = np.exp(rng.normal(0.0, _TEAM_SPREAD, n_teams))

    # -- referral dates: the year (exactly n), the run-in before it, and earlier plan-bound referrals
    ref, href = _referral_days(rng, cal, n, fy_start, fy_end)
    m, h = ref.shape[0], href.shape[0]

    # -- children: first referrals and repeats; teams per child
    key = _children(rng, ref)
    child_team = _choice(rng, team_p.tolist(), m + h)
    team = child_team[key]
    hkey = m + np.arange(h, dtype=np.int64)
    hteam = child_team[hkey]

    # -- the window's pipeline: assessment, s47, conference, plan
    speed = _speed(ref, fy_start, team, team_mult)
    assessed = rng.random(m) < _P_ASSESSMENT
    s47 = assessed & (rng.random(m) < _P_S47)
    single = fy >= SINGLE_ASSESSMENT_FROM
    if single:
        a_days = _lognormal_days(rng, 24.0, 0.55, speed).astype(np.int64)
        a_days = np.clip(_deadline_pull(rng, a_days, 45, 5, 0.3), 1, 150)
        core = np.zeros(m, dtype=bool)
    else:
        mix = _choice(rng, (0.14, 0.72, 0.14), m)
        quick = rng.integers(0, 2, m)
        main = _lognormal_days(rng, 5.6, 0.5, speed * np.where(s47, 0.6, 1.0))
        late = 8 + _lognormal_days(rng, 7.0, 0.8, speed)
        a_days = np.select([mix == 0, mix == 1], [quick, main], late).astype(np.int64)
        a_days = np.clip(_deadline_pull(rng, a_days, 7, 3, 0.35), 0, 60)
        core = s47 | (assessed & (_uniform(rng, m) < _P_CORE))
    a_start_off = np.minimum(_choice(rng, (0.6, 0.3, 0.1), m), a_days)
    a_start = _after(cal, ref, a_start_off)
    a_done = _after(cal, ref, a_days)
    s47_start = _after(cal, ref, _choice(rng, (0.55, 0.25, 0.12, 0.08), m))
    ca_start = np.where(s47, s47_start, _after(cal, a_done, _choice(rng, (0.4, 0.2, 0.15, 0.1, 0.1, 0.05), m)))
    ca_days = _lognormal_days(rng, 21.0, 0.6, speed).astype(np.int64)
    ca_days = np.clip(_deadline_pull(rng, ca_days, 35, 5, 0.3), 1, 100)
    ca_done = _after(cal, ca_start, ca_days)
    icpc = s47 & (rng.random(m) < _P_ICPC)
    icpc_days = np.clip(_lognormal_days(rng, 10.0, 0.45, speed), 1, 60).astype(np.int64)
    conference = _after(cal, s47_start, icpc_days)
    planned = icpc & (rng.random(m) < _P_PLAN)

    # -- earlier plan-bound referrals (their assessments finished before the run-in)
    h_s47 = _after(cal, href, _choice(rng, (0.55, 0.25, 0.12, 0.08), h))
    h_speed = _speed(href, fy_start, hteam, team_mult)
    h_conf = _after(cal, h_s47, np.clip(_lognormal_days(rng, 10.0, 0.45, h_speed), 1, 60).astype(np.int64))

    # -- plans: window, history (only those that can reach the year), then previous plans of their children
    w_rows = np.flatnonzero(planned)
    p_key = np.concatenate((key[w_rows], hkey))
    p_team = np.concatenate((team[w_rows], hteam))
    p_ref = np.concatenate((ref[w_rows], href))
    p_start = np.concatenate((conference[w_rows], h_conf))
    p_origin = np.concatenate((w_rows, m + np.arange(h, dtype=np.int64)))  # row in window + history referrals
    p_len = np.clip(np.rint(rng.lognormal(np.log(_PLAN_MEDIAN_DAYS), _PLAN_SIGMA, p_key.shape[0])), 7, 2920)
    reach = (p_origin < m) | (p_start + p_len + 240 >= fy_start)
    p_key, p_team, p_ref, p_start, p_origin, p_len = (
        a[reach] for a in (p_key, p_team, p_ref, p_start, p_origin, p_len)
    )
    n_main = p_key.shape[0]
    has_prev = rng.random(n_main) < _P_PREVIOUS_PLAN
    prev_gap = rng.integers(60, 900, n_main)
    prev_len = np.clip(np.rint(rng.lognormal(np.log(_PLAN_MEDIAN_DAYS), _PLAN_SIGMA, n_main)), 7, 730)
    prev_lead = rng.integers(7, 36, n_main)
    prev_end_target = p_ref - prev_gap
    prev_start = (prev_end_target - prev_len).astype(np.int64)
    prev_ref = prev_start - prev_lead
    has_prev &= prev_ref < fy_start - 300  # so previous plans (and referrals) stay out of the year's referrals
    q = np.flatnonzero(has_prev)
    all_key = np.concatenate((p_key, p_key[q]))
    all_team = np.concatenate((p_team, p_team[q]))
    all_ref = np.concatenate((p_ref, prev_ref[q]))
    all_start = np.concatenate((p_start, prev_start[q]))
    all_len = np.concatenate((p_len, prev_len[q])).astype(np.int64)
    n_plans = all_key.shape[0]
    successor = np.concatenate((np.full(n_main, -1, dtype=np.int64), q))

    review_rel, end_rel = _reviews_and_ends(rng, all_len)
    all_end = all_start + end_rel
    kept = ~_group_overlaps(all_key, all_start, all_end)
    live = kept & (all_start <= fy_end) & (all_end >= fy_start)
    emitted = live.copy()
    emitted[n_main:] = kept[n_main:] & (live[n_main:] | live[successor[n_main:]])

    # -- closures: after the last piece of work, or still open
    last = ref.copy()
    last = np.where(assessed, np.maximum(last, a_done), last)
    last = np.where(core & assessed, np.maximum(last, ca_done), last)
    last = np.where(icpc, np.maximum(last, conference), last)
    h_last = h_conf.copy()
    main_kept = kept[:n_main]
    in_window = p_origin < m
    last[p_origin[in_window & main_kept]] = np.maximum(
        last[p_origin[in_window & main_kept]], all_end[:n_main][in_window & main_kept]
    )
    h_rows = p_origin[~in_window & main_kept] - m
    h_last[h_rows] = np.maximum(h_last[h_rows], all_end[:n_main][~in_window & main_kept])
    closure = last + np.where(assessed, rng.integers(0, 46, m), rng.integers(0, 11, m))
    h_closure = h_last + rng.integers(0, 46, h)
    prev_closure = all_end[n_main:] + rng.integers(0, 46, n_plans - n_main)

    # -- what the extract holds: records live in the year, and the history of children on plans in it
    ref_out = closure >= fy_start
    h_out = np.zeros(h, dtype=bool)
    h_out[p_origin[~in_window & emitted[:n_main]] - m] = True
    ia_out = assessed & (a_done >= fy_start)
    ca_out = core & assessed & (ca_start <= fy_end) & (ca_done >= fy_start)
    s47_out = s47 & (s47_start <= fy_end) & ((s47_start >= fy_start) | (icpc & (conference >= fy_start)))

    def cut(values: I64) -> I64:
        """Dates after the extract date have not happened yet."""
        return np.where(values > fy_end, MISSING, values)

    tables: dict[str, dict[str, I64]] = {}
    tables["referral"] = {
        "_key": np.concatenate((key[ref_out], hkey[h_out], all_key[n_main:][emitted[n_main:]])),
        "referral_date": np.concatenate((ref[ref_out], href[h_out], all_ref[n_main:][emitted[n_main:]])),
        "closure_date": cut(np.concatenate((closure[ref_out], h_closure[h_out], prev_closure[emitted[n_main:]]))),
        "_team": np.concatenate((team[ref_out], hteam[h_out], all_team[n_main:][emitted[n_main:]])),
    }
    assessment = {"_key": key[ia_out], "referral_date": ref[ia_out], "start_date": cut(a_start[ia_out])}
    assessment |= {"completion_date": cut(a_done[ia_out]), "_team": team[ia_out]}
    if single:
        tables["single_assessment"] = assessment
    else:
        tables["initial_assessment"] = assessment
        tables["core_assessment"] = {
            "_key": key[ca_out],
            "referral_date": ref[ca_out],
            "start_date": ca_start[ca_out],
            "completion_date": cut(ca_done[ca_out]),
            "_team": team[ca_out],
        }
    tables["s47"] = {
        "_key": key[s47_out],
        "referral_date": ref[s47_out],
        "start_date": s47_start[s47_out],
        "conference_date": cut(np.where(icpc, conference, MISSING)[s47_out]),
        "_team": team[s47_out],
    }
    e_rows = np.flatnonzero(emitted)
    e_end = all_end[e_rows]
    tables["cpp"] = {
        "_key": all_key[e_rows],
        "referral_date": all_ref[e_rows],
        "start_date": all_start[e_rows],
        "end_date": cut(e_end),
        "_team": all_team[e_rows],
    }
    review_abs = all_start[e_rows, None] + review_rel[e_rows]
    review_abs = np.where(review_abs <= np.minimum(e_end, fy_end)[:, None], review_abs, MISSING)

    # -- order, faults, labels
    out: dict[str, Columns] = {}
    ids = _child_ids(rng, tables)
    team_labels = np.asarray(team_names, dtype=str)
    for kind in _OUTPUT_ORDER:
        if kind not in tables:
            continue
        cols = tables[kind]
        schema = SCHEMAS[kind]
        order = np.argsort(cols[schema.clock[0]], kind="stable")
        cols = {k: v[order] for k, v in cols.items()}
        reviews = review_abs[order] if kind == "cpp" else None
        cols, rows = _inject_faults(rng, kind, cols, f)
        result: Columns = {"child_id": ids[kind][order][rows]}
        for name in schema.dates:
            result[name] = _as_dates(cols[name])
        if reviews is not None:
            result["review_dates"] = _review_strings(reviews[rows])
        result["team"] = team_labels[cols["_team"]]
        out[kind] = result
    return SyntheticExtract(out, n_referrals=n, financial_year=fy, seed=seed, fault_rate=f)


def _child_ids(rng: np.random.Generator, tables: Mapping[str, Mapping[str, I64]]) -> dict[str, npt.NDArray[np.str_]]:
    """Random ``C000123``-style labels for the children appearing in the tables."""
    keys = [t["_key"] for t in tables.values()]
    sizes = [k.shape[0] for k in keys]
    uniq, inverse = np.unique(np.concatenate(keys), return_inverse=True)
    width = max(6, len(str(uniq.shape[0])))
    numbers = rng.permutation(uniq.shape[0]) + 1
    labels = np.strings.add("C", np.strings.zfill(numbers.astype(str), width)) if numbers.size else np.empty(0, "<U7")
    parts = np.split(labels[inverse], np.cumsum(sizes)[:-1])
    return dict(zip(tables, parts, strict=True))


def _review_strings(reviews: I64) -> npt.NDArray[np.str_]:
    """``;``-separated ISO dates per row; the present dates of a row come first, then :data:`MISSING`."""
    count = (reviews != MISSING).sum(axis=1)
    width = int(count.max()) if count.size else 0
    if width == 0:
        return np.full(reviews.shape[0], "", dtype="<U1")
    text = np.datetime_as_string(_as_dates(np.ascontiguousarray(reviews[:, :width])), unit="D").astype("S10")
    buffer = np.full((reviews.shape[0], width, 11), ord(";"), dtype=np.uint8)
    buffer[:, :, :10] = text.view(np.uint8).reshape(reviews.shape[0], width, 10)
    flat = buffer.reshape(reviews.shape[0], width * 11)
    flat[np.arange(width * 11)[None, :] >= (11 * count - 1)[:, None]] = 0  # the bytes dtype drops trailing NULs
    return np.asarray(flat.view(f"S{width * 11}").ravel().astype(f"<U{width * 11}"), dtype=str)


def _inject_faults(
    rng: np.random.Generator, kind: str, cols: dict[str, I64], rate: float
) -> tuple[dict[str, I64], I64]:
    """Give about ``rate`` of the rows one fault each; return the columns and the row order (duplicates repeated)."""
    n = cols["_key"].shape[0]
    faulty = rng.random(n) < rate
    which = rng.integers(0, len(_FAULTS[kind]), n)
    shift = np.asarray(rng.integers(1, 11, n), dtype=np.int64)
    cols = {k: v.copy() for k, v in cols.items()}
    start_name, stop_name = SCHEMAS[kind].clock
    start, stop = cols[start_name], cols[stop_name]
    has_start = start != MISSING
    for index, fault in enumerate(_FAULTS[kind]):
        rows = faulty & (which == index)
        if fault in ("completion_before_start", "conference_before_start", "closure_before_referral"):
            rows &= has_start
            stop[rows] = start[rows] - shift[rows]
        elif fault == "end_before_start":
            rows &= has_start
            stop[rows] = start[rows] - 3 * shift[rows]
        elif fault == "same_day_end":
            stop[rows] = start[rows]
        elif fault == "missing_start":
            start[rows] = MISSING
    dup = faulty & (which == _FAULTS[kind].index("duplicate"))
    rows = np.sort(np.concatenate((np.arange(n, dtype=np.int64), np.flatnonzero(dup))), kind="stable")
    return {k: v[rows] for k, v in cols.items()}, rows


# ---------------------------------------------------------------------------
# tables and files
# ---------------------------------------------------------------------------


def to_tables(extract: Mapping[str, Mapping[str, Any]]) -> dict[str, Table]:
    """The extract as :class:`~casetime.tables.Table` objects, one per record type.

    >>> tables = to_tables(generate(200, seed=3))
    >>> tables["cpp"].reviews is not None, sorted(tables["referral"].extra)
    (True, ['team'])
    """
    return {kind: Table.from_columns(kind, cols, source=f"synthetic {kind}") for kind, cols in extract.items()}


def _text_column(values: npt.NDArray[Any]) -> npt.NDArray[np.object_]:
    """The cells of one column as text: ISO dates (blank for missing), other values through ``safe_cell``."""
    if values.dtype.kind == "M":
        text = np.datetime_as_string(values.astype("M8[D]"), unit="D")
        return np.where(np.isnat(values), "", text).astype(object)
    raw = np.asarray(values, dtype=object)
    raw = np.where(raw == None, "", raw).astype(str)  # noqa: E711 (elementwise comparison)
    if raw.size == 0:
        return np.empty(0, dtype=object)
    uniq, inverse = np.unique(raw, return_inverse=True)
    safe = np.array([safe_cell(u) for u in uniq.tolist()], dtype=object)
    return np.asarray(safe[inverse], dtype=object)


def _years(cols: Mapping[str, Any], names: Sequence[str], pick: I64, which: I64) -> I64:
    """The year of the date cell chosen in each picked row (2000 where that cell is blank)."""
    years = np.full(pick.shape[0], 2000, dtype=np.int64)
    for i, name in enumerate(names):
        col = np.asarray(cols[name]).astype("M8[D]")[pick]
        here = (which == i) & ~np.isnat(col)
        years[here] = col[here].astype("M8[Y]").view(np.int64) + 1970
    return years


def _bad_dates(rng: np.random.Generator, years: I64) -> npt.NDArray[np.str_]:
    """Unreadable date text: impossible slash dates (31/02/2009), impossible ISO dates, or words."""
    n = years.shape[0]
    if n == 0:
        return np.empty(0, dtype="<U1")
    style = rng.integers(0, 4, n)
    month = np.asarray((2, 4, 6, 9, 11))[rng.integers(0, 5, n)]
    day = np.where(month == 2, rng.integers(30, 32, n), 31)
    slash = np.strings.add(
        np.strings.add(
            np.strings.add(np.strings.zfill(day.astype(str), 2), "/"), np.strings.zfill(month.astype(str), 2)
        ),
        np.strings.add("/", years.astype(str)),
    )
    iso = np.strings.add(years.astype(str), np.where(month == 2, "-02-30", "-13-01"))
    garbage = np.asarray(_GARBAGE)[rng.integers(0, len(_GARBAGE), n)]
    return np.asarray(np.select([style <= 1, style == 2], [slash, iso], garbage), dtype=str)


def write_csv(
    extract: Mapping[str, Mapping[str, Any]],
    directory: str | Path,
    *,
    date_fault_rate: float | None = None,
    seed: int | None = None,
) -> list[Path]:
    """Write one CSV per record type (``<record_type>.csv``) into ``directory``; return the paths.

    Header row of standard column names, ISO dates, blank cells for missing
    values, ``\\n`` line ends, UTF-8. Ids and other text go through
    :func:`casetime.cells.safe_cell`. ``date_fault_rate`` (default: the
    extract's ``fault_rate``) is the share of rows per file given one unreadable
    date cell (``31/02/2009``, ``2009-13-01``, ``TBC`` ...), chosen with ``seed``
    (default: the extract's seed): these faults exist only in the text.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     [p.name for p in write_csv(generate(50, seed=1), d)]
    ['referral.csv', 'initial_assessment.csv', 'core_assessment.csv', 's47.csv', 'cpp.csv']
    """
    rate = float(getattr(extract, "fault_rate", 0.0) if date_fault_rate is None else date_fault_rate)
    if not 0.0 <= rate <= 1.0:
        raise CasetimeError(f"date_fault_rate must be between 0 and 1, not {date_fault_rate!r}")
    base_seed = int(getattr(extract, "seed", 0) if seed is None else seed)
    folder = Path(directory)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CasetimeError(f"{folder}: cannot create the directory ({exc.strerror or exc})") from None
    paths = []
    for number, (kind, cols) in enumerate(extract.items()):
        names = list(cols)
        text = {name: _text_column(np.asarray(cols[name])) for name in names}
        date_names = [c for c in SCHEMAS[kind].dates if c in cols]
        n = text[names[0]].shape[0] if names else 0
        if rate > 0 and n and date_names:
            rng = np.random.default_rng([base_seed, 1, number])
            pick = np.flatnonzero(rng.random(n) < rate)
            which = rng.integers(0, len(date_names), pick.shape[0])
            bad = _bad_dates(rng, _years(cols, date_names, pick, which))
            for i, name in enumerate(date_names):
                hit = (which == i) & (text[name][pick] != "")
                text[name][pick[hit]] = bad[hit]
        path = folder / f"{kind}.csv"
        try:
            with open(path, "w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(names)
                writer.writerows(zip(*(text[name].tolist() for name in names), strict=True))
        except OSError as exc:
            raise CasetimeError(f"{path}: cannot write ({exc.strerror or exc})") from None
        paths.append(path)
    return paths


_CIN_ELEMENTS: Final = {
    "single_assessment": ("Assessments", ("start_date", "AssessmentActualStartDate"),
                          ("completion_date", "AssessmentAuthorisationDate")),
    "s47": ("Section47", ("start_date", "S47ActualStartDate"), ("conference_date", "DateOfInitialCPC")),
    "cpp": ("ChildProtectionPlans", ("start_date", "CPPstartDate"), ("end_date", "CPPendDate")),
}  # fmt: skip


def write_cin_xml(
    extract: Mapping[str, Mapping[str, Any]],
    path: str | Path,
    *,
    reference_date: _dt.date | None = None,
    lea: str = "999",
) -> Path:
    """Write an extract as a Children in Need census XML file (what councils send DfE each year).

    One ``Child`` per child id, one ``CINdetails`` per referral (a child id and referral date: the
    referrals, and those the other records name), holding its single assessments, s47 enquiries
    and plans in the census's element order. ``reference_date`` (default: the end of the extract's
    financial year) is the header's ``ReferenceDate``. Every record needs a child id and a referral
    date (the census links them by position); initial and core assessments, of the years before
    single assessments, have no place in it and are refused, and so is the ``team`` (it is left out).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = write_cin_xml(generate(30, financial_year=2023, seed=1), Path(d) / "cin.xml")
    ...     text = p.read_text()
    >>> text.count("<Child>") > 0, "<ReferenceDate>2024-03-31</ReferenceDate>" in text
    (True, True)
    """
    stray = [k for k in extract if k not in ("referral", *_CIN_ELEMENTS)]
    if stray:
        raise CasetimeError(
            f"the census holds referrals, single assessments, s47 enquiries and plans, not {', '.join(stray)} "
            "(generate an extract of 2013/14 or later)"
        )
    if reference_date is None:
        year = int(getattr(extract, "financial_year", 0))
        if not year:
            raise CasetimeError("give reference_date= (the extract does not say its financial year)")
        reference_date = _dt.date(year + 1, 3, 31)
    # each record's (child, referral) and its fields as text
    episodes: dict[tuple[str, str], dict[str, Any]] = {}

    def iso(values: Any) -> list[str]:
        days = np.asarray(values, dtype="M8[D]")
        return [str(x) for x in np.where(np.isnat(days), "", days.astype(str)).tolist()]

    for kind in ("referral", *_CIN_ELEMENTS):
        cols = extract.get(kind)
        if cols is None:
            continue
        ids = [str(c) for c in np.asarray(cols["child_id"]).tolist()]
        refs = iso(cols["referral_date"])
        missing = [i for i, (c, r) in enumerate(zip(ids, refs, strict=True)) if not c or not r]
        if missing:
            raise CasetimeError(
                f"{kind} record {missing[0]} has no child id or referral date; the census needs both for every record"
            )
        if kind == "referral":
            closures = iso(cols["closure_date"])
            for c, r, e in zip(ids, refs, closures, strict=True):
                episodes.setdefault((c, r), {"records": []})["closure"] = e
            continue
        _, (a, _), (b, _) = _CIN_ELEMENTS[kind]
        starts, stops = iso(cols[a]), iso(cols[b])
        reviews = [str(x) for x in np.asarray(cols["review_dates"]).tolist()] if kind == "cpp" else None
        for i, key in enumerate(zip(ids, refs, strict=True)):
            episodes.setdefault(key, {"records": []})["records"].append(
                (kind, starts[i], stops[i], reviews[i] if reviews is not None else "")
            )
    order = {"single_assessment": 0, "s47": 1, "cpp": 2}
    cal = as_calendar(None)

    def target_of(start: str) -> str:  # the census's InitialCPCtarget: 15 working days after the s47 start
        day = int(np.datetime64(start, "D").astype(np.int64))
        due = int(cal.due(np.array([day]), 15)[0])
        return "" if due == MISSING else date_from_day(due).isoformat()

    def leaf(depth: int, name: str, value: str) -> str:
        return f"{'  ' * depth}<{name}>{value}</{name}>\n" if value else ""

    def episode(ref: str, found: dict[str, Any]) -> str:
        out = ["    <CINdetails>\n", leaf(3, "CINreferralDate", ref), leaf(3, "ReferralSource", "1A"),
               leaf(3, "PrimaryNeedCode", "N1"), leaf(3, "CINclosureDate", found.get("closure", ""))]  # fmt: skip
        if found.get("closure"):
            out.append(leaf(3, "ReasonForClosure", "RC8"))
        records = sorted(found["records"], key=lambda r: order[r[0]])
        nfa = "true" if not records else "false"
        for kind, start, stop, reviews in records:
            if kind == "cpp" and nfa != "written":
                out.append(leaf(3, "ReferralNFA", nfa))
                nfa = "written"
            container, (_, a_el), (_, b_el) = _CIN_ELEMENTS[kind]
            out += [f"      <{container}>\n", leaf(4, a_el, start)]
            if kind == "single_assessment":
                out += [leaf(4, b_el, stop), "        <FactorsIdentifiedAtAssessment>\n",
                        leaf(5, "AssessmentFactors", "2A"), leaf(5, "AssessmentFactors", "3A"),
                        "        </FactorsIdentifiedAtAssessment>\n"]  # fmt: skip
            elif kind == "s47":
                out += [leaf(4, "InitialCPCtarget", target_of(start)), leaf(4, b_el, stop),
                        leaf(4, "ICPCnotRequired", "false")]  # fmt: skip
            else:
                out += [leaf(4, b_el, stop), leaf(4, "InitialCategoryOfAbuse", "NEG"),
                        leaf(4, "LatestCategoryOfAbuse", "NEG"), leaf(4, "NumberOfPreviousCPP", "0"),
                        "        <Reviews>\n", *(leaf(5, "CPPreviewDate", d) for d in reviews.split(";") if d),
                        "        </Reviews>\n"]  # fmt: skip
            out.append(f"      </{container}>\n")
        if nfa != "written":
            out.append(leaf(3, "ReferralNFA", nfa))
        out.append("    </CINdetails>\n")
        return "".join(out)

    by_child: dict[str, list[str]] = {}
    for (child, ref), found in sorted(episodes.items()):
        by_child.setdefault(child, []).append(episode(ref, found))
    target = Path(path)
    try:
        with open(target, "w", encoding="utf-8", newline="\n") as out:
            out.write(
                '<?xml version="1.0" encoding="UTF-8"?>\n<Message>\n  <Header>\n    <CollectionDetails>\n'
                f"      <Collection>CIN</Collection>\n      <Year>{reference_date.year}</Year>\n"
                f"      <ReferenceDate>{reference_date.isoformat()}</ReferenceDate>\n    </CollectionDetails>\n"
                f"    <Source>\n      <SourceLevel>L</SourceLevel>\n      <LEA>{lea}</LEA>\n"
                "      <SoftwareCode>casetime.synth</SoftwareCode>\n    </Source>\n  </Header>\n  <Children>\n"
            )
            for number, (child, details) in enumerate(by_child.items()):
                born = date_from_day(int(reference_date.toordinal() - EPOCH_ORDINAL) - 365 - number % 5800)
                out.write(
                    f"  <Child>\n    <ChildIdentifiers>\n      <LAchildID>{child}</LAchildID>\n"
                    f"      <UPN>A{lea}{number:09d}</UPN>\n"
                    f"      <PersonBirthDate>{born.isoformat()}</PersonBirthDate>\n"
                    f"      <GenderCurrent>{1 + number % 2}</GenderCurrent>\n    </ChildIdentifiers>\n"
                    "    <ChildCharacteristics>\n      <Ethnicity>WBRI</Ethnicity>\n      <Disabilities>\n"
                    "        <Disability>NONE</Disability>\n      </Disabilities>\n    </ChildCharacteristics>\n"
                    + "".join(details)
                    + "  </Child>\n"
                )
            out.write("  </Children>\n</Message>\n")
    except OSError as exc:
        raise CasetimeError(f"{target}: cannot write ({exc.strerror or exc})") from None
    return target


#: The Annex A list each record type goes to, its sheet name, and its columns (heading, standard column).
_ANNEX_A: Final = {
    "referral": ("List 3 - Referrals", (("Child Unique ID", "child_id"), ("Date of referral", "referral_date"),
                                        ("Allocated Team", "team"))),
    "single_assessment": ("List 4 - Assessments", (
        ("Child Unique ID", "child_id"), ("Continuous Assessment Start Date", "start_date"),
        ("Continuous Assessment Date of Authorisation", "completion_date"), ("Allocated Team", "team"))),
    "s47": ("List 5 - Section 47", (
        ("Child Unique ID", "child_id"), ("Strategy discussion initiating Section 47 Enquiry Start Date", "start_date"),
        ("Date of Initial Child Protection Conference", "conference_date"), ("Allocated Team", "team"))),
    "cpp": ("List 7 - Child protection", (
        ("Child Unique ID", "child_id"), ("Child Protection Plan Start Date", "start_date"),
        ("Date of latest review conference", "review_dates"), ("Child Protection Plan End Date", "end_date"),
        ("Allocated Team", "team"))),
}  # fmt: skip


def write_annex_a(extract: Mapping[str, Mapping[str, Any]], path: str | Path) -> Path:
    """Write an extract as an Ofsted Annex A workbook: List 3 referrals, List 4 assessments, List 5 s47
    enquiries and List 7 plans, with the lists' own headings and real Excel dates (needs ``openpyxl``).

    Annex A keeps less than the extract: no referral closure, no referral date on an assessment (its
    start is its clock start when read back), and only a plan's latest review. Initial and core
    assessments, of the years before single assessments, have no list and are refused.
    """
    stray = [k for k in extract if k not in _ANNEX_A]
    if stray:
        raise CasetimeError(f"Annex A has no list for {', '.join(stray)} (generate an extract of 2013/14 or later)")
    try:
        from openpyxl import Workbook  # type: ignore[import-untyped]
    except ImportError:
        raise CasetimeError("writing an Annex A workbook needs openpyxl: pip install openpyxl") from None
    book = Workbook(write_only=True)
    for kind, (sheet_name, columns) in _ANNEX_A.items():
        cols = extract.get(kind)
        if cols is None:
            continue
        sheet = book.create_sheet(sheet_name)
        sheet.append([heading for heading, _ in columns])
        n = len(cols["child_id"])
        values: list[list[Any]] = []
        for _, name in columns:
            if name == "review_dates":  # the latest review only
                latest = [max(r.split(";")) if r else None for r in (str(x) for x in np.asarray(cols[name]).tolist())]
                values.append([_dt.date.fromisoformat(d) if d else None for d in latest])
            elif name in SCHEMAS[kind].dates:
                days = np.asarray(cols[name], dtype="M8[D]")
                values.append([None if np.isnat(d) else d.item() for d in days])
            else:
                values.append([str(x) for x in np.asarray(cols[name]).tolist()] if name in cols else [None] * n)
        for row in zip(*values, strict=True):
            sheet.append(list(row))
    target = Path(path)
    try:
        book.save(target)
    except OSError as exc:
        raise CasetimeError(f"{target}: cannot write ({exc.strerror or exc})") from None
    return target


# ---------------------------------------------------------------------------
# the bundled sample
# ---------------------------------------------------------------------------


def _sample_readme(extract: SyntheticExtract, paths: Sequence[Path]) -> str:
    fy = extract.financial_year
    files = "\n".join(f"  {p.name}: {len(extract[p.stem]['child_id'])} rows" for p in paths)
    return f"""casetime bundled sample extract: SYNTHETIC DATA

Every record in these files was made up by casetime.synth. No record describes a
real child, family, council or case; the child ids (C000123 ...) are random labels.

Financial year:   {fy}/{(fy + 1) % 100:02d} (1 April {fy} to 31 March {fy + 1}; the extract date is 31 March {fy + 1})
Referrals in it:  {extract.n_referrals}
Seed:             {extract.seed}
Fault rate:       {extract.fault_rate} (deliberate data-quality faults: dates out of order, missing
                  start dates, duplicate rows, and unreadable dates in the CSV text)
Teams:            {", ".join(sorted(set(np.concatenate([c["team"] for c in extract.values()]).tolist())))}

Files (one per record type; header row of standard column names, ISO dates, blank = missing):
{files}

Made with:
  {SAMPLE_COMMAND}
which runs casetime.synth.write_sample(), that is
  extract = generate({extract.n_referrals}, financial_year={fy}, seed={extract.seed}, fault_rate={extract.fault_rate})
  write_csv(extract, directory)
Running it again gives these files byte for byte (tests/test_synth.py checks this).
See docs/synthetic.md for the model behind the numbers.
"""


def write_sample(directory: str | Path | None = None) -> list[Path]:
    """Write the bundled sample extract (:data:`SAMPLE_PARAMETERS`) and its README.txt; return the paths.

    ``directory`` defaults to the package's own ``data/sample`` folder (for
    maintainers regenerating the sample after changing the generator).
    """
    folder = package_sample_dir() if directory is None else Path(directory)
    params = dict(SAMPLE_PARAMETERS)
    extract = generate(
        params["n_referrals"],
        financial_year=params["financial_year"],
        seed=params["seed"],
        fault_rate=params["fault_rate"],
    )
    paths = write_csv(extract, folder)
    readme = folder / "README.txt"
    readme.write_text(_sample_readme(extract, paths), encoding="utf-8", newline="\n")
    return [*paths, readme]


if __name__ == "__main__":  # the generator's command moved into the casetime command line
    import sys

    print("python -m casetime.synth is now: casetime synth (see casetime synth --help)", file=sys.stderr)
    raise SystemExit(2)
