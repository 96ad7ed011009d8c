"""newsroom: a static news-and-events website generator."""

__version__ = "0.1.0"
