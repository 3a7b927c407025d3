"""The policy set in force: Cedar files, Python policies, declared variables and budgets.

Loaded once when the App starts, and validated against ``seamline.cedarschema``: a file that
does not parse, a policy that does not type-check, or one that reads a variable nobody declared
stops the App (:class:`~seamline.errors.PolicyError`, exit 2, naming file and line). Every check
then fails closed: an evaluation error, a variable that does not fit its declared type or a
Python policy that raises denies, and the decision says why.

Combining: Cedar decides first (a ``forbid`` wins over a ``permit``; nothing permitted is
denied). A request Cedar allows can still be denied by a Python policy or a budget. A denial
whose deciding ``forbid`` policies all carry ``@review("group")`` becomes a review for that
group instead.
"""

from __future__ import annotations

import fnmatch
import hashlib
import importlib
import json
import logging
import types
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from seamline.errors import PolicyError
from seamline.policies import source, values
from seamline.policies.budgets import Budgets, over, usage_view
from seamline.policies.model import Decision, Deny, Effect, Request
from seamline.policies.source import Policy

log = logging.getLogger(__name__)

#: The context records whose attributes are process variables (declared in [policies] variables).
VARIABLE_RECORDS = ("data", "submitted", "inputs", "outputs")
#: Every field of the context, and the actions that have the action-specific ones.
CONTEXT_FIELDS = frozenset(
    {"actor", "starter", "data", "completed_by", "actors", "usage", "budget"}
    | {"submitted", "inputs", "outputs", "model"}
)
USAGE_FIELDS = frozenset(
    {"model_calls", "tool_calls", "input_tokens", "output_tokens", "tokens", "cost"}
)
BUDGET_FIELDS = frozenset({"model_calls", "tool_calls", "tokens", "cost"})
RESOURCE_ATTRS = frozenset({"process", "element", "instance", "name"})
#: The id of the permit ``default = "allow"`` adds.
DEFAULT_ALLOW = "seamline:default-allow"

PythonPolicy = Callable[[Request], Any]


def shipped_schema() -> str:
    """The Cedar schema shipped with seamline (the two generated types still empty)."""
    return resources.files("seamline.policies").joinpath("seamline.cedarschema").read_text("utf-8")


def schema_text(declared: Mapping[str, str], completed: Sequence[str]) -> str:
    """The schema in force: the shipped one with Variables and CompletedBy filled in."""
    variables = ", ".join(f"{values.attribute(n)}?: {t}" for n, t in sorted(declared.items()))
    done = ", ".join(f"{values.attribute(e)}?: String" for e in sorted(completed))
    text = shipped_schema()
    text = text.replace(
        "type Variables = {};    // generated", f"type Variables = {{ {variables} }};"
    )
    text = text.replace("type CompletedBy = {};  // generated", f"type CompletedBy = {{ {done} }};")
    return text


@dataclass(frozen=True)
class Loaded:
    """One Python policy: its name (``module:function``) and the callable."""

    name: str
    function: PythonPolicy


