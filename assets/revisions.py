"""Revisions: what later police deliveries changed, summarised for the run output and the manifest.

The figures come from the dbt model int_anmeldelser_revisioner (SQL does the set work); this module only
counts and words them. "New in this run" means the latest version came in a file that the previously
published marts did not use, so the data team sees what this year's delivery corrected.
"""

from __future__ import annotations

MODEL = "intermediate.int_anmeldelser_revisioner"


def counts(con) -> dict:
    """Reports changed by later deliveries, in all and per year (of the latest version), for the manifest."""
    total, reclassified, moved = con.execute(
        f"select count(*), count(*) filter (omklassificeret), count(*) filter (flyttet_aar) from {MODEL}"
    ).fetchone()
    per_year = con.execute(f"select aar, count(*) from {MODEL} group by aar order by aar").fetchall()
    return {
        "anmeldelser_rettet": total,
        "heraf_omklassificeret": reclassified,
        "heraf_flyttet_aar": moved,
        "pr_aar": {str(year): n for year, n in per_year},
    }


def summarise(con, previous_files: set[str], years: tuple[int, int], counted: dict | None = None) -> str:
    """The run summary's revision lines (Danish, like the rest of the output the data team reads).

    `counted` is the result of `counts` when the caller already has it (the manifest's "revisioner");
    without it the counts are computed here.
    """
    c = counts(con) if counted is None else counted
    lines = [
        f"Revisioner: {c['anmeldelser_rettet']} anmeldelser rettet af senere leverancer "
        f"(heraf {c['heraf_omklassificeret']} omklassificeret, {c['heraf_flyttet_aar']} flyttet til et andet år)"
    ]
    if c["pr_aar"]:
        lines.append("  pr. år: " + ", ".join(f"{y}: {n}" for y, n in c["pr_aar"].items()))
    new = con.execute(
        f"""select aar, forrige_aar, count(*) from {MODEL}
            where not list_contains(?::varchar[], kildefil) group by all order by all""",
        [sorted(previous_files)],
    ).fetchall()
    if previous_files:
        per_year: dict[int, int] = {}
        for year, _old, n in new:
            per_year[year] = per_year.get(year, 0) + n
        total = sum(per_year.values())
        detail = ", ".join(f"{y}: {n}" for y, n in sorted(per_year.items()))
        lines.append(f"  nye siden sidste udgivelse: {total}" + (f" ({detail})" if detail else ""))
        first, last = years
        touched = {year for year, _old, _n in new} | {old for _year, old, _n in new}
        outside = sorted(y for y in touched if not first <= y <= last)
        if outside:
            lines.append(
                f"  OBS: rettelser berører også {', '.join(map(str, outside))}, uden for kørslens år; "
                f"kør `tryghed backfill --from {min(outside[0], first)} --to {max(outside[-1], last)}`"
            )
    return "\n".join(lines)
