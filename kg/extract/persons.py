"""People in a news item and their role: victims, suspects, police officers.

Names are found by form (:mod:`kg.extract._names`): surname + honorific (``王女士``),
surname + 某 (``王某``), a full name after a title (``民警王明宇``, ``犯罪嫌疑人张三``), and
``小王`` when the text gives the full name (``小王全名王明宇``: one person, alias 小王).
Every occurrence of a found name becomes a mention.

The role of a name is decided once per item from all its mentions: an officer title in
front of it makes a ``PoliceOfficer``; otherwise cue words on either side
(``kg/data/role_cues.tsv``: 受害人…, …报警称, 犯罪嫌疑人…, …等4名犯罪嫌疑人) score
``Victim`` against ``Suspect``, with a prior from the form (honorifics lean victim, 某-names
suspect). Reporters and editors (记者王明) are dropped, and so are people who are only
witnesses or kin (邻居王女士) with no cue of harm.

Companies that report a fraud against themselves (``某石化有限公司被…骗走``) are victims
too, with attr ``kind=organization``.

Coreference: ``她``, ``该男子``, ``其``… that refer back to a person become mentions with
label ``PersonRef`` and the key of that person (attrs ``role``, ``refers_to``), so the cases
extractor and provenance see them; the RDF writer does not turn their text into a name.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Optional

from ..model import Doc, Entity, Mention, entity_key
from . import register
from ._names import Surnames, full_name_at, inside_word, is_han, mou_name_at, quantified

ROLES = ("Victim", "Suspect", "PoliceOfficer")
POLICE_WORDS = re.compile(r"公安|警|派出所|分局|大队|支队|中队|反诈|刑侦|治安")
# A title followed by one of these is part of a unit's name (刑警支队), not before a person.
UNIT_AFTER_TITLE = re.compile(r"[总支大中]?队|派出所|分局|局|所|中心|科|处|室")
_ORG_HARMED = (r"(有限责任公司|股份有限公司|有限公司|公司|企业|工厂|商行|合作社|超市|商场|酒店|宾馆|饭店|药店|"
               r"门店|火车站|汽车站|车站)"
               r"(?=的?(?:财务|会计|出纳|负责人|员工|老板|店主)?(?:人员)?(?:被|报警|报案|遭|向[^。]{0,8}报|"
               r"接到[^。，,]{0,8}(?:敲诈|勒索|恐吓|威胁)?电话))")
ORG_VICTIM = re.compile(r"([\u4e00-\u9fff]{2,16}?)" + _ORG_HARMED)
# ORG_VICTIM without its name, a quick test: ORG_VICTIM tries a run of Chinese characters at
# every character (slow), and few items say that a company was harmed.
ORG_HARMED = re.compile(_ORG_HARMED)
# Words of harm that make an honorific-named person in the item a victim by default.
CRIME_WORDS = re.compile(r"诈骗|被骗|骗子|骗局|受骗|盗窃|被盗|遭窃|失窃|扒窃|小偷|被偷|抢劫|抢夺|敲诈|勒索|犯罪|嫌疑|作案|劝阻|止付|涉诈|非法")
# Cues that say who a person is (居民), not what happened to them.
WHO_CUES = frozenset({"cue.vic.resident"})
# Words of harm in the sentence of a person who has no cue of their own.
HARM = re.compile(r"被骗|受骗|上当|骗走|骗取|被盗|失窃|遭窃|被偷|损失|报警|报案|求助|转账|汇款|转款|付款|"
                  r"充值|投资|诈骗|骗子|冒充|自称|接到|劝阻|止付|冻结|追回|挽回|返还|退还|被抢|勒索|敲诈")
ORG_LEFT_STOP = re.compile(r".*(?:接到|发现|称|在|向|对|与|和|及|是|为|被|有|据|了|日|讯|的)")
COMMON_XIAO = 1000      # jieba frequency above which 小X is a word (小龙, 小麦), not a name
# Surnames after which 小X is an ordinary word more often than a name (小于, 小区, 小车, 小费).
NOT_XIAO_NAME = frozenset("于区康孔路米车费钱包农国山鱼麦龙花步房商家宗曲时贝")
# Who a 小X nickname may follow when X is no surname (学生小宇, 女孩小雨).
XIAO_AFTER = re.compile(r"(?:学生|大学生|中学生|小学生|高中生|初中生|女孩|男孩|孩子|青年|小伙|姑娘|网友|女子|男子|"
                        r"居民|市民|村民|少年|少女|宝妈|员工|职员|女儿|儿子)$")
XING = re.compile(r"姓([男女])子")
# Surnames that are also prepositions or conjunctions, and what 某 modifies after them (向某银行).
FUNCTION_SURNAMES = frozenset("于向从经自由和同将把被对给以及为")
MOU_NOUN = frozenset("些种个地市县镇区乡村省公平网处天日年月号家店银单位部门人物事项商超宾酒小")
LISTED_WITH_COUNT = re.compile(r"等\d+[名人]|等[一二两三四五六七八九十]+[名人]|为首")
LAO_AFTER_WORD = 50    # … and above which the character before 老 makes a word with it (养老钱)
LAO_WORD = 300         # jieba frequency above which 老X is a word (老马, 老高 are names below it)
NOT_LAO_NAME = frozenset("城街屋宅路成翁房区家乡公年人大实汉伴总化板师虎鼠牛")
LIST_SEP = re.compile(r"、|和|及|与|以及")
ALIAS = re.compile(r"小([\u4e00-\u9fff])(?:的)?(?:全名|本名|真名|大名|名叫|原名|真实姓名)(?:是|叫|为)?")


@dataclass
class _Name:
    """One name of the item with its mentions and the evidence for its role."""

    name: str
    form: str                                   # honorific / mou / titled / alias / xiao
    gender: str = "-"
    spans: list[tuple[int, int, str]] = field(default_factory=list)   # start, end, rule
    scores: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    officer: bool = False
    aliases: set[str] = field(default_factory=set)


class _Lexicon:
    """The person tables of ``kg/data`` compiled once."""

    def __init__(self, resources) -> None:
        from .. import segment
        self.freq = segment.word_freq
        self.tokenize = lambda snippet, offset: [(w, s + offset, e + offset) for w, s, e in segment.tokenize(snippet)]
        self.surnames = Surnames.from_rows(resources.table("surnames"))
        self.honorifics = {r["suffix"]: (r["id"], r["gender"], r.get("role") or "-")
                           for r in resources.table("person_titles")}
        self.hon_re = re.compile("|".join(sorted(map(re.escape, self.honorifics), key=len, reverse=True)))
        titles = sorted(resources.table("officer_titles"), key=lambda r: -len(r["title"]))
        self.officer = {r["title"]: (r["id"], r["police_only"] == "yes") for r in titles}
        self.officer_re = re.compile("(" + "|".join(re.escape(r["title"]) for r in titles) + r")[\s：:]?")
        self.cues = []
        for r in resources.table("role_cues"):
            pat = r["pattern"]
            rx = re.compile(f"(?:{pat})$" if r["side"] == "left" else f"^(?:{pat})")
            intro = re.compile(pat) if r["names"] == "yes" else None
            self.cues.append((r["id"], r["role"], r["side"], float(r["weight"]), rx, intro))
        self.coref = [(r["id"], r["word"], r["gender"], int(r["window"])) for r in resources.table("coref_words")]
        kin = sorted(resources.table("kin_terms"), key=lambda r: -len(r["word"]))
        self.kin = {r["word"]: (r["id"], r["gender"]) for r in kin}
        self.kin_re = re.compile("|".join(re.escape(r["word"]) for r in kin))


@register("persons", requires=("Place", "PoliceUnit"), assigns=("PoliceOfficer", "Suspect", "Victim", "PersonRef"))
def make_persons(resources):
    lex: Optional[_Lexicon] = None

    def persons(doc: Doc) -> Doc:
        nonlocal lex
        lex = lex or _Lexicon(resources)
        return _annotate(doc, lex)

    return persons


def _annotate(doc: Doc, lex: _Lexicon) -> Doc:
    text = doc.text
    taken = _taken_spans(doc)
    names: dict[str, _Name] = {}
    _find_honorifics(text, lex, names)
    _find_xing(text, lex, names)
    _find_mou(text, lex, names)
    _find_titled(text, lex, names)
    _find_title_after(doc, lex, names)
    _find_aliases(text, lex, names)
    _find_repeats(text, names)
    _find_xiao(text, lex, names)
    _find_lao(text, lex, names)
    _merge_same_person(text, names, lex)
    mentions, entities = [], []
    for nm in names.values():
        spans = _clean_spans(nm.spans, names, taken)
        if not spans:
            continue
        nm.spans = spans
        role = _role(text, nm, lex)
        if role is None:
            continue
        key = entity_key(role, nm.name, scope=doc.article.id)
        kind = "person"
        entities.append(Entity(key, role, nm.name, frozenset(nm.aliases - {nm.name}), (("kind", kind),)))
        for s, e, rule in spans:
            mentions.append(Mention(s, e, text[s:e], role, rule, key, (("form", nm.form), ("gender", nm.gender))))
    org_mentions, org_entities = _org_victims(doc, lex, taken)
    mentions += org_mentions
    entities += org_entities
    if not any(e.type == "Victim" for e in entities):
        kin_mentions, kin_entities = _kin_victim(doc, lex, taken)
        mentions += kin_mentions
        entities += kin_entities
    mentions.sort(key=lambda m: (m.start, m.end))
    refs = _coreference(doc, mentions, lex)
    return doc.add(mentions=mentions + refs, entities=entities)


# ------------------------------------------------------------------ finding names
def _add(names: dict[str, _Name], name: str, form: str, start: int, end: int, rule: str, gender: str = "-") -> _Name:
    nm = names.get(name)
    if nm is None:
        nm = names[name] = _Name(name, form, gender)
    nm.spans.append((start, end, rule))
    return nm


def _find_honorifics(text: str, lex: _Lexicon, names: dict[str, _Name]) -> None:
    for m in lex.hon_re.finditer(text):
        xing = text[m.start() - 1:m.start()] == "姓"          # 王姓老人: the report's name for her
        sur = lex.surnames.ending_at(text, m.start() - xing)
        if sur is None:
            continue
        start = m.start() - xing - len(sur)
        if (quantified(text, start) and not xing) or text[start - 1:start] == "小":
            continue                                # 一名王姓老人 is named, 一位女士 is not
        name = text[start:m.end()]
        if not lex.surnames.common(sur) and text.count(name) < 2:
            continue
        rule_id, gender, role = lex.honorifics[m.group()]
        nm = _add(names, name, "honorific", start, m.end(), f"person.{rule_id}", gender)
        nm.officer = nm.officer or role == "PoliceOfficer"


def _find_xing(text: str, lex: _Lexicon, names: dict[str, _Name]) -> None:
    """``王姓男子``, ``李姓女子``: a person the report names by surname only; cues decide the role."""
    for m in XING.finditer(text):
        sur = lex.surnames.ending_at(text, m.start())
        if sur is None or not lex.surnames.common(sur):
            continue
        start = m.start() - len(sur)
        gender = "m" if m.group(1) == "男" else "f"
        _add(names, text[start:m.end()], "xing", start, m.end(), "person.xing", gender)


def _find_mou(text: str, lex: _Lexicon, names: dict[str, _Name]) -> None:
    for m in re.finditer(r"(?<!某)某", text):
        for sur_len in (2, 1):
            start = m.start() - sur_len
            if start < 0 or lex.surnames.at(text, start) != text[start:m.start()]:
                continue
            if quantified(text, start) or inside_word(text, start, lex.freq):
                break
            if sur_len == 1 and text[start] in FUNCTION_SURNAMES and text[m.end():m.end() + 1] in MOU_NOUN:
                break                   # 向某平台转账, 于某日: 某 goes with the noun, not a name
            end = mou_name_at(text, start, lex.surnames, lex.freq, lex.tokenize)
            if end is None:
                break
            name = text[start:end]
            if not lex.surnames.common(text[start:m.start()]) and text.count(name) < 2 \
                    and not LISTED_WITH_COUNT.match(text, end):
                break                   # a rare surname needs the name twice, or X某等3人
            _add(names, name, "mou", start, end, "person.mou")
            break
        else:
            c = text[m.start() - 1:m.start()]
            if is_han(c) and c not in FUNCTION_SURNAMES and not quantified(text, m.start() - 1) \
                    and LISTED_WITH_COUNT.match(text, m.end()) and not inside_word(text, m.start() - 1, lex.freq):
                _add(names, c + "某", "mou", m.start() - 1, m.end(), "person.mou.listed")   # 乙某等3人: any surname


def _find_titled(text: str, lex: _Lexicon, names: dict[str, _Name]) -> None:
    for m in lex.officer_re.finditer(text):
        title = m.group(1)
        rule_id, police_only = lex.officer[title]
        if not police_only and not POLICE_WORDS.search(text[max(0, m.start() - 12):m.start()]):
            continue
        if UNIT_AFTER_TITLE.match(text, m.end()):
            continue
        end = full_name_at(text, m.end(), lex.surnames, lex.freq, lex.tokenize)
        start = m.end()
        if end is None and text[start:start + 1] == "小" and lex.surnames.at(text, start + 1):
            end = start + 2                                     # 辅警小王 (full name maybe later)
        if end is None:
            continue
        nm = _add(names, text[start:end], "titled", start, end, f"person.{rule_id}")
        nm.officer = True
        _find_listed_officers(text, end, lex, names, rule_id)
    for rule_id, role, side, weight, rx, intro in lex.cues:
        if intro is None:
            continue
        for m in intro.finditer(text):
            end = full_name_at(text, m.end(), lex.surnames, lex.freq, lex.tokenize)
            if end is None and is_han(text[m.end():m.end() + 1]) and text[m.end() + 1:m.end() + 2] == "某":
                end = m.end() + (3 if text[m.end() + 2:m.end() + 3] == "某" else 2)   # 嫌疑人川某: any surname
            if end is not None:
                _add(names, text[m.end():end], "titled", m.end(), end, f"person.{rule_id}")
                _find_listed(text, end, lex, names, rule_id)


def _find_listed(text: str, end: int, lex: _Lexicon, names: dict[str, _Name], rule_id: str) -> None:
    """The full names listed after a titled one (犯罪嫌疑人王某、李某某和张明华): the title
    covers the list; 某-names are found on their own, full names only so."""
    while LIST_SEP.match(text, end):
        i = LIST_SEP.match(text, end).end()
        nxt = mou_name_at(text, i, lex.surnames, lex.freq, lex.tokenize) or full_name_at(text, i, lex.surnames, lex.freq, lex.tokenize)
        if nxt is None:
            return
        if "某" not in text[i:nxt]:
            _add(names, text[i:nxt], "titled", i, nxt, f"person.{rule_id}.listed")
        end = nxt


def _find_title_after(doc: Doc, lex: _Lexicon, names: dict[str, _Name]) -> None:
    """A full name between a police unit and a title (公安部王明副部长, XX派出所李强所长)."""
    text = doc.text
    for u in doc.mentions:
        if u.label != "PoliceUnit":
            continue
        end = full_name_at(text, u.end, lex.surnames, lex.freq, lex.tokenize)
        title = lex.officer_re.match(text, end) if end is not None else None
        if title is None or UNIT_AFTER_TITLE.match(text, title.end()):
            continue
        nm = _add(names, text[u.end:end], "titled", u.end, end, f"person.{lex.officer[title.group(1)][0]}.after")
        nm.officer = True


def _find_listed_officers(text: str, end: int, lex: _Lexicon, names: dict[str, _Name], rule_id: str) -> None:
    """The names listed after an officer's (民警王明、李强和张伟): the title covers the list;
    a list item with its own title (、辅警赵刚) is found by that title."""
    while LIST_SEP.match(text, end):
        i = LIST_SEP.match(text, end).end()
        nxt = full_name_at(text, i, lex.surnames, lex.freq, lex.tokenize)
        if nxt is None:
            return
        nm = _add(names, text[i:nxt], "titled", i, nxt, f"person.{rule_id}.listed")
        nm.officer = True
        end = nxt


def _find_aliases(text: str, lex: _Lexicon, names: dict[str, _Name]) -> None:
    """``小王全名王明宇``: the full name takes over every mention of 小王."""
    for m in ALIAS.finditer(text):
        short = "小" + m.group(1)
        if not text.startswith(m.group(1), m.end()):
            continue
        end = full_name_at(text, m.end(), lex.surnames, lex.freq, lex.tokenize)
        if end is None:
            continue
        full = text[m.end():end]
        nm = _add(names, full, "alias", m.end(), end, "person.alias.full")
        nm.aliases.add(short)
        old = names.pop(short, None)
        if old is not None:
            nm.officer = nm.officer or old.officer
            nm.spans.extend(old.spans)
        for k in re.finditer(re.escape(short), text):
            nm.spans.append((k.start(), k.end(), "person.alias.short"))


def _find_repeats(text: str, names: dict[str, _Name]) -> None:
    for nm in names.values():
        if nm.form not in ("titled", "alias") or len(nm.name) < 2:
            continue
        for k in re.finditer(re.escape(nm.name), text):
            nm.spans.append((k.start(), k.end(), "person.repeat"))


def _find_xiao(text: str, lex: _Lexicon, names: dict[str, _Name]) -> None:
    """``小王`` on its own (a young victim the report names only so): 小 + a one-character
    surname that does not form a word with what follows (小时, 小区内, 小程序 are words), or
    小 + any character right after a word for a person (学生小宇). Its role comes from cues
    and a slight lean to victim (:func:`_role`)."""
    known = {a for nm in names.values() for a in nm.aliases} | set(names)
    for m in re.finditer("小", text):
        s, e = m.start(), m.start() + 2
        sur = text[s + 1:e]
        if text[s:e] in known or not is_han(sur) or sur in NOT_XIAO_NAME:
            continue
        if not (lex.surnames.common(sur) and lex.surnames.at(text, s + 1) == sur) \
                and not XIAO_AFTER.search(text, max(0, s - 4), s):
            continue
        if lex.freq(text[s:e]) >= COMMON_XIAO or lex.freq(text[s + 1:e + 1]) or inside_word(text, s, lex.freq):
            continue
        if text[e:e + 1] in ("某", "姐", "哥", "弟", "妹") or lex.hon_re.match(text, e):
            continue
        if s > 0 and lex.surnames.common(text[s - 1]):
            continue            # 王小明: a full name, not 小明
        nm = _add(names, text[s:e], "xiao", s, e, "person.xiao")
        if not lex.surnames.common(sur):       # 学生小宇 … 小宇: its other mentions too
            nm.spans += [(k.start(), k.end(), "person.repeat") for k in re.finditer(nm.name, text) if k.start() != s]


def _find_lao(text: str, lex: _Lexicon, names: dict[str, _Name]) -> None:
    """``老王`` written at least twice: 老 + a common one-character surname that is no word
    with 老 (老城, 老路, 老成) nor with what follows (老王家 is fine, 老李子 is not); cues
    decide the role, with the slight lean to victim of 小王."""
    known = {a for nm in names.values() for a in nm.aliases} | set(names)
    for m in re.finditer("老", text):
        s, e = m.start(), m.start() + 2
        name, sur = text[s:e], text[s + 1:e]
        if name in known or name in names or sur in NOT_LAO_NAME or lex.surnames.at(text, s + 1) != sur:
            continue
        if not lex.surnames.common(sur) or text.count(name) < 2 or lex.freq(name) >= LAO_WORD:
            continue
        if lex.freq(text[s + 1:e + 1]) or lex.freq(text[s - 1:s + 1]) >= LAO_AFTER_WORD or text[e:e + 1] in ("某", "人", "汉", "太"):
            continue
        if s > 0 and lex.surnames.common(text[s - 1]):
            continue            # 王老五: a full name
        _add(names, name, "xiao", s, e, "person.lao")


def _taken_spans(doc: Doc) -> list[tuple[int, int]]:
    return [(m.start, m.end) for m in doc.mentions if m.label in ("Place", "PoliceUnit")]


def _clean_spans(spans, names: dict[str, _Name], taken) -> list[tuple[int, int, str]]:
    """One mention per position; a longer name wins over one inside it (王某 in 王某某)."""
    longer = [(s, e) for nm in names.values() for s, e, _ in nm.spans]
    out, seen = [], set()
    for s, e, rule in sorted(spans):
        if (s, e) in seen:
            continue
        if any(ls <= s and e <= le and (le - ls) > (e - s) for ls, le in longer):
            continue
        if any(ts < e and s < te for ts, te in taken):
            continue        # over a place or unit (安某 of 西安某, 支队副 of …刑警支队副, 从菲律 of 从菲律宾)
        seen.add((s, e))
        out.append((s, e, rule))
    return out


def _merge_same_person(text: str, names: dict[str, _Name], lex: _Lexicon) -> None:
    """One person written two ways in an item: 孙女士 and 孙小姐 (one surname, one gender),
    钱大姐 and 钱某 (the 某 form with no cue of a suspect of its own) become one name, the
    form written most often, with the other as an alias."""
    by_surname: dict[str, list[_Name]] = defaultdict(list)
    for nm in names.values():
        if nm.form == "honorific" and not nm.officer and "姓" not in nm.name:
            by_surname[lex.surnames.at(nm.name, 0) or ""].append(nm)
    for sur, group in by_surname.items():
        if not sur or len({g.gender for g in group} - {"-"}) > 1:
            continue
        main = max(group, key=lambda g: (len(g.spans), -min(s for s, _, _ in g.spans)))
        others = [g for g in group if g is not main]
        mou = names.get(sur + "某")
        if mou is not None and not _cued(text, mou, lex, "Suspect"):
            others.append(mou)
        for o in others:
            main.spans.extend(o.spans)
            main.aliases |= {o.name} | o.aliases
            names.pop(o.name, None)


def _cued(text: str, nm: _Name, lex: _Lexicon, role: str) -> bool:
    """Whether a cue of ``role`` stands at one of the name's mentions."""
    for s, e, _ in nm.spans:
        left, right = text[max(0, s - 12):s], text[e:e + 24]
        if any(r == role and rx.search(left if side == "left" else right) for _, r, side, _, rx, _ in lex.cues):
            return True
    return False


