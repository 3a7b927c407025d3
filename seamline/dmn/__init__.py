"""seamline's DMN engine: decision tables with every DMN 1.3 hit policy, literal expression
decisions and decision requirement graphs, evaluated in FEEL::

    service = DecisionService.from_sources({"invoice.dmn": data})
    service.evaluate("invoiceClassification", {"amount": 30, "invoiceCategory": "Misc"}).value
    # -> "day-to-day expense"
"""

from seamline.dmn.evaluate import DecisionResult, DecisionService, check_dmn
from seamline.dmn.languages import Languages
from seamline.dmn.model import DmnDocument
from seamline.dmn.parser import parse_dmn
from seamline.errors import DmnLoadError, HitPolicyViolation, UnknownDecision

__all__ = [
    "DecisionResult",
    "DecisionService",
    "DmnDocument",
    "DmnLoadError",
    "HitPolicyViolation",
    "Languages",
    "UnknownDecision",
    "check_dmn",
    "parse_dmn",
]
