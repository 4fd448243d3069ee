"""The report's charts, drawn with matplotlib's object API on the Agg canvas.

Figures are built as `matplotlib.figure.Figure` with an explicit `FigureCanvasAgg`, never through pyplot:
no global backend switch, no figure registry to leak from a long-running Dagster process, and the same
pictures whatever backend the caller's environment has configured. Every function takes the ReportData
(already filtered to the report year) and returns a Figure; encoding happens in build.py.
"""

from __future__ import annotations

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from assets.foundation import formatting as fmt
from assets.report.data import CHART_AREAS, CRIME_TOTAL, FOCUS_GROUPS, PARTNERSHIP, ReportData

# One colour per area, shared by every chart and the map, so a reader learns them once.
AREA_COLOURS = {
    "AP": "#1f3a93",
    "AP_DEL_OPR": "#2a9d8f",
    "AP_DEL_UDV": "#e07a3f",
    "BY10": "#8e5ea2",
    "BY09": "#b8860b",
    "101": "#6b6b6b",
}
AREA_LABELS = {
    "AP": "Amager Partnerskab",
    "AP_DEL_OPR": "– oprindeligt område",
    "AP_DEL_UDV": "– udvidelsen 2025",
    "BY10": "Amager Vest",
    "BY09": "Amager Øst",
    "101": "København",
}
SAFETY_TITLES = {"nabolag": "Tryg i nabolaget (dag)", "aften_nat": "Tryg i nabolaget om aftenen og natten"}
FOCUS_TITLES = {
    "fokus_indbrud": "Indbrud",
    "fokus_tyveri_roeveri": "Tyveri/røveri",
    "fokus_vold_vaaben": "Vold/våben",
}
BASELINE_COLOUR = "#c0392b"
TARGET_COLOUR = "#c0392b"
STYLE = {
    "font.family": "DejaVu Sans",  # bundled with matplotlib: renders æøå without any system fonts
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#dddddd",
    "grid.linewidth": 0.8,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "legend.frameon": False,
    "svg.hashsalt": "statusrapport",
    "savefig.dpi": 100,
}


def style():
    """The charts' look, applied only while the report's figures are built."""
    return matplotlib.rc_context(STYLE)


def new_figure(width: float, height: float) -> Figure:
    figure = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _percent_axis(axis) -> None:
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{fmt.number(100 * v, 0)} %"))


def _number_axis(axis, decimals: int = 0) -> None:
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt.number(v, decimals)))


def _year_axis(axes, first: int, last: int, year: int) -> None:
    axes.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=min(12, last - first + 1)))
    axes.set_xlim(first - 0.5, last + 0.5)
    # the report year, shaded so the eye finds it in every chart
    axes.axvspan(year - 0.5, year + 0.5, color="#f3e9c6", alpha=0.6, zorder=0, linewidth=0)


def _no_data(axes, text: str = "Ingen data") -> None:
    axes.text(0.5, 0.5, text, transform=axes.transAxes, ha="center", va="center", color="#777777")
    axes.set_xticks([])
    axes.set_yticks([])


def safety(data: ReportData) -> Figure:
    """Share feeling safe, day and evening/night, by year and area, with the 95 % Wilson interval.

    Suppressed shares (fewer than 30 answers) stay gaps in the lines rather than being bridged, so no
    line suggests a value that was never published.
    """
    figure = new_figure(11, 4.8)
    panels = figure.subplots(1, 2, sharey=True)
    frame = data.safety
    years = frame["aar"] if len(frame) else [data.year]
    first, last = int(min(years)), data.year
    for axes, measure in zip(panels, SAFETY_TITLES, strict=True):
        rows = frame[frame["maal"] == measure]
        axes.set_title(SAFETY_TITLES[measure])
        if rows["andel"].notna().sum() == 0:
            _no_data(axes)
            continue
        for area in CHART_AREAS:
            series = rows[rows["omraade_kode"] == area].set_index("aar").reindex(range(first, last + 1))
            colour = AREA_COLOURS[area]
            axes.fill_between(series.index, series["ci_lav"], series["ci_hoej"], color=colour, alpha=0.12,
                              linewidth=0)
            axes.plot(series.index, series["andel"], color=colour, marker="o", markersize=3.5,
                      linewidth=2.6 if area == PARTNERSHIP else 1.5,
                      linestyle="--" if area == "101" else "-", label=AREA_LABELS[area])
        end = _projection(axes, data, measure, rows)
        _year_axis(axes, first, max(last, end), data.year)
        _percent_axis(axes.yaxis)
    panels[0].set_ylabel("Andel, der føler sig tryg")
    # either panel may be empty (no data for that measure); take the legend from one that has lines
    handles, labels = max((axes.get_legend_handles_labels() for axes in panels), key=lambda hl: len(hl[0]))
    if handles:
        figure.legend(handles, labels, loc="outside lower center", ncols=len(handles))
    return figure


