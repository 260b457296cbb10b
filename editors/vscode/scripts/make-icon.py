#!/usr/bin/env python3
"""Draws the extension icon (icon.png, 128x128 RGBA) with the standard library only.

A blue rounded square holding a white evaluation sheet (a small table) and a green
check mark. Shapes are signed-distance functions, sampled 4x4 per pixel for
anti-aliasing, and the PNG is written with zlib.

    python3 scripts/make-icon.py [OUTPUT]      (default: icon.png beside package.json)
"""
import math
import os
import struct
import sys
import zlib

SIZE = 128
SUB = 4  # samples per axis per pixel


def rounded_rect(px, py, x0, y0, x1, y1, r):
    """Signed distance to a rounded rectangle (negative inside)."""
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    hx, hy = (x1 - x0) / 2 - r, (y1 - y0) / 2 - r
    dx, dy = abs(px - cx) - hx, abs(py - cy) - hy
    outside = math.hypot(max(dx, 0.0), max(dy, 0.0))
    inside = min(max(dx, dy), 0.0)
    return outside + inside - r


def segment(px, py, ax, ay, bx, by):
    """Distance to the segment a-b."""
    vx, vy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * vx + (py - ay) * vy) / (vx * vx + vy * vy)))
    return math.hypot(px - (ax + t * vx), py - (ay + t * vy))


def polyline(px, py, points):
    return min(segment(px, py, *points[i], *points[i + 1]) for i in range(len(points) - 1))


def mix(a, b, t):
    return tuple(a[i] + (b[i] - a[i]) * t for i in range(len(a)))


TOP = (38, 110, 196)
BOTTOM = (20, 66, 140)
SHEET = (255, 255, 255)
RULE = (176, 196, 222)
HEADER = (222, 232, 246)
CHECK = (40, 180, 110)
CHECK_EDGE = (255, 255, 255)
CHECK_POINTS = [(56, 78), (74, 96), (110, 50)]


def sample(x, y):
    """The colour (r, g, b, a) at a point, painting shapes back to front."""
    if rounded_rect(x, y, 4, 4, 124, 124, 24) > 0:
        return (0, 0, 0, 0)
    color = mix(TOP, BOTTOM, (y - 4) / 120)
    # The sheet: a white card with a header row, row rules and one column rule.
    if rounded_rect(x, y, 22, 20, 94, 108, 7) <= 0:
        color = SHEET
        if 20 <= y <= 38:
            color = HEADER
        for row in (38, 56, 74, 92):
            if abs(y - row) <= 1.2 and 22 <= x <= 94:
                color = RULE
        if abs(x - 44) <= 1.2 and 20 <= y <= 108:
            color = RULE
    # The check mark, with a white edge so it stands out on both the sheet and the blue.
    d = polyline(x, y, CHECK_POINTS)
    if d <= 11:
        color = CHECK_EDGE
    if d <= 7:
        color = CHECK
    return color + (255,)


def render():
    rows = []
    step = 1 / SUB
    for py in range(SIZE):
        row = bytearray([0])  # filter type 0
        for px in range(SIZE):
            acc = [0.0, 0.0, 0.0, 0.0]
            for sy in range(SUB):
                for sx in range(SUB):
                    r, g, b, a = sample(px + (sx + 0.5) * step, py + (sy + 0.5) * step)
                    acc[0] += r * a
                    acc[1] += g * a
                    acc[2] += b * a
                    acc[3] += a
            n = SUB * SUB
            alpha = acc[3] / n
            if alpha > 0:
                rgb = [round(acc[i] / acc[3]) for i in range(3)]
            else:
                rgb = [0, 0, 0]
            row.extend(rgb + [round(alpha)])
        rows.append(bytes(row))
    return b"".join(rows)


def png(raw):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "icon.png")
    with open(out, "wb") as f:
        f.write(png(render()))
    print(f"wrote {out} ({SIZE}x{SIZE})")


if __name__ == "__main__":
    main()
