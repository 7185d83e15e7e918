// XmlScanner's tokens as text, scanned whole or in pieces as PartScanner
// feeds a part: the unit tests and the XLSX fuzz target compare the two.
#ifndef SLUICE_TESTS_CORE_XML_TOKENS_H_
#define SLUICE_TESTS_CORE_XML_TOKENS_H_

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "read/xml_scanner.h"

namespace sluice::testing {

// Every token as text, to compare two scans of one document.
inline std::string Describe(const XmlScanner& scanner, XmlScanner::Token token) {
  switch (token) {
    case XmlScanner::Token::kStartElement: {
      std::string out = "<" + std::string(scanner.name());
      scanner.ForEachAttribute([&](std::string_view name, std::string_view value) {
        out += " " + std::string(name) + "=" + std::string(value);
      });
      return out + (scanner.self_closing() ? "/>" : ">");
    }
    case XmlScanner::Token::kEndElement:
      return "</" + std::string(scanner.name()) + ">";
    case XmlScanner::Token::kText: {
      std::string text;
      scanner.AppendText(&text);
      return (scanner.is_cdata() ? "cdata:" : "text:") + text;
    }
    case XmlScanner::Token::kEnd:
      return "end";
    case XmlScanner::Token::kError:
      return std::string("error:") + scanner.error();
    case XmlScanner::Token::kMore:
      return "more";
  }
  return "?";
}

inline std::vector<std::string> ScanWhole(std::string_view xml) {
  std::vector<std::string> out;
  XmlScanner scanner(xml);
  for (;;) {
    XmlScanner::Token token = scanner.Next();
    out.push_back(Describe(scanner, token));
    if (token == XmlScanner::Token::kEnd || token == XmlScanner::Token::kError) return out;
  }
}

// As PartScanner feeds a part: `piece` more bytes each time Next() asks; the
// unread rest moved to the front. `take_cells` tries TakeOnlyChildText after
// every <c> as the sheet reader does, and records what it took.
inline std::vector<std::string> ScanInPieces(std::string_view xml, size_t piece, bool take_cells = false) {
  std::vector<std::string> out;
  std::string window;
  size_t fed = 0;
  XmlScanner scanner{std::string_view()};
  scanner.Continue(std::string_view(), false);
  for (;;) {
    XmlScanner::Token token = scanner.Next();
    if (token == XmlScanner::Token::kMore) {
      window.erase(0, scanner.offset());
      const size_t more = std::min(piece, xml.size() - fed);
      window.append(xml.substr(fed, more));
      fed += more;
      scanner.Continue(window, fed == xml.size());
      continue;
    }
    out.push_back(Describe(scanner, token));
    if (token == XmlScanner::Token::kEnd || token == XmlScanner::Token::kError) return out;
    std::string_view text;
    if (take_cells && token == XmlScanner::Token::kStartElement && scanner.name() == "c" &&
        scanner.TakeOnlyChildText("v", "c", &text)) {
      // What the four tokens would have said.
      std::string decoded;
      XmlScanner::AppendDecoded(text, &decoded);
      out.push_back("<v>");
      if (!decoded.empty()) out.push_back("text:" + decoded);
      out.push_back("</v>");
      out.push_back("</c>");
    }
  }
}

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_CORE_XML_TOKENS_H_
