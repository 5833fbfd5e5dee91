"""In a notebook run by a kernel: the stored outputs of both widgets are the same in every run
(what nbval compares), and ``nbconvert --to html`` shows the playable HTML player."""
import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
nbconvert = pytest.importorskip("nbconvert")

CELLS = [
    "import autograd_lab as torch\n"
    "x = torch.tensor([2.], requires_grad=True)\n"
    "w = torch.tensor([1.], requires_grad=True)\n"
    "a = torch.add(x, w)\n"
    "y = torch.mul(a, torch.add(w, 1))\n"
    "torch.animate_backward(y)",
    "b = torch.tensor(1.0, requires_grad=True)\n"
    "u = torch.tensor(2.0, requires_grad=True) * torch.tensor(3.0)\n"
    "r = torch.relu(u + b)\n"
    "steps = torch.step_through(r)\n"
    "steps.next()\n"
    "steps",
]


def run(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in CELLS]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    # as notebooks/build_chapters.py runs the chapters: no widget state stored, so that
    # nbconvert shows each output's HTML fallback
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                     store_widget_state=False,
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    return nb


def test_outputs_are_the_same_in_every_run_and_nbconvert_shows_the_player(tmp_path):
    first, second = run(tmp_path), run(tmp_path)
    for one, two in zip(first.cells, second.cells):
        (out_one,), (out_two,) = one.outputs, two.outputs
        assert out_one.output_type == "execute_result"
        assert out_one.data["text/html"] == out_two.data["text/html"]
        assert out_one.data["text/plain"] == out_two.data["text/plain"]
        assert "application/vnd.jupyter.widget-view+json" in out_one.data
        assert 'class="agm-player"' in out_one.data["text/html"]
    assert first.cells[1].outputs[0].data["text/plain"] == \
        "<StepThrough of r: 1 of 5 nodes called>"
    page, _ = nbconvert.HTMLExporter().from_notebook_node(first)
    assert page.count('class="agm-player"') == 2
    assert "application/vnd.jupyter.widget-view+json" not in page
    assert "unpkg.com" not in page     # no widget state: no widget manager from a CDN
