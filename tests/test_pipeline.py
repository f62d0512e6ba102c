"""The pipeline: extractors in order, shared resources, timings."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract import DEFAULT_PIPELINE
from kg.extract.police import unit_parser
from kg.ingest import read_article
from kg.model import Mention
from kg.pipeline import Pipeline, Resources

ROOT = Path(__file__).resolve().parent.parent


def test_pipeline_records_the_seconds_of_every_extractor(kg_resources, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("近日,宁波市公安局江北分局破获一起刷单诈骗案,涉案金额50万元。\n", encoding="utf-8")
    result = Pipeline.default(kg_resources)(read_article(path))
    names = [name for name, _ in result.timings]
    assert names == ["split_items", *DEFAULT_PIPELINE, "resolve"]
    assert all(seconds >= 0 for _, seconds in result.timings)


def test_pipeline_resources_split_an_article_once(kg_resources, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("标题\n本报讯 近日,民警走进社区开展反诈宣传。\n", encoding="utf-8")
    article = read_article(path)
    assert kg_resources.items(article) is kg_resources.items(article)


def test_pipeline_units_and_home_city_share_one_parser():
    resources = Resources()
    assert unit_parser(resources) is unit_parser(resources)
    assert unit_parser(Resources()) is not unit_parser(resources)


def test_pipeline_item_votes_follow_the_items_place_mentions(kg_resources, doc_of):
    # the page's evidence reads an item without mentions (places found afresh), the units
    # extractor the same item with the places extractor's mentions: one must not answer for
    # the other
    parser = unit_parser(kg_resources)
    bare = doc_of("近日,警方破获一起刷单诈骗案。")
    placed = doc_of("近日,警方破获一起刷单诈骗案。",
                    mentions=[Mention(3, 5, "警方", "Place", "test", "Place/330200",
                                      (("code", "330200"), ("level", "prefecture")))])
    assert parser.item_votes(bare).weights == ()
    assert dict(parser.item_votes(placed).weights) == {"330200": 1.0}
    assert parser.item_votes(bare).weights == ()


def test_pipeline_refuses_an_extractor_before_what_it_reads(kg_resources):
    from kg.errors import KGError
    from kg.pipeline import Pipeline
    with pytest.raises(KGError, match="'groups' needs CrimeCue") as err:
        Pipeline(("places", "police_units", "persons", "groups", "crime_types"), kg_resources)
    assert "crime_types" in err.value.hint
    Pipeline(("cases",), kg_resources, given=("CrimeCue", "Date", "Money", "PoliceUnit", "Victim", "Suspect",
                                              "PersonRef", "CriminalGroup", "home_city", "Place", "Organization",
                                              "links"))


def test_pipeline_refuses_a_step_that_returns_no_doc(kg_resources, doc_of):
    from kg.errors import KGError
    from kg.extract import _FACTORIES, register
    from kg.pipeline import Pipeline

    @register("test_forgetful", assigns=("Money",))
    def make(resources):
        return lambda doc: None
    try:
        with pytest.raises(KGError, match="'test_forgetful' returned NoneType"):
            Pipeline(("test_forgetful",), kg_resources).process_doc(doc_of("被骗5万元。"))
    finally:
        del _FACTORIES["test_forgetful"]


def test_pipeline_each_extractor_adds_only_what_it_declares(kg_resources):
    """Every annotation a step adds on real articles is one it declares in ``assigns``."""
    from kg.extract import factory
    from kg.ingest import read_article
    from kg.pipeline import Pipeline
    pipe = Pipeline.default(kg_resources)
    seen = {name: set() for name in pipe.names}
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        for doc in kg_resources.items(read_article(path)):
            for name, step in pipe.steps:
                before, doc = doc, step(doc)
                added = {m.label for m in doc.mentions[len(before.mentions):]}
                added |= {e.type for e in doc.entities} - {e.type for e in before.entities}
                added |= {f for f in ("links", "cases", "figures") if getattr(doc, f) != getattr(before, f)}
                added |= {"home_city"} if doc.home_city != before.home_city else set()
                seen[name] |= added
    for name in pipe.names:
        assert seen[name] <= factory(name).assigns, (name, seen[name] - factory(name).assigns)
    assert all(seen.values()), "every extractor added something on the seeds"
