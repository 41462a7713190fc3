"""Commands that list what the store says: claims, conflicts, history, log, diff, stale, blame, stats."""
import json
import sys

import click

from ..errors import UsageError
from ..model import STATUSES
from ..read.tabular import fold_by_source, rjust
from ..session import short_id
from .common import (CLAIM_COLUMNS, store_option, format_option, handle_errors, open_kg, tabular, emit_rows, parse_params, clip, value_text)

@click.command()
@format_option()
@click.option("--subject", help="Only claims about this entity (label, alias or IRI).")
@click.option("--property", "prop", help="Only claims of this property (name, label or IRI).")
@click.option("--source", help="Only claims from this source (file name, URL, or a document version's IRI or id).")
@click.option("--status", type=click.Choice(STATUSES),
              help="Only claims with this status in their group (see 'Statuses' in docs/architecture.md).")
@click.option("--as-of", help="Record time: the graph as lithkg knew it at this date (what had been ingested).")
@click.option("--valid-at", help="Valid time: the claims whose own time holds at this date.")
@click.option("--source-date-before", help="Source time: only what sources dated before this date said.")
@store_option
@click.pass_context
@handle_errors
def claims(ctx, fmt, subject, prop, source, status, as_of, valid_at, source_date_before, store_after):
    """List every claim: its id, subject, property, value, time, source, quote, status.

    The id is the claim's short id (the hash its IRI ends with), which 'lithkg blame' and 'lithkg rank' take, as
    does any unique prefix of it of at least 6 characters. '--format jsonl' gives one JSON object per claim with the
    keys of the claims-listing contract (its IRI in 'id'). The three time options combine; with any of them statuses
    are derived again over just the claims they keep.
    """
    kg = open_kg(ctx, store_after, read_only=True)
    rows = kg.claims(subject=subject, property=prop, source=source, status=status, as_of=as_of, valid_at=valid_at,
                     source_date_before=source_date_before)
    emit_rows(rows, fmt, CLAIM_COLUMNS, id_of="id")


POSSIBLE_COLUMNS = ["possible", "score", "group_label", "other_group_label", "reason", "group", "other_group"]


@click.command()
@format_option()
@click.option("--subject", help="Only groups about this entity (label, alias or IRI).")
@click.option("--property", "prop", help="Only groups of this property (name, label or IRI).")
@click.option("--source", help="Only groups with a claim from this source (its key, URL or a file name, or a "
                               "document version's IRI or id).")
@click.option("--status", type=click.Choice(STATUSES), help="Only groups with a claim of this status.")
@click.option("--since", metavar="DATE", help="Only groups with a claim whose valid time or source date is on or "
                                              "after DATE.")
@click.option("--possible", is_flag=True,
              help="Instead: pairs of claim groups that possibly hold the same quantity under different keys, with "
                   "a score and a reason (never merged).")
