"""Context inference for Rails: which views are served behind login (Laravel: phi_lint.frameworks.laravel).

Rails: `before_action :authenticate_user!` (any `authenticate_*`, `require_login`,
`require_user`, `require_authentication`, `authorize_user!`, `http_basic_authenticate_with`, …)
declared in a controller, inherited from its ancestors (ApplicationController) or included from a
controller concern, minus `skip_before_action` / `allow_unauthenticated_access`, with `only:` /
`except:` applied per action → the views app/views/<controller path>/<action>.*. Devise's own
controllers are never behind `authenticate_*!` (Devise makes it a no-op there); the Devise
sign-in page is public and "edit registration" requires sign-in. Routes drawn inside Devise's
`authenticate :user do … end` / `authenticated :user do … end` blocks in config/routes.rb
(resources with only:/except:, `to: "c#a"`, root, namespaces, member routes) are behind login too.

A layout whose every user (pages extending it) is labelled behind login is labelled too.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from phi_lint import frameworks_data
from phi_lint.inference.model import Inference
from phi_lint.pagegraph.model import LAYOUT_KINDS
from phi_lint.pagegraph.templates_ruby_php import (
    MAX_DEPTH,
    FilterOp,
    RubyClass,
    ancestry,
    blank_ruby_comments,
    is_auth_filter,
    is_devise_path,
    rails_model,
    rails_views,
    underscore,
)


def infer_project(repo, graph) -> list[Inference]:
    found: list[Inference] = []
    found.extend(_rails(repo))
    found.extend(_layouts_behind_login(found, graph))
    return found


# =========================================================================== Rails



def _devise_used(repo, model) -> bool:
    if any(rel.endswith("config/initializers/devise.rb") for rel in repo.files):
        return True
    if any(info.parent.startswith("Devise") for info in model.classes.values()):
        return True
    return any(root + "devise/" in rel for rel in repo.files for root in model.roots[:4])


def _concern(model, name: str, scope: tuple[str, ...]) -> RubyClass | None:
    plain = underscore(name)
    candidates = ["/".join(underscore(s) for s in scope[:i]) + "/" + plain for i in range(len(scope), 0, -1)]
    for candidate in candidates + [plain]:
        if candidate in model.concerns:
            return model.concerns[candidate]
    return None


@dataclass
class _Op:
    op: FilterOp
    via: list[str] = field(default_factory=list)  # "concern X, included by Y"


def _expand(model, info: RubyClass, seen: set[str], depth: int = 0) -> list[_Op]:
    out: list[_Op] = []
    if depth > MAX_DEPTH:
        return out
    for item in info.ops:
        if isinstance(item, tuple):
            _, name, _line = item
            concern = _concern(model, name, info.modules + tuple(info.name.split("::")[:-1]))
            if concern is None or concern.rel in seen:
                continue
            seen.add(concern.rel)
            for inner in _expand(model, concern, seen, depth + 1):
                inner.via.append(f"included by {info.full_name}")
                out.append(inner)
        else:
            out.append(_Op(item))
    return out


def _applies(op: FilterOp, action: str) -> bool:
    if op.only is not None and action not in op.only:
        return False
    if op.except_ is not None and action in op.except_:
        return False
    return True


def _covering(ops: list[_Op], action: str) -> tuple[_Op, bool] | None:
    """The auth filter in force for `action` after every declaration, and whether it is weak."""
    active: dict[str, tuple[_Op, bool]] = {}
    for item in ops:
        op = item.op
        if op.action == "add":
            if not is_auth_filter(op.name):
                continue
            if _applies(op, action):
                weak = bool(op.condition) and "devise_controller?" not in op.condition
                active[op.name] = (item, weak)
            else:
                active.pop(op.name, None)  # a re-declaration replaces the earlier conditions
        else:
            names = [n for n in active if op.name in (n, "*auth*")]
            if not names or not _applies(op, action):
                continue
            for name in names:
                if op.condition:  # skipped only sometimes: still behind login, with less certainty
                    active[name] = (active[name][0], True)
                else:
                    del active[name]
    if not active:
        return None
    return next(iter(active.values()))


def _filter_text(item: _Op, controller: RubyClass, action: str) -> str:
    op = item.op
    what = f"{op.macro} :{op.name}" if op.macro != "http_basic_authenticate_with" else op.macro
    where = f"concern {op.owner}" if item.via else op.owner
    text = f"{what} in {where}"
    if item.via:
        text += ", " + ", ".join(item.via)
    name = controller.full_name
    if op.owner != name and not any(v.endswith(" " + name) for v in item.via):
        text += f", inherited by {name}"
    if op.condition:
        text += f" ({op.condition})"
    return text + f" (action `{action}`)"


def _rails(repo) -> list[Inference]:
    if not any(rel.endswith(".rb") and "app/controllers/" in rel for rel in repo.files):
        return []
    model = rails_model(repo)
    if not model.classes:
        return []
    devise = _devise_used(repo, model)
    guards = _route_guards(repo)
    found: list[Inference] = []
    ops_cache: dict[str, list[_Op]] = {}
    for view, _root, controller, action in rails_views(repo, model):
        guard = guards.get((controller, action)) or guards.get((controller, None))
        if guard is not None:
            found.append(Inference(view, "authenticated", *guard))
        info = model.classes.get(controller)
        chain = ancestry(model, controller) if info is not None else []
        devise_path = next((p for p, _ in chain if is_devise_path(p)), None)
        if devise_path is None and info is None and devise and (
            controller.startswith("devise/") or controller.rsplit("/", 1)[-1] in frameworks_data.name_set("rails", "devise-controllers")
        ):
            devise_path = "devise/" + controller.rsplit("/", 1)[-1]
        if devise_path is not None:
            found.extend(_devise_view(view, devise_path, action))
            continue
        if info is None:
            continue  # no controller in the repo renders this directory: nothing to infer
        if controller not in ops_cache:
            ops: list[_Op] = []
            seen: set[str] = set()
            for _, ancestor in reversed(chain):
                if ancestor is not None:
                    ops.extend(_expand(model, ancestor, seen))
            ops_cache[controller] = ops
        covering = _covering(ops_cache[controller], action)
        if covering is None:
            continue
        item, weak = covering
        found.append(
            Inference(view, "authenticated", _filter_text(item, info, action), item.op.source, item.op.line, weak=weak)
        )
    return found


_RESOURCES_ACTIONS = ("index", "show", "new", "edit", "create", "update", "destroy")
_BLOCK_START = re.compile(r"(?:if|unless|case|while|until|begin|def|class|module)\b")


def _route_guards(repo) -> dict[tuple[str, str | None], tuple[str, str, int]]:
    """(controller path, action or None for all) → (evidence, path, line) for routes drawn inside
    Devise's `authenticate :user do … end` / `authenticated :user do … end` in config/routes.rb."""
    guards: dict[tuple[str, str | None], tuple[str, str, int]] = {}
    for rel in repo.files:
        if not re.search(r"(^|/)config/routes(\.rb|/.+\.rb)$", rel):
            continue
        text = repo.read(rel)
        if not text or "authenticate" not in text:
            continue
        # a stack of open blocks: (kind, value); kinds: auth (evidence, line), ns (prefix), res (controller), other
        stack: list[tuple[str, object]] = []
        for number, raw in enumerate(blank_ruby_comments(text).splitlines(), 1):
            line = raw.strip()
            if not line:
                continue
            if re.match(r"end\b", line):
                if stack:
                    stack.pop()
                continue
            # `\s*(?:…\s*)?` and `\s*(?:\(\s*)?` below: two white-space runs side by side backtrack
            # quadratically over a long line of spaces
            opens = bool(re.search(r"\bdo\s*(?:\|[^|]*\|\s*)?$", line)) or (
                bool(_BLOCK_START.match(line)) and not re.search(r"\bend\s*$", line)
            )
            auth = next((v for k, v in reversed(stack) if k == "auth"), None)
            prefix = "".join(v for k, v in stack if k == "ns")
            resource = next((v for k, v in reversed(stack) if k == "res"), None)
            if auth is not None:
                for controller, action in _drawn_routes(line, prefix, resource):
                    guards.setdefault((controller, action), (f"{auth[0]} block in {posixpath.basename(rel)}", rel, auth[1]))
            if not opens:
                continue
            head = re.match(r"(authenticated?)\b\s*\(?\s*(:\w+)?", line)
            namespace = re.match(r"namespace\s*(?:\(\s*)?:?['\"]?(\w+)", line)
            scope = re.match(r"scope\b.*?\bmodule:\s*:?['\"]?(\w+)", line)
            resources = re.match(r"resources?\s*(?:\(\s*)?:(\w+)", line)
            if head:
                stack.append(("auth", (f"`{head.group(1)} {head.group(2) or ''}`".replace(" `", "`"), number)))
            elif namespace or scope:
                stack.append(("ns", (namespace or scope).group(1) + "/"))
            elif resources:
                stack.append(("res", _resource_controller(line, prefix)))
            else:
                stack.append(("other", None))
            if len(stack) > MAX_DEPTH * 4:
                break
    return guards


