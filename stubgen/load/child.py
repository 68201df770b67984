"""Entry point of the child process that imports the extension and writes its model as JSON.

Usage: ``python -m stubgen.load.child MODULE OUTPUT OPTIONS`` (OPTIONS: the JSON of
:class:`stubgen.load.isolate.ChildOptions`). On success the model is written to
OUTPUT and the exit code is 0; when importing fails, OUTPUT receives ``{"error": "..."}`` and
the exit code is 3. A crash (segfault) or hang is detected by the parent.
"""

from __future__ import annotations

import faulthandler
import gc
import importlib
import json
import sys
import threading
import traceback

from stubgen.errors import IMPORT_FAILED
from stubgen.load.isolate import ChildOptions
from stubgen.load.setup_code import failure_message, import_prepared
from stubgen.model.api import ApiModel
from stubgen.model.json_io import model_to_json


def main(argv: list[str]) -> int:
    """Import ``argv[0]``, build its model with options ``argv[2]``, write it to ``argv[1]``."""
    name, output, options = argv
    try:
        model = build_model(name, ChildOptions.from_argument(options))
    except BaseException as exc:
        return write_failure(output, exc)
    write_output(output, model_to_json(model, compact=True))
    return 0


def build_model(name: str, options: ChildOptions) -> ApiModel:
    """Import ``name`` as prepared (:func:`import_prepared`) and walk it into its model.

    Runs in the child only, with the options the parent gave it.

    Raises
    ------
    BaseException
        Whatever importing or preparing the module raised.
    """
    faulthandler.enable()
    # The walk builds hundreds of thousands of objects and none of them becomes garbage before
    # the process ends: the cyclic collector would only rescan them (a third of the time).
    gc.disable()
    # The walker's own imports (the parsers) overlap with the extension's import.
    walker = threading.Thread(target=importlib.import_module, args=("stubgen.load.runtime",))
    walker.start()
    try:
        import_prepared(name, options.setup)
    finally:
        walker.join()
    from stubgen.load.runtime import inspect_module

    model = inspect_module(
        name,
        probe=options.probe,
        include_private=options.include_private,
        parse_docs=options.parse_docs,
    )
    model.setup = options.setup or None
    return model


def write_failure(output: str, exc: BaseException) -> int:
    """Print the traceback, write ``{"error": ...}`` to ``output``; return the exit code."""
    traceback.print_exc()
    write_output(output, json.dumps({"error": failure_message(exc)}))
    return IMPORT_FAILED


def write_output(path: str, text: str) -> None:
    """Write the child's answer to the file the parent reads."""
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
