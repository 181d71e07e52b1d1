"""The contract as the plugin author meets it: hook validation at load with the plugin's name,
the hook reference kept in step with core/hookspecs.py, and a scaffold that lists every hook
and every data field."""

from __future__ import annotations

import re
import tomllib
import types

import pytest
from pydantic import BaseModel

from core import arrangements as schema
from core.hookspecs import hookimpl
from core.kit import hooks_doc
from core.kit.scaffold import arrangements_toml, hooks_module
from core.kit.specs import hookspecs, overridable
from core.plugins import PluginError, rules_for_module


def _plugin(name: str, **impls) -> types.ModuleType:
    module = types.ModuleType(name)
    for hook, fn in impls.items():
        setattr(module, hook, hookimpl(fn))
    return module


def _any_hook():
    """An overridable hook if the contract has one yet, else the core hook."""
    specs = overridable() or hookspecs()
    return specs[0]


def test_a_misspelt_hook_name_fails_at_load_naming_the_plugin():
    spec = _any_hook()
    typo = spec.name[:-2] + spec.name[-1:]  # drop one letter
    module = _plugin("croydon_plugin", **{typo: lambda: None})
    with pytest.raises(PluginError) as exc:
        rules_for_module(module, "croydon")
    message = str(exc.value)
    assert "'croydon'" in message and "croydon_plugin" in message
    assert typo in message


def test_a_wrong_argument_name_fails_at_load_naming_the_plugin():
    spec = _any_hook()
    namespace: dict = {}
    exec(f"def {spec.name}(not_an_argument):\n    return None\n", namespace)
    module = _plugin("croydon_plugin", **{spec.name: namespace[spec.name]})
    with pytest.raises(PluginError) as exc:
        rules_for_module(module, "croydon")
    message = str(exc.value)
    assert "'croydon'" in message and "croydon_plugin" in message
    assert "not_an_argument" in message


def test_every_hook_is_documented_with_an_example():
    for spec in hookspecs():
        assert spec.doc, f"core/hookspecs.py: {spec.name} has no docstring"
        assert "Example" in spec.doc, f"core/hookspecs.py: {spec.name}'s docstring has no Example"


def test_the_hook_reference_matches_the_hookspecs():
    # After changing core/hookspecs.py, regenerate with `partnerships hooks-doc`.
    assert hooks_doc.HOOKS_FILE.exists(), f"docs/hooks.md is missing: run `{hooks_doc.REGENERATE}`"
    current = hooks_doc.HOOKS_FILE.read_text(encoding="utf-8")
    assert current == hooks_doc.render(), f"docs/hooks.md has drifted from core/hookspecs.py: run `{hooks_doc.REGENERATE}`"
    for spec in hookspecs():
        assert f"### {spec.name}" in current


def test_the_scaffolded_hook_module_lists_every_overridable_hook_and_each_one_loads():
    text = hooks_module("Croydon")
    for spec in overridable():
        assert f"# def {spec.name}(" in text
    # Uncomment every hook: the listed signatures must be exactly the contract's.
    live = re.sub(r"^# (@hookimpl|def .*|    return None.*)$", r"\1", text, flags=re.MULTILINE)
    namespace: dict = {}
    exec(compile(live, "hooks.py", "exec"), namespace)
    module = types.ModuleType("croydon_all_hooks")
    for key, value in namespace.items():
        setattr(module, key, value)
    module.partnership_arrangements = hookimpl(lambda: None)
    from core.plugins import build_manager

    pm = build_manager(module, "croydon")  # raises PluginError if a listed signature is wrong
    for spec in overridable():
        assert any(i.plugin is module for i in getattr(pm.hook, spec.name).get_hookimpls()), spec.name


def _fields(model: type[BaseModel], prefix: str = "") -> set[str]:
    out = set()
    for name, info in model.model_fields.items():
        out.add(name)
        ann = info.annotation
        for inner in (ann, *getattr(ann, "__args__", ())):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                out |= _fields(inner)
    return out


def test_the_scaffolded_data_file_has_every_field_and_validates(tmp_path):
    text = arrangements_toml("croydon", "Croydon")
    keys = set(re.findall(r"^#?\s*([a-z_]+)\s*=", text, flags=re.MULTILINE))
    tables = set(re.findall(r"^\[\[?([a-z_.]+)\]\]?", text, flags=re.MULTILINE))
    present = keys | {t.split(".")[-1] for t in tables}
    missing = _fields(schema.Arrangements) - present
    assert not missing, f"the scaffold's arrangements.toml lacks {sorted(missing)}"
    path = tmp_path / "arrangements.toml"
    path.write_text(text)
    parsed = schema.parse_arrangements(path)
    assert parsed.partnership.code == "croydon"
    assert tomllib.loads(text)["partnership"]["document"]["title"]
