"""The architecture's rules, checked on the source code (with `ast`: nothing is imported).

- Handlers never use a database session themselves: they open one (`with s.session() as
  session:`) and hand it to storage functions, which query and commit.
- No `await` inside an open database session (handlers/ and bot/).
- Storage's `_`-prefixed helpers run in their caller's transaction: only storage/ calls them.
- Imports go one way: knowledge/ (pure) ← storage/ ← handlers/ ← bot/.
- Inside knowledge/, each room (sub-package) imports only the rooms below it (`ROOMS`): the
  advice imports nothing that reads or writes text. Every room says what it owns.
- Only the entry point imports the sandbox (bot/sandbox/): tests and benchmarks may.
- No handler module over 400 lines; in knowledge/, no module over 400 lines and no function
  over 60.
- Only the files git tracks are read: a stray untracked folder can't fail a rule.
- Template names and reply kinds match the templates.

Each rule is also run on a small bad example (the `*_is_caught` tests), so a rule that stops
finding anything fails too.
"""

from __future__ import annotations

import ast
import re
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from jinja2 import meta

from knowledge.base import KnowledgeBase
from knowledge.campaigns.pipeline_words import status_words
from knowledge.writing.render import TEMPLATE_DIR, Labels, environment, render
from knowledge.writing.replies import (
    AddQuestion,
    AdminReply,
    CampaignChange,
    CampaignStep,
    CreatorNote,
    ErrorReply,
    ImportProblemKind,
    ImportReply,
    LookupProblem,
    PrivacyReply,
    RemindReply,
    RosterChange,
    Template,
    WhenAsked,
    ZoneReply,
)
from storage.csv_io import ImportProblem
from storage.roster_rows import FieldProblem

ROOT = Path(__file__).resolve().parents[1]
LINE_3_PROBLEM = ImportProblem(
    ImportProblemKind.FIELD,
    3,
    field=FieldProblem("followers", "lots", "is not a number like 24000, 24k or 1.2M"),
)
SESSION_METHODS = {
    # What a handler must leave to storage/ (the list of the README's commit rule)…
    "commit",
    "rollback",
    "get",
    "exec",
    "execute",
    "add",
    "delete",
    "flush",
    "refresh",
    # …and the other ways to read or write through a session.
    "add_all",
    "merge",
    "scalar",
    "scalars",
    "query",
    "begin",
    "connection",
}
FORBIDDEN_IMPORTS = {
    "knowledge": {"telegram", "handlers", "bot", "storage", "sqlmodel", "sqlalchemy"},
    "storage": {"telegram", "handlers", "bot"},
    "handlers": {"bot"},
}
MAX_HANDLER_LINES = 400
MAX_KNOWLEDGE_LINES = 400
MAX_FUNCTION_LINES = 60
# knowledge/'s rooms, and the rooms each may import (besides itself).
ROOMS: dict[str, set[str]] = {
    "base": set(),
    "advice": {"base"},
    "writing": {"base", "advice"},
    "reading": {"base", "advice", "writing"},
    "campaigns": {"base", "advice", "reading", "writing"},
    "pictures": {"base", "advice", "writing", "campaigns"},
    "files": {"base", "advice", "writing"},
}
SANDBOX = "bot.sandbox"
ENTRY_POINT = "bot/__main__.py"


# ---- reading the source ----


@cache
def tracked(root: Path) -> frozenset[Path] | None:
    """The files git tracks under `root` (None when `root` is not a git checkout)."""
    found = subprocess.run(
        ["git", "-C", str(root), "ls-files", "-z"], capture_output=True, check=False
    )
    if found.returncode != 0:
        return None
    return frozenset(root / name for name in found.stdout.decode().split("\0") if name)


def python_files(*folders: str, root: Path = ROOT) -> Iterator[Path]:
    """The Python files under `folders`: those git tracks, in a checkout."""
    kept = tracked(root)
    for folder in folders:
        yield from sorted(
            path for path in (root / folder).rglob("*.py") if kept is None or path in kept
        )


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text("utf-8"), filename=str(path))


def where(path: Path, node: ast.AST, root: Path) -> str:
    return f"{path.relative_to(root)}:{getattr(node, 'lineno', 0)}"


