#!/bin/sh
# Debian protobuf-compiler.
exec /usr/bin/protoc "$@"