GOAL_OF_MEASURE = {"nabolag": "1a", "aften_nat": "1b"}


def _projection(axes, data: ReportData, measure: str, rows) -> int:
    """Goal 1's projection to 2028 (decision 13): a dotted line from the status year's share to the projected
    share, with its 95 % interval as an error bar, for the partnership and Copenhagen. Returns the last year
    drawn (the report year when there is no projection)."""
    goal = data.goals[data.goals["maal_id"] == GOAL_OF_MEASURE[measure]]
    if goal.empty or fmt.is_missing(goal["fremskrevet_2028"].iloc[0]):
        return data.year
    g = goal.iloc[0]
    target_year = PROJECTION_YEAR
    for area, value in ((PARTNERSHIP, g["fremskrevet_2028"]), ("101", g["fremskrevet_2028_kbh"])):
        now = rows[(rows["omraade_kode"] == area) & (rows["aar"] == data.year)]["andel"]
        if fmt.is_missing(value) or now.empty or fmt.is_missing(now.iloc[0]):
            continue
        axes.plot([data.year, target_year], [float(now.iloc[0]), float(value)], color=AREA_COLOURS[area],
                  linestyle=":", linewidth=1.8, label="Fremskrevet 2028" if area == PARTNERSHIP else None)
    low, high = float(g["fremskrevet_2028_ci_lav"]), float(g["fremskrevet_2028_ci_hoej"])
    value = float(g["fremskrevet_2028"])
    axes.errorbar([target_year], [value], yerr=[[value - low], [high - value]], color=AREA_COLOURS[PARTNERSHIP],
                  marker="D", markersize=5, capsize=4, linewidth=1.5)
    return target_year


PROJECTION_YEAR = 2028  # the agreement's last year (dbt var aftale_til)


def crime(data: ReportData) -> Figure:
    """Borgervendt crime per 1,000 residents: the partnership against its 2024 baseline, districts as context."""
    figure = new_figure(11, 4.4)
    axes = figure.subplots()
    rows = data.crime[data.crime["gruppe"] == CRIME_TOTAL]
    axes.set_title("Borgervendt kriminalitet pr. 1.000 indbyggere")
    if rows["pr_1000"].notna().sum() == 0:
        _no_data(axes)
        return figure
    first, last = int(rows["aar"].min()), data.year
    for area in ("101", "BY09", "BY10", PARTNERSHIP):
        series = rows[rows["omraade_kode"] == area].set_index("aar").reindex(range(first, last + 1))
        if series["pr_1000"].notna().sum() == 0:
            continue
        main = area == PARTNERSHIP
        axes.plot(series.index, series["pr_1000"], color=AREA_COLOURS[area], marker="o",
                  markersize=4.5 if main else 3, linewidth=2.8 if main else 1.3,
                  linestyle="--" if area == "101" else "-", alpha=1 if main else 0.75, label=AREA_LABELS[area],
                  zorder=3 if main else 2)
    level = data.baseline.pr_1000.get(CRIME_TOTAL)
    if level is not None and not fmt.is_missing(level):
        axes.axhline(level, color=BASELINE_COLOUR, linestyle=":", linewidth=2,
                     label=f"{data.baseline.label}: {fmt.number(level, 2)}")
    _year_axis(axes, first, last, data.year)
    axes.set_ylim(bottom=0)
    axes.set_ylabel("Anmeldelser pr. 1.000 indbyggere")
    _number_axis(axes.yaxis)
    axes.legend(loc="lower left", ncols=3)
    return figure


