"""spaCy pipelines: a trained pipeline when one is installed, otherwise a blank
pipeline with a rule sentencizer (lemmas and tags come from ``graphmind.extract.morph``,
once per word form). Nothing is ever downloaded."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is imported where a pipeline is made: a process that only writes never pays for it
    from spacy.language import Language

TRAINED = {
    "en": ("en_core_web_lg", "en_core_web_md", "en_core_web_sm"),
    "ru": ("ru_core_news_lg", "ru_core_news_md", "ru_core_news_sm"),
}
BLANK_CODE = {"en": "en", "ru": "ru", "other": "xx"}


def blank_pipeline(lang: str) -> Language:
    import spacy

    nlp = spacy.blank(BLANK_CODE.get(lang, "xx"))
    nlp.add_pipe("sentencizer")
    return nlp


@lru_cache(maxsize=None)
def load_pipeline(lang: str, trained: bool = True) -> Language:
    """The pipeline for ``lang``; ``trained=False`` forces the blank pipeline."""
    import spacy

    if trained:
        for name in TRAINED.get(lang, ()):
            if spacy.util.is_package(name):
                return spacy.load(name, exclude=["ner"])
    return blank_pipeline(lang)
