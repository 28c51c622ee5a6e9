"""Every row is traceable: source keys match references.bib, excerpts are verbatim in their sources,
and every sentence of the two seed articles has a home in the data."""

import collections
import csv
import functools
import re
from pathlib import Path

import pytest
from pybtex.database import parse_file

from booksource import cited_keys, source_text
from frbook.data import load, table_names
from frbook.paths import READINGS_DIR, REPO_ROOT

SHARED = REPO_ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
SHARED_DOSSIER = SHARED / "research"
# The research dossier the project started from, copied into the repository so that readers
# (and these tests) can check the excerpts taken from it without ../shared.
DOSSIER = REPO_ROOT / "research" / "dossier"
DOSSIER_FACTS = DOSSIER / "facts.csv"
PROJECT_FACTS = REPO_ROOT / "research" / "added_evidence.csv"
READINGS = READINGS_DIR
READING_SECTIONS = ("## Copies read", "## Coverage", "## Passages")
SEED_FILES = {"toulas2020microsoft": "000_*.txt", "technocracy2020microsoft": "002_*.txt"}
MAX_EXCERPT_WORDS = 32
# Seed sentences that carry no fact: browser boilerplate captured with seed 000 and link stubs.
SEED_SENTENCES_WITHOUT_FACTS = (
    "For a better user experience",
    "We support the latest version",
    "At that time, Microsoft officials said",
    "Read full story here",
    "The vast majority of them didn't respond, and those who did",
)
SHINGLE_WORDS = 5


def normalise(text: str) -> str:
    """Fold curly quotes and whitespace, and drop the link markup that seed 002 kept and the
    block-quote marks of a reading note."""
    text = re.sub(r"\[([^\]]*)\]\(#\)", r"\1", text)
    text = re.sub(r"(?m)^> ?", "", text)
    text = text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'}))
    return re.sub(r"\s+", " ", text).strip()


def bib_keys() -> set[str]:
    return set(parse_file(str(REPO_ROOT / "references.bib")).entries)


def book_cited_keys() -> set[str]:
    pages = [p for p in REPO_ROOT.glob("*.md") if p.name != "README.md"]
    pages += list((REPO_ROOT / "notebooks").glob("*.ipynb"))
    return set().union(*(cited_keys(source_text(page)) for page in pages))


def test_sources_table_and_bibliography_hold_the_same_keys():
    sources = set(load("sources")["source_key"])
    assert sources == bib_keys(), {
        "only in sources.csv": sources - bib_keys(),
        "only in references.bib": bib_keys() - sources,
    }


def test_works_of_one_author_and_year_carry_letters_that_tell_their_citations_apart():
    import bibstyle

    works = collections.defaultdict(list)
    for key, entry in parse_file(str(REPO_ROOT / "references.bib")).entries.items():
        works[(bibstyle.author_text(entry), entry.fields.get("year"))].append(key)
    shared = {f"{author}, {year}": keys for (author, year), keys in works.items() if len(keys) > 1}
    assert not shared, f"cited alike in the text (give each year a letter, a, b): {shared}"


def test_the_bibliography_says_which_sources_were_not_read():
    entries = parse_file(str(REPO_ROOT / "references.bib")).entries
    sources = load("sources")
    unsaid = [key for key in sources.loc[sources["access"] == "not_read", "source_key"]
              if not re.search(r"not read|not found", entries[key].fields.get("note", ""), re.I)]
    assert not unsaid, f"not read, and their bibliography notes do not say so: {unsaid}"


def test_every_cited_key_is_in_the_bibliography():
    assert book_cited_keys() <= bib_keys(), book_cited_keys() - bib_keys()


def test_every_source_is_used_by_the_data_or_cited_in_the_text():
    used = set(book_cited_keys())
    for name in set(table_names()) - {"sources"}:  # every table that refers to sources
        frame = load(name)
        for column in ("source_key", "checked_against", "about_source"):
            if column in frame:
                used.update(key for keys in frame[column].dropna() for key in keys.split(","))
    unused = bib_keys() - used
    assert not unused, f"in references.bib but neither in the data nor cited: {sorted(unused)}"


def test_excerpts_are_short():
    evidence = load("evidence")
    long = {
        row.evidence_id: len(row.excerpt.split())
        for row in evidence.itertuples()
        if len(row.excerpt.split()) > MAX_EXCERPT_WORDS
    }
    assert not long, f"excerpts over {MAX_EXCERPT_WORDS} words: {long}"


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@functools.cache
def _seed_texts() -> dict[str, str]:
    return {
        key: normalise(next(SEEDS.glob(pattern)).read_text(encoding="utf-8"))
        for key, pattern in SEED_FILES.items()
    }


