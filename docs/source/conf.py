"""Sphinx configuration of the tinyfuser API docs (written once by nbapi; edit freely)."""

project = "tinyfuser"
html_title = "tinyfuser API"
html_theme = "furo"
# furo's sidebar collapsed to the current branch: its full tree costs pages x pages to build.
extensions: list[str] = ["stubgen.sphinx_navigation"]
exclude_patterns = ["_build"]

# Every reference into tinyfuser must resolve; names from other packages stay text.
nitpicky = True
nitpick_ignore_regex = [(r"py:.*", r"(?!tinyfuser(\.|$)).*")]
python_use_unqualified_type_names = True
