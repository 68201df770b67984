"""The golden-file fixture: a mismatch fails with a unified diff; UPDATE_GOLDEN=1 rewrites."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Golden


def test_a_mismatch_fails_with_a_diff(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("one\ntwo\n")
    golden = Golden()
    golden.update = False
    golden.text(tmp_path / "a.txt", "one\ntwo\n")
    with pytest.raises(pytest.fail.Exception, match=r"(?s)UPDATE_GOLDEN=1.*-two\n\+three"):
        golden.text(tmp_path / "a.txt", "one\nthree\n")


def test_update_rewrites_files_and_drops_stale_ones(tmp_path: Path) -> None:
    folder = tmp_path / "tree"
    (folder / "old").mkdir(parents=True)
    (folder / "old" / "gone.pyi").write_text("x\n")
    golden = Golden()
    golden.update = True
    golden.tree(folder, {"pkg/__init__.pyi": "y\n"})
    assert (folder / "pkg" / "__init__.pyi").read_text() == "y\n"
    assert not (folder / "old" / "gone.pyi").exists()
    golden.update = False
    golden.tree(folder, {"pkg/__init__.pyi": "y\n"})
    with pytest.raises(AssertionError, match="no longer writes"):
        golden.tree(folder, {})
