"""data/README.md describes every column as the schema does: generated, never typed twice."""

import json

import pytest

from frbook.paths import DATA_DIR
from update_data_readme import END, START, columns_markdown, replace_generated

DESCRIPTOR = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))


def test_readme_column_tables_are_up_to_date():
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert replace_generated(readme, DESCRIPTOR) == readme, "run: make data-readme"


def test_every_column_of_every_table_is_described():
    text = columns_markdown(DESCRIPTOR)
    for resource in DESCRIPTOR["resources"]:
        assert f"`{resource['path']}`" in text
        for field in resource["schema"]["fields"]:
            assert f"| `{field['name']}` |" in text, (resource["name"], field["name"])
            assert field.get("description"), (
                f"{resource['name']}.{field['name']} has no description"
            )


def test_a_readme_without_markers_is_refused():
    with pytest.raises(ValueError):
        replace_generated("# data\nno markers here\n", DESCRIPTOR)
    assert START in columns_markdown(DESCRIPTOR) and END in columns_markdown(DESCRIPTOR)
