"""Altair chart builders shared by the pages. Each takes a small aggregated frame from a query."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ui.text import MISSING

STAR_ORDER = ["½", "★", "★½", "★★", "★★½", "★★★", "★★★½", "★★★★", "★★★★½", "★★★★★"]
GREEN = "#00a35c"
# Every star label shown. Under a narrow chart (a phone) ten rows of stars would run into each other,
# so there they read as numbers: ½, 1, 1½ … 5.
_COMPACT_STARS = (
    "width < 520 ? (length(replace(datum.value, '½', '')) == 0 ? '½' : "
    "toString(length(replace(datum.value, '½', ''))) + (indexof(datum.value, '½') >= 0 ? '½' : '')) : datum.label"
)
STAR_AXIS = alt.Axis(labelAngle=0, labelOverlap=False, labelFontSize=9, labelExpr=_COMPACT_STARS)
# Counts: whole numbers only (no 0.2 reviews on a small axis).
COUNT_AXIS = alt.Axis(format=",d", tickMinStep=1)
# Legends of named groups: three to a row, or one under another on a narrow chart (a phone), where
# a row of names would run off the side.
GROUP_LEGEND = alt.Legend(orient="top", title=None, columns=alt.ExprRef("width < 520 ? 1 : 3"),
                          labelLimit=alt.ExprRef("width < 520 ? width - 30 : 280"))


def count_scale(values: pd.Series) -> alt.Scale | object:
    """A count or share axis that shows 0 to 1 when every value is zero (not 0.000000%)."""
    return alt.Scale(domain=[0, 1]) if values.empty or not values.fillna(0).any() else alt.Undefined


def rating_histogram(hist: pd.DataFrame, title: str | None = None, height: int = 220) -> alt.Chart:
    """Ten half-star bars (columns `stars`, `ratings`, `share`), as on a Letterboxd film page."""
    return (
        alt.Chart(hist, title=title or "")
        .mark_bar(color=GREEN, cornerRadiusTopLeft=2, cornerRadiusTopRight=2)
        .encode(
            x=alt.X("stars:N", sort=STAR_ORDER, title=None, axis=STAR_AXIS),
            y=alt.Y("ratings:Q", title="Ratings", axis=COUNT_AXIS, scale=count_scale(hist.ratings)),
            tooltip=[
                alt.Tooltip("stars:N", title="Stars"),
                alt.Tooltip("ratings:Q", title="Ratings", format=","),
                alt.Tooltip("share:Q", title="Share", format=".1%"),
            ],
        )
        .properties(height=height)
    )


def share_comparison(
    shares: pd.DataFrame, group: str = "group", height: int = 260, order: list[str] | None = None,
    colors: list[str] | None = None,
) -> alt.Chart:
    """Half-star distributions of several groups as shares, side by side (columns `stars`, `share`, group).

    `order` fixes the groups' order (legend, and bars within a star); `colors` their colours, in order.
    """
    scale = alt.Scale(domain=order, range=colors) if order and colors else alt.Scale(domain=order) if order else alt.Undefined
    return (
        alt.Chart(shares)
        .mark_bar()
        .encode(
            x=alt.X("stars:N", sort=STAR_ORDER, title=None, axis=STAR_AXIS),
            xOffset=alt.XOffset(f"{group}:N", sort=order or alt.Undefined),
            y=alt.Y("share:Q", title="Share of ratings", axis=alt.Axis(format="%"), scale=count_scale(shares.share)),
            color=alt.Color(f"{group}:N", title=None, legend=GROUP_LEGEND, scale=scale,
                            sort=order or alt.Undefined),
            tooltip=[
                alt.Tooltip(f"{group}:N", title="Who"),
                alt.Tooltip("stars:N", title="Stars"),
                alt.Tooltip("ratings:Q", title="Ratings", format=","),
                alt.Tooltip("share:Q", title="Share", format=".1%"),
            ],
        )
        .properties(height=height)
    )


def monthly_reviews(months: pd.DataFrame, value: str = "reviews", title: str = "Reviews per month") -> alt.Chart:
    """Reviews per month as bars (columns `month` and `value`)."""
    return (
        alt.Chart(months, title=title)
        .mark_bar(color=GREEN)
        .encode(
            x=alt.X("month:T", title=None),
            y=alt.Y(f"{value}:Q", title=value.replace("_", " ").capitalize(), axis=COUNT_AXIS),
            tooltip=[alt.Tooltip("month:T", title="Month", format="%B %Y"), alt.Tooltip(f"{value}:Q", format=",")],
        )
        .properties(height=220)
    )


def pair_matrix(pairs: pd.DataFrame, order: list[str]) -> alt.Chart:
    """Agreement of every pair as a matrix (columns `first`, `second`, `mean_abs_difference`,
    `shared_films`): each cell the pair's mean difference in stars, greener the closer, both halves."""
    both = pd.concat([pairs, pairs.rename(columns={"first": "second", "second": "first"})], ignore_index=True)
    both = both.assign(label=[(MISSING if pd.isna(d) else f"{d:.2f}") + f"\n{n:,} films"
                              for d, n in zip(both.mean_abs_difference, both.shared_films, strict=True)])
    narrow = "width < 520"  # a phone: short names, small figures
    base = alt.Chart(both).encode(
        x=alt.X("second:N", sort=order, title=None,
                axis=alt.Axis(labelAngle=0, orient="top", labelOverlap=False,
                              labelLimit=alt.ExprRef(f"{narrow} ? 66 : 190"))),
        y=alt.Y("first:N", sort=order, title=None, axis=alt.Axis(labelLimit=alt.ExprRef(f"{narrow} ? 80 : 200"))),
    )
    # The figures are in the cells: no colour legend.
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color("mean_abs_difference:Q", legend=None,
                        scale=alt.Scale(scheme="greens", reverse=True, domain=[0, 2], clamp=True)),
        tooltip=[alt.Tooltip("first:N", title="Reviewer"), alt.Tooltip("second:N", title="and"),
                 alt.Tooltip("shared_films:Q", title="Shared films", format=","),
                 alt.Tooltip("mean_abs_difference:Q", title="Mean difference (stars)", format=".2f")],
    )
    text = base.mark_text(lineBreak="\n", fontSize=alt.ExprRef(f"{narrow} ? 9 : 12")).encode(text="label:N")
    return (cells + text).properties(height=44 * len(order) + 30)