def in_order(found: list[str]) -> list[str]:
    """Violations `path:line: …` by file, then line."""
    return sorted(found, key=lambda v: (v.split(":")[0], int(v.split(":")[1])))


def named_like_a_session(node: ast.expr) -> bool:
    """`session`, `self.session`, `Session`, or a call of one: `s.session()`, `Session(e)`."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Name):
        return "session" in node.id.lower()
    if isinstance(node, ast.Attribute):
        return "session" in node.attr.lower()
    return False


def opens_a_session(node: ast.With | ast.AsyncWith) -> bool:
    return any(
        isinstance(item.context_expr, ast.Call) and named_like_a_session(item.context_expr)
        for item in node.items
    )


def walk_same_function(statements: list[ast.stmt]) -> Iterator[ast.AST]:
    """Every node of `statements`, not entering nested functions, lambdas or classes (their
    bodies run later, outside the block)."""
    nested = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
    stack: list[ast.AST] = [node for node in statements if not isinstance(node, nested)]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(child for child in ast.iter_child_nodes(node) if not isinstance(child, nested))


def dotted(node: ast.expr) -> str:
    """`a.b.c` for a chain of names, '' for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = dotted(node.value)
        return f"{head}.{node.attr}" if head else ""
    return ""


def imported_packages(tree: ast.Module) -> Iterator[tuple[ast.AST, str]]:
    """The top-level package of every absolute import, wherever it is in the module."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node, node.module.split(".")[0]


# ---- the rules: each returns its violations ----


def session_calls_in_handlers(root: Path = ROOT) -> list[str]:
    """`session.commit()`, `s.session().get(…)`, `Session(e).exec(…)`… anywhere in handlers/."""
    found = []
    for path in python_files("handlers", root=root):
        for node in ast.walk(parse(path)):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in SESSION_METHODS
                and named_like_a_session(node.func.value)
            ):
                found.append(f"{where(path, node, root)}: .{node.func.attr}( on a session")
    return in_order(found)


def sessions_opened_outside_with(root: Path = ROOT) -> list[str]:
    """`session = s.session()` or `Session(engine)` in handlers/ anywhere but as a `with` item
    (the session factory, `Services.session`, excepted)."""
    found = []
    for path in python_files("handlers", root=root):
        tree = parse(path)
        factories = [
            n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "session"
        ]
        allowed = {
            id(item.context_expr)
            for node in ast.walk(tree)
            if isinstance(node, ast.With | ast.AsyncWith)
            for item in node.items
        } | {id(n) for factory in factories for n in ast.walk(factory)}
        for node in ast.walk(tree):
            opens = isinstance(node, ast.Call) and (
                (isinstance(node.func, ast.Attribute) and node.func.attr == "session")
                or (isinstance(node.func, ast.Name) and node.func.id == "Session")
            )
            if opens and id(node) not in allowed:
                found.append(f"{where(path, node, root)}: a session opened outside `with`")
    return in_order(found)


def awaits_in_open_sessions(root: Path = ROOT) -> list[str]:
    """`await`, `async for` or `async with` inside `with … session() …:` / `with Session(…):`."""
    found = []
    for path in python_files("handlers", "bot", root=root):
        for block in ast.walk(parse(path)):
            if isinstance(block, ast.With | ast.AsyncWith) and opens_a_session(block):
                for node in walk_same_function(block.body):
                    if isinstance(node, ast.Await | ast.AsyncFor | ast.AsyncWith):
                        kind = type(node).__name__.lower()
                        found.append(f"{where(path, node, root)}: {kind} in an open session")
    return in_order(found)


def private_storage_imports(root: Path = ROOT) -> list[str]:
    """`from storage.x import _helper` (or `storage.x._helper`) outside storage/ and tests/."""
    found = []
    outside = [
        entry.name
        for entry in sorted(root.iterdir())
        if entry.is_dir()
        and entry.name not in ("storage", "tests")
        and not entry.name.startswith((".", "_"))  # .venv, .git, __pycache__
        and not entry.name.endswith(".egg-info")
    ]
    for path in [*sorted(root.glob("*.py")), *python_files(*outside, root=root)]:
        tree = parse(path)
        storage_modules: set[str] = set()  # local names bound to storage modules
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "storage":
                for alias in node.names:
                    if alias.name.startswith("_"):
                        found.append(f"{where(path, node, root)}: imports {alias.name}")
                    storage_modules.add(alias.asname or alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == "storage":
                        storage_modules.add(alias.asname or alias.name.split(".")[0])
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
                owner = dotted(node.value)
                if owner and (owner in storage_modules or owner.split(".")[0] == "storage"):
                    found.append(f"{where(path, node, root)}: uses {owner}.{node.attr}")
    return in_order(found)


def imports_against_the_arrows(root: Path = ROOT) -> list[str]:
    found = []
    for package, forbidden in FORBIDDEN_IMPORTS.items():
        for path in python_files(package, root=root):
            for node, imported in imported_packages(parse(path)):
                if imported in forbidden:
                    found.append(f"{where(path, node, root)}: {package}/ imports {imported}")
    return in_order(found)


def knowledge_modules(tree: ast.Module) -> Iterator[tuple[ast.AST, str]]:
    """(node, dotted module) of every import of knowledge's modules: `knowledge.advice.plan`,
    `from knowledge.writing import i18n` (as `knowledge.writing.i18n`)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "knowledge":
                    yield node, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "knowledge":
                for alias in node.names:
                    yield node, f"knowledge.{alias.name}"
            elif node.module.split(".")[0] == "knowledge":
                yield node, node.module