def _resource_controller(line: str, prefix: str) -> str:
    match = re.match(r"(resources?)\s*(?:\(\s*)?:(\w+)", line)
    explicit = re.search(r"\bcontroller:\s*:?['\"]?([\w/]+)", line)
    if explicit:
        return prefix + explicit.group(1)
    name = match.group(2)
    return prefix + (name if match.group(1) == "resources" else name + "s")


def _drawn_routes(line: str, prefix: str, resource: str | None) -> list[tuple[str, str | None]]:
    """(controller path, action) pairs that one routes.rb line draws."""
    out: list[tuple[str, str | None]] = []
    resources = re.match(r"(resources?)\s*(?:\(\s*)?:(\w+)", line)
    if resources:
        controller = _resource_controller(line, prefix)
        actions = list(_RESOURCES_ACTIONS)
        only = re.search(r"\bonly:\s*(\[[^\]]*\]|%i\[[^\]]*\]|:\w+)", line)
        except_ = re.search(r"\bexcept:\s*(\[[^\]]*\]|%i\[[^\]]*\]|:\w+)", line)
        if only:
            listed = re.findall(r"\w+", only.group(1).replace("%i", ""))
            actions = [a for a in actions if a in listed]
        if except_:
            listed = re.findall(r"\w+", except_.group(1).replace("%i", ""))
            actions = [a for a in actions if a not in listed]
        return [(controller, a) for a in actions]
    target = re.search(r"(?:\bto:\s*|=>\s*|^root\s+\(?)['\"]([\w/]+)#(\w+)['\"]", line)
    if target and re.match(r"(get|post|put|patch|delete|match|root)\b", line):
        return [(prefix + target.group(1), target.group(2))]
    plain = re.match(r"(?:get|post|put|patch|delete)\s*(?:\(\s*)?['\"]/?([\w/]+)/(\w+)['\"]\s*$", line)
    if plain:
        return [(prefix + plain.group(1), plain.group(2))]
    member = re.match(r"(?:get|post|put|patch|delete)\s*(?:\(\s*)?:(\w+)", line)
    if member and resource:
        return [(resource, member.group(1))]
    return out


