"""The Mini App's initData check (knowledge.reading.init_data): Telegram's signature and
freshness, and every way a request can fail them."""

from __future__ import annotations

import hashlib
import hmac
import json
from urllib.parse import parse_qsl, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge.reading.init_data import (
    InitDataRefused,
    Refusal,
    WebAppUser,
    read_init_data,
    signed,
)

TOKEN = "123456:test-token-0123456789abcdef"
NOW = 1_800_000_000.0
HOUR = 3600.0


def fields(user_id: int = 777, auth_date: float = NOW, **more: str) -> dict[str, str]:
    user = {"id": user_id, "first_name": "Ana", "language_code": "fr"}
    return {"auth_date": str(int(auth_date)), "user": json.dumps(user), **more}


def refusal(raw: str, token: str = TOKEN, now: float = NOW) -> Refusal:
    with pytest.raises(InitDataRefused) as caught:
        read_init_data(raw, token=token, now=now, max_age=HOUR)
    return caught.value.reason


def test_good_init_data_names_its_user() -> None:
    raw = signed(fields(query_id="AAH"), TOKEN)
    user = read_init_data(raw, token=TOKEN, now=NOW, max_age=HOUR)
    assert user == WebAppUser(777, "Ana", "fr")


def test_the_hash_is_telegrams_own_recipe() -> None:
    """Worked out here independently of the module: the key from "WebAppData" and the token,
    the sorted `key=value` lines, the hex digest."""
    data = fields()
    key = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    check = "\n".join(f"{k}={data[k]}" for k in sorted(data))
    digest = hmac.new(key, check.encode(), hashlib.sha256).hexdigest()
    raw = urlencode({**data, "hash": digest})
    assert read_init_data(raw, token=TOKEN, now=NOW, max_age=HOUR).id == 777


def test_a_changed_field_is_forged() -> None:
    pairs = dict(parse_qsl(signed(fields(), TOKEN)))
    pairs["user"] = pairs["user"].replace("777", "778")
    assert refusal(urlencode(pairs)) is Refusal.FORGED


def test_another_bots_token_is_forged() -> None:
    raw = signed(fields(), "999999:another-bots-token-0123456789")
    assert refusal(raw) is Refusal.FORGED


def test_an_hour_old_is_accepted_a_second_more_is_expired() -> None:
    assert read_init_data(
        signed(fields(auth_date=NOW - HOUR), TOKEN), token=TOKEN, now=NOW, max_age=HOUR
    )
    assert refusal(signed(fields(auth_date=NOW - HOUR - 1), TOKEN)) is Refusal.EXPIRED


def test_from_the_future_is_refused() -> None:
    assert refusal(signed(fields(auth_date=NOW + 3600), TOKEN)) is Refusal.EXPIRED


@pytest.mark.parametrize("raw", ["", "auth_date=1&user=%7B%7D"])
def test_no_data_or_no_hash_is_missing(raw: str) -> None:
    assert refusal(raw) is Refusal.MISSING


def test_a_field_given_twice_is_malformed() -> None:
    raw = signed(fields(), TOKEN) + "&auth_date=1"
    assert refusal(raw) is Refusal.MALFORMED


def test_signed_but_without_a_user_is_malformed() -> None:
    raw = signed({"auth_date": str(int(NOW))}, TOKEN)
    assert refusal(raw) is Refusal.MALFORMED


@given(
    user_id=st.integers(1, 2**52),
    extra=st.dictionaries(
        st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12).filter(
            lambda k: k not in ("hash", "user", "auth_date")
        ),
        st.text(max_size=40),
        max_size=4,
    ),
    age=st.floats(0, HOUR),
)
def test_whatever_it_carries_signed_data_reads_back(
    user_id: int, extra: dict[str, str], age: float
) -> None:
    raw = signed(fields(user_id, NOW - age, **extra), TOKEN)
    assert read_init_data(raw, token=TOKEN, now=NOW, max_age=HOUR).id == user_id


@given(position=st.integers(0, 63), digit=st.sampled_from("0123456789abcdef"))
def test_any_other_hash_is_forged(position: int, digit: str) -> None:
    pairs = dict(parse_qsl(signed(fields(), TOKEN)))
    good = pairs["hash"]
    pairs["hash"] = good[:position] + digit + good[position + 1 :]
    if pairs["hash"] != good:
        assert refusal(urlencode(pairs)) is Refusal.FORGED
