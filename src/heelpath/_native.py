"""The compiled reasoning core: use it only when it was built from the sources beside it.

``setup.py`` compiles the hot path of an assessment (the modules listed in
``_compiled.json``) with mypyc and records each source's SHA-256 in that file.
When heelpath is first imported, :func:`activate` compares them with the
sources now on disk. The compiled modules are used when every one matches;
otherwise *all* of them load from their ``.py`` sources (all or none: compiled
modules call each other directly), so the code that runs is always the code
you read:

- ``HEELPATH_PURE_PYTHON=1`` (at run time or build time) asks for the sources;
- a source edited since the build is stale: a ``RuntimeWarning`` says so, and
  any ``uv run`` rebuilds (pyproject.toml lists the sources as uv cache keys);
- without ``_compiled.json`` (no build step ran) nothing is done.

Pure standard library, and nothing here is compiled.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

MANIFEST = "_compiled.json"
PURE_ENV = "HEELPATH_PURE_PYTHON"
PACKAGE_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Status:
    """Whether the compiled modules are in use, and if not, why (in words)."""

    compiled: bool
    reason: str
    modules: tuple[str, ...] = ()  # the modules the build compiles (or would)
    stale: bool = False  # a source changed after the build


def wants_pure(environ: Mapping[str, str]) -> bool:
    return environ.get(PURE_ENV, "").strip().lower() not in ("", "0", "false", "no")


def source_of(module: str, package_dir: Path = PACKAGE_DIR) -> Path:
    """``heelpath.reasoning.plan`` -> .../heelpath/reasoning/plan.py"""
    head, *rest = module.split(".")
    if head != package_dir.name:
        raise ValueError(f"{module} is not a module of {package_dir.name}")
    return package_dir.joinpath(*rest).with_suffix(".py")


def decide(package_dir: Path, environ: Mapping[str, str]) -> Status:
    """Read the build's manifest and decide between the compiled modules and their sources."""
    manifest = package_dir / MANIFEST
    if not manifest.is_file():
        return Status(False, "heelpath was not built with compiled modules")
    data = json.loads(manifest.read_text())
    recorded: dict[str, str] = data["modules"]
    modules = tuple(recorded)
    if wants_pure(environ):
        return Status(False, f"{PURE_ENV} is set", modules)
    if not data["compiled"]:
        return Status(False, f"heelpath was built with {PURE_ENV} set", modules)
    changed = [
        str(source_of(m, package_dir).relative_to(package_dir.parent))
        for m, digest in recorded.items()
        if hashlib.sha256(source_of(m, package_dir).read_bytes()).hexdigest() != digest
    ]
    if changed:
        return Status(
            False,
            f"{', '.join(changed)} changed since heelpath was built, so the reasoning core "
            "runs from its sources (slower); `uv sync` or any `uv run` rebuilds it",
            modules,
            stale=True,
        )
    missing = [m for m in modules if not extension_of(m, package_dir)]
    if missing:
        return Status(False, f"no compiled module for {', '.join(missing)}", modules)
    return Status(True, "", modules)


def extension_of(module: str, package_dir: Path = PACKAGE_DIR) -> Path | None:
    """The compiled module beside the source, if there is one (nothing is imported)."""
    source = source_of(module, package_dir)
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        built = source.with_name(source.stem + suffix)
        if built.is_file():
            return built
    return None


class FromSource(importlib.abc.MetaPathFinder):
    """Finds the listed modules at their ``.py`` sources, ahead of any compiled build."""

    def __init__(self, modules: Sequence[str], package_dir: Path) -> None:
        self.sources = {m: source_of(m, package_dir) for m in modules}

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        source = self.sources.get(fullname)
        if source is None:
            return None
        return importlib.util.spec_from_file_location(fullname, source)


STATUS = Status(False, "not checked yet")


def describe() -> str:
    """One line for benchmark output: which reasoning core is running."""
    if STATUS.compiled:
        return "reasoning core: compiled (mypyc)"
    return f"reasoning core: from its sources ({STATUS.reason})"


def activate(package_dir: Path = PACKAGE_DIR, environ: Mapping[str, str] = os.environ) -> Status:
    """Decide once, before any compiled module is imported; install the source finder if needed."""
    global STATUS
    status = decide(package_dir, environ)
    if not status.compiled and status.modules:
        loaded = [m for m in status.modules if m in sys.modules]
        if loaded:  # too late to choose: say so rather than run a mix
            raise ImportError(f"activate() must run before {', '.join(loaded)} is imported")
        sys.meta_path.insert(0, FromSource(status.modules, package_dir))
        if status.stale:
            warnings.warn(status.reason, RuntimeWarning, stacklevel=2)
    STATUS = status
    return status
