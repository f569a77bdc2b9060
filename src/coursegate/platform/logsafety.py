"""Keep key material out of logs, whatever logs it.

Every log record is scrubbed as it is created (message and arguments): the secret part of a
coursegate key and any bearer token are replaced, so a careless `log.info(headers)` anywhere,
ours or a library's, cannot write a usable credential to disk.
"""

from __future__ import annotations

import logging
import re
from typing import Any

REDACTED = "[redacted]"
_KEY = re.compile(r"\b(cg_(?:live|test)_[0-9a-f]+_)[A-Za-z0-9]+")
_BEARER = re.compile(r"(?i)\b(bearer\s+)[^\s'\",]+")
_API_KEY_HEADER = re.compile(r"(?i)(x-auth-api-key['\"]?\s*[:=,]\s*b?['\"]?)[^\s'\",)]+")


def redact(text: str) -> str:
    text = _KEY.sub(lambda m: m.group(1) + REDACTED, text)
    text = _BEARER.sub(lambda m: m.group(1) + REDACTED, text)
    return _API_KEY_HEADER.sub(lambda m: m.group(1) + REDACTED, text)


def _clean(value: Any) -> Any:
    if isinstance(value, str | bytes):
        text = value.decode("latin-1") if isinstance(value, bytes) else value
        cleaned = redact(text)
        return value if cleaned == text else cleaned
    if isinstance(value, int | float | bool) or value is None:
        return value
    cleaned = redact(str(value))  # containers, headers, exceptions: judged by how they print
    return cleaned if cleaned != str(value) else value


_installed = False


def install() -> None:
    """Wrap the log record factory once per process."""
    global _installed
    if _installed:
        return
    _installed = True
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_clean(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _clean(v) for k, v in record.args.items()}
        return record

    logging.setLogRecordFactory(factory)


_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "color_message",
}


class StructuredFormatter(logging.Formatter):
    """`<time> <level> <logger> <message> key=value ...`: the `extra` fields of a record as
    greppable pairs, scrubbed like the message."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        pairs = [f"{k}={_clean(v)}" for k, v in record.__dict__.items() if k not in _STANDARD]
        return redact(" ".join([line, *pairs]) if pairs else line)


def uvicorn_log_config(level: str) -> dict[str, Any]:
    """uvicorn's own logging, plus the `coursegate` loggers through the structured formatter."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = {
        **LOGGING_CONFIG,
        "formatters": {**LOGGING_CONFIG["formatters"], "structured": {"()": StructuredFormatter}},
        "handlers": {
            **LOGGING_CONFIG["handlers"],
            "structured": {
                "class": "logging.StreamHandler",
                "formatter": "structured",
                "stream": "ext://sys.stderr",
            },
        },
        "loggers": {
            **LOGGING_CONFIG["loggers"],
            "coursegate": {"handlers": ["structured"], "level": level.upper(), "propagate": False},
        },
    }
    return config
