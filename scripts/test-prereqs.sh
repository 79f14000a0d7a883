#!/usr/bin/env bash
# Installs what the tests need beyond npm packages: Debian's Python readers (the
# independent checks read HDF5 with h5py and pickles with Python's own pickle),
# h5dump, Java 17 + Maven for the local Kafka broker, Debian's Chromium for the dashboard's
# browser specs (driven by playwright-core, which downloads no browser), kafka-python for the
# benchmark's Python reference consumer, and the sentiment
# reference (Python vaderSentiment 3.3.2 from PyPI, into VADER_REFERENCE_DIR), and the Parquet
# readers of the Parquet export's spec (PyPI's pyarrow, pandas, polars, duckdb and h5py in a
# virtualenv, PYARROW_VENV). Idempotent; quiet when everything is already there. Needs root (or
# sudo) only when something is missing.
set -euo pipefail

# The readers test/support/check_parquet.py reads `npm run export -- --parquet` output with:
# wheels from PyPI in a virtualenv of pyenv's (or the system's) python3, so that no code of ours
# stands between the files and pyarrow, pandas, polars and DuckDB. h5py there reads the reference.
PARQUET_READERS=(pyarrow pandas polars duckdb h5py)
install_parquet_readers() {
  local venv="${PYARROW_VENV:-$HOME/.cache/cryptostream/pyarrow-venv}"
  local probe="import pyarrow.dataset, pandas, polars, duckdb, h5py"
  [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "$probe" 2>/dev/null && return 0
  echo "test-prereqs: installing ${PARQUET_READERS[*]} into the virtualenv $venv" >&2
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv" ||
    { echo "test-prereqs: python3 -m venv $venv failed (Debian: apt-get install python3-venv)" >&2; exit 1; }
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${PARQUET_READERS[@]}" >&2
  "$venv/bin/python" -c "$probe" ||
    { echo "test-prereqs: the virtualenv $venv cannot import ${PARQUET_READERS[*]}" >&2; exit 1; }
}

# The reference the sentiment agreement spec compares our analyser with: pure Python, so a
# `pip install --target` folder serves any python3 (test/support/vader_reference.py --site).
install_vader_reference() {
  local dir="${VADER_REFERENCE_DIR:-$HOME/.cache/cryptostream/vadersentiment-3.3.2}"
  [ -f "$dir/vaderSentiment-3.3.2.dist-info/METADATA" ] && return 0
  echo "test-prereqs: installing vadersentiment==3.3.2 into $dir" >&2
  python3 -m pip install --quiet --disable-pip-version-check --no-deps --no-warn-script-location \
    --target "$dir" vadersentiment==3.3.2 2>&1 | grep -v "Running pip as the 'root' user" >&2 || true
  [ -f "$dir/vaderSentiment-3.3.2.dist-info/METADATA" ] ||
    { echo "test-prereqs: could not install vadersentiment==3.3.2 with python3 -m pip" >&2; exit 1; }
}

need=()
[ -x /usr/bin/python3 ] || need+=(python3)
/usr/bin/python3 -c "import h5py" 2>/dev/null || need+=(python3-h5py)
/usr/bin/python3 -c "import zmq" 2>/dev/null || need+=(python3-zmq)
/usr/bin/python3 -c "import pandas" 2>/dev/null || need+=(python3-pandas)
/usr/bin/python3 -c "import tables" 2>/dev/null || need+=(python3-tables)
# kafka-python 2.0.2: the Kafka consumer of the benchmark's Python reference (bench/reference).
/usr/bin/python3 -c "import kafka" 2>/dev/null || need+=(python3-kafka)
command -v h5dump >/dev/null 2>&1 || need+=(hdf5-tools)
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
[ -x /usr/bin/chromium ] || need+=(chromium)

if [ ${#need[@]} -eq 0 ]; then
  install_vader_reference
  install_parquet_readers
  exit 0
fi
echo "test-prereqs: installing ${need[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "test-prereqs: need root to apt-get install ${need[*]}" >&2; exit 1; }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
install_vader_reference
install_parquet_readers
