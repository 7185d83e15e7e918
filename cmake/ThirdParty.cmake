# Third-party C/C++ libraries, compiled from the pinned Debian sources that
# scripts/fetch-third-party unpacks into SLUICE_THIRD_PARTY_DIR. Every target
# (native, wasm, wasi) builds the same sources with the same options.
set(_tp "${SLUICE_THIRD_PARTY_DIR}")
foreach(_pkg zlib re2 simdjson nlohmann-json3)
  if(NOT EXISTS "${_tp}/${_pkg}")
    message(FATAL_ERROR "${_tp}/${_pkg} is missing: run scripts/fetch-third-party (or make deps)")
  endif()
endforeach()

# Third-party code is compiled optimised even in Debug builds of ours, and quietly.
set(_tp_options -O2 -w)

# zlib: only what inflate/deflate need (no gz* file I/O).
add_library(sluice_zlib STATIC
  ${_tp}/zlib/adler32.c ${_tp}/zlib/compress.c ${_tp}/zlib/crc32.c
  ${_tp}/zlib/deflate.c ${_tp}/zlib/infback.c ${_tp}/zlib/inffast.c
  ${_tp}/zlib/inflate.c ${_tp}/zlib/inftrees.c ${_tp}/zlib/trees.c
  ${_tp}/zlib/uncompr.c ${_tp}/zlib/zutil.c)
target_include_directories(sluice_zlib SYSTEM PUBLIC ${_tp}/zlib)
target_compile_options(sluice_zlib PRIVATE ${_tp_options})
target_compile_definitions(sluice_zlib PRIVATE HAVE_UNISTD_H)

# RE2 (with the tables fetch-third-party generated).
add_library(sluice_re2 STATIC
  ${_tp}/re2/util/rune.cc ${_tp}/re2/util/strutil.cc
  ${_tp}/re2/re2/bitstate.cc ${_tp}/re2/re2/compile.cc ${_tp}/re2/re2/dfa.cc
  ${_tp}/re2/re2/filtered_re2.cc ${_tp}/re2/re2/mimics_pcre.cc ${_tp}/re2/re2/nfa.cc
  ${_tp}/re2/re2/onepass.cc ${_tp}/re2/re2/parse.cc ${_tp}/re2/re2/perl_groups.cc
  ${_tp}/re2/re2/prefilter.cc ${_tp}/re2/re2/prefilter_tree.cc ${_tp}/re2/re2/prog.cc
  ${_tp}/re2/re2/re2.cc ${_tp}/re2/re2/regexp.cc ${_tp}/re2/re2/set.cc
  ${_tp}/re2/re2/simplify.cc ${_tp}/re2/re2/stringpiece.cc ${_tp}/re2/re2/tostring.cc
  ${_tp}/re2/re2/unicode_casefold.cc ${_tp}/re2/re2/unicode_groups.cc)
target_include_directories(sluice_re2 SYSTEM PUBLIC ${_tp}/re2)
target_compile_options(sluice_re2 PRIVATE ${_tp_options})
if(NOT EMSCRIPTEN)
  find_package(Threads REQUIRED)
  target_link_libraries(sluice_re2 PUBLIC Threads::Threads)
endif()

# simdjson: the amalgamation from singleheader/, built without exceptions.
add_library(sluice_simdjson STATIC ${_tp}/simdjson/singleheader/simdjson.cpp)
target_include_directories(sluice_simdjson SYSTEM PUBLIC ${_tp}/simdjson/singleheader)
target_compile_definitions(sluice_simdjson PUBLIC SIMDJSON_EXCEPTIONS=0)
target_compile_options(sluice_simdjson PRIVATE ${_tp_options})

# nlohmann/json: headers only. Without exceptions it aborts where it would have
# thrown, so untrusted input is parsed with allow_exceptions=false and checked
# before every read (DESIGN.md, Errors).
add_library(sluice_nlohmann_json INTERFACE)
target_include_directories(sluice_nlohmann_json SYSTEM INTERFACE ${_tp}/nlohmann-json3/include)
target_compile_definitions(sluice_nlohmann_json INTERFACE
  JSON_NOEXCEPTION JSON_HAS_FILESYSTEM=0 JSON_HAS_EXPERIMENTAL_FILESYSTEM=0)
