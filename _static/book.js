// Reader fixes on the theme's pages, checked in a browser by tests/test_browser.py.
//
// What scrolls sideways (see book.css) is a "scroll box": a table wider than the screen and a
// code block with a word longer than the line (a timeline is drawn to fit a phone). Each takes keyboard focus, so it can
// be scrolled without a pointer, and gets a line above it saying it scrolls sideways, tied to it
// as its description, and a faded right edge until scrolled to its end; all only while it
// overflows, set again whenever a box or its content changes size (fonts loaded, a phone turned
// sideways, a code cell opened).
const SCROLL_BOXES = [
  [".pst-scrollable-table-container", "Scroll sideways to see every column."],
  [".bd-article pre", "Scroll sideways to see whole lines."],
];

const overflows = (box) => box.scrollWidth > box.clientWidth + 1;

// The hint goes above the box; above a code block's frame (which holds its copy button), not
// inside it.
function scrollHint(box, text, id) {
  const frame = box.closest("div.highlight") ?? box;
  if (!frame.previousElementSibling?.classList.contains("scroll-hint")) {
    const hint = document.createElement("p");
    hint.className = "scroll-hint";
    hint.id = id;
    hint.textContent = text;
    frame.before(hint);
  }
  return frame.previousElementSibling;
}

function markScrolledToEnd(box) {
  box.classList.toggle("scrolled-to-end",
                       box.scrollLeft + box.clientWidth >= box.scrollWidth - 1);
}

// A table shown as cards (on a phone: _ext/screen.py, book.css) has no columns to scroll to:
// its cells wrap their words, and it gets no hint.
const showsCards = (box) => {
  const row = box.querySelector(":scope > table.cards > tbody > tr");
  return row !== null && getComputedStyle(row).display === "block";
};

function markScrollBox(box, hint) {
  const wide = overflows(box);
  hint.hidden = !wide || showsCards(box);
  box.tabIndex = wide ? 0 : -1;
  box.classList.toggle("overflows", wide);
  if (!hint.hidden) {
    box.setAttribute("aria-describedby", hint.id);
  } else {
    box.removeAttribute("aria-describedby");
  }
  markScrolledToEnd(box);
}

function setUpScrollBoxes() {
  let number = 0;
  for (const [selector, text] of SCROLL_BOXES) {
    for (const box of document.querySelectorAll(selector)) {
      box.classList.add("scroll-box");
      const hint = scrollHint(box, text, `scroll-hint-${++number}`);
      const mark = () => markScrollBox(box, hint);
      const sizes = new ResizeObserver(mark);
      sizes.observe(box);
      for (const child of box.children) sizes.observe(child);
      box.addEventListener("scroll", () => markScrolledToEnd(box), {passive: true});
      mark();
    }
  }
}

// On a phone each book table takes the layout that reads best of those that fit the screen
// inside the text's margins without scrolling sideways or squeezing a column below MIN_CELL_PX,
// as measured there: a table of short cells (_ext/screen.py: "compact") a grid, grouped by its
// first column when that repeats in runs, rather than a stack of cards; in the table's type
// rather than the tighter one ("tight", book.css). The layout is chosen again when the window's
// width changes or the fonts have loaded. Without this, cards, and the table's type.
const PHONE = matchMedia("(max-width: 600px)");
const MIN_CELL_PX = 50;  // as tests/test_browser.py's MIN_PHONE_CELL_PX
const LAYOUT_CLASSES = ["grid", "grouped", "tight"];

// Runs of one value in the first column: a row before each run names it, out of screen readers'
// way (they read the first cell of every row).
function groupRows(table, grouped) {
  for (const row of table.querySelectorAll("tr.group-head")) row.remove();
  if (!grouped) return;
  // Across every column: the first one, out of sight, included (book.css collapses it).
  const columns = table.rows[0].cells.length;
  let run = null;
  for (const row of [...table.tBodies[0].rows]) {
    const name = row.cells[0].textContent.trim();
    if (name === run) continue;
    run = name;
    const head = document.createElement("tr");
    head.className = "group-head";
    head.setAttribute("aria-hidden", "true");
    const cell = head.appendChild(document.createElement("td"));
    cell.colSpan = columns;
    cell.textContent = name;
    row.before(head);
  }
}

function firstColumnRepeats(table) {
  const names = [...table.tBodies[0].rows].map(row => row.cells[0].textContent.trim());
  const runs = names.filter((name, i) => name !== names[i - 1]).length;
  return runs <= names.length / 2;
}

