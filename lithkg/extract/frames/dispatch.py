"""The order in which the rules read a sentence: :data:`RULES`, one rule family after another.

Each rule takes the :class:`~.context.SentenceContext` and makes its claims through it; a rule that returns
True has read the whole sentence and the rules after it are not applied (a key-figure line such as
"Contact: ..." or "Students: 13,214"). The order matters: a date one rule uses is not used again by a later
one, and :meth:`~.context.SentenceContext.prior_value` ("up from 9%") refers to the claim made just before.
"""
from __future__ import annotations

from .context import SentenceContext
from .counts import count
from .events import became, dated_events, event_verbs, planned_dates, since
from .figures import key_figures, money, multiples, percent
from .quantities import quantity
from .ranks import ordinal
from .relations import relations

# each number of the sentence, in order, is read by the rule for its kind; any other number is a count
NUMBER_RULES = {
    "percent": percent,      # shares and changes                           (figures)
    "money": money,          # funding, valuation, cost, revenue, amount    (figures)
    "quantity": quantity,    # a length, mass, duration ... of a thing      (quantities)
}


def ordinals(ctx: SentenceContext) -> None:
    for o in ctx.ords:
        ordinal(ctx, o)


def numbers(ctx: SentenceContext) -> None:
    for n in ctx.nums:
        NUMBER_RULES.get(n.kind, count)(ctx, n)


RULES = (
    ("key figures", key_figures),    # "Total students: 13,214"; True when the line is read      (figures)
    ("event verbs", event_verbs),    # "launched on 5 May", "was inaugurated in 2019"              (events)
    ("planned dates", planned_dates),  # "originally planned for 2026", "due to begin in May"     (events)
    ("became", became),              # "In 2013 X became the first ...": since when               (events)
    ("since", since),                # "since the beginning of April, X has been ..."             (events)
    ("dated events", dated_events),  # a named event, or an unnamed one, next to a date           (events)
    ("ordinals", ordinals),          # ranks, positions, anniversaries, "its second unicorn"      (ranks)
    ("numbers", numbers),            # shares, money, quantities, counts, by NUMBER_RULES
    ("multiples", multiples),        # "sales doubled", "halved": a change in percent              (figures)
    ("relations", relations),        # "X hosts Y"                                                (relations)
)


def read_sentence(ctx: SentenceContext) -> None:
    """Apply the rules of :data:`RULES` to one sentence, in order."""
    for _name, rule in RULES:
        if rule(ctx):
            return
