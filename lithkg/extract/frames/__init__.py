"""The automatic extractor ``frames``: claims read from prose by rules for kinds of statement, driven by the
frames of ``ontology/frames.ttl``.

    reader.py      the extractor (registered as ``frames``): reads a document's sentences and tables
    context.py     what the rules read with: the document (its entities, memory, :meth:`emit`) and one sentence
    dispatch.py    RULES: the rule families in the order they read a sentence
    figures.py     key figures, shares and changes, money
    quantities.py  a number with a unit: lengths, masses, durations ...; "31 years after X"
    counts.py      participants, votes, population, counts of things
    events.py      dates: event verbs, planned dates, "since", dated events
    ranks.py       ordinals: ranks, positions, anniversaries, "its second unicorn"
    relations.py   a trigger word between two entities
    tables.py      a table's rows: a name column and a frame per header
"""
from .context import gazetteer
from .reader import FramesExtractor, Reader

__all__ = ["FramesExtractor", "Reader", "gazetteer"]
