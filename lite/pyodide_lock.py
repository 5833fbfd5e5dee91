"""Write the site's ``pyodide-lock.json``: Pyodide's own lock file, cut down to the wheels the
site ships, so that every package the kernel loads is a file of the site.

Usage: python pyodide_lock.py OFFICIAL_LOCK WHEEL_DIR OUT [--preload NAME ...]

Each wheel in WHEEL_DIR gets an entry: its name, version, file name, sha256 (Pyodide checks it
when it loads the file), the modules it provides, and the shipped packages it depends on (its
``Requires-Dist`` evaluated for Pyodide: emscripten, the lock's Python). A dependency that is
not shipped fails the build, unless it is one of ``NOT_NEEDED_IN_THE_KERNEL``; so does a
``--preload`` name with no wheel. The ``info`` block is the official lock's.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement

# Required by a shipped wheel's metadata, but not needed inside the kernel: the front-end half
# of the widgets is the site's own JupyterLab extension (jupyterlab_widgets, built into it).
NOT_NEEDED_IN_THE_KERNEL = {"jupyterlab-widgets"}
# CPython modules that Pyodide ships as separate wheels (``package_type: cpython_module``).
CPYTHON_MODULES = {"sqlite3"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def wheel_entry(path: Path, python_version: str) -> tuple[dict, list[Requirement]]:
    with zipfile.ZipFile(path) as wheel:
        names = wheel.namelist()
        meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = Parser().parsestr(wheel.read(meta_name).decode("utf-8"))
    tops = set()
    for name in names:
        top = name.split("/", 1)[0]
        if top.endswith((".dist-info", ".data")):
            continue
        if "/" in name:
            tops.add(top)
        elif name.endswith(".py"):
            tops.add(name[:-3])
        elif name.endswith(".so"):
            tops.add(name.split(".", 1)[0])
    requirements = [Requirement(r) for r in meta.get_all("Requires-Dist") or []]
    environment = dict(default_environment(), sys_platform="emscripten",
                       platform_system="Emscripten", os_name="posix",
                       python_version=".".join(python_version.split(".")[:2]),
                       python_full_version=python_version, implementation_name="cpython",
                       platform_python_implementation="CPython", extra="")
    needed = [r for r in requirements if r.marker is None or r.marker.evaluate(environment)]
    name = canonical(meta["Name"])
    entry = {
        "name": meta["Name"],
        "version": meta["Version"],
        "file_name": path.name,
        "install_dir": "site",
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "package_type": "cpython_module" if name in CPYTHON_MODULES else "package",
        "imports": sorted(tops),
        "depends": [],
        "unvendored_tests": False,
    }
    return entry, needed


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("official_lock", type=Path)
    parser.add_argument("wheel_dir", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--preload", nargs="*", default=[])
    args = parser.parse_args(argv)

    official = json.loads(args.official_lock.read_text())
    python_version = official["info"]["python"]
    packages, requirements = {}, {}
    for path in sorted(args.wheel_dir.glob("*.whl")):
        entry, needed = wheel_entry(path, python_version)
        key = canonical(entry["name"])
        if key in packages:
            sys.exit(f"two wheels for {key}: {packages[key]['file_name']} and {path.name}")
        packages[key], requirements[key] = entry, needed
    problems = []
    for key, needed in requirements.items():
        for requirement in needed:
            dep = canonical(requirement.name)
            if dep in packages:
                if not requirement.specifier.contains(packages[dep]["version"], prereleases=True):
                    problems.append(f"{key} needs {requirement}, the site has "
                                    f"{packages[dep]['version']}")
                packages[key]["depends"].append(dep)
            elif dep not in NOT_NEEDED_IN_THE_KERNEL:
                problems.append(f"{key} needs {requirement}, which the site does not ship")
    # IPython needs the sqlite3 module, which Pyodide splits off from the standard library
    if "ipython" in packages and "sqlite3" in packages:
        packages["ipython"]["depends"].append("sqlite3")
    for name in args.preload:
        if canonical(name) not in packages:
            problems.append(f"preloaded package {name!r} has no wheel in the site")
    if problems:
        sys.exit("pyodide-lock.json: " + "; ".join(problems))
    lock = {"info": official["info"], "packages": dict(sorted(packages.items()))}
    args.out.write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n")
    print(f"pyodide-lock.json: {len(packages)} packages, all shipped in the site")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
