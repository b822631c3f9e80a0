"""knowledge/README.md, the admins' guide: names every admin command and setting, and its YAML examples parse."""

from __future__ import annotations

import re

import pytest
import yaml

from tests.conftest import KNOWLEDGE

GUIDE = (KNOWLEDGE / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [
    "kawan validate", "kawan ask", "kawan stats", "kawan unanswered", "--export", "kawan qr", "kawan poster",
    "/statistik", "/reload", "/bagikan", "KAWAN_STALE_DAYS", "KAWAN_RETENTION_DAYS", "KAWAN_DB", "KAWAN_BOT_USERNAME",
    "checked", "*Langkah berikutnya:*", "[situs resmi KP2MI](https://kp2mi.go.id)", "perlu_dipilah",
])
def test_guide_mentions(name: str) -> None:
    assert name in GUIDE


def test_guide_yaml_examples_parse() -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", GUIDE, flags=re.S)
    assert len(blocks) >= 4
    for block in blocks:
        parsed = yaml.safe_load(block)
        assert isinstance(parsed, list) and parsed, block
        for entry in parsed:
            assert set(entry) & {"id", "intent"}, block