# ------------------------------------------------------------------ roles
def _role(text: str, nm: _Name, lex: _Lexicon) -> Optional[str]:
    """The one role of a name in this item, or None when it is not to be annotated."""
    score: dict[str, float] = defaultdict(float)
    told = False                # a cue says what happened to them, beyond who they are (居民)
    for s, e, _ in nm.spans:
        left = text[max(0, s - 12):s]
        right = text[e:e + 24]
        for rule_id, role, side, weight, rx, _ in lex.cues:
            if rx.search(left if side == "left" else right):
                score[role] += weight
                told = told or rule_id not in WHO_CUES
    if score["Exclude"] > 0 and not nm.officer:
        return None
    if nm.officer:
        return "PoliceOfficer"
    harm = score["Victim"] + score["Suspect"]
    if score["Witness"] > 0 and harm == 0:
        return None
    if score["Relay"] > 0 and score["Suspect"] == 0:
        return None                 # 王先生报警称其母亲被骗: he only reported
    prior = {"honorific": ("Victim", 2.0), "mou": ("Suspect", 2.0), "xiao": ("Victim", 1.0),
             "kin": ("Victim", 1.0)}.get(nm.form)
    if prior and CRIME_WORDS.search(text):
        if not told and nm.form == "honorific" and not any(_harm_near(text, s, e) for s, e, _ in nm.spans):
            return None             # 居民孙先生…为警方点赞: in the story, but nothing befell him
        score[prior[0]] += prior[1]
    if score["Victim"] == score["Suspect"] == 0:
        return None
    return "Victim" if score["Victim"] > score["Suspect"] else "Suspect"


