"""`diemtin admin create-user`: the first console user, from a prompt or a file."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from diemtin.cli.main import app
from diemtin.store.admin import authenticate
from diemtin.store.db import open_database


def _run(tmp_path: Path, *args: str, stdin: str = "") -> tuple[int, str]:
    env = {
        "DIEMTIN_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "DIEMTIN_BUILTIN_SOURCES": "0",
    }
    result = CliRunner().invoke(app, ["admin", "create-user", *args], input=stdin, env=env)
    return result.exit_code, result.output


def test_create_user_from_the_prompt_then_sign_in(tmp_path: Path) -> None:
    code, out = _run(tmp_path, "bientap", stdin="một mật khẩu dài\nmột mật khẩu dài\n")
    assert code == 0, out
    assert "Created console user bientap" in out
    db = open_database(f"sqlite:///{tmp_path / 'cli.db'}")
    with db.read() as conn:
        assert authenticate(conn, "bientap", "một mật khẩu dài") is not None
        assert authenticate(conn, "bientap", "sai") is None
        stored = conn.execute(text("SELECT password_hash FROM admin_users")).scalar_one()
    assert "một mật khẩu dài" not in stored


def test_create_user_from_a_password_file(tmp_path: Path) -> None:
    secret = tmp_path / "pw"
    secret.write_text("mật khẩu trong tệp\n", encoding="utf-8")
    code, out = _run(tmp_path, "vanhanh", "--password-file", str(secret))
    assert code == 0, out
    db = open_database(f"sqlite:///{tmp_path / 'cli.db'}")
    with db.read() as conn:
        assert authenticate(conn, "vanhanh", "mật khẩu trong tệp") is not None


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [
        ("Bien Tap", "một mật khẩu dài", "không hợp lệ"),
        ("bientap", "ngắn", "ít nhất 10"),
    ],
)
def test_bad_names_and_short_passwords_are_refused(
    tmp_path: Path, name: str, password: str, message: str
) -> None:
    secret = tmp_path / "pw"
    secret.write_text(password, encoding="utf-8")
    code, out = _run(tmp_path, name, "--password-file", str(secret))
    assert code == 2
    assert message in out


def test_a_taken_name_and_a_missing_file_are_refused(tmp_path: Path) -> None:
    secret = tmp_path / "pw"
    secret.write_text("một mật khẩu dài", encoding="utf-8")
    assert _run(tmp_path, "bientap", "--password-file", str(secret))[0] == 0
    code, out = _run(tmp_path, "bientap", "--password-file", str(secret))
    assert code == 2 and "đã có người dùng" in out
    code, out = _run(tmp_path, "khac", "--password-file", str(tmp_path / "none"))
    assert code == 2 and "cannot read the password file" in out
