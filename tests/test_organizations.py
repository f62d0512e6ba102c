"""Organisations: banks and branches, departments qualified by the home city, operators,
and the things that only look like organisations."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from kg.extract import create
from kg.model import Mention

PIPE = ("places", "police_units", "home_city", "persons", "organizations")


def _orgs_of_doc(doc) -> dict[str, frozenset[str]]:
    return {e.label: e.aliases for e in doc.entities if e.type == "Organization"}


def _orgs(result) -> dict[str, frozenset[str]]:
    out: dict[str, frozenset[str]] = {}
    for d in result.docs:
        out.update(_orgs_of_doc(d))
    return out


def _run(kg_resources, doc):
    return create("organizations", kg_resources)(doc)


def test_organizations_bank_short_name_is_canonical(kg_resources, doc_of):
    doc = _run(kg_resources, doc_of("民警立即联系建设银行客服,对涉案账户紧急止付。"))
    orgs = _orgs_of_doc(doc)
    assert set(orgs) == {"中国建设银行"} and "建设银行" in orgs["中国建设银行"]
    assert all(m.key == "Organization/中国建设银行" for m in doc.labelled("Organization"))


def test_organizations_bank_branch_keeps_its_branch_name(kg_resources, doc_of):
    doc = _run(kg_resources, doc_of("她在农业银行杭州西湖支行取款时被柜员劝阻。"))
    orgs = _orgs_of_doc(doc)
    assert set(orgs) == {"中国农业银行杭州西湖支行"}
    assert "农业银行杭州西湖支行" in orgs["中国农业银行杭州西湖支行"]


def test_organizations_city_department_is_qualified_by_home_city(run_article):
    got = _orgs(run_article("杭州市公安局会同市交通局、市教育局开展校园周边交通整治。\n", PIPE))
    assert {"杭州市交通局", "杭州市教育局"} <= set(got)
    assert "市交通局" in got["杭州市交通局"]


def test_organizations_procuratorate_is_the_peoples_procuratorate(run_article):
    got = _orgs(run_article("杭州市公安局侦破该案后,已将案件移送省检察院审查起诉。\n", PIPE))
    assert "浙江省人民检察院" in got and "省检察院" in got["浙江省人民检察院"]


def test_organizations_police_units_are_not_organizations(run_article):
    got = _orgs(run_article("杭州市公安局西湖区分局反诈中心联合中国工商银行开展宣传。\n", PIPE))
    assert set(got) == {"中国工商银行"}


def test_organizations_operators_listed_together(kg_resources, doc_of):
    doc = _run(kg_resources, doc_of("警方联合电信、移动、联通三家运营商拦截诈骗电话。"))
    assert set(_orgs_of_doc(doc)) == {"中国电信", "中国移动", "中国联通"}


def test_organizations_operator_after_a_place(kg_resources, doc_of):
    text = "余杭公安与余杭电信签订合作协议。"
    place = Mention(5, 7, "余杭", "Place", "test", "Place/330110")
    doc = _run(kg_resources, doc_of(text, mentions=[place]))
    orgs = _orgs_of_doc(doc)
    assert set(orgs) == {"余杭电信"} and "中国电信余杭分公司" in orgs["余杭电信"]


def test_organizations_generic_words_are_not_organizations(kg_resources, doc_of):
    text = ("嫌疑人使用多张银行卡转账,冒充某科技公司客服,并到银行取现。"
            "该公司负责人称,相关银行已冻结账户,形成了打击治理新格局。据钱江晚报报道。")
    doc = _run(kg_resources, doc_of(text))
    assert _orgs_of_doc(doc) == {}


def test_organizations_named_company_and_university(kg_resources, doc_of):
    doc = _run(kg_resources, doc_of("中心将与浙江大学、杭州海康威视数字技术股份有限公司开展合作。"))
    assert {"浙江大学", "杭州海康威视数字技术股份有限公司"} <= set(_orgs_of_doc(doc))


def test_organizations_verb_before_the_name_is_trimmed(kg_resources, doc_of):
    doc = _run(kg_resources, doc_of("民警配合宁波银行工作人员完成止付,并协助浙商银行冻结账户。"))
    assert set(_orgs_of_doc(doc)) == {"宁波银行", "浙商银行"}


ALPHABET = list("中国建设农业工商银行支行分行有限公司大学市省区县交通局检察院电信移动联通、,。的和配合某一家卡 ")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=ALPHABET, max_size=80))
def test_organizations_mentions_point_at_their_text(kg_resources, doc_of, text):
    doc = _run(kg_resources, doc_of(text))
    for m in doc.mentions:
        assert doc.text[m.start:m.end] == m.text
        assert doc.entity(m.key) is not None


def test_organizations_names_listed_with_organisations(kg_resources, doc_of):
    doc = _run(kg_resources, doc_of("中心将加强与浙江大学、阿里巴巴、海康威视等高校和企业的合作。"))
    assert {"浙江大学", "阿里巴巴", "海康威视"} <= set(_orgs_of_doc(doc))


def test_organizations_list_without_a_kind_of_body_is_not_enough(kg_resources, doc_of):
    doc = _run(kg_resources, doc_of("嫌疑人购买了华为、小米等品牌手机,在浙江大学附近作案。"))
    assert set(_orgs_of_doc(doc)) == {"浙江大学"}


def test_organizations_bare_rural_bank_takes_the_home_city(run_article):
    got = _orgs(run_article("杭州市公安局会同农商银行开展反诈宣传。\n", PIPE))
    assert "杭州农商银行" in got and "农商银行" in got["杭州农商银行"]


def test_organizations_bank_branch_named_after_a_city_with_a_stop_character(kg_resources, doc_of):
    text = "民警联系工商银行张家口桥东支行冻结账户。"
    place = Mention(8, 11, "张家口", "Place", "place.gazetteer.short", "Place/130700", (("code", "130700"),))
    orgs = _orgs_of_doc(_run(kg_resources, doc_of(text, mentions=(place,))))
    assert set(orgs) == {"中国工商银行张家口桥东支行"}


def test_organizations_body_the_caller_pretends_to_be_is_not_a_party(kg_resources, doc_of):
    doc = _run(kg_resources, doc_of("对方自称“市税务局工作人员”，要求她缴纳保证金。"))
    assert not _orgs_of_doc(doc)


def test_organizations_airline_known_by_its_short_name(kg_resources, doc_of):
    doc = _run(kg_resources, doc_of("民警当场拨打南方航空官方客服电话核实航班。"))
    assert set(_orgs_of_doc(doc)) == {"中国南方航空"}


def test_organizations_an_unnamed_company_of_a_district_is_not_named(kg_resources, doc_of):
    text = "余杭区一科技公司的出纳被骗。"
    place = Mention(0, 3, "余杭区", "Place", "place.gazetteer.full", "Place/330110", (("code", "330110"),))
    assert not _orgs_of_doc(_run(kg_resources, doc_of(text, mentions=(place,))))


def test_organizations_a_person_name_overlapping_the_end_does_not_drop_it(kg_resources, doc_of):
    text = "民警锁定中国电信余杭分公司营业厅的临时员工。"
    misread = Mention(12, 14, "司营", "Suspect", "person.test", "Suspect/t/司营")   # 分公|司营|业厅
    orgs = _orgs_of_doc(_run(kg_resources, doc_of(text, mentions=(misread,))))
    assert "中国电信余杭分公司" in orgs


def test_organizations_a_person_name_at_the_start_still_blocks(kg_resources, doc_of):
    text = "陈某公司的账户被冻结。"
    person = Mention(0, 2, "陈某", "Suspect", "person.test", "Suspect/t/陈某")
    assert "陈某公司" not in _orgs_of_doc(_run(kg_resources, doc_of(text, mentions=(person,))))


def test_organizations_a_person_name_misread_inside_a_company_does_not_drop_it(kg_resources, doc_of):
    text = "他以杭州某信息服务有限公司的名义招揽客户。"
    place = Mention(2, 4, "杭州", "Place", "place.gazetteer.short", "Place/330100", (("code", "330100"),))
    misread = Mention(3, 5, "州某", "Suspect", "person.test", "Suspect/t/州某")
    assert "杭州某信息服务有限公司" in _orgs_of_doc(_run(kg_resources, doc_of(text, mentions=(place, misread))))


def test_organizations_verb_of_cooperation_is_not_part_of_the_name(kg_resources, doc_of):
    doc = _run(kg_resources, doc_of("巡特警大队积极配合卫生局开展整治行动。", home_city="Place/330782"))
    assert set(_orgs_of_doc(doc)) == {"义乌市卫生局"}


def test_organizations_association_of_an_ordinary_word_is_no_name(kg_resources, doc_of):
    doc = _run(kg_resources, doc_of("警方会同税务部门和行业协会加强宣传。"))
    assert not _orgs_of_doc(doc)


def test_organizations_former_and_quoted_bodies(run_article):
    text = ("杭州市公安局查明,嫌疑人是原淳安县林业局职工。骗子要求受害人把钱交由“国家资金监管局”核查,"
            "民警随即联系建设银行止付。\n")
    got = _orgs(run_article(text, PIPE))
    assert set(got) == {"淳安县林业局", "中国建设银行"}


def test_organizations_a_fraud_syndicate_is_no_company(run_article):
    assert _orgs(run_article("杭州市公安局打掉一个为境外电诈集团洗钱的团伙。\n", PIPE)) == {}
