// What scrolls sideways (see book.css) takes keyboard focus, so it can be scrolled without a
// pointer: a chart on a phone, and a table wider than the screen, which also gets a line above
// it, "Scroll sideways to see every column", tied to it as its description. Each is set again
// whenever one of them or its content changes size (fonts loaded, a phone turned sideways).
const TABLE_HINT = "Scroll sideways to see every column.";

const overflows = (box) => box.scrollWidth > box.clientWidth + 1;

function tableHint(box, number) {
  if (!box.previousElementSibling?.classList.contains("table-scroll-hint")) {
    const hint = document.createElement("p");
    hint.className = "table-scroll-hint";
    hint.id = `table-scroll-hint-${number}`;
    hint.textContent = TABLE_HINT;
    box.before(hint);
  }
  return box.previousElementSibling;
}

function markScrolledToEnd(box) {
  box.classList.toggle("scrolled-to-end",
                       box.scrollLeft + box.clientWidth >= box.scrollWidth - 1);
}

function markScrollable() {
  for (const figure of document.querySelectorAll('figure[id$="-timeline"]')) {
    figure.tabIndex = overflows(figure) ? 0 : -1;
  }
  document.querySelectorAll(".pst-scrollable-table-container").forEach((box, number) => {
    const wide = overflows(box);
    const hint = tableHint(box, number + 1);
    hint.hidden = !wide;
    box.tabIndex = wide ? 0 : -1;
    box.classList.toggle("overflows", wide);
    if (wide) {
      box.setAttribute("aria-describedby", hint.id);
    } else {
      box.removeAttribute("aria-describedby");
    }
    markScrolledToEnd(box);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const sizes = new ResizeObserver(markScrollable);
  for (const figure of document.querySelectorAll('figure[id$="-timeline"]')) {
    sizes.observe(figure);
  }
  for (const box of document.querySelectorAll(".pst-scrollable-table-container")) {
    sizes.observe(box);
    for (const table of box.children) sizes.observe(table);
    box.addEventListener("scroll", () => markScrolledToEnd(box), {passive: true});
  }
});
