"""RAG rules: the default, the tolerances, custom callables."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from casetime.errors import CasetimeError
from casetime.rag import DEFAULT_RULE, AbsoluteTolerance, RelativeTolerance, as_fraction, rag_status

F = Fraction


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (F(100), "green"),
        (F(70), "green"),  # on target is green
        (F(6999, 100), "amber"),
        (F(65), "amber"),  # exactly 5 points short: still amber
        (F(6499999, 100000), "red"),
        (F(0), "red"),
    ],
)
def test_default_higher_is_better(value: Fraction, status: str) -> None:
    assert rag_status(value, 70, "higher") == status


@pytest.mark.parametrize(
    ("value", "status"),
    [(F(0), "green"), (F(8), "green"), (F(801, 100), "amber"), (F(13), "amber"), (F(1301, 100), "red")],
)
def test_default_lower_is_better(value: Fraction, status: str) -> None:
    assert rag_status(value, 8, "lower") == status


def test_missing_value_or_target_has_no_status() -> None:
    assert rag_status(None, 70, "higher") is None
    assert rag_status(F(50), None, "higher") is None


def test_exact_value_not_the_display_value() -> None:
    # 64.96% displays as "65.0" but is more than 5 points short of 70
    value = F(6496, 100)
    assert rag_status(value, 70, "higher") == "red"


def test_absolute_tolerance_is_configurable() -> None:
    assert rag_status(F(62), 70, "higher", AbsoluteTolerance(10)) == "amber"
    assert rag_status(F(69), 70, "higher", AbsoluteTolerance(0)) == "red"
    assert rag_status(F(70), 70, "higher", AbsoluteTolerance(0)) == "green"
    assert AbsoluteTolerance(2.5).points == F(5, 2)
    assert AbsoluteTolerance(5) == DEFAULT_RULE


def test_relative_tolerance() -> None:
    rule = RelativeTolerance(F(1, 10))
    assert rule(F(63), F(70), "higher") == "amber"  # 10% of 70 = 7 points
    assert rule(F(6299, 100), F(70), "higher") == "red"
    assert rule(F(88, 10), F(8), "lower") == "amber"  # 10% of 8 = 0.8 points
    assert rule(F(881, 100), F(8), "lower") == "red"
    assert RelativeTolerance(0.2)(F(56), F(70), "higher") == "amber"


def test_callable_rule() -> None:
    def direction(value: Fraction, target: Fraction, polarity: str) -> str | None:
        return "green" if value >= target - 1 else "red"

    assert rag_status(F(69), 70, "higher", direction) == "green"
    assert rag_status(F(68), 70, "higher", direction) == "red"
    assert rag_status(F(68), 70, "higher", lambda v, t, p: None) is None
    with pytest.raises(CasetimeError, match="must give"):
        rag_status(F(68), 70, "higher", lambda v, t, p: "blue")


def test_bad_inputs() -> None:
    with pytest.raises(CasetimeError, match="polarity"):
        rag_status(F(1), 2, "up")
    with pytest.raises(CasetimeError, match="negative"):
        AbsoluteTolerance(-1)
    with pytest.raises(CasetimeError, match="negative"):
        RelativeTolerance(-0.1)
    with pytest.raises(CasetimeError, match="number"):
        as_fraction("seventy")
    with pytest.raises(CasetimeError, match="number"):
        as_fraction(True)


def test_as_fraction_reads_decimals_as_written() -> None:
    assert as_fraction(0.1) == F(1, 10)
    assert as_fraction(Decimal("59.3")) == F(593, 10)
    assert as_fraction("8") == F(8)
    assert as_fraction(F(2, 3)) == F(2, 3)
