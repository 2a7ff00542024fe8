#!/bin/sh
# meson install into a temporary root, then build and run a Go program that
# lives outside the source tree and imports the binding through a replace
# directive, with pkg-config pointed at the installed tsblog.pc alone (as
# tests/install-consumer.sh does for C).
# Usage: install-consumer.sh BUILDDIR BINDINGS_GO_DIR GO
set -eu
build=$1 module=$2 go=$3
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
meson install -C "$build" --no-rebuild --destdir "$root" --quiet >/dev/null
pc=$(find "$root" -name tsblog.pc | head -n 1)
[ -n "$pc" ] || { echo "go-install-consumer: no tsblog.pc installed" >&2; exit 1; }
export PKG_CONFIG_PATH="$(dirname "$pc")" PKG_CONFIG_SYSROOT_DIR="$root"
unset LD_LIBRARY_PATH PKG_CONFIG_LIBDIR || :
libdir=$(pkg-config --variable=libdir tsblog)
case $libdir in "$root"/*) ;; *) libdir=$root$libdir ;; esac
[ -e "$libdir/libtsblog.so" ] || { echo "go-install-consumer: no libtsblog.so in $libdir" >&2; exit 1; }

mkdir "$root/goconsumer"
cd "$root/goconsumer"
cat >go.mod <<EOF
module example.com/goconsumer

go 1.19

require github.com/libtsblog/libtsblog/bindings/go v0.0.0

replace github.com/libtsblog/libtsblog/bindings/go => $module
EOF
cat >main.go <<'EOF'
package main

import (
	"fmt"
	"log"
	"strings"

	tsblog "github.com/libtsblog/libtsblog/bindings/go"
)

func main() {
	r, err := tsblog.Open(tsblog.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	in := "2026-11-20T08:10:01.251903Z\terror\tcontrolplane\ttoken rotation failed, " +
		"retrying in 15m0s: secret istio-system/cluster-service-account not found\n"
	err = r.Scan(strings.NewReader(in), "-", func(d tsblog.Diagnosis) error {
		fmt.Println(d.Rule, d.Line, tsblog.Version())
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
}
EOF
# The program is linked with -L into $root and run with LD_LIBRARY_PATH
# there only: the build tree is not used.
out=$(LD_LIBRARY_PATH="$libdir" "$go" run .)
echo "go consumer: $out"
[ "${out%% *}" = "cp-sa-secret-missing" ]
if ldd_out=$(LD_LIBRARY_PATH="$libdir" "$go" build -o consumer . && LD_LIBRARY_PATH="$libdir" ldd ./consumer 2>/dev/null); then
	echo "$ldd_out" | grep libtsblog
	echo "$ldd_out" | grep -q "$root" || { echo "go-install-consumer: not linked to the installed library" >&2; exit 1; }
fi
