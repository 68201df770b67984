"""Importing this selects the single variant, as a side effect (mitsuba's mitsuba_stubs)."""

import nbsplit

nbsplit.set_variant("single")
