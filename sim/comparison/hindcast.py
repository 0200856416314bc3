"""2021–2025 as it happened: the plan scenario against the as-happened one, the model's year-on-year changes
beside the published ones, and the change in each target's P(meet) split by group of measures.

- ``group_variants``: the plan scenario with one group of the as-happened scenario's measures switched on
  (``[[measures]]`` ``group``, ``sim.config.measures``), acting from the same year, so that a comparison on
  common random numbers measures what each group alone does.
- ``hindcast_table``: per indicator and pair of years (2021→2022 …), the model's % change under the as-happened
  scenario (median and 90 % band over the runs) beside the published national and regional changes
  (``calibration/data/published_changes.csv``), and whether the band holds the published figure and agrees with
  its direction.
- ``decomposition``: per plan target, P(meet) under the plan and the as-happened scenario and the paired change
  from each group alone; what the groups do together beyond their sum is the interaction.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..config.loader import Scenario
from ..indicators import CITY
from ..observed import DATA_DIR

YEAR_PAIRS = ((2021, 2022), (2022, 2023), (2023, 2024))
INDICATORS = ("sales_area", "sales_value", "avg_price", "residential_investment", "investment", "problem_projects")
COUNTS = {"problem_projects"}   # small counts (often 0): their change is a difference in projects, not a %
BAND = (0.05, 0.95)


def measure_groups(scenario: Scenario) -> dict[str, dict[str, Any]]:
    """{group: {"section.key": value in the file's unit}} of the scenario's modelled measures, in file order."""
    groups: dict[str, dict[str, Any]] = {}
    for m in scenario.measures:
        if m.modelled:
            for key in m.sets:
                section, name = key.split(".")
                groups.setdefault(m.group, {})[key] = scenario.raw[section][name]["value"]
    return groups


def group_variant_name(plan: Scenario, group: str) -> str:
    return f"{plan.name}_with_{group}"


def group_variants(plan: Scenario, as_happened: Scenario) -> list[Scenario]:
    """The plan scenario with one group of the as-happened measures each, acting from the as-happened year."""
    if not as_happened.measures:
        raise ValueError(f"{as_happened.name} lists no [[measures]] to group")
    return [plan.variant(group_variant_name(plan, group), f"{plan.name} with the {group} measures as they happened",
                         overrides, from_year=as_happened.from_year)
            for group, overrides in measure_groups(as_happened).items()]


def published_changes(city: str) -> pd.DataFrame:
    """The published year-on-year changes (%) that apply to the city: national, and its region's."""
    df = pd.read_csv(DATA_DIR / "published_changes.csv", keep_default_na=False)
    return df[df.cities.str.split().apply(lambda c: city in c)].reset_index(drop=True)


def run_changes(runs: pd.DataFrame, indicators: tuple[str, ...] = INDICATORS,
                pairs: tuple[tuple[int, int], ...] = YEAR_PAIRS) -> pd.DataFrame:
    """Per run, indicator and pair of years: the change of the city's annual value (columns run, indicator,
    from_year, to_year, change, unit): in % of the first year's value, or in projects for ``COUNTS``. ``runs`` is
    a batch's long table (run, district, year, indicator, value)."""
    city = runs[(runs.district == CITY) & runs.indicator.isin(indicators)]
    wide = city.pivot_table(index=["run", "indicator"], columns="year", values="value", aggfunc="first")
    count = wide.index.get_level_values("indicator").isin(list(COUNTS))
    out = []
    for a, b in pairs:
        with np.errstate(divide="ignore", invalid="ignore"):
            change = np.where(count, wide[b] - wide[a], (wide[b] / wide[a] - 1.0) * 100.0)
        out.append(pd.DataFrame({"run": wide.index.get_level_values("run"),
                                 "indicator": wide.index.get_level_values("indicator"), "from_year": a, "to_year": b,
                                 "change": change, "unit": np.where(count, "projects", "%")}))
    return pd.concat(out, ignore_index=True)


def hindcast_table(runs: pd.DataFrame, city: str) -> pd.DataFrame:
    """The model's changes under the as-happened scenario (median, 90 % band over the runs; % or projects, see
    ``run_changes``) beside the published ones: one row per indicator, pair of years and published figure (a row
    without one where none is published). ``inside``: the band holds the published change; ``direction``:
    "agrees" where the median has the published sign, "band excludes it" where the whole band has the other sign,
    "median differs" else."""
    changes = run_changes(runs)
    stats = (changes.groupby(["indicator", "from_year", "to_year", "unit"]).change
             .agg(model_median="median", model_p5=lambda s: s.quantile(BAND[0]),
                  model_p95=lambda s: s.quantile(BAND[1]), runs="count").reset_index())
    pub = published_changes(city).rename(columns={"change_pct": "published_pct"})
    table = stats.merge(pub[["indicator", "from_year", "to_year", "region", "published_pct", "source"]],
                        on=["indicator", "from_year", "to_year"], how="left")
    has = table.published_pct.notna()
    table["inside"] = np.where(has, (table.model_p5 <= table.published_pct) & (table.published_pct <= table.model_p95),
                               np.nan)
    same_sign = np.sign(table.model_median) == np.sign(table.published_pct)
    against = np.where(table.published_pct < 0, table.model_p5 > 0, table.model_p95 < 0)
    table["direction"] = np.select([~has, same_sign, against], ["", "agrees", "band excludes it"], "median differs")
    table["region"] = table.region.fillna("")
    table["indicator"] = pd.Categorical(table.indicator, categories=INDICATORS, ordered=True)
    return (table.sort_values(["indicator", "from_year", "region"]).astype({"indicator": str}).reset_index(drop=True)
            [["indicator", "from_year", "to_year", "unit", "model_median", "model_p5", "model_p95", "runs", "region",
              "published_pct", "inside", "direction", "source"]])


def decomposition(comparison: pd.DataFrame, plan: Scenario, as_happened: Scenario) -> pd.DataFrame:
    """Per plan target: P(meet) under the plan and as happened, the paired change and its 90 % interval, the
    change from each group of measures alone, and the interaction (total − the groups' sum). ``comparison`` is
    the comparison table of the plan against the as-happened scenario and the group variants."""
    targets = comparison[comparison.kind == "target"]
    keys = ["indicator", "period", "target"]
    total = targets[targets.variant == as_happened.name]
    out = total[keys + ["baseline", "variant_value", "difference", "p5", "p95"]].rename(columns={
        "baseline": "p_plan", "variant_value": "p_as_happened", "difference": "change", "p5": "change_p5",
        "p95": "change_p95"})
    groups = list(measure_groups(as_happened))
    for group in groups:
        alone = targets[targets.variant == group_variant_name(plan, group)][keys + ["difference"]]
        out = out.merge(alone.rename(columns={"difference": group}), on=keys, how="left")
    out["interaction"] = out.change - out[groups].sum(axis=1)
    return out.reset_index(drop=True)


def _pct(x: float, unit: str = "%") -> str:
    if pd.isna(x):
        return "–"
    return f"{x:+.1f} %" if unit == "%" else f"{x:+.1f}"


def hindcast_markdown(table: pd.DataFrame, parts: pd.DataFrame, as_happened: Scenario) -> str:
    """The hindcast's tables and the measures behind them, as Markdown (``hindcast.md``)."""
    lines = [f"# {as_happened.name}: 2021–2025 as it happened", "",
             "## The model's year-on-year changes beside the published ones", "",
             "Model: median and 90 % band over the runs of the as-happened scenario. Published: national "
             "(residential where the statistics separate it) and regional figures (`calibration/data/"
             "published_changes.csv`).", "",
             "| indicator | years | model median | model 90 % band | published | region | inside band | direction |",
             "|---|---|---|---|---|---|---|---|"]
    for r in table.itertuples():
        inside = "" if pd.isna(r.inside) else ("yes" if r.inside else "no")
        lines.append(f"| {r.indicator} | {r.from_year}→{r.to_year} | {_pct(r.model_median, r.unit)} | "
                     f"{_pct(r.model_p5, r.unit)} to {_pct(r.model_p95, r.unit)} | {_pct(r.published_pct)} | "
                     f"{r.region or 'none published'} | {inside} | {r.direction} |")
    groups = list(measure_groups(as_happened))
    lines += ["", "## P(meet) of each plan target: plan against as happened, by group of measures", "",
              "Paired runs (common seeds and posterior draws). Each group column: the change in P(meet) with only "
              "that group's measures switched on; interaction = total − the groups' sum.", "",
              "| target | period | P plan | P as happened | change [90 %] | " + " | ".join(groups) + " | interaction |",
              "|---|---|---|---|---|" + "---|" * (len(groups) + 1)]
    for r in parts.itertuples():
        d = r._asdict()
        lines.append(f"| {r.indicator} {r.target} | {r.period} | {r.p_plan:.2f} | {r.p_as_happened:.2f} | "
                     f"{r.change:+.2f} [{r.change_p5:+.2f}, {r.change_p95:+.2f}] | "
                     + " | ".join(f"{d[g]:+.2f}" for g in groups) + f" | {r.interaction:+.2f} |")
    lines += ["", "## Measures", "", "| date | measure | issued by | group | modelled |", "|---|---|---|---|---|"]
    for m in sorted(as_happened.measures, key=lambda m: m.date):
        how = ", ".join(f"`{k}`" for k in m.sets) if m.modelled else f"no: {m.why}"
        lines.append(f"| {m.date} | {m.name} ({m.document}) | {m.issued_by} | {m.group} | {how} |")
    return "\n".join(lines) + "\n"
