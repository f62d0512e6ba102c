"""Make kg/viz_assets/china_provinces.json, the province outlines the explorer's map draws.

Source: ``map/json/china.json`` of the npm package ``echarts`` 4.9.0 (Apache-2.0; the map
files left the package in 5.0). Its coordinates are echarts' UTF-8 delta encoding; this
decodes them to longitude/latitude and keeps them as integers in hundredths of a degree
(about 1 km, finer than the page ever draws), so the page needs no decoder.

    npm pack echarts@4.9.0 && tar xzf echarts-4.9.0.tgz
    python tools/china_outlines.py package/map/json/china.json
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "kg" / "viz_assets" / "china_provinces.json"


def decode_ring(text: str, offset: list[int], scale: float) -> list[tuple[float, float]]:
    """echarts' parseGeoJson decodePolygon: zigzag-encoded deltas, two characters a point."""
    x0, y0 = offset
    out = []
    for i in range(0, len(text) - 1, 2):
        x = ord(text[i]) - 64
        y = ord(text[i + 1]) - 64
        x0 += (x >> 1) ^ -(x & 1)
        y0 += (y >> 1) ^ -(y & 1)
        out.append((x0 / scale, y0 / scale))
    return out


def simplify(ring: list[tuple[int, int]]) -> list[int]:
    """Consecutive duplicates dropped (after rounding); flat [x0, y0, x1, y1, …]."""
    flat: list[int] = []
    for p in ring:
        if len(flat) < 2 or (flat[-2], flat[-1]) != p:
            flat.extend(p)
    return flat


def main(src: str) -> None:
    geo = json.loads(Path(src).read_text(encoding="utf-8"))
    scale = geo.get("UTF8Scale") or 1024
    provinces = []
    for f in geo["features"]:
        g = f["geometry"]
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        offs = g["encodeOffsets"] if g["type"] == "MultiPolygon" else [g["encodeOffsets"]]
        rings = []
        for poly, off in zip(polys, offs):
            for ring, o in zip(poly, off):
                pts = [(round(x * 100), round(y * 100)) for x, y in decode_ring(ring, o, scale)]
                flat = simplify(pts)
                if len(flat) >= 6:
                    rings.append(flat)
        provinces.append({"code": f["properties"]["id"], "name": f["properties"]["name"], "rings": rings})
    provinces.sort(key=lambda p: p["code"])
    doc = {"source": "echarts 4.9.0 map/json/china.json (npm, Apache-2.0)", "unit": "0.01 degree",
           "provinces": provinces}
    OUT.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e3:.0f} kB, {len(provinces)} provinces)")


if __name__ == "__main__":
    main(sys.argv[1])
