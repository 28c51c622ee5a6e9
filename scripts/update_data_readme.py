"""Regenerate the column tables in data/README.md from data/datapackage.json (make data-readme)."""

import json

from frbook.datadoc import replace_generated
from frbook.paths import DATA_DIR

readme = DATA_DIR / "README.md"
descriptor = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
readme.write_text(
    replace_generated(readme.read_text(encoding="utf-8"), descriptor), encoding="utf-8"
)
print(f"Updated {readme}")
