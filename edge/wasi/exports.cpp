// The WASI module's exports: the host copies an input frame into memory it got
// from sluice_alloc, calls sluice_handle, reads the answer ([u32 length][frame])
// and frees both with sluice_free. Besides, a long job reports its progress
// through sluice.progress, may write its result blobs as it makes them
// through sluice.blob_chunk, and may read a stored upload in pieces through
// sluice.blob_size and sluice.read_blob (the module's imports of its own).
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "sluice_edge/handler.h"

#define SLUICE_EXPORT(name) extern "C" __attribute__((export_name(name), used))

SLUICE_EXPORT("sluice_alloc") void* sluice_alloc(uint32_t size) { return std::malloc(size ? size : 1); }

namespace {
// The last answer, kept until the host frees it: it is handed over in place
// (its first four bytes hold its length), never copied into a second buffer.
std::string* last_answer = nullptr;
}  // namespace

SLUICE_EXPORT("sluice_free") void sluice_free(void* pointer) {
  if (last_answer && pointer == last_answer->data()) {
    delete last_answer;
    last_answer = nullptr;
    return;
  }
  std::free(pointer);
}

//! The host's side of progress reports (HandlerInput::progress): JSON bytes,
//! read by the host during the call. A host that has no use for them ignores them.
extern "C" __attribute__((import_module("sluice"), import_name("progress"))) void sluice_progress(const char* json,
                                                                                                 uint32_t length);

//! Returns a buffer: u32 little-endian length, then the output frame (the
//! host frees it with sluice_free).
//! The host's side of streamed blobs (HandlerInput::blob_chunk): a blob's name
//! and the next bytes of it, read by the host during the call. Called only
//! when the request said stream_blobs, so a host without it never sees it.
extern "C" __attribute__((import_module("sluice"), import_name("blob_chunk"))) void sluice_blob_chunk(
    const char* name, uint32_t name_length, const char* bytes, uint32_t length);

//! The host's stored blobs, read during the call (HandlerInput::blob_reader;
//! used only when the request said read_blobs): a blob's size in bytes, or
//! -1 when there is none; and up to `length` of its bytes from `offset` into
//! the module's memory at `into`, how many (fewer only at its end). Sizes
//! and offsets travel as doubles (exact to 2^53; no BigInt at the boundary).
extern "C" __attribute__((import_module("sluice"), import_name("blob_size"))) double sluice_blob_size(
    const char* name, uint32_t name_length);
extern "C" __attribute__((import_module("sluice"), import_name("read_blob"))) uint32_t sluice_read_blob(
    const char* name, uint32_t name_length, double offset, char* into, uint32_t length);

SLUICE_EXPORT("sluice_handle") void* sluice_handle(const uint8_t* input, uint32_t size) {
  delete last_answer;  // a host that did not free the previous answer
  last_answer = new std::string(sluice::edge::HandleFrame(
      std::string_view(reinterpret_cast<const char*>(input), size),
      [](std::string_view report) { sluice_progress(report.data(), static_cast<uint32_t>(report.size())); }, 4,
      [](std::string_view name, std::string_view bytes) {
        sluice_blob_chunk(name.data(), static_cast<uint32_t>(name.size()), bytes.data(),
                          static_cast<uint32_t>(bytes.size()));
      },
      sluice::edge::BlobReader{
          [](std::string_view name) -> std::optional<uint64_t> {
            const double size = sluice_blob_size(name.data(), static_cast<uint32_t>(name.size()));
            if (!(size >= 0)) return std::nullopt;
            return static_cast<uint64_t>(size);
          },
          [](std::string_view name, uint64_t offset, char* into, size_t n) -> size_t {
            size_t total = 0;  // (in steps of at most 1 GiB: the import's length is 32-bit)
            while (total < n) {
              const uint32_t step = static_cast<uint32_t>(std::min<size_t>(n - total, 1u << 30));
              const uint32_t read = sluice_read_blob(name.data(), static_cast<uint32_t>(name.size()),
                                                     static_cast<double>(offset + total), into + total, step);
              total += std::min(read, step);
              if (read < step) break;
            }
            return total;
          }}));
  uint32_t length = static_cast<uint32_t>(last_answer->size() - 4);
  std::memcpy(last_answer->data(), &length, 4);  // wasm32 is little-endian
  return last_answer->data();
}
