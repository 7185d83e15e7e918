// Stage 1, decode: text bytes in any encoding a customer's file may have ->
// UTF-8, exactly once. Owns BOMs, UTF-16 (with or without BOM), invalid UTF-8
// (read as Windows-1252, byte by byte, so valid UTF-8 around it survives), NUL
// bytes and lone surrogates. Never fails: damage is replaced and reported.
// Binary formats (XLSX) never come here.
#ifndef SLUICE_DECODE_DECODER_H_
#define SLUICE_DECODE_DECODER_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/read.h"

namespace sluice {

struct DecodedText {
  std::string text;  //!< valid UTF-8, without BOM and NUL bytes
  EncodingReport encoding;
  std::vector<Notice> notices;
};

//! Decodes `bytes` (taken over: valid UTF-8 input is returned without a copy).
DecodedText DecodeText(std::string bytes);

//! When `bytes` need no decoding (valid UTF-8 without NUL bytes, not UTF-16;
//! a UTF-8 byte order mark is skipped): the text as a view of them, with
//! `encoding` set as DecodeText would set it. Else nullopt.
std::optional<std::string_view> TextAsIs(std::string_view bytes, EncodingReport* encoding);

//! Whether `text` is valid UTF-8 free of NUL bytes.
bool CleanUtf8(std::string_view text);

//! The part of `text` before a last character its end cuts off (all of it
//! when the end is not inside a character): text read in pieces is checked
//! up to there, the rest with the next piece.
size_t CompleteUtf8(std::string_view text);

}  // namespace sluice

#endif  // SLUICE_DECODE_DECODER_H_
