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

#include "sluice/json_writer.h"
#include "sluice/parse.h"
#include "sluice/version.h"

namespace {

constexpr int kExitUsage = 64;
constexpr int kExitDataErr = 65;
constexpr int kExitIoErr = 74;

const char kUsage[] =
    "usage: sluice parse FILE [--delimiter C]   rows of a delimited file as JSON\n"
    "       sluice --version                    versions of Sluice and its libraries\n"
    "       sluice --help\n";

int Usage(const char* problem) {
  if (problem) std::fprintf(stderr, "sluice: %s\n", problem);
  std::fputs(kUsage, stderr);
  return kExitUsage;
}

// An error as one JSON line on stderr: {"error": {"code", "message", "offset"?}}.
int Fail(int exit_code, const sluice::Error& error) {
  sluice::JsonWriter out;
  out.BeginObject();
  out.Key("error");
  out.BeginObject();
  out.Key("code");
  out.String(error.code);
  out.Key("message");
  out.String(error.message);
  if (error.offset >= 0) {
    out.Key("offset");
    out.Int(error.offset);
  }
  out.EndObject();
  out.EndObject();
  std::fprintf(stderr, "%s\n", out.str().c_str());
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

int Parse(int argc, char** argv) {
  const char* path = nullptr;
  sluice::ParseOptions options;
  for (int i = 0; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--delimiter" || arg == "-d") {
      if (i + 1 >= argc) return Usage("--delimiter needs a value");
      std::string_view value = argv[++i];
      if (value == "\\t" || value == "tab") value = "\t";
      if (value.size() != 1) return Usage("the delimiter must be one character");
      options.delimiter = value[0];
    } else if (!path && (arg == "-" || arg.empty() || arg[0] != '-')) {
      path = argv[i];
    } else {
      return Usage(("unexpected argument: " + std::string(arg)).c_str());
    }
  }
  if (!path) return Usage("parse needs a FILE");

  std::string bytes;
  sluice::Error error;
  if (!ReadFile(path, &bytes, &error)) return Fail(kExitDataErr, error);
  sluice::Result<sluice::Table> table = sluice::ParseDelimited(std::move(bytes), options);
  if (!table.ok()) return Fail(kExitDataErr, table.error());
  return WriteOut(sluice::RowsToJson(table.value())) ? 0 : kExitIoErr;
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
  return Usage(("unknown command: " + std::string(command)).c_str());
}
