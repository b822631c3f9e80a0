"""`kawan stats` and `kawan unanswered` on a seeded database: exact output, the Rasa draft, the chart."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from PIL import Image

from bot.admin.stats_report import WIDTH, summary_chart_png, summary_text
from bot.admin.storage import EventStore
from bot.admin.unanswered import MASKED_NOTE, PLACEHOLDER_INTENT
from bot.cli import common, main
from bot.content.training import read_training

SECRET = "rahasia-uji"
WEEKDAYS = ("Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min")


def kawan(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def dmy(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def short(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {day.strftime('%d-%m')}"


@pytest.fixture(autouse=True)
def now(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """One instant per test: the seeded events, the commands' clock and the expected dates agree, even at 00:00 UTC."""
    fixed = datetime.now(timezone.utc)
    monkeypatch.setattr(common, "utc_now", lambda: fixed)
    return fixed


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, now: datetime) -> Path:
    """A week of typical traffic: three people today, two yesterday, one old question."""
    db = tmp_path / "data" / "kawan.sqlite3"
    today, yesterday, old = now, now - timedelta(days=1), now - timedelta(days=10)
    with EventStore.open(db, secret=SECRET) as store:
        store.vocabulary = frozenset({"resep", "rendang"})  # the running bot passes the words it knows
        record = store.record
        record("message", 101, at=today)
        record("answer", 101, topic="syarat_pmi", confidence=0.9, text="syarat jadi tki", at=today)
        record("message", 102, at=today)
        record("fallback", 102, confidence=0.1, text="resep rendang 0812-3456-7890", at=today)
        record("message", 102, at=today)
        record("clarify", 102, topic="paspor_visa", confidence=0.4, text="paspor gmn", at=today)
        record("feedback_up", 101, topic="syarat_pmi", at=today)
        record("feedback_down", 102, topic="syarat_pmi", text="Resep rendang 0812 3456 7890?", at=today)
        record("emergency", 103, topic="darurat", confidence=1.0, text="tolong sy disekap", at=today)
        record("start", 103, at=today)
        record("referral", 103, ref="abcdefgh", at=today)
        record("message", 101, at=yesterday)
        record("answer", 101, topic="syarat_pmi", confidence=0.5, text="syarat kerja ke malaysia", at=yesterday,
               unsure=True)
        record("message", 103, at=yesterday)
        record("fallback", 103, text="Resep rendang 0812-3456-7890", at=yesterday)
        record("start", 104, at=yesterday)
        record("referral", 104, ref="abcdefgh", at=yesterday)
        record("referral", 104, ref="abcdefgh", at=yesterday)  # the same person twice counts once
        record("message", 105, at=old)
        record("fallback", 105, text="kerja di kapal ikan taiwan, email sy a@b.co", at=old)
    monkeypatch.setenv("KAWAN_DB", str(db))
    monkeypatch.setenv("KAWAN_SECRET", SECRET)
    return db


def test_stats_exact_output(capsys: pytest.CaptureFixture[str], seeded: Path, now: datetime) -> None:
    today = now.date()
    yesterday = today - timedelta(days=1)
    code, out, err = kawan(capsys, "stats")
    assert (code, err) == (0, "")
    assert out == f"""Statistik Kawan Migran: 7 hari terakhir
{dmy(today - timedelta(days=6))} s.d. {dmy(today)} (UTC)

Pesan masuk: 5
Pengguna unik: 4 (dihitung dari kode acak, bukan ID Telegram)
Dijawab: 2 (50%) · tidak terjawab: 2 (50%)
Ditanya balik ("Maksud Anda"): 1
Darurat: 1
Mulai (/start): 2

Topik teratas
1. syarat_pmi: 2
2. darurat: 1

Umpan balik per topik
- syarat_pmi: 1 👍, 1 👎

Relawan (orang per kode rujukan)
- abcdefgh: 2 orang

Per hari
- {short(yesterday)}: 2 pesan, 1 dijawab, 1 tidak terjawab
- {short(today)}: 3 pesan, 1 dijawab, 1 tidak terjawab
"""