def _devise_view(view: str, devise_path: str, action: str) -> list[Inference]:
    kind = devise_path.split("/")[-1]
    if kind == "sessions" and action == "new":
        return [Inference(view, "public", "Devise sign-in page (Devise::SessionsController#new)", view, 0)]
    if kind == "registrations" and action == "edit":
        return [
            Inference(view, "authenticated", "Devise::RegistrationsController requires sign-in for `edit`", view, 0)
        ]
    return []


# =========================================================================== layouts


def _layouts_behind_login(found: list[Inference], graph) -> list[Inference]:
    """A layout every one of whose users is behind login (by this module) is behind login too."""
    if graph is None or not found:
        return []
    auth: dict[str, Inference] = {}
    for inference in found:
        if inference.label == "authenticated" and inference.page not in auth:
            auth[inference.page] = inference
    public = {i.page for i in found if i.label == "public"}
    users: dict[str, set[str]] = {}
    for edge in graph.edges:
        if edge.kind in LAYOUT_KINDS and edge.source != edge.target:
            users.setdefault(edge.target, set()).add(edge.source)
    added: list[Inference] = []
    for _ in range(8):  # layouts of layouts
        changed = False
        for layout in sorted(users):
            sources = users[layout]
            if layout in auth or layout in public:
                continue
            if all(s in auth and s not in public for s in sources):
                first = sorted(sources)[0]
                evidence = auth[first]
                count = f"{len(sources)} pages, e.g. " if len(sources) > 1 else ""
                inference = Inference(
                    layout,
                    "authenticated",
                    f"layout used only by pages behind login ({count}{first})",
                    evidence.path,
                    evidence.line,
                    weak=any(auth[s].weak for s in sources),
                )
                auth[layout] = inference
                added.append(inference)
                changed = True
        if not changed:
            break
    return added
