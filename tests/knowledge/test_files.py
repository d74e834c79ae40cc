"""The parsed knowledge files are kept per content: an edit is read afresh, a damaged or
unwritable cache is passed over, and what is read is what the YAML says."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from heelpath.knowledge import strict_yaml
from heelpath.knowledge.files import read_yaml


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("HEELPATH_CACHE_DIR", str(folder))
    return folder


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(text)
    return path


def test_a_file_is_parsed_once_and_then_read_from_the_cache(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _file(tmp_path, "shared: &x {a: 1}\nuses: [*x, *x]\n")
    first = read_yaml(path)
    assert first == {"shared": {"a": 1}, "uses": [{"a": 1}, {"a": 1}]}
    assert len(list(cache.glob("rules-*.pickle"))) == 1

    def no_parsing(name: str, raw: bytes) -> object:
        raise AssertionError("parsed again")

    monkeypatch.setattr(strict_yaml, "parse_yaml", no_parsing)
    again = read_yaml(path)
    assert again == first
    assert again["uses"][0] is again["uses"][1] is again["shared"]  # aliases stay shared


def test_an_edited_file_is_parsed_afresh(tmp_path: Path, cache: Path) -> None:
    path = _file(tmp_path, "value: 1\n")
    assert read_yaml(path) == {"value": 1}
    path.write_text("value: 2\n")
    assert read_yaml(path) == {"value": 2}
    assert len(list(cache.glob("rules-*.pickle"))) == 2


def test_a_damaged_cache_entry_is_parsed_afresh(tmp_path: Path, cache: Path) -> None:
    path = _file(tmp_path, "value: 1\n")
    read_yaml(path)
    (entry,) = cache.glob("rules-*.pickle")
    entry.write_bytes(b"not a pickle")
    assert read_yaml(path) == {"value": 1}
    assert pickle.loads(entry.read_bytes()) == {"value": 1}  # and the entry is mended


def test_an_unwritable_cache_is_passed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("HEELPATH_CACHE_DIR", str(blocker / "cache"))  # cannot be a folder
    assert read_yaml(_file(tmp_path, "value: 1\n")) == {"value": 1}


def test_bad_yaml_is_refused_whatever_the_cache(tmp_path: Path, cache: Path) -> None:
    from heelpath.errors import KnowledgeError

    with pytest.raises(KnowledgeError, match=r"rules\.yaml.*not valid YAML"):
        read_yaml(_file(tmp_path, "value: [1\n"))
    assert not list(cache.glob("*.pickle"))