def test_stats_text_for_telegram_uses_only_bold(seeded: Path, now: datetime) -> None:
    with EventStore.open(seeded, secret=SECRET) as store:
        text = summary_text(store, days=7, now=now)
    assert text.startswith("*Statistik Kawan Migran: 7 hari terakhir*\n")
    assert "*Topik teratas*" in text and "<" not in text and "](" not in text


def test_stats_days_widens_the_window(capsys: pytest.CaptureFixture[str], seeded: Path) -> None:
    code, out, _ = kawan(capsys, "stats", "--days", "30")
    assert code == 0
    assert "Statistik Kawan Migran: 30 hari terakhir" in out
    assert "Pesan masuk: 6\nPengguna unik: 5 " in out


def test_stats_on_an_empty_window(capsys: pytest.CaptureFixture[str], tmp_path: Path, now: datetime) -> None:
    db = tmp_path / "kosong.sqlite3"
    EventStore.open(db, secret=SECRET).close()
    code, out, _ = kawan(capsys, "stats", "--days", "1", "--db", str(db))
    today = now.date()
    assert code == 0
    assert out == f"Statistik Kawan Migran: hari ini\n{dmy(today)} s.d. {dmy(today)} (UTC)\n\n" \
                  "Belum ada kegiatan pada periode ini.\n"


def test_stats_writes_the_chart(capsys: pytest.CaptureFixture[str], seeded: Path, tmp_path: Path) -> None:
    chart = tmp_path / "grafik.png"
    code, out, _ = kawan(capsys, "stats", "--chart", str(chart))
    assert code == 0 and out.endswith(f"\nGrafik tersimpan: {chart}\n")
    assert Image.open(chart).size[0] == WIDTH


@pytest.mark.parametrize("days", [1, 7, 30, 180])
def test_chart_is_a_readable_png(seeded: Path, days: int, now: datetime) -> None:
    with EventStore.open(seeded, secret=SECRET) as store:
        png = summary_chart_png(store, days, now)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (1200, 700)
    assert 5_000 < len(png) < 300_000
    # The bars are drawn: the colour of answered messages appears on the chart.
    colours = image.convert("RGB").getcolors(maxcolors=100_000)
    assert colours is not None
    assert (0, 114, 178) in {colour for _, colour in colours}


def test_missing_database_is_a_data_problem(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "tidak-ada.sqlite3"
    code, out, err = kawan(capsys, "stats", "--db", str(missing))
    assert (code, out) == (1, "")
    assert err.startswith(f"Galat: database statistik {missing} belum ada.")
    # Only the Telegram bot records anything; the terminal chat never creates the database.
    assert "Bot Telegram" in err and "terminal tidak mencatat" in err
    assert not missing.exists()


def test_backup_into_a_missing_folder_says_why_in_indonesian(capsys: pytest.CaptureFixture[str],
                                                             tmp_path: Path) -> None:
    db = tmp_path / "kawan.sqlite3"
    EventStore.open(db, secret=SECRET).close()
    target = tmp_path / "tidak-ada" / "cadangan.sqlite3"
    code, out, err = kawan(capsys, "backup", "--db", str(db), str(target))
    assert (code, out) == (1, "")
    assert err == f"Galat: {target} tidak bisa ditulis: berkas atau folder tidak ada\n"


@pytest.mark.parametrize("days", ["0", "-1", "tujuh"])
def test_bad_days_is_a_usage_error(capsys: pytest.CaptureFixture[str], days: str) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["unanswered", "--days", days])
    assert exit_info.value.code == 2
    assert "argumen --days" in capsys.readouterr().err


def test_unanswered_exact_output(capsys: pytest.CaptureFixture[str], seeded: Path, now: datetime) -> None:
    today = now.date()
    code, out, err = kawan(capsys, "unanswered", "--days", "7")
    assert (code, err) == (0, "")
    assert out == f"""Pertanyaan yang belum terjawab baik, {dmy(today - timedelta(days=6))} s.d. {dmy(today)} (UTC): \
5 kali, 3 pertanyaan berbeda.
{MASKED_NOTE}

3× Resep rendang [nomor]  (tidak terjawab 2×, 👎 1×; topik: syarat_pmi)
1× paspor gmn  (ditanya balik 1×; topik: paspor_visa)
1× syarat kerja ke malaysia  (yakin rendah 1×; topik: syarat_pmi)
"""


