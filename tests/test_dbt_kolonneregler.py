"""A model's column rules are one dbt test (kolonneregler, or kolonneadvarsler for warnings; decision 71).

- every model or seed whose YAML gives its columns rules (`config: {meta: {regler: [...]}}`) has the test
  that checks them, and the folded one-rule tests (not_null, accepted_values, mellem, udtryk_gaelder) are
  not declared one by one again;
- on a small database that breaks each kind of rule (not_null, unique, accepted_values, mellem,
  udtryk_gaelder, and an accepted_values warning), the tests fail or warn and the Danish message names the
  model, each broken rule with its column, the count and the first rows by their key.
"""

from __future__ import annotations

import json

import duckdb

from assets.foundation.dbt_project import MANIFEST, invoke
from assets.foundation.settings import Settings
from orchestration.dbt_messages import describe_test, first_rows

FOLDED = {"not_null", "accepted_values", "mellem", "udtryk_gaelder"}
COLUMN_RULES = {"not_null", "unique", "accepted_values", "mellem"}


def _meta(properties: dict) -> dict:
    return (properties.get("config") or {}).get("meta") or properties.get("meta") or {}


def test_every_rule_is_checked_by_its_models_test():
    nodes = json.loads(MANIFEST.read_text(encoding="utf-8"))["nodes"]
    tests: dict[str, set[str]] = {}
    problems = []
    for node in nodes.values():
        if node["resource_type"] != "test":
            continue
        name = (node.get("test_metadata") or {}).get("name")
        tests.setdefault(node.get("attached_node") or "", set()).add(name)
        if name in FOLDED or (name == "unique" and not node["config"].get("where")):
            problems.append(f"{node['name']}: a one-rule test; give the column `config: {{meta: {{regler: [...]}}}}`")
    for node in nodes.values():
        if node["resource_type"] not in ("model", "seed"):
            continue
        for key, test in (("regler", "kolonneregler"), ("advarsler", "kolonneadvarsler")):
            rules = [(column["name"], rule) for column in node["columns"].values()
                     for rule in _meta(column).get(key) or []]
            rules += [(None, rule) for rule in _meta(node).get(key) or []]
            if rules and test not in tests.get(node["unique_id"], set()):
                problems.append(f"{node['name']}: has {key} but no test {test} (data_tests: [{test}])")
            for column, rule in rules:
                name = rule if isinstance(rule, str) else next(iter(rule))
                if name not in (COLUMN_RULES if column else {"udtryk_gaelder"}):
                    problems.append(f"{node['name']}.{column}: unknown rule {rule}")
    assert not problems, "\n".join(problems)


def test_broken_rules_fail_naming_model_rule_column_and_rows(tmp_path):
    db = tmp_path / "tryghed.duckdb"  # the catalog the compiled tests name
    con = duckdb.connect(str(db))
    con.execute("create schema marts; create schema staging")
    con.execute("create table marts.dim_omraade as select * from (values ('101', 'København', 'kommune'), "
                "('101', 'Dobbelt', 'bydel'), ('BY01', null, 'kvarter')) as t(omraade_kode, navn, niveau)")
    con.execute("create table marts.fct_aktiviteter as select * from (values "
                "('AP', 2024, 1, false, 3, 1.5), ('AP', 2024, null, false, 3, 0.5), ('AP', null, 2, false, 3, 0.5)) "
                "as t(partnerskab_kode, aar, indsatsomraade, er_total, antal_aktiviteter, andel_mindst_2_partnere)")
    con.execute("create table staging.stg_tryghedsplan__aktiviteter as select * from (values "
                "('planlagt', 7, 'aktiviteter/tryghedsplan_2024.csv', 5), "
                "('igang', 2, 'aktiviteter/tryghedsplan_2024.csv', 6)) "
                "as t(status, indsatsomraade, kildefil, kildelinje)")
    con.close()

    selection = ["dim_omraade,test_name:kolonneregler", "fct_aktiviteter,test_name:kolonneregler",
                 "stg_tryghedsplan__aktiviteter,test_name:kolonneadvarsler"]
    target = tmp_path / "target"
    invoke(["test", "--quiet", "--select", *selection], Settings().dbt_vars(), target_path=target, database=db)
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))["nodes"]
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    messages = {}
    for result in results:
        node = manifest[result["unique_id"]]
        messages[node["attached_node"].split(".")[-1]] = (
            result["status"], describe_test(node, result["failures"], first_rows(db, result["compiled_code"])))
    assert set(messages) == {"dim_omraade", "fct_aktiviteter", "stg_tryghedsplan__aktiviteter"}

    status, text = messages["dim_omraade"]
    assert status == "fail"
    assert text.startswith("dbt-test på dim_omraade: 4 brud på 3 regler: ")
    assert "'omraade_kode' skal være entydig – 2 rækker, de første: omraade_kode=101 / omraade_kode=101" in text
    assert "'navn' må ikke være tom – 1 række, de første: omraade_kode=BY01" in text
    assert ("'niveau' skal være en af kommune, bydel, partnerskab, partnerskab_del, boligomraade – 1 række, "
            "de første: niveau=kvarter (omraade_kode=BY01)") in text

    status, text = messages["fct_aktiviteter"]
    assert status == "fail"
    assert text.startswith("dbt-test på fct_aktiviteter: 3 brud på 3 regler: ")
    assert ("'andel_mindst_2_partnere' skal ligge mellem 0 og 1 – 1 række, de første: andel_mindst_2_partnere=1.5 "
            "(partnerskab_kode=AP, aar=2024, indsatsomraade=1)") in text
    assert ("'er_total = (indsatsomraade is null)' skal gælde for hver række – 1 række, de første: "
            "partnerskab_kode=AP, aar=2024, indsatsomraade=tom") in text
    assert "'aar' må ikke være tom – 1 række, de første: partnerskab_kode=AP, aar=tom, indsatsomraade=2" in text

    status, text = messages["stg_tryghedsplan__aktiviteter"]
    assert status == "warn"
    assert text == ("advarsel fra dbt-test på stg_tryghedsplan__aktiviteter: 1 brud på 1 regel: 'indsatsomraade' "
                    "skal være en af 1, 2, 3, 4 – 1 række, de første: indsatsomraade=7 "
                    "(kildefil=aktiviteter/tryghedsplan_2024.csv, kildelinje=5)")


def test_combined_test_without_its_rows_still_names_the_model():
    model = "{{ get_where_subquery(ref('fct_tryghed')) }}"
    node = {"name": "kolonneregler_fct_tryghed_", "config": {"severity": "ERROR"},
            "test_metadata": {"name": "kolonneregler", "kwargs": {"model": model}}}
    assert describe_test(node, 4, None) == (
        "dbt-test på fct_tryghed: 4 brud på kolonnereglerne (config.meta regler/advarsler i dbt-projektets YAML)")
