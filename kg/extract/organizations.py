"""Organisations other than the police: banks and branches, companies, government
departments, courts, telecom operators, schools.

Passes over the item, longest names first, none inside a police unit, a person or a place:

1. names of national organisations known by several names (``kg/data/org_names.tsv``:
   ``建设银行``/``建行`` → 中国建设银行), with a branch written after a bank
   (``农业银行XX支行`` → 中国农业银行XX支行, the printed form as alias);
2. telecom operators after a place (``XX电信`` → alias 中国电信XX分公司) and bare operators
   listed together (``电信、移动、联通``);
3. names that end in an organisation word (``kg/data/org_suffixes.tsv``: 银行, 有限公司,
   大学, 检察院, 交通局…), running left to a stop word. A bare ``市交通局``/``省检察院`` is
   qualified with the item's home city or its province, and ``检察院`` is canonically
   ``人民检察院``. ``kg/data/not_org.tsv`` rejects police bodies, newspapers and generic talk;
4. the other items of a list that holds one of those and is closed by a kind of body
   (``XX大学、YY、ZZ等高校和企业``), as printed.

A body the caller pretends to be (``自称“XX局工作人员”``, ``冒充…``) is no party to the story;
an indefinite ``<place>一商贸公司`` names no company.

Keys are ``Organization/<canonical name>``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ..model import Doc, Entity, Mention, entity_key
from . import register

HAN_RUN = 30
STOP = re.compile(r"与|和|及|、|联合|会同|协调|携手|走进|来到|前往|联系|邀请|通过|经过|根据|依托|组织|召开|成立|"
                  r"配合|协助|协同|联手|走访|督促|移交|移送|通知|告知|致电|"
                  r"到|在|向|对|由|是|为|被|将|把|等|同|据|了|日|讯|的|从|给|让|接到|称|于|或|属|并|也|还|即|"
                  r"请|个|家|张|笔|位|名|有|去|往|至|以|用|让|当|和")
OPERATORS = {"电信": "中国电信", "移动": "中国移动", "联通": "中国联通", "广电": "中国广电"}
OPERATOR_LIST = re.compile(r"(电信|移动|联通|广电)(?=[、和与及](?:电信|移动|联通|广电))|(?<=(?:电信|移动|联通|广电)[、和与及])(电信|移动|联通|广电)")
# Two operators listed together, a quick test: OPERATOR_LIST's lookbehind is tried at every
# character (slow), and each of its matches is part of such a pair.
OPERATOR_PAIR = re.compile(r"(?:电信|移动|联通|广电)[、和与及](?:电信|移动|联通|广电)")
# A、B、C等高校和企业: a list of names closed by the kind of body they are.
_LIST_END = r"等(?:[^，。,；]{0,4})(?:高校|企业|公司|银行|运营商|学校|医院)"
LIST = re.compile(r"((?:[\u4e00-\u9fff]{2,20}、)+[\u4e00-\u9fff]{2,20})" + _LIST_END)
# LIST's ending alone, a quick test: LIST tries its runs of Chinese characters at every
# character (slow), and few items have the ending any list needs.
LIST_END = re.compile(_LIST_END)
QUALIFIERS = {"我市": "市", "本市": "市", "该市": "市", "我省": "省", "本省": "省",
              "我区": "区", "该区": "区", "本区": "区", "我县": "县", "该县": "县", "本县": "县"}
NOT_NAME_POS = frozenset("vpcdufrxyeoqz")          # jieba flags that do not start a name
BRANCH = re.compile(r"\n?([\u4e00-\u9fff]{1,10}?)(支行|分行|分理处|储蓄所|分公司)(营业部)?")
# a body the caller pretends to be (自称“XX检察院检察官”, 冒充社保局): not a party to the story
IMPERSONATED = re.compile(r"(?:自称|冒充|假冒|假扮|伪装成|谎称)[是为]?[“\"「『]?$")
COMPANY_TAIL = re.compile(r"(?:股份)?有限公司|公司|集团")


@dataclass(frozen=True)
class _Org:
    start: int
    end: int
    canonical: str
    aliases: tuple[str, ...]
    kind: str
    rule: str


class _Tables:
    def __init__(self, resources) -> None:
        self.known: dict[str, tuple[str, str, str, bool]] = {}      # surface -> canonical, kind, id, branches
        for r in resources.table("org_names"):
            for surface in [r["canonical"], *filter(None, r["aliases"].split("|"))]:
                self.known[surface] = (r["canonical"], r["kind"], r["id"], r["branches"] == "yes")
        self.known_re = re.compile("|".join(sorted(map(re.escape, self.known), key=len, reverse=True)))
        self.suffixes = sorted(resources.table("org_suffixes"), key=lambda r: -len(r["suffix"]))
        self.suffix_re = re.compile("|".join(re.escape(r["suffix"]) for r in self.suffixes))
        self.suffix_row = {r["suffix"]: r for r in self.suffixes}
        never = [(r["word"], r["match"]) for r in resources.table("not_org")]
        self.never_exact = frozenset(w for w, how in never if how == "exact")
        self.never_prefix = tuple(w for w, how in never if how == "prefix")
        self.never_inside = tuple(w for w, how in never if how == "contains")
        self.gazetteer = resources.gazetteer

    def rejected(self, name: str, whole: bool = True) -> bool:
        """True when ``name`` (``whole``: the full name, else a part of it) is not an organisation."""
        return ((whole and name in self.never_exact) or name.startswith(self.never_prefix)
                or any(w in name for w in self.never_inside))


@register("organizations", requires=("Place", "PoliceUnit", "PoliceOfficer", "Suspect", "Victim", "home_city"),
          assigns=("Organization",))
def make_organizations(resources):
    tables: Optional[_Tables] = None

    def organizations(doc: Doc) -> Doc:
        nonlocal tables
        tables = tables or _Tables(resources)
        return _annotate(doc, tables)

    return organizations


def _annotate(doc: Doc, t: _Tables) -> Doc:
    blocked = [(m.start, m.end) for m in doc.mentions if m.label == "PoliceUnit"]
    # a person's name that does not cover an organisation's start (分公司某…, 西安某养老…) is a
    # misreading of that name, not a reason to drop it
    people = [(m.start, m.end) for m in doc.mentions if m.label in ("Victim", "Suspect", "PoliceOfficer")]
    places = [(m.start, m.end) for m in doc.mentions if m.label == "Place"]
    found = _known(doc.text, t, places) + _operators(doc) + _by_suffix(doc, t, places)
    chosen: list[_Org] = []
    for org in sorted(found, key=lambda o: (-(o.end - o.start), o.start)):
        if any(s < org.end and org.start < e for s, e in blocked) or \
                any(s <= org.start < e for s, e in people):
            continue
        if IMPERSONATED.search(doc.text, max(0, org.start - 4), org.start) or _quoted(doc.text, org.start, org.end):
            continue
        if any(c.start < org.end and org.start < c.end for c in chosen):
            continue
        chosen.append(org)
    chosen += _listed_with(doc.text, chosen, blocked + people + places, t)
    mentions, entities = [], {}
    for org in sorted(chosen, key=lambda o: o.start):
        key = entity_key("Organization", org.canonical)
        surface = doc.text[org.start:org.end]
        aliases = frozenset({surface, *org.aliases} - {org.canonical})
        ent = Entity(key, "Organization", org.canonical, aliases, (("kind", org.kind),))
        entities[key] = entities[key].merged(ent) if key in entities else ent
        mentions.append(Mention(org.start, org.end, surface, "Organization", org.rule, key, (("kind", org.kind),)))
    return doc.add(mentions=mentions, entities=entities.values())


def _quoted(text: str, start: int, end: int) -> bool:
    """Whether the name stands alone in quotation marks (交由“国家XX管理局”清查): reports quote
    the bodies a fraudster invokes, not the ones taking part."""
    opened = max(text.rfind(q, max(0, start - 6), start) for q in ("“", "「", "『"))
    return opened >= 0 and not any(q in text[opened:start] for q in ("”", "」", "』")) \
        and text[end:end + 1] in ("”", "」", "』")


def _listed_with(text: str, chosen: list[_Org], blocked, t: _Tables) -> list[_Org]:
    """Names listed with organisations and closed by a kind of body (A大学、B、C等高校和企业):
    every item of such a list is an organisation, as printed."""
    out: list[_Org] = []
    taken = [(o.start, o.end) for o in chosen] + list(blocked)
    for lst in LIST.finditer(text) if LIST_END.search(text) else ():
        items = [(m.start(), m.end()) for m in re.finditer(r"[^、]+", lst.group(1))]
        spans = [(lst.start(1) + s, lst.start(1) + e) for s, e in items]
        ends = {o.end: o.start for o in chosen}
        s0, e0 = spans[0]
        spans[0] = (ends.get(e0, _left_edge(text, e0) if e0 - s0 > 8 else s0), e0)   # 与浙江大学、…
        if len(spans) < 2 or not any(e in ends for _, e in spans):
            continue
        for s, e in spans:
            name = text[s:e]
            if any(ts < e and s < te for ts, te in taken) or t.rejected(name) or not 2 <= len(name) <= 8:
                continue
            out.append(_Org(s, e, name, (), "listed", "org.list.member"))
    return out


def _known(text: str, t: _Tables, places: list[tuple[int, int]]) -> list[_Org]:
    out = []
    for m in t.known_re.finditer(text):
        canonical, kind, rule_id, branches = t.known[m.group()]
        end, name, aliases = m.end(), canonical, ()
        b = BRANCH.match(text, end) if branches else None
        if b and _stop_in(text, b.start(1), b.end(1), places) is None and not t.rejected(b.group(1)):
            end = b.end()
            name = canonical + b.group(1) + b.group(2)
            aliases = (re.sub(r"\s", "", text[m.start():b.end(2)]),)
            rule_id += ".branch"
        elif kind not in ("bank", "telecom") and (c := COMPANY_TAIL.match(text, end)):
            end, aliases = c.end(), (text[m.start():c.end()],)      # 东方航空公司: the company itself
        out.append(_Org(m.start(), end, name, aliases, kind, f"org.{rule_id}"))
    return out


def _stop_in(text: str, start: int, end: int, places: list[tuple[int, int]]) -> Optional[int]:
    """End of the last stop word in ``text[start:end]`` outside the place names (the 家 of
    石家庄 is no stop), or None."""
    cut = None
    for s in STOP.finditer(text, start, end):
        if not any(ps <= s.start() and s.end() <= pe for ps, pe in places):
            cut = s.end()
    return cut


def _operators(doc: Doc) -> list[_Org]:
    text, out = doc.text, []
    places = {m.end: m for m in doc.mentions if m.label == "Place"}
    for k in re.finditer("电信|移动|联通|广电", text):
        p = places.get(k.start())
        if p is not None and not re.match(r"诈骗|网络|支付|客服|电话|号码", text[k.end():k.end() + 2]):
            name = text[p.start:k.end()]
            alias = f"{OPERATORS[k.group()]}{p.text}分公司"
            out.append(_Org(p.start, k.end(), name, (alias,), "telecom", "org.operator.place"))
    for k in OPERATOR_LIST.finditer(text) if OPERATOR_PAIR.search(text) else ():
        word = k.group(1) or k.group(2)
        out.append(_Org(k.start(), k.end(), OPERATORS[word], (), "telecom", "org.operator.list"))
    return out


def _by_suffix(doc: Doc, t: _Tables, places: list[tuple[int, int]]) -> list[_Org]:
    from ..segment import word_freq
    text, out = doc.text, []
    for m in t.suffix_re.finditer(text):
        row = t.suffix_row[m.group()]
        if row["kind"] == "bank" and text[m.end():m.end() + 1] == "卡":
            continue                                    # 银行卡
        government = row["kind"] in ("government", "association", "court")
        start = _trim(text, _left_edge(text, m.start(), places), m.start(), keep_last=government)
        if text[start:start + 1] in ("原", "前") and any(p[0] == start + 1 for p in places):
            start += 1                                  # 原XX县税务局: the body, not its former state
        name = text[start:m.end()]
        core = text[start:m.start()]
        bare = _unqualified(core)
        if len(bare) < int(row["min_core"] or 0) or t.rejected(_unqualified(name)) or t.rejected(bare, whole=False):
            continue
        place = next((p for p in doc.mentions if p.label == "Place" and p.start == start), None)
        placed = place is not None
        if placed and text.startswith("一", place.end) and _generic(text[place.end:m.start()]):
            continue                                    # 某区一商贸公司: a company, not a name
        if row["suffix"] in ("办", "委员会") and not placed and not re.match(r"[市省区县州]|国家|中央|我|本|该", core):
            continue                                    # 举办, 委员会: a body names its level
        if len(row["suffix"]) == 1 and (_word_ending(name) or word_freq(text[m.start():m.end() + 1])):
            continue                                    # 格局, 大局, 局面, 举办: words, not bodies
        if row["kind"] in ("company", "bank") and row["qualify"] != "short" and not placed and _generic(bare):
            continue                                    # 科技公司, 股票公司: no name at all
        canonical = OPERATORS.get(core) or _canonical(doc, t, name, row, placed, start)
        aliases = tuple({name} - {canonical})
        out.append(_Org(start, m.end(), canonical, aliases, row["kind"], f"org.{row['id']}"))
    return out


def _left_edge(text: str, end: int, places: list[tuple[int, int]] = ()) -> int:
    """Where a name ending at ``end`` starts: back over Chinese characters to a stop word
    (not one inside a place name: 石家庄)."""
    start = end
    while start > 0 and end - start < HAN_RUN and "\u4e00" <= text[start - 1] <= "\u9fff":
        start -= 1
    cut = _stop_in(text, start, end, places)
    return cut if cut is not None else start


def _word_ending(name: str) -> bool:
    """True when the last character joins its neighbour into an ordinary word (格局, 大局)."""
    from ..segment import tokenize, word_freq
    last = tokenize(name[-4:])[-1][0]
    if len(last) == 2:
        return word_freq(last) > 0
    return len(last) == 3 and word_freq(last) > 0 and word_freq(last[:2]) == 0   # 新格局, not 邮政局


def _unqualified(name: str) -> str:
    for word in QUALIFIERS:
        if name.startswith(word):
            return name[len(word) - 1:]                 # 我市交通局 → 市交通局
    return name


def _generic(core: str) -> bool:
    """A core that is one ordinary word (股票, 科技, 行业) names no particular company."""
    from ..segment import pos_tokenize, word_freq
    core = re.sub(r"^(?:某|一家|一)", "", core)
    tokens = pos_tokenize(core) if core else []
    if tokens and tokens[0][1] in ("ns", "nt", "nz", "nr"):
        return False                                    # 宁波银行: a proper name
    return len(tokens) <= 1 and (not core or word_freq(core) >= 500)


def _trim(text: str, start: int, end: int, keep_last: bool = False) -> int:
    """Drop verbs, pronouns and particles in front of a name (配合市委宣传部 → 市委宣传部).

    A name that opens with an organisation word (国务院…) is kept whole; 我市/该区 stay as
    the qualifier they are."""
    if end - start < 2:
        return start
    from ..segment import pos_tokenize
    tokens = pos_tokenize(text[start:end])
    if tokens and tokens[0][1] == "nt":
        return start
    cut = start
    if keep_last and len(tokens) > 1:
        tokens = tokens[:-1]                            # 执法局, 管理委员会: the verb is the name
    for word, flag, s, e in tokens:
        if word in QUALIFIERS:
            cut = start + s
        elif word != "某" and (flag[:1] in NOT_NAME_POS and flag != "vn" or flag in ("i", "l")):
            cut = start + e
    return cut


def _county_before(doc: Doc, pos: int) -> Optional[str]:
    """Full name of the last county-level place named before ``pos``."""
    for m in sorted((m for m in doc.mentions if m.label == "Place" and m.end <= pos), key=lambda m: -m.end):
        ent = doc.entity(m.key)
        if ent is not None and ent.get("level") == "county":
            return ent.label
    return None


def _canonical(doc: Doc, t: _Tables, name: str, row: dict[str, str], placed: bool,
               start: Optional[int] = None) -> str:
    """The canonical form: 检察院 → 人民检察院; a bare 市/省/区 form qualified by the home city."""
    suffix, expand = row["suffix"], row["expand"]
    if expand and not name.endswith(expand) and not name.startswith("最高"):
        name = name[: -len(suffix)] + expand
    for word, level in QUALIFIERS.items():
        if name.startswith(word):
            name = level + name[len(word):]
    if row["qualify"] == "no" or placed:
        return name
    if name[:1] in ("区", "县") and start is not None:
        county = _county_before(doc, start)             # 该区交通局: the district named last
        if county and county.endswith(name[0]):
            return county + name[1:]
    home = _home(doc, t) if doc.home_city else None
    if home is None:
        return name
    local, city, province = home
    if row["qualify"] == "short":
        return re.sub(r"(市|县|区|自治县)$", "", local) + name
    if name.startswith("市") and city:
        return city + name[1:]
    if name.startswith("省") and province:
        return province + name[1:]
    if name[:1] in ("区", "县") and local.endswith(name[0]):
        return local + name[1:]
    if not re.match(r"中国|中华|国家|国务院|中央|全国|最高|[市省区县州]", name):
        return local + name
    return name


def _home(doc: Doc, t: _Tables) -> Optional[tuple[str, str, str]]:
    """(home division, nearest enclosing 市, province) names of the item's home city."""
    code = doc.home_city.split("/", 1)[1]
    try:
        chain = t.gazetteer.chain(code)
        local = t.gazetteer.get(code).name
    except KeyError:
        return None
    names = [d.name for d in chain] + [local]
    city = next((n for n in reversed(names) if n.endswith("市")), "")
    province = next((d.name for d in chain if d.level == "province"), "")
    return local, city, province
