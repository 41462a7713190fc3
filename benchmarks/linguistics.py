"""Measure candidate linguistic layers on a document set with an analyst's gold (by default ../shared/realdev).

For each candidate, over the sentences lithkg itself reads (``lithkg.extract.documents`` reads the documents and
``lithkg.extract.text.layout`` splits them, so offsets are lithkg's), the benchmark measures:

- ``sentences_per_s``: sentences analysed per second, pinned to one core, each sentence analysed alone;
- ``analysed_share``: the share of sentences given a syntactic analysis (a dependency parse or a linkage) within the
  time limit per sentence; ``full_parse_share``: for link-grammar, the share parsed with no word left unlinked;
- ``subject_share``: for each gold claim (a quote and a subject label), the sentence holding the quote is found,
  the figure is located in it (the first digit of the quote, else a number word, month or weekday, else the quote's
  start), and the candidate names the grammatical subject (or possessor) of the clause holding the figure. It is
  right when, case-insensitively and on whole words, the candidate's phrase contains the gold subject or one of its
  aliases (the gold's ``subject_aliases`` and the ``skos:altLabel`` of an entity so labelled in
  ``ontology/entities.ttl``), or is contained in it (a phrase of function words only never counts).

The baseline, measured in the same run, is the nearest run of capitalised words before the figure (what lithkg's
rules mostly do today). Candidates:

- ``spacy-blank``: spaCy's blank English pipeline with the rule-based components that need no data (tokenizer,
  sentencizer); it has no tagger or parser, so it names no subject; what it can give is recorded.
- ``link-grammar``: Debian's ``python3-link-grammar`` with ``link-grammar-dictionaries-en``, imported into this
  interpreter from ``/usr/lib/python3/dist-packages/linkgrammar`` (same CPython 3.11 ABI) when not importable as is.
- ``spacy:<name>``: a trained spaCy pipeline already installed (``spacy.util.get_installed_models()``) or named with
  ``--spacy-model`` (a package name or a path). Nothing is ever downloaded.
- ``stanza``, ``nltk``: recorded as unavailable when not importable.

    python benchmarks/linguistics.py [--docs DIR --gold DIR] [--limit-docs N] [--time-limit S] [--out FILE]
"""
from __future__ import annotations

import argparse
import collections
import datetime as _dt
import importlib.util
import json
import os
import platform
import re
import sys
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from lithkg.extract.documents import read_document  # noqa: E402
from lithkg.extract.text import layout  # noqa: E402

REALDEV = ROOT.parent / "shared" / "realdev"
LG_DIR = Path("/usr/lib/python3/dist-packages/linkgrammar")
NUMBER_WORDS = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|"
    r"thousand|million|billion|half|third|quarter|quarters|thirds|dozen|first|second|third|fourth|fifth|"
    r"January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|doubled|tripled)\b", re.I)
STOP = {"the", "a", "an", "of", "in", "on", "at", "by", "for", "to", "and", "or", "its", "their", "his", "her",
        "this", "that", "these", "those", "it", "they", "he", "she", "we", "which", "who", "there", "s", "as",
        "with", "from", "after", "before", "while", "but", "if", "when", "also", "some", "all", "than"}
LEAD_FUNCTION = {"the", "a", "an", "in", "on", "at", "by", "for", "to", "and", "but", "as", "after", "before",
                 "while", "if", "when", "this", "that", "these", "those", "its", "it", "they", "he", "she", "we",
                 "according", "meanwhile", "however", "last", "since", "from", "with", "of", "during", "under"}


# ---------------------------------------------------------------- data

def load_sentences(docs_dir: Path, limit: int | None):
    docs = {}
    for path in sorted(docs_dir.glob("*.md"))[:limit]:
        doc = read_document(path)
        docs[path.name] = (doc.text, layout(doc.text).sentences)
    return docs


