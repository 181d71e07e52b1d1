"""The configuration reference in docs/ is generated from the settings classes and must match."""

from __future__ import annotations

import importlib
import pkgutil

from click.testing import CliRunner
from pydantic_settings import BaseSettings

import core
import schema
from core import config_docs
from core.cli import main


def test_configuration_reference_matches_the_settings_classes():
    assert config_docs.DOC.exists(), "docs/configuration.md is missing: run `partnerships config-docs`"
    assert config_docs.DOC.read_text(encoding="utf-8") == config_docs.render(), (
        "docs/configuration.md is out of date: run `partnerships config-docs`")


def test_every_setting_has_a_description_and_appears_with_its_variable():
    text = config_docs.DOC.read_text(encoding="utf-8")
    for _title, cls in config_docs.settings_classes():
        for name, field in cls.model_fields.items():
            assert field.description, f"{cls.__name__}.{name} needs a description"
            assert f"`{config_docs.env_var(cls, name)}`" in text


def test_no_settings_class_is_left_out_of_the_reference():
    for package in (core, schema):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if ".migrations" not in module.name:
                importlib.import_module(module.name)
    defined = {cls for cls in _subclasses(BaseSettings) if cls.__module__.startswith(("core.", "schema."))}
    documented = {cls for _title, cls in config_docs.settings_classes()}
    assert defined <= documented, f"add to core/config_docs.settings_classes: {defined - documented}"


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_config_docs_check_command():
    result = CliRunner().invoke(main, ["config-docs", "--check"])
    assert result.exit_code == 0, result.output
    assert "current" in result.output
