"""Requests that try to cost the service memory, through the real training app (issue 5, defect 6)."""

import secrets
import string


def _key_cache(stack):
    """The training app's key cache (the app is behind the stack's ASGI client)."""
    return stack.training_app.state.runtime.keys._cache


def _junk_token(size: int = 50_000) -> str:
    """`scp_<id>_<secret>` in form, but 50 kB of random id and secret."""
    alphabet = string.ascii_letters + string.digits + "-"
    half = "".join(secrets.choice(alphabet) for _ in range(size // 2))
    return f"scp_{half}_{half[::-1]}"


async def test_a_thousand_huge_made_up_keys_get_401_and_leave_the_key_cache_empty(stack):
    tokens = [_junk_token() for _ in range(10)]
    for i in range(1000):
        token = tokens[i % 10].replace("scp_", f"scp_{i}", 1)  # a new key id each time
        header = ("authorization", f"Bearer {token}") if i % 2 else ("x-api-key", token)
        response = await stack.training.post("/events", content=b"[]", headers={
            header[0]: header[1], "content-type": "application/cloudevents-batch+json"})
        assert response.status_code == 401, response.text
        assert response.json()["errors"][0]["loc"] == ["header", "authorization"]
    assert len(_key_cache(stack)) == 0


async def test_made_up_keys_of_the_right_shape_get_401_and_a_real_key_still_works(stack):
    for _ in range(200):
        made_up = f"scp_{secrets.token_hex(6)}_{secrets.token_urlsafe(24).replace('_', '-')}"
        response = await stack.post([], made_up, body=b"[]")
        assert response.status_code == 401
    assert len(_key_cache(stack)) <= _key_cache(stack).maxsize

    real = await stack.key()
    response = await stack.post([], real, body=b"[]")
    assert response.status_code == 422  # past the key: an empty batch is refused for what it is