class Policies:
    """A validated policy set; :meth:`check` answers one :class:`Request`."""

    def __init__(
        self,
        policies: Sequence[Policy] = (),
        *,
        python: Sequence[Loaded] = (),
        variables: Mapping[str, str] | None = None,
        budgets: Budgets | None = None,
        digest_parts: Sequence[Any] = (),
    ) -> None:
        self.cedar = source.require_cedar()
        self.policies = tuple(policies)
        self.python = tuple(python)
        self.variables = dict(variables or {})
        self.budgets = budgets or Budgets()
        self.by_id = self._index(self.policies)
        self.completed_elements = sorted(
            {
                attr
                for p in self.policies
                for rec, attr in source.context_reads(p)
                if rec == "completed_by"
            }
        )
        self.schema_source = schema_text(self.variables, self.completed_elements)
        try:
            self.schema = self.cedar.Schema.from_str(self.schema_source)
        except Exception as exc:  # a declared type Cedar cannot take
            raise PolicyError(f"[policies] variables make an invalid Cedar schema: {exc}") from exc
        for policy in self.policies:
            self._validate(policy)
        self.policy_set = self._policy_set()
        #: Budget dimensions a policy reads itself (the engine leaves those to the policies).
        self.budgets_read = self._budgets_read()
        digest = hashlib.sha256()
        for part in digest_parts or [[p.where, p.text] for p in self.policies]:
            digest.update(json.dumps(part, sort_keys=True, default=str).encode())
        digest.update(json.dumps([self.variables, [p.name for p in self.python]]).encode())
        digest.update(json.dumps(self.budgets.to_json(), sort_keys=True).encode())
        #: The content hash of the policy set in force, recorded with every decision.
        self.digest = digest.hexdigest()[:16]

    # -- loading ---------------------------------------------------------------------------

    @classmethod
    def from_config(
        cls,
        raw: Mapping[str, Any],
        base_dir: Path,
        *,
        python_allow: Sequence[str] = (),
    ) -> Policies | None:
        """The policy set ``[policies]`` and ``[budgets]`` configure; None if neither does."""
        section = raw.get("policies")
        budgets_raw = raw.get("budgets")
        if section is None and budgets_raw is None:
            return None
        if section is None:
            section = {}
        if not isinstance(section, Mapping):
            raise PolicyError("[policies] must be a table")
        unknown = set(section) - {"files", "python", "variables", "default"}
        if unknown:
            raise PolicyError(
                f"[policies]: unknown key {sorted(unknown)[0]!r};"
                " the keys are files, python, variables and default"
            )
        patterns = section.get("files", [])
        if isinstance(patterns, str) or not isinstance(patterns, list):
            raise PolicyError('[policies] files must be a list, e.g. ["policies/*.cedar"]')
        parsed: list[Policy] = []
        parts: list[Any] = []
        for path, shown in cls._files(patterns, base_dir):
            found = source.parse_file(path, shown)
            parsed.extend(found)
            parts.append([shown, path.read_bytes().decode("utf-8")])
        default = section.get("default", "deny")
        if default not in ("deny", "allow"):
            raise PolicyError(f'[policies] default must be "deny" or "allow", got {default!r}')
        if default == "allow":
            parsed.extend(
                source.parse_text(
                    f'@id("{DEFAULT_ALLOW}")\npermit (principal, action, resource);',
                    "[policies] default",
                )
            )
            parts.append(["default", "allow"])
        python = section.get("python", [])
        if isinstance(python, str) or not isinstance(python, list):
            raise PolicyError('[policies] python must be a list, e.g. ["myorg.policies:check"]')
        loaded = [load_python(str(name), python_allow) for name in python]
        return cls(
            parsed,
            python=loaded,
            variables=values.check_declarations(section.get("variables"), "[policies] variables"),
            budgets=Budgets.from_config(budgets_raw),
            digest_parts=parts,
        )

    @staticmethod
    def _files(patterns: Sequence[Any], base_dir: Path) -> list[tuple[Path, str]]:
        out: list[tuple[Path, str]] = []
        for pattern in patterns:
            text = str(pattern)
            matched = sorted(base_dir.glob(text)) if any(c in text for c in "*?[") else []
            if not matched:
                path = base_dir / text
                if not path.is_file():
                    raise PolicyError(
                        f"[policies] files: {text!r} matches no file under {base_dir}",
                        hint="paths are relative to seamline.toml",
                    )
                matched = [path]
            for path in matched:
                try:
                    shown = str(path.relative_to(base_dir))
                except ValueError:
                    shown = str(path)
                if (path, shown) not in out:
                    out.append((path, shown))
        return out

    @staticmethod
    def _index(policies: Sequence[Policy]) -> dict[str, Policy]:
        by_id: dict[str, Policy] = {}
        for policy in policies:
            if policy.id in by_id:
                first = by_id[policy.id]
                raise PolicyError(
                    f'two policies have @id("{policy.id}"): this one and {first.where}',
                    file=policy.file,
                    line=policy.line,
                    hint="give every policy its own @id",
                )
            by_id[policy.id] = policy
        return by_id

    def _validate(self, policy: Policy) -> None:
        """PolicyError (file, line, policy id) unless the policy type-checks and reads only
        what the schema and the declared variables have."""
        self._check_reads(policy)
        result = self.cedar.validate_policies(policy.text, self.schema)
        if result.validation_passed:
            return
        messages: list[str] = []
        for error in result.errors:
            text = str(getattr(error, "error", error))
            text = text.split(", ", 1)[1] if text.startswith("for policy `") else text
            text = text.split(" for Seamline::Action::")[0]
            if text not in messages:
                messages.append(text)
        message = messages[0]
        hint = None
        if "optional attribute" in message:
            hint = "test it first, e.g. context.data has amount && context.data.amount > 10000"
        elif "in context" in message and "not found" in message:
            hint = (
                "scope the policy to the actions that have it,"
                ' e.g. action == Seamline::Action::"complete"'
            )
        elif "applicable action" in message:
            hint = "see `seamline policies schema` for the actions and entity types"
        raise PolicyError(
            f"policy {policy.id!r} does not match seamline's policy schema: {message}",
            file=policy.file,
            line=policy.line,
            hint=hint,
        )

    def _check_reads(self, policy: Policy) -> None:
        """Cedar types ``has`` of an attribute a closed record lacks as false, silently; a
        policy reading one would never apply. Refused here instead."""
        for field in sorted(source.context_fields(policy)):
            if field not in CONTEXT_FIELDS:
                raise PolicyError(
                    f"policy {policy.id!r} reads context.{field}, which no request has;"
                    f" the context has {', '.join(sorted(CONTEXT_FIELDS))}",
                    file=policy.file,
                    line=policy.line,
                )
        for record, attr in sorted(source.context_reads(policy)):
            if record in VARIABLE_RECORDS and attr not in self.variables:
                raise PolicyError(
                    f"policy {policy.id!r} reads context.{record}.{attr}, but variable {attr!r}"
                    " is not declared",
                    file=policy.file,
                    line=policy.line,
                    hint=f'add {values.attribute(attr)} = "Long" (or its type)'
                    " to [policies] variables",
                )
            known = {"usage": USAGE_FIELDS, "budget": BUDGET_FIELDS}.get(record)
            if known is not None and attr not in known:
                raise PolicyError(
                    f"policy {policy.id!r} reads context.{record}.{attr}; {record} has"
                    f" {', '.join(sorted(known))}",
                    file=policy.file,
                    line=policy.line,
                )
        for node in source.walk(policy.body):
            inner = node.get("has") or node.get(".")
            if (
                isinstance(inner, Mapping)
                and inner.get("left") == {"Var": "resource"}
                and inner.get("attr") not in RESOURCE_ATTRS
            ):
                raise PolicyError(
                    f"policy {policy.id!r} reads resource.{inner.get('attr')}; resources have"
                    f" {', '.join(sorted(RESOURCE_ATTRS))}",
                    file=policy.file,
                    line=policy.line,
                )

    def _policy_set(self) -> Any:
        if not self.policies:
            return None
        doc = {
            "staticPolicies": {p.id: p.body for p in self.policies},
            "templates": {},
            "templateLinks": [],
        }
        return self.cedar.PolicySet.from_json_str(json.dumps(doc))

    def _budgets_read(self) -> frozenset[str]:
        read: set[str] = set()
        for policy in self.policies:
            for record, attr in source.context_reads(policy):
                if record == "budget":
                    read.add(attr)
                elif record == "usage":
                    read.add("tokens" if attr in ("input_tokens", "output_tokens") else attr)
        return frozenset(read)

    # -- what the set names ------------------------------------------------------------------

    def named_elements(self) -> dict[str, list[Policy]]:
        """Element ids the policies compare ``resource.element`` with or read from
        ``completed_by``: ``seamline validate`` reports those no deployed process has."""
        named: dict[str, list[Policy]] = {}
        element = {".": {"left": {"Var": "resource"}, "attr": "element"}}
        for policy in self.policies:
            found: set[str] = set()
            for node in source.walk(policy.body):
                for op in ("==", "!="):
                    pair = node.get(op)
                    if not isinstance(pair, Mapping):
                        continue
                    left, right = pair.get("left"), pair.get("right")
                    for a, b in ((left, right), (right, left)):
                        if (
                            a == element
                            and isinstance(b, Mapping)
                            and isinstance(b.get("Value"), str)
                        ):
                            found.add(str(b["Value"]))
            found |= {a for r, a in source.context_reads(policy) if r == "completed_by"}
            for eid in found:
                named.setdefault(eid, []).append(policy)
        return named

    # -- deciding ----------------------------------------------------------------------------

    def check(self, request: Request, *, uses_models: bool = False) -> Decision:
        """Decide ``request``. Never raises for a bad request or policy: that denies."""
        try:
            decision = self._cedar(request)
        except values.BadValue as exc:
            decision = Decision(Effect.DENY, errors=(str(exc),), reason=str(exc))
        if decision.effect is not Effect.DENY:
            decision = self._python(request, decision)
        if decision.effect is not Effect.DENY and request.action in ("invoke", "accept"):
            decision = self._budget(request, decision, uses_models)
        return Decision(
            decision.effect,
            decision.policies,
            decision.errors,
            decision.reason,
            decision.review,
            self.digest,
        )

    def context(self, request: Request) -> dict[str, Any]:
        """The Cedar context of ``request`` (BadValue if a variable does not fit its type)."""
        facts = request.facts
        usage = usage_view(facts.usage)
        usage_json: dict[str, Any] = {
            k: values.long(int(v)) for k, v in usage.items() if k != "cost"
        }
        usage_json["cost"] = values.decimal(float(usage["cost"]), round_up=True)
        budget: dict[str, Any] = {}
        for name, limit in self.budgets.limits.items():
            budget[name] = values.decimal(limit, round_up=True) if name == "cost" else int(limit)
        completed = {
            e: facts.completed_by[e] for e in self.completed_elements if e in facts.completed_by
        }
        context: dict[str, Any] = {
            "actor": request.actor,
            "starter": facts.starter,
            "data": values.record(self.variables, request.data, "data"),
            "completed_by": completed,
            "actors": sorted(facts.actors),
            "usage": usage_json,
            "budget": budget,
        }
        extra = request.extra
        if request.action == "complete":
            context["submitted"] = values.record(
                self.variables, extra.get("submitted") or {}, "submitted"
            )
        elif request.action == "invoke":
            context["inputs"] = values.record(self.variables, extra.get("inputs") or {}, "inputs")
        elif request.action == "accept":
            outputs = extra.get("outputs")
            context["outputs"] = values.record(
                self.variables, outputs if isinstance(outputs, Mapping) else {}, "outputs"
            )
            context["model"] = str(extra.get("model") or "")
        return context

    def entities(self, request: Request) -> list[dict[str, Any]]:
        """The principal (with its groups) and the resource, as Cedar entities."""
        principal = request.principal
        ents: list[dict[str, Any]] = [
            {
                "uid": {"type": f"Seamline::{principal.kind}", "id": principal.name},
                "attrs": {},
                "parents": [{"type": "Seamline::Group", "id": g} for g in principal.groups],
            }
        ]
        ents.extend(
            {"uid": {"type": "Seamline::Group", "id": g}, "attrs": {}, "parents": []}
            for g in principal.groups
        )
        resource = request.resource
        ents.append(
            {
                "uid": {"type": f"Seamline::{resource.kind}", "id": resource.id},
                "attrs": dict(resource.attrs),
                "parents": [],
            }
        )
        return ents

    def _cedar(self, request: Request) -> Decision:
        if self.policy_set is None:
            return Decision(Effect.ALLOW, reason="no Cedar policy is configured")
        principal = request.principal
        query = {
            "principal": {"type": f"Seamline::{principal.kind}", "id": principal.name},
            "action": {"type": "Seamline::Action", "id": request.action},
            "resource": {"type": f"Seamline::{request.resource.kind}", "id": request.resource.id},
            "context": self.context(request),
        }
        try:
            result = self.cedar.is_authorized(
                query, self.policy_set, self.entities(request), self.schema
            )
        except Exception as exc:  # cedarpy refuses the request itself: deny, and say so
            message = f"the policy request could not be evaluated: {exc}"
            return Decision(Effect.DENY, errors=(message,), reason=message)
        diagnostics = result.diagnostics
        reasons = tuple(str(r) for r in diagnostics.reasons)
        errors = tuple(str(e) for e in diagnostics.errors)
        if errors:
            # Cedar skips a policy whose evaluation errs: a forbid that could not be evaluated
            # would then allow. Here an error always denies.
            message = "policy evaluation failed: " + "; ".join(errors)
            return Decision(Effect.DENY, reasons, errors, message)
        if result.allowed:
            return Decision(Effect.ALLOW, reasons)
        if not reasons:
            return Decision(
                Effect.DENY,
                reason="no policy permits it (Cedar denies what no permit allows)",
            )
        forbids = [self.by_id[r] for r in reasons if r in self.by_id]
        groups = [p.review for p in forbids]
        if forbids and all(groups):
            return Decision(Effect.REVIEW, reasons, review=groups[0], reason=self.explain(reasons))
        return Decision(Effect.DENY, reasons, reason=self.explain(reasons))

    def explain(self, ids: Sequence[str]) -> str:
        """``policy 'four-eyes' (policies/payments.cedar:12)`` for each id."""
        shown = []
        for pid in ids:
            policy = self.by_id.get(pid)
            shown.append(f"policy {pid!r} ({policy.where})" if policy else f"policy {pid!r}")
        return ", ".join(shown)

    def _python(self, request: Request, decision: Decision) -> Decision:
        for policy in self.python:
            try:
                verdict = policy.function(request)
            except Exception as exc:
                message = f"python policy {policy.name} raised {type(exc).__name__}: {exc}"
                return Decision(Effect.DENY, (policy.name,), (message,), message)
            if verdict is None or verdict is True:
                continue
            if verdict is False or isinstance(verdict, str):
                reason = verdict if isinstance(verdict, str) else "denied"
                return Decision(Effect.DENY, (policy.name,), reason=f"{policy.name}: {reason}")
            if isinstance(verdict, Deny):
                pid = verdict.id or policy.name
                if verdict.review and decision.effect is not Effect.DENY:
                    return Decision(
                        Effect.REVIEW,
                        (*decision.policies, pid) if decision.effect is Effect.REVIEW else (pid,),
                        review=decision.review or verdict.review,
                        reason=f"{pid}: {verdict.reason}",
                    )
                return Decision(Effect.DENY, (pid,), reason=f"{pid}: {verdict.reason}")
            message = (
                f"python policy {policy.name} returned {type(verdict).__name__};"
                " return None, True, False, a reason or seamline.policies.Deny"
            )
            return Decision(Effect.DENY, (policy.name,), (message,), message)
        return decision

    def _budget(self, request: Request, decision: Decision, uses_models: bool) -> Decision:
        if not uses_models or not self.budgets.limits:
            return decision
        strictly = request.action == "accept"
        hit = over(self.budgets, request.facts.usage, strictly=strictly, skip=self.budgets_read)
        if hit is None:
            return decision
        name, used, limit = hit
        shown_used = f"{used:.4f}".rstrip("0").rstrip(".") if name == "cost" else f"{used:.0f}"
        shown_limit = f"{limit:.4f}".rstrip("0").rstrip(".") if name == "cost" else f"{limit:.0f}"
        verb = "went past" if strictly else "reached"
        reason = f"the instance {verb} its {name} budget ({shown_used} of {shown_limit})"
        return Decision(Effect.DENY, (f"budget:{name}",), reason=reason)


