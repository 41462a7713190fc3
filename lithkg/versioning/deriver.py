"""The one writer of derived data: each claim group's derived graph (statuses, ranks, relations, the preferred value)
and each source's graph (its chain of versions, what each version continues, revises and retracts).

Every writer derives through a :class:`Deriver`: the ingest of one version (:func:`lithkg.ingest.write.commit`,
:meth:`Deriver.version`), the bulk ingest (:mod:`lithkg.ingest.bulk`, :meth:`Deriver.sources` and
:meth:`Deriver.groups`), a rank override (:meth:`Deriver.set_rank`) and ``check --repair``
(:mod:`lithkg.read.integrity`, :meth:`Deriver.replace`). The Deriver reads what it needs through
:mod:`lithkg.versioning.stored`, applies the pure rules of :mod:`lithkg.versioning.rules` and returns quads for the
caller's transaction (or, for a correction and a repair, writes them in one transaction of its own). It derives the
groups and sources asked for, never the whole graph.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import os

import pyoxigraph as ox

from ..errors import UsageError
from ..model import Claim, Document, GroupMember, VersionClaim
from ..rdf import mapping
from . import amending, corrections, rules, stored
from .corrections import Correction


def now() -> str:
    """The current moment as an ISO date-time in UTC, to the second (``...Z``)."""
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def describe(claim: Claim):
    """Subject, property, scoping qualifiers and label of the group a new claim belongs to."""
    scoping = [q for q in claim.qualifiers if q.scoping]
    parts = [claim.subject.label, claim.property.label] + [f"{q.property.label}: {q.value.display()}" for q in scoping]
    if claim.value.kind == "entity":
        parts.append(claim.value.display())
    return claim.subject.iri, claim.property.iri, scoping, " / ".join(parts)


def version_claim(member: GroupMember, group: str, claim: Claim) -> VersionClaim:
    """A new version's claim as versions are compared (see :func:`lithkg.versioning.rules.lineage`)."""
    return VersionClaim(member.claim, member.document, group, member.value.lexical, member.unit, member.bound,
                        None if claim.time.inferred else claim.time.display(), claim.extractor,
                        claim.evidence.quote, claim.evidence.start)


