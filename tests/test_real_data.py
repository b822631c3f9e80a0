"""The real knowledge/ and intents/: clean, complete, and safe to show people in danger."""

from __future__ import annotations

import re
from datetime import date

import pytest

from bot.content.knowledge import MAX_FIRST_SCREEN, REQUIRED_TOPICS
from bot.content.markup import to_plain
from bot.content.validate import validate
from tests.conftest import INTENTS, KNOWLEDGE

# Every phone number the bot may show, each confirmed in shared/facts.md (section in brackets).
CONFIRMED_NUMBERS = {
    "0800-1000",  # KP2MI call centre [2]
    "+62 21 2924 4800",  # KP2MI from abroad [2]
    "0811-8080-141",  # KP2MI WhatsApp [2]
    "08111-129-129",  # SAPA 129 WhatsApp [2]
    "+62 812 9007 0027",  # Kemlu Pelindungan WNI hotline, 2018-2020 [2]
    "+60 10-528 8040",  # KJRI Johor Bahru KSATRIA WhatsApp [5]
    "+60 17-668 8032",  # KBRI Kuala Lumpur hotline, Dec 2024, medium-low [5]
    "019-822 8800",  # KRI Tawau hotline, 2020, medium-low [5]
    "011-1623 0800",  # KRI Tawau hotline, 2020, medium-low [5]
    "1500-630",  # Kemnaker call centre, medium [2]
}
_PHONE = re.compile(r"\+?\d[\d -]{5,}\d")


@pytest.fixture(scope="module")
def bundle():
    found, problems = validate(KNOWLEDGE, INTENTS, date.today())
    assert found is not None, "\n".join(map(str, problems))
    return found


def test_real_data_validates_clean_of_errors() -> None:
    _, problems = validate(KNOWLEDGE, INTENTS, date.today())
    assert [str(p) for p in problems if p.is_error] == []


def test_every_public_topic_exists_with_enough_examples(bundle) -> None:
    counts: dict[str, int] = {}
    for example in bundle.training.examples:
        counts[example.intent] = counts.get(example.intent, 0) + 1
    assert set(REQUIRED_TOPICS) <= set(bundle.knowledge.topics)
    assert {t: counts.get(t, 0) for t in REQUIRED_TOPICS if counts.get(t, 0) < 25} == {}
    assert counts.get("out_of_scope", 0) >= 40


@pytest.mark.parametrize("topic_id", REQUIRED_TOPICS)
def test_answer_is_sourced_and_ends_with_a_next_step(bundle, topic_id: str) -> None:
    topic = bundle.knowledge.topics[topic_id]
    assert any(s.url.startswith(("http://", "https://")) for s in topic.sources)
    assert all(s.url.startswith(("http://", "https://")) for s in topic.sources if s.url)
    assert "Langkah berikutnya" in topic.answer.strip().splitlines()[-1]


@pytest.mark.parametrize("topic_id", REQUIRED_TOPICS)
def test_only_confirmed_phone_numbers_are_shown(bundle, topic_id: str) -> None:
    topic = bundle.knowledge.topics[topic_id]
    numbers = {m.group(0).strip() for m in _PHONE.finditer(f"{topic.answer}\n{topic.details}")}
    numbers = {n for n in numbers if not re.fullmatch(r"\d{4}-\d{4}", n)}  # year ranges like 2018-2020
    assert numbers <= CONFIRMED_NUMBERS


@pytest.mark.parametrize("topic_id", ["darurat", "lapor_tppo"])
def test_police_and_sapa_come_first(bundle, topic_id: str) -> None:
    opening = to_plain(bundle.knowledge.topics[topic_id].answer)[:200]
    assert "110" in opening and "129" in opening and "08111-129-129" in opening


def test_bot_says_it_is_not_a_government_service(bundle, engine) -> None:
    assert "bukan layanan pemerintah" in engine.welcome().text.lower()
    assert "pemerintah" in bundle.knowledge.topics["tentang_bot"].answer.lower()


def test_only_the_emergency_topic_is_flagged(bundle) -> None:
    flagged = [t.id for t in bundle.knowledge.topics.values() if t.emergency]
    assert flagged[0] == "darurat" and all(t.startswith("darurat_") for t in flagged[1:])
    assert all(bundle.knowledge.topics[t].card for t in flagged[1:])


# Every answer, the emergency cards included: the first message a person reads fits one phone screen.
CARDS = ["darurat_luar_negeri", "darurat_indonesia", "darurat_keluarga", "darurat_anak", "darurat_jiwa"]
FIRST_SCREEN_TOPICS = [*REQUIRED_TOPICS, *CARDS]


@pytest.mark.parametrize("topic_id", FIRST_SCREEN_TOPICS)
def test_first_message_fits_one_phone_screen_with_a_next_step(engine, topic_id: str) -> None:
    first = to_plain(engine.answer(topic_id).text)
    assert len(first) <= MAX_FIRST_SCREEN
    assert "Langkah berikutnya:" in first


@pytest.mark.parametrize("topic_id", FIRST_SCREEN_TOPICS)
def test_no_loose_ends_in_answers_or_details(bundle, topic_id: str) -> None:
    topic = bundle.knowledge.topics[topic_id]
    assert "cek lagi" not in f"{topic.answer}\n{topic.details}".lower()


# Copies on unrelated hosts (shared/facts.md §9): the outlet is named, the copy never linked.
COPY_HOSTS = ("investortrust-uat.site", "suicidereferencelibrary.com")


def test_copies_on_unrelated_hosts_are_never_linked(bundle) -> None:
    for topic in bundle.knowledge.topics.values():
        shown = f"{topic.answer}\n{topic.details}"
        assert not any(host in s.url or host in shown for s in topic.sources for host in COPY_HOSTS), topic.id
