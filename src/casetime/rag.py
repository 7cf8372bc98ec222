"""Red, amber, green: how a value compares with its target.

There is no national RAG rule; each council sets its own. casetime's default
(:data:`DEFAULT_RULE`, an :class:`AbsoluteTolerance` of 5 percentage points):

- **green** when the target is met, respecting polarity: value >= target when
  higher is better, value <= target when lower is better;
- **amber** when it is missed by at most the tolerance (5 points inclusive:
  a target of 70% higher-is-better is amber from 65.0% up to just under 70%);
- **red** otherwise;
- **no status** (``None``) when there is no value (nothing in the denominator)
  or no target. casetime never invents a colour for a missing value; outputs
  may show ``None`` as grey.

Comparisons use the exact value (a :class:`fractions.Fraction`), never the
rounded display value.

>>> rag_status(Fraction(631, 10), 70, "higher")
'red'
>>> rag_status(Fraction(66), 70, "higher"), rag_status(Fraction(7), 8, "lower"), rag_status(None, 70, "higher")
('amber', 'green', None)

A rule is any callable ``rule(value, target, polarity) -> "green" | "amber" | "red" | None``:

>>> rag_status(Fraction(60), 70, "higher", RelativeTolerance(Fraction(1, 5)))  # within 20% of the target
'amber'
>>> rag_status(Fraction(69), 70, "higher", lambda v, t, p: "green" if v >= t - 1 else "red")
'green'
"""

from __future__ import annotations

import decimal
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Final, Literal, get_args

from casetime.errors import CasetimeError

__all__ = [
    "Polarity",
    "POLARITIES",
    "Status",
    "STATUSES",
    "RagRule",
    "AbsoluteTolerance",
    "RelativeTolerance",
    "DEFAULT_RULE",
    "as_fraction",
    "rag_status",
    "RAG_COLOURS",
]

#: How every output colours a status (``None``, no status, is grey): the report, its charts, the notebook views.
RAG_COLOURS: Final[dict[str | None, str]] = {"green": "#1b7a3a", "amber": "#b86e00", "red": "#b3261e", None: "#6b6b6b"}

Polarity = Literal["higher", "lower"]
#: ``"higher"``: a higher value is better (NI59, NI60); ``"lower"``: lower is better (NI64).
POLARITIES: Final[tuple[Polarity, ...]] = get_args(Polarity)
Status = Literal["green", "amber", "red"]
#: The statuses a rule may give (or ``None`` for no status).
STATUSES: Final[tuple[Status, ...]] = get_args(Status)

#: A RAG rule: ``rule(value, target, polarity)`` gives a status or ``None``; value and target are percentages.
RagRule = Callable[[Fraction, Fraction, str], "str | None"]


def as_fraction(value: object, what: str = "value") -> Fraction:
    """An exact :class:`~fractions.Fraction` of a number (floats are read as written: 0.1 is 1/10).

    >>> as_fraction(70), as_fraction(8.5), as_fraction("59.3")
    (Fraction(70, 1), Fraction(17, 2), Fraction(593, 10))
    """
    if isinstance(value, bool):
        raise CasetimeError(f"{what} must be a number, not {value!r}")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, numbers.Integral):
        return Fraction(int(value))
    if isinstance(value, (float, decimal.Decimal, str)):
        try:
            result = Fraction(str(value).strip())
        except (ValueError, ZeroDivisionError):
            raise CasetimeError(f"{what} must be a number, not {value!r}") from None
        return result
    try:
        return Fraction(str(float(value)))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise CasetimeError(f"{what} must be a number, not {value!r}") from None


def _check_polarity(polarity: str) -> None:
    if polarity not in POLARITIES:
        raise CasetimeError(f"unknown polarity {polarity!r}; choose 'higher' or 'lower' (which is better)")


def _shortfall(value: Fraction, target: Fraction, polarity: str) -> Fraction:
    """How far the value is on the wrong side of the target (zero or negative when met)."""
    return target - value if polarity == "higher" else value - target


@dataclass(frozen=True)
class AbsoluteTolerance:
    """Amber when the target is missed by at most ``points`` percentage points (inclusive).

    >>> rule = AbsoluteTolerance(5)
    >>> rule(Fraction(65), Fraction(70), "higher"), rule(Fraction(6499, 100), Fraction(70), "higher")
    ('amber', 'red')
    >>> rule(Fraction(13), Fraction(8), "lower")
    'amber'
    """

    points: Fraction | int | float = 5

    def __post_init__(self) -> None:
        amount = as_fraction(self.points, "tolerance")
        if amount < 0:
            raise CasetimeError(f"a tolerance cannot be negative: {self.points!r}")
        object.__setattr__(self, "points", amount)

    def __call__(self, value: Fraction, target: Fraction, polarity: str) -> str | None:
        _check_polarity(polarity)
        gap = _shortfall(value, target, polarity)
        if gap <= 0:
            return "green"
        return "amber" if gap <= as_fraction(self.points) else "red"


@dataclass(frozen=True)
class RelativeTolerance:
    """Amber when the target is missed by at most ``fraction`` of the target (inclusive).

    ``RelativeTolerance(Fraction(1, 10))`` with a target of 70% is amber from
    63% (70 - 7); with a target of 8% lower-is-better, amber up to 8.8%.

    >>> rule = RelativeTolerance(0.1)
    >>> rule(Fraction(63), Fraction(70), "higher"), rule(Fraction(88, 10), Fraction(8), "lower")
    ('amber', 'amber')
    >>> rule(Fraction(89, 10), Fraction(8), "lower")
    'red'
    """

    fraction: Fraction | int | float = Fraction(1, 10)

    def __post_init__(self) -> None:
        amount = as_fraction(self.fraction, "relative tolerance")
        if amount < 0:
            raise CasetimeError(f"a tolerance cannot be negative: {self.fraction!r}")
        object.__setattr__(self, "fraction", amount)

    def __call__(self, value: Fraction, target: Fraction, polarity: str) -> str | None:
        _check_polarity(polarity)
        gap = _shortfall(value, target, polarity)
        if gap <= 0:
            return "green"
        return "amber" if gap <= as_fraction(self.fraction) * abs(target) else "red"


#: The default rule: amber within 5 percentage points of the target.
DEFAULT_RULE: Final = AbsoluteTolerance(5)


def rag_status(
    value: Fraction | None,
    target: object,
    polarity: str,
    rule: RagRule | None = None,
) -> str | None:
    """The status of ``value`` against ``target`` (both percentages) under ``rule`` (default :data:`DEFAULT_RULE`).

    ``None`` when the value or the target is missing. A rule that answers
    anything other than green, amber, red or ``None`` raises
    :class:`~casetime.errors.CasetimeError`.

    >>> rag_status(Fraction(70), 70, "higher"), rag_status(Fraction(70), None, "higher")
    ('green', None)
    """
    _check_polarity(polarity)
    if value is None or target is None:
        return None
    chosen = DEFAULT_RULE if rule is None else rule
    status = chosen(as_fraction(value), as_fraction(target, "target"), polarity)
    if status is not None and status not in STATUSES:
        raise CasetimeError(f"a RAG rule must give 'green', 'amber', 'red' or None, not {status!r}")
    return status