@store_option
@click.pass_context
@handle_errors
def conflicts(ctx, fmt, subject, prop, source, status, since, possible, store_after):
    """Claim groups whose sources give different values, side by side with their sources.

    Each value is marked with its status and the reason for it: the same value (corroborated), a different
    figure whose bounds overlap (compatible), a change over time (updated), a conflict with other claims for the
    same time, named (conflicting), a figure a newer version no longer states, a claim a person rejected. The
    group's id and each claim's id are shown (the short ids 'lithkg plot', 'blame' and 'rank' take).

    The filters combine and pick whole groups: a group is shown when one of its claims passes them all.

    With --possible: pairs of groups whose keys differ but which possibly hold the same quantity (same subject,
    same kind of value and unit dimension, close property and qualifier words), each with both groups' claims, a
    score from 0 to 1 and the reason. They are only shown side by side, never merged. The filters keep a pair when
    a claim of either group passes them.
    """
    kg = open_kg(ctx, store_after, read_only=True)
    wanted = {"subject": subject, "property": prop, "source": source, "status": status, "since": since}
    if possible:
        possible_links(kg.possible_links(**wanted), fmt, filtered=any(wanted.values()))
        return
    rows = kg.conflicts(**wanted)
    if tabular(fmt) != "table":
        emit_rows(rows, fmt, id_of="claim")
        return
    if not rows:
        click.echo("No claim group with more than one value passes the filters." if any(wanted.values()) else
                   "No claim group has more than one value.")
        return
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(r["group"], []).append(r)
    for members in groups.values():
        head = members[0]
        click.echo(f"{head['group_label']}  [{head['verdict']}]  group {short_id(head['group'])}")
        folded = fold_by_source(members)
        for m in folded:
            mark = "*" if m["relation"] == "preferred" else " "
            value = value_text(m)
            click.echo(f"  {mark} {short_id(m['claim'])}  {rjust(value, 16)}  {m['time'] or '-':10}  {m['status']:12}  "
                       f"{m['source']}")
            click.echo(f"      \"{clip(m['quote'], 100)}\"")
            if m["reason"]:
                label = "why preferred" if m["relation"] == "preferred" else f"why {m['status']}"
                click.echo(f"      {label}: {m['reason']}")
            said = set()
            for c in m["conflicts_with"]:
                if m["relation"] != "preferred" and m["status"] == "conflicting":
                    break  # its reason names the claims it conflicts with
                if (c["source"], str(c["value"])) in said:
                    continue
                said.add((c["source"], str(c["value"])))
                click.echo(f"      conflicts with {value_text(c)} in {c['source']}: {c['reason']}")
        click.echo("")


def possible_links(links: list[dict], fmt: str, filtered: bool = False) -> None:
    """``conflicts --possible``: each pair of groups, their claims one under the other, the score and the reason."""
    if tabular(fmt) != "table":
        emit_rows(links, fmt, POSSIBLE_COLUMNS)
        return
    if not links:
        click.echo("No two claim groups that pass the filters look like the same quantity." if filtered else
                   "No two claim groups look like the same quantity.")
        return
    for link in links:
        if link.get("decision") == "accepted":
            click.echo(f"the same quantity, accepted by {link['decided_by']}: {link['decision_reason']} "
                       f"(not merged), score {link['score']:.2f}")
        else:
            click.echo(f"possibly the same quantity (not merged), score {link['score']:.2f}")
        click.echo(f"  why: {link['reason']}")
        sides = ((link["group_label"], link["claims"]), (link["other_group_label"], link["other_claims"]))
        for label, members in sides:
            click.echo(f"  {label}")
            for m in fold_by_source(members):
                mark = "*" if m["status"] == "preferred" else " "
                click.echo(f"    {mark} {rjust(value_text(m), 16)}  {m['time'] or '-':10}  {m['status']:12}  {m['source']}")
                click.echo(f"        \"{clip(m['quote'], 100)}\"")
        click.echo("")


@click.command()
@click.argument("subject")
@click.argument("property")
@click.option("--qualifier", "-q", multiple=True, help="Only the group with this scoping qualifier, as NAME=VALUE.")
@format_option()
@store_option
@click.pass_context
@handle_errors
def history(ctx, subject, property, qualifier, fmt, store_after):
    """One subject and property's values over time, with each claim's id, sources, quotes, and each value's relation
    to the one before it (corroborates, updates, conflicts, retracted)."""
    kg = open_kg(ctx, store_after, read_only=True)
    rows = kg.history(subject, property, qualifiers=parse_params(qualifier))
    if not rows:
        raise UsageError(f"no claims about '{subject}' / '{property}'")
    emit_rows(rows, fmt, ["id", "group_label", "time", "value", "unit", "bound", "status", "relation_to_previous",
                          "source", "source_date", "quote"], id_of="claim")


@click.command()
@click.argument("source", required=False)
@format_option()
@store_option
@click.pass_context
@handle_errors
def log(ctx, source, fmt, store_after):
    """The versions of every source (or of SOURCE: its url, key or a file name), oldest first: each version's id
    (what 'lithkg diff' takes), dates, record time and claim counts."""
    kg = open_kg(ctx, store_after, read_only=True)
    emit_rows(kg.log(source), fmt, ["id", "source_key", "version", "file", "source_date", "record_time", "claims"],
              id_of="document")


