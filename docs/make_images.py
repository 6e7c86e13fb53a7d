"""Regenerate every picture the docs show, from the shipped models.

    CHECKER_DOT=graphviz-pure python docs/make_images.py [OUT_DIR]

OUT_DIR defaults to docs/img.  With the pure-Python renderer the output is
the same byte for byte on every machine; tests/test_docs_images.py runs
this script into a temporary folder and compares, so a picture in the docs
never goes stale.  ``IMAGES`` is the list: add a line when a page shows a
new picture.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker import check, load_model  # noqa: E402
from checker.present.graphs import save_trace_graph, state_space_graph  # noqa: E402
from checker.present.graphs.save import scenario_title  # noqa: E402

# (file name, kind, model, scenario, params, timing): "trace" draws the
# counterexample, "states" every state (with the counterexample's path, if any)
IMAGES = [
    ("counter-lost-update.svg", "trace", "counter.py", "unlocked", {"times": 1}, "ideal"),
    ("counter-unlocked-states.svg", "states", "counter.py", "unlocked", {"times": 1}, "ideal"),
    ("counter-locked-states.svg", "states", "counter.py", "locked", {"times": 1}, "ideal"),
    ("tutorial/wait-times-out-states.svg", "states", "event_timeout.py", "wait_times_out", {}, "ideal"),
    ("tutorial/wait-times-out-any-delay.svg", "trace", "event_timeout.py", "wait_times_out", {}, "any-delay"),
    ("tutorial/clear-then-wait-any-delay.svg", "trace", "event_timeout.py", "clear_then_wait", {}, "any-delay"),
    ("tutorial/counter-unlocked-times-2.svg", "trace", "counter.py", "unlocked", {"times": 2}, "ideal"),
    ("gallery/signaling.svg", "trace", "signaling.py", "unsignaled", {}, "ideal"),
    ("gallery/rendezvous.svg", "trace", "rendezvous.py", "wait_first", {}, "ideal"),
    ("gallery/multiplex.svg", "trace", "multiplex.py", "check_then_enter", {}, "ideal"),
    ("gallery/turnstile-barrier.svg", "trace", "turnstile_barrier.py", "counted_without_mutex", {}, "ideal"),
    ("gallery/exclusive-queue.svg", "trace", "exclusive_queue.py", "plain_queue", {}, "ideal"),
    ("gallery/dining-savages.svg", "trace", "dining_savages.py", "unguarded_pot", {}, "ideal"),
    ("gallery/cigarette-smokers.svg", "trace", "cigarette_smokers.py", "naive", {}, "ideal"),
    ("gallery/sleeping-barber.svg", "trace", "sleeping_barber.py", "unguarded_count", {}, "ideal"),
    ("gallery/search-insert-delete.svg", "trace", "search_insert_delete.py", "deleter_takes_insert_mutex", {},
     "ideal"),
    ("gallery/unisex-bathroom.svg", "trace", "unisex_bathroom.py", "check_then_enter_race", {}, "ideal"),
]


def make(out: Path) -> list[Path]:
    """Write every picture of ``IMAGES`` under ``out``; returns the paths."""
    out = out.resolve()
    os.chdir(ROOT)  # model paths in tooltips read models/x.py on every machine
    written = []
    for name, kind, model, scenario, params, timing in IMAGES:
        path = Path("models") / model
        sc = load_model(path).scenario(scenario)
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        result = check(sc, params=params, timing=timing)
        title = scenario_title(result, path)
        if kind == "trace":
            if result.counterexample is None:
                raise SystemExit(f"{model}::{scenario} ({timing}) has no counterexample to draw")
            done = save_trace_graph(result.counterexample.trace, target, title=title, failure=result.failure)
        else:
            schedule = result.counterexample.schedule if result.counterexample is not None else None
            done = state_space_graph(sc, params, timing=timing, schedule=schedule).save(
                target, title=f"{title}, every state")
        if not isinstance(done, Path):
            raise SystemExit(f"could not draw {target}: {done}")
        written.append(done)
    return written


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "img"
    for p in make(folder):
        print(p)
