#include "context/models/model_registry.h"

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "context/models/internal/model_table.h"
#include "context/models/model_info.h"

namespace ctxmem::models {
namespace {

// Orders table rows (by position) against an id, for std::equal_range.
struct RowIdLess {
  bool operator()(std::uint16_t row, std::string_view id) const {
    return internal::kModelTable[row].id < id;
  }
  bool operator()(std::string_view id, std::uint16_t row) const {
    return id < internal::kModelTable[row].id;
  }
};

// The rows whose id is `id`, as a range of kModelOrderById.
std::span<const std::uint16_t> RowsWithId(std::string_view id) {
  const std::span<const std::uint16_t> order(internal::kModelOrderById,
                                             internal::kModelTableSize);
  const auto [first, last] = std::equal_range(order.begin(), order.end(), id, RowIdLess{});
  return {first, last};
}

}  // namespace

std::span<const ModelInfo> AllModels() {
  return {internal::kModelTable, internal::kModelTableSize};
}

absl::StatusOr<const ModelInfo*> FindModel(std::string_view id) {
  const std::span<const std::uint16_t> rows = RowsWithId(id);
  if (rows.empty()) return absl::NotFoundError("unknown model '" + std::string(id) + "'");
  if (rows.size() > 1) {
    std::string providers;
    for (std::uint16_t row : rows) {
      if (!providers.empty()) providers += ", ";
      providers += internal::kModelTable[row].provider;
    }
    return absl::FailedPreconditionError("model '" + std::string(id) +
                                         "' is in more than one provider's table (" + providers +
                                         "); name the provider");
  }
  return &internal::kModelTable[rows.front()];
}

absl::StatusOr<const ModelInfo*> FindModel(std::string_view provider, std::string_view id) {
  for (std::uint16_t row : RowsWithId(id)) {
    if (internal::kModelTable[row].provider == provider) return &internal::kModelTable[row];
  }
  return absl::NotFoundError("unknown model '" + std::string(id) + "' for provider '" +
                             std::string(provider) + "'");
}

}  // namespace ctxmem::models
