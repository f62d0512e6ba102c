"""Parallel extraction: --jobs N writes exactly what --jobs 1 writes."""
from __future__ import annotations

from kg.build import build
from kg.model import Article
from kg.parallel import Outcome, extract
from kg.pipeline import Pipeline, Resources


def light_pipeline() -> Pipeline:
    """The extractors that need no word segmenter: worker processes start in a second or two
    (what is tested here is the machinery, not the extractors)."""
    from kg.extract import DEFAULT_PIPELINE
    names = [n for n in DEFAULT_PIPELINE if n in ("places", "police_units", "money", "dates", "crime_types")]
    assert names, DEFAULT_PIPELINE
    return Pipeline(names, Resources())


def test_parallel_jobs_output_is_byte_identical_to_one_job(small_corpus, tmp_path):
    pipeline = light_pipeline()
    one = build([small_corpus], tmp_path / "one", html=False, pipeline=pipeline)
    two = build([small_corpus], tmp_path / "two", html=False, pipeline=pipeline, jobs=2)
    assert (tmp_path / "one" / "kg.ttl").read_bytes() == (tmp_path / "two" / "kg.ttl").read_bytes()
    assert (one.articles, one.items, one.triples, one.skipped) == (two.articles, two.items, two.triples, two.skipped)


def test_parallel_outcomes_come_back_in_input_order_and_a_failure_stays_with_its_article(small_corpus):
    from kg.ingest import read_article
    articles = [read_article(p) for p in sorted(small_corpus.glob("*.txt"))]
    # an article whose text makes item splitting fail: raw text that is not a str
    broken = Article(id="broken", source_file="broken.txt", path="broken.txt", raw=None,  # type: ignore[arg-type]
                     content_hash="0" * 64)
    articles.insert(1, broken)
    outcomes = list(extract(articles, pipeline=light_pipeline(), jobs=2))
    assert [o.article_id for o in outcomes] == [a.id for a in articles]
    assert all(isinstance(o, Outcome) for o in outcomes)
    assert outcomes[1].error and "internal error" in outcomes[1].error
    assert all(o.error is None and o.triples for i, o in enumerate(outcomes) if i != 1)


def test_parallel_progress_reaches_the_total_in_every_mode(small_corpus, tmp_path):
    pipeline = light_pipeline()
    for jobs in (1, 2):
        calls = []
        build([small_corpus], tmp_path / f"out{jobs}", html=False, pipeline=pipeline, jobs=jobs,
              progress=lambda done, total, current: calls.append((done, total)))
        assert calls[-1] == (4, 4) and [d for d, _ in calls] == sorted(d for d, _ in calls)
