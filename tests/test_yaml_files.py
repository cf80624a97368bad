"""`bot.yaml_files.read_yaml` (libyaml's parser) gives the same data as PyYAML's `safe_load`."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.answers.catalogue import CATALOGUE
from bot.yaml_files import read_yaml

TRICKY = """\
navn: Eksempel kommune
ja: yes
nei: no
dato: 2026-05-17
tid: 08:00
tall: 0012
desimal: 1.5e3
tom:
sitat: "«Hei» – æøå ÆØÅ 😀"
flere_linjer: |
  første linje
  andre linje
brettet: >
  en lang
  setning
liste: [a, "b", 3]
"""


def test_tricky_yaml_reads_as_safe_load_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "t.yml"
    path.write_text(TRICKY, encoding="utf-8")
    assert read_yaml(path) == yaml.safe_load(TRICKY)


@pytest.mark.parametrize("path", sorted(CATALOGUE.glob("*.yml"))[:2], ids=lambda p: p.name)
def test_a_catalogue_file_reads_as_safe_load_reads_it(path: Path) -> None:
    assert read_yaml(path) == yaml.safe_load(path.read_text(encoding="utf-8"))


def test_broken_yaml_raises_pyyamls_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.yml"
    path.write_text("navn: [ikke lukket\n", encoding="utf-8")
    with pytest.raises(yaml.YAMLError):
        read_yaml(path)
