"""`kawan chat` as a person uses it: menu numbers, slash commands, pasted adverts and emergency screens."""

from __future__ import annotations

import pytest

from bot.cli.chat import HELP, PRIVACY, ChatSession
from bot.cli.common import render_plain
from bot.content.knowledge import EMERGENCY_TOPIC
from bot.content.markup import to_plain
from bot.core.check_replies import PROMPT, checker_for, is_check_request
from bot.core.conversation import Engine
from bot.core.texts import CHECK_BUTTON, EMERGENCY_ALSO, UNKNOWN_TOPIC

ADVERT = ("Dibutuhkan segera pekerja kebun sawit Malaysia, gaji RM 1.700, berangkat lewat Nunukan, tidak perlu "
          "paspor, biaya potong gaji. Hubungi WA agen sekarang juga.")
DANGER = "saya disekap agen, paspor ditahan, gaji tidak dibayar"


def menu_number(session: ChatSession, label: str) -> str:
    buttons = [b.label for row in session.reply.buttons for b in row]
    return str(buttons.index(label) + 1)


def test_menu_check_button_asks_for_the_offer_then_checks_it(engine: Engine) -> None:
    session = ChatSession(engine)
    prompt = session.turn(menu_number(session, CHECK_BUTTON))
    assert UNKNOWN_TOPIC not in prompt
    assert prompt == to_plain(PROMPT)
    shown = session.turn("PT Sumber Rejeki Abadi")
    # The same core check `kawan cek-tawaran` runs, without the image button a terminal cannot show.
    expected = checker_for(engine.bundle).offer_reply("PT Sumber Rejeki Abadi")
    assert shown.startswith(to_plain(expected.text))
    assert "gambar" not in shown
    assert session.turn("syarat jadi pmi apa saja") != shown  # the next text is an ordinary question again


@pytest.mark.parametrize(("text", "kind"), [(ADVERT, "offer"), ("cek PT Sumber Rejeki Abadi", "company")],
                         ids=["pasted-advert", "cek-pt"])
def test_pasted_advert_or_company_question_goes_to_the_check(engine: Engine, text: str, kind: str) -> None:
    assert is_check_request(text)
    checker = checker_for(engine.bundle)
    expected = checker.offer_reply(text) if kind == "offer" else checker.company_reply(text)
    assert to_plain(expected.text) in ChatSession(engine).turn(text)


def test_check_answers_are_numbered_choices(engine: Engine) -> None:
    session = ChatSession(engine)
    first = session.turn(ADVERT)
    assert "Satu pertanyaan lagi (1/" in first
    second = session.turn(menu_number(session, "Ya"))
    assert "Satu pertanyaan lagi (2/" in second


def test_check_of_a_danger_message_shows_the_emergency_contacts_first(engine: Engine) -> None:
    shown = ChatSession(engine).turn(f"/cek {DANGER}")
    emergency = engine.respond(DANGER)
    assert emergency.emergency
    assert shown.index(to_plain(emergency.text).splitlines()[0]) < shown.index("Pemeriksaan otomatis")


@pytest.mark.parametrize(("command", "expected"), [
    ("/menu", lambda e: render_plain(e.menu())),
    ("/darurat", lambda e: render_plain(e.answer(EMERGENCY_TOPIC))),
    ("/kontak", lambda e: render_plain(e.group("kontak"))),
    ("/cek", lambda e: to_plain(PROMPT)),
    ("/privasi", lambda e: to_plain(PRIVACY)),
    ("/bantuan", lambda e: to_plain(HELP)),
], ids=["menu", "darurat", "kontak", "cek", "privasi", "bantuan"])
def test_slash_commands_work_like_in_telegram(engine: Engine, command: str, expected) -> None:
    assert ChatSession(engine).turn(command).startswith(expected(engine))


def test_unknown_command_is_not_read_as_a_question(engine: Engine) -> None:
    shown = ChatSession(engine).turn("/terbang")
    assert shown.startswith("Perintah /terbang tidak dikenal.")


def test_number_outside_the_list_names_the_range(engine: Engine) -> None:
    session = ChatSession(engine)
    count = sum(len(row) for row in session.reply.buttons)
    shown = session.turn(str(count + 3))
    assert f"pilih nomor 1–{count}" in shown and "belum mengerti" not in shown
    first = session.reply.buttons[0][0].action  # the screen with its numbers is still there
    assert session.turn("1") == render_plain(engine.handle(first))


def test_emergency_places_come_before_the_related_topics_heading(engine: Engine) -> None:
    reply = engine.respond(DANGER)
    assert reply.alternatives and reply.text.endswith(EMERGENCY_ALSO)  # the case this layout is for
    lines = render_plain(reply).splitlines()
    places = [i for i, line in enumerate(lines) if "Saya di " in line or "Saya keluarganya" in line]
    heading = lines.index(EMERGENCY_ALSO)
    assert places and max(places) < heading
    first_topic = engine.kb.topics[reply.alternatives[0]].title
    assert lines[heading + 1].endswith(f". {first_topic}")
