// RequestScope: the memory of one request, rewound when the scope ends.
//
// A scope marks its arena on entry and rewinds to that mark on exit, so it
// frees exactly what was allocated inside it: an inner scope never touches
// the data of the scopes around it. Scopes must close in LIFO order (a debug
// build aborts otherwise). When the outermost scope closes, the arena keeps
// only its retained chunks, so a request loop runs without upstream
// allocations once warm.
//
// By default a scope uses the calling thread's arena. Code that interleaves
// requests on one thread (coroutines, event loops) must give each request its
// own BumpArena and pass it explicitly.
//
//   void Handle(const Request& r) {
//     ctxmem::arena::RequestScope scope;
//     auto* parsed = scope.arena().New<Parsed>(r);
//     ...
//   }  // everything above is gone, destructors run

#ifndef CTXMEM_ARENA_REQUEST_SCOPE_H_
#define CTXMEM_ARENA_REQUEST_SCOPE_H_

#include "arena/bump_arena.h"

namespace ctxmem::arena {

// The calling thread's request arena (default options), created on first use
// and released when the thread exits.
BumpArena& ThreadArena();

class RequestScope {
 public:
  RequestScope() : RequestScope(ThreadArena()) {}
  explicit RequestScope(BumpArena& arena) : arena_(arena), mark_(arena.Mark()) {}
  RequestScope(const RequestScope&) = delete;
  RequestScope& operator=(const RequestScope&) = delete;
  ~RequestScope() { arena_.Rewind(mark_); }

  BumpArena& arena() const { return arena_; }

 private:
  BumpArena& arena_;
  ArenaCheckpoint mark_;
};

}  // namespace ctxmem::arena

#endif  // CTXMEM_ARENA_REQUEST_SCOPE_H_
