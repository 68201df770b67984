"""Make docstring prose safe to embed in generated reST.

Docstrings of compiled modules are written by hand in C++ strings and were never built by
Sphinx: they hold roles pointing at labels of another site, broken inline markup, and
possibly ``.. raw:: html``. Each chunk of prose is therefore (1) stripped of references that
cannot resolve here (roles into the package are checked against the model; roles to labels,
documents and terms of other sites become plain text), (2) kept only with directives from a
short safe list, and (3) parsed once with docutils alone; if anything in it is still wrong,
the chunk is shown verbatim as a literal block. Raw HTML or an include can never reach the
page, and a docstring can never break the build.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import docutils
from docutils import utils
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.readers.standalone import Reader as StandaloneReader

SAFE_DIRECTIVES = frozenset(
    "note warning tip important caution attention hint seealso deprecated versionadded "
    "versionchanged math code code-block".split()
)
_PY_ROLE = re.compile(
    r":(?:py:)?(?P<role>func|class|meth|mod|obj|attr|exc|data|const|property|type):"
    r"`(?P<body>[^`]+)`"
)
_OTHER_ROLE = re.compile(r":(?P<role>[\w:.-]+):`(?P<body>[^`]+)`")
_DIRECTIVE = re.compile(r"^\s*\.\.\s+(?P<name>[\w:.-]+)::", re.M)
_TARGET = re.compile(r"^(?P<title>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
_ALLOWED_ROLES = frozenset({"math", "sub", "sup", "abbr", "code", "kbd", "file", "samp"})
_PARSER = Parser()
_READER: StandaloneReader[str] = StandaloneReader()
_SETTINGS = get_default_settings(Parser)
_SETTINGS.report_level = 2
_SETTINGS.halt_level = 5
_SETTINGS.raw_enabled = False
_SETTINGS.file_insertion_enabled = False
_SETTINGS.warning_stream = io.StringIO()

Resolver = Callable[[str], str | None]


def _rewrite_roles(text: str, resolve: Resolver) -> str:
    def python_role(match: re.Match[str]) -> str:
        body = match["body"]
        titled = _TARGET.match(body)
        title, target = (titled["title"], titled["target"]) if titled else (None, body)
        name = target.lstrip("~!.")
        path = resolve(name)
        if path is None:
            return f"``{title or name}``"
        return f":py:obj:`{title} <{path}>`" if title else f":py:obj:`~{path}`"

    def other_role(match: re.Match[str]) -> str:
        # The Python roles' rewrites are roles too, and stay links.
        if match["role"] in _ALLOWED_ROLES or _PY_ROLE.fullmatch(match.group(0)):
            return match.group(0)
        titled = _TARGET.match(match["body"])
        return f"*{(titled['title'] if titled else match['body']).strip()}*"

    return _OTHER_ROLE.sub(other_role, _PY_ROLE.sub(python_role, text))


# Text with none of these needs no parse: no inline markup, roles, substitutions, targets,
# footnotes, directives or escapes, and no line reST could read as structure.
_MARKUP = re.compile(
    r"[`*|_\[\]\\<>:]"  # inline markup, roles, substitutions, targets, escapes
    r"|^[ \t]+\S"  # indentation: blocks that must end cleanly
    # a line of punctuation: a title, a transition, or a simple table's border ('= =')
    r"|^[-+=#~^\"'.!$%&(),/;?@{}]+(?:[ \t]+[-+=#~^\"'.!$%&(),/;?@{}]+)*[ \t]*$"
    r"|^([-+*]|\d+[.)]|[A-Za-z#][.)])(\s|$)",  # list items
    re.M,
)


# Verdicts of parses_cleanly by a digest of its question; kept between runs by the docs
# build (load_checks/save_checks), as a docutils parse per distinct chunk adds up.
_CHECKS: dict[str, bool] = {}


def parses_cleanly(text: str, *, as_notes: bool = True) -> bool:
    """Tell whether docutils alone reads ``text`` without a warning, nested in a definition.

    Roles become docutils' ``title`` role first (docutils does not know Sphinx's); with
    ``as_notes`` the directives, which :func:`safe_prose` has already limited to safe ones,
    are read as notes. Each distinct question is parsed once.
    """
    key = hashlib.sha1(f"{as_notes}\0{text}".encode(), usedforsecurity=False).hexdigest()
    verdict = _CHECKS.get(key)
    if verdict is None:
        verdict = _CHECKS[key] = _parses_cleanly(text, as_notes)
    return verdict


def load_checks(path: Path) -> None:
    """Take the verdicts :func:`save_checks` wrote, if docutils is the same version."""
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if isinstance(saved, dict) and saved.get("docutils") == docutils.__version__:
        checks = saved.get("checks")
        if isinstance(checks, dict):
            _CHECKS.update((k, v) for k, v in checks.items() if isinstance(v, bool))


def save_checks(path: Path) -> None:
    """Write the verdicts known to this process, for the next run's :func:`load_checks`."""
    from stubgen.files.writes import write_atomic

    data = {"docutils": docutils.__version__, "checks": dict(sorted(_CHECKS.items()))}
    write_atomic(path, json.dumps(data, indent=0))


