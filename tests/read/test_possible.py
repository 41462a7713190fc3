"""Claim groups that possibly hold the same quantity: found on read, scored, explained, never merged."""
import datetime as dt
import json
from decimal import Decimal

import pytest

from lithkg.kg import KnowledgeGraph
from lithkg.read import possible

from conftest import write

HARBOUR = """---
url: https://harbour-news.example/firms-2023
published: 2024-01-10
---
Klaipėda registered 420 new firms in 2023. Start-ups in Klaipėda raised 15 million euros in 2023.
Riga registered 410 new firms in 2023.
"""
REGISTER = """---
url: https://city-register.example/annual-2023
published: 2024-03-05
---
A total of 430 firms were registered in Klaipėda in 2023.
"""
WEEKLY = """---
url: https://business-weekly.example/klaipeda
published: 2024-02-20
---
Klaipėda registered 425 new private firms in 2023. The city had 415 schools in 2023.
"""

COMPANY = "Klaipėda / number of / of: company"
NEW = "Klaipėda / number of / of: new company"
PRIVATE = "Klaipėda / number of / of: new private company"


@pytest.fixture
def news(tmp_path, monkeypatch):
    """Three short news items about firms in Klaipėda (and one about Riga), in a real store on disk."""
    monkeypatch.setenv("LITHKG_EXTRACTORS", "frames")
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "docs" / "harbour-news.md", HARBOUR)
    write(tmp_path / "docs" / "city-register.md", REGISTER)
    write(tmp_path / "docs" / "business-weekly.md", WEEKLY)
    store = tmp_path / "store"
    with KnowledgeGraph(store) as kg:
        kg.ingest([tmp_path / "docs"], record_time="2024-04-01T00:00:00Z")
    return store


def test_links_best_first_with_scores_and_reasons(news):
    with KnowledgeGraph(news, read_only=True) as kg:
        links = kg.possible_links()
    assert [(r["group_label"], r["other_group_label"], r["score"]) for r in links] == [
        (NEW, PRIVATE, 0.95), (COMPANY, NEW, 0.87), (COMPANY, PRIVATE, 0.7)]
    first = links[1]
    assert first["possible"] is True
    assert first["reason"] == ("same subject, both counts; key words 'number company' and 'number new company' share "
                               "2 of 3, one within the other; values 420 and 430 are within 3%")
    assert first["subject_label"] == "Klaipėda"
    assert first["group"] != first["other_group"]
    assert [(c["value"], c["source"], c["quote"], c["status"]) for c in first["claims"]] == [
        (430, "docs/city-register.md", "430 firms", "preferred")]
    assert [(c["value"], c["source"], c["quote"]) for c in first["other_claims"]] == [
        (420, "docs/harbour-news.md", "420 new firms")]


def test_unrelated_groups_are_not_linked(news):
    with KnowledgeGraph(news, read_only=True) as kg:
        everything = possible.possible_links(kg.session, threshold=0)
        kept = kg.possible_links()
    labels = {lab for r in everything for lab in (r["group_label"], r["other_group_label"])}
    assert not any(lab.startswith("Riga") for lab in labels)  # another subject, though the same key and close values
    assert not any("funding" in lab for lab in labels)  # an amount of money is not a count
    schools = [r for r in everything if "school" in r["group_label"] + r["other_group_label"]]
    assert schools and all(r["score"] < possible.THRESHOLD for r in schools)  # close values, another counted thing
    assert not any("school" in r["group_label"] + r["other_group_label"] for r in kept)


def test_links_are_read_not_written(news):
    with KnowledgeGraph(news) as kg:
        before = len(kg.store)
        groups = {r["group"] for r in kg.claims()}
        assert len(kg.possible_links()) == 3
        assert len(kg.store) == before
        assert {r["group"] for r in kg.claims()} == groups  # never merged: each group keeps its claims


def test_words_are_lemmatised_without_function_words():
    assert possible.words_of("number of / of: new companies") == ["number", "new", "company"]
    assert possible.words_of("since / of: unicorn status") == ["since", "unicorn", "status"]
    assert possible.words_of("the firms' boxes") == ["firm", "box"]


def group(label, words, values, kind="Count"):
    comparable = [v if isinstance(v, tuple) else Decimal(v) for v in values]
    return possible.Group(label, label, "s", "S", kind, (None,), tuple(words),
                          [(c, str(v)) for c, v in zip(comparable, values)],
                          [{"unit_label": None}])