def imports_between_rooms(root: Path = ROOT) -> list[str]:
    """A room of knowledge/ importing a room not below it, or a module outside any room."""
    found = []
    for path in python_files("knowledge", root=root):
        parts = path.relative_to(root / "knowledge").parts
        room = parts[0] if len(parts) > 1 else None
        if room is None and parts != ("__init__.py",):
            found.append(f"{path.relative_to(root)}:1: in no room")
            continue
        for node, module in knowledge_modules(parse(path)):
            target = module.split(".")[1] if "." in module else ""
            if room is not None and target != room and target not in ROOMS.get(room, set()):
                found.append(f"{where(path, node, root)}: {room} imports {target or module}")
    return in_order(found)


def rooms_without_a_docstring(root: Path = ROOT) -> list[str]:
    """A room whose __init__.py does not say what it owns and what it may import."""
    found = []
    for room in sorted(p for p in (root / "knowledge").iterdir() if p.is_dir()):
        if not (room / "__init__.py").exists():
            continue
        doc = ast.get_docstring(parse(room / "__init__.py")) or ""
        if "import" not in doc:
            found.append(f"knowledge/{room.name}: no docstring saying what it may import")
    return found


def sandbox_imports(root: Path = ROOT) -> list[str]:
    """The sandbox imported anywhere in the application but the entry point."""
    found = []
    for path in python_files("bot", "handlers", "storage", "knowledge", root=root):
        relative = str(path.relative_to(root))
        if relative == ENTRY_POINT or relative.startswith("bot/sandbox/"):
            continue
        for node in ast.walk(parse(path)):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            if any(name == SANDBOX or name.startswith(SANDBOX + ".") for name in names):
                found.append(f"{where(path, node, root)}: imports the sandbox")
                break
    return in_order(found)