def _parses_cleanly(text: str, as_notes: bool) -> bool:
    # Sphinx's roles as docutils' own title role: same inline-markup rules, known to docutils.
    plain = re.sub(r":[\w:.-]+:`", ":title:`", text)
    if as_notes:
        plain = _DIRECTIVE.sub(lambda m: m.group(0).replace(m["name"], "note"), plain)
    # Prose always lands inside a directive or a definition: check it nested, where a
    # section title is an error.
    nested = "term\n" + "\n".join(f"   {line}" if line else "" for line in plain.splitlines())
    document = utils.new_document("<docstring>", _SETTINGS)
    document.reporter.stream = io.StringIO()  # type: ignore[assignment]
    levels: list[int] = []
    document.reporter.attach_observer(lambda message: levels.append(message["level"]))
    try:
        _PARSER.parse(nested, document)
        # Transforms find what parsing alone does not: undefined substitutions, footnotes.
        document.transformer.populate_from_components((_READER, _PARSER))
        document.transformer.apply_transforms()
    except Exception:
        return False
    return not any(level >= 2 for level in levels)


def literal_block(text: str) -> list[str]:
    """Return ``text`` as a reST literal block (shown verbatim, never interpreted)."""
    return ["::", "", *(f"   {line}" if line else "" for line in text.splitlines()), ""]


def safe_prose(text: str, resolve: Resolver) -> list[str]:
    """Return reST lines for a chunk of docstring prose, safe to embed in a page.

    Parameters
    ----------
    text : str
        The prose, as the docstring has it.
    resolve : callable
        Maps a referenced name to the public path it means, or None.

    Returns
    -------
    list of str
        The lines: the prose with its references checked, or a literal block when it uses
        a directive outside :data:`SAFE_DIRECTIVES` or does not parse cleanly.
    """
    if not text.strip():
        return []
    text = _doxygen(text)
    if not _MARKUP.search(text):
        return text.splitlines()
    names = {m["name"] for m in _DIRECTIVE.finditer(text)}
    if names - SAFE_DIRECTIVES:
        return literal_block(text)
    rewritten = _rewrite_roles(text, resolve)
    if parses_cleanly(rewritten):
        return rewritten.splitlines()
    # Unbalanced inline markup (a stray ``): the prose as text, its markup escaped, rather
    # than the whole paragraph in monospace.
    escaped = _ESCAPED.sub(r"\\\1", text)
    if parses_cleanly(escaped):
        return escaped.splitlines()
    return literal_block(text)


# Doxygen's markup left in docstrings bound from C++ comments: %Name (no auto-link), \c and
# \p (a word in code font), \ref (a reference).
_DOXYGEN_NO_LINK = re.compile(r"(?<![\w%])%(?=[A-Z]\w+)")
_DOXYGEN_CODE = re.compile(
    r"(?<![\w\\])[\\@](?:c|p|ref)[ \t]+([A-Za-z_]\w*(?:[.:]+[A-Za-z_]\w*)*(?:\(\))?)"
)
_ESCAPED = re.compile(r"([\\*`|_])")


def _doxygen(text: str) -> str:
    r"""Rewrite Doxygen's leftovers as reST: ``%Appender`` reads Appender, ``\c x`` ``x``."""
    if "%" in text:
        text = _DOXYGEN_NO_LINK.sub("", text)
    if "\\" in text or "@" in text:
        text = _DOXYGEN_CODE.sub(r"``\1``", text)
    return text
