// The model registry: every row of models.csv, compiled into the binary.
//
// The table is generated at build time from context/models/models.csv (a copy
// of the reference's provider tables, see models_table_gen.cc), so it cannot
// drift from the data by hand editing. Lookups return pointers into that
// static table; they stay valid for the life of the process.
//
//   absl::StatusOr<const ModelInfo*> m = models::FindModel("gpt-4o");
//   if (m.ok()) use((*m)->context_window);

#ifndef CTXMEM_CONTEXT_MODELS_MODEL_REGISTRY_H_
#define CTXMEM_CONTEXT_MODELS_MODEL_REGISTRY_H_

#include <span>
#include <string_view>

#include "absl/status/statusor.h"
#include "context/models/model_info.h"

namespace ctxmem::models {

// Every model, in the CSV's order (provider by provider).
std::span<const ModelInfo> AllModels();

// The model with this id. NotFound when no provider has it;
// FailedPrecondition naming the providers when more than one has it (use the
// two-argument form then).
absl::StatusOr<const ModelInfo*> FindModel(std::string_view id);

// The model with this id in this provider's table ("openai" for the
// reference's openai-native provider). NotFound when there is none.
absl::StatusOr<const ModelInfo*> FindModel(std::string_view provider, std::string_view id);

}  // namespace ctxmem::models

#endif  // CTXMEM_CONTEXT_MODELS_MODEL_REGISTRY_H_
