"""The Children in Need census XML: records from ``Message/Children/Child/CINdetails``, read vectorised and safely.

The census has no episode ids: position is the only link. Each ``CINdetails`` is one referral (and its
id, ``episode``, is the child id and its ordinal within the child, ``A123/2``); its ``Assessments``
are single assessments, its ``Section47`` s47 enquiries and its ``ChildProtectionPlans`` plans, each
with the ``CINdetails``' referral date and episode. The header's ``ReferenceDate``, ``Year`` and
``LEA`` come back as a :class:`CensusHeader`. See docs/records.md for every element read.

Reading is vectorised over the file's bytes, in blocks of whole ``Child`` elements read into
buffers of their own (memory grows with a block, never with the file), two parsed at once on helper
threads and added in the file's order: tags are found by their ``<`` and ``>``, nesting is checked
for every element, and each value is decoded once per distinct text. It reads the XML that census
software writes. No entity is ever expanded and no DTD or external file is fetched: a file with a
``DOCTYPE`` is refused, and so are a truncated file, a wrong root, nesting past
:data:`MAX_DEPTH`, CDATA sections and undefined entities, each in one message naming the line.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "cin.xml"
>>> _ = path.write_text("<Message><Header><CollectionDetails><ReferenceDate>2024-03-31</ReferenceDate>"
...     "</CollectionDetails></Header><Children><Child><ChildIdentifiers><LAchildID>A1</LAchildID>"
...     "</ChildIdentifiers><CINdetails><CINreferralDate>2024-01-05</CINreferralDate><Assessments>"
...     "<AssessmentActualStartDate>2024-01-08</AssessmentActualStartDate></Assessments>"
...     "<ReferralNFA>0</ReferralNFA></CINdetails></Child></Children></Message>")
>>> result = read_cin_xml(path)
>>> sorted(result.tables), result.census[0].reference_date
(['referral', 'single_assessment'], datetime.date(2024, 3, 31))
>>> result.tables["single_assessment"].extra["episode"].values().tolist()
['A1/1']
"""

from __future__ import annotations

import codecs
import datetime as _dt
import functools
import io
import mmap
import os
import re
import xml.etree.ElementTree as ET
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final, NamedTuple

import numpy as np
import numpy.typing as npt

from casetime._background import Background
from casetime._compat import as_intp
from casetime._keys import unique_inverse
from casetime.dates import DateStyle
from casetime.errors import CasetimeError
from casetime.io._columns import CELL_LIMIT, Column, Lists, Text, long_cells, long_sizes, take, text_array, yes_no
from casetime.io.assemble import Assembler, CensusHeader, Chunk, NotRecords, ReadResult, layout_of
from casetime.quality import UNKNOWN_TYPE, ColumnsUsed, IssueSet, Notice, RejectedRows
from casetime.tables import Table

__all__ = ["CensusHeader", "KNOWN_ELEMENTS", "MAX_DEPTH", "census_as_at", "is_cin_xml", "read_cin_xml"]

_I64 = npt.NDArray[np.int64]
_U8 = npt.NDArray[np.uint8]

#: The deepest nesting read (the census goes seven deep).
MAX_DEPTH: Final = 32
_BLOCK: Final = 1 << 23  # bytes of whole children read at a time
_IN_FLIGHT: Final = 2  # blocks parsed at once (each on a helper thread, while the caller adds the one before)
_NAME_WIDTH: Final = 48
_SHORT: Final = 48  # values up to this many bytes are decoded vectorised; longer ones one by one
assert _SHORT <= _NAME_WIDTH  # (a short value's words are read up to _SHORT bytes on: inside the zeros)

#: Every element of the census schemas from 2017-18 to 2026-27; any other is ignored with a warning.
# fmt: off
KNOWN_ELEMENTS: Final = frozenset({
    "Message", "Header", "CollectionDetails", "Collection", "Year", "ReferenceDate", "Source", "SourceLevel",
    "LEA", "SoftwareCode", "Release", "SerialNo", "DateTime", "Children", "Child", "ChildIdentifiers",
    "LAchildID", "UPN", "FormerUPN", "UPNunknown", "PersonBirthDate", "ExpectedPersonBirthDate",
    "GenderCurrent", "Sex", "PersonDeathDate", "ChildCharacteristics", "Ethnicity", "Disabilities",
    "Disability", "CINdetails", "CINreferralDate", "ReferralSource", "PrimaryNeedCode", "CINclosureDate",
    "ReasonForClosure", "DateOfInitialCPC", "Assessments", "AssessmentActualStartDate",
    "AssessmentInternalReviewDate", "AssessmentAuthorisationDate", "FactorsIdentifiedAtAssessment",
    "AssessmentFactors", "CINPlanDates", "CINPlanStartDate", "CINPlanEndDate", "Section47",
    "S47ActualStartDate", "InitialCPCtarget", "ICPCnotRequired", "ReferralNFA", "ChildProtectionPlans",
    "CPPstartDate", "CPPendDate", "InitialCategoryOfAbuse", "LatestCategoryOfAbuse", "NumberOfPreviousCPP",
    "Reviews", "CPPreviewDate", "PreProceedingsandFGDM",
})
# fmt: on
#: Blocks read as known but whose inside is not used (a module casetime has no record for).
_OPAQUE: Final = frozenset({"PreProceedingsandFGDM"})


class _Elements(NamedTuple):
    """The elements of one block: name id, nesting level, parent (element index, -1 at the top),
    start position, and the text span of leaves (start, end; empty for containers)."""

    name: _I64
    level: _I64
    parent: _I64
    pos: _I64
    text_start: _I64
    text_end: _I64


