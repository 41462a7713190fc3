"""Pictures: the marks drawn for a group, and the text in the SVG itself."""
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lithkg.read import plot
from lithkg.errors import MissingExtraError

ROWS = [
    {"id": "a", "document": "d1", "source": "graph/sources/p2021.md", "source_date": "2021-06-01", "time": "2017",
     "value": 57, "property": "https://w3id.org/lithkg/prop/rank", "status": "retracted"},
    {"id": "a2", "document": "d1", "source": "graph/sources/p2021.md", "source_date": "2021-06-01", "time": "2017",
     "value": 57, "property": "https://w3id.org/lithkg/prop/rank", "status": "retracted"},  # read twice: one mark
    {"id": "b", "document": "d1", "source": "graph/sources/p2021.md", "source_date": "2021-06-01", "time": "2021",
     "value": 4, "property": "https://w3id.org/lithkg/prop/rank", "status": "updated"},
    {"id": "c", "document": "d2", "source": "graph/sources/p2022.md", "source_date": "2022-05-16", "time": "2022",
     "value": 6, "property": "https://w3id.org/lithkg/prop/rank", "status": "preferred"},
    {"id": "d", "document": "d3", "source": "graph/sources/news.md", "source_date": "2022-09-01", "time": None,
     "value": 5, "property": "https://w3id.org/lithkg/prop/rank", "status": "normal"},
]


def texts(svg: bytes) -> str:
    return " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg.decode("utf-8")))


def test_one_mark_per_source_time_and_value():
    marks = plot.group_marks(ROWS)
    assert [(m["label"], m["time"], m["preferred"]) for m in marks] == \
        [("57th", "2017", False), ("4th", "2021", False), ("6th", "2022", True), ("5th", None, False)]
    assert marks[3]["when"].isoformat() == "2022-09-01"  # no valid time: drawn at the source date


def test_the_svg_shows_values_times_sources_and_the_preferred_one():
    buf = io.BytesIO()
    drawn = plot.plot_group(ROWS, buf, fmt="svg", title="Lithuania / rank", reason="the latest valid time")
    assert len(drawn) == 4
    shown = texts(buf.getvalue())
    for expected in ("57th (2017), retracted", "4th (2021)", "★ 6th (2022)", "5th (2022-09-01, source date)",
                     "p2021.md", "p2022.md", "news.md", "Lithuania / rank", "★ preferred: the latest valid time",
                     "rank (1st at the top)"):
        assert expected in shown, expected
    again = io.BytesIO()
    plot.plot_group(ROWS, again, fmt="svg", title="Lithuania / rank", reason="the latest valid time")
    assert again.getvalue() == buf.getvalue()


def test_png_is_a_png():
    buf = io.BytesIO()
    plot.plot_group(ROWS, buf, fmt="png", title="t")
    assert buf.getvalue()[:8] == b"\x89PNG\r\n\x1a\n" and len(buf.getvalue()) > 10_000


def test_without_matplotlib_a_clear_error(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "matplotlib.figure", None)
    with pytest.raises(MissingExtraError) as exc:
        plot.plot_group(ROWS, io.BytesIO(), title="t")
    assert exc.value.format() == "plotting needs matplotlib, which is not installed (pip install 'lithkg[plot]')"
    assert exc.value.exit_code == 8


@pytest.mark.parametrize("suffix", ["svg", "png"])
def test_the_dispute_picture_is_the_same_bytes_in_two_processes(built_store, tmp_path, suffix):
    """Two runs in two processes whose string hashes differ (another PYTHONHASHSEED): set order must not reach the
    layout, the drawing order or the file's metadata."""
    root = Path(__file__).resolve().parents[2]
    pictures = []
    for seed in ("1", "2"):
        out = tmp_path / f"disputes-{seed}.{suffix}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(root), "LITHKG_EXTRACTORS": "curated"}
        run = subprocess.run([sys.executable, "-m", "lithkg.cli", "--store", str(built_store), "plot", "--disputes",
                              "-o", str(out)], env=env, capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        pictures.append(out.read_bytes())
    assert len(pictures[0]) > 10_000 and pictures[0] == pictures[1]
