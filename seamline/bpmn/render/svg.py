"""SVG building blocks for the diagram renderer: elements, styles, numbers and wrapped text.

Everything is built as an lxml tree and serialised once, so every name taken from a diagram is
escaped by the serialiser; nothing is ever pasted into markup as a string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from lxml import etree

SVG_NS = "http://www.w3.org/2000/svg"
FONT = "Arial, Helvetica, sans-serif"

#: Average glyph width as a share of the font size; close enough for Arial to wrap labels.
_CHAR_WIDTH = 0.56
#: Line height as a multiple of the font size.
_LINE_HEIGHT = 1.2

# A diagram's colours are untrusted too: only plain colour syntax reaches an attribute.
_COLOUR = re.compile(r"^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20}|rgba?\(\s*[0-9.,%\s]{5,40}\))$")
# Characters XML 1.0 cannot hold at all (lxml refuses them rather than escaping them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Style:
    """How one element is stroked and filled."""

    stroke: str = "#222222"
    fill: str = "#ffffff"
    width: float = 1.5
    text: str = "#222222"

    def thicker(self, factor: float) -> Style:
        """The same style with the stroke width multiplied by ``factor``."""
        return replace(self, width=self.width * factor)


def safe_colour(value: str | None) -> str | None:
    """``value`` if it is plain colour syntax, else None (so it cannot smuggle markup or CSS)."""
    if value and _COLOUR.match(value.strip()):
        return value.strip()
    return None


def clean_text(value: str | None) -> str:
    """Text fit for an XML text node: characters XML cannot represent are dropped."""
    return _NOT_XML.sub("", value or "")


def num(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros (keeps the SVG small)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def points(coords: list[tuple[float, float]]) -> str:
    """An SVG ``points`` list."""
    return " ".join(f"{num(x)},{num(y)}" for x, y in coords)


def add(parent: etree._Element, tag: str, **attrs: str | float | None) -> etree._Element:
    """Append ``<tag>`` with ``attrs`` (``stroke_width`` is written ``stroke-width``).

    Numbers are formatted with :func:`num`; None values are left out.
    """
    node = etree.SubElement(parent, f"{{{SVG_NS}}}{tag}")
    for key, value in attrs.items():
        if value is None:
            continue
        name = "class" if key == "cls" else key.rstrip("_").replace("_", "-")
        node.set(name, num(value) if isinstance(value, float | int) else clean_text(value))
    return node


def stroke_attrs(style: Style, *, fill: str | None = None) -> dict[str, str | float | None]:
    """Presentation attributes for an outline in ``style``."""
    return {
        "fill": style.fill if fill is None else fill,
        "stroke": style.stroke,
        "stroke_width": style.width,
    }


def wrap(text: str, width: float, size: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` at font ``size`` (explicit breaks kept)."""
    per_line = max(1, int(width / (size * _CHAR_WIDTH)))
    lines: list[str] = []
    for paragraph in clean_text(text).replace("\r\n", "\n").split("\n"):
        words = paragraph.split()
        current = ""
        for word in words:
            while len(word) > per_line:  # a word longer than the box is broken, not overflowed
                if current:
                    lines.append(current)
                    current = ""
                lines.append(word[:per_line])
                word = word[per_line:]
            candidate = f"{current} {word}" if current else word
            if len(candidate) <= per_line:
                current = candidate
            else:
                lines.append(current)
                current = word
        if current:
            lines.append(current)
    return lines


def text_block(
    parent: etree._Element,
    text: str,
    x: float,
    y: float,
    width: float,
    height: float | None,
    *,
    size: float = 12.0,
    colour: str = "#222222",
    align: str = "middle",
    valign: str = "middle",
) -> etree._Element | None:
    """Draw ``text`` wrapped into the box ``x, y, width, height``.

    ``height`` None means the box grows downwards as far as needed (external labels). Lines that
    do not fit a fixed box are cut and the last visible one ends with an ellipsis.
    """
    lines = wrap(text, max(width - 4, size), size)
    if not lines:
        return None
    step = size * _LINE_HEIGHT
    if height is not None:
        room = max(1, int(height / step))
        if len(lines) > room:
            lines = lines[:room]
            lines[-1] = lines[-1][: max(1, len(lines[-1]) - 1)] + "\u2026"
    total = step * len(lines)
    top_aligned = height is None or valign == "top"
    first = y + size if top_aligned else y + ((height or 0.0) - total) / 2 + size * 0.9
    anchor = {"start": x + 2, "middle": x + width / 2, "end": x + width - 2}[align]
    node = add(
        parent,
        "text",
        x=anchor,
        y=first,
        font_family=FONT,
        font_size=size,
        fill=colour,
        text_anchor=align,
    )
    for index, line in enumerate(lines):
        span = add(node, "tspan", x=anchor, dy=None if index == 0 else step)
        span.text = line
    return node


def label_height(text: str, width: float, size: float) -> float:
    """Height that :func:`text_block` needs for ``text`` in a box ``width`` wide."""
    return len(wrap(text, max(width - 4, size), size)) * size * _LINE_HEIGHT
