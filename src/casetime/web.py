"""``casetime web``: the whole library in a browser tab, offline, with no install.

:func:`build_site` writes a folder holding one page (``index.html``), the Pyodide runtime (CPython
compiled to WebAssembly), numpy, python-dateutil and casetime itself. Opened from ``file://`` or
any static server, the page runs casetime's own command line (``casetime report`` and ``casetime
validate``) inside the tab on the files the user picks: the numbers are the command line's. No file
leaves the machine: every file the page needs is in the folder, served to the runtime from memory
by a ``fetch`` that refuses any other request, so the page makes no network request at all.

The runtime is not shipped with casetime (it is 20 MB): give an offline Pyodide 0.27 folder (the npm
package ``pyodide@0.27.7`` with numpy, python-dateutil and six's wheels beside it) as ``pyodide=``
(``--pyodide DIR``, or the ``CASETIME_PYODIDE`` environment variable).

>>> sorted(RUNTIME_FILES)[:2]
['pyodide-lock.json', 'pyodide.asm.js']
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import importlib.resources
import io
import json
import os
import zipfile
from pathlib import Path
from typing import Final

from casetime.errors import CasetimeError

__all__ = ["RUNTIME_FILES", "PACKAGES", "MARKER", "build_site", "package_wheel", "find_pyodide"]

#: The Pyodide runtime's own files the page needs.
RUNTIME_FILES: Final = ("pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
#: The packages of Pyodide's distribution that casetime needs (by their names in ``pyodide-lock.json``).
PACKAGES: Final = ("numpy", "python-dateutil", "six")
#: The file that marks a folder as written by ``casetime web`` (so that writing again replaces only its files).
MARKER: Final = ".casetime-web"
#: Files loaded with a ``<script>`` tag (which works from ``file://``, where ``fetch`` does not).
_SCRIPTS: Final = ("pyodide.js", "pyodide.asm.js")


def find_pyodide(given: str | os.PathLike[str] | None = None) -> Path:
    """The offline Pyodide folder: ``given``, else ``$CASETIME_PYODIDE``; refused unless it holds the runtime."""
    chosen = given if given is not None else os.environ.get("CASETIME_PYODIDE")
    if not chosen:
        raise CasetimeError(
            "casetime web needs an offline Pyodide 0.27 runtime: give --pyodide DIR (or set CASETIME_PYODIDE), "
            "a folder holding pyodide.js, pyodide.asm.wasm, python_stdlib.zip, pyodide-lock.json and the wheels of "
            "numpy, python-dateutil and six (npm pack pyodide@0.27.7 gives the runtime)"
        )
    folder = Path(chosen)
    missing = [name for name in RUNTIME_FILES if not (folder / name).is_file()]
    if missing:
        raise CasetimeError(f"{folder}: not an offline Pyodide runtime folder (missing {', '.join(missing)})")
    return folder


def package_wheel() -> tuple[str, bytes]:
    """casetime as a wheel (its file name and bytes), made from the installed package's own files."""
    import casetime

    root = Path(casetime.__file__).resolve().parent
    dist = importlib.metadata.distribution("casetime")
    version = dist.version
    info = f"casetime-{version}.dist-info"
    entries: list[tuple[str, bytes]] = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo"):
            entries.append((f"casetime/{path.relative_to(root).as_posix()}", path.read_bytes()))
    metadata = (dist.read_text("METADATA") or f"Metadata-Version: 2.1\nName: casetime\nVersion: {version}\n").encode()
    wheel = b"Wheel-Version: 1.0\nGenerator: casetime web\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    entries += [(f"{info}/METADATA", metadata), (f"{info}/WHEEL", wheel)]
    record = []
    for name, data in entries:
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(data)}")
    record.append(f"{info}/RECORD,,")
    entries.append((f"{info}/RECORD", ("\n".join(record) + "\n").encode()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return f"casetime-{version}-py3-none-any.whl", buffer.getvalue()


def _asset_script(name: str, data: bytes) -> str:
    """A script that puts one file's bytes (base64) where the page's ``fetch`` finds them."""
    encoded = base64.b64encode(data).decode("ascii")
    return f"(window.casetimeAssets = window.casetimeAssets || {{}})[{json.dumps(name)}] = {json.dumps(encoded)};\n"


def build_site(
    out: str | os.PathLike[str],
    *,
    pyodide: str | os.PathLike[str] | None = None,
    wheel: str | os.PathLike[str] | None = None,
) -> list[Path]:
    """Write the offline page and everything it needs into the folder ``out``; returns the files written.

    ``out`` must be new, empty, or a folder this function wrote before (it holds :data:`MARKER`).
    ``wheel`` is casetime's wheel to put in the page (default: made from the installed package).
    """
    folder = Path(out)
    if folder.exists() and (not folder.is_dir() or (any(folder.iterdir()) and not (folder / MARKER).is_file())):
        raise CasetimeError(f"{folder}: not an empty folder, nor one casetime web wrote: choose a new folder")
    runtime = find_pyodide(pyodide)
    lock = json.loads((runtime / "pyodide-lock.json").read_text(encoding="utf-8"))
    wheels: dict[str, bytes] = {}
    for name in PACKAGES:
        entry = lock.get("packages", {}).get(name)
        if entry is None or not (runtime / entry["file_name"]).is_file():
            raise CasetimeError(f"{runtime}: no wheel of {name} beside the runtime (its pyodide-lock.json entry)")
        data = (runtime / entry["file_name"]).read_bytes()
        if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
            raise CasetimeError(f"{runtime / entry['file_name']}: its sha256 differs from pyodide-lock.json's")
        wheels[entry["file_name"]] = data
    if wheel is not None:
        own_name, own = Path(wheel).name, Path(wheel).read_bytes()
    else:
        own_name, own = package_wheel()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "assets").mkdir(exist_ok=True)
    written = []

    def write(path: Path, text: str) -> None:
        from casetime.cells import replace_file

        with replace_file(path) as handle:
            handle.write(text)
        written.append(path)

    scripts = []
    for name in RUNTIME_FILES:
        data = (runtime / name).read_bytes()
        if name in _SCRIPTS:
            target = folder / "assets" / name
            write(target, data.decode("utf-8"))
        else:
            target = folder / "assets" / f"{name}.js"
            write(target, _asset_script(name, data))
        scripts.append(target.name)
    for name, data in [*wheels.items(), (own_name, own)]:
        write(folder / "assets" / f"{name}.js", _asset_script(name, data))
        scripts.append(f"{name}.js")
    template = importlib.resources.files("casetime").joinpath("data/web/index.html").read_text(encoding="utf-8")
    data_scripts = "\n".join(
        f'<script src="assets/{name}"></script>' for name in scripts if name not in _SCRIPTS
    )  # (pyodide.asm.js and pyodide.js are loaded by the page's own tags: a script tag works from file://)
    page = template.replace("<!-- casetime:assets -->", data_scripts).replace("casetime:wheel", own_name)
    page = page.replace("casetime:packages", json.dumps(list(PACKAGES)))
    write(folder / "index.html", page)
    write(folder / MARKER, "written by casetime web: every file here is replaced when it writes again\n")
    return written
