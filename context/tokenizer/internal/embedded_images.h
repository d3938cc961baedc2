// The encoding images linked into the binary (see encoding_image.bzl).

#ifndef CTXMEM_CONTEXT_TOKENIZER_INTERNAL_EMBEDDED_IMAGES_H_
#define CTXMEM_CONTEXT_TOKENIZER_INTERNAL_EMBEDDED_IMAGES_H_

#include "absl/status/statusor.h"
#include "context/tokenizer/internal/image_view.h"

namespace ctxmem::context::tokenizer::internal {

absl::StatusOr<ImageView> OpenO200kBaseImage();
absl::StatusOr<ImageView> OpenCl100kBaseImage();

}  // namespace ctxmem::context::tokenizer::internal

#endif  // CTXMEM_CONTEXT_TOKENIZER_INTERNAL_EMBEDDED_IMAGES_H_
