"""Quotations repeated across pages: a passage quoted on one page that stands on another.

A quotation is the text between “ and ” (or straight double quotes, if any survive smartquotes)
in a page's visible text outside code. An ellipsis or a bracketed insertion (“[W]e will …”)
splits it into parts; a part of five or more words counts. Text is compared in lower case with
white space collapsed and one kind of apostrophe.
"""

import re

from htmlcheck import text_outside_code

MIN_WORDS = 5
QUOTED = re.compile(r"“([^“”]*)”|\"([^\"]*)\"")
# Where a quotation leaves words out or puts its own in: an ellipsis, or a bracketed insertion
# with the word it is attached to ("[W]e" becomes a break, not the word "e").
GAP = re.compile(r"…|\.\s?\.\s?\.|\S*\[[^\]]*\]\S*")
APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})
EDGE_PUNCTUATION = " .,;:!?'—–-"


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(APOSTROPHES).lower()).strip()


def quoted_passages(text: str) -> set[str]:
    """The normalised parts of five or more words of every quotation in ``text``."""
    passages = set()
    for curly, straight in QUOTED.findall(text):
        for part in GAP.split(normalised(curly or straight)):
            part = part.strip(EDGE_PUNCTUATION)
            if len(part.split()) >= MIN_WORDS:
                passages.add(part)
    return passages


def repeated_quotations(pages: dict[str, str]) -> list[str]:
    """One line for each passage quoted on one page (of ``pages``: name to markup) that stands,
    quoted or not, on another: the passage, the pages quoting it and the others holding it."""
    texts = {page: text_outside_code(markup) for page, markup in pages.items()}
    searchable = {page: normalised(text) for page, text in texts.items()}
    quoting: dict[str, list[str]] = {}
    for page, text in texts.items():
        for passage in quoted_passages(text):
            quoting.setdefault(passage, []).append(page)
    problems = []
    for passage, quoted_on in sorted(quoting.items()):
        standing = re.compile(rf"(?<!\w){re.escape(passage)}(?!\w)")
        elsewhere = [page for page, text in searchable.items()
                     if page not in quoted_on and standing.search(text)]
        if len(quoted_on) + len(elsewhere) > 1:
            also = "".join(f"; also on {page}" for page in elsewhere)
            problems.append(f"“{passage}” quoted on {', '.join(quoted_on)}{also}")
    return problems
