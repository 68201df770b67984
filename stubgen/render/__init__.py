"""Renderers: text written from the model (stubs now; docs and reports later)."""
