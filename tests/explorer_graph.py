"""A graph with known content for the explorer's browser tests: two articles (Hangzhou and
Shenzhen), four dated or undated cases, a gang from Kunming arrested in Hangzhou, real
divisions with their coordinates, sentences with offsets. Names are invented."""
from __future__ import annotations

from conftest import TTL_PREFIXES

# article → its sentences in order; None marks text the graph does not keep (a gap)
ARTICLES = {
    "a1.txt": ["杭州市公安局西湖区分局近日破获一起刷单返利诈骗案。", "受害人王女士被骗5万元。",
               None, "犯罪嫌疑人张某系昆明一诈骗团伙成员，在杭州落网。", "赵先生投资理财被骗20万元，杭州市公安局已立案。"],
    "a2.txt": ["深圳市公安局通报：孙女士刷单被骗8000元。", "周先生的电动车被盗。", "杭州市公安局协助调查。"],
}
PLACES = [  # key, level, label, alt, parent, lat, lon
    ("330000", "Province", "浙江省", "浙江", None, 30.27, 120.15),
    ("330100", "Prefecture", "杭州市", "杭州", "330000", 30.27, 120.16),
    ("330106", "County", "西湖区", None, "330100", 30.26, 120.13),
    ("440000", "Province", "广东省", "广东", None, 23.13, 113.27),
    ("440300", "Prefecture", "深圳市", "深圳", "440000", 22.54, 114.06),
    ("530000", "Province", "云南省", "云南", None, 25.04, 102.71),
    ("530100", "Prefecture", "昆明市", "昆明", "530000", 24.88, 102.83),
]
# (subject, predicate, object, article, sentence index, the words of the span)
FACTS = [
    ("case/c1", "victim", "person/wang", "a1.txt", 1, "王女士"),
    ("case/c1", "handledBy", "unit/xh", "a1.txt", 0, "杭州市公安局西湖区分局"),
    ("case/c1", "criminalGroup", "group/g", "a1.txt", 3, "诈骗团伙"),
    ("case/c1", "suspect", "person/zhang", "a1.txt", 3, "张某"),
    ("person/zhang", "memberOf", "group/g", "a1.txt", 3, "诈骗团伙"),
    ("person/zhang", "arrestedIn", "place/330100", "a1.txt", 3, "杭州"),
    ("group/g", "originPlace", "place/530100", "a1.txt", 3, "昆明"),
    ("case/c2", "victim", "person/zhao", "a1.txt", 4, "赵先生"),
    ("case/c2", "handledBy", "unit/hz", "a1.txt", 4, "杭州市公安局"),
    ("case/c3", "victim", "person/sun", "a2.txt", 0, "孙女士"),
    ("case/c3", "handledBy", "unit/sz", "a2.txt", 0, "深圳市公安局"),
    ("case/c4", "victim", "person/zhou", "a2.txt", 1, "周先生"),
]


def sentence_offsets() -> dict:
    """(article, index) → (start, end): sentences back to back, a gap of 12 characters for None."""
    out = {}
    for art, sents in ARTICLES.items():
        pos = 0
        for i, s in enumerate(sents):
            if s is None:
                pos += 12
                continue
            out[(art, i)] = (pos, pos + len(s))
            pos += len(s)
    return out