def _harm_near(text: str, s: int, e: int) -> bool:
    """Whether a word of harm is told of the person in the clause around ``text[s:e]``."""
    lo = max(text.rfind(c, 0, s) for c in "。；！？\n") + 1
    hi = min((k for k in (text.find(c, e) for c in "。；！？\n") if k >= 0), default=len(text))
    return HARM.search(text, lo, hi) is not None


# ------------------------------------------------------------------ a victim named by a kin word
def _kin_victim(doc: Doc, lex: _Lexicon, taken) -> tuple[list[Mention], list[Entity]]:
    """``老大爷`` as the name of the item's one victim (一老汉接到陌生来电…老大爷信以为真):
    the kin word written most often on its own (at least twice, not after a surname), with a
    cue of harm at one of its mentions."""
    text = doc.text
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for m in lex.kin_re.finditer(text):
        s, e = m.span()
        sur = lex.surnames.ending_at(text, s)
        if sur and lex.surnames.common(sur) or text[s - 1:s] in ("小", "姓"):
            continue                                # 王大爷 is a name of its own
        if any(ts <= s < te for ts, te in taken):
            continue
        spans[m.group()].append((s, e))
    best = max(spans, key=lambda w: (len(spans[w]), len(w), w), default=None)
    if best is None or len(spans[best]) < 2:
        return [], []
    rule_id, gender = lex.kin[best]
    nm = _Name(best, "kin", gender, [(s, e, f"person.{rule_id}") for s, e in spans[best]])
    if _role(text, nm, lex) != "Victim":
        return [], []
    key = entity_key("Victim", best, scope=doc.article.id)
    others = {w for w in spans if w != best and lex.kin[w][1] in (gender, "-")}   # 一老汉…老大爷…
    entity = Entity(key, "Victim", best, frozenset(others), (("kind", "person"),))
    spans_all = nm.spans + [(s, e, f"person.{lex.kin[w][0]}.alias") for w in others for s, e in spans[w]]
    mentions = [Mention(s, e, text[s:e], "Victim", rule, key, (("form", "kin"), ("gender", gender)))
                for s, e, rule in sorted(spans_all)]
    return mentions, [entity]


