"""The charts' words as a reader sees them in Chromium: on a 1280 px laptop close to the size of
the body text, on a 390 px phone still legible, and the phone's page never scrolls sideways.

A chart's words are measured in the drawing the browser chose (a timeline is a <picture> of two
drawings, frbook.style.picture): their font size in the SVG, scaled as the image is shown.
"""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from browsercheck import chromium, new_context, serve, visit

pytestmark = pytest.mark.slow

BODY_SHARE_ON_A_LAPTOP = (0.8, 1.1)  # a chart's words, as a share of the body text's size
MIN_PHONE_PX = 11
# The body text's size, and each chart's: the drawing shown (its address), its words' sizes in
# CSS px as shown, and the page's width and how far it scrolls sideways.
CHART_TEXT_JS = r"""async () => {
  const body = parseFloat(getComputedStyle(document.querySelector("main section > p")).fontSize);
  const charts = [];
  for (const img of document.querySelectorAll("main figure img")) {
    await img.decode().catch(() => null);
    const source = await (await fetch(img.currentSrc)).text();
    const svg = new DOMParser().parseFromString(source, "image/svg+xml").documentElement;
    const drawn = svg.viewBox.baseVal.width || parseFloat(svg.getAttribute("width"));
    const scale = img.getBoundingClientRect().width / drawn;
    const sizes = [...svg.querySelectorAll("text")].map(
      text => parseFloat((text.getAttribute("style") || "").match(/font-size:\s*([\d.]+)px/)[1])
              * scale);
    charts.push({src: img.currentSrc.split("/").pop(), sizes});
  }
  return {body, charts, width: document.documentElement.clientWidth,
          scrollWidth: document.scrollingElement.scrollWidth};
}"""


def chart_text(html_dir: Path, pages: list[str]) -> dict[str, dict[str, dict]]:
    """CHART_TEXT_JS on each of ``pages`` that has a chart, on a laptop and on a phone."""
    results = {}
    with serve(html_dir) as base, chromium() as browser:
        for device, phone in (("laptop", False), ("phone", True)):
            context = new_context(browser, base, phone=phone)
            page = context.new_page()
            for name in pages:
                visit(page, base + name, base)
                found = page.evaluate(CHART_TEXT_JS)
                if found["charts"]:
                    results.setdefault(device, {})[name] = found
            context.close()
    return results


def text_size_problems(results: dict[str, dict[str, dict]]) -> list[str]:
    """Charts whose words are too far from the body text's size on a laptop or too small on a
    phone, and phone pages that scroll sideways."""
    problems = []
    low, high = BODY_SHARE_ON_A_LAPTOP
    for name, found in results.get("laptop", {}).items():
        for chart in found["charts"]:
            shares = [size / found["body"] for size in chart["sizes"]]
            if not low <= min(shares) <= max(shares) <= high:
                problems.append(
                    f"laptop {name}: {chart['src']} has words of {min(chart['sizes']):.1f} to "
                    f"{max(chart['sizes']):.1f} px, the body text {found['body']:g} px")
    for name, found in results.get("phone", {}).items():
        problems += [f"phone {name}: {chart['src']} has words of {min(chart['sizes']):.1f} px"
                     for chart in found["charts"] if min(chart["sizes"]) < MIN_PHONE_PX]
        if found["scrollWidth"] > found["width"]:
            problems.append(f"phone {name}: the page scrolls sideways "
                            f"({found['scrollWidth']} px in {found['width']} px)")
    return problems


def test_chart_words_are_near_the_body_texts_size_on_a_laptop_and_legible_on_a_phone(
        html_dir, toc_pages):
    # In a thread of its own: Playwright's synchronous API runs one browser session per thread,
    # and the browser tests' session may be open in this one.
    with ThreadPoolExecutor(1) as thread:
        results = thread.submit(chart_text, html_dir, toc_pages).result()
    assert set(results) == {"laptop", "phone"}, "no chart found on the book's pages"
    problems = text_size_problems(results)
    assert not problems, "\n".join(problems)
