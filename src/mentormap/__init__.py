"""mentormap: a local-first career-network manager."""

__version__ = "0.1.0"