needs_seeds = pytest.mark.skipif(
    not SEEDS.is_dir(), reason="../shared/seeds (the two articles) is not beside the repo")


def reading_note(source_key: str) -> Path:
    return READINGS / f"{source_key}.md"


def test_every_primary_source_has_a_reading_note_with_its_coverage():
    sources = load("sources")
    problems = []
    for key in sources.loc[sources["role"] == "primary", "source_key"]:
        note = reading_note(key)
        if not note.is_file():
            problems.append(f"{key}: no reading note at {note.relative_to(REPO_ROOT)}")
            continue
        text = note.read_text(encoding="utf-8")
        missing = [s for s in READING_SECTIONS if s not in text]
        if missing:
            problems.append(f"{note.relative_to(REPO_ROOT)}: no section {missing}")
    assert not problems, "\n".join(problems)


def test_every_excerpt_from_a_primary_source_is_verbatim_in_its_reading_note():
    sources = load("sources")
    primary = set(sources.loc[sources["role"] == "primary", "source_key"])
    problems = []
    for row in load("evidence").itertuples():
        if row.source_key in primary and reading_note(row.source_key).is_file():
            note = normalise(reading_note(row.source_key).read_text(encoding="utf-8"))
            if normalise(row.excerpt) not in note:
                problems.append(f"{row.evidence_id} ({row.source_key}): {row.excerpt!r}")
    assert not problems, "excerpts not in the reading note of their source:\n" + "\n".join(
        problems)


# Where each excerpt was checked (evidence.csv's checked_in): in the repository, or in the
# seed articles, which stay in ../shared (they are the publishers' text, not the project's).
CHECKED_HERE = {"reading_note", "project_research", "research_dossier"}


def unverified_excerpts(places: set[str]) -> list[str]:
    """Excerpts checked in one of ``places`` that are not there word for word."""
    problems = []
    for row in load("evidence").itertuples():
        if row.checked_in not in places:
            continue
        if row.checked_in == "seed_article":
            haystacks = [_seed_texts().get(row.source_key, "")]
        elif row.checked_in == "reading_note":
            note = reading_note(row.source_key)
            haystacks = [note.read_text(encoding="utf-8")] if note.is_file() else []
        else:
            facts = _rows(PROJECT_FACTS if row.checked_in == "project_research" else DOSSIER_FACTS)
            haystacks = [f["evidence"] for f in facts if f["source_key"] == row.source_key]
        if not any(normalise(row.excerpt) in normalise(haystack) for haystack in haystacks):
            problems.append(f"{row.evidence_id} ({row.checked_in}, {row.source_key}): "
                            f"{row.excerpt!r}")
    return problems


def test_every_excerpt_checked_in_the_repository_is_verbatim_there():
    problems = unverified_excerpts(CHECKED_HERE)
    assert not problems, "excerpts not found verbatim in their source:\n" + "\n".join(problems)


@pytest.mark.skipif(not SHARED_DOSSIER.is_dir(), reason="../shared/research is not here")
def test_the_repository_copy_of_the_dossier_is_the_dossier():
    changed = [name for name in ("facts.csv", "NOTES.md", "sources.bib")
               if (DOSSIER / name).read_bytes() != (SHARED_DOSSIER / name).read_bytes()]
    assert not changed, f"research/dossier/ differs from ../shared/research/ in {changed}"


@needs_seeds
def test_every_excerpt_checked_in_the_seeds_is_verbatim_there():
    problems = unverified_excerpts({"seed_article"})
    assert not problems, "excerpts not found verbatim in their source:\n" + "\n".join(problems)


def test_seed_excerpts_are_marked_as_checked_in_the_seed():
    evidence = load("evidence")
    from_seeds = evidence[evidence["source_key"].isin(SEED_FILES)]
    assert (from_seeds["checked_in"] == "seed_article").all()


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[\w'’-]+", text.lower())
    return {tuple(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


@needs_seeds
def test_every_sentence_of_both_seeds_has_a_home_in_the_data():
    evidence = load("evidence")
    problems = []
    for key, text in _seed_texts().items():
        covered = set().union(
            *(
                _shingles(normalise(e))
                for e in evidence.loc[evidence["source_key"] == key, "excerpt"]
            )
        )
        for sentence in re.split(r"(?<=[.?!:])\s+(?=[A-Z“\"-])", text):
            if sentence.startswith(SEED_SENTENCES_WITHOUT_FACTS) or len(sentence.split()) < 4:
                continue
            if not _shingles(sentence) & covered:
                problems.append(f"{key}: {sentence}")
    assert not problems, "seed sentences with no supporting excerpt:\n" + "\n".join(problems)
