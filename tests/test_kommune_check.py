"""`make check-kommune` (bot/kommune_check.py): a municipality's file is checked before use, with
clear messages for what is wrong; the shipped file and a second, different one both pass."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml

from bot import kommune_check
from bot.channels.guard import NOTICES_FILE

ROOT = Path(__file__).resolve().parent.parent
OTHER = ROOT / "tests" / "fixtures" / "kommune-annen.yml"


def _broken(tmp_path: Path, change: dict) -> Path:
    data = yaml.safe_load(OTHER.read_text(encoding="utf-8"))
    for dotted, value in change.items():
        *parents, key = dotted.split(".")
        target = data
        for parent in parents:
            target = target[parent]
        if value is None:
            del target[key]
        else:
            target[key] = value
    path = tmp_path / "kommune.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("path", [ROOT / "kommune.yml", OTHER])
def test_the_shipped_file_and_a_second_municipality_pass(path: Path, capsys: pytest.CaptureFixture) -> None:
    assert kommune_check.main([str(path)]) == 0
    name = yaml.safe_load(path.read_text(encoding="utf-8"))["navn"]
    assert f"{name} er i orden" in capsys.readouterr().out


def test_every_answer_and_notice_is_checked() -> None:
    names = {answer.name for answer in kommune_check.answers()}
    assert "utter_greet#0" in names and any(name.startswith("notice:") for name in names)
    assert kommune_check.NOTICES_FILE == NOTICES_FILE  # the notices the channels send


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"servicekontor.telefon": None}, "mangler «telefon»"),
        ({"servicekontor.telefon": "ring oss"}, "servicekontor.telefon: «ring oss» er ikke et telefonnummer"),
        ({"lenker.avfall": "http://fjellvik.kommune.example/avfall"}, "lenker.avfall:"),
        ({"lenker.klage": "fjellvik/klage"}, "lenker.klage:"),
        ({"malform": "sv"}, "malform i kommune.yml må være nb eller nn"),
        (
            {
                "servicekontor.plassering": "kommuneadministrasjonsbygningens hovedresepsjonsområde ved "
                "hovedinngangspartiet mellom parkeringsanleggets nordøstlige fotgjengerinngang og bibliotekavdelingen"
            },
            "LIX",
        ),
    ],
)
def test_a_broken_file_is_refused_with_what_is_wrong(
    tmp_path: Path, capsys: pytest.CaptureFixture, change: dict, message: str
) -> None:
    assert kommune_check.main([str(_broken(tmp_path, change))]) == 1
    output = capsys.readouterr().out
    assert "feil." in output and message in output


def test_a_missing_file_is_said_plainly(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert kommune_check.main([str(tmp_path / "finnes-ikke.yml")]) == 1
    assert "Fant ikke filen" in capsys.readouterr().out


def test_make_check_kommune_reads_kommune_file(tmp_path: Path) -> None:
    env = {**os.environ, "KOMMUNE_FILE": str(_broken(tmp_path, {"lenker.valg": "ftp://x"}))}
    command = ["make", "--no-print-directory", "check-kommune"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert result.returncode != 0 and "lenker.valg:" in result.stdout
