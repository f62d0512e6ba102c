"""Regenerate kg/data/gazetteer.tsv from maintained administrative-division datasets.

Sources (read from inside the PyPI wheels with zipfile; neither package is installed):

* cpca 0.5.5 -- ``cpca/resources/adcodes.csv`` (adcode, name, longitude, latitude; about 3500
  provinces, prefectures and counties, some of them since abolished, e.g. 330204 江东区) and
  ``cpca/resources/56_nations.csv`` (the 56 ethnic groups, used to shorten 自治州/自治县 names).
* jionlp 1.5.31 -- ``jionlp/dictionary/china_location.zip`` (a tab-indented tree
  province/prefecture/county/township/village with official codes and short names down to
  county level), ``china_location_change.txt`` (dated renames and mergers, old chain => new
  chain), ``world_location.txt`` (countries by continent: short name, full name, capital,
  other cities) and ``chinese_char_dictionary.zip`` (character parts, used only to read two
  typos in the change file).

Rows: provinces, prefectures and counties with their official codes; county-level units with
statistical codes xx71-xx79 (development zones) and township-level units that are not
镇/乡/街道/苏木/地区/办事处 (farms, parks, management committees) as level ``area``; townships
(no villages); historical divisions (status ``historical`` with the current successor);
countries from world_location.txt with their capitals and cities as ``area``. A row without an
official code of its own gets ``<parent code>-<name>`` (townships, Hong Kong and Taiwan
districts, historical units whose code now names another unit), countries ``XX-<name>``.
Coordinates are cpca's, for codes it knows (GCJ-02 or WGS84: cpca does not say).

The wheels are fetched with ``pip download --no-deps`` into a temporary folder, or taken from
``--wheels DIR`` when that folder already holds them. The output is sorted by code, so two runs
on the same wheels give the same bytes. ``kg/data/regions.tsv`` is hand-written (see its header)
and only checked here: its parents must be rows of the generated file.

Usage: python tools/build_gazetteer.py [--wheels DIR] [--out kg/data/gazetteer.tsv]
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import io
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

PACKAGES = {"cpca": "0.5.5", "jionlp": "1.5.31"}
ROOT = Path(__file__).resolve().parent.parent
COLUMNS = ["code", "name", "level", "parent_code", "aliases", "lat", "lon", "status",
           "successor_code"]
RANK = {"country": 0, "province": 0, "prefecture": 1, "county": 2, "area": 2, "township": 3}

# Official designations, longest first, stripped to derive a short form (永康市 -> 永康).
SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "新区", "特区",
            "省", "市", "县", "区", "旗", "盟")
AUTONOMOUS = ("自治区", "自治州", "自治县", "自治旗")
# Township-level units of these kinds are townships; other township-level units in the data
# (farms, development zones, prisons, management committees...) become level `area`.
TOWNSHIP_SUFFIXES = ("镇", "乡", "街道", "苏木", "地区", "办事处")
DESIGNATION_ONLY = {"镇", "乡", "街道", "社区", "地区", "办事处", "苏木"}
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
# Successors that neither package states, for cpca rows abolished before jionlp's change file
# starts (or missing from it). Each follows a State Council approval of the year given; the
# build warns about any historical row left without a successor, so this list is exactly the
# gap, not a selection. 130421 邯郸县 (2016) was split among three districts: no successor.
SUCCESSORS = {
    "330204": ("浙江省", "宁波市", "鄞州区"),  # 2016 江东区 merged into 鄞州区
    "350402": ("福建省", "三明市", "三元区"),  # 2021 梅列区 and 三元区 -> new 三元区
    "360421": ("江西省", "九江市", "柴桑区"),  # 2017 九江县 renamed
    "360721": ("江西省", "赣州市", "赣县区"),  # 2016 赣县 -> 赣县区
    "371202": ("山东省", "济南市", "莱芜区"),  # 2019 莱芜市 merged into 济南; 莱城区 -> 莱芜区
    "410211": ("河南省", "开封市", "龙亭区"),  # 2014 金明区 merged into 龙亭区
    "410306": ("河南省", "洛阳市", "孟津区"),  # 2021 孟津县 and 吉利区 -> 孟津区
    "411023": ("河南省", "许昌市", "建安区"),  # 2016 许昌县 renamed
    "510124": ("四川省", "成都市", "郫都区"),  # 2016 郫县 -> 郫都区
    "542421": ("西藏自治区", "那曲市", "色尼区"),  # 2017 那曲县 -> 色尼区
    "610125": ("陕西省", "西安市", "鄠邑区"),  # 2016 户县 -> 鄠邑区
}


@dataclass
class Row:
    code: str
    name: str
    level: str
    parent: str = ""
    aliases: list[str] = field(default_factory=list)
    lat: str = ""
    lon: str = ""
    status: str = "current"
    successor: str = ""
    short: str = ""  # the source's own short form, trusted over derived ones

    def cells(self) -> list[str]:
        return [self.code, self.name, self.level, self.parent, "|".join(self.aliases), self.lat,
                self.lon, self.status, self.successor]


# ---------------------------------------------------------------- reading the wheels

def fetch_wheels(wheel_dir: Path | None, tmp: Path) -> dict[str, Path]:
    """Return the path of each pinned wheel, downloading with pip into ``tmp`` when it is not
    in ``wheel_dir``."""
    found: dict[str, Path] = {}
    if wheel_dir:
        for name, version in PACKAGES.items():
            hits = sorted(wheel_dir.glob(f"{name}-{version}-*.whl"))
            if hits:
                found[name] = hits[0]
    missing = [n for n in PACKAGES if n not in found]
    if missing:
        specs = [f"{n}=={PACKAGES[n]}" for n in missing]
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary",
                        ":all:", "-q", "-d", str(tmp), *specs], check=True)
        for name in missing:
            found[name] = sorted(tmp.glob(f"{name}-{PACKAGES[name]}-*.whl"))[0]
    return found


def read_member(wheel: Path, member: str) -> str:
    with zipfile.ZipFile(wheel) as zf:
        data = zf.read(member)
    if member.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as inner:
            data = inner.read(inner.namelist()[0])
    return data.decode("utf-8-sig")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------- short forms

def strip_suffix(name: str, ethnic: tuple[str, ...]) -> str:
    """Official name -> short form (黔西南布依族苗族自治州 -> 黔西南); '' when none."""
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            break
    else:
        return ""
    if suffix in AUTONOMOUS:
        changed = True
        while changed:  # peel ethnic-group words: 酉阳土家族苗族 -> 酉阳
            changed = False
            for word in ethnic:
                if stem.endswith(word) and len(stem) - len(word) >= 2:
                    stem, changed = stem[: -len(word)], True
                    break
        if stem in ethnic:  # 鄂温克族自治旗 -> '鄂温克族' names a people, not a place
            return ""
    return stem


def ethnic_words(nations_csv: str) -> tuple[str, ...]:
    """Ethnic-group names with and without 族 (维吾尔自治区 omits it), longest first."""
    words = set()
    for line in nations_csv.splitlines():
        word = line.strip()
        if word:
            words.add(word)
            if word.endswith("族") and len(word) > 2:
                words.add(word[:-1])
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


def assign_aliases(rows: dict[str, Row], ethnic: tuple[str, ...]) -> None:
    """Fill aliases of every non-township row: the source's short form plus the derived one.

    A derived short form is dropped when it names a division of a higher level (岳阳县 does not
    get 岳阳, which is 岳阳市) -- the rule jionlp follows in most of its own short forms.
    Never a 1-character alias.
    """
    taken: dict[int, set[str]] = defaultdict(set)  # rank -> names and aliases used at that rank
    for row in sorted(rows.values(), key=lambda r: (RANK[r.level], r.code)):
        rank = RANK[row.level]
        if row.level == "township" or row.level == "country":
            continue
        higher = set().union(*(taken[r] for r in range(rank)))
        aliases = []
        if row.short and row.short != row.name and len(row.short) >= 2:
            aliases.append(row.short)
        derived = "" if row.level == "area" else strip_suffix(row.name, ethnic)
        if len(derived) >= 2 and derived not in higher and derived not in aliases:
            aliases.append(derived)
        if row.level == "area":  # 经开区, 高新区, 产业园: generic designations, not names
            aliases = [a for a in aliases if not a.endswith(("区", "园"))]
        row.aliases = aliases + [a for a in row.aliases if a not in aliases]
        if row.status == "current":
            taken[rank].update([row.name, *row.aliases])


# ---------------------------------------------------------------- the current tree (jionlp)

def parse_tree(text: str) -> tuple[dict[str, Row], Counter]:
    """china_location.txt -> rows for provinces, prefectures, counties and townships.

    Collapsed into their parent: prefectures that repeat the province (上海市 under 上海市,
    香港 under 香港特别行政区) and '…直辖行政区划' placeholders, so that 310115 浦东新区 has
    parent 310000 and 仙桃市 hangs directly under 湖北省. Rows without a usable code of their
    own get ``<parent code>-<name>``.
    """
    lines = [ln.rstrip("\r\n") for ln in text.splitlines() if ln.strip()]
    county_codes = Counter(_fields(ln)[1] for ln in lines
                           if _depth(ln) == 2 and len(_fields(ln)) == 3)
    rows: dict[str, Row] = {}
    notes: Counter = Counter()
    path: list[tuple[str, str]] = []  # (code, name) of the ancestors at each depth
    for ln in lines:
        depth, f = _depth(ln), _fields(ln)
        if depth == 4:
            continue  # villages: too many, too noisy
        del path[depth:]
        parent_code, parent_name = path[-1] if path else ("", "")
        name = f[0]
        if depth > 0 and (name.endswith("直辖行政区划") or name in _names_of(rows, parent_code)):
            path.append((parent_code, parent_name))
            notes["collapsed into parent"] += 1
            continue
        if depth == 3:
            row = _township(rows, path, name, notes)
        else:
            row = _division(depth, f, parent_code, county_codes, rows)
        if row is None:
            path.append((parent_code, parent_name))
            continue
        rows[row.code] = row
        path.append((row.code, row.name))
    return rows, notes


def _depth(line: str) -> int:
    return len(line) - len(line.lstrip("\t"))


def _fields(line: str) -> list[str]:
    return line.lstrip("\t").split("\t")


def _names_of(rows: dict[str, Row], code: str) -> set[str]:
    row = rows.get(code)
    return {row.name, row.short} if row else set()


def _division(depth: int, f: list[str], parent: str, county_codes: Counter,
              rows: dict[str, Row]) -> Row:
    name = f[0]
    code = f[1] if len(f) > 1 else ""
    short = f[2] if len(f) > 2 else ""
    level = ("province", "prefecture", "county")[depth]
    if depth == 2 and code and "71" <= code[4:6] <= "79":
        level = "area"  # statistical codes 71-79 are development zones, not counties
    if not code or code in rows or code == parent:
        code = f"{parent}-{name}"
    elif depth == 2 and county_codes[code] > 1:
        code = f"{code}-{name}"  # one official code given to two units (410471)
    return Row(code, name, level, parent, short=short)


def _township(rows: dict[str, Row], path: list[tuple[str, str]], name: str,
              notes: Counter) -> Row | None:
    full = name
    for _, ancestor in path:  # 博爱县孝敬镇 -> 孝敬镇 (the prefixed form stays as an alias);
        rest = name[len(ancestor):]  # but 黎城县经济技术开发区 keeps the part that names it
        if ancestor and name.startswith(ancestor) and len(rest) >= 2 \
                and rest not in DESIGNATION_ONLY and rest.endswith(TOWNSHIP_SUFFIXES):
            name = rest
    if name in DESIGNATION_ONLY:
        notes["township-level name without a proper name"] += 1
        return None
    county = path[-1][0]
    code = f"{county}-{name}"
    if code in rows:
        notes["township listed twice in a county"] += 1
        return None
    level = "township" if name.endswith(TOWNSHIP_SUFFIXES) else "area"
    return Row(code, name, level, county, aliases=[full] if full != name else [])


# ---------------------------------------------------------------- coordinates and history

@dataclass
class CpcaRow:
    code: str
    name: str
    lat: str
    lon: str


def parse_cpca(text: str) -> list[CpcaRow]:
    reader = csv.DictReader(io.StringIO(text))
    return [CpcaRow(r["adcode"][:6], r["name"], r["latitude"], r["longitude"]) for r in reader]


def add_coordinates(rows: dict[str, Row], cpca: list[CpcaRow]) -> int:
    """Copy cpca's coordinates onto rows with the same 6-digit code; return how many."""
    n = 0
    for c in cpca:
        row = rows.get(c.code)
        if row and c.lat and c.lon and c.name not in PLACEHOLDERS:
            row.lat, row.lon = c.lat, c.lon
            n += 1
    return n


