"""Fast start (issue 11, point 9): the graph stack (networkx, graphviz) and
the presentation layer load only when they are used.  Time is measured by
benchmarks/startup.py, never here; these tests pin which modules load."""

import subprocess
import sys

HEAVY = ("networkx", "graphviz", "rich", "checker.present")


def loaded_after(code: str) -> list[str]:
    probe = code + f"\nimport sys\nprint(sorted(m for m in sys.modules if m.startswith({HEAVY!r})))\n"
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return eval(proc.stdout.strip().splitlines()[-1])


def cli_run(*argv: str) -> str:
    return (
        "import runpy, sys\n"
        f"sys.argv = ['checker', *{list(argv)!r}]\n"
        "try:\n    runpy.run_module('checker', run_name='__main__')\nexcept SystemExit:\n    pass\n"
    )


def test_importing_the_model_language_does_not_load_the_present_layer():
    assert loaded_after("import checker.program") == []
    assert loaded_after("import checker") == []


def test_help_and_a_run_that_draws_nothing_do_not_load_the_graph_stack():
    for argv in (["--help"], ["models/counter.py", "--graph", "none", "--no-memory"]):
        loaded = loaded_after(cli_run(*argv))
        assert not [m for m in loaded if m.startswith(("networkx", "graphviz", "rich", "checker.present.graphs"))]
        assert "checker.present.cli" in loaded  # the probe did run the CLI


def test_the_lazy_api_still_works():
    loaded = loaded_after(
        "from checker import assert_fails, load_model\n"
        "r = assert_fails(load_model('models/counter.py').scenario('unlocked'), 'assertion')\n"
        "g = r.counterexample.to_networkx()\n"
        "assert g.number_of_nodes() > 0\n"
    )
    assert "networkx" in loaded and "checker.present.assertions" in loaded