def test_scores_from_words_and_values():
    a = group("a", ["number", "company"], [430])
    assert possible.score(a, group("b", ["number", "new", "company"], [430]))[0] == 0.92  # 2/3 + 0.1 + 0.15
    assert possible.score(a, group("b", ["number", "new", "company"], [540]))[0] == 0.77  # 21% apart
    assert possible.score(a, group("b", ["number", "new", "company"], [600]))[0] == 0.67  # 29% apart: - 0.1
    far, reason = possible.score(a, group("b", ["number", "new", "company"], [5]))
    assert far == 0.57 and reason.endswith("values 5 and 430 are more than tenfold apart")
    assert possible.score(a, group("b", ["number", "school"], [430]))[0] == 0.48  # below the threshold
    assert possible.score(a, group("b", ["population"], [430])) is None  # no word in common


def test_dates_compare_as_intervals():
    y1989 = (dt.date(1989, 1, 1), dt.date(1989, 12, 31))
    day = (dt.date(1989, 8, 23), dt.date(1989, 8, 23))
    a = possible.Group("a", "a", "s", "S", "Date", (), ("start", "protest"), [(y1989, "1989")], [{"unit_label": None}])
    b = possible.Group("b", "b", "s", "S", "Date", (), ("start",), [(day, "1989-08-23")], [{"unit_label": None}])
    total, reason = possible.score(a, b)
    assert total == 0.7 and reason == ("same subject, both dates; key words 'start protest' and 'start' share 1 of 2, "
                                       "one within the other; dates 1989 and 1989-08-23, one within the other")


def test_cli_conflicts_possible(news, runner):
    from lithkg.cli import main
    result = runner.invoke(main, ["--store", str(news), "conflicts", "--possible"], catch_exceptions=False)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[:8] == [
        "possibly the same quantity (not merged), score 0.95",
        "  why: same subject, both counts; key words 'number new company' and 'number new private company' share "
        "3 of 4, one within the other; values 420 and 425 are within 2%",
        f"  {NEW}",
        "    *              420  2023        preferred     docs/harbour-news.md",
        '        "420 new firms"',
        f"  {PRIVATE}",
        "    *              425  2023        preferred     docs/business-weekly.md",
        '        "425 new private firms"',
    ]
    assert [line for line in lines if line.startswith("possibly")] == [
        "possibly the same quantity (not merged), score 0.95",
        "possibly the same quantity (not merged), score 0.87",
        "possibly the same quantity (not merged), score 0.70"]
    assert len(lines) == 3 * 9

    result = runner.invoke(main, ["--store", str(news), "conflicts", "--possible", "--format", "json"])
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert [(r["possible"], r["score"], r["group_label"], r["other_group_label"]) for r in rows] == [
        (True, 0.95, NEW, PRIVATE), (True, 0.87, COMPANY, NEW), (True, 0.7, COMPANY, PRIVATE)]
    assert all(r["reason"] and r["group"].startswith("https://") and r["other_group"].startswith("https://")
               for r in rows)

    result = runner.invoke(main, ["--store", str(news), "conflicts", "--possible", "--format", "csv"])
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "possible,score,group_label,other_group_label,reason,group,other_group"
    assert result.output.splitlines()[2].startswith(f"True,0.87,{COMPANY},{NEW},\"same subject, both counts;")


def test_cli_conflicts_possible_with_none(tmp_path, runner, monkeypatch):
    from lithkg.cli import main
    monkeypatch.setenv("LITHKG_EXTRACTORS", "frames")
    store = str(tmp_path / "store")
    assert runner.invoke(main, ["--store", store, "ingest", str(write(tmp_path / "h.md", HARBOUR))]).exit_code == 0
    result = runner.invoke(main, ["--store", store, "conflicts", "--possible"], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.output == "No two claim groups look like the same quantity.\n"


def test_bounded_per_subject():
    many = [group(f"g{i:05d}", ["number", f"thing{i // 2}"], [100]) for i in range(4000)]
    other = possible.Group("o", "o", "t", "T", "Count", (None,), ("number", "thing0"), [(Decimal(100), "100")],
                           [{"unit_label": None}])
    found = possible.pairs(many + [other])
    assert len(found) == possible.MAX_LINKS_PER_SUBJECT  # 2,000 pairs of twins, the best 200 kept
    assert all(a.subject == b.subject == "s" and s == 1.0 for a, b, s, _ in found)
    assert [(a.label, b.label) for a, b, _, _ in found[:2]] == [("g00000", "g00001"), ("g00002", "g00003")]