def is_cin_xml(path: str | os.PathLike[str]) -> bool:
    """Whether a path names an XML file (by its extension), which casetime reads as a CIN census."""
    return os.fspath(path).lower().endswith(".xml")


class _Refused(CasetimeError):
    """A census file that cannot be read, with the line it fails at."""


def _fail(path: str, line: int | None, what: str, kind: type[CasetimeError] = _Refused) -> CasetimeError:
    where = f" line {line}:" if line is not None else ""
    return kind(f"{path}:{where} {what}")


def read_cin_xml(
    path: str | os.PathLike[str],
    *,
    dayfirst: bool = True,
    date_format: str | None = None,
    progress: Callable[[int], object] | None = None,
) -> ReadResult:
    """Read one CIN census XML file into referral, single assessment, s47 and plan tables.

    Each record's row number is the line of its element (``CINdetails``, ``Assessments``,
    ``Section47``, ``ChildProtectionPlans``). ``progress`` is called with the children read so far.
    """
    source = os.fspath(path)
    try:
        handle = open(source, "rb")  # noqa: SIM115 (closed below, with the map)
    except OSError as exc:
        raise CasetimeError(f"{source}: cannot read the file ({exc.strerror or exc})") from None
    with handle:
        size = os.fstat(handle.fileno()).st_size
        if size == 0:
            raise CasetimeError(f"{source}: the file is empty; expected a CIN census XML file")
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return _read(source, handle, data, size, DateStyle(dayfirst, date_format), progress)


def _read(
    source: str,
    handle: io.BufferedReader,
    data: mmap.mmap,
    size: int,
    style: DateStyle,
    progress: Callable[[int], object] | None,
) -> ReadResult:
    """The map finds where blocks end; each block is read from the file into a buffer of its own, so that
    the file's pages never count towards the process's memory."""
    head = data[: min(size, 1 << 16)]
    encoding = _encoding(source, head)
    first = _first_child(data)
    last = data.rfind(b"</Child>")
    if first < 0 or last < first:
        first = last = -1
        frame = data[:size]
    else:
        last += len(b"</Child>")
        frame = data[:first] + data[last:size]
    # (declarations inside the children are refused as each block is read)
    for marker, what in _DECLARATIONS:
        at = frame.find(marker)
        if at >= 0:
            at += 0 if first < 0 or at < first else last - first  # (a place in the file)
            raise _fail(source, data[:at].count(b"\n") + 1, _declared(what))
    header = _header(source, frame, data, first, last, encoding)
    readers = _Readers(source, style, encoding)
    pending: deque[Background[_Parsed]] = deque()  # blocks parsed on helper threads, added in order
    if first >= 0:
        line = data[:first].count(b"\n") + 1
        start = first
        while start < last:
            stop = min(start + _BLOCK, last)
            if stop < last:
                cut = data.rfind(b"</Child>", start, stop)
                stop = (cut if cut > start else data.find(b"</Child>", stop)) + len(b"</Child>")
            block = bytearray(stop - start + _NAME_WIDTH)  # (zeros after the text: tag names may be read past it)
            handle.seek(start)
            if handle.readinto(memoryview(block)[: stop - start]) != stop - start:
                raise CasetimeError(f"{source}: the file changed while it was read")
            pending.append(Background(functools.partial(_parse, source, encoding, block, line), "casetime-cin"))
            line += block.count(b"\n")
            start = stop
            while len(pending) >= _IN_FLIGHT or (pending and start >= last):
                readers.add(pending.popleft().result())  # (in the file's order)
                if progress is not None:
                    progress(readers.children)
    return readers.finish(header)


_DECLARATIONS: Final = ((b"<!DOCTYPE", "a DOCTYPE declaration"), (b"<!ENTITY", "an entity declaration"))


def _declared(what: str) -> str:
    return (
        f"the file holds {what}; census files have none, and casetime never expands entities or fetches a DTD: "
        "remove it"
    )


def _encoding(source: str, head: bytes) -> str:
    """The encoding the XML declaration names (UTF-8 when it names none)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _fail(source, 1, "the file is UTF-16; census files are UTF-8: save it as UTF-8")
    found = re.match(rb"\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']", head.removeprefix(b"\xef\xbb\xbf"))
    if found is None:
        return "utf-8"
    name = found.group(1).decode("ascii").lower()
    try:
        codec: str = codecs.lookup(name).name
    except LookupError:
        raise _fail(source, 1, f"the XML declaration names an encoding Python does not know: {name!r}") from None
    if codec.startswith("utf-16") or codec.startswith("utf-32"):
        raise _fail(source, 1, f"the file declares {name}; census files are UTF-8: save it as UTF-8")
    return codec


def _first_child(data: mmap.mmap) -> int:
    """Where the first ``<Child>`` tag starts (-1 for none); ``<Children>`` and ``<ChildIdentifiers>`` are not it."""
    at = data.find(b"<Child")
    while at >= 0:
        if data[at + 6 : at + 7] in (b">", b" ", b"\t", b"\r", b"\n"):
            return at
        at = data.find(b"<Child", at + 6)
    return -1


def _header(source: str, frame: bytes, data: mmap.mmap, first: int, last: int, encoding: str) -> CensusHeader:
    """The file without its children, parsed as a whole (no DOCTYPE, so no entity can be declared)."""
    try:
        root = ET.fromstring(frame)
    except ET.ParseError as exc:
        line, _ = exc.position
        if first >= 0 and line > data[:first].count(b"\n") + 1:  # in the part after the children
            line += data[first:last].count(b"\n")
        ending = " (the file ends early: is it truncated?)" if line >= data[:].count(b"\n") else ""
        raise _fail(source, line, f"not well-formed XML ({_expat_words(str(exc))}){ending}") from None
    _check_depth(source, root)
    if root.tag != "Message":
        raise _fail(
            source, 1, f"not a CIN census file: the root element is <{root.tag}>, expected <Message>", NotRecords
        )
    if root.find("Children") is None:
        raise _fail(source, None, "not a CIN census file: <Message> has no <Children>", NotRecords)

    def text(path: str) -> str | None:
        found = root.findtext(path)
        return None if found is None or not found.strip() else found.strip()

    reference = text("Header/CollectionDetails/ReferenceDate")
    day = None
    if reference is not None:
        try:
            day = _dt.date.fromisoformat(reference)
        except ValueError:
            raise _fail(source, None, f"Header/CollectionDetails/ReferenceDate is not a date: {reference!r}") from None
    return CensusHeader(
        source, text("Header/CollectionDetails/Collection"), text("Header/CollectionDetails/Year"), day,
        text("Header/Source/LEA"),
    )  # fmt: skip


def _check_depth(source: str, root: ET.Element) -> None:
    """Refuse nesting past :data:`MAX_DEPTH` outside the children too."""
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _fail(source, None, f"elements nested more than {MAX_DEPTH} deep (in <{node.tag}>)")
        stack.extend((child, depth + 1) for child in node)


def _expat_words(message: str) -> str:
    """expat's message without its own position (the line is said already)."""
    return re.sub(r": line \d+, column \d+$", "", message)


