"""A claim group's values over valid time as a server-rendered SVG: year ticks on x, values on y (an ordinal axis
with 1st at the top), one mark per figure coloured by its status, and a label beside each mark placed where it
overlaps no other label, tick label or mark (:func:`place`). Labels are measured conservatively
(:data:`CHAR_WIDTH` per character), so the boxes the browser draws are inside the boxes placed here.
"""
from __future__ import annotations

import dataclasses
import html
import math

from ..read.stated import number, ordinal

WIDTH, HEIGHT = 680, 280
LEFT, RIGHT, TOP, BOTTOM = 110, 24, 18, 46  # margins: y tick labels, x tick labels and the axis titles
FONT = 11  # px
CHAR_WIDTH = 0.64 * FONT  # wider than the average glyph of any sans-serif face at this size
LINE = FONT + 3
RADIUS = 5
COLOURS = {"preferred": "#1b7f3b", "corroborated": "#5aa86e", "compatible": "#7aa6c2", "conflicting": "#c0392b",
           "updated": "#8e7cc3", "outranked": "#b08b3e", "deprecated": "#999", "rejected": "#999",
           "no longer stated": "#bbb", "retracted": "#bbb", "amended": "#bbb", "withdrawn": "#bbb"}
BOUND_MARKS = {"lower": ">", "upper": "≤", "approx": "≈"}


@dataclasses.dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: "Box") -> bool:
        return self.x < other.x + other.w and other.x < self.x + self.w and \
            self.y < other.y + other.h and other.y < self.y + self.h


@dataclasses.dataclass
class Point:
    when: float  # a year, with its fraction: 2022-05 is 2022.33
    value: float
    label: str  # the short text beside the mark
    status: str | None
    title: str  # what a pointer over the mark reads


def text_box(x: float, y: float, text: str, anchor: str = "start") -> Box:
    """The box a label of ``text`` takes with its baseline at ``y``, anchored at ``x`` (start, middle or end)."""
    w = len(text) * CHAR_WIDTH + 2
    left = x if anchor == "start" else x - w / 2 if anchor == "middle" else x - w
    return Box(left, y - FONT, w, LINE)


def year_of(iso: str) -> float | None:
    """An ISO date at any precision as a year with its fraction (the middle of the month or year it names)."""
    parts = str(iso)[:10].split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else None
        day = int(parts[2]) if len(parts) > 2 else None
    except ValueError:
        return None
    if month is None:
        return year + 0.5
    return year + (month - 1) / 12 + ((day - 0.5) / 31 if day else 0.5) / 12


def nice_step(span: float, most: int) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k that divides ``span`` into at most ``most`` steps."""
    if span <= 0:
        return 1.0
    raw = span / most
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * power >= raw:
            return m * power
    return 10 * power


def place(points: list[tuple[float, float, str]], obstacles: list[Box], bounds: Box) -> list[Box | None]:
    """Boxes for the labels of marks at (x, y) with these texts: each beside its mark (right, left, above, below,
    then further up and down), inside ``bounds``, overlapping no obstacle, no mark and no label placed before it.
    A label with no free place gets None (its mark keeps its title)."""
    marks = [Box(x - RADIUS, y - RADIUS, 2 * RADIUS, 2 * RADIUS) for x, y, _ in points]
    taken = list(obstacles)
    out: list[Box | None] = []
    for i, (x, y, text) in enumerate(points):
        w = len(text) * CHAR_WIDTH + 2
        gap = RADIUS + 3
        candidates = [(x + gap, y - LINE / 2), (x - gap - w, y - LINE / 2), (x - w / 2, y - gap - LINE),
                      (x - w / 2, y + gap)]
        for k in range(1, 9):
            for side in (x + gap, x - gap - w):
                candidates += [(side, y - LINE / 2 - k * LINE), (side, y - LINE / 2 + k * LINE)]
        chosen = None
        for left, top in candidates:
            box = Box(left, top, w, LINE)
            if box.x < bounds.x or box.y < bounds.y or box.x + box.w > bounds.x + bounds.w or \
                    box.y + box.h > bounds.y + bounds.h:
                continue
            if any(box.overlaps(o) for o in taken) or any(box.overlaps(m) for j, m in enumerate(marks) if j != i):
                continue
            chosen = box
            break
        if chosen is not None:
            taken.append(chosen)
        out.append(chosen)
    return out


def short_label(value: float, bound: str | None, ordinal_axis: bool) -> str:
    """A mark's label: ``5th``, ``>1 million``, ``≈675``."""
    text = ordinal(value) if ordinal_axis else number(value, words=True)
    return BOUND_MARKS.get(bound or "", "") + text