def monthly_by_group(months: pd.DataFrame, group: str = "who", order: list[str] | None = None) -> alt.Chart:
    """Reviews per month, one line per group (columns `month`, `reviews` and `group`)."""
    return (
        alt.Chart(months)
        .mark_line(point=alt.OverlayMarkDef(size=25), interpolate="monotone")
        .encode(
            x=alt.X("month:T", title=None),
            y=alt.Y("reviews:Q", title="Reviews per month", axis=COUNT_AXIS),
            color=group_color(group, order),
            tooltip=[alt.Tooltip(f"{group}:N", title="Who"), alt.Tooltip("month:T", title="Month", format="%B %Y"),
                     alt.Tooltip("reviews:Q", title="Reviews", format=",")],
        )
        .properties(height=240)
    )


def running_average(months: pd.DataFrame, title: str = "Running average rating") -> alt.Chart:
    """A line of `running_average` over `month`, on the 0.5–5 scale."""
    return (
        alt.Chart(months, title=title)
        .mark_line(color="#ff8000", point=alt.OverlayMarkDef(color="#ff8000"))
        .encode(
            x=alt.X("month:T", title=None),
            y=alt.Y("running_average:Q", title="Average rating", scale=alt.Scale(domain=[0.5, 5])),
            tooltip=[
                alt.Tooltip("month:T", title="Month", format="%B %Y"),
                alt.Tooltip("running_average:Q", title="Running average", format=".2f"),
            ],
        )
        .properties(height=220)
    )


def career_by_year(films: pd.DataFrame, group: str = "who", order: list[str] | None = None, height: int = 320) -> alt.Chart:
    """Each film's average rating against its release year, one colour per `group` (career over time).

    Columns `year`, `average`, `ratings`, `title` and `group`; films without a year or an average
    are left out. `order` fixes the colour of each group (see `group_color`).
    """
    color = group_color(group, order)
    base = alt.Chart(films).transform_filter("isValid(datum.year) && isValid(datum.average)")
    lines = base.mark_line(opacity=0.35, strokeWidth=1.5).encode(
        # Padding, so a dot on the first or last year is drawn whole.
        x=alt.X("year:Q", title="Release year", axis=alt.Axis(format="d", tickMinStep=1),
                scale=alt.Scale(zero=False, padding=14)),
        y=alt.Y("average:Q", title="Average rating", scale=alt.Scale(domain=[0.5, 5])),
        color=alt.Color(f"{group}:N", scale=group_scale(order), legend=None),
        detail=f"{group}:N",
    )
    points = base.mark_circle(opacity=0.85).encode(
        x="year:Q",
        y="average:Q",
        color=color,
        size=alt.Size("ratings:Q", title="Ratings", legend=None, scale=alt.Scale(range=[30, 400])),
        tooltip=[
            alt.Tooltip(f"{group}:N", title="Who"),
            alt.Tooltip("title:N", title="Film"),
            alt.Tooltip("year:Q", title="Year", format="d"),
            alt.Tooltip("average:Q", title="Average", format=".2f"),
            alt.Tooltip("ratings:Q", title="Ratings", format=","),
        ],
    )
    # The legend comes from the points alone (the faint lines would make it pale).
    return (lines + points).resolve_legend(color="independent").properties(height=height)