@click.command()
@click.argument("versions", nargs=-1, required=True)
@click.option("--format", "-f", "fmt", default="table", show_default=True,
              help="table, csv, tsv, json, jsonl; or patch (TriG with a 'removed' and an 'added' graph).")
@store_option
@click.pass_context
@handle_errors
def diff(ctx, versions, fmt, store_after):
    """What changed between two versions: claims added, retracted and changed (old value -> new value, with both
    quotes). Give a source (its two latest versions) or two document versions (ids from 'lithkg log', IRIs or file
    names)."""
    if len(versions) > 2:
        raise UsageError("give a source, or two document versions")
    kg = open_kg(ctx, store_after, read_only=True)
    rows = kg.diff(*versions)
    if fmt == "patch":
        sys.stdout.buffer.write(kg.diff_patch(rows))
        return
    if tabular(fmt) != "table":
        emit_rows(rows, fmt)
        return
    if not rows:
        click.echo("No claim changed.")
        return
    for r in rows:
        r = {**r, "old_value": r["old_value_label"] or r["old_value"], "new_value": r["new_value_label"] or r["new_value"]}
        if r["change"] == "changed":
            click.echo(f"~ {r['group_label']}: {r['old_value']} -> {r['new_value']}")
            click.echo(f"    was: \"{clip(r['old_quote'], 100)}\"")
            click.echo(f"    now: \"{clip(r['new_quote'], 100)}\"")
        elif r["change"] == "no longer stated":
            click.echo(f"- {r['group_label']}: {r['old_value']}   \"{clip(r['old_quote'], 80)}\"")
        else:
            click.echo(f"+ {r['group_label']}: {r['new_value']}   \"{clip(r['new_quote'], 80)}\"")
    counts = {k: sum(1 for r in rows if r["change"] == k) for k in ("changed", "no longer stated", "added")}
    click.echo(f"{counts['changed']} changed, {counts['no longer stated']} no longer stated, {counts['added']} added",
               err=True)


@click.command()
@click.option("--older-than", default="2y", show_default=True, help="Age after which a 'current' figure is stale.")
@click.option("--now", help="The date to measure age from (default: today).")
@format_option()
@store_option
@click.pass_context
@handle_errors
def stale(ctx, older_than, now, fmt, store_after):
    """Claims an editor should fix first: figures the latest version of a source still presents as current
    whose time is old, and figures a newer claim from another source has updated."""
    kg = open_kg(ctx, store_after, read_only=True)
    rows = kg.stale(older_than=older_than, now=now)
    emit_rows(rows, fmt, ["id", "source", "group_label", "value", "time", "reason", "quote"], id_of="claim")


@click.command()
@click.argument("claim")
@format_option()
@store_option
@click.pass_context
@handle_errors
def blame(ctx, claim, fmt, store_after):
    """Every source version that made CLAIM, first to last. CLAIM is the id 'lithkg claims' shows (or a unique
    prefix of it of at least 6 characters), or the claim's IRI."""
    kg = open_kg(ctx, store_after, read_only=True)
    emit_rows(kg.blame(claim), fmt, ["id", "version", "source", "source_date", "record_time", "quote"], id_of="claim")


@click.command()
@format_option()
@store_option
@click.pass_context
@handle_errors
def stats(ctx, fmt, store_after):
    """Counts of sources, versions, claims, groups and disputes in the store."""
    kg = open_kg(ctx, store_after, read_only=True)
    s = kg.stats()
    if tabular(fmt) == "json":
        click.echo(json.dumps(s, indent=2))
        return
    flat = {k: v for k, v in s.items() if not isinstance(v, dict)}
    for name, n in s["claims_by_extractor"].items():
        flat[f"claims by {name}"] = n
    emit_rows([{"what": k, "count": v} for k, v in flat.items()], fmt, ["what", "count"])
