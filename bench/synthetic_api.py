"""A synthetic API model shaped like big bindings, for the scale bench and the browser test.

Classes of 8 to 12 methods, functions of 1 to 3 overloads, signatures that name the
package's own classes, numpydoc docstrings with Parameters and Returns (some with Raises,
See Also and Examples), properties and enums; every docstring distinct. No compiler: the
model is built as the loader would have built it.
"""

from __future__ import annotations

from stubgen.model.api import (
    ApiModel,
    Class,
    DocItem,
    Docstring,
    EnumMember,
    Function,
    Module,
    Overload,
    Parameter,
    Property,
    SeeAlsoItem,
)

PACKAGE = "scalepkg"


def _doc(summary: str, params: list[tuple[str, str]], returns: str, rich: bool) -> Docstring:
    """A parsed numpydoc docstring, as the loader would have built it."""
    lines = [summary, "", "Parameters", "----------"]
    for name, tp in params:
        lines += [f"{name} : {tp}", f"    The {name} operand of {summary.split()[0].lower()}."]
    lines += ["", "Returns", "-------", returns, "    The result."]
    doc = Docstring(
        raw="",
        style="numpydoc",
        summary=summary,
        sections=["Parameters", "Returns"],
        parameters=[DocItem(n, t, f"The {n} operand.") for n, t in params],
        returns=[DocItem("", returns, "The result.")],
    )
    if rich:
        lines += ["", "Raises", "------", "ValueError", "    If the operands disagree."]
        lines += ["", "See Also", "--------", f"{PACKAGE}.helper : A related function."]
        lines += ["", "Examples", "--------", ">>> 1 + 1", "2"]
        doc.sections += ["Raises", "See Also", "Examples"]
        doc.raises = [DocItem("", "ValueError", "If the operands disagree.")]
        doc.see_also = [SeeAlsoItem(f"{PACKAGE}.helper", "", "A related function.")]
        doc.examples = ">>> 1 + 1\n2"
    doc.raw = "\n".join(lines)
    return doc


def _overload(name: str, index: int, cls: str | None, target: str) -> Overload:
    params = [("x", "int" if index % 2 else "float"), ("scale", "float")]
    first = [Parameter("self", "positional_or_keyword")] if cls else []
    parameters = [
        *first,
        Parameter(params[0][0], "positional_or_keyword", params[0][1]),
        Parameter("scale", "positional_or_keyword", "float", has_default=True, default="1.0"),
    ]
    self_text = "self, " if cls else ""
    text = f"def {name}({self_text}x: {params[0][1]}, scale: float = 1.0) -> {target}"
    summary = f"Compute {name} of its operands (overload {index + 1})."
    return Overload(
        signature=text,
        parameters=parameters,
        returns=target,
        source="nb_sig",
        doc=_doc(summary, params, target, rich=index == 0 and len(name) % 3 == 0),
    )


def _function(scope: str, runtime: str, name: str, count: int, cls: bool, target: str) -> Function:
    return Function(
        name=name,
        path=f"{scope}.{name}",
        runtime_path=f"{runtime}.{name}",
        kind="method" if cls else "function",
        overloads=[_overload(name, i, scope if cls else None, target) for i in range(count)],
    )


def make_model(overloads: int, modules: int) -> ApiModel:
    """Return a synthetic model of ``overloads`` overloads spread over ``modules`` modules.

    Parameters
    ----------
    overloads : int
        How many overloads in all (classes' methods and module functions).
    modules : int
        How many modules: the package and ``modules - 1`` submodules.

    Returns
    -------
    ApiModel
        The model, as the loader would have written it.
    """
    paths = [PACKAGE] + [f"{PACKAGE}.m{i:03d}" for i in range(modules - 1)]
    tree = [
        Module(p.rsplit(".", 1)[-1], p, p, doc=_doc(f"Module {p}.", [], "None", False))
        for p in paths
    ]
    tree[0].is_package = modules > 1
    tree[0].submodules = tree[1:]
    share = overloads // modules
    for number, module in enumerate(tree):
        budget = share + (overloads - share * modules if number == 0 else 0)
        _fill(module, budget, number)
    return ApiModel(module=tree[0])


def _fill(module: Module, budget: int, number: int) -> None:
    counts = (1, 1, 2, 3)
    cls_count = 0
    if module.path == PACKAGE:
        module.functions.append(_function(PACKAGE, PACKAGE, "helper", 1, False, "None"))
        budget -= 1
    while budget > 0:
        # Three overloads in five go to classes, the rest to module functions.
        name = f"Node{number}x{cls_count}"
        cls_path = f"{module.path}.{name}"
        cls = Class(
            name=name,
            path=cls_path,
            runtime_path=cls_path,
            doc=_doc(f"Node type {name} of the graph.", [], "None", False),
            binding="nanobind",
            signature=None,
        )
        target = cls_path if cls_count == 0 else f"{module.path}.Node{number}x{cls_count - 1}"
        for m in range(8 + cls_count % 5):
            if budget <= 0:
                break
            count = min(counts[m % 4], budget)
            cls.functions.append(_function(cls_path, cls_path, f"op_{m}", count, True, target))
            budget -= count
        cls.properties.append(
            Property(
                "size",
                f"{cls_path}.size",
                type="int",
                doc=_doc("Number of elements.", [], "int", False),
            )
        )
        module.classes.append(cls)
        cls_count += 1
        for f in range(6):
            if budget <= 0:
                break
            count = min(counts[f % 4], budget)
            fname = f"make{number}_{cls_count}_{f}"
            module.functions.append(
                _function(module.path, module.path, fname, count, False, cls_path)
            )
            budget -= count
        if cls_count % 10 == 1:
            enum_path = f"{module.path}.Mode{cls_count}"
            module.classes.append(
                Class(
                    name=f"Mode{cls_count}",
                    path=enum_path,
                    runtime_path=enum_path,
                    bases=["enum.Enum"],
                    doc=_doc("Execution modes.", [], "None", False),
                    binding="nanobind",
                    is_enum=True,
                    members=[EnumMember(n, str(v)) for v, n in enumerate(("Fast", "Safe"))],
                )
            )
