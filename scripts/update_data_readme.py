"""Regenerate the column tables in data/README.md from data/datapackage.json (make data-readme):
each table's columns described in Markdown, from the descriptor alone."""

from __future__ import annotations

import json

from frbook.paths import DATA_DIR

START = "<!-- columns: generated from datapackage.json by scripts/update_data_readme.py -->"
END = "<!-- end of generated columns -->"


def _constraints(field: dict) -> str:
    constraints = field.get("constraints", {})
    parts = ["required"] if constraints.get("required") else []
    if "enum" in constraints:
        parts.append("one of: " + ", ".join(f"`{value}`" for value in constraints["enum"]))
    if "pattern" in constraints:
        parts.append(
            "ISO date, day/month/year precision"
            if field.get("x-precision-field")
            else f"pattern `{constraints['pattern']}`"
        )
    if constraints.get("unique"):
        parts.append("unique")
    for bound in ("minimum", "maxLength"):
        if bound in constraints:
            parts.append(f"{bound} {constraints[bound]}")
    if field.get("x-not-before"):
        parts.append(f"not before `{field['x-not-before']}`")
    return "; ".join(parts)


def _links(schema: dict) -> list[str]:
    lines = [f"Primary key: `{', '.join(_as_list(schema['primaryKey']))}`."]
    for key in schema.get("foreignKeys", []):
        ref = key["reference"]
        lines.append(
            f"`{', '.join(_as_list(key['fields']))}` → `{ref['resource']}."
            f"{', '.join(_as_list(ref['fields']))}`"
        )
    for field in schema["fields"]:
        ref = field.get("x-each-references")
        if ref:
            lines.append(f"each key in `{field['name']}` → `{ref['resource']}.{ref['fields']}`")
    return lines


def _as_list(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def columns_markdown(descriptor: dict) -> str:
    """One section per table: what it is, its keys, and a row per column."""
    out = [START]
    for resource in descriptor["resources"]:
        schema = resource["schema"]
        out += [
            "",
            f"### `{resource['path']}`: {resource['title']}",
            "",
            resource["description"],
            "",
        ]
        links = _links(schema)
        foreign = ["Foreign keys: " + "; ".join(links[1:]) + "."] if links[1:] else []
        out.append(" ".join([links[0], *foreign]))
        out += ["", "| column | type | rules | meaning |", "|---|---|---|---|"]
        for field in schema["fields"]:
            kind = "date (partial)" if field.get("x-precision-field") else field["type"]
            cells = [f"`{field['name']}`", kind, _constraints(field), field.get("description", "")]
            out.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(out + ["", END])


def replace_generated(readme: str, descriptor: dict) -> str:
    """The README text with its generated section renewed; the markers must already be there."""
    head, _, rest = readme.partition(START)
    _, found, tail = rest.partition(END)
    if not found:
        raise ValueError(f"the README lacks the markers {START!r} and {END!r}")
    return head + columns_markdown(descriptor) + tail


if __name__ == "__main__":
    readme = DATA_DIR / "README.md"
    descriptor = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    readme.write_text(replace_generated(readme.read_text(encoding="utf-8"), descriptor),
                      encoding="utf-8")
    print(f"Updated {readme}")
