import pytest

from lithkg import errors


def test_every_branch_has_its_own_exit_code():
    codes = {cls.exit_code for cls in (errors.LithkgError, errors.UsageError, errors.CheckFailed,
                                        errors.InputError, errors.QueryError, errors.StoreError,
                                        errors.EndpointError)}
    assert codes == {1, 2, 3, 4, 5, 6, 7}


@pytest.mark.parametrize("cls,parent", [(errors.DocumentError, errors.InputError),
                                        (errors.ClaimsFileError, errors.InputError),
                                        (errors.UnknownTermError, errors.InputError),
                                        (errors.StoreLockedError, errors.StoreError)])
def test_leaves_inherit_their_branch_code(cls, parent):
    assert issubclass(cls, parent) and cls.exit_code == parent.exit_code


def test_message_names_file_line_column_and_hint_on_one_line():
    e = errors.QueryError("bad\nthing", path="q.rq", line=3, column=7, hint="fix it")
    assert e.format() == "q.rq:3:7: bad thing (fix it)"
    assert str(errors.InputError("plain")) == "plain"


def test_docstring_draws_the_tree():
    for name in ("LithkgError", "UsageError", "InputError", "DocumentError", "ClaimsFileError", "UnknownTermError",
                 "ExtractionError",
                 "QueryError", "StoreError", "StoreLockedError", "EndpointError", "CheckFailed"):
        assert name in errors.__doc__
