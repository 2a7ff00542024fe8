#!/bin/sh
# meson.build holds the version; the files that must repeat it agree:
# debian/changelog's newest entry and a NEWS section "VERSION (date)".
# (pyproject.toml takes it from meson; the Go module asks the library.)
set -eu
version=$1 src=$2
deb=$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' "$src/debian/changelog")
[ "$deb" = "$version" ] ||
	{ echo "check-version: debian/changelog says $deb, meson.build $version" >&2; exit 1; }
grep -q "^$version ([0-9-]*)\$" "$src/NEWS" ||
	{ echo "check-version: NEWS has no section \"$version (date)\"" >&2; exit 1; }
echo "check-version: $version in meson.build, debian/changelog and NEWS"
