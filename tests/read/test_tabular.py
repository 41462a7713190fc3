"""Tables line up in a terminal whatever the script: wide characters (CJK, emoji) take two columns, combining marks
none."""
import io

import pytest
from wcwidth import wcswidth

from lithkg.read.tabular import clip, width, write_rows

ROWS = [
    {"subject": "Lithuania", "value": 6},
    {"subject": "日本", "value": 1000000},             # CJK: two columns each
    {"subject": "Vilnius 🚀", "value": 57},            # an emoji: two columns
    {"subject": "Šia\u0301ulia\u0301i", "value": 4},   # combining acute accents: no columns of their own
    {"subject": "👩\u200d👩\u200d👧 family", "value": 3},  # one emoji of five code points, joined
]


def table(rows, **kw) -> list[str]:
    out = io.StringIO()
    write_rows(rows, "table", out, columns=["subject", "value"], **kw)
    return out.getvalue().splitlines()


def test_widths_count_columns_not_code_points():
    assert [width(r["subject"]) for r in ROWS] == [9, 4, 10, 8, 9]
    assert [len(r["subject"]) for r in ROWS] != [9, 4, 10, 8, 9]


def test_a_table_of_wide_and_combining_characters_lines_up():
    lines = table(ROWS)
    assert lines == [
        "subject     value",
        "----------  -------",
        "Lithuania   6",
        "日本        1000000",
        "Vilnius 🚀  57",
        "Šia\u0301ulia\u0301i    4",
        "👩\u200d👩\u200d👧 family   3",
    ]
    # every value starts in the same terminal column
    assert {wcswidth(line[:line.rindex(" ") + 1]) for line in lines[2:]} == {12}


@pytest.mark.parametrize("text,columns,expected", [
    ("日本語のテキスト", 7, "日本語…"),            # a wide character that does not fit is left out whole
    ("e\u0301e\u0301e\u0301e\u0301", 3, "e\u0301e\u0301…"),  # a mark stays with its letter
    ("ab👩\u200d👩\u200d👧cd", 5, "ab👩\u200d👩\u200d👧…"),      # a joined emoji is kept whole
    ("ab👩\u200d👩\u200d👧cd", 4, "ab…"),
    ("short", 10, "short"),
])
def test_clipping_counts_columns_and_keeps_characters_whole(text, columns, expected):
    assert clip(text, columns) == expected
    assert width(clip(text, columns)) <= columns


def test_clipped_wide_cells_still_line_up():
    lines = table([{"subject": "東京都千代田区永田町一丁目", "value": 1}, {"subject": "Tallinn", "value": 2}], max_width=9)
    assert lines[2:] == ["東京都千…  1", "Tallinn    2"]