# ---------------------------------------------------------------------------
# tags and elements, vectorised over a block of whole children
# ---------------------------------------------------------------------------

_NAMES: Final = sorted(KNOWN_ELEMENTS)
_ID: Final = {name: i for i, name in enumerate(_NAMES)}


def _elements(
    source: str, block: bytes | bytearray, line0: int, unknown: dict[str, list[int]]
) -> tuple[_Elements, _I64, bytes | bytearray]:
    """The elements of a block (see :class:`_Elements`), the block's line break positions, and the block
    as read (with its comments' bytes blanked, if it has any: its values are read from it).

    The block ends with :data:`_NAME_WIDTH` zero bytes after its text. Three scans find every ``<``,
    ``>`` and line break; the ``>`` closing a tag is the first after its ``<`` (a ``>`` may stand in text).
    """
    b: _U8 = np.frombuffer(block, dtype=np.uint8)
    lt = np.flatnonzero(b == ord("<"))
    gt = np.flatnonzero(b == ord(">"))
    breaks = np.flatnonzero(b == 10)

    def line(position: int) -> int:
        return line0 + int(np.searchsorted(breaks, position))

    after = b[1:][lt]  # (the block ends in zeros: a byte follows every '<')
    if (after == ord("!")).any():  # comments, CDATA or declarations: the rare slow path
        if b"<![CDATA[" in block:
            at = block.find(b"<![CDATA[")
            raise _fail(source, line0 + block[:at].count(b"\n"), "a CDATA section; census files have none")
        if b"<!--" in block:  # (the values are read from the blanked block too: see _parse)
            return _elements(source, _blank_comments(source, block, line0), line0, unknown)
        at = int(lt[np.flatnonzero(after == ord("!"))[0]])
        for marker, what in _DECLARATIONS:
            if block.startswith(marker, at):
                raise _fail(source, line(at), _declared(what))
        raise _fail(source, line(at), "a declaration inside the children; census files have none")
    if lt.size and (not gt.size or int(gt[-1]) < int(lt[-1])):
        raise _fail(source, line(int(lt[-1])), "the file ends inside a tag (is it truncated?)")
    if gt.size == lt.size and bool((lt < gt).all()) and bool((gt[:-1] < lt[1:]).all()):
        close_at = gt  # (no '>' in any text: each tag's '<' and '>' alternate)
    else:
        close_at = gt[np.searchsorted(gt, lt)]
    inside = np.flatnonzero(lt[1:] < close_at[:-1])  # the next '<' comes before this tag's '>'
    if inside.size:
        raise _fail(source, line(int(lt[inside[0] + 1])), "a '<' inside a tag: not well-formed XML")
    del gt
    keep = after != ord("?")  # processing instructions are skipped
    if not keep.all():
        lt, close_at, after = lt[keep], close_at[keep], after[keep]
    closing = after == ord("/")
    single = ~closing & (b[close_at - 1] == ord("/"))
    start = lt + 1 + closing
    length = close_at - single - start
    words = _tag_words(b, start, length)
    opening = ~closing
    delta = (opening & ~single).view(np.int8) - closing.view(np.int8)  # +1 opens, -1 closes, 0 self-closing
    depth = np.cumsum(delta, dtype=np.int64)
    before = depth - delta

    def name_at(i: int) -> str:  # (for a message)
        return _raw_name(b, int(start[i]), int(length[i]))

    if depth.size and int(depth.min()) < 0:
        at = int(np.flatnonzero(depth < 0)[0])
        raise _fail(source, line(int(lt[at])), f"</{name_at(at)}> closes an element that was not opened")
    if depth.size and int(depth[-1]) != 0:
        raise _fail(source, line(int(lt[-1])), "an element is not closed (is the file truncated?)")
    level = before + opening.view(np.int8)
    if level.size and int(level.max()) > MAX_DEPTH:
        at = int(np.flatnonzero(level > MAX_DEPTH)[0])
        raise _fail(source, line(int(lt[at])), f"elements nested more than {MAX_DEPTH} deep")
    element = np.flatnonzero(opening)
    ids, others = _tag_ids(b, start[element], length[element], [w[element] for w in words])
    paired = np.flatnonzero(~single)
    order = paired[np.argsort(level[paired].astype(np.uint8), kind="stable")]  # (a radix sort: by level, in order)
    opens, closes = order[0::2], order[1::2]
    wrong = closing[opens] | ~closing[closes]
    differ = length[opens] != length[closes]  # a closing tag's name: the same bytes as its opening tag's
    differ |= length[opens] > 8 * _WORDS  # (a name longer than the words read is compared whole, below)
    for word in words:
        differ |= word[opens] != word[closes]
    for k in np.flatnonzero(differ & ~wrong).tolist():  # (an opening tag with attributes or spaces)
        wrong[k] = name_at(int(opens[k])) != _raw_name(b, int(start[closes[k]]), int(length[closes[k]]))
    bad = np.flatnonzero(wrong)
    if bad.size:  # (the pairs come level by level: the one said is the first closing tag in the file)
        first = int(bad[np.argmin(closes[bad])])
        o, c = int(opens[first]), int(closes[first])
        raise _fail(
            source, line(int(lt[c])),
            f"<{name_at(o)}> opened on line {line(int(lt[o]))} is closed by </{name_at(c)}>",
        )  # fmt: skip
    # elements: the opening tags and the self-closing ones; a leaf's text lies up to the next tag
    nxt = np.minimum(element + 1, lt.size - 1)
    leaf = single[element] | ((nxt > element) & closing[nxt] & (level[nxt] == level[element]))
    text_start = np.where(leaf & ~single[element], close_at[element] + 1, 0)
    text_end = np.where(leaf & ~single[element], lt[nxt], 0)
    lv = level[element]
    pos = lt[element]
    parent = np.full(element.size, -1, dtype=np.int64)
    for depth_here in range(2, int(lv.max()) + 1 if lv.size else 0):
        mine = np.flatnonzero(lv == depth_here)
        above = np.flatnonzero(lv == depth_here - 1)
        parent[mine] = above[np.searchsorted(pos[above], pos[mine]) - 1]
    hidden = np.zeros(element.size, dtype=bool)  # inside a block casetime does not read
    opaque = np.isin(ids, [_ID[n] for n in _OPAQUE])
    for depth_here in range(2, int(lv.max()) + 1 if lv.size else 0):
        mine = np.flatnonzero(lv == depth_here)
        hidden[mine] = hidden[parent[mine]] | opaque[parent[mine]]
    strange = np.flatnonzero((ids >= len(_NAMES)) & ~hidden)
    for at in strange.tolist():  # (few: each name is warned about once)
        seen = unknown.setdefault(_name(int(ids[at]), others), [line(int(pos[at])), 0])
        seen[1] += 1
    return _Elements(ids, lv, parent, pos, text_start, text_end), breaks, block