def render(points: list[Point], *, ordinal_axis: bool, y_title: str) -> tuple[str, list[Box]]:
    """The SVG of ``points`` and every text box in it (tick labels, axis titles, mark labels): none overlaps
    another. Marks at the same place with the same label are drawn once, with every title."""
    merged: dict[tuple, Point] = {}
    for p in points:
        key = (round(p.when, 3), p.value, p.label)
        if key in merged:
            merged[key].title += "\n" + p.title
            if p.status == "preferred":
                merged[key].status = "preferred"
        else:
            merged[key] = dataclasses.replace(p)
    points = list(merged.values())
    t0 = math.floor(min(p.when for p in points))
    t1 = max(math.ceil(max(p.when for p in points)), t0 + 1)
    px0, px1, py0, py1 = LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM
    lo_t, hi_t = t0 - 0.25, t1 + 0.25

    def x(t):
        return px0 + (px1 - px0) * (t - lo_t) / (hi_t - lo_t)

    values = [p.value for p in points]
    if ordinal_axis:
        v_lo, v_hi = 1.0, max(max(values), 2.0)
        step = max(1.0, math.ceil(nice_step(v_hi - v_lo, max(2, int((py1 - py0) / (LINE + 6))))))
        ticks = [1.0] + [float(v) for v in range(int(step), int(v_hi) + 1, int(step)) if v > 1]
        v_hi = max(v_hi, ticks[-1])

        def y(v):  # 1st at the top
            return py0 + (py1 - py0) * (v - v_lo) / (v_hi - v_lo)
        tick_text = ordinal
    else:
        v_lo, v_hi = min(0.0, min(values)), max(values)
        if v_hi == v_lo:
            v_hi = v_lo + 1
        step = nice_step(v_hi - v_lo, 5)
        v_lo = math.floor(v_lo / step) * step
        v_hi = math.ceil(v_hi / step) * step
        ticks = [v_lo + i * step for i in range(int(round((v_hi - v_lo) / step)) + 1)]

        def y(v):
            return py1 - (py1 - py0) * (v - v_lo) / (v_hi - v_lo)

        def tick_text(v):
            return number(round(v, 10), words=True)
    parts, boxes = [], []
    for v in ticks:
        ty = y(v)
        label = tick_text(v)
        parts.append(f"<line x1='{px0}' x2='{px1}' y1='{ty:.1f}' y2='{ty:.1f}' stroke='#eee'/>"
                     f"<text x='{px0 - 6}' y='{ty + FONT / 2 - 1:.1f}' text-anchor='end'>{html.escape(label)}</text>")
        boxes.append(text_box(px0 - 6, ty + FONT / 2 - 1, label, "end"))
    widest = len(str(t1)) * CHAR_WIDTH + 8
    year_step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 10 ** 9)
                     if (px1 - px0) * s / (hi_t - lo_t) >= widest)
    for year in range(-(-t0 // year_step) * year_step, t1 + 1, year_step):  # at multiples of the step
        tx = x(year)
        parts.append(f"<line x1='{tx:.1f}' x2='{tx:.1f}' y1='{py1}' y2='{py1 + 4}' stroke='#555'/>"
                     f"<text x='{tx:.1f}' y='{py1 + 4 + FONT + 1}' text-anchor='middle'>{year}</text>")
        boxes.append(text_box(tx, py1 + 4 + FONT + 1, str(year), "middle"))
    x_title = "valid time (year)"
    parts.append(f"<text x='{(px0 + px1) / 2:.1f}' y='{HEIGHT - 6}' text-anchor='middle' class='axis-title'>"
                 f"{x_title}</text>")
    boxes.append(text_box((px0 + px1) / 2, HEIGHT - 6, x_title, "middle"))
    y_title = y_title[:int((py1 - py0) / CHAR_WIDTH)]
    parts.append(f"<text transform='rotate(-90)' x='{-(py0 + py1) / 2:.1f}' y='{FONT + 2}' text-anchor='middle' "
                 f"class='axis-title'>{html.escape(y_title)}</text>")  # (rotated: left of the tick labels)
    boxes.append(Box(2, (py0 + py1) / 2 - len(y_title) * CHAR_WIDTH / 2 - 1, LINE, len(y_title) * CHAR_WIDTH + 2))
    parts.append(f"<line x1='{px0}' x2='{px0}' y1='{py0}' y2='{py1}' stroke='#555'/>"
                 f"<line x1='{px0}' x2='{px1}' y1='{py1}' y2='{py1}' stroke='#555'/>")
    spots = [(x(p.when), y(p.value), p.label) for p in points]
    placed = place(spots, boxes, Box(px0 + 1, 0, WIDTH - px0 - 1, py1 - 1))
    for p, (cx, cy, _), box in zip(points, spots, placed):
        colour = COLOURS.get(p.status or "", "#777")
        parts.append(f"<circle cx='{cx:.1f}' cy='{cy:.1f}' r='{RADIUS}' fill='{colour}' class='mark'>"
                     f"<title>{html.escape(p.title)}</title></circle>")
        if box is not None:
            parts.append(f"<text x='{box.x + 1:.1f}' y='{box.y + FONT:.1f}' class='label'>{html.escape(p.label)}"
                         f"</text>")
            boxes.append(box)
    svg = (f"<svg class='timeline' viewBox='0 0 {WIDTH} {HEIGHT}' width='{WIDTH}' height='{HEIGHT}' role='img' "
           f"aria-label='values over valid time' font-family='sans-serif' font-size='{FONT}'>{''.join(parts)}</svg>")
    return svg, boxes
