#include "arena/request_scope.h"

namespace ctxmem::arena {

BumpArena& ThreadArena() {
  thread_local BumpArena arena;
  return arena;
}

}  // namespace ctxmem::arena
