"""The version of shallot-dav."""

__version__ = "0.1.0"
