"""Finding definitions by id: casetime's catalogue (read-only), and your own definitions in a layer above it.

>>> from casetime.indicators.definition import Indicator
>>> sorted(INDICATORS)
['ICPC15', 'NI59', 'NI60', 'NI64', 'SA45']
>>> ca20 = register(Indicator(id="CA20", title="core assessments within {limit} working days",
...     record_type="core_assessment", clock_start="start_date", clock_stop="completion_date",
...     limit=20, unit="working_days"))
>>> get_indicator("ca20") is ca20, "CA20" in INDICATORS, "CA20" in registered()
(True, False, True)
>>> unregister("CA20")
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from casetime.errors import CasetimeError, CasetimeTypeError
from casetime.indicators.catalogue import CATALOGUE
from casetime.indicators.definition import Indicator

__all__ = ["INDICATORS", "register", "unregister", "registered", "get_indicator"]

#: casetime's own definitions by id (read-only; your own go in with :func:`register`).
INDICATORS: Final[Mapping[str, Indicator]] = MappingProxyType(CATALOGUE)

_USER: dict[str, Indicator] = {}


def register(indicator: Indicator, *, replace: bool = False) -> Indicator:
    """Add your own definition, so that it can be named by id (``replace=True`` to overwrite one with the same id).

    It goes in a layer of its own, above the catalogue: :data:`INDICATORS` never changes, and a
    definition registered under a catalogue id (with ``replace=True``) shadows it.

    >>> from casetime.indicators import NI59
    >>> register(NI59)
    Traceback (most recent call last):
    ...
    casetime.errors.CasetimeError: an indicator NI59 is already registered; pass replace=True to overwrite it
    """
    if not isinstance(indicator, Indicator):
        raise CasetimeTypeError(f"expected an Indicator, not {indicator!r}")
    if (indicator.id in _USER or indicator.id in INDICATORS) and not replace:
        raise CasetimeError(f"an indicator {indicator.id} is already registered; pass replace=True to overwrite it")
    _USER[indicator.id] = indicator
    return indicator


def unregister(indicator_id: str) -> None:
    """Remove one of your own definitions (the catalogue's cannot be removed)."""
    if indicator_id in _USER:
        del _USER[indicator_id]
    elif indicator_id in INDICATORS:
        raise CasetimeError(f"{indicator_id} is one of casetime's own definitions; it cannot be removed")
    else:
        raise CasetimeError(f"no indicator {indicator_id!r} is registered")


def registered() -> Mapping[str, Indicator]:
    """Every definition that can be named by id: the catalogue, then yours (which win on a shared id)."""
    return MappingProxyType({**INDICATORS, **_USER})


def get_indicator(name: str | Indicator) -> Indicator:
    """A definition by id (any case), or the definition itself.

    >>> from casetime.indicators import NI64
    >>> get_indicator("ni64") is NI64
    True
    """
    if isinstance(name, Indicator):
        return name
    if isinstance(name, str):
        for key, value in registered().items():
            if key.lower() == name.strip().lower():
                return value
    raise CasetimeError(f"unknown indicator {name!r}; known: {', '.join(registered())}")
