"""The automatic extractor ``frames``: claims read from prose by rules for kinds of statement, driven by the
frames of ``ontology/frames.ttl``.

    reader.py      the extractor (registered as ``frames``): reads a document's sentences and tables
    context.py     what the rules read with: the document (its entities, focus, memory, :meth:`emit`) and one
                   sentence (the time a figure holds, the entity it is about: ``figure_subject``)
    clauses.py     what the words around a name say: a reporting source, a clause's subject, an owner, a place
    measures.py    what a figure measures: the noun phrase it counts or is the value of, as lemmas
    references.py  figures that refer to one just stated: earlier values, "from A to B", lists, shares, parts
    dispatch.py    RULES: the rule families in the order they read a sentence
    figures.py     key figures, shares and changes, money, "doubled"
    quantities.py  a number with a unit: lengths, masses, durations ...; "31 years after X"
    counts.py      participants, votes, population, counts of things, rates, absolute changes
    events.py      dates: event kinds of the ontology, periods, planned dates, "since", years as values
    ranks.py       ordinals: ranks, positions, anniversaries, "its second unicorn"
    relations.py   a trigger word between two entities
    tables.py      a table's rows: a name column and a frame per header
"""
from .context import gazetteer
from .reader import FramesExtractor, Reader

__all__ = ["FramesExtractor", "Reader", "gazetteer"]
