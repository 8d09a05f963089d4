"""A running server follows rebuilds: it serves the new build after ``kg build``, and a failed build changes
nothing it serves."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from backends import serving
from conftest import SEED, build_into
from kg.build.pipeline import run_build
from kg.read.reader import ReadError
from kg.store.local import open_publication
from kg.web import create_app


def test_server_serves_each_new_build_and_keeps_serving_after_a_failed_one(tmp_path: Path) -> None:
    settings, first = build_into(tmp_path)
    with serving(create_app(settings, open_publication(settings.data_dir))) as url:
        assert httpx.get(url + "/health").json()["build"] == first.root.name
        builds = [run_build(settings).root.name for _ in range(3)]
        health = httpx.get(url + "/health").json()
        assert health["build"] == builds[-1]
        assert health["triples"] == len(open_publication(settings.data_dir).store)
        assert httpx.get(url + "/dumps/kg.trig").status_code == 200
        assert httpx.get(url + f"/bronnen/{SEED}.txt").status_code == 200
        assert sorted(p.name for p in (settings.data_dir / "builds").iterdir()) == builds

        source = settings.seeds_dir / f"{SEED}.txt"
        source.write_text(source.read_text(encoding="utf-8").replace("Product 2.4. Breedband\n",
                                                                    "Product 2.4. Breedband\n\nLosse regel\n"))
        with pytest.raises(ReadError, match="unexpected text"):
            run_build(settings)
        assert httpx.get(url + "/health").json()["build"] == builds[-1]
