"""Split a document's text into blocks (paragraphs, headings, list items, table rows, footnotes) and sentences,
keeping character offsets into the document text.

Sentences come from spaCy's blank English pipeline with its rule-based sentencizer (no model, nothing
downloaded); blocks come from line structure, so a heading or a list item is never glued to the next sentence.
"""
from __future__ import annotations

import dataclasses
import functools
import re

FOOTNOTE_DEF = re.compile(r"^\s*\[\^?(\d{1,3})\]:?\s*(.+?)\s*$")
LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")
HEADING = re.compile(r"^\s*#{1,6}\s+")
TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
QUOTED = re.compile(r"“[^”\n]{1,120}”|\"[^\"\n]{1,120}\"|«[^»\n]{1,120}»")
PIECE = 20_000  # characters of a paragraph given to the sentence splitter at once (spaCy refuses over 1,000,000)
_SENTENCE_END = re.compile(r"[.!?][”\"')\]]*\s+")


@dataclasses.dataclass(frozen=True)
class Block:
    kind: str           # paragraph | heading | item | row | footnote
    start: int
    end: int


@dataclasses.dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    block: int          # index of its block
    kind: str           # the block's kind
    paragraph: int      # index of its paragraph (consecutive non-blank lines)


@dataclasses.dataclass(frozen=True)
class Table:
    header: tuple[tuple[int, int], ...]       # spans of the header cells
    rows: tuple[tuple[tuple[int, int], ...], ...]
    start: int


@dataclasses.dataclass
class Layout:
    text: str
    blocks: list[Block]
    sentences: list[Sentence]
    footnotes: dict[str, str]
    tables: list[Table]
    quoted: list[tuple[int, int]]


@functools.lru_cache(maxsize=1)
def _nlp():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def _lines(text: str):
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line), line
        pos += len(line) + 1


def blocks_of(text: str) -> tuple[list[Block], list[int]]:
    """Blocks and, for each, the index of the paragraph (run of non-blank lines) it belongs to."""
    blocks: list[Block] = []
    paragraphs: list[int] = []
    para = -1
    current: list[tuple[int, int]] = []
    prev_blank = True

    def flush():
        if current:
            blocks.append(Block("paragraph", current[0][0], current[-1][1]))
            paragraphs.append(para)
            current.clear()

    for start, end, line in _lines(text):
        if not line.strip():
            flush()
            prev_blank = True
            continue
        if prev_blank:
            para += 1
        prev_blank = False
        kind = None
        if FOOTNOTE_DEF.match(line):
            kind = "footnote"
        elif TABLE_ROW.match(line) or TABLE_RULE.match(line):
            kind = "row"
        elif HEADING.match(line):
            kind = "heading"
        elif LIST_ITEM.match(line):
            kind = "item"
        elif _looks_like_heading(line, text, end):
            kind = "heading"
        if kind:
            flush()
            blocks.append(Block(kind, start, end))
            paragraphs.append(para)
        else:
            current.append((start, end))
    flush()
    return blocks, paragraphs


def _looks_like_heading(line: str, text: str, end: int) -> bool:
    """A short line without end punctuation followed by a line break (not wrapped prose)."""
    words = line.split()
    if len(words) > 12 or line.rstrip()[-1:] in ".!?:;,":
        return False
    nxt = text[end:end + 2]
    return nxt.startswith("\n") or end >= len(text)


def layout(text: str) -> Layout:
    blocks, paragraphs = blocks_of(text)
    nlp = _nlp()
    sentences: list[Sentence] = []
    footnotes: dict[str, str] = {}
    tables: list[Table] = []
    table_rows: list[Block] = []
    for i, b in enumerate(blocks):
        chunk = text[b.start:b.end]
        if b.kind == "footnote":
            m = FOOTNOTE_DEF.match(chunk)
            footnotes[m.group(1)] = m.group(2)
            continue
        if b.kind == "row":
            table_rows.append(b)
            if i + 1 < len(blocks) and blocks[i + 1].kind == "row":
                continue
            tables.append(_table(text, table_rows))
            table_rows = []
            continue
        if b.kind in ("heading", "item"):
            sentences.append(Sentence(b.start, b.end, chunk, i, b.kind, paragraphs[i]))
            continue
        for p_start, p_end in pieces(text, b.start, b.end):
            doc = nlp(text[p_start:p_end])
            for s in doc.sents:
                for st, en in _split_after_markers(p_start + s.start_char, p_start + s.end_char, text):
                    piece = text[st:en]
                    if piece.strip():
                        lead = len(piece) - len(piece.lstrip())
                        trail = len(piece) - len(piece.rstrip())
                        sentences.append(Sentence(st + lead, en - trail, piece.strip(), i, b.kind, paragraphs[i]))
    quoted = [m.span() for m in QUOTED.finditer(text)]
    return Layout(text, blocks, sentences, footnotes, tables, quoted)


def pieces(text: str, start: int, end: int, limit: int = PIECE):
    """Spans of ``text[start:end]`` of at most ``limit`` characters, for the sentence splitter: a very long paragraph
    is cut after the last sentence end in each window (else at the last line break, else the last space, else at the
    limit), so no sentence of ordinary length is cut and the splitter never sees more than ``limit`` characters."""
    while end - start > limit:
        window = text[start:start + limit]
        cut = 0
        for m in _SENTENCE_END.finditer(window, limit // 2):
            cut = m.end()
        if not cut:
            cut = max(window.rfind("\n"), window.rfind(" ")) + 1
        if cut <= 0:
            cut = limit
        yield start, start + cut
        start += cut
    yield start, end


_AFTER_MARKER = re.compile(r"[.!?][”\"]?(?:\[\^?\d{1,3}\])+\s+(?=[A-Z“\"])")


def _split_after_markers(start: int, end: int, text: str):
    """Split where a sentence ends in a footnote marker ("... Poland.[2] Lithuanians ...")."""
    pos = start
    for m in _AFTER_MARKER.finditer(text, start, end):
        yield pos, m.end()
        pos = m.end()
    yield pos, end


def _table(text: str, rows: list[Block]) -> Table:
    parsed = []
    for b in rows:
        line = text[b.start:b.end]
        if TABLE_RULE.match(line):
            continue
        cells = []
        pos = b.start + line.index("|") + 1
        for cell in line.strip().strip("|").split("|"):
            raw_start = text.index(cell, pos) if cell else pos
            lead = len(cell) - len(cell.lstrip())
            cells.append((raw_start + lead, raw_start + len(cell.rstrip())))
            pos = raw_start + len(cell) + 1
        parsed.append(tuple(cells))
    header = parsed[0] if parsed else ()
    return Table(tuple(header), tuple(parsed[1:]), rows[0].start)
