module tsblog.invalid/bindscan

go 1.19

require github.com/libtsblog/libtsblog/bindings/go v0.0.0

replace github.com/libtsblog/libtsblog/bindings/go => ../../../bindings/go
