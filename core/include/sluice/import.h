// Import: a file and a schema in, cleaned rows, per-cell messages and an
// outcome out (pipeline stages 1-8). The one orchestrator the CLI, the npm
// package and the edge handler call; pure (bytes in, values out).
#ifndef SLUICE_IMPORT_H_
#define SLUICE_IMPORT_H_

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sluice/read.h"
#include "sluice/schema.h"

namespace sluice {

enum class Outcome { kSuccessful, kNeedsReview, kFailed };
const char* OutcomeName(Outcome outcome);  //!< "SUCCESSFUL", "NEEDS_REVIEW", "FAILED"

//! Why an import needs review or failed: a stable code and a message.
struct OutcomeReason {
  std::string code;
  std::string message;
  std::string field_key;  //!< for field_unmapped
};

//! One file column mapped to one field, with why.
struct ColumnMatch {
  size_t column = 0;
  std::string header;      //!< the column's header text
  std::string field_key;
  double confidence = 0;   //!< in [0, 1]
  std::string reason;      //!< for people: "alternate match 'Surname'"
};

//! A message about one cell of the data.
struct CellMessage {
  size_t row = 0;          //!< data row index (0 = the first row under the header)
  std::string field_key;
  std::string code;
  Level level = Level::kError;
  std::string message;
  std::string value;       //!< the cell's text as read
};

struct ImportOptions {
  ReadOptions read;        //!< the schema's delimiter and headerRowOverride are applied over these
  //! A mapping remembered from an earlier import: header text -> field key.
  //! It wins wherever its headers are present.
  std::map<std::string, std::string> mapping;
};

enum class RowFormat { kJson, kNdjson, kCsv };

class ImportResult;

//! Runs the import. Never fails: an unreadable file is the FAILED outcome.
ImportResult RunImport(std::string bytes, const Schema& schema, const ImportOptions& options = {});

class ImportResult {
 public:
  Outcome outcome() const { return outcome_; }
  const std::vector<OutcomeReason>& reasons() const { return reasons_; }
  const std::vector<ColumnMatch>& mapping() const { return mapping_; }
  const std::vector<CellMessage>& messages() const { return messages_; }
  size_t data_rows() const { return data_rows_; }
  size_t rows_with_error() const { return rows_with_error_; }
  size_t output_rows() const;

  //! The cleaned rows: a JSON array of objects keyed by field key (arrays for
  //! manyToOne), NDJSON, or CSV (cells starting with = + - @ neutralised).
  std::string Rows(RowFormat format) const;
  //! API.md's result_metadata: num_data_rows, rowsWithError, errors (at most
  //! `max_errors`, then errorsTruncated), fields, rawHeaders, detected.
  std::string Metadata(size_t max_errors = 1000) const;
  //! {"outcome", "reasons": [...]}.
  std::string OutcomeJson() const;

  struct Impl;
  ~ImportResult();
  ImportResult(ImportResult&&) noexcept;
  ImportResult& operator=(ImportResult&&) noexcept;

 private:
  friend ImportResult RunImport(std::string bytes, const Schema& schema, const ImportOptions& options);
  ImportResult();

  Outcome outcome_ = Outcome::kFailed;
  std::vector<OutcomeReason> reasons_;
  std::vector<ColumnMatch> mapping_;
  std::vector<CellMessage> messages_;
  size_t data_rows_ = 0;
  size_t rows_with_error_ = 0;
  std::unique_ptr<Impl> impl_;  // the values and what the writers need
};

}  // namespace sluice

#endif  // SLUICE_IMPORT_H_