def _level_of_code(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "prefecture"
    return "area" if "71" <= code[4:6] <= "79" else "county"


class Glyphs:
    """Character parts from jionlp's chinese_char_dictionary (岗 = 山 + 冈)."""

    def __init__(self, text: str):
        self.parts: dict[str, set[str]] = {}
        for line in text.splitlines():
            f = line.split("\t")
            if len(f) > 4 and len(f[0]) == 1:
                self.parts[f[0]] = set(f[4]) - {f[0]}

    def similarity(self, a: str, b: str) -> int:
        """2 when one character is a part of the other, 1 when they share a part, else 0."""
        pa, pb = self.parts.get(a, set()), self.parts.get(b, set())
        if a in pb or b in pa:
            return 2
        return 1 if pa & pb else 0


class History:
    """Historical divisions: cpca rows no longer in jionlp's tree, and the change file."""

    def __init__(self, rows: dict[str, Row], ethnic: tuple[str, ...], glyphs: Glyphs):
        self.rows = rows
        self.ethnic = ethnic
        self.glyphs = glyphs
        self.current = {c for c, r in rows.items() if r.status == "current"}
        self.by_key: dict[tuple[str, str, str], Row] = {}  # (province, parent name, name)
        self.moves: dict[str, Counter] = defaultdict(Counter)  # old prefecture -> new ones
        self.same_code: dict[str, str] = {}  # historical row -> current row with its old code
        self.notes: Counter = Counter()
        self.index = {(r.parent, r.name): c for c, r in rows.items()}
        self.named = Counter((c[:2], r.level, r.name) for c, r in rows.items()
                             if r.level not in ("township", "area"))
        self.index_named = {(c[:2], r.level, r.name): c for c, r in rows.items()
                            if r.level not in ("township", "area")}

    def child(self, parent: str, name: str) -> str | None:
        """The current division called ``name`` directly under ``parent``."""
        return self.index.get((parent, name))

    def province(self, name: str) -> str:
        return next(c for c, r in self.rows.items() if r.level == "province" and r.name == name)

    def add(self, name: str, level: str, parent: str, code: str = "", short: str = "") -> Row:
        province = parent[:2] + "0000" if parent else ""
        pname = self.rows[parent].name if parent in self.rows else ""
        key = (province, pname, name)
        if key in self.by_key:
            row = self.by_key[key]
            row.short = row.short or short
            return row
        if not code or code in self.rows:
            code = f"{parent}-{name}"
        row = Row(code, name, level, parent, status="historical", short=short)
        self.rows[code] = row
        self.by_key[key] = row
        return row

    def from_cpca(self, cpca: list[CpcaRow]) -> None:
        """cpca rows whose code is gone, or whose code now carries another name."""
        for c in sorted(cpca, key=lambda c: c.code):
            if c.name in PLACEHOLDERS or c.name.endswith("直辖县级行政区划"):
                continue
            row = self.rows.get(c.code)
            if row and row.name == c.name:
                continue
            level, province = _level_of_code(c.code), c.code[:2] + "0000"
            if self._same_name_elsewhere(province, level, c.name):
                self.notes["cpca code replaced, same name (not historical)"] += 1
                now = self.rows[self.index_named[(province[:2], level, c.name)]]
                if not now.lat:
                    now.lat, now.lon = c.lat, c.lon
                continue
            parent = province if level == "prefecture" else c.code[:4] + "00"
            if parent not in self.rows or parent == c.code:
                parent = province
            hist = self.add(c.name, level, parent, code=c.code)
            hist.lat, hist.lon = c.lat, c.lon
            if row:  # renamed in place: 130502 桥东区 is now 130502 襄都区
                self.same_code[hist.code] = row.code
            self.notes["historical from cpca"] += 1

    def _same_name_elsewhere(self, province: str, level: str, name: str) -> bool:
        """True when one current division of the province has this name (辛集市 139002 is
        130181 now); generic names (城区, 郊区) held by several do not count."""
        return self.named[(province[:2], level, name)] == 1

    def from_changes(self, text: str) -> None:
        """china_location_change.txt: 'date type P Ps F Fs [C Cs]=>P F [C]' per line."""
        seen = set()
        for line in text.splitlines():
            if "=>" not in line or line in seen:
                continue
            seen.add(line)
            left, right = line.split("=>")
            old = left.split("\t")[2:]
            old_names, old_shorts = old[0::2], old[1::2]
            new_names = right.split("\t")
            new_code = self._resolve(new_names)
            if new_code is None:
                self.notes["change: new division not found"] += 1
                print(f"warning: cannot resolve {'/'.join(new_names)}", file=sys.stderr)
                continue
            self._apply_change(old_names, old_shorts, new_names, new_code)

    def _apply_change(self, old_names: list[str], old_shorts: list[str], new_names: list[str],
                      new_code: str) -> None:
        province = self.province(old_names[0])
        parent = province
        if len(old_names) == 3:
            pref = self.child(province, old_names[1])
            if pref is None:  # an abolished prefecture only named as a parent (柳州地区)
                pref = self.add(old_names[1], "prefecture", province, short=old_shorts[1]).code
                self.moves[pref][self.rows[new_code].parent] += 1
            parent = pref
        if old_names[-1] == new_names[-1]:
            self.notes["change: moved to another parent, same name"] += 1
            return
        if old_names[-1] == self.rows[new_code].name:  # the tree still has 无为县, not 无为市
            self.notes["change: not yet in the tree"] += 1
            return
        level = "prefecture" if len(old_names) == 2 else self.rows[new_code].level
        hist = self.add(old_names[-1], level, parent, short=old_shorts[-1])
        hist.successor = new_code
        self.notes["change: renamed or merged"] += 1

    def _resolve(self, names: list[str]) -> str | None:
        """A chain of current names -> the code of its last element."""
        code = self.province(names[0])
        for name in names[1:]:
            found = self.child(code, name) or self._same_stem_sibling(code, name) \
                or self._one_typo(code, name)
            if found is None:
                return None
            code = found
        return code

    def _same_stem_sibling(self, parent: str, name: str) -> str | None:
        """融水县 in the change file is 融水苗族自治县 in the tree; 无为市 is still 无为县."""
        stem = self._stem(name)
        near = [c for (p, n), c in self.index.items() if p == parent
                and stem in (self._stem(n), self.rows[c].short)]
        return near[0] if len(near) == 1 else None

    def _one_typo(self, parent: str, name: str) -> str | None:
        """The change file has typos (云岗区 for 云冈区, 大菁山县 for 大箐山县): accept the sibling
        that differs from ``name`` in one character that looks alike (one character is a part of
        the other, or they share a part, by jionlp's character dictionary)."""
        scored = []
        for (p, n), c in self.index.items():
            if p != parent or len(n) != len(name) or n[-1] != name[-1]:
                continue
            diff = [(a, b) for a, b in zip(n, name) if a != b]
            if len(diff) == 1:
                scored.append((self.glyphs.similarity(*diff[0]), c))
        scored.sort(reverse=True)
        if scored and scored[0][0] > 0 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
            code = scored[0][1]
            print(f"note: change file's {name} read as {self.rows[code].name}", file=sys.stderr)
            self.notes["change: typo corrected"] += 1
            return code
        return None

    def infer_successors(self) -> None:
        """Successors the sources do not state: same code renamed, the prefecture most of an
        abolished prefecture's counties went to, or the one current division in the same
        province with the same short form (那曲地区 -> 那曲市, 临安市 -> 临安区)."""
        for row in sorted(self.by_key.values(), key=lambda r: r.code):
            if row.successor:
                continue
            if row.code in self.same_code:
                row.successor = self.same_code[row.code]
            elif row.code in SUCCESSORS:
                row.successor = self._resolve(list(SUCCESSORS[row.code])) or ""
            elif row.code in self.moves:
                row.successor = self._main_heir(row)
            else:
                row.successor = self._same_stem(row) or ""
            self.notes["successor inferred (not in the change file)" if row.successor
                       else "historical without successor"] += 1
            if not row.successor:
                print(f"note: no successor known for {row.code} {row.name}", file=sys.stderr)

    def inherit_coordinates(self) -> None:
        """A current division cpca has no coordinates for takes those of its only
        predecessor (滦县 -> 滦州市, 临安市 -> 临安区: the same seat under a new name)."""
        heirs: dict[str, list[Row]] = defaultdict(list)
        for row in self.by_key.values():
            if row.successor:
                heirs[row.successor].append(row)
        for code, olds in sorted(heirs.items()):
            now = self.rows[code]
            if not now.lat and len(olds) == 1 and olds[0].lat:
                now.lat, now.lon = olds[0].lat, olds[0].lon
                self.notes["coordinates taken from the only predecessor"] += 1

    def _stem(self, name: str) -> str:
        return strip_suffix(name, self.ethnic) or name

    def _main_heir(self, row: Row) -> str:
        heirs = self.moves[row.code]
        return min(heirs, key=lambda c: (self._stem(self.rows[c].name) != self._stem(row.name),
                                         -heirs[c], c))

    def _same_stem(self, row: Row) -> str | None:
        """Same level under the same parent, else one level down anywhere in the province
        (莱芜市 became 济南市莱芜区)."""
        stem, rank = self._stem(row.name), RANK[row.level]
        if len(stem) < 2:
            return None
        for same_level in (True, False):
            found = [c for c, r in self.rows.items() if r.status == "current"
                     and stem in (self._stem(r.name), r.short)
                     and ((RANK[r.level] == rank and r.parent == row.parent) if same_level
                          else (RANK[r.level] == rank + 1 and c[:2] == row.code[:2]))]
            if len(found) == 1:
                return found[0]
        return None


# ---------------------------------------------------------------- foreign countries

def parse_world(text: str) -> dict[str, Row]:
    """world_location.txt -> countries (name = short form, alias = full name) and their
    capitals and listed cities as level `area`. China's own line is kept as a country row
    only; its cities are provinces and prefectures above."""
    rows: dict[str, Row] = {}
    for line in text.splitlines():
        f = line.split("\t")
        if len(f) < 3:
            continue  # continent headers (亚洲:)
        short, full, capital = f[0], f[1], f[2]
        cities = f[3].split("/") if len(f) > 3 and f[3] else []
        code = f"XX-{short}"
        country = Row(code, short, "country", aliases=[full] if full != short else [])
        rows[code] = country
        if short == "中国":
            continue
        for city in [capital, *cities]:
            if _abbreviates(city, short):  # 巴新 is listed as a city of 巴布亚新几内亚
                country.aliases.append(city)
            elif city not in (short, full) and f"{code}-{city}" not in rows:
                rows[f"{code}-{city}"] = Row(f"{code}-{city}", city, "area", code)
    return rows


def _abbreviates(word: str, name: str) -> bool:
    """True when ``word`` takes some of ``name``'s characters in order, skipping some between
    (巴新 for 巴布亚新几内亚; but 比绍 is a part of 几内亚比绍: its capital)."""
    rest = iter(name)
    return word not in name and all(ch in rest for ch in word)


# ---------------------------------------------------------------- assembling and checking

def build(wheels: dict[str, Path]) -> tuple[dict[str, Row], Counter]:
    cpca_whl, jio_whl = wheels["cpca"], wheels["jionlp"]
    ethnic = ethnic_words(read_member(cpca_whl, "cpca/resources/56_nations.csv"))
    rows, notes = parse_tree(read_member(jio_whl, "jionlp/dictionary/china_location.zip"))
    cpca = parse_cpca(read_member(cpca_whl, "cpca/resources/adcodes.csv"))
    notes["rows with cpca coordinates"] = add_coordinates(rows, cpca)
    glyphs = Glyphs(read_member(jio_whl, "jionlp/dictionary/chinese_char_dictionary.zip"))
    history = History(rows, ethnic, glyphs)
    history.from_cpca(cpca)
    history.from_changes(read_member(jio_whl, "jionlp/dictionary/china_location_change.txt"))
    history.infer_successors()
    history.inherit_coordinates()
    notes.update(history.notes)
    for code, row in parse_world(read_member(jio_whl, "jionlp/dictionary/world_location.txt")
                                 ).items():
        if code in rows:
            raise SystemExit(f"code {code} from world_location.txt is already used")
        rows[code] = row
    assign_aliases(rows, ethnic)
    check(rows)
    return rows, notes


def check(rows: dict[str, Row]) -> None:
    """Fail loudly on anything the library relies on."""
    for row in rows.values():
        problems = []
        if row.parent and row.parent not in rows:
            problems.append(f"parent {row.parent} missing")
        if row.successor and (row.successor not in rows
                              or rows[row.successor].status != "current"):
            problems.append(f"successor {row.successor} is not a current row")
        if any(len(a) < 2 for a in row.aliases) or len(set(row.aliases)) != len(row.aliases):
            problems.append(f"bad aliases {row.aliases}")
        if any(ch in cell for cell in row.cells() for ch in "\t\n"):
            problems.append("tab or newline inside a cell")
        if "|" in row.name or any("|" in a for a in row.aliases):
            problems.append("'|' inside a name")
        if problems:
            raise SystemExit(f"{row.code} {row.name}: " + "; ".join(problems))


def check_regions(path: Path, rows: dict[str, Row]) -> int:
    """Every row of the hand-written regions file must have a known parent and a new code."""
    n = 0
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith(("#", "code\t")):
            continue
        cells = line.split("\t")
        code, parent = cells[0], cells[3]
        if code in rows or (parent and parent not in rows):
            raise SystemExit(f"{path}:{i}: code already used or unknown parent {parent}")
        n += 1
    return n


def write(rows: dict[str, Row], out: Path) -> None:
    lines = ["\t".join(COLUMNS)] + ["\t".join(rows[c].cells()) for c in sorted(rows)]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wheels", type=Path, help="folder that may already hold the wheels")
    ap.add_argument("--out", type=Path, default=ROOT / "kg" / "data" / "gazetteer.tsv")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="gazetteer-wheels-") as tmp:
        wheels = fetch_wheels(args.wheels, Path(tmp))
        for path in wheels.values():
            print(f"{path.name}  sha256 {sha256(path)}")
        rows, notes = build(wheels)
    write(rows, args.out)
    regions = check_regions(args.out.parent / "regions.tsv", rows)
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes, {len(rows):,} rows)")
    counts = Counter((r.level, r.status) for r in rows.values())
    for (level, status), n in sorted(counts.items(), key=lambda x: (RANK[x[0][0]], x[0])):
        print(f"  {level:<11} {status:<10} {n:>7,}")
    print(f"  aliases {sum(len(r.aliases) for r in rows.values()):,}; regions.tsv rows {regions}")
    for note, n in sorted(notes.items()):
        print(f"  {note}: {n:,}")


if __name__ == "__main__":
    main()
