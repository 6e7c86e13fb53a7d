"""The gallery (docs/gallery.md): each classic problem's tempting wrong
version fails the way the page says, and its fix is proven over exactly
the number of classes of interleavings the page quotes."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker import check, load_model

MODELS = Path(__file__).resolve().parent.parent / "models"

# model, wrong scenario, its failure kind, fixed scenario, classes DPOR proves it over
GALLERY = [
    ("signaling", "unsignaled", "assertion", "semaphore", 2),
    ("rendezvous", "wait_first", "deadlock", "signal_first", 3),
    ("multiplex", "check_then_enter", "invariant", "semaphore", 90),
    ("turnstile_barrier", "counted_without_mutex", "deadlock", "turnstile", 1092),
    ("exclusive_queue", "plain_queue", "assertion", "exclusive", 6360),
    ("dining_savages", "unguarded_pot", "assertion", "mutex", 816),
    ("cigarette_smokers", "naive", "deadlock", "pushers", 2592),
    ("sleeping_barber", "unguarded_count", "assertion", "mutex", 1098),
    ("search_insert_delete", "deleter_takes_insert_mutex", "assertion", "categorical", 16),
    ("unisex_bathroom", "check_then_enter_race", "assertion", "lightswitch", 112),
]


@pytest.mark.parametrize("model, wrong, kind, fixed, classes", GALLERY, ids=[g[0] for g in GALLERY])
def test_wrong_version_fails_and_fix_is_proven(model, wrong, kind, fixed, classes):
    m = load_model(MODELS / f"{model}.py")
    bad = check(m.scenario(wrong))
    assert bad.verdict == "violation" and bad.failure.kind == kind, bad.failure
    good = check(m.scenario(fixed), strategy="dpor")
    assert (good.verdict, good.complete, good.classes) == ("safe", True, classes)


def test_the_gallery_page_names_every_model_and_count():
    page = " ".join((MODELS.parent / "docs" / "gallery.md").read_text().split())
    for model, wrong, _, fixed, classes in GALLERY:
        assert f"models/{model}.py" in page and f"`{wrong}`" in page and f"`{fixed}`" in page, model
        assert f"{classes:,} class" in page, (model, classes)
