"""Commands that record an analyst's corrections: reject, confirm, link, undo, and the list of them, corrections."""
import click

from ..session import short_id as _short
from .common import emit_rows, format_option, handle_errors, open_kg, store_option


def _said(r: dict) -> str:
    what = _short(r["withdraws"]) if r["kind"] == "undo" else ", ".join(_short(c) for c in r["claims"] or r["groups"])
    return f"{r['kind']} {what}: correction {_short(r['id'])} (by {r['by']} at {r['at']}: {r['reason']})"


def _recorded(reason: str = "Why (kept with the correction).", by: str = "Who decides it"):
    """What every correction command takes: --reason, --by, the store; and its errors as one line."""
    def wrap(f):
        for decorate in (handle_errors, click.pass_context, store_option,
                         click.option("--by", help=f"{by} (default: the USER environment variable)."),
                         click.option("--reason", required=True, help=reason)):
            f = decorate(f)
        return f
    return wrap


def _claim_command(kind: str, doc: str):
    @click.command(name=kind, help=doc)
    @click.argument("claim")
    @_recorded()
    def command(ctx, claim, reason, by, store_after):
        kg = open_kg(ctx, store_after)
        click.echo(_said(getattr(kg, kind)(claim, reason=reason, by=by)))
    return command


reject = _claim_command("reject", """Record that CLAIM (its IRI or short id) is wrong: it becomes 'rejected', is never
    preferred and takes part in no conflict. The correction is a dated, attributed record with its reason; the
    claim's group is derived again in the same transaction. 'lithkg undo' takes it back.""")
confirm = _claim_command("confirm", """Record that a person checked CLAIM (its IRI or short id) against its quote: of
    its group, confirmed claims are preferred before the others. A dated, attributed record with its reason.""")


@click.command()
@click.argument("group")
@click.argument("other")
@click.option("--accept", "decision", flag_value="accept", help="They hold one quantity.")
@click.option("--refuse", "decision", flag_value="refuse", help="They are two quantities: stop suggesting the link.")
@_recorded()
def link(ctx, group, other, decision, reason, by, store_after):
    """Decide a "possibly the same quantity" link that 'lithkg conflicts --possible' suggests between GROUP and
    OTHER (each a group IRI, its hash, or words of its label): --accept (one quantity: the link is listed as
    accepted) or --refuse (two quantities: it is no longer suggested). A dated record with its reason; 'lithkg
    undo' takes it back. The groups themselves are not merged."""
    if decision is None:
        raise click.UsageError("say --accept or --refuse")
    kg = open_kg(ctx, store_after)
    click.echo(_said(kg.decide_link(group, other, accept=decision == "accept", reason=reason, by=by)))


@click.command()
@click.argument("correction")
@_recorded(reason="Why it is taken back.", by="Who takes it back")
def undo(ctx, correction, reason, by, store_after):
    """Take back CORRECTION (its id from 'lithkg corrections'): a later record withdraws it, so the history stays
    whole; the groups it changed are derived again."""
    kg = open_kg(ctx, store_after)
    click.echo(_said(kg.undo(correction, reason=reason, by=by)))


@click.command()
@format_option()
@click.option("--as-of", "as_of", metavar="WHEN", help="Only what had been recorded by then (a date or a moment).")
@click.option("--apply", "apply_file", type=click.Path(exists=True, dir_okay=False), metavar="FILE",
              help="First replay the corrections of FILE (as --format jsonl prints them) into the store; records "
                   "already in it are skipped.")
@store_option
@click.pass_context
@handle_errors
def corrections(ctx, fmt, as_of, apply_file, store_after):
    """List the analyst corrections, oldest first: id, kind, what each is about, why, who, when, and whether it is
    in force (or which later record undid it). 'lithkg corrections --format jsonl > graph/corrections.jsonl' keeps
    them with the bundled graph: 'lithkg build' replays that file."""
    kg = open_kg(ctx, store_after, read_only=not apply_file)
    if apply_file:
        new, skipped = kg.apply_corrections(apply_file)
        click.echo(f"{apply_file}: {new} new correction(s) recorded"
                   + (f", {skipped} skipped: what they are about is not in this store" if skipped else ""), err=True)
    rows = kg.corrections(as_of=as_of)
    if fmt in ("table", "csv", "tsv", "markdown"):
        rows = [{"id": _short(r["id"]), "kind": r["kind"],
                 "about": ", ".join(_short(x) for x in (r["claims"] or r["groups"] or [r["withdraws"]])),
                 "in force": "yes" if r["in_force"] else ("undone by " + _short(r["undone_by"]) if r["undone_by"]
                                                          else "-"),
                 "by": r["by"], "at": r["at"], "reason": r["reason"]} for r in rows]
    emit_rows(rows, fmt, columns=["id", "kind", "about", "in force", "by", "at", "reason"])
