"""Reading case records: CSV files, directories of them, DataFrames and dicts, through one assembler.

Every row is accounted for. A row whose date cannot be read keeps its place in
the table with that date missing, and an :class:`~casetime.quality.IssueSet`
(rule ``"unparseable_date"``) names the field and the original text; a CSV row
with the wrong number of fields is kept, padded or cut, with rule
``"malformed_row"``; a row of a combined file whose record type is unknown
belongs to no table and is returned as :class:`~casetime.quality.RejectedRows` (rule
``"unknown_record_type"``). Rows with every cell empty are not records and are
skipped (their row numbers are still counted).

Column headings are matched with :func:`casetime.schema.resolve_columns`
(standard names, DfE census names, spreadsheet headings, any case or spacing,
or an explicit ``columns={standard: heading}`` mapping); columns that match
nothing are kept as :class:`~casetime.tables.Labels` in ``table.extra``.

Dates: ``datetime`` columns are taken as they are; text is parsed vectorised by
:func:`casetime.dates.parse_date_strings`: ISO ``YYYY-MM-DD``, numeric dates day first
(``dd/mm/yyyy``, ``05-01-2009``, ``05.01.2009``: the default) or month first
(``dayfirst=False``), ``5 Jan 2009``, ``05-Jan-2009``, ``2009/01/05``, with any time of day
ignored; a two-digit year is never guessed (rule ``two_digit_year``); ``date_format=`` reads one
strptime format instead.

The rooms: :mod:`~casetime.io.assemble` (the seam every reader feeds),
:mod:`~casetime.io.csv` (CSV files), :mod:`~casetime.io.frames` (pandas, polars, dicts) and
:mod:`~casetime.io.paths` (directories, several inputs).

>>> table, issues = table_from_frame("ia", {"Child ID": ["A", "B"], "Date of referral": ["05/01/2009", "31/02/2009"],
...     "Team": ["North", "South"]})
>>> table.dates["referral_date"].tolist(), table.extra["Team"].labels.tolist()
([datetime.date(2009, 1, 5), None], ['North', 'South'])
>>> issues[0].rule, issues[0].field, issues[0].positions.tolist(), issues[0].values.tolist()
('unparseable_date', 'referral_date', [1], ['31/02/2009'])
"""

from __future__ import annotations

from casetime.io.assemble import EMPTYING_RULES, INPUT_RULES, CensusHeader, ReadResult
from casetime.io.cin import read_cin_xml
from casetime.io.csv import read_csv
from casetime.io.excel import read_excel
from casetime.io.frames import has_record_type_column, is_frame, table_from_frame, tables_from_frame
from casetime.io.paths import FOLDER_SUFFIXES, join_results, read_inputs, read_path
from casetime.quality import RejectedRows

__all__ = [
    "FOLDER_SUFFIXES",
    "INPUT_RULES",
    "EMPTYING_RULES",
    "ReadResult",
    "CensusHeader",
    "read_cin_xml",
    "read_excel",
    "RejectedRows",
    "join_results",
    "read_csv",
    "read_inputs",
    "read_path",
    "table_from_frame",
    "tables_from_frame",
    "is_frame",
    "has_record_type_column",
]
