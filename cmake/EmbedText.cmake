# cmake -DINPUT=file -DOUTPUT=header -DNAME=kName -P EmbedText.cmake
# Writes `constexpr char NAME[] = R"...(<file>)...";` so a text file (the
# OpenAPI description) is part of the module without any I/O at run time.
file(READ "${INPUT}" content)
string(FIND "${content}" ")SLUICE_EMBED\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw string delimiter")
endif()
file(WRITE "${OUTPUT}" "// Generated from ${INPUT} by cmake/EmbedText.cmake; do not edit.\n")
file(APPEND "${OUTPUT}" "constexpr char ${NAME}[] = R\"SLUICE_EMBED(${content})SLUICE_EMBED\";\n")
