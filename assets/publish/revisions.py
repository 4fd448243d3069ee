"""Revisions: what later police deliveries changed, worded for the run summary.

The figures come from the published manifest (`revisioner`, `revisioner_pr_fil`, which publishing took
from dbt's udgivelse_revisioner), so the summary says exactly what was published and never reopens the
working database. "New in this run" means the latest version came in a file that the previously
published marts did not use, so the data team sees what this year's delivery corrected.
"""

from __future__ import annotations


def summarise(manifest: dict, previous_files: set[str], years: tuple[int, int]) -> str:
    """The run summary's revision lines (Danish, like the rest of the output the data team reads)."""
    c = manifest.get("revisioner") or {"anmeldelser_rettet": 0, "heraf_omklassificeret": 0,
                                        "heraf_flyttet_aar": 0, "pr_aar": {}}
    lines = [
        f"Revisioner: {c['anmeldelser_rettet']} anmeldelser rettet af senere leverancer "
        f"(heraf {c['heraf_omklassificeret']} omklassificeret, {c['heraf_flyttet_aar']} flyttet til et andet år)"
    ]
    if c["pr_aar"]:
        lines.append("  pr. år: " + ", ".join(f"{y}: {n}" for y, n in c["pr_aar"].items()))
    if previous_files:
        new = [r for r in manifest.get("revisioner_pr_fil", []) if r["fil"] not in previous_files]
        per_year: dict[int, int] = {}
        for row in new:
            per_year[row["aar"]] = per_year.get(row["aar"], 0) + row["antal"]
        total = sum(per_year.values())
        detail = ", ".join(f"{y}: {n}" for y, n in sorted(per_year.items()))
        lines.append(f"  nye siden sidste udgivelse: {total}" + (f" ({detail})" if detail else ""))
        first, last = years
        touched = {row["aar"] for row in new} | {row["forrige_aar"] for row in new}
        outside = sorted(y for y in touched if y is not None and not first <= y <= last)
        if outside:
            lines.append(
                f"  OBS: rettelser berører også {', '.join(map(str, outside))}, uden for kørslens år; "
                f"kør `tryghed backfill --from {min(outside[0], first)} --to {max(outside[-1], last)}`"
            )
    return "\n".join(lines)
