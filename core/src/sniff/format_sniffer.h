// Stage 2a, sniff the format: by content, never by file name. Binary
// signatures are checked on the raw bytes (before decoding); JSON, markup and
// binary garbage on the decoded text. Owns only the verdict, not the reading.
#ifndef SLUICE_SNIFF_FORMAT_SNIFFER_H_
#define SLUICE_SNIFF_FORMAT_SNIFFER_H_

#include <string>
#include <string_view>

#include "sluice/error.h"

namespace sluice {

enum class ContainerKind {
  kZip,          //!< a zip archive: XLSX, or another zip format the XLSX reader names
  kText,         //!< to be decoded, then sniffed by SniffText
  kUnsupported,  //!< a known binary format Sluice does not read
};

struct ContainerVerdict {
  ContainerKind kind = ContainerKind::kText;
  std::string format_name;  //!< for kUnsupported: what it is, for people
};

//! Looks at the first bytes only.
ContainerVerdict SniffContainer(std::string_view bytes);

//! The `unsupported_format` error for a format named `what` (every reader
//! that recognises a format it cannot read says so the same way).
Error UnsupportedFormat(const std::string& what);

enum class TextKind { kDelimited, kJson, kUnsupported };

struct TextVerdict {
  TextKind kind = TextKind::kDelimited;
  std::string format_name;  //!< for kUnsupported
};

//! Decoded text: JSON by its first character, markup formats (HTML tables
//! saved as .xls, Excel 2003 XML) and binary data named and refused.
TextVerdict SniffText(std::string_view text);

}  // namespace sluice

#endif  // SLUICE_SNIFF_FORMAT_SNIFFER_H_
