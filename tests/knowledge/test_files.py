"""The parsed knowledge files are kept per content: an edit is read afresh, a damaged or
unwritable cache is passed over, and what is read is what the YAML says."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

import pytest

from heelpath.errors import KnowledgeError
from heelpath.knowledge import strict_yaml
from heelpath.knowledge.files import CACHE_FORMAT, read_yaml


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
    path = _file(tmp_path, "rule: {a: 1}\nuses: [1, 2]\n")
    first = read_yaml(path)
    assert first == {"rule": {"a": 1}, "uses": [1, 2]}
    assert len(list(cache.glob("rules-*.pickle"))) == 1

    def no_parsing(name: str, raw: bytes) -> object:
        raise AssertionError("parsed again")

    monkeypatch.setattr(strict_yaml, "parse_yaml", no_parsing)
    again = read_yaml(path)
    assert again == first


def test_a_file_cached_before_aliases_were_refused_is_checked_afresh(
    tmp_path: Path, cache: Path
) -> None:
    # a cache entry written under the older format (which kept aliases) is not read
    path = _file(tmp_path, "rule: &x {a: 1}\nuses: [*x]\n")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    cache.mkdir()
    old = cache / f"rules-{digest}-{CACHE_FORMAT - 1}.pickle"
    old.write_bytes(pickle.dumps({"rule": {"a": 1}, "uses": [{"a": 1}]}))
    with pytest.raises(KnowledgeError, match="anchor"):
        read_yaml(path)


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
