"""Hooks for ops/contract-test (loaded through SCHEMATHESIS_HOOKS).

Schemathesis draws the same few values for a header again and again. For
`Idempotency-Key` that means one key with many different bodies, which the API refuses
by contract (422 idempotency_key_reused), hiding the operation behind the refusal. A
valid drawn key is therefore replaced by a fresh one; invalid keys stay, so their
rejection is still checked.
"""
import re
import uuid

import schemathesis

VALID_KEY = re.compile(r"^[\x21-\x7E]{1,255}$")


@schemathesis.hook
def map_headers(ctx, headers):
    if headers and VALID_KEY.match(headers.get("Idempotency-Key") or ""):
        headers["Idempotency-Key"] = str(uuid.uuid4())
    return headers
