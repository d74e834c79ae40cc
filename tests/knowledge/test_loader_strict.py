"""A corrupt or hostile knowledge file is refused with one line naming file, entry and field.

Each case edits a copy of the shipped knowledge as text, the way a careless
edit or a hostile file would, and asserts the loader raises KnowledgeError
(never another exception, never a silent load) with a one-line message that
names what it must.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from heelpath.errors import KnowledgeError
from heelpath.knowledge import KNOWLEDGE_DIR, load_knowledge

Edit = Callable[[Path], None]


def _copy(tmp_path: Path) -> Path:
    d = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, d, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return d


def _first_ratio() -> tuple[str, str]:
    """The first likelihood ratio written in evidence.yaml, and its entry's name."""
    text = (KNOWLEDGE_DIR / "evidence.yaml").read_text(encoding="utf-8")
    m = re.search(r"finding: (\w+)\s+condition: (\w+)\s+lr_pos: ([0-9.]+)", text)
    assert m is not None
    return f"lr_pos: {m.group(3)}", f"{m.group(1)} x {m.group(2)}"


def _first_prior() -> tuple[str, str]:
    text = (KNOWLEDGE_DIR / "conditions.yaml").read_text(encoding="utf-8")
    m = re.search(r"- id: (\w+)(?:(?!\n  - id:).)*?adult: ([0-9.]+)", text, re.S)
    assert m is not None
    return f"adult: {m.group(2)}", m.group(1)


def replace(file: str, old: str, new: str) -> Edit:
    def edit(d: Path) -> None:
        text = (d / file).read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {file}"
        (d / file).write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def prepend(file: str, text: str) -> Edit:
    def edit(d: Path) -> None:
        (d / file).write_text(text + (d / file).read_text(encoding="utf-8"), encoding="utf-8")

    return edit


def write_bytes(file: str, change: Callable[[bytes], bytes]) -> Edit:
    def edit(d: Path) -> None:
        (d / file).write_bytes(change((d / file).read_bytes()))

    return edit


RATIO, RATIO_ENTRY = _first_ratio()
PRIOR, PRIOR_ENTRY = _first_prior()
BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 10 if prev else ['x'] * 10)}]\n"
    for prev, name in zip(["", "a", "b", "c", "d", "e", "f"], "abcdefg", strict=True)
)

