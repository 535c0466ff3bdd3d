"""The version of shallot-middleware; the one place it lives (see ``tools/bump_version.py``)."""

__version__ = "0.1.0"
