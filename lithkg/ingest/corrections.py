"""A file of analyst corrections, one JSON object a line as ``lithkg corrections --format jsonl`` prints them
(``graph/corrections.jsonl`` for the bundled graph): replayed into a store, so corrections survive a rebuild from the
same inputs. A record already in the store is skipped (a record's IRI is minted from its content, so replaying a
file twice changes nothing); every line is checked before anything is written.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from ..errors import InputError
from ..versioning import corrections
from ..versioning.amending import canonical
from ..versioning.deriver import Deriver
from ..versioning.stored import claim_group, corrections as stored_corrections, members

MAX_BYTES = 16 * 1024 * 1024
_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def read(path: Path) -> list[dict]:
    """The records of a corrections file, checked: each names its kind, reason, who and when (a UTC moment,
    ``...Z``), and what it is about."""
    if path.stat().st_size > MAX_BYTES:
        raise InputError(f"corrections file larger than {MAX_BYTES} bytes", path=str(path),
                         hint="split it or keep only the corrections in force")
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            r = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"not a JSON object: {exc.msg}", path=str(path), line=n, column=exc.colno,
                             hint="one correction a line, as 'lithkg corrections --format jsonl' prints") from None
        problem = _problem(r)
        if problem:
            raise InputError(problem, path=str(path), line=n,
                             hint="one correction a line, as 'lithkg corrections --format jsonl' prints")
        out.append(r)
    return out


def _problem(r) -> str | None:
    if not isinstance(r, dict):
        return "a correction must be a JSON object"
    if r.get("kind") not in corrections.KINDS:
        return f"'kind' must be one of {', '.join(corrections.KINDS)}"
    for key in ("reason", "by", "at"):
        if not isinstance(r.get(key), str) or not r[key].strip():
            return f"'{key}' must be a non-empty string"
    if not _MOMENT.fullmatch(r["at"]):
        return "'at' must be a UTC moment such as 2026-12-02T10:00:00Z"
    for key in ("claims", "groups"):
        if not isinstance(r.get(key, []), list) or not all(isinstance(x, str) for x in r.get(key, [])):
            return f"'{key}' must be a list of IRIs"
    if r["kind"] in corrections.CLAIM_KINDS + ("amend", "split") and not r.get("claims"):
        return f"a '{r['kind']}' correction names its claims"
    if r["kind"] == "amend" and not isinstance(r.get("changes"), dict):
        return "an 'amend' names its 'changes' (a JSON object)"
    if r["kind"] == "merge" and (len(r.get("groups", [])) != 2 or not isinstance(r.get("changes"), dict)
                                 or r["changes"].get("into") not in r["groups"]):
        return "a 'merge' names its two 'groups' and the one it goes 'into' ('changes')"
    if r["kind"] == "undo" and not isinstance(r.get("withdraws"), str):
        return "an 'undo' names the correction it 'withdraws'"
    return None


def apply(session, path: Path) -> tuple[int, int]:
    """Replay a corrections file into the session's store, oldest first. Returns how many records were new and how
    many were skipped because what they are about is not in this store (a claim of a document it does not hold,
    or an undo of such a record)."""
    records = sorted(read(path), key=lambda r: r["at"])
    done = {r.iri for r in stored_corrections(session)}
    deriver = Deriver(session)
    new = skipped = 0
    for r in records:
        if r.get("id") in done:
            continue
        groups = r.get("groups", [])
        if r["kind"] == "merge":  # the group kept first; the claims it moves are those the other group holds
            into = r["changes"]["into"]
            groups = [into] + [g for g in groups if g != into]
        if not all(claim_group(session, c) for c in r.get("claims", []) if r["kind"] != "merge") or \
                r["kind"] == "undo" and r["withdraws"] not in done or \
                r["kind"] == "merge" and len(members(session, groups)) != 2:
            skipped += 1
            continue
        made = deriver.correct(r["kind"], reason=r["reason"], claims=r.get("claims", []) if r["kind"] != "merge"
                               else (), groups=groups, withdraws=r.get("withdraws"), by=r["by"], at=r["at"],
                               changes=canonical(r.get("changes")) if r["kind"] == "amend" else "")
        done.add(made.iri)
        new += 1
    return new, skipped
