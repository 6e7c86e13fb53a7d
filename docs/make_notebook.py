"""Build docs/notebook.ipynb and store its outputs (run from the repository
root: ``CHECKER_DOT=graphviz-pure python docs/make_notebook.py``).

tests/test_notebook.py runs the notebook again and checks that the stored
outputs are what a fresh run shows; rerun this script when they drift.
"""
import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

md, code = new_markdown_cell, new_code_cell
cells = [
    md("# Checking a model in Jupyter\n\n"
       "`checker` runs every interleaving of a small concurrent scenario and tells you whether a property holds "
       "in all of them, or shows the interleaving that breaks it. In a notebook, a checked `Result` displays "
       "itself: the verdict, the counts and, for a violation, the counterexample drawn as a graph.\n\n"
       "This notebook checks `models/counter.py`, the tutorial's counter (`docs/tutorial.md`): two threads "
       "each add to a shared counter, without a lock (`unlocked`) and with one (`locked`)."),
    code("import os\n"
         "from pathlib import Path\n\n"
         "if not Path(\"models/counter.py\").exists():  # opened from docs/: work from the repository root\n"
         "    os.chdir(\"..\")\n\n"
         "from checker import check, load_model\n\n"
         "model = load_model(\"models/counter.py\")\n"
         "[scenario.name for scenario in model.scenarios]"),
    md("## Without a lock: the lost update\n\n"
       "`check` explores the interleavings of `unlocked` (here with each thread adding once) and stops at the "
       "first violation. Displaying the result shows the verdict and the counterexample's trace graph: one "
       "column per thread, time flowing down; both threads read 0 (orange), and the second write overwrites "
       "the first (red arrows). `docs/graphs.md` explains how to read it."),
    code("unlocked = check(model.scenario(\"unlocked\"), params={\"times\": 1})\n"
         "unlocked"),
    md("The result is plain data: the verdict, the failure, and a schedule that replays the counterexample "
       "(also from the command line, with the command shown above)."),
    code("print(unlocked.verdict)\n"
         "print(unlocked.failure.message)\n"
         "print(unlocked.counterexample.code)\n"
         "print(unlocked.executions, \"executions\")"),
    md("The graph alone is a `graphviz.Digraph` (`to_graphviz`), which Jupyter shows as an SVG image; "
       "`to_networkx()` gives the same graph as data."),
    code("unlocked.counterexample.to_graphviz(title=\"counter.py: unlocked(times=1)\")"),
    md("## With a lock: proven safe\n\n"
       "The same check on `locked` explores every class of interleavings and finds no violation: the lock "
       "keeps each thread's read and write together."),
    code("locked = check(model.scenario(\"locked\"), params={\"times\": 1})\n"
         "locked"),
    md("## Every outcome\n\n"
       "With `all_outcomes=True` the search goes on after a violation and counts every distinct final state, "
       "with a witness schedule for each."),
    code("everything = check(model.scenario(\"unlocked\"), params={\"times\": 2}, all_outcomes=True)\n"
         "for stat in sorted(everything.outcomes, key=lambda s: s.outcome.describe_state()):\n"
         "    print(f\"{stat.count:>3} executions end with {stat.outcome.describe_state()}\")"),
    md("From the command line, `python -m checker models/counter.py --html report.html` writes the same "
       "results for a whole run as one self-contained HTML page, with a step-through view of each "
       "counterexample (README, *Command line*)."),
]
nb = new_notebook(cells=cells, metadata={
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
})
NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": "docs"}}).execute()
for cell in nb.cells:
    cell.metadata.pop("execution", None)
    if cell.cell_type == "code":
        for out in cell.outputs:
            out.get("metadata", {}).pop("execution", None)
nbformat.write(nb, "docs/notebook.ipynb")
