"""Compiles a `.tiktoken` rank file into an embedded encoding image."""

load("//bazel:copts.bzl", "CTXMEM_COPTS")

def encoding_image(name, rank_file, sha256, symbol, visibility = None):
    """Declares the cc_library `name` that embeds the image of `rank_file`.

    The rank file's sha256 is checked first, so a changed or corrupted file fails
    the build instead of silently changing token counts. The image is compiled by
    tools/compile_encoding and linked in with the assembler's .incbin: no multi-MB
    C array to compile, and the bytes land in .rodata, paged in only when used.
    The library defines `<symbol>` and `<symbol>_end` (extern "C").

    Args:
      name: the cc_library to declare.
      rank_file: label of the `.tiktoken` file.
      sha256: its expected digest (OpenAI tiktoken's pinned value).
      symbol: the C symbol of the image's first byte.
      visibility: of the cc_library.
    """
    image = name + ".image"
    native.genrule(
        name = name + "_compile",
        srcs = [rank_file],
        outs = [image],
        tools = ["//context/tokenizer/tools:compile_encoding"],
        cmd = ("echo '%s  $<' | sha256sum --check --quiet --strict - >&2 || " +
               "{ echo 'rank file $< does not match its pinned sha256 %s' >&2; exit 1; }; " +
               "$(location //context/tokenizer/tools:compile_encoding) --input=$< --output=$@") % (sha256, sha256),
    )
    native.genrule(
        name = name + "_asm",
        srcs = [":" + image],
        outs = [name + ".S"],
        cmd = "\n".join([
            "cat > $@ <<'ASM'",
            "  .section .rodata",
            # internal/encoding_image.h: kDecodeSectionAlignment.
            "  .balign 65536",
            "  .globl %s" % symbol,
            "  .type %s, @object" % symbol,
            "%s:" % symbol,
            "  .incbin \"IMAGE_PATH\"",
            "  .globl %s_end" % symbol,
            "%s_end:" % symbol,
            "  .section .note.GNU-stack,\"\",@progbits",
            "ASM",
            "sed -i \"s|IMAGE_PATH|$(execpath :%s)|\" $@" % image,
            # The assembler's dependency file does not list .incbin inputs, so
            # Bazel would prune the image from this action's inputs and keep a
            # stale object. Naming the image's digest in the source ties them.
            "echo \"  # image sha256 $$(sha256sum $(execpath :%s) | cut -c1-64)\" >> $@" % image,
        ]),
    )
    native.cc_library(
        name = name,
        srcs = [":" + name + ".S"],
        textual_hdrs = [":" + image],
        copts = CTXMEM_COPTS,
        visibility = visibility,
    )
