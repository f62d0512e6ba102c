"""The gazetteer: data invariants, hierarchy, names and aliases, and matching in text."""
from __future__ import annotations

from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.gazetteer import Division, Gazetteer, GazetteerError, UnknownDivision


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def names(divisions: list[Division]) -> list[str]:
    return [d.name for d in divisions]


def test_gazetteer_has_all_34_provincial_units(gazetteer):
    provinces = {d.name for d in gazetteer if d.level == "province"}
    assert len(provinces) == 34
    assert {"北京市", "上海市", "天津市", "重庆市", "广西壮族自治区", "新疆维吾尔自治区",
            "香港特别行政区", "澳门特别行政区", "台湾省"} <= provinces


def test_gazetteer_every_non_root_row_has_an_existing_parent(gazetteer):
    for d in gazetteer:
        if d.parent is not None:
            assert d.parent in gazetteer, d
        else:
            assert d.level in ("province", "country", "area"), d


def test_gazetteer_successors_are_current_divisions(gazetteer):
    for d in gazetteer:
        if d.successor is not None:
            assert d.historical, d
            assert not gazetteer.get(d.successor).historical, d


def test_gazetteer_has_no_one_character_key_and_township_aliases_are_long_forms(gazetteer):
    for d in gazetteer:
        assert len(d.name) >= 1 and all(len(a) >= 2 for a in d.aliases), d
        if d.level == "township":
            assert all(len(a) > len(d.name) for a in d.aliases), d


def test_gazetteer_data_file_is_sorted_by_code():
    text = resources.files("kg.data").joinpath("gazetteer.tsv").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].split("\t") == ["code", "name", "level", "parent_code", "aliases", "lat",
                                    "lon", "status", "successor_code"]
    codes = [line.split("\t", 1)[0] for line in lines[1:]]
    assert codes == sorted(codes) and len(codes) == len(set(codes))


def test_gazetteer_chain_of_yongkang_goes_up_to_zhejiang(gazetteer):
    (yongkang,) = gazetteer.by_name("永康市")
    assert names(gazetteer.chain(yongkang.code)) == ["永康市", "金华市", "浙江省"]
    assert gazetteer.is_within(yongkang.code, "330000")
    assert gazetteer.is_within(yongkang.code, yongkang.code)
    assert not gazetteer.is_within(yongkang.code, "500000")


def test_gazetteer_jiangbei_has_two_current_candidates_that_chain_separates(gazetteer):
    current = [d for d in gazetteer.by_name("江北区") if not d.historical]
    assert len(current) == 2
    chains = {tuple(names(gazetteer.chain(d.code))) for d in current}
    assert chains == {("江北区", "宁波市", "浙江省"), ("江北区", "重庆市")}
    assert {d.code for d in gazetteer.by_name("江北")} >= {d.code for d in current}


def test_gazetteer_municipality_districts_hang_under_the_municipality(gazetteer):
    pudong = gazetteer.get("310115")
    assert pudong.name == "浦东新区" and pudong.parent == "310000"
    assert gazetteer.get("310000").name == "上海市"
    assert "上海市" not in names(gazetteer.children("310000"))


@pytest.mark.parametrize("old, new", [("江东区", "鄞州区"), ("奉化市", "奉化区"),
                                      ("襄樊市", "襄阳市")])
def test_gazetteer_historical_divisions_point_to_their_successor(gazetteer, old, new):
    (hist,) = [d for d in gazetteer.by_name(old) if d.historical]
    assert gazetteer.get(hist.successor).name == new
    assert not gazetteer.get(hist.successor).historical


def test_gazetteer_historical_division_keeps_its_old_parent(gazetteer):
    (jiangdong,) = gazetteer.by_name("江东区")
    assert names(gazetteer.chain(jiangdong.code)) == ["江东区", "宁波市", "浙江省"]


@pytest.mark.parametrize("short, full", [
    ("广西", "广西壮族自治区"), ("云南", "云南省"), ("瑞丽", "瑞丽市"), ("宾阳", "宾阳县"),
    ("黔西南", "黔西南布依族苗族自治州"), ("酉阳", "酉阳土家族苗族自治县"), ("浦东", "浦东新区"),
    ("香港", "香港特别行政区"), ("神农架", "神农架林区"),
])
def test_gazetteer_short_forms_resolve(gazetteer, short, full):
    assert full in names(gazetteer.by_name(short))


def test_gazetteer_derived_short_form_never_shadows_a_higher_level(gazetteer):
    # 岳阳县 is not '岳阳': that is 岳阳市.
    assert names(gazetteer.by_name("岳阳")) == ["岳阳市"]


