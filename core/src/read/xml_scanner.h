// XmlScanner: a pull tokenizer for the XML inside XLSX files: elements with
// their attributes, text, CDATA; comments and processing instructions skipped;
// DOCTYPE refused (no entity expansion, so no billion-laughs). Names are
// reported without their namespace prefix. Not a validating parser: it only
// promises never to read outside its input and to stop with an error on
// markup it cannot tokenize.
//
// Input may come in pieces (a large part inflated as it is read): Continue()
// says more follows, and Next() then answers kMore where a token is cut off,
// rather than reading a partial token as a whole one. The caller gives the
// unread rest (from offset()) followed by more, and calls Next() again. What
// Next() returned views the current piece: take it before giving the next.
#ifndef SLUICE_READ_XML_SCANNER_H_
#define SLUICE_READ_XML_SCANNER_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace sluice {

class XmlScanner {
 public:
  enum class Token { kStartElement, kEndElement, kText, kEnd, kError, kMore };

  explicit XmlScanner(std::string_view xml) : xml_(xml) {}

  //! Scans `xml` next: the unread rest of the previous piece followed by more
  //! input; `last` when nothing follows it.
  void Continue(std::string_view xml, bool last) {
    consumed_ += pos_;
    xml_ = xml;
    pos_ = 0;
    partial_ = !last;
  }

  //! The next token. A self-closing element yields kStartElement (with
  //! self_closing() true) and then its kEndElement.
  Token Next();

  //! Right after the start tag of `parent` (not self-closing): when what
  //! follows is exactly `<child>TEXT</child></parent>`, TEXT plain character
  //! data, takes it all (as the tokens up to the end of `parent` would) and
  //! sets `*text` to TEXT, raw; else false, nothing taken (other markup, or a
  //! piece that ends first: Next() then goes on as ever). The one-value cell
  //! of a sheet, `<c ...><v>42</v></c>`, in one step instead of four.
  bool TakeOnlyChildText(std::string_view child, std::string_view parent, std::string_view* text);

  //! The local name of the current element (start or end).
  std::string_view name() const { return name_; }
  bool self_closing() const { return self_closing_; }
  //! The raw (entity-encoded) value of attribute `local_name` of the current
  //! start element; false when absent.
  bool Attribute(std::string_view local_name, std::string_view* value) const;
  //! `visit(local_name, value)` for each attribute of the current start
  //! element, in order, in one pass (values raw, as Attribute gives them);
  //! stops at a malformed attribute.
  template <typename Visit>
  void ForEachAttribute(Visit visit) const;
  //! The current text: raw (entity-encoded) unless is_cdata().
  std::string_view text() const { return text_; }
  bool is_cdata() const { return cdata_; }
  //! Appends the current text, entities decoded, to `out`.
  void AppendText(std::string* out) const;
  const char* error() const { return error_; }
  //! Where the scanner is in the current piece.
  size_t offset() const { return pos_; }
  //! Where it is in the whole input (pieces before included).
  size_t input_offset() const { return consumed_ + pos_; }

  //! Appends `raw` with the XML entities (&lt; &#10; ...) decoded.
  static void AppendDecoded(std::string_view raw, std::string* out);

 private:
  Token Fail(const char* why) {
    error_ = why;
    return Token::kError;
  }
  // A token runs past the piece: more input, or an error at the real end.
  Token CutOff(const char* why) { return partial_ ? Token::kMore : Fail(why); }

  std::string_view xml_;
  size_t pos_ = 0;
  size_t consumed_ = 0;   // bytes of earlier pieces scanned
  bool partial_ = false;  // more input follows xml_
  std::string_view name_;
  std::string_view attributes_;
  std::string_view text_;
  bool self_closing_ = false;
  bool pending_end_ = false;  // the end token of a self-closing element is due
  bool cdata_ = false;
  const char* error_ = nullptr;
};

template <typename Visit>
void XmlScanner::ForEachAttribute(Visit visit) const {
  std::string_view a = attributes_;
  size_t i = 0;
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (i < a.size()) {
    while (i < a.size() && space(a[i])) ++i;
    size_t name_start = i;
    while (i < a.size() && a[i] != '=' && !space(a[i])) ++i;
    std::string_view name = a.substr(name_start, i - name_start);
    while (i < a.size() && space(a[i])) ++i;
    if (i >= a.size() || a[i] != '=') return;
    ++i;
    while (i < a.size() && space(a[i])) ++i;
    if (i >= a.size() || (a[i] != '"' && a[i] != '\'')) return;
    char quote = a[i++];
    size_t value_start = i;
    while (i < a.size() && a[i] != quote) ++i;
    if (i >= a.size()) return;
    size_t colon = name.find(':');
    visit(colon == std::string_view::npos ? name : name.substr(colon + 1), a.substr(value_start, i - value_start));
    ++i;
  }
}

}  // namespace sluice

#endif  // SLUICE_READ_XML_SCANNER_H_
