// Table: text cells, owned cells and row bookkeeping.
#include <gtest/gtest.h>

#include "sluice/table.h"

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

TEST(TableTest, EmptyTableHasNoRows) {
  Table table;
  EXPECT_EQ(table.row_count(), 0u);
  EXPECT_EQ(table.max_cell_count(), 0u);
}

}  // namespace
}  // namespace sluice
