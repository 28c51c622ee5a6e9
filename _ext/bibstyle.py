"""The bibliography style of the book: entries labelled and sorted by author and year.

In the text, sphinxcontrib-bibtex cites as "[Krishna, 2020]", several works separated by
semicolons (``bibtex_reference_style: author_year_semicolons``, registered below); this pybtex
style gives the bibliography the same labels, sorts it by author name without the braces that
protect corporate authors such as ``{Amazon}`` and without a leading article ("The Verge"
under V), and keeps titles as the sources capitalise
them. Its ``setup`` registers both: the formatting style ``frbook`` with pybtex (selected with
``bibtex_default_style: frbook`` in ``_config.yml``) and the reference style with
sphinxcontrib-bibtex.
"""

import re
from collections import Counter
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date
from pathlib import Path
from string import ascii_lowercase

from pybtex.richtext import BaseMultipartText, HRef, String, Text
from pybtex.style.formatting import unsrt
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle
from pybtex.style.template import field, join, optional, optional_field, sentence
from sphinxcontrib.bibtex.style.referencing import BracketStyle, PersonStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

# A web address in a field's text (a note's "Read via https://…"): up to a space, less any
# punctuation that ends the sentence around it.
ADDRESS = re.compile(r"https?://\S*[^\s.,;:)]")
ET_AL = "et al."  # after the first of three or more authors, in roman type everywhere
COPY_READ = "Copy read "  # the sentence that closes an entry read on another day than most
# The bibliography's preface gives the day most copies were read, once ({{ copy_read_day }}):
# "on 22 November 2026", and says that an entry read on another day gives it.
COPY_READ_DAY = "copy_read_day"
OTHER_DAYS = ", unless its entry gives another day (\u201cCopy read \u2026\u201d)"
DOI_RESOLVER = "https://doi.org/"
# Fields that are not prose: their apostrophes stay as they are.
NOT_PROSE = {"url", "doi", "urldate", "year", "month", "day"}
# A straight apostrophe that opens a quotation: at the start or after a space, a bracket or an
# opening double quote, before a letter ("Amazon's 'Performative' Support"; not "'90s"). Two
# in a row are LaTeX's closing double quote (``Read more''), which pybtex sets as ” itself.
OPENING_QUOTE = re.compile(r"(?<![^\s(\[{\u201c\u2014])'(?=[^\W\d_]|{)")
APOSTROPHE = re.compile(r"(?<!')'(?!')")


def link_addresses(text):
    """Rich text with every web address in its plain strings made a link to itself, which the
    PDF sets as a breakable address (\\sphinxurl) and the HTML as a link."""
    if isinstance(text, HRef):
        return text
    if isinstance(text, String):
        parts, end = [], 0
        for found in ADDRESS.finditer(text.value):
            parts += [String(text.value[end:found.start()]),
                      HRef(found.group(), String(found.group()))]
            end = found.end()
        return Text(*parts, String(text.value[end:])) if parts else text
    if isinstance(text, BaseMultipartText):
        return text._create_similar([link_addresses(part) for part in text.parts])
    return text


def typographic(text: str) -> str:
    """``text`` with its straight apostrophes and single quotes typographic: ‘ opening a
    quotation, ’ otherwise (an apostrophe: "the AP’s", "Reuters’"); web addresses in it as
    they are."""
    parts, end = [], 0
    for found in [*ADDRESS.finditer(text), None]:
        prose = text[end:found.start() if found else len(text)]
        parts.append(APOSTROPHE.sub("\u2019", OPENING_QUOTE.sub("\u2018", prose)))
        if found:
            parts.append(found.group())
            end = found.end()
    return "".join(parts)


def author_text(entry) -> str:
    """"Krishna", "Smith and Jones" or "Smith et al.", as sphinxcontrib-bibtex cites them."""
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [" ".join(part.render_as("text") for part in p.rich_prelast_names + p.rich_last_names)
             for p in persons]
    if len(names) > 2:
        return f"{names[0]} {ET_AL}"
    return " and ".join(names)


