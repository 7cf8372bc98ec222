"""The one place every data-quality rule is registered: :data:`RULES`, :data:`INPUT_RULES`, :func:`rule`.

A rule is one :class:`~casetime.quality.Rule`: its code, the record types it applies to, what
it checks, where it comes from (with the DfE specification year), a message per field, and the
check. The rules :func:`~casetime.validation.validate` runs are defined in
:mod:`casetime.validation.rules`, each with the :func:`rule` decorator, in the order they run;
the rules the readers apply while reading are :data:`casetime.io.INPUT_RULES`. Adding a DfE rule
is one decorated function there, plus its tests (and a breaker in :mod:`casetime.testing`, which
its test suite asks for).

>>> from casetime.validation import RULES
>>> RULES["8925"].record_types, RULES["8925"].source
(('cpp',), 'DfE CIN census validation rules, 2022 to 2023 specification')
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from casetime.errors import CasetimeError
from casetime.io import INPUT_RULES as _READER_RULES
from casetime.quality import Rule, Severity
from casetime.schema import RecordType

__all__ = ["Found", "RULES", "INPUT_RULES", "DFE_SOURCE", "CASETIME_SOURCE", "rule", "get_rule", "describe_rule"]

#: What a check yields: ``(field, positions of the rows it flags, the values it saw as text)``.
Found = Iterator[tuple[str, npt.NDArray[np.int64], npt.NDArray[np.object_]]]

#: Where the DfE date-ordering rules come from.
DFE_SOURCE: Final = "DfE CIN census validation rules, 2022 to 2023 specification"
#: casetime's own checks.
CASETIME_SOURCE: Final = "casetime: a check of its own, so that no record is counted wrongly"

_CHECKED: dict[str, Rule] = {}

#: Every rule :func:`~casetime.validation.validate` runs, by code, in the order they run (read-only).
RULES: Final[Mapping[str, Rule]] = MappingProxyType(_CHECKED)
#: The rules the readers apply while reading, before any rule of :data:`RULES` runs (read-only).
INPUT_RULES: Final[Mapping[str, Rule]] = MappingProxyType({r.code: r for r in _READER_RULES})


def rule(
    *,
    code: str,
    record_types: tuple[RecordType, ...],
    description: str,
    messages: Mapping[str, str],
    source: str,
    needs_duplicates: bool = False,
    severity: Severity = "error",
) -> Callable[[Callable[[Any, Any], Found]], Rule]:
    """Register the decorated check as the rule ``code`` (see :class:`~casetime.quality.Rule`).

    The check is called with the table and the run's context
    (:class:`~casetime.validation.run.Context`) and yields what it flags.
    """

    def register(check: Callable[[Any, Any], Found]) -> Rule:
        if code in _CHECKED or code in INPUT_RULES:
            raise CasetimeError(f"a rule {code} is already registered")
        made = Rule(
            code=code,
            record_types=record_types,
            description=description,
            messages=messages,
            source=source,
            check=check,
            needs_duplicates=needs_duplicates,
            severity=severity,
        )
        _CHECKED[code] = made
        return made

    return register


def get_rule(code: str) -> Rule:
    """The rule with this code, whether :func:`~casetime.validation.validate` runs it or a reader applies it.

    >>> get_rule("unparseable_date").check is None
    True
    """
    key = str(code).strip()
    found = _CHECKED.get(key) or INPUT_RULES.get(key)
    if found is None:
        raise CasetimeError(f"unknown rule {code!r}; known rules: {', '.join([*_CHECKED, *INPUT_RULES])}")
    return found


def describe_rule(code: str) -> str:
    """One line naming a rule, the record types it applies to, and what it checks.

    >>> describe_rule("1103")
    '1103 (initial_assessment, core_assessment, single_assessment): assessment start on or after the referral date'
    >>> describe_rule("unparseable_date")
    'unparseable_date (all record types): a date cell that is not a real date (e.g. 31/02/2009 or text)'
    >>> describe_rule("9999")
    Traceback (most recent call last):
    ...
    casetime.errors.CasetimeError: unknown rule '9999'; known rules: missing_date, out_of_coverage, ...
    """
    return get_rule(code).describe()
