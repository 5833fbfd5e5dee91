"""The pictures in assets/graphs are what assets/make_graph_pictures.py draws today."""
import importlib.util
from pathlib import Path

try:
    from .test_viz_support import needs_wasm
except ImportError:
    from test_viz_support import needs_wasm

ROOT = Path(__file__).resolve().parents[1]


def load_script():
    spec = importlib.util.spec_from_file_location(
        "make_graph_pictures", ROOT / "assets" / "make_graph_pictures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_pictures_are_up_to_date_and_complete():
    needs_wasm()
    script = load_script()
    names = {make.__name__ for make in script.PICTURES}
    assert {p.stem for p in (ROOT / "assets" / "graphs").glob("*.svg")} == names
    for make in script.PICTURES:
        path = ROOT / "assets" / "graphs" / f"{make.__name__}.svg"
        assert path.read_text(encoding="utf-8") == make().svg(), (
            f"{path.name} differs from a fresh drawing: run "
            ".venv/bin/python assets/make_graph_pictures.py and look at the change")