# A leading article does not file a name: "The Verge" under V, as library catalogues do.
LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)


def filing_name(name: str) -> str:
    """The name an entry is sorted by: case folded, a leading article left out."""
    return LEADING_ARTICLE.sub("", name).casefold()


class AuthorYearSorting(BaseSortingStyle):
    def sorting_key(self, entry):
        fields = entry.fields
        return (filing_name(author_text(entry)), fields.get("year", ""),
                fields.get("title", "").casefold())


class AuthorYearLabels(BaseLabelStyle):
    """"Author, Year"; entries that would share a label get a, b, c after the year."""

    def format_labels(self, sorted_entries):
        labels = [f"{author_text(e) or e.fields.get('title', e.key)}, "
                  f"{e.fields.get('year', 'n.d.')}" for e in sorted_entries]
        repeated = {label for label, count in Counter(labels).items() if count > 1}
        seen = Counter()
        for label in labels:
            if label in repeated:
                seen[label] += 1
                label += ascii_lowercase[seen[label] - 1]
            yield label


def read_day(iso: str) -> str:
    """A day as a reader writes it: "22 November 2026"."""
    return f"{date.fromisoformat(iso):%-d %B %Y}"


def shared_copy_read(entries) -> str | None:
    """The day (ISO) on which the most of ``entries`` had their copies read (``urldate``), or
    None when no entry gives one."""
    days = Counter(entry.fields["urldate"] for entry in entries if "urldate" in entry.fields)
    return days.most_common(1)[0][0] if days else None


def copy_read_day(entries) -> str:
    """The preface's words for the day most copies were read ("on 22 November 2026"), and that
    an entry read on another day says so, where one was."""
    shared = shared_copy_read(entries)
    if shared is None:
        return ""
    others = any(entry.fields.get("urldate", shared) != shared for entry in entries)
    return f"on {read_day(shared)}{OTHER_DAYS if others else ''}"


class Style(PlainStyle):
    default_sorting_style = AuthorYearSorting
    default_label_style = AuthorYearLabels
    # The day most copies were read (ISO), which the bibliography's preface gives once: an entry
    # read on that day does not repeat it (set by setup() from the book's .bib files).
    shared_copy_read: str | None = None

    def format_entry(self, label, entry, bib_data=None):
        """The entry with its dates as a reader writes them: the day, where known, before the
        month ("8 June"), the year without the letter that tells two works of an author and
        year apart (the label above the entry carries it: "7 March 2021", not "2021a"), and the
        day a copy was read in words ("22 November 2026"), left out where it is the day the
        preface gives (:attr:`shared_copy_read`); apostrophes and single quotes
        typographic in every field of prose (:func:`typographic`); a DOI whose resolver address
        is the entry's address given once, as the address; addresses in notes linked like the
        entry's own (:func:`link_addresses`)."""
        fields = dict(entry.fields)
        if "year" in fields:
            fields["year"] = fields["year"].rstrip(ascii_lowercase)
        for name, value in fields.items():
            if name not in NOT_PROSE:
                fields[name] = typographic(value)
        if fields.get("doi") and fields.get("url") == DOI_RESOLVER + fields["doi"]:
            del fields["doi"]  # the address is the DOI's: given once, as the address
        if fields.get("day") and "month" in fields:
            fields["month"] = f"{fields['day']} {fields['month']}"
        if "urldate" in fields and fields["urldate"] == self.shared_copy_read:
            del fields["urldate"]  # the preface gives the day
        elif "urldate" in fields:
            fields["urldate"] = read_day(fields["urldate"])
        if fields != dict(entry.fields):
            dated = entry.__class__(entry.type, fields=fields, persons=entry.persons)
            dated.key = entry.key
            entry = dated
        formatted = super().format_entry(label, entry, bib_data)
        formatted.text = link_addresses(formatted.text)
        return formatted

    def format_web_refs(self, e):
        """The address (or DOI), then, in an entry whose copy was read on another day than most
        (:attr:`shared_copy_read`, which the preface gives), that day: "URL: https://…. Copy read
        22 November 2026." The copy read is a stored copy of that address, or the one the
        entry's note names ("Read via …"); the live web was not read, so "visited on" would
        claim too much, and no archive's address is given, so neither would "archived copy"."""
        return join(sep=" ")[sentence[optional[self.format_url(e)], optional[self.format_doi(e)]],
                             optional[sentence[join[COPY_READ, field("urldate")]]]]

    def format_address_organization_publisher_date(self, e, include_organization=True):
        """Publisher, place and year in the usual order: "Association for Computing Machinery,
        New York, NY, USA, 2019." (pybtex's plain style, after BibTeX's, puts the place and the
        year first and the publisher in a sentence after them)."""
        organization = optional_field("organization") if include_organization else None
        return sentence[organization, optional_field("publisher"), optional_field("address"),
                        unsrt.date]

    def format_title(self, e, which_field, as_sentence=True):
        title = field(which_field)
        return sentence[title] if as_sentence else title