# ------------------------------------------------------------------ companies as victims
def _org_victims(doc: Doc, lex: _Lexicon, taken) -> tuple[list[Mention], list[Entity]]:
    text, mentions, entities = doc.text, [], []
    units = [(m.start, m.end) for m in doc.mentions if m.label == "PoliceUnit"]
    for m in ORG_VICTIM.finditer(text) if ORG_HARMED.search(text) else ():
        s, e = m.start(1), m.end(2)
        cut = ORG_LEFT_STOP.match(text, s, m.end(1) - 1)
        if cut:
            s = cut.end()
        name = text[s:e]
        core = re.sub(r"^(?:某|一家?)", "", name)
        if len(core) < 4 or name.startswith(("该", "此", "本", "其", "这", "那", "我", "贵")):
            continue
        if any(ts < e and s < te for ts, te in units):
            continue
        key = entity_key("Victim", name, scope=doc.article.id)
        entities.append(Entity(key, "Victim", name, frozenset(), (("kind", "organization"),)))
        mentions.append(Mention(s, e, name, "Victim", "person.org_victim", key, (("form", "organization"),)))
    return mentions, entities


# ------------------------------------------------------------------ coreference
def _coreference(doc: Doc, mentions: list[Mention], lex: _Lexicon) -> list[Mention]:
    """Pronouns and 该男子-phrases pointing at the nearest earlier person of their gender."""
    text, out = doc.text, []
    people = [m for m in mentions if m.label in ROLES and m.get("form") != "organization"]
    if not people or not doc.sentences:
        return out
    for rule_id, word, gender, window in lex.coref:
        for k in re.finditer(re.escape(word), text):
            s, e = k.span()
            if _not_a_reference(text, s, e, word) or any(p.start <= s < p.end for p in people):
                continue
            sent = doc.sentence_at(s).index
            target = None
            for p in reversed(people):
                if p.end > s:
                    continue
                if sent - doc.sentence_at(p.start).index > window:
                    break
                if gender == "-" or p.get("gender") in ("-", None, gender):
                    target = p
                    break
            if target is not None and word.startswith("该") and word[1:] in text[target.end:s]:
                target = None                           # 一名男子……该男子: someone unnamed
            if target is not None:
                out.append(Mention(s, e, word, "PersonRef", f"person.coref.{rule_id}", target.key,
                                   (("refers_to", target.text), ("role", target.label))))
    return out


def _not_a_reference(text: str, s: int, e: int, word: str) -> bool:
    after, before = text[e:e + 1], text[s - 1:s]
    if word in ("她", "他"):
        return after in ("们", "人", "乡", "处", "国", "日", "方") or before in ("其", "利", "吉")
    if word == "其":
        return after in ("他", "它", "中", "实", "次", "余", "后", "间", "一") or before in ("尤", "极", "与", "及")
    return False
