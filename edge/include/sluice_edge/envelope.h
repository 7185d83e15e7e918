// Envelope: the binary-safe frame that carries one call from a host to the
// pure handler and the handler's answer back (DESIGN.md, "The edge handler").
// A frame is a list of named parts, each raw bytes; JSON parts carry small
// metadata, bodies and blobs travel as they are, never JSON-escaped.
//
// Wire format (all integers u32 little-endian):
//   "SLE1" count { name_length name data_length data }*count
#ifndef SLUICE_EDGE_ENVELOPE_H_
#define SLUICE_EDGE_ENVELOPE_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sluice/error.h"

namespace sluice::edge {

class Frame {
 public:
  void Add(std::string name, std::string data) { parts_.emplace_back(std::move(name), std::move(data)); }
  //! The first part called `name`, or nullptr.
  const std::string* Find(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& parts() const { return parts_; }
  std::vector<std::pair<std::string, std::string>>& parts() { return parts_; }

 private:
  std::vector<std::pair<std::string, std::string>> parts_;
};

//! A frame's parts as views into the bytes they were decoded from (no copy).
using FrameView = std::vector<std::pair<std::string_view, std::string_view>>;

std::string EncodeFrame(const Frame& frame);
//! EncodeFrame with `prefix` bytes of room before the frame (the WASI export
//! writes its length there), freeing each part once it is copied.
std::string EncodeFrame(Frame&& frame, size_t prefix);
//! Errors: `envelope_malformed` (bad magic, truncated part, trailing bytes).
Result<Frame> DecodeFrame(std::string_view bytes);
//! As DecodeFrame, without copying: the views live as long as `bytes`.
Result<FrameView> DecodeFrameView(std::string_view bytes);

}  // namespace sluice::edge

#endif  // SLUICE_EDGE_ENVELOPE_H_
