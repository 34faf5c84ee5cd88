"""Hooks for `ilc verify`'s fuzzing scenario (loaded through SCHEMATHESIS_HOOKS).

Those of ops/contract-test (a fresh Idempotency-Key per generated request), plus a
check of object-level authorization: every request on one of tenant A's resources (an
id in the path) that succeeded is sent again with tenant B's key, which must get 404
and nothing of A's. B's key comes from ILC_OTHER_TENANT_KEY.
"""
import json
import os
import uuid

import schemathesis
import schemathesis_hooks  # noqa: F401  (registers the Idempotency-Key hook)

OTHER_TENANT_KEY = os.environ["ILC_OTHER_TENANT_KEY"]
# All a not-found problem may carry: nothing of the resource itself.
PROBLEM_FIELDS = {"type", "title", "status", "code", "detail", "instance", "request_id"}


@schemathesis.check
def other_tenant_gets_nothing(ctx, response, case):
    if not case.path_parameters or not 200 <= response.status_code < 300:
        return None
    headers = dict(case.headers or {})
    headers["Authorization"] = f"Bearer {OTHER_TENANT_KEY}"
    if "Idempotency-Key" in headers:
        headers["Idempotency-Key"] = str(uuid.uuid4())
    other = case.call(headers=headers)
    if other.status_code != 404:
        raise AssertionError(
            f"another tenant's key got {other.status_code} (not 404) for "
            f"{case.method} {case.formatted_path}, which answered {response.status_code} to its owner"
        )
    try:
        problem = json.loads(other.text)
    except ValueError:
        problem = None
    if not isinstance(problem, dict) or problem.get("code") != "not_found" or set(problem) - PROBLEM_FIELDS:
        raise AssertionError(f"the 404 for another tenant's key is not a bare not-found problem: {other.text[:200]}")
    return None
