"""The architecture rules ``make check`` enforces (core.kit.architecture): each is shown to
hold on this repository and to catch a breach in a small tree built for the test."""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import pluggy

from core.kit import architecture as arch
from core.plugins import build_manager, discover


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_this_repository_keeps_every_architecture_rule():
    findings = arch.check()
    assert not findings, "\n".join(map(str, findings))


def test_make_check_runs_the_architecture_rules():
    makefile = (arch.ROOT / "Makefile").read_text()
    check_target = makefile.split("\ncheck:", 1)[1].split("\n\n", 1)[0]
    assert "core.kit.architecture" in check_target
    done = subprocess.run([sys.executable, "-m", "core.kit.architecture"], cwd=arch.ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_an_import_cycle_is_found_even_through_a_function_level_import(tmp_path):
    root = _tree(tmp_path, {
        "core/__init__.py": "",
        "core/a.py": "from core import b\n",
        "core/b.py": "def later():\n    from core.a import thing\n",
        "core/c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from core.a import x\n",
        "schema/__init__.py": "",
    })
    found = arch.import_cycles(root)
    assert len(found) == 1 and "core.a" in found[0].message and "core.b" in found[0].message
    (root / "core/b.py").write_text("def later():\n    pass\n")
    assert arch.import_cycles(root) == []


def test_core_importing_schema_is_found(tmp_path):
    root = _tree(tmp_path, {"core/__init__.py": "", "core/cli.py": "def go():\n    from schema.root import x\n"})
    assert [f.rule for f in arch.upward_imports(root)] == ["core-imports-schema"]


def test_a_plugin_importing_core_internals_is_found(tmp_path):
    root = _tree(tmp_path, {
        "plugins/__init__.py": "",
        "plugins/croydon/__init__.py": "from core.plugin_api import hookimpl\n",
        "plugins/croydon/governance.py": "from core.rules.governance import partners_quorum\n",
    })
    found = arch.plugin_imports(root)
    assert [f.where for f in found] == ["plugins/croydon/governance.py:1"]
    assert "core.plugin_api" in found[0].message


def test_an_unregistered_hookimpl_is_found():
    from core.plugin_api import hookimpl

    module = types.ModuleType("croydon_hooks")
    module.__name__ = "croydon_hooks"

    @hookimpl
    def partnership_arrangements():
        return None

    @hookimpl
    def governance_proxy_rule(group):
        return None

    for fn in (partnership_arrangements, governance_proxy_rule):
        fn.__module__ = module.__name__
        setattr(module, fn.__name__, fn)
    # What a forgotten ``__all__`` entry did: the module's hookimpls never reached the manager.
    pm = pluggy.PluginManager("partnerships")
    from core import hookspecs

    pm.add_hookspecs(hookspecs)
    found = arch.unregistered_hookimpls(module, pm)
    assert sorted(f.where for f in found) == ["croydon_hooks.governance_proxy_rule",
                                              "croydon_hooks.partnership_arrangements"]
    assert arch.unregistered_hookimpls(module, build_manager(module, "croydon")) == []


def test_every_module_of_a_borough_package_is_registered():
    for rules in discover():
        names = {name for name, _ in rules.pm.list_name_plugin()}
        assert any(n.endswith(f"{rules.module.__name__}.governance") for n in names), (rules.code, names)