def explorer_ttl(long_name: str | None = None) -> str:
    lines = [TTL_PREFIXES, "@prefix geo: <http://www.w3.org/2003/01/geo/wgs84_pos#> .",
             "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
             'fkgc:RebateTaskFraud a skos:Concept ; skos:prefLabel "刷单返利诈骗"@zh .',
             'fkgc:InvestmentFraud a skos:Concept ; skos:prefLabel "虚假投资理财诈骗"@zh .',
             'fkgc:Theft a skos:Concept ; skos:prefLabel "盗窃"@zh .']
    for art in ARTICLES:
        stem = art[:-4]
        lines.append(f'<article/{stem}> a fkg:Article ; fkg:sourceFile "{art}" .')
        lines.append(f'<article/{stem}/item/0> a fkg:NewsItem ; fkg:sourceFile "{art}" .')
    for key, level, label, alt, parent, lat, lon in PLACES:
        t = f'<place/{key}> a fkg:Place, fkg:{level} ; rdfs:label "{label}"@zh ; geo:lat {lat} ; geo:long {lon}'
        t += f' ; skos:altLabel "{alt}"@zh' if alt else ""
        t += f" ; fkg:locatedIn <place/{parent}>" if parent else ""
        lines.append(t + " .")

    def ent(iri, cls, label, arts, extra=""):
        ment = " ; ".join(f"fkg:mentionedIn <article/{a}>" for a in arts)
        lines.append(f'<{iri}> a fkg:{cls} ; rdfs:label "{label}"@zh ; {ment}{extra} .')

    ent("unit/hz", "PoliceUnit", "杭州市公安局", ["a1", "a2"], " ; fkg:jurisdiction <place/330100>")
    ent("unit/xh", "PoliceUnit", "杭州市公安局西湖区分局", ["a1"], ' ; skos:altLabel "西湖区分局"@zh ; fkg:partOf <unit/hz>')
    ent("unit/sz", "PoliceUnit", "深圳市公安局", ["a2"], " ; fkg:jurisdiction <place/440300>")
    ent("group/g", "CriminalGroup", "张某诈骗团伙", ["a1"])
    ent("person/zhang", "Suspect", long_name or "张某", ["a1"], " ; a fkg:Person")
    for key, label, art in (("wang", "王女士", "a1"), ("zhao", "赵先生", "a1"), ("sun", "孙女士", "a2"), ("zhou", "周先生", "a2")):
        ent(f"person/{key}", "Victim", label, [art])
    for i in range(3):
        ent(f"org/o{i}", "Organization", f"某{i}科技有限公司", ["a2"])
    cases = [("c1", "王女士 刷单返利诈骗案", "RebateTaskFraud", "2024-03-05", 50000, 20000, "330106", "a1"),
             ("c2", "赵先生 虚假投资理财诈骗案", "InvestmentFraud", "2024-05-20", 200000, None, "330100", "a1"),
             ("c3", "孙女士 刷单返利诈骗案", "RebateTaskFraud", "2024-07-02", 8000, None, "440300", "a2"),
             ("c4", "周先生 盗窃案", "Theft", None, None, None, None, "a2")]
    for key, label, crime, date, lost, rec, place, art in cases:
        extra = f" ; fkg:crimeType fkgc:{crime}"
        extra += f' ; fkg:date "{date}"^^xsd:date' if date else ""
        extra += f" ; fkg:amountLost {lost}.0" if lost else ""
        extra += f" ; fkg:amountRecovered {rec}.0" if rec else ""
        extra += f" ; fkg:occurredIn <place/{place}>" if place else ""
        ent(f"case/{key}", "Case", label, [art], extra)
    offsets = sentence_offsets()
    for (art, i), (s, e) in offsets.items():
        text = ARTICLES[art][i]
        lines.append(f'<article/{art[:-4]}/sentence/{s}-{e}> a fkg:Sentence ; fkg:text "{text}" ; '
                     f"fkg:inArticle <article/{art[:-4]}/item/0> ; fkg:startOffset {s} ; fkg:endOffset {e} .")
    for k, (subj, pred, obj, art, i, words) in enumerate(FACTS):
        s, _e = offsets[(art, i)]
        at = s + ARTICLES[art][i].index(words)
        lines.append(f"<assertion/{k}> a fkg:Assertion ; rdf:subject <{subj}> ; rdf:predicate fkg:{pred} ; "
                     f"rdf:object <{obj}> ; fkg:inSentence <article/{art[:-4]}/sentence/{s}-{_e}> ; "
                     f"fkg:startOffset {at} ; fkg:endOffset {at + len(words)} .")
        lines.append(f"<{subj}> fkg:{pred} <{obj}> .")
    return "\n".join(lines) + "\n"
