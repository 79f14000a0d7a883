#!/usr/bin/python3
"""The HDF5 files of a processor's store, for the independent Python readers.

The Python twin of `resolveStoreFiles` in services/common/src/store/layout.ts (the
readers import this instead of opening the configured path themselves). A store is a
folder of partition files, one per UTC event-time period of the rows' window_start and
replica:

    <dir>/2026-12-07.h5             a day
    <dir>/2026-12-07T13.h5          an hour
    <dir>/2026-12-07.<replica>.h5   a replica's file
    <dir>/before-partitions.h5      a single file of the earlier layout, moved in on upgrade

Files set aside (`*.h5.damaged-*`, `*.h5.old-schema-*`) do not end in `.h5` and are not
store files. The earlier setting `x.h5` names the folder `x`: store_files("x.h5") is the
file x.h5 if it exists, then every store file of the folder x if it exists (oldest first).

One replica's store (REPLICA_ID of a consumer group) is named `x.h5#<replica>`: the earlier
layout's replica file `x-<replica>.h5` if it exists, then the folder's `<period>.<replica>.h5`
files. (A replica's rows of one window may be in several of its files: a row whose period is
sealed goes to an open partition, so a replica's files are read as one store.)
"""
import os
import re
from datetime import datetime, timezone

LEGACY_STEM = "before-partitions"
_NAME = re.compile(r"^([^.]+)(?:\.([A-Za-z0-9_-]+))?\.h5$")
_PERIOD = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}))?$")


def period_start(period_id):
    """Start (ms, UTC) of the day `2026-12-07` or hour `2026-12-07T13`, or None when it names none."""
    m = _PERIOD.match(period_id)
    if not m:
        return None
    year, month, day = int(m[1]), int(m[2]), int(m[3])
    hour = int(m[4]) if m[4] is not None else 0
    if year < 100:  # JavaScript's Date.UTC reads years 0-99 as 1900-1999: layout.ts rejects them
        return None
    try:
        start = datetime(year, month, day, hour, tzinfo=timezone.utc)
    except ValueError:
        return None
    return int(start.timestamp()) * 1000


def parse_store_file_name(name):
    """(period start ms or None for the legacy file, replica) of a store file's name, or None."""
    m = _NAME.match(name)
    if not m:
        return None
    replica = m[2] or ""
    if m[1] == LEGACY_STEM:
        return None, replica
    start = period_start(m[1])
    return None if start is None else (start, replica)


def store_dir_of(configured):
    """The folder a configured path names: `data/binance.h5` names `data/binance`."""
    return configured[: -len(".h5")] if configured.endswith(".h5") else configured


def list_store(folder, replica=None):
    """The store files of a folder, oldest first (the legacy file first), then by replica."""
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return []
    found = []
    for name in names:
        parsed = parse_store_file_name(name)
        if parsed is None or (replica is not None and parsed[1] != re.sub(r"[^A-Za-z0-9_-]", "_", replica)):
            continue
        start, rep = parsed
        found.append((float("-inf") if start is None else start, rep, name))
    return [os.path.join(folder, name) for _, _, name in sorted(found)]


def store_files(p, require=False):
    """The files to read for a configured path: a folder's store files, a plain `.h5` file,
    or, for `x.h5`, the file x.h5 if it exists plus the store files of the folder x.

    With require=True a path that names no file at all raises FileNotFoundError (as opening
    a missing single file did)."""
    if "#" in p and not os.path.exists(p):
        base, replica = p.rsplit("#", 1)
        folder = store_dir_of(base)
        old = f"{folder}-{re.sub(r'[^A-Za-z0-9._-]', '_', replica)}.h5"
        files = ([old] if os.path.isfile(old) else []) + (list_store(folder, replica) if os.path.isdir(folder) else [])
    elif os.path.isdir(p):
        files = list_store(p)
    else:
        folder = store_dir_of(p)
        in_dir = list_store(folder) if folder != p and os.path.exists(folder) else []
        files = [p, *in_dir] if os.path.isfile(p) else in_dir
    if require and not files:
        raise FileNotFoundError(f"{p}: no such HDF5 file, nor store folder {store_dir_of(p)} with files")
    return files