def _blank_comments(source: str, block: bytes | bytearray, line0: int) -> bytearray:
    """The block with every comment's bytes turned to spaces (line breaks kept, so lines still count)."""
    out = bytearray(block)
    at = 0
    while (start := block.find(b"<!--", at)) >= 0:
        end = block.find(b"-->", start + 4)
        if end < 0:
            raise _fail(source, line0 + block[:start].count(b"\n"), "a comment is not closed")
        out[start : end + 3] = _NOT_A_BREAK.sub(b" ", bytes(block[start : end + 3]))
        at = end + 3
    return out


_NOT_A_BREAK: Final = re.compile(rb"[^\n]")


def _tag_words(b: _U8, start: _I64, length: _I64, count: int = 0) -> list[npt.NDArray[np.uint64]]:
    """The first ``count`` (default :data:`_WORDS`) eight-byte words of each text of ``length`` bytes from
    ``start``, the bytes past its end zeroed: two texts are the same exactly when their lengths and words are.

    The words are read from the block as unaligned 64-bit numbers, one per byte position (the block
    ends in zeros, so reads past its text stay inside it); a word past every text's end is not read.
    """
    at_byte = np.ndarray((b.size - 7,), dtype="<u8", buffer=b, strides=(1,))  # (a view: no copy)
    words = []
    for k in range(count or _WORDS):
        from_k = at_byte[8 * k :]  # (the words ``8 * k`` bytes on: numpy checks that every read is inside)
        if k == 0:
            word = from_k[start]
            word &= _LOW_BYTES[np.minimum(length, 8)]
        elif k == 1:  # (most names and values are longer than eight bytes)
            word = from_k[start]
            word &= _LOW_BYTES[np.clip(length - 8, 0, 8)]
        else:
            word = np.zeros(start.size, dtype="<u8")  # (little-endian, as the words read are)
            rows = np.flatnonzero(length > 8 * k)
            if rows.size:
                word[rows] = from_k[start[rows]] & _LOW_BYTES[np.minimum(length[rows] - 8 * k, 8)]
        words.append(word)
    return words


def _tag_ids(b: _U8, start: _I64, length: _I64, words: list[npt.NDArray[np.uint64]]) -> tuple[_I64, list[str]]:
    """The name of each tag (see :func:`_tag_words`) as an id: a known name's position in :data:`_NAMES`,
    or past them one id per other name, whose names are returned.

    The names are told apart without building a string per tag: a hash of their length and first two
    words picks the one candidate known name (a table of :data:`_SLOT_BITS` bits, where the known names
    fall apart), whose length and words must then all be equal, so the match is exact.
    """
    candidate = _SLOTS[_slot(length, words[0], words[1])].astype(np.int64)
    same = _NAME_LENGTHS[candidate] == length
    for k, word in enumerate(words):
        same &= _NAME_WORDS[k][candidate] == word
    ids = np.where(same, candidate, -1)
    others: dict[str, int] = {}
    for i in np.flatnonzero(~same).tolist():  # names with attributes after them, or no schema's names
        name = _raw_name(b, int(start[i]), int(length[i]))
        ids[i] = _ID[name] if name in _ID else others.setdefault(name, len(_NAMES) + len(others))
    return ids, list(others)


