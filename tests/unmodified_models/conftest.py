"""The files here are unmodified-code model files (tests/test_unmodified_models.py
checks each against the step program of the same name in models/): the
pytest plugin must not collect them as model files of their own."""

collect_ignore_glob = ["*.py"]
