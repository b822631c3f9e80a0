"""`kawan validate` lists facts not re-checked within KAWAN_STALE_DAYS as warnings, not errors."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.cli import main

TOPIC = "kontak_pusat"


def age_topic(knowledge: Path, topic: str, days: int) -> tuple[str, int]:
    """Set one topic's `checked` to `days` ago; returns its file and the line of `checked`."""
    for path in sorted(knowledge.glob("*.yaml")):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        inside = False
        for number, line in enumerate(lines):
            if line.strip().startswith("- id:"):
                inside = line.split(":", 1)[1].strip() == topic
            if inside and line.strip().startswith("checked:"):
                when = (date.today() - timedelta(days=days)).isoformat()
                lines[number] = f'    checked: "{when}"\n'
                path.write_text("".join(lines), encoding="utf-8")
                return path.name, number + 1
    raise AssertionError(f"topic {topic} not found")


def validate(capsys: pytest.CaptureFixture[str], data: tuple[Path, Path]) -> tuple[int, str]:
    knowledge, intents = data
    code = main(["validate", "--knowledge", str(knowledge), "--intents", str(intents)])
    return code, capsys.readouterr().out


def test_stale_fact_is_listed_as_a_warning(capsys: pytest.CaptureFixture[str], data_copy: tuple[Path, Path],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    name, line = age_topic(data_copy[0], TOPIC, 10)
    monkeypatch.setenv("KAWAN_STALE_DAYS", "5")
    code, out = validate(capsys, data_copy)
    checked = (date.today() - timedelta(days=10)).isoformat()
    assert code == 0
    assert (f"knowledge/{name}:{line}: [{TOPIC}] kolom 'checked': PERINGATAN: fakta terakhir diperiksa {checked}, "
            "lebih dari 5 hari lalu. Cara memperbaiki: periksa ulang fakta dan nomor di sumbernya, lalu perbarui "
            "tanggal.") in out.splitlines()
    assert out.splitlines()[-1].startswith("Data baik: ")


def test_fresh_enough_fact_is_not_listed(capsys: pytest.CaptureFixture[str], data_copy: tuple[Path, Path],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    age_topic(data_copy[0], TOPIC, 10)
    monkeypatch.setenv("KAWAN_STALE_DAYS", "30")
    code, out = validate(capsys, data_copy)
    assert code == 0 and f"[{TOPIC}] kolom 'checked'" not in out


def test_default_is_180_days(capsys: pytest.CaptureFixture[str], data_copy: tuple[Path, Path],
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KAWAN_STALE_DAYS", raising=False)
    age_topic(data_copy[0], TOPIC, 181)
    code, out = validate(capsys, data_copy)
    assert code == 0 and "lebih dari 180 hari lalu" in out


def test_bad_stale_days_is_reported(capsys: pytest.CaptureFixture[str], data_copy: tuple[Path, Path],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAWAN_STALE_DAYS", "enam bulan")
    knowledge, intents = data_copy
    code = main(["validate", "--knowledge", str(knowledge), "--intents", str(intents)])
    assert code == 1
    assert "KAWAN_STALE_DAYS harus berupa angka bulat" in capsys.readouterr().err
