"""Sphinx configuration of the tinyfuser API docs (written once by nbapi; edit freely)."""

project = "tinyfuser"
html_title = "tinyfuser API"
html_theme = "furo"
# Linear-time furo sidebar and Python cross-reference lookup: Sphinx's and furo's own grow
# with pages x pages and references x objects, which big APIs feel.
extensions: list[str] = ["stubgen.sphinx_navigation", "stubgen.sphinx_lookup"]
exclude_patterns = ["_build"]
# Docstrings quote code: keep their quotes and dashes as written (and skip a pass per page).
smartquotes = False
# No general index page: the sidebar, the module index and search reach every object, and
# on big APIs the index is one page as large as all the others' entries together.
html_use_index = False

# Every reference into tinyfuser must resolve; names from other packages stay text.
nitpicky = True
nitpick_ignore_regex = [(r"py:.*", r"(?!tinyfuser(\.|$)).*")]
python_use_unqualified_type_names = True
