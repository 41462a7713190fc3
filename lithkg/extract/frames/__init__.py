"""The automatic extractor ``frames`` (being split into modules; see reader.py)."""
from .reader import FramesExtractor, Reader, _gazetteer  # noqa: F401
