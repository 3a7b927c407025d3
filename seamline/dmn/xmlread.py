"""Reading DMN XML: elements by local name, texts, languages, and located problem reports."""

from __future__ import annotations

from lxml import etree

from seamline.bpmn.problems import Problem, Severity
from seamline.dmn.model import Expression, Language, Where


def local(el: etree._Element) -> str:
    """The element's tag without its namespace."""
    tag = el.tag
    if not isinstance(tag, str):  # comments and PIs are removed by parse_xml, but be safe
        return ""
    return str(etree.QName(tag).localname)


def children(el: etree._Element, name: str) -> list[etree._Element]:
    """The direct children with this local name."""
    return [child for child in el if local(child) == name]


def child(el: etree._Element, name: str) -> etree._Element | None:
    """The first direct child with this local name, or None."""
    found = children(el, name)
    return found[0] if found else None


def attr(el: etree._Element, name: str) -> str | None:
    """An attribute by local name, whatever its namespace (``camunda:inputVariable``)."""
    value = el.get(name)
    if value is not None:
        return str(value)
    for key, val in el.attrib.items():
        if isinstance(key, str) and key.endswith("}" + name):
            return str(val)
    return None


def text_of(el: etree._Element | None) -> str:
    """The content of the element's ``<text>`` child; empty when there is none."""
    if el is None:
        return ""
    text_el = child(el, "text")
    return (text_el.text or "") if text_el is not None else ""


def language_of(value: str | None) -> Language | None:
    """Map an ``expressionLanguage`` value (a name or a URI) to a language; None if unknown."""
    lowered = value.strip().lower() if value else ""
    if not lowered or "feel" in lowered:
        return Language.FEEL
    if "juel" in lowered or lowered == "javascript-el":
        return Language.JUEL
    if "python" in lowered:
        return Language.PYTHON
    return None


def split_unary_items(text: str) -> list[str]:
    """Split ``"a", "b", [1..2]`` at top-level commas, respecting strings and brackets."""
    items: list[str] = []
    depth = 0
    quoted = False
    start = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == "\\":
                i += 1
            elif ch == '"':
                quoted = False
        elif ch == '"':
            quoted = True
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append(text[start:i].strip())
            start = i + 1
        i += 1
    items.append(text[start:].strip())
    return [item for item in items if item]


class Reader:
    """Walks one document, recording problems as :class:`Problem` records instead of raising."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.default_language = Language.FEEL

    def where(self, el: etree._Element) -> Where:
        """The element's location, named by its id (or its tag when it has none)."""
        return Where(self.file, el.sourceline, el.get("id") or local(el))

    def report(
        self,
        el: etree._Element,
        code: str,
        message: str,
        hint: str | None = None,
        severity: Severity = Severity.ERROR,
    ) -> None:
        """Record a problem located at ``el``."""
        where = self.where(el)
        self.problems.append(
            Problem(self.file, where.line, where.element, severity, code, message, hint)
        )

    def expression(self, el: etree._Element, text: str | None = None) -> Expression:
        """The expression held by ``el`` (its ``<text>`` unless ``text`` is given)."""
        attr = el.get("expressionLanguage")
        language = language_of(attr) if attr else self.default_language
        if language is None:
            self.report(
                el,
                "dmn-unknown-language",
                f"unknown expressionLanguage {attr!r}",
                "use FEEL (the default), juel or python",
            )
            language = Language.FEEL
        return Expression(text_of(el) if text is None else text, language, self.where(el))