def long_knowledge_code(root: Path = ROOT) -> list[str]:
    """Modules of knowledge/ over 400 lines, and functions over 60."""
    found = []
    for path in python_files("knowledge", root=root):
        text = path.read_text("utf-8")
        if len(text.splitlines()) > MAX_KNOWLEDGE_LINES:
            found.append(f"{path.relative_to(root)}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    found.append(f"{where(path, node, root)}: {node.name} is {length} lines")
    return found


def long_handler_modules(root: Path = ROOT) -> list[str]:
    found = []
    for path in python_files("handlers", root=root):
        lines = len(path.read_text("utf-8").splitlines())
        if lines > MAX_HANDLER_LINES:
            found.append(f"{path.relative_to(root)}: {lines} lines")
    return found


# ---- the tests ----


def test_handlers_never_use_a_session_themselves() -> None:
    assert session_calls_in_handlers() == []
    assert sessions_opened_outside_with() == []


def test_no_await_inside_an_open_database_session() -> None:
    assert awaits_in_open_sessions() == []


def test_only_storage_uses_its_private_helpers() -> None:
    assert private_storage_imports() == []


def test_imports_go_one_way() -> None:
    assert imports_against_the_arrows() == []


def test_no_handler_module_over_400_lines() -> None:
    assert long_handler_modules() == []


def test_knowledge_rooms_import_only_the_rooms_below_them() -> None:
    assert imports_between_rooms() == []
    assert rooms_without_a_docstring() == []
    assert set(ROOMS) == {
        p.name for p in (ROOT / "knowledge").iterdir() if (p / "__init__.py").exists()
    }


def test_only_the_entry_point_imports_the_sandbox() -> None:
    assert sandbox_imports() == []


def test_knowledge_modules_and_functions_stay_short() -> None:
    assert long_knowledge_code() == []


# ---- each rule catches what it is meant to ----


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


def test_a_session_call_in_a_handler_is_caught(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "handlers/a.py": (
                "async def h(update, context):\n"
                "    with context.services.session() as session:\n"
                "        save(session=session)\n"  # fine: handed to storage
                "        session.commit()\n"
                "    context.services.session().get(Thing, 1)\n"
                "    Session(engine).exec(query)\n"
                "    context.state.get('brief')\n"  # fine: not a session
            )
        },
    )
    assert session_calls_in_handlers(root) == [
        "handlers/a.py:4: .commit( on a session",
        "handlers/a.py:5: .get( on a session",
        "handlers/a.py:6: .exec( on a session",
    ]


def test_a_session_opened_outside_with_in_a_handler_is_caught(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "handlers/a.py": (
                "class Services:\n"
                "    def session(self):\n"
                "        return Session(self.engine)\n"  # fine: the factory
                "async def h(update, context):\n"
                "    with context.services.session() as session:\n"  # fine
                "        pass\n"
                "    session = context.services.session()\n"
                "    load(session=Session(engine))\n"
            )
        },
    )
    assert sessions_opened_outside_with(root) == [
        "handlers/a.py:7: a session opened outside `with`",
        "handlers/a.py:8: a session opened outside `with`",
    ]


def test_an_await_in_an_open_session_is_caught(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "bot/a.py": (
                "async def f(s, update):\n"
                "    with s.session() as session:\n"
                "        x = load(session=session)\n"
                "        await update.reply(x)\n"
                "    await update.reply(x)\n"  # fine: the session is closed
                "    with Session(engine) as session:\n"
                "        async def later():\n"
                "            await g()\n"  # fine: runs later, outside the block
                "        async for y in z():\n"
                "            pass\n"
            )
        },
    )
    assert awaits_in_open_sessions(root) == [
        "bot/a.py:4: await in an open session",
        "bot/a.py:9: asyncfor in an open session",
    ]


def test_a_private_storage_import_outside_storage_is_caught(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "bench/a.py": "from storage.search import _rescore, rescore\n",
            "handlers/b.py": "from storage import search\nsearch._rescore(1)\n",
            "bot/c.py": "import storage.roster\nstorage.roster._upsert(1)\n",
            "storage/d.py": "from storage.search import _rescore\n",  # fine: inside storage
            "tests/e.py": "from storage.search import _rescore\n",  # fine: tests
        },
    )
    assert private_storage_imports(root) == [
        "bench/a.py:1: imports _rescore",
        "bot/c.py:2: uses storage.roster._upsert",
        "handlers/b.py:2: uses search._rescore",
    ]


def test_an_import_against_the_arrows_is_caught(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "knowledge/a.py": "import sqlalchemy\nfrom storage.models import Influencer\n",
            "storage/b.py": "from knowledge.base import Goal\n\ndef f():\n    import telegram\n",
            "handlers/c.py": "from bot.app import build_application\nimport storage.roster\n",
        },
    )
    assert imports_against_the_arrows(root) == [
        "handlers/c.py:1: handlers/ imports bot",
        "knowledge/a.py:1: knowledge/ imports sqlalchemy",
        "knowledge/a.py:2: knowledge/ imports storage",
        "storage/b.py:4: storage/ imports telegram",
    ]