def load_gold(gold_dir: Path, docs) -> list[dict]:
    items = []
    for path in sorted(gold_dir.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("document") not in docs:
            continue
        text, sentences = docs[data["document"]]
        for claim in data.get("claims") or []:
            if claim.get("kind") == "relation" or not claim.get("quote") or not claim.get("subject"):
                continue
            start = text.find(claim["quote"])
            if start < 0:
                items.append({"document": data["document"], "sentence": None, "claim": claim})
                continue
            fig = start + figure_offset(claim["quote"])
            idx = next((i for i, s in enumerate(sentences) if s.start <= fig < s.end), None)
            items.append({"document": data["document"], "sentence": idx, "figure": fig, "claim": claim})
    return items


def figure_offset(quote: str) -> int:
    m = re.search(r"\d", quote) or NUMBER_WORDS.search(quote)
    return m.start() if m else 0


def entity_aliases() -> list[set[str]]:
    """Sets of names (label and altLabels) of each entity in ontology/entities.ttl."""
    import rdflib

    g = rdflib.Graph()
    g.parse(ROOT / "ontology" / "entities.ttl", format="turtle")
    names = collections.defaultdict(set)
    for s, p, o in g:
        if p in (rdflib.RDFS.label, rdflib.SKOS.altLabel) and isinstance(o, rdflib.Literal):
            names[s].add(norm(str(o)))
    return list(names.values())


def norm(s: str) -> str:
    s = s.lower().replace("’", "'")
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"[^\w&%$€£ ]+", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    return re.sub(r"^(?:the|a|an) ", "", s)


def _contains(big: str, small: str) -> bool:
    return bool(small) and re.search(r"(?<!\w)" + re.escape(small) + r"(?!\w)", big) is not None


def subject_right(candidate: str | None, claim: dict, aliases: list[set[str]]) -> bool:
    if not candidate:
        return False
    c = norm(candidate)
    if not c or all(w in STOP for w in c.split()):
        return False
    names = {norm(claim["subject"])} | {norm(a) for a in claim.get("subject_aliases") or []}
    for group in aliases:
        if names & group:
            names |= group
    return any(n and (_contains(c, n) or _contains(n, c)) for n in names)


# ---------------------------------------------------------------- the baseline

_CAP_RUN = re.compile(r"(?:[A-Z][\w.&'’-]*)(?:[ \t]+(?:[A-Z][\w.&'’-]*|&))*")


def baseline_subject(sentence: str, fig: int) -> str | None:
    """The nearest run of capitalised words ending before the figure (leading function words dropped)."""
    best = None
    for m in _CAP_RUN.finditer(sentence, 0, fig):
        words = m.group(0).split()
        while words and words[0].lower() in LEAD_FUNCTION:
            words = words[1:]
        if words:
            best = " ".join(words)
    return best


# ---------------------------------------------------------------- candidates

class Unavailable(Exception):
    pass


class SpacyBlank:
    name = "spacy-blank"
    description = "spaCy blank English: tokenizer + rule-based sentencizer (no model)"

    def __init__(self):
        import spacy

        self.version = spacy.__version__
        self.nlp = spacy.blank("en")
        self.nlp.add_pipe("sentencizer")
        self.notes = {}
        try:
            probe = spacy.blank("en")
            probe.add_pipe("lemmatizer", config={"mode": "lookup"})
            probe.initialize()
            self.notes["lookup_lemmatizer"] = "available"
        except Exception as exc:  # spacy-lookups-data is a download-free package, but not installed
            self.notes["lookup_lemmatizer"] = f"unavailable: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}"

    def analyse(self, text: str):
        doc = self.nlp(text)
        try:
            chunks = len(list(doc.noun_chunks))
        except ValueError:
            chunks = None
        return {"tokens": len(doc), "pos": sum(1 for t in doc if t.pos_), "noun_chunks": chunks,
                "parsed": False, "doc": doc}

    def subject(self, analysis, offset: int):
        return None


class LinkGrammar:
    name = "link-grammar"

    def __init__(self, time_limit: float):
        lg, how = import_linkgrammar()
        self.lg = lg
        self.clg = lg.linkgrammar.clg if hasattr(lg, "linkgrammar") else lg.clg
        self.version = getattr(lg, "__version__", "?")
        self.description = f"Debian link-grammar {self.version}, English dictionary ({how})"
        os.environ.setdefault("LANG", "C.UTF-8")
        self.dictionary = lg.Dictionary("en")
        self.time_limit = max(1, int(round(time_limit)))
        self.strict = lg.ParseOptions(verbosity=0, linkage_limit=1, min_null_count=0, max_null_count=0,
                                      max_parse_time=self.time_limit)
        self.loose = lg.ParseOptions(verbosity=0, linkage_limit=1, min_null_count=1, max_null_count=250,
                                     max_parse_time=self.time_limit)
        self.notes = {"import": how}

    def analyse(self, text: str):
        lg, clg = self.lg, self.clg
        for opts, full in ((self.strict, True), (self.loose, False)):
            sent = lg.Sentence(text, self.dictionary, opts)
            try:
                linkages = sent.parse()
            except lg.LG_TimerExhausted:
                return {"parsed": False, "timeout": True}
            linkage = next(iter(linkages), None)
            if linkage is None:
                continue
            obj = linkage._obj
            n = clg.linkage_get_num_words(obj)
            words = [clg.linkage_get_word(obj, i) for i in range(n)]
            spans = [(clg.linkage_get_word_char_start(obj, i), clg.linkage_get_word_char_end(obj, i))
                     for i in range(n)]
            links = [(clg.linkage_get_link_lword(obj, i), clg.linkage_get_link_rword(obj, i),
                      clg.linkage_get_link_label(obj, i)) for i in range(clg.linkage_get_num_links(obj))]
            return {"parsed": True, "full": full, "words": words, "spans": spans, "links": links,
                    "text": text, "tokens": n - 2, "pos": sum(1 for w in words if re.search(r"\.[a-z]", w))}
        return {"parsed": False, "timeout": False}

    def subject(self, a, offset: int):
        """BFS over the linkage from the figure's word: the first word met that ends a subject link (S*, SI*,
        SX*, SF*, not SJ) gives the subject's head; the phrase is its left modifiers (D, A, AN, G, GN, YS, YP
        and their own) and an ``of`` complement (M to of, J to a noun)."""
        if not a.get("parsed"):
            return None
        words, spans, links = a["words"], a["spans"], a["links"]
        real = [i for i, w in enumerate(words) if w not in ("LEFT-WALL", "RIGHT-WALL")]
        fig = next((i for i in real if spans[i][0] <= offset < spans[i][1]), None)
        if fig is None:
            fig = next((i for i in real if spans[i][0] >= offset), None)
        if fig is None:
            return None
        adj = collections.defaultdict(list)
        for l, r, label in links:
            if words[l] in ("LEFT-WALL", "RIGHT-WALL") or words[r] in ("LEFT-WALL", "RIGHT-WALL"):
                continue
            if label.startswith("X") or label.startswith("RW"):
                continue
            adj[l].append((r, label))
            adj[r].append((l, label))

        def subject_of(w):
            for other, label in adj[w]:
                if not label.startswith("S") or label.startswith("SJ"):
                    continue
                inverted = label.startswith(("SI", "SXI", "SFI"))
                left, right = (w, other) if w < other else (other, w)
                return right if inverted else left
            return None

        seen, queue = {fig}, collections.deque([fig])
        head = None
        while queue:
            w = queue.popleft()
            head = subject_of(w)
            if head is not None:
                break
            for other, _ in adj[w]:
                if other not in seen:
                    seen.add(other)
                    queue.append(other)
        if head is None:
            return None
        if words[head].split(".")[0].lower() in ("which", "who", "that"):  # a relative pronoun: its antecedent
            ante = [o for o, lab in adj[head] if o < head and lab.startswith(("M", "R", "B"))]
            if ante:
                head = max(ante)
        lo = self._left_edge(head, adj, set())
        hi = head
        for other, label in adj[head]:  # the right end of a name (G) and of a conjunction of nouns (SJr)
            if other > head and label.startswith(("G", "SJ")):
                hi = max(hi, other)
                if label.startswith("SJ"):
                    lo = min(lo, *(self._left_edge(o, adj, set()) for o, lab in adj[head] if lab.startswith("SJ")))
        for other, label in adj[head]:
            if other > head and label.startswith("M") and words[other].split(".")[0].lower() == "of":
                for obj_, lab2 in adj[other]:
                    if obj_ > other and lab2.startswith("J"):
                        hi = max(hi, obj_)
        return a["text"][spans[lo][0]:spans[hi][1]]

    def _left_edge(self, w, adj, seen):
        seen.add(w)
        lo = w
        for other, label in adj[w]:
            if other < w and other not in seen and label.startswith(("D", "A", "G", "YS", "YP", "NM", "L", "SJ")):
                lo = min(lo, self._left_edge(other, adj, seen))
        return lo


def import_linkgrammar():
    try:
        import linkgrammar as lg

        return lg, "importable as is"
    except ImportError:
        pass
    init = LG_DIR / "__init__.py"
    if not init.exists():
        raise Unavailable("python3-link-grammar is not installed "
                          "(apt-get install python3-link-grammar link-grammar-dictionaries-en)")
    spec = importlib.util.spec_from_file_location("linkgrammar", init, submodule_search_locations=[str(LG_DIR)])
    lg = importlib.util.module_from_spec(spec)
    sys.modules["linkgrammar"] = lg
    try:
        spec.loader.exec_module(lg)
    except ImportError as exc:
        del sys.modules["linkgrammar"]
        raise Unavailable(f"Debian's linkgrammar module does not import in this Python: {exc}") from None
    return lg, f"Debian's module loaded from {LG_DIR} into this Python"


class SpacyTrained:
    SUBJ = ("nsubj", "nsubjpass", "csubj", "csubjpass", "expl")

    def __init__(self, model: str):
        import spacy

        try:
            self.nlp = spacy.load(model)
        except OSError as exc:
            raise Unavailable(f"spaCy pipeline {model!r} is not installed (nothing is downloaded): "
                              f"{str(exc).splitlines()[0][:160]}") from None
        if "parser" not in self.nlp.pipe_names:
            raise Unavailable(f"spaCy pipeline {model!r} has no dependency parser")
        meta = self.nlp.meta
        self.name = f"spacy:{meta.get('lang', '?')}_{meta.get('name', model)}"
        self.version = meta.get("version", "?")
        self.description = f"trained spaCy pipeline {self.name} {self.version}"
        self.notes = {"pipes": self.nlp.pipe_names}

    def analyse(self, text: str):
        doc = self.nlp(text)
        return {"parsed": True, "doc": doc, "tokens": len(doc), "pos": sum(1 for t in doc if t.pos_),
                "noun_chunks": len(list(doc.noun_chunks))}

    def subject(self, a, offset: int):
        doc = a["doc"]
        tok = next((t for t in doc if t.idx <= offset < t.idx + len(t.text)), None)
        if tok is None:
            tok = next((t for t in doc if t.idx >= offset), None)
        seen = set()
        while tok is not None and tok.i not in seen:
            seen.add(tok.i)
            if tok.dep_ in self.SUBJ:
                return self._phrase(tok)
            subj = next((c for c in tok.children if c.dep_ in self.SUBJ), None)
            if subj is not None:
                return self._phrase(subj)
            poss = next((c for c in tok.children if c.dep_ == "poss"), None)
            if poss is not None and tok.pos_ in ("NOUN", "PROPN"):
                return self._phrase(poss)
            tok = tok.head if tok.head.i != tok.i else None
        return None

    @staticmethod
    def _phrase(head):
        doc = head.doc
        lo, hi = head.left_edge.i, head.i
        for c in head.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for p in c.children:
                    if p.dep_ == "pobj":
                        hi = max(hi, p.i)
        return doc[lo:hi + 1].text


def unavailable_optional():
    out = {}
    for module, what in (("stanza", "Stanza (trained pipeline)"), ("nltk", "NLTK regexp chunker")):
        if importlib.util.find_spec(module) is None:
            out[module] = {"available": False, "description": what,
                           "reason": f"the '{module}' package is not installed in this environment"}
        else:
            out[module] = {"available": False, "description": what,
                           "reason": "importable, but not measured by this benchmark yet"}
    return out


# ---------------------------------------------------------------- the run

def pin_one_core():
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return True
    except (AttributeError, OSError):
        return False


_NAMED = re.compile(r"(?<!^)\b[A-Z][\w&.-]*|^(?!(?:The|A|An|This|That|These|Those|Its|Their|It|They)\b)[A-Z]")


def _pct(times, q):
    if not times:
        return None
    ordered = sorted(times)
    return round(1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)


def measure(cand, sentences, items, aliases, time_limit):
    analyses, over, times = [], 0, []
    t0 = time.perf_counter()
    for s in sentences:
        t = time.perf_counter()
        a = cand.analyse(s.text)
        times.append(time.perf_counter() - t)
        if times[-1] > time_limit and a.get("parsed"):
            a = {"parsed": False, "timeout": True}
            over += 1
        analyses.append(a)
    elapsed = time.perf_counter() - t0
    n = len(sentences)
    parsed = sum(1 for a in analyses if a.get("parsed"))
    right = given = right_fb = 0
    for it in items:
        if it["sentence"] is None:
            continue
        s = sentences[it["sentence"]]
        subj = cand.subject(analyses[it["sentence"]], it["figure"] - s.start)
        given += subj is not None
        right += subject_right(subj, it["claim"], aliases)
        if not (subj and _NAMED.search(subj)):  # no name in the parser's subject: the rules' answer
            subj = baseline_subject(s.text, it["figure"] - s.start)
        right_fb += subject_right(subj, it["claim"], aliases)
    total = len(items)
    rec = {"available": True, "description": cand.description, "version": cand.version,
           "sentences": n, "seconds": round(elapsed, 3),
           "sentences_per_s": round(n / elapsed, 1) if elapsed else None,
           "analysed": parsed, "analysed_share": round(parsed / n, 3) if n else None,
           "timeouts": sum(1 for a in analyses if a.get("timeout")),
           "tokens": sum(a.get("tokens", 0) for a in analyses),
           "tokens_with_pos": sum(a.get("pos", 0) for a in analyses),
           "subject_given": given, "subject_right": right, "subject_total": total,
           "subject_share": round(right / total, 3) if total else None,
           "subject_right_with_fallback": right_fb,
           "subject_share_with_fallback": round(right_fb / total, 3) if total else None,
           "ms_per_sentence_p50": _pct(times, 0.5), "ms_per_sentence_p90": _pct(times, 0.9),
           "ms_per_sentence_max": _pct(times, 1.0), "notes": cand.notes}
    if any("full" in a for a in analyses):
        full = sum(1 for a in analyses if a.get("full"))
        rec["full_parse"] = full
        rec["full_parse_share"] = round(full / n, 3) if n else None
    chunks = [a.get("noun_chunks") for a in analyses]
    rec["noun_chunks"] = None if all(c is None for c in chunks) else sum(c or 0 for c in chunks)
    return rec


def measure_baseline(sentences, items, aliases):
    right = given = 0
    t0 = time.perf_counter()
    for it in items:
        if it["sentence"] is None:
            continue
        s = sentences[it["sentence"]]
        subj = baseline_subject(s.text, it["figure"] - s.start)
        given += subj is not None
        right += subject_right(subj, it["claim"], aliases)
    total = len(items)
    return {"available": True, "description": "nearest run of capitalised words before the figure",
            "seconds": round(time.perf_counter() - t0, 3), "subject_given": given, "subject_right": right,
            "subject_total": total, "subject_share": round(right / total, 3) if total else None}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=Path, default=REALDEV / "docs")
    ap.add_argument("--gold", type=Path, default=REALDEV / "gold")
    ap.add_argument("--limit-docs", type=int, default=None, help="only the first N documents (sorted by name)")
    ap.add_argument("--time-limit", type=float, default=1.0, help="seconds allowed per sentence")
    ap.add_argument("--spacy-model", action="append", default=None,
                    help="a trained spaCy pipeline (installed package name or path); default: every installed one")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "linguistics.json")
    args = ap.parse_args(argv)

    pinned = pin_one_core()
    docs = load_sentences(args.docs, args.limit_docs)
    sentences, items = [], []
    for name, (text, sents) in docs.items():
        base = len(sentences)
        sentences.extend(sents)
        for it in load_gold(args.gold, {name: (text, sents)}):
            if it["sentence"] is not None:
                it["sentence"] += base
            items.append(it)
    aliases = entity_aliases()

    import spacy

    models = args.spacy_model if args.spacy_model is not None else list(spacy.util.get_installed_models())
    factories = [("spacy-blank", SpacyBlank), ("link-grammar", lambda: LinkGrammar(args.time_limit))]
    factories += [(f"spacy:{m}", (lambda m=m: SpacyTrained(m))) for m in models]
    results = {"baseline": measure_baseline(sentences, items, aliases)}
    for name, make in factories:
        try:
            cand = make()
        except Unavailable as exc:
            results[name] = {"available": False, "reason": str(exc)}
            continue
        results[cand.name] = measure(cand, sentences, items, aliases, args.time_limit)
    if not models:
        results["spacy-trained"] = {"available": False, "reason": "no trained spaCy pipeline is installed "
                                    "(spacy.util.get_installed_models() is empty); none is downloaded"}
    results.update(unavailable_optional())

    report = {
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": {"platform": platform.platform(), "python": platform.python_version(),
                    "cpus": os.cpu_count(), "pinned_to_one_core": pinned, "processor": platform.machine()},
        "documents": len(docs), "sentences": len(sentences), "gold_claims": len(items),
        "gold_quotes_not_found": sum(1 for it in items if it["sentence"] is None),
        "time_limit_s": args.time_limit, "candidates": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"{report['documents']} documents, {report['sentences']} sentences, {report['gold_claims']} gold claims; "
          f"{report['date']}, {report['machine']['platform']}")
    print("| candidate | sentences/s | ms/sentence p50 / p90 | analysed | full parse | subject right "
          "| subject right, rules as fallback |")
    print("|---|---|---|---|---|---|---|")
    for name, r in results.items():
        if not r.get("available"):
            print(f"| {name} | not available: {r['reason']} | | | | | |")
            continue
        sps = r.get("sentences_per_s")
        share = r.get("analysed_share")
        full = r.get("full_parse_share")
        ms = "" if r.get("ms_per_sentence_p50") is None else \
            f"{r['ms_per_sentence_p50']:.1f} / {r['ms_per_sentence_p90']:.1f}"
        fb = "" if r.get("subject_share_with_fallback") is None else \
            f"{r['subject_share_with_fallback']:.3f} ({r['subject_right_with_fallback']}/{r['subject_total']})"
        print(f"| {name} | {'' if sps is None else f'{sps:,.0f}'} | {ms} | "
              f"{'' if share is None else f'{share:.3f}'} | {'' if full is None else f'{full:.3f}'} | "
              f"{r['subject_share']:.3f} ({r['subject_right']}/{r['subject_total']}) | {fb} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
