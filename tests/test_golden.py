"""The mini fixture site builds to exactly the committed golden output (python tests/golden.py)."""

from golden import GOLDEN, build_mini


def test_mini_site_matches_golden_output(tmp_path):
    built = build_mini(tmp_path / "output")
    expected = {path.relative_to(GOLDEN).as_posix(): path.read_bytes()
                for path in sorted(GOLDEN.rglob("*")) if path.is_file()}
    assert sorted(built) == sorted(expected), "pages added or removed: run python tests/golden.py and review"
    for rel, content in expected.items():
        assert built[rel].decode("utf-8") == content.decode("utf-8"), rel
