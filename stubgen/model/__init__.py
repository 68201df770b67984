"""The API model.

Typed dataclasses, their JSON form, the one walk over them, the index of public names, text
helpers and counts.
"""
