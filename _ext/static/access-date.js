// Citations of a published book carry "[date of access]" where the style gives the date the
// reader read the page (MLA, BibTeX urldate); this fills in today's date (_ext/citation.py).
document.addEventListener("DOMContentLoaded", () => {
  const placeholder = "[date of access]";
  const today = new Date();
  const months = ["Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.",
                  "Oct.", "Nov.", "Dec."];
  const mla = `${today.getDate()} ${months[today.getMonth()]} ${today.getFullYear()}`;
  const iso = [today.getFullYear(), today.getMonth() + 1, today.getDate()]
    .map((part) => String(part).padStart(2, "0")).join("-");
  const blocks = document.querySelectorAll(
    ".book-citation, .chapter-citation, .dataset-citation");
  for (const block of blocks) {
    const date = block.matches("div, pre") ? iso : mla;  // BibTeX blocks are literal blocks
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.nodeValue.includes(placeholder)) {
        node.nodeValue = node.nodeValue.replaceAll(placeholder, date);
      }
    }
  }
});
