#include "context/tokenizer/encoding.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "context/tokenizer/internal/embedded_images.h"
#include "context/tokenizer/utf8.h"

namespace ctxmem::context::tokenizer {
namespace {

const Encoding* Open(std::string_view name, absl::StatusOr<internal::ImageView> image,
                     Encoding* (*make)(internal::ImageView)) {
  if (!image.ok()) {
    std::fprintf(stderr, "ctxmem: the embedded %.*s image is unusable: %s\n",
                 static_cast<int>(name.size()), name.data(),
                 std::string(image.status().message()).c_str());
    std::abort();
  }
  return make(*image);
}

}  // namespace

const Encoding& Encoding::Get(EncodingName name) {
  // Function-local statics: opened once, thread-safely, never destroyed (the
  // encodings are read-only views of .rodata).
  if (name == EncodingName::kCl100kBase) {
    static const Encoding* const cl100k =
        Open("cl100k_base", internal::OpenCl100kBaseImage(), [](internal::ImageView image) {
          return new Encoding("cl100k_base", PretokenPattern::kCl100k, image);
        });
    return *cl100k;
  }
  static const Encoding* const o200k =
      Open("o200k_base", internal::OpenO200kBaseImage(), [](internal::ImageView image) {
        return new Encoding("o200k_base", PretokenPattern::kO200k, image);
      });
  return *o200k;
}

absl::StatusOr<EncodingName> Encoding::ParseName(std::string_view name) {
  if (name == "o200k_base") return EncodingName::kO200kBase;
  if (name == "cl100k_base") return EncodingName::kCl100kBase;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown encoding '", std::string(name), "' (expected o200k_base or cl100k_base)"));
}

absl::Status Encoding::Encode(std::string_view text, std::vector<uint32_t>& out) const {
  if (absl::Status status = ValidateUtf8(text); !status.ok()) return status;
  EncodeValidUtf8(text, out);
  return absl::OkStatus();
}

absl::StatusOr<size_t> Encoding::Count(std::string_view text) const {
  if (absl::Status status = ValidateUtf8(text); !status.ok()) return status;
  return CountValidUtf8(text);
}

absl::StatusOr<std::string> Encoding::Decode(const std::vector<uint32_t>& ids) const {
  std::string text;
  for (uint32_t id : ids) {
    if (id >= vocabulary_size()) {
      return absl::OutOfRangeError(absl::StrCat("token id ", id, " is outside ", std::string(name_),
                                                " (", vocabulary_size(), " tokens)"));
    }
    text += encoder_.image().TokenBytes(id);
  }
  return text;
}

}  // namespace ctxmem::context::tokenizer
