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


def _walk(section: dict[str, Any]) -> list[str]:
    w = section.get("feed_walk")
    if not w:
        return []
    return [f"TI event-feed walk (one client, each page requested after the previous one answered): "
            f"`{w['feed']}` {w['pages']} pages x {w['per_page']} in {w['median_walk_ms']} ms, "
            f"{w['ms_per_page']} ms per page (median of {w['walks']} walks)", ""]  # fmt: skip


def _totals(section: dict[str, Any]) -> list[str]:
    """What `total_items` costs: the counter read (or COUNT) among the captured statements."""
    costs = section.get("statement_costs")
    if not costs:
        return []
    lines = ["### Cost of `total_items` (captured statements re-run alone through the raw driver)", "",
             "| dialect | scenario | total read ms | all statements ms | share | how |",
             "|---|---|---:|---:|---:|---|"]  # fmt: skip
    for c in costs:
        totals = [x for x in c["statements"] if x["total_read"]]
        if not totals:
            continue
        t = sum(x["mean_ms"] for x in totals)
        a = sum(x["mean_ms"] for x in c["statements"])
        how = "counter row" if all("counters" in x["sql"].lower() for x in totals) else "COUNT"
        lines.append(
            f"| {c['dialect']} | {c['scenario']} | {t:.3f} | {a:.3f} | {t / a:.0%} | {how} |"
        )
    return [*lines, ""]


def _processes(section: dict[str, Any]) -> list[str]:
    p = section.get("processes")
    if not p:
        return []
    lines = ["### `serve --workers 2` vs `--workers 1`", "",
             "| scenario | 1 process req/s | 2 processes req/s | ratio (target >= 1.6x) "
             "| CPU s of each of the 2 processes, per run |",
             "|---|---:|---:|---:|---|"]  # fmt: skip
    for r in p["rows"]:
        lines.append(
            f"| {r['scenario']} | {r['workers_1_rps']:.0f} | {r['workers_2_rps']:.0f} | {r['ratio']}x "
            f"| {r.get('cpu_seconds_per_process_2')} |"
        )
    load = p.get("load_average_after")
    if load:
        lines.append(f"\nload average after: {', '.join(f'{x:.2f}' for x in load)}")
    return [*lines, ""]


def _webhooks(section: dict[str, Any]) -> list[str]:
    h = section.get("webhooks")
    if not h:
        return []
    lines = [f"### Webhook deliveries ({h['hooks']} `{h['topic']}` subscriptions to a local receiver; "
             f"{h['worker']})", "",
             "| offered events/s | offered deliveries/s | events made | delivered/s during load "
             "| delivered/s overall | drain after last event s | latency p50 ms | p90 ms | p99 ms | max ms "
             "| received/expected |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]  # fmt: skip
    for r in h["rates"]:
        lines.append(
            f"| {r['offered_events_per_second']:g} | {r['offered_deliveries_per_second']:g} | {r['events_ok']} "
            f"| {r['deliveries_per_second_during_load']} | {r['deliveries_per_second_overall']} "
            f"| {r['drain_seconds_after_last_event']} | {r['latency_p50_ms']} | {r['latency_p90_ms']} "
            f"| {r['latency_p99_ms']} | {r['latency_max_ms']} | {r['received']}/{r['expected_deliveries']} |"
        )  # fmt: skip
    drain = h.get("backlog_drain")
    if drain:
        lines += ["", f"Backlog queued with no worker running, then drained: {drain['deliveries']} deliveries "
                      f"in {drain['seconds']} s = {drain['deliveries_per_second']} deliveries/s."]  # fmt: skip
    return [*lines, "", "Target: >= 500 deliveries/s with event-to-delivery p99 < 250 ms.", ""]


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
        "ran for a steady-state request (captured; the API-key lookup, reused for a second per process, is not among them) "
        "through the raw driver + orjson.",
        "",
    ]
    for section in results["databases"]:
        peak = max(((r["max_rss_mb"] or 0) for r in section["measurements"]), default=0)
        lines += [f"## {section['database']}", "",
                  f"seeded in {section.get('seed_seconds')}s; server RSS idle {section.get('idle_rss_mb')} MB, "
                  f"after load {section.get('rss_after_load_mb')} MB (max during runs: {peak or '-'} MB)", ""]  # fmt: skip
        if section["measurements"]:
            lines += [*_table(section), "", *_deep(section), ""]
        lines += _walk(section) + _totals(section) + _processes(section) + _webhooks(section)
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
