"""The engine: one vectorised interpreter for every indicator definition.

:func:`compute` works out one definition over one period, optionally grouped; :func:`compute_all`
several; :func:`open_cases` the open work due at a date. The rooms:
:mod:`~casetime.engine.inputs` (what is computed on: one frame path, the extract's calendar),
:mod:`~casetime.engine.kinds` (what a kind of measure gives the counting; one classifier per
kind, such as :mod:`~casetime.engine.timeliness`), :mod:`~casetime.engine.counting` (the
counting every kind shares: period buckets, groups, child sets) and :mod:`~casetime.engine.cases`
(the records behind the numbers).

Working days are counted with the calendar (England and Wales by default, or the one an extract
was validated with) under the named ``convention`` (``"day0"`` by default: the working days ``d``
with ``start < d <= stop``; ``"inclusive"`` counts the start day as day 1).

>>> from casetime.tables import Table
>>> from casetime.indicators import NI59
>>> ia = Table.from_columns("initial_assessment", {"child_id": ["A", "B"],
...     "referral_date": ["2009-01-05", "2009-01-05"], "completion_date": ["2009-01-14", "2009-01-15"]})
>>> compute(NI59, ia, "2009-01").get().display
'50.0'
"""

from __future__ import annotations

from casetime.engine import bands as _bands
from casetime.engine import repeats as _repeats
from casetime.engine import reviews as _reviews
from casetime.engine import timeliness as _timeliness
from casetime.engine.cases import open_cases
from casetime.engine.compute import DEFAULT_TARGET, compute, compute_all, compute_previous, default_indicators
from casetime.engine.inputs import as_table
from casetime.engine.kinds import CLASSIFIERS

__all__ = [
    "DEFAULT_TARGET",
    "compute",
    "compute_all",
    "compute_previous",
    "default_indicators",
    "open_cases",
    "as_table",
]

# (the built-in kinds register on import)
assert CLASSIFIERS["timeliness"] is _timeliness.Timeliness
assert CLASSIFIERS["bands"] is _bands.BandsKind
assert CLASSIFIERS["reviews"] is _reviews.ReviewsKind
assert CLASSIFIERS["repeats"] is _repeats.RepeatsKind