def test_unanswered_default_is_30_days(capsys: pytest.CaptureFixture[str], seeded: Path) -> None:
    code, out, _ = kawan(capsys, "unanswered")
    assert code == 0
    assert "6 kali, 4 pertanyaan berbeda" in out
    assert "1× kerja di kapal ikan taiwan, email sy [email]  (tidak terjawab 1×)" in out


def test_unanswered_export_is_a_rasa_draft(capsys: pytest.CaptureFixture[str], seeded: Path, tmp_path: Path) -> None:
    draft = tmp_path / "draf.yml"
    code, out, err = kawan(capsys, "unanswered", "--days", "7", "--export", str(draft))
    assert (code, err) == (0, "")
    assert out.endswith(f"\nDraf YAML Rasa tersimpan: {draft} (3 contoh di intent {PLACEHOLDER_INTENT}).\n")
    data = yaml.safe_load(draft.read_text(encoding="utf-8"))
    assert data == {
        "version": "3.1",
        "nlu": [{"intent": "perlu_dipilah",
                 "examples": "- Resep rendang [nomor]\n- paspor gmn\n- syarat kerja ke malaysia\n"}],
    }
    # The project's own reader (the one `kawan validate` uses) reads the draft as it is.
    folder = tmp_path / "draf"
    folder.mkdir()
    (folder / "draf.yml").write_text(draft.read_text(encoding="utf-8"), encoding="utf-8")
    training, problems = read_training(folder)
    assert problems == [] and training is not None
    assert [(e.intent, e.text) for e in training.examples] == [
        ("perlu_dipilah", "Resep rendang [nomor]"), ("perlu_dipilah", "paspor gmn"),
        ("perlu_dipilah", "syarat kerja ke malaysia")]


def test_export_inside_intents_warns(capsys: pytest.CaptureFixture[str], seeded: Path, data_copy: tuple[Path, Path],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    _, intents = data_copy
    monkeypatch.setenv("KAWAN_INTENTS", str(intents))
    code, _, err = kawan(capsys, "unanswered", "--export", str(intents / "draf.yml"))
    assert code == 0
    assert err.startswith(f"PERINGATAN: berkas ini ada di {intents}/.")


def test_unanswered_on_an_empty_window(capsys: pytest.CaptureFixture[str], tmp_path: Path, now: datetime) -> None:
    db = tmp_path / "kosong.sqlite3"
    EventStore.open(db, secret=SECRET).close()
    draft = tmp_path / "draf.yml"
    code, out, _ = kawan(capsys, "unanswered", "--days", "1", "--db", str(db), "--export", str(draft))
    today = now.date()
    assert code == 0
    assert out.startswith(f"Tidak ada pertanyaan yang belum terjawab pada {dmy(today)} s.d. {dmy(today)} (UTC).\n")
    assert yaml.safe_load(draft.read_text(encoding="utf-8"))["nlu"] == [{"intent": "perlu_dipilah", "examples": ""}]


def test_backup_copies_the_live_database_privately(capsys: pytest.CaptureFixture[str], seeded: Path,
                                                   tmp_path: Path) -> None:
    import sqlite3
    import stat

    target = tmp_path / "cadangan.sqlite3"
    with EventStore.open(seeded, secret=SECRET):  # the bot holds the database open meanwhile
        code, out, err = kawan(capsys, "backup", str(target))
    assert (code, err) == (0, "") and out.startswith(f"Cadangan tersimpan: {target}")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with sqlite3.connect(seeded) as original, sqlite3.connect(target) as copy:
        query = "SELECT day, kind, user_hash, topic, text FROM events ORDER BY id"
        assert copy.execute(query).fetchall() == original.execute(query).fetchall() != []
    code, _, err = kawan(capsys, "backup", str(target))
    assert code == 1 and "sudah ada" in err
