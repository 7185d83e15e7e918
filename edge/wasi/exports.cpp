// The WASI module's exports: the host copies an input frame into memory it got
// from sluice_alloc, calls sluice_handle, reads the answer ([u32 length][frame])
// and frees both with sluice_free. Besides, a long job reports its progress
// through sluice.progress and may write its result blobs as it makes them
// through sluice.blob_chunk (the module's two imports of its own).
#include <cstdint>
#include <cstdlib>
#include <cstring>
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

SLUICE_EXPORT("sluice_handle") void* sluice_handle(const uint8_t* input, uint32_t size) {
  delete last_answer;  // a host that did not free the previous answer
  last_answer = new std::string(sluice::edge::HandleFrame(
      std::string_view(reinterpret_cast<const char*>(input), size),
      [](std::string_view report) { sluice_progress(report.data(), static_cast<uint32_t>(report.size())); }, 4,
      [](std::string_view name, std::string_view bytes) {
        sluice_blob_chunk(name.data(), static_cast<uint32_t>(name.size()), bytes.data(),
                          static_cast<uint32_t>(bytes.size()));
      }));
  uint32_t length = static_cast<uint32_t>(last_answer->size() - 4);
  std::memcpy(last_answer->data(), &length, 4);  // wasm32 is little-endian
  return last_answer->data();
}
