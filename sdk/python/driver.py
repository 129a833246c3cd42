"""Drives the official Python SDK (latitudesh-python-sdk) through the API-key lifecycle.

Usage: python driver.py --base-url URL [--plan lifecycle,errors] [--key-id ID] [--missing-id ID]

The token comes from the environment variable LATITUDE_SDK_TOKEN (never from argv, so it does not
show in process listings). The keys it creates are named after LATITUDE_SDK_NAME_PREFIX
(`<prefix>-python`, then `<prefix>-python-renamed`), so a sweep can recognise any left behind. Each step prints one JSON line on stdout: the step, the SDK call, the
HTTP status the SDK saw, what the SDK parsed, and the error class when it raised. The token itself
is never printed: only whether it was present, its length and whether token_last_slice matches it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import traceback
from datetime import datetime
from typing import Any, Callable, Dict, List, Optional

# The SDK falls back to LATITUDESH_BEARER when no bearer is given; the no-token step must really
# send no credentials, so the variable is removed before the SDK is imported.
os.environ.pop("LATITUDESH_BEARER", None)

import httpx  # noqa: E402  (installed with the SDK)
import latitudesh_python_sdk  # noqa: E402
from latitudesh_python_sdk import Latitudesh, models  # noqa: E402

SDK = "python"
SDK_VERSION = getattr(latitudesh_python_sdk, "__version__", None) or getattr(
    getattr(latitudesh_python_sdk, "_version", None), "__version__", "unknown"
)
# A value that is not a credential anywhere; the provider must answer 401 to it.
WRONG_TOKEN = "wrong-token-for-conformance-checks"
HEX36 = re.compile(r"[0-9a-fA-F]{36}")
NAME_PREFIX = os.environ.get("LATITUDE_SDK_NAME_PREFIX") or "lc-conformance-sdk"
CREATED_NAME = f"{NAME_PREFIX}-{SDK}"


class StatusRecorder:
    """Keeps the status of the last response the SDK's HTTP client received."""

    def __init__(self) -> None:
        self.status: Optional[int] = None
        self.content_type: Optional[str] = None

    def hook(self, response: httpx.Response) -> None:
        self.status = response.status_code
        self.content_type = response.headers.get("content-type")

    def reset(self) -> None:
        self.status = None
        self.content_type = None


