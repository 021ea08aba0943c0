"""Command line: ``python -m helpers validate|render|export|codebook``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def cmd_validate(args: argparse.Namespace) -> int:
    """Print OK with counts, or one line per problem; exit 1 on problems.

    >>> import argparse
    >>> cmd_validate(argparse.Namespace(data_dir=None))  # doctest: +ELLIPSIS
    OK: 7 tables, ... rows
    0
    """
    from helpers.validate import summary, validate

    data_dir = Path(args.data_dir) if args.data_dir else None
    problems = validate(data_dir)
    if problems:
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1
    tables, rows = summary(data_dir)
    print(f"OK: {tables} tables, {rows} rows")
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    """Execute every notebook in order, in place, and write the key figures.

    >>> import argparse
    >>> cmd_render(argparse.Namespace(notebooks=["missing.ipynb"], no_figures=True, jobs=1))
    2
    """
    from helpers.render import render_all

    books = [Path(p) for p in args.notebooks] or None
    missing = [str(p) for p in books or [] if not p.is_file()]
    if missing:
        print(f"error: no such notebook: {', '.join(missing)}", file=sys.stderr)
        return 2
    return render_all(books, figures=not args.no_figures, jobs=args.jobs)


def cmd_export(args: argparse.Namespace) -> int:
    """Write the GeoJSON, ACLED-shaped, UCDP-style and Excel exports.

    >>> import argparse, tempfile
    >>> cmd_export(argparse.Namespace(out_dir=tempfile.mkdtemp()))  # doctest: +SKIP
    geojson: ...
    0
    """
    from helpers.export import export_all

    for name, path in export_all(Path(args.out_dir) if args.out_dir else None).items():
        print(f"{name}: {path}")
    return 0


def cmd_codebook(args: argparse.Namespace) -> int:
    """Write data/CODEBOOK.md from datapackage.json.

    >>> import argparse
    >>> cmd_codebook(argparse.Namespace())
    wrote data/CODEBOOK.md
    0
    """
    from helpers import paths
    from helpers.schema import codebook_markdown

    target = paths.DATA_DIR / "CODEBOOK.md"
    target.write_text(codebook_markdown() + "\n", encoding="utf-8")
    print(f"wrote {target.relative_to(paths.ROOT)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen command.

    >>> main(["validate"])  # doctest: +ELLIPSIS
    OK: 7 tables, ... rows
    0
    """
    parser = argparse.ArgumentParser(prog="python -m helpers", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p_val = sub.add_parser("validate", help="validate the data package")
    p_val.add_argument("data_dir", nargs="?", help="folder holding datapackage.json (default: data/)")
    p_val.set_defaults(func=cmd_validate)
    p_ren = sub.add_parser("render", help="execute every notebook in order and write figures/")
    p_ren.add_argument("notebooks", nargs="*", help="notebooks to render (default: all, in name order)")
    p_ren.add_argument("--no-figures", action="store_true", help="do not write figures/")
    p_ren.add_argument("--jobs", type=int, default=2, help="notebooks rendered at once (default 2)")
    p_ren.set_defaults(func=cmd_render)
    p_exp = sub.add_parser("export", help="write exports for other tools (default: data/exports/)")
    p_exp.add_argument("out_dir", nargs="?", help="folder to write to (default: data/exports/)")
    p_exp.set_defaults(func=cmd_export)
    p_cb = sub.add_parser("codebook", help="write data/CODEBOOK.md from datapackage.json")
    p_cb.set_defaults(func=cmd_codebook)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
