from __future__ import annotations

from pathlib import Path

import pytest

from graphmind.extract.rules import RuleExtractor

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def extractor() -> RuleExtractor:
    return RuleExtractor(lang="auto", trained=False)


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
