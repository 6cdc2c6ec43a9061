# `format` rewrites every C++ file with clang-format; `format-check` fails on any difference.
find_program(CLANG_FORMAT NAMES clang-format clang-format-14)
if(CLANG_FORMAT)
  file(GLOB_RECURSE format_files CONFIGURE_DEPENDS
       ${PROJECT_SOURCE_DIR}/src/*.cpp ${PROJECT_SOURCE_DIR}/src/*.hpp
       ${PROJECT_SOURCE_DIR}/tests/*.cpp ${PROJECT_SOURCE_DIR}/tests/*.hpp
       ${PROJECT_SOURCE_DIR}/bench/*.cpp)
  # npm packages under tests/ (native addons) are not ours to format.
  list(FILTER format_files EXCLUDE REGEX "/node_modules/")
  add_custom_target(format COMMAND ${CLANG_FORMAT} -i ${format_files} VERBATIM)
  add_custom_target(format-check COMMAND ${CLANG_FORMAT} --dry-run --Werror ${format_files} VERBATIM)
endif()
