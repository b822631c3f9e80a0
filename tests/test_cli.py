"""The `kawan` command line: exact output and exit codes, as other programs rely on them."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.content.markup import to_plain
from tests.conftest import ROOT

FALLBACK_TEXT = (
    "Maaf, saya belum mengerti pertanyaan itu. 🙏\nCoba tulis dengan kata lain, atau pilih topik di menu.\n\n"
    "Untuk bicara dengan petugas resmi: KP2MI 0800-1000 (gratis dari Indonesia), +62 21 2924 4800 (dari luar negeri), "
    "WhatsApp 0811-8080-141, atau Disnakertrans kabupaten/kota Anda.\nDalam bahaya? Di Malaysia 999 · di Indonesia "
    "Polisi 110, SAPA 129 (WA 08111-129-129) · luar negeri: hotline Kemlu +62 812 9007 0027."
)


def kawan(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.slow
def test_ask_prints_the_answer_as_a_user_reads_it(capsys, engine) -> None:
    code, out, _ = kawan(capsys, "ask", "syarat jadi tki apa saja?")
    topic = engine.kb.topics["syarat_pmi"]
    assert code == 0
    assert out.startswith(to_plain(topic.answer) + "\n\n  1. 📖 Selengkapnya")
    related = [engine.kb.topics[r].title for r in topic.related] + ["📋 Menu"]
    choices = out.rstrip("\n").splitlines()[-len(related) - 1:-1]
    assert choices == [f"  {n}. {t}" for n, t in enumerate(related, 2)]
    assert "kawan ask more:syarat_pmi" in out.splitlines()[-1]


def test_ask_opens_the_details_a_button_would_open(capsys, engine) -> None:
    code, out, _ = kawan(capsys, "ask", "more:syarat_pmi")
    assert code == 0
    assert out.startswith(to_plain(engine.kb.topics["syarat_pmi"].details))
    assert "Sumber (diperiksa " in out


@pytest.mark.slow
def test_ask_json_shape(capsys) -> None:
    code, out, _ = kawan(capsys, "ask", "--json", "syarat jadi tki apa saja?")
    payload = json.loads(out)
    assert code == 0
    assert list(payload) == ["topic", "confidence", "text", "alternatives", "emergency"]
    assert payload["topic"] == "syarat_pmi" and payload["emergency"] is False
    assert 0 < payload["confidence"] <= 1 and isinstance(payload["alternatives"], list)
    assert "*" not in payload["text"]


@pytest.mark.slow
def test_ask_json_fallback_is_exact(capsys) -> None:
    code, out, _ = kawan(capsys, "ask", "--json", "resep rendang padang yang enak")
    payload = json.loads(out)
    assert code == 0
    assert payload["topic"] is None and payload["text"] == FALLBACK_TEXT and payload["emergency"] is False


@pytest.mark.slow
def test_ask_json_stdin_one_line_per_input_line(monkeypatch, capsys) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("syarat jadi tki\n\nresep rendang\ntolong saya disekap\n"))
    code, out, _ = kawan(capsys, "ask", "--json", "-")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [x["topic"] for x in lines] == ["syarat_pmi", None, None, "darurat"]
    assert [x["emergency"] for x in lines] == [False, False, False, True]


def test_validate_clean_data(capsys, engine) -> None:
    code, out, _ = kawan(capsys, "validate")
    assert code == 0
    assert out.splitlines()[-1].startswith(f"Data baik: {len(engine.kb.topics)} topik, ")


def test_validate_broken_data_exit_1_with_every_problem(capsys, data_copy) -> None:
    knowledge, intents = data_copy
    (knowledge / "rusak.yaml").write_text("topics:\n  - id: [\n", encoding="utf-8")
    (intents / "rusak.yml").write_text('version: 3.1\nnlu: []\n', encoding="utf-8")
    code, out, _ = kawan(capsys, "validate", "--knowledge", str(knowledge), "--intents", str(intents))
    assert code == 1
    assert "knowledge/rusak.yaml:" in out and "YAML rusak" in out
    assert "intents/rusak.yml:1: kolom 'version': GALAT: versi format Rasa harus" in out
    assert out.splitlines()[-1] == ("Ditemukan 2 galat dan 0 peringatan. Bot tidak akan memuat data ini sebelum "
                                    "galat diperbaiki.")


def test_ask_refuses_a_broken_kb_with_exit_1(capsys, data_copy) -> None:
    knowledge, intents = data_copy
    (knowledge / "rusak.yaml").write_text("topics:\n  - id: [\n", encoding="utf-8")
    code, out, err = kawan(capsys, "ask", "--knowledge", str(knowledge), "--intents", str(intents), "halo")
    assert code == 1 and out == ""
    assert err.startswith("Data pengetahuan bermasalah (1 galat); bot tidak memuatnya:\n- knowledge/rusak.yaml:")


@pytest.mark.parametrize(("args", "usage"), [
    (["terbang"], "kawan"), (["ask"], "kawan ask"), (["ask", "--tidak-ada", "x"], "kawan ask"),
    (["cek-pt", "  "], "kawan cek-pt"), ([], None)], ids=["unknown-command", "missing-text", "unknown-option",
                                                        "empty-company", "no-command"])
def test_usage_errors_exit_2_in_indonesian(capsys, args: list[str], usage: str | None) -> None:
    with pytest.raises(SystemExit) as exited:
        code = main(args)
        raise SystemExit(code)
    _, err = capsys.readouterr()
    assert exited.value.code == 2
    if usage:
        # The usage shown is the one of the command the mistake was made in.
        assert err.startswith(f"cara pakai: {usage} [-h]")
        assert "Galat penggunaan:" in err and f"Lihat: {usage} --help" in err


def test_empty_offer_on_stdin_is_a_usage_error(capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("  \n"))
    code, out, err = kawan(capsys, "cek-tawaran", "-")
    assert code == 2 and out == ""
    assert "Galat penggunaan: teks tawaran dari stdin kosong" in err


def test_closed_pipe_ends_quietly() -> None:
    # `kawan ask … | head -1`: the reader closes the pipe early; no traceback may reach the terminal.
    reader = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.readline()"], stdin=subprocess.PIPE)
    assert reader.stdin is not None
    script = ("import sys\nimport bot.cli.ask as ask\nfrom bot.cli import main\n"
              "def talk(args, env):\n    for _ in range(100000): print('baris panjang ' * 20)\n"
              "ask.run = talk\nsys.exit(main(['ask', 'x']))")
    writer = subprocess.run([sys.executable, "-c", script],
                            stdout=reader.stdin, stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=60)
    reader.stdin.close()
    reader.wait(timeout=10)
    assert "Traceback" not in writer.stderr and "BrokenPipeError" not in writer.stderr
    assert writer.returncode == 1


@pytest.mark.slow
def test_chat_menu_numbers_work() -> None:
    script = "1\n1\nkeluar\n"
    result = subprocess.run([sys.executable, "-m", "bot", "chat"], input=script, capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    assert result.returncode == 0
    assert "Pilih topik:" in result.stdout  # 1 = first group from the welcome menu
    assert "Siapa boleh kerja ke luar negeri" in result.stdout  # 1 = first topic of that group
    assert result.stdout.rstrip().endswith("Sampai jumpa. Hati-hati dan tetap aman. 🙏")


@pytest.mark.slow
def test_run_without_token_opens_the_terminal_chat() -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(Path.home())}
    result = subprocess.run([sys.executable, "-m", "bot", "run"], input="paspor\n", capture_output=True, text=True,
                            cwd=ROOT, timeout=60, env=env)
    assert result.returncode == 0
    assert result.stdout.startswith("TELEGRAM_BOT_TOKEN belum diisi, jadi bot berjalan di terminal.")
    assert "Paspor dan visa" in result.stdout


@pytest.mark.slow  # trains the model once per fold
def test_eval_reports_per_topic_and_confusions(capsys, tmp_path) -> None:
    heldout = tmp_path / "uji.yml"
    heldout.write_text('questions:\n  - text: "syarat jadi tki apa saja"\n    topic: syarat_pmi\n'
                       '  - text: "resep rendang"\n    topic: null\n', encoding="utf-8")
    code, out, _ = kawan(capsys, "eval", "--folds", "3", "--heldout", str(heldout), "--top", "3")
    assert code == 0
    sections = out.split("\n\n")
    assert sections[0].startswith("== Validasi silang 3 lipatan atas intents/ (")
    assert "Ketepatan topik (dalam cakupan): " in sections[0] and "syarat_pmi" in sections[0]
    assert sections[0].count("\n  ") <= 3  # --top limits the confused pairs listed
    assert sections[1].startswith("== Set uji terpisah uji.yml (2 pertanyaan)")
    assert "Ketepatan topik (dalam cakupan): 1.000" in sections[1]
    assert "Penolakan di luar cakupan:      1.000" in sections[1]


def test_chat_offers_selengkapnya_as_a_numbered_choice(engine) -> None:
    from bot.cli.chat import converse

    inputs = iter(["topic:biaya_penempatan", "1"])
    shown: list[str] = []

    def read(_prompt: str) -> str:
        try:
            return next(inputs)
        except StopIteration:
            raise EOFError from None

    converse(engine, read, shown.append)
    answer, details = shown[2], shown[3]
    assert "  1. 📖 Selengkapnya & sumber" in answer
    assert to_plain(engine.kb.topics["biaya_penempatan"].details) in details and "Sumber (diperiksa " in details
