"""The report as JSON, with the documented schema :data:`~casetime.report.model.SCHEMA_ID` (docs/report-schema.json).

>>> from casetime.report.model import Report
>>> to_json(Report("S", "2008/09", "s", [], {}, generated="2009-04-30")).splitlines()[1]
'  "schema": "casetime.report/1",'
"""

from __future__ import annotations

import json
from dataclasses import asdict

from casetime.report.model import SCHEMA_ID, Report

__all__ = ["to_json"]


def to_json(report: Report) -> str:
    """The report as JSON with the documented schema :data:`SCHEMA_ID`."""
    data = {"schema": SCHEMA_ID, **asdict(report)}
    return json.dumps(data, indent=2, sort_keys=False) + "\n"
