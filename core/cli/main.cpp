// The native CLI `sluice`: reads files, calls the core's public API, prints.
// All I/O of the native target lives here; the core never touches files.
//
// Exit codes (sysexits.h): 0 ok, 64 usage, 65 unreadable input (stderr holds a
// JSON error with a stable code), 74 I/O error writing the output.
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/import.h"
#include "sluice/read.h"
#include "sluice/schema.h"
#include "sluice/version.h"

namespace {

constexpr int kExitUsage = 64;
constexpr int kExitDataErr = 65;
constexpr int kExitIoErr = 74;
constexpr int kExitNeedsReview = 2;
constexpr int kExitFailed = 3;

const char kUsage[] =
    "usage: sluice parse FILE [options]     every row of the file as a JSON array of arrays of strings\n"
    "       sluice inspect FILE [options]   format, encoding, dialect, sheets, header row and first rows\n"
    "       sluice import --schema SCHEMA.json FILE [--format json|ndjson|csv] [--metadata OUT.json]\n"
    "                     [--mapping MAP.json] [--skip-hooks] [--threads N] [options]\n"
    "                                       cleaned rows on stdout; exit 0 SUCCESSFUL, 2 NEEDS_REVIEW, 3 FAILED\n"
    "       sluice check-schema SCHEMA.json problems of a schema as JSON; exit 0 when it holds together, 65 if not\n"
    "       sluice --version                versions of Sluice and its libraries\n"
    "options: --delimiter C   the delimiter of delimited text (',' ';' tab '|'); sniffed when absent\n"
    "         --sheet NAME    the XLSX sheet to read; the first visible one with data when absent\n"
    "         --header-row N  the 0-based header row (inspect); detected when absent\n"
    "         --preview N     rows shown by inspect (default 20)\n"
    "         --options JSON  the options as the npm package takes them, limits included\n"
    "         --skip-hooks    import without the schema's JavaScript hooks (the CLI cannot run them)\n"
    "         --threads N     worker threads checking and writing the rows of a file read in passes (16 MB\n"
    "                         and more), and inflating an XLSX sheet while it is read; 0: none; default:\n"
    "                         one per processor, at most 8. Same output\n"
    "FILE may be - for standard input. Exit codes: 0 ok, 64 usage, 65 unreadable input, 74 output error.\n";

int Usage(const char* problem) {
  if (problem) std::fprintf(stderr, "sluice: %s\n", problem);
  std::fputs(kUsage, stderr);
  return kExitUsage;
}

// An error as one JSON line on stderr: {"error": {"code", "message", "offset"?}}.
int Fail(int exit_code, const sluice::Error& error) {
  std::fprintf(stderr, "%s\n", sluice::ErrorToJson(error).c_str());
  return exit_code;
}

// A file to read ("-": standard input), or null with `file_unreadable`.
std::FILE* OpenInput(const char* path, sluice::Error* error) {
  std::FILE* file = std::strcmp(path, "-") == 0 ? stdin : std::fopen(path, "rb");
  if (!file) *error = {"file_unreadable", std::string("cannot open ") + path + ": " + std::strerror(errno)};
  return file;
}

// The error of a file that could not be read to its end.
sluice::Error Unreadable(const char* path) { return {"file_unreadable", std::string("cannot read ") + path}; }

// A file's bytes ("-": standard input). A regular file is read in one go
// into a buffer of its size: a string, or (an import's input) a buffer that is
// not zero-filled first, so a large file's pages are written once, by the
// read. Standard input, or a file that grows while it is read, goes to a
// string a piece at a time.
class InputBytes {
 public:
  std::string_view view() const { return buffer_ ? std::string_view(buffer_.get(), size_) : std::string_view(text_); }
  std::string Take() && { return buffer_ ? std::string(view()) : std::move(text_); }

