// XmlScanner: the tokens of the XML found in XLSX files, and what it refuses.
#include <gtest/gtest.h>

#include <string>

#include "read/xml_scanner.h"

namespace sluice {
namespace {

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

}  // namespace
}  // namespace sluice
