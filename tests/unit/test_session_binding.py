"""channels/session_binding.py: server-issued conversation ids and the tokens that resume them."""

from __future__ import annotations

import pytest

from channels.session_binding import (
    PREVIOUS_SECRET_ENV,
    SECRET_ENV,
    SESSION_ID,
    TOKEN_MAX_AGE_S,
    SessionSigner,
    rest_sender,
)

SECRET = "s" * 40
OTHER = "o" * 40


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def signer(*keys: str, clock: Clock | None = None) -> SessionSigner:
    return SessionSigner([key.encode() for key in keys], clock or Clock())


def test_new_ids_are_random_and_of_the_socketio_form() -> None:
    ids = {SessionSigner.new_session_id() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(SESSION_ID.fullmatch(session_id) for session_id in ids)


def test_a_token_resumes_its_own_conversation_only() -> None:
    session_id = SessionSigner.new_session_id()
    token = signer(SECRET).token_for(session_id)
    assert signer(SECRET).session_of(token) == session_id
    assert signer(OTHER).session_of(token) is None


@pytest.mark.parametrize("change", ["id", "time", "mac", "suffix"])
def test_a_changed_token_is_refused(change: str) -> None:
    session_id = SessionSigner.new_session_id()
    token = signer(SECRET).token_for(session_id)
    other_id, issued, mac = token.split(".")
    forged = {
        "id": f"{SessionSigner.new_session_id()}.{issued}.{mac}",
        "time": f"{other_id}.{int(issued) + 1}.{mac}",
        "mac": f"{other_id}.{issued}.{'0' * 64}",
        "suffix": token + "\n",
    }[change]
    assert signer(SECRET).session_of(forged) is None


@pytest.mark.parametrize("value", [None, 5, ["x"], {"t": 1}, "", "sio_x.1.2", "a" * 5000])
def test_anything_that_is_not_a_token_is_refused(value: object) -> None:
    assert signer(SECRET).session_of(value) is None


def test_a_token_expires() -> None:
    clock = Clock()
    session_id = SessionSigner.new_session_id()
    token = signer(SECRET, clock=clock).token_for(session_id)
    clock.now += TOKEN_MAX_AGE_S - 1
    assert signer(SECRET, clock=clock).session_of(token) == session_id
    clock.now += 2
    assert signer(SECRET, clock=clock).session_of(token) is None


def test_rotation_accepts_the_previous_secret_and_signs_with_the_new_one() -> None:
    session_id = SessionSigner.new_session_id()
    old_token = SessionSigner([OTHER.encode()]).token_for(session_id)
    rotated = SessionSigner.from_env({SECRET_ENV: SECRET, PREVIOUS_SECRET_ENV: OTHER})
    assert rotated.session_of(old_token) == session_id
    assert SessionSigner([SECRET.encode()]).session_of(rotated.token_for(session_id)) == session_id


def test_a_short_secret_is_refused_with_a_precise_error() -> None:
    with pytest.raises(ValueError, match=SECRET_ENV):
        SessionSigner.from_env({SECRET_ENV: "short"})


def test_without_a_secret_the_process_makes_one_and_says_so(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("WARNING"):
        made = SessionSigner.from_env({})
    assert SECRET_ENV in caplog.text
    session_id = made.new_session_id()
    assert made.session_of(made.token_for(session_id)) == session_id


def test_rest_senders_never_look_like_socketio_ids() -> None:
    assert rest_sender("sio_" + "a" * 32).startswith("rest_")
    assert not SESSION_ID.fullmatch(rest_sender("sio_" + "a" * 32))
