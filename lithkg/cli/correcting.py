"""Commands that record an analyst's corrections: reject, confirm, amend, merge, split, link, undo, and the list of
them, corrections."""
import click

from ..read.listings import correction_about as _about, correction_line as _said
from ..session import short_id as _short
from .common import emit_rows, format_option, handle_errors, open_kg, store_option


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


def _qualifiers(given: tuple[str, ...], dropped: tuple[str, ...]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for item in given:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.UsageError(f"--qualifier '{item}' is not NAME=VALUE")
        out[name.strip()] = value.strip()
    return {**out, **{name: None for name in dropped}}


@click.command()
@click.argument("claim")
@click.option("--subject", help="The entity the figure is about (a label, alias or IRI).")
@click.option("--property", "prop", help="What the figure is (a property name from ontology/frames.ttl, or an IRI).")
@click.option("--value", help="The value as the text should have been read, of the kind of the one it replaces "
                              "(588000, 0.06, 2021-05, an entity's label).")
@click.option("--unit", help="A unit named in ontology/units.ttl, an IRI, or none.")
@click.option("--bound", help="lower ('more than'), upper ('less than'), approx ('about') or none.")
@click.option("--time", help="When the value holds: 2021, 2021-05-03, 2020/2022, 2020/ (from), or none.")
@click.option("--qualifier", "qualifiers", multiple=True, metavar="NAME=VALUE",
              help="Set a qualifier (repeatable): --qualifier 'region=Lithuania'.")
@click.option("--drop-qualifier", "dropped", multiple=True, metavar="NAME", help="Drop a qualifier (repeatable).")
@_recorded()
def amend(ctx, claim, subject, prop, value, unit, bound, time, qualifiers, dropped, reason, by, store_after):
    """Set right what the extractor read of CLAIM (its IRI or short id): its subject, property, value, unit, bound,
    time or qualifiers. The claim becomes 'amended' and a new claim from the same quote, with those fields set
    right, takes its place (in the group of what it now says). A dated, attributed record with its reason; 'lithkg
    undo' takes it back."""
    kg = open_kg(ctx, store_after)
    click.echo(_said(kg.amend(claim, subject=subject, property=prop, value=value, unit=unit, bound=bound, time=time,
                              qualifiers=_qualifiers(qualifiers, dropped), reason=reason, by=by)))


@click.command()
@click.argument("group")
@click.argument("other")
@_recorded()
def merge(ctx, group, other, reason, by, store_after):
    """Record that GROUP and OTHER (each a group IRI, its hash, or words of its label) hold one quantity: the claims
    of OTHER move into GROUP (each 'amended' into a claim of GROUP), where their figures are compared. A claim a
    later document adds to OTHER stays there until merged again. 'lithkg undo' takes it back."""
    kg = open_kg(ctx, store_after)
    click.echo(_said(kg.merge(group, other, reason=reason, by=by)))


@click.command()
@click.argument("claim")
@_recorded()
def split(ctx, claim, reason, by, store_after):
    """Record that CLAIM (its IRI or short id) holds a quantity of its own: it leaves its group for a new one (it
    is 'amended' into a claim of that group), so its figure is no longer compared with the others there. 'lithkg
    undo' takes it back."""
    kg = open_kg(ctx, store_after)
    click.echo(_said(kg.split(claim, reason=reason, by=by)))


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
    if fmt in ("table", "csv", "tsv"):
        rows = [{"id": _short(r["id"]), "kind": r["kind"],
                 "about": ", ".join(_short(x) for x in (_about(r) or [r["withdraws"]])),
                 "in force": "yes" if r["in_force"] else ("undone by " + _short(r["undone_by"]) if r["undone_by"]
                                                          else "-"),
                 "by": r["by"], "at": r["at"], "reason": r["reason"]} for r in rows]
    emit_rows(rows, fmt, columns=["id", "kind", "about", "in force", "by", "at", "reason"])
