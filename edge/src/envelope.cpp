// Frame encoding and decoding. Decoding checks every length against the bytes
// that remain, so a truncated or hostile frame is an error, never a read past
// the end.
#include "sluice_edge/envelope.h"

#include <cstdint>

namespace sluice::edge {
namespace {

constexpr char kMagic[4] = {'S', 'L', 'E', '1'};

void PutU32(std::string& out, uint32_t value) {
  for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<char>((value >> shift) & 0xFF));
}

bool GetU32(std::string_view bytes, size_t* at, uint32_t* value) {
  if (bytes.size() - *at < 4) return false;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + *at);
  *value = uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
  *at += 4;
  return true;
}

bool GetBytes(std::string_view bytes, size_t* at, std::string_view* out) {
  uint32_t length;
  if (!GetU32(bytes, at, &length) || bytes.size() - *at < length) return false;
  *out = bytes.substr(*at, length);
  *at += length;
  return true;
}

}  // namespace

const std::string* Frame::Find(std::string_view name) const {
  for (const auto& part : parts_) {
    if (part.first == name) return &part.second;
  }
  return nullptr;
}

namespace {

size_t EncodedSize(const Frame& frame) {
  size_t size = 8;
  for (const auto& part : frame.parts()) size += 8 + part.first.size() + part.second.size();
  return size;
}

void AppendPart(const std::pair<std::string, std::string>& part, std::string& out) {
  PutU32(out, static_cast<uint32_t>(part.first.size()));
  out.append(part.first);
  PutU32(out, static_cast<uint32_t>(part.second.size()));
  out.append(part.second);
}

}  // namespace

std::string EncodeFrame(const Frame& frame) {
  std::string out;
  out.reserve(EncodedSize(frame));
  out.append(kMagic, 4);
  PutU32(out, static_cast<uint32_t>(frame.parts().size()));
  for (const auto& part : frame.parts()) AppendPart(part, out);
  return out;
}

std::string EncodeFrame(Frame&& frame, size_t prefix) {
  std::string out(prefix, '\0');
  out.reserve(prefix + EncodedSize(frame));
  out.append(kMagic, 4);
  PutU32(out, static_cast<uint32_t>(frame.parts().size()));
  for (auto& part : frame.parts()) {
    AppendPart(part, out);
    std::string().swap(part.second);
  }
  return out;
}

Result<FrameView> DecodeFrameView(std::string_view bytes) {
  auto malformed = [](const std::string& why, size_t at) {
    return Error{"envelope_malformed", why, static_cast<int64_t>(at)};
  };
  if (bytes.size() < 8 || bytes.substr(0, 4) != std::string_view(kMagic, 4)) {
    return malformed("the frame does not start with SLE1", 0);
  }
  size_t at = 4;
  uint32_t count;
  GetU32(bytes, &at, &count);
  FrameView parts;
  for (uint32_t i = 0; i < count; ++i) {
    std::string_view name, data;
    if (!GetBytes(bytes, &at, &name) || !GetBytes(bytes, &at, &data)) {
      return malformed("part " + std::to_string(i) + " is truncated", at);
    }
    parts.emplace_back(name, data);
  }
  if (at != bytes.size()) return malformed("bytes after the last part", at);
  return parts;
}

Result<Frame> DecodeFrame(std::string_view bytes) {
  Result<FrameView> view = DecodeFrameView(bytes);
  if (!view.ok()) return view.error();
  Frame frame;
  for (const auto& [name, data] : view.value()) frame.Add(std::string(name), std::string(data));
  return frame;
}

}  // namespace sluice::edge
