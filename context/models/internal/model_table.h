// The generated table behind model_registry.h. The definitions live in
// model_table.cc, written by models_table_gen from models.csv at build time.

#ifndef CTXMEM_CONTEXT_MODELS_INTERNAL_MODEL_TABLE_H_
#define CTXMEM_CONTEXT_MODELS_INTERNAL_MODEL_TABLE_H_

#include <cstddef>
#include <cstdint>

#include "context/models/model_info.h"

namespace ctxmem::models::internal {

// The rows in CSV order.
extern const ModelInfo kModelTable[];
extern const std::size_t kModelTableSize;

// Positions in kModelTable ordered by (id, provider), bytewise, for binary
// search; rows that share an id are adjacent.
extern const std::uint16_t kModelOrderById[];

}  // namespace ctxmem::models::internal

#endif  // CTXMEM_CONTEXT_MODELS_INTERNAL_MODEL_TABLE_H_
