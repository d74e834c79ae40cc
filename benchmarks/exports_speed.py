"""What the exports cost, over the development cases: the printable plan and the FHIR Bundle.

    uv run python benchmarks/exports_speed.py [../shared/vignettes/dev.jsonl]

Prints, per step, the median and the slowest time per case, and the PDFs' page counts
(1-3 is the rule). The Bundle checks are the ones the tests run: fhir.resources (R4B)
on every resource, and HL7's FHIR R4 JSON schema on the whole Bundle.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
from fhir.resources.R4B import get_fhir_model_class

from heelpath.engine import default_engine
from heelpath.exports.fhir import build_bundle
from heelpath.exports.pdf import render_pdf

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CASES = ROOT.parent / "shared" / "vignettes" / "dev.jsonl"
SCHEMA = ROOT / "tests" / "data" / "fhir" / "fhir.schema.json"
PAGE = re.compile(rb"/Type /Page\b(?!s)")


def timed(step: Callable[..., Any], *args: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = step(*args)
    return time.perf_counter() - start, result


def r4b(bundle: dict[str, Any]) -> None:
    for entry in bundle["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CASES
    cases = [json.loads(line)["input"] for line in path.read_text().splitlines() if line.strip()]
    engine = default_engine()
    validator = jsonschema.Draft6Validator(json.loads(SCHEMA.read_text()))
    render_pdf(cases[0], engine.assess(cases[0]), engine.knowledge)  # fonts, imports: once
    times: dict[str, list[float]] = {"pdf": [], "bundle": [], "r4b": [], "schema": []}
    pages: Counter[int] = Counter()
    for data in cases:
        answer = engine.assess(data)
        t, pdf = timed(render_pdf, data, answer, engine.knowledge)
        times["pdf"].append(t)
        pages[len(PAGE.findall(pdf))] += 1
        t, bundle = timed(build_bundle, data, answer, engine.knowledge)
        times["bundle"].append(t)
        times["r4b"].append(timed(r4b, bundle)[0])
        times["schema"].append(timed(list, validator.iter_errors(bundle))[0])
    print(f"{len(cases)} cases from {path.name}")
    for name, label in (
        ("pdf", "PDF plan (render, fitting to 3 pages)"),
        ("bundle", "FHIR Bundle (build)"),
        ("r4b", "  check: fhir.resources R4B, every resource"),
        ("schema", "  check: HL7 R4 JSON schema, whole Bundle"),
    ):
        ms = [1000 * t for t in times[name]]
        print(f"{label:45s} median {statistics.median(ms):7.1f} ms   slowest {max(ms):7.1f} ms")
    print("PDF pages:", ", ".join(f"{n} page(s): {c} cases" for n, c in sorted(pages.items())))


if __name__ == "__main__":
    main()