def test_gazetteer_countries_and_regions(gazetteer):
    (cambodia,) = gazetteer.by_name("柬埔寨王国")
    assert cambodia.level == "country" and cambodia.name == "柬埔寨"
    (myanmar_north,) = gazetteer.by_name("缅北")
    assert names(gazetteer.chain(myanmar_north.code)) == ["缅北", "缅甸"]
    (dubai,) = gazetteer.by_name("迪拜")
    assert names(gazetteer.chain(dubai.code)) == ["迪拜", "阿联酋"]


def test_gazetteer_find_all_gives_offsets_of_every_match(gazetteer):
    text = "他从云南瑞丽出境到柬埔寨，后在浙江省杭州市西湖区被抓获。"
    hits = list(gazetteer.find_all(text))
    assert all(text[h.start:h.end] == h.surface for h in hits)
    found = {(h.surface, h.start, h.is_full_name) for h in hits}
    assert {("云南", 2, False), ("瑞丽", 4, False), ("柬埔寨", 9, True), ("浙江", 15, False),
            ("浙江省", 15, True), ("杭州市", 18, True), ("西湖区", 21, True)} <= found
    (ruili,) = [h for h in hits if h.surface == "瑞丽"]
    assert "533102" in ruili.candidates
    (xihu,) = [h for h in hits if h.surface == "西湖区"]
    assert any(gazetteer.is_within(c, "330100") for c in xihu.candidates)


def test_gazetteer_matches_townships_by_full_name_only(gazetteer):
    township = gazetteer.get("500102-李渡街道")
    assert township.level == "township"
    assert any(township.code in h.candidates for h in gazetteer.find_all("家住李渡街道"))
    for hit in gazetteer.find_all("家住李渡附近"):
        assert township.code not in hit.candidates
        assert all(gazetteer.get(c).level != "township" for c in hit.candidates)


def test_gazetteer_does_not_match_generic_area_names(gazetteer):
    assert len(gazetteer.by_name("开发区")) > 1
    assert list(gazetteer.find_all("开发区")) == []


def test_gazetteer_builds_the_name_index_only_when_first_needed():
    gazetteer = Gazetteer.load()
    assert "_automaton" not in vars(gazetteer)
    next(gazetteer.find_all("浙江"))
    assert "_automaton" in vars(gazetteer)


def test_gazetteer_unknown_code_raises_a_key_error(gazetteer):
    with pytest.raises(UnknownDivision):
        gazetteer.get("999999")
    with pytest.raises(KeyError):
        gazetteer.chain("999999")


def test_gazetteer_rejects_a_parent_that_does_not_exist():
    orphan = Division("1", "某地", "county", "2", (), None, None, False, None)
    with pytest.raises(GazetteerError):
        Gazetteer([orphan])


def test_gazetteer_can_be_built_from_divisions():
    province = Division("P", "某省", "province", None, ("某省份",), 30.5, 120.25, False, None)
    county = Division("C", "某某县", "county", "P", ("某某",), None, None, False, None)
    small = Gazetteer([province, county])
    assert small.get("P") == province and small.chain("C") == [county, province]
    assert [(h.surface, h.candidates) for h in small.find_all("某某县")] == [
        ("某某", ("C",)), ("某某县", ("C",))]


_NAMES = ["浙江省", "永康市", "江北区", "浦东新区", "新街镇", "广西", "缅北", "柬埔寨王国", "城区"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_NAMES), st.text(max_size=6)), max_size=12))
def test_gazetteer_offsets_always_point_at_the_surface(gazetteer, pieces):
    text = "".join(pieces)
    for hit in gazetteer.find_all(text):
        assert text[hit.start:hit.end] == hit.surface
        assert 0 <= hit.start < hit.end <= len(text)
        assert hit.candidates and gazetteer.by_name(hit.surface)


def test_gazetteer_indexes_loaded_from_the_cache_equal_built_ones(tmp_path, monkeypatch):
    monkeypatch.setenv("FRAUDKG_CACHE", str(tmp_path))
    text = "他从云南瑞丽出境到柬埔寨，后在浙江省杭州市西湖区被抓获。"
    built = Gazetteer.load()
    hits = list(built.find_all(text))
    assert sorted(p.name.split("-")[1] for p in tmp_path.iterdir()) == ["names", "words"]
    cached = Gazetteer.load()
    assert list(cached.find_all(text)) == hits
    assert cached._names == built._names and cached._words == built._words


def test_gazetteer_builds_its_indexes_when_the_cache_is_damaged(tmp_path, monkeypatch):
    monkeypatch.setenv("FRAUDKG_CACHE", str(tmp_path))
    next(Gazetteer.load().find_all("浙江"))
    for path in tmp_path.iterdir():
        path.write_bytes(b"\x00 not marshal data")
    assert [h.surface for h in Gazetteer.load().find_all("浙江省")] == ["浙江", "浙江省"]


def test_gazetteer_writes_no_cache_when_the_cache_is_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("FRAUDKG_CACHE", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    next(Gazetteer.load().find_all("浙江"))
    assert list(tmp_path.iterdir()) == []