def load_python(name: str, allow: Sequence[str]) -> Loaded:
    """Import an allow-listed ``module:function`` policy; PolicyError if it cannot be used."""
    module_name, sep, attr = name.partition(":")
    if not sep:
        module_name, _, attr = name.rpartition(".")
    spellings = {name, f"{module_name}:{attr}", f"{module_name}.{attr}"}
    if not any(fnmatch.fnmatchcase(s, p) for p in allow for s in spellings):
        raise PolicyError(
            f"[policies] python: {name!r} is not allowed",
            hint=f'add it to python_allow in the config, e.g. python_allow = ["{name}"]',
        )
    if not module_name or not attr or any(part.startswith("_") for part in attr.split(".")):
        raise PolicyError(f"[policies] python: {name!r} is not a path like package.module:check")
    try:
        obj: Any = importlib.import_module(module_name)
        for part in attr.split("."):
            obj = getattr(obj, part)
            if isinstance(obj, types.ModuleType):
                raise PolicyError(
                    f"[policies] python: {name!r} reaches a module through an attribute"
                )
    except PolicyError:
        raise
    except Exception as exc:
        raise PolicyError(
            f"[policies] python: {name!r} cannot be imported: {type(exc).__name__}: {exc}"
        ) from exc
    if not callable(obj):
        raise PolicyError(f"[policies] python: {name!r} is not callable")
    return Loaded(name, obj)
