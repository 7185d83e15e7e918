// XmlScanner: memchr-driven; attributes are scanned only when asked for.
#include "read/xml_scanner.h"

#include <cstring>

#include "text/bytes16.h"
#include "text/utf8.h"

namespace sluice {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool IsNameEnd(char c) { return IsSpace(c) || c == '>' || c == '/'; }

std::string_view LocalName(std::string_view name) {
  for (size_t i = 0; i < name.size(); ++i) {
    if (name[i] == ':') return name.substr(i + 1);
  }
  return name;
}

}  // namespace

XmlScanner::Token XmlScanner::Next() {
  if (error_) return Token::kError;
  if (pending_end_) {
    pending_end_ = false;
    self_closing_ = false;
    return Token::kEndElement;
  }
  cdata_ = false;
  while (pos_ < xml_.size()) {
    if (xml_[pos_] != '<') {
      // Text up to the next tag.
      const void* lt = std::memchr(xml_.data() + pos_, '<', xml_.size() - pos_);
      if (!lt && partial_) return Token::kMore;  // the text may go on
      size_t end = lt ? static_cast<size_t>(static_cast<const char*>(lt) - xml_.data()) : xml_.size();
      text_ = xml_.substr(pos_, end - pos_);
      pos_ = end;
      return Token::kText;
    }
    std::string_view rest = xml_.substr(pos_);
    if (partial_ && rest.size() < 9) return Token::kMore;  // "<![CDATA[" is the longest opening told apart
    const char second = rest.size() >= 2 ? rest[1] : '\0';
    if (second == '!' && rest.compare(0, 4, "<!--") == 0) {
      size_t end = rest.find("-->", 4);
      if (end == std::string_view::npos) return CutOff("unterminated comment");
      pos_ += end + 3;
      continue;
    }
    if (second == '!' && rest.compare(0, 9, "<![CDATA[") == 0) {
      size_t end = rest.find("]]>", 9);
      if (end == std::string_view::npos) return CutOff("unterminated CDATA section");
      text_ = rest.substr(9, end - 9);
      cdata_ = true;
      pos_ += end + 3;
      return Token::kText;
    }
    if (second == '?') {
      size_t end = rest.find("?>", 2);
      if (end == std::string_view::npos) return CutOff("unterminated processing instruction");
      pos_ += end + 2;
      continue;
    }
    if (second == '!') return Fail("DOCTYPE and other declarations are not allowed");
    if (second == '/') {
      size_t end = rest.find('>', 2);
      if (end == std::string_view::npos) return CutOff("unterminated end tag");
      std::string_view name = rest.substr(2, end - 2);
      while (!name.empty() && IsSpace(name.back())) name.remove_suffix(1);
      name_ = LocalName(name);
      pos_ += end + 1;
      return Token::kEndElement;
    }
    // A start tag: name, then attributes up to '>' (quotes may hold '>').
    size_t i = 1;
    while (i < rest.size() && !IsNameEnd(rest[i])) ++i;
    if (i == rest.size() && partial_) return Token::kMore;
    if (i == 1) return Fail("a tag without a name");
    name_ = LocalName(rest.substr(1, i - 1));
    size_t attributes_start = i;
    char quote = 0;
#if defined(SLUICE_BYTES16)
    // Sixteen bytes at a time while only double quotes appear: the bytes
    // inside them from the prefix XOR of the quotes, the first '>' outside
    // them ends the tag. A block with an apostrophe goes on byte by byte.
    uint32_t inside = 0;  // 0xFFFF when a block starts inside quotes
    while (i + 16 <= rest.size()) {
      const Bytes16 w(rest.data() + i);
      if (w.Equal('\'')) break;
      const uint32_t quoted = PrefixXor16(w.Equal('"')) ^ inside;
      const uint32_t ends = w.Equal('>') & ~quoted;
      if (ends) {
        i += static_cast<size_t>(__builtin_ctz(ends));
        inside = 0;  // at a '>' outside quotes
        break;
      }
      inside = quoted & 0x8000 ? 0xFFFF : 0;
      i += 16;
    }
    if (inside) quote = '"';
#endif
    for (; i < rest.size(); ++i) {
      char c = rest[i];
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        break;
      }
    }
    if (i == rest.size()) return CutOff("unterminated start tag");
    self_closing_ = rest[i - 1] == '/';
    attributes_ = rest.substr(attributes_start, i - attributes_start - (self_closing_ ? 1 : 0));
    pending_end_ = self_closing_;
    pos_ += i + 1;
    return Token::kStartElement;
  }
  return partial_ ? Token::kMore : Token::kEnd;
}