function fits(table) {
  const box = table.parentElement;
  if (table.getBoundingClientRect().width > box.clientWidth + 1) return false;
  return [...table.querySelectorAll("th, td")].every(
    cell => getComputedStyle(cell).position === "absolute" ||
            cell.getBoundingClientRect().width >= MIN_CELL_PX);
}

function layOutTable(table) {
  table.classList.remove(...LAYOUT_CLASSES);
  groupRows(table, false);
  if (!PHONE.matches || !table.parentElement.clientWidth) return;
  const cards = table.classList.contains("cards");
  const grids = !cards ? [[]]
    : !table.classList.contains("compact") ? []
    : firstColumnRepeats(table) ? [["grid", "grouped"]] : [["grid"]];
  const layouts = grids.flatMap(grid => [grid, [...grid, "tight"]]);
  for (const layout of layouts) {
    table.classList.add(...layout);
    groupRows(table, layout.includes("grouped"));
    // A table that is no cards keeps its last layout even where it does not fit: it scrolls.
    if (fits(table) || (!cards && layout === layouts.at(-1))) return;
    table.classList.remove(...layout);
    groupRows(table, false);
  }
}

function setUpTableLayouts() {
  const tables = document.querySelectorAll(
    ".bd-article .pst-scrollable-table-container > table.book-table");
  const layOut = () => tables.forEach(layOutTable);
  layOut();
  let width = innerWidth;
  addEventListener("resize", () => {
    if (innerWidth !== width) layOut();
    width = innerWidth;
  });
  document.fonts.ready.then(layOut);
}

// The search box joins the book's title at the top of the sidebar, as one block that stays in
// place while the navigation scrolls under it (book.css). The theme has scrolled the sidebar,
// before this runs, to where the previous page left it, or, on a reader's first page, to put
// the current chapter's link a quarter of the way down; the move keeps the first (which the
// browser shifted as the block grew, by a few pixels on each page), and the second gives way
// to scrolling only as far as the link needs to be seen, so that the navigation's top, "The
// report", stays in view where the link fits under it. A link behind the block is then
// brought out from under it.
const SIDEBAR_POSITION = "sidebar-scroll-top";  // the theme's, in the tab's session storage
const SIDEBAR_LINK_MARGIN_PX = 4;  // room left below the current link when scrolled to it

function setUpSidebarHead() {
  const sidebar = document.querySelector(".bd-sidebar-primary");
  const head = sidebar?.querySelector(".sidebar-primary-item:has(> nav > .navbar-brand)");
  const search = sidebar?.querySelector(".sidebar-primary-item > .search-button-field");
  if (!head || !search) return;
  const scrolled = sidebar.scrollTop;
  const emptied = search.parentElement;
  head.append(search);
  emptied.remove();
  sidebar.scrollTop = scrolled;
  const current = [...sidebar.querySelectorAll(".bd-docs-nav .active > a")].pop();
  if (!current) return;
  if (sessionStorage.getItem(SIDEBAR_POSITION) === null) {
    sidebar.scrollTop = 0;
    const below = current.getBoundingClientRect().bottom - sidebar.getBoundingClientRect().bottom;
    if (below > 0) sidebar.scrollTop = below + SIDEBAR_LINK_MARGIN_PX;
  }
  const hidden = head.getBoundingClientRect().bottom - current.getBoundingClientRect().top;
  if (hidden > 0) sidebar.scrollTop -= hidden + current.getBoundingClientRect().height;
}

// The search page shows a snippet of each page found (_config.yml), which it fetches; from disk
// (file://) a browser refuses, with an error for each page, so there the list has titles only.
if (location.protocol === "file:" && typeof DOCUMENTATION_OPTIONS !== "undefined") {
  DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
}

// A snippet comes from the page's text, not from what the theme puts beside it in the same
// <main> (the page's contents, on screen and for print, the previous and next links) nor from
// a figure's code.
const NOT_SNIPPET = ".bd-sidebar-secondary, .onlyprint, .bd-header-article, .prev-next-area, " +
                    ".bd-footer-article, div.cell_input, .scroll-hint";

function setUpSearchSnippets() {
  if (typeof Search === "undefined" || !Search.htmlToText) return;
  const htmlToText = Search.htmlToText;
  Search.htmlToText = (htmlString, anchor) => {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    for (const el of page.querySelectorAll(NOT_SNIPPET)) el.remove();
    return htmlToText(page.documentElement.outerHTML, anchor);
  };
}

document.addEventListener("DOMContentLoaded", () => {
  setUpSidebarHead();
  setUpTableLayouts();
  setUpScrollBoxes();
  setUpSearchSnippets();
});
