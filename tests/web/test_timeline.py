"""The dispute page's timeline (lithkg.web.timeline): labelled axes, and labels that never overlap."""
import itertools
import re

import pytest

from lithkg.web.timeline import Box, Point, place, render, short_label, year_of


def overlapping(boxes):
    return [(a, b) for a, b in itertools.combinations(boxes, 2) if a.overlaps(b)]


RANKS = [  # the bundled cyber index group: 57th (2017), 4th twice (2021), 5th and 6th (2022), close together
    Point(2017.5, 57, "57th", "no longer stated", "a"), Point(2021.5, 4, "4th", "updated", "b"),
    Point(2021.5, 4, "4th", "updated", "c"), Point(2022.5, 5, "5th", "conflicting", "d"),
    Point(2022.5, 6, "6th", "conflicting", "e"),
]


def test_an_ordinal_axis_has_1st_at_the_top_and_year_ticks():
    svg, boxes = render(RANKS, ordinal_axis=True, y_title="rank")
    ticks = {t: float(y) for y, t in re.findall(r"<text x='\d+' y='([\d.]+)' text-anchor='end'>([^<]+)</text>", svg)}
    assert ticks["1st"] < ticks["10th"] < ticks["50th"]  # 1st at the top (smaller y)
    years = re.findall(r"text-anchor='middle'>(\d{4})</text>", svg)
    assert years == ["2017", "2018", "2019", "2020", "2021", "2022", "2023"]
    assert "valid time (year)" in svg and ">rank</text>" in svg
    assert svg.count("<circle") == 4  # the two 4ths of 2021 are one mark with both titles
    assert "<title>b\nc</title>" in svg
    labels = re.findall(r"class='label'>([^<]+)</text>", svg)
    assert sorted(labels) == ["4th", "57th", "5th", "6th"]
    assert not overlapping(boxes)


def test_labels_of_crowded_marks_never_overlap():
    points = [Point(2020 + (i % 3) * 0.01, 100 + i, f"{100 + i:,} km", "conflicting", str(i)) for i in range(12)]
    svg, boxes = render(points, ordinal_axis=False, y_title="length (km)")
    shown = re.findall(r"class='label'>([^<]+)</text>", svg)
    assert len(shown) >= 8  # most find a place: beside, above, below or further out
    assert not overlapping(boxes)
    for b in boxes:  # inside the picture
        assert b.x >= 0 and b.y >= 0 and b.x + b.w <= 680 and b.y + b.h <= 280


def test_a_value_axis_starts_at_zero_with_round_ticks_in_words():
    points = [Point(1989.6, 1_000_000, short_label(1_000_000, "lower", False), "compatible", "a"),
              Point(1989.5, 2_000_000, short_label(2_000_000, "approx", False), "preferred", "b"),
              Point(2020.6, 50_000, short_label(50_000, "approx", False), "preferred", "c")]
    svg, boxes = render(points, ordinal_axis=False, y_title="participants")
    ticks = re.findall(r"text-anchor='end'>([^<]+)</text>", svg)
    assert ticks[0] == "0" and ticks[-1] == "2 million" and len(ticks) >= 3
    years = re.findall(r"text-anchor='middle'>(\d{4})</text>", svg)
    assert years == ["1990", "1995", "2000", "2005", "2010", "2015", "2020"]  # every 5 years: the labels fit
    assert ">&gt;1 million</text>" in svg and ">≈2 million</text>" in svg
    assert not overlapping(boxes)


def test_place_keeps_labels_off_obstacles_and_marks_and_gives_up_rather_than_overlap():
    bounds = Box(0, 0, 100, 60)
    obstacle = Box(50, 0, 50, 60)  # the right half is taken
    placed = place([(35, 30, "abc"), (35, 30, "def"), (35, 30, "ghijklmnopqrstuvwxyz")], [obstacle], bounds)
    assert placed[0] is not None and placed[1] is not None and placed[2] is None
    assert not placed[0].overlaps(placed[1]) and not any(b.overlaps(obstacle) for b in placed[:2])
    mark = Box(30, 25, 10, 10)
    assert not any(b.overlaps(mark) for b in placed[:2])


@pytest.mark.parametrize("iso,year", [("2022", 2022.5), ("2022-01", 2022 + 0.5 / 12), ("2022-12-31", 2022 + 11 / 12 +
                                                                                           30.5 / 31 / 12),
                                      ("x", None)])
def test_year_of(iso, year):
    assert year_of(iso) == (pytest.approx(year) if year is not None else None)