  //! `as_string`: a regular file's bytes go to the string too (for Take).
  bool Read(const char* path, bool as_string, sluice::Error* error) {
    std::FILE* file = OpenInput(path, error);
    return file && Read(file, path, as_string, error);
  }
  //! The same from a file open at its start (closed after, unless stdin).
  bool Read(std::FILE* file, const char* path, bool as_string, sluice::Error* error) {
    if (file != stdin && std::fseek(file, 0, SEEK_END) == 0) {
      const long size = std::ftell(file);
      std::rewind(file);
      if (size > 0 && as_string) {
        text_.resize(static_cast<size_t>(size));
        text_.resize(std::fread(text_.data(), 1, text_.size(), file));
      } else if (size > 0) {
        buffer_.reset(new char[static_cast<size_t>(size)]);
        size_ = std::fread(buffer_.get(), 1, static_cast<size_t>(size), file);
      }
    }
    char chunk[1 << 16];
    size_t n;
    while ((n = std::fread(chunk, 1, sizeof chunk, file)) > 0) {
      if (buffer_) {
        text_.assign(buffer_.get(), size_);
        buffer_.reset();
      }
      text_.append(chunk, n);
    }
    bool failed = std::ferror(file) != 0;
    if (file != stdin) std::fclose(file);
    if (failed) *error = Unreadable(path);
    return !failed;
  }

 private:
  std::unique_ptr<char[]> buffer_;
  size_t size_ = 0;
  std::string text_;
};

// A regular file of 16 MB or more (open at its start) is imported in passes
// (sluice::ImportPasses), read a megabyte at a time each pass: never held
// whole, and closed. Standard input, what cannot seek and smaller files are
// left to the caller, still open (*result stays empty); false: the file could
// not be read.
bool ImportInPasses(std::FILE* file, const char* path, const sluice::Schema& schema,
                    const sluice::ImportOptions& options, const std::vector<sluice::RowStream>& streams,
                    std::optional<sluice::ImportResult>* result, sluice::Error* error) {
  struct stat info;
  if (file == stdin || fstat(fileno(file), &info) != 0 || !S_ISREG(info.st_mode) ||
      static_cast<uint64_t>(info.st_size) < sluice::ImportPasses::kWholeBelow) {
    return true;
  }
  sluice::ImportPasses passes(schema, options, streams, static_cast<uint64_t>(info.st_size));
  bool again = true;
  while (again) {
    std::rewind(file);
    size_t n;
    do {  // each megabyte read straight into the import's window
      n = std::fread(passes.Room(1 << 20), 1, 1 << 20, file);
      passes.Fed(n);
    } while (n > 0);
    if (std::ferror(file)) {
      std::fclose(file);
      *error = Unreadable(path);
      return false;
    }
    again = passes.EndPass();
  }
  std::fclose(file);
  *result = passes.Take();
  return true;
}

bool ReadFile(const char* path, std::string* bytes, sluice::Error* error) {
  InputBytes input;
  if (!input.Read(path, /*as_string=*/true, error)) return false;
  *bytes = std::move(input).Take();
  return true;
}

bool WriteOut(const std::string& text) {
  return std::fwrite(text.data(), 1, text.size(), stdout) == text.size() &&
         std::fputc('\n', stdout) != EOF && std::fflush(stdout) == 0;
}

struct Command {
  const char* path = nullptr;
  sluice::ReadOptions options;
  size_t preview_rows = 20;
  // import
  const char* schema_path = nullptr;
  const char* metadata_path = nullptr;
  const char* mapping_path = nullptr;
  bool skip_hooks = false;
  sluice::RowFormat format = sluice::RowFormat::kJson;
  // Worker threads for an import read in passes: one per processor, at most 8.
  size_t threads = std::min<size_t>(std::thread::hardware_concurrency(), 8);
};

bool ParseCount(std::string_view text, size_t* out) {
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string_view::npos) return false;
  *out = static_cast<size_t>(std::stoul(std::string(text)));
  return true;
}

