// XmlScanner: the tokens of the XML found in XLSX files, and what it refuses.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "read/xml_scanner.h"
#include "xml_tokens.h"

namespace sluice {
namespace {

using testing::ScanInPieces;
using testing::ScanWhole;

TEST(XmlScannerTest, ElementsAttributesAndText) {
  XmlScanner scanner("<?xml version=\"1.0\"?><!-- note --><x:c r='A1' t=\"a>b\"><v>1 &lt; 2</v><e/></x:c>");
  ASSERT_EQ(scanner.Next(), XmlScanner::Token::kStartElement);
  EXPECT_EQ(scanner.name(), "c");
  std::string_view value;
  ASSERT_TRUE(scanner.Attribute("r", &value));
  EXPECT_EQ(value, "A1");
  ASSERT_TRUE(scanner.Attribute("t", &value));
  EXPECT_EQ(value, "a>b");
  EXPECT_FALSE(scanner.Attribute("s", &value));
  ASSERT_EQ(scanner.Next(), XmlScanner::Token::kStartElement);
  EXPECT_EQ(scanner.name(), "v");
  ASSERT_EQ(scanner.Next(), XmlScanner::Token::kText);
  std::string text;
  scanner.AppendText(&text);
  EXPECT_EQ(text, "1 < 2");
  ASSERT_EQ(scanner.Next(), XmlScanner::Token::kEndElement);
  ASSERT_EQ(scanner.Next(), XmlScanner::Token::kStartElement);
  EXPECT_TRUE(scanner.self_closing());
  ASSERT_EQ(scanner.Next(), XmlScanner::Token::kEndElement);
  EXPECT_EQ(scanner.name(), "e");
  ASSERT_EQ(scanner.Next(), XmlScanner::Token::kEndElement);
  EXPECT_EQ(scanner.name(), "c");
  EXPECT_EQ(scanner.Next(), XmlScanner::Token::kEnd);
}

TEST(XmlScannerTest, CdataIsTakenAsItIs) {
  XmlScanner scanner("<t><![CDATA[a &amp; <b>]]></t>");
  scanner.Next();
  ASSERT_EQ(scanner.Next(), XmlScanner::Token::kText);
  EXPECT_TRUE(scanner.is_cdata());
  std::string text;
  scanner.AppendText(&text);
  EXPECT_EQ(text, "a &amp; <b>");
}

TEST(XmlScannerTest, EntitiesDecodeAndBadOnesStayText) {
  std::string out;
  XmlScanner::AppendDecoded("&amp;&quot;&apos;&gt;&#65;&#x42;&#x1F600;&bogus;&#xD800;& x", &out);
  EXPECT_EQ(out, "&\"'>AB\xF0\x9F\x98\x80&bogus;&#xD800;& x");
}

TEST(XmlScannerTest, RefusesDoctypeAndUnterminatedMarkup) {
  for (const char* xml : {"<!DOCTYPE x [<!ENTITY a \"b\">]><x/>", "<a", "<!-- open", "<![CDATA[ open", "<?pi", "</a",
                          "< >"}) {
    XmlScanner scanner(xml);
    XmlScanner::Token token;
    do {
      token = scanner.Next();
    } while (token != XmlScanner::Token::kEnd && token != XmlScanner::Token::kError);
    EXPECT_EQ(token, XmlScanner::Token::kError) << xml;
    EXPECT_NE(scanner.error(), nullptr);
  }
}

TEST(XmlScannerTest, PiecesOfEverySizeGiveTheSameTokens) {
  const std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- a comment -- with dashes -->"
      "<worksheet xmlns=\"http://example.com/main\" xmlns:r='http://example.com/r'><sheetData>"
      "<row r=\"1\" spans=\"1:3\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t='str' s=\"2\"><v>a &lt; b</v></c>"
      "<c r=\"C1\"/><c r=\"D1\" t=\"inlineStr\"><is><t xml:space=\"preserve\"> x &amp; y </t></is></c></row>"
      "<row r=\"2\"><x:c r=\"A2\"><x:v>12.5</x:v></x:c><c r=\"B2\" t=\"e\" ><v>#N/A</v></c ><c><v></v></c>"
      "<c q=\"a>b\"><v><![CDATA[<raw & text>]]></v></c><?pi data?></row></sheetData>\n</worksheet>\n  trailing text";
  const std::vector<std::string> whole = ScanWhole(xml);
  ASSERT_EQ(whole.back(), "end");
  for (size_t piece = 1; piece <= xml.size(); ++piece) {
    ASSERT_EQ(ScanInPieces(xml, piece), whole) << "pieces of " << piece;
    ASSERT_EQ(ScanInPieces(xml, piece, true), whole) << "pieces of " << piece << ", cells taken whole";
  }
}

TEST(XmlScannerTest, CutOffMarkupIsAnErrorOnlyAtTheRealEnd) {
  for (const char* xml : {"<a", "<a b=\"c>", "<!-- open", "<![CDATA[ open", "<?pi", "</a", "<", "<a>text"}) {
    const std::vector<std::string> whole = ScanWhole(xml);
    for (size_t piece = 1; piece <= 16; ++piece) {
      EXPECT_EQ(ScanInPieces(xml, piece), whole) << xml << " in pieces of " << piece;
    }
  }
}

TEST(XmlScannerTest, TakesOnlyAPlainOneChildCell) {
  auto take = [](std::string_view xml) -> std::string {
    XmlScanner scanner(xml);
    if (scanner.Next() != XmlScanner::Token::kStartElement) return "(no start)";
    std::string_view text;
    if (!scanner.TakeOnlyChildText("v", "c", &text)) return "(not taken)";
    std::string out(text);
    // What comes after is scanned as ever.
    XmlScanner::Token next = scanner.Next();
    out += next == XmlScanner::Token::kStartElement ? "|<" + std::string(scanner.name()) + ">"
           : next == XmlScanner::Token::kEnd        ? "|end"
                                                    : "|other";
    return out;
  };
  EXPECT_EQ(take("<c r=\"A1\"><v>42</v></c><c/>"), "42|<c>");
  EXPECT_EQ(take("<c><v>a &amp; b</v></c>"), "a &amp; b|end");
  EXPECT_EQ(take("<c><v></v></c>"), "|end");
  EXPECT_EQ(take("<c/>"), "(not taken)");                        // self-closing: its end is due
  EXPECT_EQ(take("<c><v t=\"x\">1</v></c>"), "(not taken)");     // the child has attributes
  EXPECT_EQ(take("<c><x:v>1</x:v></c>"), "(not taken)");         // a prefixed name
  EXPECT_EQ(take("<c><f>A1</f><v>1</v></c>"), "(not taken)");    // another child first
  EXPECT_EQ(take("<c><v>1</v><extLst/></c>"), "(not taken)");    // another child after
  EXPECT_EQ(take("<c><v><![CDATA[1]]></v></c>"), "(not taken)"); // markup inside
  EXPECT_EQ(take("<c><v>1</v></c "), "(not taken)");             // "</c " is no "</c>"
  EXPECT_EQ(take("<c><v>1</v></c"), "(not taken)");              // cut off
  EXPECT_EQ(take("<c><v>1</v></cc>"), "(not taken)");
}

// A start tag's end is found sixteen bytes at a time: '>' inside quotes of
// either kind, at every position against those blocks, never ends it.
TEST(XmlScannerTest, QuotedGreaterThanSignsAtEveryOffset) {
  for (bool apostrophes : {false, true}) {
    for (size_t pad = 0; pad < 40; ++pad) {
      for (size_t fill = 0; fill < 20; ++fill) {
        const std::string b = apostrophes ? "'>" + std::string(fill % 7, '"') + "'" : "\">" + std::string(fill % 7, 'y') + "\"";
        const std::string xml = "<c" + std::string(pad + 1, ' ') + "a=\">" + std::string(fill, 'z') + ">\" b=" + b +
                                " d=\"" + std::string(fill, apostrophes ? '\'' : 'x') + "\">text</c>";
        XmlScanner scanner(xml);
        ASSERT_EQ(scanner.Next(), XmlScanner::Token::kStartElement) << xml;
        std::string_view a, b_value, d;
        ASSERT_TRUE(scanner.Attribute("a", &a) && scanner.Attribute("b", &b_value) && scanner.Attribute("d", &d)) << xml;
        EXPECT_EQ(a, ">" + std::string(fill, 'z') + ">") << xml;
        EXPECT_EQ(b_value, b.substr(1, b.size() - 2)) << xml;
        EXPECT_EQ(d, std::string(fill, apostrophes ? '\'' : 'x')) << xml;
        ASSERT_EQ(scanner.Next(), XmlScanner::Token::kText) << xml;
        EXPECT_EQ(scanner.text(), "text") << xml;
      }
    }
  }
}

}  // namespace
}  // namespace sluice
