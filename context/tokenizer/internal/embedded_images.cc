#include "context/tokenizer/internal/embedded_images.h"

extern "C" {
extern const unsigned char ctxmem_o200k_base_image[];
extern const unsigned char ctxmem_o200k_base_image_end[];
extern const unsigned char ctxmem_cl100k_base_image[];
extern const unsigned char ctxmem_cl100k_base_image_end[];
}

namespace ctxmem::context::tokenizer::internal {

absl::StatusOr<ImageView> OpenO200kBaseImage() {
  return ImageView::Open(ctxmem_o200k_base_image,
                         static_cast<size_t>(ctxmem_o200k_base_image_end - ctxmem_o200k_base_image));
}

absl::StatusOr<ImageView> OpenCl100kBaseImage() {
  return ImageView::Open(
      ctxmem_cl100k_base_image,
      static_cast<size_t>(ctxmem_cl100k_base_image_end - ctxmem_cl100k_base_image));
}

}  // namespace ctxmem::context::tokenizer::internal
