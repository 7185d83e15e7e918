// The native CLI `sluice`: reads files, calls the core's public API, prints.
// All I/O of the native target lives here; the core never touches files.
//
// Exit codes (sysexits.h): 0 ok, 64 usage, 65 unreadable input (stderr holds a
// JSON error with a stable code), 74 I/O error writing the output.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "sluice/read.h"
#include "sluice/version.h"

namespace {

constexpr int kExitUsage = 64;
constexpr int kExitDataErr = 65;
constexpr int kExitIoErr = 74;

const char kUsage[] =
    "usage: sluice parse FILE [options]     every row of the file as a JSON array of arrays of strings\n"
    "       sluice inspect FILE [options]   format, encoding, dialect, sheets, header row and first rows\n"
    "       sluice --version                versions of Sluice and its libraries\n"
    "options: --delimiter C   the delimiter of delimited text (',' ';' tab '|'); sniffed when absent\n"
    "         --sheet NAME    the XLSX sheet to read; the first visible one with data when absent\n"
    "         --header-row N  the 0-based header row (inspect); detected when absent\n"
    "         --preview N     rows shown by inspect (default 20)\n"
    "         --options JSON  the options as the npm package takes them, limits included\n"
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

bool ReadFile(const char* path, std::string* bytes, sluice::Error* error) {
  std::FILE* file = std::strcmp(path, "-") == 0 ? stdin : std::fopen(path, "rb");
  if (!file) {
    *error = {"file_unreadable", std::string("cannot open ") + path + ": " + std::strerror(errno)};
    return false;
  }
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) bytes->append(buffer, n);
  bool failed = std::ferror(file) != 0;
  if (file != stdin) std::fclose(file);
  if (failed) {
    *error = {"file_unreadable", std::string("cannot read ") + path};
    return false;
  }
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
  return Usage(("unknown command: " + std::string(command)).c_str());
}
