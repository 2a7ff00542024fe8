#!/bin/sh
# The krew archive and its manifest: ARCHIVE holds kubectl-tsblog (the
# command, stripped) and LICENSE, made byte for byte the same on every run;
# MANIFEST is TEMPLATE with its version, arch, archive name and sha256.
# Usage: archive.sh TSBLOG LICENSE TEMPLATE VERSION ARCH ARCHIVE MANIFEST
set -eu
tsblog=$1 license=$2 template=$3 version=$4 arch=$5 archive=$6 manifest=$7
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
strip --strip-unneeded -o "$stage/kubectl-tsblog" "$tsblog"
cp "$license" "$stage/LICENSE"
chmod 755 "$stage/kubectl-tsblog"
chmod 644 "$stage/LICENSE"
tar -C "$stage" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
	-cf - kubectl-tsblog LICENSE | gzip -9n >"$archive"
sum=$(sha256sum "$archive" | cut -d' ' -f1)
sed -e "s|@VERSION@|$version|g" -e "s|@ARCH@|$arch|g" \
	-e "s|@ARCHIVE@|$(basename "$archive")|g" -e "s|@SHA256@|$sum|g" \
	"$template" >"$manifest"
