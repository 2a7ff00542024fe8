#!/bin/sh
# The Go module as a user gets it (go get, a module proxy, go mod vendor):
# bindings/go copied alone to a temporary directory, against the library
# `meson install`ed into a temporary root and found through PKG_CONFIG_PATH,
# with only go, the C compiler and pkg-config on PATH (no swig).  A program
# that uses the module through a replace directive scans the shared vectors,
# and its diagnoses must be the lines the installed `tsblog -o json` prints.
# Usage: install-consumer.sh BUILDDIR BINDINGS_GO_DIR TESTS_DIR GO
set -eu
build=$1 module=$2 tests=$3 go=$4
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
tsblog=$(find "$root" -path '*/bin/tsblog' | head -n 1)

# The tools the build may use, and nothing else.
mkdir "$root/bin"
for t in "$go" gcc cc as ld pkg-config; do
	ln -s "$(command -v "$t")" "$root/bin/${t##*/}"
done
cp -R "$module" "$root/tsblog-go"
export GOCACHE="$root/go-cache" GOFLAGS=-mod=mod GOPROXY=off
if PATH="$root/bin" command -v swig >/dev/null; then
	echo "go-install-consumer: swig is on PATH" >&2
	exit 1
fi

mkdir "$root/goconsumer"
cd "$root/goconsumer"
cat >go.mod <<EOT
module example.com/goconsumer

go 1.19

require github.com/libtsblog/libtsblog/bindings/go v0.0.0

replace github.com/libtsblog/libtsblog/bindings/go => $root/tsblog-go
EOT
cat >main.go <<'EOT'
package main

import (
	"encoding/json"
	"errors"
	"log"
	"os"

	tsblog "github.com/libtsblog/libtsblog/bindings/go"
)

// Each argument is scanned under its own name; its diagnoses go to stdout
// as the tsblog command writes them.
func main() {
	r, err := tsblog.Open(tsblog.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	for _, path := range os.Args[1:] {
		f, err := os.Open(path)
		if err != nil {
			log.Fatal(err)
		}
		err = r.Scan(f, path, func(d tsblog.Diagnosis) error { return enc.Encode(d) })
		var se *tsblog.ScanError
		if err != nil && !errors.As(err, &se) {
			log.Fatal(err)
		}
		f.Close()
	}
}
EOT
PATH="$root/bin" "$go" build -o consumer .
inputs=$(grep -v '^#' "$tests/vectors/MANIFEST")
cd "$tests"
# The program is linked with -L into $root and runs with LD_LIBRARY_PATH
# there only: the build tree is not used.
LD_LIBRARY_PATH="$libdir" "$root/goconsumer/consumer" $inputs >"$root/go.jsonl"
for i in $inputs; do
	LD_LIBRARY_PATH="$libdir" "$tsblog" -o json "$i" || [ $? -eq 1 ]
done >"$root/cli.jsonl"
LD_LIBRARY_PATH="$libdir" ldd "$root/goconsumer/consumer" | grep -q "$root" ||
	{ echo "go-install-consumer: not linked to the installed library" >&2; exit 1; }
[ -s "$root/cli.jsonl" ]
diff -u "$root/cli.jsonl" "$root/go.jsonl"
echo "go consumer: $(wc -l <"$root/go.jsonl") diagnoses, as the command's"
