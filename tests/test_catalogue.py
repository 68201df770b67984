"""Every code of the catalogue has a case that fires it and a case that stays quiet.

The firing and quiet cases live in the table tests (rules, stub cases, verify), in a few
named tests that need a whole extension, and in the small table below for the producers no
table reaches. This test reads them all: a code added to ``stubgen.findings.CATALOGUE``
without cases fails here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import test_diff
import test_rules
import test_stub_cases
import test_verify
from builders import function, module, overload, param

from stubgen.check.mypy_pass import typecheck_stubs
from stubgen.coverage import rules
from stubgen.coverage.rules import Selection, run_rules
from stubgen.findings import CATALOGUE
from stubgen.load.patterns import apply_patterns, load_pattern_file
from stubgen.model.api import ApiModel

TESTS = Path(__file__).parent

# numpydoc checks that judge a docstring's layout in Python source; the loader reads a
# compiled docstring as text (cleaned, tabs expanded, no quotes), so they cannot apply.
NOT_APPLICABLE = {
    "GL01": "where the text starts after the opening quotes: compiled docstrings have none",
    "GL02": "where the closing quotes sit: compiled docstrings have none",
    "GL05": "tabs at the start of a line: the loader expands them",
    "SS04": "whitespace before the summary: the loader strips it",
    "YD01": "a generator without Yields: the model knows no generators",
}
# Codes whose cases need a built extension or a whole run: the named test fires the code
# and checks its neighbours stay quiet.
NAMED_TESTS = {
    "DOC008": (
        "test_docs.py::test_a_warning_the_docstrings_cause_is_a_finding_and_the_site_is_published"
    ),
    "STB015": "test_failures.py::test_one_object_failing_becomes_a_finding",
    "SIG005": "test_pybind11.py::test_twin_model_facts",
    "STB031": "test_package_shapes.py::test_keyword_members_and_control_characters",
    "STB032": "test_package_shapes.py::test_a_stub_that_does_not_parse_is_replaced_and_reported",
    "VFY014": "test_trace.py::test_a_stub_that_rejects_a_call_that_ran_is_caught",
    "STB033": "test_trace.py::test_traced_results_order_the_overloads",
    "STB034": "test_trace.py::test_traced_results_the_binding_does_not_declare_widen_the_result",
    "VFY015": "test_trace.py::test_a_wrong_result_type_is_a_finding",
    "STB035": "test_trace.py::test_a_parameter_that_converted_what_it_was_passed_admits_it",
    "VFY016": "test_trace.py::test_mypys_reading_of_dunder_keywords_is_no_rejection",
    "VFY017": "test_trace.py::test_eigen_shape_strings_are_metadata_not_types",
    "VFY018": "test_trace.py::test_a_reverted_hazard_shape_is_caught",
    "VFY009": (
        "test_verify.py::test_twin_stubs_verify_clean_and_an_unknown_signature_needs_a_catch_all"
    ),
}


def _pattern_codes(tmp_path: Path, text: str) -> set[str]:
    path = tmp_path / "case.pat"
    path.write_text(text, encoding="utf-8")
    model = ApiModel(module=module(function("f", overload([param("x")], doc="The f."))))
    return {f.code for f in apply_patterns(model, load_pattern_file(path)).findings}


def test_pattern_matching_no_entry(tmp_path: Path) -> None:
    assert "PAT001" in _pattern_codes(tmp_path, "m.nothing$:\n")
    assert "PAT001" not in _pattern_codes(tmp_path, "m.f$:\n")


def test_doc_where_nothing_has_a_docstring(tmp_path: Path) -> None:
    assert "PAT002" in _pattern_codes(tmp_path, "m.__prefix__:\n    \\doc\n")
    quiet = _pattern_codes(tmp_path, "m.f$:\n    def f(x: int) -> None:\n        \\doc\n")
    assert "PAT002" not in quiet


def test_a_rule_that_raises_is_a_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    model = ApiModel(module=module(function("f", overload([param("x")]))))
    assert "RUL001" not in {f.code for f in run_rules(model, Selection(select=["ALL"]))}

    def broken(target: object, ctx: object) -> Iterator[object]:  # rules are generators
        yield from ()
        raise RuntimeError("boom")

    name = next(iter(rules.FUNCTION_RULES))
    monkeypatch.setitem(rules.FUNCTION_RULES, name, broken)
    found = [f for f in run_rules(model, Selection(select=["ALL"])) if f.code == "RUL001"]
    assert [f.path for f in found] == ["m.f"] and "RuntimeError: boom" in found[0].message


def test_mypy_errors_in_stubs_are_findings() -> None:
    assert typecheck_stubs({"m.pyi": "def f(x: int) -> int: ...\n"}) == []
    found = typecheck_stubs({"m.pyi": "def f(x: Nowhere) -> int: ...\n"})
    assert [f.code for f in found] == ["STB014"]


HERE = {"PAT001", "PAT002", "RUL001", "STB014"}


def _covered() -> dict[str, str]:
    where: dict[str, str] = {}
    for case in test_rules.CASES.values():  # each case: one that fires, one that does not
        where.setdefault(case.code, "test_rules.py")
    for stub_case in test_stub_cases.CASES.values():  # exact codes: the others stay quiet
        for code in stub_case.codes:
            where.setdefault(code, "test_stub_cases.py")
    for verify_case in test_verify.CASES.values():  # the committed stubs verify clean
        for _, code in verify_case.expected:
            where.setdefault(code, "test_verify.py")
    for _, expected in test_verify.MUTATIONS.values():  # the correct model verifies clean
        for _, code in expected:
            where.setdefault(code, "test_verify.py")
    for diff_case in test_diff.CASES.values():  # exact codes; the quiet cases change nothing
        for code in diff_case.codes:
            where.setdefault(code, "test_diff.py")
    for code in HERE:
        where.setdefault(code, "test_catalogue.py")
    for code, test in NAMED_TESTS.items():
        where.setdefault(code, test)
    return where


def test_every_code_has_cases() -> None:
    covered = _covered()
    missing = sorted(set(CATALOGUE) - set(covered) - set(NOT_APPLICABLE))
    assert missing == [], f"codes without a firing and a quiet case: {missing}"


def test_the_exemptions_are_codes_without_cases() -> None:
    assert set(NOT_APPLICABLE) <= set(CATALOGUE)
    assert not set(NOT_APPLICABLE) & set(_covered())


@pytest.mark.parametrize(("code", "test"), NAMED_TESTS.items())
def test_named_tests_exist_and_name_their_code(code: str, test: str) -> None:
    file, name = test.split("::")
    source = (TESTS / file).read_text(encoding="utf-8")
    assert f"def {name}(" in source, f"{test} is gone"
    body = source[source.index(f"def {name}(") :].split("\ndef ", 1)[0]
    assert code in body, f"{test} does not name {code}"
