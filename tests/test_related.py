"""The search for related stories gives exactly what scoring every pair gives, also on a skewed site."""

import datetime as dt
import random

import pytest

from sitegen.model import Case, _rank, related_cases, relatedness


def brute_force(case, cases, limit=3):
    scored = [(_rank(relatedness(case, other), other), other) for other in cases
              if other is not case and relatedness(case, other) > 0]
    return [other for _, other in sorted(scored, key=lambda entry: entry[0])[:limit]]


@pytest.mark.parametrize("seed", range(20))
def test_related_cases_equal_pairwise_scoring(seed):
    rng = random.Random(seed)
    cases = [Case(slug=f"c{i}", source=f"content/cases/c{i}.md", url=f"verhalen/c{i}/",
                  title=rng.choice(["Soep", "Koffie", "Groen"]),
                  date=dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(30)),
                  enterprise_slugs=rng.sample(["e1", "e2", "e3", "e4", "e5", "e6", "e7"], rng.randrange(1, 3)),
                  category=rng.choice(["catering", "schoonmaak", "drukwerk"]),
                  themes=rng.sample(["t1", "t2", "t3", "t4"], rng.randrange(0, 3)))
             for i in range(rng.randrange(2, 150))]
    fast = related_cases(cases)
    for case in cases:
        assert fast[id(case)] == brute_force(case, cases), case.slug


@pytest.mark.parametrize("seed", range(10))
def test_related_cases_equal_pairwise_scoring_when_most_stories_share_everything(seed):
    rng = random.Random(seed)
    cases = []
    for i in range(rng.randrange(50, 300)):
        crowd = rng.random() < 0.8  # one big buyer that buys catering from one enterprise
        cases.append(Case(
            slug=f"c{i}", source=f"content/cases/c{i}.md", url=f"verhalen/c{i}/",
            title=rng.choice(["Soep", "Koffie", "Groen"]),
            date=dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(10)),
            enterprise_slugs=(["big"] if crowd else []) + rng.sample([f"e{n}" for n in range(40)], rng.randrange(0, 3)),
            category="catering" if crowd else rng.choice(["catering", "schoonmaak", "drukwerk"]),
            themes=rng.sample(["t1", "t2", "t3", "t4", "t5", "t6"], rng.randrange(0, 4))))
    cases.append(Case(slug="many", source="content/cases/many.md", url="verhalen/many/", title="Soep",
                      date=dt.date(2025, 1, 5), enterprise_slugs=["big", *(f"e{n}" for n in range(12))],
                      category="drukwerk", themes=["t1", "t2"]))
    fast = related_cases(cases)
    for case in cases:
        assert fast[id(case)] == brute_force(case, cases), case.slug