def test_an_import_between_rooms_against_the_arrows_is_caught(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "knowledge/__init__.py": "",
            "knowledge/advice/a.py": (
                "from knowledge.base import Goal\n"  # fine: below
                "from knowledge.advice.plan import Plan\n"  # fine: its own room
                "from knowledge.writing import i18n\n"
                "import knowledge.reading.parsing\n"
            ),
            "knowledge/writing/b.py": "from knowledge.reading.matching import ascii_fold\n",
            "knowledge/loose.py": "x = 1\n",
        },
    )
    assert imports_between_rooms(root) == [
        "knowledge/advice/a.py:3: advice imports writing",
        "knowledge/advice/a.py:4: advice imports reading",
        "knowledge/loose.py:1: in no room",
        "knowledge/writing/b.py:1: writing imports reading",
    ]
    write(root, {"knowledge/advice/__init__.py": '"""The advice."""\n'})
    write(root, {"knowledge/base/__init__.py": '"""It imports nothing."""\n'})
    assert rooms_without_a_docstring(root) == [
        "knowledge/advice: no docstring saying what it may import"
    ]


def test_a_sandbox_import_outside_the_entry_point_is_caught(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "bot/__main__.py": "from bot.sandbox.terminal import run_sandbox\n",  # fine
            "bot/sandbox/terminal.py": "from bot.sandbox.emulator import X\n",  # fine
            "bot/app.py": "import bot.sandbox.emulator\n",
            "handlers/a.py": "from bot.sandbox import emulator\n",
            "handlers/b.py": "from bot.sandboxes import x\n",  # another module
        },
    )
    assert sandbox_imports(root) == [
        "bot/app.py:1: imports the sandbox",
        "handlers/a.py:1: imports the sandbox",
    ]


def test_long_knowledge_code_is_caught(tmp_path: Path) -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(60))
    root = write(
        tmp_path,
        {
            "knowledge/a/long.py": "x = 1\n" * 401,
            "knowledge/a/f.py": f"def long():\n{body}\ndef short():\n{body[:-10]}\n",
        },
    )
    assert long_knowledge_code(root) == [
        "knowledge/a/f.py:1: long is 61 lines",
        "knowledge/a/long.py: 401 lines",
    ]


def test_only_tracked_files_are_read(tmp_path: Path) -> None:
    root = write(tmp_path, {"handlers/a.py": "x = 1\n" * 401, "handlers/b.py": "x = 1\n"})
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "handlers/b.py"], check=True)
    tracked.cache_clear()
    assert long_handler_modules(root) == []  # a.py is not tracked
    assert [p.name for p in python_files("handlers", root=root)] == ["b.py"]


def test_a_long_handler_module_is_caught(tmp_path: Path) -> None:
    root = write(tmp_path, {"handlers/a.py": "x = 1\n" * 401, "handlers/b.py": "x = 1\n" * 400})
    assert long_handler_modules(root) == ["handlers/a.py: 401 lines"]


# ---- templates and reply kinds ----


def test_every_template_name_has_a_file_and_every_file_a_name() -> None:
    env = environment()
    stems = {path.stem for path in TEMPLATE_DIR.glob("*.html")}
    partials = {
        Path(name).stem
        for path in TEMPLATE_DIR.glob("*.html")
        for name in meta.find_referenced_templates(env.parse(path.read_text("utf-8")))
        if name is not None
    }
    names = {template.value for template in Template}
    assert names - stems == set(), "Template members without a file"
    assert stems - names - partials == set(), "template files no Template member names"