def _semicolons() -> BracketStyle:
    return BracketStyle(sep="; ")


def _roman_et_al() -> PersonStyle:
    return PersonStyle(other=Text(" " + ET_AL))


@dataclass
class AuthorYearSemicolons(AuthorYearReferenceStyle):
    """In-text citations as sphinxcontrib-bibtex's ``author_year``, with works separated by
    semicolons, so that "[Amazon, 2020; Krishna, 2020]" shows where each one ends, and "et al."
    in roman type, as the bibliography's labels and the figures' source lines print it
    (sphinxcontrib-bibtex sets it in italics)."""

    bracket_parenthetical: BracketStyle = dataclass_field(default_factory=_semicolons)
    bracket_textual: BracketStyle = dataclass_field(default_factory=_semicolons)
    person: PersonStyle = dataclass_field(default_factory=_roman_et_al)


def _note_shared_day(app, config) -> None:
    """Sphinx's config-inited: the day most copies were read, from the book's .bib files, for
    the style and for the bibliography's preface ({{ copy_read_day }})."""
    from pybtex.database import parse_file

    entries = [entry for name in config.bibtex_bibfiles
               for entry in parse_file(Path(app.srcdir) / name).entries.values()]
    Style.shared_copy_read = shared_copy_read(entries)
    config.myst_substitutions = {**config.myst_substitutions,
                                 COPY_READ_DAY: copy_read_day(entries)}


def cited_labels(env) -> dict[str, tuple[str, str]]:
    """Each cited source's key: (its bibliography label, as the text cites it, and its entry's id
    on the bibliography's page), from sphinxcontrib-bibtex's cite domain."""
    return {citation.key: (citation.formatted_entry.label, citation.citation_id)
            for citation in env.get_domain("cite").citations}


def setup(app):
    """Sphinx extension: register the style with pybtex at start-up. pybtex otherwise finds
    plugins by scanning every installed package's entry points, once per lookup, and
    sphinxcontrib-bibtex looks the style up for every entry (about 1.5 s a build). With a
    Sphinx application, the day most copies were read is noted too (:func:`_note_shared_day`)."""
    from pybtex.plugin import register_plugin
    from pybtex.style.names.plain import NameStyle
    from sphinxcontrib.bibtex.plugin import register_plugin as register_reference_style

    register_plugin("pybtex.style.formatting", "frbook", Style, force=True)
    register_plugin("pybtex.style.names", "plain", NameStyle, force=True)
    register_reference_style("sphinxcontrib.bibtex.style.referencing", "author_year_semicolons",
                             AuthorYearSemicolons, force=True)
    if app is not None:
        app.connect("config-inited", _note_shared_day)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