# Six clearly different hues (Tableau 10), for charts that tell up to six groups apart.
GROUP_PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#9c755f", "#edc948", "#76b7b2"]


def average_intervals(people: pd.DataFrame, group: str = "who", order: list[str] | None = None) -> alt.Chart:
    """Each group's average rating as a dot with its 95% interval as a bar (columns `average`,
    `ci_low`, `ci_high`, `rated_films`, `ratings` and `group`), on the ½–★★★★★ scale."""
    scale = alt.Scale(domain=[0.5, 5], clamp=True, nice=False, padding=8)
    base = alt.Chart(people).encode(
        y=alt.Y(f"{group}:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)),
        # The names are on the axis: no legend.
        color=group_color(group, order).legend(None),
        tooltip=[
            alt.Tooltip(f"{group}:N", title="Who"),
            alt.Tooltip("average:Q", title="Average", format=".2f"),
            alt.Tooltip("ci_low:Q", title="95% interval from", format=".2f"),
            alt.Tooltip("ci_high:Q", title="to", format=".2f"),
            alt.Tooltip("rated_films:Q", title="Rated films", format=","),
            alt.Tooltip("ratings:Q", title="Ratings", format=","),
        ],
    )
    bars = base.mark_rule(strokeWidth=4, opacity=0.6).encode(
        x=alt.X("ci_low:Q", scale=scale, title="Average rating, with its 95% interval"), x2="ci_high:Q"
    )
    dots = base.mark_point(filled=True, size=110, opacity=1).encode(x=alt.X("average:Q", scale=scale))
    return (bars + dots).properties(height=36 * max(len(people), 1) + 50)


def group_scale(order: list[str] | None = None) -> alt.Scale:
    """The colour scale of `group_color`: one hue of `GROUP_PALETTE` per value, in `order` when given."""
    return alt.Scale(domain=order, range=GROUP_PALETTE[: len(order)]) if order else alt.Scale(range=GROUP_PALETTE)


def group_color(group: str, order: list[str] | None = None) -> alt.Color:
    """A colour encoding of `group` with one distinct hue per value, in `order` when given.

    Charts that show the same groups pass the same `order`, so a group keeps its colour across them.
    """
    return alt.Color(f"{group}:N", title=None, scale=group_scale(order), sort=order, legend=GROUP_LEGEND)


def period_reviews(periods: pd.DataFrame, period: str = "month", title: str = "") -> alt.Chart:
    """Reviews per week or per month (columns `period`, the period's first day, and `reviews`)."""
    label, fmt = ("Month", "%B %Y") if period == "month" else ("Week of", "%-d %b %Y")
    base = alt.Chart(periods, title=title)
    # A week has too many bars to draw apart; an area keeps the shape readable.
    mark = base.mark_bar(color=GREEN) if period == "month" else base.mark_area(color=GREEN, line=True, opacity=0.7)
    return mark.encode(
        x=alt.X("period:T", title=None),
        y=alt.Y("reviews:Q", title="Reviews", axis=COUNT_AXIS),
        tooltip=[alt.Tooltip("period:T", title=label, format=fmt), alt.Tooltip("reviews:Q", title="Reviews", format=",")],
    ).properties(height=220)


def weekday_reviews(days: pd.DataFrame, title: str = "") -> alt.Chart:
    """Reviews by day of the week, Monday first (columns `weekday` 1–7, `day`, `reviews`, `share`)."""
    return (
        alt.Chart(days, title=title)
        .mark_bar(color=GREEN)
        .encode(
            x=alt.X("day:N", sort=alt.EncodingSortField("weekday"), title=None,
                    axis=alt.Axis(labelAngle=0, labelExpr="slice(datum.label, 0, 3)", labelOverlap=False)),
            y=alt.Y("reviews:Q", title="Reviews", axis=COUNT_AXIS),
            tooltip=[
                alt.Tooltip("day:N", title="Day"),
                alt.Tooltip("reviews:Q", title="Reviews", format=","),
                alt.Tooltip("share:Q", title="Share", format=".1%"),
            ],
        )
        .properties(height=220)
    )


def new_vs_returning(months: pd.DataFrame, title: str = "") -> alt.Chart:
    """Active reviewers per month, stacked: new and returning (columns `month`, `new_reviewers`, `returning_reviewers`)."""
    long = months.melt(id_vars="month", value_vars=["new_reviewers", "returning_reviewers"],
                       var_name="kind", value_name="reviewers")
    long["kind"] = long.kind.map({"new_reviewers": "New", "returning_reviewers": "Returning"})
    return (
        alt.Chart(long, title=title)
        .mark_bar()
        .encode(
            x=alt.X("month:T", title=None),
            y=alt.Y("reviewers:Q", title="Reviewers", stack="zero", axis=COUNT_AXIS),
            color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=["New", "Returning"], range=["#ff8000", GREEN]),
                            legend=alt.Legend(orient="top")),
            order=alt.Order("kind:N", sort="descending"),
            tooltip=[
                alt.Tooltip("month:T", title="Month", format="%B %Y"),
                alt.Tooltip("kind:N", title="Reviewers"),
                alt.Tooltip("reviewers:Q", title="Count", format=","),
            ],
        )
        .properties(height=240)
    )


