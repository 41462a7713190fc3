from pathlib import Path

import pytest

from lithkg.config import Settings, load_settings
from lithkg.errors import UsageError


def test_defaults(tmp_path):
    s = load_settings(cwd=tmp_path, environ={})
    assert s == Settings()
    assert s.store == Path(".lithkg/store")


def test_precedence_pyproject_then_env_then_flags(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.lithkg]\nstore = "from-pyproject"\nextractors = ["curated"]\n')
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    assert load_settings(cwd=sub, environ={}).store == tmp_path / "from-pyproject"
    assert load_settings(cwd=sub, environ={"LITHKG_STORE": "/env/store"}).store == Path("/env/store")
    assert load_settings(cwd=sub, environ={"LITHKG_STORE": "/env/store"}, store="flag").store == Path("flag")


def test_extractors_from_env_are_a_list(tmp_path):
    assert load_settings(cwd=tmp_path, environ={"LITHKG_EXTRACTORS": "curated, other"}).extractors == \
        ("curated", "other")


def test_unknown_setting_is_a_usage_error(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.lithkg]\nstroe = "x"\n')
    with pytest.raises(UsageError, match="unknown setting 'stroe'"):
        load_settings(cwd=tmp_path, environ={})


def test_broken_pyproject_names_the_file(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.lithkg\n')
    with pytest.raises(UsageError) as exc:
        load_settings(cwd=tmp_path, environ={})
    assert str(tmp_path / "pyproject.toml") in str(exc.value)


def test_base_from_pyproject_env_and_flag(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.lithkg]\nbase = "https://kg.example.org/id/"\n')
    assert load_settings(cwd=tmp_path, environ={}).base == "https://kg.example.org/id/"
    assert load_settings(cwd=tmp_path, environ={"LITHKG_BASE": "http://localhost:8000/id/"}).base == \
        "http://localhost:8000/id/"
    assert load_settings(cwd=tmp_path, environ={}, base="https://flag.example/").base == "https://flag.example/"
    with pytest.raises(UsageError) as exc:
        load_settings(cwd=tmp_path, environ={"LITHKG_BASE": "not an iri"})
    assert exc.value.message == "LITHKG_BASE: 'not an iri' is not a usable base for IRIs"