def _raw_name(b: _U8, start: int, length: int) -> str:
    """The name of one tag: its bytes up to a space (attributes follow it)."""
    raw = bytes(b[start : start + length]).split(maxsplit=1)
    return raw[0].decode("utf-8", errors="replace") if raw else ""


def _name(ids: int, others: Sequence[str]) -> str:
    return _NAMES[ids] if ids < len(_NAMES) else others[ids - len(_NAMES)]


_WORDS: Final = 4  # eight-byte words compared: names up to 32 bytes (the longest known is 29)
_MIX: Final = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
                        0xFF51AFD7ED558CCD], dtype=np.uint64)  # fmt: skip
_LOW_BYTES: Final = np.array([(1 << (8 * k)) - 1 for k in range(8)] + [(1 << 64) - 1], dtype=np.uint64)


_SLOT_BITS: Final = 16  # (a table of 64 KB: the 60 or so known names fall in different slots)


def _slot(length: _I64, first: npt.NDArray[np.uint64], second: npt.NDArray[np.uint64]) -> _I64:
    key = length.astype(np.uint64) * _MIX[2]
    key ^= first * _MIX[0]
    key ^= second * _MIX[1]
    slot: _I64 = (key >> np.uint64(64 - _SLOT_BITS)).astype(np.int64)
    return slot


def _known_words() -> tuple[npt.NDArray[np.uint8], _I64, list[npt.NDArray[np.uint64]]]:
    """The known names as :func:`_tag_ids` reads tags: the candidate id in each slot (past the names:
    none), and each id's length and words (the last id, none's, has length -1)."""
    lengths = np.array([len(name) for name in _NAMES] + [-1], dtype=np.int64)
    assert int(lengths.max()) <= 8 * _WORDS and len(_NAMES) < 255
    words = np.zeros((len(_NAMES) + 1, _WORDS), dtype=np.uint64)
    for i, name in enumerate(_NAMES):
        words[i] = np.frombuffer(name.encode("ascii").ljust(8 * _WORDS, b"\0"), dtype="<u8")
    slots = _slot(lengths[:-1], words[:-1, 0], words[:-1, 1])
    assert np.unique(slots).size == len(_NAMES), "two known names share a slot: change _MIX"
    table = np.full(1 << _SLOT_BITS, len(_NAMES), dtype=np.uint8)
    table[slots] = np.arange(len(_NAMES))
    return table, lengths, [np.ascontiguousarray(words[:, k]) for k in range(_WORDS)]


_SLOTS, _NAME_LENGTHS, _NAME_WORDS = _known_words()


# ---------------------------------------------------------------------------
# records
# ---------------------------------------------------------------------------

#: The columns of each record type: the standard fields (their element paths), then the extra columns.
_FIELDS: Final = {
    "referral": ("CINdetails", {"referral_date": "CINreferralDate", "closure_date": "CINclosureDate"}),
    "single_assessment": (
        "Assessments",
        {"start_date": "AssessmentActualStartDate", "completion_date": "AssessmentAuthorisationDate"},
    ),
    "s47": ("Section47", {"start_date": "S47ActualStartDate", "conference_date": "DateOfInitialCPC"}),
    "cpp": ("ChildProtectionPlans", {"start_date": "CPPstartDate", "end_date": "CPPendDate"}),
    "cin_plan": ("CINPlanDates", {"start_date": "CINPlanStartDate", "end_date": "CINPlanEndDate"}),
}
_EXTRAS: Final = {
    "referral": ("ReferralSource", "PrimaryNeedCode", "ReasonForClosure", "ReferralNFA"),
    "single_assessment": ("AssessmentInternalReviewDate",),
    "s47": ("InitialCPCtarget", "ICPCnotRequired"),
    "cpp": ("InitialCategoryOfAbuse", "LatestCategoryOfAbuse", "NumberOfPreviousCPP"),
    "cin_plan": (),
}


