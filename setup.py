"""Build heelpath with its reasoning core compiled by mypyc.

The project's metadata is in pyproject.toml; this file only adds the compiled
modules. The reasoning core is ordinary typed Python (mypy --strict); mypyc turns
the modules in ``COMPILED`` into C extensions, which (with code written for the
compiler: docs/performance.md) run the engine about 3x faster. Each build also
writes ``src/heelpath/_compiled.json``: the SHA-256 of every compiled module's
source, so that ``heelpath/_native.py`` uses a compiled module only when it was
built from the very source beside it.

``HEELPATH_PURE_PYTHON=1`` builds without compiling (no C compiler needed).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from setuptools import setup

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
PACKAGE = SRC / "heelpath"
MANIFEST = PACKAGE / "_compiled.json"

# The hot path of one assessment: from the validated case to the answer dict. Nothing that
# reads files (knowledge/loader.py), serves the web or parses the command line.
COMPILED = (
    "heelpath/case.py",
    "heelpath/knowledge/expressions.py",
    "heelpath/reasoning/results.py",
    "heelpath/reasoning/differential.py",
    "heelpath/reasoning/triage.py",
    "heelpath/reasoning/safety.py",
    "heelpath/reasoning/plan.py",
    "heelpath/engine.py",
)


def _pure() -> bool:
    value = os.environ.get("HEELPATH_PURE_PYTHON", "").strip().lower()
    return value not in ("", "0", "false", "no")


def _remove_inplace_builds() -> None:
    """A pure build leaves no compiled module behind in the source tree (editable installs)."""
    for path in COMPILED:
        for built in (SRC / path).parent.glob(Path(path).stem + ".*.so"):
            built.unlink()
    for lib in SRC.glob("heelpath__mypyc.*.so"):
        lib.unlink()


def _write_manifest(compiled: bool) -> None:
    modules = {
        path.removesuffix(".py").replace("/", "."): hashlib.sha256(
            (SRC / path).read_bytes()
        ).hexdigest()
        for path in COMPILED
    }
    MANIFEST.write_text(json.dumps({"compiled": compiled, "modules": modules}, indent=2) + "\n")


def _ext_modules() -> list[Any]:
    if _pure():
        _remove_inplace_builds()
        _write_manifest(compiled=False)
        return []
    from mypyc.build import mypycify

    _write_manifest(compiled=True)
    return mypycify(
        [os.path.relpath(SRC / path, HERE) for path in COMPILED],
        opt_level="3",
        group_name="heelpath",
    )


setup(ext_modules=_ext_modules())
