"""Corrections through the pages: ``lithkg serve --edit``.

Off by default: the server is read-only and ``POST /corrections`` gets 403. Started with ``--edit`` (and bound to
loopback unless ``--host`` says otherwise), the server prints an editing token once; a correction is accepted only
with that token (the ``X-Lithkg-Token`` header, or the ``token`` field of the form on a claim's page). Each
correction goes through the one writer (:meth:`lithkg.versioning.deriver.Deriver.correct`): a dated record and the
derived graphs it changes, in one transaction, one at a time; the query workers see it from their next request.
"""
from __future__ import annotations

import hmac
import html
import secrets
import threading

from ..errors import LithkgError, StoreLockedError, UsageError
from ..read import listings
from ..session import Session, short_id
from ..versioning import amending
from ..versioning.deriver import Deriver

KINDS = ("reject", "confirm", "amend", "split", "merge", "undo")
AMEND_FIELDS = ("subject", "property", "value", "unit", "bound", "time")  # the form fields an amend reads
MAX_FIELD = 2000  # characters of a reason or a name


def new_token() -> str:
    """A fresh editing token (32 URL-safe characters from the system's random source)."""
    return secrets.token_urlsafe(24)


class Editor:
    """Records corrections sent to the server, with ``token``, on the store of ``settings``."""

    def __init__(self, settings, token: str):
        self.settings = settings
        self.token = token
        self.lock = threading.Lock()

    def allowed(self, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(given.encode(), self.token.encode())

    def correct(self, fields: dict) -> tuple[int, str, str | None]:
        """Record the correction ``fields`` describe (kind; claim, correction, or group and other for a merge; the
        fields an amend sets; reason, by): (HTTP status, one line, the claim's short id for a page to go back to)."""
        kind = fields.get("kind", "")
        if kind not in KINDS:
            return 400, f"'kind' must be one of {', '.join(KINDS)}", None
        reason, by = fields.get("reason", "").strip(), fields.get("by", "").strip() or "web"
        if len(reason) > MAX_FIELD or len(by) > MAX_FIELD:
            return 400, f"a reason or a name is at most {MAX_FIELD} characters", None
        with self.lock:
            session = Session(self.settings)
            try:
                record = Deriver(session).correct(kind, reason=reason, by=by, **self._about(session, kind, fields))
            except UsageError as exc:
                return 400, exc.format(), None
            except StoreLockedError as exc:  # another process (an ingest) is writing: try again
                return 503, exc.format(), None
            except LithkgError as exc:
                return 500, exc.format(), None
            finally:
                session.close()
        about = short_id(record.claims[0]) if record.claims else None
        return 200, listings.correction_line(listings.correction_row(record)), about


    @staticmethod
    def _about(session, kind: str, fields: dict) -> dict:
        """What a correction sent from a form is about, resolved as the command line resolves it."""
        if kind == "undo":
            return {"withdraws": session.resolve_id("correction", fields.get("correction", ""))}
        if kind == "merge":
            return {"groups": [session.resolve_group(fields.get("group", "")),
                               session.resolve_group(fields.get("other", ""))]}
        claim = session.resolve_claim(fields.get("claim", ""))
        if kind != "amend":
            return {"claims": [claim]}
        given = {k: fields[k].strip() for k in AMEND_FIELDS if fields.get(k, "").strip()}
        if any(len(v) > MAX_FIELD for v in given.values()):
            raise UsageError(f"a field is at most {MAX_FIELD} characters")
        return {"claims": [claim], "changes": amending.amendment(session, claim, **given)}


def claim_form(claim_id: str) -> str:
    """The form a claim's page shows when editing is on: reject, confirm, split, or amend (only the fields filled
    in are set)."""
    c = html.escape(claim_id, quote=True)
    fields = "\n".join(f'<label>{name} <input name="{name}" maxlength="{MAX_FIELD}"></label>' for name in AMEND_FIELDS)
    return f"""<section class="correct"><h2>Correct this claim</h2>
<form method="post" action="/corrections">
<input type="hidden" name="claim" value="{c}">
<label>decision <select name="kind"><option value="reject">reject: the claim is wrong</option>
<option value="confirm">confirm: checked against its quote</option>
<option value="amend">amend: set the fields below right</option>
<option value="split">split: a quantity of its own, out of its group</option></select></label>
<fieldset><legend>for amend: what the text says (leave the others empty)</legend>
{fields}
</fieldset>
<label>reason <input name="reason" required maxlength="{MAX_FIELD}"></label>
<label>your name <input name="by" maxlength="{MAX_FIELD}"></label>
<label>editing token <input name="token" type="password" required></label>
<button type="submit">record</button>
</form></section>"""