// Reads FILE and the options of `parse` and `inspect`; nonzero is an exit code.
int ParseArguments(int argc, char** argv, Command* command) {
  for (int i = 0; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto value = [&](const char* flag) -> const char* {
      if (i + 1 >= argc) {
        Usage((std::string(flag) + " needs a value").c_str());
        return nullptr;
      }
      return argv[++i];
    };
    if (arg == "--options") {
      // Options as JSON (the npm package's shape), applied before later flags.
      const char* v = value("--options");
      if (!v) return kExitUsage;
      sluice::Result<sluice::ReadOptions> options = sluice::ReadOptionsFromJson(v);
      if (!options.ok()) return Usage(options.error().message.c_str());
      command->options = options.value();
    } else if (arg == "--delimiter" || arg == "-d") {
      const char* v = value("--delimiter");
      if (!v) return kExitUsage;
      std::string_view delimiter = v;
      if (delimiter == "\\t" || delimiter == "tab") delimiter = "\t";
      if (delimiter.size() != 1) return Usage("the delimiter must be one character");
      command->options.delimiter = delimiter[0];
    } else if (arg == "--sheet") {
      const char* v = value("--sheet");
      if (!v) return kExitUsage;
      command->options.sheet = v;
    } else if (arg == "--header-row") {
      const char* v = value("--header-row");
      size_t row;
      if (!v) return kExitUsage;
      if (!ParseCount(v, &row)) return Usage("--header-row needs a non-negative integer");
      command->options.header_row_override = row;
    } else if (arg == "--schema") {
      if (!(command->schema_path = value("--schema"))) return kExitUsage;
    } else if (arg == "--metadata") {
      if (!(command->metadata_path = value("--metadata"))) return kExitUsage;
    } else if (arg == "--mapping") {
      if (!(command->mapping_path = value("--mapping"))) return kExitUsage;
    } else if (arg == "--format") {
      const char* v = value("--format");
      if (!v) return kExitUsage;
      std::string_view format = v;
      if (format == "json") {
        command->format = sluice::RowFormat::kJson;
      } else if (format == "ndjson") {
        command->format = sluice::RowFormat::kNdjson;
      } else if (format == "csv") {
        command->format = sluice::RowFormat::kCsv;
      } else {
        return Usage("--format must be json, ndjson or csv");
      }
    } else if (arg == "--skip-hooks") {
      command->skip_hooks = true;
    } else if (arg == "--threads") {
      const char* v = value("--threads");
      if (!v) return kExitUsage;
      if (!ParseCount(v, &command->threads) || command->threads > 256) return Usage("--threads needs an integer from 0 to 256");
    } else if (arg == "--preview") {
      const char* v = value("--preview");
      if (!v) return kExitUsage;
      if (!ParseCount(v, &command->preview_rows)) return Usage("--preview needs a non-negative integer");
    } else if (!command->path && (arg == "-" || arg.empty() || arg[0] != '-')) {
      command->path = argv[i];
    } else {
      return Usage(("unexpected argument: " + std::string(arg)).c_str());
    }
  }
  if (!command->path) return Usage("a FILE is needed");
  command->options.threads = command->threads;  // (an XLSX part inflated on one while it is read)
  return 0;
}

int Parse(int argc, char** argv) {
  Command command;
  if (int status = ParseArguments(argc, argv, &command)) return status;
  std::string bytes;
  sluice::Error error;
  if (!ReadFile(command.path, &bytes, &error)) return Fail(kExitDataErr, error);
  sluice::Result<sluice::ReadResult> read = sluice::ReadTable(std::move(bytes), command.options);
  if (!read.ok()) return Fail(kExitDataErr, read.error());
  return WriteOut(sluice::RowsToJson(read.value().table)) ? 0 : kExitIoErr;
}

int Inspect(int argc, char** argv) {
  Command command;
  if (int status = ParseArguments(argc, argv, &command)) return status;
  std::string bytes;
  sluice::Error error;
  if (!ReadFile(command.path, &bytes, &error)) return Fail(kExitDataErr, error);
  sluice::Result<sluice::Inspection> inspection = sluice::Inspect(std::move(bytes), command.options);
  if (!inspection.ok()) return Fail(kExitDataErr, inspection.error());
  return WriteOut(sluice::InspectionToJson(inspection.value(), command.preview_rows)) ? 0 : kExitIoErr;
}

// Loads a schema file; problems go to stderr as JSON.
bool LoadSchemaFile(const char* path, std::optional<sluice::Schema>* schema, int* status) {
  std::string text;
  sluice::Error error;
  if (!ReadFile(path, &text, &error)) {
    *status = Fail(kExitDataErr, error);
    return false;
  }
  sluice::SchemaLoad load = sluice::LoadSchema(text);
  if (!load.schema) {
    std::fprintf(stderr, "{\"error\":{\"code\":\"schema_invalid\",\"message\":\"the schema does not hold together\","
                         "\"details\":%s}}\n", sluice::SchemaProblemsToJson(load.problems).c_str());
    *status = kExitDataErr;
    return false;
  }
  *schema = std::move(load.schema);
  return true;
}