def iso(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def enum_value(value: Any) -> Any:
    return getattr(value, "value", value)


def describe_key(key: Any, secrets: List[str]) -> Optional[Dict[str, Any]]:
    """What the SDK parsed for one api_key, with the token reduced to facts about it."""
    if key is None:
        return None
    attrs = getattr(key, "attributes", None)
    token = getattr(attrs, "token", None) if attrs is not None else None
    if token:
        secrets.append(token)
    last_slice = getattr(attrs, "token_last_slice", None) if attrs is not None else None
    created_at = getattr(attrs, "created_at", None) if attrs is not None else None
    updated_at = getattr(attrs, "updated_at", None) if attrs is not None else None
    user = getattr(attrs, "user", None) if attrs is not None else None
    read_only = getattr(attrs, "read_only", None) if attrs is not None else None
    allowed_ips = getattr(attrs, "allowed_ips", None) if attrs is not None else None
    # OptionalNullable fields hold an UNSET sentinel when the response left them out.
    read_only = read_only if isinstance(read_only, bool) or read_only is None else None
    allowed_ips = allowed_ips if isinstance(allowed_ips, list) or allowed_ips is None else None
    return {
        "id": getattr(key, "id", None),
        "type": enum_value(getattr(key, "type", None)),
        "name": getattr(attrs, "name", None) if attrs is not None else None,
        "api_version": getattr(attrs, "api_version", None) if attrs is not None else None,
        "token_present": bool(token),
        "token_length": len(token) if token else 0,
        "token_last_slice": last_slice,
        "last_slice_matches_token": (
            bool(token) and bool(last_slice) and token.endswith(last_slice) and len(last_slice) == 5
        ),
        "read_only": read_only,
        "allowed_ips": allowed_ips,
        "created_at": iso(created_at),
        "created_at_has_zone": isinstance(created_at, datetime) and created_at.tzinfo is not None,
        "updated_at": iso(updated_at),
        "user_id": getattr(user, "id", None) if user is not None else None,
        "parsed_type": type(key).__name__,
    }


def scrub(text: str, secrets: List[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        if secret:
            text = text.replace(secret, "[REDACTED]")
    return HEX36.sub("[REDACTED]", text)


def describe_error(err: BaseException, secrets: List[str]) -> Dict[str, Any]:
    """The error class and status; the message is cut before the response body it quotes."""
    message = str(err).split(". Body:")[0]
    out: Dict[str, Any] = {
        "class": type(err).__name__,
        "module": type(err).__module__,
        "is_sdk_error": isinstance(err, models.LatitudeshError),
        "message": scrub(message, secrets)[:300],
    }
    status = getattr(err, "status_code", None)
    if isinstance(status, int):
        out["status"] = status
    body = getattr(err, "body", None)
    if isinstance(body, str):
        try:
            parsed = json.loads(body)
            errors = parsed.get("errors") if isinstance(parsed, dict) else None
            if isinstance(errors, list) and errors and isinstance(errors[0], dict):
                out["error_code"] = errors[0].get("code")
        except ValueError:
            pass
    cause = err.__cause__
    if cause is not None:
        out["cause"] = type(cause).__name__
    return out


class Driver:
    def __init__(self, base_url: str, token: str, key_id: Optional[str], missing_id: str) -> None:
        self.base_url = base_url
        self.token = token
        self.key_id = key_id
        self.missing_id = missing_id
        self.secrets: List[str] = [token]
        self.recorder = StatusRecorder()

    def client(self, bearer: Optional[str]) -> Latitudesh:
        http = httpx.Client(
            follow_redirects=True, event_hooks={"response": [self.recorder.hook]}, timeout=30.0
        )
        return Latitudesh(bearer=bearer, server_url=self.base_url, client=http)

    def step(
        self,
        name: str,
        call: str,
        fn: Callable[[], Any],
        describe: Callable[[Any], Dict[str, Any]],
        note: Optional[str] = None,
    ) -> Optional[Any]:
        self.recorder.reset()
        line: Dict[str, Any] = {"sdk": SDK, "sdk_version": SDK_VERSION, "step": name, "call": call}
        result = None
        try:
            result = fn()
            line["ok"] = True
            line["parsed"] = describe(result)
        except Exception as err:  # the SDK's own error classes and anything else it raises
            line["ok"] = False
            line["error"] = describe_error(err, self.secrets)
        line["status"] = self.recorder.status
        line["response_content_type"] = self.recorder.content_type
        if note:
            line["note"] = note
        print(scrub(json.dumps(line), self.secrets), flush=True)
        return result if line["ok"] else None

    def key_result(self, res: Any) -> Dict[str, Any]:
        return {"key": describe_key(getattr(res, "data", None), self.secrets)}

    def list_result(self, res: Any) -> Dict[str, Any]:
        data = getattr(res, "data", None) or []
        keys = [describe_key(k, self.secrets) for k in data]
        return {
            "count": len(keys),
            "ids": [k["id"] for k in keys if k],
            "any_token_present": any(k and k["token_present"] for k in keys),
            "contains_key": self.key_id is not None and any(k and k["id"] == self.key_id for k in keys),
        }

    @staticmethod
    def none_result(res: Any) -> Dict[str, Any]:
        return {"returned": None if res is None else type(res).__name__}

    def lifecycle(self) -> None:
        sdk = self.client(self.token)
        self.step("list", "api_keys.list()", lambda: sdk.api_keys.list(), self.list_result)
        created = self.step(
            "create",
            "api_keys.create(data={type: api_keys, attributes: {name}})",
            lambda: sdk.api_keys.create(
                data={
                    "type": models.CreateAPIKeyType.API_KEYS,
                    "attributes": {"name": CREATED_NAME, "read_only": False},
                }
            ),
            self.key_result,
        )
        created_id = getattr(getattr(created, "data", None), "id", None)
        if self.key_id is None:
            self.key_id = created_id
        key_id = self.key_id or "tok_unknown0"
        self.step(
            "update_settings",
            "api_keys.update_api_key(api_key_id, data={attributes: {name, read_only}})",
            lambda: sdk.api_keys.update_api_key(
                api_key_id=key_id,
                data={
                    "id": key_id,
                    "type": models.UpdateAPIKeyType.API_KEYS,
                    "attributes": {"name": f"{CREATED_NAME}-renamed", "read_only": False},
                },
            ),
            self.key_result,
        )
        self.step(
            "rotate",
            "api_keys.regenerate(api_key_id, data={id, type})",
            lambda: sdk.api_keys.regenerate(
                api_key_id=key_id,
                data={"id": key_id, "type": models.UpdateAPIKeyType.API_KEYS},
            ),
            self.key_result,
        )
        self.step("list_after", "api_keys.list()", lambda: sdk.api_keys.list(), self.list_result)
        self.step(
            "delete",
            "api_keys.delete(api_key_id)",
            lambda: sdk.api_keys.delete(api_key_id=key_id),
            self.none_result,
        )

    def errors(self) -> None:
        anonymous = self.client(None)
        self.step(
            "unauthorized_no_token",
            "api_keys.list() with no bearer",
            lambda: anonymous.api_keys.list(),
            self.list_result,
        )
        wrong = self.client(WRONG_TOKEN)
        self.step(
            "unauthorized_wrong_token",
            "api_keys.list() with a wrong bearer",
            lambda: wrong.api_keys.list(),
            self.list_result,
        )
        sdk = self.client(self.token)
        self.step(
            "not_found",
            "api_keys.update_api_key(unknown id)",
            lambda: sdk.api_keys.update_api_key(
                api_key_id=self.missing_id,
                data={
                    "id": self.missing_id,
                    "type": models.UpdateAPIKeyType.API_KEYS,
                    "attributes": {"name": "missing"},
                },
            ),
            self.key_result,
        )
        # The model's name defaults to "Name of the API Key"; an explicit None is dropped when
        # the body is serialised, so this sends {"data": {"type": "api_keys", "attributes": {}}}.
        self.step(
            "create_without_name",
            "api_keys.create(data={type: api_keys, attributes: {name: None}})",
            lambda: sdk.api_keys.create(
                data=models.Data(
                    type=models.CreateAPIKeyType.API_KEYS,
                    attributes=models.CreateAPIKeyAttributes(name=None),
                )
            ),
            self.key_result,
            note="an explicit name=None is left out of the body: the SDK sends no name",
        )

    def name_left_out(self) -> None:
        """Leaving name out entirely: the SDK fills in the schema default and the key is created."""
        sdk = self.client(self.token)
        created = self.step(
            "create_name_left_out",
            "api_keys.create(data={type: api_keys, attributes: {}})",
            lambda: sdk.api_keys.create(
                data={"type": models.CreateAPIKeyType.API_KEYS, "attributes": {}}
            ),
            self.key_result,
            note="attributes without name: the SDK sends its schema default",
        )
        created_id = getattr(getattr(created, "data", None), "id", None)
        if created_id:
            self.step(
                "cleanup_delete",
                "api_keys.delete(api_key_id)",
                lambda: sdk.api_keys.delete(api_key_id=created_id),
                self.none_result,
            )


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--plan", default="lifecycle,errors,name-left-out")
    parser.add_argument("--key-id", default=None, help="use this id instead of the created one")
    parser.add_argument("--missing-id", default="tok_doesNotExist0")
    args = parser.parse_args(argv)
    token = os.environ.get("LATITUDE_SDK_TOKEN")
    if not token:
        print(json.dumps({"sdk": SDK, "fatal": "LATITUDE_SDK_TOKEN is not set"}), flush=True)
        return 2
    driver = Driver(args.base_url, token, args.key_id, args.missing_id)
    plans = {
        "lifecycle": driver.lifecycle,
        "errors": driver.errors,
        "name-left-out": driver.name_left_out,
    }
    for plan in [p for p in args.plan.split(",") if p]:
        if plan not in plans:
            print(json.dumps({"sdk": SDK, "fatal": f"unknown plan {plan}"}), flush=True)
            return 2
        try:
            plans[plan]()
        except Exception:  # a driver bug, not an SDK result: say so and stop
            print(
                json.dumps(
                    {"sdk": SDK, "fatal": scrub(traceback.format_exc(limit=3), driver.secrets)}
                ),
                flush=True,
            )
            return 3
    print(json.dumps({"sdk": SDK, "sdk_version": SDK_VERSION, "done": True}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
