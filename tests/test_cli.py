"""`heelpath assess` as the contract describes it: real processes, real files, real exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from heelpath.knowledge import load_knowledge

HEELPATH = [sys.executable, "-m", "heelpath"]
BASE = {
    "age": 46,
    "sex": "female",
    "footwear": ["dress"],
    "work": "seated",
    "pain_score": 5,
    "findings": {"pain_at_insertion": True, "tender_insertion": True, "gradual_onset": True},
}


def run(args: list[str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(HEELPATH + args, input=stdin, capture_output=True, text=True, timeout=60)


def test_json_from_stdin_and_file_agree(tmp_path: Path) -> None:
    a = run(["assess", "--json", "-"], json.dumps(BASE))
    assert a.returncode == 0, a.stderr
    f = tmp_path / "in.json"
    f.write_text(json.dumps(BASE))
    b = run(["assess", "--json", str(f)])
    assert b.returncode == 0
    assert json.loads(a.stdout) == json.loads(b.stdout)
    answer = json.loads(a.stdout)
    assert answer["spec_version"] == "1"
    assert answer["conditions"][0]["id"] == "insertional_achilles_tendinopathy"


BAD = [
    ("{age: 3", "not valid JSON"),
    (json.dumps({"findings": {}}), "age"),
    (json.dumps({"age": 200, "findings": {}}), "age"),
    (json.dumps({"age": -1, "findings": {}}), "age"),
    (json.dumps({"age": "forty", "findings": {}}), "age"),
    (json.dumps({"age": 40}), "findings"),
    (json.dumps({"age": 40, "findings": {"pain_in_elbow": True}}), "pain_in_elbow"),
    (json.dumps({"age": 40, "findings": {"swelling": "yes"}}), "swelling"),
    (json.dumps({"age": 40, "findings": {"swelling": 1}}), "swelling"),
    (json.dumps({"age": 40, "findings": {}, "footwear": ["stilettos"]}), "footwear"),
    (json.dumps({"age": 40, "findings": {}, "sex": "robot"}), "sex"),
    (json.dumps({"age": 40, "findings": {}, "work": "astronaut"}), "work"),
    (json.dumps({"age": 40, "findings": {}, "pain_score": 11}), "pain_score"),
    (json.dumps({"age": 40, "findings": {}, "shoe_size": 9}), "shoe_size"),
    (json.dumps([1, 2]), "object"),
]


@pytest.mark.parametrize(("text", "word"), BAD)
def test_bad_input_exits_2_naming_it_and_prints_nothing(text: str, word: str) -> None:
    r = run(["assess", "--json", "-"], text)
    assert r.returncode == 2
    assert word in r.stderr
    assert r.stdout == ""


def test_a_fall_from_a_height_with_no_fall_exits_2_naming_both() -> None:
    # a yes to the follow-up is a yes to the fall; a no to the fall contradicts it
    findings = {"fall_or_heel_impact": False, "fall_from_height": True}
    r = run(["assess", "--json", "-"], json.dumps({"age": 40, "findings": findings}))
    assert r.returncode == 2 and r.stdout == ""
    assert "findings.fall_from_height" in r.stderr
    assert "findings.fall_or_heel_impact" in r.stderr


def test_missing_file_exits_2(tmp_path: Path) -> None:
    r = run(["assess", "--json", str(tmp_path / "nope.json")])
    assert r.returncode == 2 and "cannot read" in r.stderr and r.stdout == ""


def test_batch_keeps_going_past_a_bad_line(tmp_path: Path) -> None:
    rupture = {"age": 38, "findings": {"palpable_gap": True, "calf_squeeze_no_foot_movement": True}}
    f = tmp_path / "in.jsonl"
    f.write_text(
        json.dumps(BASE) + "\n" + '{"age": "x"}\n' + "not json\n\n" + json.dumps(rupture) + "\n"
    )
    r = run(["assess", "--batch", str(f)])
    assert r.returncode == 0, r.stderr
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(lines) == 4
    assert "error" in lines[1] and "age" in lines[1]["error"]
    assert "error" in lines[2]
    assert lines[3]["triage"]["level"] in ("urgent", "emergency")
    single = json.loads(run(["assess", "--json", "-"], json.dumps(BASE)).stdout)
    assert lines[0] == single


def test_open_questions_only_with_the_flag(tmp_path: Path) -> None:
    fall = {"age": 45, "sex": "female", "findings": {"fall_or_heel_impact": True}}
    plain = json.loads(run(["assess", "--json", "-"], json.dumps(fall)).stdout)
    assert "open_questions" not in plain
    r = run(["assess", "--json", "-", "--open-questions"], json.dumps(fall))
    assert r.returncode == 0, r.stderr
    asked = json.loads(r.stdout)
    questions = asked.pop("open_questions")
    assert asked == plain
    assert questions and all(set(q) == {"finding", "would_change"} for q in questions)
    assert all(set(q["would_change"]) <= {"triage", "leading"} for q in questions)
    f = tmp_path / "in.jsonl"
    f.write_text(json.dumps(fall) + "\n")
    batch = run(["assess", "--batch", str(f), "--open-questions"])
    assert json.loads(batch.stdout)["open_questions"] == questions


def test_batch_of_an_unreadable_file_fails(tmp_path: Path) -> None:
    r = run(["assess", "--batch", str(tmp_path / "missing.jsonl")])
    assert r.returncode != 0 and r.stdout == ""


def test_assess_needs_exactly_one_mode() -> None:
    assert run(["assess"]).returncode == 2


def test_knowledge_prints_the_review_tables() -> None:
    r = run(["knowledge", "evidence", "--condition", "achilles_tendon_rupture"])
    assert r.returncode == 0, r.stderr
    assert "calf_squeeze_no_foot_movement" in r.stdout
    r = run(["knowledge", "conditions"])
    assert "midportion_achilles_tendinopathy" in r.stdout
    assert run(["knowledge", "nonsense"]).returncode == 2


def test_serve_with_two_workers_answers_on_loopback(tmp_path: Path) -> None:
    import socket
    import time
    import urllib.error
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [*HEELPATH, "serve", "--port", str(port), "--workers", "2"], stdout=log, stderr=log
    )
    # Ready when /healthz says so (it assesses a known case). Two workers each load the
    # knowledge; on a busy machine that takes a while, so poll until a generous deadline
    # rather than for a fixed time, and stop early if the server has exited.
    deadline = time.monotonic() + 180
    body = b""
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    body = r.read()
                break
            except (OSError, urllib.error.URLError):
                time.sleep(0.25)
        assert body == b'{"status":"ok"}', (tmp_path / "serve.log").read_text()[-2000:]
    finally:
        proc.terminate()
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        log.close()


def test_serve_refuses_zero_workers() -> None:
    r = run(["serve", "--workers", "0"])
    assert r.returncode == 2 and "workers" in r.stderr


def test_knowledge_matrix_prints_table_and_csv() -> None:
    r = run(["knowledge", "matrix"])
    assert r.returncode == 0, r.stderr
    assert "0 undecided" in r.stdout and "dvt = deep_vein_thrombosis" in r.stdout
    r = run(["knowledge", "matrix", "--csv"])
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "finding,condition,decision,lr_pos,lr_neg,source,basis"
    k = load_knowledge()
    assert len(lines) == 1 + len(k.findings) * len(k.conditions)
    assert any(line.startswith("fall_from_height,calcaneal_fracture,estimate,") for line in lines)
    assert run(["knowledge", "rules", "--csv"]).returncode == 2
