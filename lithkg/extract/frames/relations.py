"""Relations: a frame's trigger word between two entities ("X hosts Y") states the entity-valued property."""
from __future__ import annotations

import functools
import re

from ...model import Value
from ...rdf.ontology import Ontology, PropertyInfo
from .clauses import COORDINATION
from .context import SentenceContext


def relations(ctx: SentenceContext) -> None:
    """Each entity-valued frame whose trigger stands between a subject and an entity after it."""
    for prop, rx in _relation_triggers(ctx.doc.ontology):
        for m in rx.finditer(ctx.sent.text):
            ts, te = ctx.sent.start + m.start(), ctx.sent.start + m.end()
            obj = next((e for e in ctx.ents if e.start >= te and e.start - te < 40 and e.how != "pronoun"), None)
            subj = ctx.subject_before(ts)
            if obj is None or subj is None or obj.iri == subj.iri:
                continue
            objects = [obj]
            for e in ctx.ents:  # "linking Lithuania and Poland": one claim for each entity of the coordination
                if e.start > objects[-1].end and COORDINATION.match(ctx.text[objects[-1].end:e.start]) and \
                        e.how != "pronoun" and e.iri != subj.iri:
                    objects.append(e)
            for o in objects:
                ctx.claim(subj, prop.name, Value.entity(o.term), (ts, o.end), confidence=0.5)


@functools.lru_cache(maxsize=4)
def _relation_triggers(ontology: Ontology) -> list[tuple[PropertyInfo, re.Pattern]]:
    """Entity-valued frames with their trigger words as one pattern each."""
    out = []
    for prop in ontology.properties.values():
        if prop.is_qualifier or prop.value_kind != "EntityValue" or not prop.triggers or prop.name == "tiedWith":
            continue
        out.append((prop, re.compile(r"\b(?:" + "|".join(re.escape(t) for t in prop.triggers) + r")\b")))
    return out
