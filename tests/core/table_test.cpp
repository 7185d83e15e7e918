// Table: text cells, owned cells and row bookkeeping.
#include <gtest/gtest.h>

#include "sluice/table.h"

#include <iterator>
#include <string>

namespace sluice {
namespace {

TEST(TableTest, MixesTextAndOwnedCells) {
  Table table("hello world");
  table.AddTextCell(0, 5);
  table.AddOwnedCell("copied");
  table.AddTextCell(6, 5);
  table.EndRow();
  table.EndRow();  // an empty row
  ASSERT_EQ(table.row_count(), 2u);
  EXPECT_EQ(table.cell_count(0), 3u);
  EXPECT_EQ(table.cell(0, 0), "hello");
  EXPECT_EQ(table.cell(0, 1), "copied");
  EXPECT_EQ(table.cell(0, 2), "world");
  EXPECT_EQ(table.cell_count(1), 0u);
  EXPECT_EQ(table.cell(1, 0), "");
  EXPECT_EQ(table.max_cell_count(), 3u);
}

// Lengths around the 15 bits a cell keeps inline (longer ones are looked
// up), in the text and owned, in any order, over a viewed text too.
TEST(TableTest, LongCellsKeepTheirLength) {
  const size_t lengths[] = {0, 1, 32766, 32767, 32768, 40000, 1 << 20, 5};
  std::string text;
  for (size_t n : lengths) text += std::string(n, static_cast<char>('a' + n % 26));
  for (bool viewed : {false, true}) {
    Table table = viewed ? Table::Viewing(text) : Table(text);
    size_t offset = 0;
    for (size_t n : lengths) {
      table.AddTextCell(static_cast<uint32_t>(offset), static_cast<uint32_t>(n));
      table.AddOwnedCell(std::string(n, 'z'));
      offset += n;
    }
    table.EndRow();
    offset = 0;
    for (size_t k = 0; k < std::size(lengths); ++k) {
      const size_t n = lengths[k];
      EXPECT_EQ(table.cell(0, 2 * k), std::string_view(text).substr(offset, n)) << n;
      EXPECT_EQ(table.cell(0, 2 * k + 1), std::string(n, 'z')) << n;
      offset += n;
    }
    EXPECT_EQ(viewed, table.text().data() == text.data());
  }
}

TEST(TableTest, EmptyTableHasNoRows) {
  Table table;
  EXPECT_EQ(table.row_count(), 0u);
  EXPECT_EQ(table.max_cell_count(), 0u);
}

}  // namespace
}  // namespace sluice