class _Readers:
    """One assembler per record type, fed block by block; the warnings about the whole file."""

    def __init__(self, source: str, style: DateStyle, encoding: str) -> None:
        self.source = source
        self.style = style
        self.encoding = encoding
        self.assemblers: dict[str, Assembler] = {}
        self.unknown: dict[str, list[int]] = {}
        self.differ: list[int] = []  # the lines of the s47 whose conference dates differ
        self.misplaced: dict[str, list[int]] = {}  # element name -> [first line, count]
        self.children = 0

    def _assembler(self, kind: str) -> Assembler:
        """The record type's assembler, made on its first records; its headings are the elements' paths."""
        if kind in self.assemblers:
            return self.assemblers[kind]
        container, fields = _FIELDS[kind]
        mapping = {"child_id": "LAchildID"}
        if kind != "referral":
            mapping["referral_date"] = "CINdetails/CINreferralDate"
        mapping |= {f: f"{container}/{e}" for f, e in fields.items()}
        if kind == "cpp":
            mapping["review_dates"] = "ChildProtectionPlans/Reviews/CPPreviewDate"
        headings = [*mapping.values(), "episode", *_EXTRAS[kind]]  # (in the order block() builds the columns)
        layout = layout_of(headings, kind, mapping, self.source, None)
        self.assemblers[kind] = Assembler(layout, self.source, self.style)
        return self.assemblers[kind]

    def add(self, got: _Parsed) -> None:
        """One block's records and warnings, in the file's order."""
        self.children += got.children
        for kind, chunk in got.chunks.items():
            self._assembler(kind).add(chunk)
        for mine, theirs in ((self.unknown, got.unknown), (self.misplaced, got.misplaced)):
            for name, (line, count) in theirs.items():
                mine.setdefault(name, [line, 0])[1] += count
        self.differ.extend(got.differ)

    def finish(self, header: CensusHeader) -> ReadResult:
        tables: dict[str, Table] = {}
        issues: list[IssueSet] = []
        rejected: list[RejectedRows] = []
        columns: list[ColumnsUsed] = []
        notices: list[Notice] = []
        for kind in ("referral", "single_assessment", "s47", "cpp", "cin_plan"):
            if kind not in self.assemblers:
                continue
            result = self.assemblers[kind].finish()
            tables.update(result.tables)
            issues.extend(result.issues)
            rejected.extend(result.rejected)
            columns.extend(result.columns)
            notices.extend(result.notices)
        for name, (line, count) in sorted(self.unknown.items()):
            notices.append(
                Notice(
                    self.source,
                    UNKNOWN_TYPE,
                    "unknown_element",
                    f"{self.source}: <{name}> is not an element of the census schemas 2017-18 to 2026-27 "
                    f"({_times(count)}, the first on line {line}); it was ignored",
                )
            )
        for name, (line, count) in sorted(self.misplaced.items()):
            notices.append(
                Notice(
                    self.source,
                    UNKNOWN_TYPE,
                    "misplaced_element",
                    f"{self.source}: <{name}> outside the place the census puts it ({_times(count)}, the first on "
                    f"line {line}); those elements were not read as records",
                )
            )
        if self.differ:
            line = self.differ[0]
            notices.append(
                Notice(
                    self.source,
                    "s47",
                    "conference_dates_differ",
                    f"{self.source}: {_times(len(self.differ), 'Section47')} a DateOfInitialCPC different from "
                    f"its CINdetails' one (the first on line {line}); the Section47 date is used",
                )
            )
        return ReadResult(tables, issues, rejected, columns, notices, (header,))


def _parse(source: str, encoding: str, block: bytearray, line0: int) -> _Parsed:
    """The records of one block of whole children, whose first line is ``line0`` (safe on any thread)."""
    got = _Parsed({}, {}, {}, [], 0)
    els, breaks, read = _elements(source, block, line0, got.unknown)  # (``read``: its comments blanked)
    values = _Values(source, read, els, breaks, line0, encoding)
    child = values.of("Child", level=1)
    got.children = int(child.size)
    child_rank = values.rank(child)
    ident = values.of("ChildIdentifiers", parent_in=child)
    child_id = values.leaf_text("LAchildID", ident, child, through=True)
    cin = values.of("CINdetails", parent_in=child)
    _misplaced(got, values, "CINdetails", cin)
    cin_child = child_rank[els.parent[cin]]
    ordinal = _ordinal_within(cin_child)
    ids = _strings(take(child_id, cin_child))
    episode = _per_row(np.strings.add(np.strings.add(ids, "/"), ordinal.astype(str)))  # child id / ordinal
    cin_rank = values.rank(cin)
    referral = values.leaf_text("CINreferralDate", cin, cin)
    cin_conference = values.leaf_text("DateOfInitialCPC", cin, cin)
    columns: dict[str, list[Column]] = {}
    rows: dict[str, _I64] = {}
    columns["referral"] = [
        take(child_id, cin_child), referral, values.leaf_text("CINclosureDate", cin, cin), episode,
        values.leaf_text("ReferralSource", cin, cin), values.leaf_text("PrimaryNeedCode", cin, cin),
        values.leaf_text("ReasonForClosure", cin, cin), _yes_no(values.leaf_text("ReferralNFA", cin, cin)),
    ]  # fmt: skip
    rows["referral"] = values.line_of(cin)
    for kind in ("single_assessment", "s47", "cpp", "cin_plan"):
        container, fields = _FIELDS[kind]
        own = values.of(container, parent_in=cin)
        _misplaced(got, values, container, own)
        at_cin = cin_rank[els.parent[own]]
        cols: list[Column] = [take(child_id, cin_child[at_cin]), take(referral, at_cin)]
        for element in fields.values():
            if kind == "s47" and element == "DateOfInitialCPC":
                own_text, their_text = values.leaf_text(element, own, own), take(cin_conference, at_cin)
                mine, theirs = _strings(own_text), _strings(their_text)
                both = (mine != "") & (theirs != "") & (mine != theirs)
                lines = values.line_of(own)
                got.differ.extend(lines[both].tolist())
                if own_text.long is None and their_text.long is None:
                    cols.append(_per_row(np.where(mine == "", theirs, mine)))
                else:  # (a date of its own emptied for being too long is said so, not replaced by the other)
                    own_long = long_sizes(own_text)
                    theirs_used = (mine == "") & (own_long == 0)
                    sizes = np.where(theirs_used, long_sizes(their_text), own_long)
                    cols.append(_per_row(np.where(theirs_used, theirs, mine), sizes))
            else:
                cols.append(values.leaf_text(element, own, own))
        if kind == "cpp":
            reviews = values.of("Reviews", parent_in=own)
            cols.append(values.lists("CPPreviewDate", reviews, own))
        cols.append(take(episode, at_cin))
        for extra in _EXTRAS[kind]:
            text = values.leaf_text(extra, own, own)
            cols.append(_yes_no(text) if extra == "ICPCnotRequired" else text)
        columns[kind] = cols
        rows[kind] = values.line_of(own)
    for kind, cols in columns.items():
        if rows[kind].size:
            emptied = {i: found for i, col in enumerate(cols) if (found := long_cells(col)) is not None}
            got.chunks[kind] = Chunk(cols, rows[kind], long=emptied)
    return got