bool XmlScanner::TakeOnlyChildText(std::string_view child, std::string_view parent, std::string_view* text) {
  if (error_ || pending_end_) return false;
  const std::string_view rest = xml_.substr(pos_);
  const size_t c = child.size(), p = parent.size();
  const size_t open = c + 2;  // <child>
  if (rest.size() < open || rest[0] != '<' || rest.compare(1, c, child) != 0 || rest[open - 1] != '>') return false;
  const void* lt = std::memchr(rest.data() + open, '<', rest.size() - open);
  if (!lt) return false;
  const size_t text_end = static_cast<size_t>(static_cast<const char*>(lt) - rest.data());
  const size_t close = c + p + 6;  // </child></parent>
  if (rest.size() - text_end < close) return false;
  const char* at = rest.data() + text_end;
  if (at[1] != '/' || std::memcmp(at + 2, child.data(), c) != 0 || at[c + 2] != '>' || at[c + 3] != '<' ||
      at[c + 4] != '/' || std::memcmp(at + c + 5, parent.data(), p) != 0 || at[c + p + 5] != '>') {
    return false;
  }
  text_ = rest.substr(open, text_end - open);
  *text = text_;
  cdata_ = false;
  self_closing_ = false;
  name_ = xml_.substr(pos_ + text_end + c + 5, p);
  pos_ += text_end + close;
  return true;
}

bool XmlScanner::Attribute(std::string_view local_name, std::string_view* value) const {
  bool found = false;
  ForEachAttribute([&](std::string_view name, std::string_view attribute_value) {
    if (!found && name == local_name) {
      *value = attribute_value;
      found = true;
    }
  });
  return found;
}

void XmlScanner::AppendText(std::string* out) const {
  if (cdata_) {
    out->append(text_);
  } else {
    AppendDecoded(text_, out);
  }
}

void XmlScanner::AppendDecoded(std::string_view raw, std::string* out) {
  size_t i = 0;
  while (i < raw.size()) {
    const void* amp = std::memchr(raw.data() + i, '&', raw.size() - i);
    size_t at = amp ? static_cast<size_t>(static_cast<const char*>(amp) - raw.data()) : raw.size();
    out->append(raw.data() + i, at - i);
    if (at == raw.size()) return;
    size_t semicolon = raw.find(';', at);
    std::string_view entity =
        semicolon == std::string_view::npos || semicolon - at > 12 ? std::string_view() : raw.substr(at + 1, semicolon - at - 1);
    bool decoded = true;
    if (entity == "lt") {
      out->push_back('<');
    } else if (entity == "gt") {
      out->push_back('>');
    } else if (entity == "amp") {
      out->push_back('&');
    } else if (entity == "quot") {
      out->push_back('"');
    } else if (entity == "apos") {
      out->push_back('\'');
    } else if (entity.size() >= 2 && entity[0] == '#') {
      bool hex = entity[1] == 'x' || entity[1] == 'X';
      uint32_t cp = 0;
      size_t digits = 0;
      for (size_t k = hex ? 2 : 1; k < entity.size() && decoded; ++k) {
        char c = entity[k];
        uint32_t d;
        if (c >= '0' && c <= '9') {
          d = static_cast<uint32_t>(c - '0');
        } else if (hex && ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')) {
          d = static_cast<uint32_t>((c | 0x20) - 'a' + 10);
        } else {
          decoded = false;
          break;
        }
        cp = cp * (hex ? 16 : 10) + d;
        if (cp > 0x10FFFF) decoded = false;
        ++digits;
      }
      if (decoded && digits > 0 && cp != 0 && !(cp >= 0xD800 && cp <= 0xDFFF)) {
        AppendUtf8(*out, cp);
      } else {
        decoded = false;
      }
    } else {
      decoded = false;
    }
    if (decoded) {
      i = semicolon + 1;
    } else {
      out->push_back('&');  // not an entity: keep the ampersand as text
      i = at + 1;
    }
  }
}

}  // namespace sluice
