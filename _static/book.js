// A chart that scrolls sideways on a phone (see book.css) takes keyboard focus, so it can be
// scrolled without a pointer, as the theme does for wide tables.
document.addEventListener("DOMContentLoaded", () => {
  const markScrollable = () => {
    for (const figure of document.querySelectorAll('figure[id$="-timeline"]')) {
      figure.tabIndex = figure.scrollWidth > figure.clientWidth ? 0 : -1;
    }
  };
  markScrollable();
  window.addEventListener("resize", markScrollable);
});
