"""Sphinx configuration of the tinyfuser API docs (written once by nbapi; edit freely)."""

project = "tinyfuser"
author = "The nbapi maintainers"
copyright = "The nbapi maintainers"
html_title = "tinyfuser API"
html_theme = "furo"
# Sidebar, cross-reference lookup and rebuilds that stay linear in the size of the API
# (furo's and Sphinx's own grow with pages x pages and references x objects).
extensions: list[str] = ["stubgen.docs.scale"]
exclude_patterns = ["_build"]
# Docstrings quote code: keep their quotes and dashes as written (and skip a pass per page).
smartquotes = False
# No general index page: the sidebar, the module index and search reach every object, and
# on big APIs the index is one page as large as all the others' entries together.
html_use_index = False
# The pages' reST is generated: no copy of it in the site, no link to it.
html_copy_source = False

# Every reference into tinyfuser must resolve; names from other packages stay text.
nitpicky = True
nitpick_ignore_regex = [(r"py:.*", r"(?!tinyfuser(\.|$)).*")]
python_use_unqualified_type_names = True
# "On this page" lists members by their own names (Fusion.add_output reads add_output).
toc_object_entries_show_parents = "hide"
# The package those references go to: their short text is chosen as signatures are read.
nbapi_package = "tinyfuser"
