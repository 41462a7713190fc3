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


SIZE = "'max_document_size' must be a size from 1 byte to 1G (1,073,741,824 bytes), such as 67108864 or 64M"
TIMEOUT = "'query_timeout' must be a number of seconds from 0 to 86,400 (0: no limit)"


@pytest.mark.parametrize("key,value,message", [
    ("max_document_size", "100G", f"{SIZE}, not '100G'"),
    ("max_document_size", "1025M", f"{SIZE}, not '1025M'"),
    ("max_document_size", "0", f"{SIZE}, not '0'"),
    ("max_document_size", "-1", f"{SIZE}, not '-1'"),
    ("max_document_size", "1e9", f"{SIZE}, not '1e9'"),
    ("max_document_size", "9" * 5000, f"{SIZE}, not '{'9' * 37}...'"),
    ("query_timeout", "-1", f"{TIMEOUT}, not '-1'"),
    ("query_timeout", "86401", f"{TIMEOUT}, not '86401'"),
    ("query_timeout", "inf", f"{TIMEOUT}, not 'inf'"),
    ("query_timeout", "nan", f"{TIMEOUT}, not 'nan'"),
    ("query_timeout", "soon", f"{TIMEOUT}, not 'soon'"),
])
def test_limits_from_the_environment_are_range_checked(tmp_path, key, value, message):
    env = f"LITHKG_{key.upper()}"
    with pytest.raises(UsageError) as exc:
        load_settings(cwd=tmp_path, environ={env: value})
    assert exc.value.message == f"{env}: {message}"
    assert exc.value.exit_code == 2


@pytest.mark.parametrize("toml,message", [
    ("max_document_size = -1", f"{SIZE}, not '-1'"),
    ("max_document_size = 107374182400", f"{SIZE}, not '107374182400'"),
    ('max_document_size = "100G"', f"{SIZE}, not '100G'"),
    ("max_document_size = true", f"{SIZE}, not 'True'"),
    ("max_document_size = 1.5", f"{SIZE}, not '1.5'"),
    ("query_timeout = 1e300", f"{TIMEOUT}, not '1e+300'"),
    ("query_timeout = -0.5", f"{TIMEOUT}, not '-0.5'"),
    ("query_timeout = nan", f"{TIMEOUT}, not 'nan'"),
    ('query_timeout = [1]', f"{TIMEOUT}, not 'list'"),
])
def test_limits_from_pyproject_are_range_checked(tmp_path, toml, message):
    (tmp_path / "pyproject.toml").write_text(f"[tool.lithkg]\n{toml}\n")
    with pytest.raises(UsageError) as exc:
        load_settings(cwd=tmp_path, environ={})
    assert exc.value.message == f"{tmp_path / 'pyproject.toml'} [tool.lithkg]: {message}"


@pytest.mark.parametrize("key,value,expected", [
    ("max_document_size", "1", 1), ("max_document_size", "64M", 64 * 1024 ** 2), ("max_document_size", "1G", 1024 ** 3),
    ("max_document_size", "512KiB", 512 * 1024), ("query_timeout", "0", 0.0), ("query_timeout", "2.5", 2.5),
    ("query_timeout", "86400", 86400.0),
])
def test_limits_within_their_range(tmp_path, key, value, expected):
    assert getattr(load_settings(cwd=tmp_path, environ={f"LITHKG_{key.upper()}": value}), key) == expected


def test_ontology_files_from_pyproject_env_and_flag(tmp_path):
    import os
    (tmp_path / "pyproject.toml").write_text('[tool.lithkg]\nontology = ["kg/mine.ttl", "/abs/theirs.ttl"]\n')
    sub = tmp_path / "a"
    sub.mkdir()
    assert load_settings(cwd=sub, environ={}).ontology == (tmp_path / "kg" / "mine.ttl", Path("/abs/theirs.ttl"))
    env = {"LITHKG_ONTOLOGY": os.pathsep.join(["one.ttl", "two.ttl"])}
    assert load_settings(cwd=sub, environ=env).ontology == (Path("one.ttl"), Path("two.ttl"))
    assert load_settings(cwd=sub, environ=env, ontology=(Path("flag.ttl"),)).ontology == (Path("flag.ttl"),)
    assert load_settings(cwd=tmp_path / "a", environ={"LITHKG_ONTOLOGY": ""}).ontology[0] == tmp_path / "kg/mine.ttl"
    assert load_settings(cwd=Path("/"), environ={}).ontology == ()


def test_ontology_setting_must_be_paths(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.lithkg]\nontology = [1, 2]\n')
    with pytest.raises(UsageError) as exc:
        load_settings(cwd=tmp_path, environ={})
    assert exc.value.message == f"{tmp_path / 'pyproject.toml'} [tool.lithkg]: 'ontology' must be a list of Turtle " \
                                "file paths"


def test_ontology_flag_on_the_command_line(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from lithkg.cli import main
    (tmp_path / "pyproject.toml").write_text('[tool.lithkg]\nontology = ["from-pyproject.ttl"]\n')
    (tmp_path / "d.md").write_text("# A note\n\nLithuania ranked 6th.\n")
    monkeypatch.chdir(tmp_path)
    store = str(tmp_path / "store")
    result = CliRunner().invoke(main, ["--store", store, "ingest", "d.md"])
    assert result.exit_code == 2 and result.stderr == (f"lithkg: error: {tmp_path / 'from-pyproject.ttl'}: no such "
                                                       "ontology file (check the ontology setting, LITHKG_ONTOLOGY or "
                                                       "--ontology)\n")
    monkeypatch.setenv("LITHKG_ONTOLOGY", "from-env.ttl")
    result = CliRunner().invoke(main, ["--store", store, "ingest", "d.md"])
    assert result.exit_code == 2 and result.stderr.startswith("lithkg: error: from-env.ttl: no such ontology file")
    result = CliRunner().invoke(main, ["--store", store, "--ontology", "from-flag.ttl", "ingest", "d.md"])
    assert result.exit_code == 2 and result.stderr.startswith("lithkg: error: from-flag.ttl: no such ontology file")
