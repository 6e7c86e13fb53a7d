"""Long counterexamples are shown condensed (present.condense): the steps
around thread switches, the start and the end, the rest summarised."""

from pathlib import Path

from checker import check
from checker.present.condense import LIMIT, ElidedSteps, condensed
from checker.present.graphs import trace_graph
from checker.present.graphs.render import trace_digraph
from checker.present.report import trace_table
from checker.program.model_file import load_model

COUNTER = load_model(Path(__file__).parent.parent / "models" / "counter.py")


def long_counterexample():
    r = check(COUNTER.scenario("unlocked"), params={"times": 1000}, memory=False)
    assert r.verdict == "violation"
    return r.counterexample


def test_short_traces_are_shown_whole():
    r = check(COUNTER.scenario("unlocked"), memory=False)
    assert condensed(r.counterexample.trace) is r.counterexample.trace


def test_a_long_trace_keeps_the_switches_and_summarises_the_rest():
    cex = long_counterexample()
    full = cex.trace.events
    assert len(full) == 2005
    shown = condensed(cex.trace).events
    gaps = [ev for ev in shown if isinstance(ev, ElidedSteps)]
    assert len(shown) <= LIMIT and len(gaps) == 2
    # every step is shown or summarised exactly once, in order
    covered = []
    for ev in shown:
        covered += list(range(ev.index, ev.last + 1)) if isinstance(ev, ElidedSteps) else [ev.index]
    assert covered == list(range(len(full)))
    assert all(gap.threads == (gap.thread_name,) for gap in gaps)
    assert [gap.operation for gap in gaps] == ["... 989 steps of t, line 19 ...", "... 981 steps of s, line 19 ..."]
    # a summary's footprint is the last access of each kind to each location in the run
    assert [a.describe() for a in gaps[0].accesses] == ["write counter.value = 995", "read counter.value = 995"]
    # every step at a thread switch is shown as it is
    kept = {ev.index for ev in shown if not isinstance(ev, ElidedSteps)}
    switches = [i for i in range(1, len(full)) if full[i].thread != full[i - 1].thread]
    assert all(i in kept and i - 1 in kept for i in switches)


def test_the_lost_update_is_still_drawn_and_tabled():
    cex = long_counterexample()
    g = trace_graph(condensed(cex.trace), cex.failure)
    assert g.graph["lost_updates"] == 1
    assert len(trace_table(cex.trace).splitlines()) < 120
    source = trace_digraph(cex.trace, failure=cex.failure).source
    assert "steps 9-997" in source and "989 steps of t" in source
