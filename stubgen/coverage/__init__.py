"""Coverage: the rule catalogue run over the model, scores, baseline, gate and reports.

What other stages use of it: :func:`build_report` and the report it returns, with its
renderers (the docs publish the Markdown page and the badge).
"""

from stubgen.coverage.gate import build_report
from stubgen.coverage.report import FORMATS, CoverageReport, render_badge
from stubgen.coverage.scores import format_percent

__all__ = ["FORMATS", "CoverageReport", "build_report", "format_percent", "render_badge"]