# Each kind enum: its template, the variable the template branches on, and values for
# everything the template reads (a representative reply of each kind).
REMINDER = SimpleNamespace(
    due_at=datetime(2026, 12, 3, 9, 30, tzinfo=UTC),
    asked_for=datetime(2026, 12, 3, 9, 30, tzinfo=UTC),
    attempts=0,
    campaign_id=None,
    stage=None,
    text="call Léa",
    status="pending",
)
KINDS: dict[type[StrEnum], tuple[Template, str, dict[str, Any]]] = {
    RemindReply: (
        Template.REMIND_RESULT,
        "kind",
        {
            "due": datetime(2026, 12, 3, 9, 30, tzinfo=UTC),
            "zone": "UTC",
            "tz": ZoneInfo("UTC"),
            "reminders": [REMINDER],
            "offset": 0,
            "total": 1,
            "stage_labels": {},
            "campaign_names": {},
        },
    ),
    ImportReply: (
        Template.IMPORT_MESSAGES,
        "kind",
        {
            "file_name": "roster.csv",
            "problems": [LINE_3_PROBLEM],
            "problem": LINE_3_PROBLEM,
            "total": 1,
            "summary": SimpleNamespace(added=2, updated=1, unchanged=3),
            "ignored": ["colour"],
            "new_niches": {"knitting": 2},
        },
    ),
    ErrorReply: (Template.ERROR, "kind", {}),
    PrivacyReply: (Template.PRIVACY, "kind", {}),
    AdminReply: (Template.ADMIN_RESULT, "kind", {"user_id": 42, "configured": [7], "added": [8]}),
    RosterChange: (Template.ROSTER_CHANGED, "kind", {"name": "Léa Martin", "id": 12}),
    ZoneReply: (Template.TIMEZONE_RESULT, "kind", {"zone": "Europe/Paris", "text": "Atlantis"}),
    LookupProblem: (
        Template.LOOKUP_PROBLEM,
        "kind",
        {
            "usage": "/edit @handle field=value",
            "reference": "@lea",
            "matches": [SimpleNamespace(platform="instagram", id=1)],
        },
    ),
    CampaignStep: (
        Template.CAMPAIGN_ASK,
        "step",
        {
            "problem": "",
            "proposal": "Winter cookies",
            "stage_label": "launch day",
            "bad_name": False,
            "limit": 120,
        },
    ),
    CampaignChange: (
        Template.CAMPAIGN_CHANGE,
        "kind",
        {
            "problem": "",
            "bad_name": False,
            "limit": 120,
            "name": "Winter cookies",
            "start": date(2026, 12, 3),
            "moved": 2,
        },
    ),
    CreatorNote: (
        Template.CREATOR,
        "kind",
        {
            "creator": SimpleNamespace(
                name="Zoé Petit",
                handle="@zoe",
                platform="blog",
                status="to_contact",
                posts=2,
                cost_cents=10_000,
                promo_code="SHOP-ZOE10",
                contact=None,
            ),
            "campaign": "Winter cookies",
            "replaces": SimpleNamespace(name="Léa Martin"),
            "replaced_by": None,
            "fit": None,
            "currency": "EUR",
            "status_words": status_words,
        },
    ),
    WhenAsked: (
        Template.WHEN_PROBLEM,
        "what",
        {"problem": "unreadable", "detail": "", "keep": False},
    ),
    AddQuestion: (
        Template.ADD_ASK,
        "field",
        {"problem": "", "platform": "Instagram", "currency": "EUR", "niche": "knitting"},
    ),
}


def render_kind(kind: StrEnum, kb: KnowledgeBase) -> str:
    template, variable, values = KINDS[type(kind)]
    return render(template, **values, labels=Labels(kb), **{variable: kind})


@pytest.mark.parametrize("enum", list(KINDS), ids=lambda e: e.__name__)
def test_every_reply_kind_renders_its_own_text(enum: type[StrEnum], kb: KnowledgeBase) -> None:
    texts = {member: render_kind(member, kb) for member in enum}
    assert all(text.strip() for text in texts.values())
    assert len(set(texts.values())) == len(texts), "two kinds share a branch"


@pytest.mark.parametrize("enum", list(KINDS), ids=lambda e: e.__name__)
def test_every_branch_of_a_template_is_a_kind(enum: type[StrEnum]) -> None:
    """A branch whose kind is misspelt in the template would never be taken."""
    template, variable, _values = KINDS[enum]
    source = (TEMPLATE_DIR / f"{template.value}.html").read_text("utf-8")
    branches = set(re.findall(rf'\b{variable} == "(\w+)"', source))
    assert branches, f"{template.value} has no branch on {variable}"
    assert branches <= {member.value for member in enum}


def test_a_kind_the_template_does_not_know_is_caught(kb: KnowledgeBase) -> None:
    template, variable, values = KINDS[RemindReply]
    with pytest.raises(ValueError, match="no branch for 'canceled'"):
        render(template, **values, **{variable: "canceled"})
