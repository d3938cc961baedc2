// RapidJSON as ctxmem uses it. Every ctxmem file includes RapidJSON through
// this header so that all of them see one configuration: RapidJSON's inline
// functions must be the same in every translation unit.
//
// RAPIDJSON_SSE2 turns on its 16-byte string and whitespace scans (it does
// not detect SSE2 by itself; every x86-64 has it). Those scans read aligned
// 16-byte blocks up to 15 bytes past the terminating NUL, so every buffer
// given to the in-situ reader has 16 bytes of padding after it
// (internal/prepared_input.h).

#ifndef CTXMEM_CONTEXT_JSON_INTERNAL_RAPIDJSON_H_
#define CTXMEM_CONTEXT_JSON_INTERNAL_RAPIDJSON_H_

#if defined(__SSE2__) && !defined(RAPIDJSON_SSE2)
#define RAPIDJSON_SSE2
#endif

#include "rapidjson/error/en.h"
#include "rapidjson/reader.h"

#endif  // CTXMEM_CONTEXT_JSON_INTERNAL_RAPIDJSON_H_
