"""The version of shallot-caching; the one place it lives (bumped by ``tools/bump_version.py``)."""

__version__ = "0.1.0"
