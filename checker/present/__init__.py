"""The present layer: text report, CLI (and, later, graphs, JSON, pytest plugin)."""