int CheckSchema(int argc, char** argv) {
  if (argc != 1) return Usage("check-schema takes one SCHEMA.json");
  std::string text;
  sluice::Error error;
  if (!ReadFile(argv[0], &text, &error)) return Fail(kExitDataErr, error);
  sluice::SchemaLoad load = sluice::LoadSchema(text);
  std::string out = "{\"valid\":" + std::string(load.schema ? "true" : "false") +
                    ",\"problems\":" + sluice::SchemaProblemsToJson(load.problems) + "}";
  if (!WriteOut(out)) return kExitIoErr;
  return load.schema ? 0 : kExitDataErr;
}

int Import(int argc, char** argv) {
  Command command;
  if (int status = ParseArguments(argc, argv, &command)) return status;
  if (!command.schema_path) return Usage("import needs --schema SCHEMA.json");
  std::optional<sluice::Schema> schema;
  int status = 0;
  if (!LoadSchemaFile(command.schema_path, &schema, &status)) return status;
  if (!schema->hooks.runs_nothing() && !command.skip_hooks) {
    // No JavaScript engine here: the hooks would change the result.
    return Fail(kExitUsage, {"hooks_not_supported",
                             "the schema has JavaScript hooks, which the CLI cannot run; import it with the npm "
                             "package or the API, or give --skip-hooks to import without them"});
  }

  sluice::ImportOptions options;
  options.read = command.options;
  options.threads = command.threads;
  if (command.mapping_path) {
    // {"header text": "field key", ...}
    std::string text;
    sluice::Error error;
    if (!ReadFile(command.mapping_path, &text, &error)) return Fail(kExitDataErr, error);
    nlohmann::json mapping = nlohmann::json::parse(text, nullptr, false);
    if (!mapping.is_object()) return Usage("--mapping must be a JSON object of header text to field key");
    for (auto it = mapping.begin(); it != mapping.end(); ++it) {
      if (!it.value().is_string()) return Usage("--mapping values must be field keys (strings)");
      options.mapping[it.key()] = it.value().get<std::string>();
    }
  }
  // The rows go to stdout as they are checked (nothing is written for a FAILED import).
  bool write_failed = false;
  std::vector<sluice::RowStream> streams{{command.format, [&](std::string_view chunk) {
    write_failed |= !write_failed && std::fwrite(chunk.data(), 1, chunk.size(), stdout) != chunk.size();
  }}};
  sluice::Error error;
  std::optional<sluice::ImportResult> read_in_passes;
  std::FILE* input = OpenInput(command.path, &error);
  if (!input || !ImportInPasses(input, command.path, *schema, options, streams, &read_in_passes, &error)) {
    return Fail(kExitDataErr, error);
  }
  InputBytes bytes;  // (the file is open still unless it was read in passes)
  if (!read_in_passes && !bytes.Read(input, command.path, /*as_string=*/false, &error)) return Fail(kExitDataErr, error);
  sluice::ImportResult result =
      read_in_passes ? std::move(*read_in_passes) : sluice::RunImport(bytes.view(), *schema, options, streams);
  if (command.metadata_path) {
    std::FILE* file = std::fopen(command.metadata_path, "wb");
    std::string metadata = result.Metadata();
    if (!file || std::fwrite(metadata.data(), 1, metadata.size(), file) != metadata.size() || std::fclose(file) != 0) {
      return Fail(kExitIoErr, {"metadata_unwritable", std::string("cannot write ") + command.metadata_path});
    }
  }
  if (result.outcome() == sluice::Outcome::kFailed) {
    std::fprintf(stderr, "%s\n", result.OutcomeJson().c_str());
    return kExitFailed;
  }
  if (write_failed || (command.format == sluice::RowFormat::kJson && std::fputc('\n', stdout) == EOF) ||
      std::fflush(stdout) != 0) {
    return kExitIoErr;
  }
  if (result.outcome() == sluice::Outcome::kNeedsReview) {
    std::fprintf(stderr, "%s\n", result.OutcomeJson().c_str());
    return kExitNeedsReview;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Usage(nullptr);
  std::string_view command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (command == "--version" || command == "version") {
    return WriteOut(sluice::VersionsJson()) ? 0 : kExitIoErr;
  }
  if (command == "parse") return Parse(argc - 2, argv + 2);
  if (command == "inspect") return Inspect(argc - 2, argv + 2);
  if (command == "import") return Import(argc - 2, argv + 2);
  if (command == "check-schema") return CheckSchema(argc - 2, argv + 2);
  return Usage(("unknown command: " + std::string(command)).c_str());
}