def focus(data: ReportData) -> Figure:
    """The three focus types for the partnership (counts, as the goals are judged) against the baseline."""
    figure = new_figure(11, 3.9)
    panels = figure.subplots(1, 3)
    rows = data.crime[data.crime["omraade_kode"] == PARTNERSHIP]
    for axes, group in zip(panels, FOCUS_GROUPS, strict=True):
        series = rows[rows["gruppe"] == group].dropna(subset=["antal_anmeldelser"])
        axes.set_title(FOCUS_TITLES[group])
        if series.empty:
            _no_data(axes)
            continue
        colours = ["#1f3a93" if y == data.year else "#9fb0d6" for y in series["aar"]]
        axes.bar(series["aar"], series["antal_anmeldelser"], color=colours, width=0.7, zorder=2)
        level = data.baseline.antal.get(group)
        if level is not None and not fmt.is_missing(level):
            axes.axhline(level, color=BASELINE_COLOUR, linestyle=":", linewidth=2, zorder=3)
            line_label(axes, level, f"Baseline 2024: {fmt.number(level, 0)}", BASELINE_COLOUR)
        this_year = series[series["aar"] == data.year]
        if len(this_year):
            value = float(this_year["antal_anmeldelser"].iloc[0])
            axes.annotate(fmt.number(value, 0), (data.year, value), xytext=(0, 3), textcoords="offset points",
                          ha="center", va="bottom", fontweight="bold", color="#1f3a93")
        _year_axis(axes, int(series["aar"].min()), data.year, data.year)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
        axes.set_ylim(0, max(series["antal_anmeldelser"].max(), level or 0) * 1.25)
        _number_axis(axes.yaxis)
    panels[0].set_ylabel("Antal anmeldelser")
    return figure


def collaboration(data: ReportData) -> Figure:
    """Goal 3: share of the safety plan's activities with at least two partners, against the 75 % target."""
    figure = new_figure(11, 4.0)
    by_year, by_area = figure.subplots(1, 2, width_ratios=(1.2, 1))
    frame = data.activities
    totals = frame[frame["er_total"].fillna(False).astype(bool)].dropna(subset=["andel_mindst_2_partnere"])
    by_year.set_title("Alle aktiviteter, pr. år")
    if totals.empty:
        _no_data(by_year)
    else:
        colours = ["#1f3a93" if y == data.year else "#9fb0d6" for y in totals["aar"]]
        bars = by_year.bar(totals["aar"], totals["andel_mindst_2_partnere"], color=colours, width=0.6, zorder=2)
        # inside the bars: above them the labels would collide with the target line
        by_year.bar_label(bars, labels=[fmt.percent(v, 0) for v in totals["andel_mindst_2_partnere"]],
                          label_type="center", color="white", fontweight="bold", fontsize=10)
        _target_line(by_year, totals["maal"])
        by_year.xaxis.set_major_locator(MaxNLocator(integer=True))
        by_year.set_ylim(0, 1.12)
        _percent_axis(by_year.yaxis)
        by_year.set_ylabel("Andel med mindst 2 partnere")
    areas = frame[(frame["aar"] == data.year) & ~frame["er_total"].fillna(False).astype(bool)]
    by_area.set_title(f"Pr. indsatsområde, {data.year}", pad=18)  # room for the target's label
    if areas.empty:
        _no_data(by_area, f"Ingen aktiviteter for {data.year}")
        return figure
    areas = areas.sort_values("indsatsomraade", ascending=False)
    names = [f"{int(n)}. {name}" for n, name in zip(areas["indsatsomraade"], areas["indsatsomraade_navn"],
                                                     strict=True)]
    bars = by_area.barh(names, areas["andel_mindst_2_partnere"], color="#9fb0d6", height=0.6, zorder=2)
    by_area.bar_label(bars, padding=3, fontsize=9, labels=[
        f"{fmt.percent(v, 0)} ({m} af {n})" for v, m, n in
        zip(areas["andel_mindst_2_partnere"], areas["antal_med_mindst_2_partnere"], areas["antal_aktiviteter"],
            strict=True)])
    _target_line(by_area, areas["maal"], vertical=True)
    by_area.set_xlim(0, 1.3)
    by_area.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    by_area.grid(axis="x", color="#dddddd")
    by_area.grid(axis="y", visible=False)
    _percent_axis(by_area.xaxis)
    return figure


def _target_line(axes, targets, vertical: bool = False) -> None:
    values = targets.dropna()
    if values.empty:
        return
    target = float(values.iloc[-1])
    line = axes.axvline if vertical else axes.axhline
    line(target, color=TARGET_COLOUR, linestyle=":", linewidth=2, zorder=3)
    line_label(axes, target, f"Mål: {fmt.percent(target, 0)}", TARGET_COLOUR, vertical=vertical)


def line_label(axes, value: float, text: str, colour: str, vertical: bool = False) -> None:
    """Name a reference line where it is drawn: a legend box would cover bars, a label on the line does not."""
    style = {"fontsize": 9, "color": colour, "fontweight": "bold", "zorder": 4,
             "bbox": {"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5}}
    if vertical:
        axes.text(value, 1.0, text, transform=axes.get_xaxis_transform(), ha="center", va="bottom", **style)
    else:
        axes.text(0.01, value, text, transform=axes.get_yaxis_transform(), ha="left", va="bottom", **style)
