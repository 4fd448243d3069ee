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
from assets.report.data import CRIME_TOTAL, FOCUS_GROUPS, MUNICIPALITY, ReportData

# The areas' labels and colours are the partnership's (data.partnership: its name, its parts' names, the
# districts it lies in), shared by every chart and the map, so a reader learns them once.
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
    p = data.partnership
    for axes, measure in zip(panels, SAFETY_TITLES, strict=True):
        rows = frame[frame["maal"] == measure]
        axes.set_title(SAFETY_TITLES[measure])
        if rows["andel"].notna().sum() == 0:
            _no_data(axes)
            continue
        for area in p.chart_areas:
            series = rows[rows["omraade_kode"] == area].set_index("aar").reindex(range(first, last + 1))
            colour = p.colours[area]
            axes.fill_between(series.index, series["ci_lav"], series["ci_hoej"], color=colour, alpha=0.12,
                              linewidth=0)
            axes.plot(series.index, series["andel"], color=colour, marker="o", markersize=3.5,
                      linewidth=2.6 if area == p.omraade_kode else 1.5,
                      linestyle="--" if area == MUNICIPALITY else "-", label=p.labels[area])
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


def safety_goal(data: ReportData, measure: str):
    """The goal row of a survey measure: by the agreement's id (1a, 1b), else the safety goals in file order
    (a partnership's file lists the neighbourhood goal before the evening/night one)."""
    goal = data.goals[data.goals["maal_id"] == GOAL_OF_MEASURE[measure]]
    safety = data.goals[data.goals["maal_art"] == "tryghed"] if "maal_art" in data.goals else goal
    if goal.empty and len(safety) == len(SAFETY_TITLES):
        goal = safety.iloc[[list(SAFETY_TITLES).index(measure)]]
    return goal


def _projection(axes, data: ReportData, measure: str, rows) -> int:
    """Goal 1's projection to the agreement's last year (decision 13; fremskrevet_2028 holds it): a dotted
    line from the status year's share to the projected share, with its 95 % interval as an error bar, for the
    partnership and Copenhagen. Returns the last year drawn (the report year when there is no projection)."""
    p = data.partnership
    goal = safety_goal(data, measure)
    if goal.empty or fmt.is_missing(goal["fremskrevet_2028"].iloc[0]):
        return data.year
    g = goal.iloc[0]
    target_year = p.aftale_til
    for area, value in ((p.omraade_kode, g["fremskrevet_2028"]), (MUNICIPALITY, g["fremskrevet_2028_kbh"])):
        now = rows[(rows["omraade_kode"] == area) & (rows["aar"] == data.year)]["andel"]
        if fmt.is_missing(value) or now.empty or fmt.is_missing(now.iloc[0]):
            continue
        axes.plot([data.year, target_year], [float(now.iloc[0]), float(value)], color=p.colours[area],
                  linestyle=":", linewidth=1.8, label=f"Fremskrevet {target_year}" if area == p.omraade_kode else None)
    low, high = float(g["fremskrevet_2028_ci_lav"]), float(g["fremskrevet_2028_ci_hoej"])
    value = float(g["fremskrevet_2028"])
    axes.errorbar([target_year], [value], yerr=[[value - low], [high - value]], color=p.colours[p.omraade_kode],
                  marker="D", markersize=5, capsize=4, linewidth=1.5)
    return target_year


def crime(data: ReportData) -> Figure:
    """Borgervendt crime per 1,000 residents: the partnership against its baseline, districts as context."""
    figure = new_figure(11, 4.4)
    axes = figure.subplots()
    rows = data.crime[data.crime["gruppe"] == CRIME_TOTAL]
    axes.set_title("Borgervendt kriminalitet pr. 1.000 indbyggere")
    if rows["pr_1000"].notna().sum() == 0:
        _no_data(axes)
        return figure
    first, last = int(rows["aar"].min()), data.year
    p = data.partnership
    for area in (MUNICIPALITY, *reversed(p.districts), p.omraade_kode):
        series = rows[rows["omraade_kode"] == area].set_index("aar").reindex(range(first, last + 1))
        if series["pr_1000"].notna().sum() == 0:
            continue
        main = area == p.omraade_kode
        axes.plot(series.index, series["pr_1000"], color=p.colours[area], marker="o",
                  markersize=4.5 if main else 3, linewidth=2.8 if main else 1.3,
                  linestyle="--" if area == MUNICIPALITY else "-", alpha=1 if main else 0.75, label=p.labels[area],
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
    rows = data.crime[data.crime["omraade_kode"] == data.partnership.omraade_kode]
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
            line_label(axes, level, f"Baseline {data.baseline.year}: {fmt.number(level, 0)}", BASELINE_COLOUR)
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
