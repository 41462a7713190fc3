import pytest

from lithkg.extract.documents import content_hash, infer_date, parse_document, read_document
from lithkg.errors import DocumentError

from conftest import SEEDS


def doc(text: str | bytes, name="doc.md", **kw):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_document(data, name=name, **kw)


def test_front_matter_fields_and_text_offsets_after_it():
    d = doc("---\ntitle: T\nurl: https://x.example/p\npublished: 2022-05-01\nretrieved: 2022-06\n---\nBody text.\n")
    assert (d.title, d.url, d.published, d.retrieved) == ("T", "https://x.example/p", "2022-05-01", "2022-06")
    assert d.text == "Body text.\n"
    assert d.source_key == "https://x.example/p"
    assert (d.source_date, d.source_date_inferred) == ("2022-05-01", False)


def test_flags_override_front_matter():
    d = doc("---\ntitle: T\npublished: 2020\n---\nx", title="Other", published="2021-02-03", source="src-1")
    assert (d.title, d.published, d.source_key) == ("Other", "2021-02-03", "src-1")


def test_without_front_matter_the_source_is_the_path_and_the_date_is_inferred():
    d = doc("Events of 2014 and of 2021 are mentioned.", name="dir/a.txt")
    assert d.source_key == "dir/a.txt" and d.media_type == "text/plain"
    assert (d.source_date, d.source_date_inferred) == ("2021", True)


def test_identity_is_the_text_hash_and_line_endings_are_normalised():
    a, b = doc("one\r\ntwo\r\n"), doc("one\ntwo\n")
    assert a.text == b.text == "one\ntwo\n"
    assert a.content_hash == b.content_hash == content_hash("one\ntwo\n")


def test_html_is_reduced_to_text_with_blocks_on_lines():
    d = doc("<html><head><title>Page</title></head><body><h1>Head</h1><p>First <b>bold</b> para.</p>"
            "<ul><li>item one</li></ul></body></html>", name="p.html")
    assert d.media_type == "text/html" and d.title == "Page"
    assert "First bold para." in d.text and "item one" in d.text
    assert "<" not in d.text


@pytest.mark.parametrize("data,message", [
    (b"", "doc.md: the document is empty (give a file with text in it)"),
    (b"  \n\n", "doc.md: the document is empty (give a file with text in it)"),
    (b"\x89PNG\x00\x00\x01", "doc.md: the file is binary, not text (give a .txt, .md or .html document)"),
    (b"line one\nbad \xff byte", "doc.md:2: the text is not UTF-8 (byte 13) (convert it to UTF-8, e.g. with iconv)"),
    (b"---\ntitle: [unclosed\n---\ntext", "doc.md:3: front matter is not valid YAML: expected ',' or ']', but got '<stream end>'"
                                          " (fix the YAML between the --- lines)"),
    (b"---\n- a\n- b\n---\ntext", "doc.md:2: front matter must be a mapping of fields (title, url, published,"
                                  " retrieved)"),
    (b"---\npublished: soon\n---\ntext", "doc.md:2: front matter 'published': 'soon' is not an ISO date"
                                         " (YYYY, YYYY-MM or YYYY-MM-DD)"),
    (b"---\ntitle: [1, 2]\n---\ntext", "doc.md:2: front matter 'title' must be a text, not list"),
    (b"---\npublished: 2022-02-30\n---\ntext", "doc.md:2: front matter 'published': '2022-02-30' is not a real day"),
    (b"---\ntitle: x\n---\n\n", "doc.md: the document has no text after its front matter"
                                " (add the document's text below the --- lines)"),
    (b"---\ntitle: x\nbody without end", "doc.md:1: front matter is not closed (end it with a line '---')"),
])
def test_bad_documents_are_refused_with_one_line(data, message):
    with pytest.raises(DocumentError) as exc:
        doc(data)
    assert str(exc.value) == message


def test_unknown_extension_and_missing_file(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    with pytest.raises(DocumentError, match="'.pdf' is not a document type lithkg reads"):
        read_document(tmp_path / "a.pdf", relative_to=tmp_path)
    with pytest.raises(DocumentError, match="no such file"):
        read_document(tmp_path / "none.txt", relative_to=tmp_path)


def test_reads_the_seeds_with_their_inferred_dates():
    d22 = read_document(SEEDS / "000_78519751824c3fe5.txt", relative_to=SEEDS)
    d21 = read_document(SEEDS / "002_de8f6c796f4e9989.txt", relative_to=SEEDS)
    assert d22.file_name == "000_78519751824c3fe5.txt"
    assert d22.text == (SEEDS / "000_78519751824c3fe5.txt").read_text(encoding="utf-8")
    assert (d22.source_date, d21.source_date) == ("2022", "2021")


def test_infer_date_ignores_numbers_that_are_not_years():
    assert infer_date("It costs 1,999 euros and 2050.5 units; founded in 1990.") == "1990"
    assert infer_date("no years here") is None
