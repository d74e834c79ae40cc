"""The compiled reasoning core: used only when built from the sources beside it, and the
same answers either way."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from heelpath import _native

ROOT = Path(__file__).resolve().parents[1]


def _package(tmp_path: Path, *, compiled: bool = True, extensions: bool = True) -> Path:
    """A fake package: two sources, their manifest, and (optionally) compiled files."""
    pkg = tmp_path / "heelpath"
    (pkg / "reasoning").mkdir(parents=True)
    sources = {"heelpath.reasoning.a": "x = 1\n", "heelpath.reasoning.b": "y = 2\n"}
    for module, text in sources.items():
        path = _native.source_of(module, pkg)
        path.write_text(text)
        if extensions:
            path.with_name(path.stem + ".cpython-311-x86_64-linux-gnu.so").write_bytes(b"")
    digests = {m: hashlib.sha256(t.encode()).hexdigest() for m, t in sources.items()}
    (pkg / _native.MANIFEST).write_text(json.dumps({"compiled": compiled, "modules": digests}))
    return pkg


def test_built_sources_unchanged_use_the_compiled_modules(tmp_path: Path) -> None:
    status = _native.decide(_package(tmp_path), {})
    assert status.compiled, status.reason
    assert status.modules == ("heelpath.reasoning.a", "heelpath.reasoning.b")


def test_an_edited_source_runs_every_module_from_source(tmp_path: Path) -> None:
    pkg = _package(tmp_path)
    (pkg / "reasoning" / "b.py").write_text("y = 3\n")
    status = _native.decide(pkg, {})
    assert not status.compiled
    assert status.stale
    assert "heelpath/reasoning/b.py changed" in status.reason
    assert "uv sync" in status.reason


@pytest.mark.parametrize("value", ["1", "true", "yes"])
def test_pure_python_on_request(tmp_path: Path, value: str) -> None:
    status = _native.decide(_package(tmp_path), {_native.PURE_ENV: value})
    assert not status.compiled
    assert not status.stale
    assert _native.PURE_ENV in status.reason


@pytest.mark.parametrize("value", ["", "0", "false", "no"])
def test_pure_python_off(tmp_path: Path, value: str) -> None:
    assert _native.decide(_package(tmp_path), {_native.PURE_ENV: value}).compiled


def test_a_pure_build_and_a_missing_extension_use_the_sources(tmp_path: Path) -> None:
    pure = _native.decide(_package(tmp_path / "p", compiled=False), {})
    assert not pure.compiled
    assert "built with" in pure.reason
    missing = _native.decide(_package(tmp_path / "m", extensions=False), {})
    assert not missing.compiled
    assert "no compiled module for heelpath.reasoning.a" in missing.reason


def test_no_manifest_means_nothing_to_choose(tmp_path: Path) -> None:
    (tmp_path / "heelpath").mkdir()
    status = _native.decide(tmp_path / "heelpath", {})
    assert not status.compiled
    assert status.modules == ()


def test_the_source_finder_loads_the_py_file(tmp_path: Path) -> None:
    pkg = _package(tmp_path)
    finder = _native.FromSource(["heelpath.reasoning.a"], pkg)
    spec = finder.find_spec("heelpath.reasoning.a", None)
    assert spec is not None
    assert spec.origin == str(pkg / "reasoning" / "a.py")
    assert finder.find_spec("heelpath.engine", None) is None


def test_the_build_compiles_the_modules_it_lists() -> None:
    """In CI (HEELPATH_REQUIRE_COMPILED=1) the engine under test is the compiled one."""
    status = _native.STATUS
    if not status.compiled:
        if os.environ.get("HEELPATH_REQUIRE_COMPILED") == "1":
            pytest.fail(f"the compiled reasoning core is required here: {status.reason}")
        pytest.skip(f"the reasoning core runs from its sources: {status.reason}")
    for module in status.modules:
        assert sys.modules[module].__file__ == str(_native.extension_of(module)), module


def test_uv_rebuilds_when_any_compiled_source_changes() -> None:
    """Every compiled module's source is one of uv's cache keys, so `uv run` recompiles it."""
    import fnmatch
    import tomllib

    if not _native.STATUS.modules:
        pytest.skip(f"no build manifest: {_native.STATUS.reason}")
    keys = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["uv"]["cache-keys"]
    globs = [k["file"] for k in keys if "file" in k]
    assert "setup.py" in globs
    assert {"env": _native.PURE_ENV} in keys
    for module in _native.STATUS.modules:
        source = _native.source_of(module).relative_to(ROOT).as_posix()
        assert any(fnmatch.fnmatch(source, g) for g in globs), f"{source} is no uv cache key"


def test_compiled_and_source_give_the_same_answers() -> None:
    """The same inputs through the compiled core and through its sources, byte for byte."""
    if not _native.STATUS.compiled:
        pytest.skip(f"nothing compiled to compare: {_native.STATUS.reason}")
    vignettes = ROOT.parent / "shared" / "vignettes" / "dev.jsonl"
    cases = _random_inputs(600)
    if vignettes.is_file():
        cases += [json.loads(line)["input"] for line in vignettes.read_text().splitlines() if line]
    script = (
        "import sys, orjson, heelpath, heelpath._native as n\n"
        "e = heelpath.Engine()\n"
        "out = [orjson.dumps(e.assess(orjson.loads(l))) for l in sys.stdin.buffer]\n"
        "sys.stdout.buffer.write(orjson.dumps({'compiled': n.STATUS.compiled, 'answers':"
        " [o.decode() for o in out]}))\n"
    )
    stdin = b"\n".join(orjson.dumps(c) for c in cases)
    runs = {}
    for pure in ("0", "1"):
        env = {**os.environ, _native.PURE_ENV: pure}
        done = subprocess.run(
            [sys.executable, "-c", script], input=stdin, capture_output=True, env=env, check=True
        )
        runs[pure] = orjson.loads(done.stdout)
    assert runs["0"]["compiled"] and not runs["1"]["compiled"]
    assert len(runs["0"]["answers"]) == len(cases)
    assert runs["0"]["answers"] == runs["1"]["answers"]


def _random_inputs(n: int) -> list[dict[str, object]]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from _inputs import random_inputs
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return random_inputs(n, seed=3)
