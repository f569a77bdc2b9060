"""Results as JSON (everything measured) and Markdown (the table with ratios)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}x" if a and b else "-"


def _table(section: dict[str, Any]) -> list[str]:
    rows = section["measurements"]
    ours = [r for r in rows if r["target"] == "coursegate"]
    by = {(r["target"], r["dialect"], r["scenario"]): r for r in rows}
    lines = [
        "| dialect | scenario | coursegate req/s | p50 ms | p99 ms | (a) raw bytes req/s | vs (a) "
        "| (b) raw driver req/s | vs (b) | non-2xx | socket errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in ours:
        a = by.get(("(a) raw ASGI bytes", r["dialect"], r["scenario"]))
        b = by.get(("(b) raw driver + orjson", r["dialect"], r["scenario"]))
        p50 = sorted(x["p50_ms"] for x in r["runs"] if x["p50_ms"] is not None)
        p99 = sorted(x["p99_ms"] for x in r["runs"] if x["p99_ms"] is not None)
        lines.append(
            f"| {r['dialect']} | {r['scenario']} | {r['median_rps']:.0f} "
            f"| {p50[len(p50) // 2] if p50 else '-'} | {p99[len(p99) // 2] if p99 else '-'} "
            f"| {a['median_rps']:.0f} | {_ratio(r['median_rps'], a['median_rps'])} "
            if a
            else f"| {r['dialect']} | {r['scenario']} | {r['median_rps']:.0f} "
            f"| {p50[len(p50) // 2] if p50 else '-'} | {p99[len(p99) // 2] if p99 else '-'} | - | - "
        )
        lines[-1] += (
            f"| {b['median_rps']:.0f} | {_ratio(r['median_rps'], b['median_rps'])} "
            if b
            else "| - | - "
        )
        lines[-1] += f"| {r['non_2xx']} | {r['errors']} |"
    return lines


def _deep(section: dict[str, Any]) -> list[str]:
    ours = {(r["dialect"], r["scenario"]): r["median_rps"] for r in section["measurements"]
            if r["target"] == "coursegate"}  # fmt: skip
    out = []
    pairs = [("thinkific", "enrollments page 1", "enrollments page "), ("thinkific", "users page 1", "users page "),
             ("thoughtindustries", "users first page", "users cursor at page ")]  # fmt: skip
    for dialect, first, deep_prefix in pairs:
        deep = next(
            (k for k in ours if k[0] == dialect and k[1].startswith(deep_prefix) and k[1] != first),
            None,
        )
        if deep and ours.get((dialect, first)):
            cost = ours[(dialect, first)] / ours[deep] if ours[deep] else float("inf")
            out.append(
                f"- {dialect} `{deep[1]}` costs {cost:.2f}x `{first}` per request (target <= 1.5x)"
            )
    return out


def markdown(results: dict[str, Any]) -> str:
    m, v = results["machine"], results["versions"]
    lines = [
        f"# coursegate benchmark {results['started_at']}",
        "",
        f"- commit `{results['commit']}`; scale `{results['scale_name']}` {results['scale']}",
        f"- machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, {m['os']}",
        f"- load: {v['load_generator']}, {results['threads']} threads, {results['connections']} connections, "
        f"median of {results['repeats']} runs x {results['seconds_per_run']}s, on the same machine",
        "- versions: "
        + ", ".join(f"{k} {val}" for k, val in v.items() if k != "load_generator" and val),
        "",
        "(a) a raw ASGI app answering with the same bytes; (b) a raw ASGI app running the SQL coursegate "
        "ran for that request (captured, auth lookup included) through the raw driver + orjson.",
        "",
    ]
    for section in results["databases"]:
        lines += [f"## {section['database']}", "",
                  f"seeded in {section.get('seed_seconds')}s; server RSS idle {section.get('idle_rss_mb')} MB, "
                  f"after load {section.get('rss_after_load_mb')} MB (max during runs: "
                  f"{max((r['max_rss_mb'] or 0) for r in section['measurements']) or '-'} MB)", ""]  # fmt: skip
        lines += [*_table(section), "", *_deep(section), ""]
    prism = results.get("prism")
    if prism is not None:
        lines += ["## (c) Stoplight Prism", ""]
        if prism.get("available"):
            lines.append(
                f"Prism {prism.get('version')} mock of the Thinkific spec (answers with its examples):"
            )
            lines += [
                f"- {r['scenario']}: {r['median_rps']:.0f} req/s" for r in prism["measurements"]
            ]
        else:
            lines.append(f"not measured: {prism.get('reason')}")
        lines.append("")
    return "\n".join(lines)


def write_reports(results: dict[str, Any], out: Path, stamp: str) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    json_path = out / f"{stamp}.json"
    md_path = out / f"{stamp}.md"
    json_path.write_text(json.dumps(results, indent=2, default=str))
    md_path.write_text(markdown(results))
    return json_path, md_path
