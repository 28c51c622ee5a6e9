"""The GitHub Actions workflow passes actionlint, runs the README's commands, and deploys only
from main."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from frbook.paths import REPO_ROOT

ACTIONLINT = Path(sys.executable).with_name("actionlint")
WORKFLOW = REPO_ROOT / ".github" / "workflows" / "book.yml"
RELEASE_PIN = re.compile(r"^[\w.-]+/[\w.-]+@(v\d+\.\d+\.\d+|[0-9a-f]{40})$")
PAGES_ACTIONS = ("actions/upload-pages-artifact", "actions/deploy-pages")


def actionlint(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(ACTIONLINT), "-oneline", *map(str, paths)], cwd=REPO_ROOT,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def workflow() -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1).
    loaded = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return {("on" if key is True else key): value for key, value in loaded.items()}


def steps(workflow: dict) -> list[tuple[str, dict]]:
    return [(job, step) for job, spec in workflow["jobs"].items() for step in spec["steps"]]


def test_every_workflow_passes_actionlint():
    result = actionlint(*sorted((REPO_ROOT / ".github" / "workflows").glob("*.y*ml")))
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_action_is_pinned_to_a_release(workflow):
    used = [step["uses"] for _, step in steps(workflow) if "uses" in step]
    assert used, "no actions"
    loose = [uses for uses in used if not RELEASE_PIN.match(uses)]
    assert not loose, f"pin these to a release (vX.Y.Z) or a commit: {loose}"


def test_pushes_to_main_and_pull_requests_build(workflow):
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert "pull_request" in workflow["on"]


def test_the_build_runs_the_readme_commands_then_uploads_the_html(workflow):
    runs = [step.get("run", "").strip() for _, step in steps(workflow)]
    assert "make test" in runs and "make publish" in runs
    assert runs.index("make test") < runs.index("make publish")
    (upload,) = [step for _, step in steps(workflow)
                 if step.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert upload["with"]["path"] == "_build/html"
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test" in readme and "make publish" in readme


def test_only_a_push_to_main_deploys(workflow):
    only_main = "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    assert workflow["env"]["PUBLISH"] == f"${{{{ {only_main} }}}}"
    for job, step in steps(workflow):
        if step.get("uses", "").startswith(PAGES_ACTIONS):
            guard = workflow["jobs"][job].get("if", "") + step.get("if", "")
            assert only_main in guard or guard == "env.PUBLISH == 'true'", (job, step)
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["if"] == only_main
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}


def test_caches_are_keyed_on_the_lock_and_the_notebooks(workflow):
    caches = {step["with"]["path"].strip(): step["with"]["key"] for _, step in steps(workflow)
              if step.get("uses", "").startswith("actions/cache@")}
    assert "requirements-lock.txt" in caches[".venv"]
    (execution,) = [key for path, key in caches.items() if "_build/.jupyter_cache" in path]
    assert "requirements-lock.txt" in execution and "notebooks/" in execution