CASES: dict[str, tuple[Edit, list[str]]] = {
    # id: (the edit, words the one-line message must hold)
    "NaN likelihood ratio": (
        replace("evidence.yaml", RATIO, "lr_pos: .nan"),
        ["evidence.yaml", RATIO_ENTRY, "lr_pos", "finite"],
    ),
    "infinite likelihood ratio": (
        replace("evidence.yaml", RATIO, "lr_pos: -.inf"),
        ["evidence.yaml", RATIO_ENTRY, "lr_pos", "finite"],
    ),
    "NaN prior": (
        replace("conditions.yaml", PRIOR, "adult: .NaN"),
        ["conditions.yaml", PRIOR_ENTRY, "prior.adult", "finite"],
    ),
    "NaN anywhere, even a field nothing reads yet": (
        replace("red_flags.yaml", "    level:", "    note: .nan\n    level:"),
        ["red_flags.yaml", "note", "finite"],
    ),
    "a number too large for a float": (
        replace("evidence.yaml", RATIO, "lr_pos: " + "9" * 400),
        ["evidence.yaml", RATIO_ENTRY, "lr_pos", "out of range"],
    ),
    "a number written as text": (
        replace("conditions.yaml", PRIOR, "adult: '0.1'"),
        ["conditions.yaml", PRIOR_ENTRY, "adult", "expected a number"],
    ),
    "a fractional age bound": (
        replace("conditions.yaml", "{age_min: 50}", "{age_min: 50.5}"),
        ["conditions.yaml", "age_min", "whole number"],
    ),
    "a duplicate key": (
        replace("evidence.yaml", RATIO, RATIO + "\n    lr_pos: 2.0"),
        ["evidence.yaml", "duplicate key 'lr_pos'", "line"],
    ),
    "an alias bomb": (prepend("sources.yaml", BOMB), ["sources.yaml", "anchor '&a'", "line 1"]),
    "an alias that contains itself": (
        prepend("sources.yaml", "loop: &loop [1, *loop]\n"),
        ["sources.yaml", "anchor '&loop'", "line 1"],
    ),
    "an alias standing for a shared rule": (
        replace(
            "interventions.yaml",
            "\n  rupture_suspected:\n",
            "\n  rupture_suspected: &rupture\n",
        ),
        ["interventions.yaml", "anchor '&rupture'", "not allowed"],
    ),
    "a rule the language cannot read": (
        replace("red_flags.yaml", "    when:", "    when: {absent: [a, b]}\n    unused_when:"),
        ["red_flags.yaml"],
    ),
    "invalid UTF-8": (
        write_bytes("findings.yaml", lambda b: b.replace(b"findings:", b"findings: \xff\xfe", 1)),
        ["findings.yaml", "UTF-8", "line"],
    ),
    "nesting far too deep": (
        prepend("sources.yaml", "deep: " + "[" * 20_000 + "]" * 20_000 + "\n"),
        ["sources.yaml", "YAML"],
    ),
    "a list where a mapping belongs": (
        lambda d: (d / "evidence.yaml").write_text("- 1\n- 2\n"),
        ["evidence.yaml", "mapping"],
    ),
    "a folder where a file belongs": (
        lambda d: ((d / "evidence.yaml").unlink(), (d / "evidence.yaml").mkdir()),  # type: ignore[func-returns-value]
        ["evidence.yaml", "cannot be read"],
    ),
    "vocabulary.json: NaN": (
        replace("vocabulary.json", '"spec_version": "1"', '"spec_version": NaN'),
        ["vocabulary.json", "NaN"],
    ),
    "vocabulary.json: cut short": (
        write_bytes("vocabulary.json", lambda b: b[:500]),
        ["vocabulary.json", "not valid JSON", "line"],
    ),
    "vocabulary.json: not UTF-8": (
        write_bytes("vocabulary.json", lambda b: b"\xff" + b),
        ["vocabulary.json", "UTF-8"],
    ),
    "vocabulary.json: wrong shape": (
        lambda d: (d / "vocabulary.json").write_text('{"spec_version": "1", "triage_levels": [1]}'),
        ["vocabulary.json", "triage_levels #1"],
    ),
    "vocabulary.json: an entry without its text": (
        replace("vocabulary.json", '"text"', '"txt"'),
        ["vocabulary.json", "text"],
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_broken_file_is_refused_in_one_line_naming_where(tmp_path: Path, case: str) -> None:
    edit, words = CASES[case]
    d = _copy(tmp_path)
    edit(d)
    started = time.perf_counter()
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(d)
    message = str(caught.value)
    assert "\n" not in message
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"
    assert time.perf_counter() - started < 30  # an alias bomb is refused, not expanded


YAML_FILES = sorted(p.name for p in KNOWLEDGE_DIR.glob("*.yaml"))


@pytest.mark.parametrize("file", YAML_FILES)
def test_an_alias_in_any_knowledge_file_is_refused_naming_file_and_line(
    tmp_path: Path, file: str
) -> None:
    # an alias is refused outright, not only when it loops or expands: the second
    # line of the file uses a value the first line names
    d = _copy(tmp_path)
    text = (d / file).read_text(encoding="utf-8")
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines) if re.match(r"[a-z_]+:", line))
    lines[first:first] = ["x_named: &shared 0.5", "x_used: *shared"]
    (d / file).write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(d)
    message = str(caught.value)
    assert "\n" not in message
    assert file in message and f"line {first + 1}," in message and "&shared" in message, message

    # an alias is named too (here one whose anchor has gone)
    lines[first] = "x_named: 0.5"
    (d / file).write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(
        KnowledgeError, match=rf"{file}: a YAML alias '\*shared' \(line {first + 2},"
    ):
        load_knowledge(d)


def test_the_shipped_knowledge_has_no_anchor_or_alias() -> None:
    for file in YAML_FILES:
        text = (KNOWLEDGE_DIR / file).read_text(encoding="utf-8")
        assert not [e for e in yaml.parse(text) if getattr(e, "anchor", None)], file


@pytest.mark.parametrize("command", [["assess", "--json", "-"], ["serve", "--port", "0"]])
def test_the_cli_prints_one_line_and_exits_2_on_broken_knowledge(
    tmp_path: Path, command: list[str]
) -> None:
    d = _copy(tmp_path)
    replace("evidence.yaml", RATIO, "lr_pos: .nan")(d)
    r = subprocess.run(
        [sys.executable, "-m", "heelpath", *command],
        input='{"age": 40, "findings": {}}',
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HEELPATH_KNOWLEDGE_DIR": str(d)},
    )
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "evidence.yaml" in lines[0] and "lr_pos" in lines[0], r.stderr
    assert "Traceback" not in r.stderr
    assert r.stdout == ""
