# The version and the git commit the binary was built from, for `stackgate version` and the
# stackgate_build_info metric. The commit is read at configure time; "unknown" outside a checkout.
execute_process(COMMAND git rev-parse --short=12 HEAD
                WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                OUTPUT_VARIABLE STACKGATE_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE
                ERROR_QUIET RESULT_VARIABLE git_rc)
if(NOT git_rc EQUAL 0 OR STACKGATE_COMMIT STREQUAL "")
  set(STACKGATE_COMMIT "unknown")
endif()
if(STACKGATE_SANITIZE)
  set(STACKGATE_SANITIZE_BOOL true)
else()
  set(STACKGATE_SANITIZE_BOOL false)
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/build_info.cpp.in ${PROJECT_BINARY_DIR}/gen/build_info.cpp @ONLY)
add_library(sg_version STATIC ${PROJECT_BINARY_DIR}/gen/build_info.cpp)
target_include_directories(sg_version PUBLIC ${PROJECT_SOURCE_DIR}/src)
