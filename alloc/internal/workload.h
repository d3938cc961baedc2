// Allocation-heavy work shaped like what ctxmem does all day: build a message
// history of strings and small maps, sort it, serialise it, tear it down.
// Parameterised by the allocator so the same work can run through the tracked
// global operator new or straight through malloc (the untracked baseline).

#ifndef CTXMEM_ALLOC_INTERNAL_WORKLOAD_H_
#define CTXMEM_ALLOC_INTERNAL_WORKLOAD_H_

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <new>
#include <string>
#include <vector>

namespace ctxmem::alloc::internal {

// std::allocator semantics over malloc/free: bypasses operator new.
template <typename T>
struct MallocAllocator {
  using value_type = T;
  MallocAllocator() = default;
  template <typename U>
  MallocAllocator(const MallocAllocator<U>&) {}
  T* allocate(std::size_t n) {
    if (void* p = std::malloc(n * sizeof(T))) return static_cast<T*>(p);
    throw std::bad_alloc();
  }
  void deallocate(T* p, std::size_t) { std::free(p); }
  template <typename U>
  bool operator==(const MallocAllocator<U>&) const { return true; }
};

template <template <typename> class Alloc>
struct HistoryTypes {
  using String = std::basic_string<char, std::char_traits<char>, Alloc<char>>;
  using Metadata = std::map<String, String, std::less<String>, Alloc<std::pair<const String, String>>>;
  struct Message {
    String role;
    String content;
    Metadata metadata;
  };
  using History = std::vector<Message, Alloc<Message>>;
};

// Builds, sorts and serialises `messages` messages; returns a checksum so the
// work cannot be optimised away.
template <template <typename> class Alloc>
uint64_t RunHistoryWorkload(int messages, uint32_t seed) {
  using Types = HistoryTypes<Alloc>;
  typename Types::History history;
  uint32_t x = seed;
  auto next = [&x] {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x;
  };
  static const char* const kRoles[] = {"user", "assistant", "tool"};
  for (int i = 0; i < messages; ++i) {
    typename Types::Message m;
    m.role = kRoles[next() % 3];
    const size_t length = 20 + next() % 600;
    m.content.reserve(length);
    for (size_t j = 0; j < length; ++j) m.content.push_back(char('a' + next() % 26));
    m.metadata.emplace("tool_use_id", "toolu_01" + typename Types::String(16, char('A' + i % 26)));
    m.metadata.emplace("path", "src/components/editor/" + typename Types::String(8, 'x') + ".ts");
    m.metadata.emplace("ts", typename Types::String(13, '1'));
    history.push_back(std::move(m));
  }
  std::sort(history.begin(), history.end(), [](const auto& a, const auto& b) {
    return a.content.size() < b.content.size();
  });
  typename Types::String json;
  for (const auto& m : history) {
    json += "{\"role\":\"";
    json += m.role;
    json += "\",\"content\":\"";
    json += m.content;
    json += "\"}";
  }
  uint64_t sum = json.size();
  for (const auto& m : history) sum = sum * 31 + m.metadata.size() + uint8_t(m.content[0]);
  return sum;
}

}  // namespace ctxmem::alloc::internal

#endif  // CTXMEM_ALLOC_INTERNAL_WORKLOAD_H_
