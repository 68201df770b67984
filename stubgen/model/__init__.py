"""The API model: typed dataclasses, their JSON form and counts over them."""
