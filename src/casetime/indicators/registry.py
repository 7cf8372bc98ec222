"""Finding definitions by id: casetime's catalogue (read-only), and your own definitions in a layer above it.

>>> from casetime.indicators.definition import Indicator
>>> sorted(INDICATORS)
['C1', 'C1_child', 'C2', 'C4', 'D3', 'D5', 'D6', 'D7', 'ICPC15', 'NI59', 'NI60', 'NI64', 'SA45']
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

_USER: dict[str, Indicator] = {}  # by key (see _key)


def _key(indicator_id: str) -> str:
    """How an id is matched: any case, surrounding spaces ignored (``" ni59"`` names NI59)."""
    return indicator_id.strip().casefold()


_CATALOGUE_KEYS: Final = {_key(k): k for k in CATALOGUE}


def register(indicator: Indicator, *, replace: bool = False) -> Indicator:
    """Add your own definition, so that it can be named by id (``replace=True`` to overwrite one with the same id).

    It goes in a layer of its own, above the catalogue: :data:`INDICATORS` never changes, and a
    definition registered under a catalogue id (with ``replace=True``) shadows it. Ids are matched
    in any case, so ``"ni59"`` is the same id as ``"NI59"``.

    >>> from dataclasses import replace as copy
    >>> from casetime.indicators import NI59
    >>> register(copy(NI59, id="ni59"))
    Traceback (most recent call last):
    ...
    casetime.errors.CasetimeError: an indicator NI59 is already registered; pass replace=True to overwrite it
    """
    if not isinstance(indicator, Indicator):
        raise CasetimeTypeError(f"expected an Indicator, not {indicator!r}")
    key = _key(indicator.id)
    if not key:
        raise CasetimeError("an indicator to register needs an id")
    if not replace and (key in _USER or key in _CATALOGUE_KEYS):
        taken = _USER[key].id if key in _USER else _CATALOGUE_KEYS[key]
        raise CasetimeError(f"an indicator {taken} is already registered; pass replace=True to overwrite it")
    _USER[key] = indicator
    return indicator


def unregister(indicator_id: str) -> None:
    """Remove one of your own definitions, by id in any case (the catalogue's cannot be removed)."""
    key = _key(indicator_id)
    if key in _USER:
        del _USER[key]
    elif key in _CATALOGUE_KEYS:
        raise CasetimeError(f"{_CATALOGUE_KEYS[key]} is one of casetime's own definitions; it cannot be removed")
    else:
        raise CasetimeError(f"no indicator {indicator_id!r} is registered")


def registered() -> Mapping[str, Indicator]:
    """Every definition that can be named by id: the catalogue, then yours (which win on a shared id)."""
    shadowed = {_CATALOGUE_KEYS[k] for k in _USER if k in _CATALOGUE_KEYS}
    mine = {ind.id: ind for ind in _USER.values()}
    return MappingProxyType({**{k: v for k, v in INDICATORS.items() if k not in shadowed}, **mine})


def get_indicator(name: str | Indicator) -> Indicator:
    """A definition by id (any case), or the definition itself.

    >>> from casetime.indicators import NI64
    >>> get_indicator("ni64") is NI64
    True
    """
    if isinstance(name, Indicator):
        return name
    if isinstance(name, str):
        key = _key(name)
        if key in _USER:
            return _USER[key]
        if key in _CATALOGUE_KEYS:
            return INDICATORS[_CATALOGUE_KEYS[key]]
    raise CasetimeError(f"unknown indicator {name!r}; known: {', '.join(registered())}")
