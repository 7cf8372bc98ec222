"""The rule registry is checked against what is defined: every rule one object, with its check, messages and breaker."""

from __future__ import annotations

import pytest

from casetime.errors import CasetimeError
from casetime.io import INPUT_RULES as READER_RULES
from casetime.io import tables_from_frame
from casetime.quality import Rule
from casetime.schema import RECORD_TYPES
from casetime.testing import BREAKERS
from casetime.validation import INPUT_RULES, RULES, describe_rule, get_rule
from casetime.validation.registry import DFE_SOURCE, rule

DFE_CODES = {"1103", "8608", "2889", "8615", "1105", "8925", "8840", "8841", "8630", "8935", "8940", "8670Q", "8675Q"}


def test_every_rule_is_one_object_with_its_check_and_a_message_for_what_it_flags() -> None:
    assert set(DFE_CODES) <= set(RULES)
    for code, found in RULES.items():
        assert isinstance(found, Rule) and found.code == code
        assert callable(found.check), code
        assert found.description and found.source, code
        assert set(found.record_types) <= set(RECORD_TYPES)
        assert found.messages, code
        assert (found.source == DFE_SOURCE) == (code in DFE_CODES), code
        assert describe_rule(code) == found.describe()


def test_every_rule_has_a_breaker_and_every_breaker_a_rule() -> None:
    # (tests/property/test_validation_properties.py then checks, for every rule, that its breaker's
    # records are flagged by exactly that rule)
    assert set(BREAKERS) == set(RULES)
    for code, breaker in BREAKERS.items():
        assert code in breaker.codes


def test_input_rules_are_the_readers_own_and_have_no_check() -> None:
    assert list(INPUT_RULES) == [r.code for r in READER_RULES] == ["unparseable_date", "two_digit_year",
                                                                   "malformed_row", "unknown_record_type",
                                                                   "type_lacks_columns", "cell_too_long"]  # fmt: skip
    assert all(r.check is None for r in INPUT_RULES.values())
    assert not set(INPUT_RULES) & set(RULES)
    assert get_rule("malformed_row") is INPUT_RULES["malformed_row"]


def test_the_readers_issue_messages_come_from_the_rule_objects() -> None:
    result = tables_from_frame({"child_id": ["A"], "referral_date": ["31/02/2009"]}, "ia")
    (issue,) = result.issues
    forms = "YYYY-MM-DD or dd/mm/yyyy (also with - or . between, 5 Jan 2009, 05-Jan-2009, a time after)"
    assert issue.message == INPUT_RULES["unparseable_date"].message("referral_date", forms=forms)
    assert "referral_date could not be read as a date" in issue.message


def test_the_registry_is_read_only_and_refuses_a_second_rule_with_one_code() -> None:
    with pytest.raises(TypeError):
        RULES["9999"] = RULES["8925"]  # type: ignore[index]
    with pytest.raises(CasetimeError, match="already registered"):
        rule(code="8925", record_types=("cpp",), description="again", messages={"*": "x"}, source="test")(
            lambda table, ctx: iter(())
        )
    with pytest.raises(CasetimeError, match="already registered"):
        rule(code="unparseable_date", record_types=("cpp",), description="again", messages={"*": "x"}, source="t")(
            lambda table, ctx: iter(())
        )
    assert "9999" not in RULES


def test_a_rule_without_messages_or_with_an_unknown_record_type_is_refused() -> None:
    with pytest.raises(CasetimeError, match="needs a message"):
        Rule(code="X", record_types=("cpp",), description="x", messages={}, source="test")
    with pytest.raises(CasetimeError, match="record types must be"):
        Rule(code="X", record_types=("plan",), description="x", messages={"*": "x"}, source="test")  # type: ignore[arg-type]
    with pytest.raises(CasetimeError, match="no message for field"):
        Rule(code="X", record_types=("cpp",), description="x", messages={"end_date": "x"}, source="t").message("a")
