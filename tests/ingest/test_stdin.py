"""A document piped in (`lithkg ingest -`) with no --source and no url is the source `stdin-` + the first 12 hex
digits of its text's SHA-256: two different texts are two sources (the second does not retract the first's claims),
the same text twice is one version, and --source or a url still name the source."""
import hashlib
import json

from lithkg.kg import KnowledgeGraph

FIRST = "In 2021 Lithuania ranks 4th in the National Cyber Security Index."
SECOND = "Riga had 605,000 residents in 2020."


def key(text: str) -> str:
    return "stdin-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def test_two_different_piped_documents_are_two_sources(cli, monkeypatch):
    monkeypatch.setenv("LITHKG_EXTRACTORS", "frames")
    for text in (FIRST, SECOND):
        r = cli("ingest", "-", input=text)
        assert r.exit_code == 0 and r.stderr == "1 document(s): 1 added, 0 updated, 0 unchanged; 1 claim(s)\n"
    versions = json.loads(cli("log", "-f", "json").stdout)
    assert sorted((v["source_key"], v["version"], v["file"]) for v in versions) == sorted(
        [(key(FIRST), 1, "-"), (key(SECOND), 1, "-")])
    claims = [json.loads(x) for x in cli("claims", "-f", "jsonl").stdout.splitlines()]
    assert sorted((c["source_key"], c["value"], c["status"]) for c in claims) == sorted(
        [(key(FIRST), 4, "preferred"), (key(SECOND), 605000, "preferred")])  # nothing retracted
    r = cli("claims", "--source", key(SECOND), "-f", "jsonl")
    assert [json.loads(x)["value"] for x in r.stdout.splitlines()] == [605000]


def test_the_same_text_piped_twice_is_one_version(cli):
    assert cli("ingest", "-", input=FIRST).exit_code == 0
    r = cli("ingest", "-", input=FIRST)
    assert r.exit_code == 0 and r.stderr == "1 document(s): 0 added, 0 updated, 1 unchanged; 0 claim(s)\n"
    assert [v["source_key"] for v in json.loads(cli("log", "-f", "json").stdout)] == [key(FIRST)]


def test_source_and_url_still_name_the_source(cli, store_path):
    assert cli("ingest", "-", "--source", "my-notes", input=FIRST).exit_code == 0
    assert cli("ingest", "-", "--url", "https://pipe.example/a", input=SECOND).exit_code == 0
    front = "---\nurl: https://pipe.example/b\n---\n" + SECOND
    assert cli("ingest", "-", input=front).exit_code == 0
    with KnowledgeGraph(store_path) as kg:
        assert sorted(v["source_key"] for v in kg.log()) == ["https://pipe.example/a", "https://pipe.example/b",
                                                             "my-notes"]
        report = kg.ingest(["-"], stdin=b"A third text, from 2019.")
        assert report.documents[0].source == key("A third text, from 2019.")
