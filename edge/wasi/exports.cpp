// The WASI module's exports: the host copies an input frame into memory it got
// from sluice_alloc, calls sluice_handle, reads the answer ([u32 length][frame])
// and frees both with sluice_free. Besides, a long job reports its progress
// through the one import of its own, sluice.progress.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "sluice_edge/handler.h"

#define SLUICE_EXPORT(name) extern "C" __attribute__((export_name(name), used))

SLUICE_EXPORT("sluice_alloc") void* sluice_alloc(uint32_t size) { return std::malloc(size ? size : 1); }

SLUICE_EXPORT("sluice_free") void sluice_free(void* pointer) { std::free(pointer); }

//! The host's side of progress reports (HandlerInput::progress): JSON bytes,
//! read by the host during the call. A host that has no use for them ignores them.
extern "C" __attribute__((import_module("sluice"), import_name("progress"))) void sluice_progress(const char* json,
                                                                                                 uint32_t length);

//! Returns a buffer: u32 little-endian length, then the output frame; or null
//! when memory ran out (the host answers 503 and may restart the module).
SLUICE_EXPORT("sluice_handle") void* sluice_handle(const uint8_t* input, uint32_t size) {
  std::string out = sluice::edge::HandleFrame(std::string_view(reinterpret_cast<const char*>(input), size),
                                              [](std::string_view report) {
                                                sluice_progress(report.data(), static_cast<uint32_t>(report.size()));
                                              });
  auto* buffer = static_cast<uint8_t*>(std::malloc(out.size() + 4));
  if (!buffer) return nullptr;
  uint32_t length = static_cast<uint32_t>(out.size());
  std::memcpy(buffer, &length, 4);  // wasm32 is little-endian
  std::memcpy(buffer + 4, out.data(), out.size());
  return buffer;
}
