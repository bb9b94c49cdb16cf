"""The catalogue's content files (YAML). Not code: this file only makes setuptools ship
the folder as package data. See ``docs/catalogue.md``."""
