"""The pictures in docs/img are what docs/make_images.py draws from the
shipped models today (byte for byte with the pure-Python renderer), so no
page shows a stale graph."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_docs_picture_is_regenerated_identically(tmp_path):
    env = {**os.environ, "CHECKER_DOT": "graphviz-pure"}
    out = subprocess.run([sys.executable, str(ROOT / "docs" / "make_images.py"), str(tmp_path / "img")],
                         capture_output=True, text=True, timeout=600, env=env)
    assert out.returncode == 0, out.stderr
    made = sorted(p.relative_to(tmp_path / "img") for p in (tmp_path / "img").rglob("*.svg"))
    assert len(made) == 17
    stale = [str(p) for p in made if (ROOT / "docs" / "img" / p).read_bytes() != (tmp_path / "img" / p).read_bytes()]
    assert not stale, f"docs/img is stale; run CHECKER_DOT=graphviz-pure python docs/make_images.py: {stale}"


def test_every_picture_the_docs_link_exists():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    missing = []
    for page in pages:
        text = page.read_text()
        for part in text.split("](")[1:]:
            link = part.split(")", 1)[0]
            if link.endswith((".svg", ".png")) and not link.startswith("http"):
                if not (page.parent / link).exists():
                    missing.append(f"{page.name}: {link}")
    assert not missing, missing