def _misplaced(got: _Parsed, values: _Values, name: str, kept: _I64) -> None:
    every = values.of(name)
    if every.size != kept.size:
        lines = values.line_of(np.setdiff1d(every, kept))
        seen = got.misplaced.setdefault(name, [int(lines[0]), 0])
        seen[1] += int(lines.size)


@dataclass
class _Parsed:
    """One block's records by type, and what it holds to warn about (merged in the file's order)."""

    chunks: dict[str, Chunk]
    unknown: dict[str, list[int]]  # element name -> [first line, count]
    misplaced: dict[str, list[int]]
    differ: list[int]
    children: int


def _times(count: int, what: str = "") -> str:
    if what:
        return f"{count:,} {what} {'has' if count == 1 else 'have'}"
    return "once" if count == 1 else f"{count:,} times"


def _ordinal_within(group: _I64) -> _I64:
    """1, 2, 3 ... within each run of equal values (the elements of one child come together)."""
    if not group.size:
        return np.empty(0, dtype=np.int64)
    starts = np.r_[0, np.flatnonzero(np.diff(group)) + 1]
    ordinal: _I64 = (
        np.arange(group.size, dtype=np.int64) - np.repeat(starts, as_intp(np.diff(np.r_[starts, group.size]))) + 1
    )
    return ordinal


def _yes_no(text: Text) -> Text:
    """``true``/``false`` for every spelling the schema allows (``true/false/TRUE/FALSE/1/0``); others as written."""
    said = text_array([yes_no(u) for u in text.uniq.tolist()]) if text.uniq.size else text.uniq
    return Text(text.codes, said, text.missing, text.long)


def _strings(text: Text) -> npt.NDArray[np.str_]:
    """A text column's rows as strings."""
    out: npt.NDArray[np.str_] = text.uniq[text.codes]
    return out


def _per_row(values: npt.NDArray[np.str_], long: _I64 | None = None) -> Text:
    """Strings, one per row, as a text column (its texts need not be distinct: the assembler keys them);
    ``long``: the length of each row's cell emptied for being too long (see :attr:`Text.long`)."""
    return Text(np.arange(values.shape[0], dtype=np.int64), values, np.zeros(values.shape[0], dtype=bool), long)


_ENTITY: Final = re.compile(r"&(#[0-9]+|#x[0-9A-Fa-f]+|[A-Za-z]+);|&")
_NAMED: Final = {"lt": "<", "gt": ">", "amp": "&", "apos": "'", "quot": '"'}


def _distinct_words(words: list[npt.NDArray[np.uint64]]) -> _I64:
    """Codes numbering the distinct rows of one or more words (rows alike get one code), by sorting numbers:
    each further word's codes are combined with those so far, then numbered again."""
    codes = unique_inverse(words[0])[1]
    for word in words[1:]:
        distinct, mine = unique_inverse(word)
        codes = unique_inverse(codes * distinct.size + mine)[1]
    return codes


