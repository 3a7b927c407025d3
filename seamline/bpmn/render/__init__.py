"""The room for drawing diagrams: a BPMN file's BPMNDI as a standalone SVG, an instance over it.

- :mod:`.draw`: :func:`render_svg` and :class:`Overlay`, the entry points
- :mod:`.model`: the scene read from BPMNDI (shapes, edges, bounds)
- :mod:`.layout`: automatic left-to-right layout for processes without BPMNDI
- :mod:`.shapes`, :mod:`.icons`, :mod:`.artifacts`, :mod:`.edges`: drawing each kind of element
- :mod:`.svg`: SVG building blocks, styles and text handling

Exports :func:`render_svg` and :class:`Overlay`.
"""

from seamline.bpmn.render.draw import Overlay, render_svg

__all__ = ["Overlay", "render_svg"]
