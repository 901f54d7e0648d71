"""Reading our QR labels back with a real decoder (zxing-cpp), the way a phone would."""

from __future__ import annotations

import re

import zxingcpp


def rasterise(svg: str, zoom: int = 3) -> memoryview:
    """Draw a segno SVG (one path of ``M``/``m`` moves and ``h`` runs, stroke 1 unit wide)
    as a grayscale image, so a real decoder can read what the page would print."""
    scale = int(re.search(r"scale\((\d+)\)", svg).group(1))
    size_in_svg = re.search(r'viewBox="0 0 (\d+) \d+"', svg) or re.search(r'width="(\d+)"', svg)
    width = int(size_in_svg.group(1)) // scale
    # The dark modules: the stroked path (another, filled one paints the light background).
    commands = re.search(r'<path [^>]*stroke="[^"]+"[^>]* d="([^"]+)"', svg).group(1)
    size = width * zoom
    pixels = bytearray([255]) * (size * size)
    x = y = 0.0
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?:\s+(-?[\d.]+))?", commands):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            row = int(y)  # the stroke is centred on y + 0.5
            for col in range(int(x), int(x + float(a))):
                for dy in range(zoom):
                    start = (row * zoom + dy) * size + col * zoom
                    pixels[start : start + zoom] = bytes(zoom)
            x += float(a)
    return memoryview(bytes(pixels)).cast("B", (size, size))


def decoded(svg: str) -> list[str]:
    return [code.text for code in zxingcpp.read_barcodes(rasterise(svg))]
