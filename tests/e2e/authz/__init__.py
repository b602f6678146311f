"""The authorisation expectation table, one module per area: each defines EXPECTED (route ->
role -> outcome) and may define BODIES (route -> a request body that would succeed) and PARAMS
(a function (route pattern, context) -> path with its placeholders filled, or None)."""
import importlib
import pkgutil

EXPECTED = {}
BODIES = {}
PATH_FILLERS = []
for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if info.name == "roles":
        continue
    module = importlib.import_module(f"{__name__}.{info.name}")
    duplicated = EXPECTED.keys() & module.EXPECTED.keys()
    assert not duplicated, f"{info.name} repeats {sorted(duplicated)}"
    EXPECTED.update(module.EXPECTED)
    BODIES.update(getattr(module, "BODIES", {}))
    if hasattr(module, "fill_path"):
        PATH_FILLERS.append(module.fill_path)
