"""Date-ordering validation of case records: the DfE CIN rules and casetime's own checks.

:func:`validate` runs every rule over every table at once (numpy comparisons on
whole columns, never a Python loop over rows) and returns a
:class:`~casetime.quality.QualityReport`: one :class:`~casetime.quality.IssueSet`
per rule, table and field that found something. Every finding is an error
unless ``severity=`` says otherwise, and a row with an error is left out of every
indicator; reconciliation (rows read = rows valid + rows with errors) always
holds. :data:`RULES` lists the rules (each a :class:`~casetime.quality.Rule`, defined once in
:mod:`casetime.validation.rules`); :func:`describe_rule` explains one.

>>> from casetime.tables import Table
>>> ia = Table.from_columns("initial_assessment", {"child_id": ["A", "B"],
...     "referral_date": ["2009-01-05", "2009-01-06"], "completion_date": ["2009-01-14", "2009-01-02"]})
>>> report = validate({"initial_assessment": ia})
>>> report.counts_by_rule()
{'8608': 1}
>>> item = next(report.issue_rows())
>>> item["row"], item["child_id"], item["field"], item["value"]
(1, 'B', 'completion_date', '2009-01-02')
>>> describe_rule("8840")
'8840 (cpp): a plan cannot start and end on the same day'
"""

from __future__ import annotations

from casetime.quality import Rule
from casetime.validation import rules as _definitions
from casetime.validation.registry import INPUT_RULES, RULES, describe_rule, get_rule
from casetime.validation.run import Context, validate

__all__ = ["Context", "Rule", "RULES", "INPUT_RULES", "describe_rule", "get_rule", "validate"]

assert _definitions.DUPLICATE is RULES["duplicate"]  # (the definitions are registered on import)
