"""Findings in the formats CI reads: GitHub workflow commands and JUnit XML.

The coverage gate and the API diff both report findings per object; the two formats are
written here once.
"""

from __future__ import annotations

from collections.abc import Callable
from xml.sax.saxutils import escape, quoteattr

from stubgen.findings import Finding

GITHUB_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def github_escape(text: str, *, prop: bool = False) -> str:
    """Escape ``text`` for a workflow command's message (or, with ``prop``, a property)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def junit_suite(
    name: str, by_object: dict[str, list[Finding]], fails: Callable[[Finding], bool]
) -> str:
    """Write a JUnit test suite: a test case per object, failed by its ``fails`` findings.

    Parameters
    ----------
    name : str
        The suite's name.
    by_object : dict of str to list of Finding
        The findings of each object (an object without findings is a passing case).
    fails : callable
        Whether a finding fails its case; the others go to the case's output.

    Returns
    -------
    str
        The XML document.
    """
    cases, failures = [], 0
    for path, items in sorted(by_object.items()):
        failing = [f for f in items if fails(f)]
        body = ""
        if failing:
            failures += 1
            text = "\n".join(f"{f.code} {f.message}" for f in failing)
            body += f"<failure message={quoteattr(failing[0].message)}>{escape(text)}</failure>"
        notes = [f for f in items if not fails(f)]
        if notes:
            text = "\n".join(f"{f.code} {f.message}" for f in notes)
            body += f"<system-out>{escape(text)}</system-out>"
        classname, _, case = path.rpartition(".")
        cases.append(
            f"  <testcase classname={quoteattr(classname)} name={quoteattr(case)}>{body}</testcase>"
        )
    head = (
        f'<testsuite name={quoteattr(name)} tests="{len(cases)}" failures="{failures}" errors="0">'
    )
    return (
        "\n".join(['<?xml version="1.0" encoding="utf-8"?>', head, *cases, "</testsuite>"]) + "\n"
    )