class _Values:
    """The elements of one block, asked for by name and place, and their texts decoded."""

    def __init__(
        self, source: str, block: bytes | bytearray, els: _Elements, breaks: _I64, line0: int, encoding: str
    ) -> None:
        self.source = source
        self.block = np.frombuffer(block, dtype=np.uint8)
        self.els = els
        self.breaks = breaks
        self.line0 = line0
        self.encoding = encoding

    @functools.cached_property
    def _by_name(self) -> tuple[_I64, _I64]:
        """The elements in order of name id (each name's in the file's order), and where each id's start."""
        names = self.els.name
        small = names.astype(np.uint16) if not names.size or int(names.max()) < 1 << 16 else names
        order = np.argsort(small, kind="stable").astype(np.int64)  # (a radix sort for 16-bit ids)
        bounds = np.searchsorted(self.els.name[order], np.arange(len(_NAMES) + 1)).astype(np.int64)
        return order, bounds

    def of(self, name: str, *, level: int | None = None, parent_in: _I64 | None = None) -> _I64:
        """The elements named ``name`` (at ``level``, or whose parent is one of ``parent_in``), in order."""
        order, bounds = self._by_name
        found = order[bounds[_ID[name]] : bounds[_ID[name] + 1]]
        if level is not None:
            found = found[self.els.level[found] == level]
        if parent_in is not None:
            member = np.zeros(self.els.name.size + 1, dtype=bool)  # (the last place stands for "no parent")
            member[parent_in] = True
            found = found[member[self.els.parent[found]]]
        return found

    def rank(self, elements: _I64) -> _I64:
        """Element index -> its position among ``elements`` (-1 for the others)."""
        rank = np.full(self.els.name.size, -1, dtype=np.int64)
        rank[elements] = np.arange(elements.size)
        return rank

    def line_of(self, elements: _I64) -> _I64:
        out: _I64 = self.line0 + np.searchsorted(self.breaks, self.els.pos[elements]).astype(np.int64)
        return out

    def _held(self, name: str, owners: _I64, records: _I64, depth: int) -> tuple[_I64, _I64]:
        """The ``name`` leaves under ``owners`` and, for each, the position among ``records`` of the record
        ``depth`` levels up that holds it (the leaves whose record is not one of them are left out)."""
        leaves = self.of(name, parent_in=owners)
        holder = leaves
        for _ in range(depth):
            holder = self.els.parent[holder]
        at = np.searchsorted(records, holder)
        ok = (at < records.size) & (records[np.minimum(at, max(records.size - 1, 0))] == holder)
        return leaves[ok], at[ok]

    def leaf_text(self, name: str, owners: _I64, records: _I64, *, through: bool = False) -> Text:
        """The text of the ``name`` leaf of each of ``records`` (``""`` where it has none).

        The leaf's parent is one of ``owners``: the records themselves, or (``through``) their children.
        """
        leaves, at = self._held(name, owners, records, 2 if through else 1)
        found = self._decode(self.els.text_start[leaves], self.els.text_end[leaves], leaves)
        none = found.uniq.shape[0]  # (records without the leaf: the empty text appended after the others)
        codes = np.full(records.size, none, dtype=np.int64)
        codes[at] = found.codes
        uniq = np.concatenate([found.uniq, np.array([""], dtype=found.uniq.dtype)])
        long = None if found.long is None else np.r_[found.long, 0]
        return Text(codes, uniq, np.zeros(none + 1, dtype=bool), long)

    def lists(self, name: str, owners: _I64, records: _I64) -> Lists:
        """Every ``name`` leaf under each record's ``owners`` element, as one list per record (in the file's
        order: the leaves and the records both come in it, so each record's leaves are together)."""
        leaves, at = self._held(name, owners, records, 2)
        offsets = np.zeros(records.size + 1, dtype=np.int64)
        np.cumsum(np.bincount(as_intp(at), minlength=records.size), out=offsets[1:])
        return Lists(offsets, self._decode(self.els.text_start[leaves], self.els.text_end[leaves], leaves))

    def _decode(self, start: _I64, end: _I64, leaves: _I64) -> Text:
        """The texts ``block[start:end]`` as a text column, decoded once per distinct text, stripped,
        entities replaced.

        Plain ASCII texts are decoded vectorised; only the others (beyond ASCII, holding an entity, or
        longer than :data:`_SHORT` bytes) one by one.
        """
        if not start.size:
            return Text(np.empty(0, dtype=np.int64), np.empty(0, dtype="<U1"), np.empty(0, dtype=bool))
        width = end - start
        short = width <= _SHORT
        w = max(int(width[short].max()) if short.any() else 1, 1)
        count = (w + 7) // 8
        words = _tag_words(self.block, start, np.where(short, width, 0), count)
        raw = np.stack(words, axis=1).view(f"S{8 * count}").ravel()  # (little-endian words: the bytes in order)
        codes = _distinct_words(words) if count <= 2 else unique_inverse(raw)[1]
        some = np.empty(int(codes.max()) + 1, dtype=np.int64)  # a row holding each distinct text
        some[codes] = np.arange(codes.size, dtype=np.int64)
        uniq = raw[some]
        codes_u8 = np.ascontiguousarray(uniq).view(np.uint8).reshape(uniq.size, -1)
        plain = ~((codes_u8 >= 128) | (codes_u8 == ord("&"))).any(axis=1)
        if plain.all() and short.all():
            texts: npt.NDArray[np.str_] = np.strings.strip(uniq.astype(f"U{w}"))
            return Text(codes, texts, np.zeros(texts.shape[0], dtype=bool))
        said: list[str] = [""] * uniq.size
        ascii_texts = np.strings.strip(uniq[plain].astype(f"U{w}")).tolist()
        for k, t in zip(np.flatnonzero(plain).tolist(), ascii_texts, strict=True):
            said[k] = str(t)
        first = np.unique(codes, return_index=True)[1]  # (each distinct text's first row, for the line said)
        odd = np.flatnonzero(~plain)
        for k in odd[np.argsort(first[odd], kind="stable")].tolist():  # (in the file's order: its error first)
            said[k] = self._text(bytes(uniq[k]), int(leaves[first[k]]))
        emptied: dict[int, int] = {}  # (the texts over CELL_LIMIT characters, emptied: their lengths)
        for i in np.flatnonzero(~short).tolist():  # long values, one by one, each its own text
            codes[i] = len(said)
            value = self._text(bytes(self.block[start[i] : end[i]]), int(leaves[i]))
            if len(value) > CELL_LIMIT:
                emptied[len(said)] = len(value)
                value = ""
            said.append(value)
        long = None
        if emptied:
            long = np.zeros(len(said), dtype=np.int64)
            long[list(emptied)] = list(emptied.values())
        return Text(codes, text_array(said), np.zeros(len(said), dtype=bool), long)

    def _text(self, value: bytes, leaf: int) -> str:
        line = self.line0 + int(np.searchsorted(self.breaks, self.els.pos[leaf]))
        try:
            text = value.decode(self.encoding)
        except UnicodeDecodeError:
            raise _fail(self.source, line, f"the text is not {self.encoding}") from None
        if "&" in text:
            text = _ENTITY.sub(lambda m: _entity(m, self.source, line), text)
        return text.strip()


def _entity(match: re.Match[str], source: str, line: int) -> str:
    body = match.group(1)
    if body is None:
        raise _fail(source, line, "a bare '&' in a value (write &amp;)")
    if body.startswith("#x"):
        return chr(int(body[2:], 16))
    if body.startswith("#"):
        return chr(int(body[1:]))
    if body in _NAMED:
        return _NAMED[body]
    raise _fail(source, line, f"an undefined entity &{body}; (XML defines only &lt; &gt; &amp; &apos; &quot;)")


def census_as_at(headers: Sequence[CensusHeader]) -> _dt.date | None:
    """The reference date all the census files share (``None`` if they differ or none says)."""
    dates = {h.reference_date for h in headers}
    return dates.pop() if len(dates) == 1 else None