def activity_buckets(buckets: pd.DataFrame, title: str = "", log: bool = True) -> alt.Chart:
    """Reviewers by how many reviews they wrote (columns `bucket`, `label`, `reviewers`, `reviews`, shares).

    A symmetric-log scale by default: one bucket often holds a hundred times more reviewers than
    another, and the scale still draws empty buckets (a plain log scale cannot show zero).
    """
    scale = alt.Scale(type="symlog") if log else alt.Scale()
    top = max(int(buckets["reviewers"].max()) if len(buckets) else 0, 1)
    # Ticks at 0 and the powers of ten, where the log scale spaces them evenly.
    ticks = [0] + [10**i for i in range(len(str(top)) + 1)] if log else alt.Undefined
    base = alt.Chart(buckets, title=title).encode(
        x=alt.X("label:N", sort=alt.EncodingSortField("bucket"), title="Reviews written", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("reviewers:Q", title="Reviewers" + (" (log scale)" if log else ""), scale=scale,
                axis=alt.Axis(format=",d", values=ticks)),
        tooltip=[
            alt.Tooltip("label:N", title="Reviews written"),
            alt.Tooltip("reviewers:Q", title="Reviewers", format=","),
            alt.Tooltip("reviewer_share:Q", title="Share of reviewers", format=".1%"),
            alt.Tooltip("reviews:Q", title="Their reviews", format=","),
            alt.Tooltip("review_share:Q", title="Share of reviews", format=".1%"),
        ],
    )
    bars = base.mark_bar(color=GREEN)
    labels = base.mark_text(dy=-7, fontSize=11).encode(text=alt.Text("reviewers:Q", format=","))
    return (bars + labels).properties(height=240)


def calendar_heatmap(days: pd.DataFrame, title: str = "") -> alt.Chart:
    """A year of daily counts as a contribution graph: one column a week, one row a weekday.

    Columns `day` (date), `week` (0–53, weeks start on Monday), `weekday` (1 = Monday), `day_name`
    and `reviews`. Months are labelled at the week holding their first day; empty days are grey.
    """
    dates = pd.to_datetime(days["day"])
    frame = days.assign(date=dates.dt.strftime("%a %-d %b %Y"))
    # Each month's name under the week that holds its first day, the other weeks unlabelled.
    starts = dates[dates.dt.day == 1]
    names = dict(zip(days["week"][starts.index], starts.dt.strftime("%b"), strict=True))
    label = "".join(f"datum.value == {week} ? '{name}' : " for week, name in names.items()) + "''"
    busiest = max(int(days["reviews"].max()) if len(days) else 0, 1)
    return (
        alt.Chart(frame, title=title)
        .mark_rect(cornerRadius=2, stroke="white", strokeWidth=1.5)
        .encode(
            x=alt.X("week:O", title=None, axis=alt.Axis(labelExpr=label, labelAngle=0, ticks=False, domain=False)),
            y=alt.Y("day_name:N", title=None, sort=alt.EncodingSortField("weekday"),
                    axis=alt.Axis(labelExpr="slice(datum.label, 0, 3)", ticks=False, domain=False)),
            color=alt.condition(
                "datum.reviews > 0",
                alt.Color("reviews:Q", title="Reviews", scale=alt.Scale(scheme="greens", domain=[0, busiest]),
                          legend=alt.Legend(orient="right", format="d", tickMinStep=1)),
                alt.value("#ebedf0"),
            ),
            tooltip=[alt.Tooltip("date:N", title="Day"), alt.Tooltip("reviews:Q", title="Reviews", format=",")],
        )
        .properties(height=150)
    )
