from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
SAMPLES = ROOT / "samples"


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside the project")
    return CORPUS


@pytest.fixture(autouse=True, scope="session")
def _spiff_patched() -> None:
    # Tests that drive SpiffWorkflow objects without App, Engine or the loader still see the
    # library as seamline runs it.
    from seamline.spiff import install

    install()
