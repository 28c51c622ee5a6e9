"""scripts/system_deps.sh installs with apt-get exactly the Debian packages that are missing,
and nothing when all are there (run here with stand-ins for dpkg-query, apt-get and id)."""

import os
import subprocess

from frbook.paths import REPO_ROOT

SCRIPT = REPO_ROOT / "scripts" / "system_deps.sh"
# Stand-ins: dpkg-query knows the packages in $INSTALLED; apt-get writes down its arguments.
STAND_INS = {
    "dpkg-query": 'case " $INSTALLED " in *" $3 "*) echo ii;; *) echo un;; esac',
    "apt-get": 'echo "$@" >> "$APT_LOG"',
    "id": "echo 0",  # root: no sudo
}


def system_deps(tmp_path, what: str, installed: str = "") -> tuple[int, list[str]]:
    """The script's exit status and the apt-get commands it ran."""
    tmp_path.mkdir()
    for name, body in STAND_INS.items():
        (tmp_path / name).write_text(f"#!/bin/sh\n{body}\n")
        (tmp_path / name).chmod(0o755)
    log = tmp_path / "apt.log"
    env = {**os.environ, "PATH": f"{tmp_path}:{os.environ['PATH']}", "INSTALLED": installed,
           "APT_LOG": str(log)}
    done = subprocess.run([str(SCRIPT), what], env=env, capture_output=True, text=True)
    return done.returncode, log.read_text().splitlines() if log.exists() else []


def test_only_the_missing_packages_are_installed(tmp_path):
    code, commands = system_deps(tmp_path / "none", "pdf")
    assert code == 0 and commands[0] == "update -qq", commands
    options, packages = commands[1].split()[:4], commands[1].split()[4:]
    assert options == ["install", "-y", "-qq", "--no-install-recommends"]
    assert {"texlive-xetex", "latexmk", "poppler-utils"} <= set(packages)
    all_but_one = " ".join(p for p in packages if p != "poppler-utils")
    assert system_deps(tmp_path / "one", "pdf", all_but_one)[1][1].endswith(
        "--no-install-recommends poppler-utils")
    assert system_deps(tmp_path / "all", "pdf", " ".join(packages)) == (0, [])
    assert system_deps(tmp_path / "bad", "nonsense")[0] == 2