class Deriver:
    """Derives claim groups and sources of the store a :class:`~lithkg.session.Session` holds."""

    def __init__(self, session):
        self.session = session

    # ------------------------------------------------------------------ claim groups
    def group_quads(self, group: str, members: list[GroupMember], claim: Claim | None = None,
                    override_reasons: dict[str, str] | None = None, label: str | None = None) -> list[ox.Quad]:
        """The derived graph of one group with these members; the group is described from ``claim`` (a new claim
        of it; ``label``: other than the claim's) or, without one, from the store."""
        subject, prop, scoping, described = describe(claim) if claim is not None else \
            stored.group_description(self.session, group)
        label = label or described
        chosen = [m for m in members if m.override == "preferred"]
        if chosen and override_reasons is None:
            override_reasons = {c: r for c, (_, r) in stored.overrides(self.session, [group]).items()}
        derived = rules.derive(group, members, override_reasons)
        preferred = next((m for m in members if m.claim == derived.preferred), None)
        reason = rules.preference_reason(preferred, members, (override_reasons or {}).get(
            preferred.claim)) if preferred else ""
        value = mapping.literal(preferred.value) if preferred else None
        return mapping.group_quads(derived, claim, subject, prop, scoping, label, value, reason,
                                   ids=self.session.ids)

    def groups(self, groups: list[str], claims: dict[str, Claim] | None = None) -> dict[str, list[ox.Quad]]:
        """The derived graph of each group from its stored members, read in one query (``claims``: a new claim of
        a group, to describe it by); a group left without members has none (no entry)."""
        members = stored.members(self.session, groups)
        return {g: self.group_quads(g, members[g], (claims or {}).get(g)) for g in groups if members.get(g)}

    # ------------------------------------------------------------------ sources
    def sources(self, sources: list[str], keys: dict[str, tuple[str, str | None]] | None = None
                ) -> dict[str, list[ox.Quad]]:
        """The graph of each source (its versions in order, their lineage), versions and claims read in two
        queries; ``keys`` gives each source's (key, url), else they are read from the store (a source whose key is
        lost with its graph has no entry)."""
        keys = keys if keys is not None else stored.source_keys(self.session, sources)
        return {src: mapping.lineage_quads(src, *keys[src], versions, lineage, ids=self.session.ids)
                for src, (versions, lineage) in stored.lineages(self.session, sources).items() if src in keys}

    # ------------------------------------------------------------------ one new version
    def version(self, doc: Document, record_time: str, members: dict[str, list[GroupMember]],
                claims: dict[str, Claim], group_claims: dict[str, Claim], old_groups: set[str]
                ) -> tuple[list[ox.Quad], list[str]]:
        """What writing one version (``members``: its claims by group; ``claims``: its claims by IRI) changes: the
        derived graphs of its groups, of the groups its previous text had (``old_groups``) and of the groups of
        its source's other versions, and its source's graph. Returns their quads and the graphs they replace."""
        ids = self.session.ids
        doc_iri, src_iri = ids.document(doc), ids.source(doc.source_key)
        versions = stored.versions(self.session, src_iri, doc_iri, doc.source_date, record_time)
        # A source's versions are compared (continued, revised, retracted claims) only once it has two of them.
        source_claims = [] if len(versions) < 2 else \
            stored.source_claims(self.session, src_iri, exclude_document=doc_iri) + [
                version_claim(m, g, claims[m.claim]) for g, ms in members.items() for m in ms]
        lineage = rules.lineage(versions, source_claims) if source_claims else {}
        retracted = lineage.get("retracted", {})
        own = {c.claim for c in source_claims}
        fixes = stored.has_corrections(self.session)  # (most stores hold none: then nothing more is read of them)
        groups = sorted(set(members) | old_groups | {c.group for c in source_claims}
                        | set(stored.replacement_groups(self.session, sorted(own)) if fixes else ()))
        before = stored.members(self.session, groups, exclude_document=doc_iri, fixes=fixes)
        continued = dict(lineage.get("continues", ()))  # a new claim -> the claim of the version before it continues
        kept = stored.corrections_of(self.session, sorted(set(continued.values())), known=True) if fixes else {}
        derived: list[ox.Quad] = []
        for g in groups:
            new = [dataclasses.replace(m, correction=kept[continued[m.claim]]) if kept.get(continued.get(m.claim))
                   else m for m in members.get(g, [])]
            now_members = [dataclasses.replace(m, retracted=m.claim in retracted) if m.claim in own else
                           dataclasses.replace(m, retracted=rules.dropped(m.amends, lineage)) if m.amends in own else m
                           for m in before.get(g, []) + new]
            if now_members:
                derived += self.group_quads(g, now_members, group_claims.get(g))
        derived += mapping.lineage_quads(src_iri, doc.source_key, doc.url, versions, lineage, ids=ids)
        return derived, [ids.source_graph(src_iri)] + [ids.derived_graph(g) for g in groups]

    # ------------------------------------------------------------------ corrections and repairs
    def set_rank(self, claim: str, rank: str, *, reason: str, by: str | None = None, at: str | None = None) -> dict:
        """A person's rank for a claim, with a reason: the dated record and the claim's group derived again, in one
        transaction (see :meth:`lithkg.kg.KnowledgeGraph.set_rank`)."""
        if rank not in mapping.RANK_IRIS:
            raise UsageError(f"rank '{rank}' is not one of preferred, normal, deprecated")
        if not reason or not reason.strip():
            raise UsageError("a rank override needs a reason", hint="give --reason \"...\"")
        group = stored.claim_group(self.session, claim)
        if group is None:
            raise UsageError(f"no claim '{claim}' in the store", hint="see 'lithkg claims --format jsonl' for claim IRIs")
        by = by or os.environ.get("USER") or os.environ.get("USERNAME") or "unknown"
        at = at or now()
        record = mapping.override_quads(claim, rank, reason.strip(), by, at, ids=self.session.ids)
        members = stored.members(self.session, [group]).get(group, [])
        members = [dataclasses.replace(m, override=rank) if m.claim == claim else m for m in members]
        reasons = {c: r for c, (_, r) in stored.overrides(self.session, [group]).items()}  # a fresh derivation's
        derived = self.group_quads(group, members, None, {**reasons, claim: reason.strip()})
        self.session.store.apply(drop_graphs=[self.session.ids.derived_graph(group)], insert=record + derived)
        return {"claim": claim, "group": group, "rank": rank, "reason": reason.strip(), "by": by, "at": at}

    def correct(self, kind: str, *, reason: str, claims: list[str] = (), groups: list[str] = (),
                withdraws: str | None = None, changes: str = "", by: str | None = None, at: str | None = None
                ) -> Correction:
        """An analyst's correction (see :mod:`lithkg.versioning.corrections`): the dated record, the claims it makes
        (an amend, merge or split: see :mod:`lithkg.versioning.amending`) and the derived graphs of the groups it
        changes, written in one transaction. Claims and groups are full IRIs (the session resolves short ids);
        ``withdraws`` is the record an ``undo`` takes back; ``changes`` what an amend sets
        (:func:`lithkg.versioning.amending.amendment`). A merge moves the claims of ``groups[1]`` into
        ``groups[0]``."""
        if kind not in corrections.KINDS:
            raise UsageError(f"'{kind}' is not a kind of correction", hint="use one of " + ", ".join(corrections.KINDS))
        if not reason or not reason.strip():
            raise UsageError(f"a correction ({kind}) needs a reason", hint="give --reason \"...\"")
        by = by or os.environ.get("USER") or os.environ.get("USERNAME") or "unknown"
        explicit_at, at = at is not None, at or now()
        affected: list[str] = []
        if kind == "merge":
            claims, changes, groups = self._merged(groups), amending.canonical({"into": groups[0]}), sorted(groups)
        for c in claims:
            group = stored.claim_group(self.session, c)
            if group is None:
                raise UsageError(f"no claim '{c}' in the store", hint="see 'lithkg claims' for claim ids")
            affected.append(group)
        if kind == "undo":
            earlier, undone = stored.correction(self.session, withdraws)
            if earlier is None or earlier.kind == "undo":
                raise UsageError(f"no correction '{withdraws}' to undo", hint="see 'lithkg corrections' for ids")
            if undone:
                raise UsageError(f"correction '{withdraws}' is undone already", hint="see 'lithkg corrections'")
            claims, groups = earlier.claims, ()
            affected = [g for g in (stored.claim_group(self.session, c) for c in earlier.claims + earlier.made) if g]
        elif kind == "amend" and not changes:
            raise UsageError("an amend sets at least one field", hint="give --subject, --property, --value, ...")
        latest = stored.latest_correction_time(self.session)
        if at <= latest and not explicit_at:  # records of one store come in order: one second after the latest
            at = (_dt.datetime.fromisoformat(latest.replace("Z", "+00:00")) + _dt.timedelta(seconds=1)) \
                .isoformat().replace("+00:00", "Z")
        iri = self.session.ids.mint("correction", kind, tuple(claims), tuple(groups), withdraws, reason.strip(), by,
                                    at, *((changes,) if changes else ()))
        made = amending.replacements(self.session, kind, iri, list(claims), list(groups), changes) \
            if kind in corrections.REPLACING_KINDS else []
        record = Correction(iri, kind, reason.strip(), by, at, tuple(claims), tuple(groups), withdraws,
                            tuple(r.iri for r in made), changes)
        quads = mapping.correction_quads(record, ids=self.session.ids) + [
            q for r in made for q in mapping.amended_claim_quads(iri, r.claim, r.document, r.original, r.iri, r.group,
                                                                 ids=self.session.ids)]
        affected = sorted(set(affected) | {r.group for r in made})
        members = stored.members(self.session, affected)
        members = self._with_replacements(members, made)
        effects = stored.corrections_of(self.session, sorted({m.claim for ms in members.values() for m in ms}),
                                        extra=[record])
        fresh = {r.group: r for r in made if r.fresh}
        derived = [q for g in affected if members.get(g) for q in self.group_quads(
            g, [dataclasses.replace(m, correction=effects.get(m.claim)) for m in members[g]],
            fresh[g].claim if g in fresh else None, label=fresh[g].label if g in fresh else None)]
        self.session.store.apply(drop_graphs=[self.session.ids.derived_graph(g) for g in affected],
                                 insert=quads + derived)
        return record

    def _merged(self, groups) -> list[str]:
        """The claims a merge of ``groups[1]`` into ``groups[0]`` moves: those of the second group that no
        correction has rejected, amended or withdrawn."""
        if len(groups) != 2 or groups[0] == groups[1]:
            raise UsageError("a merge joins two different claim groups", hint="name the group to keep, then the other")
        found = stored.members(self.session, list(groups))
        if not found.get(groups[0]) or not found.get(groups[1]):
            raise UsageError(f"no claim group '{groups[0] if not found.get(groups[0]) else groups[1]}' with claims",
                             hint="see 'lithkg conflicts' for group ids")
        return sorted(m.claim for m in found[groups[1]] if m.correction not in corrections.NOT_STATING)

    def _with_replacements(self, members: dict[str, list[GroupMember]], made) -> dict[str, list[GroupMember]]:
        """The groups' members with the claims a correction is about to write (each read as the claim it replaces,
        with what it sets)."""
        if not made:
            return members
        by_claim = {m.claim: m for ms in members.values() for m in ms}
        dropped = stored.dropped_statements(self.session, [r.original for r in made])
        out = {g: list(ms) for g, ms in members.items()}
        for r in made:
            m = by_claim[r.original]
            out.setdefault(r.group, []).append(dataclasses.replace(
                m, claim=r.iri, value=r.claim.value, unit=r.claim.unit, bound=r.claim.bound, time=r.claim.time,
                override=None, correction=None, amends=r.original, retracted=r.original in dropped))
        return out

    def replace(self, graphs: dict[str, list[ox.Quad]]) -> None:
        """Replace derived graphs (graph IRI -> its new content; empty: dropped) in one transaction."""
        self.session.store.apply(drop_graphs=list(graphs), insert=[q for qs in graphs.values() for q in qs])
