"""The README documents every setting with its default (the README stays true)."""

from pathlib import Path

from app.settings import Settings

README = Path(__file__).resolve().parents[3] / "README.md"


def test_every_setting_is_in_the_readme() -> None:
    text = README.read_text()
    missing = [name for name in Settings.model_fields if f"`APIS_MATCHER_{name.upper()}`" not in text]
    assert missing == []
