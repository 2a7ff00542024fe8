module github.com/libtsblog/libtsblog/bindings/go

go 1.19
